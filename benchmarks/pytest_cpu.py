"""A pytest plugin: CPU seconds per test file (the test's process plus the children it waited
for), added up over pytest-xdist workers, printed at the end of the run; and each process's
timeline: its busy seconds (the sum of its tests' wall time, setup and teardown included), when
it started its first test and ended its last, and the process pools and forkservers it started.

    PYTEST_ADDOPTS="-p benchmarks.pytest_cpu" make test-fast
    NEWSMON_TEST_CPU_TESTS=40 PYTEST_ADDOPTS="-p benchmarks.pytest_cpu" make test-fast  # and per test
    NEWSMON_TEST_CPU_TIMELINE=out.tsv ...  # every test: process, start, end, CPU s, pools started

A process that ends long before the other sat idle while that one finished: the largest busy
sum plus the start-up is the run's critical path. The machine is shared: CPU seconds and busy
sums, not wall time alone, are the figures to compare between runs.

The workers of a forkserver (the executor's pools in a process with threads) are the server's
children, not this process's. By default the server lives on, as it does without this plugin,
and is stopped and waited for when the process's tests are done, so that its CPU and its
workers' count in the process's total. ``NEWSMON_TEST_CPU_REAP=test`` stops it after each test
instead, to put its CPU on the test that used it; the next pool then starts a new server,
which a plain run would not. For every process the tree started, counted wherever it ended:
``benchmarks/tree_cpu.py``.
Each process writes its rows to a folder the controller made, which then sums and prints them.
"""

from __future__ import annotations

import collections
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

import pytest

_ROWS: list[tuple[str, float]] = []
# nodeid, start, end, CPU s, and how many pools, forkservers, processes, subprocesses it started
_TIMELINE: list[tuple[str, float, float, float, int, int, int, int]] = []
_COUNTS = {"pools": 0, "forkservers": 0, "processes": 0, "subprocesses": 0}
_COLLECTED: list[float] = []  # CPU s when the first test started: start-up and collection
_FOLDER_VAR = "NEWSMON_TEST_CPU_DIR"
_START_VAR = "NEWSMON_TEST_CPU_START"
SHOWN = 25


def cpu_seconds() -> float:
    """User + system CPU of this process and of the children it has waited for."""
    own, waited = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + waited.ru_utime + waited.ru_stime


def _started_at() -> float:
    return float(os.environ.get(_START_VAR) or time.time())


def _count_starts() -> None:
    """Count process pools, forkserver starts, multiprocessing processes (a pool's workers
    included) and subprocesses. Measurement wrappers around four standard library methods,
    installed only when this plugin is: the code under test is left as it is."""
    import subprocess
    from concurrent.futures import process
    from multiprocessing import forkserver
    from multiprocessing import process as mp_process

    pool_init = process.ProcessPoolExecutor.__init__
    ensure_running = forkserver.ForkServer.ensure_running
    process_start = mp_process.BaseProcess.start
    popen_init = subprocess.Popen.__init__

    def counted_process_start(self):
        _COUNTS["processes"] += 1
        process_start(self)

    def counted_popen_init(self, *args, **kwargs):
        _COUNTS["subprocesses"] += 1
        popen_init(self, *args, **kwargs)

    def counted_pool_init(self, *args, **kwargs):
        _COUNTS["pools"] += 1
        pool_init(self, *args, **kwargs)

    def counted_ensure_running(self):
        was = self._forkserver_pid
        ensure_running(self)
        if self._forkserver_pid != was:
            _COUNTS["forkservers"] += 1

    process.ProcessPoolExecutor.__init__ = counted_pool_init  # type: ignore[method-assign]
    forkserver.ForkServer.ensure_running = counted_ensure_running  # type: ignore[method-assign]
    mp_process.BaseProcess.start = counted_process_start  # type: ignore[method-assign]
    subprocess.Popen.__init__ = counted_popen_init  # type: ignore[method-assign]


def pytest_configure(config: pytest.Config) -> None:
    if not os.environ.get("PYTEST_XDIST_WORKER"):  # the controller (or the only process)
        os.environ[_FOLDER_VAR] = tempfile.mkdtemp(prefix="newsmon-test-cpu-")
        os.environ[_START_VAR] = str(time.time())
    _count_starts()


