"""The pipeline's steps, one function per Airflow task, also run in sequence by the CLI.

Each step takes plain arguments (a run id and the settings), reads what earlier steps
staged under ``<staging_dir>/run_id=<id>/`` and stages its own output there. Only
:func:`publish_step` writes the warehouse, in one transaction. So the same code path
serves a single process (``newsmon run``), separate Airflow tasks on one machine, and
Celery workers sharing a staging volume with one publisher.

This module is orchestration, not a stage: it is the one place that imports stages.
Stage imports stay inside the steps so each task loads only what it needs.
"""

from __future__ import annotations

import json
import secrets
import shutil
import time
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field, fields
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from pipeline.errors import QualityError
from pipeline.executor import Executor, Prewarmed, executor_for, imported, quarantine_failure
from pipeline.records import (
    BATCH_RECORDS,
    Article,
    Batch,
    BoilerplateSpan,
    Caption,
    Document,
    DuplicateLink,
    Entity,
    EntityAlias,
    EntityMention,
    Event,
    EventMention,
    FeedState,
    PublisherLine,
    QuarantineItem,
    Signature,
    utc_now,
)
from pipeline.settings import Settings
from pipeline.staging import read_records, run_dir, write_records

# The staged files of a finished batch, named after their Batch attribute. Quarantine is staged
# per step (QUARANTINE_STEPS); sentences pass from entity to event extraction inside the extract
# step and nothing after it reads them, so they are not staged (25 rows an article).
BATCH_FILES: dict[str, type] = {attr: cls for attr, (cls, _) in BATCH_RECORDS.items()
                                if attr not in ("quarantine", "sentences")}
QUARANTINE_STEPS = ("ingest", "clean", "dedup", "extract", "validate")
# The step that stages each file. Once that step has run (its stats file is there), a missing
# file is lost work, never an empty result; a step skipped for want of input stages nothing.
STAGED_BY = {"documents": "ingest", "feed_states": "ingest", "quarantine_ingest": "ingest",
             "clean_articles": "clean", "boilerplate": "clean", "captions": "clean", "publisher_lines": "clean",
             "quarantine_clean": "clean", "dedup_articles": "dedup", "signatures": "dedup",
             "duplicate_links": "dedup", "articles": "extract", "entities": "extract", "mentions": "extract", "entity_aliases": "extract",
             "events": "extract", "event_mentions": "extract"}
REPORT_TABLES = ["documents", "articles", "boilerplate_removed", "captions", "entities", "entity_mentions",
                 "events", "event_mentions", "quarantine", "pipeline_runs", "feed_state"]
# No expectation or report reads these, and they are the bulk of the warehouse (raw HTML).
REPORT_SKIPPED_COLUMNS = {"documents": ["raw_text"]}


@dataclass
class RunSummary:
    run_id: str
    documents: int = 0
    skipped_known: int = 0
    articles: int = 0
    duplicates: int = 0
    quarantined: int = 0
    entities: int = 0
    mentions: int = 0
    events: int = 0
    db_path: str = ""
    report_path: str | None = None
    quality_failures: list[str] = field(default_factory=list)
    quality_warnings: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)
    runs: int = 0  # input is loaded in batches of settings.run_batch_documents, one run each
    monitor: dict[str, Any] = field(default_factory=dict)  # search index sync (and alerts) after the load
    run_ids: list[str] = field(default_factory=list)
    reports_dir: str = ""
    staging_dir: str = ""
    # Files in the input folders that are not articles by their name, and so were not read.
    ignored: list[str] = field(default_factory=list)
    # This run's quarantine: {"stage", "reason_code", "items", "example"} per stage and reason.
    quarantine: list[dict[str, Any]] = field(default_factory=list)


def _dir(run_id: str, settings: Settings) -> Path:
    return run_dir(settings.staging_dir, run_id)


def _write_stats(run_id: str, settings: Settings, step: str, stats: dict[str, Any]) -> None:
    path = _dir(run_id, settings) / f"stats_{step}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(stats, default=str), encoding="utf-8")


def _read_stats(run_id: str, settings: Settings) -> dict[str, Any]:
    merged: dict[str, Any] = {}
    for path in sorted(_dir(run_id, settings).glob("stats_*.json")):
        merged[path.stem.removeprefix("stats_")] = json.loads(path.read_text(encoding="utf-8"))
    return merged


