"""Anchors and event dates on a real run: the English pages of ../shared/eval/trafilatura/.

Copies the pages the language gate keeps as English into a temporary folder, runs the whole
pipeline (`pipeline.flow.run_pipeline`) into a fresh warehouse, and prints:

- where each article's anchor came from (`articles.date_anchor_source`) and how far it can be
  leaned on (strong / inferred / weak, as `pipeline.extract.dates.anchor_confidence` says);
- event mentions and events dated after their article's anchor, by modality (an event that
  occurred must be 0; a scheduled one may be later); an event is compared with the latest
  anchor among the articles that mention it;
- the date confidence of the events.

    .venv/bin/python benchmarks/event_dates_run.py [--as-text] [--keep w.duckdb] [--report w.duckdb]

``--as-text`` runs the same articles as plain text files, the article text only (as an archive
export without publication dates): anchors must then come from the text or the read time.
``--keep`` leaves the warehouse at that path (to read or label from); ``--report`` prints the
figures of a warehouse kept before, without running.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

ANCHORS = """
SELECT coalesce(date_anchor_source, '(none)') AS source,
       CASE WHEN date_anchor_source IS NULL THEN '-'
            WHEN date_anchor_source = 'published' THEN 'strong'
            WHEN date_anchor_source = 'fetched' AND NOT regexp_matches(source_uri, '^https?://') THEN 'weak'
            ELSE 'inferred' END AS confidence,
       count(*) AS articles
FROM articles WHERE NOT is_duplicate
GROUP BY ALL ORDER BY articles DESC, source
"""

MENTIONS_AFTER = """
SELECT m.modality, count(*) AS mentions,
       count(*) FILTER (WHERE m.event_date > CAST(a.date_anchor AS DATE)) AS after_anchor
FROM event_mentions m JOIN articles a USING (article_id)
WHERE m.event_date IS NOT NULL AND a.date_anchor IS NOT NULL
GROUP BY ALL ORDER BY m.modality
"""

EVENTS_AFTER = """
WITH latest AS (
    SELECT m.event_id, max(CAST(a.date_anchor AS DATE)) AS anchor
    FROM event_mentions m JOIN articles a USING (article_id)
    WHERE a.date_anchor IS NOT NULL GROUP BY ALL)
SELECT e.modality, count(*) AS events,
       count(*) FILTER (WHERE e.event_date > l.anchor) AS after_anchor
FROM events e JOIN latest l USING (event_id)
WHERE e.event_date IS NOT NULL
GROUP BY ALL ORDER BY e.modality
"""

CONFIDENCE = """
SELECT coalesce(date_confidence, '(none)'), coalesce(date_precision, '(none)'), count(*)
FROM events GROUP BY ALL ORDER BY 1, 2
"""


def _table(title: str, header: tuple[str, ...], rows: list[tuple]) -> None:
    print(f"\n{title}\n")
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for row in rows:
        print("| " + " | ".join(str(v) for v in row) + " |")


def report(db_path: Path) -> None:
    import duckdb

    con = duckdb.connect(str(db_path), read_only=True)
    anchors = con.execute(ANCHORS).fetchall()
    total = sum(r[2] for r in anchors) or 1
    _table("Anchor sources (canonical articles)", ("source", "confidence", "articles", "share"),
           [(*r, f"{r[2] / total:.2f}") for r in anchors])
    _table("Event mentions dated after their article's anchor", ("modality", "mentions", "after anchor"),
           con.execute(MENTIONS_AFTER).fetchall())
    _table("Events dated after the latest anchor of their articles", ("modality", "events", "after anchor"),
           con.execute(EVENTS_AFTER).fetchall())
    _table("Events by date confidence and precision", ("date_confidence", "precision", "events"),
           con.execute(CONFIDENCE).fetchall())
    con.close()


def _as_text(page: Path) -> Path:
    """The page replaced by its article text alone (trafilatura, no metadata)."""
    import trafilatura

    text = trafilatura.extract(page.read_text(encoding="utf-8", errors="replace")) or ""
    out = page.with_suffix(".txt")
    out.write_text(text + "\n", encoding="utf-8")
    page.unlink()
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--keep", type=Path, help="write the warehouse here and keep it")
    ap.add_argument("--report", type=Path, help="only print the figures of this kept warehouse")
    ap.add_argument("--as-text", action="store_true", help="the article texts as undated .txt files")
    args = ap.parse_args()
    if args.report:
        report(args.report)
        return

    from benchmarks.corpus import copy_english_pages
    from pipeline.flow import run_pipeline
    from pipeline.settings import load_settings

    with tempfile.TemporaryDirectory() as tmp:
        pages = copy_english_pages(Path(tmp) / "pages")
        if args.as_text:
            pages = [_as_text(page) for page in pages]
        db = args.keep.resolve() if args.keep else Path(tmp) / "w.duckdb"
        if db.exists():
            sys.exit(f"{db} exists: remove it or keep the warehouse elsewhere")
        settings = load_settings(env={"NEWSMON_DB_PATH": str(db)})
        started = time.perf_counter()
        run_pipeline([str(Path(tmp) / "pages")], [], settings, trigger="bench", run_quality=False)
        kind = "article texts without metadata" if args.as_text else "pages"
        print(f"{len(pages)} English {kind}, pipeline run {time.perf_counter() - started:.0f} s")
        report(db)


if __name__ == "__main__":
    main()
