"""find_dates with and without one of its scan shortcuts, side by side.

    .venv/bin/python benchmarks/dates_speed.py [--n 1000] [--rounds 5] [--language en] [--switch twins|anchors]

Builds a corpus (benchmarks/corpus.py), then times find_dates over every text with the
shortcut and with the plain scans, alternately, ``--rounds`` times; prints the median
ms/article of each and their ratio, and checks that both found the same expressions.
``twins``: the lowered twins of the case-insensitive patterns
(pipeline.regex_prefilter.finditer_folded); ``anchors``: "year" and "month" tried only where a
year or month name starts (pipeline.regex_prefilter.finditer_at).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pipeline.extract.dates as dates  # noqa: E402
from benchmarks.corpus import build  # noqa: E402

ANCHOR = date(2022, 1, 10)


def _timed(texts: list[str], attribute: str, value: object) -> tuple[float, list]:
    setattr(dates, attribute, value)
    started = time.perf_counter()
    found = [dates.find_dates(t, ANCHOR) for t in texts]
    return (time.perf_counter() - started) * 1000 / len(texts), found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--language", default="en")
    parser.add_argument("--switch", choices=["twins", "anchors"], default="twins")
    args = parser.parse_args()
    attribute = {"twins": "_TWINS", "anchors": "_ANCHORS"}[args.switch]
    corpus = build(Path(tempfile.mkdtemp(prefix="newsmon-dates-")) / "corpus", args.n, language=args.language)
    texts = corpus.texts
    shortcut = getattr(dates, attribute)
    plain = [None] * len(shortcut) if args.switch == "twins" else {}
    with_it, without = [], []
    for _ in range(args.rounds):
        ms, fast = _timed(texts, attribute, shortcut)
        with_it.append(ms)
        ms, slow = _timed(texts, attribute, plain)
        without.append(ms)
        if fast != slow:
            raise SystemExit(f"the {args.switch} changed what find_dates found")
    setattr(dates, attribute, shortcut)
    a, b = statistics.median(with_it), statistics.median(without)
    print(f"{len(texts)} texts, {sum(map(len, fast))} date expressions, {args.rounds} alternating rounds")
    print(f"find_dates, plain scans:  {b:.2f} ms/article (median)")
    print(f"find_dates, with {args.switch}: {a:.2f} ms/article (median), {b / a:.2f}x faster, same expressions")


if __name__ == "__main__":
    main()
