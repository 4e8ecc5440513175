-- Who appears with whom: for each pair of entities, the canonical articles naming both.
-- Query it for one entity_id; the filter reaches the left side before the self-join.
WITH canonical_pairs AS NOT MATERIALIZED (
    SELECT DISTINCT
        mentions.article_id,
        mentions.entity_id
    FROM stg_entity_mentions AS mentions
    INNER JOIN stg_articles AS articles
        ON articles.article_id = mentions.article_id
    WHERE NOT articles.is_duplicate
),

pairs AS (
    SELECT
        left_side.entity_id,
        right_side.entity_id AS other_entity_id,
        count(*) AS shared_articles
    FROM canonical_pairs AS left_side
    INNER JOIN canonical_pairs AS right_side
        ON right_side.article_id = left_side.article_id
        AND right_side.entity_id <> left_side.entity_id
    GROUP BY left_side.entity_id, right_side.entity_id
),

named AS (
    SELECT
        pairs.entity_id,
        pairs.other_entity_id,
        others.entity_name AS other_name,
        others.entity_type AS other_type,
        pairs.shared_articles
    FROM pairs
    INNER JOIN stg_entities AS others
        ON others.entity_id = pairs.other_entity_id
)

SELECT *
FROM named
