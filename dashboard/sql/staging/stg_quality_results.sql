-- Expectation results recorded after each load.
WITH source AS (
    SELECT *
    FROM warehouse.quality_results
),

renamed AS (
    SELECT
        run_id,
        suite,
        expectation,
        CAST(success AS BOOLEAN) AS success,
        observed_value,
        details,
        severity
    FROM source
)

SELECT *
FROM renamed
