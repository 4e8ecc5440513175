"""The cluster: all mentions judged to name one real-world thing, and its stable id."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from pipeline.extract.entity_text import is_acronym
from pipeline.extract.gazetteer import Place
from pipeline.records import Entity, stable_id


@dataclass(eq=False)
class Cluster:
    entity_type: str
    id_key: str  # what the stable id is derived from (a known entity's id wins)
    surfaces: Counter[str] = field(default_factory=Counter)
    known: Entity | None = None
    place: Place | None = None
    country_code: str | None = None
    canonical_hint: str | None = None  # e.g. the gazetteer's name for a place
    confidence_sum: float = 0.0  # the type confidence of this batch's mentions, summed

    @property
    def entity_id(self) -> str:
        if self.known is not None:
            return self.known.entity_id
        return stable_id(self.entity_type, self.id_key)

    def canonical_name(self) -> str:
        if self.canonical_hint:
            return self.canonical_hint
        multi = [s for s in self.surfaces if len(s.split()) >= 2 and not is_acronym(s)]
        if self.known is not None:
            known_name = self.known.canonical_name
            # a surname-only or acronym-only entity from an earlier run gets its full name
            if multi and (len(known_name.split()) < 2 or is_acronym(known_name)):
                return _most_used(self.surfaces, multi)
            return known_name
        if multi:
            return _most_used(self.surfaces, multi)
        plain = [s for s in self.surfaces if not is_acronym(s)]
        return _most_used(self.surfaces, plain or list(self.surfaces))

    def to_entity(self) -> Entity:
        aliases = set(self.surfaces)
        if self.known is not None:
            aliases.update(self.known.aliases)  # surfaces seen in earlier runs
        place = self.place
        known = self.known
        return Entity(
            entity_id=self.entity_id,
            canonical_name=self.canonical_name(),
            entity_type=self.entity_type,
            aliases=sorted(aliases),
            country_code=self.country_code or (place.country_code if place else None)
            or (known.country_code if known else None),
            lat=place.lat if place else (known.lat if known else None),
            lon=place.lon if place else (known.lon if known else None),
            type_confidence=self.type_confidence(),
        )

    def type_confidence(self) -> float | None:
        """The mean over this batch's mentions and, weighted by their count, the warehouse's."""
        n = sum(self.surfaces.values())
        total, weight = self.confidence_sum, n
        known = self.known
        if known is not None and known.type_confidence is not None and known.entity_type == self.entity_type:
            total += known.type_confidence * known.mention_count
            weight += known.mention_count
        return round(total / weight, 3) if weight else None


def _most_used(counts: Counter[str], options: list[str]) -> str:
    """Most frequent, then one whose every word has a letter ("Miller RA" before "Miller RA ."),
    then longest, then alphabetical: deterministic for the same input."""
    return min(options, key=lambda s: (-counts[s], not _all_words_lettered(s), -len(s), s))


def _all_words_lettered(surface: str) -> bool:
    return all(any(ch.isalpha() for ch in word) for word in surface.split())


def merge_clusters(clusters: list[Cluster]) -> Cluster:
    """One cluster for clusters that came to share an entity id (their mentions already carry
    it): surfaces added up, the rest from the most mentioned, whatever order they come in."""
    if len(clusters) == 1:
        return clusters[0]
    ordered = sorted(clusters, key=lambda cl: (-sum(cl.surfaces.values()), sorted(cl.surfaces),
                                               cl.canonical_hint or ""))
    first = ordered[0]
    surfaces: Counter[str] = Counter()
    for cl in ordered:
        surfaces.update(cl.surfaces)
    return Cluster(first.entity_type, first.id_key, surfaces=surfaces,
                   confidence_sum=sum(cl.confidence_sum for cl in ordered),
                   known=next((cl.known for cl in ordered if cl.known is not None), None),
                   place=next((cl.place for cl in ordered if cl.place is not None), None),
                   country_code=next((cl.country_code for cl in ordered if cl.country_code), None),
                   canonical_hint=next((cl.canonical_hint for cl in ordered if cl.canonical_hint), None))
