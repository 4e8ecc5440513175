-- The events each article reports, with how many of its sentences report them.
WITH mentions AS (
    SELECT
        article_id,
        event_id,
        start_char
    FROM stg_event_mentions
),

per_event AS (
    SELECT
        mentions.article_id,
        mentions.event_id,
        events.event_type,
        events.event_date,
        events.location,
        events.summary,
        count(*) AS sentences,
        min(mentions.start_char) AS first_char
    FROM mentions
    INNER JOIN stg_events AS events
        ON events.event_id = mentions.event_id
    GROUP BY
        mentions.article_id,
        mentions.event_id,
        events.event_type,
        events.event_date,
        events.location,
        events.summary
)

SELECT *
FROM per_event
