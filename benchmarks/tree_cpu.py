"""Wall time and CPU seconds of a command and of every process it started, wherever they ended.

    .venv/bin/python benchmarks/tree_cpu.py -- make test-fast

``/usr/bin/time`` counts only the processes their parents waited for: a forkserver (and the pool
workers forked from it) outlives the process that started it, is re-parented and its CPU is
lost from the figure; so are daemons (a PostgreSQL server) and a browser's helpers. Here this
process becomes a child subreaper (Linux ``prctl``): orphans of the command are re-parented to
it, and it waits for them all, so that the CPU line counts the whole tree, and it names the
orphans with the CPU each used (their own and their waited children's). Orphans still alive
``--grace`` seconds after the command ended are named and left running (their CPU is not counted).

``--memory``: also the tree's peak memory, sampled about once a second: the most the processes
under this one held at once, as the sum of their resident sets (RSS: a page shared
copy-on-write, a forkserver's models in its workers, counts once per process) and of their
proportional sets (PSS, /proc/PID/smaps_rollup: a shared page counts once in all).
"""

from __future__ import annotations

import argparse
import collections
import ctypes
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.proc_stat import all_processes  # noqa: E402

PR_SET_CHILD_SUBREAPER = 36


def become_subreaper() -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_CHILD_SUBREAPER) failed")


def _children() -> dict[int, str]:
    """This process's children and their command lines (a re-parented orphan is one)."""
    me, found = os.getpid(), {}
    for pid, stat in all_processes().items():
        if stat.parent != me:
            continue
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
                line = cmdline.read().replace(b"\0", b" ").decode("utf-8", "replace").strip()[:90]
            if not line:  # a zombie's is empty; its short name stays
                with open(f"/proc/{pid}/comm", encoding="utf-8") as comm:
                    line = f"[{comm.read().strip()}]"
        except OSError:
            continue
        found[pid] = line
    return found


def _descendants() -> list[int]:
    """Every process under this one, however deep."""
    children: dict[int, list[int]] = collections.defaultdict(list)
    for pid, stat in all_processes().items():
        children[stat.parent].append(pid)
    found, todo = [], [os.getpid()]
    while todo:
        kids = children.get(todo.pop(), [])
        found.extend(kids)
        todo.extend(kids)
    return found


def tree_memory() -> tuple[float, float]:
    """(RSS, PSS) in MiB summed over every process under this one."""
    rss = pss = 0
    for pid in _descendants():
        try:
            with open(f"/proc/{pid}/smaps_rollup", encoding="utf-8") as rollup:
                for line in rollup:
                    if line.startswith("Rss:"):
                        rss += int(line.split()[1])
                    elif line.startswith("Pss:"):
                        pss += int(line.split()[1])
        except (OSError, ValueError):
            continue
    return rss / 1024, pss / 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--grace", type=float, default=30.0,
                        help="seconds to wait for orphans after the command ends (default 30)")
    parser.add_argument("--memory", action="store_true",
                        help="also the tree's peak summed RSS and PSS, sampled about once a second")
    parser.add_argument("command", nargs=argparse.REMAINDER, help="-- then the command")
    args = parser.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("give the command after --")
    if not sys.platform.startswith("linux"):
        parser.error("Linux only (a child subreaper is a Linux prctl)")
    become_subreaper()
    started = time.perf_counter()
    main_pid = subprocess.Popen(command).pid  # reaped below with the orphans, by wait4
    names: dict[int, str] = {}
    orphans: collections.Counter[str] = collections.Counter()
    cpu = {"command": 0.0, "orphans": 0.0}
    code, wall, deadline = None, 0.0, float("inf")
    peak, sampled = [0.0, 0.0], 0.0
    while True:
        if args.memory and code is None and time.perf_counter() - sampled >= 1.0:
            sampled = time.perf_counter()
            peak = [max(a, b) for a, b in zip(peak, tree_memory(), strict=True)]
        for pid, line in _children().items():  # a zombie's short name does not replace its command line
            if not (line.startswith("[") and pid in names):
                names[pid] = line
        try:
            pid, status, usage = os.wait4(-1, os.WNOHANG)
        except ChildProcessError:  # none left
            break
        if not pid:
            if time.perf_counter() > deadline:
                break
            time.sleep(0.2)
            continue
        used = usage.ru_utime + usage.ru_stime
        name = names.pop(pid, "?")
        if pid == main_pid:
            code, wall = os.waitstatus_to_exitcode(status), time.perf_counter() - started
            deadline = time.perf_counter() + args.grace
            cpu["command"] += used
        else:
            cpu["orphans"] += used
            orphans[name] += used
    left = sorted(set(_children()))
    total = cpu["command"] + cpu["orphans"]
    print(f"tree_cpu: exit {code}, wall {wall:.1f} s, CPU {total:.1f} s: the command and the processes it "
          f"waited for {cpu['command']:.1f}, orphans {cpu['orphans']:.1f}"
          + (f"; still running, not counted: {left}" if left else ""), file=sys.stderr)
    if args.memory:
        print(f"tree_cpu: peak memory of the tree (sampled each second): RSS {peak[0]:.0f} MiB, "
              f"PSS {peak[1]:.0f} MiB", file=sys.stderr)
    for name, used in orphans.most_common(10):
        if used >= 0.05:
            print(f"tree_cpu: {used:7.1f} CPU s  orphaned {name}", file=sys.stderr)
    return code if code is not None else 1


if __name__ == "__main__":
    sys.exit(main())
