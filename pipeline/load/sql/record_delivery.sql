-- One delivery pass's outcome for an alert: ($1 id, $2 status, $3 attempts so far, $4 when
-- delivered, $5 the last error).
UPDATE alerts
SET status = $2, attempts = $3, delivered_at = coalesce($4, delivered_at), last_error = $5
WHERE alert_id = $1
