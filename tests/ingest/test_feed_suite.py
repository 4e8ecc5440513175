"""Robustness on part of feedparser's own suite (../shared/eval/feedparser): odd encodings,
ill-formed XML and JSON Feed. Every file yields entries or a quarantine row, nothing raises.
The whole suite (2,106 feeds) runs in benchmarks/feed_suite.py."""

from __future__ import annotations

import json
from datetime import datetime

import pytest

from pipeline.ingest.feeds import FeedSource, read_feeds
from tests.conftest import EVAL_DIR

SUITE = EVAL_DIR / "feedparser"
pytestmark = pytest.mark.skipif(not SUITE.is_dir(), reason=f"evaluation data absent: {SUITE}")
PARTS = ["encoding", "illformed", "json"]


@pytest.fixture(scope="module")
def suite_out(tmp_path_factory):
    from tests.conftest import make_settings

    settings = make_settings(tmp_path_factory.mktemp("suite"))
    sources = [FeedSource(part, str(SUITE / part), fetch_pages=False) for part in PARTS]
    return read_feeds(sources, settings, "suite", {}, datetime(2026, 1, 5, 12, 0))


def test_every_file_has_an_outcome_and_nothing_is_unexpected(suite_out):
    files = {f"{p}/{f.relative_to(SUITE / p).as_posix()}" for p in PARTS for f in (SUITE / p).rglob("*")
             if f.is_file()}
    assert len(files) > 90
    with_docs = {d.feed_name for d in suite_out.documents}
    quarantined = {json.loads(q.payload)["feed"] for q in suite_out.quarantine}
    assert files == {s.feed_name for s in suite_out.feed_states}
    assert files - with_docs - quarantined == set()
    assert not [q for q in suite_out.quarantine if q.reason_code == "ingest_internal_error"]


def test_files_the_manifest_calls_malformed_are_never_loaded_silently(suite_out):
    manifest = json.loads((SUITE / "manifest.json").read_text(encoding="utf-8"))
    bozo = {k for k, v in manifest.items() if v.get("bozo_expected") and k.split("/")[0] in PARTS}
    assert len(bozo) >= 10
    states = {s.feed_name: s for s in suite_out.feed_states}
    feed_level = {json.loads(q.payload)["feed"] for q in suite_out.quarantine if q.reason_code.startswith("feed_")}
    for name in bozo:
        assert name in feed_level or "recovered" in states[name].last_status, name


def test_legacy_encodings_are_decoded_to_text(suite_out):
    by_feed = {d.feed_name: d for d in suite_out.documents}
    docs = [d for name, d in by_feed.items() if name.startswith("encoding/") and d.raw_text]
    assert len(docs) >= 10
    assert not [d.feed_name for d in docs if "\ufffd" in d.raw_text]


def test_json_feed_entries_are_loaded(suite_out):
    assert [d for d in suite_out.documents if d.feed_name.startswith("json/")]
