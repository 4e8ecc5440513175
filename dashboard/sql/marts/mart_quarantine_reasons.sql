-- Quarantined items by the stage and reason that rejected them.
WITH quarantined AS (
    SELECT
        stage,
        reason_code,
        quarantined_at
    FROM stg_quarantine
),

per_reason AS (
    SELECT
        stage,
        reason_code,
        count(*) AS items,
        max(quarantined_at) AS last_quarantined_at
    FROM quarantined
    GROUP BY stage, reason_code
)

SELECT *
FROM per_reason
