"""The clean stage in one process vs forked workers, side by side on one corpus.

    .venv/bin/python benchmarks/clean_parallel.py [--n 400] [--repeat 2]

Builds the pipeline-bench corpus (benchmarks/corpus.py), reads it, then times
`clean_documents` on the in-process executor and on two forked workers alternately and prints the medians and
their ratio. The first call warms imports and the language model and is not counted.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.corpus import build  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=400)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    from pipeline.clean import clean_documents
    from pipeline.executor import executor_for
    from pipeline.ingest.files import read_inputs
    from pipeline.settings import load_settings

    with tempfile.TemporaryDirectory() as d:
        root = Path(d)
        build(root / "corpus", args.n)
        settings = load_settings(env={}, staging_dir=root / "staging", db_path=root / "news.duckdb")
        docs = read_inputs([str(root / "corpus")], settings, "bench").documents
        clean_documents(docs, settings, "bench")  # warm-up
        seconds: dict[int, list[float]] = {1: [], 2: []}
        for _ in range(args.repeat):
            for processes in (1, 2):
                started = time.perf_counter()
                clean_documents(docs, settings, "bench", executor=executor_for("fork", processes))
                seconds[processes].append(time.perf_counter() - started)
    one, two = statistics.median(seconds[1]), statistics.median(seconds[2])
    print(f"{len(docs)} documents: 1 process {one:.2f}s, 2 processes {two:.2f}s (medians of {args.repeat}); "
          f"speed-up {one / two:.2f}x")


if __name__ == "__main__":
    main()
