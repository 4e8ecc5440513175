"""A page's own statements about itself: JSON-LD, microdata, OpenGraph and the <head>.

Publishers embed the article's headline, authors and publication time (with its zone) as
structured data for search engines; read with extruct, they are better evidence than
anything guessed from the visible text, so they come first and trafilatura's guesses fill
the gaps (pipeline/clean/html.py reconciles the two).

- headline: the article item's `headline`, `og:title`, the <title>, each with the site's
  name cut off ("Title | Site", "Site - Title", "Title – DW – 13.06.2023"); the page's own
  <h1> wins when it agrees with one of them.
- authors: people only (`Person` items, or plain names), one per person: an `Organization`,
  the publisher's or site's name, a URL or a profile slug is not an author.
- published: `datePublished` (else `dateCreated`, `article:published_time`, ...) as an aware
  datetime when the page gives a zone; every stated time is kept for html.py to reconcile
  with the visible day (pipeline/clean/published.py).
"""

from __future__ import annotations

import html as html_lib
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlsplit

import extruct
from lxml import html as lxml_html

from pipeline.clean.blocks import furniture_texts, line_elements, link_texts, teaser_card_texts
from pipeline.clean.bylines import box_author, is_organisation, looks_like_name, page_bylines, people_keys
from pipeline.clean.item_types import is_article, item_types
from pipeline.clean.lead import Lead, find_lead
from pipeline.clean.published import Stamp, stated_stamps
from pipeline.clean.stated_body import stated_body
from pipeline.text import normalise_for_hash

MAX_ITEMS = 200  # JSON-LD graphs walked per page: bounded, a page cannot make us loop
MAX_HEADINGS = 8
KICKER_MAX_WORDS = 8  # a leading element of an <h1> this short is a kicker over the headline
_KICKER_TAGS = frozenset({"span", "div", "time", "small", "p", "sup"})
MAX_TITLE_CHARS = 300
MAX_AUTHORS = 12
DOMAIN_END_CHARS = 4  # 'de', 'com', 'info': what a host adds to a site's name
SITE_NAME_SLACK = 8  # characters a name may add to the site's and still be the site ('... Online')
# An item of one of these types (or one whose type ends like them) describes the article.
TITLE_SEPARATORS = re.compile(r"\s+(?:\||-|–|—|•|·|::|:|»|«|/|~)\s+")
_WORD = re.compile(r"\w+")
HEADING_OVERLAP = 0.6  # shared words, of the <h1>'s and of a stated title's, for the <h1> to be the headline
_URLISH = re.compile(r"(?:https?://|www\.|\.(?:com|org|net|de|html?|php)\b|/)", re.IGNORECASE)
_BY_PREFIX = re.compile(r"^\s*(?:by|von|vom|por|par|door|av|af|autor(?:in)?|author|text|texto)\s*:?\s+",
                        re.IGNORECASE)
# Several people in one field: "A and B", "A, B & C", "A; B" (a comma only between full names).
_AUTHOR_SPLIT = re.compile(r"\s*(?:;|&|\s(?:and|und|y|et|e|i|en|og|och|und)\s)\s*", re.IGNORECASE)
_DOMAIN = re.compile(r"(?:www\.)?[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,6}", re.IGNORECASE)
HOST_LABEL_MIN = 6  # a shorter host label ('dw', 'taz', 'bild') is too often a word of a headline
_BOX_TAGS = frozenset({"aside", "footer", "form", "dialog"})
_UNPRINTED = frozenset({"style", "script", "noscript", "template"})
_POSSESSIVE = re.compile(r"^(.+?)['’]s\s+\w+$")
_META_AUTHOR_KEYS = ("author", "article:author", "dc.creator", "sailthru.author", "parsely-author")
_ORGANISATION_TYPES = frozenset({"Organization", "NewsMediaOrganization", "Corporation"})


