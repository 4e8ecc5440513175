"""The executor: order kept over chunks, forked and spawned workers, a dead worker loses nothing,
an item whose step raises fails alone (extraction on workers: tests/extract/test_on_workers.py).

This module imports no stage: a spawned worker imports it to find its step, so the steps
here start in a fraction of a second instead of loading spaCy and the stages first."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
import warnings
from pathlib import Path

import pytest

from pipeline.errors import ConfigError
from pipeline.executor import Executor, PoolExecutor, executor_for, fork_is_safe, os_threads, shrinking_chunks


def squares(_, items):
    return [i * i for i in items]


def chunk_sizes(_, items):
    return [len(items)] * len(items)


def pids(_, items):
    return [os.getpid() for _ in items]


def fragile(bad, items):
    """Raises on a chunk that holds one of ``bad``; returns each item doubled otherwise."""
    for i in items:
        if i in bad:
            raise ValueError(f"item {i} is malformed")
    return [2 * i for i in items]


def needs_the_model(_, items):
    raise ConfigError("spaCy model 'x' is not installed", hint="make install")


@pytest.mark.parametrize("executor", [Executor(), PoolExecutor(2, "fork"), PoolExecutor(2, "forkserver"),
                                      PoolExecutor(2, "spawn")], ids=["none", "fork", "forkserver", "spawn"])
def test_results_come_back_in_order_from_every_chunk(executor):
    out = executor.map(squares, range(1000), stage="test", chunks_per_process=5)
    assert out.results == [i * i for i in range(1000)] and not out.failed
    assert [item for item, _ in out.done] == list(range(1000))


def test_capped_chunks_keep_order_and_stay_within_the_cap():
    sizes = PoolExecutor(2).map(chunk_sizes, range(1000), stage="test", max_chunk=7).results
    assert max(sizes) == 7 and len(sizes) == 1000


def test_the_last_chunks_shrink_so_that_the_workers_finish_together():
    chunks = shrinking_chunks(900, 56, 2)
    sizes = [len(c) for c in chunks]
    assert [i for c in chunks for i in c] == list(range(900))
    assert max(sizes) == 56 and sizes == sorted(sizes, reverse=True)
    assert sizes[-1] == 1 and sum(sizes[-4:]) < 56  # the tail is less than one full chunk
    assert [len(c) for c in shrinking_chunks(5, 1, 2)] == [1] * 5  # one item a chunk stays so


FORKED_SHARE = """
import os
from pipeline.executor import PoolExecutor, fork_is_safe

assert fork_is_safe()  # a fresh interpreter that imported no library with threads of its own
unpicklable = (lambda: None, open(os.devnull))  # inherited by fork, never sent

def step(context, items):
    return [(os.getpid(), os.getppid(), context[1].closed) for _ in items]

out = PoolExecutor(2, "fork").map(step, range(64), unpicklable, stage="test").results
assert {closed for _, _, closed in out} == {False}
assert os.getpid() not in {pid for pid, _, _ in out} and {ppid for _, ppid, _ in out} == {os.getpid()}
print("shared")
"""


def test_forked_workers_share_the_parent_state_without_pickling_it():
    # In a process of its own: this one may hold threads (pytest-xdist's, a library's), and a
    # pool never forks a process with threads.
    done = subprocess.run([sys.executable, "-c", FORKED_SHARE], capture_output=True, text=True, timeout=120,
                          cwd=Path(__file__).resolve().parents[1])
    assert done.returncode == 0 and done.stdout.strip() == "shared", done.stderr[-2000:]


def parent_pid(_, items):
    return [os.getppid() for _ in items]


SERVER_PRELOADS = """
import os
import numpy  # noqa: F401  (OpenBLAS: threads in this process)
from pipeline.executor import executor_for, fork_is_safe
from pipeline.flow import WORKER_MODULES
from tests.test_executor import server_state

