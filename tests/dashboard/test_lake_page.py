"""The dashboards over the warehouse in a DuckLake (docs/lake.md): the same views, the same
numbers as over the file it was copied from, in a real headless Chromium."""

from __future__ import annotations

import shutil

import duckdb
import pytest

from dashboard.browser import VIEWPORT, metrics, open_page
from dashboard.server import running_dashboard
from pipeline.load.warehouse import Warehouse
from tests.conftest import make_settings, new_lake


@pytest.mark.e2e
def test_overview_renders_from_a_lake_with_the_files_numbers(browser, postgres_server, dashboard_db, tmp_path):
    source = tmp_path / "copy.duckdb"
    shutil.copy(dashboard_db, source)
    spec = new_lake(postgres_server, "dashboard_lake")
    with Warehouse(make_settings(tmp_path, db_path=spec, lake_data_path=str(tmp_path / "data") + "/")) as wh:
        wh.copy_from_file(source)
    con = duckdb.connect(str(source), read_only=True)
    documents, canonical, quarantined = con.execute(
        "SELECT (SELECT count(*) FROM documents), (SELECT count(*) FROM articles WHERE NOT is_duplicate), "
        "(SELECT count(*) FROM quarantine)").fetchone()
    con.close()
    context = browser.new_context(viewport=VIEWPORT)
    try:
        page = context.new_page()
        with running_dashboard(spec) as url:
            open_page(page, url + "/", "Overview")
            shown = metrics(page, "Documents read", "Canonical articles", "Quarantined items")
            assert int(shown["Documents read"].replace(",", "")) == documents
            assert int(shown["Canonical articles"].replace(",", "")) == canonical
            assert int(shown["Quarantined items"].replace(",", "")) == quarantined > 0
            assert "password" not in page.content() or "password=***" in page.content()
    finally:
        context.close()
