"""Evidence for an entity's type beyond the model's label on one mention.

- Context cues (``knowledge/type_cues.toml``): phrases that say in news what kind of thing a
  name is ("Mr X", "shares in X", "X beat Y").
- Name structure in the article: a one-word span that is a word of a full person's name in the
  same article is that person ("Wang" after "Wang Donghai", "Farrakhan" after "Louis
  Farrakhan"); one that opens a longer organisation name, or spells its initials, is that
  organisation ("Cofinec" after "Cofinec S.A.", "Real" after "Real Madrid", "SAG" after
  "Screen Actors Guild"); one that opens a geographic feature's name is that feature ("Mizen"
  after "Mizen Head").
- Capitalised common words: a one-word span seen only where capitals say nothing (a sentence or
  line start) whose lower-case form the batch uses as an ordinary word ("Attendance: 2,000",
  "Women's 100 metres") is not a name.

Each source adds weighted votes to the model's per-mention votes; :mod:`entity_types` decides.
"""

from __future__ import annotations

import re
import tomllib
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from pipeline.errors import ConfigError
from pipeline.extract.entity_text import fold, initials
from pipeline.extract.gazetteer import Gazetteer

CUES_FILE = Path(__file__).parent / "knowledge" / "type_cues.toml"
SPEECH_VERBS_FILE = Path(__file__).parent / "knowledge" / "speech_verbs.txt"
# How far around a name a cue may look (characters): cues are short phrases.
_CUE_WINDOW = 60
STRUCTURE_WEIGHT = 3
_LINE_OR_SENTENCE_START = re.compile(r"(?:^|[\n.!?:;]|[.!?][\"'”’])[\s\"'“‘(]*$")
_LOWER_WORD = re.compile(r"\b[a-z][a-z'’-]+\b")
# a capitalised word after a lower-case word or a comma: capitals there mark a name
_MID_SENTENCE_CAPITAL = re.compile(r"(?<=[a-z,] )[A-Z][a-z'’-]+\b")


@dataclass(frozen=True, kw_only=True)
class Cue:
    """One context cue of knowledge/type_cues.toml (its fields are the file's keys)."""

    label: str
    before: re.Pattern[str] | None
    after: re.Pattern[str] | None
    name: re.Pattern[str] | None
    weight: int
    place_only: bool
    not_place: bool = False  # never on a name the model or the gazetteer reads as a place or a people
    not_known_place: bool = False  # never on a name the gazetteer knows as a place or a people
    firm: bool = False  # decides the name's type unless a cue for another type fired
    not_country: bool = False  # never on a country's name (a national team is its country)
    article_wide: bool = False  # says what the name is in the whole article, not at one mention
    model_label: str | None = None  # applies only to this reading of the model's


@dataclass
class CueVotes:
    """The cues that fired around one mention."""

    votes: Counter[str]
    team: bool = False  # a place-only cue fired: a team named after its town, here only
    firm: frozenset[str] = frozenset()  # labels of the firm cues that fired
    wide: frozenset[str] = frozenset()  # labels of the article-wide cues that fired
    # votes of the cues that only re-read one of the model's readings ("the Louvre" read as a
    # person): a guess between two kept types, no word on what kind of thing the name is
    reread: Counter[str] = field(default_factory=Counter)


_CUE_KEYS = frozenset({"label", "before", "after", "name", "weight", "place_only", "not_place", "not_known_place",
                       "firm", "not_country", "article_wide", "model_label"})


def _cue(entry: dict[str, object]) -> Cue:
    unknown = set(entry) - _CUE_KEYS
    if unknown:  # a misspelt key would otherwise be a cue silently missing its condition
        raise ConfigError(f"{CUES_FILE.name}: unknown key(s) {sorted(unknown)} in cue {entry.get('label')!r}",
                          hint=f"use only {sorted(_CUE_KEYS)}")

    def pattern(key: str) -> re.Pattern[str] | None:
        return re.compile(str(entry[key])) if key in entry else None

    def flag(key: str) -> bool:
        return bool(entry.get(key, False))

    model_label = entry.get("model_label")
    return Cue(label=str(entry["label"]), before=pattern("before"), after=pattern("after"), name=pattern("name"),
               weight=int(str(entry.get("weight", 1))), place_only=flag("place_only"), not_place=flag("not_place"),
               not_known_place=flag("not_known_place"),
               firm=flag("firm"), not_country=flag("not_country"), article_wide=flag("article_wide"),
               model_label=None if model_label is None else str(model_label))


