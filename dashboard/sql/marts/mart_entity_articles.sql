-- The canonical articles that name an entity, with how often: the drill-down from an entity.
-- Joins before it aggregates, so a filter on the day reaches the (in-memory) article index
-- and only that period's mentions are grouped.
WITH canonical_articles AS (
    SELECT
        article_id,
        title,
        publisher,
        article_day
    FROM mart_article_index
    WHERE NOT is_duplicate
),

mentions AS (
    SELECT
        mentions.entity_id,
        mentions.article_id,
        mentions.sentence_index,
        canonical_articles.title,
        canonical_articles.publisher,
        canonical_articles.article_day
    FROM stg_entity_mentions AS mentions
    INNER JOIN canonical_articles
        ON canonical_articles.article_id = mentions.article_id
),

per_article AS (
    SELECT
        entity_id,
        article_id,
        title,
        publisher,
        article_day,
        count(*) AS mentions,
        min(sentence_index) AS first_sentence
    FROM mentions
    GROUP BY
        entity_id,
        article_id,
        title,
        publisher,
        article_day
)

SELECT *
FROM per_article
