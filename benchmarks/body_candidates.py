"""Candidate body rules counted on saved bodies before any is written: A1, A2 and B apart.

Each candidate is a filter over one page's saved body (`body_eval.py --save-bodies`) and the
page's own markup: the lines it would remove (or, for a recall candidate, the page's texts it
would add). Per part (A1: errors read; A2: checked; B: held out) it counts the pages and lines
it touches, the gold boilerplate snippets it would take out and the gold article snippets it
would lose (or gain, and let in). `container_0.8` is the rule as it is, run again on the
final body (its line is the baseline of the other container shares). A candidate is worth writing as a rule only when it gains on
A1 and A2 and loses nothing on B; docs/extraction.md lists what these counts said.

    .venv/bin/python benchmarks/body_eval.py --save-bodies before.json
    .venv/bin/python benchmarks/body_candidates.py before.json
    .venv/bin/python benchmarks/body_candidates.py before.json --only site_tail --show A1
"""

from __future__ import annotations

import argparse
import collections
import json
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))

from benchmarks import extraction_eval as ev  # noqa: E402
from benchmarks.body_eval import part_of  # noqa: E402
from pipeline.clean import blocks  # noqa: E402
from pipeline.clean.recall_gaps import is_prose  # noqa: E402
from pipeline.text import normalise_for_hash as norm  # noqa: E402

TAIL_LINES = 4
TAIL_SHARE = 0.2
SHORT_WORDS = 8
HEAD_LINES = 6
_ELLIPSIS = ("…", "...")
_BUTTON = re.compile(r"^(?:btn|button)(?:$|[-_])|[-_](?:btn|button)$")
_AUTHOR_BOX = re.compile(r"author[-_]?(?:bio|box|info|about|desc|profile)|(?:bio|about)[-_]?author")
_HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden")
_TEXT_TAGS = ("p", "li", "h2", "h3", "h4", "h5", "h6", "blockquote")


@dataclass
class Page:
    lines: list[str]
    normed: list[str]
    tree: object
    elements: dict
    sites: list[str]
    stated: str | None

    @property
    def words(self) -> list[int]:
        return [len(n.split()) for n in self.normed]


def _site_keys(sites: list[str]) -> set[str]:
    from pipeline.clean.structured import host_labels, squash

    keys: set[str] = set()
    for site in sites:
        if "." in site and " " not in site:
            keys.update(label for label in host_labels(site) if len(label) >= 4)
        elif len(squash(site)) >= 4:
            keys.add(squash(site))
    return keys


def site_tail(p: Page) -> set[int]:
    """From a line among the last TAIL_LINES that names the site (its name or host label) to the
    end, when that is at most TAIL_SHARE of the body's words: the publisher speaking of itself."""
    from pipeline.clean.structured import squash

    keys, total = _site_keys(p.sites), sum(p.words)
    for i in range(max(1, len(p.lines) - TAIL_LINES), len(p.lines)):
        if any(k in squash(p.lines[i]) for k in keys) and sum(p.words[i:]) <= TAIL_SHARE * total:
            return set(range(i, len(p.lines)))
    return set()


def stated_short(p: Page) -> set[int]:
    """With a stated articleBody holding 80% of the body's words, the short lines it lacks."""
    if not p.stated:
        return set()
    stated = norm(p.stated)
    inside = sum(w for n, w in zip(p.normed, p.words, strict=True) if n in stated)
    if inside < 0.8 * sum(p.words):
        return set()
    return {i for i, n in enumerate(p.normed) if n not in stated and p.words[i] <= SHORT_WORDS}


def ellipsis_tail(p: Page) -> set[int]:
    """The closing run of cut-off excerpts (a line ending in an ellipsis) and labels between them."""
    drop: set[int] = set()
    for i in range(len(p.lines) - 1, 0, -1):
        line = p.lines[i].rstrip()
        if line.endswith(_ELLIPSIS) or (p.words[i] <= SHORT_WORDS and not line.endswith((".", "!", "?"))):
            drop.add(i)
        else:
            break
    return drop if any(p.lines[i].rstrip().endswith(_ELLIPSIS) for i in drop) else set()


def _link_share(el: object) -> float:
    text = (el.text_content() or "").strip()  # type: ignore[attr-defined]
    if not text or len(text) > blocks.LINK_LINE_MAX_CHARS:
        return 0.0
    return sum(len(a.text_content() or "") for a in el.iter("a")) / len(text)  # type: ignore[attr-defined]


