"""Drive the running dashboard in Debian's headless Chromium (tests and screenshots).

    .venv/bin/python -m dashboard.browser --db warehouse/news.duckdb --out docs/screenshots

Playwright's own browser download cannot run here, so it is pointed at /usr/bin/chromium
(scripts/install_browser.sh installs it).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
VIEWPORT = {"width": 1440, "height": 1000}


def launch(playwright):
    """A headless Chromium from Debian's package."""
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)


def open_page(page, url: str, title: str, timeout_ms: float = 60_000) -> None:
    """Load a dashboard page and wait until its script has finished running."""
    page.goto(url)
    page.get_by_role("heading", name=title, exact=True).first.wait_for(timeout=timeout_ms)
    settle(page, timeout_ms)


_STATE = """() => {
    const app = document.querySelector('[data-testid="stApp"]');
    return [app ? app.getAttribute('data-test-script-state') : null,
            document.querySelectorAll('[data-testid="stMain"] *').length];
}"""


def settle(page, timeout_ms: float = 60_000, quiet_ms: int = 1_000) -> None:
    """Wait until Streamlit's script run is over and the page has stopped changing.

    The run-state attribute alone can read "notRunning" before a rerun's first message
    arrives, so also wait until the element count holds still for quiet_ms."""
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=timeout_ms)
    page.wait_for_selector(".st-key-page-end", timeout=timeout_ms)
    waited, last = 0, None
    while waited < timeout_ms:
        state = page.evaluate(_STATE)
        if state[0] == "notRunning" and state == last:
            return
        last = state
        page.wait_for_timeout(quiet_ms)
        waited += quiet_ms
    raise TimeoutError(f"the page kept changing for {timeout_ms / 1000:.0f} s")


def choose(page, label: str, option: str, timeout_ms: float = 60_000) -> None:
    """Pick an option of the st.selectbox labelled `label`, then wait for the rerun to finish."""
    page.get_by_test_id("stSelectbox").filter(has_text=label).first.click()
    page.get_by_role("option", name=option, exact=True).click()
    try:  # the rerun may start and end before we look: then there is nothing to wait for
        page.wait_for_selector('[data-testid="stApp"][data-test-script-state="running"]', timeout=5_000)
    except Exception:  # noqa: BLE001 - playwright's TimeoutError; settle() checks the end state
        pass
    settle(page, timeout_ms)


def metrics(page, *labels: str, timeout_ms: float = 30_000) -> dict[str, str]:
    """The st.metric values shown on the page, label -> value text; waits until each of
    `labels` is drawn (Chromium may still be drawing parts of a page whose run is over)."""
    for label in labels:
        page.get_by_test_id("stMetricLabel").get_by_text(label, exact=True).first.wait_for(timeout=timeout_ms)
    found = {}
    for metric in page.get_by_test_id("stMetric").all():
        label = metric.get_by_test_id("stMetricLabel").inner_text().strip()
        found[label] = metric.get_by_test_id("stMetricValue").inner_text().strip()
    return found


def exceptions(page) -> list[str]:
    """Texts of any exception Streamlit rendered instead of a page part."""
    return [element.inner_text() for element in page.get_by_test_id("stException").all()]


def full_screenshot(page, path: Path) -> None:
    """Streamlit scrolls inside its main pane, not the document: grow the viewport to the pane's
    content height so the picture holds the whole page, then restore it."""
    height = page.evaluate(
        "() => Math.max(...[...document.querySelectorAll('[data-testid=stMain], section.main, body')]"
        ".map(e => e.scrollHeight))")
    page.set_viewport_size({"width": VIEWPORT["width"], "height": min(int(height) + 40, 12_000)})
    page.wait_for_timeout(1500)  # charts redraw for the new size
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size(VIEWPORT)


def screenshot_pages(db_path: Path, out_dir: Path) -> list[Path]:
    from playwright.sync_api import sync_playwright

    from dashboard.server import PAGES, running_dashboard

    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    with running_dashboard(db_path) as url, sync_playwright() as playwright:
        chromium = launch(playwright)
        page = chromium.new_page(viewport=VIEWPORT)
        for path, title in PAGES.items():
            open_page(page, f"{url}/{path}", title)
            page.wait_for_timeout(1500)  # let charts and the map finish drawing
            target = out_dir / f"{path or 'overview'}.png"
            full_screenshot(page, target)
            written.append(target)
        chromium.close()
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Screenshot every dashboard page.")
    parser.add_argument("--db", type=Path, required=True, help="warehouse to show")
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    args = parser.parse_args(argv)
    for path in screenshot_pages(args.db, args.out):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