@dataclass
class PageMeta:
    headline: str | None = None  # the article item's headline
    titles: list[str] = field(default_factory=list)  # og:title, twitter:title, <title>
    headings: list[str] = field(default_factory=list)  # <h1> texts, in page order
    nav_headings: list[str] = field(default_factory=list)  # those of them inside a <nav>
    site_names: list[str] = field(default_factory=list)  # og:site_name, publisher, host
    authors: list[str] = field(default_factory=list)  # people, cleaned, one each
    box_authors: list[str] = field(default_factory=list)  # the one person the page's author boxes name
    site_authors: list[str] = field(default_factory=list)  # the site itself, where the page states it as the author
    published: datetime | None = None  # aware when the page gave a zone
    published_has_time: bool = False
    stamps: list[Stamp] = field(default_factory=list)  # every stated publication time (published.py)
    source: dict[str, str] = field(default_factory=dict)  # field -> where it came from
    furniture: dict[str, str] = field(default_factory=dict)  # normalised text -> rule (blocks.py)
    links: set[str] = field(default_factory=set)  # normalised texts printed as links (blocks.py)
    cards: set[str] = field(default_factory=set)  # normalised texts inside teaser cards (blocks.py)
    elements: dict[str, lxml_html.HtmlElement] = field(default_factory=dict)  # normalised text -> the element printing it (blocks.py)
    lead: Lead | None = None  # the printed element of the stated summary (lead.py)
    body: str | None = None  # the stated articleBody as plain text (stated_body.py)

    @property
    def publisher(self) -> str | None:
        return next((s for s in self.site_names if "." not in s), None) or \
            (self.site_names[0] if self.site_names else None)


def read_page_meta(html: str | lxml_html.HtmlElement, url: str | None = None) -> PageMeta:
    """Everything the page says about itself, from its text or its parsed tree (read, never
    changed); an unparsable page gives an empty PageMeta."""
    meta = PageMeta()
    if isinstance(html, lxml_html.HtmlElement):
        tree = html
    else:
        try:
            tree = lxml_html.fromstring(html)
        except (ValueError, TypeError, lxml_html.etree.ParserError):
            return meta
    try:
        data = extruct.extract(tree, syntaxes=["json-ld", "microdata", "opengraph"], uniform=True,
                               errors="ignore")
    except Exception:  # noqa: BLE001 - a malformed block in one syntax must not lose the page
        data = {}
    items = list(_walk([*data.get("json-ld", []), *data.get("microdata", [])]))
    graph: dict[str, dict] = {"og": _og(data.get("opengraph", [])), "meta": _meta_tags(tree), "ids": _by_id(items)}
    article = _the_article([i for i in items if is_article(i)], graph, tree)
    _read_sites(meta, article, items, graph, url)
    _read_titles(meta, article, graph, tree)
    _read_authors(meta, article, graph, tree)
    meta.box_authors = clean_authors(box_author(tree), meta.site_names)
    meta.site_authors = _site_as_author(article, graph, meta.site_names)
    _read_published(meta, article, items, tree)
    meta.furniture = furniture_texts(tree)
    meta.links = link_texts(tree)
    meta.cards = teaser_card_texts(tree)
    meta.elements = line_elements(tree)
    meta.body = stated_body(items, article)
    meta.lead = find_lead(tree, [_text_in_full((article or {}).get("description")), graph["og"].get("og:description"),
                                 graph["meta"].get("description"), graph["meta"].get("twitter:description")])
    return meta


# -- structured data -----------------------------------------------------------------------
def _the_article(articles: list[dict], graph: dict, tree: lxml_html.HtmlElement) -> dict | None:
    """The article item that describes this page. A page may state several (a blog's list of
    related posts as `BlogPosting`s beside its own): the one whose headline the page's titles
    (`og:title`, `twitter:title`, `<title>`, an `<h1>`) carry is the page's; an item whose
    headline none of them carries is another story's teaser. Several headed items that the
    titles all disagree with are such a list, and an item that states no headline (microdata
    often leaves it out) is then the page's; a single headed item is the page's own even when
    its headline differs from the titles (a longer or a search-engine version)."""
    if not articles:
        return None
    stated = [graph["og"].get(k) or graph["meta"].get(k) for k in ("og:title", "twitter:title")]
    stated += [graph["meta"].get("<title>")] + [_text(_printed(h)) for h in tree.iterfind(".//h1")]
    keys = [k for k in (normalise_for_hash(t) for t in stated if t) if len(k) >= 4]
    headed = [i for i in articles if _text(i.get("headline"))]
    for item in headed:
        headline = normalise_for_hash(_text(item.get("headline")) or "")
        if any(headline in k or k in headline for k in keys):
            return item
    unheaded = [i for i in articles if not _text(i.get("headline"))]
    if keys and len(headed) >= 2 and unheaded:
        return unheaded[0]
    return headed[0] if headed else articles[0]


