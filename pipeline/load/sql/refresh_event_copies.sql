-- How many copies (duplicates) of the canonical articles that report an event were stored:
-- linked to the event through their canonical, never counted (docs/copies.md). Only the
-- events in `touched` are refreshed.
WITH counted AS (
    SELECT DISTINCT
        m.event_id,
        m.article_id
    FROM event_mentions AS m
    JOIN touched
        ON touched.id = m.event_id
),

copies AS (
    SELECT
        duplicate_of AS article_id,
        count(*) AS num_copies
    FROM articles
    WHERE is_duplicate AND duplicate_of IN (SELECT article_id FROM counted)
    GROUP BY duplicate_of
),

totals AS (
    SELECT
        touched.id AS event_id,
        coalesce(sum(copies.num_copies), 0) AS num_copies
    FROM touched
    LEFT JOIN counted
        ON counted.event_id = touched.id
    LEFT JOIN copies
        ON copies.article_id = counted.article_id
    GROUP BY touched.id
)

UPDATE events
SET num_copies = totals.num_copies
FROM totals
WHERE events.event_id = totals.event_id
