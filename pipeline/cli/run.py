"""`newsmon run`: every stage, in this process, on files, folders and feeds."""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from dataclasses import asdict
from pathlib import Path
from typing import Any

from pipeline.errors import ConfigError

STEPS = ["ingest", "clean", "dedup", "extract", "validate", "publish", "quality"]
QUARANTINE_QUERY = ('newsmon sql "SELECT stage, reason_code, message FROM quarantine '
                    "WHERE run_id = '{run_id}'\"")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("run", help="run the whole pipeline on files, folders and feeds")
    p.add_argument("inputs", nargs="*", help="article files (.txt, .html) or folders of them")
    p.add_argument("--feed", action="append", default=[], metavar="URL_OR_FILE",
                   help="an RSS/Atom feed URL, feed file or folder of feed files, or a feeds file (repeatable)")
    p.add_argument("--db", help="warehouse file (default: warehouse/news.duckdb)")
    p.add_argument("--reports", help="folder for the quality report (default: reports/ beside --db)")
    p.add_argument("--staging", help="folder for the run's staged files (default: staging/ beside --db)")
    p.add_argument("--quiet", action="store_true", help="no progress display, only the summary")
    p.add_argument("--json", action="store_true", help="print the summary as one JSON object")
    p.add_argument("--no-quality", action="store_true",
                   help="skip the data-quality suites and reports after the load (run `newsmon report` later)")
    p.set_defaults(func=handle)


class _Progress:
    """Steps as they finish, and a spinner on the one running, on a terminal only: piped or
    redirected output gets the summary alone."""

    def __init__(self) -> None:
        from rich.console import Console

        self.console = Console(stderr=True)
        self.status = self.console.status("ingest: reading inputs ...")
        self.batch = 1

    def __enter__(self) -> _Progress:
        self.status.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.status.stop()

    def __call__(self, step: str, stats: dict[str, Any]) -> None:
        shown = ", ".join(f"{k}={v}" for k, v in stats.items() if not isinstance(v, list | dict) and k != "report")
        batch = f"batch {self.batch} " if self.batch > 1 else ""
        self.console.print(f"  {batch}{step:<9} {shown}", highlight=False)
        if step == "publish":
            self.batch += 1
        following = STEPS[STEPS.index(step) + 1] if step in STEPS[:-1] else "quality"
        if step == "ingest" and not stats.get("documents"):
            following = "publish"
        self.status.update(f"{following} ...")


def handle(args: argparse.Namespace) -> int:
    from pipeline.flow import run_pipeline
    from pipeline.settings import load_settings

    if not args.inputs and not args.feed:
        raise ConfigError("nothing to read", hint="give article files/folders and/or --feed URL_OR_FILE")
    missing = [p for p in args.inputs if not Path(p).exists()]
    if missing:
        raise ConfigError(f"input not found: {', '.join(missing)}", hint="check the paths")
    settings = load_settings(args.config, db_path=args.db, reports_dir=args.reports, staging_dir=args.staging)
    show = not (args.quiet or args.json) and sys.stderr.isatty()
    if show:
        with _Progress() as progress:
            summary = run_pipeline(args.inputs, args.feed, settings, trigger="cli", progress=progress,
                                   run_quality=not args.no_quality)
    else:
        summary = run_pipeline(args.inputs, args.feed, settings, trigger="cli", run_quality=not args.no_quality)
    matched_nothing = bool(args.inputs) and not args.feed and not (summary.documents or summary.skipped_known)
    if args.json:
        print(json.dumps({**asdict(summary), "matched_nothing": matched_nothing}, default=str))
    else:
        print(format_summary(summary))
    if matched_nothing:
        from pipeline.ingest.archives import ARCHIVE_SUFFIXES
        from pipeline.ingest.files import ARTICLE_SUFFIXES

        read = ", ".join(sorted(ARTICLE_SUFFIXES) + list(ARCHIVE_SUFFIXES))
        print(f"newsmon run: no article file matched the inputs (files read: {read})", file=sys.stderr)
        return 1
    return 0


def _report_line(s: Any) -> str:
    if s.report_path:
        return s.report_path
    existing = Path(s.reports_dir) / "quality.html"
    return f"{existing} (not rebuilt: nothing new, or --no-quality)" if existing.is_file() else \
        f"none yet in {s.reports_dir} (nothing new, or --no-quality)"


def _ignored_lines(ignored: list[str]) -> list[str]:
    if not ignored:
        return []
    kinds = Counter(Path(p).suffix.lower() or "(no suffix)" for p in ignored)
    shown = ", ".join(f"{k} {n}" for k, n in kinds.most_common())
    examples = ", ".join(Path(p).name for p in ignored[:3]) + (", ..." if len(ignored) > 3 else "")
    return [f"  ignored          {len(ignored)} file(s) that are not articles by name: {shown} ({examples})"]


def _quarantine_lines(s: Any) -> list[str]:
    if not s.quarantine:
        return [f"  quarantined      {s.quarantined}"]
    lines = [f"  quarantined      {sum(q['items'] for q in s.quarantine)}, by stage and reason:"]
    for q in s.quarantine:
        example = q["example"] if len(q["example"]) <= 240 else q["example"][:239] + "…"
        lines.append(f"    {q['stage']:<9} {q['reason_code']:<22} {q['items']:>5}  e.g. {example}")
    query = QUARANTINE_QUERY.format(run_id=s.run_id) if s.runs == 1 else \
        'newsmon sql "SELECT stage, reason_code, message FROM quarantine ORDER BY quarantined_at DESC"'
    lines.append(f"    all of them: {query}")
    return lines


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
        *_ignored_lines(s.ignored),
        f"  articles         {s.articles}",
        f"  duplicates       {s.duplicates}",
        *_quarantine_lines(s),
        f"  entities         {s.entities} ({s.mentions} mentions)",
        f"  events           {s.events}",
        f"  quality          {quality}",
        f"  warehouse        {s.db_path}",
        f"  quality report   {_report_line(s)}",
        f"  staging          {s.staging_dir}",
    ]
    return "\n".join(lines)
