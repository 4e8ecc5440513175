"""The article's text as its publisher states it, reconciled with trafilatura's lines.

Many news pages state the whole text of the article in their structured data (JSON-LD or
microdata `articleBody`). It is the publisher's own word on what the article is, but not a
complete one: it often leaves out the standfirst, the subheadings and lists, and some
publishers state only the first paragraphs (a teaser before a paywall). So it is used for two
decisions only, each where it can be checked against the page:

- **the article's end**: when the last words of the stated body are found in a line of
  trafilatura's text, the lines after that one that the stated body does not hold are content
  after the article's end (a donation appeal, a "topics" box, a list of offers) and are removed
  as ``stated_body:after_end``; unless they outweigh a quarter of the stated body (then the
  statement is a teaser and the end found is not the article's);
- **a missed article**: when trafilatura reads less than a third as many words as the stated
  body holds (a page it mistakes for a list or an index, or reads nothing from), the stated
  body's paragraphs are the text, and trafilatura's lines that it does not hold are removed as
  ``stated_body:outside_stated``. (Between a third and all of it, trafilatura's reading is kept:
  a stated body can run on into a gallery's captions or a list of offers.)

Some publishers state the body as HTML or as Markdown (`[text](url)`, `**bold**`, `## heading`,
`&nbsp;`): it is read as plain text, a line per block.
"""

from __future__ import annotations

import html
import re

from lxml import html as lxml_html

from pipeline.clean.item_types import is_article
from pipeline.text import normalise_for_hash

MIN_WORDS = 30  # a shorter statement is a summary, not the body
MISSED_SHARE = 1 / 3  # trafilatura's words of the stated body's below which it missed the article
END_PROBE_CHARS = 40  # the stated body's last characters, looked for in trafilatura's lines
TAIL_MAX_SHARE = 0.25  # lines after the end outweighing this share of the stated body: no end found
MAX_BODY_CHARS = 500_000  # a longer statement is not read (bounded whatever the page)
# Markdown: a link's text stays, its target and a {: attribute list} go; emphasis and heading marks go.
_MD_LINK = re.compile(r"!?\[([^\]\n]{0,500})\]\([^)\s]{0,2000}(?:\s+\"[^\"\n]{0,300}\")?\)(?:\{:[^}\n]{0,300}\})?")
_MD_MARKS = re.compile(r"(?m)^\s{0,3}(?:#{1,6}\s+|>\s?)|\*\*")


def stated_body(items: list[dict], article: dict | None) -> str | None:
    """The articleBody of the article item (else of another article item), as plain text."""
    candidates = [article] if article else []
    candidates += [i for i in items if i is not article and is_article(i)]
    for item in candidates:
        value = item.get("articleBody")
        if isinstance(value, list):
            value = "\n".join(v for v in value if isinstance(v, str))
        if isinstance(value, str) and value.strip():
            text = _plain(value[:MAX_BODY_CHARS])
            if len(text.split()) >= MIN_WORDS:
                return text
    return None


def _plain(text: str) -> str:
    """The stated body as plain text: HTML read for its text (a line per block), Markdown's
    link targets and marks dropped, character references resolved."""
    if "<" in text:
        try:
            tree = lxml_html.fromstring(f"<div>{text}</div>")
        except (ValueError, lxml_html.etree.ParserError):
            tree = None
        if tree is not None:
            for br in tree.iter("br"):
                br.tail = "\n" + (br.tail or "")
            for block in tree.iter("p", "div", "li", "h2", "h3", "h4", "blockquote"):
                block.tail = "\n" + (block.tail or "")
            text = tree.text_content()
    text = _MD_MARKS.sub("", _MD_LINK.sub(r"\1", text))
    return html.unescape(text).replace("\xa0", " ")


def reconcile(lines: list[str], stated: str | None) -> tuple[list[tuple[int, str]], list[tuple[int, str, str]]]:
    """([(index, text)] of the body's lines, [(index in `lines`, rule, text)] of the lines removed).
    A kept line of trafilatura's keeps its index; the stated body's paragraphs, when they replace
    trafilatura's lines, are numbered after them."""
    kept = list(enumerate(lines))
    if not stated:
        return kept, []
    norm = normalise_for_hash(stated)
    words = len(norm.split())
    if sum(len(line.split()) for line in lines) < MISSED_SHARE * words:
        given = [" ".join(p.split()) for p in stated.split("\n") if p.strip()]
        return ([(len(lines) + i, p) for i, p in enumerate(given)],
                [(i, "stated_body:outside_stated", line) for i, line in kept if normalise_for_hash(line) not in norm])
    probe = norm.rstrip(" .…")[-END_PROBE_CHARS:]
    end = next((i for i in range(len(lines) - 1, -1, -1) if probe in normalise_for_hash(lines[i])), None)
    if end is None:
        return kept, []
    after = [i for i in range(end + 1, len(lines)) if normalise_for_hash(lines[i]) not in norm]
    if not after or sum(len(lines[i].split()) for i in after) > TAIL_MAX_SHARE * words:
        return kept, []
    return ([(i, line) for i, line in kept if i not in set(after)],
            [(i, "stated_body:after_end", lines[i]) for i in after])
