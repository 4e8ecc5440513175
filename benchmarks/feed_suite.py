"""Feed ingestion over feedparser's test suite (../shared/eval/feedparser), plus incremental timings.

    .venv/bin/python benchmarks/feed_suite.py            # read_feeds only (a few seconds)
    .venv/bin/python benchmarks/feed_suite.py --cli      # also run_pipeline and `newsmon run --feed`

Prints: files read, entries loaded, quarantined by reason, unexpected errors, crashes; how the
20 files the manifest expects to be malformed ("bozo") were handled; files with no outcome
(must be 0: each file yields entries or a quarantine row); then incremental timings: a second
run with nothing new, and a run after one new entry.
"""

from __future__ import annotations

import argparse
import json
import logging
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SUITE = ROOT.parent / "shared" / "eval" / "feedparser"
FIXTURE = ROOT / "tests" / "ingest" / "cases" / "feeds" / "local"

from pipeline.ingest.feeds import FeedSource, feed_source_from_arg, read_feeds  # noqa: E402
from pipeline.settings import load_settings  # noqa: E402


def suite_run(settings) -> dict:
    source = feed_source_from_arg(str(SUITE))
    now = datetime.now(UTC)
    started = time.perf_counter()
    crashes = 0
    try:
        out = read_feeds([source], settings, "bench-1", {}, now)
    except Exception as exc:  # noqa: BLE001 — a crash is what this benchmark counts
        crashes += 1
        print(f"CRASH: {exc!r}")
        raise
    first_s = time.perf_counter() - started
    names = {s.feed_name for s in out.feed_states}
    prefix = source.name + "/"
    with_docs = {d.feed_name for d in out.documents}
    with_quarantine = {json.loads(q.payload)["feed"] for q in out.quarantine}
    reasons = Counter(q.reason_code for q in out.quarantine)
    files_quarantined = Counter()
    for q in out.quarantine:
        if q.reason_code in {"feed_malformed", "feed_empty", "feed_unreadable", "fetch_failed",
                             "ingest_internal_error"}:
            files_quarantined[q.reason_code] += 1
    recovered = [s.feed_name for s in out.feed_states if s.last_status and "recovered" in s.last_status]

    manifest = json.loads((SUITE / "manifest.json").read_text(encoding="utf-8"))
    bozo_expected = {prefix + k for k, v in manifest.items() if v.get("bozo_expected")}
    by_outcome = Counter()
    feed_reason = {json.loads(q.payload)["feed"]: q.reason_code for q in out.quarantine
                   if q.reason_code.startswith("feed_")}
    for name in bozo_expected:
        if name in feed_reason:
            by_outcome[f"quarantined:{feed_reason[name]}"] += 1
        elif name in recovered:
            by_outcome["loaded with warning (recovered)"] += 1
        elif name in with_docs or name in with_quarantine:
            by_outcome["loaded, parser reported no problem"] += 1
        else:
            by_outcome["no outcome"] += 1

    states = {s.feed_name: s for s in out.feed_states}
    started = time.perf_counter()
    again = read_feeds([source], settings, "bench-2", states, now + timedelta(minutes=15))
    second_s = time.perf_counter() - started

    print(f"feedparser suite: {SUITE}")
    print(f"  files read              {len(names)}  (.xml {sum(n.endswith('.xml') for n in names)}, "
          f".json {sum(n.endswith('.json') for n in names)})")
    print(f"  files with documents    {len(with_docs)}")
    print(f"  entries loaded          {len(out.documents)}  "
          f"(content_origin: {dict(Counter(d.content_origin for d in out.documents))})")
    print(f"  quarantine rows         {len(out.quarantine)}  by reason: {dict(reasons.most_common())}")
    print(f"  files quarantined       {dict(files_quarantined.most_common())}")
    print(f"  loaded with a warning   {len(recovered)} (recoverable bozo, recorded in feed_state.last_status)")
    print(f"  files with no outcome   {len(names - with_docs - with_quarantine)}")
    malformed = sorted(n.removeprefix(prefix) for n, r in feed_reason.items() if r == "feed_malformed")
    print(f"  feed_malformed files    {malformed}")
    print(f"  unexpected errors       {reasons.get('ingest_internal_error', 0)}")
    print(f"  crashes                 {crashes}")
    print(f"  manifest bozo_expected  {len(bozo_expected)}: {dict(by_outcome.most_common())}")
    print(f"  time                    {first_s:.2f} s ({1000 * first_s / max(1, len(names)):.2f} ms/file)")
    print(f"  second run, nothing new {second_s:.2f} s: {len(again.documents)} documents, "
          f"{len(again.quarantine)} quarantine rows, statuses "
          f"{dict(Counter((s.last_status or '').split(':')[0] for s in again.feed_states))}")
    return {"files": len(names), "entries": len(out.documents), "reasons": dict(reasons), "crashes": crashes}


