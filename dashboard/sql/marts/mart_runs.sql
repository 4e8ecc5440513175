-- Each pipeline run with the outcome of its quality checks. A run fails its quality
-- status when a critical expectation failed; failed warnings only qualify a pass.
WITH runs AS (
    SELECT
        run_id,
        started_at,
        finished_at,
        run_trigger
    FROM stg_pipeline_runs
),

checks AS (
    SELECT
        run_id,
        count(*) AS checks,
        count(*) FILTER (WHERE success) AS passed_checks,
        count(*) FILTER (WHERE NOT success) AS failed_checks,
        count(*) FILTER (WHERE NOT success AND severity = 'critical') AS failed_critical
    FROM stg_quality_results
    GROUP BY run_id
),

joined AS (
    SELECT
        runs.run_id,
        runs.started_at,
        runs.finished_at,
        runs.run_trigger,
        date_diff('millisecond', runs.started_at, runs.finished_at) / 1000.0 AS duration_seconds,
        coalesce(checks.checks, 0) AS checks,
        coalesce(checks.passed_checks, 0) AS passed_checks,
        coalesce(checks.failed_checks, 0) AS failed_checks,
        coalesce(checks.failed_critical, 0) AS failed_critical,
        CASE
            WHEN checks.checks IS NULL THEN 'not checked'
            WHEN checks.failed_critical > 0 THEN 'failed'
            WHEN checks.failed_checks > 0 THEN 'passed with warnings'
            ELSE 'passed'
        END AS quality_status,
        CASE
            WHEN checks.checks IS NULL THEN NULL
            ELSE checks.passed_checks / checks.checks
        END AS pass_rate
    FROM runs
    LEFT JOIN checks
        ON checks.run_id = runs.run_id
)

SELECT *
FROM joined
