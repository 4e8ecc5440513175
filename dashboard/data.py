"""Read-only access to the warehouse through the SQL views in dashboard/sql/.

The warehouse file is never opened for writing and never held open: DuckDB lets a writer in
only when no other process has the file open, so a dashboard that kept a connection would
block the next pipeline run. Two ways in:

- ``build_snapshot``: attach the file read-only, materialise the aggregate marts (small: one
  row per day, publisher, entity-day, event) into an in-memory database, detach. Charts and
  tables query that snapshot; the UI rebuilds it when the file changes (``fingerprint``).
- ``LiveWarehouse``: an in-memory connection holding every view, to which the file is
  attached read-only for the length of one query only, for drill-downs that filter on one id
  (an entity, event or article). Views bind by name when queried, so they survive the
  detach, and a query pays about 4 ms to attach instead of ~40 ms to recreate 25 views.
- ``open_views``: the same views on a connection of its own, for one-off use.

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

SQL_DIR = Path(__file__).resolve().parent / "sql"
WAREHOUSE_ALIAS = "warehouse"  # the name the staging views read from (warehouse.<table>)
SNAPSHOT_SCHEMA = "snapshot"

# Marts copied whole and queried on every page view, in this order: once a mart is copied,
# its view is pointed at the copy, so later marts built on it (entity totals on entity
# daily) read the copy instead of recomputing. The value is the ORDER BY of the copy: rows
# stored in day order let a period filter skip whole row groups (DuckDB zone maps).
SNAPSHOT_MARTS = {
    "mart_overview": None,
    "mart_articles_daily": None,
    "mart_publishers": None,
    "mart_quarantine_reasons": None,
    "mart_runs": None,
    "mart_quality_latest": None,
    "mart_entity_daily": "article_day, entity_id",
    "mart_entity_totals": None,
    "mart_events": None,
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

    Marts read staging views only, so staging-then-marts is a valid creation order."""
    definitions = []
    for layer in ("staging", "marts"):
        for path in sorted((SQL_DIR / layer).glob("*.sql")):
            definitions.append((path.stem, path.read_text(encoding="utf-8")))
    return tuple(definitions)


def fingerprint(db_path: str | Path) -> tuple[int, int] | None:
    """Changes whenever the warehouse file is rewritten; None when it does not exist."""
    try:
        stat = Path(db_path).stat()
    except FileNotFoundError:
        return None
    return (stat.st_mtime_ns, stat.st_size)


def _attach(con: duckdb.DuckDBPyConnection, db_path: Path) -> None:
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


def _create_views(con: duckdb.DuckDBPyConnection, db_path: Path) -> None:
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
    path = Path(db_path).resolve()
    con = duckdb.connect(":memory:")
    try:
        _attach(con, path)
        _create_views(con, path)
        yield con
    finally:
        con.close()


def build_snapshot(db_path: str | Path,
                   marts: Mapping[str, str | None] = SNAPSHOT_MARTS) -> duckdb.DuckDBPyConnection:
    """Materialise the aggregate marts into a new in-memory database, then let go of the file.

    Tables keep their mart names under the ``snapshot`` schema (``snapshot.mart_overview``)."""
    path = Path(db_path).resolve()
    con = duckdb.connect(":memory:")
    try:
        _attach(con, path)
        _create_views(con, path)
        con.execute(f"CREATE SCHEMA {SNAPSHOT_SCHEMA}")
        for mart, order in marts.items():
            ordered = f" ORDER BY {order}" if order else ""
            con.execute(f"CREATE TABLE {SNAPSHOT_SCHEMA}.{mart} AS SELECT * FROM {mart}{ordered}")
            con.execute(f"CREATE OR REPLACE VIEW {mart} AS SELECT * FROM {SNAPSHOT_SCHEMA}.{mart}")
        for name, _ in reversed(view_definitions()):
            con.execute(f"DROP VIEW {name}")
        con.execute(f"DETACH {WAREHOUSE_ALIAS}")
    except BaseException:
        con.close()
        raise
    return con


class SnapshotCache:
    """The snapshot of the current warehouse file, rebuilt in the background when it changes.

    At a million articles a rebuild takes seconds (see benchmarks/query_bench.py): meanwhile
    pages keep answering from the previous snapshot, marked stale, instead of waiting. Only the
    first snapshot of a file is built while the caller waits, as there is nothing to show."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._current: tuple[Path, tuple[int, int], duckdb.DuckDBPyConnection] | None = None
        self._builder: threading.Thread | None = None
        self.last_error: Exception | None = None  # why the latest background rebuild failed

    def get(self, db_path: str | Path) -> tuple[duckdb.DuckDBPyConnection, bool]:
        """(snapshot connection, stale?). Raises WarehouseError if there is no snapshot to give."""
        path = Path(db_path).resolve()
        found = fingerprint(path)
        with self._lock:
            current = self._current
            if current and current[0] == path and current[1] == found:
                return current[2], False
            if current is None or current[0] != path or found is None:
                snapshot = build_snapshot(path)  # raises the error that says what to do
                self._current = (path, found, snapshot)
                return snapshot, False
            if self._builder is None or not self._builder.is_alive():
                self._builder = threading.Thread(target=self._rebuild, args=(path, found), daemon=True)
                self._builder.start()
            return current[2], True

    def _rebuild(self, path: Path, found: tuple[int, int]) -> None:
        try:
            snapshot = build_snapshot(path)
        except WarehouseError as exc:  # e.g. a pipeline run holds the file: the next get retries
            self.last_error = exc
            return
        with self._lock:
            # The old snapshot is not closed here: a page may still hold a cursor on it;
            # it closes when the last reference goes.
            self._current = (path, found, snapshot)
            self.last_error = None

    def wait(self, timeout: float | None = None) -> None:
        """Block until a background rebuild in progress is over (for tests and scripts)."""
        builder = self._builder
        if builder is not None:
            builder.join(timeout)


def run_query(con: duckdb.DuckDBPyConnection, query: Query,
              params: Mapping[str, object] | None = None) -> pd.DataFrame:
    """Run a catalogue query on a snapshot (``build_snapshot``) or views (``open_views``)."""
    return con.execute(query.sql, dict(params or {})).df()


class LiveWarehouse:
    """Views defined once, the warehouse file attached only while a query runs.

    Attaching is connection-wide state, so queries from concurrent page runs take turns."""

    def __init__(self, db_path: str | Path):
        self.db_path = Path(db_path).resolve()
        self._lock = threading.Lock()
        self._con = duckdb.connect(":memory:")
        try:
            with self._attached():
                _create_views(self._con, self.db_path)
        except BaseException:
            self._con.close()
            raise

    @contextmanager
    def _attached(self) -> Iterator[None]:
        _attach(self._con, self.db_path)
        try:
            yield
        finally:
            self._con.execute(f"DETACH {WAREHOUSE_ALIAS}")

    def fetch(self, query: Query, params: Mapping[str, object] | None = None) -> pd.DataFrame:
        with self._lock, self._attached():
            return run_query(self._con, query, params)

    def close(self) -> None:
        with self._lock:
            self._con.close()

