"""Every query the pages run, by name, so benchmarks/query_bench.py times the same SQL.

"snapshot" queries read the materialised marts (``snapshot.mart_*``); "live" queries filter
the views over the attached warehouse on one id. Parameters are DuckDB named parameters
(``$name``); a None filter means "all".
"""

from __future__ import annotations

from dashboard.data import Query

# --- Overview ----------------------------------------------------------------------------
OVERVIEW = Query("overview", """
SELECT *
FROM snapshot.mart_overview
""", "snapshot")

ARTICLES_PER_DAY = Query("articles_per_day", """
SELECT
    article_day,
    canonical_articles,
    duplicate_articles
FROM snapshot.mart_articles_daily
ORDER BY article_day
""", "snapshot")

TOP_PUBLISHERS = Query("top_publishers", """
SELECT
    publisher,
    canonical_articles,
    duplicate_articles,
    duplicate_share
FROM snapshot.mart_publishers
ORDER BY canonical_articles DESC, publisher
LIMIT $limit
""", "snapshot")

QUARANTINE_REASONS = Query("quarantine_reasons", """
SELECT
    stage,
    reason_code,
    items,
    last_quarantined_at
FROM snapshot.mart_quarantine_reasons
ORDER BY items DESC, stage, reason_code
""", "snapshot")

LAST_RUN = Query("last_run", """
SELECT *
FROM snapshot.mart_runs
ORDER BY started_at DESC, run_id DESC
LIMIT 1
""", "snapshot")

# --- Entities ----------------------------------------------------------------------------
ENTITY_PERIOD = Query("entity_period", """
SELECT
    min(first_day) AS first_day,
    max(last_day) AS last_day
FROM snapshot.mart_entity_totals
""", "snapshot")

ENTITY_TYPES = Query("entity_types", """
SELECT
    entity_type,
    count(*) AS entities
FROM snapshot.mart_entity_totals
GROUP BY entity_type
ORDER BY entities DESC, entity_type
""", "snapshot")

# The entities' figures over the whole period (no daily rows needed) and over a chosen one:
# the top lists, and one entity by id (a link to one outside the top list).
_ENTITY_TOTALS = """
SELECT
    entity_id,
    entity_name,
    entity_type,
    articles,
    mentions
FROM snapshot.mart_entity_totals
"""

_ENTITY_PERIOD_SUMS = """
SELECT
    entity_id,
    entity_name,
    entity_type,
    CAST(sum(articles) AS BIGINT) AS articles,
    CAST(sum(mentions) AS BIGINT) AS mentions
FROM snapshot.mart_entity_daily
WHERE article_day BETWEEN $first_day AND $last_day
"""

TOP_ENTITIES_ALL_TIME = Query("top_entities_all_time", _ENTITY_TOTALS + """\
WHERE $entity_type IS NULL OR entity_type = $entity_type
ORDER BY articles DESC, mentions DESC, entity_name
LIMIT $limit
""", "snapshot")

TOP_ENTITIES = Query("top_entities", _ENTITY_PERIOD_SUMS + """\
    AND ($entity_type IS NULL OR entity_type = $entity_type)
GROUP BY entity_id, entity_name, entity_type
ORDER BY articles DESC, mentions DESC, entity_name
LIMIT $limit
""", "snapshot")

ENTITY_ALL_TIME = Query("entity_all_time", _ENTITY_TOTALS + """\
WHERE entity_id = $entity_id
""", "snapshot")

ENTITY_IN_PERIOD = Query("entity_in_period", _ENTITY_PERIOD_SUMS + """\
    AND entity_id = $entity_id
GROUP BY entity_id, entity_name, entity_type
""", "snapshot")

ENTITY_TIMELINE = Query("entity_timeline", """
SELECT
    article_day,
    mentions,
    articles
FROM snapshot.mart_entity_daily
WHERE entity_id = $entity_id
    AND is_dated
    AND article_day BETWEEN $first_day AND $last_day
ORDER BY article_day
""", "snapshot")

# Who appears with the entity, over its latest canonical articles in the period. The cap
# bounds the work for the most named entities (at a million articles one can be in a third
# of them); the page says when it applies.
COOCCURRENCE_ARTICLE_CAP = 5000

