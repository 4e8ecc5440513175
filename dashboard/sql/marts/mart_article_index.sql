-- One narrow row per stored article (no body): what searches, lists and joins need.
WITH articles AS (
    SELECT
        article_id,
        hash(article_id) AS article_key,
        title,
        publisher,
        article_day,
        is_duplicate,
        duplicate_of,
        similarity,
        cluster_id
    FROM stg_articles
)

SELECT *
FROM articles
