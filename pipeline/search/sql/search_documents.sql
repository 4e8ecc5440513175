-- One row per article to index: its text fields, its date (published, else the date its
-- text was anchored to, else first seen), the entities it mentions and the event categories
-- of the events it reports. {where} selects the articles (the new runs', or all).
SELECT
    a.article_id,
    a.title,
    a.body,
    a.byline,
    a.publisher,
    a.language,
    coalesce(a.published_at, a.date_anchor, a.first_seen_at) AS published_at,
    a.is_duplicate,
    (SELECT list(DISTINCT m.entity_id) FROM entity_mentions m WHERE m.article_id = a.article_id) AS entity_ids,
    (SELECT list(DISTINCT e.event_type) FROM event_mentions em JOIN events e USING (event_id)
     WHERE em.article_id = a.article_id) AS event_types
FROM articles a
WHERE {where}