def _required(run_id: str, settings: Settings, name: str, subdir: str = "") -> bool:
    step = "validate" if subdir else STAGED_BY.get(name)
    return step is not None and (_dir(run_id, settings) / f"stats_{step}.json").exists()


def _staged(run_id: str, settings: Settings, name: str, cls: type) -> list[Any]:
    return read_records(_dir(run_id, settings), name, cls, required=_required(run_id, settings, name))


def _quarantine(run_id: str, settings: Settings, step: str, items: list[QuarantineItem]) -> None:
    write_records(_dir(run_id, settings), f"quarantine_{step}", items, QuarantineItem)


# The modules of the steps the pools run whose imports cost a worker most (spaCy): a forkserver
# imports them once and forks its workers with them imported.
WORKER_MODULES = ("pipeline.clean.stage", "pipeline.extract.entities", "pipeline.extract.events")


def _executor(settings: Settings, processes: int) -> Executor:
    """Where a step's per-item work runs: the settings' executor with the step's process count."""
    return executor_for(settings.executor, processes, WORKER_MODULES)


def _where(settings: Settings) -> str:
    """The warehouse as a run summary names it: the file's full path, or the lake (no password)."""
    from pipeline.load.lake import redacted

    return redacted(settings.lake) if settings.lake else str(Path(settings.db_path).resolve())


def _history(settings: Settings):
    """A read-only view of the warehouse for steps that compare against history."""
    from pipeline.load.warehouse import Warehouse

    return Warehouse(settings, read_only=True)


# --- steps -------------------------------------------------------------------------------

def start_run(trigger: str, settings: Settings, run_id: str | None = None) -> str:
    """Allocate a run id and its staging folder. Airflow passes its own run id for traceability.

    Also creates the warehouse's tables or brings an older warehouse's up to date: the steps
    before publish read history read-only and could not.
    """
    from pipeline.load.warehouse import Warehouse

    with Warehouse(settings):
        pass
    run_id = run_id or f"{utc_now():%Y%m%dT%H%M%S}-{trigger}-{secrets.token_hex(3)}"
    safe = "".join(c if c.isalnum() or c in "-_.T" else "_" for c in run_id)
    _prune_abandoned_runs(settings)
    directory = _dir(safe, settings)
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "manifest.json").write_text(
        json.dumps({"run_id": safe, "trigger": trigger, "started_at": utc_now().isoformat()}),
        encoding="utf-8")
    return safe


def _prune_abandoned_runs(settings: Settings) -> None:
    """Staging of runs killed before publish is kept for a while (to debug), then removed."""
    cutoff = time.time() - settings.staging_retention_days * 86400
    for old in Path(settings.staging_dir).glob("run_id=*"):
        try:
            if old.stat().st_mtime < cutoff:
                shutil.rmtree(old, ignore_errors=True)
        except OSError:
            pass


def ingest_step(run_id: str, inputs: Sequence[str], feeds: Sequence[str], settings: Settings) -> dict[str, int]:
    """Read files and feeds; only what the warehouse has not seen becomes a document."""
    from pipeline.ingest.files import read_inputs
    from pipeline.load.warehouse import read_sql

    known: set[str] = set()
    known_files: set[tuple] = set()
    states: dict[str, FeedState] = {}
    if inputs or feeds:  # history grows with the warehouse: not read for a run with nothing to read
        with _history(settings) as wh:
            known = set(wh.query_arrow(read_sql("known_doc_ids")).column(0).to_pylist())
            known_files = set(wh.con.execute(read_sql("known_files")).fetchall())
            states = _feed_states(wh) if feeds else {}
    out = read_inputs(inputs, settings, run_id, known, known_files)
    documents, quarantine, feed_states = out.documents, out.quarantine, []
    if feeds:
        from pipeline.ingest.feeds import feed_source_from_arg, read_feeds

        feed_out = read_feeds([feed_source_from_arg(f) for f in feeds], settings, run_id, states, utc_now())
        known_ids = known | {d.doc_id for d in documents}
        documents += [d for d in feed_out.documents if d.doc_id not in known_ids]
        quarantine += feed_out.quarantine
        feed_states = feed_out.feed_states
    directory = _dir(run_id, settings)
    write_records(directory, "documents", documents, Document)
    write_records(directory, "feed_states", feed_states, FeedState)
    _quarantine(run_id, settings, "ingest", quarantine)
    stats = {"documents": len(documents), "skipped_known": out.skipped_known, "quarantined": len(quarantine),
             "feed_states": len(feed_states)}
    _write_stats(run_id, settings, "ingest", stats)
    return stats


