"""The DuckDB warehouse: the only module that writes it.

DuckDB allows one writing process per file. Opening retries while another process holds
the lock (a DAG run and a CLI run at the same time), then fails with a transient
:class:`WarehouseLockedError` that says who to wait for. A batch loads in one transaction:
either all of a run's rows land or none do, so a killed run leaves the previous state.
"""

from __future__ import annotations

import json
import logging
import random
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

import duckdb
import pandas as pd
import pyarrow as pa

from pipeline import faults
from pipeline.errors import WarehouseError, WarehouseLockedError
from pipeline.load import lake
from pipeline.load.migrations import current_version, latest_version, migrate, read_sql, refresh_sql
from pipeline.records import (
    BATCH_RECORDS,
    Alert,
    Batch,
    DuplicateLink,
    QualityResult,
)
from pipeline.settings import Settings
from pipeline.staging import from_arrow, to_arrow

T = TypeVar("T")
log = logging.getLogger(__name__)

# (batch attribute, record class, table) in load order: parents before children.
TABLES: list[tuple[str, type, str]] = [(attr, cls, table) for attr, (cls, table) in BATCH_RECORDS.items() if table]
# What a load reads of a batch: its tables' records and the duplicate links it applies.
LOADED: dict[str, type] = {attr: cls for attr, cls, _ in TABLES} | {"duplicate_links": DuplicateLink}
# Rows that belong to an article and are replaced whole when the article is reprocessed.
ARTICLE_CHILDREN = ["boilerplate_removed", "captions", "entity_mentions", "event_mentions"]


# Settings of a connection that runs queries someone typed (`newsmon sql`): the warehouse file
# is the only file it touches (no COPY TO, ATTACH, read_csv), it installs and loads no
# extension, and lock_configuration (last) stops a query from SETting any of this back.
SANDBOX: dict[str, Any] = {
    "enable_external_access": False,
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "allow_community_extensions": False,
    "lock_configuration": True,
}


@lru_cache(maxsize=64)
def _not_stored(schemas_dir: Path, table: str) -> frozenset[str]:
    """Record fields that travel between stages but are no column ("x-column": false)."""
    path = Path(schemas_dir) / f"{table}.schema.json"
    if not path.exists():
        return frozenset()
    properties = json.loads(path.read_text(encoding="utf-8")).get("properties", {})
    return frozenset(name for name, spec in properties.items() if spec.get("x-column", True) is False)


def _ids(tables: dict[str, pa.Table], attrs: Iterable[str], column: str) -> set[str]:
    return {value for attr in attrs if attr in tables for value in tables[attr].column(column).to_pylist()}


@lru_cache(maxsize=8)
def declared_keys(schemas_dir: Path) -> dict[str, list[str]]:
    """Each warehouse table's primary key columns, as the schema's DDL declares them."""
    return lake.primary_keys((Path(schemas_dir) / "warehouse.sql").read_text(encoding="utf-8"))


def first_per_key(rows: pa.Table, keys: list[str]) -> pa.Table:
    """The rows without those repeating an earlier row's key (the key columns `rows` has; a
    missing one, such as run_id, is filled with one value for all): what a file keeps of them,
    whose INSERT OR REPLACE keeps a key's first row of one statement. A lake has no key
    constraint, so its writer drops them itself. Order kept; `rows` itself if none repeats."""
    present = [k for k in keys if k in rows.column_names]
    if rows.num_rows < 2 or not present:
        return rows
    numbered = rows.select(present).append_column("__row", pa.array(range(rows.num_rows), pa.int64()))
    firsts = numbered.group_by(present, use_threads=False).aggregate([("__row", "min")])
    if firsts.num_rows == rows.num_rows:
        return rows
    return rows.take(firsts.column("__row_min").sort())


def _is_lock_error(exc: Exception) -> bool:
    text = str(exc).lower()
    return "lock" in text and ("conflicting" in text or "could not set lock" in text)


def _quoted(table: str) -> str:
    return f'"{table}"'


def _has_copies(articles: pa.Table) -> bool:
    """Whether a batch's articles hold a copy (linked to its canonical, whose counts it changes)."""
    return "is_duplicate" in articles.column_names and any(articles.column("is_duplicate").to_pylist())


class _AlreadyStored(Exception):
    """A batch meant to be appended finds rows of its own stored: it takes the full load."""


