"""Named points where the process can be made to die, for recovery tests and rehearsals.

``kill_at`` in the settings (``NEWSMON_KILL_AT``) names one point; when a run reaches it the
process is killed with SIGKILL, as the OOM killer or a lost machine would: no handler, no
cleanup. Empty (the default): nothing happens. This is the public seam the fault tests use
instead of patching private methods.
"""

from __future__ import annotations

import os
import signal

from pipeline.errors import ConfigError

POINTS = {
    "load.before_commit": "inside the load transaction, every table written, before COMMIT",
}


def reached(point: str, kill_at: str) -> None:
    """Called at `point`; kills this process if the settings' `kill_at` names it."""
    if not kill_at:
        return
    if kill_at not in POINTS:
        raise ConfigError(f"unknown kill_at point {kill_at!r}",
                          hint=f"set kill_at to one of {', '.join(sorted(POINTS))}, or leave it empty")
    if kill_at == point:
        os.kill(os.getpid(), signal.SIGKILL)
