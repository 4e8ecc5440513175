-- Mentions and articles per entity and day, over canonical articles only (a story
-- syndicated ten times is counted once).
WITH canonical_articles AS (
    SELECT
        article_id,
        article_day
    FROM stg_articles
    WHERE NOT is_duplicate
),

mentions AS (
    SELECT
        mentions.entity_id,
        mentions.article_id,
        canonical_articles.article_day
    FROM stg_entity_mentions AS mentions
    INNER JOIN canonical_articles
        ON canonical_articles.article_id = mentions.article_id
),

daily AS (
    SELECT
        entity_id,
        article_day,
        count(*) AS mentions,
        count(DISTINCT article_id) AS articles
    FROM mentions
    GROUP BY entity_id, article_day
),

named AS (
    SELECT
        daily.entity_id,
        entities.entity_name,
        entities.entity_type,
        daily.article_day,
        daily.mentions,
        daily.articles
    FROM daily
    INNER JOIN stg_entities AS entities
        ON entities.entity_id = daily.entity_id
)

SELECT *
FROM named
