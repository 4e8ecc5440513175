"""The fetcher against a real HTTP server on 127.0.0.1 (pytest-httpserver)."""

from __future__ import annotations

import gzip
import time
from pathlib import Path

import pytest
from werkzeug.wrappers import Response

from pipeline.errors import FetchError
from pipeline.ingest.http import Fetcher, decode_text, resolves_to_internal
from tests.conftest import make_settings

CASES = Path(__file__).parent / "cases" / "feeds"
FEED = (CASES / "seeds_atom.xml").read_bytes()


def _requests(server, *paths):
    """Requests to these paths only (a slow handler of an earlier test may still log late)."""
    return [req for req, _ in server.log if req.path in paths]


@pytest.fixture
def fast(tmp_path):
    """Small timeouts and backoff so failure paths run quickly."""
    return make_settings(tmp_path, http_connect_timeout=1.0, http_read_timeout=0.5, http_retries=2,
                         http_backoff_seconds=0.01, http_max_redirects=3)


def test_plain_get_sends_honest_user_agent_and_returns_body(httpserver, fast):
    httpserver.expect_request("/feed").respond_with_data(FEED, content_type="application/atom+xml")
    with Fetcher(fast) as f:
        res = f.fetch(httpserver.url_for("/feed"))
    assert res.status == 200 and res.content == FEED and not res.truncated
    request = _requests(httpserver, "/feed")[0]
    assert request.headers["User-Agent"] == fast.user_agent


def test_conditional_get_gets_304_with_etag_and_last_modified(httpserver, fast):
    etag, modified = '"v1"', "Mon, 10 Jan 2022 08:00:00 GMT"
    httpserver.expect_request("/feed", headers={"If-None-Match": etag}).respond_with_data("", status=304)
    httpserver.expect_request("/feed").respond_with_data(
        FEED, headers={"ETag": etag, "Last-Modified": modified}, content_type="application/atom+xml")
    with Fetcher(fast) as f:
        first = f.fetch(httpserver.url_for("/feed"))
        second = f.fetch(httpserver.url_for("/feed"), etag=first.etag, last_modified=first.last_modified)
    assert (first.status, first.etag, first.last_modified) == (200, etag, modified)
    assert second.not_modified and second.content == b""
    conditional = _requests(httpserver, "/feed")[1]
    assert conditional.headers["If-Modified-Since"] == modified


def test_500_then_success_is_retried(httpserver, fast):
    httpserver.expect_ordered_request("/flaky").respond_with_data("busy", status=500)
    httpserver.expect_ordered_request("/flaky").respond_with_data("busy", status=503)
    httpserver.expect_ordered_request("/flaky").respond_with_data(FEED)
    with Fetcher(fast) as f:
        res = f.fetch(httpserver.url_for("/flaky"))
    assert res.content == FEED
    assert [resp.status_code for req, resp in httpserver.log if req.path == "/flaky"] == [500, 503, 200]


def test_persistent_500_gives_up_as_transient_after_the_retries(httpserver, fast):
    httpserver.expect_request("/down").respond_with_data("down", status=502)
    with Fetcher(fast) as f, pytest.raises(FetchError) as err:
        f.fetch(httpserver.url_for("/down"))
    assert err.value.reason_code == "http_502" and err.value.transient
    assert len(_requests(httpserver, "/down")) == fast.http_retries + 1


def test_404_is_permanent_and_not_retried(httpserver, fast):
    httpserver.expect_request("/gone").respond_with_data("no", status=404)
    with Fetcher(fast) as f, pytest.raises(FetchError) as err:
        f.fetch(httpserver.url_for("/gone"))
    assert err.value.reason_code == "http_404" and not err.value.transient
    assert len(_requests(httpserver, "/gone")) == 1


def test_slow_server_times_out_as_transient(httpserver, tmp_path):
    settings = make_settings(tmp_path, http_read_timeout=0.2, http_retries=0)

    def slow(_request):
        time.sleep(0.8)
        return Response(FEED)

    httpserver.expect_request("/slow").respond_with_handler(slow)
    with Fetcher(settings) as f, pytest.raises(FetchError) as err:
        f.fetch(httpserver.url_for("/slow"))
    assert err.value.reason_code == "timeout" and err.value.transient
    # The test server is single-threaded: let the slow handler finish before the next test.
    for _ in range(50):
        if _requests(httpserver, "/slow"):
            break
        time.sleep(0.05)


def test_redirect_loop_stops_at_the_limit(httpserver, fast):
    httpserver.expect_request("/a").respond_with_data("", status=302, headers={"Location": "/b"})
    httpserver.expect_request("/b").respond_with_data("", status=301, headers={"Location": "/a"})
    with Fetcher(fast) as f, pytest.raises(FetchError) as err:
        f.fetch(httpserver.url_for("/a"))
    assert err.value.reason_code == "too_many_redirects" and not err.value.transient
    assert len(_requests(httpserver, "/a", "/b")) == fast.http_max_redirects + 1


def test_redirect_is_followed_and_final_url_reported(httpserver, fast):
    httpserver.expect_request("/old").respond_with_data("", status=308, headers={"Location": "/new"})
    httpserver.expect_request("/new").respond_with_data(FEED)
    with Fetcher(fast) as f:
        res = f.fetch(httpserver.url_for("/old"))
    assert res.url == httpserver.url_for("/new") and res.content == FEED


