"""Copies are not corroboration (issue 39): what an analyst counts, before and after copies arrive.

Usage: nice -n 10 .venv/bin/python benchmarks/copies_counts.py [--outlets 3] [--parts seeds,syndicated,teasers,dedup]

1. The seeds, then the same five articles again through their feed, served over HTTP on
   127.0.0.1 (tests/ingest/cases/feeds/local: the pages print the headline above the text
   and are dated by the feed, the seed files mostly are not).
2. Real wire stories (TempEval-3, ../shared/eval/tempeval3: AP/NYT/WSJ news) loaded as text
   files, then planted syndicated copies of every one: each of `--outlets` outlets runs the
   story as a web page under its own name (og:site_name), with the headline in the body, a
   syndication footer and a publication date, through its feed over HTTP.
   Reported per half: AQUAINT and Platinum.
3. Teasers of the same stories read as files, then the whole stories through a feed: the
   counts must follow the complete versions (compared with a warehouse that read only them).
4. The displacement rule on the same stories, dedup only: an equal-content copy arriving
   after the stored canonical must not displace it; a complete version arriving after a
   stored teaser (a half-copied file) must.

Each table row is one warehouse state; "unchanged" compares every entity's (article_count,
mention_count) and every event's id and counts with the state before the copies.
"""

from __future__ import annotations

import argparse
import functools
import html
import json
import shutil
import sys
import tempfile
import threading
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run from a checkout without install

SEED_FEED = ROOT / "tests" / "ingest" / "cases" / "feeds" / "local"
TEMPEVAL = ROOT.parent / "shared" / "eval" / "tempeval3" / "timex3_aquaint_platinum.jsonl"
OUTLETS = ["Wire Herald", "Syndicate Daily", "Metro Courier", "Valley News", "Coast Tribune"]
FIGURES = {
    "canonical": "SELECT count(*) FILTER (WHERE NOT is_duplicate) FROM articles",
    "copies": "SELECT count(*) FILTER (WHERE is_duplicate) FROM articles",
    "entity_mentions": "SELECT count(*) FROM entity_mentions",
    "max article_count": "SELECT coalesce(max(article_count), 0) FROM entities",
    "sum article_count": "SELECT coalesce(sum(article_count), 0) FROM entities",
    "events": "SELECT count(*) FROM events",
    "sum num_articles": "SELECT coalesce(sum(num_articles), 0) FROM events",
    "max num_articles": "SELECT coalesce(max(num_articles), 0) FROM events",
    "sum num_sources": "SELECT coalesce(sum(num_sources), 0) FROM events",
    "entities num_copies": "SELECT coalesce(sum(num_copies), 0) FROM entities",
    "events num_copies": "SELECT coalesce(sum(num_copies), 0) FROM events",
}
ROWS = {
    "entities": "SELECT entity_id, article_count, mention_count FROM entities ORDER BY 1",
    "events": "SELECT event_id, num_mentions, num_articles, num_sources FROM events ORDER BY 1",
}


def settings_for(root: Path):
    from pipeline.settings import load_settings

    return load_settings(env={"NEWSMON_CONFIG": ""}, db_path=root / "warehouse" / "news.duckdb",
                         reports_dir=root / "reports", staging_dir=root / "staging")


def state(db: Path) -> tuple[dict[str, int], dict[str, list]]:
    with duckdb.connect(str(db), read_only=True) as con:
        figures = {name: _figure(con, sql) for name, sql in FIGURES.items()}
        rows = {name: con.execute(sql).fetchall() for name, sql in ROWS.items()}
    return figures, rows


def _figure(con: duckdb.DuckDBPyConnection, sql: str) -> object:
    try:
        return con.execute(sql).fetchone()[0]
    except duckdb.BinderException:  # a checkout from before num_copies: comparable otherwise
        return "-"


class Site:
    """A folder served over HTTP on 127.0.0.1, in a thread, for as long as the `with` lasts."""

    def __init__(self, folder: Path):
        handler = functools.partial(_QuietHandler, directory=str(folder))
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/{path}"

    def __enter__(self) -> Site:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        pass


def print_table(title: str, states: list[tuple[str, dict[str, int], str]]) -> None:
    print(f"\n### {title}\n")
    names = list(FIGURES)
    print("| state | " + " | ".join(names) + " | every count and event unchanged |")
    print("| --- " * (len(names) + 2) + "|")
    for label, figures, unchanged in states:
        print(f"| {label} | " + " | ".join(str(figures[n]) for n in names) + f" | {unchanged} |")


