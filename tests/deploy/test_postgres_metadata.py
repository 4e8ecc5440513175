"""The compose deployment's database path: Airflow's metadata in PostgreSQL, not SQLite.

A real PostgreSQL server (Debian's package) starts on 127.0.0.1 with a temp data dir;
`airflow db migrate` builds the schema there and `airflow dags test news_seeds` runs the whole
pipeline on the seeds, recording the run in PostgreSQL and the data in a temp DuckDB.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import warnings
from pathlib import Path

import duckdb
import pytest

pytestmark = pytest.mark.e2e  # every test here runs the whole pipeline

REPO = Path(__file__).resolve().parents[2]
AIRFLOW = Path(sys.executable).parent / "airflow"
SEED_COUNT = len(list((REPO / "seeds").glob("*.txt")))


def _airflow_env(tmp_path: Path, sql_alchemy_conn: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("AIRFLOW", "NEWSMON_"))}  # nothing from the caller's setup leaks in
    env.update({
        "AIRFLOW_HOME": str(tmp_path / "airflow_home"),
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": sql_alchemy_conn,
        "AIRFLOW__CORE__DAGS_FOLDER": str(REPO / "dags"),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__CORE__PARALLELISM": "2",
        "AIRFLOW__LOGGING__LOGGING_LEVEL": "WARNING",
        "NEWSMON_DB_PATH": str(tmp_path / "warehouse" / "news.duckdb"),
        "NEWSMON_STAGING_DIR": str(tmp_path / "staging"),
        "NEWSMON_REPORTS_DIR": str(tmp_path / "reports"),
        "NEWSMON_SEEDS_DIR": str(REPO / "seeds"),
    })
    if importlib.util.find_spec("asyncpg") is None:
        # Airflow 3 also opens an async engine, derived as postgresql+asyncpg:// (the official
        # image ships asyncpg). Without it the venv can still exercise every sync path the
        # scheduler and `dags test` use; an empty URL is Airflow's switch for "no async engine".
        warnings.warn("asyncpg is not installed: Airflow's async metadata engine is off in this test",
                      stacklevel=2)
        env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN_ASYNC"] = ""
    return env


def _airflow(env: dict[str, str], cwd: Path, *args: str) -> subprocess.CompletedProcess:
    result = subprocess.run([str(AIRFLOW), *args], env=env, cwd=cwd, capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, f"airflow {' '.join(args)} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result


@pytest.mark.slow
def test_news_seeds_dag_with_postgres_metadata_db(postgres_server, tmp_path):
    if not (REPO / "dags" / "news_seeds.py").exists():
        pytest.skip("dags/news_seeds.py is not there yet")
    assert SEED_COUNT == 5
    env = _airflow_env(tmp_path, postgres_server.sqlalchemy_url)

    _airflow(env, tmp_path, "db", "migrate")
    # The schema lives in PostgreSQL, and Airflow did not fall back to a SQLite file.
    tables = {row[0] for row in postgres_server.query(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'")}
    assert {"dag_run", "task_instance", "slot_pool", "alembic_version"} <= tables
    assert not list((tmp_path / "airflow_home").glob("*.db"))

    _airflow(env, tmp_path, "pools", "set", "duckdb_writer", "1", "DuckDB has one writer")
    assert postgres_server.query("SELECT slots FROM slot_pool WHERE pool = 'duckdb_writer'") == [(1,)]

    _airflow(env, tmp_path, "dags", "test", "news_seeds")

    runs = postgres_server.query("SELECT run_id, state FROM dag_run WHERE dag_id = 'news_seeds'")
    assert len(runs) == 1 and runs[0][1] == "success", runs
    task_states = dict(postgres_server.query(
        "SELECT task_id, state FROM task_instance WHERE dag_id = 'news_seeds' AND run_id = %s", (runs[0][0],)))
    assert task_states.get("publish") == "success", task_states
    assert set(task_states.values()) == {"success"}, task_states

    with duckdb.connect(env["NEWSMON_DB_PATH"], read_only=True) as con:
        articles = con.execute("SELECT count(*), count(DISTINCT content_hash) FROM articles").fetchone()
        run_ids = con.execute("SELECT run_id FROM pipeline_runs").fetchall()
    assert articles == (5, 5)
    # The warehouse records the Airflow run it came from (start_run keeps Airflow's run id).
    assert len(run_ids) == 1
