"""Search latency and index upkeep over synthetic warehouses of N articles: tantivy against DuckDB fts.

    .venv/bin/python benchmarks/search_bench.py [--sizes 10000,100000,1000000] [--repeat 15]
        [--batch 5000] [--duckdb-fts-max 1000000] [--keep DIR]

For each size, a warehouse is filled in SQL (schemas/warehouse.sql's tables): article bodies
are three prose paragraphs of the benchmark paragraph pool (benchmarks/corpus.py: real text
from the evaluation pages, mixed languages), titles a paragraph's opening words, 200
publishers, dates over 2025, 10% duplicates, three entity mentions per article over a skewed
entity population and an event mention for every fourth article. Articles belong to runs of
--batch articles, as `newsmon run` loads them.

Then, per engine:
- tantivy (pipeline.search): the index built from every run but the last (one sync), then the
  last batch added by the same incremental sync the pipeline runs after a publish: its time
  is the upkeep per batch. Queries go through the library call `pipeline.search.index.search`
  (parse, compile, search, fetch the hits' bodies from the warehouse, cut snippets), the
  language's every construct covered, each --repeat times: p50 and p95 per query and over all.
- DuckDB fts: `PRAGMA create_fts_index` over the same table (it has no incremental mode: the
  upkeep per batch is this whole build), then `match_bm25` for the queries it can express
  (bags of words; no phrases, proximity, wildcards or field filters), top 20 by score.

Prints figures; asserts nothing about time. Warehouses go to a temporary folder (or --keep).
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import duckdb
import pyarrow as pa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from pipeline.search.index import SearchIndex, search, sync_index  # noqa: E402

ENTITIES = 20_000
EVENTS = 50_000
EVENT_TYPES = ["meeting", "call", "summit", "visit", "agreement", "statement", "sanctions", "warning",
               "threat", "demand", "proposal", "reply", "troop_movement", "withdrawal"]

# (label, query in the newsmon language, the words DuckDB fts gets or None, conjunctive)
QUERIES: list[tuple[str, str, str | None, bool]] = [
    ("one common word", "government", "government", False),
    ("one rare word", "referendum", "referendum", False),
    ("AND of two", "government AND minister", "government minister", True),
    ("OR of three", "talks OR negotiations OR summit", "talks negotiations summit", False),
    ("issue query", '"Geneva" AND (talks OR negotiations) NOT title:opinion', None, False),
    ("phrase", '"prime minister"', None, False),
    ("proximity", '"government minister"~5', None, False),
    ("wildcard", "sanction*", None, False),
    ("field", "title:energy", None, False),
    ("publisher field", "publisher:17 AND market", None, False),
    ("entity filter", "entity:e00000003 AND government", None, False),
    ("event filter", "event:meeting AND minister", None, False),
    ("date range", "minister date:[2025-03-01 TO 2025-03-31]", None, False),
    ("NOT only", "NOT government", None, False),
]


def fill(con: duckdb.DuckDBPyConnection, n: int, batch: int) -> None:
    from corpus import paragraph_pool

    pool = [p for p in paragraph_pool() if len(p.split()) >= 20]
    con.register("pool_src", pa.table({"i": list(range(len(pool))), "text": pool}))
    con.execute("CREATE TEMP TABLE pool AS SELECT i AS pi, text FROM pool_src")
    con.unregister("pool_src")
    n_pool = len(pool)
    con.execute(f"""
        INSERT INTO articles (article_id, doc_id, source_uri, url, title, publisher, byline, published_at,
                              language, body, word_count, content_hash, is_duplicate, duplicate_of,
                              similarity, cluster_id, first_seen_at, run_id)
        SELECT
            substr(md5('a' || i), 1, 16),
            substr(md5('d' || i), 1, 16),
            '/bench/' || i || '.txt',
            'https://news.example/' || i,
            array_to_string(list_slice(string_split(p1.text, ' '), 1, 9), ' '),
            'Publisher ' || (hash(i, 'p') % 200),
            'Reporter ' || (i % 997),
            TIMESTAMP '2025-01-01' + to_seconds((hash(i, 't') % (365 * 86400))::BIGINT),
            'en',
            p1.text || chr(10) || chr(10) || p2.text || chr(10) || chr(10) || p3.text,
            len(string_split(p1.text || ' ' || p2.text || ' ' || p3.text, ' ')),
            md5('c' || i),
            i % 10 = 9,
            CASE WHEN i % 10 = 9 THEN substr(md5('a' || (i - 1)), 1, 16) END,
            CASE WHEN i % 10 = 9 THEN 0.9 END,
            substr(md5('a' || (i - (i % 10 = 9)::INT)), 1, 16),
            TIMESTAMP '2025-01-01' + to_seconds((i // 10)::BIGINT),
            'run-' || lpad((i // {batch})::VARCHAR, 6, '0')
        FROM range({n}) t(i)
        JOIN pool p1 ON p1.pi = hash(i, 1) % {n_pool}
        JOIN pool p2 ON p2.pi = hash(i, 2) % {n_pool}
        JOIN pool p3 ON p3.pi = hash(i, 3) % {n_pool}
    """)
    con.execute(f"""
        INSERT INTO entities (entity_id, canonical_name, entity_type, aliases, article_count, mention_count)
        SELECT 'e' || lpad(k::VARCHAR, 8, '0'), 'Entity ' || k, 'PERSON', ['Entity ' || k], 0, 0
        FROM range({ENTITIES}) t(k)
    """)
    # Skewed: a few entities in many articles, most in few.
    con.execute(f"""
        INSERT INTO entity_mentions (article_id, entity_id, surface, start_char, end_char, sentence_index)
        SELECT DISTINCT ON (1, 2)
            substr(md5('a' || i), 1, 16),
            'e' || lpad((floor({ENTITIES} * pow((hash(i, j) % 1000000) / 1000000.0, 3)))::BIGINT::VARCHAR, 8, '0'),
            'Entity', j * 10, j * 10 + 6, j
        FROM range({n}) t(i), range(3) s(j)
    """)
    types = "[" + ", ".join(f"'{t}'" for t in EVENT_TYPES) + "]"
    con.execute(f"""
        INSERT INTO events (event_id, event_type, cameo_root, modality, actors, num_mentions, num_articles, num_sources)
        SELECT 'v' || k, {types}[1 + (k % {len(EVENT_TYPES)})::INT], '04', 'asserted', [], 1, 1, 1
        FROM range({EVENTS}) t(k)
    """)
    con.execute(f"""
        INSERT INTO event_mentions (event_id, article_id, sentence, start_char, end_char, confidence, event_type)
        SELECT 'v' || k, substr(md5('a' || i), 1, 16), '', 0, 1, 0.5, {types}[1 + (k % {len(EVENT_TYPES)})::INT]
        FROM (SELECT i, hash(i, 'v') % {EVENTS} AS k FROM range(0, {n}, 4) t(i))
    """)


def publish_runs(con: duckdb.DuckDBPyConnection, runs: list[str]) -> None:
    con.executemany("INSERT INTO pipeline_runs (run_id, started_at, finished_at, trigger, stats) "
                    "VALUES (?, now()::TIMESTAMP, now()::TIMESTAMP, 'bench', '{}')", [[r] for r in runs])


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))]


def bench_tantivy(con: duckdb.DuckDBPyConnection, index_dir: Path, repeat: int) -> dict:
    runs = [r[0] for r in con.execute("SELECT DISTINCT run_id FROM articles ORDER BY run_id").fetchall()]
    publish_runs(con, runs[:-1])
    started = time.perf_counter()
    built = sync_index(con, index_dir)
    build_s = time.perf_counter() - started
    publish_runs(con, runs[-1:])
    started = time.perf_counter()
    added = sync_index(con, index_dir)
    batch_s = time.perf_counter() - started
    index_bytes = sum(p.stat().st_size for p in index_dir.rglob("*") if p.is_file())
    segments = SearchIndex(index_dir).index.searcher().num_segments
    per_query: dict[str, list[float]] = {}
    totals: dict[str, int] = {}
    for _label, text, _, _ in QUERIES:  # one warm-up each: the first search opens the index files
        search(con, index_dir, text, limit=20)
    for _ in range(repeat):
        for label, text, _, _ in QUERIES:
            started = time.perf_counter()
            result = search(con, index_dir, text, limit=20)
            per_query.setdefault(label, []).append((time.perf_counter() - started) * 1000)
            totals[label] = result.total
    return {"build_s": build_s, "built_articles": built.articles, "batch_s": batch_s,
            "batch_articles": added.articles, "index_mb": index_bytes / 2**20, "segments": segments,
            "per_query": per_query, "totals": totals}


def bench_duckdb_fts(con: duckdb.DuckDBPyConnection, repeat: int) -> dict:
    import duckdb_extensions

    con.execute("SET autoinstall_known_extensions = false")
    duckdb_extensions.import_extension("fts", con)
    con.execute("LOAD fts")
    started = time.perf_counter()
    con.execute("PRAGMA create_fts_index('articles', 'article_id', 'title', 'body', overwrite = 1)")
    build_s = time.perf_counter() - started
    per_query: dict[str, list[float]] = {}
    sql = ("SELECT article_id, score FROM (SELECT article_id, fts_main_articles.match_bm25(article_id, ?, "
           "conjunctive := ?) AS score FROM articles WHERE NOT is_duplicate) WHERE score IS NOT NULL "
           "ORDER BY score DESC LIMIT 20")
    for _, _, words, conjunctive in QUERIES:
        if words:
            con.execute(sql, [words, int(conjunctive)]).fetchall()
    for _ in range(repeat):
        for label, _, words, conjunctive in QUERIES:
            if not words:
                continue
            started = time.perf_counter()
            con.execute(sql, [words, int(conjunctive)]).fetchall()
            per_query.setdefault(label, []).append((time.perf_counter() - started) * 1000)
    return {"build_s": build_s, "per_query": per_query}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--batch", type=int, default=5000)
    parser.add_argument("--duckdb-fts-max", type=int, default=1_000_000,
                        help="run DuckDB fts only up to this size (its build is the slow part)")
    parser.add_argument("--keep", type=Path, help="keep the warehouses and indexes in this folder")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    folder = args.keep or Path(tempfile.mkdtemp(prefix="newsmon-search-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    schema = (ROOT / "schemas" / "warehouse.sql").read_text(encoding="utf-8")
    summary = []
    try:
        for n in sizes:
            db = folder / f"search_{n}.duckdb"
            db.unlink(missing_ok=True)
            index_dir = folder / f"search_{n}.search"
            shutil.rmtree(index_dir, ignore_errors=True)
            con = duckdb.connect(str(db))
            con.execute(schema)
            started = time.perf_counter()
            fill(con, n, args.batch)
            print(f"\n== {n:,} articles (warehouse filled in {time.perf_counter() - started:.1f}s)", flush=True)
            t = bench_tantivy(con, index_dir, args.repeat)
            all_ms = [ms for values in t["per_query"].values() for ms in values]
            print(f"tantivy: index of {t['built_articles']:,} articles built in {t['build_s']:.1f}s; "
                  f"batch of {t['batch_articles']:,} added in {t['batch_s']:.2f}s; "
                  f"{t['index_mb']:.0f} MiB, {t['segments']} segments", flush=True)
            print(f"  {'query':<18} {'matches':>9} {'p50 ms':>8} {'p95 ms':>8}")
            for label, values in t["per_query"].items():
                print(f"  {label:<18} {t['totals'][label]:>9,} {statistics.median(values):>8.1f} "
                      f"{percentile(values, 95):>8.1f}")
            print(f"  {'all queries':<18} {'':>9} {statistics.median(all_ms):>8.1f} {percentile(all_ms, 95):>8.1f}")
            row = {"n": n, "tantivy_build_s": t["build_s"], "tantivy_batch_s": t["batch_s"],
                   "tantivy_p50": statistics.median(all_ms), "tantivy_p95": percentile(all_ms, 95),
                   "tantivy_max": max(all_ms), "index_mb": t["index_mb"]}
            if n <= args.duckdb_fts_max:
                d = bench_duckdb_fts(con, args.repeat)
                d_ms = [ms for values in d["per_query"].values() for ms in values]
                print(f"duckdb fts: create_fts_index over {n:,} articles {d['build_s']:.1f}s (its only upkeep: "
                      "every batch rebuilds it)", flush=True)
                for label, values in d["per_query"].items():
                    print(f"  {label:<18} {'':>9} {statistics.median(values):>8.1f} {percentile(values, 95):>8.1f}")
                print(f"  {'bag-of-words':<18} {'':>9} {statistics.median(d_ms):>8.1f} {percentile(d_ms, 95):>8.1f}")
                t_bow = [ms for label, values in t["per_query"].items() if label in d["per_query"] for ms in values]
                row.update(duckdb_build_s=d["build_s"], duckdb_p95=percentile(d_ms, 95),
                           tantivy_bow_p95=percentile(t_bow, 95))
            con.close()
            summary.append(row)
            if not args.keep:
                db.unlink(missing_ok=True)
                shutil.rmtree(index_dir, ignore_errors=True)
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
    print("\n        N  tantivy p50  p95 ms  (max)  upkeep/batch s  full build s  index MiB"
          "  | duckdb fts p95 (bag-of-words; tantivy same queries)  upkeep/batch = rebuild s")
    for r in summary:
        duck = (f"{r['duckdb_p95']:>8.1f} ({r['tantivy_bow_p95']:.1f})  {r['duckdb_build_s']:>10.1f}"
                if "duckdb_p95" in r else "       -")
        print(f"{r['n']:>9,}  {r['tantivy_p50']:>11.1f}  {r['tantivy_p95']:>6.1f}  ({r['tantivy_max']:.0f})"
              f"  {r['tantivy_batch_s']:>14.2f}  {r['tantivy_build_s']:>12.1f}  {r['index_mb']:>9.0f}  | {duck}")
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
