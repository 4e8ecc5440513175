"""The one HTTP client of newsmon: fetches feeds and article pages it is given.

Polite and bounded by design, because it meets thousands of sites we do not control:

- time: connect/read timeouts, and deadlines checked on every raw socket operation, so
  connecting, the headers and every raw byte count (a server dripping headers or sending empty
  compressed blocks cannot hold a run): one attempt (``http_deadline_seconds``), one URL with
  its retries and backoff (``http_url_budget_seconds``), and whatever deadline the caller
  passes (a feed's or a run's budget);
- memory: the body is decoded here, layer by layer in pieces of at most ``_PIECE`` bytes, and
  cut at ``http_max_bytes`` of *decoded* bytes, so stacked encodings (``gzip, gzip``) cannot
  inflate a whole layer at once; a fetch holds at most the cap plus a few pieces;
- network: a redirect limit checked hop by hop (no ``file://`` or other schemes), and every
  address is checked where it is connected to: the name is resolved once, by the connection
  itself, and each address it connects to must be allowed (no DNS rebinding between a check
  and the connection). Link-local addresses (169.254.169.254, the cloud metadata service)
  are never fetched; other internal addresses only when the caller allows it (a feed that is
  itself on the internal network);
- retries with exponential backoff for transient failures only (5xx, 408/429, timeouts,
  connection errors; a short Retry-After is honoured, a long one ends the attempt),
  conditional GET, and an honest User-Agent from the settings.
"""

from __future__ import annotations

import codecs
import contextlib
import ipaddress
import re
import socket
import threading
import time
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx

from pipeline.errors import FetchError
from pipeline.settings import Settings

ALLOWED_SCHEMES = ("http", "https")
# Status codes that say "try again later" even though they are 4xx.
_TRANSIENT_4XX = {408, 425, 429}
_REDIRECTS = {301, 302, 303, 307, 308}
# A Retry-After longer than this is not waited for within one run.
_MAX_RETRY_AFTER = 10
# Decoded bytes made per decompression step, per layer: what bounds memory, whatever the ratio.
_PIECE = 64 * 1024
# More stacked Content-Encodings than this is no real server.
_MAX_ENCODINGS = 2


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


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address:
    address = ipaddress.ip_address(text.split("%")[0])
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:  # ::ffff:127.0.0.1
        return address.ipv4_mapped
    return address


