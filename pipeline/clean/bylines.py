"""Bylines in the page itself, for pages whose structured data names no person.

In order of trust, each source read only when the one before found nobody:
1. microdata: an element with `itemprop="author"` (its `itemprop="name"` when it has one) that
   is not an Organization;
2. `<a rel="author">`;
3. a link to the author's own page: its text a name and its URL ending in that name's slug
   under an author path (`/autor/jil-schuller`, `/about/newsteam/jr-stone`);
4. a short element that is only a by-word and names ("By Jane Doe and John Roe", "von Andreas
   Kürten"), the words from bylines.toml.

Comment sections (an ancestor whose id or class names comments), figures and media credits (a photo credit
"by ...") are not read. Co-authors are the names found in the same element as the first.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

from lxml import html as lxml_html

VOCABULARY = Path(__file__).with_name("bylines.toml")
MAX_ELEMENTS = 5000  # elements looked at per page: bounded whatever the page
MAX_BYLINE_WORDS = 12
MAX_NAME_WORD = 24
MAX_HANDLE_WORDS = 4
_NAME_WORD = re.compile(r"^(?:[A-ZÀ-ÖØ-ÞĀ-Ž][\w'’.-]*|[A-ZÀ-Þ]\.|von|van|der|den|de|da|di|du|del|della|la|le|"
                        r"al|bin|ten|ter|zu|y)$")
_COMMENTS = re.compile(r"comment|kommentar|disqus|respond|reply", re.IGNORECASE)
# A media credit ('<span class="credit video-credit">By U.S. Customs and Border Protection</span>')
# names who made the picture, not who wrote the text.
_CREDIT_CLASS = re.compile(r"(?:^|[-_])(?:credits?|copyright)$", re.IGNORECASE)
_LEGAL_WORD = re.compile(r"[^\s.]+")
_JOINERS = frozenset({"&", "and", "und", "et", "y", "e", "+"})
# Soft hyphens and zero-width characters split a name for line breaking only ('Mat\u00adthi\u00adas').
_INVISIBLE_CHARS = "\u00ad\u200b\u200c\u200d\u2060\ufeff"
_INVISIBLE = str.maketrans("", "", _INVISIBLE_CHARS)
# A byline's names end at a separator, a bracket or a digit (a date, a time).
_TAIL = re.compile(r"\s*(?:[|•·/()\[\]]|\s[-–—]\s|\d)")
_CONTROL_TAGS = frozenset({"input", "select", "textarea", "button", "form"})
_SKIP_TAGS = {"script", "style", "noscript", "figure", "figcaption", "template"}


@cache
def vocabulary() -> dict[str, list[str]]:
    with VOCABULARY.open("rb") as fh:
        return tomllib.load(fh)


@cache
def _author_paths() -> frozenset[str]:
    return frozenset(vocabulary()["author_paths"])


@cache
def _credit_words() -> frozenset[str]:
    return frozenset(w.casefold() for w in vocabulary()["credit_words"])


@cache
def _label_pattern() -> re.Pattern[str]:
    """An element that is only a by-word: a label whose name follows in the next element."""
    return re.compile(r"^" + _by_word() + r"\s*:?$", re.IGNORECASE)


@cache
def _inner_byline_pattern() -> re.Pattern[str]:
    """A by-word and the names after it, the rest of the line (the by-word after other words)."""
    return re.compile(r"(?:^|\s)" + _by_word() + r"\s*:?\s+(?P<names>[^\s].*)$", re.IGNORECASE)


@cache
def _byline_pattern() -> re.Pattern[str]:
    return re.compile(r"^" + _by_word() + r"\s*:?\s+(?P<names>.+)$", re.IGNORECASE)


@cache
def _by_word() -> str:
    """A by-word, with the other work the same people did joined to it: 'Text & Fotos:',
    'Texto y fotos:', 'Text/Bild:', 'Words and photos by' name the text's author too."""
    words = "|".join(re.escape(w) for w in sorted(vocabulary()["by_words"], key=len, reverse=True))
    credits = "|".join(re.escape(w) for w in sorted(vocabulary()["credit_words"], key=len, reverse=True))
    joint = r"(?:\s*(?:&|/|\+|,|\s(?:and|und|et|y|e|i|en|og|och))\s*(?:" + credits + r"))"
    # The joint form first: 'Text' alone would take '& Fotos: ...' for the names.
    heads = "|".join(_JOINT_HEADS)
    return r"(?:(?:" + heads + r")" + joint + r"+(?:\s+by)?|(?:" + words + r"))"


