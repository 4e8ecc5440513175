"""Warehouses the dashboard tests read, and a real headless Chromium to read them with.

- ``dashboard_db``: the pipeline run on seeds/, then a second run over tests/dashboard/cases/
  (an empty file, which is quarantined), so every page has real rows: two runs, quality
  results for both, a quarantined item.
- ``empty_db``: the warehouse DDL and no rows (what an early deployment shows).
- ``browser``: Debian's Chromium driven by Playwright. Skipped with a reason when the binary is
  missing on a developer machine; in CI (CI set) a missing browser fails the run instead, since
  `make test` installs it first (scripts/install_browser.sh).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import duckdb
import pytest
from playwright.sync_api import expect

from dashboard.browser import CHROMIUM, launch
from tests.conftest import PROJECT_ROOT, SEEDS_DIR, make_settings

CASES = Path(__file__).resolve().parent / "cases"

# Playwright's 5 s default for expect() is shorter than a page render on a loaded CI machine
# (the page-open helpers already wait up to 60 s); assertions here wait as long.
expect.set_options(timeout=60_000)


@pytest.fixture(scope="session")
def dashboard_db(tmp_path_factory) -> Path:
    """A warehouse built by the real pipeline: seeds, then a run with a file it must quarantine."""
    from pipeline.flow import run_pipeline

    root = tmp_path_factory.mktemp("dashboard_wh")
    settings = make_settings(root)
    run_pipeline([str(SEEDS_DIR)], [], settings, trigger="test")
    run_pipeline([str(CASES / "second_run")], [], settings, trigger="test")
    return Path(settings.db_path)


@pytest.fixture(scope="session")
def empty_db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("empty_wh") / "news.duckdb"
    con = duckdb.connect(str(path))
    con.execute((PROJECT_ROOT / "schemas" / "warehouse.sql").read_text(encoding="utf-8"))
    con.close()
    return path


@pytest.fixture
def copy_of(tmp_path):
    """Copy a warehouse so a test may check that nothing writes it."""
    def _copy(path: Path) -> Path:
        target = tmp_path / path.name
        shutil.copy2(path, target)
        return target
    return _copy


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing: run scripts/install_browser.sh (Debian's chromium package)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = launch(playwright)
        yield launched
        launched.close()
