-- Which entity each article names, as 64-bit hashes of the two ids: the dashboard keeps this
-- in memory sorted by entity, so "the articles naming X" reads only X's rows instead of
-- scanning every mention in the file. (Two ids sharing a hash among a few million is
-- about as likely as one in 10^7.)
WITH mentions AS (
    SELECT
        hash(entity_id) AS entity_key,
        hash(article_id) AS article_key
    FROM stg_entity_mentions
)

SELECT *
FROM mentions
