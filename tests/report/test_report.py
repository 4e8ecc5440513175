"""quality.html and the GX Data Docs, built from a real seed warehouse and real suite results."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from pipeline.load.warehouse import Warehouse
from pipeline.report import build_reports
from pipeline.validate import run_quality_suites
from tests.conftest import PROJECT_ROOT, make_settings
from tests.validate.seed_batch import load_seed_warehouse, read_tables

URL_ATTRS = {"href", "src", "action", "data", "poster", "srcset", "xmlns", "background", "formaction", "manifest"}


class PageScan(HTMLParser):
    """Collects every place a page could load or link something, plus its visible text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.refs: list[str] = []
        self.styles: list[str] = []
        self.text: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self._in_style = tag == "style"
        for name, value in attrs:
            if name in URL_ATTRS and value:
                self.refs.append(value)
            if name == "style" and value:
                self.styles.append(value)

    def handle_endtag(self, tag):
        self._in_style = False if tag == "style" else self._in_style

    def handle_data(self, data):
        (self.styles if self._in_style else self.text).append(data)


def scan(path: Path) -> PageScan:
    page = PageScan()
    page.feed(path.read_text(encoding="utf-8"))
    page.close()
    return page


def assert_self_contained(page: PageScan) -> None:
    assert "script" not in page.tags and "link" not in page.tags and "iframe" not in page.tags
    for ref in page.refs:
        assert "://" not in ref and not ref.startswith("//") and not ref.lower().startswith("data:"), ref
    css = " ".join(page.styles)
    assert "url(" not in css and "@import" not in css


@pytest.fixture(scope="module")
def corrupted(tmp_path_factory):
    """A seed warehouse with a leftover 'Leave a Reply', an orphan mention and an ingest rejection,
    suites run and their results stored as the loader stores them."""
    settings = make_settings(tmp_path_factory.mktemp("report"))
    load_seed_warehouse(settings, "run-1")
    con = duckdb.connect(str(settings.db_path))
    con.execute("UPDATE articles SET body = body || '\n\nLeave a Reply' "
                "WHERE article_id = (SELECT max(article_id) FROM articles)")
    con.execute("INSERT INTO entity_mentions SELECT article_id, 'no-such-entity', surface, start_char + 100000, "
                "end_char + 100000, sentence_index, entity_type FROM entity_mentions LIMIT 1")
    con.execute("INSERT INTO pipeline_runs VALUES ('run-0', TIMESTAMP '2022-01-01', TIMESTAMP '2022-01-01 00:01', "
                "'test', '{}')")
    con.close()
    tables = read_tables(settings)
    results = run_quality_suites(tables, settings, "run-1")
    # An earlier run where everything passed, so the trend has two points.
    earlier = [replace(r, run_id="run-0", success=True) for r in results]
    with Warehouse(settings) as wh:
        wh.save_quality_results(earlier)
        wh.save_quality_results(results)
        history = wh.read_table("quality_results")
    paths = build_reports(tables, results, history, settings, settings.reports_dir)
    return settings, tables, results, history, paths


def test_quality_html_parses_and_references_nothing_external(corrupted):
    settings, *_, paths = corrupted
    assert paths["quality_html"] == settings.reports_dir / "quality.html"
    page = scan(paths["quality_html"])
    assert_self_contained(page)
    assert page.tags.count("table") >= 5 and "svg" in page.tags


def test_quality_html_shows_failures_with_examples_quarantine_and_trend(corrupted):
    settings, tables, results, history, paths = corrupted
    text = " ".join(scan(paths["quality_html"]).text)
    for name in ("articles.body.no_boilerplate_markers", "entity_mentions.entity_id.references_entities"):
        assert name in text
    assert "no-such-entity" in text  # the orphan row itself is shown
    assert "Leave a Reply" in text
    assert "empty_file" in text  # quarantine by reason
    assert "run-0" in text and "run-1" in text  # the trend covers both runs
    assert "1 critical failure(s)" in text
    # Counts per stage come from the run's stats.
    assert "entity_mentions" in text and "ingest" in text


