-- Events with their actors' names, ready to filter by type and actor.
WITH events AS (
    SELECT *
    FROM stg_events
),

actor_names AS (
    SELECT
        events.event_id,
        list(entities.entity_name ORDER BY entities.entity_name) AS actor_names
    FROM events
    CROSS JOIN unnest(events.actor_ids) AS actor(actor_id)
    INNER JOIN stg_entities AS entities
        ON entities.entity_id = actor.actor_id
    GROUP BY events.event_id
),

named AS (
    SELECT
        events.event_id,
        events.event_day,
        events.event_date,
        events.date_precision,
        events.event_day_end,
        events.date_confidence,
        events.event_type,
        events.cameo_root,
        events.cameo_code,
        events.plover_category,
        events.modality,
        events.location,
        events.lat,
        events.lon,
        coalesce(actor_names.actor_names, []) AS actor_names,
        events.actor1_code,
        events.actor2_code,
        events.summary,
        events.num_mentions,
        events.num_articles,
        events.num_sources,
        events.num_copies
    FROM events
    LEFT JOIN actor_names
        ON actor_names.event_id = events.event_id
)

SELECT *
FROM named
