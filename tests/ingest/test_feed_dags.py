"""news_feeds and news_quality: import cleanly, scheduled and wired as the feeds issue asks."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.conftest import PROJECT_ROOT


@pytest.fixture(scope="module")
def dagbag():
    from airflow.dag_processing.dagbag import DagBag

    return DagBag(dag_folder=str(PROJECT_ROOT / "dags"))


def test_feed_dags_import_without_errors(dagbag):
    assert dagbag.import_errors == {}
    assert {"news_feeds", "news_quality"} <= set(dagbag.dag_ids)


def test_news_feeds_runs_every_15_minutes_one_at_a_time(dagbag):
    dag = dagbag.dags["news_feeds"]
    assert dag.timetable.delta == timedelta(minutes=15)
    assert dag.catchup is False and dag.max_active_runs == 1
    assert {"newsmon", "feeds"} <= set(dag.tags)
    order = [t.task_id for t in dag.topological_sort()]
    assert order == ["start", "ingest", "clean", "dedup", "extract", "validate", "publish"]
    for t in dag.tasks:
        assert t.retries >= 1 and t.retry_policy is not None, t.task_id


def test_only_publish_writes_and_it_updates_the_warehouse_asset(dagbag):
    dag = dagbag.dags["news_feeds"]
    pooled = {t.task_id for t in dag.tasks if t.pool == "duckdb_writer"}
    assert pooled == {"publish"}
    assert [o.name for o in dag.get_task("publish").outlets] == ["newsmon_warehouse"]


def test_news_quality_is_scheduled_on_the_warehouse_asset(dagbag):
    dag = dagbag.dags["news_quality"]
    assert dag.catchup is False and dag.max_active_runs == 1 and "quality" in dag.tags
    assert [a.name for a in dag.timetable.asset_condition.objects] == ["newsmon_warehouse"]
    (task,) = dag.tasks
    assert task.pool == "duckdb_writer" and task.retries >= 1


def test_feed_interval_comes_from_the_settings(monkeypatch):
    """NEWSMON_FEED_INTERVAL_MINUTES changes the schedule when the DAG file is parsed."""
    from airflow.dag_processing.dagbag import DagBag

    monkeypatch.setenv("NEWSMON_FEED_INTERVAL_MINUTES", "5")
    bag = DagBag(dag_folder=str(PROJECT_ROOT / "dags" / "news_feeds.py"))
    assert bag.import_errors == {}
    assert bag.dags["news_feeds"].timetable.delta == timedelta(minutes=5)


@pytest.fixture(scope="module")
def feeds_dag_run(tmp_path_factory):
    """`airflow dags test news_feeds` on the seed fixture feed, then news_quality, into a temp warehouse."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    tmp = tmp_path_factory.mktemp("feeds_dag")
    feeds_file = tmp / "feeds.toml"
    fixture = Path(__file__).parent / "cases" / "feeds" / "local" / "seeds.rss"
    feeds_file.write_text(f'[[feed]]\nname = "seed-fixtures"\nurl = "{fixture}"\n', encoding="utf-8")
    env = {**os.environ, "AIRFLOW_HOME": str(tmp / "airflow"),
           "AIRFLOW__CORE__DAGS_FOLDER": str(PROJECT_ROOT / "dags"), "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
           "NEWSMON_DB_PATH": str(tmp / "news.duckdb"), "NEWSMON_STAGING_DIR": str(tmp / "staging"),
           "NEWSMON_REPORTS_DIR": str(tmp / "reports"), "NEWSMON_FEEDS_FILE": str(feeds_file)}
    airflow = str(Path(sys.executable).parent / "airflow")
    for cmd in (["db", "migrate"], ["pools", "set", "duckdb_writer", "1", "DuckDB has one writer"]):
        subprocess.run([airflow, *cmd], env=env, check=True, capture_output=True, timeout=300)
    runs = {dag_id: subprocess.run([airflow, "dags", "test", dag_id, "2026-01-05"], env=env,
                                   capture_output=True, text=True, timeout=900)
            for dag_id in ("news_feeds", "news_quality")}
    return runs, tmp


@pytest.mark.slow
def test_news_feeds_dag_loads_the_feed_and_announces_the_warehouse_update(feeds_dag_run):
    import sqlite3

    import duckdb

    runs, tmp = feeds_dag_run
    result = runs["news_feeds"]
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
    with duckdb.connect(str(tmp / "news.duckdb"), read_only=True) as con:
        docs = con.execute("SELECT source_kind, content_origin, feed_name FROM documents").fetchall()
        assert docs == [("feed_entry", "page", "seed-fixtures")] * 5
        assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == 5
        (status,) = con.execute("SELECT last_status FROM feed_state").fetchone()
        assert status == "ok: 5 new of 5"
        (run_id,) = con.execute("SELECT run_id FROM pipeline_runs").fetchone()
    with sqlite3.connect(tmp / "airflow" / "airflow.db") as meta:
        events = meta.execute("SELECT extra, source_dag_id, source_task_id FROM asset_event").fetchall()
    assert events == [(f'{{"run_id": "{run_id}"}}', "news_feeds", "publish")]


@pytest.mark.slow
def test_news_quality_dag_stores_quality_results(feeds_dag_run):
    import duckdb

    runs, tmp = feeds_dag_run
    result = runs["news_quality"]
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
    with duckdb.connect(str(tmp / "news.duckdb"), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM quality_results").fetchone()[0] > 0
