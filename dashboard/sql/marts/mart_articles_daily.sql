-- Articles per day: canonicals and duplicates side by side, dated articles only (an undated
-- one would stand at the day it was fetched, not when its story happened).
WITH articles AS (
    SELECT
        article_day,
        is_duplicate
    FROM stg_articles
    WHERE article_day IS NOT NULL
        AND is_dated
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
