"""`make run`'s progress: Airflow's `dags test` output on stdin, one line per finished task.

Reads the task starts, the values the tasks return and the run's verdict from the log
(Airflow's own wording), so it needs nothing but the standard library; the full log is
kept by `tee` in the Makefile. Exits 1 when the run did not succeed.
"""

from __future__ import annotations

import ast
import re
import sys
from datetime import datetime

STARTED = re.compile(r"\[DAG TEST\] starting task_id=(\S+)")
RETURNED = re.compile(r"Done\. Returned value was: (.*?)\s+\[airflow\.task")
ENDED = re.compile(r"\[DAG TEST\] end task task_id=(\S+)")
FINISHED = re.compile(r"DagRun Finished: .*?state=(\w+)")
FAILED = re.compile(r"Task failed|state=failed|Marking run .* failed", re.IGNORECASE)


def _shown(value: str) -> str:
    try:
        parsed = ast.literal_eval(value)
    except (ValueError, SyntaxError):
        return ""
    if not isinstance(parsed, dict):
        return ""
    items = [(k, v) for k, v in parsed.items() if not isinstance(v, list | dict)]
    if len(items) > 5:  # publish's rows per table: the tables it wrote are what matters
        items = [(k, v) for k, v in items if v]
    return ", ".join(f"{k}={v}" for k, v in items)


def _stamp(line: str) -> float | None:
    try:
        return datetime.fromisoformat(line[:27].rstrip("Z")).timestamp()
    except ValueError:
        return None


def main() -> int:
    started: dict[str, float] = {}
    returned = ""
    state = None
    failed = False
    running = None
    for line in sys.stdin:
        if m := STARTED.search(line):
            started[m.group(1)] = _stamp(line) or 0.0
            returned = ""
            running = m.group(1)
            print(f"  {running:<9}", end=" ", flush=True)
        elif m := RETURNED.search(line):
            returned = _shown(m.group(1))
        elif m := ENDED.search(line):
            task = m.group(1)
            seconds = (_stamp(line) or 0.0) - started.get(task, 0.0)
            print(f"{seconds:5.1f} s  {returned}".rstrip(), flush=True)
            running = None
        elif m := FINISHED.search(line):
            state = m.group(1)
        elif FAILED.search(line):
            failed = True
    if running:
        print("did not finish", flush=True)
    return 0 if state == "success" or (state is None and not failed) else 1


if __name__ == "__main__":
    sys.exit(main())
