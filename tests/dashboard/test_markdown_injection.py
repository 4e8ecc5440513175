"""Text from the data is shown as text: a headline, an entity name or a source URL holding
Markdown must not become an image the browser fetches or a live link (issue 30, case 12).
Before: `st.header(title)` rendered `![x](url)` as an image loaded from that URL."""

from __future__ import annotations

import http.server
import threading

import duckdb
import pytest
from playwright.sync_api import expect

from dashboard.browser import VIEWPORT, exceptions, open_page
from dashboard.server import running_dashboard


class _Counting(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self):  # noqa: N802 (http.server's name)
        type(self).hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def tracker():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Counting)
    _Counting.hits = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", _Counting.hits
    server.shutdown()
    server.server_close()


def test_markdown_in_titles_entity_names_and_sources_is_shown_as_text(browser, dashboard_db, copy_of, tracker):
    base, hits = tracker
    db = copy_of(dashboard_db)
    title = f"Talks ![pixel]({base}/title.png) and [click here]({base}/phish), see {base}/bare"
    source = f"{base}/a`![src]({base}/caption.png)`"
    entity = f"**Bold** ![e]({base}/entity.png) {base}/bare"
    with duckdb.connect(str(db)) as con:
        # The most-named entity and an article naming it: the renamed name is then in the page's
        # table of top entities too, whatever the seeds' counts are.
        article_id, entity_id = con.execute(
            "SELECT m.article_id, m.entity_id FROM entity_mentions m JOIN articles a USING (article_id) "
            "WHERE NOT a.is_duplicate AND m.entity_id = ("
            "  SELECT entity_id FROM entity_mentions JOIN articles USING (article_id) WHERE NOT is_duplicate "
            "  GROUP BY entity_id ORDER BY count(DISTINCT article_id) DESC, count(*) DESC, entity_id LIMIT 1) "
            "ORDER BY m.article_id LIMIT 1").fetchone()
        con.execute("UPDATE articles SET title = ?, url = ? WHERE article_id = ?", [title, source, article_id])
        con.execute("UPDATE entities SET canonical_name = ? WHERE entity_id = ?", [entity, entity_id])
    page = browser.new_page(viewport=VIEWPORT)
    try:
        with running_dashboard(db) as url:
            open_page(page, f"{url}/articles?article={article_id}", "Article explorer")
            expect(page.get_by_role("heading", name=title, exact=True)).to_have_count(1)
            expect(page.get_by_text(source, exact=False)).to_have_count(1)
            assert page.locator(f'img[src^="{base}"]').count() == 0
            assert page.locator(f'a[href^="{base}"]').count() == 0
            open_page(page, f"{url}/entities?entity={entity_id}", "Entities")
            expect(page.get_by_role("heading", name=entity, exact=True)).to_have_count(1)
            assert page.locator(f'img[src^="{base}"]').count() == 0  # the table of top entities too
            assert page.locator(f'a[href^="{base}"]').count() == 0
            assert exceptions(page) == []
    finally:
        page.close()
    assert hits == []