def _walk(nodes: list, budget: list[int] | None = None) -> Iterator[dict]:
    """Every dict item in JSON-LD/microdata, @graph and nested lists included, at most MAX_ITEMS."""
    budget = budget if budget is not None else [MAX_ITEMS]
    for node in nodes:
        if budget[0] <= 0:
            return
        if isinstance(node, list):
            yield from _walk(node, budget)
        elif isinstance(node, dict):
            budget[0] -= 1
            yield node
            graph = node.get("@graph")
            if isinstance(graph, list):
                yield from _walk(graph, budget)


def _by_id(items: list[dict]) -> dict[str, dict]:
    """The graph's named nodes by their @id: Yoast, Rank Math and others state the author as
    `"author": {"@id": ".../#/schema/person/..."}`, a reference to a Person elsewhere in the graph."""
    nodes: dict[str, dict] = {}
    for item in items:
        key = item.get("@id")
        if isinstance(key, str) and (item.get("name") or item.get("@type")):
            nodes.setdefault(key, item)
    return nodes


def _resolve(value: object, ids: dict[str, dict]) -> object:
    """A reference ({"@id": ...} or the bare @id string) as the node it names, else the value."""
    if isinstance(value, dict) and "@id" in value and not value.get("name"):
        return ids.get(value["@id"], value)
    if isinstance(value, str) and value in ids:
        return ids[value]
    return value


def _text(value: object) -> str | None:
    """A plain string from a JSON-LD value (a string, a list's first string, a dict's name).
    Character references are resolved: a CMS that escapes its titles twice states
    '&#8222;Arschloch&#8220;: ...' or 'Olive &#038; Herb' in JSON-LD and meta tags."""
    if isinstance(value, list):
        value = next((v for v in value if isinstance(v, str | dict)), None)
    if isinstance(value, dict):
        value = value.get("name") or value.get("@value")
    if not isinstance(value, str):
        return None
    if "&" in value:
        value = html_lib.unescape(value)
    text = " ".join(unicodedata.normalize("NFC", value).split())
    return text[:MAX_TITLE_CHARS] or None


def _text_in_full(value: object) -> str | None:
    """A JSON-LD string value whole (a summary may be longer than a title)."""
    return value if isinstance(value, str) else None


def _og(blocks: list) -> dict[str, str]:
    """OpenGraph properties, first value of each (extruct's uniform output is a list of dicts)."""
    out: dict[str, str] = {}
    for block in blocks if isinstance(blocks, list) else []:
        for key, value in (block.items() if isinstance(block, dict) else ()):
            text = _text(value)
            if text and key not in out:
                out[key] = text
    return out


def _meta_tags(tree: lxml_html.HtmlElement) -> dict[str, str]:
    """<meta name|property|itemprop=... content=...> and the <title>, first of each name."""
    out: dict[str, str] = {}
    for el in tree.iterfind(".//meta"):
        key = (el.get("name") or el.get("property") or el.get("itemprop") or "").strip().lower()
        value = _text(el.get("content"))
        if key and value and key not in out:
            out[key] = value
    title = tree.find(".//title")
    if title is not None:
        text = _text(title.text_content())
        if text:
            out["<title>"] = text
    return out


# -- sites ------------------------------------------------------------------------------------
def _read_sites(meta: PageMeta, article: dict | None, items: list[dict], graph: dict, url: str | None) -> None:
    names: list[str | None] = [graph["og"].get("og:site_name"), graph["meta"].get("og:site_name"),
                               graph["meta"].get("application-name")]
    if article is not None:
        names.append(_text(article.get("publisher")))
    # A site whose owner is a person (a blog's ["Person", "Organization"]) is named by them: their
    # name is then the author's, not a publisher's in an author's place.
    names += [_text(i.get("name")) for i in items if {"Organization", "NewsMediaOrganization", "WebSite"}
              & set(item_types(i)) and "Person" not in item_types(i)]
    host = urlsplit(archived_url(url)).hostname if url else None
    if host:
        names.append(host.removeprefix("www."))
    seen: set[str] = set()
    for name in names:
        key = squash(name or "")
        if name and key and key not in seen and len(name.split()) <= 8:
            seen.add(key)
            meta.site_names.append(name)


def archived_url(url: str) -> str:
    """An archive's copy (web.archive.org/web/<time>/<url>) stands for the archived page."""
    inner = re.search(r"^https?://web\.archive\.org/web/\d+[a-z_]*/(.+)$", url)
    return inner.group(1) if inner else url


