"""The `newsmon` console script: each subcommand is a thin shim over one library call.

Subcommands live in sibling modules; each exposes ``register(subparsers)`` that adds its
parser and sets ``func`` to a handler ``(args) -> int`` (the exit code).

One error style for every subcommand: one line on stderr, exit 2 for a usage error (bad
arguments or settings), 1 for a failure (a missing warehouse, bad SQL, an unreadable file);
no traceback unless ``--debug`` (anywhere on the command line) or ``NEWSMON_DEBUG=1``.
"""

from __future__ import annotations

import argparse
import importlib
import os
import pkgutil
import sys
from typing import NoReturn

from pipeline.errors import ConfigError, NewsmonError

USAGE_ERROR = 2
FAILURE = 1


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line that says where to look (exit 2)."""

    def error(self, message: str) -> NoReturn:
        self.exit(USAGE_ERROR, f"{self.prog}: {message} (see `{self.prog} --help`)\n")


def version() -> str:
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as installed

    try:
        return installed("newsmon")
    except PackageNotFoundError:  # run from a source tree that was not installed
        return "unknown"


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="newsmon", description="News-monitoring pipeline.")
    parser.add_argument("--config", help="settings file (TOML); default: newsmon.toml or $NEWSMON_CONFIG")
    parser.add_argument("--debug", action="store_true", help="show the traceback of an error")
    parser.add_argument("--version", action="version", version=f"newsmon {version()}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        register = getattr(module, "register", None)
        if register is not None:
            register(sub)
    return parser


def _fail(command: str, message: str, code: int) -> int:
    print(f"{command}: {message}", file=sys.stderr)
    return code


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    # --debug is accepted after the subcommand too, where a newcomer adds it to a failed command.
    debug = "--debug" in argv or os.environ.get("NEWSMON_DEBUG", "") not in ("", "0")
    argv = [a for a in argv if a != "--debug"]
    args = build_parser().parse_args(argv)
    command = f"newsmon {args.command}"
    try:
        return int(args.func(args) or 0)
    except BrokenPipeError:
        return 0
    except Exception as exc:
        if debug:
            raise
        if isinstance(exc, ConfigError):
            return _fail(command, str(exc), USAGE_ERROR)
        if isinstance(exc, NewsmonError):
            return _fail(command, str(exc), FAILURE)
        first = (str(exc).strip().splitlines() or [""])[0]
        return _fail(command, f"unexpected {exc.__class__.__name__}: {first} "
                              "(run it again with --debug for the traceback)", FAILURE)
    except KeyboardInterrupt:
        return _fail(command, "interrupted", 130)


if __name__ == "__main__":
    sys.exit(main())