ENTITY_COOCCURRENCE = Query("entity_cooccurrence", f"""
WITH chosen_articles AS (
    SELECT DISTINCT
        articles.article_key,
        articles.article_day
    FROM snapshot.mart_entity_article_index AS pairs
    INNER JOIN snapshot.mart_article_index AS articles
        ON articles.article_key = pairs.article_key
    WHERE pairs.entity_key = hash($entity_id)
        AND NOT articles.is_duplicate
        AND articles.article_day BETWEEN $first_day AND $last_day
    ORDER BY articles.article_day DESC, articles.article_key
    LIMIT {COOCCURRENCE_ARTICLE_CAP}
),

others AS (
    SELECT
        pairs.entity_key,
        count(DISTINCT pairs.article_key) AS shared_articles
    FROM snapshot.mart_entity_article_index AS pairs
    SEMI JOIN chosen_articles
        ON chosen_articles.article_key = pairs.article_key
    WHERE pairs.entity_key <> hash($entity_id)
    GROUP BY pairs.entity_key
),

entities AS (
    SELECT
        entity_id,
        hash(entity_id) AS entity_key,
        entity_name,
        entity_type
    FROM stg_entities
)

SELECT
    entities.entity_id AS other_entity_id,
    entities.entity_name AS other_name,
    entities.entity_type AS other_type,
    others.shared_articles
FROM others
INNER JOIN entities
    ON entities.entity_key = others.entity_key
ORDER BY others.shared_articles DESC, other_name
LIMIT $limit
""", "live")

ENTITY_ARTICLES = Query("entity_articles", """
SELECT
    article_id,
    title,
    publisher,
    article_day,
    mentions
FROM mart_entity_articles
WHERE entity_id = $entity_id
    AND article_day BETWEEN $first_day AND $last_day
ORDER BY mentions DESC, article_day DESC, article_id
LIMIT $limit
""", "live")

# --- Events ------------------------------------------------------------------------------
_EVENT_FILTER = """($event_type IS NULL OR event_type = $event_type)
    AND ($actor IS NULL OR list_contains(actor_names, $actor))"""

EVENT_TYPES = Query("event_types", """
SELECT
    event_type,
    count(*) AS events
FROM snapshot.mart_events
GROUP BY event_type
ORDER BY events DESC, event_type
""", "snapshot")

EVENT_ACTORS = Query("event_actors", """
SELECT
    actor.actor_name,
    count(*) AS events
FROM snapshot.mart_events
CROSS JOIN unnest(actor_names) AS actor(actor_name)
GROUP BY actor.actor_name
ORDER BY events DESC, actor.actor_name
LIMIT $limit
""", "snapshot")

EVENT_TOTALS = Query("event_totals", f"""
SELECT
    count(*) AS events,
    CAST(coalesce(sum(num_mentions), 0) AS BIGINT) AS mentions,
    count(*) FILTER (WHERE lat IS NOT NULL AND lon IS NOT NULL) AS located_events
FROM snapshot.mart_events
WHERE {_EVENT_FILTER}
""", "snapshot")

EVENT_TIMELINE = Query("event_timeline", f"""
SELECT
    event_day,
    event_type,
    count(*) AS events,
    CAST(sum(num_mentions) AS BIGINT) AS mentions
FROM snapshot.mart_events
WHERE event_day IS NOT NULL
    AND {_EVENT_FILTER}
GROUP BY event_day, event_type
ORDER BY event_day, event_type
""", "snapshot")

EVENT_MAP_POINTS = Query("event_map_points", f"""
SELECT
    lat,
    lon,
    coalesce(location, '') AS location,
    count(*) AS events,
    CAST(sum(num_mentions) AS BIGINT) AS mentions
FROM snapshot.mart_events
WHERE lat IS NOT NULL
    AND lon IS NOT NULL
    AND {_EVENT_FILTER}
GROUP BY lat, lon, location
ORDER BY mentions DESC
LIMIT $limit
""", "snapshot")

