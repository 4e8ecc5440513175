"""Events from a real run over the English pages of ../shared/eval/trafilatura/, for reading.

Copies the pages the language gate keeps as English into a temporary folder, runs the whole
pipeline (`pipeline.flow.run_pipeline`) into a fresh warehouse there, and prints events with a
CAMEO code (the most confident coded mention of each article, most confident first): the
sentence, the code and its name, PLOVER category, source and target (names and actor codes),
modality and the matched pattern; with ``--undated N``, also the N most confident events of
sentences holding no date (dated by their article's report day). Nothing is written to the
repository.

    .venv/bin/python benchmarks/event_samples.py [--limit 40] [--undated 10]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

QUERY = """
SELECT m.sentence, e.event_date, e.cameo_code, e.event_type, e.plover_category,
       a1.canonical_name, m.actor1_code, a2.canonical_name, m.actor2_code, e.modality,
       sp.canonical_name, m.pattern
FROM events e
JOIN event_mentions m USING (event_id)
LEFT JOIN entities a1 ON a1.entity_id = m.actor1
LEFT JOIN entities a2 ON a2.entity_id = m.actor2
LEFT JOIN entities sp ON sp.entity_id = m.attribution
WHERE m.cameo_code IS NOT NULL AND m.pattern NOT LIKE 'lexicon:%' {only}
-- the most confident coded mention of each article, most confident first
QUALIFY row_number() OVER (PARTITION BY m.article_id ORDER BY m.confidence DESC, m.start_char) = 1
ORDER BY m.confidence DESC, m.article_id
LIMIT ?
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--limit", type=int, default=10)
    ap.add_argument("--undated", type=int, default=0, help="also this many events of sentences with no date")
    args = ap.parse_args()
    import duckdb

    from benchmarks.corpus import copy_english_pages
    from pipeline.flow import run_pipeline
    from pipeline.settings import load_settings

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "pages"
        copy_english_pages(folder)
        settings = load_settings(env={"NEWSMON_DB_PATH": str(Path(tmp) / "w.duckdb")})
        run_pipeline([str(folder)], [], settings, trigger="bench", run_quality=False)
        con = duckdb.connect(str(settings.db_path), read_only=True)
        sections = [("", args.limit)]
        if args.undated:
            sections.append(("AND m.date_text IS NULL", args.undated))
        for only, limit in sections:
            if only:
                print("\nevents of sentences with no date (dated by the report day):")
            for row in con.execute(QUERY.format(only=only), [limit]).fetchall():
                _print(row)


def _print(row: tuple) -> None:
    sentence, day, code, name, plover, a1, c1, a2, c2, modality, speaker, pattern = row
    print(f"- {' '.join(sentence.split())[:300]}\n    {day} | CAMEO {code} {name} | {plover or '-'} | "
          f"source {a1 or '-'} ({c1 or '-'}) -> target {a2 or '-'} ({c2 or '-'}) | {modality}"
          f"{' | reported by ' + speaker if speaker else ''} | {pattern}")

if __name__ == "__main__":
    main()
