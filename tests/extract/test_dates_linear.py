"""Every regex of the dates module and the per-date tense scan are linear in their input.

Pathological inputs (benchmarks/dates_linear.py: one atom of the date vocabulary repeated to
100 KB, then a date) under loose time budgets; the benchmark prints the figures. A
backtracking or quadratic pattern takes minutes to hours here, so the budgets only separate
"linear" from "not", not fast from slow.
"""

from __future__ import annotations

import time
from datetime import date

import pytest

import pipeline.extract.dates as dates
from benchmarks.dates_linear import ATOMS, pathological_inputs, run_finder, scan_patterns

SIZE = 100_000
BUDGET_SECONDS = 20.0  # linear takes well under a second per input here; quadratic, minutes

INPUTS = dict(pathological_inputs(SIZE))


@pytest.mark.slow  # a long property check: 100 KB per input (smaller ones would not tell quadratic)
@pytest.mark.parametrize("label", list(INPUTS))
def test_every_pattern_and_the_finder_are_linear_on_pathological_input(label):
    text = INPUTS[label]
    assert len(text) >= SIZE
    started = time.perf_counter()
    scan_patterns(text)
    run_finder(text)
    assert time.perf_counter() - started < BUDGET_SECONDS, label


def test_the_benchmark_covers_every_compiled_pattern_of_the_module():
    from benchmarks.dates_linear import module_patterns

    names = {name for name, _ in module_patterns()}
    assert {"_INTRO", "_FUTURE_CUES", "_PAST_CUES", "_SENT_BOUNDARY"} <= names
    assert sum(name.startswith("_PATTERNS[") for name in names) == len(dates._PATTERNS)
    assert len(ATOMS) >= 30


def test_repeated_intro_words_do_not_backtrack_and_the_date_is_still_found():
    # A word listed twice in the intro pattern's repeated group doubled the time per extra
    # word: 20 words took 1.2 s, 160 words about seven hours.
    text = "of " * 5000 + "x January 10, 2022 was the day."
    started = time.perf_counter()
    found = dates.find_dates(text, date(2022, 1, 12))
    assert time.perf_counter() - started < BUDGET_SECONDS
    assert [(e.text, e.value) for e in found] == [("January 10, 2022", "2022-01-10")]


def test_an_introductory_date_still_reads_the_verb_after_it():
    s = "On January 26, the envoy submitted the reply."
    assert dates.tense_at(s, 3, 13) == "past"
    s = "And then, in the end, on January 26 the envoy will submit the reply."
    assert dates.tense_at(s, s.index("January"), s.index(" the envoy")) == "future"


def test_a_thousand_dates_in_one_sentence_cost_in_proportion_to_the_sentence():
    # Every date asked for its sentence's tense by scanning every cue of the sentence: 1,000
    # dates in one 25 KB sentence took 149 s; the cues are now found once per text.
    text = "The talks " + ", ".join(f"met on January {i % 28 + 1}, 2022" for i in range(1000)) + "."
    started = time.perf_counter()
    found = dates.find_dates(text, date(2022, 2, 1))
    assert time.perf_counter() - started < BUDGET_SECONDS
    assert len(found) == 1000
    assert {e.value for e in found} == {f"2022-01-{d:02d}" for d in range(1, 29)}
