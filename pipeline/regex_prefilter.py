"""Literal prefilters for regular expressions: skip a search that cannot match (a utility,
not a stage: the clean rules and the quality suite's boilerplate markers use it).

Every sentence of every article is tried against every boilerplate rule, and almost none
match. Most rules are long alternations of phrases, which Python's ``re`` tries at every
position of the text (about 25 µs a sentence each). But ``(follow|find) us (on|at)`` cannot
match a text that lacks " us ", and a substring test is far cheaper than the search.

``required_factors`` reads a compiled pattern's syntax tree and returns a set of literal
strings at least one of which occurs in every match (None when it finds no useful set), in
the spirit of RE2's prefilter. Only ASCII literals are used. Under IGNORECASE exactly four
non-ASCII characters match an ASCII one (İ ı ſ and the Kelvin sign), so ``fold`` maps
them and lower-cases, and a factor test on the folded text is exact for any text.
tests/test_regex_prefilter.py checks that the prefilter never rejects a text the regex matches.
"""

from __future__ import annotations

import itertools
import re
import re._constants as C  # noqa: N812 (the stdlib's own name for it)
import re._parser as sre_parse
from typing import Any

from pipeline.text import replace_chars

_MAX_EXACT = 64  # bigger literal sets are not worth their product
_MIN_FACTOR_CHARS = 3  # shorter factors occur in nearly every sentence
_ZERO_WIDTH = {C.AT, C.ASSERT, C.ASSERT_NOT}
# The non-ASCII characters re.IGNORECASE matches to an ASCII letter, other than by lower():
# 'İ'.lower() is two characters, 'ı' and 'ſ' are already lower case. (The Kelvin sign lowers to k.)
_IGNORECASE_TO_ASCII = (("\u0130", "i"), ("\u0131", "i"), ("\u017f", "s"))

Strings = frozenset[str]


def required_factors(pattern: re.Pattern[str]) -> Strings | None:
    """Literal strings one of which every match contains, or None (no prefilter)."""
    fold = bool(pattern.flags & re.IGNORECASE)
    try:
        tree = sre_parse.parse(pattern.pattern, pattern.flags)
    except re.error:
        return None
    found = _factors(list(tree), fold)
    if not found or min(len(s) for s in found) < _MIN_FACTOR_CHARS:
        return None
    # A factor containing another is implied by it ("April" by "Apr"): test the shorter only.
    return frozenset(f for f in found if not any(g != f and g in f for g in found))


def fold(text: str) -> str:
    """``text`` as the factors of an IGNORECASE pattern are tested against."""
    if text.isascii():
        return text.lower()
    return replace_chars(text, _IGNORECASE_TO_ASCII).lower()  # translate() is ~15x slower


def could_match(factors: Strings | None, ignorecase: bool, text: str, folded: str) -> bool:
    """False only when the pattern certainly does not match ``text``; ``folded`` is ``fold(text)``."""
    if factors is None:
        return True
    return any(f in (folded if ignorecase else text) for f in factors)


def _char(code: int, fold: bool) -> str | None:
    if code > 127:
        return None
    ch = chr(code)
    return ch.lower() if fold else ch


def _exact(item: tuple, fold: bool) -> Strings | None:
    """Every string one item can match, when that is a small set of ASCII literals."""
    op, av = item
    if op == C.LITERAL:
        ch = _char(av, fold)
        return frozenset([ch]) if ch is not None else None
    if op in _ZERO_WIDTH:
        return frozenset([""])
    if op == C.SUBPATTERN:
        _group, add_flags, del_flags, sub = av
        if add_flags or del_flags:
            return None
        return _exact_seq(list(sub), fold)
    if op == C.BRANCH:
        out: set[str] = set()
        for alt in av[1]:
            part = _exact_seq(list(alt), fold)
            if part is None:
                return None
            out |= part
        return frozenset(out) if len(out) <= _MAX_EXACT else None
    if op == C.IN:
        chars = set()
        for kind, value in av:
            if kind != C.LITERAL:
                return None
            ch = _char(value, fold)
            if ch is None:
                return None
            chars.add(ch)
        return frozenset(chars) if len(chars) <= 8 else None
    if op in (C.MAX_REPEAT, C.MIN_REPEAT):
        low, high, sub = av
        if (low, high) not in ((0, 1), (1, 1)):
            return None
        part = _exact_seq(list(sub), fold)
        if part is None:
            return None
        return part | {""} if low == 0 else part
    return None


