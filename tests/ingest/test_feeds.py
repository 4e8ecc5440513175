"""read_feeds on local feed files built from the seed articles: documents, state, quarantine."""

from __future__ import annotations

import json
import shutil
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from pipeline.ingest.feeds import FeedSource, read_feeds
from pipeline.records import stable_id
from tests.conftest import SEED_FILES

CASES = Path(__file__).parent / "cases" / "feeds"
NOW = datetime(2026, 1, 5, 12, 0, 0)
SEED_TITLES = [f.read_text(encoding="utf-8").strip().splitlines()[0].strip() for f in SEED_FILES]


def _states(out):
    return {s.feed_name: s for s in out.feed_states}


def _source(path: Path, fetch_pages: bool = True, **kw) -> FeedSource:
    return FeedSource(name=path.name, url=str(path), fetch_pages=fetch_pages, **kw)


def test_rss_entries_become_page_documents_with_feed_hints(settings):
    out = read_feeds([_source(CASES / "local" / "seeds.rss")], settings, "r1", {}, NOW)
    assert out.quarantine == []
    docs = out.documents
    assert [d.hint_title for d in docs] == SEED_TITLES
    for doc, seed in zip(docs, SEED_FILES, strict=True):
        assert doc.source_kind == "feed_entry" and doc.content_type == "text/html"
        assert doc.content_origin == "page" and doc.url.endswith(f"/pages/{seed.stem}.html")
        assert doc.doc_id == stable_id("feed_entry", "seeds.rss", f"seed-{seed.stem}")
        assert doc.feed_name == "seeds.rss" and doc.fetched_at == NOW
        # The page carries the seed's body text, not just the feed's one-line description.
        last_paragraph = [p for p in seed.read_text(encoding="utf-8").splitlines() if p.strip()][-1]
        assert last_paragraph.strip().replace("&", "&amp;")[:60] in doc.raw_text
    # Dates are normalised to naive UTC: 09:35 +02:00 is 07:35 UTC; 23:30 -05:00 is 04:30 next day.
    assert docs[0].hint_published_at == datetime(2022, 1, 4, 7, 35)
    assert docs[4].hint_published_at == datetime(2022, 1, 11, 4, 30)
    (state,) = out.feed_states
    assert state.seen_entry_ids == [f"seed-{s.stem}" for s in SEED_FILES]
    assert state.last_status == "ok: 5 new of 5" and state.consecutive_failures == 0


def test_without_pages_the_feeds_own_content_is_used_and_marked(settings):
    out = read_feeds([_source(CASES / "seeds_atom.xml", fetch_pages=False)], settings, "r1", {}, NOW)
    assert len(out.documents) == 5 and out.quarantine == []
    for doc, seed in zip(out.documents, SEED_FILES, strict=True):
        assert doc.content_origin == "feed_content" and doc.content_type == "text/html"
        assert doc.url == f"https://news.example.org/{seed.stem}" and doc.hint_author == "Fixture Desk"
        body_start = [p for p in seed.read_text(encoding="utf-8").splitlines() if p.strip()][1].strip()
        assert body_start[:40] in doc.raw_text.replace("&amp;", "&")


def test_second_run_with_nothing_new_yields_nothing(settings):
    sources = [_source(CASES / "local" / "seeds.rss")]
    first = read_feeds(sources, settings, "r1", {}, NOW)
    second = read_feeds(sources, settings, "r2", _states(first), NOW + timedelta(minutes=15))
    assert second.documents == [] and second.quarantine == []
    assert second.feed_states[0].last_status == "unchanged"


def test_a_new_entry_yields_exactly_that_entry(settings, tmp_path):
    feed = tmp_path / "feed" / "seeds.rss"
    shutil.copytree(CASES / "local", feed.parent)
    sources = [_source(feed)]
    first = read_feeds(sources, settings, "r1", {}, NOW)
    text = feed.read_text(encoding="utf-8")
    new_item = """<item><title>Talks resume in Vienna</title><link>https://news.example.org/vienna</link>
<guid>vienna-1</guid><pubDate>Fri, 14 Jan 2022 10:00:00 +0100</pubDate>
<description>Negotiators returned to Vienna on Friday.</description></item>"""
    feed.write_text(text.replace("<item>", new_item + "\n  <item>", 1), encoding="utf-8")
    second = read_feeds([_source(feed, fetch_pages=False)], settings, "r2", _states(first), NOW)
    assert [d.hint_title for d in second.documents] == ["Talks resume in Vienna"]
    assert second.documents[0].hint_published_at == datetime(2022, 1, 14, 9, 0)
    # An RSS guid is a permalink unless marked otherwise, so feedparser resolves it against the feed.
    assert second.feed_states[0].seen_entry_ids[0].endswith("/feed/vienna-1")
    assert len(second.feed_states[0].seen_entry_ids) == 6


def test_doc_ids_are_stable_across_runs_without_state(settings):
    sources = [_source(CASES / "seeds_atom.xml", fetch_pages=False)]
    a = read_feeds(sources, settings, "r1", {}, NOW)
    b = read_feeds(sources, settings, "r2", {}, NOW + timedelta(days=1))
    assert [d.doc_id for d in a.documents] == [d.doc_id for d in b.documents]
    assert [d.raw_sha256 for d in a.documents] == [d.raw_sha256 for d in b.documents]


