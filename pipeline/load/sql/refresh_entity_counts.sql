-- Entity counts derive from entity_mentions of canonical articles (a copy never corroborates,
-- docs/copies.md); only the entities a batch touched are refreshed.
WITH counts AS (
    SELECT
        touched.id AS entity_id,
        count(DISTINCT m.article_id) AS article_count,
        count(m.article_id) AS mention_count
    FROM touched
    LEFT JOIN entity_mentions AS m
        ON m.entity_id = touched.id
        AND m.article_id NOT IN (SELECT article_id FROM articles WHERE is_duplicate)
    GROUP BY touched.id
)
UPDATE entities
SET
    article_count = counts.article_count,
    mention_count = counts.mention_count
FROM counts
WHERE entities.entity_id = counts.entity_id
