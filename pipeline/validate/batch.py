"""Validate every record of a batch against its JSON Schema before it is loaded.

An invalid record goes to quarantine (stage "validate", reason "schema_violation", a message
naming the field, the record as JSON). Records that depend on a rejected one follow it
(reason "dependency_rejected") so the warehouse never receives orphans: an article's spans,
signature and mentions; a document's articles; an entity's mentions and events; an event's
mentions; the duplicates that point at a rejected canonical article.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pipeline.executor import Executor
from pipeline.records import Batch, QuarantineItem, stable_id, utc_now
from pipeline.settings import Settings
from pipeline.validate.schemas import (
    load_schemas,
    record_payload,
    record_to_json,
    schema_errors,
    validator_for,
)

STAGE = "validate"

# Batch attribute -> warehouse table whose schema describes its records. Attributes absent
# here (duplicate_links, sentences) are not tables: they are only checked for dependencies.
TABLE_OF_FIELD = {
    "documents": "documents",
    "articles": "articles",
    "boilerplate": "boilerplate_removed",
    "captions": "captions",
    "signatures": "article_signatures",
    "publisher_lines": "publisher_lines",
    "feed_states": "feed_state",
    "entities": "entities",
    "mentions": "entity_mentions",
    "events": "events",
    "event_mentions": "event_mentions",
}

# (batch attribute, record field, parent kind): a record whose field names a rejected parent
# is rejected too. Kinds are the keyed parents: document, article, entity, event.
DEPENDENCIES: list[tuple[str, str, str]] = [
    ("articles", "doc_id", "document"),
    ("articles", "duplicate_of", "article"),
    ("boilerplate", "article_id", "article"),
    ("captions", "article_id", "article"),
    ("signatures", "article_id", "article"),
    ("duplicate_links", "article_id", "article"),
    ("duplicate_links", "duplicate_of", "article"),
    ("publisher_lines", "article_id", "article"),
    ("sentences", "article_id", "article"),
    ("mentions", "article_id", "article"),
    ("mentions", "entity_id", "entity"),
    ("events", "actor1", "entity"),
    ("events", "actor2", "entity"),
    ("events", "actors", "entity"),
    ("event_mentions", "article_id", "article"),
    ("event_mentions", "event_id", "event"),
]
# Which attribute holds each parent kind, and the field that keys it.
PARENTS = {"documents": ("document", "doc_id"), "articles": ("article", "article_id"),
           "entities": ("entity", "entity_id"), "events": ("event", "event_id")}


def _item_id(table: str, record: Any, schemas_dir: Path) -> str:
    key = load_schemas(schemas_dir)[table]["x-primary-key"]
    values = [str(getattr(record, k, "")) for k in key]
    return values[0] if len(values) == 1 else f"{table}:" + "/".join(values)


def _quarantine(run_id: str, item_id: str, reason: str, message: str, record: Any) -> QuarantineItem:
    return QuarantineItem(item_id=item_id, stage=STAGE, reason_code=reason, message=message,
                          payload=record_payload(record), run_id=run_id,
                          quarantined_at=utc_now())


def _names(value: Any) -> Iterable[Any]:
    return value if isinstance(value, list | tuple) else [value]


def schema_step(schemas_dir: Path, work: list[tuple[str, str, int, Any]]) -> list[list[str]]:
    """Executor step: each record's schema errors (none for a valid one). Each item carries its
    record: workers that are not forked get their chunk's records, not the whole batch each."""
    return [schema_errors(schemas_dir, table, record_to_json(record), validator_for(schemas_dir, table))
            for _, table, _, record in work]


def _schema_failures(kept: dict[str, list[Any]], schemas_dir: Path, settings: Settings,
                     executor: Executor) -> dict[tuple[str, int], list[str]]:
    """(batch attribute, position) -> error messages, for the records that fail their schema
    or whose check raised."""
    work = [(attr, table, position, record) for attr, table in TABLE_OF_FIELD.items()
            for position, record in enumerate(kept[attr])]
    checked = executor.map(schema_step, work, schemas_dir, stage=STAGE,
                           min_items=settings.validate_parallel_min_records)
    found = {(attr, position): errors for (attr, _, position, _), errors in checked.done if errors}
    found.update({(f.item[0], f.item[2]): [f"internal_error: {f.describe()}"] for f in checked.failed})
    return found


def validate_batch(batch: Batch, settings: Settings, executor: Executor | None = None) -> Batch:
    """A new batch holding only valid records; rejected ones appended to its quarantine.

    An article quarantined upstream for an internal error (its step raised after it had
    records in earlier steps) counts as rejected: its dependents follow it."""
    schemas_dir = Path(settings.schemas_dir)
    kept: dict[str, list[Any]] = {f.name: list(getattr(batch, f.name)) for f in dataclasses.fields(Batch)
                                  if f.name not in ("run_id", "quarantine")}
    quarantine: list[QuarantineItem] = []
    rejected: dict[str, dict[str, str]] = {kind: {} for kind, _ in PARENTS.values()}

    for item in batch.quarantine:
        if item.reason_code == "internal_error":
            rejected["article"][item.item_id] = item.message
    failures = _schema_failures(kept, schemas_dir, settings, executor or Executor())
    for attr, table in TABLE_OF_FIELD.items():
        good = []
        for position, record in enumerate(kept[attr]):
            errors = failures.get((attr, position))
            if not errors:
                good.append(record)
                continue
            item_id = _item_id(table, record, schemas_dir)
            quarantine.append(_quarantine(batch.run_id, item_id, "schema_violation", "; ".join(errors[:5]), record))
            if attr in PARENTS:
                kind, key = PARENTS[attr]
                rejected[kind][getattr(record, key)] = errors[0]
        kept[attr] = good

    # Cascade to a fixed point: a rejected article can reject its duplicates, whose own
    # dependents then follow.
    kept["articles"] = [a for a in kept["articles"] if a.article_id not in rejected["article"]]
    changed = any(rejected.values())
    while changed:
        changed = False
        for attr, field_name, kind in DEPENDENCIES:
            good = []
            for record in kept[attr]:
                parent = next((v for v in _names(getattr(record, field_name, None)) if v in rejected[kind]), None)
                if parent is None:
                    good.append(record)
                    continue
                own_table = TABLE_OF_FIELD.get(attr)
                item_id = (_item_id(own_table, record, schemas_dir) if own_table
                           else f"{attr}:{stable_id(record_payload(record))}")
                message = (f"{attr}.{field_name}: {kind} {parent!r} was rejected "
                           f"({rejected[kind][parent]})")
                quarantine.append(_quarantine(batch.run_id, item_id, "dependency_rejected", message, record))
                if attr in PARENTS:
                    own_kind, key = PARENTS[attr]
                    rejected[own_kind][getattr(record, key)] = message
                changed = True
            kept[attr] = good

    return Batch(run_id=batch.run_id, quarantine=_checked_quarantine(batch, schemas_dir) + quarantine, **kept)


def _checked_quarantine(batch: Batch, schemas_dir: Path) -> list[QuarantineItem]:
    """Upstream quarantine rows must load too: an invalid one is wrapped, never dropped."""
    out = []
    for item in batch.quarantine:
        errors = schema_errors(schemas_dir, "quarantine", record_to_json(item))
        if not errors:
            out.append(item)
            continue
        out.append(_quarantine(batch.run_id, str(item.item_id or stable_id(record_payload(item))),
                               "schema_violation", "; ".join(errors[:5]), item))
    return out
