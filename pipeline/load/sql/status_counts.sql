SELECT
    (SELECT count(*) FROM documents) AS documents,
    (SELECT count(*) FROM articles) AS articles,
    (SELECT count(*) FROM articles WHERE NOT is_duplicate) AS canonical_articles,
    (SELECT count(*) FROM articles WHERE is_duplicate) AS duplicates,
    (SELECT count(*) FROM boilerplate_removed) AS boilerplate_removed,
    (SELECT count(*) FROM quarantine) AS quarantined,
    (SELECT count(*) FROM entities) AS entities,
    (SELECT count(*) FROM entity_mentions) AS entity_mentions,
    (SELECT count(*) FROM events) AS events,
    (SELECT count(*) FROM event_mentions) AS event_mentions
