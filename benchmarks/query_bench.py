"""Dashboard query latency over a synthetic warehouse of N articles (default 1,000,000).

    .venv/bin/python benchmarks/query_bench.py [--n 1000000] [--repeat 15] [--db PATH] [--keep]

Builds the warehouse with schemas/warehouse.sql (same tables, keys and types as the
pipeline's) and fills it in SQL: per article about 12 entity mentions over a skewed
(few very popular, many rare) entity population, one event mention, two removed
boilerplate spans, one photo caption; 10% of articles are duplicates of an earlier one. Then it times every
query in dashboard/queries.py the way the app runs it:

- building the snapshot (copying the marts into memory; once per warehouse change, in the
  background while the previous snapshot keeps serving: dashboard.data.SnapshotCache);
- each "snapshot" query on that snapshot;
- each "live" query including attaching the file read-only and detaching it again (what
  one drill-down costs the user; see dashboard.data.Snapshot.run).

Prints the median and max of --repeat runs per query, in milliseconds, and flags those over
the 200 ms target. Nothing here asserts on time.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script from anywhere: import the project's packages

from dashboard import data, queries  # noqa: E402

TARGET_MS = 200.0
MENTIONS_PER_ARTICLE = 12
DUPLICATE_SHARE = 0.10


def _fill_sql(n: int) -> list[str]:
    """INSERT statements generating the synthetic rows; every value derives from hashes of
    row numbers, so the same N gives the same warehouse."""
    n_entities = max(200, n // 20)
    n_events = max(50, n // 4)
    n_publishers = max(10, n // 500)
    n_locations = 500
    # u(x): a deterministic uniform number in [0, 1) from any key.
    u = "((hash({key}) % 1000000)::DOUBLE / 1000000.0)"

    def uni(key: str) -> str:
        return u.format(key=key)

    return [
        f"""
        INSERT INTO entities
        SELECT
            'e' || lpad(i::VARCHAR, 8, '0'),
            'Entity ' || i,
            ['PERSON', 'ORG', 'GPE', 'LOC', 'NORP'][1 + (i % 5)::INTEGER],
            ['Entity ' || i],
            NULL, NULL, NULL, 0, 0, NULL, 0
        FROM range({n_entities}) AS t(i)
        """,
        f"""
        INSERT INTO articles
        SELECT
            substr(md5('a' || i), 1, 16) AS article_id,
            substr(md5('d' || i), 1, 16),
            '/data/in/' || i || '.txt',
            'https://news' || (i % {n_publishers}) || '.example/' || i,
            'Synthetic headline ' || i || ' about ' || (['talks', 'sanctions', 'markets', 'storms'])[1 + (i % 4)::INTEGER],
            'Publisher ' || (hash(i, 'p') % {n_publishers}),
            'Reporter ' || (i % 997),
            TIMESTAMP '2025-01-01' + to_seconds((hash(i, 't') % (365 * 86400))::BIGINT),
            'en',
            repeat('Body text of a synthetic article. ', 10),
            60,
            md5('c' || i),
            is_dup,
            CASE WHEN is_dup THEN substr(md5('a' || (i - 1)), 1, 16) END,
            CASE WHEN is_dup THEN 0.9 END,
            substr(md5('a' || CASE WHEN is_dup THEN i - 1 ELSE i END), 1, 16),
            TIMESTAMP '2025-01-01' + to_seconds((hash(i, 't') % (365 * 86400))::BIGINT),
            NULL, NULL, NULL, 'bench'
        FROM (
            SELECT i, i > 0 AND {uni("i, 'dup'")} < {DUPLICATE_SHARE} AS is_dup
            FROM range({n}) AS t(i)
        )
        """,
        f"""
        INSERT INTO documents (doc_id, source_kind, source_uri, fetched_at, raw_sha256, raw_text, status,
                               content_type, encoding, feed_name, url, content_origin, run_id)
        SELECT substr(md5('d' || i), 1, 16), 'file', '/data/in/' || i || '.txt',
               TIMESTAMP '2025-06-01', md5('r' || i), NULL, 'ok', 'text/plain', 'utf-8',
               NULL, NULL, 'file', 'bench'
        FROM range({n}) AS t(i)
        """,
        # Popularity is skewed: the cube of a uniform number favours low entity numbers.
        f"""
        INSERT INTO entity_mentions
        SELECT
            substr(md5('a' || i), 1, 16),
            'e' || lpad(floor({n_entities} * pow({uni("i, k, 'ent'")}, 3))::BIGINT::VARCHAR, 8, '0'),
            'Entity',
            k * 40,
            k * 40 + 6,
            k // 3,
            NULL
        FROM range({n}) AS t(i)
        CROSS JOIN range({MENTIONS_PER_ARTICLE}) AS m(k)
        """,
        f"""
        INSERT INTO events
        SELECT
            'v' || lpad(j::VARCHAR, 8, '0'),
            DATE '2025-01-01' + (hash(j, 'd') % 365)::INTEGER,
            'day',
            (['MEET', 'ATTACK', 'SANCTION', 'STATEMENT'])[1 + (j % 4)::INTEGER],
            '04', 'occurred',
            'Place ' || (hash(j, 'l') % {n_locations}),
            -60 + (hash(hash(j, 'l') % {n_locations}, 'lat') % 120),
            -170 + (hash(hash(j, 'l') % {n_locations}, 'lon') % 340),
            'e' || lpad((hash(j, 'a1') % {n_entities // 10})::VARCHAR, 8, '0'),
            'e' || lpad((hash(j, 'a2') % {n_entities // 10})::VARCHAR, 8, '0'),
            ['e' || lpad((hash(j, 'a1') % {n_entities // 10})::VARCHAR, 8, '0'),
             'e' || lpad((hash(j, 'a2') % {n_entities // 10})::VARCHAR, 8, '0')],
            'Synthetic event ' || j,
            0, 0, 0, NULL, NULL,
            (['040', '190', '163', '010'])[1 + (j % 4)::INTEGER],
            (['CONSULT', 'ASSAULT', 'SANCTION', NULL])[1 + (j % 4)::INTEGER],
            'USAGOV', 'RUSGOV',
            DATE '2025-01-01' + (hash(j, 'd') % 365)::INTEGER, 'strong', 0
        FROM range({n_events}) AS t(j)
        """,
        f"""
        INSERT INTO event_mentions
        SELECT
            'v' || lpad(j::VARCHAR, 8, '0'),
            substr(md5('a' || i), 1, 16),
            'A sentence that reports the event.',
            'on Monday', 100, 140, 0.8,
            (['MEET', 'ATTACK', 'SANCTION', 'STATEMENT'])[1 + (j % 4)::INTEGER],
            NULL, NULL, NULL, NULL, NULL,
            NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
        FROM (SELECT i, hash(i, 'ev') % {n_events} AS j FROM range({n}) AS t(i))
        """,
        """
        UPDATE events SET num_mentions = counted.mentions, num_articles = counted.mentions,
                          num_sources = counted.mentions
        FROM (SELECT event_id, count(*) AS mentions FROM event_mentions GROUP BY event_id) AS counted
        WHERE counted.event_id = events.event_id
        """,
        f"""
        INSERT INTO boilerplate_removed
        SELECT substr(md5('a' || i), 1, 16), k, 'share_prompt:share_this', 'Share this article'
        FROM range({n}) AS t(i) CROSS JOIN range(2) AS b(k)
        """,
        # One photo caption per article, so the caption drill-down reads real rows.
        f"""
        INSERT INTO captions (article_id, position, text)
        SELECT substr(md5('a' || i), 1, 16), 0, 'Officials meet in Geneva. Photo: agency'
        FROM range({n}) AS t(i)
        """,
        f"""
        INSERT INTO quarantine
        SELECT 'q' || i, 'ingest', (['empty', 'binary', 'undecodable'])[1 + (i % 3)::INTEGER],
               'synthetic rejection', NULL, 'run' || (i % 100), TIMESTAMP '2025-06-01'
        FROM range({max(1, n // 50)}) AS t(i)
        """,
        """
        INSERT INTO pipeline_runs
        SELECT 'run' || r, TIMESTAMP '2025-01-01' + to_days(r::INTEGER),
               TIMESTAMP '2025-01-01' + to_days(r::INTEGER) + INTERVAL 5 MINUTE, 'bench', '{}'
        FROM range(100) AS t(r)
        """,
        """
        INSERT INTO quality_results
        SELECT 'run' || r, 'articles', 'expectation_' || x, (hash(r, x) % 10) > 0, '1', NULL,
               CASE WHEN x % 4 = 0 THEN 'warning' ELSE 'critical' END
        FROM range(100) AS t(r) CROSS JOIN range(20) AS e(x)
        """,
    ]


def build_synthetic_warehouse(path: Path, n: int) -> None:
    con = duckdb.connect(str(path))
    try:
        con.execute((ROOT / "schemas" / "warehouse.sql").read_text(encoding="utf-8"))
        for statement in _fill_sql(n):
            con.execute(statement)
        con.execute("CHECKPOINT")
    finally:
        con.close()


def query_params(con: duckdb.DuckDBPyConnection, article_id: str) -> dict[str, object]:
    """Representative parameters: the most mentioned entity, event and actor."""
    entity_id = con.execute(
        "SELECT entity_id FROM snapshot.mart_entity_daily GROUP BY entity_id ORDER BY sum(mentions) DESC LIMIT 1"
    ).fetchone()[0]
    event_id, event_type = con.execute(
        "SELECT event_id, event_type FROM snapshot.mart_events ORDER BY num_mentions DESC LIMIT 1").fetchone()
    actor = con.execute(
        "SELECT a FROM snapshot.mart_events, unnest(actor_names) AS t(a) GROUP BY a ORDER BY count(*) DESC LIMIT 1"
    ).fetchone()
    return {
        "article_id": article_id,
        "entity_id": entity_id,
        "event_id": event_id,
        "event_type": event_type,
        "entity_type": "PERSON",
        "actor": actor[0] if actor else None,
        # A chosen month: the whole period is served by mart_entity_totals instead.
        "first_day": date(2025, 12, 1),
        "last_day": date(2025, 12, 31),
        "limit": 50,
        "text": "sanctions",
    }


def time_ms(fn, repeat: int) -> list[float]:
    """Milliseconds of each of ``repeat`` calls of ``fn``."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000.0)
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="synthetic articles")
    parser.add_argument("--repeat", type=int, default=15, help="timed runs per query")
    parser.add_argument("--db", type=Path, help="reuse (or create) this warehouse file")
    parser.add_argument("--keep", action="store_true", help="keep the generated warehouse")
    args = parser.parse_args(argv)

    workdir = Path(tempfile.mkdtemp(prefix="query_bench_"))
    db_path = args.db or workdir / "bench.duckdb"
    if not db_path.exists():
        start = time.perf_counter()
        build_synthetic_warehouse(db_path, args.n)
        print(f"built synthetic warehouse: {args.n:,} articles in {time.perf_counter() - start:.1f} s "
              f"({db_path.stat().st_size / 1e6:.0f} MB) at {db_path}")
    con = duckdb.connect(str(db_path), read_only=True)
    counts = {table: con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
              for table in ("articles", "entity_mentions", "entities", "events", "event_mentions")}
    # An article that has a copy, so the duplicates drill-down has work to do.
    article_id = con.execute("SELECT duplicate_of FROM articles WHERE is_duplicate LIMIT 1").fetchone()[0]
    con.close()
    print("rows: " + ", ".join(f"{table} {count:,}" for table, count in counts.items()))

    snapshot_times = time_ms(lambda: data.Snapshot(db_path).close(), max(3, args.repeat // 5))
    print(f"\n{'query (period: a month)':<30}{'kind':<10}{'median ms':>10}{'max ms':>9}")
    print(f"{'(build snapshot)':<30}{'refresh':<10}{statistics.median(snapshot_times):>10.1f}"
          f"{max(snapshot_times):>9.1f}   once per warehouse change, not per page view")

    snapshot = data.Snapshot(db_path)
    params = query_params(snapshot.con, article_id)
    over = []
    runs = []
    for query in queries.ALL_QUERIES:
        wanted = {name: params[name] for name in set(re.findall(r"\$(\w+)", query.sql))}
        runs.append((query.name, query, wanted))
        if "first_day" in wanted:  # the page's default period is everything: time that too
            whole = dict(wanted, first_day=date(2025, 1, 1), last_day=date(2025, 12, 31))
            runs.append((f"{query.name} (year)", query, whole))
    for label, query, wanted in runs:
        times = time_ms(lambda q=query, p=wanted: snapshot.run(q, p), args.repeat)
        median = statistics.median(times)
        flag = "  OVER TARGET" if median > TARGET_MS else ""
        if flag:
            over.append(label)
        print(f"{label:<30}{query.source:<10}{median:>10.1f}{max(times):>9.1f}{flag}")
    snapshot.close()
    print(f"\n{len(runs) - len(over)}/{len(runs)} queries under "
          f"{TARGET_MS:.0f} ms median" + (f"; over: {', '.join(over)}" if over else ""))
    if not args.keep and args.db is None:
        db_path.unlink()
        workdir.rmdir()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
