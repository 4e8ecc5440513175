-- Each entity's canonical articles and mentions over all days, with the days it was seen:
-- the whole-period ranking, summed from mart_entity_daily (one article has one day).
WITH daily AS (
    SELECT
        entity_id,
        entity_name,
        entity_type,
        article_day,
        mentions,
        articles
    FROM mart_entity_daily
),

totals AS (
    SELECT
        entity_id,
        entity_name,
        entity_type,
        CAST(sum(articles) AS BIGINT) AS articles,
        CAST(sum(mentions) AS BIGINT) AS mentions,
        min(article_day) AS first_day,
        max(article_day) AS last_day
    FROM daily
    GROUP BY
        entity_id,
        entity_name,
        entity_type
)

SELECT *
FROM totals
