-- Mentions and articles per entity and day, over canonical articles only (a story
-- syndicated ten times is counted once); is_dated apart, so timelines can leave out the
-- undated articles' fetch days while totals count every article.
WITH canonical_articles AS (
    SELECT
        article_id,
        article_day,
        is_dated
    FROM stg_articles
    WHERE NOT is_duplicate
),

mentions AS (
    SELECT
        mentions.entity_id,
        mentions.article_id,
        canonical_articles.article_day,
        canonical_articles.is_dated
    FROM stg_entity_mentions AS mentions
    INNER JOIN canonical_articles
        ON canonical_articles.article_id = mentions.article_id
),

daily AS (
    SELECT
        entity_id,
        article_day,
        is_dated,
        count(*) AS mentions,
        count(DISTINCT article_id) AS articles
    FROM mentions
    GROUP BY entity_id, article_day, is_dated
),

named AS (
    SELECT
        daily.entity_id,
        entities.entity_name,
        entities.entity_type,
        daily.article_day,
        daily.is_dated,
        daily.mentions,
        daily.articles
    FROM daily
    INNER JOIN stg_entities AS entities
        ON entities.entity_id = daily.entity_id
)

SELECT *
FROM named
