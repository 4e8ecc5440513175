"""`newsmon lake migrate FILE`: copy a warehouse file's tables into the lake the settings name."""

from __future__ import annotations

import argparse
import json


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("lake", help="the warehouse as a DuckLake (docs/lake.md)")
    actions = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    m = actions.add_parser("migrate", help="copy a warehouse file's tables into the lake (idempotent)")
    m.add_argument("file", help="the warehouse file to copy (e.g. warehouse/news.duckdb)")
    m.add_argument("--db", help="the lake: ducklake:postgres:dbname=... host=... (default: setting `lake`)")
    m.add_argument("--data-path", help="where a new lake writes its files (default: setting lake_data_path)")
    m.add_argument("--json", action="store_true", help="print the rows copied per table as JSON")
    m.set_defaults(func=handle_migrate)


def handle_migrate(args: argparse.Namespace) -> int:
    from pipeline.errors import ConfigError
    from pipeline.load.warehouse import Warehouse
    from pipeline.settings import load_settings

    settings = load_settings(args.config, db_path=args.db, lake_data_path=args.data_path)
    if not settings.lake:
        raise ConfigError("no lake to migrate into",
                          hint="pass --db ducklake:postgres:dbname=... host=... user=... or set NEWSMON_LAKE")
    with Warehouse(settings) as wh:
        copied = wh.copy_from_file(args.file)
        where = wh.location
    if args.json:
        print(json.dumps(copied))
    else:
        print(f"copied {args.file} into {where}")
        for table, rows in copied.items():
            print(f"  {table:<20} {rows}")
    return 0