def squash(text: str) -> str:
    """Case, accents, spaces and punctuation away: 'Börsen-Zeitung' ~ 'boersenzeitung'-ish keys."""
    return re.sub(r"[\W_]+", "", normalise_for_hash(text))


def is_site(text: str, sites: list[str], whole: bool = False) -> bool:
    """The site's or publisher's name, give or take a suffix ('Jungefreiheit De', 'Battery-News').
    `whole`: a name that only starts the host is not it ('Heiko' on heiko-adams.de, 'Andrea'
    on andreabottlinger.wordpress.com: the owner's first name); the host without its domain
    ending is ('Battery-News' on battery-news.de)."""
    key = squash(text)
    if not key:
        return True
    words = {squash(w) for w in re.split(r"[\W_]+", text) if w}
    for site in sites:
        skey = squash(site)
        is_host = "." in site and " " not in site
        labels = host_labels(site) if is_host else [skey]
        starts = len(key) >= 4 and skey.startswith(key) and \
            (not whole or not is_host or len(skey) - len(key) <= DOMAIN_END_CHARS)
        if key == skey or key in labels or starts \
                or any(len(label) >= 4 and label in key and len(key) <= len(label) + SITE_NAME_SLACK
                       and not (whole and _derived_word(label, words)) for label in labels):
            return True
    return False


def _derived_word(label: str, words: set[str]) -> bool:
    """A name of one word that carries the site's label inside a longer word ('Krimiblogger' on
    krimiblog.de): a user name made from the site's, the blogger's, not the site ('Krimiblog
    De', 'Jungefreiheit Online' keep the label as a word of their own)."""
    return len(words) == 1 and label not in words


def host_labels(host: str) -> list[str]:
    """A host's names: its first label and its registered one ('archiv.krimiblog.de' is
    'archiv' and 'krimiblog'; 'news.bbc.co.uk' also 'bbc': a short second-level label under a
    country code may be the registry's, not the publisher's)."""
    parts = [p for p in host.lower().split(".") if p]
    if len(parts) < 2:
        return [squash(host)]
    names = [parts[0], parts[-2]]
    if len(parts) >= 3 and len(parts[-1]) == 2 and len(parts[-2]) <= 3:
        names.append(parts[-3])
    return list(dict.fromkeys(squash(p) for p in names))


# -- titles -----------------------------------------------------------------------------------
def _read_titles(meta: PageMeta, article: dict | None, graph: dict, tree: lxml_html.HtmlElement) -> None:
    if article is not None:
        meta.headline = _text(article.get("headline")) or None
    for key in ("og:title", "twitter:title"):
        value = graph["og"].get(key) or graph["meta"].get(key)
        if value:
            meta.titles.append(value)
    if graph["meta"].get("<title>"):
        meta.titles.append(graph["meta"]["<title>"])
    for el in tree.iterfind(".//h1"):
        # A heading in a box beside the article (a newsletter form, a sidebar, the footer) heads that box.
        ancestors = {a.tag for a in el.iterancestors()}
        if ancestors & _BOX_TAGS:
            continue
        text = _text(_heading_text(el))
        if text and len(meta.headings) < MAX_HEADINGS:
            meta.headings.append(text)
            if "nav" in ancestors:  # a breadcrumb's last item may be the headline, a menu's label is not
                meta.nav_headings.append(text)


def _heading_text(el: lxml_html.HtmlElement) -> str:
    """An <h1>'s headline: a leading element of its own (a kicker, a topic label, a date:
    `<h1><span>Klimaschutz</span><span>: </span><span>Bohren, bis es heiß wird</span></h1>`)
    is not part of it when the rest is the longer part; plain text is taken whole."""
    whole = _printed(el)
    children = [c for c in el if isinstance(c.tag, str) and c.tag not in _UNPRINTED]
    # Emphasis (<b>, <i>, <a>, ...) is part of the headline's own wording, not a separate block.
    if (el.text or "").strip() or not children or children[0].tag not in _KICKER_TAGS:
        return whole
    kicker = _printed(children[0]).strip()
    rest = whole.strip()[len(kicker):] if whole.strip().startswith(kicker) else ""
    rest = rest.lstrip(" :-–—|·•»\u00a0\t\n")
    if kicker and len(kicker.split()) <= KICKER_MAX_WORDS and len(rest.split()) >= 3 and len(rest) > len(kicker):
        return rest
    return whole


