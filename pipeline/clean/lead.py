"""The article's lead, found by what the page says its summary is.

Publishers state a summary of the article (the article item's JSON-LD `description`,
`og:description`, `<meta name=description>`) and usually print it as the lead paragraph above
the text. trafilatura drops that paragraph when it sits in the article's header or in a block
it takes for a teaser (class "teaser-text", "intro", "abstract" ...), in any language. Here the
smallest visible element that holds the stated summary is the lead; html.py puts it back at the
top of the body when the body lacks it and the element stands before the body's first line in
the page (a summary that only appears further down, in a sidebar or an author box, is not it).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import html as lxml_html

from pipeline.text import normalise_for_hash

MIN_WORDS = 8  # a shorter statement ('News from the region') is a site's tagline, not a summary
PROBE_CHARS = 60  # the start of a summary: descriptions are often cut short with '...'
LEAD_SLACK_CHARS = 50  # the element may add a kicker or a dateline to the summary
MAX_ELEMENTS = 20000  # elements looked at per page: bounded whatever the page
MAX_TEXT_CHARS = 10_000_000  # text read per page: nested blocks read their text once per level
MAX_LINE_CHARS = 3000  # a longer block is no line of the body and holds more than a lead
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_CONTAINERS = ("p", "div", "section", "header", "h2", "h3", "span", "strong", "b", "em")
_LINES = ("p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "div", "td", "dd", "span")
# A summary printed inside one of these is not the article's lead.
_NOT_LEAD_TAGS = {"aside", "nav", "footer", "dialog", "form", "button", "a", "figure", "figcaption"}
_NOT_LEAD_ROLES = {"complementary", "navigation", "contentinfo", "dialog", "button"}


@dataclass
class Lead:
    text: str  # as printed, whitespace collapsed
    probe: str  # the normalised start of the stated summary: when the body holds it, it has the lead
    position: int  # the element's place in document order
    positions: dict[str, int] = field(default_factory=dict)  # normalised line text -> first place
    headings: set[str] = field(default_factory=set)  # normalised texts the page prints as <h1>-<h6>


def find_lead(tree: lxml_html.HtmlElement, descriptions: list[str | None]) -> Lead | None:
    """The visible element that prints the page's stated summary, with the document positions of
    the page's text lines (to tell whether it stands above the body); None when there is none."""
    probes = []
    for text in descriptions:
        norm = normalise_for_hash(text or "").rstrip(" .…")
        if len(norm.split()) >= MIN_WORDS:
            probes.append(norm[:PROBE_CHARS])
    body = tree.find("body") if tree.tag != "body" else tree
    if not probes or body is None:
        return None
    longest = max(len(normalise_for_hash(t or "")) for t in descriptions)
    best: tuple[int, str, str, int] | None = None  # (length, text, probe, position)
    best_el = body
    positions: dict[str, int] = {}
    headings: set[str] = set()
    budget = MAX_TEXT_CHARS
    for position, el in enumerate(body.iter()):
        if position > MAX_ELEMENTS:
            break
        if not isinstance(el.tag, str) or el.tag not in _LINES and el.tag not in _CONTAINERS:
            continue
        raw = el.text_content() or ""
        budget -= len(raw)
        if budget < 0:
            break
        if len(raw) > max(MAX_LINE_CHARS, 4 * (longest + LEAD_SLACK_CHARS)):
            continue
        norm = normalise_for_hash(raw)
        if el.tag in _LINES and norm:
            positions.setdefault(norm, position)
            if el.tag in _HEADINGS:
                headings.add(norm)
        if el.tag not in _CONTAINERS or len(norm) > 3 * longest + LEAD_SLACK_CHARS:
            continue
        probe = next((p for p in probes if p in norm), None)
        if probe is not None and (best is None or len(norm) < best[0]):
            best = (len(norm), " ".join(raw.split()), probe, position)
            best_el = el
    if best is None or _in_furniture(best_el):  # the summary printed in a box is not the lead
        return None
    return Lead(text=best[1], probe=best[2], position=best[3], positions=positions, headings=headings)


def _in_furniture(el: lxml_html.HtmlElement) -> bool:
    node: lxml_html.HtmlElement | None = el
    while node is not None:
        if node.tag in _NOT_LEAD_TAGS or (node.get("role") or "").strip().lower() in _NOT_LEAD_ROLES:
            return True
        node = node.getparent()
    return False


def lead_missing_above(lead: Lead, paragraphs: list[tuple[int, str]], lines_checked: int = 3) -> bool:
    """True when the body lacks the lead and the lead stands above the body's first lines of
    prose (a title, kicker or dateline line may stand above it; a headline of eight words or
    more is a heading the page prints, not prose: the lead stands below it)."""
    body = normalise_for_hash(" ".join(text for _, text in paragraphs))
    if lead.probe in body:
        return False
    prose = [text for _, text in paragraphs
             if len(text.split()) >= MIN_WORDS and normalise_for_hash(text) not in lead.headings][:lines_checked]
    found = [p for p in (lead.positions.get(normalise_for_hash(text)) for text in prose) if p is not None]
    return bool(found) and lead.position < min(found)


def leading_headings(lead: Lead, paragraphs: list[tuple[int, str]], title: str | None) -> int:
    """How many of the body's first lines are the title or a heading the page prints: the lead
    goes back below them."""
    marks = lead.headings | {normalise_for_hash(title or "")}
    count = 0
    for _, text in paragraphs:
        if normalise_for_hash(text) not in marks:
            break
        count += 1
    return count
