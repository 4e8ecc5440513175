"""Big inputs load in bounded batches, each its own run, with the same rows as one batch."""

from __future__ import annotations

import duckdb
import pytest

from pipeline.flow import run_pipeline
from tests.conftest import SEEDS_DIR, make_settings

pytestmark = pytest.mark.e2e  # every test here runs the whole pipeline

ROWS = ["SELECT doc_id FROM documents ORDER BY 1",
        "SELECT article_id, content_hash, is_duplicate FROM articles ORDER BY 1",
        "SELECT article_id, position, rule FROM boilerplate_removed ORDER BY 1, 2"]


def rows(db):
    with duckdb.connect(str(db), read_only=True) as con:
        return [con.execute(sql).fetchall() for sql in ROWS], con.execute(
            "SELECT count(*) FROM pipeline_runs").fetchone()[0]


def test_batches_of_two_give_the_rows_of_one_batch(tmp_path):
    one = make_settings(tmp_path / "one")
    three = make_settings(tmp_path / "three", run_batch_documents=2)
    single = run_pipeline([str(SEEDS_DIR)], [], one, run_quality=False)
    batched = run_pipeline([str(SEEDS_DIR)], [], three, run_quality=False)
    assert (single.runs, batched.runs) == (1, 3)
    assert batched.documents == single.documents == 5 and batched.articles == 5
    (single_rows, single_runs), (batched_rows, batched_runs) = rows(one.db_path), rows(three.db_path)
    assert batched_rows == single_rows
    assert (single_runs, batched_runs) == (1, 3)


def test_a_rerun_over_unchanged_files_is_one_run_whatever_the_batch_size(tmp_path):
    settings = make_settings(tmp_path, run_batch_documents=2)
    run_pipeline([str(SEEDS_DIR)], [], settings, run_quality=False)
    before, runs_before = rows(settings.db_path)
    again = run_pipeline([str(SEEDS_DIR)], [], settings, run_quality=False)
    after, runs_after = rows(settings.db_path)
    assert (again.runs, again.documents, again.skipped_known) == (1, 0, 5)
    assert after == before and runs_after == runs_before + 1
    touched = sorted(SEEDS_DIR.glob("*.txt"))[0]
    copy = tmp_path / "in"
    copy.mkdir()
    (copy / touched.name).write_bytes(touched.read_bytes())  # a new path: read, same content
    third = run_pipeline([str(SEEDS_DIR), str(copy)], [], settings, run_quality=False)
    assert (third.runs, third.skipped_known) == (1, 5) and third.documents == 1
