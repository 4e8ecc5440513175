"""The news_alerts DAG run by Airflow itself (`airflow dags test`) after news_feeds loaded the
seed fixture feed: the index is synced, the watch evaluated and its alert posted to a webhook
on 127.0.0.1."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from tests.alerts.test_alerts import Webhook
from tests.conftest import PROJECT_ROOT

FIXTURE_FEED = PROJECT_ROOT / "tests" / "ingest" / "cases" / "feeds" / "local" / "seeds.rss"


@pytest.mark.slow
@pytest.mark.e2e  # news_feeds then news_alerts under Airflow
def test_news_alerts_dag_delivers_the_watch_matches_of_the_load(tmp_path):
    hook = Webhook()
    try:
        feeds = tmp_path / "feeds.toml"
        feeds.write_text(f'[[feed]]\nname = "seed-fixtures"\nurl = "{FIXTURE_FEED}"\n', encoding="utf-8")
        watchlists = tmp_path / "watchlists.toml"
        watchlists.write_text(f'[[watch]]\nname = "geneva"\nquery = "title:talks AND Geneva"\n'
                              f'deliver = ["{hook.url()}"]\n', encoding="utf-8")
        env = {**os.environ, "AIRFLOW_HOME": str(tmp_path / "airflow"),
               "AIRFLOW__CORE__DAGS_FOLDER": str(PROJECT_ROOT / "dags"), "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
               "NEWSMON_DB_PATH": str(tmp_path / "news.duckdb"), "NEWSMON_STAGING_DIR": str(tmp_path / "staging"),
               "NEWSMON_REPORTS_DIR": str(tmp_path / "reports"), "NEWSMON_FEEDS_FILE": str(feeds),
               "NEWSMON_WATCHLISTS_FILE": str(watchlists)}
        airflow = str(Path(sys.executable).parent / "airflow")
        for cmd in (["db", "migrate"], ["pools", "set", "duckdb_writer", "1", "DuckDB has one writer"]):
            subprocess.run([airflow, *cmd], env=env, check=True, capture_output=True, timeout=300)
        for dag_id in ("news_feeds", "news_alerts"):
            result = subprocess.run([airflow, "dags", "test", dag_id, "2026-01-05"], env=env,
                                    capture_output=True, text=True, timeout=900)
            assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
        with duckdb.connect(str(tmp_path / "news.duckdb"), read_only=True) as con:
            expected = {r[0] for r in con.execute(
                "SELECT title FROM articles WHERE regexp_matches(title, '(?i)\\btalks\\b') "
                "AND regexp_matches(title || ' ' || body, '(?i)\\bgeneva\\b')").fetchall()}
            alerts = con.execute("SELECT title, status FROM alerts").fetchall()
        assert expected and {t for t, _ in alerts} == expected
        assert {s for _, s in alerts} == {"delivered"}
        assert sorted(m["title"] for m in hook.received) == sorted(f"newsmon [geneva] article: {t}" for t in expected)
    finally:
        hook.close()
