"""`newsmon run`: every stage, in this process, on files, folders and feeds."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from pipeline.errors import ConfigError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("run", help="run the whole pipeline on files, folders and feeds")
    p.add_argument("inputs", nargs="*", help="article files (.txt, .html) or folders of them")
    p.add_argument("--feed", action="append", default=[], metavar="URL_OR_FILE",
                   help="an RSS/Atom feed URL, feed file or folder of feed files (repeatable)")
    p.add_argument("--db", help="warehouse file (default: warehouse/news.duckdb)")
    p.add_argument("--reports", help="folder for the quality report (default: reports/)")
    p.add_argument("--quiet", action="store_true", help="print only the summary")
    p.add_argument("--no-quality", action="store_true",
                   help="skip the data-quality suites and reports after the load (run `newsmon report` later)")
    p.set_defaults(func=handle)


def _progress(step: str, stats: dict[str, Any]) -> None:
    shown = ", ".join(f"{k}={v}" for k, v in stats.items() if not isinstance(v, list | dict))
    print(f"  {step:<9} {shown}", file=sys.stderr, flush=True)


def handle(args: argparse.Namespace) -> int:
    from pipeline.flow import run_pipeline
    from pipeline.settings import load_settings

    if not args.inputs and not args.feed:
        raise ConfigError("nothing to read", hint="give article files/folders and/or --feed URL_OR_FILE")
    missing = [p for p in args.inputs if not Path(p).exists()]
    if missing:
        raise ConfigError(f"input not found: {', '.join(missing)}", hint="check the paths")
    settings = load_settings(args.config, db_path=args.db, reports_dir=args.reports)
    summary = run_pipeline(args.inputs, args.feed, settings, trigger="cli",
                           progress=None if args.quiet else _progress, run_quality=not args.no_quality)
    print(format_summary(summary))
    return 0


def format_summary(s: Any) -> str:
    if "quality" not in s.seconds:
        quality = "not run (nothing new, or --no-quality)"
    elif s.quality_failures:
        quality = f"FAILED: {', '.join(s.quality_failures)}"
    else:
        quality = "ok"
    if s.quality_warnings:
        quality += f" (warnings: {', '.join(s.quality_warnings)})"
    lines = [
        f"run {s.run_id}" + (f" (and {s.runs - 1} earlier batch runs)" if s.runs > 1 else ""),
        f"  documents read   {s.documents} (already loaded, skipped: {s.skipped_known})",
        f"  articles         {s.articles}",
        f"  duplicates       {s.duplicates}",
        f"  quarantined      {s.quarantined}",
        f"  entities         {s.entities} ({s.mentions} mentions)",
        f"  events           {s.events}",
        f"  quality          {quality}",
        f"  warehouse        {s.db_path}",
        f"  quality report   {s.report_path}",
    ]
    return "\n".join(lines)
