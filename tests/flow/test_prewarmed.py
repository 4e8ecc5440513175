"""The quality step run by the prewarmed process started with the run gives what the step gives in-process."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import duckdb
import pytest

from pipeline import flow
from pipeline.errors import WarehouseError
from pipeline.executor import IMPORT_NICENESS, Prewarmed
from pipeline.flow import quality_step, run_pipeline
from tests.conftest import SEEDS_DIR, make_settings


def _stored(db, run_id):
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute("SELECT suite, expectation, success FROM quality_results WHERE run_id = ? "
                           "ORDER BY 1, 2", [run_id]).fetchall()


@pytest.mark.e2e
def test_the_warm_process_gives_the_in_process_outcome(tmp_path):
    settings = make_settings(tmp_path)
    summary = run_pipeline([str(SEEDS_DIR)], [], settings, run_quality=False)
    with Prewarmed(flow.QUALITY_IMPORTS) as warm:
        outcome = warm.call(quality_step, summary.run_id, settings, fail_on_critical=False)
    stored = _stored(settings.db_path, summary.run_id)
    here = quality_step(summary.run_id, settings, out_dir=tmp_path / "here", fail_on_critical=False)
    assert outcome["expectations"] == here["expectations"] == len(stored) > 100
    assert (outcome["failures"], outcome["warnings"]) == (here["failures"], here["warnings"])
    assert _stored(settings.db_path, summary.run_id) == stored  # same rows, written once
    assert "<html" in (tmp_path / "reports" / "quality.html").read_text(encoding="utf-8").lower()
    assert warm.exitcode == 0  # left on its own after answering, reports written whole


def test_leaving_without_a_request_stops_the_process():
    warm = Prewarmed(flow.QUALITY_IMPORTS)
    with warm:
        pass
    # Stopped mid-import (SIGTERM), not left to finish its 3-second import of GX.
    assert warm.exitcode == -signal.SIGTERM  # None while it runs


def test_an_error_in_the_quality_process_is_raised_in_the_parent(tmp_path):
    (tmp_path / "news.duckdb").write_text("a text file where the warehouse should be", encoding="utf-8")
    settings = make_settings(tmp_path, db_path=tmp_path / "news.duckdb")
    # Nothing imported ahead and a step that fails at once, opening the warehouse (the real
    # import list and a whole quality step are the e2e tests' around this one).
    with Prewarmed(()) as warm, pytest.raises(WarehouseError, match="cannot open the warehouse"):
        warm.call(quality_step, "run-x", settings, fail_on_critical=False)


@pytest.mark.e2e
def test_run_pipeline_validates_in_the_warm_process_when_it_has_one(tmp_path, monkeypatch):
    # This test process has imported great_expectations already; pretend it has not, so the
    # run starts the warm process as a fresh `newsmon run` would.
    started = []
    monkeypatch.setattr(flow, "imported", lambda module: False)
    real = flow.Prewarmed

    def recording(modules):
        started.append(real(modules))
        return started[-1]

    monkeypatch.setattr(flow, "Prewarmed", recording)
    settings = make_settings(tmp_path)
    summary = run_pipeline([str(SEEDS_DIR)], [], settings)
    assert len(started) == 1 and started[0].exitcode == 0
    assert summary.report_path and summary.quality_failures == []
    assert len(_stored(settings.db_path, summary.run_id)) > 100
    again = run_pipeline([str(SEEDS_DIR)], [], settings)  # nothing new: no process, no quality
    assert len(started) == 1 and again.report_path is None and again.documents == 0


def _thread_niceness(pid: int) -> dict[int, int]:
    out = {}
    for stat in Path(f"/proc/{pid}/task").glob("*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # the thread ended
            continue
        out[int(stat.parent.name)] = int(fields[16])  # field 19 of stat: nice
    return out


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="per-thread niceness is read from /proc")
def test_the_imports_run_at_low_priority_and_the_main_thread_does_not():
    with Prewarmed(flow.QUALITY_IMPORTS) as warm:
        pid = warm.pid
        seen: dict[int, int] = {}
        for _ in range(1000):  # until the import thread has lowered its own priority
            seen = _thread_niceness(pid)
            if len(set(seen.values())) > 1:
                break
            time.sleep(0.01)
    ours = os.getpriority(os.PRIO_PROCESS, 0)
    assert seen.get(pid) == ours  # the main thread, which runs the step and forks its workers
    assert min(19, ours + IMPORT_NICENESS) in [n for tid, n in seen.items() if tid != pid]
