"""`newsmon clean INPUT ... [--jsonl]`: show cleaned articles and what was removed; no DB."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("clean", help="clean article files and print them with the removed spans (no DB)")
    p.add_argument("inputs", nargs="+", metavar="INPUT", help="article files (.txt, .html)")
    p.add_argument("--jsonl", action="store_true", help="one JSON object per input, in input order")
    p.set_defaults(func=handle)


def handle(args: argparse.Namespace) -> int:
    from pipeline.clean.preview import preview_records
    from pipeline.errors import InputError
    from pipeline.ingest.files import read_document
    from pipeline.settings import load_settings

    settings = load_settings(args.config)
    documents: list[tuple[str, Any]] = []
    for path in args.inputs:
        try:
            documents.append((path, read_document(path, settings)))
        except InputError as exc:  # reported as a record, the other files still go through
            documents.append((path, exc))
    failed = 0
    for record in preview_records(documents, settings):
        print(json.dumps(record, ensure_ascii=False) if args.jsonl else _human(record))
        failed += "error" in record
    if failed:  # every input is still reported above; the exit code says not all were usable
        print(f"newsmon clean: {failed} of {len(documents)} input(s) could not be cleaned (see ERROR above)",
              file=sys.stderr)
    return 1 if failed else 0


def _human(r: dict[str, Any]) -> str:
    if "error" in r:
        return f"== {r['source']}\n   ERROR {r['error']} ({r['stage']}): {r['message']}\n"
    lines = [f"== {r['source']}"]
    for key in ("title", "publisher", "byline", "published_at", "language", "word_count"):
        lines.append(f"   {key:<13} {r[key]}")
    lines.append("   body:")
    lines.extend(f"     {p}" for p in r["body"].split("\n\n"))
    lines.append(f"   removed ({len(r['removed'])}):")
    lines.extend(f"     [{s['rule']}] {s['text']}" for s in r["removed"])
    if r["captions"]:
        lines.append("   captions:")
        lines.extend(f"     {c}" for c in r["captions"])
    return "\n".join(lines) + "\n"


