-- The expectation results of the most recent run that recorded any.
WITH checked_runs AS (
    SELECT
        results.run_id,
        max(runs.started_at) AS started_at
    FROM stg_quality_results AS results
    LEFT JOIN stg_pipeline_runs AS runs
        ON runs.run_id = results.run_id
    GROUP BY results.run_id
),

latest_run AS (
    SELECT
        run_id
    FROM checked_runs
    ORDER BY started_at DESC NULLS LAST, run_id DESC
    LIMIT 1
),

latest_results AS (
    SELECT
        results.run_id,
        results.suite,
        results.expectation,
        results.severity,
        results.success,
        results.observed_value,
        results.details
    FROM stg_quality_results AS results
    INNER JOIN latest_run
        ON latest_run.run_id = results.run_id
)

SELECT *
FROM latest_results
