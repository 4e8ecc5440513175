"""Body only, fast, with the tuning half split in two: P/R/F1, caption leak, non-article text.

`benchmarks/extraction_eval.py` scores the body once per half (A tuned on, B held out). A rule
read from half A's errors can fit those pages and nothing else, so this benchmark splits A
again by host into A1 (whose errors one reads) and A2 (checked, never read), and reports A1,
A2 and B, English and other languages apart, scored exactly as extraction_eval.py scores
them. trafilatura's output is cached under .benchmarks/ (gitignored, shared with
metadata_eval.py), so after a first run the 990 pages take a few minutes less than the
full benchmark.

    .venv/bin/python benchmarks/body_eval.py --save-bodies after.json
    .venv/bin/python benchmarks/body_eval.py --misses A1            # A1's lost snippets, by page
    .venv/bin/python benchmarks/body_endings.py before.json after.json --half B
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
from benchmarks.metadata_eval import CACHE, CachedTrafilatura  # noqa: E402

GROUPS = ("A1 en", "A1 other", "A2 en", "A2 other", "B en", "B other", "A1", "A2", "A", "B")


def part_of(entry: dict) -> str:
    """'A1' or 'A2' for half A (by another byte of the host's hash: a host's pages stay
    together), 'B' for the held-out half."""
    half = ev.half_of(entry)
    if half == "B":
        return "B"
    return "A" + "12"[hashlib.sha256(ev.page_host(entry).encode()).digest()[1] % 2]


def in_group(entry: dict, group: str) -> bool:
    part, lang = part_of(entry), ev.language_of(entry)
    name, _, want = group.partition(" ")
    return (part == name or (name == "A" and part in ("A1", "A2"))) and (not want or want == lang)


@dataclasses.dataclass
class Run:
    bodies: dict[str, str]
    removed: dict[str, list[tuple[str, str]]]  # page -> [(rule, text)]


def run(pages: dict[str, dict], data_dir: Path) -> Run:
    """The clean stage over the pages as extraction_eval.run_newsmon runs it, trafilatura cached."""
    from pipeline.clean import clean_documents
    from pipeline.clean import html as clean_html
    from pipeline.settings import Settings

    cached = CachedTrafilatura(CACHE)
    clean_html.trafilatura = cached  # type: ignore[assignment]  # this process only
    settings = Settings()
    docs, names = ev.read_documents(pages, data_dir, settings)
    try:
        out = clean_documents(docs, settings, run_id="eval")
    finally:
        cached.save()
    removed: dict[str, list[tuple[str, str]]] = {}
    for span in out.boilerplate:
        removed.setdefault(names[span.article_id], []).append((span.rule, span.text))
    return Run({names[a.article_id]: a.body for a in out.articles}, removed)


def print_table(pages: dict[str, dict], bodies: dict[str, str], data_dir: Path) -> None:
    print(f"{'part lang':<9} {'pages':>5} {'P':>6} {'R':>6} {'F1':>6} {'fp':>4} {'fn':>4} {'caption':>7} "
          f"{'non-article':>12}")
    for group in GROUPS:
        names = {n: e for n, e in pages.items() if in_group(e, group)}
        if not names:
            continue
        s = ev.score(bodies, names, data_dir)
        print(f"{group:<9} {len(names):5d} {s.precision:6.3f} {s.recall:6.3f} {s.f1:6.3f} {s.fp:4d} {s.fn:4d} "
              f"{s.caption.share:7.3f} {s.non_article.share:5.3f} ({s.reference_pages:>3})")


def _where(snippet: str, body: str) -> str:
    """Where a snippet stands in the body: head (first fifth), tail (last fifth) or middle."""
    flat, snip = ev.WHITESPACE.sub(" ", body).strip(), ev.WHITESPACE.sub(" ", snippet).strip()
    at = flat.find(snip)
    if at < 0 or not flat:
        return "-"
    share = at / len(flat)
    return "head" if share < 0.2 else "tail" if share > 0.8 else "middle"


def print_misses(pages: dict[str, dict], result: Run, part: str, data_dir: Path) -> None:
    """Each page's lost snippets in one part: a kept boilerplate snippet with where it stands,
    an article snippet lost with the rule that removed it (or '-' when the text never had it)."""
    for name, entry in pages.items():
        if part_of(entry) != part:
            continue
        body = result.bodies.get(name, "")
        s = ev.score({name: body}, {name: entry}, data_dir)
        if not s.misses:
            continue
        print(f"\n{name} {ev.page_host(entry)} ({ev.language_of(entry)}) fp {s.fp} fn {s.fn}")
        for _, kind, snippet in s.misses:
            flat = ev.WHITESPACE.sub(" ", snippet).strip()
            if kind == "fp":
                print(f"  fp [{_where(snippet, body)}] {flat[:110]!r}")
            else:
                rules = sorted({r for r, t in result.removed.get(name, []) if flat in ev.WHITESPACE.sub(" ", t) or
                                ev.WHITESPACE.sub(" ", t).strip() in flat and len(t) > 20})
                print(f"  fn [{','.join(rules) or '-'}] {flat[:110]!r}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ev.DATA_DIR)
    parser.add_argument("--save-bodies", type=Path,
                        help="write newsmon's bodies to this JSON file (the removed spans beside it, X.removed.json)")
    parser.add_argument("--bodies", type=Path, help="score bodies saved before instead of running the clean stage")
    parser.add_argument("--misses", choices=["A1", "A2"], help="list one part's lost snippets, by page")
    args = parser.parse_args(argv)
    if not (args.data / "evaldata_full.json").is_file():
        print(f"no evaluation data at {args.data}", file=sys.stderr)
        return 2
    pages = ev.load_pages(args.data)
    if args.bodies:
        spans = args.bodies.with_suffix(".removed.json")
        result = Run(json.loads(args.bodies.read_text(encoding="utf-8")),
                     json.loads(spans.read_text(encoding="utf-8")) if spans.is_file() else {})
    else:
        result = run(pages, args.data)
    if args.save_bodies:
        args.save_bodies.write_text(json.dumps(result.bodies, ensure_ascii=False), encoding="utf-8")
        args.save_bodies.with_suffix(".removed.json").write_text(json.dumps(result.removed, ensure_ascii=False),
                                                                 encoding="utf-8")
    print_table(pages, result.bodies, args.data)
    if args.misses:
        print_misses(pages, result, args.misses, args.data)
    return 0


if __name__ == "__main__":
    sys.exit(main())
