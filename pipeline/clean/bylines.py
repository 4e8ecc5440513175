"""Bylines in the page itself, for pages whose structured data names no person.

In order of trust, each source read only when the one before found nobody:
1. microdata: an element with `itemprop="author"` (its `itemprop="name"` when it has one) that
   is not an Organization;
2. `<a rel="author">`;
3. a link to the author's own page: its text a name and its URL ending in that name's slug
   under an author path (`/autor/jil-schuller`, `/about/newsteam/jr-stone`);
4. a short element that is only a by-word and names ("By Jane Doe and John Roe", "von Andreas
   Kürten"), the words from bylines.toml.

Comment sections (an ancestor whose id or class names comments) and figures (a photo credit
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
_LEGAL_WORD = re.compile(r"[^\s.]+")
_SKIP_TAGS = {"script", "style", "noscript", "figure", "figcaption", "template"}


@cache
def vocabulary() -> dict[str, list[str]]:
    with VOCABULARY.open("rb") as fh:
        return tomllib.load(fh)


@cache
def _byline_pattern() -> re.Pattern[str]:
    words = sorted(vocabulary()["by_words"], key=len, reverse=True)
    return re.compile(r"^(?:" + "|".join(re.escape(w) for w in words) + r")\s*:?\s+(?P<names>.+)$",
                      re.IGNORECASE)


def is_organisation(name: str) -> bool:
    """A name ending in a legal form ('Hanns-Seidel-Stiftung e.V.', 'Acme GmbH')."""
    words = _LEGAL_WORD.findall(name.lower())  # dots and spaces aside: 'e. V.' = 'e.V.' = 'e V'
    for form in vocabulary()["legal_forms"]:
        parts = _LEGAL_WORD.findall(form)
        if len(words) > len(parts) and words[-len(parts):] == parts:
            return True
    return False


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


def _slug_key(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in folded if c.isalnum())


def _in_comments_or_figure(el: lxml_html.HtmlElement) -> bool:
    node = el
    while node is not None:
        if node.tag in _SKIP_TAGS:
            return True
        marks = f"{node.get('id') or ''} {node.get('class') or ''}"
        if marks.strip() and _COMMENTS.search(marks):
            return True
        node = node.getparent()
    return False


def _text(el: lxml_html.HtmlElement) -> str:
    return " ".join((el.get("content") if el.tag == "meta" else el.text_content() or "").split())


def page_bylines(tree: lxml_html.HtmlElement) -> tuple[list[str], str | None]:
    """(names as written, where they came from); ([], None) when the page shows no byline."""
    microdata, rel, links, lines = [], [], [], []
    for seen, el in enumerate(tree.iter()):
        if seen > MAX_ELEMENTS:
            break
        if not isinstance(el.tag, str) or el.tag in _SKIP_TAGS:
            continue
        props = (el.get("itemprop") or "").split()
        if "author" in props and "Organization" not in (el.get("itemtype") or ""):
            named = el.find(".//*[@itemprop='name']")
            microdata.append((el, _text(named if named is not None else el)))
        elif el.tag == "a" and "author" in (el.get("rel") or "").split():
            rel.append((el, _text(el)))
        elif el.tag == "a" and _links_to_its_author(el):
            links.append((el, _text(el)))
        elif el.tag in {"p", "span", "div", "li", "address", "small", "em", "strong", "b", "i", "time", "h4", "h5",
                        "h6"} and len(_text(el).split()) <= MAX_BYLINE_WORDS:
            match = _byline_pattern().match(_text(el))
            if match and all(looks_like_name(n) for n in split_names(match["names"])):
                lines.append((el, match["names"]))
    for source, found in (("microdata author", microdata), ("rel=author", rel), ("author link", links),
                          ("byline", lines)):
        # Markup that says "author" is trusted with a user name ('freeman1984'); a link or a
        # line is a byline only when it reads as names.
        trusted = source in ("microdata author", "rel=author")
        kept = [(el, name) for el, name in found if not _in_comments_or_figure(el) and
                (_is_handle(name) if trusted else all(looks_like_name(n) for n in split_names(name)))]
        if kept:
            return _coauthors(kept), source
    return [], None


def _links_to_its_author(el: lxml_html.HtmlElement) -> bool:
    text = _text(el)
    if not looks_like_name(text):
        return False
    path = [p for p in urlsplit(el.get("href") or "").path.lower().split("/") if p]
    if len(path) < 2 or not set(path[:-1]) & set(vocabulary()["author_paths"]):
        return False
    # The slug spells the name in parts ('jil-schuller', 'jr-stone'), not one word ('memberlist').
    parts = [p for p in re.split(r"[-_.+]", path[-1]) if p and not p.isdigit()]
    return len(parts) >= 2 and _slug_key("".join(parts)) == _slug_key(text)


def _coauthors(found: list[tuple[lxml_html.HtmlElement, str]]) -> list[str]:
    """The first byline's names, with those in the same parent element (co-authors)."""
    first, _ = found[0]
    parent = first.getparent()
    return [name for el, name in found if el is first or (parent is not None and el.getparent() is parent)]


def split_names(text: str) -> list[str]:
    return [p for p in re.split(r"\s*(?:,|;|&|\s(?:and|und|y|et|e|i|en|og|och)\s)\s*", text) if p.strip()]
