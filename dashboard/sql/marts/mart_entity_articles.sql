-- The canonical articles that name an entity, with how often: the drill-down from an entity.
-- Reads mart_article_index, which the dashboard keeps in memory.
WITH mentions AS (
    SELECT
        entity_id,
        article_id,
        count(*) AS mentions,
        min(sentence_index) AS first_sentence
    FROM stg_entity_mentions
    GROUP BY entity_id, article_id
),

with_articles AS (
    SELECT
        mentions.entity_id,
        mentions.article_id,
        articles.title,
        articles.publisher,
        articles.article_day,
        mentions.mentions,
        mentions.first_sentence
    FROM mentions
    INNER JOIN mart_article_index AS articles
        ON articles.article_id = mentions.article_id
    WHERE NOT articles.is_duplicate
)

SELECT *
FROM with_articles