@lru_cache(maxsize=1)
def load_cues(path: Path = CUES_FILE) -> tuple[Cue, ...]:
    spec = tomllib.loads(path.read_text(encoding="utf-8"))
    return tuple(_cue(c) for c in spec["cue"])


def cue_votes(body: str, start: int, end: int, surface: str, label: str, gaz: Gazetteer) -> CueVotes:
    """The cues around one mention ``body[start:end]`` (``label``: the model's reading). A
    place-only cue (a team named after its town) makes a reading that holds in this article
    only: a town is a town elsewhere."""
    votes: Counter[str] = Counter()
    reread: Counter[str] = Counter()
    team = False
    firm: set[str] = set()
    wide: set[str] = set()
    before = body[max(0, start - _CUE_WINDOW):start]
    after = body[end:end + _CUE_WINDOW]
    team_place: bool | None = None
    known_place: bool | None = None
    for cue in load_cues():
        # every part a cue gives must hold ("at the" before AND a date after the name)
        if (cue.before is not None and not cue.before.search(before)) or \
                (cue.after is not None and not cue.after.search(after)) or \
                (cue.name is not None and not cue.name.search(surface)):
            continue
        if cue.place_only:
            if team_place is None:
                team_place = gaz.country(surface) is None and (
                    label in ("GPE", "LOC") or gaz.place(surface) is not None)
            if not team_place:
                continue
            team = True
        if (cue.not_country and gaz.country(surface) is not None) or \
                (cue.model_label is not None and cue.model_label != label):
            continue
        if cue.not_place or cue.not_known_place:
            if known_place is None:
                known_place = gaz.place(surface) is not None or gaz.demonym_country(surface) is not None
            if known_place or (cue.not_place and label in _PLACE_OR_PEOPLE):
                continue
        votes[cue.label] += cue.weight
        if cue.model_label is not None:
            reread[cue.label] += cue.weight
        if cue.firm:
            firm.add(cue.label)
        if cue.article_wide:
            wide.add(cue.label)
    if (place := _region_after(body, end, surface, label, gaz)) is not None:
        votes[place] += REGION_AFTER_WEIGHT
    return CueVotes(votes, team=team, firm=frozenset(firm), wide=frozenset(wide), reread=reread)


_PLACE_OR_PEOPLE = frozenset({"GPE", "LOC", "NORP", "FAC"})
REGION_AFTER_WEIGHT = 3
# ", Ill." / ", Illinois" right after a name, then the end of the phrase: not a list
# ("Ohio, Illinois and Texas") nor a possessive or a compound ("Illinois's", "Illinois-based")
_REGION_AFTER = re.compile(r",[ \t]+((?:[A-Z][a-z]*\.){1,2}|[A-Z][a-z]+(?:[ \t][A-Z][a-z]+)?)"
                           r"(?=[ \t]*(?:$|[,;:.)\n]|\(|[-—–][ \t])|(?<=\.)[ \t])")


def _region_after(body: str, end: int, surface: str, label: str, gaz: Gazetteer) -> str | None:
    """"Taylorville, Ill.", "Napa, California": a town followed by its state (an AP abbreviation
    or a state's name) is a place, whatever the model read. Not for people, initials ("NATO,
    Texas"), a name that is itself a state or a country ("Texas, Oklahoma"), nor a longer name
    the model calls an organisation ("By Jane Doe, BBC News, New York")."""
    if label == "PERSON" or not surface[:1].isupper() or surface.isupper() or \
            (label not in ("GPE", "LOC") and " " in surface.strip()):
        return None
    m = _REGION_AFTER.match(body, end)
    if m is None:
        return None
    region = m.group(1)
    known = gaz.state_abbreviation(region) or gaz.subdivision(region.rstrip("."))
    if known is None or gaz.country(surface) is not None or gaz.subdivision(surface) is not None:
        return None
    return "GPE"