_JOINT_HEADS = ("text", "texte", "texto", "testo", "words")  # 'Text & Fotos:', 'Words and photos by'


@cache
def _by_word_starts() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The first word of every by-word, as a case-blind pattern and as a lower-case one."""
    starts = "|".join(re.escape(w) for w in sorted({w.split()[0].lower() for w in vocabulary()["by_words"]} |
                                                   set(_JOINT_HEADS)))
    return re.compile(starts, re.IGNORECASE), re.compile(starts)


def _may_hold_by_word(text: str) -> bool:
    """Whether the text holds the first word of a by-word: a line holding a by-word holds its
    first word, and that word lies within one text of the element, so an element whose text
    holds none has no byline. Most short elements (menus, buttons, labels) are passed over by
    this test alone, without a walk for their first line. ASCII text is searched lower-cased
    (the same matches as a case-blind search, which is several times slower); other text
    case-blind, as the by-word pattern matches it (its folding is not str.lower's)."""
    case_blind, lower_case = _by_word_starts()
    return (lower_case.search(text.lower()) if text.isascii() else case_blind.search(text)) is not None


def is_organisation(name: str) -> bool:
    """A name ending in a legal form ('Hanns-Seidel-Stiftung e.V.', 'Acme GmbH')."""
    words = _LEGAL_WORD.findall(name.lower())  # dots and spaces aside: 'e. V.' = 'e.V.' = 'e V'
    for form in vocabulary()["legal_forms"]:
        parts = _LEGAL_WORD.findall(form)
        if len(words) > len(parts) and words[-len(parts):] == parts:
            return True
    # 'Müller & Co.', 'Schmidt und Co. KG' (the KG above); 'Emily Co' is a person.
    joined = {_LEGAL_WORD.findall(form)[0] for form in vocabulary()["joined_legal_forms"]}
    return len(words) >= 3 and words[-1] in joined and words[-2] in _JOINERS


def looks_like_name(text: str) -> bool:
    """Two to five words, capitalised (particles aside), no digits: 'Jan de Vries', 'J.R. Stone'."""
    words = text.split()
    if not 2 <= len(words) <= 5 and not (len(words) == 1 and "." in words[0] and len(words[0]) > 3):
        return False
    if any(c.isdigit() for c in text) or len(text) > 60 or any(len(w) > MAX_NAME_WORD for w in words):
        return False  # a longer word is names run together with buttons ('Hingstonfacebooktwitter')
    if not any(len(w) >= 3 and w.isalpha() for w in words):  # 'FR IT EN' is a language menu
        return False
    return all(_NAME_WORD.match(w) for w in words) and words[0][0].isupper() and words[-1][0].isupper()


def _is_handle(text: str) -> bool:
    """A name or a user name, not a sentence ('Zeige alle Beiträge von X →')."""
    return 0 < len(text.split()) <= MAX_HANDLE_WORDS and any(c.isalpha() for c in text) and \
        not any(c in text for c in "→»:|")


# A slug spells an umlaut or a sharp s out ('clara-loew' for Clara Löw); NFKD drops the dots instead.
_TRANSLITERATED = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "æ": "ae", "ø": "oe", "å": "aa"})


def _slug_key(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in folded if c.isalnum())


def _in_comments_or_figure(el: lxml_html.HtmlElement) -> bool:
    """In a comment, a figure, or a link to another story (a teaser card: its headline, its
    summary and its writer's byline are one link)."""
    node = el
    while node is not None:
        if node.tag in _SKIP_TAGS:
            return True
        if node is not el and node.tag == "a" and _short_text(node, MAX_BYLINE_WORDS) is None:
            return True
        marks = f"{node.get('id') or ''} {node.get('class') or ''}"
        if marks.strip() and (_COMMENTS.search(marks) or any(_CREDIT_CLASS.search(c) for c in marks.split())):
            return True
        node = node.getparent()
    return False


def _clean(text: str) -> str:
    # translate() looks every character up in a dict; most texts hold none of the six, and a
    # scan for them is cheap (the texts of a page's large elements were a third of its bylines' cost)
    return text.translate(_INVISIBLE) if _has_invisible(text) else text


def _has_invisible(text: str) -> bool:
    return any(c in text for c in _INVISIBLE_CHARS)  # six substring scans: faster than a regex's class


