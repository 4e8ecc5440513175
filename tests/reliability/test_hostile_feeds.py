"""Hostile feeds through the feed reader: no entity is expanded, none resolved, nothing crashes."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from pipeline.ingest.feeds import feed_source_from_arg, read_feeds
from tests.reliability.hostile import build_feeds


@pytest.fixture(scope="module")
def feeds(tmp_path_factory):
    return build_feeds(tmp_path_factory.mktemp("hostile_feeds"))


def read(path, settings):
    return read_feeds([feed_source_from_arg(str(path))], settings, "r", {}, datetime.now(UTC))


def everything_text(out) -> str:
    parts = [d.raw_text or "" for d in out.documents] + [d.hint_title or "" for d in out.documents]
    parts += [f"{q.message} {q.payload}" for q in out.quarantine]
    return "\n".join(parts)


def test_external_entity_is_never_resolved(feeds, settings):
    out = read(feeds["xxe.xml"], settings)
    text = everything_text(out)
    assert "root:" not in text and "/bin/bash" not in text
    assert [d.hint_title for d in out.documents] == ["leak"]


def test_entity_expansion_bomb_does_not_expand(feeds, settings):
    out = read(feeds["bomb.xml"], settings)
    assert len(everything_text(out)) < 100_000  # a billion laughs would be ~3 GB
    assert [d.hint_title for d in out.documents] == ["boom"]


@pytest.mark.slow
def test_a_feed_with_100k_entries_yields_every_entry_or_a_reason(feeds, settings):
    out = read(feeds["entries_100k.xml"], settings)
    assert len(out.documents) == 100_000 and not out.quarantine
    ids = [d.doc_id for d in out.documents]
    assert len(ids) == len(set(ids))
