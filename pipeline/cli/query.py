"""`newsmon sql` and `newsmon status`: read the warehouse (read-only)."""

from __future__ import annotations

import argparse
import json
from typing import Any


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("sql", help="run a read-only SQL query on the warehouse and print the result")
    p.add_argument("query")
    p.add_argument("--db", help="warehouse file (default: warehouse/news.duckdb)")
    p.add_argument("--max-width", type=int, default=160)
    p.add_argument("--json", action="store_true", help="the rows as a JSON array of objects")
    p.set_defaults(func=handle_sql)
    s = sub.add_parser("status", help="table counts and the latest run of the warehouse")
    s.add_argument("--db", help="warehouse file (default: warehouse/news.duckdb)")
    s.add_argument("--json", action="store_true", help="print one JSON object")
    s.set_defaults(func=handle_status)


def _warehouse(args: argparse.Namespace):
    from pipeline.cli._common import require_warehouse
    from pipeline.load.warehouse import Warehouse
    from pipeline.settings import load_settings

    settings = load_settings(args.config, db_path=args.db)
    require_warehouse(settings)
    return Warehouse(settings, sandboxed=True)


def handle_sql(args: argparse.Namespace) -> int:
    import duckdb

    from pipeline.errors import ConfigError

    with _warehouse(args) as wh:
        try:
            relation = wh.con.sql(args.query)
            if relation is None:  # a statement, not a query (SET, PRAGMA, ...): nothing to show
                print("[]" if args.json else "ok (the statement returns no rows)")
                return 0
            if args.json:
                names = relation.columns
                print(json.dumps([dict(zip(names, row, strict=True)) for row in relation.fetchall()],
                                 default=str, ensure_ascii=False))
            else:
                print(str(relation) if args.max_width <= 0 else _render(relation, args.max_width))
        except duckdb.Error as exc:
            first = (str(exc).strip().splitlines() or [""])[0]
            raise ConfigError(f"the query failed: {first}",
                              hint="newsmon sql runs read-only queries on the warehouse's tables only") from exc
    return 0


def _render(relation, max_width: int) -> str:
    rows = relation.fetchall()
    names = relation.columns
    cells = [[("" if v is None else str(v)) for v in row] for row in rows]
    limit = max(8, max_width // max(1, len(names)))
    cells = [[c if len(c) <= limit else c[: limit - 1] + "…" for c in row] for row in cells]
    widths = [max([len(n)] + [len(r[i]) for r in cells]) for i, n in enumerate(names)]
    line = "  ".join(n.ljust(w) for n, w in zip(names, widths, strict=True))
    out = [line, "  ".join("-" * w for w in widths)]
    out += ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in cells]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out)


def warehouse_status(wh: Any) -> dict[str, Any]:
    """Table counts and the latest run, as plain data (printed as text or JSON)."""
    from pipeline.load.warehouse import read_sql

    counts = wh.con.execute(read_sql("status_counts")).fetchone()
    names = [d[0] for d in wh.con.description]
    status: dict[str, Any] = {"warehouse": wh.location, "counts": dict(zip(names, counts, strict=True)),
                              "latest_run": None}
    run = wh.con.execute(read_sql("latest_run")).fetchone()
    if run:
        stats = json.loads(run[3]) if run[3] else {}
        failed = [r[0] for r in wh.con.execute(
            "SELECT expectation FROM quality_results WHERE run_id = ? AND NOT success "
            "AND severity = 'critical' ORDER BY expectation", [run[0]]).fetchall()]
        n_results = wh.scalar("SELECT count(*) FROM quality_results WHERE run_id = ?", [run[0]])
        ingest = stats.get("ingest", {})
        status["latest_run"] = {
            "run_id": run[0], "trigger": run[4], "started_at": run[1], "finished_at": run[2],
            "quality": "not run" if not n_results else "ok" if not failed else "failed",
            "expectations": n_results, "failed_expectations": failed,
            "documents": ingest.get("documents"), "skipped_known": ingest.get("skipped_known")}
    return status


def handle_status(args: argparse.Namespace) -> int:
    with _warehouse(args) as wh:
        status = warehouse_status(wh)
    if args.json:
        print(json.dumps(status, default=str))
        return 0
    print(f"warehouse {status['warehouse']}")
    for name, value in status["counts"].items():
        print(f"  {name:<20} {value}")
    run = status["latest_run"]
    if run:
        print(f"latest run {run['run_id']} ({run['trigger']}) "
              f"{run['started_at']:%Y-%m-%d %H:%M:%S} -> {run['finished_at']:%H:%M:%S} UTC")
        quality = ("FAILED: " + ", ".join(run["failed_expectations"]) if run["quality"] == "failed"
                   else run["quality"])
        print(f"  quality              {quality} ({run['expectations']} expectations)")
        if run["documents"] is not None:
            print(f"  documents read       {run['documents']} (already loaded, skipped: {run['skipped_known']})")
    return 0
