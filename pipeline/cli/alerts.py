"""`newsmon alerts [--watch NAME] [--since]`: the alerts the watchlists raised (pipeline.alerts.list_alerts)."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime

from pipeline.errors import ConfigError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("alerts", help="list the alerts the watchlists raised (newest first)")
    p.add_argument("--watch", help="only this watch's alerts")
    p.add_argument("--since", help="first seen on or after YYYY-MM-DD[THH:MM]")
    p.add_argument("--limit", type=int, default=100)
    p.add_argument("--json", action="store_true", help="one JSON object per alert")
    p.add_argument("--evaluate", action="store_true",
                   help="first sync the search index, evaluate the watchlists on what is new and deliver "
                        "pending or failed alerts (what runs after every publish)")
    p.add_argument("--db", help="warehouse file (default: warehouse/news.duckdb)")
    p.set_defaults(func=handle)


def handle(args: argparse.Namespace) -> int:
    from pipeline.alerts import list_alerts
    from pipeline.cli._common import require_warehouse
    from pipeline.settings import load_settings

    since = None
    if args.since:
        try:
            since = datetime.fromisoformat(args.since)
        except ValueError:
            raise ConfigError(f"--since {args.since!r} is not a date", hint="give YYYY-MM-DD or YYYY-MM-DDTHH:MM") from None
    settings = load_settings(args.config, db_path=args.db)
    require_warehouse(settings)
    if args.evaluate:
        from pipeline.flow import monitor_step

        outcome = monitor_step(settings)
        print(", ".join(f"{k}={v}" for k, v in outcome.items()), file=sys.stderr)
    alerts = list_alerts(settings, watch=args.watch, since=since, limit=max(1, args.limit))
    if args.json:
        for alert in alerts:
            print(json.dumps(alert, default=str, ensure_ascii=False))
        return 0
    if not alerts:
        print("no alerts" + (f" for watch {args.watch!r}" if args.watch else "") + (f" since {since}" if since else ""))
        return 0
    for a in alerts:
        delivered = f"delivered {a['delivered_at']:%Y-%m-%d %H:%M:%S}" if a["delivered_at"] else a["status"]
        print(f"{a['first_seen']:%Y-%m-%d %H:%M:%S}  {a['watch']}  {a['item_kind']} {a['item_id']}  "
              f"{delivered} ({a['attempts']} tries)")
        print(f"    {a['title'] or ''}")
        print(f"    matched: {', '.join(a['matched_terms'])}" + (f"  sources: {a['sources']}" if a["sources"] else ""))
        if a["last_error"]:
            print(f"    error: {a['last_error']}")
    return 0
