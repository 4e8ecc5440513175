-- One row per pipeline run; stats is the run summary as JSON text.
WITH source AS (
    SELECT *
    FROM warehouse.pipeline_runs
),

renamed AS (
    SELECT
        run_id,
        CAST(started_at AS TIMESTAMP) AS started_at,
        CAST(finished_at AS TIMESTAMP) AS finished_at,
        trigger AS run_trigger,
        CAST(stats AS VARCHAR) AS stats_json
    FROM source
)

SELECT *
FROM renamed
