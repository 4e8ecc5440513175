"""A nothing-new rerun over a big folder, without first running the pipeline over it.

    .venv/bin/python benchmarks/rerun_bench.py [--n 100000] [--repeat 5]

Builds a corpus of N files (benchmarks/corpus.py) and a warehouse whose documents table
already holds every one of them (path, size, mtime: what the unchanged-file check reads;
a rerun with nothing new reads no other history). Then times `run_pipeline` over the
folder --repeat times and prints the median: what a scheduled run costs when nothing
arrived. Minutes instead of the hour a real 100k warehouse takes to build.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    import pyarrow as pa

    from benchmarks.corpus import build
    from pipeline.flow import run_pipeline
    from pipeline.load.warehouse import Warehouse
    from pipeline.settings import load_settings

    tmp = Path(tempfile.mkdtemp(prefix="newsmon-rerun-"))
    try:
        build(tmp / "corpus", args.n, language="en")
        settings = load_settings(env={}, db_path=tmp / "news.duckdb", staging_dir=tmp / "staging",
                                 reports_dir=tmp / "reports")
        files = sorted((tmp / "corpus").iterdir())
        stats = [f.stat() for f in files]
        known = pa.table({"doc_id": [f"d{i}" for i in range(len(files))],
                          "source_uri": [str(f.resolve()) for f in files],
                          "source_size": [s.st_size for s in stats],
                          "source_mtime_ns": [s.st_mtime_ns for s in stats]})
        with Warehouse(settings) as wh:
            wh.con.register("known", known)
            wh.con.execute("INSERT INTO documents (doc_id, source_kind, source_uri, fetched_at, raw_sha256, status, "
                           "source_size, source_mtime_ns) SELECT doc_id, 'file', source_uri, now()::TIMESTAMP, "
                           "'-', 'ok', source_size, source_mtime_ns FROM known")
        times = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            summary = run_pipeline([str(tmp / "corpus")], [], settings, trigger="bench")
            times.append(time.perf_counter() - started)
        print(f"{args.n:,} files, nothing new: median {statistics.median(times):.2f}s over {args.repeat} runs "
              f"({', '.join(f'{t:.2f}' for t in times)}); documents read {summary.documents}, "
              f"skipped {summary.skipped_known}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
