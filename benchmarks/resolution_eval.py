"""Entity resolution and types on real English news pages, against hand labels.

    .venv/bin/python benchmarks/resolution_eval.py [--top 20] [--errors]

The pages (../shared/eval/trafilatura/html, not in this repo) named in
tests/extract/cases/entities/resolution_gold.json are extracted with trafilatura and run
through newsmon's entity stage as one batch. Printed:

- pairwise precision/recall of "same entity" over the labelled mentions newsmon found (any
  type), across pages; split and merge counts; mention type accuracy; for all pages and for
  the two halves (even page index: the half rules were looked at on; odd: held back);
- type accuracy of the 50 most-mentioned entities of the run (gold type: the type most of an
  entity's labelled mentions carry, else the fixture's "types" entry by canonical name);
- the top entities by mention count with type and aliases.

``--unlabelled`` instead runs pages no fixture labels mention by mention, as two slices:
``tune`` (default), the 25 English pages of news sites (by file name) that no fixture names,
read while writing the type rules; ``check`` (``--unlabelled check``), the English articles
(150 words or more, a byline and a date in trafilatura's gold) that no test or benchmark
named when they were chosen (listed in ``unseen_types.json``), held back; ``news-tune`` and
``news-check``, 35 English news articles no entity fixture, benchmark or slice named, split by
host (``news_pages`` in ``unseen_types.json``), news-check held back; ``news-fresh-a`` and
``news-fresh-b``, TempEval-3's 93 news documents (../shared/eval/tempeval3: AP, NYT, Xinhua,
CNN, BBC, WSJ; no entity fixture or slice names them), split by agency (``FRESH_PARTS``),
labelled before any rule written on them; ``web-a`` and ``web-b``, the 57 English pages of
../shared/eval/trafilatura left that no entity fixture or slice named (blogs, magazines,
guides, documentation; sentences of most are in the events benchmark's data), split by host,
labelled before the rules written on web-a. Their top entities are scored against types written by reading
(``unseen_types.json``, by canonical name); entities no one has read yet are listed as such.
The held-out slices (``check``, ``news-check``) print only their totals, never the wrong
types, the unread names or the top entities, so that no one running the script reads their
errors; the other slices list them.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.extract.entities import extract_entities  # noqa: E402
from pipeline.extract.entity_eval import Span, gold_types, load_resolution_gold, score_resolution  # noqa: E402
from pipeline.records import Article  # noqa: E402
from pipeline.settings import Settings  # noqa: E402
from pipeline.text import content_hash, word_count  # noqa: E402

FIXTURE = ROOT / "tests" / "extract" / "cases" / "entities" / "resolution_gold.json"
UNSEEN = FIXTURE.parent / "unseen_types.json"
PAGES = ROOT.parent / "shared" / "eval" / "trafilatura" / "html"
GOLD = PAGES.parent / "evaldata_full.json"


def page_texts(names: list[str]) -> dict[str, str]:
    import trafilatura

    return {n: trafilatura.extract((PAGES / n).read_text(encoding="utf-8", errors="replace")) or ""
            for n in names}


_SITE = re.compile(r"^(.+?\.(?:com|org|net|co\.uk))[.-]")


def page_url(name: str) -> str | None:
    """The page's site, from its file name ("axios.com.future.html" -> https://axios.com/):
    a real run knows each article's URL, and the publisher's domain is evidence."""
    m = _SITE.match(name)
    return f"https://{m.group(1)}/" if m else None


def run(texts: dict[str, str], settings: Settings, urls: dict[str, str] | None = None):
    urls = urls or {}
    articles = [Article(n, n, n, urls.get(n) or page_url(n), None, None, None, None, "en", b, word_count(b),
                        content_hash(b)) for n, b in sorted(texts.items())]
    return extract_entities(articles, settings, known_entities=[])


def print_scores(golds, preds) -> None:
    print(f"{'pages':<26}{'pairs P':>8}{'pairs R':>8}{'F1':>7}{'splits':>8}{'merges':>8}"
          f"{'mentions':>10}{'type acc':>9}")
    for title, part in ((f"all ({len(golds)})", golds), (f"even half ({len(golds[0::2])})", golds[0::2]),
                        (f"odd half ({len(golds[1::2])})", golds[1::2])):
        s = score_resolution(part, preds)
        print(f"{title:<26}{s.pairs.precision:8.3f}{s.pairs.recall:8.3f}{s.pairs.f1:7.3f}{s.splits:8d}"
              f"{s.merges:8d}{s.mentions:10d}{s.type_correct / max(1, s.mentions):9.3f}")


def print_errors(golds, preds, entities) -> None:
    """Gold identities spread over several entities, entities holding several identities."""
    from pipeline.extract.entity_eval import normalise_span

    held: dict[str, Counter] = defaultdict(Counter)
    for g in golds:
        by_span = {(n.start, n.end): n for n in (normalise_span(g.body, m) for m in g.mentions)}
        for p in preds.get(g.name, []):
            n = normalise_span(g.body, p)
            hit = by_span.get((n.start, n.end))
            if hit is not None:
                held[hit.cluster][(entities[p.cluster].canonical_name, p.label)] += 1
    print("\n--- split gold identities ---")
    for gid, c in sorted(held.items()):
        if len(c) > 1:
            print(f"  {gid}: {dict(c)}")
    print("--- merged entities ---")
    holders: dict[tuple, set[str]] = defaultdict(set)
    for gid, c in held.items():
        for k in c:
            holders[k].add(gid)
    for k, gids in sorted(holders.items()):
        if len(gids) > 1:
            print(f"  {k}: {sorted(gids)}")


_NEWS_SITE = re.compile(r"news|bbc|reuters|cnn|nytimes|guardian|times|post|herald|telegraph|independent|npr|"
                        r"politico|axios|bloomberg|apnews|aljazeera|latimes|usatoday|vox|wired|atlantic|"
                        r"economist|ft\.com|cbs|abc|nbc|fox|sky|express|mirror|dailymail|standard|hill|slate|"
                        r"salon|vice|verge", re.IGNORECASE)


def print_top(out, n: int) -> None:
    entities = {e.entity_id: e for e in out.entities}
    counts = Counter(m.entity_id for m in out.mentions)
    print(f"{'mentions':>8}  {'type':<7}{'conf':>5}  canonical name  [aliases]")
    for eid, k in counts.most_common(n):
        e = entities[eid]
        conf = getattr(e, "type_confidence", None)
        print(f"{k:8d}  {e.entity_type:<7}{'' if conf is None else f'{conf:.2f}':>5}  {e.canonical_name}  "
              f"{[a for a in e.aliases if a != e.canonical_name]}")


def fixture_pages() -> set[str]:
    """Pages a fixture labels mention by mention."""
    used = set(json.loads(FIXTURE.read_text(encoding="utf-8"))["pages"])
    return used | set(json.loads((FIXTURE.parent / "heldout_gold.json").read_text(encoding="utf-8"))["pages"])


def tune_pages() -> list[str]:
    """The English-candidate pages of news sites (by file name) that no fixture names."""
    used = fixture_pages()
    return sorted(p.name for p in PAGES.iterdir() if p.name not in used and _NEWS_SITE.search(p.name))


def check_pages() -> list[str]:
    """The held-back slice, as it was chosen: articles (a byline and a date in trafilatura's
    gold, 150 words or more) that no test or benchmark named then and not in the tune slice.
    Kept as a list: pages later cited for other checks (events) are still unseen for entities."""
    return list(json.loads(UNSEEN.read_text(encoding="utf-8"))["check_pages"])


def news_pages(part: str) -> list[str]:
    """The news slice (``news-tune``/``news-check``): English news articles (sport, business,
    politics, entertainment, tech news) that no entity fixture, entity benchmark or the tune and
    check slices named, split by host; labelled before the rules written on news-tune. Also the
    web slice (``web-a``/``web-b``): the English pages left that no entity fixture or slice
    named (blogs, magazines, guides, documentation), split by host; labelled before the rules
    written on web-a."""
    key = "web_pages" if part in WEB_PARTS else "news_pages"
    return list(json.loads(UNSEEN.read_text(encoding="utf-8"))[key][part])


WEB_PARTS = ("web-a", "web-b")


TEMPEVAL = ROOT.parent / "shared" / "eval" / "tempeval3" / "timex3_aquaint_platinum.jsonl"
# news-fresh, split by agency (the docid's prefix): AP's, the WSJ's and the BBC's stories in
# one part, the NYT's, Xinhua's and CNN's in the other.
FRESH_PARTS = {"news-fresh-a": ("apw", "ap", "wsj", "bbc"), "news-fresh-b": ("nyt", "xie", "cnn")}


def fresh_articles(part: str) -> list[Article]:
    """TempEval-3's news documents of ``part``'s agencies as articles (title, creation date,
    text; no URL, as an archive export arrives)."""
    from datetime import UTC, datetime

    out = []
    for line in TEMPEVAL.read_text(encoding="utf-8").splitlines():
        doc = json.loads(line)
        agency = re.match(r"[A-Za-z]+", doc["docid"])
        if agency is None or agency.group(0).lower() not in FRESH_PARTS[part]:
            continue
        body = doc["text"].strip()
        day = datetime.fromisoformat(doc["dct"][:10]).replace(tzinfo=UTC)
        out.append(Article(doc["docid"], doc["docid"], doc["docid"], None, doc["title"] or None, None, None, day,
                           "en", body, word_count(body), content_hash(body)))
    return sorted(out, key=lambda a: a.article_id)


HELD_OUT = ("check", "news-check")


def unlabelled(n: int, part: str) -> int:
    """Top entities of the pages no fixture labels, scored against types written by reading."""
    from pipeline.clean.language import identify

    if part in FRESH_PARTS:
        articles = fresh_articles(part)
        out = extract_entities(articles, Settings(), known_entities=[])
        print(f"== {part} slice: {len(articles)} TempEval-3 news documents\n")
    else:
        gold = json.loads(GOLD.read_text(encoding="utf-8"))
        names = tune_pages() if part == "tune" else check_pages() if part == "check" else news_pages(part)
        texts = {k: t for k, t in page_texts(names).items() if t and identify(t) == "en"}
        urls = {k: gold.get(k, {}).get("url") or "" for k in texts}
        out = run(texts, Settings(), {k: u for k, u in urls.items() if u.startswith("http")})
        print(f"== {part} slice: {len(texts)} English pages of {len(names)} candidates no fixture names\n")
    read: dict[str, str | list[str]] = json.loads(UNSEEN.read_text(encoding="utf-8")).get(part, {})
    entities = {e.entity_id: e for e in out.entities}
    top = Counter(m.entity_id for m in out.mentions).most_common(50)
    judged = [(entities[eid], read.get(entities[eid].canonical_name)) for eid, _ in top]
    wrong = [(e.canonical_name, e.entity_type, t) for e, t in judged
             if t is not None and e.entity_type not in ([t] if isinstance(t, str) else t)]
    unread = [e.canonical_name for e, t in judged if t is None]
    labelled = len(judged) - len(unread)
    print(f"top-50 entities by mentions: type right {labelled - len(wrong)}/{labelled} read "
          f"({len(unread)} not read yet)")
    if part in HELD_OUT:
        # Held-out slices print their totals only: an error list read here would be fit to.
        print("held-out slice: totals only (no error list, no entity list)")
        return 0
    for name, got, want in wrong:
        print(f"  {name!r}: {got} (read {want})")
    if unread:
        print(f"  not read yet: {unread}")
    print()
    print_top(out, n)
    return 0


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--top", type=int, default=20, help="entities to list (default 20)")
    ap.add_argument("--errors", action="store_true", help="list splits, merges and wrong top-50 types")
    ap.add_argument("--unlabelled", nargs="?", const="tune", choices=("tune", "check", "news-tune", "news-check", *FRESH_PARTS, *WEB_PARTS),
                    help="top entities of pages no fixture labels instead: the tune, check, news-tune, "
                         "news-check, news-fresh-a, news-fresh-b, web-a or web-b slice")
    args = ap.parse_args()
    if not PAGES.is_dir():
        print(f"{PAGES} is absent: nothing to measure")
        return 1
    if args.unlabelled:
        return unlabelled(args.top, args.unlabelled)
    spec = json.loads(FIXTURE.read_text(encoding="utf-8"))
    texts = page_texts(sorted(spec["pages"]))
    t0 = time.perf_counter()
    out = run(texts, Settings())
    seconds = time.perf_counter() - t0
    entities = {e.entity_id: e for e in out.entities}
    preds: dict[str, list[Span]] = defaultdict(list)
    for m in out.mentions:
        preds[m.article_id].append(Span(m.start_char, m.end_char, m.entity_type or "", m.entity_id))
    golds = load_resolution_gold(FIXTURE, texts)
    print(f"== {len(golds)} English pages ({FIXTURE.name}), {sum(len(g.mentions) for g in golds)} labelled "
          f"mentions of {len({m.cluster for g in golds for m in g.mentions})} identities; "
          f"newsmon {seconds:.1f}s\n")
    print_scores(golds, preds)

    counts = Counter(m.entity_id for m in out.mentions)
    by_gold = gold_types(golds, preds)
    named = spec.get("types", {})
    top = counts.most_common(50)
    right = labelled = 0
    wrong = []
    for eid, _ in top:
        e = entities[eid]
        gold = by_gold.get(eid)
        if gold in (None, "ignored"):
            gold = named.get(e.canonical_name)
        if gold is None:
            wrong.append((e.canonical_name, e.entity_type, "UNLABELLED"))
            continue
        labelled += 1
        right += gold == e.entity_type
        if gold != e.entity_type:
            wrong.append((e.canonical_name, e.entity_type, gold))
    print(f"\ntop-50 entities by mentions: type right {right}/{labelled} labelled = "
          f"{right / max(1, labelled):.3f} ({50 - labelled} unlabelled)")
    if args.errors:
        for name, got, gold in wrong:
            print(f"  {name!r}: {got} (gold {gold})")
        print_errors(golds, preds, entities)
    print(f"\ntop {args.top} entities by mention count")
    print_top(out, args.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
