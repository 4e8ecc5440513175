"""HTML pages: the page's structured data first, trafilatura's text and metadata beside it.

The page's own statements (JSON-LD, microdata, OpenGraph, <h1>: pipeline/clean/structured.py)
give the headline, the authors and the publication time with its zone; trafilatura gives the
main text and fills what the page does not state. The two are reconciled:

- title: the page's <h1> when a stated title agrees with it, else the stated headline, the
  site's name cut off (structured.choose_title);
- byline: the people the structured data names, else trafilatura's author; either way the
  site's and publisher's names, URLs and slugs are not authors (structured.clean_authors);
- trafilatura's text is read twice, by default and with favor_recall: prose the recall pass has
  between two lines of the default text is given back (pipeline/clean/recall_gaps.py);
- the publisher's stated articleBody marks the article's end (lines after it that it does not
  hold go) and stands in for an article trafilatura missed (pipeline/clean/stated_body.py);
- lines that are the text of a <figure>, <figcaption>, <aside>, <dialog> or <button> in the page
  are removed by what they are (pipeline/clean/blocks.py), before the phrase rules see the rest;
- the lead paragraph trafilatura left out (it prints the page's stated summary, above the body's
  first line) is put back at the top (pipeline/clean/lead.py);
- published_at: the stated time (pipeline/clean/published.py: JSON-LD, meta tags, marked
  elements, <time>) on the day trafilatura reads from the page (or the first stated one when
  trafilatura reads none); when no stated time names the visible day, the visible day wins
  without a time (on half A of the evaluation pages the visible day was right 9 times, the
  stated 3).
"""

from __future__ import annotations

import json

import trafilatura
from lxml.html import HtmlElement

from pipeline.clean.blocks import ADDRESS, CAPTION_RULES, after_article, element_of
from pipeline.clean.bylines import looks_like_name
from pipeline.clean.engine import Removal
from pipeline.clean.lead import lead_missing_above, leading_headings
from pipeline.clean.metadata import Head, host_of, read_head
from pipeline.clean.published import Stamp, as_utc, offset_minutes, published_time, visible_stamps
from pipeline.clean.recall_gaps import fill_gaps
from pipeline.clean.stated_body import reconcile
from pipeline.clean.structured import PageMeta, choose_title, clean_authors, read_page_meta
from pipeline.records import parse_iso_timestamp
from pipeline.text import normalise_for_hash

INTRO_MAX_WORDS = 8  # a longer line ending in a colon introduces a quote or a list of the article's own
LEAD_INDEX = -1  # the restored lead is no line of trafilatura's text


def extract_html(html: str, url: str | None = None) -> Head | None:
    """Title, author, date, site name and paragraphs of a page; None when nothing is extractable."""
    # One parse for the page: trafilatura copies a tree it is given before changing it, so its
    # two passes and the page's own statements read the same tree (a copy costs about a third
    # of a parse). A page trafilatura's loader rejects has no text; its statements are still read.
    tree = trafilatura.load_html(html)
    raw = trafilatura.extract(tree, url=url, output_format="json", with_metadata=True,
                              include_comments=False, include_tables=True) if tree is not None else None
    data = json.loads(raw) if raw else {}
    default = [line.strip() for line in (data.get("text") or "").split("\n") if line.strip()]
    if default:
        recall = trafilatura.extract(tree, url=url, favor_recall=True, include_comments=False, include_tables=True)
        if recall:
            default = fill_gaps(default, [line.strip() for line in recall.split("\n") if line.strip()])
    meta = read_page_meta(tree if tree is not None else html, url)
    lines, removed = reconcile(default, meta.body)
    if not lines:
        return None
    title, _ = choose_title(meta, data.get("title") or None)
    # trafilatura's guess, last: it takes any short line near a by-word ('Richard David Precht im
    # Gespräch mit ...', 'Zeige alle Beiträge von X', 'PP'), so only a name or one word is kept.
    guessed = clean_authors([data["author"]] if data.get("author") else [], meta.site_names)
    # An author box ('<div class="author-bio"><h3>Jane Roe</h3>...') comes after it: its first
    # line is as often 'Über Steffi' or a comment widget's label as the name.
    authors = meta.authors or [n for n in guessed if looks_like_name(n) or _one_word(n)] or meta.box_authors \
        or meta.site_authors
    head = Head(title=title or None, byline="; ".join(authors) or None,
                # trafilatura's JSON names the site name "source-hostname"
                publisher=(data.get("source-hostname") or data.get("sitename") or host_of(url)
                           or data.get("hostname") or None))
    head.removals.extend(Removal(index, 0, rule, text) for index, rule, text in removed)
    read_head(lines, head)
    _drop_furniture(head, meta)
    _drop_trailing_links(head, meta)
    _drop_after_article(head, meta)
    _restore_lead(head, meta)
    _reconcile_published(head, meta.stamps + visible_stamps(tree, _body_start(head, meta)), data.get("date"))
    return head


