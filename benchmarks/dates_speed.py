"""find_dates with and without one of its scan shortcuts, side by side.

    .venv/bin/python benchmarks/dates_speed.py [--n 1000] [--rounds 5] [--language en] [--switch twins|starts]

Builds a corpus (benchmarks/corpus.py), then times find_dates over every text with the
shortcut and with the plain scans, alternately, ``--rounds`` times; prints the median
ms/article of each and their ratio, and checks that both found the same expressions.
``twins``: the lowered twins of the case-insensitive patterns
(pipeline.regex_prefilter.finditer_folded); ``starts``: "year" and "month" tried only where a
year or month name starts (pipeline.regex_prefilter.finditer_at). ``--per-pattern`` also
times each pattern's scan over all texts, plain and with the start finders where a pattern has
them, and checks that both scans return the same matches.

It reads the dates module's private scan tables (``_PATTERNS``, ``_FACTORS``, ``_TWINS``,
``_NAME_STARTS``) on purpose: the shortcuts over them are what it times, so it follows them
when they change.
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
    parser.add_argument("--switch", choices=["twins", "starts"], default="twins")
    parser.add_argument("--per-pattern", action="store_true", help="also time each pattern's scan")
    args = parser.parse_args()
    attribute = {"twins": "_TWINS", "starts": "_NAME_STARTS"}[args.switch]
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
    if args.per_pattern:
        per_pattern(texts)


def _scan_seconds(texts: list[str], scan) -> tuple[float, list]:
    started = time.perf_counter()
    spans = [[(m.span(), m.groupdict()) for m in scan(t)] for t in texts]
    return time.perf_counter() - started, spans


def per_pattern(texts: list[str]) -> None:
    """Seconds each pattern's scan takes over every text (behind its literal prefilter)."""
    import re

    from pipeline.regex_prefilter import could_match, finditer_at, finditer_folded, fold, prep_anchor_starts

    folded = {id(t): fold(t) for t in texts}
    print(f"{'pattern':<16} {'plain s':>8} {'starts s':>9}")
    for (kind, pattern), factors, twin in zip(dates._PATTERNS, dates._FACTORS, dates._TWINS, strict=True):
        ignorecase = bool(pattern.flags & re.IGNORECASE)
        scanned = [t for t in texts if could_match(factors, ignorecase, t, folded[id(t)])]
        plain, expected = _scan_seconds(scanned, lambda t, p=pattern, w=twin: finditer_folded(p, w, t, folded[id(t)]))
        starts = dates._NAME_STARTS.get(kind)
        shown = "-"
        if starts is not None:
            seconds, found = _scan_seconds(scanned, lambda t, p=pattern, s=starts: finditer_at(p, t, prep_anchor_starts(s, t)))
            if found != expected:
                raise SystemExit(f"the start finder changed what {kind} matches")
            shown = f"{seconds:.2f}"
        print(f"{kind:<16} {plain:>8.2f} {shown:>9}")


if __name__ == "__main__":
    main()
