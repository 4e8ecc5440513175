-- The canonical articles of the runs being evaluated, with their run.
SELECT article_id, run_id
FROM articles
WHERE run_id IN (SELECT unnest($1)) AND NOT is_duplicate
ORDER BY article_id
