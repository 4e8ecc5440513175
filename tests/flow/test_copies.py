"""Copies are not corroboration (issue 39): the seeds, then the same articles again through a
feed served over HTTP on 127.0.0.1, then the same stories republished by other outlets, into one
warehouse. Dedup marks every copy; a copy changes no count and no event.

The feed's pages are the seed texts as a site prints them: the headline above the text, dated
by the feed (the seed files 001-004 are undated). The seed files, loaded first, stay canonical:
their text is what the entities and events were counted from, and an equal-content copy never
displaces it (only a genuinely more complete version would, tests/dedup and tests/load)."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest
from pytest_httpserver import HTTPServer

from tests.conftest import SEEDS_DIR, make_settings

pytestmark = pytest.mark.e2e  # every test here runs the whole pipeline

FEED_DIR = Path(__file__).resolve().parent.parent / "ingest" / "cases" / "feeds" / "local"
RSS = (FEED_DIR / "seeds.rss").read_text(encoding="utf-8")
PAGES = sorted((FEED_DIR / "pages").glob("*.html"))
WIRE_OUTLETS = ["Wire Herald", "Syndicate Daily"]
# Everything an analyst counts with, row by row: the set of events and each one's counts, each
# entity's counts.
COUNTS = {
    "entities": "SELECT entity_id, canonical_name, article_count, mention_count FROM entities ORDER BY 1",
    "events": "SELECT event_id, event_date, event_type, cameo_code, actors, num_mentions, num_articles, "
              "num_sources, first_seen, last_seen FROM events ORDER BY 1",
    "entity_mentions": "SELECT count(*) FROM entity_mentions",
    "event_mentions": "SELECT count(*) FROM event_mentions",
}
# num_copies is linked, never counted: each stage adds one copy of every seed article.
COPIES = {
    "entities": "SELECT entity_id, article_count, num_copies FROM entities ORDER BY 1",
    "events": "SELECT event_id, num_articles, num_copies FROM events ORDER BY 1",
}


def snapshot(db: Path) -> dict[str, object]:
    with duckdb.connect(str(db), read_only=True) as con:
        shot: dict[str, object] = {name: con.execute(sql).fetchall() for name, sql in COUNTS.items()}
        shot["canonical"] = con.execute("SELECT count(*) FROM articles WHERE NOT is_duplicate").fetchone()[0]
        shot["copies"] = con.execute("SELECT count(*) FROM articles WHERE is_duplicate").fetchone()[0]
        shot["num_copies"] = {name: con.execute(sql).fetchall() for name, sql in COPIES.items()}
    return shot


def serve_outlet(server: HTTPServer, slug: str, site_name: str | None) -> str:
    """The seed feed and its pages under /<slug>/; with `site_name`, each page names that outlet."""
    rss = re.sub(r"<guid([^>]*)>seed-", rf"<guid\1>{slug}-", RSS)
    server.expect_request(f"/{slug}/rss.xml").respond_with_data(
        rss, content_type="application/rss+xml; charset=utf-8")
    for page in PAGES:
        html = page.read_text(encoding="utf-8")
        if site_name:
            html = html.replace("<head>", f'<head><meta property="og:site_name" content="{site_name}">', 1)
        server.expect_request(f"/{slug}/pages/{page.name}").respond_with_data(
            html, content_type="text/html; charset=utf-8")
    return server.url_for(f"/{slug}/rss.xml")


@pytest.fixture(scope="module")
def copies_runs(tmp_path_factory):
    """Snapshots of one warehouse: after the seeds, the seed feed, then the syndicated copies."""
    from pipeline.flow import run_pipeline

    settings = make_settings(tmp_path_factory.mktemp("copies"))
    server = HTTPServer(host="127.0.0.1")
    server.start()
    try:
        feeds = {"feed": [serve_outlet(server, "seeds", None)],
                 "syndicated": [serve_outlet(server, o.lower().replace(" ", "-"), o) for o in WIRE_OUTLETS]}
        run_pipeline([str(SEEDS_DIR)], [], settings, trigger="test")
        shots = {"seeds": snapshot(settings.db_path)}
        for stage, urls in feeds.items():
            summary = run_pipeline([], urls, settings, trigger="test")
            assert summary.documents == 5 * len(urls), summary.quarantine  # every page was fetched
            shots[stage] = snapshot(settings.db_path)
    finally:
        server.clear()
        server.stop()
    return settings, shots


def test_the_seeds_again_through_a_feed_change_no_count_and_no_event(copies_runs):
    """Issue 39's must-show: every entity and event count, and the set of events, unchanged."""
    _, shots = copies_runs
    before, after = shots["seeds"], shots["feed"]
    assert before["canonical"] == 5 and before["copies"] == 0
    assert after["canonical"] == 5 and after["copies"] == 5
    assert before["events"] and before["entities"]  # there is something to compare
    for name in COUNTS:
        assert after[name] == before[name], name
    assert max(row[2] for row in after["entities"]) == 5  # before #39: Putin in 10 of 5 stories


def test_syndicated_copies_under_other_publishers_change_no_count_and_no_event(copies_runs):
    _, shots = copies_runs
    before, after = shots["seeds"], shots["syndicated"]
    assert after["canonical"] == 5 and after["copies"] == 5 + 5 * len(WIRE_OUTLETS)
    for name in COUNTS:
        assert after[name] == before[name], name


def test_every_copy_points_at_a_seed_file_and_no_mention_belongs_to_a_copy(copies_runs):
    settings, _ = copies_runs
    with duckdb.connect(str(settings.db_path), read_only=True) as con:
        canonical_uris = con.execute("SELECT DISTINCT c.source_uri FROM articles a JOIN articles c "
                                     "ON c.article_id = a.duplicate_of").fetchall()
        assert sorted(Path(u).name for (u,) in canonical_uris) == sorted(p.name for p in SEEDS_DIR.glob("*.txt"))
        for table in ("entity_mentions", "event_mentions"):
            assert con.execute(f"SELECT count(*) FROM {table} JOIN articles USING (article_id) "
                               "WHERE articles.is_duplicate").fetchone()[0] == 0, table


@pytest.mark.parametrize(("stage", "copies_per_article"), [("seeds", 0), ("feed", 1), ("syndicated", 3)])
def test_num_copies_says_how_many_copies_carried_each_entity_and_event(copies_runs, stage, copies_per_article):
    """Every seed article has one copy in the feed and one at each outlet: an entity or event
    named in n canonical articles was carried by n copies per stage, and counts none of them."""
    _, shots = copies_runs
    for name in COPIES:
        rows = shots[stage]["num_copies"][name]
        assert rows and all(copies == copies_per_article * articles for _, articles, copies in rows), name
