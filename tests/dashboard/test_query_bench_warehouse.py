"""The query benchmark's synthetic warehouse follows the real schema, and every dashboard
query finds rows in it: a schema change that the benchmark misses fails here, not at 1M rows."""

from __future__ import annotations

import re

import duckdb

from benchmarks.query_bench import build_synthetic_warehouse, query_params
from dashboard import data, queries


def test_every_dashboard_query_returns_rows_on_the_synthetic_warehouse(tmp_path):
    db_path = tmp_path / "bench.duckdb"
    build_synthetic_warehouse(db_path, 2000)
    with duckdb.connect(str(db_path), read_only=True) as con:
        article_id = con.execute("SELECT duplicate_of FROM articles WHERE is_duplicate LIMIT 1").fetchone()[0]
    snapshot = data.Snapshot(db_path)
    try:
        params = query_params(snapshot.con, article_id)
        empty = []
        for query in queries.ALL_QUERIES:
            wanted = {name: params[name] for name in set(re.findall(r"\$(\w+)", query.sql))}
            if not len(snapshot.run(query, wanted)):
                empty.append(query.name)
    finally:
        snapshot.close()
    assert empty == []