def tail_half_links(p: Page) -> set[int]:
    """The closing run of lines printed as blocks of at least half link text (the rule asks nine tenths)."""
    at = len(p.lines)
    while at > 1 and not blocks.ADDRESS.search(p.lines[at - 1]):
        el = blocks.element_of(p.normed[at - 1], p.elements)
        if el is None or _link_share(el) < 0.5:
            break
        at -= 1
    return set(range(at, len(p.lines)))


def before_h1(p: Page) -> set[int]:
    """The lines before the body's line that is one of the page's <h1>s (among its first lines)."""
    h1s = {norm(h.text_content() or "") for h in p.tree.iter("h1")}  # type: ignore[attr-defined]
    k = next((i for i, n in enumerate(p.normed[:HEAD_LINES]) if n and n in h1s), 0)
    return set(range(k))


def _container(p: Page) -> object | None:
    placed = [blocks.element_of(n, p.elements) for n in p.normed]
    return blocks.article_container(placed, p.words), placed


def nested_tail(p: Page) -> set[int]:
    """The closing run of lines inside a sub-block of the element that holds most of the body's
    lines (an author box, a trust badge inside the text's own parent)."""
    def block_parent(el: object) -> object:
        node = el.getparent()  # type: ignore[attr-defined]
        while node is not None and node.tag in blocks.NOT_CONTAINERS and node.getparent() is not None:
            node = node.getparent()
        return node

    placed = [blocks.element_of(n, p.elements) for n in p.normed]
    parents = [block_parent(el) if el is not None else None for el in placed]
    weight: collections.Counter = collections.Counter()
    for parent, w in zip(parents, p.words, strict=True):
        if parent is not None:
            weight[parent] += w
    if not weight:
        return set()
    main, held = weight.most_common(1)[0]
    if held < 0.5 * sum(p.words):
        return set()
    at = len(p.lines)
    while at > 1:
        parent = parents[at - 1]
        if parent is None or parent is main or blocks.ADDRESS.search(p.normed[at - 1]) or \
                not any(a is main for a in parent.iterancestors()):
            break
        at -= 1
    return set(range(at, len(p.lines)))


def container_share(share: float) -> Callable[[Page], set[int]]:
    def candidate(p: Page) -> set[int]:
        saved, blocks.MAIN_SHARE = blocks.MAIN_SHARE, share
        try:
            return set(range(blocks.after_article(p.normed, p.elements, set()), len(p.lines)))
        finally:
            blocks.MAIN_SHARE = saved
    candidate.__doc__ = f"structure:after_article with the container holding {share:.0%} of the body's words"
    return candidate


def _marked(p: Page, test: Callable[[object], bool], levels: int | None) -> set[int]:
    drop = set()
    for i, n in enumerate(p.normed):
        el = p.elements.get(n)
        if el is not None and test_chain(el, test, levels):
            drop.add(i)
    return drop if len(drop) < len(p.lines) else set()


def test_chain(el: object, test: Callable[[object], bool], levels: int | None) -> bool:
    chain = [el, *el.iterancestors()]  # type: ignore[attr-defined]
    return any(test(a) for a in (chain if levels is None else chain[:levels]))


def button_class(p: Page) -> set[int]:
    """Lines in an element (or its two parents) whose class names a button ('btn', 'button-...')."""
    return _marked(p, lambda a: any(_BUTTON.search(c) for c in (a.get("class") or "").lower().split()), 3)


def author_box(p: Page) -> set[int]:
    """Lines in an element whose class or id names an author box ('author-bio', 'about-author')."""
    return _marked(p, lambda a: bool(_AUTHOR_BOX.search(f"{a.get('class') or ''} {a.get('id') or ''}".lower())), None)


def hidden(p: Page) -> set[int]:
    """Lines in an element the page hides (`hidden`, aria-hidden, an inline display:none)."""
    return _marked(p, lambda a: a.get("hidden") is not None or (a.get("aria-hidden") or "").strip().lower() == "true"
                   or bool(_HIDDEN.search(a.get("style") or "")), None)


