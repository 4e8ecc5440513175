"""validate_batch on records built from the seeds, broken one field at a time."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from pipeline.records import Batch, QuarantineItem
from pipeline.validate import validate_batch
from tests.validate.seed_batch import seed_batch

CASES = json.loads((Path(__file__).with_name("cases") / "broken_records.json").read_text(encoding="utf-8"))
RECORD_LISTS = [f.name for f in dataclasses.fields(Batch) if f.name not in ("run_id", "quarantine")]


def _count(batch: Batch) -> int:
    return sum(len(getattr(batch, name)) for name in RECORD_LISTS)


def assert_no_orphans(batch: Batch) -> None:
    docs = {d.doc_id for d in batch.documents}
    articles = {a.article_id for a in batch.articles}
    entities = {e.entity_id for e in batch.entities}
    events = {e.event_id for e in batch.events}
    assert {a.doc_id for a in batch.articles} <= docs
    assert {a.duplicate_of for a in batch.articles if a.duplicate_of} <= articles
    assert {s.article_id for s in batch.boilerplate} <= articles
    assert {m.article_id for m in batch.mentions} <= articles
    assert {m.entity_id for m in batch.mentions} <= entities
    assert {m.event_id for m in batch.event_mentions} <= events
    assert {m.article_id for m in batch.event_mentions} <= articles
    assert {e.actor1 for e in batch.events if e.actor1} <= entities


def test_seed_records_are_valid(settings):
    batch = seed_batch()
    out = validate_batch(batch, settings)
    assert _count(out) == _count(batch) > 200
    assert out.quarantine == batch.quarantine  # the upstream ingest rejection passes through
    assert out is not batch and out.run_id == batch.run_id


@pytest.mark.parametrize("case", CASES, ids=[c["field"] + "=" + json.dumps(list(c["set"].values())[0])
                                              for c in CASES])
def test_broken_record_is_quarantined_naming_its_field(settings, case):
    batch = seed_batch()
    target = getattr(batch, case["attr"])[0]
    for name, value in case["set"].items():
        setattr(target, name, value)
    out = validate_batch(batch, settings)

    assert target not in getattr(out, case["attr"])
    rejected = [q for q in out.quarantine if q.reason_code == "schema_violation"]
    assert len(rejected) == 1
    item = rejected[0]
    assert item.stage == "validate" and item.run_id == batch.run_id
    assert item.message.startswith(case["field"] + ":"), item.message
    payload = json.loads(item.payload)
    for name, value in case["set"].items():
        assert payload[name] == value
    # Nothing silently dropped, nothing left dangling.
    new_items = len(out.quarantine) - len(batch.quarantine)
    assert _count(out) + new_items == _count(batch)
    assert_no_orphans(out)


def test_rejected_article_takes_its_dependents_along(settings):
    batch = seed_batch()
    article = next(a for a in batch.articles if any(m.article_id == a.article_id for m in batch.event_mentions))
    article.word_count = -1
    own = {name: [r for r in getattr(batch, name) if getattr(r, "article_id", None) == article.article_id]
           for name in ("boilerplate", "mentions", "event_mentions")}
    assert all(own.values())
    out = validate_batch(batch, settings)
    followers = [q for q in out.quarantine if q.reason_code == "dependency_rejected"]
    assert len(followers) == sum(len(v) for v in own.values())
    assert all(f"article {article.article_id!r} was rejected" in q.message for q in followers)
    assert all("articles.word_count" in q.message for q in followers)
    assert not any(getattr(r, "article_id", None) == article.article_id
                   for name in own for r in getattr(out, name))
    assert_no_orphans(out)


def test_rejected_document_takes_its_article_and_the_articles_dependents(settings):
    batch = seed_batch()
    doc = batch.documents[0]
    doc.fetched_at = "yesterday"
    article = next(a for a in batch.articles if a.doc_id == doc.doc_id)
    out = validate_batch(batch, settings)
    assert article not in out.articles
    messages = [q.message for q in out.quarantine if q.item_id == article.article_id]
    assert messages and "document" in messages[0] and "documents.fetched_at" in messages[0]
    assert_no_orphans(out)
    assert _count(out) + len(out.quarantine) - len(batch.quarantine) == _count(batch)


def test_rejected_entity_takes_its_mentions_and_the_events_it_acts_in(settings):
    batch = seed_batch()
    actor = next(e for e in batch.entities if e.entity_id == batch.events[0].actor1)
    actor.canonical_name = ""
    out = validate_batch(batch, settings)
    assert not out.events and not out.event_mentions  # the one event had this actor
    assert not any(m.entity_id == actor.entity_id for m in out.mentions)
    assert_no_orphans(out)


def test_duplicates_of_a_rejected_canonical_follow_it(settings):
    batch = seed_batch()
    canonical, copy = batch.articles[0], batch.articles[1]
    copy.is_duplicate, copy.duplicate_of, copy.similarity = True, canonical.article_id, 0.93
    canonical.language = "English!"
    out = validate_batch(batch, settings)
    kept = {a.article_id for a in out.articles}
    assert canonical.article_id not in kept and copy.article_id not in kept
    assert_no_orphans(out)


def test_not_a_number_is_not_a_number(settings):
    batch = seed_batch()
    batch.articles[0].similarity = float("nan")
    out = validate_batch(batch, settings)
    [item] = [q for q in out.quarantine if q.reason_code == "schema_violation"]
    assert item.message.startswith("articles.similarity:")
    assert json.loads(item.payload)["similarity"] == "nan"  # the payload stays valid JSON


def test_invalid_upstream_quarantine_row_is_wrapped_not_dropped(settings):
    batch = seed_batch()
    batch.quarantine.append(QuarantineItem(item_id="x1", stage="clean", reason_code="Bad Code", message="",
                                           payload=None, run_id=batch.run_id,
                                           quarantined_at=batch.documents[0].fetched_at))
    out = validate_batch(batch, settings)
    wrapped = [q for q in out.quarantine if q.item_id == "x1"]
    assert len(wrapped) == 1 and wrapped[0].stage == "validate" and wrapped[0].reason_code == "schema_violation"
    assert "quarantine.message" in wrapped[0].message and "quarantine.reason_code" in wrapped[0].message
    assert json.loads(wrapped[0].payload)["stage"] == "clean"


def test_checking_on_two_processes_gives_the_in_process_verdicts(settings):
    from pipeline.executor import Executor, PoolExecutor
    from pipeline.flow import WORKER_MODULES

    def broken() -> Batch:
        b = seed_batch()
        b.articles[0].word_count = -3
        b.mentions[1].start_char = "x"
        return b

    in_process = validate_batch(broken(), settings, Executor())
    parallel = validate_batch(broken(), settings.replace(validate_parallel_min_records=1),
                              PoolExecutor(2, preload=WORKER_MODULES))  # a run's pool: its preload

    def verdicts(out: Batch):
        return ([(q.item_id, q.reason_code, q.message) for q in out.quarantine],
                {name: len(getattr(out, name)) for name in RECORD_LISTS})

    assert verdicts(parallel) == verdicts(in_process)
    assert sum(q.reason_code == "schema_violation" for q in parallel.quarantine) == 2