def _feed_states(wh: Any) -> dict[str, FeedState]:
    return {s.feed_name: s for s in wh.read_records("feed_state", FeedState)}


def clean_step(run_id: str, settings: Settings) -> dict[str, int]:
    from pipeline.clean import RecurringLines, clean_documents
    from pipeline.load.warehouse import read_sql

    directory = _dir(run_id, settings)
    documents = [d for d in _staged(run_id, settings, "documents", Document) if d.status == "ok"]
    since = utc_now() - timedelta(days=settings.recurring_line_window_days)
    rows = []
    if documents:
        with _history(settings) as wh:
            rows = wh.con.execute(read_sql("publisher_line_counts"), [since]).fetchall()
    out = clean_documents(documents, settings, run_id, RecurringLines(rows),
                          _executor(settings, settings.clean_processes))
    write_records(directory, "clean_articles", out.articles, Article)
    write_records(directory, "boilerplate", out.boilerplate, BoilerplateSpan)
    write_records(directory, "captions", out.captions, Caption)
    write_records(directory, "publisher_lines", out.publisher_lines, PublisherLine)
    _quarantine(run_id, settings, "clean", out.quarantine)
    stats = {"articles": len(out.articles), "boilerplate_spans": len(out.boilerplate),
             "quarantined": len(out.quarantine)}
    _write_stats(run_id, settings, "clean", stats)
    return stats


def dedup_step(run_id: str, settings: Settings) -> dict[str, int]:
    from pipeline.dedup import DedupIndex, deduplicate
    from pipeline.load.warehouse import read_sql
    from pipeline.staging import from_arrow

    directory = _dir(run_id, settings)
    articles = _staged(run_id, settings, "clean_articles", Article)
    signatures: list[Signature] = []
    links: list[DuplicateLink] = []
    if articles:
        with _history(settings) as wh:
            signatures = from_arrow(wh.query_arrow(read_sql("signatures")), Signature)
            links = from_arrow(wh.query_arrow(read_sql("duplicate_links")), DuplicateLink)
    index = DedupIndex.from_history(signatures, links, settings)
    out = deduplicate(articles, index, settings)
    write_records(directory, "dedup_articles", out.articles, Article)
    write_records(directory, "signatures", out.signatures, Signature)
    write_records(directory, "duplicate_links", out.links, DuplicateLink)
    stats = {"articles": len(out.articles), "duplicates": sum(a.is_duplicate for a in out.articles)}
    _write_stats(run_id, settings, "dedup", stats)
    return stats


def _extract_copies_only(run_id: str, settings: Settings, copies: list[Article]) -> dict[str, int]:
    """extract_step's outputs for a batch without a new article: the copies, no entity, no event."""
    directory = _dir(run_id, settings)
    write_records(directory, "articles", copies, Article)
    for name, cls in (("entities", Entity), ("mentions", EntityMention), ("entity_aliases", EntityAlias),
                      ("events", Event), ("event_mentions", EventMention)):
        write_records(directory, name, [], cls)
    stats = {"entities": 0, "mentions": 0, "events": 0, "event_mentions": 0, "quarantined": 0,
             "copies": len(copies)}
    _write_stats(run_id, settings, "extract", stats)
    return stats


