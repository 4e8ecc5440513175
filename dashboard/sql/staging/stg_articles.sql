-- One row per stored article (canonicals and duplicates). article_day is the day an article
-- is counted on: its publication date, else the day its own text dates it to (a dateline, its
-- latest past date). An article with neither has no day (NULL): the day newsmon fetched it
-- says nothing about when the story happened, so it is not plotted there.
WITH source AS (
    SELECT *
    FROM warehouse.articles
),

renamed AS (
    SELECT
        article_id,
        doc_id,
        source_uri,
        url,
        coalesce(nullif(trim(title), ''), '(untitled)') AS title,
        coalesce(nullif(trim(publisher), ''), '(unknown)') AS publisher,
        byline,
        CAST(published_at AS TIMESTAMP) AS published_at,
        CAST(coalesce(published_at, CASE WHEN date_anchor_source IN ('published', 'inferred') THEN date_anchor END)
            AS DATE) AS article_day,
        language,
        body,
        CAST(word_count AS INTEGER) AS word_count,
        content_hash,
        CAST(is_duplicate AS BOOLEAN) AS is_duplicate,
        duplicate_of,
        CAST(similarity AS DOUBLE) AS similarity,
        coalesce(cluster_id, article_id) AS cluster_id,
        CAST(first_seen_at AS TIMESTAMP) AS first_seen_at,
        run_id
    FROM source
)

SELECT *
FROM renamed
