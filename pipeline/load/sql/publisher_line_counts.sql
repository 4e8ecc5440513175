-- History for the learned boilerplate signal: how many articles of a publisher carried a line,
-- versions of one story (clean.recurring.story_key) counted once.
SELECT
    publisher,
    line_hash,
    count(DISTINCT coalesce(story_key, article_id)) AS n_articles
FROM publisher_lines
WHERE seen_at >= ?
GROUP BY
    publisher,
    line_hash
