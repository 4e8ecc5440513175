"""Date expressions in news text, resolved against an anchor date.

Rule-based on purpose: news dates come in a small number of surface forms ("Jan. 10",
"the night of December 31", "Friday", "next week", "mid-January", "in 2014", "three weeks
later"), and a rule can be told *not* to fire on prices, counts and clock times, which a
generic parser (dateparser's ``search_dates``) does not know. Precision is never invented:
"mid-January" is a month, "in 2014" is a year, and "next week", coarser than a day, is
stated as its month (stored precisions are day, month and year).

A month-day without a year takes the year that puts it nearest the anchor, in the direction
the clause's tense points to ("will meet on January 10" looks forward, "met on December 30"
looks back). Tense comes from lexical cues, because this stage reuses the one spaCy parse
done for entities and does not parse again.
"""

from __future__ import annotations

import calendar
import re
import tomllib
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from functools import lru_cache
from pathlib import Path

from pipeline.records import Article
from pipeline.regex_prefilter import (
    could_match,
    finditer_at,
    finditer_folded,
    fold,
    lowered_twin,
    prep_anchor_starts,
    required_factors,
)

GRANULARITIES = ("day", "week", "month", "year")
LOWER_BOUND_SLACK_DAYS = 45


@dataclass
class DateExpression:
    start: int
    end: int
    text: str
    value: str  # ISO: YYYY-MM-DD | YYYY-MM | YYYY; "" for an expression nothing dates (``dated``)
    granularity: str  # "day" | "month" | "year" (a week is stated as its month; "week" when undated)
    year_explicit: bool = True  # False when the year came from the anchor, not the text
    kind: str = "absolute"  # "absolute" | "month_day" | "weekday" | "relative" | "chained" | "anchor"
    qualifier: str | None = None  # "night" | "evening" | "morning" | "mid" | "early" | "late" | "week"

    @property
    def dated(self) -> bool:
        """False for a relative expression read without an anchor: its text and granularity
        are kept ("on Thursday", a day; "last week", a week), but it names no day."""
        return bool(self.value)


# --- vocabulary -----------------------------------------------------------------------------
_MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sep": 9, "sept": 9, "october": 10, "oct": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}
# Month names that are also common words: only dates when a day/year or a preposition says so.
_AMBIGUOUS_MONTHS = {"may", "march", "mar", "june", "jun", "august", "aug", "jan", "dec", "sep", "oct"}
_WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4,
             "saturday": 5, "sunday": 6}
_NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20,
    "thirty": 30, "several": None, "a few": None, "few": None,
}

_MONTH_RE = (r"(?:January|February|March|April|May|June|July|August|September|October|November|"
             r"December|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept\.?|Sep\.?|Oct\.?|"
             r"Nov\.?|Dec\.?)(?![a-z])")
_DAY_RE = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR_RE = r"(?:1[89]\d\d|20\d\d)"
_WEEKDAY_RE = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_NUM_RE = r"(?:\d{1,2}|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty)"
_QUAL_RE = r"(?:(?:the\s+)?(?P<qual>night|evening|morning|afternoon)\s+of\s+)"
_PART_RE = r"(?:(?P<part>mid|early|late)[-\s]+|(?:the\s+)?(?P<edge>end|beginning|start|middle)\s+of\s+)"