def extract_step(run_id: str, settings: Settings) -> dict[str, int]:
    """Entities (one NLP parse), then dated events from the same sentences and mentions.

    Sub-steps: entity candidates on the workers; then, while this process resolves them into
    entities, each article's own dates on the workers; then events in this process. An article
    whose processing raised is quarantined (internal_error) and left out; the rest go on.
    """
    from pipeline.extract.dates import resolve_anchor
    from pipeline.extract.entities import complete_candidates, parse_entities, resolve_entities
    from pipeline.extract.events import extract_events, start_own_dates

    directory = _dir(run_id, settings)
    articles = _staged(run_id, settings, "dedup_articles", Article)
    for article in articles:
        article.date_anchor, article.date_anchor_source = resolve_anchor(article, article.first_seen_at)
    # A copy is stored and linked to its canonical (duplicate_of) but not extracted: its
    # entities and events are the canonical's, and a copy never corroborates them (docs/copies.md).
    copies = [a for a in articles if a.is_duplicate]
    articles = [a for a in articles if not a.is_duplicate]
    if not articles:  # nothing new to read: do not load the model or history
        return _extract_copies_only(run_id, settings, copies)
    with _history(settings) as wh:
        known_entities = wh.read_records("entities", Entity)
        known_events = wh.read_records("events", Event)
        known_event_mentions = wh.read_records("event_mentions", EventMention)
    executor = _executor(settings, settings.nlp_processes)
    parsed = parse_entities(articles, settings, executor)
    failed = {f.item.article_id for f in parsed.draft.failed}
    articles = [a for a in articles if a.article_id not in failed]
    # Each article's dates and event codings (most of events' per-article work, the event
    # parse) need nothing from entities: they keep the workers busy while the entity pass's
    # batch-wide work and resolution, which need the whole batch, run here. The names found
    # again run here too: a second pool must not start while one runs.
    with start_own_dates(articles, settings, executor) as started:
        draft = complete_candidates(parsed, known_entities, Executor())
        ents = resolve_entities(draft, known_entities)
        own_dates = started.result()
    failed |= {f.item.article_id for f in draft.failed}
    articles = [a for a in articles if a.article_id not in failed]
    by_id = {e.entity_id: e for e in known_entities}
    by_id.update({e.entity_id: e for e in ents.entities})
    evs = extract_events(articles, ents.sentences, ents.mentions, list(by_id.values()), settings,
                         known_events, known_event_mentions, own_dates=own_dates)
    failures = draft.failed + evs.failed
    failed |= {f.item.article_id for f in evs.failed}
    articles = [a for a in articles if a.article_id not in failed]
    mentions = [m for m in ents.mentions if m.article_id not in failed]
    _quarantine(run_id, settings, "extract", [quarantine_failure(f, f.item.article_id, run_id, "extract",
                                                                 source_uri=f.item.source_uri) for f in failures])
    write_records(directory, "articles", articles + copies, Article)
    write_records(directory, "entities", ents.entities, Entity)
    write_records(directory, "mentions", mentions, EntityMention)
    write_records(directory, "entity_aliases", ents.aliases, EntityAlias)
    write_records(directory, "events", evs.events, Event)
    write_records(directory, "event_mentions", evs.event_mentions, EventMention)
    stats = {"entities": len(ents.entities), "mentions": len(mentions), "events": len(evs.events),
             "event_mentions": len(evs.event_mentions), "quarantined": len(failures), "copies": len(copies)}
    _write_stats(run_id, settings, "extract", stats)
    return stats


def staged_tables(run_id: str, settings: Settings, subdir: str = "") -> dict[str, Any]:
    """A staged batch as its records' Arrow tables, named by Batch attribute: the publish step
    loads them as they are. Quarantine is one file per step, or one under `subdir`."""
    import pyarrow as pa

    from pipeline.staging import read_table

    directory = _dir(run_id, settings) / subdir
    tables = {attr: read_table(directory, attr, cls, required=_required(run_id, settings, attr, subdir))
              for attr, cls in BATCH_FILES.items()}
    names = ["quarantine"] if subdir else [f"quarantine_{step}" for step in QUARANTINE_STEPS]
    tables["quarantine"] = pa.concat_tables([
        read_table(directory, name, QuarantineItem, required=_required(run_id, settings, name, subdir))
        for name in names])
    return tables


def staged_batch(run_id: str, settings: Settings, subdir: str = "") -> Batch:
    from pipeline.staging import from_arrow

    tables = staged_tables(run_id, settings, subdir)
    return Batch(run_id=run_id, **{attr: from_arrow(table, BATCH_RECORDS[attr][0]) for attr, table in tables.items()})


