"""A pytest plugin: CPU seconds per test file (the test's process plus the children it waited
for), added up over pytest-xdist workers, printed at the end of the run.

    PYTEST_ADDOPTS="-p benchmarks.pytest_cpu" make test-fast
    NEWSMON_TEST_CPU_TESTS=40 PYTEST_ADDOPTS="-p benchmarks.pytest_cpu" make test-fast  # and per test

Per process it also prints its CPU and when its last test ended (seconds from the controller's
start): a process that ends long before the other sat idle while that one finished.
The machine is shared: CPU seconds, not wall time, are the figure to compare between runs.
The workers of a forkserver (the executor's pools in a process with threads) are the server's
children, not this process's: after each test that started one, the server is stopped and
waited for, so that its CPU and its workers' count here (the next pool starts a new one).
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
_FOLDER_VAR = "NEWSMON_TEST_CPU_DIR"
_START_VAR = "NEWSMON_TEST_CPU_START"
SHOWN = 25


def cpu_seconds() -> float:
    """User + system CPU of this process and of the children it has waited for."""
    own, waited = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + waited.ru_utime + waited.ru_stime


def pytest_configure(config: pytest.Config) -> None:
    if not os.environ.get("PYTEST_XDIST_WORKER"):  # the controller (or the only process)
        os.environ[_FOLDER_VAR] = tempfile.mkdtemp(prefix="newsmon-test-cpu-")
        os.environ[_START_VAR] = str(time.time())


def reap_forkserver() -> None:
    """Stop the forkserver, if one runs, and wait for it. Python has no public call for this:
    ``ForkServer._stop`` is what its own test suite uses."""
    module = sys.modules.get("multiprocessing.forkserver")
    server = getattr(module, "_forkserver", None)
    if server is not None and getattr(server, "_forkserver_pid", None) is not None:
        server._stop()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None):
    before = cpu_seconds()
    yield
    reap_forkserver()
    _ROWS.append((item.nodeid, cpu_seconds() - before))


def pytest_sessionfinish(session: pytest.Session) -> None:
    folder = os.environ.get(_FOLDER_VAR)
    if folder:
        worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
        own = resource.getrusage(resource.RUSAGE_SELF)
        ended = time.time() - float(os.environ.get(_START_VAR, time.time()))
        Path(folder, f"{worker}.json").write_text(json.dumps(
            {"rows": _ROWS, "process": own.ru_utime + own.ru_stime, "ended": ended}), encoding="utf-8")


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    folder = os.environ.get(_FOLDER_VAR)
    if os.environ.get("PYTEST_XDIST_WORKER") or not folder:
        return
    per_file: collections.Counter[str] = collections.Counter()
    per_test: collections.Counter[str] = collections.Counter()
    processes = 0.0
    write = terminalreporter.write_line
    for path in sorted(Path(folder).glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        processes += data["process"]
        for nodeid, seconds in data["rows"]:
            per_file[nodeid.split("::")[0]] += seconds
            per_test[nodeid] += seconds
        write(f"process {path.stem}: {len(data['rows'])} tests, {sum(s for _, s in data['rows']):.1f} CPU s "
              f"in tests, {data['process']:.1f} CPU s own, last test ended at {data.get('ended', 0):.0f} s")
    write(f"CPU s in tests {sum(per_file.values()):.1f} (pytest processes' own CPU {processes:.1f}, "
          "collection included); per file:")
    for name, seconds in per_file.most_common(SHOWN):
        write(f"{seconds:8.1f}  {name}")
    tests = int(os.environ.get("NEWSMON_TEST_CPU_TESTS") or 0)
    if tests:
        write(f"per test (the {tests} largest):")
        for name, seconds in per_test.most_common(tests):
            write(f"{seconds:8.1f}  {name}")
