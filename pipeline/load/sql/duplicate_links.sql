SELECT
    article_id,
    is_duplicate,
    duplicate_of,
    similarity,
    cluster_id
FROM articles