def validate_step(run_id: str, settings: Settings) -> dict[str, int]:
    """Every record is checked against its JSON Schema; failures go to quarantine."""
    from pipeline.validate import validate_batch

    batch = staged_batch(run_id, settings)
    before = len(batch.quarantine)
    valid = validate_batch(batch, settings, _executor(settings, settings.quality_processes))
    _quarantine_documents(valid)
    directory = _dir(run_id, settings) / "validated"
    for attr, cls in BATCH_FILES.items():
        write_records(directory, attr, getattr(valid, attr), cls)
    write_records(directory, "quarantine", valid.quarantine, QuarantineItem)
    stats = {"rejected": len(valid.quarantine) - before, "quarantined": len(valid.quarantine)}
    _write_stats(run_id, settings, "validate", stats)
    return stats


def _quarantine_documents(batch: Batch) -> None:
    """A document whose article did not survive cleaning or validation is marked quarantined."""
    loaded = {a.doc_id for a in batch.articles}
    for doc in batch.documents:
        if doc.status == "ok" and doc.doc_id not in loaded:
            doc.status = "quarantined"


def publish_step(run_id: str, settings: Settings, trigger: str = "cli") -> dict[str, int]:
    """The single writer: load the validated batch in one transaction, then drop staging."""
    from pipeline.load.warehouse import Warehouse

    directory = _dir(run_id, settings)
    tables = staged_tables(run_id, settings, "validated")
    manifest = json.loads((directory / "manifest.json").read_text(encoding="utf-8"))
    with Warehouse(settings) as wh:
        written = wh.load_tables(run_id, tables, stats=_read_stats(run_id, settings),
                                 started_at=datetime.fromisoformat(manifest["started_at"]), trigger=trigger)
    if not settings.keep_staging:
        shutil.rmtree(directory, ignore_errors=True)
    return written


def lake_maintenance_step(settings: Settings) -> dict[str, Any]:
    """The lake's upkeep (compaction, snapshot expiry, file cleanup); a file needs none."""
    from pipeline.load.warehouse import Warehouse

    if not settings.lake:
        return {"skipped": "the warehouse is a file: DuckDB keeps it compact itself"}
    with Warehouse(settings) as wh:
        return wh.maintain_lake()


def quality_step(run_id: str, settings: Settings, out_dir: Path | None = None,
                 fail_on_critical: bool = True, once: bool = False) -> dict[str, Any]:
    """GX suites over the loaded warehouse, results stored, reports rebuilt.

    `once`: a run whose results are already stored is not checked again (news_quality, told of
    a load whose own DAG ran the suites, e.g. news_seeds replayed to a scheduler started later).
    """
    from pipeline.load.warehouse import Warehouse
    from pipeline.report import build_reports
    from pipeline.validate import run_quality_suites

    with Warehouse(settings, read_only=True) as wh:
        done = wh.scalar("SELECT count(*) FROM quality_results WHERE run_id = ?", [run_id]) if once else 0
        tables = {} if done else wh.read_tables(REPORT_TABLES, REPORT_SKIPPED_COLUMNS)
    if done:
        return {"failures": [], "warnings": [], "report": "", "expectations": done,
                "skipped": f"run {run_id} was already checked"}
    # The suites run here, not on a pool: their workers need great_expectations, and a process
    # that has imported it (or pandas) holds native threads, so its pools start from the
    # forkserver, where each worker imports it again, which costs more than the suites save.
    results = run_quality_suites(tables, settings, run_id)
    with Warehouse(settings) as wh:
        wh.save_quality_results(results)
        history = wh.read_table("quality_results")
    paths = build_reports(tables, results, history, settings, Path(out_dir or settings.reports_dir))
    failures = [r.expectation for r in results if not r.success and r.severity == "critical"]
    warnings = [r.expectation for r in results if not r.success and r.severity != "critical"]
    outcome = {"failures": failures, "warnings": warnings, "report": str(paths.get("quality_html", "")),
               "expectations": len(results)}
    if failures and fail_on_critical:
        raise QualityError(f"{len(failures)} critical expectation(s) failed: {', '.join(failures)}",
                           item=run_id, hint=f"see {outcome['report']}")
    return outcome


# --- after publish: monitoring (search index, watchlists, alerts) ---------------------------