# Ordered: longer, more specific forms first; a span claimed by one pattern is not re-used.
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("iso", re.compile(r"(?<![\d/.-])(?P<y>" + _YEAR_RE + r")-(?P<m>0[1-9]|1[0-2])-(?P<d>[0-3]\d)(?![\d])")),
    ("numeric", re.compile(r"(?<![\d/.])(?P<a>[0-3]?\d)/(?P<b>[0-3]?\d)/(?P<y>" + _YEAR_RE + r")(?![\d/])")),
    # "21. November 2021": the European ordinal full stop, only with a year (else "scored 12.
    # November was cold" would be a date).
    ("day_month_year", re.compile(r"(?<![\d.])(?P<d>" + _DAY_RE + r")\.\s+(?P<m>" + _MONTH_RE + r"),?\s+(?P<y>"
                                  + _YEAR_RE + r")(?![\d])")),
    ("day_month_year", re.compile(_QUAL_RE + r"?(?:the\s+)?(?P<d>" + _DAY_RE + r")(?:\s+of)?\s+(?P<m>"
                                  + _MONTH_RE + r")(?:,?\s+(?P<y>" + _YEAR_RE + r"))?(?![\d])")),
    # "October 24:" opens a list entry; "May 5:30" is a clock time.
    ("month_day_year", re.compile(_QUAL_RE + r"?(?P<m>" + _MONTH_RE + r")\s+(?P<d>" + _DAY_RE
                                  + r")(?!\d|:\d)(?:,?\s+(?P<y>" + _YEAR_RE + r")(?![\d]))?")),
    ("part_month", re.compile(_PART_RE + r"(?P<m>" + _MONTH_RE + r")(?:,?\s+(?P<y>" + _YEAR_RE + r"))?",
                              re.IGNORECASE)),
    ("part_year", re.compile(r"(?P<part>mid|early|late)[-\s]+(?P<y>" + _YEAR_RE + r")(?![\d])", re.IGNORECASE)),
    ("month_year", re.compile(r"(?P<m>" + _MONTH_RE + r"),?\s+(?P<y>" + _YEAR_RE + r")(?![\d])")),
    ("chained", re.compile(
        r"(?P<n>" + _NUM_RE + r"|a\s+few|several)\s+(?P<unit>day|week|month|year)s?\s+"
        r"(?P<dir>later|after\s+that|afterwards?|earlier|before\s+that|previously)", re.IGNORECASE)),
    ("same", re.compile(r"(?:the\s+)?(?P<rel>same\s+(?:day|week|month|year)|next\s+day|following\s+"
                        r"(?:day|week|month)|day\s+before|previous\s+day)", re.IGNORECASE)),
    ("ago", re.compile(r"(?P<n>" + _NUM_RE + r")\s+(?P<unit>day|week|month|year)s?\s+ago", re.IGNORECASE)),
    ("deictic", re.compile(r"(?P<w>today|yesterday|tomorrow|tonight|last\s+night)(?![\w-])", re.IGNORECASE)),
    ("this_next_last", re.compile(r"(?P<which>this|next|last|past|coming)\s+(?P<unit>week(?:end)?|month|year)"
                                  r"(?:'s|’s)?(?![\w-])", re.IGNORECASE)),
    ("weekday", re.compile(r"(?:(?P<which>last|next|this|coming|past)\s+)?(?P<wd>" + _WEEKDAY_RE + r")"
                           r"(?:'s|’s)?(?:\s+(?P<tod>night|evening|morning|afternoon))?(?![\w])", re.IGNORECASE)),
    ("month", re.compile(r"(?P<prep>\b(?:in|since|until|till|by|during|from|to|through|of|last|next|this|"
                         r"early|late)\s+)?(?P<m>" + _MONTH_RE + r")(?![\w])")),
    ("year", re.compile(r"(?P<prep>\b(?i:in|since|until|till|by|during|from|to|through|of|before|after|"
                        r"around|circa|the|until|between|and|year|summer|winter|spring|autumn|fall)\s+)?"
                        r"(?<![\d$€£¥.,:/-])(?P<y>" + _YEAR_RE + r")(?P<tail>s|'s|’s)?(?![\w%])")),
]

# Literals every match of a pattern contains (pipeline.regex_prefilter): a pattern whose
# literals are all absent from a text is not run over it. Same matches, less scanning.
_FACTORS = [required_factors(pattern) for _, pattern in _PATTERNS]
# Case-insensitive patterns scan the folded text as lower-case twins: same matches, about a
# third of the cost (pipeline.regex_prefilter.finditer_folded).
_TWINS = [lowered_twin(pattern) for _, pattern in _PATTERNS]
# "year" and "month" open with an optional preposition, so re tries that alternation at every
# position of the text (a fifth of find_dates at 1k articles): they are tried only where a year
# or a month name starts and at the word before it (pipeline.regex_prefilter.finditer_at).
# No year or month name can begin inside another (tests/extract/test_dates.py checks it).
_NAME_STARTS = {"year": re.compile(r"(?<!\d)" + _YEAR_RE), "month": re.compile(_MONTH_RE)}

# Words after a bare four-digit number that show it counts something rather than names a year.
_COUNT_NOUNS = re.compile(
    r"\s*(?:people|persons|troops|soldiers|men|women|children|civilians|cases|deaths|dead|units|"
    r"tanks|vehicles|km|kilometers|kilometres|miles|metres|meters|dollars|euros|rubles|roubles|"
    r"votes|members|employees|workers|jobs|homes|tons|tonnes|barrels|hectares|feet|points|"
    r"refugees|migrants|prisoners|pages|words|followers|signatures|rounds|missiles|drones|block|"
    r"square\s+feet|acres|yards|calories|horsepower|series|model)\b",
    re.IGNORECASE)
_CURRENCY_BEFORE = re.compile(r"(?:[$€£¥]|\b(?:USD|EUR|GBP|RUB|US\$))$")  # searched in stripped text
_TIME_AFTER = re.compile(r"\s*(?::\d\d|(?:a\.?m\.?|p\.?m\.?|hours|hrs|GMT|UTC)\b)", re.IGNORECASE)

# --- tense ----------------------------------------------------------------------------------
_FUTURE_CUES = re.compile(
    r"\b(?:will|shall|'ll|going\s+to|expected\s+to|due\s+to\s+(?=(?:be|meet|hold|start|begin|take|visit|"
    r"arrive|sign|travel|speak|vote|resume|return|open|launch|attend|host|deliver|announce|make|"
    r"give|present|submit|hear|decide|rule|end|expire|go|come|leave|publish|release)\b)|set\s+to|scheduled|slated|planned|"
    r"plans?\s+to|upcoming|forthcoming|next|to\s+be\s+held|would|may|might|intends?\s+to|aims?\s+to|"
    r"ahead\s+of|starts?|begins?|"
    r"is\s+to|are\s+to|coming)\b", re.IGNORECASE)
