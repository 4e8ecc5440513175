-- How many copies (duplicates) of the canonical articles that mention an entity were stored:
-- linked to the entity through their canonical, never counted (docs/copies.md). Only the
-- entities in `touched` are refreshed.
WITH counted AS (
    SELECT DISTINCT
        m.entity_id,
        m.article_id
    FROM entity_mentions AS m
    JOIN touched
        ON touched.id = m.entity_id
),

copies AS (
    SELECT
        duplicate_of AS article_id,
        count(*) AS num_copies
    FROM articles
    WHERE is_duplicate AND duplicate_of IN (SELECT article_id FROM counted)
    GROUP BY duplicate_of
),

totals AS (
    SELECT
        touched.id AS entity_id,
        coalesce(sum(copies.num_copies), 0) AS num_copies
    FROM touched
    LEFT JOIN counted
        ON counted.entity_id = touched.id
    LEFT JOIN copies
        ON copies.article_id = counted.article_id
    GROUP BY touched.id
)

UPDATE entities
SET num_copies = totals.num_copies
FROM totals
WHERE entities.entity_id = totals.entity_id
