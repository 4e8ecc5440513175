-- Each event's mentions with their sentence and the article that carries it.
WITH mentions AS (
    SELECT
        event_id,
        article_id,
        sentence,
        date_text,
        confidence
    FROM stg_event_mentions
),

with_articles AS (
    SELECT
        mentions.event_id,
        mentions.article_id,
        articles.title,
        articles.publisher,
        articles.article_day,
        articles.is_duplicate,
        mentions.sentence,
        mentions.date_text,
        mentions.confidence
    FROM mentions
    INNER JOIN mart_article_index AS articles
        ON articles.article_id = mentions.article_id
)

SELECT *
FROM with_articles
