-- A lake batch appended whole (docs/lake.md): its entities with the counts its own mentions give
-- (every article of such a batch is new and canonical), which the entities view adds to the
-- counts of earlier runs. An entity the batch carries but no mention names adds nothing.
SELECT
    e.* REPLACE (
        coalesce(c.article_count, 0)::INTEGER AS article_count,
        coalesce(c.mention_count, 0)::INTEGER AS mention_count,
        0 AS num_copies
    )
FROM batch_entities AS e
LEFT JOIN (
    SELECT
        entity_id,
        count(DISTINCT article_id) AS article_count,
        count(*) AS mention_count
    FROM batch_mentions
    GROUP BY entity_id
) AS c
    ON c.entity_id = e.entity_id
