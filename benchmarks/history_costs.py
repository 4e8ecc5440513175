"""What each step pays per run for the history it reads from a grown warehouse.

    .venv/bin/python benchmarks/history_costs.py WAREHOUSE.duckdb [--repeat 3]

Every batch of a big run starts by reading what earlier batches stored: known documents and
files (ingest), publisher line counts (clean), signatures and verdicts (dedup), entities,
events and event mentions (extract). These costs grow with the warehouse, so they decide
whether the cost per article stays flat. Prints the median seconds of each read and of
building the in-memory structure from it, and the row counts.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def timed(label: str, fn, repeat: int) -> object:
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    size = len(result) if hasattr(result, "__len__") else ""
    print(f"{label:<46} {statistics.median(times):7.2f}s  {size}", flush=True)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("db", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    from pipeline.clean import RecurringLines
    from pipeline.dedup import DedupIndex
    from pipeline.extract.entities import known_entity_types
    from pipeline.extract.entity_memory import trusted_lexicon
    from pipeline.extract.entity_persons import PersonResolver
    from pipeline.extract.event_lexicon import load_lexicon
    from pipeline.extract.events import Consolidator
    from pipeline.extract.gazetteer import load_gazetteer
    from pipeline.extract.resolve import NameResolver
    from pipeline.load.warehouse import Warehouse, read_sql
    from pipeline.records import DuplicateLink, Entity, Event, EventMention, Signature, utc_now
    from pipeline.settings import load_settings
    from pipeline.staging import from_arrow

    settings = load_settings(env={}, db_path=args.db)
    r = args.repeat
    with Warehouse(settings, read_only=True) as wh:
        print(f"warehouse: {wh.scalar('SELECT count(*) FROM articles'):,} articles, "
              f"{wh.scalar('SELECT count(*) FROM entities'):,} entities, "
              f"{wh.scalar('SELECT count(*) FROM publisher_lines'):,} publisher lines")
        timed("ingest: known doc ids", lambda: set(wh.query_arrow(read_sql("known_doc_ids")).column(0).to_pylist()), r)
        timed("ingest: known files", lambda: set(wh.con.execute(read_sql("known_files")).fetchall()), r)
        since = utc_now() - timedelta(days=settings.recurring_line_window_days * 1000)
        rows = timed("clean: publisher line counts", lambda: wh.con.execute(read_sql("publisher_line_counts"),
                                                                           [since]).fetchall(), r)
        timed("clean: RecurringLines(rows)", lambda: RecurringLines(rows)._history, r)
        sigs = timed("dedup: signatures -> records", lambda: from_arrow(wh.query_arrow(read_sql("signatures")),
                                                                      Signature), r)
        links = timed("dedup: links -> records", lambda: from_arrow(wh.query_arrow(read_sql("duplicate_links")),
                                                                   DuplicateLink), r)
        timed("dedup: DedupIndex.from_history", lambda: DedupIndex.from_history(sigs, links, settings).members, r)
        known = timed("extract: entities -> records", lambda: from_arrow(wh.query_arrow("SELECT * FROM entities"),
                                                                        Entity), r)
        events = timed("extract: events -> records", lambda: from_arrow(wh.query_arrow("SELECT * FROM events"),
                                                                       Event), r)
        mentions = timed("extract: event mentions -> records", lambda: from_arrow(
            wh.query_arrow("SELECT * FROM event_mentions"), EventMention), r)
    gaz = load_gazetteer()
    timed("extract: PersonResolver(known)", lambda: PersonResolver(known).clusters, r)
    timed("extract: NameResolver(ORG, known)", lambda: NameResolver("ORG", known).known_by_key, r)
    timed("extract: known_entity_types(known)", lambda: known_entity_types(known), r)
    timed("extract: trusted_lexicon([], known)", lambda: trusted_lexicon([], known, gaz), r)
    entity_map = {e.entity_id: e for e in known}
    timed("extract: Consolidator(history)", lambda: Consolidator(load_lexicon(), entity_map, events,
                                                                  mentions).key_to_event, r)


if __name__ == "__main__":
    main()
