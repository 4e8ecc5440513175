-- newsmon warehouse (DuckDB). Table and column names are the contract that queries and
-- dashboards depend on; the JSON Schemas beside this file describe the same records.
-- This is the current schema, what a new warehouse is created with. Changing a table here
-- needs a migration for existing warehouses: see pipeline/load/migrations.py.

CREATE TABLE IF NOT EXISTS documents (
    doc_id            VARCHAR PRIMARY KEY,
    source_kind       VARCHAR NOT NULL,
    source_uri        VARCHAR NOT NULL,
    fetched_at        TIMESTAMP NOT NULL,
    raw_sha256        VARCHAR NOT NULL,
    raw_text          VARCHAR,
    status            VARCHAR NOT NULL,
    content_type      VARCHAR,
    encoding          VARCHAR,
    feed_name         VARCHAR,
    url               VARCHAR,
    content_origin    VARCHAR,
    source_size       BIGINT,
    source_mtime_ns   BIGINT,
    run_id            VARCHAR
);

CREATE TABLE IF NOT EXISTS articles (
    article_id        VARCHAR PRIMARY KEY,
    doc_id            VARCHAR NOT NULL,
    source_uri        VARCHAR NOT NULL,
    url               VARCHAR,
    title             VARCHAR,
    publisher         VARCHAR,
    byline            VARCHAR,
    published_at      TIMESTAMP,
    language          VARCHAR,
    body              VARCHAR NOT NULL,
    word_count        INTEGER NOT NULL,
    content_hash      VARCHAR NOT NULL,
    is_duplicate      BOOLEAN NOT NULL,
    duplicate_of      VARCHAR,
    similarity        DOUBLE,
    cluster_id        VARCHAR,
    first_seen_at     TIMESTAMP,
    date_anchor       TIMESTAMP,
    date_anchor_source VARCHAR,
    published_offset_minutes INTEGER,  -- the publisher's UTC offset: local time = published_at + offset
    run_id            VARCHAR
);

CREATE TABLE IF NOT EXISTS boilerplate_removed (
    article_id        VARCHAR NOT NULL,
    position          INTEGER NOT NULL,
    rule              VARCHAR NOT NULL,
    text              VARCHAR NOT NULL,
    PRIMARY KEY (article_id, position)
);

CREATE TABLE IF NOT EXISTS captions (
    article_id        VARCHAR NOT NULL,
    position          INTEGER NOT NULL,
    text              VARCHAR NOT NULL,
    PRIMARY KEY (article_id, position)
);

