"""Names from the Phoenix actor dictionaries (vendored in ``knowledge/petrarch2/``, MIT) that
entity typing and resolution use:

- countries' short names: the synonyms of a country's entry that are made of words of the
  country's own names ("Britain", "Great Britain" for the United Kingdom of Great Britain and
  Northern Ireland; "America" for the United States of America). Other synonyms in an entry
  are metonyms the event coder wants ("London", "Washington" code as the government), not
  names of the country;
- organisations: the international organisations and non-state armed groups, by name and
  synonym, where the entry is an organisation and not one of the office holders the same files
  list (a person's entry carries a date range or the ``ELI`` elite code).
"""

from __future__ import annotations

import re
from collections import defaultdict
from functools import lru_cache
from pathlib import Path

import pycountry

PETRARCH = Path(__file__).parent / "knowledge" / "petrarch2"
_CODE = re.compile(r"\[([A-Z~]+)([^\]]*)\]")
_PAREN = re.compile(r"\([^)]*\)")
# Words that make an entry of the international file an organisation, whatever its shape.
_ORG_WORDS = frozenset("""
organization organisation agency council union bank fund court commission front army brigade
brigades movement party group committee association alliance league forces federation institute
programme program office network society foundation tribunal corps conference assembly parliament
board authority mission force secretariat community coalition liberation jihad command mujahideen
battalion regiment militia guard guards cartel council church caucus bureau centre center
""".split())


_ONE_WORD_ORG = re.compile(r"^(?:[A-Z]{2,5}|[A-Z]+(?:-[A-Z]+){1,3})$")


def _name(raw: str) -> str:
    """``GREAT_BRITAIN_`` -> ``GREAT BRITAIN``; parenthesised variants dropped."""
    return " ".join(_PAREN.sub(" ", raw.replace("_", " ")).split()).upper()


def read_entries(path: Path) -> list[tuple[list[str], list[tuple[str, str]]]]:
    """(names, codes) per entry: the head name and its ``+`` synonyms, and every ``[CODE
    dates]`` restriction given on the head line or the lines after it."""
    entries: list[tuple[list[str], list[tuple[str, str]]]] = []
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        text = line.split("#", 1)[0]
        if not text.strip():
            continue
        codes = [(m.group(1), m.group(2).strip()) for m in _CODE.finditer(text)]
        bare = _CODE.sub(" ", text)
        if text[0] in " \t":
            if entries:
                entries[-1][1].extend(codes)
        elif text.startswith("+"):
            if entries and _name(bare[1:]):
                entries[-1][0].append(_name(bare[1:]))
                entries[-1][1].extend(codes)
        elif _name(bare):
            entries.append(([_name(bare.split()[0])], codes))
    return entries


def _words(text: str) -> set[str]:
    return set(re.findall(r"[a-z]+", text.lower()))


@lru_cache(maxsize=1)
def country_short_names() -> dict[str, str]:
    """Upper-case short name -> ISO alpha-2, for names made only of words of one country's
    ISO names; a name two countries could claim ("KOREA") is left out."""
    found: dict[str, set[str]] = defaultdict(set)
    for names, codes in read_entries(PETRARCH / "Phoenix.Countries.actors.txt"):
        iso3 = next((c for c, _ in codes if len(c) == 3), None)
        country = pycountry.countries.get(alpha_3=iso3) if iso3 else None
        if country is None:
            continue
        own = set()
        for attr in ("name", "official_name", "common_name"):
            own |= _words(getattr(country, attr, "") or "")
        own -= {"of", "the", "and"}
        for name in names:
            words = _words(name)
            if words and words <= own and len(name) >= 4:
                found[name].add(country.alpha_2)
    return {name: next(iter(isos)) for name, isos in found.items() if len(isos) == 1}


# English demonym endings ("Spanish", "Burmese", "Ivorian", "Saudi", "Cypriot"); the same
# morphology the gazetteer's stem rule reads.
_DEMONYM_ENDING = re.compile(r"(?:an|ese|ish|i|iot)$")
_ACTOR_FILES = ("Phoenix.Countries.actors.txt", "Phoenix.International.actors.txt", "Phoenix.MilNonState.actors.txt")


def _iso_country(iso3: str):
    return pycountry.countries.get(alpha_3=iso3) or pycountry.historic_countries.get(alpha_3=iso3)


def _derived(word: str, name_words: list[str]) -> bool:
    """``word`` is a name's word with a demonym ending put on: it shares two letters or more
    with the start of one, and what follows is no longer than an ending ("IR" + "ISH" of
    IRELAND, "CYPR" + "IOT" of CYPRUS; not "AZ" + "ARBAYCAN" of AZERBAIJAN)."""
    for name in name_words:
        common = 0
        while common < min(len(word), len(name)) and word[common] == name[common]:
            common += 1
        if common >= 2 and len(word) - common <= 5:
            return True
    return False


