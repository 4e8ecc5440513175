-- The canonical articles that name an entity, with how often: the drill-down from an entity.
-- Reads the in-memory indexes (mart_entity_article_index, mart_article_index); the filter on
-- entity_id becomes a range on the entity-sorted pairs.
WITH entity_keys AS (
    SELECT
        entity_id,
        hash(entity_id) AS entity_key
    FROM stg_entities
),

canonical_articles AS (
    SELECT
        article_id,
        article_key,
        title,
        publisher,
        article_day
    FROM mart_article_index
    WHERE NOT is_duplicate
),

mentions AS (
    SELECT
        entity_keys.entity_id,
        canonical_articles.article_id,
        canonical_articles.title,
        canonical_articles.publisher,
        canonical_articles.article_day
    FROM mart_entity_article_index AS pairs
    INNER JOIN entity_keys
        ON entity_keys.entity_key = pairs.entity_key
    INNER JOIN canonical_articles
        ON canonical_articles.article_key = pairs.article_key
),

per_article AS (
    SELECT
        entity_id,
        article_id,
        title,
        publisher,
        article_day,
        count(*) AS mentions
    FROM mentions
    GROUP BY
        entity_id,
        article_id,
        title,
        publisher,
        article_day
)

SELECT *
FROM per_article