def compare(before: dict[str, list], after: dict[str, list]) -> str:
    if before == after:
        return "yes"
    return "NO: " + ", ".join(f"{k} ({len(set(before[k]) - set(after[k]))} of {len(before[k])} rows differ)"
                              for k in before if before[k] != after[k])


def seeds_then_feed(work: Path) -> None:
    from pipeline.flow import run_pipeline

    settings = settings_for(work / "seeds")
    site_dir = work / "seeds-site"
    shutil.copytree(SEED_FEED, site_dir)
    run_pipeline([str(ROOT / "seeds")], [], settings, trigger="bench")
    figures0, rows0 = state(settings.db_path)
    with Site(site_dir) as site:
        run_pipeline([], [site.url("seeds.rss")], settings, trigger="bench")
    figures1, rows1 = state(settings.db_path)
    print_table("The seeds, then the same articles through their feed (HTTP, 127.0.0.1)",
                [("seeds", figures0, ""), ("+ the seed feed", figures1, compare(rows0, rows1))])


def wire_stories(split: str) -> list[dict]:
    docs = [json.loads(line) for line in TEMPEVAL.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [d for d in docs if d["split"].endswith(split) and (d["title"] or "").strip() and (d["text"] or "").strip()]


def paragraphs(doc: dict) -> list[str]:
    return [p.strip() for p in doc["text"].split("\n\n") if p.strip()]


def syndicated_page(doc: dict, outlet: str) -> str:
    """The story as `outlet` runs it: its name, the headline over the text, a footer."""
    body = "\n".join(f"<p>{html.escape(p)}</p>" for p in paragraphs(doc))
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            f'<meta property="og:site_name" content="{html.escape(outlet)}">'
            f"<title>{html.escape(doc['title'])} | {html.escape(outlet)}</title></head>\n<body>\n"
            f'<nav><a href="/">Home</a> | <a href="/world">World</a></nav>\n<article>\n'
            f"<h1>{html.escape(doc['title'])}</h1>\n{body}\n"
            f"<p>This story was distributed by a news agency and republished by {html.escape(outlet)} "
            "under a syndication agreement.</p>\n</article>\n"
            f"<footer>Follow {html.escape(outlet)} for breaking news.</footer>\n</body></html>\n")


def outlet_feed(folder: Path, docs: list[dict], outlet: str) -> str:
    """`outlet`'s feed and pages under folder/<slug>/; returns the feed's path on the site."""
    slug = outlet.lower().replace(" ", "-")
    (folder / slug / "pages").mkdir(parents=True)
    items = []
    for doc in docs:
        name = f"{doc['docid']}.html"
        (folder / slug / "pages" / name).write_text(syndicated_page(doc, outlet), encoding="utf-8")
        published = datetime.fromisoformat(doc["dct"]).replace(hour=9) + timedelta(hours=OUTLETS.index(outlet))
        items.append(f"<item><title>{html.escape(doc['title'])}</title><link>pages/{name}</link>"
                     f'<guid isPermaLink="false">{slug}-{doc["docid"]}</guid>'
                     f"<pubDate>{format_datetime(published.replace(tzinfo=UTC))}</pubDate>"
                     "</item>")
    (folder / slug / "rss.xml").write_text(
        f'<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel><title>{html.escape(outlet)}</title>'
        f"<link>pages/</link><description>{html.escape(outlet)}</description>{''.join(items)}</channel></rss>\n",
        encoding="utf-8")
    return f"{slug}/rss.xml"


def wire_then_copies(work: Path, split: str, outlets: int) -> None:
    from pipeline.flow import run_pipeline

    docs = wire_stories(split)
    root = work / f"wire-{split}"
    files = root / "files"
    files.mkdir(parents=True)
    for doc in docs:
        (files / f"{doc['docid']}.txt").write_text(f"{doc['title'].strip()}\n\n" + "\n\n".join(paragraphs(doc)),
                                                   encoding="utf-8")
    settings = settings_for(root)
    run_pipeline([str(files)], [], settings, trigger="bench")
    figures0, rows0 = state(settings.db_path)
    site_dir = root / "site"
    feeds = [outlet_feed(site_dir, docs, outlet) for outlet in OUTLETS[:outlets]]
    with Site(site_dir) as site:
        run_pipeline([], [site.url(f) for f in feeds], settings, trigger="bench")
    figures1, rows1 = state(settings.db_path)
    print_table(f"TempEval-3 {split} ({len(docs)} stories), then {outlets} syndicated copies of each (HTTP feeds)",
                [("stories as files", figures0, ""),
                 (f"+ {outlets * len(docs)} syndicated copies", figures1, compare(rows0, rows1))])


