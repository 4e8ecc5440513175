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

After the article's container (``structure:after_article``): the element holding at least
MAIN_SHARE of the body's words (the deepest such; a paragraph that holds them is not a
container, its parent is) is the article's; a run of lines closing the body that the page
prints outside it goes (an author box, a donation appeal, a cookie notice, a popup, a "series"
box), unless the line stands in a block of the same kind as the one holding the article beside
it (an article printed in several sibling sections), names an address, or is the page's stated
summary (the lead printed below the text), or the page does not print it. A line is found by
its text or its start; a closing line not found so is looked for inside the smallest block
holding it (printed after a <br>), for the run only, not for finding the container.

<nav>, <footer>, <form> and lists made mostly of links were tried the same way and measured
a loss on the tuning half of the evaluation pages (F1 0.943 -> 0.941): trafilatura already
drops most of them, and the lines it keeps from them were mostly article text.
"""

from __future__ import annotations

import re

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
MAIN_SHARE = 0.8  # of the body's words, in the element that is the article's container
LINE_MAX_CHARS = 5000  # a longer element is no line of the text
PREFIX_CHARS = 40  # a line is found by its start when the page prints it with more (a <br>, a mark)
INNER_MIN_CHARS = 20  # a shorter line is found inside some block by chance ('mehr', 'teilen')
PLACED_SHARE = 0.5  # of the body's words found in the page, for its container to be judged
_PREFIX = "\x00"  # marks a key of line_elements that is a text's start
_LINE_BLOCKS = ("p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "dd", "dt", "td", "th", "pre",
                "span", "a", "strong", "b", "em", "small", "div", "figcaption", "caption", "label")
# Tags that only hold text or a list or table's cells: the article's container is above them.
NOT_CONTAINERS = frozenset({"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "dd", "dt", "dl", "td",
                             "th", "tr", "tbody", "table", "ul", "ol", "pre", "span", "a", "strong", "b", "em", "i",
                             "small", "font", "u", "code", "figcaption", "caption", "label"})
# A line naming an address is a source the article cites, not furniture after it.
ADDRESS = re.compile(r"https?://|www\.|^\W*[\w-]+(?:\.[\w-]+)*\.[a-z]{2,6}\W*$", re.IGNORECASE)


def furniture_texts(tree: lxml_html.HtmlElement) -> dict[str, str]:
    """{normalised text: rule} for the texts of furniture blocks in the page."""
    found: dict[str, str] = {}
    article_texts: set[str] = set()
    # Elements that are furniture or inside it. The walk is in document order, so an element's
    # parent is met before it: one look at the parent instead of a walk up its ancestors.
    inside: set[lxml_html.HtmlElement] = set()
    outside = not _inside_furniture(tree)
    seen = 0
    for el in tree.iter():
        seen += 1
        if seen > MAX_ELEMENTS:
            break
        if not isinstance(el.tag, str):
            continue
        rule = _rule_of(el)
        below = el.getparent() in inside if el is not tree else not outside  # furniture above it
        if rule is not None or below:
            inside.add(el)
        if rule is None:
            if el.tag in ("p", "h1", "h2", "h3", "blockquote") and not below:
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


def line_elements(tree: lxml_html.HtmlElement) -> dict[str, lxml_html.HtmlElement]:
    """{normalised text: the first text block printing exactly it} and {its first PREFIX_CHARS
    characters, marked: the innermost block starting with them} (a line the page prints with
    a footnote mark or a <br> more), for finding where a line of the extracted text stands."""
    found: dict[str, lxml_html.HtmlElement] = {}
    for count, el in enumerate(tree.iter(*_LINE_BLOCKS)):
        if count >= MAX_ELEMENTS:
            break
        if not _prints_text(el):  # a wrapper of other blocks: its text is theirs (and costly to join)
            continue
        text = _norm(el)
        if not text or len(text) > LINE_MAX_CHARS:
            continue
        found.setdefault(text, el)
        if len(text) >= PREFIX_CHARS:
            key = _PREFIX + text[:PREFIX_CHARS]
            held = found.get(key)
            if held is None or any(a is held for a in el.iterancestors()):
                found[key] = el
    return found


def _prints_text(el: lxml_html.HtmlElement) -> bool:
    """Whether the element prints text of its own, not only inside its children."""
    return bool((el.text or "").strip()) or any((child.tail or "").strip() for child in el)


def element_of(line: str, elements: dict[str, lxml_html.HtmlElement],
                inner: list[tuple[str, lxml_html.HtmlElement]] | None = None) -> lxml_html.HtmlElement | None:
    """The block printing the line: by its text, else by its start, else (given `inner`, the
    blocks' texts shortest first) the smallest block holding it: a line the page prints after a
    <br> inside a longer block ('<p>Jane Roe is a photographer.<br>Follow her on ...</p>')."""
    exact = elements.get(line)
    if exact is not None:
        return exact
    if len(line) >= PREFIX_CHARS:
        found = elements.get(_PREFIX + line[:PREFIX_CHARS])
        if found is not None:
            return found
    if inner is None or len(line) < INNER_MIN_CHARS:
        return None
    return next((el for text, el in inner if line in text), None)


def after_article(lines: list[str], elements: dict[str, lxml_html.HtmlElement], keep: set[str]) -> int:
    """Where the run of lines printed after the article's container starts (len(lines) when
    none is): see the module's doc. `lines` are normalised; `keep` holds texts that stop the run."""
    placed = [element_of(line, elements) for line in lines]
    main = article_container(placed, [len(line.split()) for line in lines])
    if main is None:
        return len(lines)
    chain = [main, *main.iterancestors()]
    # A closing line the page prints after a <br> is looked for inside blocks for the run only;
    # the container stays the one the lines found by text or start give (placing those lines
    # for it too changed it on one held-out page, where a contact form's thanks then stayed).
    inner = sorted(((text, el) for text, el in elements.items() if not text.startswith(_PREFIX)),
                   key=lambda item: len(item[0]))
    at = len(lines)
    while at > 1:
        line = lines[at - 1]
        el = placed[at - 1] if placed[at - 1] is not None else element_of(line, elements, inner)
        if el is None or line in keep or ADDRESS.search(line) or _same_kind(el, chain):
            break
        at -= 1
    return at


