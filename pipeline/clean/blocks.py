"""Furniture known by what it is in the page, not by its wording: any language, any site.

trafilatura returns the main text as lines; some lines come from blocks that are not the
article: a photo's <figure>/<figcaption>, an <aside> box (or ARIA role complementary), a
<dialog> (consent and sign-up overlays), a <button> or role "button" control ('Bild anzeigen',
'Mehr laden': what a reader clicks, not reads), and a photo caption marked up without a
<figure>: an element whose class names a caption ('wp-caption-text', 'image-caption',
'caption') or whose itemprop is 'caption', of caption length. Their texts are collected from the page's DOM; an
extracted line whose normalised text is one of them is removed with the rule naming the block
(``structure:figcaption``, ``structure:aside`` ...). A text that also stands in the page
outside such blocks (a pull quote repeating a paragraph) is not furniture and stays.

Links closing the text: a run of lines at the end of the body each of which the page prints as a
link (or a block of at least nine tenths link text: a related headline, a tag, "Mehr lesen...",
"Apoie o 247") is removed as ``structure:trailing_links``, with the short line ending in a colon
that introduced them ('Lue aiheesta lisää:'); a line naming an address (`www.example.org`,
`http://...`) is a source the article cites and ends the run. Inside the
text such lines are left alone (the gold counts a linked phrase there as article text).
The same run takes the lines of teaser cards (``structure:teaser_card``): a block
(<article>, <li>, <div>, <section>) of at most CARD_MAX_CHARS around a linked headline (a link
in or around an <h2>-<h6>), when the page prints two or more such blocks of one tag: a list of
other stories, each a headline with its excerpt, whose excerpt is no link and broke the run.

<nav>, <footer>, <form> and lists made mostly of links were tried the same way and measured
a loss on the tuning half of the evaluation pages (F1 0.943 -> 0.941): trafilatura already
drops most of them, and the lines it keeps from them were mostly article text.
"""

from __future__ import annotations

from lxml import html as lxml_html

from pipeline.text import normalise_for_hash

# Tag or role -> rule name. A caption goes to the captions table as well.
_BY_TAG = {"figcaption": "figcaption", "figure": "figure", "aside": "aside", "dialog": "dialog",
           "button": "button"}
_BY_ROLE = {"complementary": "aside", "dialog": "dialog", "button": "button"}
_TEXT_BLOCKS = {"p", "li", "h2", "h3", "h4", "h5", "h6", "blockquote", "dd", "dt", "td", "figcaption", "div",
                "span", "a"}
CAPTION_RULES = {"structure:figcaption", "structure:figure", "structure:caption"}
CAPTION_MAX_CHARS = 600  # a longer element whose class names a caption is a container named loosely
MIN_CHARS = 12  # shorter lines ('Share', 'Politik') are left to the phrase rules and the trailing pass
MAX_ELEMENTS = 5000  # elements looked at per page: bounded whatever the page
LINK_SHARE = 0.9  # a block of at least this share of link text reads as a link
LINK_LINE_MAX_CHARS = 300  # a longer block is no link line
LINK_LEVELS = 2  # a link's ancestors looked at: the <li>/<h2>/<p> printing it
_CARD_TAGS = frozenset({"article", "li", "div", "section"})
_HEADINGS = ("h2", "h3", "h4", "h5", "h6")
CARD_MAX_CHARS = 800  # a longer block around a linked headline is a section of the page, not a teaser
CARD_HEADLINE_MIN_CHARS = 15  # a shorter linked heading is a label ('Mehr', 'Sport')
CARD_LEVELS = 4  # a linked headline's ancestors looked at for its card
CARD_MIN_REPEATS = 2  # one card alone is no list of other stories


