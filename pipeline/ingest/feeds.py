"""Feeds -> Documents, incrementally.

Per feed: skip it when it is not due (its own interval, or a backoff after failures); get
the bytes (conditional GET for http feeds, a bounded read for local files); stop early when
the server says 304 or the bytes hash as last time; parse; turn each entry not seen before
into a Document (the linked article page when it can be fetched, else the feed's own content,
marked ``content_origin="feed_content"``). Everything that cannot be used becomes a
QuarantineItem with a reason; the new FeedState goes back to the caller, which stores it in
the same transaction as the documents, so state and data never disagree.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import stat
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from pipeline.errors import FetchError
from pipeline.ingest.feed_parse import parse_feed_bytes
from pipeline.ingest.feed_sources import (  # noqa: F401 — re-exported: the flow imports them from here
    FeedSource,
    expand_source,
    feed_source_from_arg,
    load_feed_sources,
)
from pipeline.ingest.http import Fetcher, decode_text, resolves_to_internal
from pipeline.records import Document, FeedState, QuarantineItem, naive_utc, stable_id
from pipeline.settings import Settings

log = logging.getLogger(__name__)

STAGE = "ingest"
FEED_ACCEPT = ("application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, "
               "text/xml;q=0.9, */*;q=0.5")
PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.1"
_HTML_TYPES = ("text/html", "application/xhtml+xml")
PAGE_WORKERS = 4  # article pages fetched at once per feed: fast, still polite to one site
MAX_SEEN_IDS = 5000  # ids kept per feed beyond those currently in it
_MAX_KEY_CHARS = 256  # longer entry ids are stored hashed
_MAX_BACKOFF = timedelta(hours=24)


@dataclass
class FeedOutput:
    documents: list[Document] = field(default_factory=list)
    quarantine: list[QuarantineItem] = field(default_factory=list)
    feed_states: list[FeedState] = field(default_factory=list)


def read_feeds(sources: list[FeedSource], settings: Settings, run_id: str, states: dict[str, FeedState],
               now: datetime) -> FeedOutput:
    """Read every due feed; one bad feed never stops the others."""
    now = naive_utc(now)
    out = FeedOutput()
    run_end = time.monotonic() + settings.feeds_run_budget_seconds
    with Fetcher(settings) as fetcher:
        reader = _FeedReader(settings, run_id, now, fetcher, out)
        for source in sources:
            for feed in expand_source(source):
                if time.monotonic() >= run_end:
                    # Untouched, the feed is due at the next poll, which starts with it.
                    log.warning("feeds_run_budget_seconds spent: feed %s is left for the next poll", feed.name)
                    continue
                reader.deadline = min(run_end, time.monotonic() + settings.feed_budget_seconds)
                try:
                    reader.read(feed, states.get(feed.name))
                except Exception as exc:  # noqa: BLE001 — a bug on one feed must not lose the run
                    log.exception("unexpected error reading feed %s", feed.name)
                    out.quarantine.append(reader.quarantine(
                        stable_id("feed", feed.name), "ingest_internal_error",
                        f"unexpected {exc.__class__.__name__} reading feed {feed.name}: {exc}",
                        {"feed": feed.name, "url": feed.url}))
    return out


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass
class _Raw:
    """Feed bytes plus what the parser needs to know about where they came from."""

    data: bytes
    base_uri: str
    content_type: str | None = None
    etag: str | None = None
    last_modified: str | None = None


class _FeedReader:
    def __init__(self, settings: Settings, run_id: str, now: datetime, fetcher: Fetcher, out: FeedOutput):
        self.settings, self.run_id, self.now, self.fetcher, self.out = settings, run_id, now, fetcher, out
        self.deadline: float | None = None  # time.monotonic() by which the current feed's fetches end

    def quarantine(self, item_id: str, reason: str, message: str, payload: dict) -> QuarantineItem:
        return QuarantineItem(item_id=item_id, stage=STAGE, reason_code=reason, message=message,
                              payload=json.dumps(payload, ensure_ascii=False, default=str),
                              run_id=self.run_id, quarantined_at=self.now)

    # --- one feed ---------------------------------------------------------------------------
    def read(self, feed: FeedSource, previous: FeedState | None) -> None:
        state = previous or FeedState(feed_name=feed.name, url=feed.url)
        if not self._due(feed, state):
            log.debug("feed %s not due", feed.name)
            return
        state = replace(state, url=feed.url, last_fetched_at=self.now,
                        seen_entry_ids=list(state.seen_entry_ids or []))
        if previous is not None and previous.url != feed.url:
            # The feed moved: validators of the old URL mean nothing to the new server.
            state.etag = state.last_modified = state.content_sha256 = None
        try:
            raw = self._get(feed, state)
        except FetchError as exc:
            self._fail(feed, state, "fetch_failed", f"cannot fetch feed: {exc}",
                       {"error": exc.reason_code, "transient": exc.transient})
            return
        except OSError as exc:
            self._fail(feed, state, "feed_unreadable", f"cannot read feed file: {exc}", {})
            return
        if raw is None:  # 304 Not Modified
            self._done(state, "not_modified")
            return
        state.etag, state.last_modified = raw.etag, raw.last_modified
        digest = _sha256(raw.data)
        if digest == state.content_sha256:  # servers that ignore conditional GET
            self._done(state, "unchanged")
            return
        parsed = parse_feed_bytes(raw.data, base_uri=raw.base_uri, content_type=raw.content_type)
        entries = list(parsed.get("entries") or [])
        bozo = _bozo_text(parsed)
        if not entries:
            # Malformed = no feed format was recognised; a recovered feed without items is empty.
            malformed = bool(bozo) and not (parsed.get("version") and parsed.get("feed"))
            reason = "feed_malformed" if malformed else "feed_empty"
            message = f"unusable feed: {bozo}" if malformed else "feed parsed but has no entries" + (
                f" (recovered: {bozo})" if bozo else "")
            # One row per feed and verdict (not per version): a feed whose only change is its
            # build date does not add a row every poll.
            self.out.quarantine.append(self.quarantine(
                stable_id("feed", feed.name), reason, message,
                {"feed": feed.name, "url": feed.url, "sha256": digest, "version": parsed.get("version")}))
            state.content_sha256 = digest  # the same bytes would give the same verdict
            if malformed:
                self._fail(feed, state, None, message, {})
            else:
                self._done(state, "empty")
            return
        if bozo:
            log.warning("feed %s loaded despite a recoverable problem: %s", feed.name, bozo)
        new_keys = self._entries(feed, entries, set(state.seen_entry_ids), parsed.get("encoding"))
        current = [_entry_key(e) for e in entries]
        state.seen_entry_ids = _merge_seen(current, state.seen_entry_ids)
        state.content_sha256 = digest
        status = f"ok: {new_keys} new of {len(entries)}"
        self._done(state, f"{status}; recovered: {bozo}" if bozo else status)

    def _due(self, feed: FeedSource, state: FeedState) -> bool:
        if state.next_retry_at is not None and self.now < state.next_retry_at:
            return False
        if feed.interval_minutes and state.last_fetched_at is not None and state.consecutive_failures == 0:
            # A minute of slack so a scheduler tick a little early still polls the feed.
            return self.now >= state.last_fetched_at + timedelta(minutes=feed.interval_minutes - 1)
        return True

    def _done(self, state: FeedState, status: str) -> None:
        state.last_status = status[:500]
        state.consecutive_failures = 0
        state.next_retry_at = None
        self.out.feed_states.append(state)

    def _fail(self, feed: FeedSource, state: FeedState, reason: str | None, message: str, extra: dict) -> None:
        """Record a failed poll; back off exponentially so a broken feed is not hammered."""
        if reason is not None:
            self.out.quarantine.append(self.quarantine(
                stable_id("feed", feed.name), reason, message, {"feed": feed.name, "url": feed.url, **extra}))
        state.consecutive_failures += 1
        state.last_status = f"failed: {message}"[:500]
        interval = timedelta(minutes=feed.interval_minutes or self.settings.feed_interval_minutes)
        state.next_retry_at = self.now + min(interval * 2 ** (state.consecutive_failures - 1), _MAX_BACKOFF)
        self.out.feed_states.append(state)

    def _get(self, feed: FeedSource, state: FeedState) -> _Raw | None:
        if feed.is_local:
            path = Path(feed.url)
            data = _read_bounded(path, self.settings.max_input_bytes)
            # A file has no HTTP headers: declare it XML so the XML declaration/BOM decide the
            # encoding (RFC 3023), as feedparser does when it opens a file itself.
            return _Raw(data=data, base_uri=path.resolve().as_uri(), content_type="application/xml")
        # A feed on the internal network is the operator's choice; a public one may not redirect there.
        res = self.fetcher.fetch(feed.url, etag=state.etag, last_modified=state.last_modified, accept=FEED_ACCEPT,
                                 allow_internal=resolves_to_internal(feed.url), deadline=self.deadline)
        if res.not_modified:
            return None
        if res.truncated:
            raise FetchError("too_large", f"feed larger than {self.settings.http_max_bytes} bytes",
                             transient=False, item=feed.url)
        return _Raw(data=res.content, base_uri=res.url, content_type=res.content_type or None,
                    etag=res.etag, last_modified=res.last_modified)

    # --- entries ----------------------------------------------------------------------------
    def _entries(self, feed: FeedSource, entries: list, seen: set[str], feed_encoding: str | None) -> int:
        new = []
        for entry in entries:
            key = _entry_key(entry)
            if key in seen:
                continue
            seen.add(key)  # a feed listing one entry twice yields it once
            new.append((entry, key))
        pages = self._pages(feed, [entry.get("link") if feed.fetch_pages else None for entry, _ in new])
        for (entry, key), page in zip(new, pages, strict=True):
            doc = self._document(feed, entry, stable_id("feed_entry", feed.name, key), key, feed_encoding, page)
            if doc is not None:
                self.out.documents.append(doc)
        return len(new)

    def _pages(self, feed: FeedSource, links: list[str | None]) -> list:
        """Each link's page, or the FetchError that prevented it; a few fetched in parallel
        (threads share the client's connection pool), results in entry order."""
        # A feed on the internal network may link internal pages; any other feed may not.
        allow_internal = not feed.is_local and resolves_to_internal(feed.url) if any(links) else False

        def one(link: str | None):
            if not link:
                return None
            try:
                return self._page(feed, link, allow_internal)
            except FetchError as exc:
                return exc
            except Exception as exc:  # noqa: BLE001 — one odd link must not cost the feed's other entries
                log.exception("unexpected error fetching page %s", link)
                return FetchError("page_error", f"unexpected {exc.__class__.__name__}: {exc}", transient=False,
                                  item=link)

        wanted = sum(1 for link in links if link)
        if wanted <= 1:
            return [one(link) for link in links]
        with ThreadPoolExecutor(max_workers=min(PAGE_WORKERS, wanted)) as pool:
            return list(pool.map(one, links))

    def _document(self, feed: FeedSource, entry, doc_id: str, key: str, feed_encoding: str | None,
                  page: tuple[bytes, str, str] | FetchError | None) -> Document | None:
        link = entry.get("link") or None
        hints: dict[str, Any] = {"hint_title": _clean(entry.get("title")), "hint_author": _clean(entry.get("author")),
                 "hint_published_at": _entry_datetime(entry)}
        page_problem = page if isinstance(page, FetchError) else None
        if isinstance(page, tuple):
            body, url, ctype = page
            text, encoding = decode_text(body, ctype)
            return Document(doc_id=doc_id, source_kind="feed_entry", source_uri=url,
                            fetched_at=self.now, raw_sha256=_sha256(body), raw_text=text,
                            content_type="text/html", encoding=encoding, feed_name=feed.name,
                            url=url, content_origin="page", **hints)
        content, ctype = _entry_content(entry)
        payload = {"feed": feed.name, "entry_id": key, "link": link}
        if page_problem is not None:
            verdict = "used the feed's own content instead" if content else "and the feed has no content"
            self.out.quarantine.append(self.quarantine(
                doc_id, "page_fetch_failed", f"article page not fetched ({page_problem.reason_code}): "
                f"{page_problem.message}; {verdict}",
                {**payload, "error": page_problem.reason_code, "transient": page_problem.transient}))
        if not content:
            self.out.quarantine.append(self.quarantine(
                doc_id, "entry_empty", "feed entry has no content and no fetchable page", payload))
            return None
        return Document(doc_id=doc_id, source_kind="feed_entry",
                        source_uri=link or f"{feed.url}#{key}", fetched_at=self.now,
                        raw_sha256=_sha256(content.encode("utf-8")), raw_text=content, content_type=ctype,
                        encoding=feed_encoding or "utf-8", feed_name=feed.name, url=link,
                        content_origin="feed_content", **hints)

    def _page(self, feed: FeedSource, link: str, allow_internal: bool) -> tuple[bytes, str, str]:
        """(bytes, final url, content type) of the article page."""
        if link.lower().startswith("file:"):
            return self._local_page(feed, link)
        res = self.fetcher.fetch(link, accept=PAGE_ACCEPT, allow_internal=allow_internal, deadline=self.deadline)
        if res.truncated:
            raise FetchError("too_large", f"page larger than {self.settings.http_max_bytes} bytes (cut)",
                             transient=False, item=link)
        ctype = res.content_type.split(";")[0].strip().lower()
        if ctype and ctype not in _HTML_TYPES:
            raise FetchError("not_html", f"page is {ctype}, not HTML", transient=False, item=link)
        return res.content, res.url, res.content_type

    def _local_page(self, feed: FeedSource, link: str) -> tuple[bytes, str, str]:
        """Offline feeds may link pages beside them; nothing outside the feed's folder is read."""
        if not feed.is_local:
            raise FetchError("unsupported_scheme", "a web feed cannot point at local files", transient=False,
                             item=link)
        folder = Path(feed.url).resolve().parent
        path = _file_url_path(link).resolve()
        if not path.is_relative_to(folder) or not path.is_file():
            raise FetchError("not_found", "local page is missing or outside the feed's folder",
                             transient=False, item=link)
        if path.suffix.lower() not in (".html", ".htm", ".xhtml"):
            raise FetchError("not_html", "local page is not an .html file", transient=False, item=link)
        return _read_bounded(path, self.settings.http_max_bytes), path.as_uri(), "text/html"


def _file_url_path(link: str) -> Path:
    """feedparser folds ``file:///a/b`` into ``file://a/b``: read a host part as the first folder."""
    parts = urlsplit(link)
    path = unquote(parts.path)
    if parts.netloc and parts.netloc.lower() != "localhost":
        path = f"/{unquote(parts.netloc)}{path}"
    return Path(path)


def _read_bounded(path: Path, limit: int) -> bytes:
    # Non-blocking open and a regular-file check: a FIFO or /dev/zero would be read forever.
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    with os.fdopen(fd, "rb") as fh:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise FetchError("not_a_file", f"{path} is not a regular file", transient=False, item=str(path))
        data = fh.read(limit + 1)
    if len(data) > limit:
        raise FetchError("too_large", f"file larger than {limit} bytes", transient=False, item=str(path))
    return data


def _bozo_text(parsed) -> str | None:
    if not parsed.get("bozo"):
        return None
    exc = parsed.get("bozo_exception")
    return f"{exc.__class__.__name__}: {exc}"[:300] if exc is not None else "malformed"


def _entry_key(entry) -> str:
    """guid, else link, else a hash of what the entry says: stable across polls."""
    key = entry.get("id") or entry.get("link")
    if not key:
        content, _ = _entry_content(entry)
        key = "sha:" + stable_id(entry.get("title"), content, entry.get("published") or entry.get("updated"))
    key = str(key).strip()
    return key if len(key) <= _MAX_KEY_CHARS else "sha:" + stable_id(key)


def _merge_seen(current: list[str], previous: list[str]) -> list[str]:
    merged = list(dict.fromkeys(current))
    in_feed = set(merged)
    merged += [k for k in previous if k not in in_feed]
    return merged[: max(len(in_feed), MAX_SEEN_IDS)]


def _entry_content(entry) -> tuple[str | None, str]:
    """The richest text the entry carries: full content, else its summary."""
    best, best_type = None, "text/plain"
    for part in entry.get("content") or []:
        value = (part.get("value") or "").strip()
        if value and (best is None or len(value) > len(best)):
            best, best_type = value, part.get("type") or "text/html"
    if best is None:
        summary = (entry.get("summary") or "").strip()
        if summary:
            best = summary
            best_type = (entry.get("summary_detail") or {}).get("type") or "text/html"
    ctype = "text/html" if "html" in best_type else "text/plain"
    return best, ctype


def _entry_datetime(entry) -> datetime | None:
    """feedparser gives UTC struct_time; keep it as naive UTC, as the warehouse does."""
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(key)
        if value:
            try:
                return datetime(*value[:6])
            except (TypeError, ValueError):
                continue
    return None


def _clean(value) -> str | None:
    if not isinstance(value, str):
        return None
    value = " ".join(value.split())
    return value or None
