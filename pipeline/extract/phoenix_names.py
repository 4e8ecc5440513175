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