EVENT_LIST = Query("event_list", f"""
SELECT
    event_id,
    event_day,
    event_date,
    date_precision,
    date_confidence,
    event_type,
    cameo_code,
    plover_category,
    modality,
    location,
    array_to_string(actor_names, ', ') AS actors,
    concat_ws(' -> ', actor1_code, actor2_code) AS actor_codes,
    summary,
    num_mentions,
    num_articles,
    num_sources,
    num_copies
FROM snapshot.mart_events
WHERE {_EVENT_FILTER}
ORDER BY num_mentions DESC, event_day DESC NULLS LAST, event_id
LIMIT $limit
""", "snapshot")

EVENT_MENTIONS = Query("event_mentions", """
SELECT
    article_id,
    title,
    publisher,
    article_day,
    is_duplicate,
    sentence,
    date_text,
    confidence
FROM mart_event_mentions
WHERE event_id = $event_id
ORDER BY is_duplicate, article_day, article_id
LIMIT $limit
""", "live")

# --- Article explorer --------------------------------------------------------------------
ARTICLE_SEARCH = Query("article_search", """
SELECT
    article_id,
    title,
    publisher,
    article_day,
    is_duplicate
FROM snapshot.mart_article_index
WHERE $text = '' OR contains(lower(title), lower($text))
ORDER BY article_day DESC NULLS LAST, title, article_id
LIMIT $limit
""", "snapshot")

ARTICLE = Query("article", """
SELECT
    article_id,
    title,
    publisher,
    byline,
    published_at,
    article_day,
    language,
    url,
    source_uri,
    body,
    word_count,
    is_duplicate,
    duplicate_of,
    similarity,
    cluster_id
FROM stg_articles
WHERE article_id = $article_id
""", "live")

ARTICLE_BOILERPLATE = Query("article_boilerplate", """
SELECT
    position,
    rule,
    removed_text
FROM stg_boilerplate_removed
WHERE article_id = $article_id
ORDER BY position
""", "live")

ARTICLE_CAPTIONS = Query("article_captions", """
SELECT
    position,
    caption_text
FROM stg_captions
WHERE article_id = $article_id
ORDER BY position
""", "live")

ARTICLE_DUPLICATES = Query("article_duplicates", """
WITH chosen AS (
    SELECT
        cluster_id
    FROM snapshot.mart_article_index
    WHERE article_id = $article_id
)

SELECT
    members.article_id AS member_id,
    members.title AS member_title,
    members.publisher AS member_publisher,
    members.article_day AS member_day,
    members.is_duplicate AS member_is_duplicate,
    members.similarity AS member_similarity
FROM snapshot.mart_article_index AS members
INNER JOIN chosen
    ON chosen.cluster_id = members.cluster_id
WHERE members.article_id <> $article_id
ORDER BY member_is_duplicate, member_similarity DESC NULLS LAST, member_id
""", "snapshot")

ARTICLE_ENTITIES = Query("article_entities", """
SELECT
    entity_id,
    entity_name,
    entity_type,
    mentions,
    surfaces
FROM mart_article_entities
WHERE article_id = $article_id
ORDER BY mentions DESC, first_char
""", "live")

ARTICLE_EVENTS = Query("article_events", """
SELECT
    event_id,
    event_type,
    event_date,
    location,
    summary,
    sentences
FROM mart_article_events
WHERE article_id = $article_id
ORDER BY first_char
""", "live")

# --- Data quality ------------------------------------------------------------------------
QUALITY_LATEST = Query("quality_latest", """
SELECT
    run_id,
    suite,
    expectation,
    severity,
    success,
    observed_value,
    details
FROM snapshot.mart_quality_latest
ORDER BY success, severity, suite, expectation
""", "snapshot")

QUALITY_TREND = Query("quality_trend", """
SELECT
    run_id,
    started_at,
    quality_status,
    checks,
    passed_checks,
    failed_checks,
    failed_critical,
    pass_rate
FROM snapshot.mart_runs
WHERE checks > 0
ORDER BY started_at, run_id
""", "snapshot")

RECENT_RUNS = Query("recent_runs", """
SELECT
    run_id,
    started_at,
    finished_at,
    run_trigger,
    duration_seconds,
    quality_status
FROM snapshot.mart_runs
ORDER BY started_at DESC, run_id DESC
LIMIT $limit
""", "snapshot")

ALL_QUERIES = tuple(value for value in list(globals().values()) if isinstance(value, Query))