def _exact_seq(items: list[tuple], fold: bool) -> Strings | None:
    out: Strings = frozenset([""])
    for item in items:
        part = _exact(item, fold)
        if part is None:
            return None
        out = frozenset(a + b for a, b in itertools.product(out, part))
        if len(out) > _MAX_EXACT:
            return None
    return out


def _factors_of_item(item: tuple, fold: bool) -> Strings | None:
    """Strings one of which every match of a (non-literal) item contains."""
    op, av = item
    if op == C.SUBPATTERN:
        _group, add_flags, del_flags, sub = av
        return None if add_flags or del_flags else _factors(list(sub), fold)
    if op == C.BRANCH:
        out: set[str] = set()
        for alt in av[1]:
            part = _factors(list(alt), fold)
            if not part:
                return None
            out |= part
        return frozenset(out)
    if op in (C.MAX_REPEAT, C.MIN_REPEAT):
        low, _high, sub = av
        return _factors(list(sub), fold) if low >= 1 else None
    return None


def _better(a: Strings | None, b: Strings | None) -> Strings | None:
    """The more selective set: longer shortest string, then fewer strings."""
    if not b or "" in b:
        return a
    if not a:
        return b
    key_a, key_b = (min(map(len, a)), -len(a)), (min(map(len, b)), -len(b))
    return b if key_b > key_a else a


def _factors(items: list[tuple], fold: bool) -> Strings | None:
    """Runs of consecutive exactly-known items (as products), or one item's own factors."""
    best: Strings | None = None
    run: Strings = frozenset([""])
    for item in items:
        part = _exact(item, fold)
        if part is not None:
            product = frozenset(a + b for a, b in itertools.product(run, part))
            if len(product) <= _MAX_EXACT:
                run = product
                continue
            best = _better(best, run)
            run = part
            continue
        best = _better(best, run)
        run = frozenset([""])
        best = _better(best, _factors_of_item(item, fold))
    return _better(best, run)


class LiteralIndex:
    """For many patterns at once: which could match a text, from one Aho-Corasick pass over it.

    Testing a long text for each literal of each pattern in turn costs a scan per literal
    (about 2 ms for an article and the clean rules); the automaton finds every literal that
    occurs, overlapping ones included, in one scan (about 0.2 ms).
    """

    def __init__(self, patterns: list[re.Pattern[str]]):
        import ahocorasick

        self.size = len(patterns)
        self.unfiltered = {i for i, p in enumerate(patterns) if required_factors(p) is None}
        self._automata: list[tuple[bool, Any]] = []
        for ignorecase in (True, False):
            owners: dict[str, list[int]] = {}
            for i, pattern in enumerate(patterns):
                factors = required_factors(pattern)
                if factors is not None and bool(pattern.flags & re.IGNORECASE) == ignorecase:
                    for literal in factors:
                        owners.setdefault(literal, []).append(i)
            if owners:
                automaton = ahocorasick.Automaton()
                for literal, ids in owners.items():
                    automaton.add_word(literal, tuple(ids))
                automaton.make_automaton()
                self._automata.append((ignorecase, automaton))

    def possible(self, text: str, folded: str | None = None) -> set[int]:
        """Indices of the patterns that could match ``text`` (``folded`` is ``fold(text)``)."""
        found = set(self.unfiltered)
        for ignorecase, automaton in self._automata:
            haystack = (folded if folded is not None else fold(text)) if ignorecase else text
            for _, ids in automaton.iter(haystack):
                found.update(ids)
        return found


