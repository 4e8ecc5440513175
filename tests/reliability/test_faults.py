"""Faults: a killed load, concurrent runs, a full disk and a read-only warehouse.

Each leaves the warehouse as it was before the failed run, and the next run converges.
"""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from tests.conftest import SEED_FILES, SEEDS_DIR

pytestmark = pytest.mark.e2e  # every test here runs the whole pipeline

TABLES = ["documents", "articles", "boilerplate_removed", "entities", "entity_mentions", "events",
          "event_mentions", "quarantine"]


def table_rows(db: Path) -> dict[str, list[tuple]]:
    with duckdb.connect(str(db), read_only=True) as con:
        out = {}
        for table in TABLES:
            cols = [c[0] for c in con.execute(f"DESCRIBE {table}").fetchall()
                    if c[0] not in {"run_id", "fetched_at", "quarantined_at", "first_seen_at", "first_seen",
                                    "last_seen", "date_anchor"}]
            out[table] = sorted(con.execute(f"SELECT {', '.join(cols)} FROM {table}").fetchall(), key=repr)
        return out


def newsmon(tmp: Path, *args: str, kill_at: str = "", **kw) -> subprocess.CompletedProcess:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp), "NEWSMON_STAGING_DIR": str(tmp / "staging"),
           "NEWSMON_REPORTS_DIR": str(tmp / "reports"), "NEWSMON_LOCK_TIMEOUT_SECONDS": "300",
           "NEWSMON_KILL_AT": kill_at}
    if args and args[0] == "run":  # quality suites are tested elsewhere; here they only cost time
        args = ("run", "--no-quality", *args[1:])
    return subprocess.run([sys.executable, "-m", "pipeline.cli", *args], capture_output=True, text=True,
                          env=env, cwd=tmp, timeout=600, **kw)


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """The runs of the fault tests without the fault (one seed, then all): what recovery converges to."""
    tmp = tmp_path_factory.mktemp("reference")
    for inputs in (SEED_FILES[0], SEEDS_DIR):
        result = newsmon(tmp, "run", str(inputs), "--db", str(tmp / "news.duckdb"))
        assert result.returncode == 0, result.stderr
    return table_rows(tmp / "news.duckdb")


def test_sigkill_during_load_leaves_previous_state_and_rerun_converges(tmp_path, reference):
    db = tmp_path / "news.duckdb"
    first = newsmon(tmp_path, "run", str(SEED_FILES[0]), "--db", str(db))
    assert first.returncode == 0, first.stderr
    before = table_rows(db)
    # The settings' kill point (pipeline/faults.py): SIGKILL inside the load transaction, every
    # table written, before COMMIT.
    killed = newsmon(tmp_path, "run", str(SEEDS_DIR), "--db", str(db), kill_at="load.before_commit")
    assert killed.returncode == -9, killed.stderr[-2000:]
    assert table_rows(db) == before  # the half-done transaction is gone
    again = newsmon(tmp_path, "run", str(SEEDS_DIR), "--db", str(db))
    assert again.returncode == 0, again.stderr
    assert table_rows(db) == reference


def test_two_runs_at_once_lose_nothing(tmp_path, reference):
    db = tmp_path / "news.duckdb"
    halves = [SEED_FILES[:3], SEED_FILES[2:]]  # overlapping on purpose: the shared file loads once
    env = {"PATH": "/usr/bin:/bin", "NEWSMON_LOCK_TIMEOUT_SECONDS": "300"}
    procs = [subprocess.Popen([sys.executable, "-m", "pipeline.cli", "run", "--no-quality", *map(str, half),
                               "--db", str(db)],
                              cwd=tmp_path, env={**env, "NEWSMON_STAGING_DIR": str(tmp_path / f"staging{i}"),
                                                 "NEWSMON_REPORTS_DIR": str(tmp_path / f"reports{i}")},
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for i, half in enumerate(halves)]
    outputs = [p.communicate(timeout=600) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], [o[1][-1500:] for o in outputs]
    rows = table_rows(db)
    assert len(rows["articles"]) == 5
    assert rows["documents"] == reference["documents"]
    assert rows["articles"] == reference["articles"]


@contextlib.contextmanager
def tmpfs(path: Path, size: str):
    path.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)],
                             capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({mounted.stderr.strip()}): needs root")
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], capture_output=True)


def test_read_only_warehouse_gives_a_clear_error_and_no_write(tmp_path):
    with tmpfs(tmp_path / "ro", "64m") as mnt:
        db = mnt / "news.duckdb"
        assert newsmon(tmp_path, "run", str(SEED_FILES[0]), "--db", str(db)).returncode == 0
        before = table_rows(db)
        subprocess.run(["mount", "-o", "remount,ro", str(mnt)], check=True)
        result = newsmon(tmp_path, "run", str(SEEDS_DIR), "--db", str(db))
        assert result.returncode == 1
        assert "newsmon run: cannot open the warehouse" in result.stderr and "Traceback" not in result.stderr
        assert table_rows(db) == before


def test_disk_full_during_load_writes_nothing(tmp_path):
    with tmpfs(tmp_path / "small", "32m") as mnt:
        db = mnt / "news.duckdb"
        first = newsmon(tmp_path, "run", str(SEED_FILES[0]), "--db", str(db))
        assert first.returncode == 0, first.stderr
        before = table_rows(db)
        # Leave a sliver of free space: less than the next load needs.
        free = shutil.disk_usage(mnt).free
        with (mnt / "filler").open("wb") as fh:
            fh.truncate(0)
            fh.write(b"\0" * (free - 16_384))
        result = newsmon(tmp_path, "run", str(SEEDS_DIR), "--db", str(db))
        assert result.returncode == 1, result.stdout
        assert "newsmon run: loading run" in result.stderr and "nothing was written" in result.stderr
        assert "Traceback" not in result.stderr
        copy = tmp_path / "after.duckdb"
        shutil.copy(db, copy)
        if (mnt / "news.duckdb.wal").exists():
            shutil.copy(mnt / "news.duckdb.wal", tmp_path / "after.duckdb.wal")
    assert table_rows(copy) == before
