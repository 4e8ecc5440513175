"""WARC backfill: build a web archive from local pages, load it with `newsmon run`, print time
and peak memory.

The archive is written into a temporary folder (never into the project) from the evaluation
pages in ../shared/eval/trafilatura/html: each page is one `request` + `response` pair with its
own URL and a capture time; `--recaptures N` captures every Nth page a second time a day later
(a re-crawl: the same URL, new bytes), and `--target-mb` repeats the pages under new URLs until
the archive reaches that size (for the bounded-memory check of a large archive).

    .venv/bin/python benchmarks/warc_backfill.py                      # full pipeline, ~1,100 captures
    .venv/bin/python benchmarks/warc_backfill.py --dag                # as the news_backfill DAG loads it
    .venv/bin/python benchmarks/warc_backfill.py --target-mb 1024 --ingest-only   # 1 GB, reading only
    .venv/bin/python benchmarks/warc_backfill.py --warc big.warc.gz --ingest-only --dag --batch 1000

Peak memory is the process's own maximum RSS and, separately, the largest of its forked
workers' (ru_maxrss of RUSAGE_SELF and RUSAGE_CHILDREN).
"""

from __future__ import annotations

import argparse
import io
import json
import resource
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import quote

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))
DATA_DIR = PROJECT_ROOT.parent / "shared" / "eval" / "trafilatura"


def build_warc(out: Path, data_dir: Path = DATA_DIR, recaptures: int = 10, target_mb: float = 0.0) -> dict:
    """Write the archive; return what it holds."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    entries = json.loads((data_dir / "evaldata_full.json").read_text(encoding="utf-8"))
    names = sorted(entries)
    start = datetime(2024, 3, 1, 6, 0, tzinfo=UTC)
    counts = {"records": 0, "responses": 0}
    with out.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)

        def capture(url: str, payload: bytes, when: datetime) -> None:
            stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ")
            request = StatusAndHeaders(f"GET {url} HTTP/1.1", [("User-Agent", "newsmon-bench")],
                                       is_http_request=True)
            writer.write_record(writer.create_warc_record(url, "request", payload=io.BytesIO(b""),
                                                          http_headers=request,
                                                          warc_headers_dict={"WARC-Date": stamp}))
            response = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(payload),
                                                          http_headers=response,
                                                          warc_headers_dict={"WARC-Date": stamp}))
            counts["records"] += 2
            counts["responses"] += 1

        round_ = 0
        while True:
            for i, name in enumerate(names):
                # Percent-encoded, as crawlers record them (HTTP request lines are ASCII).
                url = entries[name].get("url") or ""
                if not url.startswith(("http://", "https://")):  # a few eval entries name no web URL
                    url = f"https://pages.example/{name}"
                url = quote(url, safe=":/?&=%#@+,;~!$'()*[]")
                if round_:
                    url = f"{url}{'&' if '?' in url else '?'}copy={round_}"
                payload = (data_dir / "html" / name).read_bytes()
                when = start + timedelta(minutes=i, days=round_)
                capture(url, payload, when)
                if not round_ and recaptures and i % recaptures == 0:
                    capture(url, payload.replace(b"</body>", b"<p>Updated.</p></body>", 1), when + timedelta(days=1))
            round_ += 1
            if not target_mb or fh.tell() >= target_mb * (1 << 20):
                break
    counts["bytes"] = out.stat().st_size
    return counts


def _peak_mib() -> tuple[float, float]:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own, children


def ingest_only(warc: Path) -> dict:
    """Stream every record through the reader, keeping nothing: the reading path's own cost."""
    from pipeline.ingest.archives import read_warc
    from pipeline.settings import Settings

    settings = Settings()
    docs = quarantined = 0
    chars = 0
    for doc, item in read_warc(warc, settings, "bench"):
        docs += 1
        quarantined += item is not None
        chars += len(doc.raw_text or "")
    return {"documents": docs, "quarantined": quarantined, "characters": chars}


def ingest_as_dag(warc: Path, root: Path, batch: int) -> dict:
    """The news_backfill DAG's plan, then each slice's ingest step as its load task runs it
    (documents written to staging, which is dropped after each slice: the later steps are
    measured by the full backfill, at ~1 document a second)."""
    import shutil

    from pipeline.flow import ingest_step, plan_batches, start_run
    from pipeline.settings import load_settings
    from pipeline.staging import run_dir

    settings = load_settings(env={"NEWSMON_CONFIG": ""}, db_path=root / "news.duckdb",
                             reports_dir=root / "reports", staging_dir=root / "staging",
                             run_batch_documents=batch)
    started = time.perf_counter()
    batches = plan_batches([str(warc)], settings).batches
    planned = time.perf_counter() - started
    totals = {"runs": 0, "documents": 0, "quarantined": 0, "plan_seconds": round(planned, 1)}
    for number, inputs in enumerate(batches):
        run_id = start_run("bench-dag", settings, run_id=f"bench-dag-{number}")
        stats = ingest_step(run_id, inputs, [], settings)
        shutil.rmtree(run_dir(settings.staging_dir, run_id), ignore_errors=True)
        totals["runs"] += 1
        totals["documents"] += stats["documents"]
        totals["quarantined"] += stats["quarantined"]
    return totals


