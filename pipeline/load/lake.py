"""The warehouse as a DuckLake: a PostgreSQL catalog and Parquet data files on shared storage.

Set ``lake`` (or ``--db`` / ``NEWSMON_DB_PATH``) to ``ducklake:postgres:<libpq keywords>`` and
``lake_data_path`` to where a new lake writes its files (a folder every worker mounts, or
``s3://bucket/prefix/`` through httpfs). Everything else reads and writes the same tables with
the same SQL as in a file (docs/lake.md). What differs, and lives here:

- connecting: the extensions are loaded from the pinned PyPI packages' files, never installed
  from the network, and the lake is attached as the connection's default database;
- DuckLake has no PRIMARY KEY: tables are created without the constraints and written with
  ``MERGE`` on the keys the DDL declares (:func:`primary_keys`) instead of ``INSERT OR REPLACE``;
- several publishers: each write transaction runs under a PostgreSQL advisory lock on the
  catalog database (:class:`PublishLock`), taken *before* the transaction starts, so it reads
  the snapshot the previous publisher committed (dedup signatures, entity memory, counts).
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import duckdb

from pipeline.errors import WarehouseError, WarehouseLockedError

LAKE_PREFIX = "ducklake:"
CATALOG_PREFIX = "ducklake:postgres:"
ALIAS = "lake"  # the name the lake is attached under (the connection's default database)
EXTENSIONS = ("postgres", "ducklake")  # load order: ducklake's postgres catalog needs postgres
# A constant 64-bit key for pg_advisory_lock: "newsmon publish" (any number both sides agree on).
LOCK_KEY = 0x6E65_7773_6D6F_6E01
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


def _instance(spec: str, data_path: str, read_only: bool,
              config: dict[str, Any] | None = None) -> duckdb.DuckDBPyConnection:
    settings: dict[str, Any] = {"autoinstall_known_extensions": False, "autoload_known_extensions": False}
    con = duckdb.connect(":memory:", config=settings)
    try:
        load_extensions(con)
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
_INSTANCES: dict[tuple[str, str, bool], duckdb.DuckDBPyConnection] = {}
_INSTANCES_LOCK = threading.Lock()


def connect(spec: str, *, data_path: str = "", read_only: bool = False,
            config: dict[str, Any] | None = None) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection whose default database is the lake."""
    if config:
        return _instance(spec, data_path, read_only, config)
    key = (spec, data_path, read_only)
    with _INSTANCES_LOCK:
        base = _INSTANCES.get(key)
        if base is None:
            base = _INSTANCES[key] = _instance(spec, data_path, read_only)
        con = base.cursor()
    con.execute(f"USE {ALIAS}")
    return con


def forget_connections() -> None:
    """Close the cached instances (tests that drop a catalog database)."""
    with _INSTANCES_LOCK:
        for con in _INSTANCES.values():
            con.close()
        _INSTANCES.clear()


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
        con.execute(f'ALTER TABLE {alias}."{table}" SET SORTED BY ({", ".join(chr(34) + c + chr(34) for c in keys[table])})')
    size = con.execute(f"SELECT value FROM ducklake_options('{alias}') WHERE option_name = 'parquet_row_group_size'"
                       ).fetchone()
    if not size or str(size[0]) != str(ROW_GROUP_ROWS):
        con.execute(f"CALL {alias}.set_option('parquet_row_group_size', {ROW_GROUP_ROWS})")
    return changed


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

    def acquire(self) -> None:
        """Wait in PostgreSQL's queue for the lock (fair: a publisher polling could lose to the
        others for ever), for at most `timeout` seconds."""
        import psycopg2

        with self._connection().cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", (LOCK_KEY,))
            if cursor.fetchone()[0]:
                return
            self.waits += 1
            try:
                cursor.execute("SET statement_timeout = %s", (max(1, int(self.timeout * 1000)),))
                cursor.execute("SELECT pg_advisory_lock(%s)", (LOCK_KEY,))
            except psycopg2.extensions.QueryCanceledError as exc:
                raise WarehouseLockedError(
                    f"another publisher has held the lake {redacted(self.spec)} for more than {self.timeout:.0f}s",
                    hint="it is retried, or raise NEWSMON_LOCK_TIMEOUT_SECONDS") from exc
            finally:
                cursor.execute("SET statement_timeout = 0")

    def release(self) -> None:
        if self.conn is not None and not self.conn.closed:
            try:
                with self.conn.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s)", (LOCK_KEY,))
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
    return "conflict" in text or "concurrent" in text or "could not serialize" in text
