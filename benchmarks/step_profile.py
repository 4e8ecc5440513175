"""Wall-clock profile of one pipeline step on one batch (pyinstrument, this process only).

    .venv/bin/python benchmarks/step_profile.py --n 2000 --step extract [--language en]

Builds a corpus (benchmarks/corpus.py), runs the steps before ``--step`` as one run with its
staging kept, times each step, then runs ``--step`` again on the same staged input under
pyinstrument and prints the call tree. Time spent waiting for forked workers shows as
``Pending.result`` (pipeline.executor): what the parent does besides waiting is the part that holds the cores' work up.
Workers are profiled with py-spy instead (see benchmarks/profile_summary.py).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.corpus import build  # noqa: E402

STEPS = ["ingest", "clean", "dedup", "extract", "validate", "publish"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--step", choices=STEPS[1:], default="extract")
    parser.add_argument("--language")
    parser.add_argument("--depth", type=int, default=40, help="pyinstrument tree lines to show")
    args = parser.parse_args()

    from pyinstrument import Profiler

    from pipeline import flow
    from pipeline.settings import load_settings

    tmp = Path(tempfile.mkdtemp(prefix="newsmon-step-"))
    corpus = build(tmp / "corpus", args.n, language=args.language)
    settings = load_settings(env={}, db_path=tmp / "news.duckdb", staging_dir=tmp / "staging",
                             reports_dir=tmp / "reports", keep_staging=True)
    run_id = flow.start_run("profile", settings)
    calls = {
        "ingest": lambda: flow.ingest_step(run_id, [str(corpus.folder)], [], settings),
        "clean": lambda: flow.clean_step(run_id, settings),
        "dedup": lambda: flow.dedup_step(run_id, settings),
        "extract": lambda: flow.extract_step(run_id, settings),
        "validate": lambda: flow.validate_step(run_id, settings),
        "publish": lambda: flow.publish_step(run_id, settings),
    }
    for step in STEPS[:STEPS.index(args.step) + 1]:
        started = time.perf_counter()
        calls[step]()
        print(f"{step:<9} {time.perf_counter() - started:7.2f}s", flush=True)
    profiler = Profiler(interval=0.005)
    profiler.start()
    started = time.perf_counter()
    calls[args.step]()
    seconds = time.perf_counter() - started
    profiler.stop()
    print(f"\n{args.step} again under pyinstrument: {seconds:.2f}s")
    text = profiler.output_text(unicode=False, color=False, show_all=False)
    print("\n".join(text.splitlines()[: args.depth]))


if __name__ == "__main__":
    main()
