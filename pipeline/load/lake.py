"""The warehouse as a DuckLake: a PostgreSQL catalog and Parquet data files on shared storage.

Set ``lake`` (or ``--db`` / ``NEWSMON_DB_PATH``) to ``ducklake:postgres:<libpq keywords>`` and
``lake_data_path`` to where a new lake writes its files (a folder every worker mounts, or
``s3://bucket/prefix/`` through httpfs). Everything else reads and writes the same tables with
the same SQL as in a file (docs/lake.md). What differs, and lives here:

- connecting: the extensions are loaded from the pinned PyPI packages' files, never installed
  from the network, and the lake is attached as the connection's default database;
- DuckLake has no PRIMARY KEY: tables are created without the constraints and written with
  ``MERGE`` on the keys the DDL declares (:func:`primary_keys`) instead of ``INSERT OR REPLACE``;
- several publishers: a batch of new articles appends its rows, those of the shared tables
  (:data:`FOLDED`) too, in one transaction under the publish lock's *shared* mode and locks on
  its own ids (:class:`PublishLock`), so such publishers commit side by side; the shared tables
  live in the schema ``shared`` and readers see them through views of the same names in
  ``main`` that fold each key's rows (:func:`fold_view_sql`). Every other write (re-runs,
  copies, maintenance, migrations) takes the lock exclusively, folds, and writes as before.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from typing import Any

import duckdb

from pipeline.errors import WarehouseError, WarehouseLockedError
from pipeline.load.migrations import ARTICLE_SOURCE

LAKE_PREFIX = "ducklake:"
CATALOG_PREFIX = "ducklake:postgres:"
ALIAS = "lake"  # the name the lake is attached under (the connection's default database)
EXTENSIONS = ("postgres", "ducklake")  # load order: ducklake's postgres catalog needs postgres
# A constant 64-bit key for pg_advisory_lock: "newsmon publish" (any number both sides agree on).
LOCK_KEY = 0x6E65_7773_6D6F_6E01
# The two-int advisory lock space of a batch's own ids (run, articles, documents): int4 "nm".
ITEM_LOCK_SPACE = 0x6E6D
# More ids than this take the exclusive lock instead: each id is a slot of PostgreSQL's shared
# lock table (max_locks_per_transaction x max_connections, 6,400 by default, for everyone).
ITEM_LOCKS_MAX = 1000
log = logging.getLogger(__name__)


def is_lake(location: object) -> bool:
    return isinstance(location, str) and location.startswith(LAKE_PREFIX)


def libpq_dsn(spec: str) -> str:
    """The PostgreSQL connection keywords of a lake spec (what psycopg2 and libpq take)."""
    if not spec.startswith(CATALOG_PREFIX):
        raise WarehouseError(f"unsupported lake catalog {spec.split(' ')[0]!r}",
                             hint="use ducklake:postgres:dbname=... host=... user=...")
    return spec[len(CATALOG_PREFIX):].strip()


def redacted(spec: str) -> str:
    """The spec without a password, for messages and logs."""
    return re.sub(r"password=\S+", "password=***", spec)


def load_extensions(con: duckdb.DuckDBPyConnection, names: tuple[str, ...] = EXTENSIONS) -> None:
    """Install each extension from its pinned PyPI package's file (a local copy: nothing is
    downloaded; skipped once installed), then LOAD it."""
    import duckdb_extensions

    for name in names:
        try:
            duckdb_extensions.import_extension(name, con=con)
        except ImportError as exc:
            raise WarehouseError(f"the DuckDB extension {name} is not installed: {exc}",
                                 hint="install requirements.lock (duckdb and duckdb-extension-* are "
                                      "pinned together)") from exc
        con.execute(f"LOAD {name}")


def load_storage_extension(con: duckdb.DuckDBPyConnection, alias: str) -> str:
    """Object storage (s3://, also R2/GCS/MinIO through the S3 API) needs httpfs: loaded when
    the lake's data path, as its catalog records it, is a URL. Credentials are a DuckDB secret
    (docs/lake.md). Returns the data path."""
    row = con.execute(f"SELECT value FROM ducklake_options('{alias}') WHERE option_name = 'data_path'").fetchone()
    stored = str(row[0]) if row and row[0] else ""
    if "://" in stored and not stored.startswith("file://"):
        load_extensions(con, ("httpfs",))
    return stored


def attach(con: duckdb.DuckDBPyConnection, spec: str, *, alias: str = ALIAS, data_path: str = "",
           read_only: bool = False, snapshot: int | None = None) -> None:
    """Attach the lake under `alias`. A new lake is created (writable opens only) with its
    files under `data_path`; an existing one keeps the data path its catalog records.
    `snapshot` (read-only) pins that snapshot: the lake as it was then, whatever commits later."""
    libpq_dsn(spec)  # says what is wrong with a mistyped spec before DuckDB does
    options = []
    if read_only:
        options.append("READ_ONLY")
        if snapshot is not None:
            options.append(f"SNAPSHOT_VERSION {int(snapshot)}")
    elif data_path:
        options.append("DATA_PATH '" + data_path.replace("'", "''") + "'")
    quoted = spec.replace("'", "''")
    try:
        con.execute(f"ATTACH '{quoted}' AS {alias}" + (f" ({', '.join(options)})" if options else ""))
    except duckdb.Error as exc:
        first = (str(exc).strip().splitlines() or [""])[0]
        hint = ("the lake has no tables yet: publish a run (newsmon run) or copy a file's data "
                "(newsmon lake migrate) first" if read_only else
                "check the catalog database is reachable and lake_data_path is set for a new lake")
        raise WarehouseError(f"cannot attach the lake {redacted(spec)}: {first}", hint=hint) from exc


# DuckLake's own retries of a commit that lost the race for the next snapshot id: a commit's
# first attempt takes the id after the snapshot its transaction began at, so it loses whenever
# another publisher committed meanwhile (about once a batch with four publishers); DuckLake then
# sleeps (lake_retry_wait_ms, jittered, 1.5 times longer each retry), re-reads what was
# committed, and tries again: the catalog's rows only, the data files stay. Bounded: 20 retries
# of 10 ms add up to at most about 66 s.
COMMIT_RETRIES = 20


def _instance(spec: str, data_path: str, read_only: bool,
              config: dict[str, Any] | None = None, threads: int = 0,
              retry_wait_ms: int | None = None) -> duckdb.DuckDBPyConnection:
    settings: dict[str, Any] = {"autoinstall_known_extensions": False, "autoload_known_extensions": False}
    if threads > 0:
        settings["threads"] = threads
    con = duckdb.connect(":memory:", config=settings)
    try:
        load_extensions(con)
        if retry_wait_ms is not None:
            con.execute(f"SET ducklake_retry_wait_ms = {max(0, int(retry_wait_ms))}")
            con.execute(f"SET ducklake_max_retry_count = {COMMIT_RETRIES}")
        attach(con, spec, data_path=data_path, read_only=read_only)
        con.execute(f"USE {ALIAS}")
        stored = load_storage_extension(con, ALIAS)
        if config and config.get("enable_external_access") is False and stored:
            # Sandboxed: no file but the lake's own data files (where its catalog says they are).
            con.execute("SET allowed_directories = ?", [[stored]])
        for name, value in (config or {}).items():  # e.g. the sandbox: set once the lake is attached
            con.execute(f"SET {name} = {value}")
    except BaseException:
        con.close()
        raise
    return con


# One DuckDB instance per lake (and access mode) per process, each Warehouse a connection
# (cursor) of it: loading the two extensions checks their signatures, ~1.5 s per instance, and
# attaching costs catalog round trips. Connections have their own transactions, temp objects and
# registered tables. Sandboxed connections get an instance of their own (their settings are global).
_INSTANCES: dict[tuple[str, str, bool, int, int | None], duckdb.DuckDBPyConnection] = {}
_INSTANCES_LOCK = threading.Lock()


def connect(spec: str, *, data_path: str = "", read_only: bool = False,
            config: dict[str, Any] | None = None, threads: int = 0, retry_wait_ms: int | None = None,
            guard: Callable[[], AbstractContextManager[Any]] | None = None) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection whose default database is the lake. `threads`: the instance's DuckDB
    threads (0: one per core; see all_threads). `retry_wait_ms`: DuckLake's first wait before
    it retries a commit that lost the race for the next snapshot (None: DuckLake's defaults; see
    COMMIT_RETRIES). `guard`: held while a new instance attaches (a writer attaching a new lake
    creates its catalog: one at a time)."""
    if config:
        return _instance(spec, data_path, read_only, config, threads)
    key = (spec, data_path, read_only, threads, retry_wait_ms)
    with _INSTANCES_LOCK:
        base = _INSTANCES.get(key)
        if base is None:
            with guard() if guard else nullcontext():
                base = _INSTANCES[key] = _instance(spec, data_path, read_only, threads=threads,
                                                   retry_wait_ms=retry_wait_ms)
        con = base.cursor()
    con.execute(f"USE {ALIAS}")
    return con


@contextmanager
def all_threads(con: duckdb.DuckDBPyConnection, threads: int) -> Iterator[None]:
    """One thread per core for a bulk job (maintenance, a file's copy) on a writer whose instance
    is capped at `threads` (lake_writer_threads: a publish's statements are small, and extra
    threads only cost CPU a busy host's other publishers need); the cap again afterwards. The
    setting is the instance's: other connections of it get the cores meanwhile too."""
    if threads <= 0:
        yield
        return
    con.execute("RESET threads")
    try:
        yield
    finally:
        con.execute(f"SET threads = {int(threads)}")


def forget_connections() -> None:
    """Close the cached instances (tests that drop a catalog database)."""
    with _INSTANCES_LOCK:
        for con in _INSTANCES.values():
            con.close()
        _INSTANCES.clear()
        _LAID_OUT.clear()


# --- the schema without constraints DuckLake does not have -------------------------------

_TABLE = re.compile(r"CREATE TABLE IF NOT EXISTS (\w+) \((.*?)\n\);", re.S)
_INLINE_KEY = re.compile(r"^\s*(\w+)\s+[^,]*?\bPRIMARY KEY\b", re.M)
_TABLE_KEY = re.compile(r",\s*PRIMARY KEY \(([^)]*)\)")
_COMMENT = re.compile(r"--[^\n]*")


def primary_keys(ddl: str) -> dict[str, list[str]]:
    """{table: key columns} as the DDL declares them (what a lake upsert merges on)."""
    keys: dict[str, list[str]] = {}
    for table, body in _TABLE.findall(_COMMENT.sub("", ddl)):
        composite = _TABLE_KEY.search(body)
        if composite:
            keys[table] = [c.strip() for c in composite.group(1).split(",")]
        else:
            inline = _INLINE_KEY.search(body)
            if inline:
                keys[table] = [inline.group(1)]
    return keys


def lake_ddl(ddl: str) -> str:
    """The DDL with PRIMARY KEY constraints removed (keys are kept by the writer: MERGE)."""
    without = _TABLE_KEY.sub("", _COMMENT.sub("", ddl))
    return re.sub(r"\s+PRIMARY KEY\b", "", without)


def merge_sql(table: str, columns: list[str], keys: list[str], *, update: bool = True,
              source: str = "staged_rows") -> str:
    """INSERT OR REPLACE (update=True) or INSERT ... ON CONFLICT DO NOTHING, as a MERGE on `keys`."""
    on = " AND ".join(f't."{k}" = s."{k}"' for k in keys)
    sets = ", ".join(f'"{c}" = s."{c}"' for c in columns if c not in keys)
    matched = f" WHEN MATCHED THEN UPDATE SET {sets}" if update and sets else ""
    return f'MERGE INTO "{table}" AS t USING {source} AS s ON {on}{matched} WHEN NOT MATCHED THEN INSERT BY NAME'


# Columns derived from other tables (docs/copies.md): what a batch adds to, never sets.
COUNTS = ("article_count", "mention_count")


def merge_counts_sql(table: str, columns: list[str], key: str) -> str:
    """A MERGE of `staged_rows` into `table` that adds the `counted` table's counts (key,
    article_count, mention_count) to the stored rows' counts instead of setting them: rows only
    in `counted` get their counts added, rows only in `staged_rows` are inserted with them (and
    no copies counted, as a new row's refresh would find)."""
    plain = [c for c in columns if c not in (*COUNTS, "num_copies")]
    picks = ", ".join(f's."{c}"' for c in plain if c != key)
    sets = ", ".join([f'"{c}" = CASE WHEN s.__staged THEN s."{c}" ELSE t."{c}" END' for c in plain if c != key] +
                     [f'"{c}" = t."{c}" + s."{c}"' for c in COUNTS])
    source = (f'(SELECT coalesce(s."{key}", c."{key}") AS "{key}", {picks}, s."{key}" IS NOT NULL AS __staged, '
              + ", ".join(f'coalesce(c."{n}", 0) AS "{n}"' for n in COUNTS) +
              f' FROM staged_rows AS s FULL JOIN counted AS c ON s."{key}" = c."{key}")')
    insert_cols = [key, *[c for c in plain if c != key], *COUNTS]
    values = ", ".join(f's."{c}"' for c in insert_cols)
    if "num_copies" in columns:
        insert_cols.append("num_copies")
        values += ", 0"
    return (f'MERGE INTO "{table}" AS t USING {source} AS s ON t."{key}" = s."{key}" '
            f"WHEN MATCHED THEN UPDATE SET {sets} "
            f'WHEN NOT MATCHED AND s.__staged THEN INSERT ({", ".join(chr(34) + c + chr(34) for c in insert_cols)}) '
            f"VALUES ({values})")


# --- the shared tables, folded on read ------------------------------------------------------

SHARED = "shared"  # the schema of the shared tables' rows; `main` holds views of the same names
# Tables several runs write the same keys of: each run appends its rows and the view folds a
# key's rows into one. A column not listed takes the value of the key's latest row (the highest
# rowid: DuckLake numbers rows in commit order); "sum" adds the runs' counts; "min"/"max" fold
# first/last seen; "sources" (a distinct count, which does not add up) is recounted from the
# mentions when a key has rows of several runs.
FOLDED: dict[str, dict[str, str]] = {
    "entities": {"article_count": "sum", "mention_count": "sum", "num_copies": "sum"},
    "events": {"num_mentions": "sum", "num_articles": "sum", "num_copies": "sum", "first_seen": "min",
               "last_seen": "max", "num_sources": "sources"},
    "feed_state": {},
    "quarantine": {},
}


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


FOLD_VIEW_MARK = "__fold_v4"  # in every view fold_view_sql writes: an older lake's views lack it
_FOLDED_THROUGH = re.compile(r"rowid > (\d+)")


def fold_view_sql(table: str, columns: list[tuple[str, str]], keys: list[str], folded_through: int = -1) -> str:
    """The SELECT of the view `table` over the rows in SHARED: one row per key, the columns in
    the table's order and types ((name, type) pairs, as DESCRIBE gives them). A key with one row
    is that row as stored, and only the keys with several rows are aggregated. `folded_through`
    (pin_folded: maintenance folded every key into one row, and that row's rowid is at most this)
    lets only the keys of rows appended since be aggregated: after maintenance a read is a plain
    scan of the table instead of a grouping of every key."""
    rules = FOLDED[table]
    latest = [c for c, _ in columns if c not in keys and c not in rules]
    picks = ", ".join(f"{_q(c)} := {_q(c)}" for c in latest)
    aggs = [f"arg_max(struct_pack({picks}), rowid) AS __latest"] if latest else []
    for column, how in rules.items():
        aggs.append(f"{'max' if how == 'sources' else how}({_q(column)}) AS {_q(column)}")
    key_cols = ", ".join(_q(k) for k in keys)
    # The keys aggregated: those with several rows, or, pinned, every key of the rows appended
    # since the fold (rowids are given in commit order; a key of those with one row is aggregated
    # as one). Pinned, the view reads the table three times as unpinned, not four: in a lake
    # every scan of a table costs catalog round trips, whatever its rows.
    several = (f"{FOLD_VIEW_MARK} AS (SELECT DISTINCT {key_cols} FROM {SHARED}.{_q(table)} "
               f"WHERE rowid > {int(folded_through)})" if folded_through >= 0 else
               f"{FOLD_VIEW_MARK} AS (SELECT {key_cols} FROM {SHARED}.{_q(table)} "
               f"GROUP BY {key_cols} HAVING count(*) > 1)")
    inner = (f"SELECT {key_cols}, {', '.join(aggs)}, count(*) AS __rows FROM {SHARED}.{_q(table)} "
             f"SEMI JOIN {FOLD_VIEW_MARK} USING ({key_cols}) GROUP BY {key_cols}")
    recount = ""
    out = []
    for column, kind in columns:
        rule = rules.get(column)
        if column in keys:
            out.append(f"f.{_q(column)}")
        elif rule is None:
            out.append(f"f.__latest.{_q(column)} AS {_q(column)}")
        elif rule == "sources":
            out.append(f"CAST(CASE WHEN f.__rows > 1 THEN coalesce(s.n, f.{_q(column)}) ELSE f.{_q(column)} END "
                       f"AS {kind}) AS {_q(column)}")
            recount = (" LEFT JOIN (SELECT em.event_id, count(DISTINCT " + ARTICLE_SOURCE + ") AS n "
                       f"FROM main.event_mentions AS em SEMI JOIN {FOLD_VIEW_MARK} USING (event_id) "
                       "LEFT JOIN main.articles AS a USING (article_id) "
                       "WHERE NOT coalesce(a.is_duplicate, FALSE) GROUP BY em.event_id) AS s USING (event_id)")
        else:
            out.append(f"CAST(f.{_q(column)} AS {kind}) AS {_q(column)}")
    names = ", ".join(_q(c) for c, _ in columns)
    return (f"WITH {several} SELECT {names} FROM {SHARED}.{_q(table)} "
            f"ANTI JOIN {FOLD_VIEW_MARK} USING ({key_cols}) "
            f"UNION ALL SELECT {', '.join(out)} FROM ({inner}) AS f{recount}")


def fold_sql(table: str, keys: list[str]) -> list[str]:
    """Statements that replace the rows of every key of SHARED.`table` with several by the one
    row its view shows (run in a write transaction under the exclusive lock)."""
    key_cols = ", ".join(_q(k) for k in keys)
    on = " AND ".join(f"t.{_q(k)} = f.{_q(k)}" for k in keys)
    return [f"CREATE OR REPLACE TEMP TABLE folded_rows AS SELECT * FROM main.{_q(table)} WHERE ({key_cols}) IN "
            f"(SELECT ({key_cols}) FROM {SHARED}.{_q(table)} GROUP BY ALL HAVING count(*) > 1)",
            f"DELETE FROM {SHARED}.{_q(table)} AS t USING temp.main.folded_rows AS f WHERE {on}",
            f"INSERT INTO {SHARED}.{_q(table)} BY NAME SELECT * FROM temp.main.folded_rows",
            "DROP TABLE temp.main.folded_rows"]


_LAID_OUT: set[str] = set()  # lakes seen with the layout in this process: it is never undone


def fold_layout_ready(con: duckdb.DuckDBPyConnection, spec: str = "", alias: str = ALIAS) -> bool:
    """Whether every FOLDED table lives in SHARED behind its view in main, the view as
    fold_view_sql now writes it (asked of the catalog once per lake `spec` and process:
    enumerating a lake's tables costs catalog round trips)."""
    if spec and spec in _LAID_OUT:
        return True
    row = con.execute("SELECT (SELECT count(*) FROM duckdb_tables() WHERE database_name = ? AND schema_name = ? "
                      "AND list_contains(?, table_name)), (SELECT count(*) FROM duckdb_views() WHERE "
                      "database_name = ? AND schema_name = 'main' AND list_contains(?, view_name) "
                      "AND contains(sql, ?))",
                      [alias, SHARED, list(FOLDED), alias, list(FOLDED), FOLD_VIEW_MARK]).fetchone()
    ready = row is not None and row[0] == row[1] == len(FOLDED)
    if ready and spec:
        _LAID_OUT.add(spec)
    return ready


def make_fold_layout(con: duckdb.DuckDBPyConnection, ddl: str, keys: dict[str, list[str]],
                     alias: str = ALIAS) -> None:
    """Move each FOLDED table still in main to SHARED (created from the lake DDL, so NOT NULL and
    DEFAULTs stay) and (re)create its view: one transaction, under the exclusive lock."""
    statements = dict(_TABLE.findall(lake_ddl(ddl)))
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute(f"CREATE SCHEMA IF NOT EXISTS {alias}.{SHARED}")
        for table in FOLDED:
            kind = con.execute("SELECT (SELECT count(*) FROM duckdb_tables() WHERE database_name = ? AND "
                               "schema_name = 'main' AND table_name = ?), (SELECT count(*) FROM duckdb_tables() "
                               "WHERE database_name = ? AND schema_name = ? AND table_name = ?)",
                               [alias, table, alias, SHARED, table]).fetchone()
            assert kind is not None
            if not kind[1]:
                con.execute(f"CREATE TABLE {alias}.{SHARED}.{_q(table)} ({statements[table]}\n)")
            if kind[0]:
                con.execute(f"INSERT INTO {alias}.{SHARED}.{_q(table)} BY NAME SELECT * FROM {alias}.main.{_q(table)}")
                con.execute(f"DROP TABLE {alias}.main.{_q(table)}")
            _create_view(con, table, keys[table], _folded_through(con, table, alias), alias)
        con.execute("COMMIT")
    except BaseException:
        _rollback(con)
        raise


def _rollback(con: duckdb.DuckDBPyConnection) -> None:
    try:
        con.execute("ROLLBACK")
    except duckdb.Error:
        pass


def _create_view(con: duckdb.DuckDBPyConnection, table: str, keys: list[str], folded_through: int,
                 alias: str) -> None:
    columns = [(r[0], r[1]) for r in con.execute(f"DESCRIBE {alias}.{SHARED}.{_q(table)}").fetchall()]
    con.execute(f"CREATE OR REPLACE VIEW {alias}.main.{_q(table)} AS "
                + fold_view_sql(table, columns, keys, folded_through))


def _folded_through(con: duckdb.DuckDBPyConnection, table: str, alias: str) -> int:
    """The rowid its current view was pinned at (pin_folded), -1 if none: a view rebuilt after a
    migration keeps it (a column added changes no rowid)."""
    row = con.execute("SELECT sql FROM duckdb_views() WHERE database_name = ? AND schema_name = 'main' "
                      "AND view_name = ? AND contains(sql, ?)", [alias, table, FOLD_VIEW_MARK]).fetchone()
    found = _FOLDED_THROUGH.search(row[0]) if row else None
    return int(found.group(1)) if found else -1


def pin_folded(con: duckdb.DuckDBPyConnection, keys: dict[str, list[str]], alias: str = ALIAS) -> dict[str, int]:
    """Right after a committed fold, under the exclusive lock (no append meanwhile; outside a
    transaction): every key of each shared table has one row, so its view may read the rows up to
    the highest rowid now as folded (fold_view_sql's `folded_through`). Rows appended later get
    higher rowids; the full load's writes delete, update in place or append, so the rows up to
    it stay one per key. One transaction; returns {table: rowid}."""
    pins: dict[str, int] = {}
    con.execute("BEGIN TRANSACTION")
    try:
        for table in FOLDED:
            top = con.execute(f"SELECT max(rowid) FROM {alias}.{SHARED}.{_q(table)}").fetchone()
            pins[table] = int(top[0]) if top and top[0] is not None else -1
            if pins[table] != _folded_through(con, table, alias):
                _create_view(con, table, keys[table], pins[table], alias)
        con.execute("COMMIT")
    except BaseException:
        _rollback(con)
        raise
    return pins


# --- the data files' layout: what lets a drill-down skip most of a table -------------------

# Rows per Parquet row group (DuckLake's default is DuckDB's 122,880): a one-article drill-down
# reads the row groups whose key range holds its id, so smaller ones read less (a point query
# on 1M articles' bodies: 151 ms at the default, 38 ms at this size, both sorted).
ROW_GROUP_ROWS = 8192


def set_layout(con: duckdb.DuckDBPyConnection, keys: dict[str, list[str]], alias: str = ALIAS) -> list[str]:
    """Keep each table's data files sorted by its key (DuckLake sorts on insert, compaction and
    flushing, and the files' min/max statistics then prune) in row groups of ROW_GROUP_ROWS.
    Only what differs is changed (each change is a catalog version); returns the tables set."""
    meta = f"__ducklake_metadata_{alias}"
    current = {table: [e.strip('"') for e in expressions] for table, expressions in con.execute(
        f"SELECT t.table_name, list(e.expression ORDER BY e.sort_key_index) FROM {meta}.ducklake_sort_info AS i "
        f"JOIN {meta}.ducklake_sort_expression AS e USING (sort_id, table_id) "
        f"JOIN {meta}.ducklake_table AS t USING (table_id) "
        "WHERE i.end_snapshot IS NULL AND t.end_snapshot IS NULL GROUP BY 1").fetchall()}
    changed = [table for table, columns in keys.items() if current.get(table) != columns]
    for table in changed:
        schema = SHARED if table in FOLDED else "main"  # a shared table's rows, not its view
        con.execute(f'ALTER TABLE {alias}.{schema}."{table}" SET SORTED BY '
                    f'({", ".join(chr(34) + c + chr(34) for c in keys[table])})')
    size = con.execute(f"SELECT value FROM ducklake_options('{alias}') WHERE option_name = 'parquet_row_group_size'"
                       ).fetchone()
    if not size or str(size[0]) != str(ROW_GROUP_ROWS):
        con.execute(f"CALL {alias}.set_option('parquet_row_group_size', {ROW_GROUP_ROWS})")
    return changed


# --- statistics of tables never written --------------------------------------------------

# DuckLake keeps each table's statistics in the catalog (ducklake_table_stats: rows, next row
# id, bytes; ducklake_table_column_stats: each leaf column's nulls and min/max) from its first
# insert on. A table never written has none, and DuckLake (1.5.5) does not remember that: it
# asks the catalog again each time the planner wants them, per column and per scan, so reading
# an empty table cost many times the catalog statements of one with rows (figures in
# docs/lake.md). An empty table's statistics are known (no rows, no values): written as DuckLake
# would have them (the spec's tables, one row per table and one per leaf column, as its first
# insert writes), that insert then updates them as it does any later one's. Only under the
# exclusive publish lock: a publisher committing a table's first rows meanwhile would insert a
# second row of its own.
EMPTY_STATS_SQL = """
WITH seeded AS (
    INSERT INTO ducklake_table_stats (table_id, record_count, next_row_id, file_size_bytes)
    SELECT t.table_id, 0, 0, 0 FROM ducklake_table AS t
    WHERE t.end_snapshot IS NULL
      AND NOT EXISTS (SELECT 1 FROM ducklake_table_stats AS s WHERE s.table_id = t.table_id)
    RETURNING table_id)
INSERT INTO ducklake_table_column_stats (table_id, column_id, contains_null, contains_nan, min_value,
                                         max_value, extra_stats)
SELECT c.table_id, c.column_id, false, NULL, NULL, NULL, NULL
FROM ducklake_column AS c JOIN seeded USING (table_id)
WHERE c.end_snapshot IS NULL
  AND NOT EXISTS (SELECT 1 FROM ducklake_column AS k WHERE k.table_id = c.table_id
                  AND k.parent_column = c.column_id AND k.end_snapshot IS NULL)
RETURNING table_id
"""


def seed_empty_stats(catalog: Any) -> int:
    """Give every live table of the lake without statistics those of an empty table (see
    EMPTY_STATS_SQL), in one catalog statement; `catalog` a psycopg2 connection to the catalog
    database (PublishLock.connection), held under the exclusive lock. Returns the tables seeded."""
    with catalog.cursor() as cursor:
        cursor.execute(EMPTY_STATS_SQL)
        return len({row[0] for row in cursor.fetchall()})


# --- one publisher at a time on the shared tables ----------------------------------------

class PublishLock:
    """A PostgreSQL session advisory lock on the catalog database, held by a connection of its
    own. The server releases it when that connection ends, so a publisher killed mid-commit
    never leaves it held."""

    def __init__(self, spec: str, timeout: float):
        self.dsn = libpq_dsn(spec)
        self.spec = spec
        self.timeout = timeout
        self.conn: Any = None
        self.waits = 0  # times this process found the lock held (counted by the benchmark)
        self.held_seconds = 0.0  # time it held the lock: the serialised share of its work (ditto)
        self._since = 0.0

    @contextmanager
    def held(self) -> Iterator[None]:
        self.acquire()
        self._since = time.perf_counter()
        try:
            yield
        finally:
            self.held_seconds += time.perf_counter() - self._since
            self.release()

    def connection(self) -> Any:
        """The lock's own catalog connection (autocommit): what holds the lock, and what
        seed_empty_stats writes through while it is held."""
        return self._connection()

    def _connection(self) -> Any:
        import psycopg2

        if self.conn is None or self.conn.closed:
            try:
                self.conn = psycopg2.connect(self.dsn, connect_timeout=10)
            except psycopg2.Error as exc:
                raise WarehouseError(f"cannot reach the lake catalog {redacted(self.spec)}: {exc}".strip(),
                                     hint="check the catalog database is up and the spec's host, "
                                          "port, user and dbname") from exc
            self.conn.autocommit = True
        return self.conn

    @contextmanager
    def shared(self, ids: list[str]) -> Iterator[None]:
        """The lock in shared mode (any number of appending publishers, no exclusive writer) and
        a lock on each of `ids` (the batch's run, articles and documents: two runs carrying the
        same new document take turns, and the second then finds it stored)."""
        self.acquire(shared=True)
        self._since = time.perf_counter()
        try:
            self._wait("SELECT count(pg_advisory_lock(%s, h)) FROM (SELECT DISTINCT hashtext(x) AS h "
                       "FROM unnest(%s::text[]) AS x ORDER BY h) AS s", (ITEM_LOCK_SPACE, ids))
            yield
        finally:
            self.held_seconds += time.perf_counter() - self._since
            self.release(shared=True, ids=ids)

    def _wait(self, sql: str, params: tuple) -> None:
        """Run a blocking lock statement for at most `timeout` seconds."""
        import psycopg2

        with self._connection().cursor() as cursor:
            try:
                cursor.execute("SET statement_timeout = %s", (max(1, int(self.timeout * 1000)),))
                cursor.execute(sql, params)
            except psycopg2.extensions.QueryCanceledError as exc:
                raise WarehouseLockedError(
                    f"another publisher has held the lake {redacted(self.spec)} for more than {self.timeout:.0f}s",
                    hint="it is retried, or raise NEWSMON_LOCK_TIMEOUT_SECONDS") from exc
            finally:
                cursor.execute("SET statement_timeout = 0")

    def acquire(self, shared: bool = False) -> None:
        """Wait in PostgreSQL's queue for the lock (fair: a publisher polling could lose to the
        others for ever, and an exclusive waiter holds back later shared ones), for at most
        `timeout` seconds."""
        mode = "_shared" if shared else ""
        with self._connection().cursor() as cursor:
            cursor.execute(f"SELECT pg_try_advisory_lock{mode}(%s)", (LOCK_KEY,))
            if cursor.fetchone()[0]:
                return
        self.waits += 1
        self._wait(f"SELECT pg_advisory_lock{mode}(%s)", (LOCK_KEY,))

    def release(self, shared: bool = False, ids: list[str] | None = None) -> None:
        if self.conn is not None and not self.conn.closed:
            try:
                with self.conn.cursor() as cursor:
                    if ids:
                        cursor.execute("SELECT count(pg_advisory_unlock(%s, h)) FROM (SELECT DISTINCT hashtext(x) "
                                       "AS h FROM unnest(%s::text[]) AS x) AS s", (ITEM_LOCK_SPACE, ids))
                    cursor.execute(f"SELECT pg_advisory_unlock{'_shared' if shared else ''}(%s)", (LOCK_KEY,))
            except Exception:  # a dead connection released it already
                self.conn.close()

    def close(self) -> None:
        if self.conn is not None and not self.conn.closed:
            self.conn.close()


def latest_snapshot(spec: str) -> tuple[int, int] | None:
    """(the lake's latest snapshot id, 0), one catalog query: what a reader compares to see
    whether anything was committed since (the dashboards' cache key); None without a lake."""
    import psycopg2

    try:
        conn = psycopg2.connect(libpq_dsn(spec), connect_timeout=10)
    except psycopg2.Error:
        return None
    try:
        with conn.cursor() as cursor:
            cursor.execute("SELECT max(snapshot_id) FROM ducklake_snapshot")
            row = cursor.fetchone()
    except psycopg2.Error:
        return None
    finally:
        conn.close()
    return (int(row[0]), 0) if row and row[0] is not None else None


def is_conflict(exc: Exception) -> bool:
    """A DuckLake commit that lost to a concurrent one on the same data (worth a retry)."""
    text = str(exc).lower()
    return any(sign in text for sign in ("conflict", "concurrent", "could not serialize", "maximum retry count",
                                         "deadlock"))
