"""Article metadata read from the text itself, before anything is removed.

- the title line, with a trailing " | Publisher" split off;
- a dateline or "By ..." byline at the head of the article;
- an editor's note ("X is a freelance journalist ...") for the byline, and "not necessarily
  those of X" for the publisher.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlsplit

from pipeline.clean.dates import parse_date
from pipeline.clean.engine import Removal
from pipeline.text import normalise_for_hash

HEAD_PARAGRAPHS = 3  # datelines and bylines sit right under the title
_NAME = r"[A-ZÀ-Ý][\w'.-]+(?:\s+(?:[A-ZÀ-Ý][\w'.-]+|de|van|von|der|al|bin|da|di|du|le|la|del)){1,4}"
_BYLINE = re.compile(rf"^(?:by|von|por|par|text|written by|autor|author)\s*:?\s+(?P<name>{_NAME})\s*$",
                     re.IGNORECASE)
_NOTE_BYLINE = re.compile(
    rf"(?:editor'?s'?\s+note|note from the editor)\s*[:.-]?\s*(?P<name>{_NAME})\s+(?:is|was|has been)\s+"
    r"(?:an?|the)\b", re.IGNORECASE)
_BIO_BYLINE = re.compile(
    rf"^(?P<name>{_NAME})\s+is\s+an?\s+[\w ,-]{{0,40}}?(?:journalist|writer|reporter|columnist|analyst|"
    r"contributor|correspondent|commentator|editor|researcher|professor|fellow|author)\b")
_NOT_NECESSARILY = re.compile(
    r"not\s+necessarily\s+(?:reflect\s+)?(?:those|the\s+(?:views|opinions|position))\s+of\s+(?:the\s+)?"
    r"(?P<pub>[A-Z][\w&.'-]*(?:\s+[A-Z][\w&.'-]*){0,4})")
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u00a0": " "})
MAX_PUBLISHER_WORDS = 6
MAX_TITLE_WORDS = 40  # a longer first line is the article's first paragraph, not its title
# "Published on 4 January 2022": the label goes, the date is read ("Updated" is not publication).
_DATE_LABEL = re.compile(r"^\W*(published|posted|veröffentlicht|erschienen|publicado|publié|pubblicato)"
                         r"(\s+(on|am|el|le|il))?\s*:?\s*", re.IGNORECASE)


@dataclass
class Head:
    title: str | None = None
    publisher: str | None = None
    byline: str | None = None
    published_at: datetime | None = None  # naive UTC
    published_offset: int | None = None  # the page's own UTC offset in minutes, when it gave one
    paragraphs: list[tuple[int, str]] = field(default_factory=list)  # (raw index, text)
    removals: list[Removal] = field(default_factory=list)
    captions: list[tuple[int, str]] = field(default_factory=list)  # removed as captions before cleaning


def split_title(line: str) -> tuple[str, str | None]:
    """'The West has a rare window ... | MCU Times' -> (title, 'MCU Times')."""
    line = line.strip()
    if " | " in line:
        head, tail = (s.strip() for s in line.rsplit(" | ", 1))
        if head and 0 < len(tail.split()) <= MAX_PUBLISHER_WORDS:
            return head, tail
    return line, None


def read_head(paragraphs: list[tuple[int, str]], head: Head) -> None:
    """Take a dateline and a byline from the first paragraphs into `head` (and out of the body)."""
    kept: list[tuple[int, str]] = []
    for pos, (index, text) in enumerate(paragraphs):
        if pos < HEAD_PARAGRAPHS and len(text.split()) <= 12:
            when = parse_date(_DATE_LABEL.sub("", text))
            if when is not None and head.published_at is None:
                head.published_at = when
                head.removals.append(Removal(index, 0, "page_metadata:dateline", text.strip()))
                continue
            match = _BYLINE.match(text.strip())
            if match and head.byline is None:
                head.byline = match.group("name")
                head.removals.append(Removal(index, 0, "page_metadata:byline", text.strip()))
                continue
        kept.append((index, text))
    head.paragraphs = kept


def parse_plain(text: str, hint_title: str | None = None) -> Head:
    """Plain text: first line is the title (unless a feed gave another), then paragraphs."""
    lines = [(i, line.strip()) for i, line in enumerate(text.splitlines()) if line.strip()]
    head = Head()
    first_is_title = bool(lines) and len(lines[0][1].split()) <= MAX_TITLE_WORDS
    if first_is_title and (hint_title is None or normalise_for_hash(lines[0][1]) == normalise_for_hash(hint_title)):
        head.title, head.publisher = split_title(lines[0][1])
        lines = lines[1:]
    elif hint_title:
        head.title, head.publisher = split_title(hint_title)
    read_head(lines, head)
    return head


def host_of(url: str | None) -> str | None:
    """'https://www.example.org/a' -> 'example.org': the publisher when nothing better is known."""
    host = urlsplit(url).hostname if url else None
    return host.removeprefix("www.") if host else None


def notes_metadata(paragraphs: list[tuple[int, str]]) -> tuple[str | None, str | None]:
    """(byline, publisher) from editor's notes and 'views of the author' notices."""
    byline = publisher = None
    for _, raw in paragraphs:
        text = raw.translate(_APOSTROPHES)
        norm = normalise_for_hash(text)
        is_note = "editor's note" in norm or "editors note" in norm or "not necessarily" in norm
        if not is_note:
            continue
        if byline is None:
            match = _NOTE_BYLINE.search(text)
            body = re.sub(r"^\W*editor'?s'?\s+note\s*[:.-]?\s*", "", text, flags=re.IGNORECASE)
            match = match or _BIO_BYLINE.search(body)
            if match:
                byline = match.group("name").strip()
        if publisher is None:
            match = _NOT_NECESSARILY.search(text)
            if match:
                publisher = match.group("pub").rstrip(".").strip() or None
    return byline, publisher
