"""Wall and CPU seconds per pipeline step, for the code of any tree (``--tree``), so that two
commits can be compared step by step on one corpus on a shared machine.

    .venv/bin/python benchmarks/step_cpu.py --n 5000 --corpus /tmp/c5k            # this tree
    /before/.venv/bin/python benchmarks/step_cpu.py --corpus /tmp/c5k --tree /before

Run it with the tree's own interpreter (its .venv): the workers a forkserver starts import the
tree their interpreter installs, whatever ``--tree`` says. Builds the corpus (benchmarks/corpus.py) into ``--corpus`` unless it is there already, then
runs the tree's ``pipeline.flow.run_pipeline`` over it into a fresh warehouse and prints, per
step (summed over batches), its wall seconds and the CPU seconds of this process and every
process under it (workers, forkservers, the quality process). Wall time on a loaded machine
says little; CPU seconds per step, run before/after/before/after, are the figures to compare.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
class TreeCpu:
    """CPU seconds of a process and every process ever under it, sampled from /proc. A process
    that ended counts through its parent's children's time when the parent outlived it (it
    waited for it), else with what it had used when last seen: a forkserver orphaned by the
    process that started it still counts. Sampled every `interval` seconds from a process of
    its own (a thread would make the measured process's executor choose another start method)."""

    def __init__(self, root: int) -> None:
        self.root = root
        self.seen: dict[int, list] = {}  # pid -> [ppid, own, children's, alive, absorbed]

    def sample(self) -> float:
        from benchmarks.proc_stat import all_processes

        stats = all_processes()
        tracked = {self.root} | {pid for pid, row in self.seen.items() if row[3]}
        todo = [pid for pid in tracked if pid in stats]
        live = set()
        while todo:
            pid = todo.pop()
            if pid in live:
                continue
            live.add(pid)
            todo.extend(p for p, (ppid, _, _) in stats.items() if ppid == pid and p != os.getpid())
        for pid, row in self.seen.items():
            if row[3] and pid not in live:
                row[3], row[4] = False, row[0] in live  # its parent waited for it: in its children's time
        for pid in live:
            ppid, own, waited = stats[pid]
            row = self.seen.setdefault(pid, [ppid, 0.0, 0.0, True, False])
            row[1], row[2] = own, waited
        return sum(row[1] + row[2] for row in self.seen.values() if not row[4])


def _sampler(root: int, interval: float) -> None:
    """The sampling process: a line on stdin asks for the total so far, printed on stdout."""
    import select

    sys.path.insert(0, str(ROOT))  # run as a script: benchmarks/ is on the path, not the project
    tree = TreeCpu(root)
    while True:
        tree.sample()
        ready, _, _ = select.select([sys.stdin], [], [], interval)
        if ready:
            if not sys.stdin.readline():
                return
            print(f"{tree.sample():.3f}", flush=True)


class Sampler:
    """This process's tree CPU, asked of a sampling process started here (not counted)."""

    def __init__(self, interval: float = 0.2) -> None:
        import subprocess

        self.process = subprocess.Popen([sys.executable, __file__, "--sample", str(os.getpid()), str(interval)],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)

    def __call__(self) -> float:
        assert self.process.stdin and self.process.stdout
        self.process.stdin.write("\n")
        self.process.stdin.flush()
        return float(self.process.stdout.readline())

    def close(self) -> None:
        assert self.process.stdin
        self.process.stdin.close()
        self.process.wait()


class StepClock:
    """The run's progress callback: each step's wall and CPU seconds since the previous step."""

    def __init__(self, tree_cpu: Sampler) -> None:
        self.tree_cpu = tree_cpu
        self.wall: dict[str, float] = defaultdict(float)
        self.cpu: dict[str, float] = defaultdict(float)
        self.reset()

    def reset(self) -> None:
        self.last_wall, self.last_cpu = time.perf_counter(), self.tree_cpu()

    def __call__(self, step: str, result: dict) -> None:
        now, cpu = time.perf_counter(), self.tree_cpu()
        self.wall[step] += now - self.last_wall
        self.cpu[step] += cpu - self.last_cpu
        self.last_wall, self.last_cpu = now, cpu


def main() -> None:
    if sys.argv[1:2] == ["--sample"]:
        _sampler(int(sys.argv[2]), float(sys.argv[3]))
        return
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=5000)
    parser.add_argument("--corpus", type=Path, required=True, help="corpus folder (built here if absent)")
    parser.add_argument("--tree", type=Path, default=ROOT, help="the tree whose pipeline runs")
    parser.add_argument("--language")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from benchmarks.corpus import build

    if not (args.corpus / "done").exists():
        build(args.corpus / "files", args.n, language=args.language)
        (args.corpus / "done").write_text("")
    sys.path.remove(str(ROOT))
    for name in [m for m in sys.modules if m == "benchmarks" or m.startswith("benchmarks.")]:
        del sys.modules[name]
    sys.path.insert(0, str(args.tree.resolve()))
    from pipeline.flow import run_pipeline
    from pipeline.settings import load_settings

    folder = args.corpus / "files"
    tmp = Path(tempfile.mkdtemp(prefix="newsmon-stepcpu-"))
    settings = load_settings(env={}, db_path=tmp / "news.duckdb", staging_dir=tmp / "staging",
                             reports_dir=tmp / "reports")
    tree_cpu = Sampler()
    clock = StepClock(tree_cpu)
    started, cpu_started = time.perf_counter(), tree_cpu()
    clock.reset()
    summary = run_pipeline([str(folder)], [], settings, trigger="bench", progress=clock)
    wall, cpu = time.perf_counter() - started, tree_cpu() - cpu_started
    import pipeline

    print(f"tree {Path(pipeline.__file__).parents[1]}: {summary.documents} documents, {summary.articles} articles, "
          f"{summary.entities} entities, {summary.events} events, load average {os.getloadavg()[0]:.1f}")
    print(f"{'step':<10} {'wall s':>8} {'CPU s':>8}")
    for step in clock.wall:
        print(f"{step:<10} {clock.wall[step]:>8.2f} {clock.cpu[step]:>8.2f}")
    print(f"{'total':<10} {wall:>8.2f} {cpu:>8.2f}   (run_pipeline, this process and all under it)")
    tree_cpu.close()
    import shutil

    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