assert not fork_is_safe()
executor = executor_for("auto", 2, WORKER_MODULES)
print(executor.mode, sorted(set(executor.map(server_state, range(8), WORKER_MODULES, stage="test").results)))
"""


def server_state(modules, items):
    """The threads of the process this worker was forked from, and whether ``modules`` were
    imported before this worker came to be (its own imports: this module's)."""
    threads = len(os.listdir(f"/proc/{os.getppid()}/task"))
    return [(threads, all(m in sys.modules for m in modules)) for _ in items]


def test_the_forkserver_preloads_the_stages_and_stays_single_threaded():
    done = subprocess.run([sys.executable, "-c", SERVER_PRELOADS], capture_output=True, text=True, timeout=300,
                          cwd=Path(__file__).resolve().parents[1])
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split("\n")[0] == "forkserver [(1, True)]"
    assert "multi-threaded" not in done.stderr  # the server's own forks: Python 3.12+ warns there


def test_a_process_with_threads_is_never_forked():
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")  # Python 3.12+ warns on such a fork (an error is dropped)
            parents = PoolExecutor(2, "fork").map(parent_pid, range(64), stage="test").results
    finally:
        stop.set()
        other.join()
    # The workers' parent is the forkserver, not this process.
    assert len(parents) == 64 and os.getpid() not in parents
    assert [str(w.message) for w in caught if "fork" in str(w.message)] == []


def die_in_a_worker(parent_pid, items):
    if os.getpid() != parent_pid:
        os._exit(1)  # a worker killed mid-batch (a parser crash, the OOM killer)
    return list(items)


@pytest.mark.parametrize("mode", ["fork", "forkserver", "spawn"])
def test_a_dead_worker_means_the_batch_is_redone_here(mode):
    out = PoolExecutor(2, mode).map(die_in_a_worker, range(100), os.getpid(), stage="test")
    assert out.results == list(range(100))


def test_small_batches_stay_in_process():
    assert PoolExecutor(2).map(pids, range(10), stage="test", min_items=64).results == [os.getpid()] * 10


@pytest.mark.parametrize("executor", [Executor(), PoolExecutor(2, "fork"), PoolExecutor(2, "spawn")],
                         ids=["none", "fork", "spawn"])
def test_an_item_that_raises_fails_alone_and_its_neighbours_go_on(executor):
    out = executor.map(fragile, range(200), {13, 150}, stage="test", max_chunk=10)
    assert [item for item, _ in out.done] == [i for i in range(200) if i not in (13, 150)]
    assert out.results == [2 * i for i in range(200) if i not in (13, 150)]
    assert [f.item for f in out.failed] == [13, 150]
    failure = out.failed[0]
    assert failure.error_type == "ValueError" and "item 13 is malformed" in failure.message
    assert failure.where == "test:tests.test_executor.fragile"
    assert "test_executor.py" in failure.message  # the line it was raised at
    assert failure.describe().startswith("ValueError in test:tests.test_executor.fragile: item 13")


@pytest.mark.parametrize("executor", [Executor(), PoolExecutor(2, "fork")], ids=["none", "fork"])
def test_an_operator_error_stops_the_map(executor):
    with pytest.raises(ConfigError, match="is not installed"):
        executor.map(needs_the_model, range(100), stage="test")


def test_a_started_map_runs_while_this_process_works_on():
    with PoolExecutor(2).start(pids, range(200), stage="test") as started:
        found = started.result().results
    assert len(found) == 200 and os.getpid() not in found


def note_pid(folder, items):
    (Path(folder) / str(os.getpid())).touch()
    return list(items)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_a_started_map_never_collected_is_stopped_on_exit(tmp_path):
    with PoolExecutor(2).start(note_pid, range(400), tmp_path, stage="test", max_chunk=1):
        deadline = time.monotonic() + 60
        while not any(tmp_path.iterdir()) and time.monotonic() < deadline:  # a worker has started
            time.sleep(0.01)
    workers = [int(p.name) for p in tmp_path.iterdir()]
    assert workers and os.getpid() not in workers
    assert not any(_alive(pid) for pid in workers)  # stopped and reaped on leaving the block


def test_the_settings_choose_the_executor(tmp_path):
    from tests.conftest import make_settings  # here: a spawned worker importing this module skips it

    assert type(executor_for("none", 4)) is Executor
    assert type(executor_for("fork", 1)) is Executor  # one process: no pool
    assert executor_for("spawn", 2).mode == "spawn"
    assert executor_for("forkserver", 2).mode == "forkserver"
    # Linux with no other thread alive forks (pytest-xdist and the libraries the suite imports
    # have threads of their own: then the forkserver).
    assert executor_for("auto", 2).mode == ("fork" if os_threads() == 1 else "forkserver")
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert os_threads() > 1 and not fork_is_safe()
        assert executor_for("auto", 2).mode == "forkserver"  # forking with a thread alive is unsafe
    finally:
        stop.set()
        other.join()
    with pytest.raises(ConfigError, match="unknown executor 'threads'"):
        executor_for("threads", 2)
    assert make_settings(tmp_path, executor="spawn").executor == "spawn"