def backfill(warc: Path, root: Path, batch: int) -> dict:
    from pipeline.flow import run_pipeline
    from pipeline.settings import load_settings

    settings = load_settings(env={"NEWSMON_CONFIG": ""}, db_path=root / "news.duckdb",
                             reports_dir=root / "reports", staging_dir=root / "staging",
                             run_batch_documents=batch)
    summary = run_pipeline([str(warc)], [], settings, trigger="bench", run_quality=False)
    return {"runs": summary.runs, "documents": summary.documents, "articles": summary.articles,
            "duplicates": summary.duplicates, "quarantined": summary.quarantined,
            "seconds_by_step": summary.seconds}


def backfill_as_dag(warc: Path, root: Path, batch: int) -> dict:
    """What the news_backfill DAG's tasks call: the plan, then one `run_batch` per mapped task."""
    from pipeline.flow import plan_batches, run_batch
    from pipeline.settings import load_settings

    settings = load_settings(env={"NEWSMON_CONFIG": ""}, db_path=root / "news.duckdb",
                             reports_dir=root / "reports", staging_dir=root / "staging",
                             run_batch_documents=batch)
    totals: dict = {"runs": 0, "documents": 0, "articles": 0, "duplicates": 0, "quarantined": 0,
                    "seconds_by_step": {}}
    for number, inputs in enumerate(plan_batches([str(warc)], settings).batches):
        done = run_batch(inputs, settings, trigger="bench-dag", run_id=f"bench-dag-{number}")
        totals["runs"] += 1
        for key in ("documents", "articles", "duplicates", "quarantined"):
            totals[key] += done[key]
        for step, seconds in done["seconds"].items():
            totals["seconds_by_step"][step] = round(totals["seconds_by_step"].get(step, 0.0) + seconds, 3)
    return totals


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA_DIR)
    parser.add_argument("--recaptures", type=int, default=10, help="re-capture every Nth page a day later")
    parser.add_argument("--target-mb", type=float, default=0.0, help="repeat pages until the WARC is this big")
    parser.add_argument("--batch", type=int, default=500, help="records per run (run_batch_documents)")
    parser.add_argument("--ingest-only", action="store_true", help="only stream the records through ingest")
    parser.add_argument("--dag", action="store_true",
                        help="load as the news_backfill DAG's tasks do (plan_batches, then run_batch each)")
    parser.add_argument("--keep", type=Path, help="write the WARC and warehouse here instead of a temp dir")
    parser.add_argument("--warc", type=Path, help="use this WARC instead of building one")
    args = parser.parse_args(argv)
    if not (args.data / "evaldata_full.json").is_file():
        print(f"no evaluation pages at {args.data}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="newsmon-warc-") as tmp:
        root = args.keep or Path(tmp)
        root.mkdir(parents=True, exist_ok=True)
        warc = args.warc or root / "backfill.warc.gz"
        if args.warc:
            print(f"WARC {warc} ({warc.stat().st_size / (1 << 20):,.1f} MiB)")
        else:
            started = time.perf_counter()
            held = build_warc(warc, args.data, args.recaptures, args.target_mb)
            built = time.perf_counter() - started
            print(f"WARC {held['bytes'] / (1 << 20):,.1f} MiB: {held['records']:,} records, "
                  f"{held['responses']:,} HTML captures (built in {built:.1f}s)")
        before = _peak_mib()
        started = time.perf_counter()
        if args.ingest_only and args.dag:
            result, label = ingest_as_dag(warc, root / "warehouse", args.batch), \
                f"news_backfill plan + ingest per slice, {args.batch} records a slice"
        elif args.ingest_only:
            result, label = ingest_only(warc), "ingest only"
        elif args.dag:
            result, label = backfill_as_dag(warc, root / "warehouse", args.batch), \
                f"news_backfill tasks, {args.batch} records a run"
        else:
            result, label = backfill(warc, root / "warehouse", args.batch), f"newsmon run, {args.batch} records a run"
        seconds = time.perf_counter() - started
        own, children = _peak_mib()
        per_s = result["documents"] / seconds if seconds else 0.0
        print(label +
              f": {seconds:,.1f}s, {result['documents']:,} documents ({per_s:,.1f}/s)")
        print("  " + ", ".join(f"{k} {v}" for k, v in result.items() if k != "documents"))
        print(f"  peak RSS: this process {own:,.0f} MiB (before the run: {before[0]:,.0f}), "
              f"largest worker {children:,.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