# --- caseless scanning -------------------------------------------------------------------
# Python's re compares case-insensitively character by character: an IGNORECASE pattern scans
# text 2-4x slower than the same pattern written in lower case scans lower-cased text. ``fold``
# keeps every offset (only "İ" lower-cases to two characters, and it is mapped first), so the
# twin's spans over the folded text are spans of the original. Exact for patterns whose cased
# letters are ASCII: a character matches an ASCII letter under IGNORECASE exactly when it folds
# to it, and folding never moves a character in or out of \w, \s or \d (both checked over all
# of Unicode in tests/test_regex_prefilter.py). Non-ASCII cased letters are not: "ς" matches "Σ"
# under IGNORECASE but lower-cases to itself.
# Sources lower-casing could change: \S \W \D \B \A \Z, letters written as escapes (\x41,
# \u0041, \101; back-references go too), and case-sensitive groups inside, (?-i:...).
_UNSAFE_SOURCE = re.compile(r"\\(?:[A-Z]|x|u|[0-7])|\(\?-")


def _cased_non_ascii(source: str) -> bool:
    return any(not c.isascii() and c.lower() != c.upper() for c in source)


def lowered_twin(pattern: re.Pattern[str]) -> re.Pattern[str] | None:
    """A case-sensitive twin of an IGNORECASE pattern for ``fold``-ed text, or None when the
    pattern is case-sensitive or its source cannot be lower-cased safely."""
    if not pattern.flags & re.IGNORECASE or _UNSAFE_SOURCE.search(pattern.pattern) \
            or _cased_non_ascii(pattern.pattern):
        return None
    source = pattern.pattern.lower().replace("(?p<", "(?P<").replace("(?p=", "(?P=")
    try:
        return re.compile(source, pattern.flags & ~re.IGNORECASE)
    except re.error:
        return None


def finditer_folded(pattern: re.Pattern[str], twin: re.Pattern[str] | None, text: str,
                    folded: str) -> list[re.Match[str]]:
    """``list(pattern.finditer(text))``, found with ``twin`` over ``folded`` when there is one.

    Each span the twin finds is matched again on ``text`` with ``pattern`` itself, so groups
    and letter case are the text's own; if any span disagrees the plain scan is returned.
    """
    if twin is None or len(folded) != len(text):
        return list(pattern.finditer(text))
    found = []
    for candidate in twin.finditer(folded):
        m = pattern.match(text, candidate.start())
        if m is None or m.end() != candidate.end():
            return list(pattern.finditer(text))
        found.append(m)
    return found


# --- anchored scanning ---------------------------------------------------------------------
# A pattern shaped ``(?P<prep>\b(?:word|...)\s+)?ANCHOR...`` has no first character Python's re
# can skip to, so finditer runs the whole optional alternation at every position of the text.
# Its matches can only start where ANCHOR starts or at the word just before one, so the
# anchor (which re does find fast) gives every possible start; the pattern is then tried there.


def prep_anchor_starts(anchor: re.Pattern[str], text: str) -> list[int]:
    """Sorted positions where ``(?P<prep>\\b(?:words)\\s+)?`` + ``anchor`` could begin a match:
    each place ``anchor`` matches, and the start of the word right before it (one whitespace run
    between). Exact only when no match of ``anchor`` can begin inside another one."""
    starts: set[int] = set()
    for m in anchor.finditer(text):
        a = i = m.start()
        while i > 0 and text[i - 1].isspace():  # \s is str.isspace
            i -= 1
        j = i
        while j > 0 and (text[j - 1].isalnum() or text[j - 1] == "_"):  # \w is isalnum or "_"
            j -= 1
        if j < i < a:
            starts.add(j)
        starts.add(a)
    return sorted(starts)


def finditer_at(pattern: re.Pattern[str], text: str, starts: list[int]) -> list[re.Match[str]]:
    """``list(pattern.finditer(text))`` for a pattern that never matches the empty string, when
    ``starts`` (sorted) holds every position a match can begin at: tried in order, a position
    inside the previous match skipped, as finditer does."""
    found: list[re.Match[str]] = []
    end = 0
    for start in starts:
        if start < end:
            continue
        m = pattern.match(text, start)
        if m is not None:
            found.append(m)
            end = m.end()
    return found