def monitor_step(settings: Settings) -> dict[str, Any]:
    """After publish: bring the search index up to date, evaluate the watchlists on what is
    new, deliver the alerts. The load is done by then: nothing here can undo or fail it."""
    from pipeline.alerts import deliver_pending, evaluate_watchlists
    from pipeline.search import sync

    indexed = sync(settings)
    evaluated = evaluate_watchlists(settings)
    delivered = deliver_pending(settings)
    return {"indexed_runs": indexed.runs, "indexed_articles": indexed.articles,
            "alerts": evaluated["alerts"], "delivered": delivered["delivered"], "failed": delivered["failed"]}


def _monitor(summary: RunSummary, settings: Settings,
             progress: Callable[[str, dict[str, Any]], None] | None) -> None:
    started = time.perf_counter()
    try:
        outcome = monitor_step(settings)
    except Exception as exc:  # the load is done and stays: monitoring reports, it does not fail the run
        outcome = {"error": f"{type(exc).__name__}: {exc}"}
    summary.monitor = outcome
    summary.seconds["monitor"] = round(time.perf_counter() - started, 3)
    if progress:
        progress("monitor", outcome)


# --- the whole run, in-process --------------------------------------------------------------

def run_pipeline(inputs: Sequence[str], feeds: Sequence[str], settings: Settings, trigger: str = "cli",
                 progress: Callable[[str, dict[str, Any]], None] | None = None,
                 run_quality: bool = True) -> RunSummary:
    """Every step in order, in this process: what `newsmon run` does.

    Input files are taken in batches of `settings.run_batch_documents`, each loaded as its own
    run, so memory stays bounded however many files arrive; the quality suites run once, at
    the end. When this process has not imported great_expectations yet (~3.4 s of one core)
    and runs steps on workers, they run in a process started with the run, whose imports
    overlap the batches (`pipeline.executor.Prewarmed`).
    """
    from pipeline.load.warehouse import Warehouse, read_sql

    plan = plan_batches(inputs, settings)
    batches = plan.batches or [[]]
    summary = RunSummary(run_id="", db_path=_where(settings), skipped_known=plan.unchanged,
                         reports_dir=str(Path(settings.reports_dir).resolve()),
                         staging_dir=str(Path(settings.staging_dir).resolve()),
                         ignored=plan.ignored)
    changed = False
    with ExitStack() as stack:
        warm = (stack.enter_context(Prewarmed(QUALITY_IMPORTS))
                 if run_quality and (plan.batches or feeds) and _prewarm_quality(settings) else None)
        for number, batch in enumerate(batches):
            run_id = start_run(trigger, settings)
            changed |= _run_batch(run_id, batch, list(feeds) if number == 0 else [], settings, trigger,
                                  progress, summary)
            summary.run_id = run_id
            summary.run_ids.append(run_id)
            summary.runs += 1
        if changed:
            _monitor(summary, settings, progress)
        if run_quality and changed:  # unchanged tables give unchanged results
            _quality(summary, settings, warm, progress)
    with Warehouse(settings, read_only=True) as wh:
        rows = wh.con.execute(read_sql("quarantine_by_reason"), [summary.run_ids]).fetchall()
    summary.quarantine = [dict(zip(("stage", "reason_code", "items", "example"), row, strict=True)) for row in rows]
    return summary


@dataclass
class BatchPlan:
    """Input files as runs: each batch is one run's inputs (paths, or one slice of a WARC)."""

    batches: list[list[str]]
    unchanged: int = 0  # files already loaded as they are now, set aside
    ignored: list[str] = field(default_factory=list)  # files in folders that are not articles


def plan_batches(inputs: Sequence[str], settings: Settings) -> BatchPlan:
    """The runs a set of inputs is loaded in: `newsmon run` and the news_backfill DAG share it.

    Files are taken `settings.run_batch_documents` at a time; a WARC holds many documents and is
    cut into slices of that many records, each its own run, so memory stays bounded by the
    batch, never by the archive."""
    from pipeline.ingest.archives import is_warc, plan_inputs
    from pipeline.ingest.files import expand_inputs, split_unchanged
    from pipeline.load.warehouse import Warehouse, read_sql

    with Warehouse(settings) as wh:  # fail fast on an unwritable or locked warehouse, before any work
        known_files = set(wh.con.execute(read_sql("known_files")).fetchall())
    # Unchanged files are set aside before batching: a re-run over a big folder is then one
    # run with nothing new, not one per batch re-reading the warehouse's file list.
    ignored: list[Path] = []
    fresh, unchanged = split_unchanged(list(expand_inputs(inputs, ignored)), known_files)
    size = max(1, settings.run_batch_documents)
    files = plan_inputs([str(p) for p in fresh], size)
    plain = [f for f in files if not is_warc(f)]
    batches = [plain[i:i + size] for i in range(0, len(plain), size)] + [[f] for f in files if is_warc(f)]
    return BatchPlan(batches, unchanged, [str(p) for p in ignored])