@pytest.mark.parametrize("name, reason", [("broken.xml", "feed_malformed"), ("empty_channel.xml", "feed_empty")])
def test_unusable_feeds_are_quarantined_with_a_reason(settings, name, reason):
    out = read_feeds([_source(CASES / name)], settings, "r1", {}, NOW)
    assert out.documents == []
    (item,) = out.quarantine
    assert (item.stage, item.reason_code, item.run_id) == ("ingest", reason, "r1")
    assert json.loads(item.payload)["feed"] == name
    (state,) = out.feed_states
    assert state.content_sha256  # the same bytes are not re-judged next time


def test_malformed_feed_backs_off_and_is_not_polled_before_its_retry_time(settings):
    sources = [_source(CASES / "broken.xml")]
    first = read_feeds(sources, settings, "r1", {}, NOW)
    state = first.feed_states[0]
    assert state.consecutive_failures == 1 and state.next_retry_at > NOW
    early = read_feeds(sources, settings, "r2", _states(first), NOW + timedelta(minutes=1))
    assert (early.documents, early.quarantine, early.feed_states) == ([], [], [])
    later = read_feeds(sources, settings, "r3", _states(first), state.next_retry_at)
    assert later.feed_states[0].last_status == "unchanged"  # polled again; bytes unchanged


def test_recoverable_bozo_feed_is_loaded_with_a_warning(settings):
    out = read_feeds([_source(CASES / "recoverable_bozo.xml", fetch_pages=False)], settings, "r1", {}, NOW)
    (doc,) = out.documents
    assert doc.hint_title == "Diplomats meet in Geneva & Brussels"
    assert "Geneva on Monday" in doc.raw_text and doc.hint_published_at == datetime(2022, 1, 10, 8, 0)
    assert "recovered" in out.feed_states[0].last_status


def test_external_entities_are_not_resolved(settings):
    out = read_feeds([_source(CASES / "xxe_passwd.xml", fetch_pages=False)], settings, "r1", {}, NOW)
    (doc,) = out.documents
    assert Path("/etc/passwd").exists()
    assert "root:" not in doc.raw_text and "root:" not in (doc.hint_title or "")
    assert "Before the entity." in doc.raw_text and "After the entity." in doc.raw_text
    assert doc.hint_title == "Entity probe expanded internal entity"  # plain internal entities still work


def test_local_pages_outside_the_feed_folder_are_not_read(settings, tmp_path):
    feed = tmp_path / "feeds" / "escape.rss"
    feed.parent.mkdir()
    feed.write_text("""<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>
<item><title>escape</title><link>../../../../../../etc/passwd</link><guid>e1</guid>
<description>the feed's own summary</description></item></channel></rss>""", encoding="utf-8")
    out = read_feeds([_source(feed)], settings, "r1", {}, NOW)
    (doc,) = out.documents
    assert doc.content_origin == "feed_content" and "root:" not in doc.raw_text
    (item,) = out.quarantine
    assert item.reason_code == "page_fetch_failed" and item.item_id == doc.doc_id


def test_entry_without_content_or_page_is_quarantined_not_dropped(settings, tmp_path):
    feed = tmp_path / "titles.rss"
    feed.write_text("""<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>
<item><title>Only a title</title><guid isPermaLink="false">t1</guid></item></channel></rss>""", encoding="utf-8")
    out = read_feeds([_source(feed)], settings, "r1", {}, NOW)
    assert out.documents == []
    assert [q.reason_code for q in out.quarantine] == ["entry_empty"]
    assert out.feed_states[0].seen_entry_ids == ["t1"]


def test_per_feed_interval_skips_polls_until_due(settings):
    source = _source(CASES / "seeds_atom.xml", fetch_pages=False, interval_minutes=60)
    first = read_feeds([source], settings, "r1", {}, NOW)
    soon = read_feeds([source], settings, "r2", _states(first), NOW + timedelta(minutes=15))
    assert soon.feed_states == []
    due = read_feeds([source], settings, "r3", _states(first), NOW + timedelta(minutes=60))
    assert due.feed_states[0].last_status == "unchanged"


def test_json_feed_is_read(settings, tmp_path):
    feed = tmp_path / "feed.json"
    feed.write_text(json.dumps({
        "version": "https://jsonfeed.org/version/1.1", "title": "j",
        "items": [{"id": "j1", "url": "/a", "title": "Summit in Geneva",
                   "content_html": "<p>Leaders met.</p>", "date_published": "2022-01-10T10:00:00+01:00",
                   "authors": [{"name": "Desk"}]}]}), encoding="utf-8")
    (doc,) = read_feeds([_source(feed, fetch_pages=False)], settings, "r1", {}, NOW).documents
    assert (doc.hint_title, doc.hint_author, doc.raw_text) == ("Summit in Geneva", "Desk", "<p>Leaders met.</p>")
    assert doc.hint_published_at == datetime(2022, 1, 10, 9, 0)


def test_missing_local_feed_is_quarantined(settings, tmp_path):
    out = read_feeds([_source(tmp_path / "nope.xml")], settings, "r1", {}, NOW)
    assert [q.reason_code for q in out.quarantine] == ["feed_unreadable"]
    assert out.feed_states[0].consecutive_failures == 1