def _printed(el: lxml_html.HtmlElement) -> str:
    """An element's text as the page prints it: a <style> or <script> inside a heading (CSS-in-JS
    themes put one there, '.css-umyvef{font-size:16px;...}') is no part of its words."""
    if not any(n.tag in _UNPRINTED for n in el.iterdescendants() if isinstance(n.tag, str)):
        return el.text_content()
    return "".join(el.xpath(".//text()[not(ancestor::style or ancestor::script or ancestor::noscript or ancestor::template)]"))


def strip_site(title: str, sites: list[str]) -> str:
    """'Title | Site', 'Site: Title', 'Title – DW – 13.06.2023', 'Title | site.ch | Its slogan' -> 'Title'."""
    title = _strip_whole_site(title, sites)
    parts = TITLE_SEPARATORS.split(title)
    if len(parts) == 1:
        return title
    kept = list(parts)
    # What follows the site's name is the site's (a slogan, a section); so is what precedes it
    # when the name leads.
    # An organisation's name ('Berliner Leichtathletik Verband e.V.') trailing a title is the publisher's.
    cut = next((i for i in range(1, len(kept)) if _names_site(kept[i], sites) or is_organisation(kept[i])), None)
    marks = [m.group().strip() for m in TITLE_SEPARATORS.finditer(title)]
    if cut is not None:
        # 'Title | Forum | Section | Site': one separator throughout is the site's path to the page.
        # (Not when a part starts with a number: '14. - 20. Januar 2022' is a range.)
        path = cut >= 2 and len(set(marks[:cut])) == 1 and not any(p[:1].isdigit() for p in kept[1:cut])
        kept = kept[:1] if path else kept[:cut]
    while len(kept) > 1 and _is_dateish(kept[-1]):
        kept.pop()
    if len(kept) == len(parts) >= 3 and is_site(kept[0], sites) and len(set(marks)) == 1:
        kept = kept[-1:]  # 'Site » Blog » Title': the same path, leading
    while len(kept) > 1 and (_names_site(kept[0], sites) or _is_dateish(kept[0])):
        kept.pop(0)
    if len(kept) == len(parts):
        return title
    # Rejoin with the separators the title had between the kept segments.
    start = title.find(kept[0])
    end = title.rfind(kept[-1]) + len(kept[-1])
    return title[start:end].strip() if 0 <= start < end else " - ".join(kept)


def _names_site(part: str, sites: list[str]) -> bool:
    """A title's end segment that names a site: the page's own (is_site), a domain name of any
    site ('FASSETTE.NET', 'site.ch'), or a name the host spells at its start or end ("Gregory
    Szorc's Digital Home" on gregoryszorc.com, 'European Championships Munich 2022' on munich2022.com)."""
    if is_site(part, sites) or _DOMAIN.fullmatch(part.strip()):
        return True
    key = squash(part)
    labels = {label for site in sites if "." in site and " " not in site for label in host_labels(site)}
    return any(len(label) >= HOST_LABEL_MIN and (key.startswith(label) or key.endswith(label)) for label in labels)


def _strip_whole_site(title: str, sites: list[str]) -> str:
    """A site name with separators of its own ('AOC media - Analyse Opinion Critique') as one piece."""
    for site in sites:
        if len(TITLE_SEPARATORS.split(site)) < 2:
            continue
        for match in TITLE_SEPARATORS.finditer(title):
            if normalise_for_hash(title[match.end():]) == normalise_for_hash(site):
                return title[:match.start()].strip()
            if normalise_for_hash(title[:match.start()]) == normalise_for_hash(site):
                return title[match.end():].strip()
    return title


def _is_dateish(text: str) -> bool:
    return bool(re.fullmatch(r"[\d\s./:-]{6,}", text.strip()))