class Warehouse:
    """A connection to the warehouse (the file, or the lake: pipeline/load/lake.py); use as a
    context manager."""

    def __init__(self, settings: Settings, *, read_only: bool = False, path: Path | None = None,
                 sandboxed: bool = False):
        """`sandboxed` (read-only) is for queries someone typed: no file but the warehouse, no
        network, no extension installed or loaded, and a query cannot change these settings."""
        self.settings = settings
        self.path = Path(path or settings.db_path)
        self.lake = settings.lake if path is None else ""
        self.location = lake.redacted(self.lake) if self.lake else str(self.path)
        self.read_only = read_only or sandboxed
        self.sandboxed = sandboxed
        # Lake writers take turns on the shared tables; a file has DuckDB's own process lock.
        self._lock = lake.PublishLock(self.lake, settings.lock_timeout_seconds) \
            if self.lake and not self.read_only else None
        self.retries = 0  # lake commits retried after a conflict (counted by the benchmark)
        self._described: dict[str, set[str]] = {}
        self.con = self._connect()
        if not self.read_only:  # sandboxed is read-only too: it must never migrate
            try:
                ddl = (settings.schemas_dir / "warehouse.sql").read_text(encoding="utf-8")
                # A lake already current needs no turn at the publish lock to find that out.
                stale = not self.lake or current_version(self.con) != latest_version()
                if stale:
                    self._write(lambda: migrate(self.con, ddl, self.location, lake=bool(self.lake)), physical=False)
                if self.lake and (stale or not lake.fold_layout_ready(self.con, self.lake)):
                    self._write(lambda: self._lay_out(ddl), physical=False)
            except BaseException:
                self.close()
                raise

    def _lay_out(self, ddl: str) -> None:
        """A new or migrated lake: the shared tables behind their views, and its tables never
        written given an empty table's statistics (lake.seed_empty_stats; under the exclusive lock)."""
        assert self._lock is not None
        lake.make_fold_layout(self.con, ddl, declared_keys(self.settings.schemas_dir))
        self._seed_empty_stats()

    def _seed_empty_stats(self) -> int:
        import psycopg2

        assert self._lock is not None
        try:
            return lake.seed_empty_stats(self._lock.connection())
        except psycopg2.Error as exc:
            raise WarehouseError(f"cannot write the statistics of {self.location}'s empty tables: {exc}".strip(),
                                 hint="check the lake's PostgreSQL role may write its catalog tables") from exc

    def _connect(self) -> duckdb.DuckDBPyConnection:
        if self.lake:
            if self._lock is None:
                return lake.connect(self.lake, read_only=True, config=dict(SANDBOX) if self.sandboxed else None)
            return lake.connect(self.lake, data_path=self.settings.lake_data_path,
                                threads=self.settings.lake_writer_threads,
                                retry_wait_ms=self.settings.lake_retry_wait_ms, guard=self._lock.held)
        if self.read_only and not self.path.exists():
            # Nothing loaded yet: an empty in-memory warehouse with the same tables.
            con = duckdb.connect(":memory:")
            con.execute((self.settings.schemas_dir / "warehouse.sql").read_text(encoding="utf-8"))
            if self.sandboxed:
                for name, value in SANDBOX.items():
                    con.execute(f"SET {name} = {value}")
            return con
        if not self.read_only:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise WarehouseError(f"cannot create the warehouse folder {self.path.parent}: {exc}",
                                     hint="choose a writable --db path") from exc
        deadline = time.monotonic() + self.settings.lock_timeout_seconds
        delay = 0.05
        waiting = False
        while True:
            try:
                return duckdb.connect(str(self.path), read_only=self.read_only,
                                      config=dict(SANDBOX) if self.sandboxed else {})
            except duckdb.IOException as exc:
                if not _is_lock_error(exc):
                    raise WarehouseError(f"cannot open the warehouse {self.path}: {exc}",
                                         hint="check the path, its permissions and free disk space") from exc
                if time.monotonic() >= deadline:
                    raise WarehouseLockedError(
                        f"the warehouse {self.path} is locked by another process for more than "
                        f"{self.settings.lock_timeout_seconds:.0f}s",
                        hint="another newsmon run or DAG task is writing; it is retried, or raise "
                             "NEWSMON_LOCK_TIMEOUT_SECONDS") from exc
                if not waiting:  # say so once: a silent minute looks like a hang
                    waiting = True
                    log.warning("waiting for the warehouse lock on %s: another process is writing it "
                                "(up to %.0f s, setting lock_timeout_seconds)", self.path,
                                self.settings.lock_timeout_seconds)
                time.sleep(delay)
                delay = min(delay * 2, 1.0)

    def close(self) -> None:
        self.con.close()
        if self._lock is not None:
            self._lock.close()

    def _columns(self, table: str) -> set[str]:
        """The table's columns; kept for the connection's life in a lake (a DESCRIBE is catalog
        round trips there; the schema only changes by migrate, before any write)."""
        if self.lake and table in self._described:
            return self._described[table]
        columns = {r[0] for r in self.con.execute(f'DESCRIBE "{table}"').fetchall()}
        if self.lake:
            self._described[table] = columns
        return columns

    def _write(self, work: Callable[[], T], shared_ids: list[str] | None = None, physical: bool = True) -> T:
        """Run `work` (one or more whole transactions). In a lake: under the publish lock,
        exclusively (the shared tables' own rows are then what its SQL names: see
        lake.FOLDED), or with `shared_ids` in shared mode with those ids locked (appends only);
        and again, after a bounded, jittered backoff, when its commit lost a conflict (to another
        publisher or to maintenance); the lock is released while it waits. `physical` False:
        names resolve as readers' do (migrations: a CREATE goes to the first schema searched)."""
        if self._lock is None:
            return work()
        physical = physical and shared_ids is None
        attempts = max(1, self.settings.lake_commit_attempts)
        for attempt in range(1, attempts + 1):
            with self._lock.shared(shared_ids) if shared_ids is not None else self._lock.held():
                if physical:
                    self.con.execute(f"SET search_path = '{lake.ALIAS}.{lake.SHARED},{lake.ALIAS}.main'")
                try:
                    return work()
                except WarehouseError as exc:
                    cause = exc.__cause__
                    if attempt == attempts or not isinstance(cause, Exception) or not lake.is_conflict(cause):
                        raise
                finally:
                    if physical:
                        self.con.execute(f"SET search_path = '{lake.ALIAS}.main'")
            self.retries += 1
            log.warning("lake commit conflict (attempt %d of %d), retrying: %s", attempt, attempts, cause)
            time.sleep(min(0.1 * 2 ** attempt, 2.0) * (0.5 + random.random()))
        raise AssertionError("unreachable")

    def __enter__(self) -> Warehouse:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- reads -------------------------------------------------------------------
    def query_df(self, sql: str, params: Iterable[Any] | None = None) -> pd.DataFrame:
        return self.con.execute(sql, list(params or [])).df()

    def query_arrow(self, sql: str, params: Iterable[Any] | None = None) -> pa.Table:
        return self.con.execute(sql, list(params or [])).to_arrow_table()

    def read_table(self, name: str, exclude: Iterable[str] = ()) -> pd.DataFrame:
        columns = ", ".join(f'"{c}"' for c in exclude)
        return self.query_df(f'SELECT * {f"EXCLUDE ({columns})" if columns else ""} FROM "{name}"')

    def read_tables(self, names: Iterable[str],
                    exclude: dict[str, list[str]] | None = None) -> dict[str, pd.DataFrame]:
        return {name: self.read_table(name, (exclude or {}).get(name, ())) for name in names}

    def read_records(self, table: str, cls: type[T]) -> list[T]:
        """Every row of ``table`` as records of ``cls`` (the tables history is compared with)."""
        return from_arrow(self.query_arrow(f"SELECT * FROM {table}"), cls)

    def scalar(self, sql: str, params: Iterable[Any] | None = None) -> Any:
        row = self.con.execute(sql, list(params or [])).fetchone()
        return row[0] if row else None

    # --- writes ------------------------------------------------------------------
    def _upsert(self, table: str, records: list[Any] | pa.Table, cls: type, run_id: str,
                new_rows: bool = False, counted: pa.Table | None = None, target: str = "") -> int:
        """Write the rows, replacing a stored row with the same key. `new_rows` (a lake): no
        stored row can have their keys, so a plain append, without the MERGE's join against the
        whole table. `counted` (a lake, entities): the counts this batch's new canonical
        mentions add (entity_id, article_count, mention_count), added to the stored ones."""
        staged = records if isinstance(records, pa.Table) else to_arrow(records, cls)
        if not staged.num_rows:
            return 0
        columns = self._columns(table)
        lost = [name for name in staged.column_names if name not in columns and name not in _not_stored(
            self.settings.schemas_dir, table)]
        if lost:  # dropping them would lose their values without a word
            raise WarehouseError(f"the table {table} of {self.location} has no column {', '.join(lost)}",
                                 hint="the warehouse schema is behind the code: a migration is missing "
                                      "(pipeline/load/migrations.py)")
        keep = [name for name in staged.column_names if name in columns]
        staged = staged.select(keep)
        if "run_id" in columns and "run_id" not in keep:
            staged = staged.append_column("run_id", pa.array([run_id] * staged.num_rows, pa.string()))
        self.con.register("staged_rows", staged)
        try:
            if self.lake and new_rows:
                self.con.execute(f'INSERT INTO {target or _quoted(table)} BY NAME SELECT * FROM staged_rows')
            elif self.lake and counted is not None:
                self.con.register("counted", counted)
                self.con.execute(lake.merge_counts_sql(table, staged.column_names,
                                                       declared_keys(self.settings.schemas_dir)[table][0]))
                self.con.unregister("counted")
            elif self.lake:
                keys = declared_keys(self.settings.schemas_dir)[table]
                self.con.execute(lake.merge_sql(table, staged.column_names, keys))
            else:
                self.con.execute(f'INSERT OR REPLACE INTO "{table}" BY NAME SELECT * FROM staged_rows')
        finally:
            self.con.unregister("staged_rows")
        return staged.num_rows

    def load_batch(self, batch: Batch, *, stats: dict[str, Any] | None = None,
                   started_at: Any = None, trigger: str = "cli") -> dict[str, int]:
        """Write one run's records in a single transaction; return rows written per table."""
        tables = {attr: to_arrow(getattr(batch, attr), cls) for attr, cls in LOADED.items()}
        return self.load_tables(batch.run_id, tables, stats=stats, started_at=started_at, trigger=trigger)

    def load_tables(self, run_id: str, tables: dict[str, pa.Table], *, stats: dict[str, Any] | None = None,
                    started_at: Any = None, trigger: str = "cli") -> dict[str, int]:
        """`load_batch` for a batch kept as the Arrow tables of its records, named by Batch
        attribute, as staging stores them: the publish step loads the staged files without
        turning every row into an object and back (a third of publishing, by pyinstrument)."""
        if self.lake:  # before anything counts them: a key's rows repeated in the batch are one row
            tables = self._first_per_key(run_id, tables)
        if self._lock is not None:
            ids = self._appendable(run_id, tables)
            if ids is not None:
                written = self._write(lambda: self._append_batch(run_id, tables, stats, started_at, trigger),
                                      shared_ids=ids)
                if written is not None:
                    return written
        return self._write(lambda: self._load_tables(run_id, tables, stats, started_at, trigger))

    def _first_per_key(self, run_id: str, tables: dict[str, pa.Table]) -> dict[str, pa.Table]:
        keys = declared_keys(self.settings.schemas_dir)
        out = dict(tables)
        for attr, _cls, table in TABLES:
            if attr in out and table in keys:
                out[attr] = first_per_key(out[attr], keys[table])
                if out[attr].num_rows != tables[attr].num_rows:
                    log.info("run %s: %d rows of %s repeat a key of the batch; the first is kept, as a file "
                             "keeps it", run_id, tables[attr].num_rows - out[attr].num_rows, table)
        return out

    def _appendable(self, run_id: str, tables: dict[str, pa.Table]) -> list[str] | None:
        """The ids to lock when the batch can be published by appending alone (a lake; whether
        none of them is stored yet is checked under their locks): no dedup verdict, alias or
        copy (each changes rows stored before), every mentioned entity and event carried (their
        rows hold this batch's counts), and not more ids than lake.ITEM_LOCKS_MAX. None if not."""
        def column(attr: str, name: str) -> set[str]:
            rows = tables.get(attr)
            return set(rows.column(name).to_pylist()) if rows is not None and name in rows.column_names else set()

        changes = any(tables[attr].num_rows for attr in ("duplicate_links", "entity_aliases") if attr in tables)
        articles = tables.get("articles")
        copies = articles is not None and _has_copies(articles)
        if changes or copies or not column("mentions", "entity_id") <= column("entities", "entity_id") or \
                not column("event_mentions", "event_id") <= column("events", "event_id"):
            return None
        ids = sorted({run_id} | column("articles", "article_id") | column("documents", "doc_id"))
        return ids if len(ids) <= lake.ITEM_LOCKS_MAX else None

    def _append_batch(self, run_id: str, tables: dict[str, pa.Table], stats: dict[str, Any] | None,
                      started_at: Any, trigger: str) -> dict[str, int] | None:
        """A new batch (nothing of it stored: else None, and the full load runs) as appends only:
        its own rows, and rows of the shared tables carrying this batch's counts (summed on read,
        lake.FOLDED). One transaction, under the publish lock's shared mode."""
        written: dict[str, int] = {}
        try:
            with self._batch_transaction(run_id):
                if any(self._stored(tables, run_id)):
                    raise _AlreadyStored
                counted = self._batch_counts(tables)
                for attr, cls, table in TABLES:
                    rows = counted.get(table, tables.get(attr))
                    target = f'{lake.SHARED}."{table}"' if table in lake.FOLDED else _quoted(table)
                    written[table] = self._upsert(table, rows if rows is not None else [], cls, run_id,
                                                  new_rows=True, target=target)
                self.con.execute("INSERT INTO pipeline_runs (run_id, started_at, finished_at, trigger, stats) "
                                 "VALUES (?, coalesce(?::TIMESTAMP, now()::TIMESTAMP), now()::TIMESTAMP, ?, ?)",
                                 [run_id, started_at, trigger, json.dumps({**(stats or {}), "loaded": written})])
                faults.reached("load.before_commit", self.settings.kill_at)
        except _AlreadyStored:
            return None
        return written

    @contextmanager
    def _batch_transaction(self, run_id: str) -> Iterator[None]:
        """One transaction for a run's rows: committed whole, or rolled back and said so."""
        self.con.execute("BEGIN TRANSACTION")
        try:
            yield
            self.con.execute("COMMIT")
        except duckdb.Error as exc:
            self._rollback()
            raise WarehouseError(f"loading run {run_id} into {self.location} failed, nothing was "
                                 f"written: {exc}", hint="free disk space or fix permissions, then "
                                 "re-run: the run is idempotent") from exc
        except BaseException:
            self._rollback()
            raise

    def _batch_counts(self, tables: dict[str, pa.Table]) -> dict[str, pa.Table]:
        """The batch's entities and events with the counts of its own mentions (all canonical:
        an appended batch has no copy), computed here, in memory: what its rows add."""
        out: dict[str, pa.Table] = {}
        empty = {"mentions": ("entity_id", "article_id"), "event_mentions": ("event_id", "article_id")}
        for attr, names in empty.items():
            rows = tables.get(attr)
            self.con.register(f"batch_{attr}", rows if rows is not None else
                              pa.table({n: pa.array([], pa.string()) for n in names}))
        articles = tables.get("articles")
        self.con.register("batch_articles", articles if articles is not None else pa.table(
            {n: pa.array([], t) for n, t in (("article_id", pa.string()), ("publisher", pa.string()),
                                            ("url", pa.string()), ("source_uri", pa.string()),
                                            ("first_seen_at", pa.timestamp("us")),
                                            ("published_at", pa.timestamp("us")))}))
        try:
            entities = tables.get("entities")
            if entities is not None and entities.num_rows:
                self.con.register("batch_entities", entities)
                out["entities"] = self.con.execute(read_sql("batch_entity_counts")).to_arrow_table()
                self.con.unregister("batch_entities")
            events = tables.get("events")
            if events is not None and events.num_rows:
                self.con.register("batch_events", events)
                out["events"] = self.con.execute(read_sql("batch_event_counts")).to_arrow_table()
                self.con.unregister("batch_events")
        finally:
            for name in ("batch_mentions", "batch_event_mentions", "batch_articles"):
                self.con.unregister(name)
        return out

    def _load_tables(self, run_id: str, tables: dict[str, pa.Table], stats: dict[str, Any] | None,
                     started_at: Any, trigger: str) -> dict[str, int]:
        written: dict[str, int] = {}
        with self._batch_transaction(run_id):
            if self.lake:
                self._fold()
            new_ids: set[str] = set()  # a lake batch's articles when none is stored: see _lake_plan
            stored_docs = 1
            articles = tables.get("articles")
            if articles is not None and articles.num_rows:
                self.con.register("reprocessed", articles.select(["article_id"]))
                # In a lake every statement costs catalog round trips under the publish lock: a
                # batch of new articles has no rows of theirs to replace.
                stored_articles, stored_docs, _runs = self._stored(tables, run_id) if self.lake else (1, 1, 1)
                if stored_articles:
                    for child in ARTICLE_CHILDREN:
                        self.con.execute(f'DELETE FROM "{child}" WHERE article_id IN '
                                         "(SELECT article_id FROM reprocessed)")
                elif self.lake:
                    new_ids = set(articles.column("article_id").to_pylist())
                self.con.unregister("reprocessed")
            plan = self._lake_plan(tables, new_ids, stored_docs == 0) if new_ids else {}
            counted = plan.pop("entities", None)
            for attr, cls, table in TABLES:
                written[table] = self._upsert(table, tables[attr] if attr in tables else [], cls, run_id,
                                              new_rows=bool(plan.get(table)),
                                              counted=counted if table == "entities" else None)
            demoted: dict[str, set[str]] = {}
            if "duplicate_links" in tables:
                demoted = self._apply_duplicate_links(tables["duplicate_links"])
            if "entity_aliases" in tables:
                self._apply_entity_aliases(tables["entity_aliases"])
            self._refresh_aggregates(tables, demoted, entities=counted is None)
            run_row = [run_id, started_at, trigger, json.dumps({**(stats or {}), "loaded": written})]
            if self.lake:
                self.con.execute(lake.merge_sql(
                    "pipeline_runs", ["run_id", "started_at", "finished_at", "trigger", "stats"], ["run_id"],
                    source="(SELECT ?::VARCHAR AS run_id, coalesce(?::TIMESTAMP, now()::TIMESTAMP) AS started_at, "
                           "now()::TIMESTAMP AS finished_at, ?::VARCHAR AS trigger, ?::JSON AS stats)"), run_row)
            else:
                self.con.execute(
                    "INSERT OR REPLACE INTO pipeline_runs (run_id, started_at, finished_at, trigger, stats) "
                    "VALUES (?, coalesce(?, now()::TIMESTAMP), now()::TIMESTAMP, ?, ?)", run_row)
            faults.reached("load.before_commit", self.settings.kill_at)
        return written

    def _stored(self, tables: dict[str, pa.Table], run_id: str) -> tuple[int, int, int]:
        """How many of the batch's articles and documents, and runs named `run_id`, are stored
        already: one statement (each costs catalog round trips in a lake)."""
        given = {attr: tables.get(attr) for attr in ("articles", "documents")}
        for attr, column in (("articles", "article_id"), ("documents", "doc_id")):
            rows = given[attr]
            self.con.register(f"batch_{attr}_ids", rows.select([column]) if rows is not None and rows.num_rows
                              else pa.table({column: pa.array([], pa.string())}))
        try:
            row = self.con.execute(
                "SELECT (SELECT count(*) FROM articles WHERE article_id IN (SELECT article_id FROM batch_articles_ids)), "
                "(SELECT count(*) FROM documents WHERE doc_id IN (SELECT doc_id FROM batch_documents_ids)), "
                "(SELECT count(*) FROM pipeline_runs WHERE run_id = ?)", [run_id]).fetchone()
        finally:
            self.con.unregister("batch_articles_ids")
            self.con.unregister("batch_documents_ids")
        assert row is not None
        return int(row[0]), int(row[1]), int(row[2])

    def _fold(self) -> None:
        """In a lake's exclusive write transaction: each key of a shared table with rows of
        several runs gets the one row its view shows, so this write's MERGEs and recounts see
        one row per key, as in a file. Only the tables that have such keys are rewritten."""
        keys = declared_keys(self.settings.schemas_dir)
        probe = " UNION ALL ".join(
            f"SELECT '{table}' AS t WHERE EXISTS (SELECT 1 FROM {lake.SHARED}.\"{table}\" "
            f"GROUP BY {', '.join(keys[table])} HAVING count(*) > 1)" for table in lake.FOLDED)
        for (table,) in self.con.execute(probe).fetchall():
            for statement in lake.fold_sql(table, keys[table]):
                self.con.execute(statement)

    def _lake_plan(self, tables: dict[str, pa.Table], new_ids: set[str], new_documents: bool) -> dict[str, Any]:
        """What a lake batch of new articles (`new_ids`: none of them stored) can write without
        reading the tables it writes, each a MERGE that joins the whole table under the publish
        lock otherwise: {table: True} for tables that get a plain append (their rows belong to
        the new articles, or, documents, none of their ids is stored), and "entities": the
        counts to add to the entities (their counts derive from canonical mentions, and a new
        canonical article's mentions only add) when nothing this batch does changes what was
        counted before (no dedup verdict, alias or copy among its articles)."""
        plan: dict[str, Any] = {}
        for attr, _cls, table in TABLES:
            rows = tables.get(attr)
            if rows is None or not rows.num_rows:
                continue
            keys = declared_keys(self.settings.schemas_dir).get(table, [])
            if "article_id" in keys:
                plan[table] = set(rows.column("article_id").to_pylist()) <= new_ids
        plan["documents"] = new_documents
        articles = tables["articles"]
        changes_counted = any(tables[attr].num_rows for attr in ("duplicate_links", "entity_aliases")
                              if attr in tables)
        copies = _has_copies(articles)
        if not changes_counted and not copies and plan.get("entity_mentions", True):
            mentions = tables.get("mentions")
            self.con.register("batch_mentions", mentions if mentions is not None else pa.table(
                {"entity_id": pa.array([], pa.string()), "article_id": pa.array([], pa.string())}))
            try:  # the registered Arrow table only, in memory: no catalog round trip
                plan["entities"] = self.con.execute(
                    "SELECT entity_id, count(DISTINCT article_id)::INTEGER AS article_count, "
                    "count(*)::INTEGER AS mention_count FROM batch_mentions GROUP BY entity_id").to_arrow_table()
            finally:
                self.con.unregister("batch_mentions")
        return plan

    def _rollback(self) -> None:
        try:
            self.con.execute("ROLLBACK")
        except duckdb.Error:
            pass  # the failed statement may already have aborted the transaction

    def _apply_duplicate_links(self, links: pa.Table) -> dict[str, set[str]]:
        """Store the dedup verdicts. A stored canonical that is now a copy (a more complete
        version arrived) loses its mentions, since a copy never corroborates: returns the
        entity and event ids they named, whose counts must follow ("entities", "events"), and
        those the canonicals of the copies name, whose num_copies changed ("copied_*")."""
        if not links.num_rows:
            return {}
        self.con.register("links", links)
        demoted: dict[str, set[str]] = {}
        try:
            self.con.execute(read_sql("apply_duplicate_links"))
            for key, child, column in (("entities", "entity_mentions", "entity_id"),
                                       ("events", "event_mentions", "event_id")):
                demoted[key] = {r[0] for r in self.con.execute(
                    f"SELECT DISTINCT {column} FROM {child} JOIN links USING (article_id) "
                    "WHERE links.is_duplicate").fetchall()}
                self.con.execute(f"DELETE FROM {child} WHERE article_id IN "
                                 "(SELECT article_id FROM links WHERE is_duplicate)")
                demoted[f"copied_{key}"] = {r[0] for r in self.con.execute(
                    f"SELECT DISTINCT {column} FROM {child} WHERE article_id IN "
                    "(SELECT duplicate_of FROM links WHERE is_duplicate)").fetchall()}
        finally:
            self.con.unregister("links")
        return demoted

    def _apply_entity_aliases(self, aliases: pa.Table) -> None:
        """Mentions, event actors and older aliases of an id that is now an alias point at
        its entity; the old entities row goes (the alias row keeps the id resolvable)."""
        if not aliases.num_rows:
            return
        self.con.register("aliases", aliases.select(["alias_id", "entity_id"]))
        try:
            self.con.execute(read_sql("apply_entity_aliases"))
        finally:
            self.con.unregister("aliases")
        new_id = dict(zip(aliases.column("alias_id").to_pylist(), aliases.column("entity_id").to_pylist(),
                          strict=True))
        for table in ("events", "event_mentions"):
            rows = self.con.execute(f"SELECT rowid, actors FROM {table} WHERE list_has_any(actors, ?)",
                                    [sorted(new_id)]).fetchall()
            for rowid, actors in rows:
                self.con.execute(f"UPDATE {table} SET actors = ? WHERE rowid = ?",
                                 [[new_id.get(a, a) for a in actors], rowid])

    def _refresh_aggregates(self, tables: dict[str, pa.Table], demoted: dict[str, set[str]],
                            entities: bool = True) -> None:
        """Counts derive from the mention tables, for the entities and events this batch touched
        (`demoted`: those that lost the mentions of a former canonical, or gained copies).
        `entities` False: the entities' counts were already added up (`_lake_plan`)."""
        entity_ids = _ids(tables, ("entities", "mentions"), "entity_id") | demoted.get("entities", set()) \
            if entities else set()
        event_ids = _ids(tables, ("events", "event_mentions"), "event_id") | demoted.get("events", set())
        if demoted.get("events"):
            # An event only a former canonical reported is not one its copies can keep alive.
            self.con.execute("DELETE FROM events WHERE list_contains(?::VARCHAR[], event_id) AND event_id NOT IN "
                             "(SELECT event_id FROM event_mentions)", [sorted(demoted["events"])])
        for ids, copied, name in ((entity_ids, demoted.get("copied_entities", set()), "entity"),
                                  (event_ids, demoted.get("copied_events", set()), "event")):
            if ids:
                self.con.register("touched", pa.table({"id": sorted(ids)}))
                self.con.execute(refresh_sql(name, "counts"))
                self.con.unregister("touched")
            if ids | copied:
                self.con.register("touched", pa.table({"id": sorted(ids | copied)}))
                self.con.execute(refresh_sql(name, "copies"))
                self.con.unregister("touched")

    # --- lake upkeep ----------------------------------------------------------------------------
    def maintain_lake(self) -> dict[str, Any]:
        """DuckLake's upkeep, under the publish lock (publishers wait, nothing conflicts): rows
        inlined in the catalog written out as Parquet, adjacent small files merged (each publish
        adds files per table: the dashboards' scans open every one), files with many deleted
        rows rewritten, snapshots older than
        `lake_retention_days` expired, the files no snapshot needs any more and the orphans of
        killed publishers deleted. Returns data files and snapshots before and after."""
        if not self.lake or self.read_only:
            raise WarehouseError("lake maintenance needs a writable lake",
                                 hint="set NEWSMON_DB_PATH=ducklake:postgres:... (a file needs none)")
        with lake.all_threads(self.con, self.settings.lake_writer_threads):
            return self._write(self._maintain_lake)

    def _lake_stats(self) -> dict[str, int]:
        meta = f"__ducklake_metadata_{lake.ALIAS}"
        live = "WHERE end_snapshot IS NULL"
        return {"data_files": self.scalar(f"SELECT count(*) FROM {meta}.ducklake_data_file {live}"),
                "delete_files": self.scalar(f"SELECT count(*) FROM {meta}.ducklake_delete_file {live}"),
                "snapshots": self.scalar(f"SELECT count(*) FROM {lake.ALIAS}.snapshots()")}

    def _maintain_lake(self) -> dict[str, Any]:
        older = f"older_than => now() - INTERVAL '{max(0.0, float(self.settings.lake_retention_days))} days'"
        steps = [f"CALL ducklake_flush_inlined_data('{lake.ALIAS}')",
                 f"CALL ducklake_merge_adjacent_files('{lake.ALIAS}')",
                 # Tables updated in place (entities' counts, feed state) gather delete files.
                 f"CALL ducklake_rewrite_data_files('{lake.ALIAS}')",
                 f"CALL ducklake_expire_snapshots('{lake.ALIAS}', {older})",
                 f"CALL ducklake_cleanup_old_files('{lake.ALIAS}', {older})",
                 f"CALL ducklake_delete_orphaned_files('{lake.ALIAS}', {older})"]
        try:
            before = self._lake_stats()
            # The shared tables' rows of several runs folded into one per key (what the views show).
            self.con.execute("BEGIN TRANSACTION")
            try:
                self._fold()
                self.con.execute("COMMIT")
            except duckdb.Error:
                self._rollback()
                raise
            # One row per key now: the views read the rows so far as folded (a plain scan).
            lake.pin_folded(self.con, declared_keys(self.settings.schemas_dir))
            # Before compacting: the merged files come out sorted (a lake made before this too).
            lake.set_layout(self.con, declared_keys(self.settings.schemas_dir))
            for step in steps:
                self.con.execute(step)
            self._seed_empty_stats()  # tables created since, or by a lake made before this
            after = self._lake_stats()
        except duckdb.Error as exc:
            raise WarehouseError(f"maintaining {self.location} failed: {exc}",
                                 hint="each step is safe to repeat: the next run does it again") from exc
        return {"before": before, "after": after}

    # --- a file's data into the lake -----------------------------------------------------------
    def copy_from_file(self, source: Path) -> dict[str, int]:
        """Copy every table of the warehouse file `source` into this lake, in one transaction:
        a table the lake has no row of is appended to, any other is merged on its keys, so a
        second copy of the same file changes nothing. The file is first brought to the current
        schema (what any run does to it); it is otherwise only read."""
        if not self.lake or self.read_only:
            raise WarehouseError("copy_from_file writes a lake", hint="open the lake writable")
        if not Path(source).is_file():
            raise WarehouseError(f"no warehouse file at {source}", hint="give the path of a news.duckdb")
        with Warehouse(self.settings, path=Path(source)):
            pass  # migrates the file (and fails, saying so, if another process is writing it)
        with lake.all_threads(self.con, self.settings.lake_writer_threads):
            return self._write(lambda: self._copy_from_file(Path(source)))

    def _copy_from_file(self, source: Path) -> dict[str, int]:
        quoted = str(source).replace("'", "''")
        self.con.execute(f"ATTACH '{quoted}' AS source_file (READ_ONLY)")
        copied: dict[str, int] = {}
        try:
            lake.set_layout(self.con, declared_keys(self.settings.schemas_dir))  # the copies come out sorted
            self.con.execute("BEGIN TRANSACTION")
            self._fold()  # a merge on a shared table's keys then meets one row per key
            for table, keys in declared_keys(self.settings.schemas_dir).items():
                columns = [r[0] for r in self.con.execute(f'DESCRIBE source_file.main."{table}"').fetchall()]
                self.con.execute(f'CREATE OR REPLACE TEMP VIEW staged_rows AS SELECT * FROM source_file.main."{table}"')
                if self.scalar(f'SELECT count(*) FROM "{table}"'):
                    self.con.execute(lake.merge_sql(table, columns, keys, source="temp.main.staged_rows"))
                else:
                    self.con.execute(f'INSERT INTO "{table}" BY NAME SELECT * FROM temp.main.staged_rows')
                copied[table] = self.scalar(f'SELECT count(*) FROM source_file.main."{table}"')
            self.con.execute("COMMIT")
        except duckdb.Error as exc:
            self._rollback()
            raise WarehouseError(f"copying {source} into {self.location} failed, nothing was written: {exc}",
                                 hint="re-run: the copy is idempotent") from exc
        finally:
            self.con.execute("DROP VIEW IF EXISTS temp.main.staged_rows")
            self.con.execute("DETACH source_file")
        return copied

    # --- monitoring: alerts (pipeline.alerts computes them; this layer writes them) -----------
    def save_alerts(self, alerts: list[Alert], evaluated_runs: list[str]) -> int:
        """New alerts and the runs they were evaluated on, in one transaction. An alert already
        stored (same id: watch, kind, item) is left as it is: each match is raised once, ever.
        Returns how many alerts were new."""
        return self._write(lambda: self._save_alerts(alerts, evaluated_runs))

    def _save_alerts(self, alerts: list[Alert], evaluated_runs: list[str]) -> int:
        self.con.execute("BEGIN TRANSACTION")
        try:
            before = self.scalar("SELECT count(*) FROM alerts")
            if alerts:
                new_alerts = _alerts_table(alerts)
                self.con.register("new_alerts", new_alerts)
                self.con.execute(lake.merge_sql("alerts", new_alerts.column_names, ["alert_id"], update=False,
                                                source="new_alerts") if self.lake else
                                 "INSERT INTO alerts BY NAME SELECT * FROM new_alerts ON CONFLICT DO NOTHING")
                self.con.unregister("new_alerts")
            added = self.scalar("SELECT count(*) FROM alerts") - before
            if evaluated_runs and self.lake:
                self.con.register("runs", pa.table({"run_id": evaluated_runs}))
                self.con.execute(lake.merge_sql("alert_runs", ["run_id", "evaluated_at", "alerts"], ["run_id"],
                                                source="(SELECT run_id, now()::TIMESTAMP AS evaluated_at, "
                                                       f"{int(added)} AS alerts FROM runs)"))
                self.con.unregister("runs")
            elif evaluated_runs:
                self.con.executemany("INSERT OR REPLACE INTO alert_runs VALUES (?, now()::TIMESTAMP, ?)",
                                     [[run_id, added] for run_id in evaluated_runs])
            self.con.execute("COMMIT")
        except duckdb.Error as exc:
            self._rollback()
            raise WarehouseError(f"saving alerts into {self.location} failed, nothing was written: {exc}",
                                 hint="free disk space or fix permissions; the evaluation is re-run next time") from exc
        return added

    def record_deliveries(self, outcomes: list[tuple[str, str, int, Any, str | None]]) -> None:
        """(alert_id, status, attempts, delivered_at, last_error) per delivery tried."""
        if outcomes:
            self._write(lambda: self._record_deliveries(outcomes))

    def _record_deliveries(self, outcomes: list[tuple[str, str, int, Any, str | None]]) -> None:
        self.con.execute("BEGIN TRANSACTION")
        try:
            self.con.executemany(read_sql("record_delivery"), [list(o) for o in outcomes])
            self.con.execute("COMMIT")
        except duckdb.Error as exc:
            self._rollback()
            raise WarehouseError(f"recording alert deliveries into {self.location} failed: {exc}",
                                 hint="the alerts stay pending and are delivered again next time") from exc

    def save_quality_results(self, results: list[QualityResult]) -> int:
        return self._write(lambda: self._save_quality_results(results))

    def _save_quality_results(self, results: list[QualityResult]) -> int:
        self.con.execute("BEGIN TRANSACTION")
        try:
            rows = to_arrow(results, QualityResult)
            if self.lake:
                rows = first_per_key(rows, declared_keys(self.settings.schemas_dir)["quality_results"])
            n = self._upsert("quality_results", rows, QualityResult, results[0].run_id if results else "")
            self.con.execute("COMMIT")
        except duckdb.Error as exc:
            self._rollback()
            raise WarehouseError(f"saving quality results into {self.location} failed, nothing was written: "
                                 f"{exc}", hint="free disk space or fix permissions") from exc
        return n


def _alerts_table(alerts: list[Alert]) -> pa.Table:
    return to_arrow(alerts, Alert)


def records_as_dicts(records: list[Any]) -> list[dict[str, Any]]:
    return [asdict(r) for r in records]