def is_internal(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """Not a public internet address: loopback, private, link-local, shared, reserved, ..."""
    return not address.is_global or address.is_multicast


def never_fetched(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """Addresses no feed lives on, whoever configured it: link-local (the cloud metadata
    service at 169.254.169.254), unspecified (0.0.0.0 reaches this host) and multicast."""
    return address.is_link_local or address.is_unspecified or address.is_multicast


def _resolve(host: str, port: int | None = None) -> list[str]:
    """The host's addresses; a literal address is itself (raises OSError/UnicodeError)."""
    try:
        return [str(_address(host.strip("[]")))]
    except ValueError:
        pass
    infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    # An IP sockaddr starts with the host as text (only the families TCP never uses differ).
    return list(dict.fromkeys(str(_address(info[4][0])) for info in infos if isinstance(info[4][0], str)))


def resolves_to_internal(url: str) -> bool:
    """Whether the URL's host is (or resolves to) an internal address. Links inside feeds are
    untrusted: they must not reach the machine's own network. Only a cheap early answer: the
    connection checks again the very addresses it connects to."""
    host = urlsplit(url).hostname
    if not host:
        return False
    try:
        addresses = _resolve(host)
    except (OSError, UnicodeError):
        return False  # unresolvable: the fetch itself will fail with a connection error
    return any(is_internal(_address(a)) for a in addresses)


# The deadline of the fetch running in this thread (time.monotonic()), read by every socket
# operation of its connection. Thread-local: article pages are fetched from several threads.
_DEADLINE = threading.local()


def _bounded(timeout: float | None, connecting: bool = False) -> float:
    deadline = getattr(_DEADLINE, "at", None)
    if deadline is None:
        return timeout if timeout is not None else 60.0
    left = deadline - time.monotonic()
    if left <= 0:
        raise (httpcore.ConnectTimeout if connecting else httpcore.ReadTimeout)("the fetch's deadline passed")
    return left if timeout is None else min(timeout, left)


class _DeadlineStream(httpcore.NetworkStream):
    """A connection whose every read, write and TLS handshake ends by the fetch's deadline."""

    def __init__(self, inner: httpcore.NetworkStream):
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, _bounded(timeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, _bounded(timeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(self, ssl_context, server_hostname: str | None = None,
                  timeout: float | None = None) -> httpcore.NetworkStream:
        return _DeadlineStream(self._inner.start_tls(ssl_context, server_hostname, _bounded(timeout)))

    def get_extra_info(self, info: str):
        return self._inner.get_extra_info(info)


class _CheckedBackend(httpcore.NetworkBackend):
    """Resolves each host once and connects only to addresses it has checked."""

    def __init__(self, allow_internal: bool):
        self._inner = httpcore.SyncBackend()
        self.allow_internal = allow_internal

    def connect_tcp(self, host: str, port: int, timeout: float | None = None, local_address: str | None = None,
                    socket_options: Iterable | None = None) -> httpcore.NetworkStream:
        try:
            addresses = _resolve(host, port)
        except UnicodeError as exc:  # e.g. a label over 63 characters
            raise FetchError("invalid_url", f"invalid host name: {exc}", transient=False, item=host) from exc
        except OSError as exc:
            raise httpcore.ConnectError(f"cannot resolve {host}: {exc}") from exc
        for text in addresses:
            ip = _address(text)
            if never_fetched(ip) or (is_internal(ip) and not self.allow_internal):
                raise FetchError("internal_address", f"refusing to connect to {host} at the internal address "
                                 f"{ip}", transient=False, item=host,
                                 hint="links in a public feed may not point at private hosts")
        error: Exception = httpcore.ConnectError(f"{host} has no address")
        for address in addresses:
            try:
                stream = self._inner.connect_tcp(address, port, _bounded(timeout, connecting=True), local_address,
                                                 socket_options)
            except httpcore.ConnectError as exc:
                error = exc
                continue
            return _DeadlineStream(stream)
        raise error

    def connect_unix_socket(self, path: str, timeout: float | None = None,
                            socket_options: Iterable | None = None) -> httpcore.NetworkStream:
        raise httpcore.ConnectError("unix sockets are not fetched")

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


# httpcore's errors as the httpx ones callers catch, most specific first (as httpx's own
# transport maps them).
_AS_HTTPX: tuple[tuple[type[Exception], type[httpx.HTTPError]], ...] = (
    (httpcore.ConnectTimeout, httpx.ConnectTimeout), (httpcore.ReadTimeout, httpx.ReadTimeout),
    (httpcore.WriteTimeout, httpx.WriteTimeout), (httpcore.PoolTimeout, httpx.PoolTimeout),
    (httpcore.TimeoutException, httpx.TimeoutException), (httpcore.ConnectError, httpx.ConnectError),
    (httpcore.ReadError, httpx.ReadError), (httpcore.WriteError, httpx.WriteError),
    (httpcore.NetworkError, httpx.NetworkError), (httpcore.ProxyError, httpx.ProxyError),
    (httpcore.UnsupportedProtocol, httpx.UnsupportedProtocol),
    (httpcore.LocalProtocolError, httpx.LocalProtocolError),
    (httpcore.RemoteProtocolError, httpx.RemoteProtocolError), (httpcore.ProtocolError, httpx.ProtocolError),
)


@contextlib.contextmanager
def _httpx_errors() -> Iterator[None]:
    try:
        yield
    except Exception as exc:
        for core, mapped in _AS_HTTPX:
            if isinstance(exc, core):
                raise mapped(str(exc)) from exc
        raise


class _Body(httpx.SyncByteStream):
    def __init__(self, stream: Iterable[bytes]):
        self._stream = stream

    def __iter__(self) -> Iterator[bytes]:
        with _httpx_errors():
            yield from self._stream

    def close(self) -> None:
        close = getattr(self._stream, "close", None)
        if close is not None:
            close()


class _CheckedTransport(httpx.BaseTransport):
    """HTTP/1.1 over an httpcore pool whose network backend checks every address: httpx's own
    transport takes no backend, so this one is built from the two libraries' public parts."""

    def __init__(self, allow_internal: bool):
        # httpx's default limits; no proxy or certificates from the environment.
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(trust_env=False), max_connections=100,
            max_keepalive_connections=20, keepalive_expiry=5.0, network_backend=_CheckedBackend(allow_internal))

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        url = request.url
        core = httpcore.Request(
            method=request.method,
            url=httpcore.URL(scheme=url.raw_scheme, host=url.raw_host, port=url.port, target=url.raw_path),
            headers=request.headers.raw, content=request.stream, extensions=request.extensions)
        with _httpx_errors():
            response = self._pool.handle_request(core)
        if not isinstance(response.stream, Iterable):  # a sync pool's body always is
            raise TypeError("httpcore returned an async body to a sync pool")
        return httpx.Response(status_code=response.status, headers=response.headers, stream=_Body(response.stream),
                              extensions=response.extensions)

    def close(self) -> None:
        self._pool.close()


class Fetcher:
    """A reusable HTTP client (connection pooling) bound to the settings.

    ``sleep`` is injectable so callers can shorten backoff in tests without patching.
    """

    def __init__(self, settings: Settings, *, sleep=time.sleep):
        self.settings = settings
        self._sleep = sleep
        self._clients: dict[bool, httpx.Client] = {}
        self._lock = threading.Lock()

    def _client(self, allow_internal: bool) -> httpx.Client:
        # One client (connection pool) per policy, so a connection opened where internal hosts
        # are allowed is never reused where they are not. Created on first use: runs over
        # local feeds only never build a TLS context.
        with self._lock:
            if allow_internal not in self._clients:
                self._clients[allow_internal] = self._new_client(allow_internal)
            return self._clients[allow_internal]

    def _new_client(self, allow_internal: bool) -> httpx.Client:
        settings = self.settings
        return httpx.Client(
            transport=_CheckedTransport(allow_internal),
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
        for client in self._clients.values():
            client.close()
        self._clients.clear()

    def fetch(self, url: str, *, etag: str | None = None, last_modified: str | None = None,
              accept: str | None = None, allow_internal: bool = True,
              deadline: float | None = None) -> FetchResult:
        """GET ``url``; retry transient failures with backoff; raise FetchError otherwise.

        ``allow_internal=False`` refuses internal addresses at every redirect hop and at every
        connection (for URLs taken from untrusted content, such as the links inside a feed).
        ``deadline`` (``time.monotonic()``) ends every attempt and retry by then, besides the
        URL's own budget: a feed's or a run's budget.
        """
        check_url(url)
        end = time.monotonic() + self.settings.http_url_budget_seconds
        end = min(end, deadline) if deadline is not None else end
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        if accept:
            headers["Accept"] = accept
        attempts = max(0, self.settings.http_retries) + 1
        for attempt in range(attempts):
            if time.monotonic() >= end:
                raise FetchError("timeout", "no time left in the fetch's budget", transient=True, item=url)
            try:
                return self._fetch_once(url, headers, allow_internal,
                                        min(end, time.monotonic() + self.settings.http_deadline_seconds))
            except FetchError as exc:
                if not exc.transient or attempt == attempts - 1:
                    raise
                delay = self.settings.http_backoff_seconds * (2 ** attempt)
                retry_after = getattr(exc, "retry_after", None)
                if retry_after is not None:
                    if retry_after > _MAX_RETRY_AFTER:
                        raise  # the server asks for a long pause: the next poll will try again
                    delay = max(delay, retry_after)
                if time.monotonic() + delay >= end:
                    raise  # the budget would pass while waiting
                self._sleep(delay)
        raise AssertionError("unreachable")  # pragma: no cover

    def _fetch_once(self, url: str, headers: dict[str, str], allow_internal: bool, deadline: float) -> FetchResult:
        previous = getattr(_DEADLINE, "at", None)
        _DEADLINE.at = deadline
        try:
            return self._follow(url, headers, allow_internal)
        finally:
            _DEADLINE.at = previous

    def _follow(self, url: str, headers: dict[str, str], allow_internal: bool) -> FetchResult:
        current = url
        for _hop in range(self.settings.http_max_redirects + 1):
            check_url(current)
            if not allow_internal and resolves_to_internal(current):
                raise FetchError("internal_address", "refusing to fetch an internal network address",
                                 transient=False, item=current,
                                 hint="links in a public feed may not point at private hosts")
            try:
                with self._client(allow_internal).stream("GET", current, headers=headers) as resp:
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
        """The decoded body, cut at http_max_bytes: raw bytes decoded here piece by piece."""
        cap = self.settings.http_max_bytes
        chunks: list[bytes] = []
        total = 0
        for chunk in decoded(resp.iter_raw(), resp.headers.get("content-encoding", ""), url):
            if total + len(chunk) > cap:
                chunks.append(chunk[: cap - total])
                return b"".join(chunks), True
            chunks.append(chunk)
            total += len(chunk)
            deadline = getattr(_DEADLINE, "at", None)
            if deadline is not None and time.monotonic() > deadline:
                raise FetchError("timeout", "the body took longer than the fetch's deadline", transient=True,
                                 item=url)
        return b"".join(chunks), False


def decoded(raw: Iterable[bytes], content_encoding: str, url: str = "") -> Iterator[bytes]:
    """The body under its Content-Encoding layers, in pieces of at most _PIECE bytes each."""
    codings = [c.strip().lower() for c in content_encoding.split(",")]
    codings = [c for c in codings if c and c != "identity"]
    if len(codings) > _MAX_ENCODINGS:
        raise FetchError("bad_content_encoding", f"{len(codings)} stacked Content-Encodings", transient=False,
                         item=url)
    stream: Iterable[bytes] = raw
    for coding in reversed(codings):  # the last applied is undone first
        if coding not in ("gzip", "x-gzip", "deflate"):
            raise FetchError("bad_content_encoding", f"unsupported Content-Encoding {coding!r}", transient=False,
                             item=url)
        stream = _inflate(stream, coding, url)
    return iter(stream)


def _inflate(chunks: Iterable[bytes], coding: str, url: str) -> Iterator[bytes]:
    """One layer, inflated in bounded steps (zlib's max_length), never a whole chunk at once."""
    inflater = None
    for chunk in chunks:
        if not chunk:
            continue
        if inflater is None:
            # deflate is zlib-wrapped by the standard, raw by some servers: the header tells.
            wrapped = len(chunk) > 1 and chunk[0] & 0x0F == 8 and (chunk[0] << 8 | chunk[1]) % 31 == 0
            wbits = 16 + zlib.MAX_WBITS if coding != "deflate" else zlib.MAX_WBITS if wrapped else -zlib.MAX_WBITS
            inflater = zlib.decompressobj(wbits)
        data = chunk
        while not inflater.eof:  # what follows the end of the stream is ignored, as browsers do
            try:
                out = inflater.decompress(data, _PIECE)
            except zlib.error as exc:
                raise FetchError("bad_content_encoding", f"cannot decode body: {exc}", transient=False,
                                 item=url) from exc
            rest = inflater.unconsumed_tail
            if out:
                yield out
            elif not rest or rest == data:
                break  # this chunk is used up (or makes no progress): the next one is needed
            data = rest


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


def _known(encoding: str | bytes | None) -> str | None:
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
