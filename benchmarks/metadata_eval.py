"""Title, author, day and time, fast: the clean stage's page reading without the body's cleaning.

`benchmarks/extraction_eval.py` runs the whole clean stage (minutes on this machine); tuning
the title and byline code needs only what `clean.stage.parse_document` reads (the page's
structured data, its <h1>s, its bylines, trafilatura's metadata) and the batch's title-affix
pass. trafilatura's JSON for each page is cached under .benchmarks/ (gitignored), so a second
run reads the 990 pages in well under a minute. Scored as extraction_eval.py scores them (its
`author_names`, `norm_title`), per host half (A tuned on, B held out) and language.

    .venv/bin/python benchmarks/metadata_eval.py
    .venv/bin/python benchmarks/metadata_eval.py --half A --show-misses author
    .venv/bin/python benchmarks/metadata_eval.py --half A --show-misses author --misses-in A1  # read A1 only
    .venv/bin/python benchmarks/metadata_eval.py --save heads.json     # each page's title and byline
    .venv/bin/python benchmarks/metadata_eval.py --kinds               # the author misses counted by kind
    .venv/bin/python benchmarks/metadata_eval.py --title-votes         # stated title sources against a vote
    .venv/bin/python benchmarks/metadata_eval.py --parts               # half A as A1 and A2 (body_eval.py's split)
    .venv/bin/python benchmarks/metadata_eval.py --half A --title-causes A1  # A1's title misses by cause
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import sys
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))

from benchmarks import extraction_eval as ev  # noqa: E402

CACHE = PROJECT_ROOT / ".benchmarks" / "trafilatura_json.json"


class CachedTrafilatura:
    """Stands in for the `trafilatura` module inside pipeline.clean.html: the same call, its
    result remembered by the page's bytes and the call's options."""

    def __init__(self, path: Path) -> None:
        import trafilatura

        self._extract = trafilatura.extract
        self._load_html = trafilatura.load_html
        self.path = path
        self.cache: dict[str, str | None] = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
        self.misses = 0
        self._last: tuple[object, str] | None = None  # the tree load_html gave last, and its page

    def load_html(self, html: str) -> object:
        """html.py parses the page once and hands the tree to extract: remember whose it is."""
        tree = self._load_html(html)
        self._last = (tree, html)
        return tree

    def extract(self, html: object, **options: object) -> str | None:
        source = html if isinstance(html, str) else self._last[1] if self._last and self._last[0] is html else None
        if source is None:
            return self._extract(html, **options)
        key = hashlib.sha256((source + json.dumps(options, sort_keys=True, default=str)).encode(
            "utf-8", "surrogatepass")).hexdigest()
        if key not in self.cache:
            self.misses += 1
            self.cache[key] = self._extract(html, **options)
        return self.cache[key]

    def save(self) -> None:
        if self.misses:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.path.write_text(json.dumps(self.cache), encoding="utf-8")


def read_heads(pages: dict[str, dict], data_dir: Path, publishers: dict[str, str | None] | None = None,
               dates: dict[str, tuple[str | None, str | None]] | None = None
               ) -> dict[str, tuple[str | None, str | None]]:
    """{page: (title, byline)} as the clean stage reads them, the batch's affix pass included
    (each page's publisher name into `publishers`, its local day and HH:MM into `dates` when
    given, as extraction_eval scores an article's)."""
    from pipeline.clean import html as clean_html
    from pipeline.clean.stage import Unusable, parse_document
    from pipeline.clean.title_affixes import strip_publisher_affixes
    from pipeline.errors import InputError
    from pipeline.ingest.files import read_document
    from pipeline.settings import Settings

    cached = CachedTrafilatura(CACHE)
    clean_html.trafilatura = cached  # type: ignore[assignment]  # this process only
    settings = Settings()
    heads = {}
    try:
        for name, entry in pages.items():
            try:
                doc = read_document(data_dir / "html" / name, settings, run_id="eval")
                heads[name] = parse_document(dataclasses.replace(doc, url=entry.get("url"), content_type="text/html"))
            except (InputError, Unusable):
                continue
    finally:
        cached.save()
    if publishers is not None:
        publishers.update((name, head.publisher) for name, head in heads.items())
    if dates is not None:
        dates.update((name, ev.local_day_time(head.published_at, head.published_offset)) for name, head in heads.items())
    titles = strip_publisher_affixes((h.publisher, h.title) for h in heads.values())
    return {name: (title, head.byline) for (name, head), title in zip(heads.items(), titles, strict=True)}


AUTHOR_MISS_KINDS = ("the site or publisher", "no full name", "a person missed", "another person",
                     "some of the people")


def author_miss_kind(gold: str | list[str], got: str | None, sites: list[str]) -> str:
    """Why an author is missed, judged from the gold's side: the gold names the site or its
    publisher (refused by design), names something other than full names (a user name, a first
    name, a desk: `looks_like_name`), or names people the byline misses whole, names others
    instead, or only partly."""
    from pipeline.clean.bylines import looks_like_name
    from pipeline.clean.structured import is_site, split_people

    text = gold if isinstance(gold, str) else "; ".join(gold)
    if is_site(text, sites):
        return AUTHOR_MISS_KINDS[0]
    if not all(looks_like_name(p) for p in split_people(ev.BY_WORD.sub("", text.strip()))):
        return AUTHOR_MISS_KINDS[1]
    if not got:
        return AUTHOR_MISS_KINDS[2]
    return AUTHOR_MISS_KINDS[4 if ev.author_names(gold) & ev.author_names(got) else 3]


def print_kinds(pages: dict[str, dict], heads: dict[str, tuple[str | None, str | None]],
                publishers: dict[str, str | None], parts: bool = False) -> None:
    """Author misses by kind, per half and language (with `parts`, half A as A1 and A2)."""
    from benchmarks.body_eval import part_of

    counts: dict[str, dict[str, int]] = {}
    for name, entry in pages.items():
        gold, got = entry.get("author"), heads.get(name, (None, None))[1]
        if not gold or ev.author_names(gold) == ev.author_names(got):
            continue
        sites = [s for s in (publishers.get(name), ev.page_host(entry)) if s]
        half = part_of(entry) if parts else ev.half_of(entry)
        group = counts.setdefault(f"{half} {ev.language_of(entry)}", dict.fromkeys(AUTHOR_MISS_KINDS, 0))
        group[author_miss_kind(gold, got, sites)] += 1
    print(f"\nauthor misses by kind\n{'half lang':<9} " + " ".join(f"{k:>20}" for k in AUTHOR_MISS_KINDS))
    for group in ("A1 en", "A1 other", "A2 en", "A2 other") if parts else ("A en", "A other", "B en", "B other"):
        if group in counts:
            print(f"{group:<9} " + " ".join(f"{counts[group][k]:>20}" for k in AUTHOR_MISS_KINDS))


def _read_page(data_dir: Path, name: str, entry: dict, settings: object) -> tuple[object, object] | None:
    """(trafilatura's tree of the page or None, read_page_meta of it); None when unreadable."""
    import trafilatura

    from pipeline.clean.structured import read_page_meta
    from pipeline.errors import InputError
    from pipeline.ingest.files import read_document

    try:
        doc = read_document(data_dir / "html" / name, settings, run_id="eval")  # type: ignore[arg-type]
    except InputError:
        return None
    tree = trafilatura.load_html(doc.raw_text)
    return tree, read_page_meta(tree if tree is not None else doc.raw_text, entry.get("url"))


def title_votes(pages: dict[str, dict], data_dir: Path) -> None:
    """Per half: pages with a gold title; those where one stated source (the article item's
    headline, og:title, twitter:title, <title>, the first <h1>, each with the site's name cut)
    equals it; choose_title's hits (without trafilatura's fallback and the batch's affix pass);
    and a vote's: the value most sources state wins over choose_title's when it has at least
    `margin` more sources (margin 1: and two sources at least)."""
    from collections import Counter

    from pipeline.clean.structured import choose_title, is_site, strip_site
    from pipeline.settings import Settings
    from pipeline.text import normalise_for_hash as key

    settings = Settings()
    rows: dict[str, Counter] = {}
    for name, entry in pages.items():
        if not entry.get("title"):
            continue
        read = _read_page(data_dir, name, entry, settings)
        if read is None:
            continue
        tree, meta = read
        stated = [strip_site(s, meta.site_names) for s in (meta.headline, *meta.titles, *meta.headings[:1]) if s]
        stated = [s for s in stated if not is_site(s, meta.site_names)]
        gold, chosen = key(entry["title"]), key(choose_title(meta, None)[0] or "")
        votes = Counter(key(s) for s in stated)
        top, most = votes.most_common(1)[0] if votes else ("", 0)
        row = rows.setdefault(ev.half_of(entry), Counter())
        row["pages"] += 1
        row["one source"] += gold in votes
        row["choose_title"] += chosen == gold
        for margin in (1, 2):
            voted = top if most >= votes.get(chosen, 0) + margin and most >= 2 else chosen
            row[f"vote, margin {margin}"] += voted == gold
    print("\ntitle sources (choose_title without trafilatura's title and the affix pass)")
    for half, row in sorted(rows.items()):
        print(f"{half}: " + ", ".join(f"{k} {v}" for k, v in row.items()))


TITLE_SOURCES = ("json-ld headline", "og:title", "twitter:title", "<title>", "an <h1>", "an <h2>")


def title_sources(tree: object, meta: object) -> dict[str, list[str]]:
    """Each title source the page states, by name (a source may state several: every <h1>)."""
    def first(xpath: str) -> list[str]:
        found = tree.xpath(xpath)  # type: ignore[attr-defined]
        return [" ".join(str(found[0]).split())] if found else []

    return {"json-ld headline": [meta.headline] if meta.headline else [],  # type: ignore[attr-defined]
            "og:title": first("//meta[@property='og:title']/@content"),
            "twitter:title": first("//meta[@name='twitter:title' or @property='twitter:title']/@content"),
            "<title>": first("//title/text()"),
            "an <h1>": [" ".join(h.text_content().split()) for h in tree.iterfind(".//h1")],  # type: ignore[attr-defined]
            "an <h2>": [" ".join(h.text_content().split()) for h in tree.iterfind(".//h2")][:20]}  # type: ignore[attr-defined]


def title_causes(pages: dict[str, dict], heads: dict[str, tuple[str | None, str | None]], data_dir: Path,
                 part: str) -> None:
    """The title misses of one part (A1: the part whose errors are read), by cause: which of the
    page's sources states the gold's title (as is, or with the site's name cut), and which
    branch of choose_title was taken instead; 'stated nowhere' when no source does."""
    from collections import Counter

    from benchmarks.body_eval import in_group
    from pipeline.clean.structured import choose_title, strip_site
    from pipeline.settings import Settings

    settings, causes, chosen_by = Settings(), Counter(), Counter()
    for name, entry in pages.items():
        got = heads.get(name, (None, None))[0]
        if not entry.get("title") or not in_group(entry, part) or ev.norm_title(entry["title"]) == ev.norm_title(got):
            continue
        read = _read_page(data_dir, name, entry, settings)
        if read is None or read[0] is None:
            continue
        tree, meta = read
        gold = ev.norm_title(entry["title"])
        stating = [source for source, values in title_sources(tree, meta).items()
                   if any(gold in (ev.norm_title(v), ev.norm_title(strip_site(v, meta.site_names))) for v in values)]
        branch = choose_title(meta, None)[1]
        causes[" + ".join(stating) or "stated nowhere"] += 1
        chosen_by[branch] += 1
    total = sum(causes.values())
    print(f"\ntitle misses on {part}: {total}; the sources stating the gold's title (site name cut or not)")
    for cause, count in causes.most_common():
        print(f"  {count:4d}  {cause}")
    print("  the branch of choose_title taken: " + ", ".join(f"{b} {n}" for b, n in chosen_by.most_common()))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ev.DATA_DIR)
    parser.add_argument("--half", choices=["A", "B"])
    parser.add_argument("--show-misses", choices=["title", "author"])
    parser.add_argument("--misses-in", metavar="PART", help="print only this part's misses (A1: the part read)")
    parser.add_argument("--title-votes", action="store_true", help="stated title sources and a vote among them")
    parser.add_argument("--kinds", action="store_true", help="count the author misses by kind (AUTHOR_MISS_KINDS)")
    parser.add_argument("--parts", action="store_true", help="half A as A1 and A2 (benchmarks/body_eval.py's split)")
    parser.add_argument("--title-causes", metavar="PART", help="count one part's title misses by cause (A1: read)")
    parser.add_argument("--save", type=Path, help="each page's title and byline, with the gold's, to this JSON file")
    args = parser.parse_args(argv)
    if not (args.data / "evaldata_full.json").is_file():
        print(f"no evaluation data at {args.data}", file=sys.stderr)
        return 2
    pages = ev.load_pages(args.data, half=args.half)
    publishers: dict[str, str | None] = {}
    dates: dict[str, tuple[str | None, str | None]] = {}
    heads = read_heads(pages, args.data, publishers, dates)
    print(f"{'half lang':<9} {'pages':>5} {'title exact':>17} {'author':>17} {'date (day)':>17} {'time kept':>17}")
    groups = ("A en", "A other", "B en", "B other", "A", "B")
    if args.parts:  # half A split again by host as body_eval.py splits it (A1 read, A2 checked)
        from benchmarks.body_eval import GROUPS, in_group
        groups = GROUPS
    for group in groups:
        names = [n for n, e in pages.items() if in_group(e, group)] if args.parts else [
            n for n, e in pages.items() if f"{ev.half_of(e)} {ev.language_of(e)}" == group or
            (len(group) == 1 and ev.half_of(e) == group)]
        if not names:
            continue
        title, author, day, kept = ev.Field(), ev.Field(), ev.Field(), ev.Field()
        for name in names:
            got_day, got_time = dates.get(name, (None, None))
            if pages[name].get("date"):
                day.total += 1
                day.hits += pages[name]["date"][:10] == got_day
            if got_day:
                kept.total += 1
                kept.hits += got_time is not None
            entry, (got_title, got_author) = pages[name], heads.get(name, (None, None))
            if entry.get("title"):
                title.total += 1
                title.hits += ev.norm_title(entry["title"]) == ev.norm_title(got_title)
            if entry.get("author"):
                author.total += 1
                author.hits += ev.author_names(entry["author"]) == ev.author_names(got_author)
        print(f"{group:<9} {len(names):5d} {ev.score_cell(title):>17} {ev.score_cell(author):>17} {ev.score_cell(day):>17} "
              f"{ev.score_cell(kept):>17}")
    if args.show_misses:
        from benchmarks.body_eval import in_group as in_part
        for name, entry in pages.items():
            gold, got = entry.get(args.show_misses), heads.get(name, (None, None))[args.show_misses == "author"]
            same = ev.author_names(gold) == ev.author_names(got) if args.show_misses == "author" else \
                ev.norm_title(gold) == ev.norm_title(got)
            if args.misses_in and not in_part(entry, args.misses_in):
                continue
            if gold and not same:
                print(f"  {args.show_misses} {name[:40]}: gold {str(gold)[:70]!r} got {str(got)[:70]!r}")
    if args.kinds:
        print_kinds(pages, heads, publishers, parts=args.parts)
    if args.title_causes:
        title_causes(pages, heads, args.data, args.title_causes)
    if args.title_votes:
        title_votes(pages, args.data)
    if args.save:
        args.save.write_text(json.dumps({n: {"title": t, "author": a, "gold_title": pages[n].get("title"),
                                             "gold_author": pages[n].get("author")} for n, (t, a) in heads.items()},
                                        ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
