-- One row of headline figures. Articles are counted once each: canonicals are the
-- articles that are not duplicates; the share of duplicates is over all stored articles.
WITH documents AS (
    SELECT
        count(*) AS documents_read
    FROM stg_documents
),

articles AS (
    SELECT
        count(*) AS articles_stored,
        count(*) FILTER (WHERE NOT is_duplicate) AS canonical_articles,
        count(*) FILTER (WHERE is_duplicate) AS duplicate_articles,
        -- "(unknown)" stands for articles without a publisher: it is not one.
        count(DISTINCT publisher) FILTER (WHERE NOT is_duplicate AND publisher <> '(unknown)') AS publishers
    FROM stg_articles
),

quarantined AS (
    SELECT
        count(*) AS quarantined_items
    FROM stg_quarantine
),

entities AS (
    SELECT
        count(*) AS entities
    FROM stg_entities
),

events AS (
    SELECT
        count(*) AS events
    FROM stg_events
)

SELECT
    documents.documents_read,
    articles.articles_stored,
    articles.canonical_articles,
    articles.duplicate_articles,
    CASE
        WHEN articles.articles_stored = 0 THEN NULL
        ELSE articles.duplicate_articles / articles.articles_stored
    END AS duplicate_share,
    articles.publishers,
    quarantined.quarantined_items,
    entities.entities,
    events.events
FROM documents
CROSS JOIN articles
CROSS JOIN quarantined
CROSS JOIN entities
CROSS JOIN events
