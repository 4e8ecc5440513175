"""Parsing across worker processes gives exactly the sequential result."""

from __future__ import annotations

import dataclasses

import pytest

from pipeline.clean import clean_documents
from pipeline.executor import Executor, PoolExecutor
from pipeline.ingest.files import read_inputs
from tests.conftest import SEED_FILES


@pytest.mark.slow
def test_parallel_parse_matches_sequential(settings, tmp_path):
    (tmp_path / "page.html").write_text(
        "<html><head><title>Talks in Geneva</title></head><body><nav>Home | World</nav><article>"
        "<h1>Talks in Geneva</h1><p>" + "US and Russian officials met in Geneva on Monday. " * 12 +
        "</p></article><footer>Leave a Reply</footer></body></html>", encoding="utf-8")
    (tmp_path / "empty.html").write_text("<html><body><script>x()</script></body></html>", encoding="utf-8")
    docs = read_inputs([*map(str, SEED_FILES), str(tmp_path)], settings, "r").documents
    sequential = clean_documents(docs, settings, "r", executor=Executor())
    parallel = clean_documents(docs, settings.replace(clean_parallel_min_docs=1), "r", executor=PoolExecutor(2))

    def comparable(out):
        return {
            "articles": [dataclasses.asdict(a) for a in out.articles],
            "boilerplate": [dataclasses.asdict(b) for b in out.boilerplate],
            "captions": [dataclasses.asdict(c) for c in out.captions],
            "quarantine": [(q.item_id, q.reason_code) for q in out.quarantine],
        }

    assert len(parallel.articles) == 6 and parallel.quarantine
    assert comparable(parallel) == comparable(sequential)
    # Spawned workers get the cleaner pickled: its lookups must survive the trip.
    spawned = clean_documents(docs, settings.replace(clean_parallel_min_docs=1), "r",
                              executor=PoolExecutor(2, "spawn"))
    assert comparable(spawned) == comparable(sequential)
