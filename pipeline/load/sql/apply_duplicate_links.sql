-- Dedup verdicts for new and already-stored articles (a canonical can change when an
-- earlier-published copy arrives later).
UPDATE articles
SET
    is_duplicate = links.is_duplicate,
    duplicate_of = links.duplicate_of,
    similarity = links.similarity,
    cluster_id = links.cluster_id
FROM links
WHERE articles.article_id = links.article_id
