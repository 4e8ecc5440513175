-- The bodies snippets are cut from, and the current dedup verdict, of a page of hits.
SELECT article_id, body, is_duplicate
FROM articles
WHERE article_id IN (SELECT unnest(?))