def structure_votes(article_spans: list[tuple[str, str]]) -> dict[str, Counter[str]]:
    """Votes for one-word names from the article's multi-word spans: ``article_spans`` is
    (surface, label) of every span in one article; returns folded word -> votes."""
    person_words: set[str] = set()
    org_heads: set[str] = set()
    feature_heads: set[str] = set()
    for surface, label in article_spans:
        words = surface.split()
        if len(words) < 2:
            continue
        if label == "PERSON":
            person_words.update(fold(w) for w in words if len(w) > 2 and not w.endswith("."))
        elif label == "ORG" and words[0][:1].isupper() and len(words[0]) > 2:
            org_heads.add(fold(words[0]))
            if len(initials(surface)) >= 2:  # "Screen Actors Guild (SAG)"
                org_heads.add(fold(initials(surface)))
        elif label == "LOC" and words[0][:1].isupper() and len(words[0]) > 2:
            feature_heads.add(fold(words[0]))  # "Mizen" after "Mizen Head"
    out: dict[str, Counter[str]] = defaultdict(Counter)
    for w in person_words:
        out[w]["PERSON"] += STRUCTURE_WEIGHT
    for w in org_heads - person_words:
        out[w]["ORG"] += STRUCTURE_WEIGHT
    for w in feature_heads - person_words - org_heads:
        out[w]["LOC"] += STRUCTURE_WEIGHT
    return out


def person_openers(article_spans: list[tuple[str, str]]) -> frozenset[str]:
    """Folded words that open the article's multi-word PERSON spans and stand nowhere else in
    one ("Miami" of "Miami Gonzalez", "Paris" of "Paris Hilton"): a given name, or a place's
    name the model ran into a person's."""
    first: set[str] = set()
    inner: set[str] = set()
    for surface, label in article_spans:
        words = surface.split()
        if label == "PERSON" and len(words) >= 2:
            first.add(fold(words[0]))
            inner.update(fold(w) for w in words[1:])
    return frozenset(first - inner)


_CLAUSE_BEFORE = re.compile(r"(?:[,;:]|\band|\bbut)\s+$")


@lru_cache(maxsize=2)
def speech_after(path: Path = SPEECH_VERBS_FILE) -> re.Pattern[str]:
    """A speech verb of ``knowledge/speech_verbs.txt`` right after a name: the article uses the
    name as a person's ("Paris said she ..."). A line that is not one lower-case word stops
    with a ConfigError naming it."""
    words = []
    for n, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if not re.fullmatch(r"[a-z]+", line):
            raise ConfigError(f"{path.name}:{n}: expected one lower-case speech verb, got {raw!r}")
        words.append(line)
    return re.compile(r"^\s+(?:" + "|".join(words) + r")\b")


def speaks(body: str, start: int, end: int) -> bool:
    """The name at ``start:end`` is the subject of a speech verb that follows it, when the name
    opens a clause (not "officials in Miami said")."""
    return speech_after().match(body[end:end + 20]) is not None and (
        at_line_or_sentence_start(body, start) or _CLAUSE_BEFORE.search(body[max(0, start - 6):start]) is not None)


def at_line_or_sentence_start(body: str, start: int) -> bool:
    return bool(_LINE_OR_SENTENCE_START.search(body[max(0, start - 12):start]))


def ordinary_words(bodies: list[str], wanted: set[str]) -> set[str]:
    """Those of ``wanted`` (capitalised words) that the texts use more often in lower case
    than capitalised in mid-sentence: ordinary words, not names."""
    if not wanted:
        return set()
    lower = {w.lower(): w for w in wanted}
    n_lower: Counter[str] = Counter()
    n_mid: Counter[str] = Counter()
    for body in bodies:
        n_lower.update(w for w in _LOWER_WORD.findall(body) if w in lower)
        n_mid.update(w for w in _MID_SENTENCE_CAPITAL.findall(body) if w in wanted)
    return {w for w in wanted if n_lower[w.lower()] > n_mid[w]}


