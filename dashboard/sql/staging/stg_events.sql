-- Events for charts. event_date is a DATE, the first day of its period (day, month or year
-- precision, event_date_end the last): event_day keeps it for charts and ranges, event_date
-- becomes the label a reader sees (2022-01-10, 2022-01, 2022), and date_confidence says
-- whether the date rests on a weak anchor.
WITH source AS (
    SELECT *
    FROM warehouse.events
),

renamed AS (
    SELECT
        event_id,
        CASE date_precision
            WHEN 'month' THEN strftime(event_date, '%Y-%m')
            WHEN 'year' THEN strftime(event_date, '%Y')
            ELSE strftime(event_date, '%Y-%m-%d')
        END AS event_date,
        coalesce(date_precision, 'unknown') AS date_precision,
        CAST(event_date AS DATE) AS event_day,
        CAST(event_date_end AS DATE) AS event_day_end,
        coalesce(date_confidence, 'unknown') AS date_confidence,
        event_type,
        cameo_root,
        cameo_code,
        plover_category,
        modality,
        location,
        CAST(location_lat AS DOUBLE) AS lat,
        CAST(location_lon AS DOUBLE) AS lon,
        actor1 AS actor1_id,
        actor2 AS actor2_id,
        actor1_code,
        actor2_code,
        actors AS actor_ids,
        summary,
        CAST(num_mentions AS INTEGER) AS num_mentions,
        CAST(num_articles AS INTEGER) AS num_articles,
        CAST(num_sources AS INTEGER) AS num_sources,
        CAST(num_copies AS INTEGER) AS num_copies,
        CAST(first_seen AS TIMESTAMP) AS first_seen,
        CAST(last_seen AS TIMESTAMP) AS last_seen
    FROM source
)

SELECT *
FROM renamed