def test_trend_orders_runs_by_start_time(corrupted):
    *_, paths = corrupted
    html = paths["quality_html"].read_text(encoding="utf-8")
    trend = html[html.index("Trend over past runs"):]
    assert trend.index("run-0:") < trend.index("run-1:")  # chart: oldest first


def test_data_docs_are_built_for_each_run_and_suite(corrupted):
    *_, paths = corrupted
    index = paths["data_docs"]
    assert index.name == "index.html" and index.is_file()
    site = index.parent
    for run in ("run-0", "run-1"):
        pages = list((site / "validations" / "articles" / run).rglob("*.html"))
        assert len(pages) == 1, run
    page = next((site / "validations" / "entity_mentions" / "run-1").rglob("*.html")).read_text(encoding="utf-8")
    assert "no-such-entity" not in page or "references" in page
    assert "Failed" in page or "failed" in page
    assert (site / "expectations" / "articles.html").is_file()
    index_text = index.read_text(encoding="utf-8")
    assert "run-1" in index_text and "run-0" in index_text


def test_report_rebuilds_from_history_alone(corrupted, tmp_path):
    """What `newsmon report` does: no fresh results, the latest stored run is reported."""
    settings, tables, results, history, _ = corrupted
    paths = build_reports(tables, [], history, settings, tmp_path / "out")
    text = " ".join(scan(paths["quality_html"]).text)
    assert "articles.body.no_boilerplate_markers" in text and "run-1" in text


def test_empty_warehouse_still_gives_a_report(tmp_path, settings):
    with Warehouse(settings) as wh:
        tables = wh.read_tables(["documents", "articles", "quarantine", "pipeline_runs"])
        history = wh.read_table("quality_results")
    paths = build_reports(tables, [], history, settings, tmp_path / "out")
    page = scan(paths["quality_html"])
    assert_self_contained(page)
    assert "No expectations were evaluated." in " ".join(page.text)


def newsmon(*args: str) -> subprocess.CompletedProcess:
    """The console entry point in a child process, as an operator runs it."""
    return subprocess.run([sys.executable, "-m", "pipeline.cli", *args], capture_output=True, text=True,
                          cwd=PROJECT_ROOT, env={**os.environ, "NEWSMON_CONFIG": ""}, timeout=300)


def test_cli_report_builds_both(corrupted, tmp_path, monkeypatch, capsys):
    """The report command's entry in this process (its error style runs through the console
    script below): GX is imported here already, a child would import it again."""
    from pipeline import cli

    settings, *_ = corrupted
    db = tmp_path / "copy.duckdb"
    shutil.copy(settings.db_path, db)
    out = tmp_path / "cli-out"
    monkeypatch.setenv("NEWSMON_CONFIG", "")
    monkeypatch.chdir(PROJECT_ROOT)
    capsys.readouterr()
    code = cli.main(["report", "--db", str(db), "--out", str(out)])
    stdout, stderr = capsys.readouterr()
    assert code == 0, stderr
    assert str(out / "quality.html") in stdout
    assert (out / "quality.html").is_file() and (out / "data_docs" / "index.html").is_file()
    page = scan(out / "quality.html")
    assert_self_contained(page)
    assert "articles.body.no_boilerplate_markers" in " ".join(page.text)


def test_cli_report_without_a_warehouse_says_what_to_do(tmp_path):
    done = newsmon("report", "--db", str(tmp_path / "none.duckdb"), "--out", str(tmp_path / "o"))
    assert done.returncode == 1  # a failure (no warehouse there), as status and sql say it
    assert "newsmon run" in done.stderr and done.stderr.count("\n") == 1


def test_stored_details_are_json_with_the_expectation_type(corrupted):
    *_, history, _ = corrupted
    assert isinstance(history, pd.DataFrame) and len(history) > 200
    for raw in history["details"]:
        details = json.loads(raw)
        assert re.fullmatch(r"expect_[a-z_]+", details["type"])


