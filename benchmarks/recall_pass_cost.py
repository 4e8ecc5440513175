"""What trafilatura's second, favor_recall pass costs per page (pipeline/clean/recall_gaps.py).

Times, over an evenly spread sample of the evaluation pages, the one parse `extract_html` makes
(trafilatura's loader) and a copy of its tree (what trafilatura makes of a tree it is given,
once per pass), the default extraction the clean stage makes (json with metadata), the recall
pass alone, each from the parsed tree as `extract_html` runs them, and the whole `extract_html`
(the parse, both passes, the page's structured data, the stated body, furniture and lead).
Each is timed twice and the faster run kept (the machine is shared).

    .venv/bin/python benchmarks/recall_pass_cost.py --pages 120
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))

from benchmarks.extraction_eval import DATA_DIR, load_pages, read_page  # noqa: E402


def _seconds(run, pages: list[tuple[str, str | None]], repeats: int) -> float:  # noqa: ANN001 - a callable
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        for html, url in pages:
            run(html, url)
        best = min(best, time.perf_counter() - start)
    return best


def main(argv: list[str] | None = None) -> int:
    import copy

    import trafilatura

    from pipeline.clean.html import extract_html

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=120)
    parser.add_argument("--repeats", type=int, default=2)
    args = parser.parse_args(argv)
    if not (DATA_DIR / "evaldata_full.json").is_file():
        print(f"no evaluation data at {DATA_DIR}", file=sys.stderr)
        return 2
    pages = [(read_page(DATA_DIR, n).decode("utf-8", "replace"), e.get("url"))
             for n, e in load_pages(DATA_DIR, args.pages).items()]
    parse = _seconds(lambda h, u: trafilatura.load_html(h), pages, args.repeats)
    trees = {h: trafilatura.load_html(h) for h, _ in pages}
    copies = _seconds(lambda h, u: copy.copy(trees[h]), pages, args.repeats)
    default = _seconds(lambda h, u: trafilatura.extract(trees[h], url=u, output_format="json", with_metadata=True,
                                                        include_comments=False, include_tables=True),
                       pages, args.repeats)
    recall = _seconds(lambda h, u: trafilatura.extract(trees[h], url=u, favor_recall=True, include_comments=False,
                                                       include_tables=True), pages, args.repeats)
    whole = _seconds(extract_html, pages, args.repeats)
    print(f"{len(pages)} pages: parse {parse:.1f}s, a copy of the tree {copies:.1f}s, default json+metadata "
          f"{default:.1f}s, favor_recall pass {recall:.1f}s, extract_html {whole:.1f}s "
          f"(the recall pass {recall / whole:.0%} of it)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