def choose_title(meta: PageMeta, fallback: str | None) -> tuple[str | None, str]:
    """(title, where it came from). The page's own <h1> when the page's stated titles carry
    most of its words (a stated title is often a shorter or search-engine version of it);
    else the structured headline, og:title, <title>, trafilatura's, the site's name cut off."""
    # trafilatura's title is often an <h1> itself: it cannot vouch for one.
    statements = [s for s in (meta.headline, *meta.titles) if s]
    keys = {normalise_for_hash(s) for s in statements} | \
        {normalise_for_hash(strip_site(s, meta.site_names)) for s in statements}
    headings = [h for h in meta.headings if not _trails(normalise_for_hash(h), keys, meta)]
    for heading in headings:  # an <h1> that a stated title carries whole
        key = normalise_for_hash(heading)
        if len(key) >= 4 and not is_site(heading, meta.site_names) and \
                any(key in k and len(key) >= 0.5 * len(k) for k in keys):
            return strip_site(heading, meta.site_names), "h1"
    for heading in headings:  # an <h1> with a kicker before the stated title ('Covid-19: ...')
        key = normalise_for_hash(heading)
        for statement in statements:
            core = strip_site(statement, meta.site_names)
            if len(core) >= 12 and normalise_for_hash(core) in key and key.endswith(normalise_for_hash(core)):
                return core, "h1 ending"
    stated = [set(_WORD.findall(normalise_for_hash(strip_site(s, meta.site_names)))) for s in statements]
    best, best_share = None, 0.0
    for heading in headings:
        words = set(_WORD.findall(normalise_for_hash(heading)))
        if not words or is_site(heading, meta.site_names):
            continue
        # Both ways: a section name ('Press releases') is in the <title> too, but is not most of it.
        share = max((min(len(words & s) / len(words), len(words & s) / len(s)) for s in stated if s), default=0.0)
        if share > best_share:
            best, best_share = heading, share
    if best is not None and best_share >= HEADING_OVERLAP:
        return strip_site(best, meta.site_names), "h1"
    own = _own_heading(meta, statements)
    if own is not None:
        return own, "h1 own"
    sources = [("json-ld headline", meta.headline), *(("og/title", t) for t in meta.titles),
               ("trafilatura", fallback)]
    for source, value in sources:
        if value and not is_site(value, meta.site_names):
            return strip_site(value, meta.site_names), source
    return fallback, "trafilatura"


def _trails(heading: str, titles: set[str], meta: PageMeta) -> bool:
    """The <h1> comes after another <h1> of the page in the stated titles: 'Kleine Schafskunde |
    Mäscot das Schaf – Webcomic' with both as <h1>s makes the second the site's own heading
    (a single word before it, 'Fachmeldungen - ...', is a section, not a competing headline)."""
    if heading in titles:  # a title states it alone: it is the headline, wherever else it stands
        return False
    others = [normalise_for_hash(h) for h in meta.headings]
    for title in (t for t in titles if heading in t):
        before = title[:title.find(heading)]
        if any(o != heading and o in before and len(_WORD.findall(o)) >= 2 and not is_site(o, meta.site_names)
               for o in others):
            return True
    return False


def _own_heading(meta: PageMeta, statements: list[str]) -> str | None:
    """The page's one <h1> that reads as a headline though no stated title agrees with it (the
    <title> is then a search-engine version): not the site's name, not a section's (a part of
    a stated title other than its start: 'Kultur | Literatur | ...'), two words at least. Not
    when the article item states its headline (that is the publisher's own word), nor when
    several <h1>s qualify (teasers, boxes: which one is the article's is not known)."""
    if meta.headline:
        return None
    stated = [normalise_for_hash(s) for s in statements]
    furniture = _cut_parts(statements, meta.site_names)
    found: dict[str, str] = {}
    site_words = {w for site in meta.site_names for w in _WORD.findall(normalise_for_hash(site))}
    for heading in meta.headings:
        key = normalise_for_hash(heading)
        if len(_WORD.findall(key)) < 2 or is_site(heading, meta.site_names) or heading in meta.nav_headings:
            continue
        if any(key in s and not s.startswith(key) for s in stated):
            continue
        # Led by a part the titles cut as the site's or a section's, it is their heading
        # ('ProNATs e.V. Verein zur ...' for '... » ProNATs e.V.', 'OutdoorNews | Eintrag' for
        # 'site - Outdoornews - ...'); the site's name inside a headline is the headline's.
        if any(re.match(rf"{re.escape(part)}(?!\w)", key) for part in furniture):
            continue
        # Made of the site name's words ('O Opinion' under 'AOC media - Analyse Opinion Critique'): its logo line.
        words = {w for w in _WORD.findall(key) if len(w) >= 3}
        if words and words <= site_words:
            continue
        found.setdefault(key, heading)
    return strip_site(next(iter(found.values())), meta.site_names) if len(found) == 1 else None


