-- Published runs the watchlists have not been evaluated on yet.
SELECT run_id
FROM pipeline_runs
WHERE run_id NOT IN (SELECT run_id FROM alert_runs)
ORDER BY run_id
