SELECT
    run_id,
    started_at,
    finished_at,
    stats,
    trigger
FROM pipeline_runs
ORDER BY finished_at DESC
LIMIT 1
