"""A page's publication time: every place the page states it, reconciled with the visible day.

Publishers state the time in several places at once, and not always the same way: the
article item's JSON-LD `datePublished` may carry a day only while `article:published_time`
or the `<time datetime>` of the byline carries the time and zone; one tag may state the
instant in UTC while another states it in the newsroom's zone (whose day is the page's).
So every statement is kept as a candidate, in the order of trust:

- strong (may name the day): the article item's `datePublished`/`dateCreated`, the meta tags
  publishers use for publication (`article:published_time`, `dc.date.issued`, ...; every
  value, not only a tag's first), an element marked `itemprop="datePublished"`, and the
  microformats' publication mark (`class="published"`, `dt-published`, WordPress's
  `entry-date`) with its `datetime`/`title`;
- weak (may only give the time of a day already known): `datePublished` of the page's other
  items (a `WebPage`), the page's other `<time datetime>` elements, and a date line with a
  time printed above the body (`visible_stamps`).

Modification times (`dateModified`, `article:modified_time`, `og:updated_time`, `updated`) are
never candidates. `published_time` picks the day (the first strong candidate, unless the visible
page names another day: then a strong candidate on that day, else the visible day) and then
the first candidate that states a time on that day, with its zone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from email.utils import parsedate_to_datetime

from lxml import html as lxml_html

from pipeline.clean.dates import parse_date

MAX_CANDIDATES = 40  # statements read per page: a listing page cannot make the reading long
MAX_VALUE_CHARS = 80
MAX_ELEMENTS_ABOVE = 5000  # elements read above the body for a printed date line
MAX_VISIBLE = 5
_UNPRINTED = frozenset({"script", "style", "noscript", "template", "head", "title", "meta"})
# Meta tags publishers use for the publication time (lower-cased name, property or itemprop).
PUBLISHED_META = ("article:published_time", "og:article:published_time", "datepublished", "date",
                  "dc.date.issued", "dc.date", "dcterms.created", "dcterms.issued", "publish-date",
                  "pubdate", "parsely-pub-date", "sailthru.date", "og:article:time")
_PUBLISHED_CLASSES = frozenset({"published", "dt-published", "entry-date"})
_MODIFIED_CLASSES = frozenset({"updated", "dt-updated", "modified"})
_ISO_OFFSET = re.compile(r"([+-]\d{2})(\d{2})$")
_ZONE_FREE_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_FRACTION = re.compile(r"(\.\d{6})\d+")  # Python reads at most microseconds
_RFC2822 = re.compile(r"^[A-Za-z]{3},\s+\d{1,2}\s+[A-Za-z]{3}\s+\d{4}\s+\d{2}:\d{2}")


@dataclass(frozen=True)
class Stamp:
    when: datetime  # aware when the page gave a zone
    has_time: bool
    source: str
    strong: bool  # may name the day; a weak stamp only gives the time of a day already known

    @property
    def day(self) -> date:
        """The publisher's own day: an aware time's local date, a naive one's as written."""
        return self.when.date()


def parse_timestamp(value: str | None) -> tuple[datetime, bool] | None:
    """(datetime, has a time of day) from ISO 8601 as publishers write it (aware when zoned),
    from RFC 2822 (`Wed, 04 May 2022 00:25:56 GMT`), or from a date line (`10.12.2022, 07:00`,
    day before month, naive)."""
    if not value or len(value) > MAX_VALUE_CHARS:
        return None
    text = value.strip().replace("Z", "+00:00").replace(" ", "T", 1)
    text = _FRACTION.sub(r"\1", _ISO_OFFSET.sub(r"\1:\2", text))
    if _ZONE_FREE_DATE.match(text):
        try:
            return datetime.fromisoformat(text), False
        except ValueError:
            return None
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        other = _other_format(value.strip())
        if other is None:
            return None
        return other, (other.hour, other.minute) != (0, 0) or other.tzinfo is not None
    if not 1990 <= when.year <= 2100:
        return None
    return when, True


def _other_format(text: str) -> datetime | None:
    if _RFC2822.match(text):
        try:
            when = parsedate_to_datetime(text)
        except (TypeError, ValueError):
            return None
        return when if 1990 <= when.year <= 2100 else None
    if "/" in text:  # 03/04/2022: day or month first is the site's habit, unknown here
        return None
    return parse_date(text)


