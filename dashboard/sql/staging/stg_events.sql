-- Events with a real DATE for charts. event_date is ISO text at day, month or year
-- precision; month and year dates are placed on their first day and keep their precision.
WITH source AS (
    SELECT *
    FROM warehouse.events
),

renamed AS (
    SELECT
        event_id,
        event_date,
        coalesce(date_precision, 'unknown') AS date_precision,
        CASE
            WHEN date_precision = 'day' THEN try_cast(event_date AS DATE)
            WHEN date_precision = 'month' THEN try_cast(event_date || '-01' AS DATE)
            WHEN date_precision = 'year' THEN try_cast(event_date || '-01-01' AS DATE)
            ELSE try_cast(event_date AS DATE)
        END AS event_day,
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
        CAST(first_seen AS TIMESTAMP) AS first_seen,
        CAST(last_seen AS TIMESTAMP) AS last_seen
    FROM source
)

SELECT *
FROM renamed
