"""The real pipeline on seeds/: every record passes validation, the suites run after the load,
their results are stored, and the reports exist; then a copy of that warehouse is corrupted."""

from __future__ import annotations

import shutil

import duckdb

from pipeline.load.warehouse import Warehouse
from pipeline.validate import run_quality_suites
from tests.conftest import make_settings
from tests.report.test_report import assert_self_contained, scan
from tests.validate.seed_batch import TABLES


def _stored(settings, run_id):
    with Warehouse(settings, read_only=True) as wh:
        return wh.query_df("SELECT * FROM quality_results WHERE run_id = ?", [run_id])


def test_seeds_run_stores_one_result_per_expectation_and_no_critical_failure(seeds_run):
    settings, summary = seeds_run
    rows = _stored(settings, summary.run_id)
    assert len(rows) > 100 and rows["expectation"].is_unique
    assert set(rows["severity"]) <= {"critical", "warning"}
    critical = rows[(~rows["success"]) & (rows["severity"] == "critical")]
    assert critical.empty, critical[["expectation", "observed_value"]].to_string()
    assert summary.quality_failures == []


def test_seeds_records_all_pass_validation(seeds_run):
    settings, summary = seeds_run
    with Warehouse(settings, read_only=True) as wh:
        rejected = wh.query_df("SELECT * FROM quarantine WHERE stage = 'validate'")
        articles = wh.scalar("SELECT count(*) FROM articles")
    assert rejected.empty, rejected[["item_id", "message"]].to_string()
    assert articles == 5


def test_seeds_reports_are_written_and_self_contained(seeds_run):
    settings, summary = seeds_run
    report = settings.reports_dir / "quality.html"
    assert summary.report_path == str(report)
    page = scan(report)
    assert_self_contained(page)
    assert summary.run_id in " ".join(page.text)
    assert (settings.reports_dir / "data_docs" / "index.html").is_file()


def test_corrupted_copy_of_the_seeds_warehouse(seeds_run, tmp_path):
    """The issue's four corruptions on a copy of the real warehouse, each failing its expectation."""
    settings, summary = seeds_run
    copy = make_settings(tmp_path)
    copy.db_path.parent.mkdir(parents=True)
    shutil.copy(settings.db_path, copy.db_path)

    def failed() -> set[str]:
        with Warehouse(copy, read_only=True) as wh:
            tables = wh.read_tables(TABLES)
        return {r.expectation for r in run_quality_suites(tables, copy, summary.run_id) if not r.success}

    before = failed()
    con = duckdb.connect(str(copy.db_path))
    con.execute("INSERT INTO entity_mentions SELECT article_id, 'no-such-entity', surface, start_char + 100000, "
                "end_char + 100000, sentence_index, entity_type FROM entity_mentions LIMIT 1")
    con.execute("UPDATE articles SET title = NULL WHERE article_id = (SELECT min(article_id) FROM articles)")
    con.execute("UPDATE articles SET body = body || '\n\nLeave a Reply' "
                "WHERE article_id = (SELECT max(article_id) FROM articles)")
    # Duplicate keys need a table that lost its primary key (a bad migration).
    con.execute("CREATE TABLE documents_copy AS SELECT * FROM documents")
    con.execute("DROP TABLE documents")
    con.execute("ALTER TABLE documents_copy RENAME TO documents")
    con.execute("INSERT INTO documents SELECT * FROM documents LIMIT 1")
    con.close()
    assert failed() - before == {"entity_mentions.entity_id.references_entities",
                                 "entity_mentions.surface.matches_body",
                                 "articles.title.not_null",
                                 "articles.body.no_boilerplate_markers",
                                 "documents.doc_id.unique"}
