-- Canonical entities with the counts the load stage maintains.
WITH source AS (
    SELECT *
    FROM warehouse.entities
),

renamed AS (
    SELECT
        entity_id,
        canonical_name AS entity_name,
        entity_type,
        aliases,
        country_code,
        CAST(lat AS DOUBLE) AS lat,
        CAST(lon AS DOUBLE) AS lon,
        CAST(article_count AS INTEGER) AS stored_article_count,
        CAST(mention_count AS INTEGER) AS stored_mention_count,
        CAST(num_copies AS INTEGER) AS num_copies
    FROM source
)

SELECT *
FROM renamed