_PAST_CUES = re.compile(
    r"\b(?:said|says|was|were|had|did|held|met|told|announced|ago|last|earlier|previously|"
    r"took\s+place|happened|began|started|signed|spoke|wrote|discussed|agreed|stressed|"
    r"submitted|published|imposed|withdrew|visited|warned|threatened|proposed|demanded|"
    r"\w{3,}ed)\b", re.IGNORECASE)
_NOT_PAST = {"scheduled", "planned", "expected", "slated", "based", "concerned", "related", "united",
             "interested", "involved", "armed", "advanced", "limited", "required", "proposed"}
_SENT_BOUNDARY = re.compile(r"(?<=[.!?])[\"'”’)]*\s+(?=[A-Z\"“‘(])|\n\s*\n|\n")


@lru_cache(maxsize=8)
def _boundaries(text: str) -> tuple[list[int], list[int]]:
    """Sentence starts and ends of a text, computed once (tense is asked for at every date)."""
    starts, ends = [0], []
    for m in _SENT_BOUNDARY.finditer(text):
        ends.append(m.start())
        starts.append(m.end())
    ends.append(len(text))
    return starts, ends


def _sentence_span(text: str, pos: int) -> tuple[int, int]:
    starts, ends = _boundaries(text)
    i = bisect_right(starts, pos) - 1
    # A boundary match can sit right at ``pos``; the sentence then ends at the next boundary.
    j = bisect_left(ends, pos, lo=i)
    return starts[i], ends[j] if j < len(ends) else len(text)


# Each word once, each followed by non-word characters that no word starts with: one way to
# match any text, so the pattern is linear (a word listed twice made it exponential).
_INTRO = re.compile(r"[\W_]*(?:(?:on|in|at|by|already|early|late|since|until|and|but|then|so|later|the|of|"
                    r"during|from|before|after|as|that)\W+)*", re.IGNORECASE)
_INTRO_MAX = 80  # an introductory phrase is a few words: a longer lead-in is not one
# Cues further than this from a date, or behind a dozen nearer ones, weigh little (weight
# falls with the words between) and are not looked at: a sentence with many dates costs in
# proportion to its length.
_CUE_WINDOW = 400
_CUES_PER_SIDE = 12
_BY_AFTER = re.compile(r"\s+by\b")
_BE_BEFORE = re.compile(r"\bbe\s+$", re.IGNORECASE)


@dataclass(frozen=True)
class _Cue:
    start: int
    end: int
    label: str  # "past" | "future"


@lru_cache(maxsize=8)
def _cues(text: str) -> tuple[list[int], list[_Cue]]:
    """Every tense cue of a text, found once and sorted by start (tense is asked at every date)."""
    cues: list[_Cue] = []
    for label, cue_re in (("future", _FUTURE_CUES), ("past", _PAST_CUES)):
        for m in cue_re.finditer(text):
            word = m.group(0).lower()
            if label == "past" and word in _NOT_PAST:
                continue
            if label == "past" and word.endswith("ed") and _BY_AFTER.match(text, m.end()):
                continue  # "followed by", "initiated by": a participle, not the clause's tense
            if label == "past" and _BE_BEFORE.search(text, max(0, m.start() - 8), m.start()):
                continue  # "will be held", "to be signed": a passive infinitive, not the past
            cues.append(_Cue(m.start(), m.end(), label))
    cues.sort(key=lambda c: (c.start, c.label))
    return [c.start for c in cues], cues


def tense_at(text: str, start: int, end: int) -> str:
    """'past' | 'future' | 'unknown' for the clause around text[start:end] (lexical cues).

    The governing verb usually precedes the date ("will meet on Jan 10"), so cues before it
    decide when there are any; cues after it count only for an introductory date ("On
    January 26, the US submitted ...") or when nothing precedes it.
    """
    s_start, s_end = _sentence_span(text, start)
    before_scores = {"past": 0.0, "future": 0.0}
    after_scores = {"past": 0.0, "future": 0.0}
    initial = start - s_start <= _INTRO_MAX and _INTRO.fullmatch(text, s_start, start) is not None
    starts, cues = _cues(text)
    lo = bisect_left(starts, max(s_start, start - _CUE_WINDOW))
    mid = bisect_left(starts, start)
    hi = bisect_left(starts, min(s_end, end + _CUE_WINDOW))
    for cue in cues[max(lo, mid - _CUES_PER_SIDE):mid] + cues[mid:min(hi, mid + _CUES_PER_SIDE)]:
        if start <= cue.start < end or cue.end > s_end:
            continue
        before = cue.end <= start
        gap = text[cue.end:start] if before else text[end:cue.start]
        weight = 1.0 if before or initial else (0.3 if re.search(r"[,;:]", gap) else 0.6)
        side = before_scores if before else after_scores
        side[cue.label] += weight / (1.0 + len(gap.split()) / 4.0) * (1.5 if cue.label == "future" else 1.0)
    if initial or max(before_scores.values()) < 0.2:
        scores = {k: before_scores[k] + after_scores[k] for k in before_scores}
    else:
        scores = before_scores
    if max(scores.values()) < 0.1 or abs(scores["past"] - scores["future"]) < 0.1:
        return "unknown"
    return "future" if scores["future"] > scores["past"] else "past"


