"""A realistic benchmark corpus built from the seeds and the trafilatura evaluation pages.

Articles are written as files the way newsmon meets them:
- real web pages (HTML from ../shared/eval/trafilatura/html), each used once;
- text articles whose paragraphs are composed from sentences of neighbouring pool paragraphs
  (mostly one page, so one language), with a title, a publisher suffix, a dateline and the
  publisher's own boilerplate footer (so the learned recurring-line signal has something to
  learn). Composing, not copying, matters at scale: with 16k pool paragraphs, 100k articles
  would repeat each paragraph ~45 times, so whole paragraphs would recur across a publisher's
  articles (read as furniture by the recurring-line signal) and a short page's entire text
  would sit inside unrelated articles (a true containment duplicate, spoiling the ground truth);
- planted duplicates of earlier articles: exact copies, a different footer and title suffix,
  truncated copies and typographic variants. Their ids are returned for scoring.
The paragraph pool is extracted once and cached under .benchmarks/ (gitignored).
"""

from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EVAL_HTML = ROOT.parent / "shared" / "eval" / "trafilatura" / "html"
CACHE = ROOT / ".benchmarks" / "paragraph_pool.json"
LANGUAGE_CACHE = ROOT / ".benchmarks" / "languages.json"

PUBLISHERS = [
    ("Daily Ledger", ["Follow us on Twitter and Facebook", "Subscribe to our daily newsletter for more news"]),
    ("World Wire", ["Leave a Reply", "Your email address will not be published. Required fields are marked *"]),
    ("Capital Times", ["Share this article", "© Capital Times. All rights reserved."]),
    ("Northern Post", ["Read more: the latest world news", "Sign up for breaking news alerts"]),
    ("Harbour Herald", ["Comments are closed.", "Next Post"]),
]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]


@dataclass
class Corpus:
    folder: Path
    files: list[Path] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)  # the article text each file carries (for the ceiling)
    planted: dict[str, str] = field(default_factory=dict)  # duplicate file name -> original file name
    html_files: int = 0


HTML_SHARE = 0.1  # a tenth of the files are web pages, as far as there are pages
MAX_PARAGRAPH_WORDS = 150  # longer "paragraphs" are tables or run-together pages
SENTENCE_END = re.compile(r'(?<=[.!?])\s+(?=[A-Z"\u201c\u00ab\u00bf\u00a1])')
WINDOW_SENTENCES = 10  # a composed paragraph draws on consecutive pool paragraphs holding this many


def paragraph_pool() -> list[str]:
    """Prose paragraphs only: an outsized one would dominate every article it lands in, and two
    articles sharing it really are near-duplicates, spoiling the planted ground truth."""
    return [p for p in _raw_pool() if len(p.split()) <= MAX_PARAGRAPH_WORDS]


def _raw_pool() -> list[str]:
    if CACHE.exists():
        return json.loads(CACHE.read_text(encoding="utf-8"))
    import trafilatura

    pool: list[str] = []
    for seed in sorted((ROOT / "seeds").glob("*.txt")):
        pool += [p.strip() for p in seed.read_text(encoding="utf-8").split("\n\n") if len(p.split()) >= 12]
    for page in sorted(EVAL_HTML.glob("*.html")):
        text = trafilatura.extract(page.read_text(encoding="utf-8", errors="replace")) or ""
        pool += [p.strip() for p in text.split("\n") if len(p.split()) >= 12]
    CACHE.parent.mkdir(parents=True, exist_ok=True)
    CACHE.write_text(json.dumps(pool), encoding="utf-8")
    return pool


def languages(pool: list[str], pages: list[Path]) -> tuple[list[str], dict[str, str]]:
    """py3langid's code for each pool paragraph and each page's article text (cached)."""
    if LANGUAGE_CACHE.exists():
        cached = json.loads(LANGUAGE_CACHE.read_text(encoding="utf-8"))
        if len(cached["pool"]) == len(pool) and len(cached["pages"]) == len(pages):
            return cached["pool"], cached["pages"]
    import py3langid
    import trafilatura

    pool_langs = [py3langid.classify(p)[0] for p in pool]
    page_langs = {page.name: py3langid.classify(
        trafilatura.extract(page.read_text(encoding="utf-8", errors="replace")) or "")[0] for page in pages}
    LANGUAGE_CACHE.parent.mkdir(parents=True, exist_ok=True)
    LANGUAGE_CACHE.write_text(json.dumps({"pool": pool_langs, "pages": page_langs}), encoding="utf-8")
    return pool_langs, page_langs


def copy_english_pages(folder: Path) -> list[Path]:
    """Copy the eval pages whose article text the pipeline's language gate reads as English
    into ``folder`` (the set the event and date benchmarks run over); the copies, sorted."""
    import shutil

    import trafilatura

    from pipeline.clean.language import identify

    folder.mkdir(parents=True, exist_ok=True)
    copied = []
    for page in sorted(EVAL_HTML.glob("*.html")):
        text = trafilatura.extract(page.read_text(encoding="utf-8", errors="replace")) or ""
        if text and identify(text[:2000]) == "en":
            copied.append(Path(shutil.copy(page, folder / page.name)))
    return copied


