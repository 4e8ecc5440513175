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