# Text for screen readers only (WordPress's `screen-reader-text`, Bootstrap's `sr-only`,
# `visually-hidden`): read aloud, never printed; a linked name often repeats itself there.
_SCREEN_READER = re.compile(r"(?:^|[-_])(?:sr-only|screen-reader-text|visually-?hidden|visuallyhidden|"
                            r"assistive-text)$", re.IGNORECASE)


def screen_reader_only(el: lxml_html.HtmlElement) -> bool:
    classes = el.get("class")
    if not classes or not ("sr-only" in classes or "reader" in classes or "isually" in classes or
                           "assistive" in classes):  # the common case, cheaply
        return False
    return any(_SCREEN_READER.search(c) for c in classes.split())


def _text(el: lxml_html.HtmlElement) -> str:
    return " ".join(_clean(el.get("content") if el.tag == "meta" else el.text_content() or "").split())


def _short_text(el: lxml_html.HtmlElement, limit: int) -> str | None:
    """The element's text, invisible characters dropped (``_text`` before its spaces are
    tidied), when it has at most ``limit`` words; None for a longer one, found without
    splitting its whole text into words (split at most limit times: more pieces, more words)."""
    text = el.get("content") if el.tag == "meta" else el.text_content() or ""
    if len(text.split(None, limit)) > limit and not _has_invisible(text):
        return None  # dropping invisible characters can only take words away, never add one
    text = _clean(text)
    return text if len(text.split(None, limit)) <= limit else None


def _shown(el: lxml_html.HtmlElement) -> str:
    """The element's text as printed, without what is there for screen readers only (read for
    the few elements that name an author: a walk per element of the page would cost too much)."""
    if el.tag == "meta" or not any(screen_reader_only(n) for n in el.iter() if isinstance(n.tag, str)):
        return _text(el)
    parts = []
    for text in el.xpath(".//text()"):
        owner = text.getparent()
        if text.is_tail:  # a tail belongs to the element around the one it follows
            owner = owner.getparent()
        while owner is not None and owner is not el and not screen_reader_only(owner):
            owner = owner.getparent()
        if owner is None or owner is el:
            parts.append(text)
    return " ".join(_clean(" ".join(parts)).split())


_BLOCK_TAGS = frozenset({"p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "address", "section",
                         "article", "header", "footer", "table", "tr", "td", "th", "dl", "dt", "dd", "blockquote"})
_LINE_TAGS = frozenset({"p", "span", "div", "li", "address", "small", "em", "strong", "b", "i", "time", "h4", "h5",
                        "h6", "byline", "td"})
SOURCES = ("microdata author", "rel=author", "hcard author", "author link", "byline", "byline label", "byline box")
# A class token naming the element as the byline ('entry-author', 'gallery--page-meta--author', 'byline').
_BYLINE_CLASS = re.compile(r"author|byline", re.IGNORECASE)
# Markup that says "author" is trusted with a user name ('freeman1984'); a link or a line is a
# byline only when it reads as names.
_TRUSTED = frozenset({"microdata author", "rel=author", "hcard author"})


def page_bylines(tree: lxml_html.HtmlElement) -> tuple[list[str], str | None]:
    """(names as written, where they came from); ([], None) when the page shows no byline."""
    found: dict[str, list[tuple[lxml_html.HtmlElement, str]]] = {source: [] for source in SOURCES}
    for seen, el in enumerate(tree.iter()):
        if seen > MAX_ELEMENTS:
            break
        if not isinstance(el.tag, str) or el.tag in _SKIP_TAGS:
            continue
        read = _byline_of(el)
        if read is not None:
            found[read[0]].append((el, read[1]))
    best: tuple[list[str], str | None] = ([], None)
    first: lxml_html.HtmlElement | None = None
    for source in SOURCES:
        kept = [(el, name) for el, name in found[source] if not _in_comments_or_figure(el) and
                (all(_is_handle(n) for n in split_names(name)) if source in _TRUSTED else
                 all(looks_like_name(n) for n in split_names(name)))]
        if not kept:
            continue
        if first is None:
            best, first = (_coauthors(kept), source), kept[0][0]
            continue
        # The first source found wins, unless the element around it names the same people and
        # more (a linked first author, the co-author unlinked in the same byline: 'von A, B').
        for el, name in kept:
            if el in first.iterancestors() and people_keys([name]) > people_keys(best[0]):
                best = [name], source
    return best


