"""One reader of Linux ``/proc/<pid>/stat`` for the benchmarks that count a process tree's CPU
(``tree_cpu.py``, ``step_cpu.py``)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import NamedTuple

_TICK = os.sysconf("SC_CLK_TCK")


class ProcStat(NamedTuple):
    parent: int
    cpu: float  # its own user + system seconds
    waited_cpu: float  # the seconds of the children it has waited for


def read_stat(pid: int) -> ProcStat | None:
    """A process's parent and CPU seconds, or None if it is gone."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = raw.rpartition(")")[2].split()  # the command name may hold spaces and parentheses
    # after the name: state ppid ... utime stime cutime cstime (fields 14-17 of proc(5))
    try:
        ticks = [int(x) for x in fields[11:15]]
        return ProcStat(int(fields[1]), (ticks[0] + ticks[1]) / _TICK, (ticks[2] + ticks[3]) / _TICK)
    except (IndexError, ValueError):
        return None


def all_processes() -> dict[int, ProcStat]:
    """Every process visible now, by pid."""
    found = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit() and (stat := read_stat(int(entry))):
            found[int(entry)] = stat
    return found
