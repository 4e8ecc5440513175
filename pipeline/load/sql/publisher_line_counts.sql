-- History for the learned boilerplate signal: how many articles of a publisher carried a line.
SELECT
    publisher,
    line_hash,
    count(DISTINCT article_id) AS n_articles
FROM publisher_lines
WHERE seen_at >= ?
GROUP BY
    publisher,
    line_hash
