"""The warehouse schema's version, and the ordered migrations that bring an older warehouse up to date.

Every writable open of the warehouse (the first thing `newsmon run`, and every DAG run, does)
calls :func:`migrate`. It keeps one row per applied migration in ``schema_version`` and:

- on a new, empty file: creates the tables from ``schemas/warehouse.sql`` (the current
  schema) and records every migration as applied, since that DDL already contains them;
- on an existing warehouse: creates tables it lacks from ``schemas/warehouse.sql`` (a new
  table needs no migration), then applies, in version order, each migration newer than the
  warehouse's version, each in its own transaction with its ``schema_version`` row, so an
  interrupted upgrade resumes where it stopped;
- on a warehouse written by a newer newsmon (a version this code does not know): refuses,
  with one line saying to upgrade, rather than writing rows the newer schema does not expect.

Warehouses from before this table existed are version 0, whatever their columns: every
migration uses ``IF NOT EXISTS`` so one finding its change already made does nothing.

How to change the schema (a new column, a changed default):

1. Change the table's definition in ``schemas/warehouse.sql`` (what a new warehouse gets),
   its JSON Schema beside it and its record in ``pipeline/records.py``.
2. Append a :class:`Migration` to ``MIGRATIONS`` with the next version number and SQL that
   turns the previous version's table into that definition, written so it does nothing when
   the change is already there (``ADD COLUMN IF NOT EXISTS``). A NOT NULL column needs a
   ``DEFAULT`` for the rows already stored. Never edit, renumber or remove a migration that
   has landed on main: warehouses out there already recorded it.
3. ``tests/load/test_migrations.py`` migrates every released schema
   (``tests/load/released_schemas/v<version>_<commit>.sql``) and compares it with a new
   warehouse, so a column added to the DDL without a migration fails there. Once your change
   is on main, add its ``warehouse.sql`` there under its version.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb

from pipeline.errors import WarehouseError


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str = ""  # statements separated by ';'
    apply: Callable[[duckdb.DuckDBPyConnection], None] | None = None  # for what SQL alone cannot say


MIGRATIONS: list[Migration] = [
    Migration(1, "article_signatures keeps shingle hashes for exact verification across runs",
              # Rows from before carry no shingles: dedup falls back to their MinHash estimate.
              "ALTER TABLE article_signatures ADD COLUMN IF NOT EXISTS shingle_hashes BLOB DEFAULT ''::BLOB;"
              "UPDATE article_signatures SET shingle_hashes = ''::BLOB WHERE shingle_hashes IS NULL;"
              "ALTER TABLE article_signatures ALTER COLUMN shingle_hashes SET NOT NULL;"
              "ALTER TABLE article_signatures ADD COLUMN IF NOT EXISTS shingle_size INTEGER DEFAULT 0;"
              "UPDATE article_signatures SET shingle_size = 0 WHERE shingle_size IS NULL;"
              "ALTER TABLE article_signatures ALTER COLUMN shingle_size SET NOT NULL"),
    Migration(2, "documents record the source file's size and mtime (unchanged files are skipped unread)",
              "ALTER TABLE documents ADD COLUMN IF NOT EXISTS source_size BIGINT;"
              "ALTER TABLE documents ADD COLUMN IF NOT EXISTS source_mtime_ns BIGINT"),
    Migration(3, "publisher_lines.story_key: versions of one story count once (old rows keep NULL)",
              "ALTER TABLE publisher_lines ADD COLUMN IF NOT EXISTS story_key VARCHAR"),
    Migration(4, "entities.type_confidence: how sure an entity's type is (old rows keep NULL)",
              "ALTER TABLE entities ADD COLUMN IF NOT EXISTS type_confidence DOUBLE"),
    Migration(5, "alerts and alert_runs: what the watchlists matched, each once, and the runs evaluated",
              # New tables, but a warehouse already at version 4 is not handed the DDL again.
              "CREATE TABLE IF NOT EXISTS alerts (alert_id VARCHAR PRIMARY KEY, watch VARCHAR NOT NULL, "
              "item_kind VARCHAR NOT NULL, item_id VARCHAR NOT NULL, article_id VARCHAR, event_id VARCHAR, "
              "title VARCHAR, matched_terms VARCHAR[] NOT NULL, sources INTEGER, run_id VARCHAR NOT NULL, "
              "first_seen TIMESTAMP NOT NULL, status VARCHAR NOT NULL, attempts INTEGER NOT NULL, "
              "delivered_at TIMESTAMP, last_error VARCHAR);"
              "CREATE TABLE IF NOT EXISTS alert_runs (run_id VARCHAR PRIMARY KEY, evaluated_at TIMESTAMP NOT NULL, "
              "alerts INTEGER NOT NULL)"),
    Migration(6, "events and event_mentions carry the CAMEO coding: code, PLOVER category, source/target "
                 "actors and their CAMEO actor codes, attribution and the matched pattern (old rows keep NULL)",
              "ALTER TABLE events ADD COLUMN IF NOT EXISTS cameo_code VARCHAR;"
              "ALTER TABLE events ADD COLUMN IF NOT EXISTS plover_category VARCHAR;"
              "ALTER TABLE events ADD COLUMN IF NOT EXISTS actor1_code VARCHAR;"
              "ALTER TABLE events ADD COLUMN IF NOT EXISTS actor2_code VARCHAR;"
              "ALTER TABLE event_mentions ADD COLUMN IF NOT EXISTS cameo_code VARCHAR;"
              "ALTER TABLE event_mentions ADD COLUMN IF NOT EXISTS actor1 VARCHAR;"
              "ALTER TABLE event_mentions ADD COLUMN IF NOT EXISTS actor2 VARCHAR;"
              "ALTER TABLE event_mentions ADD COLUMN IF NOT EXISTS actor1_code VARCHAR;"
              "ALTER TABLE event_mentions ADD COLUMN IF NOT EXISTS actor2_code VARCHAR;"
              "ALTER TABLE event_mentions ADD COLUMN IF NOT EXISTS attribution VARCHAR;"
              "ALTER TABLE event_mentions ADD COLUMN IF NOT EXISTS pattern VARCHAR;"
              "ALTER TABLE event_mentions ADD COLUMN IF NOT EXISTS trigger_start INTEGER;"
              "ALTER TABLE event_mentions ADD COLUMN IF NOT EXISTS trigger_end INTEGER"),
    Migration(7, "articles.published_offset_minutes: the publisher's own UTC offset (old rows keep NULL)",
              "ALTER TABLE articles ADD COLUMN IF NOT EXISTS published_offset_minutes INTEGER"),
    Migration(8, "entity_aliases: old ids of entities re-pointed to the full name that arrived later",
              "CREATE TABLE IF NOT EXISTS entity_aliases (alias_id VARCHAR PRIMARY KEY, entity_id VARCHAR NOT NULL)"),
    Migration(9, "events and event_mentions: event_date a DATE (first day of its period), event_date_end, "
                 "date_confidence (old rows keep NULL confidence)", apply=lambda con: _typed_event_dates(con)),
    Migration(10, "copies are not corroboration: duplicates keep no entity or event mentions, an event only "
                  "copies reported goes, every count is recomputed over canonical articles (docs/copies.md)",
              apply=lambda con: _uncount_copies(con)),
    Migration(11, "entities.num_copies and events.num_copies: how many copies of the articles counted were "
                  "stored (linked, never counted; docs/copies.md), computed for the rows already there",
              "ALTER TABLE entities ADD COLUMN IF NOT EXISTS num_copies INTEGER DEFAULT 0;"
              "ALTER TABLE entities ALTER COLUMN num_copies SET NOT NULL;"
              "ALTER TABLE events ADD COLUMN IF NOT EXISTS num_copies INTEGER DEFAULT 0;"
              "ALTER TABLE events ALTER COLUMN num_copies SET NOT NULL",
              apply=lambda con: _count_copies(con)),
]

SQL_DIR = Path(__file__).parent / "sql"
SUBJECT_TABLES = {"entity": "entities", "event": "events"}


# An event's source, counted by num_sources: the article's publisher, else its URL's host, else
# the file it came from (over an article aliased `a`). One rule for the file's recount, a lake
# batch's own counts and the lake's fold: the SQL files name it {article_source}.
ARTICLE_SOURCE = "coalesce(a.publisher, regexp_extract(a.url, '^[a-z]+://([^/]+)', 1), a.source_uri)"


def read_sql(name: str) -> str:
    text = (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")
    return text.replace("{article_source}", ARTICLE_SOURCE)


def refresh_sql(kind: str, what: str) -> str:
    """The statement refreshing `what` ("counts": the canonical articles' counts; "copies":
    num_copies) of the entities or events (`kind`) listed in a `touched` table."""
    if what == "copies":  # one statement for both: they differ only in their names
        return read_sql("refresh_copies").format(kind=kind, table=SUBJECT_TABLES[kind])
    return read_sql(f"refresh_{kind}_{what}")


def _uncount_copies(con: duckdb.DuckDBPyConnection) -> None:
    """What the load does for a demoted canonical, once over the rows stored before it did."""
    copies = "(SELECT article_id FROM articles WHERE is_duplicate)"
    con.execute("CREATE TEMP TABLE copied_events AS SELECT DISTINCT event_id FROM event_mentions "
                f"WHERE article_id IN {copies}")
    con.execute(f"DELETE FROM entity_mentions WHERE article_id IN {copies}")
    con.execute(f"DELETE FROM event_mentions WHERE article_id IN {copies}")
    con.execute("DELETE FROM events WHERE event_id IN (SELECT event_id FROM copied_events) "
                "AND event_id NOT IN (SELECT event_id FROM event_mentions)")
    con.execute("DROP TABLE copied_events")
    _refresh_every_row(con, "counts")


def _count_copies(con: duckdb.DuckDBPyConnection) -> None:
    _refresh_every_row(con, "copies")


def _refresh_every_row(con: duckdb.DuckDBPyConnection, what: str) -> None:
    """Recompute `what` (counts or copies) for every entity and event already stored."""
    for kind, table in SUBJECT_TABLES.items():
        con.execute(f"CREATE TEMP TABLE touched AS SELECT {kind}_id AS id FROM {table}")
        con.execute(refresh_sql(kind, what))
        con.execute("DROP TABLE touched")


# An event date stored as ISO text ('2022-01-10', '2022-01', '2022') as the first day of its
# period, and the last day beside it (what the text cannot be cast to stays NULL).
_PERIOD_START = ("(CASE length(event_date) WHEN 10 THEN try_cast(event_date AS DATE) "
                 "WHEN 7 THEN try_cast(event_date || '-01' AS DATE) "
                 "WHEN 4 THEN try_cast(event_date || '-01-01' AS DATE) END)")
_PERIOD_END = (f"(CASE length(event_date) WHEN 10 THEN {_PERIOD_START} WHEN 7 THEN last_day({_PERIOD_START}) "
               f"WHEN 4 THEN CAST({_PERIOD_START} + INTERVAL 1 YEAR - INTERVAL 1 DAY AS DATE) END)")


def _typed_event_dates(con: duckdb.DuckDBPyConnection) -> None:
    for table in ("events", "event_mentions"):
        row = con.execute("SELECT data_type FROM duckdb_columns() WHERE schema_name = 'main' AND table_name = ? "
                          "AND column_name = 'event_date'", [table]).fetchone()
        if row is not None and row[0] != "DATE":
            # Only ALTERs: DuckDB refuses an UPDATE of a table altered in the same transaction.
            con.execute(f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS event_date_end VARCHAR")
            con.execute(f"ALTER TABLE {table} ALTER COLUMN event_date_end SET DATA TYPE DATE USING {_PERIOD_END}")
            con.execute(f"ALTER TABLE {table} ALTER COLUMN event_date SET DATA TYPE DATE USING {_PERIOD_START}")
        con.execute(f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS event_date_end DATE")
        con.execute(f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS date_confidence VARCHAR")

VERSION_DDL = ("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, "
               "applied_at TIMESTAMP NOT NULL DEFAULT now()::TIMESTAMP)")


def latest_version() -> int:
    return max(m.version for m in MIGRATIONS)


def _rows_if_tables_exist(con: duckdb.DuckDBPyConnection, sql: str) -> list[tuple] | None:
    """The query's rows, or None where a table it reads does not exist. The query itself is the
    existence test: in a lake a duckdb_tables() lookup reads every table's statistics from the
    catalog, several times the round trips and CPU of one query (docs/lake.md)."""
    try:
        return con.execute(sql).fetchall()
    except duckdb.CatalogException:
        return None


def has_table(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    """Whether the table exists. ``name`` is one of ours, never user input."""
    return _rows_if_tables_exist(con, f'SELECT 1 FROM "{name}" LIMIT 0') is not None


def current_version(con: duckdb.DuckDBPyConnection) -> int | None:
    """The warehouse's schema version: None for a file without the version table (every
    writer's open asks, outside a transaction, so it is one query, not a check and a query)."""
    rows = _rows_if_tables_exist(con, "SELECT max(version) FROM schema_version")
    if rows is None:
        return None
    return rows[0][0] if rows and rows[0][0] is not None else 0


