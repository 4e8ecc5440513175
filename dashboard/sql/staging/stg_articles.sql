-- One row per stored article (canonicals and duplicates). article_day is the day an article
-- is counted on: its publication date, else the date its relative dates were anchored to,
-- else the day it was first seen, so period filters still find undated articles. is_dated
-- says whether that day comes from the article (publication, dateline, reported date) rather
-- than from when newsmon fetched it: timelines plot dated articles only.
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
        CAST(coalesce(published_at, date_anchor, first_seen_at) AS DATE) AS article_day,
        coalesce(published_at IS NOT NULL OR date_anchor_source <> 'fetched', false) AS is_dated,
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