def container_gaps(p: Page) -> list[str]:
    """Recall: prose paragraphs of the article's container, between two body lines, that the body lacks."""
    main, placed = _container(p)
    if main is None:
        return []
    order = {el: i for i, el in enumerate(main.iter())}  # type: ignore[attr-defined]
    inside = [order[el] for el in placed if el is not None and el in order]
    if len(inside) < 2:
        return []
    body = norm("\n".join(p.lines))
    found = []
    for el in main.iter(*_TEXT_TAGS):  # type: ignore[attr-defined]
        text = " ".join((el.text_content() or "").split())
        if min(inside) < order[el] < max(inside) and is_prose(text) and text.endswith((".", "!", "?")) \
                and norm(text) not in body:
            found.append(text)
    return found


REMOVALS = {"site_tail": site_tail, "stated_short": stated_short, "ellipsis_tail": ellipsis_tail,
            "tail_half_links": tail_half_links, "before_h1": before_h1, "nested_tail": nested_tail,
            "container_0.8": container_share(0.8), "container_0.7": container_share(0.7), "container_0.6": container_share(0.6),
            "button_class": button_class, "author_box": author_box, "hidden": hidden}
ADDITIONS = {"container_gaps": container_gaps}


def read_page(name: str, entry: dict, body: str) -> Page | None:
    import trafilatura

    from pipeline.clean.structured import read_page_meta
    from pipeline.errors import InputError
    from pipeline.ingest.files import read_document
    from pipeline.settings import Settings

    try:
        doc = read_document(ev.DATA_DIR / "html" / name, Settings(), run_id="eval")
    except InputError:
        return None
    tree = trafilatura.load_html(doc.raw_text)
    if tree is None:
        return None
    meta = read_page_meta(tree, entry.get("url"))
    lines = [line for line in body.split("\n") if line.strip()]
    return Page(lines, [norm(line) for line in lines], tree, blocks.line_elements(tree),
                [*meta.site_names, ev.page_host(entry)], meta.body)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("bodies", type=Path, help="bodies saved by body_eval.py --save-bodies")
    parser.add_argument("--only", help="comma-separated candidate names")
    parser.add_argument("--show", choices=["A1"], help="print what each candidate does on A1's pages")
    args = parser.parse_args(argv)
    bodies = json.loads(args.bodies.read_text(encoding="utf-8"))
    names = [n for n in [*REMOVALS, *ADDITIONS] if not args.only or n in args.only.split(",")]
    flat = ev.WHITESPACE.sub
    counts: dict[tuple[str, str], collections.Counter] = collections.defaultdict(collections.Counter)
    for name, entry in ev.load_pages(ev.DATA_DIR).items():
        if len([line for line in bodies.get(name, "").split("\n") if line.strip()]) < 2:
            continue
        page = read_page(name, entry, bodies[name])
        if page is None:
            continue
        part, before = part_of(entry), flat(" ", "\n".join(page.lines)).strip()
        for cand in names:
            if cand in REMOVALS:
                drop = REMOVALS[cand](page)
                if not drop:
                    continue
                after = flat(" ", "\n".join(t for i, t in enumerate(page.lines) if i not in drop)).strip()
                touched = [page.lines[i] for i in sorted(drop)]
            else:
                touched = ADDITIONS[cand](page)
                if not touched:
                    continue
                after = before + " " + " ".join(touched)
            c = counts[(cand, part)]
            c["pages"] += 1
            c["lines"] += len(touched)
            for snippet in entry["without"]:
                s = flat(" ", snippet).strip()
                c["boilerplate out" if cand in REMOVALS else "boilerplate in"] += \
                    (s in before and s not in after) if cand in REMOVALS else (s not in before and s in after)
            for snippet in entry["with"]:
                s = flat(" ", snippet).strip()
                c["article lost" if cand in REMOVALS else "article gained"] += \
                    (s in before and s not in after) if cand in REMOVALS else (s not in before and s in after)
            if args.show == part:
                print(f"{cand} {name}: " + " | ".join(t[:80] for t in touched))
    print(f"{'candidate':<16} {'part':<4} {'pages':>5} {'lines':>5}  boilerplate out/in, article lost/gained")
    for cand in names:
        for part in ("A1", "A2", "B"):
            c = counts.get((cand, part), collections.Counter())
            detail = ", ".join(f"{k} {v}" for k, v in c.items() if k not in ("pages", "lines"))
            print(f"{cand:<16} {part:<4} {c['pages']:5d} {c['lines']:5d}  {detail or '-'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
