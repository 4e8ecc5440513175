"""Feed bytes -> feedparser's result, safely.

feedparser is only ever given an in-memory byte stream: given a string it may open URLs or
local paths itself, bypassing our fetcher's limits. External entities are not resolved:
feedparser strips the DOCTYPE (keeping only plain internal entity values) and disables
external general entities in its SAX parser; tests/ingest/test_feed_security.py checks it.

JSON Feed (jsonfeed.org), which feedparser 6.0 does not read, is mapped to the same shape.
"""

from __future__ import annotations

import io
import json
import re
from datetime import UTC, datetime
from urllib.parse import urljoin

import feedparser
from feedparser.util import FeedParserDict

from pipeline.text import scrub_surrogates_in


def parse_feed_bytes(data: bytes, *, base_uri: str, content_type: str | None = None) -> FeedParserDict:
    """The parsed feed; lone surrogates in it (JSON "\\ud800", XML "&#xD800;") become U+FFFD."""
    parsed = parse_json_feed(data, base_uri=base_uri) if _looks_like_json(data) else None
    if parsed is None:
        data = _CHARREF.sub(_valid_charref, data)
        headers = {"content-location": base_uri}
        if content_type:
            headers["content-type"] = content_type
        parsed = feedparser.parse(io.BytesIO(data), response_headers=headers,
                                  sanitize_html=True, resolve_relative_uris=True)
    for part in ("feed", "entries"):
        if part in parsed:
            parsed[part] = scrub_surrogates_in(parsed[part])
    return parsed


# A character reference to a surrogate or past U+10FFFF names no character; feedparser's
# fallback parser raises on one, which lost the whole feed. It becomes U+FFFD first.
_CHARREF = re.compile(rb"&#([xX][0-9a-fA-F]{1,8}|[0-9]{1,10});")


def _valid_charref(match: re.Match[bytes]) -> bytes:
    ref = match.group(1)
    value = int(ref[1:], 16) if ref[:1] in (b"x", b"X") else int(ref)
    return b"&#xFFFD;" if 0xD800 <= value <= 0xDFFF or value > 0x10FFFF else match.group(0)


def _looks_like_json(data: bytes) -> bool:
    return data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"{"


def _json_date(value: object) -> tuple | None:
    if not isinstance(value, str):
        return None
    try:
        dt = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if dt.tzinfo is not None:
        dt = dt.astimezone(UTC)
    return dt.timetuple()


def parse_json_feed(data: bytes, *, base_uri: str) -> FeedParserDict | None:
    """A JSON Feed as a feedparser-shaped result, or None when it is not a JSON Feed."""
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError):
        return None
    if not isinstance(doc, dict) or "jsonfeed.org" not in str(doc.get("version", "")):
        return None
    result = FeedParserDict(bozo=False, entries=[], feed=FeedParserDict(), headers={},
                            encoding="utf-8", version="json1")
    result["feed"]["title"] = str(doc.get("title") or "")
    items = doc.get("items")
    if not isinstance(items, list):
        result["bozo"] = True
        result["bozo_exception"] = ValueError("JSON Feed without an items array")
        return result
    for item in items:
        if not isinstance(item, dict):
            continue
        entry = FeedParserDict()
        if item.get("id") is not None:
            entry["id"] = str(item["id"])
        if isinstance(item.get("url"), str):
            entry["link"] = urljoin(base_uri, item["url"])
        if isinstance(item.get("title"), str):
            entry["title"] = item["title"]
        if isinstance(item.get("summary"), str):
            entry["summary"] = item["summary"]
            entry["summary_detail"] = FeedParserDict(value=item["summary"], type="text/plain")
        contents = []
        if isinstance(item.get("content_html"), str):
            contents.append(FeedParserDict(value=item["content_html"], type="text/html"))
        if isinstance(item.get("content_text"), str):
            contents.append(FeedParserDict(value=item["content_text"], type="text/plain"))
        if contents:
            entry["content"] = contents
        authors = item.get("authors") or ([item["author"]] if isinstance(item.get("author"), dict) else [])
        names = [str(a["name"]) for a in authors if isinstance(a, dict) and a.get("name")]
        if names:
            entry["author"] = ", ".join(names)
        for key, field in (("published_parsed", "date_published"), ("updated_parsed", "date_modified")):
            parsed = _json_date(item.get(field))
            if parsed is not None:
                entry[key] = parsed
        result["entries"].append(entry)
    return result
