-- Alerts, newest first; $1 a watch name or NULL, $2 first seen on or after, or NULL.
SELECT first_seen, watch, item_kind, item_id, title, matched_terms, sources, status, attempts,
       delivered_at, last_error, alert_id, run_id
FROM alerts
WHERE ($1 IS NULL OR watch = $1) AND ($2 IS NULL OR first_seen >= $2)
ORDER BY first_seen DESC, watch, item_id
LIMIT $3
