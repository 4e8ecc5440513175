"""The one place that decides where per-item work runs: in this process or on a process pool.

Stages hand over a *step*: a module-level function ``step(context, items) -> results`` (one
result per item, in order) and the items, and get back which items succeeded with what and
which failed. They know nothing of processes. ``flow.py`` picks the executor from the settings
(:func:`executor_for`), in the spirit of dlt's ``run_pool(config, step)``:

- ``none``: everything runs here, in order.
- ``fork``: workers are forked after the batch is set, so they inherit the context, the items
  and loaded models copy-on-write; only index ranges go to them and only results come back.
- ``forkserver``: workers forked from a small server process started once (a fresh, single
  threaded interpreter), for processes where forking is unsafe (other threads alive, native
  ones included: OpenBLAS's, Arrow's, an Airflow worker's): context and items are pickled to
  them, models load there.
- ``spawn``: fresh interpreters, as ``forkserver`` (where a system has no forkserver).
- ``auto`` (default): ``fork`` in a process with one thread, else ``forkserver``.

A pool never forks a process that has other threads, whatever the mode says: the child holds a
copy of every lock those threads held, and Python 3.12+ warns about it. ``fork`` then starts
from the forkserver instead.

Per-item fault isolation lives here too: when a chunk's step raises, its items are retried
one by one, and each item that still raises becomes an :class:`ItemFailure` (exception type,
message, stage and function) instead of failing the batch; the stage quarantines it with
reason ``internal_error``. Operator and infrastructure errors (:data:`STOP_ERRORS`) are not
an item's fault and stop the stage. A worker that dies (a parser crash, the OOM killer)
costs nothing: its batch is redone here.
"""

from __future__ import annotations

import importlib
import json
import multiprocessing
import os
import sys
import threading
import traceback
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar

from pipeline.errors import STOP_ERRORS, ConfigError, NewsmonError
from pipeline.records import QuarantineItem, utc_now

C = TypeVar("C")
T = TypeVar("T")
R = TypeVar("R")

Step = Callable[[Any, list[Any]], list[Any]]
MODES = ("auto", "none", "fork", "forkserver", "spawn")


@dataclass(frozen=True)
class ItemFailure(Generic[T]):
    """One item whose step raised: what, where, and the item itself."""

    item: T
    error_type: str
    message: str
    where: str  # "<stage>:<module.function>"

    def describe(self) -> str:
        return f"{self.error_type} in {self.where}: {self.message}"[:2000]


@dataclass
class Mapped(Generic[T, R]):
    """A map's outcome: ``done`` holds (item, result) in input order; ``failed`` the rest."""

    done: list[tuple[T, R]] = field(default_factory=list)
    failed: list[ItemFailure[T]] = field(default_factory=list)

    @property
    def results(self) -> list[R]:
        return [r for _, r in self.done]


def _where(step: Step, stage: str) -> str:
    return f"{stage}:{getattr(step, '__module__', '?')}.{getattr(step, '__qualname__', repr(step))}"


def _apply(step: Step, context: Any, items: list[Any], stage: str) -> list[tuple[bool, Any]]:
    """``step`` over ``items``; if the chunk raises, item by item. (True, result) or
    (False, (type, message)) per item."""
    try:
        results = step(context, items)
        if len(results) != len(items):
            raise RuntimeError(f"step returned {len(results)} results for {len(items)} items")
        return [(True, r) for r in results]
    except STOP_ERRORS:
        raise
    except Exception as exc:
        if len(items) == 1:
            return [(False, _failure(exc))]
    return [_one(step, context, item) for item in items]


def _failure(exc: BaseException) -> tuple[str, str]:
    """The exception's type, and its message with the innermost frame it was raised in."""
    frames = traceback.extract_tb(exc.__traceback__)
    at = f" (at {Path(frames[-1].filename).name}:{frames[-1].lineno} in {frames[-1].name})" if frames else ""
    return type(exc).__name__, f"{exc}{at}"


def _one(step: Step, context: Any, item: Any) -> tuple[bool, Any]:
    try:
        results = step(context, [item])
        if len(results) != 1:
            raise RuntimeError(f"step returned {len(results)} results for 1 item")
        return True, results[0]
    except STOP_ERRORS:
        raise
    except Exception as exc:  # this item's fault only: reported, the batch goes on
        return False, _failure(exc)


