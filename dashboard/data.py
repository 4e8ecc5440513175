"""Read-only access to the warehouse through the SQL views in dashboard/sql/.

The warehouse file is never opened for writing and never held open: DuckDB lets a writer in
only when no other process has the file open, so a dashboard that kept a connection would
block the next pipeline run. A ``Snapshot`` is an in-memory database that holds

- every staging and mart view (dashboard/sql/), and
- copies of the marts the pages read on every view (``SNAPSHOT_MARTS``: one row per day,
  publisher, entity-day, event, article) and of the entities and events the drill-downs join,
  taken while the file was attached read-only.

"snapshot" queries read the copies; "live" queries (drill-downs filtering on one entity,
event or article) attach the file read-only for the length of that one query. Views bind by
name when queried, so they survive the detach, and a mart view, once copied, points at its
copy: live queries join the in-memory copies instead of re-reading the file.
``SnapshotCache`` rebuilds the snapshot in the background when the file changes.

A lake (docs/lake.md) is a location like a file: the same views over its tables. It stays
attached for the snapshot's life (readers there block no writer), pinned at the lake snapshot
the copies were taken from, and "changed" means a new snapshot id in its catalog.

This module knows nothing of Streamlit, so benchmarks and tests use it directly.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import duckdb
import pandas as pd

from pipeline.errors import WarehouseError, WarehouseLockedError
from pipeline.load import lake

SQL_DIR = Path(__file__).resolve().parent / "sql"
WAREHOUSE_ALIAS = "warehouse"  # the name the staging views read from (warehouse.<table>)
SNAPSHOT_SCHEMA = "snapshot"

# Marts copied whole and queried on every page view, in this order: once a mart is copied,
# its view is pointed at the copy, so later marts built on it (entity totals on entity
# daily) read the copy instead of recomputing. The value is the ORDER BY of the copy: rows
# stored in day order let a period filter skip whole row groups (DuckDB zone maps).
SNAPSHOT_MARTS = {
    # The shared tables the drill-downs join (one row per entity or event): on a lake these
    # are views that fold each key's rows, and no drill-down's filter reaches below the fold,
    # so each live join to them re-read and grouped the whole table (article_events 3.4x the
    # file's time at 1M articles); copied, the live queries join the copy.
    "stg_entities": None,
    "stg_events": None,
    "mart_overview": None,
    "mart_articles_daily": None,
    "mart_publishers": None,
    "mart_quarantine_reasons": None,
    "mart_runs": None,
    "mart_quality_latest": None,
    "mart_entity_daily": "article_day, entity_id",
    "mart_entity_totals": None,
    "mart_events": None,
    "mart_article_index": None,
    "mart_entity_article_index": "entity_key",
}


@dataclass(frozen=True)
class Query:
    """A named dashboard query: pages and benchmarks run the same text."""

    name: str
    sql: str
    source: str  # "snapshot" (materialised marts) | "live" (views over the attached file)


@cache
def view_definitions() -> tuple[tuple[str, str], ...]:
    """(view name, SELECT text) for every staging view, then every mart, from the .sql files.

    A view is bound when created, so marts read staging views or marts whose names sort
    before theirs."""
    definitions = []
    for layer in ("staging", "marts"):
        for path in sorted((SQL_DIR / layer).glob("*.sql")):
            definitions.append((path.stem, path.read_text(encoding="utf-8")))
    return tuple(definitions)


def location(db_path: str | Path) -> str | Path:
    """A warehouse file's full path, or a lake spec (docs/lake.md) as it is."""
    return str(db_path) if lake.is_lake(str(db_path)) else Path(db_path).resolve()


def fingerprint(db_path: str | Path) -> tuple[int, int] | None:
    """Changes whenever the warehouse file is rewritten (a lake: commits a snapshot); None when
    it does not exist."""
    if lake.is_lake(str(db_path)):
        return lake.latest_snapshot(str(db_path))
    try:
        stat = Path(db_path).stat()
    except FileNotFoundError:
        return None
    return (stat.st_mtime_ns, stat.st_size)


def _memory_connection() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(":memory:")
    con.execute("SET enable_progress_bar = false")  # long copies would draw bars in the server log
    return con


def _attach(con: duckdb.DuckDBPyConnection, db_path: str | Path, snapshot: int | None = None) -> None:
    if isinstance(db_path, str):  # a lake: the same views over its tables
        lake.load_extensions(con)
        lake.attach(con, db_path, alias=WAREHOUSE_ALIAS, read_only=True, snapshot=snapshot)
        lake.load_storage_extension(con, WAREHOUSE_ALIAS)
        return
    if not db_path.is_file():
        raise WarehouseError(f"no warehouse at {db_path}", item=str(db_path),
                             hint="run `make run` (or `newsmon run`) first, or point NEWSMON_DB_PATH at one")
    quoted = str(db_path).replace("'", "''")
    try:
        con.execute(f"ATTACH '{quoted}' AS {WAREHOUSE_ALIAS} (READ_ONLY)")
    except duckdb.IOException as exc:
        if "lock" in str(exc).lower():
            raise WarehouseLockedError("the warehouse is being written by a pipeline run",
                                       item=str(db_path), hint="reload the page in a few seconds") from exc
        raise WarehouseError(f"cannot open the warehouse: {exc}", item=str(db_path)) from exc