# Datelines: "BELGRADE 1996-08-30", "LONDON, March 3 (Reuters) -", "NAPA COUNTY, Calif. (KGO) --".
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
# After the place: an optional ", Region", then an ISO date, a month and day, or an agency in
# brackets followed by a dash.
_DATELINE_AFTER = re.compile(r"(?:\s*,\s*[A-Z][\w.]*(?:\s[A-Z][\w.]*)?)?,?[ \t]+(?:\d{4}-\d{2}-\d{2}\b|" + _MONTH +
                    r"\s+\d{1,2}\b)|(?:\s*,\s*[A-Z][\w.]*(?:\s[A-Z][\w.]*)?)?\s*\([A-Z][\w .&-]{0,30}\)\s*(?:-|--|–|—)")


# A dateline opening a line: the place in capitals ("DAR ES SALAAM", "BUFFALO"), then what
# ``_DATELINE_AFTER`` reads, then an agency in brackets and the dash (AP writes "_") if left.
_DATELINE_PLACE = re.compile(r"[A-Z][A-Z.'-]+(?:[ \t]+[A-Z][A-Z.'-]+)*")
_DATELINE_REST = re.compile(r"(?:\s*,\s*[A-Z][\w.]*(?:\s[A-Z][\w.]*)?\s*(?:\([A-Z][\w .&-]{0,30}\))?|"
                            r"\s*\([A-Z][\w .&-]{0,30}\))\s*(?:--|-|–|—|_)\s|[ \t]+(?:--|—|_)\s")


class Dateline(NamedTuple):
    """A dateline's place read at a line's start, and what follows it."""

    place_end: int
    after: re.Match[str] | None  # a date, or an agency in brackets and a dash (``_DATELINE_AFTER``)


def read_dateline(text: str, start: int, place_end: int | None = None) -> Dateline | None:
    """The dateline whose place opens a line at ``start``: the place ends at ``place_end`` when
    the caller has found it (a name span), else it is the words in capitals there (at least
    three characters). None when ``start`` does not open its line or there is no such place.
    The one reader of datelines, for entity types (:func:`is_dateline`) and for the event
    parse (:func:`dateline_end`)."""
    if text[text.rfind("\n", 0, start) + 1:start].strip():
        return None
    if place_end is None:
        place = _DATELINE_PLACE.match(text, start)
        if place is None or len(place.group()) < 3:
            return None
        place_end = place.end()
    return Dateline(place_end, _DATELINE_AFTER.match(text, place_end))


def dateline_end(text: str, start: int) -> int | None:
    """Where a wire dateline that opens a line at ``start`` ends ("HAVANA, August 7 (Xinhua) --
    ", "NAIROBI, Kenya (AP) _ ", "MIAMI _ "): the place a story is filed from, not part of its
    first sentence's grammar. None when there is none ("U.S. - China talks": a bare hyphen
    after the place only with a region or an agency)."""
    read = read_dateline(text, start)
    if read is None:
        return None
    date = read.after
    if date is not None and text[date.end() - 1] in "-–—":
        return date.end() + (text[date.end()] == "-" if date.end() < len(text) else 0)  # "WASHINGTON (AP) --"
    rest = _DATELINE_REST.match(text, date.end() if date else read.place_end)
    if rest is not None:
        return rest.end()
    if date is not None and re.fullmatch(r"\d{4}-\d{2}-\d{2}", text[date.end() - 10:date.end()]):
        return date.end()  # "BELGRADE 1996-08-30"
    return None


def is_dateline(body: str, start: int, end: int) -> bool:
    """``body[start:end]`` opens its line and a date or an agency follows it."""
    read = read_dateline(body, start, end)
    return read is not None and read.after is not None