def box_author(tree: lxml_html.HtmlElement) -> list[str]:
    """The person an author box names (`<div class="author-bio"><h3>Jane Roe</h3><p>Jane writes
    ...</p></div>`, 'author-info', 'teaser-box author'): its first heading, else its first line,
    when that is a full name. Every such box on the page must name the same person: boxes naming
    several (a list of teasers, each with its writer's avatar) say nothing about this article."""
    names: dict[str, str] = {}
    for seen, el in enumerate(tree.iter()):
        if seen > MAX_ELEMENTS:
            break
        if not isinstance(el.tag, str) or el.tag in _SKIP_TAGS or \
                "author" not in (el.get("class") or "").casefold():  # in one of its classes: none holds a space
            continue
        heading = next((h for h in el.iter("h2", "h3", "h4", "h5", "h6")), None)
        if heading is not None:  # '<h3><a href=profile>Jane Roe</a><a>Follow</a></h3>': the link names her
            heading = next(heading.iter("a"), heading)
        line = _shown(heading) if heading is not None else _first_line(el)
        if looks_like_name(line) and not _in_comments_or_figure(el):
            names.setdefault(_slug_key(line), line)
    return list(names.values()) if len(names) == 1 else []


def people_keys(names: list[str]) -> set[str]:
    """The people a list of bylines names, each by a key blind to case, accents and spacing."""
    return {_slug_key(n) for name in names for n in split_names(name) if _slug_key(n)}


def _byline_of(el: lxml_html.HtmlElement) -> tuple[str, str] | None:
    """(source, names) when the element states a byline by its markup or its words."""
    props = (el.get("itemprop") or "").split()
    classes = (el.get("class") or "").split()
    if "author" in props and "Organization" not in (el.get("itemtype") or ""):
        named = el.find(".//*[@itemprop='name']")
        return "microdata author", _after_by_word(_shown(named if named is not None else el))
    if el.tag == "a" and "author" in (el.get("rel") or "").split():
        return "rel=author", _shown(el)
    if "author" in classes and ("vcard" in classes or "h-card" in classes):
        # hCard (the microformat WordPress themes print): the author's formatted name is its `fn`.
        named = next((n for n in el.iter() if isinstance(n.tag, str) and
                      {"fn", "p-name"} & set((n.get("class") or "").split()) and _text(n)), None)
        return "hcard author", _after_by_word(_shown(named) if named is not None else _first_line(el))
    if el.tag == "a" and _links_to_its_author(el):
        return "author link", _shown(el)
    if el.tag in _LINE_TAGS and (text := _short_text(el, MAX_BYLINE_WORDS)) is not None and \
            _may_hold_by_word(text):
        line = _first_line(el)
        match = _byline_pattern().match(line)
        names = _leading_names(match["names"]) if match else []
        if names:
            return "byline", "; ".join(names)
        if _label_pattern().match(line):  # 'Autor:' in an element of its own, the name after it
            names = _leading_names(_following_text(el))
            if names:
                return "byline label", "; ".join(names)
        if any(_BYLINE_CLASS.search(c) for c in classes):
            # The byline box a theme prints, its by-word after a date: 'Posted on September
            # 21, 2020 by Adi Tzlil', 'Veröffentlicht am 3. Mai von Jan Muster'.
            match = _inner_byline_pattern().search(line)
            names = _leading_names(match["names"]) if match else []
            if names:
                return "byline box", "; ".join(names)
    return None


def _after_by_word(text: str) -> str:
    """'von Rudolf Fischer, Simon Kohler' in an author element -> 'Rudolf Fischer, Simon Kohler'."""
    match = _byline_pattern().match(text)
    return match["names"] if match else text


def _first_line(el: lxml_html.HtmlElement) -> str:
    """The element's text up to its first line break (a <br> or a block's edge): 'Von A und
    B<br>Kakuma / Kenia' is a byline and a dateline, '<p>Auteur : A</p><p>Edition : B</p>' two lines."""
    lines: list[list[str]] = [[]]

    def walk(node: lxml_html.HtmlElement, budget: list[int]) -> None:
        budget[0] -= 1
        if budget[0] < 0:
            return
        block = node is not el and (node.tag in _BLOCK_TAGS)
        if block or node.tag == "br":
            lines.append([])
        if node.tag not in _SKIP_TAGS and node.tag != "br" and not screen_reader_only(node):
            lines[-1].append(node.text or "")
            for child in node:
                if isinstance(child.tag, str):
                    walk(child, budget)
                else:
                    lines[-1].append(child.tail or "")
        if block:
            lines.append([])
        if node is not el:
            lines[-1].append(node.tail or "")

    walk(el, [MAX_ELEMENTS])
    for line in lines:
        text = " ".join(_clean(" ".join(line)).split())
        if text:
            return text
    return ""


