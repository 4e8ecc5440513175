"""The one HTTP client of newsmon: fetches feeds and article pages it is given.

Polite and bounded by design, because it meets thousands of sites we do not control:
connect/read timeouts plus an overall deadline (a server dripping bytes cannot hold a run),
a size cap on the *decoded* body (so a gzip bomb is cut too), a redirect limit checked
hop by hop (so a redirect cannot lead to ``file://`` or another non-http scheme), retries
with exponential backoff for transient failures only (5xx, 408/429, timeouts, connection
errors; a short Retry-After is honoured, a long one ends the attempt), conditional GET, an
honest User-Agent from the settings, and no internal addresses for untrusted links.
"""

from __future__ import annotations

import codecs
import ipaddress
import re
import socket
import time
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import httpx

from pipeline.errors import FetchError
from pipeline.settings import Settings

ALLOWED_SCHEMES = ("http", "https")
# Status codes that say "try again later" even though they are 4xx.
_TRANSIENT_4XX = {408, 425, 429}
_REDIRECTS = {301, 302, 303, 307, 308}
# A Retry-After longer than this is not waited for within one run.
_MAX_RETRY_AFTER = 10
# A whole fetch (all bytes of one response) may take this many read timeouts at most.
_DEADLINE_READS = 4


@dataclass
class FetchResult:
    url: str  # final URL, after redirects
    status: int  # 200-class, or 304 (not modified)
    content: bytes
    headers: dict[str, str] = field(default_factory=dict)  # lower-cased names
    truncated: bool = False  # body was cut at settings.http_max_bytes

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def etag(self) -> str | None:
        return self.headers.get("etag")

    @property
    def last_modified(self) -> str | None:
        return self.headers.get("last-modified")

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "")


def check_url(url: str) -> str:
    """Refuse anything but an absolute http(s) URL, before any I/O."""
    try:
        parts = urlsplit(url)
    except ValueError as exc:
        raise FetchError("invalid_url", f"not a valid URL: {exc}", transient=False, item=url) from exc
    if parts.scheme.lower() not in ALLOWED_SCHEMES:
        raise FetchError("unsupported_scheme",
                         f"refusing to fetch scheme {parts.scheme or '(none)'!r}: only http and https are fetched",
                         transient=False, item=url,
                         hint="give an http(s) URL, or a local path for offline feeds")
    if not parts.hostname:
        raise FetchError("invalid_url", "URL has no host", transient=False, item=url)
    return url


def resolves_to_internal(url: str) -> bool:
    """Whether the URL's host is (or resolves to) a loopback, private, link-local or reserved
    address. Links inside feeds are untrusted: they must not reach the machine's own network."""
    host = urlsplit(url).hostname
    if not host:
        return False
    try:
        addresses = [ipaddress.ip_address(host)]
    except ValueError:
        try:
            infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
        except (OSError, UnicodeError):
            return False  # unresolvable: the fetch itself will fail with a connection error
        addresses = [ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos]
    return any(a.is_private or a.is_loopback or a.is_link_local or a.is_reserved or a.is_multicast
               or a.is_unspecified for a in addresses)