# --- resolution helpers ---------------------------------------------------------------------
def _month_num(token: str) -> int:
    return _MONTHS[token.lower().rstrip(".")]


def _day_num(token: str) -> int:
    digits = re.match(r"\d+", token)
    if digits is None:
        raise ValueError(f"no day number in {token!r}")
    return int(digits.group(0))


def _iso_week(d: date) -> str:
    y, w, _ = d.isocalendar()
    return f"{y}-W{w:02d}"


def _pick_year(month: int, day: int | None, anchor: date, tense: str, slack: int = 0) -> int:
    """The year that puts month(-day) nearest the anchor, in the tense's direction.

    ``slack`` (days) lets a past-tense date fall after the anchor: an anchor inferred from the
    article's own dates is only a lower bound of when it was written.
    """
    best: tuple[float, int] | None = None
    for year in (anchor.year - 1, anchor.year, anchor.year + 1):
        d = day or 1
        if day and day > calendar.monthrange(year, month)[1]:
            continue
        cand = date(year, month, d)
        if day is None:  # a month: compare month indices, the anchor's own month is "now"
            delta = (year - anchor.year) * 12 + (month - anchor.month)
        else:
            delta = (cand - anchor).days
        if tense == "past" and delta > (slack // 30 if day is None else max(1, slack)):
            continue
        if tense == "future" and delta < 0:
            continue
        score = abs(delta)
        if best is None or score < best[0]:
            best = (score, year)
    if best is None:  # tense excluded every candidate (cannot happen for +-1 year) - nearest
        return anchor.year
    return best[1]


def _valid_day(year: int, month: int, day: int) -> bool:
    return 1 <= day <= calendar.monthrange(year, month)[1]


def _shift_month(d: date, months: int) -> date:
    idx = d.year * 12 + d.month - 1 + months
    return date(idx // 12, idx % 12 + 1, 1)


def _to_value(d: date, gran: str) -> str:
    if gran == "day":
        return d.isoformat()
    if gran == "week":
        return _iso_week(d)
    if gran == "month":
        return f"{d.year:04d}-{d.month:02d}"
    return f"{d.year:04d}"


def value_of(day: date | str | None, granularity: str | None) -> str | None:
    """The ISO value (YYYY-MM-DD, YYYY-MM, YYYY) of a period stored as its first day; text
    (a record from before dates were typed) passes through."""
    if day is None or isinstance(day, str) or granularity is None:
        return None if day is None else str(day)
    return _to_value(day, granularity)


def plausible_modality(modality: str, expr: DateExpression, anchor: date | None) -> str:
    """An event said to have occurred cannot be dated after the day its article was written:
    a date past the anchor is a plan ("said it would meet on Friday"), whatever the verb."""
    if anchor is None or modality != "occurred" or not expr.dated:
        return modality
    first, _ = value_to_range(expr.value, expr.granularity)
    return "scheduled" if first > anchor else modality


def date_confidence(expr: DateExpression, anchor_conf: str | None) -> str | None:
    """A date stated with its year is as strong as the text; any other leans on its anchor; an
    undated expression has no date to be sure of."""
    if not expr.dated:
        return None
    if expr.year_explicit and expr.kind == "absolute":
        return "strong"
    if expr.kind == "anchor":  # no date in the text: the day it was reported, one step less sure
        return {"strong": "inferred"}.get(anchor_conf or "weak", "weak")
    return anchor_conf or "weak"


def value_to_range(value: str, granularity: str | None) -> tuple[date, date]:
    """First and last day a resolved value covers (used to compare dates of different precision);
    a value without a granularity is read as a year."""
    if granularity == "day":
        d = date.fromisoformat(value)
        return d, d
    if granularity == "week":
        year, week = value.split("-W")
        first = date.fromisocalendar(int(year), int(week), 1)
        return first, first + timedelta(days=6)
    if granularity == "month":
        y, m = (int(p) for p in value.split("-"))
        return date(y, m, 1), date(y, m, calendar.monthrange(y, m)[1])
    y = int(value)
    return date(y, 1, 1), date(y, 12, 31)


def _number(token: str) -> int | None:
    token = re.sub(r"\s+", " ", token.lower())
    if token.isdigit():
        return int(token)
    return _NUMBER_WORDS.get(token)


# --- the finder -----------------------------------------------------------------------------
@dataclass
class _Match:
    """What a resolver gets: the match, its text and the references it may count from."""

    kind: str
    m: re.Match[str]
    text: str
    anchor: date | None
    previous: DateExpression | None
    slack: int

    @property
    def g(self) -> dict[str, str | None]:
        """Every named group; the optional ones are None when they did not take part."""
        return self.m.groupdict()

    def req(self, name: str) -> str:
        """A group the kind's pattern always fills."""
        value = self.m.groupdict().get(name)
        if value is None:
            raise KeyError(f"the {self.kind!r} date pattern did not fill its group {name!r}")
        return value

    @property
    def tense(self) -> str:
        """Asked only by the forms whose year or day depends on it (a scan of the sentence)."""
        if self.anchor is None:
            return "unknown"
        return tense_at(self.text, self.m.start(), self.m.end())


@dataclass
class _Anchored(_Match):
    """A match for the forms that count from the anchor: they are resolved only with one."""

    anchor: date


_Resolver = Callable[[_Match], "DateExpression | None"]
_AnchoredResolver = Callable[[_Anchored], "DateExpression | None"]


def _r_iso(x: _Match) -> DateExpression | None:
    y, mo, d = int(x.req("y")), int(x.req("m")), int(x.req("d"))
    return _mk(x.m, date(y, mo, d), "day") if _valid_day(y, mo, d) else None


def _r_numeric(x: _Match) -> DateExpression | None:
    a, b, y = int(x.req("a")), int(x.req("b")), int(x.req("y"))
    if a > 12 >= b:
        mo, d = b, a
    elif b > 12 >= a or a == b:
        mo, d = a, b
    else:
        return None  # 03/04/2022: US or European order cannot be told - do not guess
    return _mk(x.m, date(y, mo, d), "day") if 1 <= mo <= 12 and _valid_day(y, mo, d) else None


def _r_day_month(x: _Match) -> DateExpression | None:
    g = x.g
    mo, d = _month_num(x.req("m")), _day_num(x.req("d"))
    if year := g.get("y"):
        y, explicit = int(year), True
    elif x.anchor is None:
        return None
    else:
        # "May 5" is a date, but a bare "may 5" (lowercase) never reaches here: months are
        # matched case-sensitively.
        y, explicit = _pick_year(mo, d, x.anchor, x.tense, x.slack), False
    if not _valid_day(y, mo, d):
        return None
    return _mk(x.m, date(y, mo, d), "day", explicit, "absolute" if explicit else "month_day", g.get("qual"))


def _r_part_month(x: _Match) -> DateExpression | None:
    g = x.g
    mo = _month_num(x.req("m"))
    if year := g.get("y"):
        y, explicit = int(year), True
    elif x.anchor is not None:
        y, explicit = _pick_year(mo, None, x.anchor, x.tense, x.slack), False
    else:
        return None
    part = (g.get("part") or g.get("edge") or "").lower()
    return _mk(x.m, date(y, mo, 1), "month", explicit, "absolute" if explicit else "month_day", part)


def _r_part_year(x: _Match) -> DateExpression | None:
    return _mk(x.m, date(int(x.req("y")), 1, 1), "year", True, "absolute", x.req("part").lower())


def _r_month_year(x: _Match) -> DateExpression | None:
    return _mk(x.m, date(int(x.req("y")), _month_num(x.req("m")), 1), "month")


# Steps of a counted unit: (days, months, years) per unit and the granularity it states.
_UNIT_STEP = {"day": ((1, 0, 0), "day"), "week": ((7, 0, 0), "week"), "month": ((0, 1, 0), "month"),
              "year": ((0, 0, 1), "year")}


def _step(ref: date, unit: str, n: int) -> tuple[date, str]:
    (days, months, years), gran = _UNIT_STEP[unit]
    if years:
        return date(ref.year + n * years, 1, 1), gran
    if months:
        return _shift_month(ref, n * months), gran
    return ref + timedelta(days=n * days), gran


def _r_chained(x: _Match) -> DateExpression | None:
    n, ref = _number(x.req("n")), x.previous
    if n is None or ref is None:
        return None  # "three weeks later" with nothing before it: no reference to count from
    ref_start, _ = value_to_range(ref.value, ref.granularity)
    sign = -1 if x.req("dir").lower().startswith(("earlier", "before", "previous")) else 1
    d, gran = _step(ref_start, x.req("unit").lower(), sign * n)
    return _mk(x.m, d, _coarser(gran, ref.granularity), ref.year_explicit, "chained")


# "the next day" and the like: (unit, steps) from the previous date; "same <unit>" is 0 steps.
_SAME = {"next day": ("day", 1), "following day": ("day", 1), "day before": ("day", -1),
         "previous day": ("day", -1), "following week": ("week", 1), "following month": ("month", 1)}


def _r_same(x: _Match) -> DateExpression | None:
    ref = x.previous
    if ref is None:
        return None
    ref_start, _ = value_to_range(ref.value, ref.granularity)
    rel = re.sub(r"\s+", " ", x.req("rel").lower())
    unit, n = _SAME.get(rel, (rel.split()[-1], 0))
    d, gran = _step(ref_start, unit, n)
    return _mk(x.m, d, _coarser(gran, ref.granularity), ref.year_explicit, "chained")


def _r_year(x: _Match) -> DateExpression | None:
    y0, y1 = x.m.start("y"), x.m.end("y")
    return DateExpression(y0, y1, x.text[y0:y1], x.m.group("y"), "year")


def _r_ago(x: _Anchored) -> DateExpression | None:
    n = _number(x.req("n"))
    if n is None:
        return None
    d, gran = _step(x.anchor, x.req("unit").lower(), -n)
    return _mk(x.m, d, gran, False, "relative")


_DEICTIC_DAYS = {"today": 0, "tonight": 0, "yesterday": -1, "last night": -1, "tomorrow": 1}


def _r_deictic(x: _Anchored) -> DateExpression | None:
    w = x.req("w")
    if w[0].isupper() and x.m.start() > 0 and not _starts_sentence(x.text, x.m.start()):
        return None  # "USA Today", "Ukraine Today": a name, not a day
    offset = _DEICTIC_DAYS[re.sub(r"\s+", " ", w.lower())]
    return _mk(x.m, x.anchor + timedelta(days=offset), "day", False, "relative")


_WHICH_STEP = {"this": 0, "coming": 1, "next": 1, "last": -1, "past": -1}


def _r_this_next_last(x: _Anchored) -> DateExpression | None:
    unit = x.req("unit").lower()
    d, gran = _step(x.anchor, "week" if unit.startswith("week") else unit, _WHICH_STEP[x.req("which").lower()])
    return _mk(x.m, d, gran, False, "relative")


def _r_weekday(x: _Anchored) -> DateExpression | None:
    g, anchor = x.g, x.anchor
    wd = _WEEKDAYS[x.req("wd").lower()]
    which = (g.get("which") or "").lower()
    if not which and not x.req("wd")[0].isupper():
        return None
    back = (anchor.weekday() - wd) % 7
    fwd = (wd - anchor.weekday()) % 7
    if which in ("last", "past"):
        offset = -(back or 7)
    elif which in ("next", "coming"):
        # "next Friday" said on a Thursday is the Friday of next week, not tomorrow.
        offset = fwd + 7 if fwd == 0 or anchor.weekday() + fwd <= 6 and which == "next" else fwd
    else:
        tense = "unknown" if which == "this" else x.tense
        if tense == "unknown":
            offset = -back if back <= fwd else fwd
        else:
            offset = -back if tense == "past" else fwd
    return _mk(x.m, anchor + timedelta(days=offset), "day", False, "weekday", (g.get("tod") or "").lower() or None)


_MONTH_PREP_TENSE = {"last": "past", "next": "future", "this": "unknown"}
_MONTH_PREP_DROPPED = ("in", "since", "until", "till", "by", "during", "from", "to", "through", "of")


def _r_month(x: _Anchored) -> DateExpression | None:
    token = x.req("m")
    prep = (x.g.get("prep") or "").strip().lower()
    if token.lower().rstrip(".") in _AMBIGUOUS_MONTHS and not prep:
        return None  # "May" the verb, "March" the walk, "June" the name
    mo = _month_num(token)
    tense = _MONTH_PREP_TENSE[prep] if prep in _MONTH_PREP_TENSE else x.tense
    y = _pick_year(mo, None, x.anchor, tense, x.slack)
    start = x.m.start("m") if prep in _MONTH_PREP_DROPPED else x.m.start()
    return DateExpression(start, x.m.end(), x.text[start:x.m.end()], f"{y:04d}-{mo:02d}", "month",
                          False, "month_day", prep if prep in ("early", "late") else None)


# kind -> resolver. Forms that count from the anchor are not resolved without one; forms
# that count from the previous date need that date instead.
_RESOLVERS: dict[str, _Resolver] = {
    "iso": _r_iso, "numeric": _r_numeric, "day_month_year": _r_day_month,
    "month_day_year": _r_day_month, "part_month": _r_part_month,
    "part_year": _r_part_year, "month_year": _r_month_year,
    "chained": _r_chained, "same": _r_same, "year": _r_year,
}
_ANCHORED_RESOLVERS: dict[str, _AnchoredResolver] = {
    "ago": _r_ago, "deictic": _r_deictic, "this_next_last": _r_this_next_last,
    "weekday": _r_weekday, "month": _r_month,
}


# Read against when nothing anchors a text, only to run the forms' own checks ("May" the verb,
# "USA Today"); the value found is dropped. A leap year, so "February 29" passes.
_PLACEHOLDER_ANCHOR = date(2000, 6, 15)


def _resolve(kind: str, m: re.Match[str], text: str, anchor: date | None,
             previous: DateExpression | None, slack: int = 0, keep_undated: bool = False) -> DateExpression | None:
    anchored = _ANCHORED_RESOLVERS.get(kind)
    if anchored is None:
        expr = _RESOLVERS[kind](_Match(kind, m, text, anchor, previous, slack))
    elif anchor is not None:
        return anchored(_Anchored(kind, m, text, anchor, previous, slack))
    else:
        expr = None
    if expr is not None or anchor is not None or not keep_undated or kind in ("chained", "same"):
        return expr
    # Nothing anchors the text: the expression keeps its text and granularity, and no day.
    placed = (anchored(_Anchored(kind, m, text, _PLACEHOLDER_ANCHOR, previous, slack)) if anchored is not None
              else _RESOLVERS[kind](_Match(kind, m, text, _PLACEHOLDER_ANCHOR, previous, slack)))
    if placed is None or placed.year_explicit:
        return placed
    granularity = "week" if placed.qualifier == "week" else placed.granularity
    return replace(placed, value="", granularity=granularity)


def _starts_sentence(text: str, pos: int) -> bool:
    return re.search(r"(?:^|[.!?\n][\"'”’)]*)\s*$", text[max(0, pos - 4):pos]) is not None


def _coarser(a: str, b: str) -> str:
    return a if GRANULARITIES.index(a) >= GRANULARITIES.index(b) else b


def _mk(m: re.Match[str], d: date, gran: str, explicit: bool = True, kind: str = "absolute",
        qualifier: str | None = None) -> DateExpression:
    if gran == "week":
        # Stored precisions are day, month and year: a week is stated as its month (the month
        # of its Thursday, as ISO weeks do, when it straddles two), never as a made-up day.
        monday = d - timedelta(days=d.weekday())
        d, gran, qualifier = monday + timedelta(days=3), "month", qualifier or "week"
    return DateExpression(m.start(), m.end(), m.group(0), _to_value(d, gran), gran, explicit, kind,
                          qualifier or None)


def _year_is_date(text: str, m: re.Match[str], anchor: date | None) -> bool:
    """A bare four-digit number names a year only with a year-like context."""
    y = int(m.group("y"))
    if m.group("tail") == "s":
        return False  # "the 1990s" is a decade: coarser than any granularity we store
    before = text[max(0, m.start("y") - 6):m.start("y")]
    after = text[m.end("y"):m.end("y") + 30]
    if _CURRENCY_BEFORE.search(before.rstrip()) or _TIME_AFTER.match(after) or _COUNT_NOUNS.match(after):
        return False
    if re.match(r"\s*[-–]\s*\d", after) or re.search(r"\d[,.]\s*$", before):
        return False  # part of a range or a larger number ("100,2021")
    if m.group("prep") or m.group("tail"):
        return True
    # No preposition: accept a plausible year that opens a sentence or follows a comma or
    # bracket ("2022 represents ...", "two terms, 2010 to 2018"); after a noun it is a label
    # ("Room 2019", "gate 2018").
    lo, hi = (1900, 2100) if anchor is None else (anchor.year - 60, anchor.year + 15)
    lead = text[max(0, m.start("y") - 200):m.start("y")].rstrip()
    opens = not lead or lead[-1] in ".!?\n(,–—:;\"“" or _starts_sentence(text, m.start("y"))
    return lo <= y <= hi and opens and bool(re.match(r"\s*(?:[,.;:)!?]|$|[a-z]+\b)", after))


def find_dates(text: str, anchor: date | None, *, anchor_is_lower_bound: bool = False,
               keep_undated: bool = False) -> list[DateExpression]:
    """Every date expression in ``text``, resolved against ``anchor`` (offsets into ``text``).

    Without an anchor only self-contained dates (with a year) are resolved; with
    ``keep_undated`` the others are kept too, undated (``DateExpression.dated``). With
    ``anchor_is_lower_bound`` (an anchor inferred from the article's own dates: the article
    was written that day or later) a past-tense month-day may fall up to
    ``LOWER_BOUND_SLACK_DAYS`` after it.
    """
    slack = LOWER_BOUND_SLACK_DAYS if anchor_is_lower_bound else 0
    if isinstance(anchor, datetime):
        anchor = anchor.date()
    taken = [False] * (len(text) + 1)
    for name in _names().finditer(text):  # a date word inside a name is not a date
        taken[name.start():name.end()] = [True] * (name.end() - name.start())
    raw: list[tuple[int, int, str, re.Match[str]]] = []
    folded = fold(text)
    for (kind, pattern), factors, twin in zip(_PATTERNS, _FACTORS, _TWINS, strict=True):
        if not could_match(factors, bool(pattern.flags & re.IGNORECASE), text, folded):
            continue
        opener = _NAME_STARTS.get(kind)
        matches = (finditer_at(pattern, text, prep_anchor_starts(opener, text)) if opener is not None
                   else finditer_folded(pattern, twin, text, folded))
        for m in matches:
            s, e = m.start(), m.end()
            if any(taken[s:e]):
                continue
            if kind == "year" and not _year_is_date(text, m, anchor):
                continue
            for i in range(s, e):
                taken[i] = True
            raw.append((s, e, kind, m))
    raw.sort(key=lambda r: r[0])
    found: list[DateExpression] = []
    previous: DateExpression | None = None  # the last dated expression: "a day later" counts from it
    for _s, _e, kind, m in raw:
        expr = _resolve(kind, m, text, anchor, previous, slack, keep_undated)
        if expr is None:
            continue
        found.append(expr)
        if expr.dated:
            previous = expr
    return found


# --- the anchor -----------------------------------------------------------------------------
_DATELINE_WINDOW = 400  # a date in the first lines of the body is usually the dateline
_TIE_WINDOW = 80  # characters of the date's clause before it where a tie word counts

# Where an anchor came from, and how far relative expressions may lean on it. A publication
# date is strong; a dateline or the latest reported day is inferred from the text (with the
# date expression as evidence); the fetch time is valid for an item fetched live from the web
# (fetched minutes or hours after publication) and weak for a file, which may be years old.
ANCHOR_SOURCES = ("published", "dateline", "reported", "fetched")
CONFIDENCES = ("strong", "inferred", "weak")


def anchor_confidence(source: str | None, live: bool) -> str | None:
    """'strong' | 'inferred' | 'weak' for an anchor source; None when there is no anchor."""
    if source is None:
        return None
    if source == "published":
        return "strong"
    if source == "fetched":
        return "inferred" if live else "weak"
    return "inferred"


def is_live(article: Article) -> bool:
    """Fetched from the web (a feed item or its page), not read from a file."""
    return (article.source_uri or "").startswith(("http://", "https://"))


@lru_cache(maxsize=1)
def _ties() -> tuple[re.Pattern[str], re.Pattern[str]]:
    data = tomllib.loads((Path(__file__).with_name("date_ties.toml")).read_text(encoding="utf-8"))

    def words(key: str) -> str:
        return "|".join(r"\s+".join(map(re.escape, w.split())) for w in sorted(data[key], key=len, reverse=True))

    return (re.compile(r"\b(?:" + words("before") + r")\b", re.IGNORECASE),
            re.compile(r"[\s,]*(?:\w+\s+){0,1}(?:" + words("after") + r")\b", re.IGNORECASE))


@lru_cache(maxsize=1)
def _names() -> re.Pattern[str]:
    """Names with a date word inside ("Sunday Telegraph", "Black Friday"), from date_ties.toml."""
    data = tomllib.loads((Path(__file__).with_name("date_ties.toml")).read_text(encoding="utf-8"))
    names = sorted(data["names"]["names"], key=len, reverse=True)
    return re.compile(r"(?<![\w-])(?:" + "|".join(r"\s+".join(map(re.escape, n.split())) for n in names)
                      + r")(?![\w-])")


def tied_elsewhere(text: str, expr: DateExpression) -> bool:
    """The text ties the date to something else: a birth, a founding, an anniversary, history."""
    before_re, after_re = _ties()
    s_start, _ = _sentence_span(text, expr.start)
    lead_start = max(s_start, expr.start - _TIE_WINDOW)
    clause_start = max((text.rfind(c, lead_start, expr.start) for c in ",;:("), default=-1)
    lead_start = max(lead_start, clause_start + 1)
    return (before_re.search(text, lead_start, expr.start) is not None
            or after_re.match(text, expr.end, min(len(text), expr.end + 40)) is not None)


def resolve_anchor(article: Article, fetched_at: datetime | None) -> tuple[datetime | None, str | None]:
    """The date relative expressions resolve against, and where it came from.

    The published date when known ("published"); else one inferred from the article's own
    full dates: a dateline near the top ("dateline"), else the latest reported day that is
    neither in a forward-looking clause nor tied to something else (a birth, a founding, an
    anniversary: ``date_ties.toml``) ("reported"); else the fetch time ("fetched", strong
    enough only for an item fetched live: ``anchor_confidence``).
    """
    if article.published_at is not None:
        return article.published_at, "published"
    text = article.body or ""
    dated = [e for e in find_dates(text, None) if e.granularity == "day" and e.year_explicit]
    if fetched_at is not None:
        limit = fetched_at.date() + timedelta(days=1)
        dated = [e for e in dated if date.fromisoformat(e.value) <= limit]
    head = [e for e in dated if e.start < _DATELINE_WINDOW and _line_is_dateline(text, e)
            and not tied_elsewhere(text, e)]
    if head:
        return datetime.fromisoformat(head[0].value), "dateline"
    reported = [e for e in dated if not tied_elsewhere(text, e) and tense_at(text, e.start, e.end) != "future"]
    if reported:
        return datetime.fromisoformat(max(reported, key=lambda e: e.value).value), "reported"
    if fetched_at is not None:
        return fetched_at, "fetched"
    return None, None


def _line_is_dateline(text: str, expr: DateExpression) -> bool:
    line_start = text.rfind("\n", 0, expr.start) + 1
    line_end = text.find("\n", expr.end)
    line = text[line_start:line_end if line_end != -1 else len(text)]
    return len(line.strip()) <= 60