def _following_text(el: lxml_html.HtmlElement) -> str:
    """The text after a label element: its tail, else its next sibling's, else its parent's next
    sibling's ('<h5>Autor:</h5>Peter Maahn', '<div><p>By</p></div><div><p>Todd Bates</p></div>')."""
    if _has_controls(el):  # a search form's 'Von:' labels an input, not a byline
        return ""
    if (el.tail or "").strip():
        return " ".join(_clean(el.tail or "").split())
    parent = el.getparent()
    for node in (_next_element(el), _next_element(parent) if parent is not None else None):
        if node is not None and isinstance(node.tag, str) and _short_text(node, MAX_BYLINE_WORDS) is not None:
            return "" if _has_controls(node) else _first_line(node)
    return ""


def _has_controls(el: lxml_html.HtmlElement) -> bool:
    return any(n.tag in _CONTROL_TAGS for n in el.iter() if isinstance(n.tag, str))


def _next_element(el: lxml_html.HtmlElement) -> lxml_html.HtmlElement | None:
    """The next sibling that is an element (comments and processing instructions passed over)."""
    node = el.getnext()
    while node is not None and not isinstance(node.tag, str):
        node = node.getnext()
    return node


def _leading_names(text: str) -> list[str]:
    """The names a byline starts with; what follows them (an agency, a place, a date, a job, another
    credit: 'Didier Roy, 21 juin 2018', 'Peter Maahn/SP-X', 'Christian Seiler Illustration von
    Markus Roost', 'R. Roe am 29.12.2010') is not a name. Empty when it does not start with one."""
    text = _TAIL.split(text, maxsplit=1)[0]
    names: list[str] = []
    parts = split_names(text)
    for part in parts:
        words = part.split()
        # Up to the first lower-case word that is no name particle, or a credit for other work;
        # a co-author's part is a name whole ('A, Projektleiterin der HSS in Tunesien' is one).
        for i, word in enumerate(words):
            if not _NAME_WORD.match(word) or word.casefold().strip(":") in _credit_words():
                words = words[:i] if not names else []
                break
        name = " ".join(words)
        if not looks_like_name(name):
            # 'A, AMP Project Marketing, Google': a list of commas that ends in no name is the
            # first name's affiliation; 'A, B und C, NDR' names three people.
            if len(names) > 1 and not _CONNECTOR.search(text):
                names = names[:1]
            break
        names.append(name)
    return names


def _links_to_its_author(el: lxml_html.HtmlElement) -> bool:
    # The address first: reading a link's shown text costs more, and few links lead to an author
    # path. An address urlsplit refuses ('http://[x') leads to no author page, and one bad link
    # must not cost the page its other bylines.
    try:
        path = [p for p in urlsplit(el.get("href") or "").path.lower().split("/") if p]
    except ValueError:
        return False
    if len(path) < 2 or not set(path[:-1]) & _author_paths():
        return False
    text = _shown(el)
    if not looks_like_name(text):
        return False
    # The slug spells the name in parts ('jil-schuller', 'jr-stone'), not one word ('memberlist').
    parts = [p for p in re.split(r"[-_.+]", path[-1]) if p and not p.isdigit()]
    slug = _slug_key("".join(parts))
    return len(parts) >= 2 and slug in (_slug_key(text), _slug_key(text.casefold().translate(_TRANSLITERATED)))


def _coauthors(found: list[tuple[lxml_html.HtmlElement, str]]) -> list[str]:
    """The first byline's names, with those in the same parent element (co-authors)."""
    first, _ = found[0]
    parent = first.getparent()
    return [name for el, name in found if el is first or (parent is not None and el.getparent() is parent)]


_CONNECTOR = re.compile(r"\s*(?:;|&|\s(?:and|und|y|et|e|i|en|og|och)\s)\s*")


def split_names(text: str) -> list[str]:
    return [p for p in re.split(r"\s*(?:,|;|&|\s(?:and|und|y|et|e|i|en|og|och)\s)\s*", text) if p.strip()]
