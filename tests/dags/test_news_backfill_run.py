"""The news_backfill DAG, run by Airflow itself (`airflow dags test`): a WARC of more records
than one run takes is loaded in slices, one mapped `load` task each, as `newsmon run` does."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from tests.conftest import PROJECT_ROOT
from tests.ingest.test_archives import PAGE_DE, capture, write_warc

AIRFLOW = str(Path(sys.executable).parent / "airflow")

pytestmark = pytest.mark.e2e  # news_backfill under Airflow, twice (airflow dags test)


@pytest.fixture(scope="module")
def backfill(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("backfill")
    warc = write_warc(tmp / "crawl.warc.gz", [capture(1), capture(2, PAGE_DE), capture(3)])
    env = {**os.environ,
           "AIRFLOW_HOME": str(tmp / "airflow"),
           "AIRFLOW__CORE__DAGS_FOLDER": str(PROJECT_ROOT / "dags"),
           "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
           "NEWSMON_CONFIG": "",
           "NEWSMON_RUN_BATCH_DOCUMENTS": "2",
           "NEWSMON_DB_PATH": str(tmp / "news.duckdb"),
           "NEWSMON_STAGING_DIR": str(tmp / "staging"),
           "NEWSMON_REPORTS_DIR": str(tmp / "reports")}
    for cmd in (["db", "migrate"], ["pools", "set", "duckdb_writer", "1", "DuckDB has one writer"]):
        subprocess.run([AIRFLOW, *cmd], env=env, check=True, capture_output=True, timeout=300)

    def trigger(day: str) -> subprocess.CompletedProcess:
        return subprocess.run([AIRFLOW, "dags", "test", "news_backfill", day, "--conf",
                               json.dumps({"inputs": [str(warc)]})],
                              env=env, capture_output=True, text=True, timeout=900)

    first = trigger("2022-01-04")
    with duckdb.connect(str(tmp / "news.duckdb"), read_only=True) as con:
        rows = con.execute("SELECT url FROM articles ORDER BY url").fetchall()
        runs = con.execute("SELECT trigger, count(*) FROM pipeline_runs GROUP BY ALL").fetchall()
    second = trigger("2022-01-05")
    with duckdb.connect(str(tmp / "news.duckdb"), read_only=True) as con:
        again = con.execute("SELECT count(*) FROM articles").fetchone()[0]
        documents = con.execute("SELECT count(*) FROM documents").fetchone()[0]
    return first, rows, runs, second, again, documents


def test_a_warc_backfill_dag_loads_every_capture_in_slices(backfill):
    first, rows, runs, *_ = backfill
    assert first.returncode == 0, (first.stdout + first.stderr)[-3000:]
    assert [r[0] for r in rows] == [f"https://news.example/{n}" for n in (1, 2, 3)]
    assert runs == [("airflow-backfill", 2)]  # 3 records, 2 a run: two slices, two runs


def test_running_the_backfill_again_loads_nothing_twice(backfill):
    _, rows, _, second, again, documents = backfill
    assert second.returncode == 0, (second.stdout + second.stderr)[-3000:]
    assert again == len(rows) == 3 and documents == 3
