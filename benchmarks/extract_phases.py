"""CPU seconds of each phase of the extract step, everything in this process (executor none),
on the first N articles of a batch staged by ``extract_compare.py prepare``: which share is
the NER parse, the entity pass's serial work, resolution, each article's own dates and event
coding, and consolidation (what the parent does alone while the workers wait, and what can
overlap it).

    .venv/bin/python benchmarks/extract_compare.py prepare DIR --n 1000 --language en
    .venv/bin/python benchmarks/extract_phases.py DIR [--n 300]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("folder", type=Path)
    ap.add_argument("--n", type=int, default=300)
    args = ap.parse_args()
    from benchmarks.extract_compare import staged_settings
    from pipeline.executor import Executor, Pending
    from pipeline.extract.cameo_coder import load_parser
    from pipeline.extract.dates import resolve_anchor
    from pipeline.extract.entities import find_entity_candidates, resolve_entities
    from pipeline.extract.events import extract_events, start_own_dates
    from pipeline.extract.nlp import load_models
    from pipeline.records import Article
    from pipeline.staging import read_records, run_dir

    folder = args.folder.resolve()
    settings = staged_settings(folder, executor="none")
    run_id = (folder / "run_id").read_text(encoding="utf-8").strip()
    articles = [a for a in read_records(run_dir(settings.staging_dir, run_id), "dedup_articles", Article,
                                        required=True) if not a.is_duplicate][:args.n]
    for a in articles:
        a.date_anchor, a.date_anchor_source = resolve_anchor(a, a.first_seen_at)
    times: dict[str, float] = {}

    class Timed(Executor):
        """Each executor step's CPU seconds, by step name."""

        def start(self, step: Any, items: Any, context: Any = None, **kw: Any) -> Pending:
            started = time.process_time()
            done = super().start(step, items, context, **kw).result()
            times[step.__name__] = times.get(step.__name__, 0.0) + time.process_time() - started
            return Pending(lambda: done)

    load_models(settings)
    load_parser(settings.spacy_model)
    started = time.process_time()
    draft = find_entity_candidates(articles, settings, [], Timed())
    times["entity candidates, serial part"] = time.process_time() - started - sum(times.values())
    started = time.process_time()
    ents = resolve_entities(draft, [])
    times["resolve_entities"] = time.process_time() - started
    own = start_own_dates(articles, settings, Timed()).result()
    started = time.process_time()
    evs = extract_events(articles, ents.sentences, ents.mentions, ents.entities, settings, [], [], own_dates=own)
    times["extract_events"] = time.process_time() - started
    print(f"{len(articles)} articles: {len(ents.entities)} entities, {len(evs.events)} events; CPU s per phase "
          f"(total {sum(times.values()):.2f})")
    for name, seconds in times.items():
        print(f"  {name:<32}{seconds:8.2f}")


if __name__ == "__main__":
    main()