def _cut_parts(statements: list[str], sites: list[str]) -> set[str]:
    """The parts of the stated titles that strip_site cuts (site names, slogans, sections)."""
    parts: set[str] = set()
    for statement in statements:
        core = normalise_for_hash(strip_site(statement, sites))
        for part in TITLE_SEPARATORS.split(statement):
            key = normalise_for_hash(part)
            if len(key) >= 4 and key not in core and not _is_dateish(part):
                parts.add(key)
    return parts


# -- authors ----------------------------------------------------------------------------------
def _read_authors(meta: PageMeta, article: dict | None, graph: dict, tree: lxml_html.HtmlElement) -> None:
    """The article item's people, else the page's visible byline (pipeline/clean/bylines.py),
    else a <meta> author; trafilatura's guess is html.py's last resort."""
    handles: tuple[list[str], str] | None = None
    for read in (_structured_authors, _visible_authors, _meta_authors):
        names, source = read(article, graph, tree)
        people = clean_authors(names, meta.site_names)
        if people and not any(looks_like_name(p) for p in people) and handles is None:
            # Only user names ('admin', 'jdoe'): the CMS account, kept unless a later source
            # names the person in full.
            handles = people, source
            continue
        if people and (handles is None or any(looks_like_name(p) for p in people)):
            if source == "structured":  # the visible byline may name the same people and more
                shown, shown_source = _visible_authors(article, graph, tree)
                more = clean_authors(shown, meta.site_names)
                if people_keys(more) > people_keys(people):
                    people, source = more, shown_source
            meta.authors = people
            meta.source["authors"] = source
            return
    if handles is not None:
        meta.authors, meta.source["authors"] = handles
        return
    stated = _stated_organisations(article, graph["ids"], meta.site_names)
    if stated:
        meta.authors, meta.source["authors"] = stated, "structured organisation"


def _stated_organisations(article: dict | None, ids: dict[str, dict], sites: list[str]) -> list[str]:
    """An `Organization` the article item states as its author when no person is named anywhere
    on the page: an agency or a desk that is not the publisher ('Agence France-Presse',
    'Redaktion Gelbe Liste Pharmindex') wrote the text. The publisher's or site's own name, in
    any form the page states it, is not an author (that is the page's owner, not a byline)."""
    out: list[str] = []
    for stated in (_as_list(article.get("author")) + _as_list(article.get("creator"))) if article else []:
        node = _resolve(stated, ids)
        if not isinstance(node, dict) or not any(k in _ORGANISATION_TYPES for k in item_types(node)):
            continue
        name = _text(node.get("name"))
        if name and not is_site(name, sites) and not _URLISH.search(name) and name not in out:
            out.append(name)
    return out[:MAX_AUTHORS]


def _site_as_author(article: dict | None, graph: dict, sites: list[str]) -> list[str]:
    """The site or its publisher, where the page's own author statement names it (the article
    item's author of any type, `<meta name=author>` and the like: `Deutscher Tennis Bund`,
    `przepisy.pl`): no person wrote it by the page's word. html.py takes it only when no person,
    user name or other organisation is found."""
    stated = [_resolve(a, graph["ids"]) for a in
              (_as_list(article.get("author")) + _as_list(article.get("creator")) if article else [])]
    stated += [graph["meta"].get(k) or graph["og"].get(k) for k in _META_AUTHOR_KEYS]
    for value in stated:
        name = _text(value.get("name")) if isinstance(value, dict) else _text(value)
        if name and len(name) <= 60 and "@" not in name and is_site(name, sites):
            return [name]
    return []


def _visible_authors(article: dict | None, graph: dict, tree: lxml_html.HtmlElement) -> tuple[list[str], str]:
    names, source = page_bylines(tree)
    return names, source or "byline"


def _meta_authors(article: dict | None, graph: dict, tree: lxml_html.HtmlElement) -> tuple[list[str], str]:
    for key in _META_AUTHOR_KEYS:
        value = graph["meta"].get(key) or graph["og"].get(key)
        if value:
            return [value], f"meta {key}"
    return [], "meta"


def _structured_authors(article: dict | None, graph: dict, tree: lxml_html.HtmlElement) -> tuple[list[str], str]:
    names: list[str] = []
    for stated in (_as_list(article.get("author")) + _as_list(article.get("creator"))) if article else []:
        person = _resolve(stated, graph["ids"])
        if isinstance(person, dict):
            kinds = item_types(person)
            # ["Person", "Organization"] (a one-person site's Yoast graph) is the person.
            if "Person" not in kinds and any(k in _ORGANISATION_TYPES for k in kinds):
                continue
            if "@id" in person and not person.get("name"):
                continue  # a reference to nothing on the page
            name = _text(person.get("name"))
        else:
            name = _text(person)
        if name:
            names.append(name)
    return names, "structured"


