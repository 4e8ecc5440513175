"""The warehouse on DuckLake: publish throughput with several publishers, and dashboard queries.

    .venv/bin/python benchmarks/lake_bench.py publish-bench --catalog "host=... user=..." \
        [--batches 8] [--articles 200] [--publishers 1,2,4] [--rounds 1] [--pin-one 0]
    .venv/bin/python benchmarks/lake_bench.py query-bench [--catalog local] [--n 1000000] [--repeat 20] \
        [--workdir DIR]
    .venv/bin/python benchmarks/lake_bench.py first-per-key [--rows 10000] [--repeated 0.01] [--repeat 9]
    .venv/bin/python benchmarks/lake_bench.py publish SPEC DATA_PATH PUBLISHER BATCHES [--articles N]

`--catalog` is a PostgreSQL server (libpq keywords, without dbname) whose user may create
databases: each measurement gets a new catalog database and a new temporary data folder.
`--catalog local` starts a throwaway server with Debian's binaries (tests/deploy/postgres_server.py).

publish-bench: every publisher is a process of its own that publishes BATCHES synthetic runs
(`publish`, below) through `Warehouse.load_batch`, the path `publish_step` takes, opening the
warehouse per run as the publish task does. Rows/s counts every row written (all tables) over
the wall time from the first process start to the last one's end; lock waits (the publish
lock was held by another), DuckLake's own commit conflicts (it retries those itself; counted
in the local catalog server's log) and newsmon's commit retries are summed over the publishers;
"locked s" is the median time a batch held the publish lock (shared, for a batch that only
appends, or exclusive), "lock busy" the sum of those times over the wall time (over 100%: held
by several appending publishers at once: the shared lock serialises none of them). "batch cpu
s" and "batch runq s" are the median batch's CPU seconds and seconds runnable but waiting for
a CPU, summed over the publisher's threads, "batch wait s" the median of what remains of a
batch's wall time (neither running nor runnable: waiting for the catalog's answers, a lock, or
DuckLake's sleep before a commit retry); "client cpu s" and "catalog cpu s" the CPU seconds of
all publisher processes and of the PostgreSQL server (only when started here, `--catalog local`), "cpu/wall" both over the
wall time: far below the cores' count while batches wait in the run queue means the machine's
other work, not ours, holds the CPUs. "rows/cpu s" is the rows over the CPU seconds of the
publishers and the catalog server together, "rows/batch cpu s" the same with the publishers'
batches' own CPU (their processes' start left out): flat from 1 to 4 publishers when they spend
no CPU on each other, whatever share of a busy machine they got. `--pin-one 0` adds, per round,
one publisher with the catalog server on core 0 only (as `taskset -c 0`), and prints 2
publishers on every core over it: the per-core scaling (2.0 would be a second core's worth).
The file row is one publisher into a DuckDB file (several cannot write one file at once).

query-bench: the dashboard query set of benchmarks/query_bench.py on its synthetic warehouse
of N articles, built as a file, then copied into a lake (`newsmon lake migrate`'s library
call); each query timed on both with the same code (dashboard.data), p95 of --repeat runs,
file and lake alternating run by run (and which goes first alternating too); with `--catalog
local`, "catalog stmts" is the median (max) of the statements the catalog server was sent
during each lake run (snapshot queries read the in-memory copies: 0).

first-per-key: what dropping a batch's rows that repeat a declared key costs
(`warehouse.first_per_key`, run by a lake's writer only: a file's INSERT OR REPLACE keeps a
key's first row itself) on a synthetic batch of --rows mention rows (--repeated: the share of
them given twice), beside `Warehouse.load_tables` of the same batch into a file; medians of
--repeat runs.

`publish` (used by publish-bench and tests/load/test_lake.py): one publisher process. Batch j
of publisher p: ARTICLES new articles, each mentioning one entity every publisher shares and
one of its own, one learned publisher line shared by all, the publisher's feed state. Prints
one JSON line per committed batch.

Nothing here asserts on time.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script from anywhere: import the project's packages

WORDS = ("talks geneva minister delegation border sanctions agreement security council vote summit "
         "ceasefire officials statement negotiations troops capital report meeting president").split()


def synthetic_batch(publisher: int, index: int, articles: int = 5, words: int = 300):
    """Run `p{publisher}-b{index}`: what one run publishes, ids derived from (publisher, index)."""
    from pipeline.records import Article, Batch, Document, Entity, EntityMention, FeedState, PublisherLine

    run_id = f"p{publisher}-b{index:04d}"
    when = datetime(2026, 1, 1) + timedelta(minutes=index)
    docs, arts, mentions, lines = [], [], [], []
    for k in range(articles):
        aid = f"{run_id}-a{k:04d}"
        body = " ".join(WORDS[(publisher * 7 + index * 3 + k + i * i) % len(WORDS)] for i in range(words))
        docs.append(Document(doc_id=aid, source_kind="file", source_uri=f"/in/{aid}.txt", fetched_at=when,
                             raw_sha256=aid, raw_text=body))
        arts.append(Article(article_id=aid, doc_id=aid, source_uri=f"/in/{aid}.txt", url=None, title=aid,
                            publisher=f"pub{publisher}", byline=None, published_at=when, language="en",
                            body=body, word_count=words, content_hash=aid, cluster_id=aid))
        mentions += [EntityMention(aid, "e-shared", "Geneva", 0, 6, 0),
                     EntityMention(aid, f"e-p{publisher}", f"P{publisher}", 7, 9, 0)]
        lines.append(PublisherLine("shared-publisher", "line-shared", aid, when, None))
    entities = [Entity("e-shared", "Geneva", "GPE", ["Geneva"]),
                Entity(f"e-p{publisher}", f"P{publisher}", "ORG", [f"P{publisher}"])]
    feed = FeedState(feed_name=f"feed{publisher}", url=f"http://feed{publisher}.invalid/rss",
                     seen_entry_ids=[f"{run_id}-entry"], last_fetched_at=when)
    return Batch(run_id, documents=docs, articles=arts, entities=entities, mentions=mentions,
                 publisher_lines=lines, feed_states=[feed])


def lake_settings(spec: str, data_path: str, root: Path, kill_at: str = "", threads: int | None = None,
                  retry_wait_ms: int | None = None):
    from pipeline.settings import load_settings

    extra: dict[str, Any] = {} if threads is None else {"lake_writer_threads": threads}
    if retry_wait_ms is not None:
        extra["lake_retry_wait_ms"] = retry_wait_ms
    return load_settings(env={"NEWSMON_CONFIG": ""}, db_path=spec, lake_data_path=data_path,
                         staging_dir=root / "staging", reports_dir=root / "reports",
                         search_index_dir=root / "search", kill_at=kill_at, **extra)


def _schedstat() -> tuple[float, float]:
    """(CPU seconds, seconds runnable but waiting for a CPU) of this process's threads so far
    (Linux's /proc/self/task/*/schedstat; zeros elsewhere): what separates a CPU-bound publish,
    a CPU-starved one (a busy machine) and one waiting on round trips (the rest of its wall)."""
    run = wait = 0
    for task in Path("/proc/self/task").glob("*/schedstat"):
        try:
            fields = task.read_text().split()
            run, wait = run + int(fields[0]), wait + int(fields[1])
        except (OSError, ValueError, IndexError):  # a thread that ended meanwhile
            continue
    return run / 1e9, wait / 1e9


def publish(args: argparse.Namespace) -> int:
    """One publisher: its batches, each through its own Warehouse as publish_step opens it."""
    from pipeline.load.warehouse import Warehouse
    from pipeline.settings import load_settings

    with tempfile.TemporaryDirectory() as tmp:
        if args.spec.startswith("ducklake:"):
            settings = lake_settings(args.spec, args.data_path, Path(tmp), args.kill_at, args.writer_threads,
                                     args.retry_wait_ms)
        else:
            settings = load_settings(env={"NEWSMON_CONFIG": ""}, db_path=args.spec)
        for index in range(args.start, args.batches):
            batch = synthetic_batch(args.publisher, index, args.articles)
            started = time.perf_counter()
            cpu, runnable = _schedstat()
            with Warehouse(settings) as wh:
                written = wh.load_batch(batch)
                waits = wh._lock.waits if wh._lock else 0
                locked = wh._lock.held_seconds if wh._lock else 0.0
                retries = wh.retries
            cpu_after, runnable_after = _schedstat()
            print(json.dumps({"run_id": batch.run_id, "rows": sum(written.values()), "waits": waits,
                              "retries": retries, "locked": locked, "seconds": time.perf_counter() - started,
                              "cpu": cpu_after - cpu, "runnable": runnable_after - runnable}),
                  flush=True)
    return 0


def statements(args: argparse.Namespace) -> int:
    """Where one publisher's batch goes: each SQL statement's wall and CPU seconds (this
    process, all its threads) per batch, after a first batch that opens the lake, and the
    catalog server's statements per batch (`--catalog local`: counted in its log), in all and
    during each statement (what a busy machine does not blur: wall time waits for a CPU too)."""
    import collections
    import resource

    from pipeline.load import lake
    from pipeline.load.warehouse import Warehouse

    def cpu() -> float:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        return usage.ru_utime + usage.ru_stime

    timed: dict[str, list[tuple[float, float]]] = collections.defaultdict(list)
    asked: dict[str, int] = collections.defaultdict(int)  # catalog statements during each statement
    log_at = [0]

    def catalog_statements() -> int:
        """The catalog statements logged since the last call (0 without a local server)."""
        if local is None or not local[1].exists():
            return 0
        with local[1].open("rb") as log:
            log.seek(log_at[0])
            new = log.read()
        log_at[0] += len(new)
        return new.count(b"LOG:  statement:")

    class Timed:  # the connection, each execute timed
        def __init__(self, con):
            self._con = con

        def __getattr__(self, name):
            return getattr(self._con, name)

        def execute(self, sql, *params):
            catalog_statements()
            wall, used = time.perf_counter(), cpu()
            result = self._con.execute(sql, *params)
            name = " ".join(sql.split())[:72]
            timed[name].append((time.perf_counter() - wall, cpu() - used))
            asked[name] += catalog_statements()
            return result

    server, stop, local = _catalog(args)
    connect = lake.connect
    lake.connect = lambda *a, **k: Timed(connect(*a, **k))  # type: ignore[assignment]
    try:
        with tempfile.TemporaryDirectory() as tmp:
            settings = lake_settings(new_catalog(server, "lake_statements"), str(Path(tmp) / "lake") + "/",
                                     Path(tmp), threads=args.writer_threads)
            if local:  # the server logs each statement of the catalog's sessions
                import psycopg2

                conn = psycopg2.connect(f"{server} dbname=postgres")
                conn.autocommit = True
                with conn.cursor() as cur:
                    cur.execute("ALTER DATABASE lake_statements SET log_statement = 'all'")
                conn.close()
            logged = 0
            for index in range(args.batches + 1):
                if index == 1:
                    timed.clear()
                    asked.clear()
                    logged = _logged_statements(local)
                with Warehouse(settings) as wh:
                    wh.load_batch(synthetic_batch(0, index, args.articles))
            catalog = (_logged_statements(local) - logged) / args.batches
            threads = getattr(settings, "lake_writer_threads", "DuckDB's default")
    finally:
        lake.connect = connect
        stop()
    print(f"{'wall s':>7} {'cpu s':>7} {'times':>6} {'catalog':>7}  statement (per batch, {args.batches} batches of "
          f"{args.articles} articles, writer threads {threads}; catalog: its statements meanwhile)")
    total = [0.0, 0.0]
    for sql, runs in sorted(timed.items(), key=lambda kv: -sum(w for w, _ in kv[1])):
        wall, used = sum(w for w, _ in runs) / args.batches, sum(c for _, c in runs) / args.batches
        total = [total[0] + wall, total[1] + used]
        print(f"{wall:>7.3f} {used:>7.3f} {len(runs) / args.batches:>6.1f} {asked[sql] / args.batches:>7.1f}  {sql}")
    print(f"{total[0]:>7.3f} {total[1]:>7.3f}  all statements; catalog statements per batch: {catalog:.0f}")
    return 0


def _logged_statements(local: tuple[int, Path] | None) -> int:
    if local is None or not local[1].exists():
        return 0
    return local[1].read_text(errors="replace").count("LOG:  statement:")


# --- publish-bench -----------------------------------------------------------------------------

def _catalog(args: argparse.Namespace):
    """(libpq keywords of a server, a stop function, (its postmaster's pid, its log file) when
    started here, else None)."""
    if args.catalog != "local":
        return args.catalog, lambda: None, None
    from tests.deploy.postgres_server import PostgresServer, find_postgres_bindir

    bindir = find_postgres_bindir()
    if bindir is None:
        raise SystemExit("no PostgreSQL binaries: run scripts/install_postgres.sh, or pass --catalog")
    server = PostgresServer(bindir, user="newsmon", dbname="newsmon")
    server.start()
    pid = int((server.datadir / "postmaster.pid").read_text().split()[0])
    return f"host=127.0.0.1 port={server.port} user=newsmon", server.stop, (pid, server.logfile)


def commit_conflicts(local: tuple[int, Path] | None) -> int:
    """DuckLake commits that lost the race for the next snapshot id so far (the catalog server
    logs each refused snapshot row; DuckLake then retries the commit itself): 0 elsewhere."""
    if local is None or not local[1].exists():
        return 0
    return local[1].read_text(errors="replace").count('violates unique constraint "ducklake_snapshot_pkey"')


def server_cpu(pid: int | None) -> float:
    """CPU seconds the PostgreSQL server has used so far: the postmaster with the backends it
    reaped, plus its live children (backends, checkpointer, ...); 0 without a local server."""
    if pid is None:
        return 0.0
    tick = os.sysconf("SC_CLK_TCK")

    def fields(p: int) -> list[str]:
        try:
            return Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:  # a backend that ended meanwhile: its time is in the postmaster's cutime
            return []

    own = fields(pid)
    total = sum(int(x) for x in own[11:15]) if own else 0  # utime stime cutime cstime
    for child in Path("/proc").iterdir():
        if child.name.isdigit():
            f = fields(int(child.name))
            if f and f[1] == str(pid):
                total += int(f[11]) + int(f[12])
    return total / tick


def new_catalog(server: str, name: str) -> str:
    """A fresh database `name` on the server; the lake spec naming it."""
    import psycopg2

    conn = psycopg2.connect(f"{server} dbname=postgres")
    try:
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute(f'DROP DATABASE IF EXISTS "{name}"')
            cur.execute(f'CREATE DATABASE "{name}"')
    finally:
        conn.close()
    return f"ducklake:postgres:{server} dbname={name}"


def server_pids(pid: int) -> list[int]:
    """The PostgreSQL server's processes: the postmaster and its children (backends, ...)."""
    pids = [pid]
    for child in Path("/proc").iterdir():
        if child.name.isdigit():
            try:
                if Path(f"/proc/{child.name}/stat").read_text().rsplit(")", 1)[1].split()[1] == str(pid):
                    pids.append(int(child.name))
            except (OSError, IndexError):  # ended meanwhile
                continue
    return pids


def pin_server(pid: int | None, cpus: set[int]) -> None:
    """Put the local catalog server's processes on `cpus` (what `taskset -c` does); the backends
    it forks later inherit the postmaster's set."""
    for p in server_pids(pid) if pid is not None else []:
        try:
            os.sched_setaffinity(p, cpus)
        except OSError:  # ended meanwhile
            continue


def run_publishers(spec: str, data_path: str, publishers: int, batches: int, articles: int,
                   local: tuple[int, Path] | None = None, threads: int | None = None,
                   retry_wait_ms: int | None = None, pin: set[int] | None = None) -> dict:
    """`publishers` processes at once; their JSON lines summed, wall time from first start; CPU
    seconds of the publisher processes (their rusage) and of the catalog server (`local`: its pid
    and log file). `pin`: the publishers and the local catalog server on these cores only (as
    `taskset -c`), every core again afterwards."""
    import resource

    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    server_pid = local[0] if local else None
    every_core = os.sched_getaffinity(0)
    if pin:
        pin_server(server_pid, pin)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    catalog = server_cpu(server_pid)
    conflicts = commit_conflicts(local)
    started = time.perf_counter()
    more = [] if threads is None else ["--writer-threads", str(threads)]
    if retry_wait_ms is not None:
        more += ["--retry-wait-ms", str(retry_wait_ms)]
    procs = [subprocess.Popen([sys.executable, __file__, "publish", spec, data_path, str(p), str(batches),
                               "--articles", str(articles), *more], stdout=subprocess.PIPE, text=True, env=env,
                              preexec_fn=(lambda: os.sched_setaffinity(0, pin)) if pin else None)
             for p in range(publishers)]
    lines = []
    try:
        for proc in procs:
            out, _ = proc.communicate()
            if proc.returncode:
                raise SystemExit(f"a publisher failed (exit {proc.returncode})")
            lines += [json.loads(line) for line in out.splitlines() if line.startswith("{")]
    finally:
        if pin:
            pin_server(server_pid, every_core)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    client_cpu = after.ru_utime + after.ru_stime - children.ru_utime - children.ru_stime
    catalog_cpu = server_cpu(server_pid) - catalog
    rows = sum(r["rows"] for r in lines)
    return {"publishers": publishers, "batches": len(lines), "rows": rows, "seconds": wall,
            "rows_per_s": rows / wall, "lock_waits": sum(r["waits"] for r in lines),
            "retries": sum(r["retries"] for r in lines), "conflicts": commit_conflicts(local) - conflicts,
            "median_batch_s": statistics.median(r["seconds"] for r in lines),
            "median_locked_s": statistics.median(r["locked"] for r in lines),
            "lock_busy": sum(r["locked"] for r in lines) / wall,
            "batch_cpu_s": statistics.median(r["cpu"] for r in lines),
            "batch_wait_s": statistics.median(r["seconds"] - r["cpu"] - r["runnable"] for r in lines),
            "batch_runnable_s": statistics.median(r["runnable"] for r in lines),
            "client_cpu_s": client_cpu, "catalog_cpu_s": catalog_cpu, "cpu_per_wall": (client_cpu + catalog_cpu) / wall,
            # Rows per CPU second of the publishers and their catalog: flat over the publishers'
            # count when they cost each other nothing (no CPU spent on contention), whatever
            # share of the machine they got. "batch": the batches' own CPU (a process's start,
            # imports and extensions, ~1.6 s each, left out), plus the catalog's.
            "rows_per_cpu_s": rows / max(1e-9, client_cpu + catalog_cpu),
            "rows_per_batch_cpu_s": rows / max(1e-9, sum(r["cpu"] for r in lines) + catalog_cpu),
            "cores": ",".join(str(c) for c in sorted(pin)) if pin else "all",
            "threads": "-" if threads is None else str(threads),
            "wait": "-" if retry_wait_ms is None else str(retry_wait_ms)}


def publish_bench(args: argparse.Namespace) -> int:
    """Rounds of (file, lake 1, 2, 4 publishers), each round after the other: the machine's
    load drifts, so each round's ratio is to the same round's one lake publisher with the same
    writer threads and DuckLake retry wait (--writer-threads 1,0 and --retry-wait-ms 100,10: each
    pair, alternating publisher count by count)."""
    server, stop, pid = _catalog(args)
    threads = [int(x) for x in args.writer_threads.split(",")] if args.writer_threads else [None]
    waits = [int(x) for x in args.retry_wait_ms.split(",")] if args.retry_wait_ms else [None]
    variants = [(t, w) for t in threads for w in waits]
    pinned = {int(c) for c in args.pin_one.split(",")} if args.pin_one else None
    if pinned and args.catalog != "local":
        raise SystemExit("--pin-one pins the catalog server too: it needs --catalog local")
    rounds: list[list[dict]] = []
    try:
        for number in range(args.rounds):
            with tempfile.TemporaryDirectory() as tmp:
                results = [{"into": "file", **run_publishers(str(Path(tmp) / "file" / "news.duckdb"), "", 1,
                                                             args.batches, args.articles, pid)}]
                for n in [int(x) for x in args.publishers.split(",")]:
                    for t, w in variants:
                        spec = new_catalog(server, f"lake_bench_{n}_{t}_{w}")
                        # Each publisher publishes the same number of batches: n publishers, n times the rows.
                        results.append({"into": "lake", **run_publishers(
                            spec, str(Path(tmp) / f"lake{n}_{t}_{w}") + "/", n, args.batches, args.articles, pid,
                            t, w)})
                        if n == 1 and pinned:  # the same on fewer cores, catalog server too: per-core scaling
                            spec = new_catalog(server, f"lake_bench_pinned_{t}_{w}")
                            results.append({"into": "lake", **run_publishers(
                                spec, str(Path(tmp) / f"lake_pinned_{t}_{w}") + "/", 1, args.batches, args.articles,
                                pid, t, w, pin=pinned)})
            for r in results:
                base = next(b for b in results if b["into"] == "lake" and b["publishers"] == 1 and b["cores"] == "all"
                            and (r["into"] == "file" or (b["threads"], b["wait"]) == (r["threads"], r["wait"])))
                r["x"] = r["rows_per_s"] / base["rows_per_s"]
            rounds.append(results)
            _print_publish(f"round {number + 1} of {args.rounds}", results)
    finally:
        stop()
    if len(rounds) > 1:
        print("\nmedian over the rounds: " + ", ".join(
            f"{r['into']} {r['publishers']} (threads {r['threads']}, wait {r['wait']}, cores {r['cores']}): "
            f"{statistics.median(rr[i]['rows_per_s'] for rr in rounds):.0f} rows/s "
            f"({statistics.median(rr[i]['x'] for rr in rounds):.2f}x), "
            f"{statistics.median(rr[i]['rows_per_batch_cpu_s'] for rr in rounds):.0f} rows per batch CPU s"
            for i, r in enumerate(rounds[0])))
    if pinned:
        # Per-core scaling: two publishers on every core against one on the pinned cores (2.0 on
        # an idle 2-core machine if a core's worth of publishing doubles with a second core).
        per_core = [next(r for r in rr if r["into"] == "lake" and r["publishers"] == 2 and r["cores"] == "all")
                    ["rows_per_s"] / next(r for r in rr if r["cores"] != "all")["rows_per_s"] for rr in rounds]
        print(f"\n2 publishers on every core / 1 on cores {args.pin_one}, rows/s, per round: "
              + ", ".join(f"{x:.2f}" for x in per_core) + f"; median {statistics.median(per_core):.2f}")
    return 0


def _print_publish(title: str, results: list[dict]) -> None:
    print(f"\n{title}\n{'into':<5} {'publishers':>10} {'threads':>7} {'wait ms':>7} {'batches':>8} {'rows':>8} {'seconds':>8} {'rows/s':>8} "
          f"{'x lake-1':>8} {'lock waits':>10} {'conflicts':>9} {'retries':>8} {'median batch s':>14} {'locked s':>9} {'lock busy':>9} "
          f"{'batch cpu s':>11} {'batch runq s':>12} {'batch wait s':>12} {'client cpu s':>12} {'catalog cpu s':>13} {'cpu/wall':>8} "
          f"{'cores':>5} {'rows/cpu s':>10} {'rows/batch cpu s':>16}")
    for r in results:
        print(f"{r['into']:<5} {r['publishers']:>10} {r['threads']:>7} {r['wait']:>7} {r['batches']:>8} {r['rows']:>8} {r['seconds']:>8.1f} "
              f"{r['rows_per_s']:>8.0f} {r['x']:>8.2f} {r['lock_waits']:>10} {r['conflicts']:>9} {r['retries']:>8} "
              f"{r['median_batch_s']:>14.2f} {r['median_locked_s']:>9.2f} {r['lock_busy']:>9.0%} "
              f"{r['batch_cpu_s']:>11.2f} {r['batch_runnable_s']:>12.2f} {r['batch_wait_s']:>12.3f} {r['client_cpu_s']:>12.1f} {r['catalog_cpu_s']:>13.1f} {r['cpu_per_wall']:>8.2f} "
              f"{r['cores']:>5} {r['rows_per_cpu_s']:>10.0f} {r['rows_per_batch_cpu_s']:>16.0f}")


# --- query-bench -------------------------------------------------------------------------------

def _stamp_current_schema(path: Path) -> None:
    """query_bench builds its file from the current DDL: record it as such (what a new warehouse
    records), so copying it into the lake does not replay the migrations over a million rows."""
    import duckdb

    from pipeline.load.migrations import MIGRATIONS, VERSION_DDL

    con = duckdb.connect(str(path))
    try:
        con.execute(VERSION_DDL)
        con.executemany("INSERT OR IGNORE INTO schema_version (version, name) VALUES (?, ?)",
                        [[m.version, m.name] for m in MIGRATIONS])
    finally:
        con.close()


def _p95(times: list[float]) -> float:
    return statistics.quantiles(times, n=20, method="inclusive")[-1] if len(times) > 1 else times[0]


def query_bench(args: argparse.Namespace) -> int:
    import re

    from benchmarks.query_bench import build_synthetic_warehouse, query_params, time_ms
    from dashboard import data, queries
    from pipeline.load import lake
    from pipeline.load.warehouse import Warehouse

    server, stop, local = _catalog(args)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(args.workdir or tmp)
            root.mkdir(parents=True, exist_ok=True)
            path = root / "bench.duckdb"
            if not path.exists():
                started = time.perf_counter()
                build_synthetic_warehouse(path, args.n)
                _stamp_current_schema(path)
                print(f"file: {args.n:,} synthetic articles built in {time.perf_counter() - started:.1f} s "
                      f"({path.stat().st_size / 1e6:.0f} MB)")
            built = root / "lake.spec"  # a lake copied by an earlier run (a kept --workdir, the same server)
            # `local`'s catalog server ended with the run that copied the lake: copy it again.
            spec = built.read_text() if args.workdir and args.catalog != "local" and built.exists() else ""
            if not spec:
                shutil.rmtree(root / "lake", ignore_errors=True)  # an earlier copy's files, no catalog's now
                spec = new_catalog(server, f"lake_query_bench_{args.n}")
                started = time.perf_counter()
                with Warehouse(lake_settings(spec, str(root / "lake") + "/", root)) as wh:
                    wh.copy_from_file(path)
                    wh.maintain_lake()  # one file per table, as the daily maintenance leaves it
                built.write_text(spec)
                size = sum(f.stat().st_size for f in (root / "lake").rglob("*.parquet"))
                print(f"lake: copied in {time.perf_counter() - started:.1f} s ({size / 1e6:.0f} MB of Parquet)")
            with Warehouse(lake_settings(spec, "", root), read_only=True) as wh:
                print(f"file and lake: {wh.scalar('SELECT count(*) FROM articles'):,} articles; lake data files: "
                      f"{wh.scalar('SELECT count(*) FROM ducklake_list_files(?, ?)', [lake.ALIAS, 'articles'])} "
                      "of articles")
            asked = _catalog_log(server, spec, local)
            with data.open_views(path) as con:
                article_id = con.execute("SELECT duplicate_of FROM warehouse.articles WHERE is_duplicate LIMIT 1"
                                         ).fetchone()[0]
            # File and lake alternate, run by run: the machine's load (shared, noisy) then weighs
            # on both sides alike instead of on whichever ran during a busy minute.
            # Which goes first alternates too: a query's first run in a pair can pay for what the
            # second then finds warm (the CPU's caches, the allocator), whichever side it is.
            targets = {"file": path, "lake": spec}
            times: dict[str, dict[str, list[float]]] = {}
            statements: dict[str, list[int]] = {}  # the lake side's catalog statements per run
            for turn in range(max(3, args.repeat // 5)):
                for target, where in _turns(targets, turn):
                    times.setdefault("(build snapshot)", {}).setdefault(target, []).extend(
                        time_ms(lambda w=where: data.Snapshot(w).close(), 1))
            snapshots = {target: data.Snapshot(where) for target, where in targets.items()}
            params = query_params(snapshots["file"].con, article_id)
            for query in queries.ALL_QUERIES:
                wanted = {name: params[name] for name in set(re.findall(r"\$(\w+)", query.sql))}
                label = f"{query.name} [{query.source}]"
                for turn in range(args.repeat):
                    for target, snapshot in _turns(snapshots, turn):
                        asked()
                        times.setdefault(label, {}).setdefault(target, []).extend(
                            time_ms(lambda q=query, p=wanted, s=snapshot: s.run(q, p), 1))
                        if target == "lake":
                            statements.setdefault(label, []).append(asked())
            for snapshot in snapshots.values():
                snapshot.close()
            _print_queries(times, statements)  # before the views' reads: what is measured so far is kept
            views = _view_times(spec, path, root, args.repeat)
    finally:
        stop()
    print(f"\nthe shared tables read whole (SELECT *), after maintenance; the lake's view pinned (as maintenance "
          f"leaves it) and unpinned (every key grouped to find those with several rows), in one read transaction; "
          f"p95 / median ms"
          f"\n{'table':<14}{'file':>16}{'lake pinned':>16}{'lake unpinned':>16}{'pinned/file':>12}{'unpinned/file':>14}")
    for table, row in views.items():
        p95 = {k: _p95(t) for k, t in row.items()}
        med = {k: statistics.median(t) for k, t in row.items()}
        print(f"{table:<14}" + "".join(f"{p95[k]:>8.1f} /{med[k]:>6.1f}" for k in ("file", "pinned", "unpinned")) +
              f"{p95['pinned'] / p95['file']:>12.2f}{p95['unpinned'] / p95['file']:>14.2f}")
    return 0


def _turns(targets: dict[str, Any], turn: int) -> list[tuple[str, Any]]:
    """The targets in their order on even turns, reversed on odd ones."""
    pairs = list(targets.items())
    return pairs if turn % 2 == 0 else pairs[::-1]


def _catalog_log(server: str, spec: str, local: tuple[int, Path] | None):
    """A function giving the catalog statements the lake's database was sent since its last
    call (`--catalog local`: the server logs them from the next session on), else always 0."""
    if local is None:
        return lambda: 0
    import psycopg2

    conn = psycopg2.connect(f"{server} dbname=postgres")
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(f'ALTER DATABASE "{spec.rsplit("dbname=", 1)[1]}" SET log_statement = \'all\'')
    conn.close()
    at = [local[1].stat().st_size]

    def asked() -> int:
        with local[1].open("rb") as log:
            log.seek(at[0])
            new = log.read()
        at[0] += len(new)
        return new.count(b"LOG:  statement:")
    return asked


def _print_queries(times: dict[str, dict[str, list[float]]], statements: dict[str, list[int]] | None = None) -> None:
    statements = statements or {}
    print(f"\n{'query [kind]':<42}{'file p95 ms':>12}{'lake p95 ms':>12}{'lake/file':>10}"
          f"{'file median':>12}{'lake median':>12}{'lake/file':>10}{'catalog stmts':>14}")
    over = []
    for label, row in times.items():
        p95 = {target: _p95(t) for target, t in row.items()}
        median = {target: statistics.median(t) for target, t in row.items()}
        ratio = p95["lake"] / p95["file"] if p95["file"] else float("inf")
        if ratio > 2.0:
            over.append(label)
        asked = statements.get(label)
        print(f"{label:<42}{p95['file']:>12.1f}{p95['lake']:>12.1f}{ratio:>10.2f}"
              f"{median['file']:>12.1f}{median['lake']:>12.1f}{median['lake'] / median['file']:>10.2f}"
              + (f"{statistics.median(asked):>9.0f} ({max(asked)})" if asked else f"{'-':>14}"))
    print(f"\n{len(times) - len(over)}/{len(times)} within 2x of the file (p95)" +
          (f"; over: {', '.join(over)}" if over else ""))


def _view_times(spec: str, path: Path, root: Path, repeat: int) -> dict[str, dict[str, list[float]]]:
    """Each shared table read whole from the file, and from the lake through its view as
    maintenance pinned it and through the same view unpinned (lake.fold_view_sql with no
    `folded_through`, as a temp view), alternating run by run; the lake's reads in one read
    transaction, as a dashboard's live queries run (the catalog is then asked once, not per read)."""
    import duckdb

    from benchmarks.query_bench import time_ms
    from pipeline.load import lake
    from pipeline.load.warehouse import Warehouse, declared_keys

    times: dict[str, dict[str, list[float]]] = {}
    file = duckdb.connect(str(path), read_only=True)
    with Warehouse(lake_settings(spec, "", root), read_only=True) as wh:
        keys = declared_keys(wh.settings.schemas_dir)
        for table in lake.FOLDED:
            columns = [(r[0], r[1]) for r in wh.con.execute(f"DESCRIBE {lake.SHARED}.{table}").fetchall()]
            wh.con.execute(f"CREATE OR REPLACE TEMP VIEW unpinned_{table} AS "
                           + lake.fold_view_sql(table, columns, keys[table]))
            reads = {"file": lambda t=table: file.execute(f"SELECT * FROM {t}").to_arrow_table(),
                     "pinned": lambda t=table: wh.con.execute(f"SELECT * FROM main.{t}").to_arrow_table(),
                     "unpinned": lambda t=table: wh.con.execute(f"SELECT * FROM unpinned_{t}").to_arrow_table()}
            wh.con.execute("BEGIN TRANSACTION")
            for _ in range(repeat):
                for name, read in reads.items():
                    times.setdefault(table, {}).setdefault(name, []).extend(time_ms(read, 1))
            wh.con.execute("ROLLBACK")
    file.close()
    return times


# --- seeds ---------------------------------------------------------------------------------------

def seeds(args: argparse.Namespace) -> int:
    """The seeds run into a file and into a lake: each table's rows and whether the sorted
    primary keys are the same (run ids differ by design)."""
    from pipeline.flow import run_pipeline
    from pipeline.load.lake import primary_keys
    from pipeline.load.warehouse import Warehouse
    from pipeline.settings import load_settings

    server, stop, _pid = _catalog(args)
    try:
        root = Path(tempfile.mkdtemp(prefix="lake-seeds-"))
        base = {"staging_dir": root / "staging", "reports_dir": root / "reports", "search_index_dir": root / "search"}
        no_config = {"NEWSMON_CONFIG": ""}  # this comparison, not the developer's newsmon.toml
        in_file = load_settings(env=no_config, db_path=root / "news.duckdb", **base)
        in_lake = load_settings(env=no_config, db_path=new_catalog(server, "lake_seeds"),
                                lake_data_path=f"{root / 'lake'}/", **{k: v / "lake" for k, v in base.items()})
        for settings in (in_file, in_lake):
            run_pipeline([str(settings.seeds_dir)], [], settings, trigger="lake_bench")
        print(f"{'table':<22}{'file':>8}{'lake':>8}  same keys")
        with Warehouse(in_file, read_only=True) as f, Warehouse(in_lake, read_only=True) as lake:
            for table, keys in primary_keys((in_file.schemas_dir / "warehouse.sql").read_text()).items():
                q = f"SELECT {', '.join(keys)} FROM {table} ORDER BY {', '.join(keys)}"
                a, b = f.con.execute(q).fetchall(), lake.con.execute(q).fetchall()
                print(f"{table:<22}{len(a):>8}{len(b):>8}  {'yes' if a == b else 'no'}")
    finally:
        stop()
    return 0


def first_per_key_cost(args: argparse.Namespace) -> int:
    from pipeline.load.warehouse import LOADED, TABLES, Warehouse, declared_keys, first_per_key
    from pipeline.settings import load_settings
    from pipeline.staging import to_arrow

    batch = synthetic_batch(0, 0, articles=args.rows // 2)  # two mentions an article
    batch.mentions += batch.mentions[:round(len(batch.mentions) * args.repeated)]
    tables = {attr: to_arrow(getattr(batch, attr), cls) for attr, cls in LOADED.items()}
    root = Path(tempfile.mkdtemp(prefix="lake-first-per-key-"))
    settings = load_settings(env={"NEWSMON_CONFIG": ""}, db_path=root / "news.duckdb", staging_dir=root / "staging",
                             reports_dir=root / "reports", search_index_dir=root / "search")
    keys = declared_keys(settings.schemas_dir)
    keyed = [(attr, table) for attr, _cls, table in TABLES if attr in tables and table in keys]
    dedup: list[float] = []
    for _ in range(args.repeat):
        started = time.perf_counter()
        kept = {attr: first_per_key(tables[attr], keys[table]) for attr, table in keyed}
        dedup.append(time.perf_counter() - started)
    loads: list[float] = []
    with Warehouse(settings) as wh:
        for _ in range(args.repeat):  # the first a new batch, the others re-runs of it
            started = time.perf_counter()
            wh.load_tables(batch.run_id, tables)
            loads.append(time.perf_counter() - started)
    shutil.rmtree(root, ignore_errors=True)
    for attr, table in keyed:
        print(f"{table:<18}{tables[attr].num_rows:>8} rows {tables[attr].num_rows - kept[attr].num_rows:>6} repeated")
    d, f = statistics.median(dedup), statistics.median(loads)
    print(f"first_per_key, all tables: {d * 1000:.1f} ms median; file load_tables: {f * 1000:.1f} ms median; "
          f"ratio {d / f:.3f} ({args.repeat} runs each)")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("publish")
    p.add_argument("spec")
    p.add_argument("data_path")
    p.add_argument("publisher", type=int)
    p.add_argument("batches", type=int)
    p.add_argument("--start", type=int, default=0)
    p.add_argument("--articles", type=int, default=5)
    p.add_argument("--kill-at", default="", help="a pipeline/faults.py point where the publisher kills itself")
    p.add_argument("--writer-threads", type=int, default=None, help="lake_writer_threads (default: the setting's)")
    p.add_argument("--retry-wait-ms", type=int, default=None, help="lake_retry_wait_ms (default: the setting's)")
    p.set_defaults(func=publish)
    st = sub.add_parser("statements")
    st.add_argument("--catalog", default="local")
    st.add_argument("--batches", type=int, default=8)
    st.add_argument("--articles", type=int, default=200)
    st.add_argument("--writer-threads", type=int, default=None)
    st.set_defaults(func=statements)
    b = sub.add_parser("publish-bench")
    b.add_argument("--catalog", default="local")
    b.add_argument("--batches", type=int, default=8)
    b.add_argument("--articles", type=int, default=200)
    b.add_argument("--publishers", default="1,2,4")
    b.add_argument("--rounds", type=int, default=1)
    b.add_argument("--writer-threads", default="",
                   help="lake_writer_threads values to compare, e.g. 1,0 (0: one per core); default: the setting's")
    b.add_argument("--retry-wait-ms", default="",
                   help="lake_retry_wait_ms values to compare, e.g. 100,10; default: the setting's")
    b.add_argument("--pin-one", default="",
                   help="also one publisher and the catalog server on these cores only (e.g. 0, as taskset -c 0; "
                        "needs --catalog local): per-core scaling against 2 publishers on every core")
    b.set_defaults(func=publish_bench)
    q = sub.add_parser("query-bench")
    q.add_argument("--catalog", default="local")
    q.add_argument("--n", type=int, default=1_000_000)
    q.add_argument("--repeat", type=int, default=20)
    q.add_argument("--workdir", help="keep the file (and, with a --catalog server, not local, the lake) here and reuse them")
    q.set_defaults(func=query_bench)
    k = sub.add_parser("first-per-key")
    k.add_argument("--rows", type=int, default=10_000)
    k.add_argument("--repeated", type=float, default=0.01)
    k.add_argument("--repeat", type=int, default=9)
    k.set_defaults(func=first_per_key_cost)
    s = sub.add_parser("seeds")
    s.add_argument("--catalog", default="local")
    s.set_defaults(func=seeds)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    raise SystemExit(main())