def incremental_read_feeds(settings) -> None:
    """The seed fixture feed (pages read locally): first run, no-change run, one-new-entry run."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "feed"
        shutil.copytree(FIXTURE, folder)
        feed = folder / "seeds.rss"
        source = FeedSource("bench-seeds", str(feed), fetch_pages=True)
        now = datetime.now(UTC)
        timings = []
        for label, mutate in (("first run", None), ("nothing new", None), ("one new entry", _add_entry)):
            if mutate:
                mutate(feed)
            states = {s.feed_name: s for s in getattr(incremental_read_feeds, "_last", [])}
            started = time.perf_counter()
            out = read_feeds([source], settings, f"inc-{label}", states, now)
            timings.append((label, time.perf_counter() - started, len(out.documents)))
            incremental_read_feeds._last = out.feed_states
        print("incremental, read_feeds on the seed fixture feed (pages read from disk):")
        for label, seconds, docs in timings:
            print(f"  {label:<15} {seconds * 1000:7.1f} ms  documents={docs}")


def _add_entry(feed: Path) -> None:
    """One new item linking a new local page (no network: the page sits beside the feed)."""
    (feed.parent / "pages" / "vienna.html").write_text(
        "<html><head><title>Talks resume in Vienna</title></head><body><article><h1>Talks resume in Vienna</h1>"
        "<p>Negotiators from the United States and Russia returned to Vienna on Friday for a new round of "
        "talks on security guarantees in Europe, officials said.</p><p>The delegations met for six hours "
        "and agreed to continue next week.</p></article></body></html>", encoding="utf-8")
    item = ("<item><title>Talks resume in Vienna</title><link>pages/vienna.html</link>"
            "<guid isPermaLink=\"false\">bench-new-1</guid><pubDate>Fri, 14 Jan 2022 10:00:00 +0100</pubDate>"
            "<description>Negotiators from the United States and Russia returned to Vienna on Friday "
            "for a new round of talks on security guarantees in Europe.</description></item>\n  ")
    text = feed.read_text(encoding="utf-8")
    feed.write_text(text.replace("<item>", item + "<item>", 1), encoding="utf-8")


def cli_runs() -> None:
    """`newsmon run --feed` end to end into a temporary warehouse: suite folder, then incremental."""
    newsmon = str(Path(sys.executable).parent / "newsmon")
    with tempfile.TemporaryDirectory() as tmp:
        env_args = ["--db", f"{tmp}/news.duckdb", "--reports", f"{tmp}/reports"]
        import os

        env = {**os.environ, "NEWSMON_STAGING_DIR": f"{tmp}/staging"}
        folder = Path(tmp) / "feed"
        shutil.copytree(FIXTURE, folder)
        feeds_file = Path(tmp) / "feeds.toml"
        feeds_file.write_text(f'[[feed]]\nname = "bench-seeds"\nurl = "{folder / "seeds.rss"}"\n', encoding="utf-8")
        runs = [("suite folder", [str(SUITE)], None), ("seed feed, first", [str(feeds_file)], None),
                ("seed feed, nothing new", [str(feeds_file)], None),
                ("seed feed, one new entry", [str(feeds_file)], lambda: _add_entry(folder / "seeds.rss"))]
        for label, feeds, before in runs:
            if before:
                before()
            cmd = [newsmon, "run", "--quiet", *env_args] + [a for f in feeds for a in ("--feed", f)]
            started = time.perf_counter()
            proc = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=3000)
            seconds = time.perf_counter() - started
            print(f"newsmon run --feed ({label}): exit {proc.returncode}, {seconds:.1f} s")
            print("    " + (proc.stdout.strip() or proc.stderr.strip()[-1500:]).replace("\n", "\n    "))


def pipeline_runs() -> None:
    """The same incremental sequence in one process through pipeline.flow.run_pipeline, with
    each step's seconds: separates the work from import/start-up costs that the CLI pays."""
    from pipeline.flow import run_pipeline

    with tempfile.TemporaryDirectory() as tmp:
        settings = load_settings(env={"NEWSMON_CONFIG": ""}, db_path=Path(tmp) / "news.duckdb",
                                 staging_dir=Path(tmp) / "staging", reports_dir=Path(tmp) / "reports")
        folder = Path(tmp) / "feed"
        shutil.copytree(FIXTURE, folder)
        feed = str(folder / "seeds.rss")
        # `--feed PATH` reads local feeds offline (no pages): use a feeds file to read the pages.
        feeds_file = Path(tmp) / "feeds.toml"
        feeds_file.write_text(f'[[feed]]\nname = "bench-seeds"\nurl = "{feed}"\n', encoding="utf-8")
        print("incremental, in-process run_pipeline (seconds per step; quality = GX suites + reports):")
        for label, before in (("first run", None), ("nothing new", None), ("one new entry", _add_entry)):
            if before:
                before(folder / "seeds.rss")
            started = time.perf_counter()
            summary = run_pipeline([], [str(feeds_file)], settings, trigger="bench")
            total = time.perf_counter() - started
            work = sum(v for k, v in summary.seconds.items() if k != "quality")
            print(f"  {label:<15} total {total:6.2f} s, steps without quality {work:5.2f} s, "
                  f"documents={summary.documents} articles={summary.articles}  {summary.seconds}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cli", action="store_true", help="also run `newsmon run --feed` end to end")
    args = parser.parse_args()
    if not SUITE.is_dir():
        print(f"skipped: {SUITE} is absent (the shared evaluation data is not on this machine)")
        return 0
    logging.basicConfig(level=logging.ERROR)
    with tempfile.TemporaryDirectory() as tmp:
        settings = load_settings(env={"NEWSMON_CONFIG": ""}, db_path=Path(tmp) / "news.duckdb",
                                 staging_dir=Path(tmp) / "staging", reports_dir=Path(tmp) / "reports")
        suite_run(settings)
        incremental_read_feeds(settings)
    if args.cli:
        pipeline_runs()
        cli_runs()
    return 0


if __name__ == "__main__":
    sys.exit(main())
