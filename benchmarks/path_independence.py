"""The same corpus under two folder names: do entities and events come out the same?

    .venv/bin/python benchmarks/path_independence.py [--n 3000]

Article ids derive from file paths, so a copy of a corpus in another folder gets other ids.
Builds a corpus (benchmarks/corpus.py, English), copies it, runs the pipeline over each copy
into its own warehouse (quality suites off) and compares, by file name and offset: the event
mentions found, and which of them share an event (the groupings). The seeds alone are in
tests/extract/test_events.py; this is the same check where ties are common.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.corpus import build  # noqa: E402

MENTIONS = """
SELECT regexp_extract(d.source_uri, '[^/]+$') || ':' || em.start_char || ':' || em.event_type AS mention,
       em.event_id
FROM event_mentions em
JOIN articles a USING (article_id)
JOIN documents d USING (doc_id)
"""


def run_copy(folder: Path, root: Path) -> tuple[int, set[str], set[frozenset[str]]]:
    import duckdb

    from pipeline.flow import run_pipeline
    from pipeline.settings import load_settings

    settings = load_settings(env={}, db_path=root / "news.duckdb", staging_dir=root / "staging",
                             reports_dir=root / "reports")
    summary = run_pipeline([str(folder)], [], settings, run_quality=False)
    with duckdb.connect(str(settings.db_path), read_only=True) as con:
        rows = con.execute(MENTIONS).fetchall()
    groups: dict[str, set[str]] = {}
    for mention, event_id in rows:
        groups.setdefault(event_id, set()).add(mention)
    print(f"{folder.name}: entities {summary.entities}, events {summary.events}, event mentions {len(rows)}",
          flush=True)
    return summary.entities, {m for m, _ in rows}, {frozenset(g) for g in groups.values()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=3000)
    args = parser.parse_args()
    base = Path(tempfile.mkdtemp(prefix="newsmon-paths-"))
    try:
        build(base / "corpus_a", args.n, language="en")
        shutil.copytree(base / "corpus_a", base / "zz_other_name")
        a = run_copy(base / "corpus_a", base / "run_a")
        b = run_copy(base / "zz_other_name", base / "run_b")
        print(f"same entity count: {a[0] == b[0]}; mentions differing: {len(a[1] ^ b[1])}; "
              f"groupings differing: {len(a[2] ^ b[2])} of {len(a[2])}")
    finally:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