def run_batch(inputs: Sequence[str], settings: Settings, trigger: str, run_id: str | None = None) -> dict[str, Any]:
    """One batch of `plan_batches` loaded as one run, start to publish (a news_backfill task)."""
    run_id = start_run(trigger, settings, run_id=run_id)
    summary = RunSummary(run_id=run_id, runs=1, run_ids=[run_id])
    _run_batch(run_id, list(inputs), [], settings, trigger, None, summary)
    return {"run_id": run_id, "documents": summary.documents, "skipped_known": summary.skipped_known,
            "articles": summary.articles, "duplicates": summary.duplicates, "quarantined": summary.quarantined,
            "seconds": summary.seconds}


QUALITY_IMPORTS = ("great_expectations", "pipeline.validate.quality", "pipeline.report", "pipeline.flow")


def _prewarm_quality(settings: Settings) -> bool:
    """Only a process that has not imported GX yet gains, and only where steps may leave it."""
    return settings.executor != "none" and not imported("great_expectations")


def _quality(summary: RunSummary, settings: Settings, warm: Prewarmed | None,
             progress: Callable[[str, dict[str, Any]], None] | None) -> None:
    started = time.perf_counter()
    if warm:
        outcome = warm.call(quality_step, summary.run_id, settings, fail_on_critical=False)
    else:
        outcome = quality_step(summary.run_id, settings, fail_on_critical=False)
    summary.seconds["quality"] = round(time.perf_counter() - started, 3)
    summary.report_path = outcome["report"]
    summary.quality_failures = outcome["failures"]
    summary.quality_warnings = outcome["warnings"]
    if progress:
        progress("quality", outcome)


def _run_batch(run_id: str, inputs: list[str], feeds: list[str], settings: Settings, trigger: str,
               progress: Callable[[str, dict[str, Any]], None] | None, summary: RunSummary) -> bool:
    """One run, start to publish, added into `summary`; says whether anything new was read."""
    steps: list[tuple[str, Callable[[], dict[str, Any]]]] = [
        ("ingest", lambda: ingest_step(run_id, inputs, feeds, settings)),
        ("clean", lambda: clean_step(run_id, settings)),
        ("dedup", lambda: dedup_step(run_id, settings)),
        ("extract", lambda: extract_step(run_id, settings)),
        ("validate", lambda: validate_step(run_id, settings)),
        ("publish", lambda: publish_step(run_id, settings, trigger)),
    ]
    results: dict[str, dict[str, Any]] = {}
    nothing_new = False
    for name, step in steps:
        if nothing_new and name in ("clean", "dedup", "extract"):
            continue  # no new document: only feed state and ingest rejections are validated and loaded
        started = time.perf_counter()
        results[name] = step()
        summary.seconds[name] = round(summary.seconds.get(name, 0.0) + time.perf_counter() - started, 3)
        if progress:
            progress(name, results[name])
        if name == "ingest":
            nothing_new = results[name]["documents"] == 0
    summary.documents += results["ingest"]["documents"]
    summary.skipped_known += results["ingest"]["skipped_known"]
    summary.articles += results.get("dedup", {}).get("articles", 0)
    summary.duplicates += results.get("dedup", {}).get("duplicates", 0)
    summary.quarantined += results.get("validate", {}).get("quarantined", 0)
    summary.entities += results.get("extract", {}).get("entities", 0)
    summary.mentions += results.get("extract", {}).get("mentions", 0)
    summary.events += results.get("extract", {}).get("events", 0)
    return not nothing_new


def summary_fields() -> list[str]:
    return [f.name for f in fields(RunSummary)]