@lru_cache(maxsize=1)
def country_demonyms() -> dict[str, str]:
    """Upper-case demonym -> ISO alpha-2, from the one-word synonyms of the country entries
    (the file lists "BRITISH", "DUTCH", "SOVIET" with the country's names). A synonym there may
    also be a region, a river, a misspelling or the name in another language, so one is kept
    as a demonym when the dictionaries use it as one:

    - as a modifier: it opens two or more multi-word names coded for that country across the
      actor files ("DUTCH EAST INDIES", "SOVIET ARMY"), or it is a word of the country's own
      name but not its last one ("SAUDI" of "Saudi Arabia");
    - or by English morphology: it is a word of the country's ISO names with a demonym ending
      put on ("IRISH", "POLISH", "CYPRIOT"), and not a spelling of one of its names.

    The callers check it is not a place first. A word two countries claim is left out."""
    from rapidfuzz import fuzz

    opens: dict[tuple[str, str], int] = defaultdict(int)
    for file in _ACTOR_FILES:
        for names, codes in read_entries(PETRARCH / file):
            isos = {code[:3] for code, _ in codes}
            for first in {n.split()[0] for n in names if " " in n}:
                for code in isos:
                    opens[(first, code)] += 1
    found: dict[str, set[str]] = defaultdict(set)
    for names, codes in read_entries(PETRARCH / "Phoenix.Countries.actors.txt"):
        iso3 = next((c for c, _ in codes if len(c) == 3), "")
        country = _iso_country(iso3) if iso3 else None
        if country is None:
            continue
        own = [part.strip() for a in ("name", "official_name", "common_name")
               for part in (getattr(country, a, "") or "").upper().split(",") if part.strip()]
        own_words = [w for n in own for w in re.findall(r"[A-Z]+", n) if w not in ("OF", "THE", "AND")]
        # "SAUDI" of "Saudi Arabia": a word before the name's head; the head ("KOREA" of
        # "South Korea", of any multi-word name of the entry) is the country itself
        modifiers = {w for n in own for w in re.findall(r"[A-Z]+", n)[:-1]}
        heads = {words[-1] for n in own + names if len(words := re.findall(r"[A-Z]+", n)) > 1}
        for word in names[1:]:
            if " " in word or not word.isascii() or not word.isalpha() or len(word) < 4 or word in heads:
                continue
            if opens[(word, iso3)] >= 2 or word in modifiers:
                found[word].add(country.alpha_2)
            elif _DEMONYM_ENDING.search(word.lower()) and _derived(word, own_words) \
                    and not any(fuzz.ratio(word, n) >= 75 for n in [names[0], *own, *own_words]):
                found[word].add(country.alpha_2)
    return {word: next(iter(isos)) for word, isos in found.items() if len(isos) == 1}


@lru_cache(maxsize=1)
def organisation_names() -> frozenset[str]:
    """Upper-case names of international organisations and armed groups."""
    out: set[str] = set()
    for file in ("Phoenix.International.actors.txt", "Phoenix.MilNonState.actors.txt"):
        for names, codes in read_entries(PETRARCH / file):
            if any(rest or code.endswith("ELI") for code, rest in codes):
                continue  # an office holder: dated, or coded as elite
            # A name with an organisation word is one; other names of the entry are kept when
            # they cannot be a person's or a word: hyphenated names ("AL-QAEDA",
            # "LASHKAR-E-TAIBA") and acronyms (matched on capitals only, see type decisions).
            # One-word entries also list people ("NASRALLAH") and words ("YOUTH", "TIGERS").
            if any(_words(n) & _ORG_WORDS for n in names):
                out.update(n for n in names if len(n) >= 3 and (" " in n or _ONE_WORD_ORG.match(n)))
            else:
                out.update(n for n in names if _ONE_WORD_ORG.match(n))
    return frozenset(out)


# CAMEO's religion codes (the agents file's sector codes for faiths and their clergy).
_RELIGION_CODES = ("~BUD", "~CHR", "~HIN", "~JEW", "~MUS", "~REL", "~SIK", "~SHI", "~SUN")
_ONE_WORD_AGENT = re.compile(r"^([A-Z]+)\s+\[(~[A-Z]+)\]")


@lru_cache(maxsize=1)
def people_agents() -> frozenset[str]:
    """One-word agents of a religion in Phoenix's agents file ("CHRISTIAN", "MUSLIM", "SUNNI",
    "JEWISH"): words that name a people or a faith's members, not a person."""
    out = set()
    for line in (PETRARCH / "Phoenix.agents.txt").read_text(encoding="utf-8", errors="replace").splitlines():
        m = _ONE_WORD_AGENT.match(line)
        if m is not None and m.group(2).startswith(_RELIGION_CODES):
            out.add(m.group(1))
    return frozenset(out)
