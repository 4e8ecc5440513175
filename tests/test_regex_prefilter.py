"""The rules' literal prefilter never rejects a text its regex matches, and does reject text.

Texts come from three places: strings hypothesis generates from each rule's regex (with its
own case variants), the rule cases, and the seeds' paragraphs and sentences.
"""

from __future__ import annotations

import random
import re
import sys
import tomllib
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from pipeline.clean.engine import split_sentences
from pipeline.clean.rules import load_rules
from pipeline.extract.dates import _PATTERNS as DATE_PATTERNS
from pipeline.regex_prefilter import (
    LiteralIndex,
    could_match,
    finditer_folded,
    fold,
    lowered_twin,
    required_factors,
)
from pipeline.text import normalise_for_hash
from tests.conftest import examples

ROOT = Path(__file__).resolve().parents[1]
CASES = tomllib.loads((ROOT / "tests" / "clean" / "cases" / "rule_cases.toml").read_text("utf-8"))["case"]
# Inline rules cut or repair with regex.sub and are never prefiltered.
RULES = [r for r in load_rules().rules if r.scope != "inline"]
FRAMES = ["", "the minister said ", " and more"]


@pytest.mark.parametrize("rule", RULES, ids=[r.label for r in RULES])
def test_prefilter_keeps_every_generated_match(rule):
    @hypothesis_settings(max_examples=examples(40))
    @given(core=st.from_regex(rule.regex), frame=st.sampled_from(FRAMES), upper=st.booleans())
    def check(core: str, frame: str, upper: bool) -> None:
        text = frame + (core.upper() if upper else core) if frame != " and more" else core + frame
        if rule.regex.search(text):
            assert could_match(rule.factors, rule.folded, text, fold(text)), (rule.label, text)

    check()


def _real_texts() -> list[str]:
    texts = [normalise_for_hash(c["text"]) for c in CASES]
    for seed in sorted((ROOT / "seeds").glob("*.txt")):
        for para in seed.read_text(encoding="utf-8").split("\n"):
            texts.append(normalise_for_hash(para))
            texts += [normalise_for_hash(s) for _, s in split_sentences(para)]
    return [t for t in texts if t]


def test_prefilter_agrees_with_the_regex_on_real_text():
    texts = _real_texts()
    skipped = 0
    for rule in RULES:
        for text in texts:
            allowed = could_match(rule.factors, rule.folded, text, fold(text))
            assert allowed or not rule.regex.search(text), (rule.label, text)
            skipped += not allowed
    # The point of it: most (rule, text) pairs never reach the regex.
    assert skipped > 0.7 * len(texts) * len(RULES)


def test_prefilter_of_simple_patterns():
    follow = required_factors(re.compile(r"^\W*(follow|find) us (on|at)\b", re.I))
    assert could_match(follow, True, "FIND US AT home", fold("FIND US AT home"))
    assert not could_match(follow, True, "follow the money", fold("follow the money"))
    comments = required_factors(re.compile(r"\d+ comments", re.I))
    assert not could_match(comments, True, "no remarks", "no remarks")
    # RE2 cannot read a lookbehind, and "{,3}" means another thing to it: never filtered.
    assert required_factors(re.compile(r"(?<=Mr)\. Smith")) is None
    assert required_factors(re.compile(r"ab{,3}cdef")) is None


def test_fold_covers_every_character_ignorecase_matches_to_ascii():
    """Exhaustive over Unicode: a character matching an ASCII one under IGNORECASE folds to it."""
    ascii_class = re.compile("[\x00-\x7f]", re.IGNORECASE)
    for cp in range(128, sys.maxunicode + 1):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        char = chr(cp)
        if ascii_class.fullmatch(char):
            folded = fold(char)
            assert len(folded) == 1 and folded.isascii(), hex(cp)
            assert re.fullmatch(re.escape(folded), char, re.IGNORECASE), hex(cp)


def test_fold_works_character_by_character():
    """Offsets of the folded text are the original's: a string folds as its characters do
    (but for lower()'s one context rule, a final capital sigma: "ΣΣ" lowers to "σς")."""
    rng = random.Random(11)
    alphabet = ["\u0130", "\u0131", "\u017f", "\u212a", "A", "s", "\u00c9", "\u03a3", " ", "\u2019"]
    for _ in range(5000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 20)))
        folded = fold(text)
        assert len(folded) == len(text), repr(text)
        for char, got in zip(text, folded, strict=True):
            assert got == fold(char) or (char == "\u03a3" and got == "\u03c2"), repr(text)


def test_non_ascii_case_variants_are_not_rejected():
    pattern = re.compile("newsletter", re.I)
    factors = required_factors(pattern)
    for text in ("the NEW\u017fLETTER", "Sign up: NEWSLETTER", "newsletter \u0130"):
        assert pattern.search(text) and could_match(factors, True, text, fold(text)), text
    assert not could_match(factors, True, "the weather", fold("the weather"))