TEMPEVAL = ROOT.parent / "shared" / "eval" / "tempeval3" / "timex3_aquaint_platinum.jsonl"


def write_tempeval_docs(folder: Path, docids: set[str] | None = None) -> list[Path]:
    """TempEval-3's news documents (or those of ``docids``) as text files the way newsmon meets
    an archive export: the title, the creation date as a dateline, the text; ``<docid>.txt``."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for line in TEMPEVAL.read_text(encoding="utf-8").splitlines():
        doc = json.loads(line)
        if docids is not None and doc["docid"] not in docids:
            continue
        day = doc["dct"][:10]
        y, m, d = (int(x) for x in day.split("-"))
        path = folder / f"{doc['docid']}.txt"
        path.write_text(f"{doc['title'] or doc['docid']}\n\n{MONTHS[m - 1]} {d}, {y}\n\n{doc['text']}\n",
                        encoding="utf-8")
        written.append(path)
    return written


def sentence_windows(pool: list[str]) -> list[list[str]]:
    """For each pool paragraph, its sentences and its next neighbours' (mostly the same page)
    until there are WINDOW_SENTENCES: 3 to 5 of 10 give hundreds of distinct paragraphs each."""
    sentences = [SENTENCE_END.split(p) for p in pool]
    windows = []
    for i in range(len(pool)):
        window: list[str] = []
        j = i
        while len(window) < WINDOW_SENTENCES:
            window += sentences[j % len(pool)]
            j += 1
        windows.append(window)
    return windows


def _compose(windows: list[list[str]], rng: random.Random) -> str:
    window = windows[rng.randrange(len(windows))]
    picked = rng.sample(window, min(len(window), rng.randint(3, 5)))
    return " ".join(picked)


def _typographic(text: str) -> str:
    return text.replace("'", "\u2019").replace('"', "\u201c").replace(" - ", " \u2014 ")


def build(folder: Path, n: int, *, seed: int = 7, duplicate_share: float = 0.1,
          html_share: float = HTML_SHARE, language: str | None = None) -> Corpus:
    """`language` (a py3langid code) keeps only pool paragraphs and pages in that language:
    the eval pages are mostly German, which an English pipeline rightly does not parse."""
    import trafilatura

    rng = random.Random(seed)
    pool = paragraph_pool()
    pages = sorted(EVAL_HTML.glob("*.html")) if EVAL_HTML.is_dir() else []
    if language:
        pool_langs, page_langs = languages(pool, pages)
        pool = [p for p, lang in zip(pool, pool_langs, strict=True) if lang == language]
        pages = [page for page in pages if page_langs.get(page.name) == language]
    windows = sentence_windows(pool)
    folder.mkdir(parents=True, exist_ok=True)
    corpus = Corpus(folder)
    rng.shuffle(pages)
    n_html = min(len(pages), int(n * html_share))
    n_dup = int(n * duplicate_share)
    originals: list[tuple[str, str, str, int]] = []  # (name, title, body, publisher index)
    for i in range(n - n_dup):
        if i < n_html:
            path = folder / f"{i:06d}.html"
            raw = pages[i].read_bytes()
            path.write_bytes(raw)
            corpus.files.append(path)
            # The ceiling reads a page's article text, as a model-only pipeline would be given it.
            corpus.texts.append(trafilatura.extract(raw.decode("utf-8", errors="replace")) or "")
            corpus.html_files += 1
            continue
        pub = rng.randrange(len(PUBLISHERS))
        paragraphs = [_compose(windows, rng) for _ in range(rng.randint(4, 7))]
        title = " ".join(paragraphs[0].split()[:9]).rstrip(",.;:")
        body = "\n\n".join(paragraphs)
        name = f"{i:06d}.txt"
        originals.append((name, title, body, pub))
        _write_text(corpus, folder / name, title, body, pub, rng)
    for j in range(n_dup):
        name, title, body, pub = rng.choice(originals)
        kind = j % 4
        dup_name = f"{n - n_dup + j:06d}.txt"
        if kind == 1:  # syndicated: another publisher's title suffix and footer
            pub = (pub + 1) % len(PUBLISHERS)
        elif kind == 2:  # truncated
            words = body.split(" ")
            body = " ".join(words[: int(len(words) * 0.7)])
        elif kind == 3:
            body, title = _typographic(body), _typographic(title)
        _write_text(corpus, folder / dup_name, title, body, pub, rng)
        corpus.planted[dup_name] = name
    return corpus


def _write_text(corpus: Corpus, path: Path, title: str, body: str, pub: int, rng: random.Random) -> None:
    publisher, footer = PUBLISHERS[pub]
    day = rng.randint(1, 28)
    dateline = f"{day} {MONTHS[rng.randrange(12)]} 2022, {rng.randint(1, 12):02d}:{rng.randint(0, 59):02d} AM"
    text = f"{title} | {publisher}\n\n{dateline}\n\n{body}\n\n" + "\n\n".join(footer) + "\n"
    path.write_text(text, encoding="utf-8")
    corpus.files.append(path)
    corpus.texts.append(text)
