"""Literal prefilters for regular expressions: skip a search that cannot match (a utility,
not a stage: the clean rules, the date finder and the quality suite's boilerplate markers use it).

Every sentence of every article is tried against every boilerplate rule, and almost none
match. Most rules are long alternations of phrases, which Python's ``re`` tries at every
position of the text (about 25 µs a sentence each). But ``(follow|find) us (on|at)`` cannot
match a text that lacks " us ", and a literal test is far cheaper than the search.

The literals come from RE2's own prefilter (``re2.Filter``, FilteredRE2 in google-re2): it reads
each pattern and keeps the strings one of which every match contains, and finds which patterns'
strings occur in a text with one scan. Its strings are matched case-insensitively, so a
case-sensitive pattern is only filtered more loosely, never wrongly. A pattern RE2 cannot read
(lookbehind, possessive repeats, ...) is never filtered: it is always searched. Under
IGNORECASE exactly four non-ASCII characters match an ASCII one (İ ı ſ and the Kelvin sign);
RE2's case folding knows ſ and the Kelvin sign, and ``fold`` maps the other two, so the filter
runs on the folded text and is exact for any text.
tests/test_regex_prefilter.py checks that the prefilter never rejects a text the regex matches.
"""

from __future__ import annotations

import re

import re2

from pipeline.text import replace_chars

# The non-ASCII characters re.IGNORECASE matches to an ASCII letter, other than by lower():
# 'İ'.lower() is two characters, 'ı' and 'ſ' are already lower case. (The Kelvin sign lowers to k.)
_IGNORECASE_TO_ASCII = (("\u0130", "i"), ("\u0131", "i"), ("\u017f", "s"))
# Python reads "a{,3}" as up to three a's, RE2 as the literal "{,3}": such a pattern is not
# given to RE2, whose literals for it would be wrong.
_PYTHON_ONLY = re.compile(r"\{,")


def _options(pattern: re.Pattern[str]) -> re2.Options:
    options = re2.Options()
    options.log_errors = False  # a pattern RE2 cannot read is expected: it stays unfiltered
    options.case_sensitive = not pattern.flags & re.IGNORECASE
    options.dot_nl = bool(pattern.flags & re.DOTALL)
    options.never_nl = False
    return options


class LiteralIndex:
    """For many patterns at once: which could match a text, from one scan of it."""

    def __init__(self, patterns: list[re.Pattern[str]]):
        self._patterns = list(patterns)
        self.size = len(patterns)
        self._filter = re2.Filter()
        self._ids: list[int] = []  # the filter's pattern number -> the caller's
        unfiltered = set()
        for i, pattern in enumerate(patterns):
            try:
                if _PYTHON_ONLY.search(pattern.pattern):
                    raise re2.error("Python-only syntax")
                self._filter.Add(pattern.pattern, _options(pattern))
                self._ids.append(i)
            except re2.error:
                unfiltered.add(i)
        self.unfiltered = frozenset(unfiltered)
        if self._ids:
            self._filter.Compile()

    def __reduce__(self) -> tuple[type[LiteralIndex], tuple[list[re.Pattern[str]]]]:
        return LiteralIndex, (self._patterns,)  # RE2's filter is rebuilt, not pickled

    def possible(self, text: str, folded: str | None = None) -> set[int]:
        """Indices of the patterns that could match ``text`` (``folded`` is ``fold(text)``)."""
        if self._ids:
            try:
                passed = self._filter.Match(folded if folded is not None else fold(text), True)
            except UnicodeEncodeError:  # lone surrogates: RE2 takes only valid UTF-8, so filter nothing
                return set(self._ids) | self.unfiltered
            return set(self.unfiltered).union(self._ids[i] for i in passed or ())
        return set(self.unfiltered)


Prefilter = LiteralIndex  # one pattern's: could_match asks it


def required_factors(pattern: re.Pattern[str]) -> Prefilter | None:
    """A prefilter for one pattern, or None when RE2 cannot read it (then always search)."""
    index = LiteralIndex([pattern])
    return None if index.unfiltered else index


def fold(text: str) -> str:
    """``text`` as the prefilter tests it: lower-cased, the IGNORECASE specials mapped."""
    if text.isascii():
        return text.lower()
    return replace_chars(text, _IGNORECASE_TO_ASCII).lower()  # translate() is ~15x slower


def could_match(factors: Prefilter | None, ignorecase: bool, text: str, folded: str) -> bool:
    """False only when the pattern certainly does not match ``text``; ``folded`` is ``fold(text)``.
    (``ignorecase`` is the pattern's flag; the prefilter knows it already.)"""
    if factors is None:
        return True
    return bool(factors.possible(text, folded))


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