def test_literal_index_agrees_with_each_patterns_own_check():
    index = LiteralIndex([r.regex for r in RULES])
    texts = _real_texts() + ["the NEW\u017fLETTER", "FOLLOW US ON X", "Leave a reply below"]
    for text in texts:
        possible = index.possible(text)
        for i, rule in enumerate(RULES):
            assert (i in possible) == could_match(rule.factors, rule.folded, text, fold(text)), (rule.label, text)


# --- caseless scanning (lowered_twin / finditer_folded) ------------------------------------
# The case-insensitive date patterns (all have twins) and, for more shapes, the rules that do.
DATE_CASELESS = [p for _, p in DATE_PATTERNS if p.flags & re.IGNORECASE]
CASELESS = DATE_CASELESS + [r.regex for r in RULES if r.folded and lowered_twin(r.regex) is not None]
# Non-ASCII characters IGNORECASE matches to ASCII letters, put in at random by _exotic.
_SPECIALS = {"s": "\u017f", "i": "\u0131", "k": "\u212a", "I": "\u0130"}


def _exotic(text: str, rng: random.Random) -> str:
    return "".join(_SPECIALS[c] if c in _SPECIALS and rng.random() < 0.2 else c for c in text)


def _spans(matches) -> list:
    return [(m.span(), m.groupdict()) for m in matches]


@pytest.mark.slow  # a long property check: every code point
def test_folding_keeps_case_matches_and_character_classes_over_all_of_unicode():
    """What finditer_folded's exactness rests on: a character folding to an ASCII letter matches
    it under IGNORECASE, and folding keeps every character in or out of \\w, \\s and \\d."""
    chars = [chr(cp) for cp in range(sys.maxunicode + 1) if not 0xD800 <= cp <= 0xDFFF]
    folds = [fold(char) for char in chars]
    assert [hex(ord(c)) for c, f in zip(chars, folds, strict=True) if len(f) != 1] == []
    for char, folded in zip(chars, folds, strict=True):
        if folded.isascii() and folded.isalpha():
            assert re.fullmatch(folded, char, re.IGNORECASE), hex(ord(char))
    # One character a position in both strings: a class matching at different positions is a
    # character folding into or out of it (a scan per class instead of a match per character).
    text, folded_text = "".join(chars), "".join(folds)
    for cls in (re.compile(c) for c in (r"\w", r"\s", r"\d")):
        differ = {m.start() for m in cls.finditer(text)} ^ {m.start() for m in cls.finditer(folded_text)}
        assert [hex(ord(text[i])) for i in sorted(differ)[:5]] == [], cls.pattern


@pytest.mark.parametrize("pattern", CASELESS, ids=[p.pattern[:40] for p in CASELESS])
def test_twin_finds_what_the_pattern_finds_in_generated_text(pattern):
    twin = lowered_twin(pattern)
    assert twin is not None

    @hypothesis_settings(max_examples=examples(60))
    @given(core=st.from_regex(pattern), other=st.from_regex(pattern), seed=st.integers(0, 2**16))
    def check(core: str, other: str, seed: int) -> None:
        rng = random.Random(seed)
        for text in (core, f"On {core}, and then {other} more"):
            text = _exotic("".join(c.upper() if rng.random() < 0.3 else c for c in text), rng)
            expected = list(pattern.finditer(text))
            assert _spans(finditer_folded(pattern, twin, text, fold(text))) == _spans(expected), text

    check()


def test_every_caseless_date_pattern_has_a_twin():
    assert DATE_CASELESS and all(lowered_twin(p) is not None for p in DATE_CASELESS)


def test_a_twin_that_disagrees_falls_back_to_the_pattern():
    pattern = re.compile("next week", re.IGNORECASE)
    text = "NEXT WEEK and next week"
    wrong = re.compile("and")  # finds a span the pattern does not match there
    assert _spans(finditer_folded(pattern, wrong, text, fold(text))) == _spans(pattern.finditer(text))
    assert [m.group(0) for m in finditer_folded(pattern, lowered_twin(pattern), text, fold(text))] == [
        "NEXT WEEK", "next week"]  # the text's own case, not the folded one


def test_no_twin_where_lower_casing_the_source_would_change_it():
    for source in (r"\Sday", r"\x41m", r"(a)\1", r"(?-i:May) day", "\u03c3\u03b9"):
        assert lowered_twin(re.compile(source, re.IGNORECASE)) is None, source
    assert lowered_twin(re.compile("today")) is None  # already case-sensitive
    assert lowered_twin(re.compile(r"(?P<w>Mon)day\b", re.IGNORECASE)).pattern == r"(?P<w>mon)day\b"