def teasers_then_stories(work: Path, split: str) -> None:
    """Teasers (45 % of the paragraphs) read first as files, then the whole stories through a feed:
    do the counts follow the complete versions, as if only they had been read?"""
    from pipeline.flow import run_pipeline

    docs = [d for d in wire_stories(split) if len(paragraphs(d)) >= 4]
    root = work / f"teasers-{split}"
    files = root / "files"
    files.mkdir(parents=True)
    for doc in docs:
        paras = paragraphs(doc)
        (files / f"{doc['docid']}.txt").write_text(
            f"{doc['title'].strip()}\n\n" + "\n\n".join(paras[: max(1, len(paras) * 45 // 100)]), encoding="utf-8")
    feed = outlet_feed(root / "site", docs, OUTLETS[0])
    teased, alone = settings_for(root / "teased"), settings_for(root / "alone")
    run_pipeline([str(files)], [], teased, trigger="bench")
    figures0, _ = state(teased.db_path)
    with Site(root / "site") as site:
        run_pipeline([], [site.url(feed)], teased, trigger="bench")
        run_pipeline([], [site.url(feed)], alone, trigger="bench")
    figures1, _ = state(teased.db_path)
    figures2, _ = state(alone.db_path)
    with duckdb.connect(str(teased.db_path), read_only=True) as con:
        unlinked = con.execute("SELECT count(*) FROM articles WHERE url IS NULL AND NOT is_duplicate").fetchone()[0]
    print_table(f"TempEval-3 {split}: {len(docs)} teasers as files, then the stories through a feed",
                [("teasers as files", figures0, ""),
                 ("+ the stories (feed)", figures1, ""),
                 ("the stories alone, another warehouse", figures2,
                  "stories' own counts equal the row above: " + compare(story_counts(alone.db_path),
                                                                         story_counts(teased.db_path)))])
    print(f"\n(teasers dedup did not find to be copies, so still canonical and counted: {unlinked})")


def story_counts(db: Path) -> dict[str, list]:
    """Per entity and per event, the mentions and articles of the stories read from the feed
    (pages have a URL): teasers that dedup did not link to their story are left out. Events are
    keyed by what they are (date, type, actors), since an event id can depend on history."""
    with duckdb.connect(str(db), read_only=True) as con:
        return {name: con.execute(
            f"SELECT {key} AS k, count(DISTINCT article_id), count(*) FROM {table} JOIN articles USING (article_id) "
            f"{join} WHERE articles.url IS NOT NULL AND NOT articles.is_duplicate GROUP BY k ORDER BY k").fetchall()
            for name, key, table, join in (
                ("entities", "entity_id", "entity_mentions", ""),
                ("events", "concat_ws('|', e.event_date, e.event_type, list_sort(e.actors))", "event_mentions",
                 "JOIN events e USING (event_id)"))}


FOOTER = ("This story was distributed by a news agency and republished by {outlet} under a syndication "
          "agreement.\n\nFollow {outlet} for breaking news.")
LONG_FOOTER = ("Sign up for our morning newsletter to get the day's top stories delivered to your inbox.\n\n"
               "Comments are moderated and may take a while to appear; please keep them civil.\n\n"
               "Copyright the news agency. All rights reserved. This material may not be redistributed.")
# (name, must the later version displace the stored one?, stored text, later text) from a
# story's title and paragraphs. The stored one is an undated file, the later one dated earlier.
VARIANTS = [
    ("same text, headline printed above it", False,
     lambda t, ps: "\n\n".join(ps), lambda t, ps: t + "\n\n" + "\n\n".join(ps)),
    ("syndicated: headline above, two-line footer", False,
     lambda t, ps: "\n\n".join(ps),
     lambda t, ps: t + "\n\n" + "\n\n".join(ps) + "\n\n" + FOOTER.format(outlet="Metro Courier")),
    ("syndicated: headline above, five-line footer", False,
     lambda t, ps: "\n\n".join(ps),
     lambda t, ps: t + "\n\n" + "\n\n".join(ps) + "\n\n" + FOOTER.format(outlet="Metro Courier") + "\n\n"
     + LONG_FOOTER),
    ("feed teaser (45 % of paragraphs), then the story", True,
     lambda t, ps: "\n\n".join(ps[: max(1, len(ps) * 45 // 100)]), lambda t, ps: "\n\n".join(ps)),
    ("half-copied file (cut mid-text), then the story", True,
     lambda t, ps: "\n\n".join(ps)[: len("\n\n".join(ps)) // 2], lambda t, ps: "\n\n".join(ps)),
    ("last quarter of the paragraphs missing, then the story", True,
     lambda t, ps: "\n\n".join(ps[: max(1, len(ps) * 3 // 4)]), lambda t, ps: "\n\n".join(ps)),
]


def displacement(split: str, shares: list[float]) -> None:
    """Dedup only: does a later arrival displace the stored canonical when it should, only then?"""
    from dataclasses import replace

    from pipeline.dedup import DedupIndex, deduplicate
    from pipeline.records import Article
    from pipeline.settings import Settings
    from pipeline.text import content_hash, word_count

    def article(article_id: str, title: str, body: str, published: datetime | None) -> Article:
        return Article(article_id=article_id, doc_id=article_id, source_uri=f"/{article_id}", url=None,
                       title=title, publisher=None, byline=None, published_at=published, language="en",
                       body=body, word_count=word_count(body), content_hash=content_hash(body),
                       first_seen_at=datetime(2026, 1, 1))

    def outcome(settings: Settings, first: Article, later: Article) -> str:
        out = deduplicate([first], DedupIndex.empty(settings), settings)
        index = DedupIndex.from_history(out.signatures, out.links, settings)
        links = {link.article_id: link for link in deduplicate([later], index, settings).links}
        if links[later.article_id].is_duplicate:
            return "kept"
        return "displaced" if first.article_id in links else "not a copy"

    stories = [d for d in wire_stories(split) if len(paragraphs(d)) >= 4]
    print(f"\n### The displacement rule, dedup only: TempEval-3 {split}, {len(stories)} stories of 4+ paragraphs\n")
    print("| more_complete_min_share | case | must displace | right | not a copy at all | rate |")
    print("| --- | --- | --- | --- | --- | --- |")
    for share in shares:
        settings = replace(Settings(), more_complete_min_share=share)
        for name, must, stored_text, later_text in VARIANTS:
            right = missed = 0
            for doc in stories:
                title, paras = doc["title"].strip(), paragraphs(doc)
                got = outcome(settings, article("file", title, stored_text(title, paras), None),
                              article("later", title, later_text(title, paras), datetime.fromisoformat(doc["dct"])))
                right += got == ("displaced" if must else "kept")
                missed += got == "not a copy"
            print(f"| {share} | {name} | {'yes' if must else 'no'} | {right} of {len(stories)} | {missed} | "
                  f"{right / max(1, len(stories)):.3f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--outlets", type=int, default=3, choices=range(1, len(OUTLETS) + 1))
    parser.add_argument("--parts", default="seeds,syndicated,teasers,dedup",
                        help="which parts to run, comma-separated (default: all four)")
    parser.add_argument("--shares", default="", help="more_complete_min_share values to compare in the dedup-only "
                                                      "check, e.g. 0.1,0.25 (default: the setting's)")
    args = parser.parse_args()
    if not TEMPEVAL.exists():
        raise SystemExit(f"copies_counts: {TEMPEVAL} is missing; the wire-story parts need ../shared/eval/")
    from pipeline.settings import Settings

    # A checkout from before the displacement rule has no share: only the counts are compared.
    default = getattr(Settings(), "more_complete_min_share", None)
    shares = [float(x) for x in args.shares.split(",") if x] or ([default] if default is not None else [])
    with tempfile.TemporaryDirectory(prefix="newsmon-copies-") as tmp:
        work = Path(tmp)
        parts = set(args.parts.split(","))
        if "seeds" in parts:
            seeds_then_feed(work)
        for split in ("aquaint", "platinum"):
            if "syndicated" in parts:
                wire_then_copies(work, split, args.outlets)
            if "teasers" in parts:
                teasers_then_stories(work, split)
            if "dedup" in parts and shares:
                displacement(split, shares)


if __name__ == "__main__":
    main()
