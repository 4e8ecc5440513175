-- Alerts still to deliver ($1: the most tries any alert gets), with what their message shows.
SELECT al.alert_id, al.watch, al.item_kind, al.item_id, al.title, al.matched_terms, al.sources,
       al.attempts, a.publisher, coalesce(a.published_at, a.date_anchor)::DATE AS published_at,
       coalesce(a.url, a.source_uri) AS url
FROM alerts al
LEFT JOIN articles a ON a.article_id = al.article_id
WHERE al.status IN ('pending', 'failed') AND al.attempts < $1
ORDER BY al.first_seen, al.alert_id
