"""Freshness: from an item's publication on a feed to its warehouse row and to its alert.

    .venv/bin/python benchmarks/freshness.py [--minutes 10] [--items 20] [--tail 6] [--keep DIR]

- A feed server on 127.0.0.1 publishes --items articles at random moments over --minutes
  (an RSS feed that lists what is published so far, with ETag / conditional GET, and one
  HTML page per article; article text from the benchmark paragraph pool, so each item is
  new to dedup).
- Airflow runs for real (`airflow standalone`: scheduler, DAG processor, API server,
  triggerer; LocalExecutor) in its own AIRFLOW_HOME with this project's DAGs; `news_feeds`
  every minute (NEWSMON_FEED_INTERVAL_MINUTES=1) over a feeds file holding the local feed
  (fetch_pages, conditional GET as configured), `news_alerts` and `news_quality` on the
  warehouse Asset. A watch (`title:freshness`) delivers to a webhook on 127.0.0.1.
- After the last item and --tail minutes, Airflow is stopped and the timings are read:
  publication (the server's clock), the feed request that first listed the item, the page
  fetch, the Airflow task instances of the news_feeds run that loaded it (from Airflow's
  metadata DB), its `pipeline_runs.finished_at` (the row is in the warehouse), the
  news_alerts run after it, and the webhook's receipt.

Prints p50/p95 to the warehouse and to the alert, and the median of each part. Nothing is
asserted. Expensive: ~15 minutes of a 2-core machine.
"""

from __future__ import annotations

import argparse
import hashlib
import html
import json
import os
import random
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
AIRFLOW = str(Path(sys.executable).parent / "airflow")
TASKS = ["start", "ingest", "clean", "dedup", "extract", "validate", "publish"]
ALERT_TASKS = ["index", "evaluate", "deliver"]  # "index" in runs before it joined evaluate


class Site:
    """The feed and its pages; records when each item was first listed and first fetched."""

    def __init__(self, items: list[dict]):
        self.items = items
        self.lock = threading.Lock()
        self.first_listed: dict[int, float] = {}
        self.page_fetched: dict[int, float] = {}
        self.feed_requests = 0
        self.not_modified = 0

    def published(self, now: float) -> list[dict]:
        return [i for i in self.items if i["at"] <= now]

    def rss(self, now: float) -> str:
        entries = []
        for item in sorted(self.published(now), key=lambda i: -i["at"])[:50]:
            when = format_datetime(datetime.fromtimestamp(item["at"], UTC))
            entries.append(f"<item><title>{html.escape(item['title'])}</title><link>{item['url']}</link>"
                           f"<guid>{item['url']}</guid><pubDate>{when}</pubDate>"
                           f"<description>{html.escape(item['text'][:200])}</description></item>")
        return ('<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Freshness wire</title>'
                f"<link>http://127.0.0.1/</link><description>bench</description>{''.join(entries)}</channel></rss>")


def serve(site: Site) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            now = time.time()
            if self.path.startswith("/feed.rss"):
                body = site.rss(now).encode()
                etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
                with site.lock:
                    site.feed_requests += 1
                    if self.headers.get("If-None-Match") == etag:
                        site.not_modified += 1
                        self.send_response(304)
                        self.end_headers()
                        return
                    for item in site.published(now):
                        site.first_listed.setdefault(item["n"], now)
                self._send(body, "application/rss+xml", etag)
                return
            if self.path.startswith("/a/"):
                n = int(self.path.split("/")[2].split(".")[0])
                item = site.items[n]
                with site.lock:
                    site.page_fetched.setdefault(n, now)
                paragraphs = "".join(f"<p>{html.escape(p)}</p>" for p in item["text"].split("\n\n"))
                page = (f"<html><head><title>{html.escape(item['title'])}</title>"
                        f'<meta property="article:published_time" content="{datetime.fromtimestamp(item["at"], UTC).isoformat()}">'
                        f"</head><body><article><h1>{html.escape(item['title'])}</h1>{paragraphs}</article></body></html>")
                self._send(page.encode(), "text/html; charset=utf-8", None)
                return
            self.send_response(404)
            self.end_headers()

        def _send(self, body: bytes, kind: str, etag: str | None) -> None:
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            if etag:
                self.send_header("ETag", etag)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def webhook(received: dict[str, float]) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802
            body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
            title = body.get("title", "")
            if "Freshness probe " in title:
                n = int(title.split("Freshness probe ", 1)[1].split(":", 1)[0])
                received.setdefault(n, time.time())
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def make_items(n: int, minutes: float, start: float, port: int, seed: int) -> list[dict]:
    from corpus import paragraph_pool

    rng = random.Random(seed)
    pool = [p for p in paragraph_pool() if 40 <= len(p.split()) <= 150 and p.isascii()]
    moments = sorted(start + rng.uniform(0, minutes * 60) for _ in range(n))
    items = []
    for k, at in enumerate(moments):
        text = "\n\n".join(rng.sample(pool, 4))
        title = f"Freshness probe {k}: " + " ".join(text.split()[:6])
        items.append({"n": k, "at": at, "title": title, "text": text, "url": f"http://127.0.0.1:{port}/a/{k}.html"})
    return items


