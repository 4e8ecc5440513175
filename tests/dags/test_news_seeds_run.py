"""The news_seeds DAG, run by Airflow itself (`airflow dags test`) into a temporary warehouse."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from tests.conftest import PROJECT_ROOT

AIRFLOW = str(Path(sys.executable).parent / "airflow")


@pytest.fixture(scope="module")
def dag_run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("dagrun")
    env = {**os.environ,
           "AIRFLOW_HOME": str(tmp / "airflow"),
           "AIRFLOW__CORE__DAGS_FOLDER": str(PROJECT_ROOT / "dags"),
           "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
           "NEWSMON_DB_PATH": str(tmp / "news.duckdb"),
           "NEWSMON_STAGING_DIR": str(tmp / "staging"),
           "NEWSMON_REPORTS_DIR": str(tmp / "reports")}
    for cmd in (["db", "migrate"], ["pools", "set", "duckdb_writer", "1", "DuckDB has one writer"]):
        subprocess.run([AIRFLOW, *cmd], env=env, check=True, capture_output=True, timeout=300)
    result = subprocess.run([AIRFLOW, "dags", "test", "news_seeds", "2022-01-04"], env=env,
                            capture_output=True, text=True, timeout=900)
    return result, tmp / "news.duckdb", tmp


def test_dag_run_succeeds(dag_run):
    result, db, _ = dag_run
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
    assert db.exists()


def test_warehouse_holds_the_five_seed_articles(dag_run):
    _, db, _ = dag_run
    with duckdb.connect(str(db), read_only=True) as con:
        titles = [r[0] for r in con.execute("SELECT title FROM articles ORDER BY source_uri").fetchall()]
        runs = con.execute("SELECT trigger FROM pipeline_runs").fetchall()
    assert len(titles) == 5
    assert titles[0].startswith("Putin looking for a way to save face")
    assert titles[1] == "The West has a rare window to put Putin in his place"
    assert titles[4] == "United States and Russia: Progress in Talks or Preparations for War?"
    assert runs == [("airflow",)]


def test_no_orphan_rows(dag_run):
    _, db, _ = dag_run
    checks = {
        "mention without entity": "SELECT count(*) FROM entity_mentions m "
                                  "LEFT JOIN entities e USING (entity_id) WHERE e.entity_id IS NULL",
        "mention without article": "SELECT count(*) FROM entity_mentions m "
                                   "LEFT JOIN articles a USING (article_id) WHERE a.article_id IS NULL",
        "event mention without event": "SELECT count(*) FROM event_mentions m "
                                       "LEFT JOIN events e USING (event_id) WHERE e.event_id IS NULL",
        "span without article": "SELECT count(*) FROM boilerplate_removed b "
                                "LEFT JOIN articles a USING (article_id) WHERE a.article_id IS NULL",
        "article without document": "SELECT count(*) FROM articles a "
                                    "LEFT JOIN documents d USING (doc_id) WHERE d.doc_id IS NULL",
    }
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM entity_mentions").fetchone()[0] > 0
        for name, sql in checks.items():
            assert con.execute(sql).fetchone()[0] == 0, name


def test_staging_is_cleaned_after_publish_and_reports_exist(dag_run):
    _, _, tmp = dag_run
    assert not any((tmp / "staging").glob("run_id=*/*.parquet"))
    assert (tmp / "reports" / "quality.html").is_file()


def test_rerunning_the_dag_run_changes_nothing(dag_run):
    """Clear-and-re-run of the same DAG run (same logical date) converges to the same rows."""
    result, db, tmp = dag_run
    snapshot_sql = ["SELECT doc_id FROM documents ORDER BY 1",
                    "SELECT article_id, title, cluster_id FROM articles ORDER BY 1",
                    "SELECT entity_id, article_count, mention_count FROM entities ORDER BY 1",
                    "SELECT article_id, entity_id, start_char FROM entity_mentions ORDER BY 1, 3",
                    "SELECT event_id, num_mentions FROM events ORDER BY 1"]

    def snapshot():
        with duckdb.connect(str(db), read_only=True) as con:
            return [con.execute(sql).fetchall() for sql in snapshot_sql]

    before = snapshot()
    env = {**os.environ,
           "AIRFLOW_HOME": str(tmp / "airflow"),
           "AIRFLOW__CORE__DAGS_FOLDER": str(PROJECT_ROOT / "dags"),
           "NEWSMON_DB_PATH": str(db),
           "NEWSMON_STAGING_DIR": str(tmp / "staging"),
           "NEWSMON_REPORTS_DIR": str(tmp / "reports")}
    again = subprocess.run([AIRFLOW, "dags", "test", "news_seeds", "2022-01-04"], env=env,
                           capture_output=True, text=True, timeout=900)
    assert again.returncode == 0, (again.stdout + again.stderr)[-3000:]
    assert snapshot() == before
