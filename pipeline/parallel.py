"""Fan a batch out over the cores with forked workers (a utility, not a stage).

The work is a closure over the batch: workers are forked after it is set, so they inherit
the batch, loaded models and any other state copy-on-write. Only index ranges go to them and
only results come back, so nothing big is pickled. A dead worker (a parser crash, the OOM
killer) costs no data: the whole batch is redone in this process.
"""

from __future__ import annotations

import multiprocessing
import threading
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TypeVar

T = TypeVar("T")

# The work of the fan-out in progress; forked workers see the value it had when they forked.
_WORK: list[Callable[[range], list]] = []
_LOCK = threading.Lock()  # one fan-out at a time per process: _WORK is shared


def _run(indices: range) -> list:
    return _WORK[-1](indices)


def fork_map(work: Callable[[range], list[T]], n: int, processes: int, *, min_items: int = 1,
             chunks_per_process: int = 8, max_chunk: int | None = None) -> list[T]:
    """``work`` over ``range(n)`` in chunks: the lists it returns, concatenated in chunk order.

    Runs in this process when ``processes <= 1`` or ``n < min_items`` (forking costs more than a
    small batch). Chunks are handed out as workers free up; ``max_chunk`` caps their size for
    slow items, so that the last chunk does not keep one core busy while the others idle.
    """
    if processes <= 1 or n < max(2, min_items):
        return work(range(n))
    step = max(1, n // (processes * chunks_per_process))
    if max_chunk:
        step = min(step, max_chunk)
    chunks = [range(start, min(n, start + step)) for start in range(0, n, step)]
    with _LOCK:
        _WORK.append(work)
        try:
            context = multiprocessing.get_context("fork")
            with ProcessPoolExecutor(processes, mp_context=context) as pool:
                return [item for part in pool.map(_run, chunks) for item in part]
        except BrokenProcessPool:
            return work(range(n))
        finally:
            _WORK.pop()