def reap_forkserver() -> None:
    """Stop the forkserver, if one runs, and wait for it. Python has no public call for this:
    ``ForkServer._stop`` is what its own test suite uses."""
    module = sys.modules.get("multiprocessing.forkserver")
    server = getattr(module, "_forkserver", None)
    if server is not None and getattr(server, "_forkserver_pid", None) is not None:
        server._stop()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None):
    before, start = cpu_seconds(), time.time()
    if not _COLLECTED:
        _COLLECTED.append(before)
    counts = dict(_COUNTS)
    yield
    if os.environ.get("NEWSMON_TEST_CPU_REAP") == "test":
        reap_forkserver()
    cpu = cpu_seconds() - before
    _ROWS.append((item.nodeid, cpu))
    _TIMELINE.append((item.nodeid, start - _started_at(), time.time() - _started_at(), cpu,
                      *(_COUNTS[k] - counts[k] for k in ("pools", "forkservers", "processes", "subprocesses"))))


def pytest_sessionfinish(session: pytest.Session) -> None:
    folder = os.environ.get(_FOLDER_VAR)
    if folder:
        reap_forkserver()  # its CPU and its workers' count in this process's
        worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
        own = resource.getrusage(resource.RUSAGE_SELF)
        waited = resource.getrusage(resource.RUSAGE_CHILDREN)
        Path(folder, f"{worker}.json").write_text(json.dumps(
            {"rows": _ROWS, "timeline": _TIMELINE, "process": own.ru_utime + own.ru_stime,
             "children": waited.ru_utime + waited.ru_stime, "ended": time.time() - _started_at(),
             "collected": _COLLECTED[0] if _COLLECTED else 0.0,
             **_COUNTS}), encoding="utf-8")


def _process_line(name: str, data: dict) -> str:
    timeline = data.get("timeline") or []
    busy = sum(end - start for _, start, end, *_ in timeline)
    first = min((start for _, start, *_ in timeline), default=0.0)
    last = max((end for _, _, end, *_ in timeline), default=0.0)
    return (f"process {name}: {len(data['rows'])} tests, {sum(s for _, s in data['rows']):.1f} CPU s in tests, "
            f"{data.get('collected', 0):.1f} before the first; {data['process']:.1f} CPU s own + "
            f"{data.get('children', 0):.1f} its children's; busy {busy:.1f} s (first test at {first:.1f} s, "
            f"last ended at {last:.1f} s); started {data.get('pools', 0)} pools, {data.get('forkservers', 0)} "
            f"forkservers, {data.get('processes', 0)} processes, {data.get('subprocesses', 0)} subprocesses")


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    folder = os.environ.get(_FOLDER_VAR)
    if os.environ.get("PYTEST_XDIST_WORKER") or not folder:
        return
    per_file: collections.Counter[str] = collections.Counter()
    per_test: collections.Counter[str] = collections.Counter()
    processes = 0.0
    write = terminalreporter.write_line
    timeline_out = os.environ.get("NEWSMON_TEST_CPU_TIMELINE")
    lines = ["process\tnodeid\tstart\tend\tcpu\tpools\tforkservers\tprocesses\tsubprocesses"]
    for path in sorted(Path(folder).glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        # the controller's children are the workers, counted already
        processes += data["process"] + (data.get("children", 0) if path.stem != "main" else 0)
        for nodeid, seconds in data["rows"]:
            per_file[nodeid.split("::")[0]] += seconds
            per_test[nodeid] += seconds
        lines += ["\t".join([path.stem, nodeid, *(f"{v:.3f}" for v in (start, end, cpu)), *map(str, counts)])
                  for nodeid, start, end, cpu, *counts in data.get("timeline", [])]
        write(_process_line(path.stem, data))
    if timeline_out:
        Path(timeline_out).write_text("\n".join(lines) + "\n", encoding="utf-8")
        write(f"timeline of every test: {timeline_out}")
    write(f"CPU s in tests {sum(per_file.values()):.1f} (pytest processes' own CPU and their children's "
          f"{processes:.1f}, collection included); per file:")
    for name, seconds in per_file.most_common(SHOWN):
        write(f"{seconds:8.1f}  {name}")
    tests = int(os.environ.get("NEWSMON_TEST_CPU_TESTS") or 0)
    if tests:
        write(f"per test (the {tests} largest):")
        for name, seconds in per_test.most_common(tests):
            write(f"{seconds:8.1f}  {name}")
