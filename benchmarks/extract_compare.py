"""The extract step alone on one staged batch, in any tree: CPU seconds and a content hash of
what it wrote, to compare two trees' extract (before/after) on the same input.

    .venv/bin/python benchmarks/extract_compare.py prepare DIR --n 2000 [--language en]
    /tree/.venv/bin/python benchmarks/extract_compare.py run DIR --tree /tree [--executor none|auto|forkserver]

``prepare`` builds a corpus (benchmarks/corpus.py) and runs ingest, clean and dedup into DIR
with the staging kept; ``run`` runs ``extract_step`` of the code in ``--tree`` on it (again and
again: extract only rewrites its own files) and prints one JSON line: wall and CPU seconds
(this process and its reaped workers), the step's counts, and per output table its rows and a
hash of its sorted rows. Equal hashes: the two trees extracted the same.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import time
from pathlib import Path
from typing import Any  # argparse names no public type for what add_subparsers returns

ROOT = Path(__file__).resolve().parents[1]
TABLES = ("entities", "mentions", "entity_aliases", "events", "event_mentions", "articles")


def staged_settings(folder: Path, **overrides):
    """Settings whose warehouse, staging (kept) and reports live in ``folder``: a batch
    ``prepare`` staged there, read again by the scripts that measure its extract step."""
    from pipeline.settings import load_settings

    return load_settings(env={}, db_path=folder / "news.duckdb", staging_dir=folder / "staging",
                         reports_dir=folder / "reports", keep_staging=True, **overrides)


def prepare(folder: Path, n: int, language: str | None, steps: tuple[str, ...] = ("ingest", "clean", "dedup"),
            run_name: str = "extract-compare") -> None:
    """A corpus (benchmarks/corpus.py) built into ``folder`` and run through ``steps`` there, the
    staging kept: the batch the next step is measured on (``clean_compare.py`` stops at ingest)."""
    sys.path.insert(0, str(ROOT))
    from benchmarks.corpus import build
    from pipeline import flow

    folder.mkdir(parents=True, exist_ok=True)
    corpus = build(folder / "corpus", n, language=language)
    print(f"{corpus.html_files} web pages of {len(corpus.files)} files")
    settings = staged_settings(folder)
    run_id = flow.start_run(run_name, settings)
    calls = {"ingest": lambda: flow.ingest_step(run_id, [str(corpus.folder)], [], settings),
             "clean": lambda: flow.clean_step(run_id, settings),
             "dedup": lambda: flow.dedup_step(run_id, settings)}
    for name in steps:
        started = time.perf_counter()
        calls[name]()
        print(f"{name:<7} {time.perf_counter() - started:7.2f}s", flush=True)
    (folder / "run_id").write_text(run_id, encoding="utf-8")


def run(folder: Path, tree: Path, executor: str) -> None:
    sys.path.insert(0, str(tree))
    os.chdir(tree)
    import pyarrow.parquet as pq

    from pipeline import flow
    from pipeline.staging import run_dir

    settings = staged_settings(folder, executor=executor)
    run_id = (folder / "run_id").read_text(encoding="utf-8").strip()
    before, started = os.times(), time.perf_counter()
    stats = flow.extract_step(run_id, settings)
    wall, after = time.perf_counter() - started, os.times()
    cpu = sum(getattr(after, f) - getattr(before, f) for f in ("user", "system", "children_user", "children_system"))
    digest = {}
    for name in TABLES:
        rows = sorted(json.dumps(r, sort_keys=True, default=str)
                      for r in pq.read_table(run_dir(settings.staging_dir, run_id) / f"{name}.parquet").to_pylist())
        digest[name] = [len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest()[:16]]
    print(json.dumps({"tree": str(tree), "executor": executor, "wall": round(wall, 2), "cpu": round(cpu, 2),
                      "stats": stats, "digest": digest}))


def add_batch_commands(sub: Any, executor: str) -> argparse.ArgumentParser:
    """The ``prepare DIR`` and ``run DIR`` commands a step-alone benchmark shares (this one,
    ``clean_compare.py``); the ``run`` parser, for options of the caller's own."""
    prep = sub.add_parser("prepare")
    prep.add_argument("folder", type=Path)
    prep.add_argument("--n", type=int, default=2000)
    prep.add_argument("--language")
    go = sub.add_parser("run")
    go.add_argument("folder", type=Path)
    go.add_argument("--tree", type=Path, default=ROOT)
    go.add_argument("--executor", default=executor, choices=["auto", "none", "fork", "forkserver", "spawn"])
    return go


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    add_batch_commands(sub, executor="auto")
    args = parser.parse_args()
    if args.command == "prepare":
        prepare(args.folder.resolve(), args.n, args.language)
    else:
        run(args.folder.resolve(), args.tree.resolve(), args.executor)


if __name__ == "__main__":
    main()