def _ts(value) -> float | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.timestamp()


def airflow_runs(home: Path, dag_id: str, tasks: list[str]) -> list[dict]:
    con = sqlite3.connect(str(home / "airflow.db"))
    try:
        runs = con.execute("SELECT run_id, queued_at, start_date, end_date, state FROM dag_run WHERE dag_id = ? "
                           "ORDER BY start_date", [dag_id]).fetchall()
        out = []
        for run_id, queued, started, ended, state in runs:
            ti = {t: (_ts(s), _ts(e)) for t, s, e in con.execute(
                "SELECT task_id, start_date, end_date FROM task_instance WHERE dag_id = ? AND run_id = ?",
                [dag_id, run_id]).fetchall()}
            out.append({"run_id": run_id, "queued": _ts(queued), "start": _ts(started), "end": _ts(ended),
                        "state": state, "tasks": {t: ti.get(t, (None, None)) for t in tasks}})
        return out
    finally:
        con.close()


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--items", type=int, default=20)
    parser.add_argument("--tail", type=float, default=6.0, help="minutes to wait after the last item")
    parser.add_argument("--warmup", type=float, default=2.0, help="minutes for Airflow to start before publishing")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--keep", type=Path)
    parser.add_argument("--report", type=Path, help="only print the report of a kept run's folder")
    args = parser.parse_args(argv)
    if args.report:
        report_only(args.report)
        return 0
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # a kill still stops Airflow (finally below)

    folder = args.keep or Path(tempfile.mkdtemp(prefix="newsmon-freshness-"))
    folder.mkdir(parents=True, exist_ok=True)
    home = folder / "airflow"
    received: dict[int, float] = {}
    hook = webhook(received)
    site = Site([])
    server = serve(site)
    port = server.server_address[1]
    (folder / "feeds.toml").write_text(
        f'[[feed]]\nname = "freshness-wire"\nurl = "http://127.0.0.1:{port}/feed.rss"\nfetch_pages = true\n',
        encoding="utf-8")
    (folder / "watchlists.toml").write_text(
        f'[[watch]]\nname = "freshness"\nquery = "title:freshness"\n'
        f'deliver = ["json://127.0.0.1:{hook.server_address[1]}/hook"]\n', encoding="utf-8")
    api_port = _free_port()
    env = {**os.environ,
           "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",  # standalone runs `airflow`
           "AIRFLOW_HOME": str(home),
           "AIRFLOW__CORE__DAGS_FOLDER": str(ROOT / "dags"),
           "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
           "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "False",
           "AIRFLOW__CORE__PARALLELISM": "4",
           "AIRFLOW__CORE__MAX_ACTIVE_TASKS_PER_DAG": "2",
           "AIRFLOW__LOGGING__LOGGING_LEVEL": "WARNING",
           "AIRFLOW__API__PORT": str(api_port),
           "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"http://127.0.0.1:{api_port}/execution/",
           "NEWSMON_DB_PATH": str(folder / "news.duckdb"),
           "NEWSMON_STAGING_DIR": str(folder / "staging"),
           "NEWSMON_REPORTS_DIR": str(folder / "reports"),
           "NEWSMON_FEEDS_FILE": str(folder / "feeds.toml"),
           "NEWSMON_WATCHLISTS_FILE": str(folder / "watchlists.toml"),
           "NEWSMON_FEED_INTERVAL_MINUTES": "1"}
    for cmd in (["db", "migrate"], ["pools", "set", "duckdb_writer", "1", "DuckDB has one writer"]):
        subprocess.run([AIRFLOW, *cmd], env=env, check=True, capture_output=True, timeout=600)
    log = open(folder / "airflow.log", "w")  # noqa: SIM115 (open for the subprocess's life)
    airflow = subprocess.Popen([AIRFLOW, "standalone"], env=env, stdout=log, stderr=subprocess.STDOUT,
                               start_new_session=True)
    started = time.time()
    print(f"airflow standalone started (pid {airflow.pid}); warming up {args.warmup:.0f} min", flush=True)
    try:
        time.sleep(args.warmup * 60)
        t0 = time.time()
        site.items = make_items(args.items, args.minutes, t0, port, args.seed)
        print(f"publishing {args.items} items over {args.minutes:.0f} min from {datetime.fromtimestamp(t0, UTC):%H:%M:%S} UTC",
              flush=True)
        end = max(i["at"] for i in site.items) + args.tail * 60
        while time.time() < end:
            if len(received) == args.items and time.time() > max(i["at"] for i in site.items) + 60:
                break
            time.sleep(5)
    finally:
        os.killpg(airflow.pid, signal.SIGTERM)
        try:
            airflow.wait(timeout=90)
        except subprocess.TimeoutExpired:
            os.killpg(airflow.pid, signal.SIGKILL)
        log.close()
        server.shutdown()
        hook.shutdown()
    print(f"airflow ran {time.time() - started:.0f}s; feed requests {site.feed_requests} "
          f"({site.not_modified} answered 304)", flush=True)
    (folder / "run.json").write_text(json.dumps({"items": site.items, "first_listed": site.first_listed,
                                                 "page_fetched": site.page_fetched, "received": received}),
                                     encoding="utf-8")
    report(folder, home, site, received)
    if not args.keep:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def report(folder: Path, home: Path, site: Site, received: dict[int, float]) -> None:
    feeds = airflow_runs(home, "news_feeds", TASKS)
    alerts = airflow_runs(home, "news_alerts", ALERT_TASKS)
    by_run = {_safe(r["run_id"]): r for r in feeds}  # newsmon's run id is Airflow's, made file-safe
    with _open_when_free(folder / "news.duckdb") as con:
        loaded = {url: (run_id, _ts(finished)) for url, run_id, finished in con.execute(
            "SELECT d.url, a.run_id, r.finished_at FROM articles a JOIN documents d USING (doc_id) "
            "JOIN pipeline_runs r ON r.run_id = a.run_id").fetchall()}
        model_runs = con.execute("SELECT count(*) FROM pipeline_runs").fetchone()[0]
    to_wh, to_alert = [], []
    parts: dict[str, list[float]] = {}

    def part(name: str, value: float | None) -> None:
        if value is not None:
            parts.setdefault(name, []).append(value)

    missing = []
    for item in site.items:
        hit = loaded.get(item["url"])
        if hit is None:
            missing.append(item["n"])
            continue
        run_id, finished = hit
        to_wh.append(finished - item["at"])
        if item["n"] in received:
            to_alert.append(received[item["n"]] - item["at"])
        run = by_run.get(run_id)
        if run is None:
            continue
        t = run["tasks"]
        part("wait for the poll (publication -> run queued)", (run["queued"] or run["start"]) - item["at"])
        part("run queued -> start task running", (t["start"][0] or 0) - (run["queued"] or run["start"]))
        prev_end = None
        for name in TASKS:
            s, e = t[name]
            if s is None or e is None:
                continue
            if prev_end is not None:
                part(f"  gap before {name}", s - prev_end)
            part(f"  {name}", e - s)
            prev_end = e
        # Negative: the run's row is stamped in the load's transaction, before the task ends.
        part("publish task end -> pipeline_runs.finished_at", finished - (t["publish"][1] or finished))
        after = next((a for a in alerts if a["queued"] and a["queued"] >= (t["publish"][0] or 0)), None)
        if after and item["n"] in received:
            part("publish end -> news_alerts queued (Asset)", after["queued"] - (t["publish"][1] or after["queued"]))
            prev_end = after["queued"]
            for name in ALERT_TASKS:
                s, e = after["tasks"][name]
                if s is None or e is None:
                    continue
                part(f"  alerts gap before {name}", s - prev_end)
                part(f"  alerts {name}", e - s)
                prev_end = e
            part("deliver task end -> webhook received (inside it)", received[item["n"]] - prev_end)
    print(f"\nitems {len(site.items)}; in the warehouse {len(to_wh)}; alerted {len(to_alert)}; "
          f"news_feeds runs {len(feeds)} ({sum(r['state'] == 'success' for r in feeds)} succeeded), "
          f"news_alerts runs {len(alerts)}; pipeline runs {model_runs}"
          + (f"; never loaded: {missing}" if missing else ""))
    if to_wh:
        print(f"publication -> warehouse row: p50 {statistics.median(to_wh):6.1f}s  p95 {pct(to_wh, 95):6.1f}s  "
              f"max {max(to_wh):6.1f}s  (target p95 <= 120 s)")
    if to_alert:
        print(f"publication -> alert delivered: p50 {statistics.median(to_alert):6.1f}s  p95 {pct(to_alert, 95):6.1f}s  "
              f"max {max(to_alert):6.1f}s  (target p95 <= 150 s)")
    print("\nbreakdown (median seconds over items; p95 beside):")
    for name, values in parts.items():
        print(f"  {name:<48} {statistics.median(values):7.1f}  {pct(values, 95):7.1f}")


def _open_when_free(path: Path, seconds: float = 120.0) -> duckdb.DuckDBPyConnection:
    """The warehouse, once the last task process Airflow left running has let go of it."""
    deadline = time.time() + seconds
    while True:
        try:
            return duckdb.connect(str(path), read_only=True)
        except duckdb.IOException:
            if time.time() > deadline:
                raise
            time.sleep(2)


def report_only(folder: Path) -> None:
    saved = json.loads((folder / "run.json").read_text(encoding="utf-8"))
    site = Site(saved["items"])
    site.first_listed = {int(k): v for k, v in saved["first_listed"].items()}
    site.page_fetched = {int(k): v for k, v in saved["page_fetched"].items()}
    report(folder, folder / "airflow", site, {int(k): v for k, v in saved["received"].items()})


def _safe(run_id: str) -> str:
    return "".join(c if c.isalnum() or c in "-_.T" else "_" for c in run_id)


if __name__ == "__main__":
    sys.exit(main())
