"""The single-writer rule across processes: a publisher that meets a held DuckDB lock fails with
a transient error (Airflow retries it) and leaves the staged run intact, so the retry loads it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from pipeline import flow
from pipeline.load.warehouse import Warehouse
from pipeline.settings import load_settings

pytestmark = pytest.mark.e2e  # every test here runs the whole pipeline

REPO = Path(__file__).resolve().parents[2]
SEEDS = sorted((REPO / "seeds").glob("*.txt"))[:2]


def _publish(env: dict[str, str], run_id: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "tests.deploy.step_runner", "publish", run_id], env=env,
                          cwd=cwd, capture_output=True, text=True, timeout=300)


@pytest.mark.slow
def test_publisher_waits_out_another_writer_then_loads_the_staged_run(tmp_path):
    paths = {"db_path": tmp_path / "warehouse" / "news.duckdb", "staging_dir": tmp_path / "staging",
             "reports_dir": tmp_path / "reports"}
    settings = load_settings(env={"NEWSMON_CONFIG": ""}, **paths)
    run_id = flow.start_run("test", settings)
    flow.ingest_step(run_id, [str(p) for p in SEEDS], [], settings)
    for step in (flow.clean_step, flow.dedup_step, flow.extract_step, flow.validate_step):
        step(run_id, settings)
    run_dir = next(settings.staging_dir.iterdir())

    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSMON_")}
    env.update({f"NEWSMON_{k.upper()}": str(v) for k, v in paths.items()})
    env.update({"NEWSMON_CONFIG": "", "PYTHONPATH": str(REPO), "NEWSMON_LOCK_TIMEOUT_SECONDS": "1"})

    with Warehouse(settings):  # another writer holds the file for the publisher's whole life
        blocked = _publish(env, run_id, tmp_path)
    assert blocked.returncode != 0
    assert "WarehouseLockedError" in blocked.stderr, blocked.stderr[-2000:]
    assert (run_dir / "validated" / "articles.parquet").exists(), "a failed publish must keep the staged run"

    retried = _publish(env, run_id, tmp_path)
    assert retried.returncode == 0, retried.stderr[-2000:]
    assert not run_dir.exists()
    with duckdb.connect(str(paths["db_path"]), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM articles").fetchone() == (len(SEEDS),)
        assert con.execute("SELECT run_id FROM pipeline_runs").fetchall() == [(run_id,)]
