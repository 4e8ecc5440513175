-- One row per article to index: its text fields, its date (published, else the date its
-- text was anchored to, else first seen), the entities it mentions and the event categories
-- of the events it reports. {where} selects the articles (the new runs', or all); the mention
-- tables are read for those articles only.
WITH chosen AS (
    SELECT
        a.article_id,
        a.title,
        a.body,
        a.byline,
        a.publisher,
        a.language,
        coalesce(a.published_at, a.date_anchor, a.first_seen_at) AS published_at,
        a.is_duplicate
    FROM articles a
    WHERE {where}
),
entity_lists AS (
    SELECT m.article_id, list(DISTINCT m.entity_id) AS entity_ids
    FROM entity_mentions m
    WHERE m.article_id IN (SELECT article_id FROM chosen)
    GROUP BY m.article_id
),
event_lists AS (
    SELECT em.article_id, list(DISTINCT e.event_type) AS event_types
    FROM event_mentions em
    JOIN events e USING (event_id)
    WHERE em.article_id IN (SELECT article_id FROM chosen)
    GROUP BY em.article_id
)
SELECT chosen.*, entity_lists.entity_ids, event_lists.event_types
FROM chosen
LEFT JOIN entity_lists USING (article_id)
LEFT JOIN event_lists USING (article_id)
