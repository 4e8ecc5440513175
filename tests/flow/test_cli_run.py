"""`newsmon run` end to end through the console script, on the seeds and on bad input."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from tests.conftest import SEED_FILES, SEEDS_DIR

pytestmark = pytest.mark.e2e  # every test here runs the whole pipeline

NEWSMON = [sys.executable, "-m", "pipeline.cli"]
ID_QUERIES = {
    "documents": "SELECT doc_id FROM documents ORDER BY 1",
    "articles": "SELECT article_id, cluster_id, is_duplicate FROM articles ORDER BY 1",
    "entities": "SELECT entity_id, canonical_name FROM entities ORDER BY 1",
    "mentions": "SELECT article_id, entity_id, start_char FROM entity_mentions ORDER BY 1, 3",
    "events": "SELECT event_id, event_date FROM events ORDER BY 1",
    "event_mentions": "SELECT event_id, article_id, start_char FROM event_mentions ORDER BY 1, 2, 3",
    "boilerplate": "SELECT article_id, position, rule FROM boilerplate_removed ORDER BY 1, 2",
    "quarantine": "SELECT item_id, reason_code FROM quarantine ORDER BY 1",
}


def run_cli(tmp: Path, *args: str) -> subprocess.CompletedProcess:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp), "NEWSMON_STAGING_DIR": str(tmp / "staging"),
           "NEWSMON_REPORTS_DIR": str(tmp / "reports")}
    return subprocess.run([*NEWSMON, *args], capture_output=True, text=True, env=env, cwd=tmp, timeout=600)


def snapshot(db: Path) -> dict[str, list[tuple]]:
    with duckdb.connect(str(db), read_only=True) as con:
        return {name: con.execute(sql).fetchall() for name, sql in ID_QUERIES.items()}


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("cli")
    db = tmp / "news.duckdb"
    first = run_cli(tmp, "run", str(SEEDS_DIR), "--db", str(db))
    snap1 = snapshot(db)
    second = run_cli(tmp, "run", str(SEEDS_DIR), "--db", str(db))
    return first, snap1, second, snapshot(db), db


def test_first_run_loads_the_five_seeds_and_prints_a_summary(two_runs):
    first, snap, *_ = two_runs
    assert first.returncode == 0, first.stderr
    assert "documents read   5" in first.stdout
    assert "articles         5" in first.stdout
    assert len(snap["articles"]) == 5
    assert snap["entities"] and snap["mentions"] and snap["events"]


def test_second_run_changes_no_row_and_no_id(two_runs):
    _, snap1, second, snap2, _ = two_runs
    assert second.returncode == 0, second.stderr
    assert "documents read   0 (already loaded, skipped: 5)" in second.stdout
    assert snap1 == snap2


def test_reports_are_written(two_runs, tmp_path_factory):
    first = two_runs[0]
    report = next(line.split()[-1] for line in first.stdout.splitlines() if "quality report" in line)
    assert Path(report).is_file()


def test_bad_files_are_quarantined_and_the_run_goes_on(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for seed in SEED_FILES[:2]:
        shutil.copy(seed, inbox / seed.name)
    (inbox / "empty.txt").write_bytes(b"")
    (inbox / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 16)
    (inbox / "cyrillic.txt").write_bytes(
        ("Переговоры России и США в Женеве\n\nМинистр Сергей Лавров заявил, что переговоры "
         "продолжатся на следующей неделе. " * 3).encode("cp1251"))
    db = tmp_path / "news.duckdb"
    result = run_cli(tmp_path, "run", str(inbox), "--db", str(db))
    assert result.returncode == 0, result.stderr
    with duckdb.connect(str(db), read_only=True) as con:
        reasons = dict(con.execute("SELECT reason_code, count(*) FROM quarantine GROUP BY 1").fetchall())
        statuses = dict(con.execute("SELECT status, count(*) FROM documents GROUP BY 1").fetchall())
        languages = {r[0] for r in con.execute("SELECT language FROM articles").fetchall()}
    assert reasons.get("empty_file") == 1 and reasons.get("binary_format") == 1
    assert statuses == {"ok": 3, "quarantined": 2}
    assert {"en", "ru"} <= languages


def test_operator_errors_exit_non_zero_with_one_line(tmp_path):
    missing = run_cli(tmp_path, "run", str(tmp_path / "nope"))
    assert missing.returncode == 2
    assert missing.stderr.strip().count("\n") == 0 and "input not found" in missing.stderr
    blocker = tmp_path / "file"
    blocker.write_text("x")
    unwritable = run_cli(tmp_path, "run", str(SEED_FILES[0]), "--db", str(blocker / "sub" / "news.duckdb"))
    assert unwritable.returncode != 0
    assert "warehouse" in unwritable.stderr and "Traceback" not in unwritable.stderr
