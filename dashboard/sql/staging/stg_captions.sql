-- Image captions kept apart from the article body.
WITH source AS (
    SELECT *
    FROM warehouse.captions
),

renamed AS (
    SELECT
        article_id,
        CAST(position AS INTEGER) AS position,
        text AS caption_text
    FROM source
)

SELECT *
FROM renamed
