"""`newsmon report`: rebuild quality.html and the GX Data Docs from the warehouse (read-only).

It reports the quality results stored by the latest run; it does not re-run the suites
(`newsmon run` and the DAG's quality task do that after every load).
"""

from __future__ import annotations

import argparse
from pathlib import Path

TABLES = ["documents", "articles", "boilerplate_removed", "captions", "entities", "entity_mentions",
          "events", "event_mentions", "quarantine", "pipeline_runs", "feed_state"]


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("report", help="build reports/quality.html and reports/data_docs/ from the warehouse")
    p.add_argument("--db", help="warehouse file (default: warehouse/news.duckdb)")
    p.add_argument("--out", help="output folder (default: reports/)")
    p.set_defaults(func=handle)


def handle(args: argparse.Namespace) -> int:
    from pipeline.cli._common import require_warehouse
    from pipeline.load.warehouse import Warehouse
    from pipeline.report import build_reports
    from pipeline.settings import load_settings

    settings = load_settings(args.config, db_path=args.db)
    require_warehouse(settings)
    with Warehouse(settings, read_only=True) as wh:
        tables = wh.read_tables(TABLES)
        history = wh.read_table("quality_results")
    paths = build_reports(tables, [], history, settings, Path(args.out or settings.reports_dir))
    print(f"quality report  {paths['quality_html']}")
    print(f"GX Data Docs    {paths['data_docs']}")
    return 0
