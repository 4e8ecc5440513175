-- Events of the watched categories ($2) with at least $3 sources, mentioned by an article of
-- the runs being evaluated ($1): new events and events that grew. With every article that
-- reports each, and the latest of those runs.
WITH touched AS (
    SELECT em.event_id, max(a.run_id) AS run_id
    FROM event_mentions em
    JOIN articles a USING (article_id)
    WHERE a.run_id IN (SELECT unnest($1))
    GROUP BY em.event_id
)
SELECT e.event_id, e.event_type, e.num_sources, e.summary,
       (SELECT list(DISTINCT m.article_id ORDER BY m.article_id) FROM event_mentions m
        WHERE m.event_id = e.event_id) AS article_ids,
       t.run_id
FROM events e
JOIN touched t USING (event_id)
WHERE lower(e.event_type) IN (SELECT unnest($2)) AND e.num_sources >= $3
ORDER BY e.event_id
