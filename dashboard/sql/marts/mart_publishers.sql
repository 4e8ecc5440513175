-- Articles per publisher, with the share of their stored articles that were duplicates.
WITH articles AS (
    SELECT
        publisher,
        article_day,
        is_duplicate
    FROM stg_articles
),

per_publisher AS (
    SELECT
        publisher,
        count(*) FILTER (WHERE NOT is_duplicate) AS canonical_articles,
        count(*) FILTER (WHERE is_duplicate) AS duplicate_articles,
        count(*) FILTER (WHERE is_duplicate) / count(*) AS duplicate_share,
        min(article_day) AS first_day,
        max(article_day) AS last_day
    FROM articles
    GROUP BY publisher
)

SELECT *
FROM per_publisher
