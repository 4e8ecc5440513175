"""Phoenix actor, agent and discard dictionaries (vendored in ``knowledge/petrarch2/``).

A noun phrase gets a CAMEO actor code the way PETRARCH builds one: the longest actor phrase in
it (``VLADIMIR PUTIN`` -> ``RUSGOV`` in his term, ``RUSSIAN`` -> ``RUS``, ``UN`` -> ``IGOUNO``)
plus the sector of an agent noun in it (``TROOPS`` -> ``~MIL``, ``MINISTER`` -> ``~GOV``), so
"Russian troops" is ``RUSMIL``. Date ranges of office holders are honoured when the event date
is known; otherwise the latest applies (news is read soon after it is written).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property, lru_cache
from pathlib import Path

import pycountry
from spacy.lang.en.stop_words import STOP_WORDS

from pipeline.errors import ConfigError
from pipeline.extract.cameo_dictionary import KNOWLEDGE

PETRARCH = KNOWLEDGE / "petrarch2"
AGENTS_SUPPLEMENT = KNOWLEDGE / "agents_supplement.txt"
DISCARDS_SUPPLEMENT = KNOWLEDGE / "discards_supplement.txt"
ACTORS_DROPPED = KNOWLEDGE / "actors_dropped.txt"
ACTORS_SUPPLEMENT = KNOWLEDGE / "actors_supplement.txt"
SPEAKING_FOR = KNOWLEDGE / "agents_speaking_for.txt"
REFERENCES = KNOWLEDGE / "actor_references.tsv"
ACTOR_FILES = ("Phoenix.Countries.actors.txt", "Phoenix.International.actors.txt", "Phoenix.MilNonState.actors.txt")
_MAX_WORDS = 8
# A surname held by more leaders than this is a common name, not one leader's ("Smith", "Khan").
_SURNAME_HOLDERS = 3
_WORDS = re.compile(r"[A-Z0-9]+")
_RESTRICTION = re.compile(r"\[([A-Z~]+)(?:\s+([<>]?)(\d{6,8})(?:-(\d{6,8}))?)?\]")
# Sectors that make an actor political: a sports club or a film star is not, a minister is.
# Civilians, refugees, health workers are actors of events but not of politics: a resident's
# opinion is not a public statement.
POLITICAL_SECTORS = frozenset({"GOV", "MIL", "COP", "JUD", "LEG", "OPP", "REB", "SPY", "PTY", "ELI", "IGO",
                               "IMG", "INS", "SEP", "UAF", "NGO", "HRI"})


@dataclass(frozen=True)
class Dated:
    code: str
    start: date | None
    end: date | None


def _day(raw: str) -> date:
    if len(raw) == 6:  # YYMMDD: PETRARCH reads 00-30 as 20xx
        yy = int(raw[:2])
        raw = ("20" if yy <= 30 else "19") + raw
    return date(int(raw[:4]), int(raw[4:6]), max(1, int(raw[6:8])))


def _restriction(text: str) -> Dated | None:
    m = _RESTRICTION.search(text)
    if m is None:
        return None
    code, op, d1, d2 = m.groups()
    if d1 is None:
        return Dated(code, None, None)
    try:
        first = _day(d1)
        if d2:
            return Dated(code, first, _day(d2))
    except ValueError:
        return Dated(code, None, None)
    return Dated(code, None, first) if op == "<" else Dated(code, first, None)


def _phrase(raw: str) -> str:
    return " ".join(_undotted(w) for w in raw.strip().strip("+").rstrip("_").replace("_", " ").upper().split())


_INITIALISM = re.compile(r"(?:[A-Z]\.)+[A-Z]?")


def _undotted(word: str) -> str:
    """An initialism without its dots: the dictionaries write both "US_" and "U.S._STATE_
    DEPARTMENT", "UNITED_STATES_TREASURY_DEPARTMENT" and "US_TREASURY_DEPARTMENT"; news writes either."""
    return word.replace(".", "") if _INITIALISM.fullmatch(word) else word