CREATE TABLE IF NOT EXISTS article_signatures (
    article_id        VARCHAR PRIMARY KEY,
    content_hash      VARCHAR NOT NULL,
    num_perm          INTEGER NOT NULL,
    hashvalues        BLOB NOT NULL,
    shingle_count     INTEGER NOT NULL,
    published_at      TIMESTAMP,
    first_seen_at     TIMESTAMP,
    shingle_hashes    BLOB NOT NULL,
    shingle_size      INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS publisher_lines (
    publisher         VARCHAR NOT NULL,
    line_hash         VARCHAR NOT NULL,
    article_id        VARCHAR NOT NULL,
    seen_at           TIMESTAMP NOT NULL,
    story_key         VARCHAR,  -- NULL in rows loaded before it existed: they count by article
    PRIMARY KEY (publisher, line_hash, article_id)
);

CREATE TABLE IF NOT EXISTS entities (
    entity_id         VARCHAR PRIMARY KEY,
    canonical_name    VARCHAR NOT NULL,
    entity_type       VARCHAR NOT NULL,
    aliases           VARCHAR[] NOT NULL,
    country_code      VARCHAR,
    lat               DOUBLE,
    lon               DOUBLE,
    article_count     INTEGER NOT NULL,
    mention_count     INTEGER NOT NULL,
    type_confidence   DOUBLE,
    num_copies        INTEGER NOT NULL DEFAULT 0  -- copies of the articles counted: never counted (docs/copies.md)
);

CREATE TABLE IF NOT EXISTS entity_mentions (
    article_id        VARCHAR NOT NULL,
    entity_id         VARCHAR NOT NULL,
    surface           VARCHAR NOT NULL,
    start_char        INTEGER NOT NULL,
    end_char          INTEGER NOT NULL,
    sentence_index    INTEGER NOT NULL,
    entity_type       VARCHAR,
    PRIMARY KEY (article_id, start_char, end_char)
);

-- An entity id that now names another entity (a surname-only entity whose full name arrived in a
-- later run): the old id stays resolvable here; its mentions and event actors are re-pointed.
CREATE TABLE IF NOT EXISTS entity_aliases (
    alias_id          VARCHAR PRIMARY KEY,
    entity_id         VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS events (
    event_id          VARCHAR PRIMARY KEY,
    event_date        DATE,
    date_precision    VARCHAR,
    event_type        VARCHAR NOT NULL,
    cameo_root        VARCHAR NOT NULL,
    modality          VARCHAR NOT NULL,
    location          VARCHAR,
    location_lat      DOUBLE,
    location_lon      DOUBLE,
    actor1            VARCHAR,
    actor2            VARCHAR,
    actors            VARCHAR[] NOT NULL,
    summary           VARCHAR,
    num_mentions      INTEGER NOT NULL,
    num_articles      INTEGER NOT NULL,
    num_sources       INTEGER NOT NULL,
    first_seen        TIMESTAMP,
    last_seen         TIMESTAMP,
    cameo_code        VARCHAR,
    plover_category   VARCHAR,
    actor1_code       VARCHAR,
    actor2_code       VARCHAR,
    event_date_end    DATE,
    date_confidence   VARCHAR,
    num_copies        INTEGER NOT NULL DEFAULT 0  -- copies of the articles counted: never counted (docs/copies.md)
);

CREATE TABLE IF NOT EXISTS event_mentions (
    event_id          VARCHAR NOT NULL,
    article_id        VARCHAR NOT NULL,
    sentence          VARCHAR NOT NULL,
    date_text         VARCHAR,
    start_char        INTEGER NOT NULL,
    end_char          INTEGER NOT NULL,
    confidence        DOUBLE NOT NULL,
    event_type        VARCHAR,
    event_date        DATE,
    date_precision    VARCHAR,
    modality          VARCHAR,
    actors            VARCHAR[],
    location          VARCHAR,
    cameo_code        VARCHAR,
    actor1            VARCHAR,
    actor2            VARCHAR,
    actor1_code       VARCHAR,
    actor2_code       VARCHAR,
    attribution       VARCHAR,
    pattern           VARCHAR,
    trigger_start     INTEGER,
    trigger_end       INTEGER,
    event_date_end    DATE,
    date_confidence   VARCHAR,
    PRIMARY KEY (article_id, start_char, event_type)
);

CREATE TABLE IF NOT EXISTS quarantine (
    item_id           VARCHAR NOT NULL,
    stage             VARCHAR NOT NULL,
    reason_code       VARCHAR NOT NULL,
    message           VARCHAR NOT NULL,
    payload           VARCHAR,
    run_id            VARCHAR NOT NULL,
    quarantined_at    TIMESTAMP NOT NULL,
    PRIMARY KEY (item_id, stage, reason_code)
);

CREATE TABLE IF NOT EXISTS feed_state (
    feed_name         VARCHAR PRIMARY KEY,
    url               VARCHAR NOT NULL,
    etag              VARCHAR,
    last_modified     VARCHAR,
    content_sha256    VARCHAR,
    seen_entry_ids    VARCHAR[] NOT NULL,
    last_status       VARCHAR,
    consecutive_failures INTEGER NOT NULL,
    next_retry_at     TIMESTAMP,
    last_fetched_at   TIMESTAMP
);

CREATE TABLE IF NOT EXISTS pipeline_runs (
    run_id            VARCHAR PRIMARY KEY,
    started_at        TIMESTAMP NOT NULL,
    finished_at       TIMESTAMP,
    trigger           VARCHAR NOT NULL,
    stats             JSON
);

CREATE TABLE IF NOT EXISTS quality_results (
    run_id            VARCHAR NOT NULL,
    suite             VARCHAR NOT NULL,
    expectation       VARCHAR NOT NULL,
    success           BOOLEAN NOT NULL,
    observed_value    VARCHAR,
    details           VARCHAR,
    severity          VARCHAR NOT NULL,
    PRIMARY KEY (run_id, suite, expectation)
);

-- Monitoring: what the watchlists matched (each match once, ever) and how its delivery went.
-- Written by the load layer (Warehouse.save_alerts / record_deliveries) after a publish.
CREATE TABLE IF NOT EXISTS alerts (
    alert_id          VARCHAR PRIMARY KEY,  -- stable_id(watch, item_kind, item_id)
    watch             VARCHAR NOT NULL,
    item_kind         VARCHAR NOT NULL,     -- article | event | event_followup
    item_id           VARCHAR NOT NULL,     -- the article or event id
    article_id        VARCHAR,
    event_id          VARCHAR,
    title             VARCHAR,
    matched_terms     VARCHAR[] NOT NULL,
    sources           INTEGER,              -- an event's sources when it was alerted
    run_id            VARCHAR NOT NULL,     -- the published run whose data matched
    first_seen        TIMESTAMP NOT NULL,
    status            VARCHAR NOT NULL,     -- pending | delivered | failed | no_target
    attempts          INTEGER NOT NULL,
    delivered_at      TIMESTAMP,
    last_error        VARCHAR
);

-- The published runs the watchlists have been evaluated on: the next evaluation reads only
-- the others (incremental: its cost grows with the new data).
CREATE TABLE IF NOT EXISTS alert_runs (
    run_id            VARCHAR PRIMARY KEY,
    evaluated_at      TIMESTAMP NOT NULL,
    alerts            INTEGER NOT NULL
);
