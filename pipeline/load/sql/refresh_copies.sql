-- How many copies (duplicates) of the canonical articles that name an entity (report an
-- event) were stored: linked through their canonical, never counted (docs/copies.md). Only
-- the rows in `touched` are refreshed. {kind} is entity or event (refresh_sql fills it in).
WITH counted AS (
    SELECT DISTINCT
        m.{kind}_id,
        m.article_id
    FROM {kind}_mentions AS m
    JOIN touched
        ON touched.id = m.{kind}_id
),

copies AS (
    SELECT
        duplicate_of AS article_id,
        count(*) AS num_copies
    FROM articles
    WHERE is_duplicate AND duplicate_of IN (SELECT article_id FROM counted)
    GROUP BY duplicate_of
),

totals AS (
    SELECT
        touched.id AS {kind}_id,
        coalesce(sum(copies.num_copies), 0) AS num_copies
    FROM touched
    LEFT JOIN counted
        ON counted.{kind}_id = touched.id
    LEFT JOIN copies
        ON copies.article_id = counted.article_id
    GROUP BY touched.id
)

UPDATE {table}
SET num_copies = totals.num_copies
FROM totals
WHERE {table}.{kind}_id = totals.{kind}_id