@dataclass
class ActorDictionary:
    actors: dict[str, list[Dated]]  # phrase (upper, spaced) -> codes with their validity
    agents: dict[str, str]  # phrase -> "~GOV" (suffix) or "NGO~" (prefix)
    discards: frozenset[str]
    story_discards: frozenset[str] = frozenset()  # PETRARCH's "+" discards: the whole story goes
    speaking_for: frozenset[str] = frozenset()  # agent nouns with the sector of whom they speak for
    surnames: dict[str, tuple[str, ...]] = field(default_factory=dict)  # "ARAFAT" -> ("YASIR ARAFAT",)

    def actor_code(self, phrase: str, on: date | None = None) -> str | None:
        options = self.actors.get(phrase)
        if not options:
            return None
        dated = [d for d in options if d.start or d.end]
        if on is not None:
            for d in dated:
                if (d.start is None or d.start <= on) and (d.end is None or on <= d.end):
                    return d.code
        if on is None:  # undated: the term still open ("[RUSGOV >080508]") is today's
            current = [d for d in dated if d.start and d.end is None]
            if current:
                return current[-1].code
        default = [d for d in options if not (d.start or d.end)]
        if default:
            return default[0].code
        return max(dated, key=lambda d: d.end or date.max).code if on is None else None

    def code_words(self, words: list[str], on: date | None = None) -> tuple[str | None, str | None]:
        """(actor code, agent code) of the longest matches among the upper-case words."""
        actor = agent = None
        actor_len = agent_len = 0
        words = [_undotted(w) for w in words]
        n = len(words)
        for i in range(n):
            for j in range(min(n, i + _MAX_WORDS), i, -1):
                if j - i <= max(actor_len, agent_len) and actor and agent:
                    break
                phrase = " ".join(words[i:j])
                if j - i > actor_len:
                    code = self.actor_code(phrase, on)
                    if code:
                        actor, actor_len = code, j - i
                if j - i > agent_len and phrase in self.agents and phrase not in self.speaking_for:
                    agent, agent_len = self.agents[phrase], j - i
        return actor, agent

    def surname_code(self, word: str, on: date | None = None) -> str | None:
        """The code of the leader a bare surname names ("Arafat said"): the leaders of the
        Phoenix country files (their CountryInfo records) whose name ends in it; when several
        share it, their common country (two Clintons: USA), and none across countries ("Ramos")."""
        records = self.surnames.get(word) or self._transliterated(word)
        # judged over every term of every record, not only those valid on the day: a surname
        # shared by leaders of two countries ("Lee", "Khan") names neither
        if not records or len({d.code[:3] for p in records for d in self.actors.get(p, ())}) != 1:
            return None
        codes = {code for p in records if (code := self.actor_code(p, on))}
        if not codes:
            return None
        return codes.pop() if len(codes) == 1 else next(iter(codes))[:3]

    @cached_property
    def _by_skeleton(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for w in self.surnames:
            out.setdefault(_skeleton(w), []).append(w)
        return out

    def _transliterated(self, word: str) -> tuple[str, ...]:
        """The records of the one surname that is another romanisation of ``word`` (news'
        "Lukashenko", Phoenix's Belarusian "LUKASHENKA"), when exactly one surname and one record
        are so spelt; none when the word is itself a name or a word the dictionaries know, or is
        short (given names: "Gary" would be "SO GARI", "Marco" "MARCA" in the CoNLL news)."""
        if len(word) < 7 or word in self.actors or word in self.agents:
            return ()
        keys = self._by_skeleton.get(_skeleton(word), [])
        return self.surnames[keys[0]] if len(keys) == 1 and len(self.surnames[keys[0]]) == 1 else ()

    def story_discarded(self, text: str) -> str | None:
        """The first story-level discard phrase in ``text`` ("+MANCHESTER UNITED", "+FIFA": a
        sports story), which PETRARCH drops whole."""
        padded = " " + " ".join(_WORDS.findall(text.upper())) + " "
        for phrase in self.story_discards:
            if f" {phrase} " in padded:
                return phrase
        return None

    def discarded(self, upper_text: str) -> str | None:
        """The first discard phrase in the (upper-case, space-normalised) text."""
        padded = f" {upper_text} "
        # only phrases whose first word is a word of the text can occur in it (one lookup per
        # word instead of a substring search per phrase: ~400 phrases, every parsed sentence)
        by_first = _by_first_word(self.discards)
        found = [hit for word in set(padded.split(" ")) for hit in by_first.get(word, ())]
        for _, phrase in sorted(found):
            if f" {phrase} " in padded:
                return phrase
        return None


# Spellings one name takes in romanisations of Russian, Belarusian and Ukrainian: kh/h, a final
# -iy/-yi/-ii/-y ("Yuriy", "Yuri"), a final -o/-a (Ukrainian and Russian "-enko", Belarusian "-enka").
_SKELETON_RULES = ((re.compile(r"KH"), "H"), (re.compile(r"(?:IY|YI|II|IJ|Y)$"), "I"), (re.compile(r"[AO]$"), "A"))


def _skeleton(word: str) -> str:
    for rule, repl in _SKELETON_RULES:
        word = rule.sub(repl, word)
    return word


@lru_cache(maxsize=4)
def _by_first_word(phrases: frozenset[str]) -> dict[str, tuple[tuple[int, str], ...]]:
    """Phrases by their first word, each with its place in the set's order (the order the
    phrases are tried in)."""
    out: dict[str, list[tuple[int, str]]] = {}
    for n, phrase in enumerate(phrases):
        out.setdefault(phrase.split(" ")[0], []).append((n, phrase))
    return {word: tuple(hits) for word, hits in out.items()}


# Every CAMEO sector code (the agents file's codes), to tell "COP" (a sector) from "COL" (a country).
SECTORS = frozenset({"AGR", "BUS", "CRM", "CVL", "DEV", "EDU", "ELI", "ENV", "GOV", "HLH", "HRI", "IGO", "INS",
                     "JUD", "LAB", "LEG", "MED", "MIL", "MNC", "MOD", "NGO", "NGM", "OPP", "PTY", "RAD", "REB",
                     "REF", "SEP", "SPY", "UAF", "UNK", "COP", "BUD", "CHR", "JEW", "MUS", "HIN", "REL", "PPL",
                     "IMG"})


@lru_cache(maxsize=512)
def country_actor_code(iso2: str, sector_code: str | None) -> str | None:
    """An entity's country (ISO 3166 alpha-2) as a CAMEO country code plus a sector code the
    dictionary gave: ("FR", "COP") -> "FRACOP"."""
    country = pycountry.countries.get(alpha_2=iso2.upper()) if len(iso2) == 2 else None
    if country is None:
        return sector_code
    return country.alpha_3 + (sector_code or "")


def is_country_code(code: str) -> bool:
    """A CAMEO country code (ISO 3166 alpha-3: RUS, USA), not an IGO, group or sector code."""
    return len(code) == 3 and pycountry.countries.get(alpha_3=code.upper()) is not None


def combine(actor: str | None, agent: str | None) -> str | None:
    """Actor code plus agent sector: RUS + ~MIL -> RUSMIL; NGO~ + FRA -> NGOFRA."""
    if agent is None:
        return actor
    sector = agent.strip("~")
    if actor is None:
        return sector
    if agent.endswith("~"):
        return sector + actor
    if len(actor) == 3 and not actor.endswith(sector):
        return actor + sector
    return actor


def is_political(code: str | None) -> bool:
    """A political sector anywhere in the code, or a bare country code (the state itself)."""
    if not code:
        return False
    if len(code) == 3 and code not in SECTORS:
        return True
    return any(code[i:i + 3] in POLITICAL_SECTORS for i in range(0, len(code), 3))


_POLITICAL_REACH = 4  # words: the longest political phrase the cheap pre-parse check looks for


@lru_cache(maxsize=1)
def _political_phrases() -> frozenset[str]:
    """Actor and agent phrases whose code is political (a state, GOV, MIL, COP, IGO, ...)."""
    d = load_actor_dictionary()
    out = {p for p in d.actors if len(p.split()) <= _POLITICAL_REACH and is_political(d.actor_code(p))}
    out |= {p for p, code in d.agents.items()
            if len(p.split()) <= _POLITICAL_REACH and is_political(code.strip("~"))}
    return frozenset(out)


@lru_cache(maxsize=1)
def capitals_only() -> frozenset[str]:
    """Dictionary actors and agents that are also English function words (spaCy's stop-word
    list): "US" is the country, "us" the pronoun. Such a word names the actor only written in
    capitals."""
    d = load_actor_dictionary()
    return frozenset(p for p in (*d.actors, *d.agents) if " " not in p and p.lower() in STOP_WORDS)


@lru_cache(maxsize=1)
def _function_word_uses() -> re.Pattern[str] | None:
    words = sorted(capitals_only())
    if not words:
        return None
    return re.compile(r"(?<![A-Za-z0-9])(?:" + "|".join(map(re.escape, words)) + r")(?![A-Za-z0-9])", re.IGNORECASE)


def _without_function_words(text: str) -> str:
    """``text`` with the ``capitals_only`` words not written in capitals blanked ("told us")."""
    uses = _function_word_uses()
    if uses is None:
        return text
    return uses.sub(lambda m: m[0] if m[0].isupper() else " " * len(m[0]), text)


def could_name_political_actor(text: str) -> bool:
    """Cheap test before a parse: does the text name a dictionary actor or agent that is
    political ("Russia", "NATO", "police", "the minister", "the US" but not "us")? An event
    with no date needs one."""
    words = _WORDS.findall(_without_function_words(text).upper())
    phrases, first_words = _political_phrases(), _political_first_words()
    # Only a word that starts some political phrase can start a match: most words start none.
    return any(" ".join(words[i:i + n]) in phrases
               for i, word in enumerate(words) if word in first_words
               for n in range(1, _POLITICAL_REACH + 1) if i + n <= len(words))


@lru_cache(maxsize=1)
def _political_first_words() -> frozenset[str]:
    return frozenset(p.split(" ", 1)[0] for p in _political_phrases())


def _read_actors(path: Path, into: dict[str, list[Dated]], surnames: dict[str, set[str]] | None = None) -> None:
    names: list[str] = []
    codes: list[Dated] = []
    leaders: list[str] = []  # the record's names from the leaders' list (CountryInfo): persons

    def flush() -> None:
        for n in names:
            into.setdefault(n, [])
            into[n].extend(c for c in codes if c not in into[n])
        if surnames is not None and names:
            # every record a name of which ends in the word holds it (to judge ambiguity); a
            # leader's (CountryInfo) name marks the record with "*"
            for n in names:
                words = n.split()
                if 2 <= len(words) <= 4 and len(words[-1]) > 2 and words[-1].isalpha():
                    surnames.setdefault(words[-1], set()).add(("*" if n in leaders else "") + names[0])
                if 3 <= len(words) <= 4:  # a family name first ("KIM JONG IL") also holds it
                    surnames.setdefault(words[0], set()).add(names[0])

    for raw in path.read_text(encoding="utf-8", errors="replace").splitlines():
        line = raw.split("#", 1)[0]
        if not line.strip():
            continue
        if raw[:1] in (" ", "\t") and line.strip().startswith("["):
            r = _restriction(line)
            if r:
                codes.append(r)
            continue
        leader = "CountryInfo" in raw.partition("#")[2]
        if line.startswith("+"):
            names.append(_phrase(line.split("[", 1)[0].split(";", 1)[0]))
            if leader:
                leaders.append(names[-1])
            r = _restriction(line)
            if r:
                codes.append(r)
            continue
        # A primary phrase starts a new record only once the previous one has its codes: the
        # lines before the first code are one person's names ("BORIS_YELTSIN_", "YELTSIN",
        # "PRESIDENT_YELTSIN", then the dated codes), as PETRARCH's reader keeps them.
        if codes:
            flush()
            names, codes, leaders = [], [], []
        names.append(_phrase(line.split("[", 1)[0].split(";", 1)[0]))
        if leader:
            leaders.append(names[-1])
        r = _restriction(line)
        if r:
            codes.append(r)
    flush()


def _read_agents(path: Path) -> dict[str, str]:
    subst: dict[str, list[str]] = {}
    out: dict[str, str] = {}
    for raw in path.read_text(encoding="utf-8", errors="replace").splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if line.startswith("!") and "=" in line:
            key, _, values = line.partition("=")
            subst[key.strip()] = [v.strip() for v in values.split(",")]
            continue
        m = re.search(r"\[([^\]}]+)[\]}]", line)
        if m is None:
            continue
        code = m.group(1).strip()
        head = line[:m.start()]
        plural_m = re.search(r"\{([^}]*)\}", head)
        plurals = plural_m.group(1).split() if plural_m else None
        head = re.sub(r"\{[^}]*\}", "", head).strip()
        variants = [head]
        for key, vals in subst.items():
            if key in head:
                variants = [v.replace(key, val) for v in variants for val in vals]
        for v in variants:
            forms = [v] + ([p for p in plurals] if plurals is not None else
                           ([] if "!" in v or v.endswith("_") else _plural_of(v)))
            for f in forms:
                out.setdefault(_phrase(f), code)
    return out


def _plural_of(word: str) -> list[str]:
    """The regular plural of an agent phrase's last word. A word ending in a single "S" is
    already a plural ("ARMED_TROOPS", "LAW_ENFORCEMENT_AGENTS") or has none worth guessing
    ("ANALYSIS"): no "TROOPSS"."""
    if word.endswith("Y") and len(word) > 1 and word[-2] not in "AEIOU":
        return [word[:-1] + "IES"]
    if word.endswith(("SS", "SH", "CH", "X", "US")):
        return [word + "ES"]
    if word.endswith("S"):
        return []
    return [word + "S"]


def _read_discards(path: Path) -> tuple[frozenset[str], frozenset[str]]:
    """(sentence-level, story-level) discard phrases; a story-level one ("+" in the file) is
    also sentence-level."""
    out, story = set(), set()
    for raw in path.read_text(encoding="utf-8", errors="replace").splitlines():
        stripped = raw.split("#", 1)[0].split(";", 1)[0].strip()
        line = stripped.lstrip("+").strip()
        # Bare years and "N years ago" are PETRARCH's historical-story filter, not a topic:
        # news with a year in it is still news.
        if not line or line[:1].isdigit() or line.endswith((" AGO", " LATER")):
            continue
        phrase = " ".join(line.upper().replace("_", " ").split())
        out.add(phrase)
        if stripped.startswith("+"):
            story.add(" ".join(_WORDS.findall(phrase)))
    return frozenset(out), frozenset(story)


@lru_cache(maxsize=1)
def load_actor_dictionary(root: Path = PETRARCH) -> ActorDictionary:
    actors: dict[str, list[Dated]] = {}
    surnames: dict[str, set[str]] = {}
    for name in ACTOR_FILES:
        _read_actors(root / name, actors, surnames)
    _read_actors(ACTORS_SUPPLEMENT, actors)
    for line in ACTORS_DROPPED.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            actors.pop(_phrase(line), None)
    agents = _read_agents(root / "Phoenix.agents.txt")
    # a supplement line replaces the upstream one of the same phrase (each with its reason there)
    agents.update(_read_agents(AGENTS_SUPPLEMENT))
    sentence_level, story_level = _read_discards(root / "Phoenix.discards.txt")
    extra, extra_story = _read_discards(DISCARDS_SUPPLEMENT)
    sentence_level, story_level = sentence_level | extra, story_level | extra_story
    speaking_for = frozenset(_phrase(line) for line in SPEAKING_FOR.read_text(encoding="utf-8").splitlines()
                             if line.strip() and not line.startswith("#"))
    # a surname that is also an agent word or an actor's own name is not read as a surname
    named = {}
    for w, held in surnames.items():
        records = {p.lstrip("*") for p in held}
        if w not in agents and w not in actors and len(records) <= _SURNAME_HOLDERS and any(
                p.startswith("*") for p in held):
            named[w] = tuple(sorted(records))
    return ActorDictionary(actors, agents, sentence_level, story_level, speaking_for, named)


@dataclass(frozen=True)
class References:
    """Words that refer back to actors named before (``knowledge/actor_references.tsv``):
    phrase -> kind ("one", "many", "states"), and the entity types a single antecedent may have."""

    kinds: dict[str, str]
    antecedent_types: dict[str, tuple[str, ...]]

    def kind(self, phrase: str) -> str | None:
        return self.kinds.get(" ".join(phrase.lower().split()))

    @cached_property
    def plural_pattern(self) -> re.Pattern[str]:
        """A search for a plural reference anywhere in a text ("the two leaders", "they"),
        compiled once per vocabulary."""
        words = sorted((p for p, k in self.kinds.items() if k != "one"), key=len, reverse=True)
        return re.compile(r"\b(?:" + "|".join(r"\s+".join(map(re.escape, w.split())) for w in words) + r")\b",
                          re.IGNORECASE)


@lru_cache(maxsize=1)
def load_references(path: Path | None = None) -> References:
    """The reference vocabulary, read on first use (``REFERENCES`` unless a path is given); a
    malformed line stops with a ConfigError naming it."""
    path = path or REFERENCES
    kinds: dict[str, str] = {}
    types: dict[str, tuple[str, ...]] = {}
    for n, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not raw.strip() or raw.startswith("#"):
            continue
        parts = raw.split("\t")
        if len(parts) != 3 or parts[1] not in ("one", "many", "states"):
            raise ConfigError(f"{path.name}:{n}: expected 'phrase<TAB>one|many|states<TAB>types', got {raw!r}")
        phrase = " ".join(parts[0].lower().split())
        kinds[phrase] = parts[1]
        if parts[2].strip() != "-":
            types[phrase] = tuple(parts[2].split())
    return References(kinds, types)
