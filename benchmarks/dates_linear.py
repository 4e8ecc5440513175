"""Pathological input for the dates module: every regex and per-sentence loop stays linear.

    .venv/bin/python benchmarks/dates_linear.py [--sizes 25000,50000,100000]

Each pathological input repeats one atom of the date vocabulary (a preposition, a month, a
day number, "three weeks", "the night of", a separator...) to the given size, then ends with
a date, which is how backtracking blows up ("of of of ... x January 10, 2022"). Two families:

- ``patterns``: every compiled regex of ``pipeline.extract.dates`` scanned over every atom's
  input (the slowest atom is printed);
- ``find_dates``: the whole finder over the same inputs, and over one sentence holding a
  date every ~25 characters (every date asks for the tense of its sentence).

Printed per size: seconds for the slowest input of each family, and the ratio to the smallest
size (linear: the ratio follows the size ratio; quadratic: its square).

It reads the dates module's private patterns and caches (``_PATTERNS``, ``_NAME_STARTS``,
``_boundaries``, ``_cues``) on purpose: those internals are what it checks, so it follows them
when they change.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pipeline.extract.dates as dates  # noqa: E402

ANCHOR = date(2022, 1, 10)
# Atoms from the vocabulary the patterns are written in: each, repeated, is an input that
# keeps an optional or repeated group busy.
ATOMS = (
    "of ", "the ", "on ", "of the ", "night of ", "the night of ", "mid-", "early ", "end of ",
    "January ", "Jan. ", "May ", "10 ", "10th ", "10. ", "1/", "2022-", "2022 ", "20", "1",
    "three ", "a few ", "weeks ", "three weeks ", "same ", "next ", "last ", "Friday ", "in ",
    ", ", ". ", ".\n", " ", "\n", "'s ", "said ", "will ", "due to ", "ed ", "$", ":",
)
TAIL = "x January 10, 2022 was the day."


def pathological_inputs(size: int) -> Iterator[tuple[str, str]]:
    """(label, text) pairs of about ``size`` characters."""
    for atom in ATOMS:
        yield repr(atom), (atom * (size // len(atom) + 1))[:size] + TAIL
    sentence = "The talks " + ", ".join(
        f"met on January {i % 28 + 1}, 2022" for i in range(size // 20)) + "."
    yield "one sentence of dates", sentence[:size] + "."


def module_patterns() -> list[tuple[str, re.Pattern[str]]]:
    """Every compiled regex of the dates module, found by looking (a new one is covered too)."""
    found = [(name, value) for name, value in vars(dates).items() if isinstance(value, re.Pattern)]
    found += [(f"_PATTERNS[{i}] {kind}", pattern) for i, (kind, pattern) in enumerate(dates._PATTERNS)]
    found += [(f"_NAME_STARTS[{k}]", p) for k, p in dates._NAME_STARTS.items()]
    return found


# Patterns the module applies at one position (match), not searched through a text.
AT_ONE_POSITION = {"_COUNT_NOUNS", "_TIME_AFTER", "_BY_AFTER", "_INTRO"}


def scan_patterns(text: str) -> None:
    for name, pattern in module_patterns():
        if name in AT_ONE_POSITION:
            pattern.match(text)
            continue
        for _ in pattern.finditer(text):
            pass


def run_finder(text: str) -> None:
    dates._boundaries.cache_clear()
    dates._cues.cache_clear()
    dates.find_dates(text, ANCHOR)


def slowest(size: int, job) -> tuple[float, str]:
    worst = (0.0, "")
    for label, text in pathological_inputs(size):
        started = time.perf_counter()
        job(text)
        worst = max(worst, (time.perf_counter() - started, label))
    return worst


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="25000,50000,100000")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    print(f"{len(ATOMS) + 1} pathological inputs per size, {len(module_patterns())} regexes")
    print(f"{'family':<12}{'chars':>9}{'seconds':>9}{'x smallest':>11}{'size x':>8}  slowest input")
    for family, job in (("patterns", scan_patterns), ("find_dates", run_finder)):
        base = None
        for size in sizes:
            secs, label = slowest(size, job)
            base = base or secs
            print(f"{family:<12}{size:>9,}{secs:>9.3f}{secs / base:>11.1f}{size / sizes[0]:>8.1f}  {label}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
