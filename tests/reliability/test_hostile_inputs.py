"""Hostile article files through `newsmon run`: each loads correctly or is quarantined with a reason."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from tests.reliability.hostile import build_files

# What each file must become: "article" (loaded) or the quarantine reason.
EXPECTED = {
    "empty.txt": "empty_file",
    "binary.txt": "binary",
    "big_50mb.txt": "too_large",
    "invalid_utf8.txt": "article",
    "utf16_no_bom.txt": "article",
    "bom_utf16.txt": "article",
    "windows1251.txt": "article",
    "one_line_1mb.txt": "article",
    "nul_bytes.txt": "article",
    "only_scripts.html": "quarantine",
    "nested_tags.html": "any",  # either outcome is fine; a crash or silence is not
}


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hostile")
    paths = build_files(tmp / "inbox")
    db = tmp / "news.duckdb"
    env = {"PATH": "/usr/bin:/bin", "NEWSMON_STAGING_DIR": str(tmp / "staging"),
           "NEWSMON_REPORTS_DIR": str(tmp / "reports")}
    result = subprocess.run([sys.executable, "-m", "pipeline.cli", "run", "--no-quality", str(tmp / "inbox"),
                             "--db", str(db)],
                            capture_output=True, text=True, cwd=tmp, env=env, timeout=900)
    return result, paths, db


def outcome(con, path: Path) -> tuple[str, str | None]:
    uri = str(path.resolve())
    row = con.execute("SELECT d.status, a.article_id, q.reason_code, q.message FROM documents d "
                      "LEFT JOIN articles a USING (doc_id) LEFT JOIN quarantine q ON q.item_id = d.doc_id "
                      "WHERE d.source_uri = ?", [uri]).fetchall()
    assert row, f"{path.name} left no trace in documents"
    status, article_id, reason, message = row[0]
    if article_id is not None:
        return "article", None
    assert reason and message, f"{path.name} is {status} without a quarantine reason"
    return reason, message


def test_run_survives_every_hostile_file(hostile_run):
    result, _, _ = hostile_run
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_file_is_loaded_or_quarantined_with_a_reason(hostile_run, name):
    _, paths, db = hostile_run
    with duckdb.connect(str(db), read_only=True) as con:
        got, message = outcome(con, paths[name])
    want = EXPECTED[name]
    if want == "quarantine":
        assert got != "article", f"{name} should not load as an article"
    elif want != "any":
        assert got == want, message


def test_decoded_text_is_right(hostile_run):
    _, paths, db = hostile_run
    with duckdb.connect(str(db), read_only=True) as con:
        bodies = dict(con.execute("SELECT d.source_uri, a.body FROM articles a JOIN documents d USING (doc_id)")
                      .fetchall())
    assert "Сергей Лавров" in bodies[str(paths["windows1251.txt"].resolve())]
    assert "Vitaly Portnikov" in bodies[str(paths["utf16_no_bom.txt"].resolve())]
    assert "\x00" not in bodies[str(paths["nul_bytes.txt"].resolve())]
