-- Rejected items with the stage and reason that rejected them.
WITH source AS (
    SELECT *
    FROM warehouse.quarantine
),

renamed AS (
    SELECT
        item_id,
        stage,
        reason_code,
        message,
        run_id,
        CAST(quarantined_at AS TIMESTAMP) AS quarantined_at
    FROM source
)

SELECT *
FROM renamed