def _create_views(con: duckdb.DuckDBPyConnection, db_path: str | Path) -> None:
    for name, select in view_definitions():
        try:
            con.execute(f"CREATE VIEW {name} AS {select}")
        except duckdb.CatalogException as exc:
            raise WarehouseError(f"the warehouse lacks what view {name} reads: {exc}", item=str(db_path),
                                 hint="the file predates schemas/warehouse.sql; re-run the pipeline") from exc


@contextmanager
def open_views(db_path: str | Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """An in-memory connection with the warehouse attached read-only and all views created.

    The file is detached when the block ends."""
    path = location(db_path)
    con = _memory_connection()
    try:
        _attach(con, path)
        _create_views(con, path)
        yield con
    finally:
        con.close()


def run_query(con: duckdb.DuckDBPyConnection, query: Query,
              params: Mapping[str, object] | None = None) -> pd.DataFrame:
    """Run a catalogue query on a connection that has the views (and, if needed, the file)."""
    return con.execute(query.sql, dict(params or {})).df()


class Snapshot:
    """The views plus in-memory copies of the marts; the file attached only during live queries."""

    def __init__(self, db_path: str | Path, marts: Mapping[str, str | None] = SNAPSHOT_MARTS):
        self.db_path = location(db_path)
        # A lake stays attached: a reader there blocks no writer, and attaching costs catalog
        # round trips. It is pinned at its latest snapshot, so live queries read the state the
        # copies were taken from, and they run in one read transaction held for the snapshot's
        # life: DuckLake then looks up the snapshot and each table's file list once, not per
        # query (a catalog round trip that cost more than a drill-down itself).
        self.lake = isinstance(self.db_path, str)
        self._live_lock = threading.Lock()  # attaching is database-wide: live queries take turns
        self._live: duckdb.DuckDBPyConnection | None = None
        self.con = _memory_connection()
        try:
            pinned = lake.latest_snapshot(str(self.db_path)) if self.lake else None
            _attach(self.con, self.db_path, pinned[0] if pinned else None)
            _create_views(self.con, self.db_path)
            self.con.execute(f"CREATE SCHEMA {SNAPSHOT_SCHEMA}")
            for mart, order in marts.items():
                ordered = f" ORDER BY {order}" if order else ""
                self.con.execute(f"CREATE TABLE {SNAPSHOT_SCHEMA}.{mart} AS SELECT * FROM {mart}{ordered}")
                self.con.execute(f"CREATE OR REPLACE VIEW {mart} AS SELECT * FROM {SNAPSHOT_SCHEMA}.{mart}")
            if self.lake:
                self._live = self.con.cursor()
                self._live.execute("BEGIN TRANSACTION")
            else:
                self.con.execute(f"DETACH {WAREHOUSE_ALIAS}")
        except BaseException:
            self.con.close()
            raise

    def run(self, query: Query, params: Mapping[str, object] | None = None) -> pd.DataFrame:
        """Run a catalogue query; safe from several threads (each gets its own cursor)."""
        if query.source == "snapshot":
            cursor = self.con.cursor()
            try:
                return run_query(cursor, query, params)
            finally:
                cursor.close()
        with self._live_lock:
            if self._live is not None:
                try:
                    return run_query(self._live, query, params)
                except duckdb.Error:
                    # A failed statement aborts the transaction: a new one for the next query.
                    self._live.execute("ROLLBACK")
                    self._live.execute("BEGIN TRANSACTION")
                    raise
            _attach(self.con, self.db_path)
            try:
                return run_query(self.con, query, params)
            finally:
                self.con.execute(f"DETACH {WAREHOUSE_ALIAS}")

    def close(self) -> None:
        with self._live_lock:
            if self._live is not None:
                self._live.close()  # ends its read transaction
                self._live = None
            self.con.close()


class SnapshotCache:
    """The snapshot of the current warehouse file, rebuilt in the background when it changes.

    At a million articles a rebuild takes many seconds (see benchmarks/query_bench.py):
    meanwhile pages keep answering from the previous snapshot, marked stale, instead of
    waiting. Only the first snapshot of a file is built while the caller waits, as there is
    nothing to show before it."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._current: tuple[str | Path, tuple[int, int] | None, Snapshot] | None = None
        self._builder: threading.Thread | None = None
        self.last_error: Exception | None = None  # why the latest background rebuild failed

    def get(self, db_path: str | Path) -> tuple[Snapshot, bool]:
        """(snapshot, stale?). Raises WarehouseError if there is no snapshot to give."""
        path = location(db_path)
        found = fingerprint(path)
        with self._lock:
            current = self._current
            if current and current[0] == path and current[1] == found:
                return current[2], False
            if current is None or current[0] != path or found is None:
                snapshot = Snapshot(path)  # raises the error that says what to do
                self._current = (path, found, snapshot)
                return snapshot, False
            if self._builder is None or not self._builder.is_alive():
                self._builder = threading.Thread(target=self._rebuild, args=(path, found), daemon=True)
                self._builder.start()
            return current[2], True

    def _rebuild(self, path: str | Path, found: tuple[int, int]) -> None:
        try:
            snapshot = Snapshot(path)
        except WarehouseError as exc:  # e.g. a pipeline run holds the file: the next get retries
            self.last_error = exc
            return
        with self._lock:
            # The old snapshot is not closed here: a page may still be reading it; it closes
            # when the last reference goes.
            self._current = (path, found, snapshot)
            self.last_error = None

    def wait(self, timeout: float | None = None) -> None:
        """Block until a background rebuild in progress is over (for tests and scripts)."""
        builder = self._builder
        if builder is not None:
            builder.join(timeout)