def _as_list(value: object) -> list:
    return value if isinstance(value, list) else [value] if value else []


def clean_authors(names: list[str], sites: list[str]) -> list[str]:
    """People, one each: split 'A and B', drop URLs, slugs, the site's and publisher's names."""
    out: list[str] = []
    keys: set[str] = set()
    # 'Matthew Davis's Blog': the site's owner is a person, the author of their own pages.
    owners = {squash(m.group(1)) for m in (_POSSESSIVE.match(s) for s in sites) if m}
    for raw in (html_lib.unescape(n) for n in names):  # 'O&#8217;Donnell': '&' and ';' are no separators there
        if is_organisation(raw):  # before splitting: 'Caritasverband e. V.' holds no ' e ' (and)
            continue
        raw = _before_outlet(raw, sites)
        if not raw:
            continue
        taken = False  # a person already read from this byline
        for part in split_people(strip_site(raw, sites)):  # 'unocero - Alberto Ávila'
            name = _BY_PREFIX.sub("", part).strip(" ,.;:|-–—")
            if not name or _URLISH.search(name) or "@" in name or len(name) > 60:
                continue
            if (is_site(name, sites, whole=True) and squash(name) not in owners) or not any(c.isalpha() for c in name) \
                    or is_organisation(name):
                if taken:  # 'By A, BBC News, New York': after the person's outlet comes a place
                    break
                continue
            key = squash(name.replace("-", " ").replace("_", " "))
            # 'emma-mackenzie' is Emma Mackenzie's profile slug: the same person once.
            if key in keys or (name == name.lower() and ("-" in name or "_" in name) and key in keys):
                continue
            keys.add(key)
            out.append(name)
            taken = True
            if len(out) >= MAX_AUTHORS:
                return _drop_slugs(out)
    return _drop_slugs(out)


def _before_outlet(byline: str, sites: list[str]) -> str:
    """A list's part that is the site, an organisation or an address ends it: 'Rob Picheta, CNN'
    is Rob Picheta; one that leads it is no byline but the outlet's address ('hessenschau.de,
    Frankfurt, Germany', 'Olympia-Verlag GmbH, Nürnberg, Germany': places are no people),
    unless a full name follows it."""
    pieces = [p.strip() for p in re.split(r"[,;]", byline)]
    if len(pieces) < 2:
        return byline
    outlet = [is_site(p, sites, whole=True) or is_organisation(p) or bool(_URLISH.search(p)) for p in pieces]
    if outlet[0]:
        return byline if any(looks_like_name(p) for p in pieces[1:]) else ""
    cut = next((i for i, is_outlet in enumerate(outlet) if is_outlet), None)
    if cut is None:
        return byline
    return byline[:byline.find(pieces[cut - 1]) + len(pieces[cut - 1])]


def split_people(text: str) -> list[str]:
    """A byline's names one by one: split at ";", "&" and the word "and" in several languages,
    and at commas between full names ("John Smith, Jane Doe"), not in "Smith, John"."""
    parts = [p for p in _AUTHOR_SPLIT.split(text) if p.strip()]
    split: list[str] = []
    for part in parts:
        pieces = [p.strip() for p in part.split(",") if p.strip()]
        # "Smith, John" is one person; "John Smith, Jane Doe" are two.
        if len(pieces) > 1 and all(len(p.split()) >= 2 for p in pieces):
            split.extend(pieces)
        else:
            split.append(part.strip())
    return split


def _drop_slugs(names: list[str]) -> list[str]:
    """A lower-case, hyphenated name that repeats another (a profile URL's slug) goes."""
    keys = {squash(n) for n in names if not _is_slug(n)}
    return [n for n in names if not (_is_slug(n) and squash(n.replace("-", " ")) in keys)]


def _is_slug(name: str) -> bool:
    return " " not in name and ("-" in name or "_" in name)


# -- publication time -------------------------------------------------------------------------
def _read_published(meta: PageMeta, article: dict | None, items: list[dict], tree: lxml_html.HtmlElement) -> None:
    meta.stamps = stated_stamps(article, items, tree)
    first = next((s for s in meta.stamps if s.strong), None)
    if first is not None:
        meta.published, meta.published_has_time = first.when, first.has_time
        meta.source["published"] = first.source