def article_container(placed: list[lxml_html.HtmlElement | None], words: list[int]) -> lxml_html.HtmlElement | None:
    """The deepest element holding MAIN_SHARE of the placed lines' words (None when fewer than
    PLACED_SHARE of the body's words are placed: the page and the text disagree too much)."""
    total = sum(count for el, count in zip(placed, words, strict=True) if el is not None)
    if not total or total < PLACED_SHARE * sum(words):
        return None
    cover: dict[lxml_html.HtmlElement, int] = {}
    depth: dict[lxml_html.HtmlElement, int] = {}
    for el, count in zip(placed, words, strict=True):
        if el is None:
            continue
        for level, node in enumerate(reversed([el, *el.iterancestors()])):
            cover[node] = cover.get(node, 0) + count
            depth[node] = level
    main = max((node for node, count in cover.items() if count >= MAIN_SHARE * total), key=depth.__getitem__)
    while main.tag in NOT_CONTAINERS and main.getparent() is not None:
        main = main.getparent()
    return main


def _same_kind(el: lxml_html.HtmlElement, chain: list[lxml_html.HtmlElement]) -> bool:
    """Inside the article's container, or in a sibling block of the same tag and first class as
    the one holding it (the article printed in several sections)."""
    ancestors = [el, *el.iterancestors()]
    position = {id(node): i for i, node in enumerate(chain)}
    for i, node in enumerate(ancestors):
        if id(node) not in position:
            continue
        j = position[id(node)]
        if j == 0:
            return True  # the container itself holds it
        if i == 0:
            return True  # it holds the container: no line after it
        mine, theirs = ancestors[i - 1], chain[j - 1]
        return mine.tag == theirs.tag and _first_class(mine) == _first_class(theirs)
    return False


def _first_class(el: lxml_html.HtmlElement) -> str:
    return next(iter((el.get("class") or "").split()), "")


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
    return "caption" in (el.get("class") or "").lower()  # in one of its classes: none holds a space


def _inside_furniture(el: lxml_html.HtmlElement) -> bool:
    parent = el.getparent()
    while parent is not None:
        if _rule_of(parent) is not None:
            return True
        parent = parent.getparent()
    return False


def _norm(el: lxml_html.HtmlElement) -> str:
    return normalise_for_hash(el.text_content() or "")
