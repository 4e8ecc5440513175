"""Extraction benchmark: trafilatura alone vs newsmon (trafilatura + clean stage), side by side.

Data: ../shared/eval/trafilatura (990 annotated pages, read in place, never copied).
Scoring as upstream: collapse whitespace, then substring tests per page; a "with" snippet
found is a TP, missing an FN; a "without" snippet found is an FP.

Two body measures beside the snippets' P/R/F1 (docs/extraction.md, "Measured"):

- caption leak: the share of the output's words that are a photo caption of the page, known from
  the page's own markup: the text of a <figcaption>, of an element whose class names a caption
  ("wp-caption-text", "image-caption" ...) or whose itemprop is "caption", a JSON-LD `caption`,
  an image's `alt` or `title`; of 3 words or more, not text the gold says is the article's (a
  "with" snippet) and not printed as the page's own paragraphs or headings. Column `caption`
  counts them all; column `cap.ind` only those the page states by JSON-LD or an image's alt or
  title and not as the text of a caption element, which the clean stage's structure rules
  (figure, figcaption, caption class and itemprop) do not read, so it judges those rules from
  independent evidence. `cap.gold` is the share of the gold's own
  "without" snippets that lie in a known caption and are found in the output;
- non-article text: on the pages whose JSON-LD states an `articleBody` that holds every gold
  "with" snippet (the publisher's own full text, vouched for by the gold), the share of the
  output's words that are not in it (word counts compared as multisets).

Metadata, where the gold has it: title exact match (after `normalise_for_hash`: case, quotes,
dashes, whitespace), author match (the same set of names, each compared without case,
accents, punctuation, a leading "By" or academic titles: `author_names`), publication day
(in the page's own zone), and the share of pages that keep a time of day (the gold has days
only).

The pages are split in two halves by publisher host (a host's pages all fall in one half):
rules are tuned on half A and checked on half B, and each half is reported for English and
other languages apart (the language of the gold's own text snippets).

    .venv/bin/python benchmarks/extraction_eval.py            # all 990 pages
    .venv/bin/python benchmarks/extraction_eval.py --subset 150
    .venv/bin/python benchmarks/extraction_eval.py --half A --show-misses fp
"""

from __future__ import annotations

import argparse
import collections
import dataclasses
import hashlib
import json
import re
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))
from pipeline.extract.entity_eval import Score as Counts  # noqa: E402  (the project root on the path first)

DATA_DIR = PROJECT_ROOT.parent / "shared" / "eval" / "trafilatura"
WHITESPACE = re.compile(r"\s+")
_HOST = re.compile(r"[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}")
_TOKEN = re.compile(r"\w+")
CAPTION_MIN_WORDS = 3  # a shorter caption ('Foto: dpa') is too likely to match article text by chance
CAPTION_MAX_CHARS = 600  # a longer "caption" element is a container the class names loosely
REFERENCE_MIN_WORDS = 30
_AUTHOR_SEPARATORS = re.compile(r"\s*(?:[;,&/]|\s(?:and|und|y|et|e|i)\s)\s*", re.IGNORECASE)
# "By", "von", "par" ... opening a byline
BY_WORD = re.compile(r"^(?:by|von|vom|par|por|door|av|af)\s*:?\s+", re.IGNORECASE)
_TITLES = re.compile(r"^(?:(?:dr|prof|mag|dipl|ing)\.?(?:-\w+\.?)?\s+)+", re.IGNORECASE)


@dataclass
class Extracted:
    """What one extractor made of one page: the body and, when it reads them, metadata."""

    body: str = ""
    title: str | None = None
    author: str | None = None
    day: str | None = None  # YYYY-MM-DD in the page's own zone
    time: str | None = None  # HH:MM when a time of day was kept (00:00 counts as none)


@dataclass
class Field:
    hits: int = 0
    total: int = 0

    @property
    def share(self) -> float:
        return self.hits / self.total if self.total else 0.0