def _user_tables(con: duckdb.DuckDBPyConnection) -> int:
    row = con.execute("SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'main' "
                      "AND table_name <> 'schema_version'").fetchone()
    return row[0] if row else 0


def _run(con: duckdb.DuckDBPyConnection, migration: Migration) -> None:
    for statement in (s.strip() for s in migration.sql.split(";")):
        if statement:
            con.execute(statement)
    if migration.apply:
        migration.apply(con)


def migrate(con: duckdb.DuckDBPyConnection, ddl: str, path: object = "the warehouse", *,
            lake: bool = False) -> list[int]:
    """Bring the warehouse behind `con` to the latest schema; return the versions applied now.
    `lake`: a DuckLake, whose tables cannot declare keys (pipeline/load/lake.py); every lake was
    created at version 10 or later, so a migration must work there only from version 11 on."""
    version_ddl = VERSION_DDL
    if lake:
        from pipeline.load.lake import lake_ddl

        ddl, version_ddl = lake_ddl(ddl), lake_ddl(VERSION_DDL)
    version = current_version(con)
    if version is not None and version > latest_version():
        raise WarehouseError(f"{path} has schema version {version}, newer than this newsmon knows "
                             f"({latest_version()})", hint="upgrade newsmon to the version that wrote it")
    if version == latest_version():
        return []
    fresh = version is None and _user_tables(con) == 0
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute(version_ddl)
        con.execute(ddl)
        if fresh:  # the DDL is the current schema: every migration is in it already
            for m in MIGRATIONS:
                con.execute("INSERT INTO schema_version (version, name) VALUES (?, ?)", [m.version, m.name])
        con.execute("COMMIT")
    except duckdb.Error as exc:
        _rollback(con)
        raise WarehouseError(f"cannot create the tables of {path}: {exc}",
                             hint="check the path's permissions and free disk space") from exc
    if fresh:
        return []
    applied = []
    for m in (m for m in MIGRATIONS if m.version > (version or 0)):
        con.execute("BEGIN TRANSACTION")
        try:
            _run(con, m)
            con.execute("INSERT INTO schema_version (version, name) VALUES (?, ?)", [m.version, m.name])
            con.execute("COMMIT")
        except duckdb.Error as exc:
            _rollback(con)
            raise WarehouseError(f"upgrading {path} to schema version {m.version} ({m.name}) failed, "
                                 f"it stays at version {m.version - 1}: {exc}",
                                 hint="report this with the warehouse's schema (newsmon sql \"DESCRIBE\")"
                                 ) from exc
        applied.append(m.version)
    return applied


def _rollback(con: duckdb.DuckDBPyConnection) -> None:
    try:
        con.execute("ROLLBACK")
    except duckdb.Error:
        pass  # the failed statement may already have aborted the transaction

