"""HTML pages: main text and metadata through trafilatura, then the same cleaning as text."""

from __future__ import annotations

import json

import trafilatura

from pipeline.clean.dates import parse_iso_date
from pipeline.clean.metadata import Head, host_of, read_head


def extract_html(html: str, url: str | None = None) -> Head | None:
    """Title, author, date, site name and paragraphs of a page; None when nothing is extractable."""
    raw = trafilatura.extract(html, url=url, output_format="json", with_metadata=True,
                              include_comments=False, include_tables=True)
    if not raw:
        return None
    data = json.loads(raw)
    text = data.get("text") or ""
    lines = [(i, line.strip()) for i, line in enumerate(text.split("\n")) if line.strip()]
    if not lines:
        return None
    head = Head(title=(data.get("title") or None), byline=(data.get("author") or None),
                # trafilatura's JSON names the site name "source-hostname"
                publisher=(data.get("source-hostname") or data.get("sitename") or host_of(url)
                           or data.get("hostname") or None))
    read_head(lines, head)
    # The page's own metadata wins over a date line found in the text, which may be a comment's.
    head.published_at = parse_iso_date(data.get("date")) or head.published_at
    return head
