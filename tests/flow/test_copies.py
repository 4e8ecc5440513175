"""Copies are not corroboration (issue 39): the seeds, then the same articles again through a
feed, then the same stories under other publishers, into one warehouse. Dedup marks every
copy; a copy adds no count and no event.

The feed's pages are the seeds as published (dated by the feed, with the caption lines the
text files lack), so dedup makes them canonical and the seed files their copies: every count is then over those
five versions only. Copies that do not displace a canonical (the syndicated ones) change
nothing at all."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import duckdb
import pytest

from tests.conftest import SEEDS_DIR, make_settings

pytestmark = pytest.mark.e2e  # every test here runs the whole pipeline

FEED_DIR = Path(__file__).resolve().parent.parent / "ingest" / "cases" / "feeds" / "local"
COUNTS = {
    "entities": "SELECT entity_id, article_count, mention_count FROM entities ORDER BY 1",
    "events": "SELECT event_id, num_mentions, num_articles, num_sources FROM events ORDER BY 1",
}
WIRE_OUTLETS = ["Wire Herald", "Syndicate Daily"]


def snapshot(db: Path) -> dict[str, object]:
    with duckdb.connect(str(db), read_only=True) as con:
        shot: dict[str, object] = {name: con.execute(sql).fetchall() for name, sql in COUNTS.items()}
        shot["canonical"] = con.execute("SELECT count(*) FROM articles WHERE NOT is_duplicate").fetchone()[0]
        shot["copies"] = con.execute("SELECT count(*) FROM articles WHERE is_duplicate").fetchone()[0]
        shot["entity_mentions"] = con.execute("SELECT count(*) FROM entity_mentions").fetchone()[0]
        shot["event_mentions"] = con.execute("SELECT count(*) FROM event_mentions").fetchone()[0]
    return shot


def syndicated_feed(root: Path) -> Path:
    """The seed pages republished by other outlets: the same story text, another site name."""
    pages = root / "pages"
    pages.mkdir(parents=True)
    rss = (FEED_DIR / "seeds.rss").read_text(encoding="utf-8")
    for outlet in WIRE_OUTLETS:
        slug = outlet.lower().replace(" ", "-")
        for page in sorted((FEED_DIR / "pages").glob("*.html")):
            html = page.read_text(encoding="utf-8").replace(
                "<head>", f'<head><meta property="og:site_name" content="{outlet}">', 1)
            (pages / f"{slug}-{page.name}").write_text(html, encoding="utf-8")
    items = []
    for outlet in WIRE_OUTLETS:
        slug = outlet.lower().replace(" ", "-")
        items.append(re.sub(r"<link>pages/", f"<link>pages/{slug}-",
                            re.sub(r"<guid([^>]*)>seed-", rf"<guid\1>{slug}-", rss.split("<item>", 1)[1]
                                   .rsplit("</channel>", 1)[0])))
    feed = root / "syndicated.rss"
    feed.write_text(rss.split("<item>", 1)[0] + "".join("<item>" + i for i in items) + "</channel></rss>\n",
                    encoding="utf-8")
    return feeds_file(root, "syndicated", feed)


def feeds_file(root: Path, name: str, feed: Path) -> Path:
    """A feeds file naming `feed`: a local feed listed there has its linked pages read."""
    path = root / f"{name}.toml"
    path.write_text(f'[[feed]]\nname = "{name}"\nurl = "{feed}"\n', encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def copies_runs(tmp_path_factory):
    """Snapshots of one warehouse: after the seeds, after the seed feed, after syndicated copies."""
    from pipeline.flow import run_pipeline

    root = tmp_path_factory.mktemp("copies")
    settings = make_settings(root)
    local = root / "feed"
    shutil.copytree(FEED_DIR, local)
    shots = {}
    run_pipeline([str(SEEDS_DIR)], [], settings, trigger="test")
    shots["seeds"] = snapshot(settings.db_path)
    run_pipeline([], [str(feeds_file(root, "seed-feed", local / "seeds.rss"))], settings, trigger="test")
    shots["feed"] = snapshot(settings.db_path)
    run_pipeline([], [str(syndicated_feed(root / "wire"))], settings, trigger="test")
    shots["syndicated"] = snapshot(settings.db_path)
    return settings, shots


CANONICAL_COUNTS = {
    "entities": "SELECT e.entity_id, count(DISTINCT m.article_id), count(m.article_id) FROM entities e "
                "JOIN entity_mentions m USING (entity_id) JOIN articles a USING (article_id) "
                "WHERE NOT a.is_duplicate GROUP BY 1 ORDER BY 1",
    "events": "SELECT em.event_id, count(*), count(DISTINCT em.article_id) FROM event_mentions em "
              "JOIN articles a USING (article_id) WHERE NOT a.is_duplicate GROUP BY 1 ORDER BY 1",
}


def test_the_seeds_again_through_a_feed_count_each_story_once(copies_runs):
    settings, shots = copies_runs
    before, after = shots["seeds"], shots["feed"]
    assert before["canonical"] == 5 and before["copies"] == 0
    assert after["canonical"] == 5 and after["copies"] == 5  # one version of each story counts
    with duckdb.connect(str(settings.db_path), read_only=True) as con:
        # Checked on the final warehouse: the syndicated stage changed none of these (below).
        entities = [(i, n, m) for i, n, m, *_ in con.execute(COUNTS["entities"]).fetchall() if m]
        assert entities == con.execute(CANONICAL_COUNTS["entities"]).fetchall()
        events = [(i, m, n) for i, m, n, _ in con.execute(COUNTS["events"]).fetchall()]
        assert events == con.execute(CANONICAL_COUNTS["events"]).fetchall()  # and no event without one
    assert max(n for _, n, _ in after["entities"]) <= 5  # before #39: Putin 10 of 5 stories
    assert max(n for _, _, n, _ in after["events"]) <= 5


def test_syndicated_copies_under_other_publishers_change_no_count_and_no_event(copies_runs):
    _, shots = copies_runs
    before, after = shots["feed"], shots["syndicated"]
    assert after["canonical"] == 5 and after["copies"] == 5 + 5 * len(WIRE_OUTLETS)
    for name in ("entities", "events", "entity_mentions", "event_mentions"):
        assert after[name] == before[name], name


def test_no_mention_belongs_to_a_copy(copies_runs):
    settings, _ = copies_runs
    with duckdb.connect(str(settings.db_path), read_only=True) as con:
        for table in ("entity_mentions", "event_mentions"):
            assert con.execute(f"SELECT count(*) FROM {table} JOIN articles USING (article_id) "
                               "WHERE articles.is_duplicate").fetchone()[0] == 0, table
