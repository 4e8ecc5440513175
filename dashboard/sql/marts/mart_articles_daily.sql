-- Articles per day: canonicals and duplicates side by side.
WITH articles AS (
    SELECT
        article_day,
        is_duplicate
    FROM stg_articles
    WHERE article_day IS NOT NULL
),

daily AS (
    SELECT
        article_day,
        count(*) FILTER (WHERE NOT is_duplicate) AS canonical_articles,
        count(*) FILTER (WHERE is_duplicate) AS duplicate_articles
    FROM articles
    GROUP BY article_day
)

SELECT *
FROM daily
