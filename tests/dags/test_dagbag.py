"""The DAG files import cleanly and are wired as the guide asks."""

from __future__ import annotations

import pytest

from tests.conftest import PROJECT_ROOT


@pytest.fixture(scope="module")
def dagbag():
    from airflow.dag_processing.dagbag import DagBag

    return DagBag(dag_folder=str(PROJECT_ROOT / "dags"))


def test_no_import_errors(dagbag):
    assert dagbag.import_errors == {}
    assert "news_seeds" in dagbag.dag_ids


def test_every_dag_has_tags_retries_and_no_catchup(dagbag):
    for dag_id, dag in dagbag.dags.items():
        assert dag.tags, dag_id
        assert dag.catchup is False, dag_id
        for task in dag.tasks:
            assert task.retries >= 1, f"{dag_id}.{task.task_id}"
            assert task.retry_policy is not None, f"{dag_id}.{task.task_id}"


def test_only_warehouse_writers_use_the_single_slot_pool(dagbag):
    dag = dagbag.dags["news_seeds"]
    pooled = {t.task_id for t in dag.tasks if t.pool == "duckdb_writer"}
    assert pooled == {"publish", "quality", "monitor"}
    order = [t.task_id for t in dag.topological_sort()]
    assert order == ["start", "ingest", "clean", "dedup", "extract", "validate", "publish", "quality", "monitor"]


def test_news_backfill_loads_each_planned_batch_as_one_writer_task_then_monitors(dagbag):
    dag = dagbag.dags["news_backfill"]
    assert [t.task_id for t in dag.topological_sort()] == ["plan", "load", "monitor"]
    assert {t.task_id for t in dag.tasks if t.pool == "duckdb_writer"} == {"load", "monitor"}
    load = dag.get_task("load")
    assert load.max_active_tis_per_dagrun == 1  # one batch at a time, as `newsmon run`
    assert [o.name for o in load.outlets] == ["newsmon_warehouse"]


def test_news_alerts_runs_on_the_warehouse_asset_and_only_evaluate_takes_the_writer_pool(dagbag):
    quality = dagbag.dags["news_quality"].get_task("quality")
    dag = dagbag.dags["news_alerts"]
    assert [t.task_id for t in dag.topological_sort()] == ["evaluate", "deliver"]
    assert {t.task_id for t in dag.tasks if t.pool == "duckdb_writer"} == {"evaluate"}
    assert dag.get_task("evaluate").priority_weight > quality.priority_weight
    assert type(dag.timetable).__name__ == "AssetTriggeredTimetable"
    assert "newsmon_warehouse" in str(dag.timetable.asset_condition)


def test_news_feeds_ships_paused_while_the_feeds_file_names_no_feed(dagbag):
    assert dagbag.dags["news_feeds"].is_paused_upon_creation is True


def test_news_feeds_starts_unpaused_once_the_feeds_file_names_a_feed(tmp_path, monkeypatch):
    from airflow.dag_processing.dagbag import DagBag

    feeds = tmp_path / "feeds.toml"
    feeds.write_text('[[feed]]\nname = "world"\nurl = "https://news.example.org/rss.xml"\n', encoding="utf-8")
    monkeypatch.setenv("NEWSMON_FEEDS_FILE", str(feeds))
    bag = DagBag(dag_folder=str(PROJECT_ROOT / "dags" / "news_feeds.py"))
    assert bag.import_errors == {}
    assert bag.dags["news_feeds"].is_paused_upon_creation is False