def _one_word(name: str) -> bool:
    """A first name, a user name or an agency ('Ulrike', 'rasos', 'AFP'), not an initial pair."""
    return " " not in name and len(name) >= 3 and any(c.isalpha() for c in name)


def _drop_furniture(head: Head, meta: PageMeta) -> None:
    """Lines that are the text of a furniture block in the page (pipeline/clean/blocks.py);
    none when that would leave no body: a page that prints its article inside an <aside> or a
    <figure> has it there, and losing the page is worse than keeping a block."""
    if not meta.furniture or all(normalise_for_hash(text) in meta.furniture for _, text in head.paragraphs):
        return
    kept = []
    for index, text in head.paragraphs:
        rule = meta.furniture.get(normalise_for_hash(text))
        if rule is None:
            kept.append((index, text))
            continue
        head.removals.append(Removal(index, 0, rule, text.strip()))
        if rule in CAPTION_RULES:
            head.captions.append((index, text.strip()))
    head.paragraphs = kept


def _drop_trailing_links(head: Head, meta: PageMeta) -> None:
    """The run of lines closing the body that the page prints as links (related headlines, tags,
    'Mehr lesen...') or inside teaser cards (a headline and its excerpt); a line naming an
    address is a cited source and ends the run; the body's other lines stay whatever they are."""
    at = len(head.paragraphs)
    rules: list[str] = []
    while at > 1 and not ADDRESS.search(head.paragraphs[at - 1][1]):
        rule = _trailing_rule(normalise_for_hash(head.paragraphs[at - 1][1]), meta)
        if rule is None:
            break
        rules.append(rule)
        at -= 1
    # What introduced the links goes with them: a short line ending in a colon ('Lue aiheesta
    # lisää:', 'Diese Artikel könnten dich ebenfalls interessieren:') or a bare separator.
    while 1 < at < len(head.paragraphs) and _introduces(head.paragraphs[at - 1][1]):
        rules.append("structure:trailing_links")
        at -= 1
    for (index, text), rule in zip(head.paragraphs[at:], reversed(rules), strict=True):
        head.removals.append(Removal(index, 0, rule, text.strip()))
    head.paragraphs = head.paragraphs[:at]


def _trailing_rule(norm: str, meta: PageMeta) -> str | None:
    if norm in meta.links:
        return "structure:trailing_links"
    return "structure:teaser_card" if norm in meta.cards else None


def _drop_after_article(head: Head, meta: PageMeta) -> None:
    """The run of lines closing the body that the page prints outside the article's container
    (blocks.after_article); the page's stated summary stays wherever it stands."""
    keep = {normalise_for_hash(meta.lead.text)} if meta.lead is not None else set()
    at = after_article([normalise_for_hash(text) for _, text in head.paragraphs], meta.elements, keep)
    for index, text in head.paragraphs[at:]:
        head.removals.append(Removal(index, 0, "structure:after_article", text.strip()))
    head.paragraphs = head.paragraphs[:at]


def _introduces(line: str) -> bool:
    text = line.strip()
    return not any(c.isalnum() for c in text) or (text.endswith(":") and len(text.split()) <= INTRO_MAX_WORDS)


def _restore_lead(head: Head, meta: PageMeta) -> None:
    """The lead paragraph trafilatura left out, found by the page's stated summary (lead.py),
    goes back at the top of the body (after the leading title or heading lines)."""
    if meta.lead is None or not head.paragraphs or not lead_missing_above(meta.lead, head.paragraphs):
        return
    head.paragraphs.insert(leading_headings(meta.lead, head.paragraphs, head.title), (LEAD_INDEX, meta.lead.text))


def _body_start(head: Head, meta: PageMeta) -> HtmlElement | None:
    """The element printing the body's first line after the title (a date line sits between)."""
    title = normalise_for_hash(head.title or "")
    first = next((normalise_for_hash(text) for _, text in head.paragraphs if normalise_for_hash(text) != title), None)
    return element_of(first, meta.elements) if first else None


def _reconcile_published(head: Head, stamps: list[Stamp], visible: str | None) -> None:
    """The page's stated times against the day trafilatura reads from the page (published.py):
    a stated time on that day, with its zone; else the visible day without a time. The page's
    metadata wins over a date line found in the text, which may be a comment's."""
    when, stamp = published_time(stamps, parse_iso_timestamp(visible))
    if when is None:
        return
    head.published_at = as_utc(when)
    head.published_offset = offset_minutes(when) if stamp is not None and stamp.has_time else None
