"""`newsmon sql` and `newsmon status`: read the warehouse (read-only)."""

from __future__ import annotations

import argparse
import json


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("sql", help="run a read-only SQL query on the warehouse and print the result")
    p.add_argument("query")
    p.add_argument("--db", help="warehouse file (default: warehouse/news.duckdb)")
    p.add_argument("--max-width", type=int, default=160)
    p.set_defaults(func=handle_sql)
    s = sub.add_parser("status", help="table counts and the latest run of the warehouse")
    s.add_argument("--db", help="warehouse file (default: warehouse/news.duckdb)")
    s.set_defaults(func=handle_status)


def _warehouse(args: argparse.Namespace):
    from pipeline.load.warehouse import Warehouse
    from pipeline.settings import load_settings

    return Warehouse(load_settings(args.config, db_path=args.db), sandboxed=True)


def handle_sql(args: argparse.Namespace) -> int:
    import duckdb

    from pipeline.errors import ConfigError

    with _warehouse(args) as wh:
        try:
            relation = wh.con.sql(args.query)
            if relation is None:  # a statement without a result
                text = "(done)"
            else:
                text = str(relation) if args.max_width <= 0 else _render(relation, args.max_width)
        except duckdb.Error as exc:
            # DuckDB's message may point at the query over several lines: the first says what.
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else exc.__class__.__name__
            raise ConfigError(f"the query failed: {first}",
                              hint="newsmon sql runs read-only queries on the warehouse's tables only") from exc
    print(text)
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


def handle_status(args: argparse.Namespace) -> int:
    from pipeline.load.warehouse import read_sql

    with _warehouse(args) as wh:
        counts = wh.con.execute(read_sql("status_counts")).fetchone()
        names = [d[0] for d in wh.con.description]
        run = wh.con.execute(read_sql("latest_run")).fetchone()
        print(f"warehouse {wh.path}")
        for name, value in zip(names, counts, strict=True):
            print(f"  {name:<20} {value}")
        if run:
            stats = json.loads(run[3]) if run[3] else {}
            print(f"latest run {run[0]} ({run[4]}) {run[1]:%Y-%m-%d %H:%M:%S} -> {run[2]:%H:%M:%S} UTC")
            failed = wh.con.execute(
                "SELECT expectation FROM quality_results WHERE run_id = ? AND NOT success "
                "AND severity = 'critical' ORDER BY expectation", [run[0]]).fetchall()
            n_results = wh.scalar("SELECT count(*) FROM quality_results WHERE run_id = ?", [run[0]])
            quality = ("not run" if not n_results else "ok" if not failed else
                       "FAILED: " + ", ".join(r[0] for r in failed))
            print(f"  quality              {quality} ({n_results} expectations)")
            ingest = stats.get("ingest", {})
            if ingest:
                print(f"  documents read       {ingest.get('documents')} "
                      f"(already loaded, skipped: {ingest.get('skipped_known')})")
    return 0
