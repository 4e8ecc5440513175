"""Institutions every country has ("Finance Ministry", "High Court", "Parliament"), qualified
by their country: Japan's Finance Ministry and Israel's are two entities, each named with its
country ("Finance Ministry (Japan)").

The vocabulary is data (``knowledge/institutions.toml``). A mention's country is, in order: a
country or demonym span right before it ("Japan's", "Israeli"), a demonym inside the span
("the Japanese Finance Ministry"), else the one country the article names or its publisher is
in. With none of these, or with several countries and no cue, the name stays unqualified and
resolves as any other organisation name.
"""

from __future__ import annotations

import re
import tomllib
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pipeline.extract.entity_clusters import Cluster
from pipeline.extract.entity_types import Candidate
from pipeline.extract.gazetteer import Gazetteer
from pipeline.records import Entity

INSTITUTIONS_FILE = Path(__file__).parent / "knowledge" / "institutions.toml"
# What may stand between a country's span and the institution's: "Japan's ", "Israeli ", "the".
_JOIN = re.compile(r"^(?:['’]s)?\s+(?:the\s+)?$")


@dataclass(frozen=True)
class Vocabulary:
    heads: frozenset[str]
    needs_modifier: frozenset[str]
    modifiers: frozenset[str]
    function_words: frozenset[str]


@lru_cache(maxsize=1)
def load_vocabulary(path: Path = INSTITUTIONS_FILE) -> Vocabulary:
    spec = tomllib.loads(path.read_text(encoding="utf-8"))
    return Vocabulary(*(frozenset(spec[k]) for k in ("heads", "needs_modifier", "modifiers", "function_words")))


def institution_words(surface: str, gaz: Gazetteer) -> tuple[str, str | None] | None:
    """(key words, country code named inside the span) when ``surface`` names an institution
    every country has; None otherwise. Key words are sorted, so "Ministry of Finance" and
    "Finance Ministry" are one institution."""
    vocab = load_vocabulary()
    words = re.findall(r"[\w&]+", surface.lower())
    country = None
    if len(words) >= 2 and (code := gaz.demonym_country(surface.split()[0])) is not None:
        country, words = code, words[1:]  # "Japanese Finance Ministry"
    content = [w for w in words if w not in vocab.function_words]
    heads = [w for w in content if w in vocab.heads]
    if not heads or any(w not in vocab.heads and w not in vocab.modifiers for w in content):
        return None
    if len(content) == 1 and content[0] in vocab.needs_modifier:
        return None
    return " ".join(sorted(content)), country


def is_qualified_institution(e: Entity, gaz: Gazetteer) -> bool:
    """An entity this module made ("Finance Ministry (Japan)"): its unqualified aliases must not
    pull another country's mentions into it by name."""
    name, sep, _ = e.canonical_name.rpartition(" (")
    return e.entity_type == "ORG" and bool(sep) and institution_words(name, gaz) is not None


def _country_of(c: Candidate, before: Candidate | None, body: str, gaz: Gazetteer) -> str | None:
    """The country of a span right before ``c`` ("Japan's Finance Ministry")."""
    if before is None or not _JOIN.match(body[before.end:c.start]):
        return None
    found = gaz.country(before.surface)
    return found.key if found is not None else gaz.demonym_country(before.surface)


def _article_countries(cands: list[Candidate], gaz: Gazetteer) -> dict[str, Counter[str]]:
    """article id -> how often it names each country (by name or demonym)."""
    out: dict[str, Counter[str]] = defaultdict(Counter)
    for c in cands:
        if c.label in ("GPE", "LOC") and (found := gaz.country(c.surface)) is not None:
            out[c.article_id][found.key] += 1
        elif c.label == "NORP" and (code := gaz.demonym_country(c.surface)) is not None:
            out[c.article_id][code] += 1
    return out


def qualify_institutions(orgs: list[Candidate], cands: list[Candidate], gaz: Gazetteer,
                         bodies: dict[str, str], home: dict[str, str], known: list[Entity]) -> dict[int, Cluster]:
    """id(candidate) -> cluster for those of ``orgs`` that name a country's institution and
    whose country is known (``cands``: all the batch's candidates, the context); the others
    are left to the name resolver."""
    countries = _article_countries(cands, gaz)
    ordered = sorted(cands, key=lambda c: (c.article_id, c.start))
    wanted = {id(c) for c in orgs}
    known_by_id = {e.entity_id: e for e in known}
    clusters: dict[str, Cluster] = {}
    out: dict[int, Cluster] = {}
    for i, c in enumerate(ordered):
        if id(c) not in wanted:
            continue
        found = institution_words(c.surface, gaz)
        if found is None:
            continue
        words, country = found
        before = ordered[i - 1] if i > 0 and ordered[i - 1].article_id == c.article_id else None
        country = country or _country_of(c, before, bodies.get(c.article_id, ""), gaz)
        named = set(countries[c.article_id]) | ({home[c.article_id]} if c.article_id in home else set())
        if country is None and len(named) == 1:
            # the one country of the story; with several ("the State Department" in a story on
            # Libya) the name says nothing of which country's it is
            country = next(iter(named))
        if country is None:
            continue
        key = f"institution:{words}@{country}"
        cl = clusters.get(key)
        if cl is None:
            cl = clusters[key] = Cluster("ORG", key, country_code=country)
            cl.known = known_by_id.get(cl.entity_id)
        cl.surfaces[c.surface] += 1
        out[id(c)] = cl
    for cl in clusters.values():
        name = gaz.countries[cl.country_code].name if cl.country_code in gaz.countries else cl.country_code
        cl.canonical_hint = f"{_plain_name(cl.surfaces, gaz)} ({name})"
    return out


def _plain_name(surfaces: Counter[str], gaz: Gazetteer) -> str:
    """The most used form without a demonym ("Finance Ministry" over "Japanese Finance Ministry")."""
    def plain(s: str) -> str:
        first, _, rest = s.partition(" ")
        return rest if rest and gaz.demonym_country(first) else s
    counts: Counter[str] = Counter()
    for s, n in surfaces.items():
        counts[plain(s)] += n
    return min(counts, key=lambda s: (-counts[s], -len(s), s))
