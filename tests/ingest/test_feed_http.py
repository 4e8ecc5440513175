"""read_feeds over real HTTP (pytest-httpserver on 127.0.0.1): pages, conditional GET, fallbacks."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from pipeline.ingest.feeds import FeedSource, read_feeds
from tests.conftest import SEED_FILES, make_settings

CASES = Path(__file__).parent / "cases" / "feeds"
PAGES = CASES / "local" / "pages"
NOW = datetime(2026, 1, 5, 12, 0, 0)
RSS = (CASES / "local" / "seeds.rss").read_text(encoding="utf-8")


@pytest.fixture
def settings(tmp_path):
    return make_settings(tmp_path, http_retries=1, http_backoff_seconds=0.01, http_read_timeout=1.0)


def _serve_site(server, rss: str = RSS, feed_headers: dict | None = None, conditional: bool = True):
    """The seed feed at /rss.xml (relative links resolve to /pages/*.html) and its pages."""
    if conditional:
        server.expect_request("/rss.xml", headers={"If-None-Match": '"seeds-v1"'}).respond_with_data(
            "", status=304)
    server.expect_request("/rss.xml").respond_with_data(
        rss, content_type="application/rss+xml; charset=utf-8", headers=feed_headers or {})
    for page in PAGES.glob("*.html"):
        server.expect_request(f"/pages/{page.name}").respond_with_data(
            page.read_bytes(), content_type="text/html; charset=utf-8")


def _states(out):
    return {s.feed_name: s for s in out.feed_states}


def test_http_feed_fetches_pages_then_304_yields_nothing(httpserver, settings):
    _serve_site(httpserver, feed_headers={"ETag": '"seeds-v1"'})
    source = FeedSource("site", httpserver.url_for("/rss.xml"))
    first = read_feeds([source], settings, "r1", {}, NOW)
    assert [d.content_origin for d in first.documents] == ["page"] * 5
    assert [d.url for d in first.documents] == [httpserver.url_for(f"/pages/{s.stem}.html") for s in SEED_FILES]
    assert first.feed_states[0].etag == '"seeds-v1"'
    page_requests = len([r for r, _ in httpserver.log if r.path.startswith("/pages/")])
    second = read_feeds([source], settings, "r2", _states(first), NOW + timedelta(minutes=15))
    assert second.documents == [] and second.quarantine == []
    assert second.feed_states[0].last_status == "not_modified"
    assert len([r for r, _ in httpserver.log if r.path.startswith("/pages/")]) == page_requests


def test_server_ignoring_conditional_get_falls_back_to_the_content_hash(httpserver, settings):
    _serve_site(httpserver, conditional=False)
    source = FeedSource("site", httpserver.url_for("/rss.xml"))
    first = read_feeds([source], settings, "r1", {}, NOW)
    second = read_feeds([source], settings, "r2", _states(first), NOW + timedelta(minutes=15))
    assert len(first.documents) == 5 and second.documents == []
    assert second.feed_states[0].last_status == "unchanged"


def test_page_500_falls_back_to_feed_content_and_records_why(httpserver, settings):
    rss = RSS.replace("<link>pages/000_", "<link>broken/000_")
    httpserver.expect_request("/broken/000_5f96fe331a1d35a0.html").respond_with_data("oops", status=500)
    _serve_site(httpserver, rss=rss)
    out = read_feeds([FeedSource("site", httpserver.url_for("/rss.xml"))], settings, "r1", {}, NOW)
    origins = [d.content_origin for d in out.documents]
    assert origins == ["feed_content"] + ["page"] * 4
    assert out.documents[0].raw_text == "4 January 2022, 09:35 AM"  # the item's own description
    (item,) = out.quarantine
    assert item.reason_code == "page_fetch_failed" and item.item_id == out.documents[0].doc_id
    assert json.loads(item.payload)["error"] == "http_500"
    assert len([r for r, _ in httpserver.log if r.path.startswith("/broken/")]) == settings.http_retries + 1


def test_non_html_page_is_not_used_as_an_article(httpserver, settings):
    rss = RSS.replace("<link>pages/000_5f96fe331a1d35a0.html", "<link>files/report.pdf")
    httpserver.expect_request("/files/report.pdf").respond_with_data(b"%PDF-1.4", content_type="application/pdf")
    _serve_site(httpserver, rss=rss)
    out = read_feeds([FeedSource("site", httpserver.url_for("/rss.xml"))], settings, "r1", {}, NOW)
    assert out.documents[0].content_origin == "feed_content"
    assert json.loads(out.quarantine[0].payload)["error"] == "not_html"


def test_feed_fetch_failure_is_quarantined_and_backs_off(httpserver, settings):
    httpserver.expect_request("/rss.xml").respond_with_data("missing", status=404)
    source = FeedSource("gone", httpserver.url_for("/rss.xml"))
    out = read_feeds([source], settings, "r1", {}, NOW)
    (item,) = out.quarantine
    assert item.reason_code == "fetch_failed" and json.loads(item.payload)["error"] == "http_404"
    state = out.feed_states[0]
    assert state.consecutive_failures == 1 and state.next_retry_at == NOW + timedelta(minutes=15)
    again = read_feeds([source], settings, "r2", _states(out), state.next_retry_at)
    assert again.feed_states[0].consecutive_failures == 2
    assert again.feed_states[0].next_retry_at == state.next_retry_at + timedelta(minutes=30)


def test_oversized_feed_is_quarantined_not_half_read(httpserver, tmp_path):
    settings = make_settings(tmp_path, http_max_bytes=500)
    _serve_site(httpserver, conditional=False)
    out = read_feeds([FeedSource("big", httpserver.url_for("/rss.xml"))], settings, "r1", {}, NOW)
    assert out.documents == []
    assert json.loads(out.quarantine[0].payload)["error"] == "too_large"


def test_one_failing_feed_does_not_stop_the_others(httpserver, settings):
    _serve_site(httpserver, conditional=False)
    sources = [FeedSource("refused", "http://127.0.0.1:9/rss.xml"), FeedSource("site", httpserver.url_for("/rss.xml"))]
    out = read_feeds(sources, settings, "r1", {}, NOW)
    assert len(out.documents) == 5
    assert [(q.reason_code, json.loads(q.payload)["error"]) for q in out.quarantine] == [
        ("fetch_failed", "connection_error")]
    assert json.loads(out.quarantine[0].payload)["transient"] is True


def test_a_local_feed_cannot_make_us_fetch_internal_pages(httpserver, settings, tmp_path):
    httpserver.expect_request("/admin").respond_with_data("<html><body>secret</body></html>", content_type="text/html")
    feed = tmp_path / "untrusted.rss"
    feed.write_text(f"""<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>
<item><title>probe</title><link>{httpserver.url_for("/admin")}</link><guid isPermaLink="false">p1</guid>
<description>the feed's own summary</description></item></channel></rss>""", encoding="utf-8")
    out = read_feeds([FeedSource("untrusted", str(feed))], settings, "r1", {}, NOW)
    (doc,) = out.documents
    assert doc.content_origin == "feed_content" and "secret" not in doc.raw_text
    assert json.loads(out.quarantine[0].payload)["error"] == "internal_address"
    assert not [r for r, _ in httpserver.log if r.path == "/admin"]


def test_a_moved_feed_does_not_send_the_old_urls_validators(httpserver, settings):
    _serve_site(httpserver, feed_headers={"ETag": '"seeds-v1"'})
    old = read_feeds([FeedSource("site", httpserver.url_for("/rss.xml"))], settings, "r1", {}, NOW)
    httpserver.expect_request("/moved.xml").respond_with_data(RSS, content_type="application/rss+xml")
    moved = read_feeds([FeedSource("site", httpserver.url_for("/moved.xml"))], settings, "r2", _states(old), NOW)
    request = [r for r, _ in httpserver.log if r.path == "/moved.xml"][0]
    assert "If-None-Match" not in request.headers
    # Entries already seen under the old URL are still not yielded again.
    assert moved.documents == [] and moved.feed_states[0].last_status == "ok: 0 new of 5"
