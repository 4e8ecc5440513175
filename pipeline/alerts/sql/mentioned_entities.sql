-- Which of some entities each of some articles mentions.
SELECT DISTINCT article_id, entity_id
FROM entity_mentions
WHERE article_id IN (SELECT unnest($1)) AND entity_id IN (SELECT unnest($2))
ORDER BY article_id, entity_id
