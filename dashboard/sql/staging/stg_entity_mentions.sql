-- Each place an entity is named in an article body (offsets into articles.body).
WITH source AS (
    SELECT *
    FROM warehouse.entity_mentions
),

renamed AS (
    SELECT
        article_id,
        entity_id,
        surface,
        CAST(start_char AS INTEGER) AS start_char,
        CAST(end_char AS INTEGER) AS end_char,
        CAST(sentence_index AS INTEGER) AS sentence_index
    FROM source
)

SELECT *
FROM renamed
