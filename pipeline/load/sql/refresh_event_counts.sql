-- Event counts derive from event_mentions of canonical articles (a copy never corroborates,
-- docs/copies.md); {article_source} is an article's source (migrations.ARTICLE_SOURCE).
WITH mention_sources AS (
    SELECT
        em.event_id,
        em.article_id,
        {article_source} AS source,
        coalesce(a.first_seen_at, a.published_at) AS seen_at
    FROM event_mentions AS em
    JOIN touched
        ON touched.id = em.event_id
    LEFT JOIN articles AS a
        ON a.article_id = em.article_id
    WHERE NOT coalesce(a.is_duplicate, FALSE)
),

counts AS (
    SELECT
        event_id,
        count(*) AS num_mentions,
        count(DISTINCT article_id) AS num_articles,
        count(DISTINCT source) AS num_sources,
        min(seen_at) AS first_seen,
        max(seen_at) AS last_seen
    FROM mention_sources
    GROUP BY event_id
)

UPDATE events
SET
    num_mentions = counts.num_mentions,
    num_articles = counts.num_articles,
    num_sources = counts.num_sources,
    first_seen = counts.first_seen,
    last_seen = counts.last_seen
FROM counts
WHERE events.event_id = counts.event_id