def offset_minutes(when: datetime | None) -> int | None:
    """The original UTC offset in minutes (+120 for CEST), None for a zone-less time."""
    if when is None or when.tzinfo is None:
        return None
    delta = when.utcoffset() or timedelta(0)
    return int(delta.total_seconds() // 60)


def as_utc(when: datetime) -> datetime:
    return when.astimezone(UTC).replace(tzinfo=None) if when.tzinfo else when


def stated_stamps(article: dict | None, items: list[dict], tree: lxml_html.HtmlElement | None) -> list[Stamp]:
    """Every publication time the page states, strong ones first, each in page order."""
    strong: list[tuple[str, object]] = []
    if article is not None:
        strong += [("json-ld datePublished", article.get("datePublished")),
                   ("json-ld dateCreated", article.get("dateCreated"))]
    weak: list[tuple[str, object]] = [(f"json-ld {item.get('@type')} datePublished", item.get("datePublished"))
                                      for item in items if item is not article]
    if tree is not None:
        strong += _meta_values(tree)
        strong += _marked(tree)
        weak += [("<time>", el.get("datetime")) for el in tree.iterfind(".//time[@datetime]")
                 if not _MODIFIED_CLASSES & set((el.get("class") or "").split())]
    out: list[Stamp] = []
    for is_strong, pairs in ((True, strong), (False, weak)):
        for source, value in pairs:
            parsed = parse_timestamp(value if isinstance(value, str) else None)
            if parsed is not None:
                out.append(Stamp(parsed[0], parsed[1], source, is_strong))
            if len(out) >= MAX_CANDIDATES:
                return out
    return out


def _meta_values(tree: lxml_html.HtmlElement) -> list[tuple[str, object]]:
    """Every value of the publication meta tags, in the order of PUBLISHED_META, then the page's."""
    found: dict[str, list[str]] = {}
    for el in tree.iterfind(".//meta"):
        key = (el.get("name") or el.get("property") or el.get("itemprop") or "").strip().lower()
        if key in PUBLISHED_META and el.get("content"):
            found.setdefault(key, []).append(el.get("content", ""))
    return [(f"meta {key}", value) for key in PUBLISHED_META for value in found.get(key, [])]


def _marked(tree: lxml_html.HtmlElement) -> list[tuple[str, object]]:
    """Elements marked as the publication time: itemprop=datePublished (outside <meta>, read
    above), then the microformats' class; the attribute's value, else the element's text."""
    out: list[tuple[str, object]] = []
    for el in tree.xpath("//*[@itemprop='datePublished'][not(self::meta)]"):
        out.append(("itemprop datePublished", _value(el)))
    for el in tree.xpath("//*[@class][self::time or self::abbr or self::span]"):
        classes = set((el.get("class") or "").split())
        # WordPress marks a post never edited `entry-date published updated`: "published" wins.
        if {"published", "dt-published"} & classes or ("entry-date" in classes and not classes & _MODIFIED_CLASSES):
            out.append((f"class {' '.join(sorted(classes & _PUBLISHED_CLASSES))}", _value(el)))
        if len(out) >= MAX_CANDIDATES:
            break
    return out


def _value(el: lxml_html.HtmlElement) -> str:
    return (el.get("datetime") or el.get("content") or el.get("title") or el.text_content() or "").strip()


def visible_stamps(tree: lxml_html.HtmlElement | None, body_start: lxml_html.HtmlElement | None) -> list[Stamp]:
    """Date lines with a time the page prints above its body (`5. November 2021, 10:39 Uhr`
    under the headline), weak: they only give the time of a day already known. Only above the
    body's first line, so a comment's or a related story's date further down is never read."""
    if tree is None or body_start is None:
        return []
    out: list[Stamp] = []
    for seen, el in enumerate(tree.iter()):
        if el is body_start or seen >= MAX_ELEMENTS_ABOVE or len(out) >= MAX_VISIBLE:
            break
        if not isinstance(el.tag, str) or el.tag in _UNPRINTED:
            continue
        text = (el.text or "").strip() if len(el) else el.text_content().strip()
        when = parse_date(text) if 6 <= len(text) <= MAX_VALUE_CHARS else None
        if when is not None and (when.hour, when.minute) != (0, 0):
            out.append(Stamp(when, True, "visible dateline", False))
    return out


def published_time(stamps: list[Stamp], visible: datetime | None) -> tuple[datetime | None, Stamp | None]:
    """(the publication day or time, the stamp it comes from): see the module's docstring.
    A visible day the stated ones do not name wins without a time (None as the stamp)."""
    strong = [s for s in stamps if s.strong]
    chosen = strong[0] if strong else None
    if visible is not None and (chosen is None or chosen.day != visible.date()):
        chosen = next((s for s in strong if s.day == visible.date()), None)
    day = chosen.day if chosen is not None else visible.date() if visible is not None else None
    if day is None:
        return None, None
    if chosen is None or not chosen.has_time:
        chosen = next((s for s in stamps if s.has_time and s.day == day), chosen)
    if chosen is None:
        return datetime(day.year, day.month, day.day), None
    return chosen.when, chosen