def furniture_texts(tree: lxml_html.HtmlElement) -> dict[str, str]:
    """{normalised text: rule} for the texts of furniture blocks in the page."""
    found: dict[str, str] = {}
    article_texts: set[str] = set()
    seen = 0
    for el in tree.iter():
        seen += 1
        if seen > MAX_ELEMENTS:
            break
        if not isinstance(el.tag, str):
            continue
        rule = _rule_of(el)
        if rule is None:
            if el.tag in ("p", "h1", "h2", "h3", "blockquote") and not _inside_furniture(el):
                article_texts.add(_norm(el))
            continue
        own = _norm(el)
        if len(own) >= MIN_CHARS:  # the innermost block names it: a figure's text that is its caption
            found[own] = f"structure:{rule}"
        for node in el.iter(*_TEXT_BLOCKS):
            text = _norm(node)
            if len(text) >= MIN_CHARS:
                found.setdefault(text, f"structure:{rule}")
    return {text: rule for text, rule in found.items() if text not in article_texts}


def link_texts(tree: lxml_html.HtmlElement) -> set[str]:
    """Normalised texts the page prints as a link: a link's own text and that of the block around
    it (up to LINK_LEVELS up) when links make at least LINK_SHARE of it."""
    found: set[str] = set()
    seen: set[lxml_html.HtmlElement] = set()  # held, so each node keeps its one proxy
    for count, anchor in enumerate(tree.iter("a")):
        if count >= MAX_ELEMENTS:
            break
        node: lxml_html.HtmlElement | None = anchor
        for _ in range(LINK_LEVELS + 1):
            if node is None or node in seen:
                break
            seen.add(node)
            text = node.text_content() or ""
            if len(text) > LINK_LINE_MAX_CHARS:
                break
            linked = sum(len(a.text_content() or "") for a in node.iter("a"))
            if text.strip() and linked >= LINK_SHARE * len(text.strip()):
                found.add(normalise_for_hash(text))
            node = node.getparent()
    found.discard("")
    return found


def teaser_card_texts(tree: lxml_html.HtmlElement) -> set[str]:
    """Normalised texts inside teaser cards: the nearest <article>/<li>/<div>/<section> (up to
    CARD_LEVELS up) of at most CARD_MAX_CHARS around a linked headline, when the page has at
    least CARD_MIN_REPEATS such cards of one tag (a list of other stories)."""
    cards: dict[str, list[lxml_html.HtmlElement]] = {}
    seen: set[lxml_html.HtmlElement] = set()  # held, so each node keeps its one proxy
    for count, anchor in enumerate(tree.iter("a")):
        if count >= MAX_ELEMENTS:
            break
        if len(_norm(anchor)) < CARD_HEADLINE_MIN_CHARS or not _is_headline(anchor):
            continue
        node = anchor.getparent()
        for _ in range(CARD_LEVELS):
            if node is None or not isinstance(node.tag, str):
                break
            if node.tag in _CARD_TAGS:
                if node not in seen and len(node.text_content() or "") <= CARD_MAX_CHARS:
                    seen.add(node)
                    cards.setdefault(node.tag, []).append(node)
                break
            node = node.getparent()
    found: set[str] = set()
    for group in cards.values():
        if len(group) < CARD_MIN_REPEATS:
            continue
        for card in group:
            found.add(_norm(card))
            found.update(_norm(node) for node in card.iter(*_TEXT_BLOCKS))
    found.discard("")
    return found


def _is_headline(anchor: lxml_html.HtmlElement) -> bool:
    """A link printed as a heading: inside an <h2>-<h6>, or around one."""
    return any(a.tag in _HEADINGS for a in anchor.iterancestors()) or next(anchor.iter(*_HEADINGS), None) is not None


def _rule_of(el: lxml_html.HtmlElement) -> str | None:
    if el.tag in _BY_TAG:
        return _BY_TAG[el.tag]
    rule = _BY_ROLE.get((el.get("role") or "").strip().lower())
    if rule is None and _names_caption(el) and len(el.text_content() or "") <= CAPTION_MAX_CHARS:
        return "caption"
    return rule


def _names_caption(el: lxml_html.HtmlElement) -> bool:
    if (el.get("itemprop") or "").strip().lower() == "caption":
        return True
    return any("caption" in c for c in (el.get("class") or "").lower().split())


def _inside_furniture(el: lxml_html.HtmlElement) -> bool:
    parent = el.getparent()
    while parent is not None:
        if _rule_of(parent) is not None:
            return True
        parent = parent.getparent()
    return False


def _norm(el: lxml_html.HtmlElement) -> str:
    return normalise_for_hash(el.text_content() or "")