@dataclass
class Score(Counts):
    """Precision, recall and F1 from entity_eval's Score (one formula for both evaluations)."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    seconds: float = 0.0
    pages: int = 0
    misses: list[tuple[str, str, str]] = field(default_factory=list)  # (page, "fp"|"fn", snippet)
    title: Field = field(default_factory=Field)
    author: Field = field(default_factory=Field)
    date: Field = field(default_factory=Field)
    time: Field = field(default_factory=Field)  # pages with a time kept, of pages with a day
    caption: Field = field(default_factory=Field)  # output words that are a page's caption, of output words
    caption_independent: Field = field(default_factory=Field)  # the same, captions stated outside figures
    caption_gold: Field = field(default_factory=Field)  # gold caption snippets found, of those snippets
    non_article: Field = field(default_factory=Field)  # output words not in the vouched articleBody
    reference_pages: int = 0  # pages with a vouched articleBody (the non-article measure's pages)
    meta_misses: list[tuple[str, str, str, str]] = field(default_factory=list)  # (page, field, gold, got)

    @property
    def pages_per_second(self) -> float:
        return self.pages / self.seconds if self.seconds else 0.0


def page_host(entry: dict) -> str:
    """The publisher's host: web.archive.org copies count as the archived site's."""
    url = entry.get("url") or entry.get("file") or ""
    inner = re.search(r"/web/\d+[a-z_]*/(.+)$", url)
    url = inner.group(1) if inner else url
    host = urlsplit(url).hostname
    if not host:
        found = _HOST.search(url.lower())
        host = found.group(0) if found else url
    return host.removeprefix("www.")


def half_of(entry: dict) -> str:
    """'A' (tuned on) or 'B' (held out), fixed by a hash of the host."""
    return "AB"[hashlib.sha256(page_host(entry).encode()).digest()[0] % 2]


def language_of(entry: dict) -> str:
    """'en' or 'other', from the gold's own text snippets (not from any extractor's output)."""
    from pipeline.clean.language import identify

    if "_language" not in entry:
        entry["_language"] = "en" if identify(" ".join(entry["with"])) == "en" else "other"
    return entry["_language"]


def load_pages(data_dir: Path = DATA_DIR, subset: int | None = None, half: str | None = None
               ) -> dict[str, dict]:
    """{file name: entry with url/with/without}; `subset` takes an evenly spread sample,
    `half` ('A' or 'B') keeps one host half."""
    entries = json.loads((data_dir / "evaldata_full.json").read_text(encoding="utf-8"))
    names = sorted(n for n in entries if half is None or half_of(entries[n]) == half)
    if subset and subset < len(names):
        step = len(names) / subset
        names = [names[int(i * step)] for i in range(subset)]
    return {n: entries[n] for n in names}


@dataclass
class PageReference:
    """What the page itself says is not article text (captions) and, where it gives one that
    the gold vouches for, its full article text (JSON-LD articleBody); read once per page."""

    captions: list[str] = field(default_factory=list)  # normalised, longest first
    independent: list[str] = field(default_factory=list)  # those stated only by JSON-LD, alt or title
    gold_captions: list[str] = field(default_factory=list)  # gold "without" snippets inside a caption
    body_words: collections.Counter[str] | None = None


def page_reference(entry: dict, name: str, data_dir: Path = DATA_DIR) -> PageReference:
    if "_reference" not in entry:
        entry["_reference"] = read_reference(entry, read_page(data_dir, name))
    return entry["_reference"]


def read_reference(entry: dict, raw: bytes) -> PageReference:
    from lxml import html as lxml_html

    from pipeline.text import normalise_for_hash

    try:
        tree = lxml_html.fromstring(raw)
    except (ValueError, lxml_html.etree.ParserError):
        return PageReference()
    gold = [normalise_for_hash(s) for s in entry["with"]]
    printed = _printed_text(tree)
    by_element: set[str] = set()
    captions: set[str] = set()
    for text, element in _caption_candidates(tree):
        text = normalise_for_hash(text)
        if len(text.split()) < CAPTION_MIN_WORDS or len(text) > CAPTION_MAX_CHARS or \
                any(g in text or text in g for g in gold):
            continue
        if not element and text in printed:  # an alt or stated caption the page prints as its text
            continue
        captions.add(text)
        if element:
            by_element.add(text)
    ordered = sorted(captions, key=len, reverse=True)
    without = [normalise_for_hash(s) for s in entry["without"]]
    return PageReference(captions=ordered, independent=[c for c in ordered if c not in by_element],
                         gold_captions=[w for w in without if w and any(w in c for c in ordered)],
                         body_words=_vouched_body(tree, gold))


def _caption_candidates(tree) -> Iterator[tuple[str, bool]]:  # noqa: ANN001 - lxml tree
    """(caption text, whether it is the text of a caption element) from every place a page
    states one: figcaption, caption classes and itemprop, JSON-LD `caption`, image alt/title."""
    for el in tree.iter():
        if not isinstance(el.tag, str):
            continue
        if el.tag == "figcaption" or _is_caption(el):
            yield el.text_content() or "", True
        if el.tag == "img":
            for attr in ("alt", "title"):
                if el.get(attr):
                    yield el.get(attr), False
        if el.tag == "script" and (el.get("type") or "").strip().lower() == "application/ld+json" and el.text:
            try:
                yield from ((c, False) for c in _stated_captions(json.loads(el.text, strict=False)))
            except ValueError:
                continue


def _in_figure(el) -> bool:  # noqa: ANN001 - lxml element
    return any(a.tag in ("figure", "figcaption") for a in el.iterancestors())


def _printed_text(tree) -> str:  # noqa: ANN001 - lxml tree
    """The page's paragraphs and headings outside captions, normalised, joined."""
    from pipeline.text import normalise_for_hash

    parts = [normalise_for_hash(el.text_content() or "")
             for el in tree.iter("p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "title")
             if not _is_caption(el) and not _in_figure(el) and not any(_is_caption(a) for a in el.iterancestors())]
    return " | ".join(parts)


def _stated_captions(node: object, depth: int = 0) -> list[str]:
    if depth > 8:
        return []
    if isinstance(node, list):
        return [c for n in node for c in _stated_captions(n, depth + 1)]
    if not isinstance(node, dict):
        return []
    found = [node["caption"]] if isinstance(node.get("caption"), str) else []
    return found + [c for v in node.values() if isinstance(v, dict | list) for c in _stated_captions(v, depth + 1)]


def _is_caption(el) -> bool:  # noqa: ANN001 - lxml element
    if el.tag == "figcaption" or (el.get("itemprop") or "").strip().lower() == "caption":
        return True
    return any("caption" in c for c in (el.get("class") or "").lower().split())


def _vouched_body(tree, gold: list[str]) -> collections.Counter[str] | None:  # noqa: ANN001 - lxml tree
    """The words of a JSON-LD articleBody that holds every gold "with" snippet, else None."""
    from lxml import html as lxml_html

    from pipeline.text import normalise_for_hash

    for body in _stated_bodies(tree):
        if "<" in body:  # some publishers state the body as HTML
            try:
                body = lxml_html.fromstring(body).text_content()
            except (ValueError, lxml_html.etree.ParserError):
                continue
        norm = normalise_for_hash(body)
        if len(norm.split()) >= REFERENCE_MIN_WORDS and all(g in norm for g in gold):
            return collections.Counter(_TOKEN.findall(norm))
    return None


def _stated_bodies(tree) -> Iterator[str]:  # noqa: ANN001 - lxml tree
    """JSON-LD articleBody strings, then the text of microdata itemprop="articleBody" elements."""
    for script in tree.iter("script"):
        if (script.get("type") or "").strip().lower() == "application/ld+json" and script.text:
            try:
                yield from _article_bodies(json.loads(script.text, strict=False))
            except ValueError:
                continue
    for el in tree.iter():
        if isinstance(el.tag, str) and "articlebody" in (el.get("itemprop") or "").lower().split():
            yield _visible_text(el)


def _visible_text(el) -> str:  # noqa: ANN001 - lxml element
    parts = []
    for node in el.iter():
        if isinstance(node.tag, str) and node.tag not in ("script", "style", "noscript") and node.text:
            parts.append(node.text)
        if node is not el and node.tail:
            parts.append(node.tail)
    return " ".join(parts)


def _article_bodies(node: object, depth: int = 0) -> list[str]:
    if depth > 6:
        return []
    if isinstance(node, list):
        return [b for n in node for b in _article_bodies(n, depth + 1)]
    if not isinstance(node, dict):
        return []
    found = [node["articleBody"]] if isinstance(node.get("articleBody"), str) else []
    return found + [b for v in node.values() if isinstance(v, dict | list) for b in _article_bodies(v, depth + 1)]


def _score_body_text(result: Score, text: str, ref: PageReference) -> None:
    """Caption words and non-article words of one page's output."""
    from pipeline.text import normalise_for_hash

    norm = normalise_for_hash(text)
    words = _TOKEN.findall(norm)
    for tally, captions in ((result.caption, ref.captions), (result.caption_independent, ref.independent)):
        tally.total += len(words)
        rest = norm
        for caption in captions:  # longest first; a found caption is blanked so a part of it counts once
            if caption in rest:
                tally.hits += len(_TOKEN.findall(caption))
                rest = rest.replace(caption, " | ")
    result.caption_gold.total += len(ref.gold_captions)
    result.caption_gold.hits += sum(snippet in norm for snippet in ref.gold_captions)
    if ref.body_words is not None:
        result.reference_pages += 1
        result.non_article.total += len(words)
        result.non_article.hits += sum((collections.Counter(words) - ref.body_words).values())


def norm_title(text: str | None) -> str:
    """A title as titles are compared: normalised as for the content hash."""
    from pipeline.text import normalise_for_hash

    return normalise_for_hash(text or "")


def author_names(text: str | list[str] | None) -> frozenset[str]:
    """The set of names an author field holds, each as a key that ignores how it is written:
    case, accents, punctuation and spacing ('Günter W. Kienitz' ~ 'Gunter W Kienitz',
    'Isabella.DiBiase' ~ 'Isabella DiBiase'), a leading 'By'/'Von'/'Par'... ('Von Roland
    Brockmann und Sebastian Drescher' is two names) and academic titles ('Dr. Tim Loppe').
    Gold and extractor go through the same function; what a name *is* (a person, a desk, a
    user name) is not judged here."""
    if isinstance(text, list):  # a few gold entries list their authors
        text = "; ".join(text)
    keys = (_name_key(p) for p in _AUTHOR_SEPARATORS.split(BY_WORD.sub("", (text or "").strip())))
    return frozenset(k for k in keys if k)


def _name_key(name: str) -> str:
    import unicodedata

    name = _TITLES.sub("", BY_WORD.sub("", name.strip()))
    folded = unicodedata.normalize("NFKD", name.casefold())
    return "".join(c for c in folded if c.isalnum())


def score(texts: dict[str, str | Extracted], pages: dict[str, dict], data_dir: Path = DATA_DIR) -> Score:
    result = Score()
    for name, entry in pages.items():
        got = texts.get(name)
        got = got if isinstance(got, Extracted) else Extracted(body=got or "")
        text = WHITESPACE.sub(" ", got.body or "").strip()
        for snippet in entry["with"]:
            if WHITESPACE.sub(" ", snippet).strip() in text:
                result.tp += 1
            else:
                result.fn += 1
                result.misses.append((name, "fn", snippet))
        for snippet in entry["without"]:
            if WHITESPACE.sub(" ", snippet).strip() in text:
                result.fp += 1
                result.misses.append((name, "fp", snippet))
        _score_body_text(result, got.body or "", page_reference(entry, name, data_dir))
        _score_metadata(result, name, entry, got)
    return result


def _score_metadata(result: Score, name: str, entry: dict, got: Extracted) -> None:
    checks = (("title", entry.get("title"), got.title, norm_title(entry.get("title")) == norm_title(got.title)),
              ("author", entry.get("author"), got.author, author_names(entry.get("author")) == author_names(got.author)),
              ("date", entry.get("date"), got.day, (entry.get("date") or "")[:10] == got.day))
    for label, gold, value, ok in checks:
        if not gold:
            continue
        tally = getattr(result, label)
        tally.total += 1
        tally.hits += ok
        if not ok:
            result.meta_misses.append((name, label, str(gold), value or ""))
    if got.day:
        result.time.total += 1
        result.time.hits += got.time is not None


def _day_time(value) -> tuple[str | None, str | None]:  # noqa: ANN001 - datetime or ISO text
    from datetime import datetime

    if value is None or value == "":
        return None, None
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            return value[:10], None
    hhmm = value.strftime("%H:%M")
    return value.strftime("%Y-%m-%d"), (None if hhmm == "00:00" else hhmm)


def read_page(data_dir: Path, name: str) -> bytes:
    return (data_dir / "html" / name).read_bytes()


def run_trafilatura(pages: dict[str, dict], data_dir: Path = DATA_DIR) -> tuple[dict[str, Extracted], float]:
    """Upstream's call: raw bytes in, plain text out, no comments, tables kept."""
    import trafilatura

    texts: dict[str, Extracted] = {}
    start = time.perf_counter()
    for name, entry in pages.items():
        texts[name] = Extracted(body=trafilatura.extract(read_page(data_dir, name), url=entry.get("url"),
                                                         include_comments=False, include_tables=True) or "")
    return texts, time.perf_counter() - start


def run_trafilatura_metadata(pages: dict[str, dict], data_dir: Path = DATA_DIR
                             ) -> tuple[dict[str, Extracted], float]:
    """trafilatura's own metadata (title, author, date) with its text, without the clean stage."""
    import trafilatura

    texts: dict[str, Extracted] = {}
    start = time.perf_counter()
    for name, entry in pages.items():
        out = trafilatura.extract(read_page(data_dir, name), url=entry.get("url"), output_format="json",
                                  with_metadata=True, include_comments=False, include_tables=True)
        data = json.loads(out) if out else {}
        day, hhmm = _day_time(data.get("date"))
        texts[name] = Extracted(body=data.get("text") or "", title=data.get("title"), author=data.get("author"),
                                day=day, time=hhmm)
    return texts, time.perf_counter() - start


def run_htmldate(pages: dict[str, dict], data_dir: Path = DATA_DIR) -> tuple[dict[str, Extracted], float]:
    """htmldate alone (original date, extensive search, with the time when the page gives one)."""
    from htmldate import find_date

    texts: dict[str, Extracted] = {}
    start = time.perf_counter()
    for name, entry in pages.items():
        found = find_date(read_page(data_dir, name), url=entry.get("url"), original_date=True,
                          outputformat="%Y-%m-%dT%H:%M:%S%z")
        texts[name] = Extracted(day=found[:10] if found else None,
                                time=_day_time(found)[1] if found else None)
    return texts, time.perf_counter() - start


def read_documents(pages: dict[str, dict], data_dir: Path, settings) -> tuple[list, dict[str, str]]:  # noqa: ANN001 - Settings
    """The pages as ingest reads them (HTML, with the gold's URL), and {doc id: page name};
    a page ingest refuses is left out."""
    from pipeline.errors import InputError
    from pipeline.ingest.files import read_document

    docs, names = [], {}
    for name, entry in pages.items():
        try:
            doc = read_document(data_dir / "html" / name, settings, run_id="eval")
        except InputError:
            continue
        doc = dataclasses.replace(doc, url=entry.get("url"), content_type="text/html")
        docs.append(doc)
        names[doc.doc_id] = name
    return docs, names


def run_newsmon(pages: dict[str, dict], data_dir: Path = DATA_DIR) -> tuple[dict[str, Extracted], float]:
    """The pipeline's own path: ingest's reader decodes the file, the clean stage extracts and cleans."""
    from pipeline.clean import clean_documents
    from pipeline.settings import Settings

    settings = Settings()
    start = time.perf_counter()
    docs, names = read_documents(pages, data_dir, settings)
    out = clean_documents(docs, settings, run_id="eval")
    elapsed = time.perf_counter() - start
    return {names[a.article_id]: _newsmon_extracted(a) for a in out.articles}, elapsed


def local_day_time(published_at, offset_minutes: int | None) -> tuple[str | None, str | None]:  # noqa: ANN001
    """The publisher's own day and HH:MM of a UTC time and its stated offset."""
    from datetime import timedelta

    if published_at is not None and offset_minutes is not None:
        published_at = published_at + timedelta(minutes=offset_minutes)
    return _day_time(published_at)


def _newsmon_extracted(article) -> Extracted:  # noqa: ANN001 - pipeline.records.Article
    day, hhmm = local_day_time(article.published_at, getattr(article, "published_offset_minutes", None))
    return Extracted(body=article.body, title=article.title, author=article.byline, day=day, time=hhmm)


def evaluate(runner: Callable[..., tuple[dict[str, Extracted], float]], pages: dict[str, dict],
             data_dir: Path = DATA_DIR) -> Score:
    texts, seconds = runner(pages, data_dir)
    result = score(texts, pages, data_dir)
    result.seconds, result.pages = seconds, len(pages)
    return result


# (label, runner, scores the body, scores title and author, scores the date)
RUNNERS = (("trafilatura alone", run_trafilatura, True, False, False),
           ("trafilatura json+metadata", run_trafilatura_metadata, True, True, True),
           ("htmldate (date only)", run_htmldate, False, False, True),
           ("newsmon", run_newsmon, True, True, True))


def score_cell(f: Field, shown: bool = True) -> str:
    """One table cell: the share and its hits/total, or a dash."""
    return f"{f.share:5.3f} ({f.hits:>3}/{f.total:<3})" if f.total and shown else f"{'-':>15}"


def report(pages: dict[str, dict], data_dir: Path, show: str | None = None, only: str | None = None,
           save_bodies: Path | None = None) -> list[tuple[str, str, Score]]:
    """Run every extractor once over all pages; print one row per extractor and group."""
    groups: dict[str, dict[str, dict]] = {}
    for name, entry in pages.items():
        key = f"{half_of(entry)} {language_of(entry)}"
        groups.setdefault(key, {})[name] = entry
    order = [g for g in ("A en", "A other", "B en", "B other") if g in groups]
    rows: list[tuple[str, str, Score]] = []
    print(f"{'extractor':<26} {'half lang':<9} {'pages':>5} {'P':>6} {'R':>6} {'F1':>6} {'caption':>7} {'cap.ind':>7} "
          f"{'cap.gold':>12} {'non-article':>12} {'title exact':>15} {'author':>15} {'date (day)':>15} {'time kept':>15} {'pages/s':>8}")
    for label, runner, has_body, has_meta, has_date in RUNNERS:
        if only and not any(label.startswith(o.strip()) for o in only.split(",")):
            continue
        texts, seconds = runner(pages, data_dir)
        if save_bodies and has_body:  # for benchmarks/body_endings.py
            # newsmon's to the path given, another extractor's beside it ('x.trafilatura-alone.json')
            path = save_bodies if label == "newsmon" else \
                save_bodies.with_suffix(f".{re.sub(r'[^a-z0-9]+', '-', label.lower())}.json")
            path.write_text(json.dumps({n: t.body for n, t in texts.items()}, ensure_ascii=False), encoding="utf-8")
        for group in [*order, "A", "B", "all"]:
            names = {n: e for n, e in pages.items() if group == "all" or
                     f"{half_of(e)} {language_of(e)}" == group or (len(group) == 1 and half_of(e) == group)}
            s = score(texts, names, data_dir)
            s.pages = len(names)
            s.seconds = seconds * len(names) / len(pages)
            rows.append((label, group, s))
            body = (f"{s.precision:6.3f} {s.recall:6.3f} {s.f1:6.3f} {s.caption.share:7.3f} "
                    f"{s.caption_independent.share:7.3f} {s.caption_gold.share:5.3f} ({s.caption_gold.total:>4}) "
                    f"{s.non_article.share:5.3f} ({s.reference_pages:>3}) " if has_body else
                    f"{'-':>6} {'-':>6} {'-':>6} {'-':>7} {'-':>7} {'-':>12} {'-':>12} ")
            print(f"{label:<26} {group:<9} {s.pages:5d} {body}{score_cell(s.title, has_meta)} "
                  f"{score_cell(s.author, has_meta)} {score_cell(s.date, has_date)} {score_cell(s.time, has_date)} "
                  f"{s.pages_per_second:8.1f}")
    if show:
        every = next(s for label, group, s in rows if label == "newsmon" and group == "all")
        for page, kind, snippet in every.misses:
            if kind == show:
                print(f"  {kind} {page}: {snippet[:100]!r}")
        for page, name, gold, got in every.meta_misses:
            if name == show:
                print(f"  {name} {page}: gold {gold[:70]!r} got {got[:70]!r}")
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA_DIR)
    parser.add_argument("--subset", type=int, help="evenly spread sample of N pages")
    parser.add_argument("--half", choices=["A", "B"], help="only one host half (A: tuned on, B: held out)")
    parser.add_argument("--only", help="run only the extractors whose label starts with this (comma-separated: 'newsmon,trafilatura alone')")
    parser.add_argument("--show-misses", choices=["fp", "fn", "title", "author", "date"],
                        help="list newsmon's misses of one kind")
    parser.add_argument("--save-bodies", type=Path, help="write newsmon's bodies to this JSON file (other extractors' beside it)")
    args = parser.parse_args(argv)
    if not (args.data / "evaldata_full.json").is_file():
        print(f"no evaluation data at {args.data}", file=sys.stderr)
        return 2
    pages = load_pages(args.data, args.subset, args.half)
    n_with = sum(len(e["with"]) for e in pages.values())
    n_without = sum(len(e["without"]) for e in pages.values())
    print(f"{len(pages)} pages, {n_with} text & {n_without} boilerplate snippets ({args.data}); "
          "half A tuned on, B held out (split by host)")
    report(pages, args.data, args.show_misses, args.only, args.save_bodies)
    return 0


if __name__ == "__main__":
    sys.exit(main())
