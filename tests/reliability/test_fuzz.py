"""Fuzzing the entry points that take outside input: ingest (bytes and file names), feed parsing
(bytes, RSS and JSON Feed built around arbitrary text), clean and dates (issue 30).

Each must answer with records or a quarantine reason, never an unexpected exception, and
what it returns must be storable (staging writes it as Parquet: UTF-8, no lone surrogates).
The budget is bounded (NEWSMON_FUZZ_EXAMPLES examples a test, inputs of bounded size) so the
file runs in `make test`; the search is derandomized, so a failure reproduces, and a longer
search is one environment variable away.
"""

from __future__ import annotations

import json
import os
import tempfile
from datetime import date, datetime
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.errors import InputError
from pipeline.ingest.decode import decode_bytes
from pipeline.ingest.feed_parse import parse_feed_bytes
from pipeline.ingest.feeds import FeedSource, read_feeds
from pipeline.ingest.files import read_inputs
from pipeline.records import Article, Document, FeedState, QuarantineItem
from pipeline.staging import to_arrow
from tests.conftest import examples, make_settings

FUZZ = settings(max_examples=int(os.environ.get("NEWSMON_FUZZ_EXAMPLES") or examples(40)), deadline=None,
                derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# Pieces real pages and feeds are made of, mixed with arbitrary text: the fuzzer reaches the
# parsers' interesting paths far sooner than with random characters alone.
PIECES = ["<p>", "</p>", "<div>", "</div>", "<script>", "</script>", "<br>", "<h1>", "</h1>", "<![CDATA[",
          "]]>", "&amp;", "&#xD800;", "&#1114112;", "&#0;", "&lt;", "\n\n", "\n", " ", "\t", "\x00", "\ufeff",
          "\ud800", "\udcff", "Putin", "Geneva", "January 10, 2022", "last Monday", "of", "2022-01-10",
          "Jan. 3", "yesterday", "the 1990s", "said on Friday", ".", ",", "\u202e", "\u0301", "ﬁ"]
TEXT = st.lists(st.sampled_from(PIECES) | st.text(max_size=20), max_size=60).map("".join)
SETTINGS = make_settings(Path(tempfile.mkdtemp(prefix="newsmon-fuzz-")), clean_processes=1,
                         http_retries=0, max_input_bytes=200_000)


def storable(records: list, cls: type) -> None:
    to_arrow(records, cls)  # raises on a lone surrogate, as staging would


@FUZZ
@given(st.binary(max_size=4000))
def test_decode_any_bytes(raw):
    try:
        text, encoding = decode_bytes(raw)
    except InputError as exc:
        assert exc.reason_code
        return
    text.encode("utf-8")
    assert encoding


@FUZZ
@given(content=st.binary(max_size=3000) | TEXT.map(lambda t: t.encode("utf-8", "surrogatepass")),
       name=st.binary(min_size=1, max_size=40).map(lambda b: b.replace(b"/", b"_").replace(b"\0", b"_")))
def test_read_any_file_under_any_name(content, name):
    with tempfile.TemporaryDirectory() as folder:
        path = os.fsencode(folder) + b"/" + (name if name not in (b".", b"..") else b"x") + b".txt"
        with open(path, "wb") as fh:
            fh.write(content)
        out = read_inputs([folder], SETTINGS, "fuzz")
    assert len(out.documents) == 1 and len(out.quarantine) <= 1
    storable(out.documents, Document)
    storable(out.quarantine, QuarantineItem)


@FUZZ
@given(st.binary(max_size=4000) | TEXT.map(lambda t: t.encode("utf-8", "surrogatepass")))
def test_parse_any_feed_bytes(data):
    parsed = parse_feed_bytes(data, base_uri="file:///feed.xml")
    json.dumps([dict(e) for e in parsed.get("entries") or []], default=str).encode("utf-8")


def _xml(text: str) -> str:
    """Text as XML character data: markup escaped, everything beyond ASCII as references."""
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return escaped.encode("ascii", "xmlcharrefreplace").decode("ascii")


@FUZZ
@given(entries=st.lists(st.tuples(TEXT, TEXT), min_size=1, max_size=4), as_json=st.booleans())
def test_read_a_feed_of_any_text(entries, as_json):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / ("feed.json" if as_json else "feed.xml")
        if as_json:
            path.write_text(json.dumps({"version": "https://jsonfeed.org/version/1.1", "title": entries[0][0],
                                        "items": [{"id": str(i), "title": t, "content_html": d}
                                                  for i, (t, d) in enumerate(entries)]}), encoding="ascii")
        else:
            items = "".join(f"<item><guid>g{i}</guid><title>{_xml(t)}</title><description>{_xml(d)}"
                            "</description></item>" for i, (t, d) in enumerate(entries))
            path.write_text(f'<?xml version="1.0"?><rss version="2.0"><channel><title>F</title>{items}'
                            "</channel></rss>", encoding="ascii")
        out = read_feeds([FeedSource(name="fuzz", url=str(path))], SETTINGS, "fuzz", {}, datetime(2026, 1, 1))
    assert not [q for q in out.quarantine if q.reason_code == "ingest_internal_error"], out.quarantine
    assert len(out.feed_states) == 1
    storable(out.documents, Document)
    storable(out.quarantine, QuarantineItem)
    storable(out.feed_states, FeedState)


@FUZZ
@given(text=TEXT, html=st.booleans())
def test_clean_any_document(text, html):
    from pipeline.clean import clean_documents

    doc = Document(doc_id="d1", source_kind="file", source_uri="/in/d1", fetched_at=datetime(2026, 1, 1),
                   raw_sha256="0", raw_text=text.encode("utf-8", "replace").decode("utf-8"),
                   content_type="text/html" if html else "text/plain")
    out = clean_documents([doc], SETTINGS, "fuzz")
    assert len(out.articles) + len(out.quarantine) == 1
    storable(out.articles, Article)


@FUZZ
@given(text=TEXT, anchor=st.none() | st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)))
def test_find_dates_in_any_text(text, anchor):
    from pipeline.extract.dates import find_dates

    for expr in find_dates(text, anchor):
        assert 0 <= expr.start <= expr.end <= len(text)
