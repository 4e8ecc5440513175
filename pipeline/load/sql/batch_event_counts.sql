-- A lake batch appended whole (docs/lake.md): its events with the counts its own mentions give,
-- as refresh_event_counts.sql computes them over all mentions; the events view adds them to
-- earlier runs' (and recounts the sources, a distinct count, of an event several runs report).
-- An event none of the batch's mentions reports keeps the counts it carries, as a refresh would.
SELECT
    e.* REPLACE (
        coalesce(c.num_mentions, e.num_mentions)::INTEGER AS num_mentions,
        coalesce(c.num_articles, e.num_articles)::INTEGER AS num_articles,
        coalesce(c.num_sources, e.num_sources)::INTEGER AS num_sources,
        coalesce(c.first_seen, e.first_seen) AS first_seen,
        coalesce(c.last_seen, e.last_seen) AS last_seen,
        0 AS num_copies
    )
FROM batch_events AS e
LEFT JOIN (
    SELECT
        em.event_id,
        count(*) AS num_mentions,
        count(DISTINCT em.article_id) AS num_articles,
        count(DISTINCT {article_source})
            AS num_sources,
        min(coalesce(a.first_seen_at, a.published_at)) AS first_seen,
        max(coalesce(a.first_seen_at, a.published_at)) AS last_seen
    FROM batch_event_mentions AS em
    LEFT JOIN batch_articles AS a
        ON a.article_id = em.article_id
    GROUP BY em.event_id
) AS c
    ON c.event_id = e.event_id