class Fetcher:
    """A reusable HTTP client (connection pooling) bound to the settings.

    ``sleep`` is injectable so callers can shorten backoff in tests without patching.
    """

    def __init__(self, settings: Settings, *, sleep=time.sleep):
        self.settings = settings
        self._sleep = sleep
        self._http: httpx.Client | None = None

    @property
    def _client(self) -> httpx.Client:
        # Created on first use: runs over local feeds only never build a TLS context.
        if self._http is None:
            self._http = self._new_client()
        return self._http

    def _new_client(self) -> httpx.Client:
        settings = self.settings
        return httpx.Client(
            timeout=httpx.Timeout(connect=settings.http_connect_timeout, read=settings.http_read_timeout,
                                  write=settings.http_read_timeout, pool=settings.http_connect_timeout),
            follow_redirects=False,  # followed by hand: every hop is checked and counted
            headers={"User-Agent": settings.user_agent, "Accept-Encoding": "gzip, deflate"},
            trust_env=False,  # no proxy or netrc picked up from the environment
        )

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        if self._http is not None:
            self._http.close()
            self._http = None

    def fetch(self, url: str, *, etag: str | None = None, last_modified: str | None = None,
              accept: str | None = None, allow_internal: bool = True) -> FetchResult:
        """GET ``url``; retry transient failures with backoff; raise FetchError otherwise.

        ``allow_internal=False`` refuses internal addresses at every redirect hop (for URLs
        taken from untrusted content, such as the links inside a feed).
        """
        check_url(url)
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        if accept:
            headers["Accept"] = accept
        attempts = max(0, self.settings.http_retries) + 1
        for attempt in range(attempts):
            try:
                return self._fetch_once(url, headers, allow_internal)
            except FetchError as exc:
                if not exc.transient or attempt == attempts - 1:
                    raise
                delay = self.settings.http_backoff_seconds * (2 ** attempt)
                retry_after = getattr(exc, "retry_after", None)
                if retry_after is not None:
                    if retry_after > _MAX_RETRY_AFTER:
                        raise  # the server asks for a long pause: the next poll will try again
                    delay = max(delay, retry_after)
                self._sleep(delay)
        raise AssertionError("unreachable")  # pragma: no cover

    def _fetch_once(self, url: str, headers: dict[str, str], allow_internal: bool) -> FetchResult:
        current = url
        for _hop in range(self.settings.http_max_redirects + 1):
            check_url(current)
            if not allow_internal and resolves_to_internal(current):
                raise FetchError("internal_address", "refusing to fetch an internal network address",
                                 transient=False, item=current,
                                 hint="links in a public feed may not point at private hosts")
            try:
                with self._client.stream("GET", current, headers=headers) as resp:
                    if resp.status_code in _REDIRECTS and "location" in resp.headers:
                        current = urljoin(str(resp.url), resp.headers["location"])
                        continue
                    _raise_for_status(resp, current)
                    hdrs = {k.lower(): v for k, v in resp.headers.items()}
                    if resp.status_code == 304:
                        return FetchResult(str(resp.url), 304, b"", hdrs)
                    body, truncated = self._read_capped(resp, current)
                    return FetchResult(str(resp.url), resp.status_code, body, hdrs, truncated)
            except httpx.TimeoutException as exc:
                raise FetchError("timeout", f"timed out: {exc.__class__.__name__}", transient=True,
                                 item=current) from exc
            except httpx.DecodingError as exc:
                raise FetchError("bad_content_encoding", f"cannot decode body: {exc}", transient=False,
                                 item=current) from exc
            except (httpx.InvalidURL, httpx.UnsupportedProtocol, UnicodeError) as exc:  # e.g. bad IDNA host
                raise FetchError("invalid_url", str(exc), transient=False, item=current) from exc
            except httpx.TransportError as exc:
                raise FetchError("connection_error", f"{exc.__class__.__name__}: {exc}", transient=True,
                                 item=current) from exc
        raise FetchError("too_many_redirects",
                         f"more than {self.settings.http_max_redirects} redirects", transient=False, item=url)

    def _read_capped(self, resp: httpx.Response, url: str) -> tuple[bytes, bool]:
        cap = self.settings.http_max_bytes
        deadline = time.monotonic() + self.settings.http_connect_timeout \
            + _DEADLINE_READS * self.settings.http_read_timeout
        chunks: list[bytes] = []
        total = 0
        for chunk in resp.iter_bytes():  # decoded (gzip/deflate) bytes: the cap bounds memory
            if total + len(chunk) > cap:
                chunks.append(chunk[: cap - total])
                return b"".join(chunks), True
            chunks.append(chunk)
            total += len(chunk)
            if time.monotonic() > deadline:
                raise FetchError("timeout", "body took longer than the overall deadline", transient=True,
                                 item=url)
        return b"".join(chunks), False


def _raise_for_status(resp: httpx.Response, url: str) -> None:
    code = resp.status_code
    if code < 400 or code == 304:
        if 300 <= code < 400 and code != 304:
            raise FetchError("bad_redirect", f"HTTP {code} without a usable Location", transient=False,
                             item=url)
        return
    transient = code >= 500 or code in _TRANSIENT_4XX
    exc = FetchError(f"http_{code}", f"HTTP {code} {resp.reason_phrase}", transient=transient, item=url)
    value = resp.headers.get("retry-after", "").strip()
    if transient and value.isdigit():  # the HTTP-date form is rare; backoff covers it
        exc.retry_after = int(value)
    raise exc


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_XML_DECL = re.compile(rb"""^<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""")


def header_charset(content_type: str | None) -> str | None:
    if not content_type:
        return None
    m = re.search(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", content_type, re.I)
    return m.group(1) if m else None


def _known(encoding: str | None) -> str | None:
    if not encoding:
        return None
    try:
        return codecs.lookup(encoding.decode("ascii") if isinstance(encoding, bytes) else encoding).name
    except (LookupError, UnicodeDecodeError):
        return None


def decode_text(content: bytes, content_type: str | None = None) -> tuple[str, str]:
    """Bytes of a web page -> (text, encoding), never raising.

    Order: BOM, HTTP charset, <meta>/XML declaration, strict UTF-8, then cp1252 (what browsers
    assume for undeclared Western pages). The last resort replaces undecodable bytes.
    """
    for bom, enc in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF32_LE, "utf-32"),
                     (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF16_LE, "utf-16"),
                     (codecs.BOM_UTF16_BE, "utf-16")):
        if content.startswith(bom):
            return content.decode("utf-8-sig" if enc == "utf-8" else enc, errors="replace"), enc
    head = content[:4096]
    declared = [_known(header_charset(content_type))]
    for pattern in (_XML_DECL, _META_CHARSET):
        m = pattern.search(head)
        declared.append(_known(m.group(1)) if m else None)
    for enc in [e for e in declared if e] + ["utf-8", "cp1252"]:
        try:
            return content.decode(enc), enc
        except (UnicodeDecodeError, LookupError):
            continue
    return content.decode("utf-8", errors="replace"), "utf-8"
