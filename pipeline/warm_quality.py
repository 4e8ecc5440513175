"""The quality step in a process started with the run, so importing great_expectations
(~3.4 s of one core, longer than validating 1,000 articles) overlaps the batches.

A profile of a 1,000-article run showed the quality step spending more time importing GX
than validating; the parent could not import it earlier without holding the import lock
while it forks workers. So `run_pipeline` starts this *spawned* interpreter (a fresh
process: no inherited threads, locks or DuckDB handles), which imports GX on a low-priority
thread and waits. When the last batch is published the parent, holding no warehouse
connection, sends it the run id and settings; it runs `flow.quality_step` and sends back the
outcome or the error.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import threading
import traceback
from typing import Any

from pipeline.errors import NewsmonError
from pipeline.settings import Settings

# Ten steps nicer than the run: about a tenth of a core against a busy worker, so the imports
# never starve on a loaded machine.
IMPORT_NICENESS = 10


def worth_starting() -> bool:
    """Only a process that has not imported GX yet gains (a long-lived worker, a test run)."""
    return "great_expectations" not in sys.modules


class WarmQuality:
    """`with WarmQuality() as warm: ...; outcome = warm.run(run_id, settings)`; leaving the
    block without `run` (nothing new, or an error in a batch) stops the process."""

    def __init__(self) -> None:
        context = multiprocessing.get_context("spawn")
        self._conn, child_conn = context.Pipe()
        # Not a daemon: the quality step forks its own workers. If this process dies, the
        # child's end of the pipe reads EOF and it exits.
        self._process = context.Process(target=_serve, args=(child_conn,), name="newsmon-quality")
        self._process.start()
        child_conn.close()
        self._asked = False

    def run(self, run_id: str, settings: Settings) -> dict[str, Any]:
        self._asked = True
        self._conn.send((run_id, settings))
        try:
            status, value = self._conn.recv()
        except EOFError:
            raise NewsmonError("the quality process exited without an answer", item=run_id,
                               hint=f"exit code {self._process.exitcode}; rerun `newsmon report` to "
                                    "evaluate the suites in-process") from None
        if status == "error":
            raise value
        return value

    def __enter__(self) -> WarmQuality:
        return self

    def __exit__(self, *exc: object) -> None:
        self._conn.close()
        if not self._asked:  # nothing to validate: do not wait for its imports to finish
            self._process.terminate()
        self._process.join()


def _serve(conn: Any) -> None:
    # The imports run on a thread of low priority so that they take a core mostly when the run
    # leaves one idle (its serial steps), not from the parallel steps they overlap. On Linux a
    # nice value is per thread: this main thread, and the workers the quality step forks from
    # it, keep normal priority.
    importer = threading.Thread(target=_import_quietly, name="newsmon-quality-imports", daemon=True)
    importer.start()
    try:
        run_id, settings = conn.recv()
    except EOFError:  # the run had nothing to validate
        return
    importer.join()  # no fork while another thread may hold a lock
    from pipeline.flow import quality_step

    try:
        conn.send(("ok", quality_step(run_id, settings, fail_on_critical=False)))
    except Exception as exc:  # the parent raises it, with this process's traceback as text
        conn.send(("error", _sendable(exc)))
    _exit_now()


def _exit_now() -> None:
    """Leave without the interpreter's teardown: the answer is sent and every connection and
    worker of the step is closed, but finalising pandas, GX and their modules' objects took
    ~0.8 s that the parent, joining this process, waited for at the end of every run."""
    import logging

    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (AttributeError, OSError, ValueError):
            pass
    os._exit(0)


def _import_quietly() -> None:
    try:
        tid = threading.get_native_id()
        os.setpriority(os.PRIO_PROCESS, tid, min(19, os.getpriority(os.PRIO_PROCESS, tid) + IMPORT_NICENESS))
    except (AttributeError, OSError):  # not Linux, or not permitted: import at normal priority
        pass
    import great_expectations  # noqa: F401  (the point of this process)

    import pipeline.flow  # noqa: F401
    import pipeline.validate.quality  # noqa: F401


def _sendable(exc: Exception) -> Exception:
    """The error itself when it survives pickling, else a NewsmonError carrying its text."""
    import pickle

    try:
        pickle.loads(pickle.dumps(exc))
        return exc
    except Exception:
        return NewsmonError(f"quality step failed: {type(exc).__name__}: {exc}",
                            hint="traceback from the quality process:\n" + traceback.format_exc())
