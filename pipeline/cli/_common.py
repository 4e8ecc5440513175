"""What several subcommands share (not a subcommand: modules starting with "_" are skipped)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pipeline.errors import WarehouseError


def require_warehouse(settings: Any) -> Path:
    """The warehouse file the settings name, or a one-line error: a command that reads the
    warehouse must never show a mistyped path as an empty warehouse."""
    path = Path(settings.db_path)
    if settings.lake:  # a lake that is not there fails its attach, with a message that says so
        return path
    if not path.is_file():
        raise WarehouseError(f"no warehouse at {path.resolve()}",
                             hint="run `make run` or `newsmon run INPUT ...` first, or pass --db PATH")
    return path
