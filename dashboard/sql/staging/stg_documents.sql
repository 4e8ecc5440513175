-- Every item read. raw_text stays out: the dashboard never needs whole raw payloads.
WITH source AS (
    SELECT *
    FROM warehouse.documents
),

renamed AS (
    SELECT
        doc_id,
        source_kind,
        source_uri,
        CAST(fetched_at AS TIMESTAMP) AS fetched_at,
        status,
        content_type,
        feed_name,
        run_id
    FROM source
)

SELECT *
FROM renamed
