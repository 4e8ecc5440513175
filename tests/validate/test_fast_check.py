"""The compiled screen (fastjsonschema) against jsonschema, on real records (the seeds
warehouse, every table) and on single-field corruptions of them: a record the screen passes
is never one jsonschema would reject, and the screen passes every real record (or it would
save nothing). The screen may doubt a record jsonschema accepts (it checks contentEncoding,
which 2020-12 leaves as an annotation): jsonschema then decides."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from pathlib import Path

import pytest

from pipeline.load.warehouse import Warehouse
from pipeline.records import BATCH_RECORDS, EntityAlias, FeedState, QuarantineItem
from pipeline.staging import from_arrow
from pipeline.validate.schemas import fast_check_for, record_to_json, validator_for
from tests.validate.seed_batch import seed_batch

SCHEMAS_DIR = Path(__file__).resolve().parents[2] / "schemas"
CORRUPTIONS = [None, "", "not a date", -1, 10**12, 0.5, True, [], {}, ["x"], "NaN", "x" * 3]
TABLES = sorted(table for _, table in BATCH_RECORDS.values() if table)


def _records(settings, table: str) -> list[dict]:
    cls = next(c for c, t in BATCH_RECORDS.values() if t == table)
    with Warehouse(settings, read_only=True) as wh:
        rows = from_arrow(wh.query_arrow(f'SELECT * FROM "{table}" LIMIT 5'), cls)
    if table == "feed_state":  # the seeds run reads no feed
        rows.append(FeedState("world", "https://example.org/rss", etag='"abc"', seen_entry_ids=["a", "b"],
                              last_status="ok", last_fetched_at=datetime(2022, 1, 10, 8, 0)))
    if table == "entity_aliases":  # one run re-points nothing
        rows.append(EntityAlias("0123456789abcdef", "fedcba9876543210"))
    if table == "quarantine":  # the seeds load whole
        rows.append(QuarantineItem("doc-1", "ingest", "empty_file", "the file is empty", '{"source_uri": "x"}',
                                   "run-1", datetime(2022, 1, 10, 8, 0)))
    return [record_to_json(r) for r in rows]


def _variants(data: dict):
    yield data
    for key in data:
        for bad in CORRUPTIONS:
            yield {**data, key: bad}
        yield {k: v for k, v in data.items() if k != key}
    yield {**data, "unexpected_field": 1}


@pytest.mark.parametrize("table", TABLES)
def test_screen_agrees_with_jsonschema(seeds_run, table):
    fast = fast_check_for(SCHEMAS_DIR, table)
    slow = validator_for(SCHEMAS_DIR, table)
    checked = rejected = 0
    for data in _records(seeds_run[0], table):
        for variant in _variants(data):
            valid = not list(slow.iter_errors(variant))
            if variant is data:
                assert valid and fast(variant), (table, variant)
            assert valid or not fast(variant), (table, variant)
            checked += 1
            rejected += not valid
    assert checked > 0 and 0 < rejected < checked


def test_screen_passes_records_with_datetimes_and_bytes():
    batch = seed_batch()
    article = record_to_json(batch.articles[0])
    assert fast_check_for(SCHEMAS_DIR, "articles")(article)
    broken = record_to_json(dataclasses.replace(batch.articles[0], published_at="2022-13-45T99:00:00"))
    assert not fast_check_for(SCHEMAS_DIR, "articles")(broken)