def test_redirect_to_a_local_file_is_refused(httpserver, fast):
    httpserver.expect_request("/evil").respond_with_data("", status=302, headers={"Location": "file:///etc/passwd"})
    with Fetcher(fast) as f, pytest.raises(FetchError) as err:
        f.fetch(httpserver.url_for("/evil"))
    assert err.value.reason_code == "unsupported_scheme"


def test_oversized_body_is_cut_at_the_cap(httpserver, tmp_path):
    settings = make_settings(tmp_path, http_max_bytes=1000)
    httpserver.expect_request("/big").respond_with_data(b"x" * 50_000)
    with Fetcher(settings) as f:
        res = f.fetch(httpserver.url_for("/big"))
    assert res.truncated and len(res.content) == 1000


def test_gzip_is_negotiated_and_decoded(httpserver, fast):
    httpserver.expect_request("/gz").respond_with_data(gzip.compress(FEED), headers={"Content-Encoding": "gzip"})
    with Fetcher(fast) as f:
        res = f.fetch(httpserver.url_for("/gz"))
    assert res.content == FEED
    request = _requests(httpserver, "/gz")[0]
    assert "gzip" in request.headers["Accept-Encoding"]


def test_gzip_bomb_is_cut_at_the_cap_after_decoding(httpserver, tmp_path):
    settings = make_settings(tmp_path, http_max_bytes=10_000)
    bomb = gzip.compress(b"\0" * 5_000_000)
    assert len(bomb) < 10_000  # small on the wire, large once decoded
    httpserver.expect_request("/bomb").respond_with_data(bomb, headers={"Content-Encoding": "gzip"})
    with Fetcher(settings) as f:
        res = f.fetch(httpserver.url_for("/bomb"))
    assert res.truncated and len(res.content) == 10_000


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://127.0.0.1/feed.xml", "gopher://x/1",
                                 "javascript:alert(1)", "/etc/passwd", "http:///nohost", "http://[::1",
                                 "http://" + "a" * 300 + ".example/"])
def test_non_http_urls_are_refused_before_any_io(url, fast):
    with Fetcher(fast) as f, pytest.raises(FetchError) as err:
        f.fetch(url)
    assert err.value.reason_code in {"unsupported_scheme", "invalid_url"} and not err.value.transient


def test_connection_refused_is_transient(tmp_path):
    settings = make_settings(tmp_path, http_retries=1, http_backoff_seconds=0.01)
    with Fetcher(settings) as f, pytest.raises(FetchError) as err:
        f.fetch("http://127.0.0.1:9/feed")  # discard port: nothing listens
    assert err.value.reason_code == "connection_error" and err.value.transient


def test_decode_text_follows_header_then_meta_then_utf8():
    page = "<html><head><meta charset='windows-1251'></head><body>Москва</body></html>"
    assert decode_text(page.encode("cp1251"))[1] == "cp1251"
    assert "Москва" in decode_text(page.encode("cp1251"))[0]
    assert decode_text("Genève".encode("latin-1"), "text/html; charset=ISO-8859-1") == ("Genève", "iso8859-1")
    assert decode_text("Genève".encode())[0] == "Genève"


@pytest.mark.parametrize("url, internal", [
    ("http://127.0.0.1/x", True), ("http://10.1.2.3/x", True), ("http://169.254.169.254/latest/", True),
    ("http://[::1]:8080/", True), ("http://0.0.0.0/", True), ("http://localhost/", True),
    ("https://8.8.8.8/", False), ("http://[2606:4700::1111]/", False)])
def test_internal_addresses_are_recognised(url, internal):
    assert resolves_to_internal(url) is internal


def test_untrusted_links_cannot_reach_internal_hosts(httpserver, fast):
    httpserver.expect_request("/admin").respond_with_data("secret")
    with Fetcher(fast) as f, pytest.raises(FetchError) as err:
        f.fetch(httpserver.url_for("/admin"), allow_internal=False)
    assert err.value.reason_code == "internal_address" and not err.value.transient
    assert _requests(httpserver, "/admin") == []


def test_a_long_retry_after_is_not_waited_for_in_the_run(httpserver, fast):
    httpserver.expect_request("/busy").respond_with_data("later", status=429, headers={"Retry-After": "3600"})
    slept = []
    with Fetcher(fast, sleep=slept.append) as f, pytest.raises(FetchError) as err:
        f.fetch(httpserver.url_for("/busy"))
    assert err.value.reason_code == "http_429" and err.value.transient
    assert slept == [] and len(_requests(httpserver, "/busy")) == 1


def test_a_short_retry_after_sets_the_pause_before_retrying(httpserver, fast):
    httpserver.expect_ordered_request("/busy").respond_with_data("", status=503, headers={"Retry-After": "2"})
    httpserver.expect_ordered_request("/busy").respond_with_data(FEED)
    slept = []
    with Fetcher(fast, sleep=slept.append) as f:
        assert f.fetch(httpserver.url_for("/busy")).content == FEED
    assert slept == [2]
