-- Each sentence of an article that reports an event.
WITH source AS (
    SELECT *
    FROM warehouse.event_mentions
),

renamed AS (
    SELECT
        event_id,
        article_id,
        sentence,
        date_text,
        CAST(start_char AS INTEGER) AS start_char,
        CAST(end_char AS INTEGER) AS end_char,
        CAST(confidence AS DOUBLE) AS confidence
    FROM source
)

SELECT *
FROM renamed