def _runs_of(history: pd.DataFrame, count: int) -> tuple[list[pd.DataFrame], dict]:
    """`count` copies of run-1's recorded rows as runs r0, r1, ... one minute apart. Two suites
    (one failing, one not) of the eleven: the site's bookkeeping is per run and suite, and each
    page costs GX a rendering."""
    from datetime import datetime, timedelta

    base = history[(history["run_id"] == "run-1") & history["suite"].isin(["articles", "documents"])]
    assert set(base["suite"]) == {"articles", "documents"} and not base["success"].all()
    frames = [base.assign(run_id=f"r{k}") for k in range(count)]
    return frames, {f"r{k}": datetime(2026, 1, 1) + timedelta(minutes=k) for k in range(count)}


def _site_files(site: Path) -> list[str]:
    return sorted(str(p.relative_to(site)) for p in site.rglob("*") if p.is_file())


def test_data_docs_add_one_run_at_a_time_and_keep_the_pages_they_have(corrupted, tmp_path, monkeypatch):
    from pipeline.report import data_docs

    monkeypatch.setattr(data_docs, "MAX_RUNS", 3)
    *_, history, _ = corrupted
    frames, times = _runs_of(history, 5)
    site = tmp_path / "site"
    written = {}
    for k in range(5):
        data_docs.build_data_docs(pd.concat(frames[:k + 1]), times, site)
        if k == 2:
            written = {p: p.stat().st_mtime_ns for p in (site / "validations").rglob("r2/**/*.html")}
    data_docs.build_data_docs(pd.concat(frames), times, tmp_path / "whole")
    assert _site_files(site) == _site_files(tmp_path / "whole")  # the same site as one full build
    kept_runs = {p.relative_to(site / "validations").parts[1] for p in (site / "validations").rglob("*.html")}
    assert kept_runs == {"r2", "r3", "r4"}  # the oldest runs' pages are gone
    index = (site / "index.html").read_text(encoding="utf-8")
    assert "r4" in index and "r2" in index and "r1/" not in index
    # r2's pages were rendered once, when r2 was new, and not again by the two builds after.
    assert written and all(p.stat().st_mtime_ns == ns for p, ns in written.items())


def test_data_docs_render_a_run_again_when_its_recorded_results_change(corrupted, tmp_path):
    from pipeline.report.data_docs import build_data_docs

    *_, history, _ = corrupted
    frames, times = _runs_of(history, 2)
    site = tmp_path / "site"
    build_data_docs(pd.concat(frames), times, site)
    page = next((site / "validations" / "articles" / "r1").rglob("*.html"))
    assert "Failed" in page.read_text(encoding="utf-8") or "failed" in page.read_text(encoding="utf-8")
    frames[1] = frames[1].assign(success=True)  # e.g. the run's results recorded again
    before = page.stat().st_mtime_ns
    build_data_docs(pd.concat(frames), times, site)
    assert page.stat().st_mtime_ns != before
    untouched = next((site / "validations" / "articles" / "r0").rglob("*.html"))
    assert untouched.is_file()


def test_a_data_docs_folder_without_the_manifest_is_rebuilt_whole(corrupted, tmp_path):
    from pipeline.report.data_docs import MANIFEST, build_data_docs

    *_, history, _ = corrupted
    frames, times = _runs_of(history, 1)
    site = tmp_path / "site"
    (site / "validations" / "articles" / "old-run").mkdir(parents=True)
    (site / "validations" / "articles" / "old-run" / "page.html").write_text("<html>stale</html>", encoding="utf-8")
    build_data_docs(frames[0], times, site)
    assert not (site / "validations" / "articles" / "old-run").exists()
    assert (site / MANIFEST).is_file() and any((site / "validations" / "articles" / "r0").rglob("*.html"))