def _collect(step: Step, items: Sequence[T], outcomes: list[tuple[bool, Any]], stage: str) -> Mapped[T, Any]:
    out: Mapped[T, Any] = Mapped()
    where = _where(step, stage)
    for item, (ok, value) in zip(items, outcomes, strict=True):
        if ok:
            out.done.append((item, value))
        else:
            out.failed.append(ItemFailure(item, value[0], value[1], where))
    return out


def shrinking_chunks(n: int, step: int, processes: int) -> list[range]:
    """``range(n)`` in chunks of ``step`` until the last ``2 * processes`` chunks' worth, which
    shrink to a share of what is left (guided self-scheduling): the workers then finish within
    about one small chunk of each other instead of one worker finishing a whole chunk alone."""
    chunks, start = [], 0
    while start < n:
        size = min(step, -(-(n - start) // (2 * processes)))
        chunks.append(range(start, start + size))
        start += size
    return chunks


class Pending(Generic[T]):
    """A map whose workers are running; ``result()`` collects it. Use it as a context manager
    so that the workers stop if the work done meanwhile fails."""

    def __init__(self, compute_here: Callable[[], Mapped[T, Any]],
                 pool: ProcessPoolExecutor | None = None, parts: Iterator[Any] | None = None,
                 finish: Callable[[list[tuple[bool, Any]]], Mapped[T, Any]] | None = None) -> None:
        self._here, self._pool, self._parts, self._finish = compute_here, pool, parts, finish

    def result(self) -> Mapped[T, Any]:
        if self._pool is None or self._parts is None or self._finish is None:
            return self._here()
        try:
            outcomes = [o for part in self._parts for o in part]
        except BrokenProcessPool:  # a worker died: the batch is redone here
            return self._here()
        finally:
            self.close()
        return self._finish(outcomes)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def __enter__(self) -> Pending[T]:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class Executor:
    """Runs steps here, in order (the ``none`` mode); :class:`PoolExecutor` spreads them."""

    processes = 1
    mode = "none"

    def map(self, step: Step, items: Sequence[T], context: Any = None, *, stage: str,
            min_items: int = 1, max_chunk: int | None = None, chunks_per_process: int = 8) -> Mapped[T, Any]:
        """``step(context, chunk)`` over ``items``: results of those that succeeded, failures
        of those that raised. ``min_items``: fewer run here (a pool costs more);
        ``max_chunk`` caps a chunk for slow items."""
        with self.start(step, items, context, stage=stage, min_items=min_items, max_chunk=max_chunk,
                        chunks_per_process=chunks_per_process) as pending:
            return pending.result()

    def start(self, step: Step, items: Sequence[T], context: Any = None, *, stage: str,
              min_items: int = 1, max_chunk: int | None = None, chunks_per_process: int = 8) -> Pending[T]:
        """As :meth:`map`, but the workers are started now and collected by ``result()``: this
        process may do other work meanwhile (nothing that starts another pool)."""
        listed = list(items)
        return Pending(lambda: _collect(step, listed, _apply(step, context, listed, stage), stage))


# The work of the fork in progress; forked workers see the value it had when they forked.
_FORKED: list[tuple[Step, Any, list[Any], str]] = []
_FORK_LOCK = threading.Lock()  # one fork at a time per process: _FORKED is shared


def _run_forked(indices: range) -> list[tuple[bool, Any]]:
    step, context, items, stage = _FORKED[-1]
    return _apply(step, context, [items[i] for i in indices], stage)


_SPAWNED: list[tuple[Step, Any, str]] = []


def _init_spawned(step: Step, context: Any, stage: str) -> None:
    _SPAWNED.append((step, context, stage))


def _run_spawned(items: list[Any]) -> list[tuple[bool, Any]]:
    step, context, stage = _SPAWNED[-1]
    return _apply(step, context, items, stage)


class PoolExecutor(Executor):
    """A process pool per map, forked or spawned (see the module's doc)."""

    def __init__(self, processes: int, mode: str = "fork", preload: Sequence[str] = ()) -> None:
        if mode not in ("fork", "forkserver", "spawn"):
            raise ValueError(f"a pool forks, starts from a forkserver or spawns, not {mode!r}")
        self.processes, self.mode, self.preload = processes, mode, tuple(preload)

    def start(self, step: Step, items: Sequence[T], context: Any = None, *, stage: str,
              min_items: int = 1, max_chunk: int | None = None, chunks_per_process: int = 8) -> Pending[T]:
        listed = list(items)
        n = len(listed)
        here = Executor().start(step, listed, context, stage=stage)
        if self.processes <= 1 or n < max(2, min_items):
            return here
        size = max(1, n // (self.processes * chunks_per_process))
        if max_chunk:
            size = min(size, max_chunk)
        chunks = shrinking_chunks(n, size, self.processes)

        def finish(outcomes: list[tuple[bool, Any]]) -> Mapped[T, Any]:
            return _collect(step, listed, outcomes, stage)

        pool: ProcessPoolExecutor
        parts: Iterator[Any]
        if self.mode == "fork" and fork_is_safe():
            with _FORK_LOCK:
                # The pool forks all its workers at the first submit (map submits every chunk
                # at once), so once map returns they hold the work and _FORKED can move on.
                _FORKED.append((step, context, listed, stage))
                pool = ProcessPoolExecutor(self.processes, mp_context=multiprocessing.get_context("fork"))
                try:
                    parts = pool.map(_run_forked, chunks)
                except BrokenProcessPool:
                    pool.shutdown(wait=True, cancel_futures=True)
                    return here
                finally:
                    _FORKED.pop()
        else:
            pool = ProcessPoolExecutor(self.processes, mp_context=_started_context(self.mode, self.preload),
                                       initializer=_init_spawned, initargs=(step, context, stage))
            parts = pool.map(_run_spawned, [[listed[i] for i in chunk] for chunk in chunks])
        return Pending(lambda: here.result(), pool, parts, finish)


def _started_context(mode: str, preload: Sequence[str] = ()) -> multiprocessing.context.BaseContext:
    """The context a non-forking pool starts its workers with: the forkserver where there is one
    (a ``fork`` pool in a process with threads lands here too), else spawn. ``preload``: modules
    the server imports once, when it starts, so that its workers are forked with them imported."""
    if mode == "spawn" or "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    # Not __main__ (the default): the CLI's, pytest's or an Airflow worker's imports could start
    # threads in the server itself. A worker still imports __main__, as a spawned one does.
    context.set_forkserver_preload(["pipeline.forkserver_init", *preload])
    return context


def os_threads() -> int:
    """Threads of this process, native ones included (OpenBLAS's, Arrow's, DuckDB's): what
    Python 3.12+ counts before it warns about a fork. Python's own count where /proc is absent."""
    try:
        return len(os.listdir("/proc/self/task"))
    except OSError:
        return threading.active_count()


def fork_is_safe() -> bool:
    """Forking copies one thread: with others alive (an Airflow worker's, OpenBLAS's, a GUI's) a
    lock one of them holds stays locked in the child forever. Linux only (other systems' default
    is spawn)."""
    return sys.platform.startswith("linux") and os_threads() == 1


def executor_for(mode: str, processes: int, preload: Sequence[str] = ()) -> Executor:
    """The executor for a mode of the settings (``auto``/``none``/``fork``/``forkserver``/``spawn``).
    ``preload``: the modules of the steps it will run, imported once by the forkserver when it
    starts (the first pool that needs it): none that starts a thread at import (pyarrow does)."""
    if mode not in MODES:
        raise ConfigError(f"unknown executor {mode!r}", hint=f"set executor to one of {', '.join(MODES)}")
    if mode == "none" or processes <= 1:
        return Executor()
    if mode == "auto":
        mode = "fork" if fork_is_safe() else "forkserver"
    return PoolExecutor(processes, mode, preload)


def quarantine_failure(failure: ItemFailure, item_id: str, run_id: str, stage: str,
                       **payload: Any) -> QuarantineItem:
    """The quarantine row of an item whose step raised: reason ``internal_error``."""
    return QuarantineItem(item_id=item_id, stage=stage, reason_code="internal_error", message=failure.describe(),
                          payload=json.dumps({**payload, "error_type": failure.error_type, "where": failure.where},
                                             ensure_ascii=False, default=str),
                          run_id=run_id, quarantined_at=utc_now())


# --- a process started early, to run one call later ------------------------------------------

# Ten steps nicer than the run: about a tenth of a core against a busy worker, so the imports
# never starve on a loaded machine.
IMPORT_NICENESS = 10


def imported(module: str) -> bool:
    return module in sys.modules


class Prewarmed:
    """A spawned interpreter that imports ``modules`` on a low-priority thread now, then runs the
    one call it is given with :meth:`call`: a step whose imports are slow (great_expectations,
    ~3.4 s of one core) then starts warm, the imports having overlapped the run.

    ``with Prewarmed(modules) as warm: ...; value = warm.call(fn, *args)``; leaving the block
    without a call stops the process. ``fn`` must be a module-level function (it is sent by
    name). A fresh process: no inherited threads, locks or DuckDB handles.
    """

    def __init__(self, modules: Sequence[str]) -> None:
        context = multiprocessing.get_context("spawn")
        self._conn, child_conn = context.Pipe()
        # Not a daemon: the call may start workers of its own. If this process dies, the
        # child's end of the pipe reads EOF and it exits.
        self._process = context.Process(target=_serve, args=(child_conn, tuple(modules)), name="newsmon-prewarmed")
        self._process.start()
        child_conn.close()
        self._asked = False

    def call(self, fn: Callable[..., R], *args: Any, **kwargs: Any) -> R:
        self._asked = True
        self._conn.send((fn, args, kwargs))
        try:
            status, value = self._conn.recv()
        except EOFError:
            raise NewsmonError(f"the process running {fn.__name__} exited without an answer",
                               hint=f"exit code {self._process.exitcode}; set executor = \"none\" "
                                    "to run every step in this process") from None
        if status == "error":
            raise value
        return value

    @property
    def pid(self) -> int | None:
        return self._process.pid

    @property
    def exitcode(self) -> int | None:
        """None while the process runs; then 0, or minus the signal that ended it."""
        return self._process.exitcode

    def __enter__(self) -> Prewarmed:
        return self

    def __exit__(self, *exc: object) -> None:
        self._conn.close()
        if not self._asked:  # nothing to run: do not wait for its imports to finish
            self._process.terminate()
        self._process.join()


def _serve(conn: Any, modules: tuple[str, ...]) -> None:
    # The imports run on a thread of low priority so that they take a core mostly when the run
    # leaves one idle (its serial steps). On Linux a nice value is per thread: this main thread,
    # and the workers the call forks from it, keep normal priority.
    importer = threading.Thread(target=_import_quietly, args=(modules,), name="newsmon-imports", daemon=True)
    importer.start()
    try:
        fn, args, kwargs = conn.recv()
    except EOFError:  # nothing to run
        return
    importer.join()  # no fork while another thread may hold a lock
    try:
        conn.send(("ok", fn(*args, **kwargs)))
    except Exception as exc:  # the parent raises it
        conn.send(("error", _sendable(exc)))
    _exit_now()


def _exit_now() -> None:
    """Leave without the interpreter's teardown: the answer is sent and the call's connections
    and workers are closed, but finalising pandas, GX and their modules' objects took ~0.8 s
    that the parent, joining this process, waited for at the end of every run."""
    import logging

    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (AttributeError, OSError, ValueError):
            pass
    os._exit(0)


def _import_quietly(modules: tuple[str, ...]) -> None:
    try:
        tid = threading.get_native_id()
        os.setpriority(os.PRIO_PROCESS, tid, min(19, os.getpriority(os.PRIO_PROCESS, tid) + IMPORT_NICENESS))
    except (AttributeError, OSError):  # not Linux, or not permitted: import at normal priority
        pass
    for module in modules:
        importlib.import_module(module)


def _sendable(exc: Exception) -> Exception:
    """The error itself when it survives pickling, else a NewsmonError carrying its text."""
    import pickle

    try:
        pickle.loads(pickle.dumps(exc))
        return exc
    except Exception:
        return NewsmonError(f"{type(exc).__name__}: {exc}",
                            hint="traceback from the prewarmed process:\n" + traceback.format_exc())
