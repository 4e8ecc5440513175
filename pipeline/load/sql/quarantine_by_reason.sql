-- A run's quarantine, by stage (in pipeline order) and reason: what the run summary lists.
SELECT
    stage,
    reason_code,
    count(*) AS items,
    min(message) AS example
FROM quarantine
WHERE list_contains(?::VARCHAR[], run_id)
GROUP BY stage, reason_code
ORDER BY coalesce(list_position(['ingest', 'clean', 'dedup', 'extract', 'validate'], stage), 99), items DESC, reason_code
