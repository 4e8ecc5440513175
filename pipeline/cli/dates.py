"""`newsmon dates --anchor YYYY-MM-DD FILE ...`: the date expressions in files, as JSON lines.

Offsets are character offsets into each file's text as read (decoded by the ingest reader,
so a UTF-16 or Latin-1 file gives the same offsets as its UTF-8 copy).
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date

from pipeline.errors import ConfigError, InputError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("dates", help="find and resolve date expressions in text files (JSON lines)")
    p.add_argument("files", nargs="+", metavar="FILE", help="text or HTML files")
    p.add_argument("--anchor", required=True, metavar="YYYY-MM-DD",
                   help="the date relative expressions resolve against (e.g. the publication date)")
    p.set_defaults(func=handle)


def _anchor(raw: str) -> date:
    try:
        return date.fromisoformat(raw)
    except ValueError as exc:
        raise ConfigError(f"--anchor {raw!r} is not a date", hint="give it as YYYY-MM-DD") from exc


def handle(args: argparse.Namespace) -> int:
    from pipeline.extract.dates import find_dates
    from pipeline.ingest.files import read_document
    from pipeline.settings import load_settings

    anchor = _anchor(args.anchor)
    settings = load_settings(args.config)
    failed = 0
    for path in args.files:
        try:
            text = read_document(path, settings).raw_text or ""
        except InputError as exc:  # one unreadable file does not stop the others
            print(f"newsmon dates: skipped {path}: [{exc.reason_code}] {exc.message}", file=sys.stderr)
            failed += 1
            continue
        for e in find_dates(text, anchor):
            print(json.dumps({"source": path, "start": e.start, "end": e.end, "text": e.text,
                              "value": e.value, "granularity": e.granularity}, ensure_ascii=False))
    return 1 if failed else 0
