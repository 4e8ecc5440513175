"""Peak memory of `newsmon run` on each hostile input, one process per input.

    .venv/bin/python benchmarks/hostile_inputs.py [--only NAME ...]

Prints, per input, the outcome (article or quarantine reason), wall seconds and the
process's peak RSS (from wait4), beside a baseline run on one seed file.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.reliability.hostile import SEED, build_feeds, build_files  # noqa: E402


def run_one(tmp: Path, name: str, path: Path, feed: bool) -> tuple[str, float, float]:
    db = tmp / f"{name}.duckdb"
    args = [sys.executable, "-m", "pipeline.cli", "run", "--quiet", "--db", str(db)]
    args += ["--feed", str(path)] if feed else [str(path)]
    env = {**os.environ, "NEWSMON_STAGING_DIR": str(tmp / "staging"), "NEWSMON_REPORTS_DIR": str(tmp / "r")}
    started = time.perf_counter()
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, cwd=tmp)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    if os.waitstatus_to_exitcode(status) != 0:
        return f"EXIT {os.waitstatus_to_exitcode(status)}: {err.strip().splitlines()[-1:]}", seconds, usage.ru_maxrss / 1024
    with duckdb.connect(str(db), read_only=True) as con:
        articles = con.execute("SELECT count(*) FROM articles").fetchone()[0]
        reasons = con.execute("SELECT reason_code, count(*) FROM quarantine GROUP BY 1 ORDER BY 1").fetchall()
    shown = f"{articles} article(s)" + "".join(f", quarantined {r}x{n}" for r, n in reasons)
    return shown, seconds, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--only", nargs="*")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        cases = [("baseline_seed.txt", SEED, False)]
        cases += [(n, p, False) for n, p in build_files(tmp / "files").items()]
        cases += [(n, p, True) for n, p in build_feeds(tmp / "feeds").items()]
        if args.only:
            cases = [c for c in cases if c[0] in args.only or c[0] == "baseline_seed.txt"]
        print(f"{'input':<22} {'size':>10} {'seconds':>8} {'peak RSS MiB':>13}  outcome")
        for name, path, feed in cases:
            outcome, seconds, rss = run_one(tmp, name, path, feed)
            size = path.stat().st_size
            print(f"{name:<22} {size:>10,} {seconds:>8.1f} {rss:>13.0f}  {outcome}", flush=True)


if __name__ == "__main__":
    main()
