"""Person resolution: full names merged across transliterations, short forms attached to the
full name they abbreviate (in the article first, then in the corpus).

Two full names are one person when their surnames fold to the same key and their given names
are compatible (same folded form, a close spelling with the same initial letter, or an
initial). People who share only a surname stay apart.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict

from rapidfuzz import fuzz

from pipeline.extract.entity_clusters import Cluster
from pipeline.extract.entity_text import fold
from pipeline.extract.entity_types import Candidate
from pipeline.records import Entity

_GIVEN_NAME_MIN_RATIO = 80
_DOMINANT_MIN_MENTIONS = 3
_DOMINANT_RATIO = 4
_SUFFIXES = frozenset({"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"})
_SURNAME_PARTICLE = re.compile(r"^(?:al|el|ul|bin|ibn|van|von|de|da|di|du|le|la)\s+")


def name_parts(surface: str) -> list[str]:
    """The words of a name, without suffixes and without tokens that have no letter: "Miller
    RA ." and "Klaus Meine 22" (glued references and captions) end in no surname."""
    words = [w for w in surface.replace(",", " ").split()
             if w.lower() not in _SUFFIXES and any(ch.isalpha() for ch in w)]
    return words or surface.split()


def _folded(text: str) -> str:
    """``fold``, or the case-folded text where fold leaves nothing (it keeps Latin letters only:
    every Cyrillic name would share the empty key)."""
    return fold(text) or " ".join(text.casefold().split())


def surname_key(word: str) -> str:
    return _SURNAME_PARTICLE.sub("", _folded(word))


def given_compatible(a: str, b: str) -> bool:
    if a.casefold() == b.casefold():
        return True
    fa, fb = fold(a), fold(b)
    if not fa or not fb:
        return False
    if fa == fb:
        return True
    if fa[0] != fb[0]:
        return False
    if len(fa) == 1 or len(fb) == 1 or a.endswith(".") or b.endswith("."):
        return True  # an initial
    return fuzz.ratio(fa, fb) >= _GIVEN_NAME_MIN_RATIO


def _ends_longer(parts: list[str], names: list[list[str]]) -> bool:
    tail = [_folded(w) for w in parts]
    return any(len(n) > len(tail) and n[-len(tail):] == tail for n in names)


class PersonResolver:
    def __init__(self, known: list[Entity]) -> None:
        self.clusters: list[Cluster] = []
        self.order: dict[int, int] = {}  # id(cluster) -> creation order
        self.full_mentions: Counter[int] = Counter()  # id(cluster) -> full-name mentions in batch
        self.by_surname: dict[str, list[Cluster]] = defaultdict(list)
        self.full_names: dict[int, list[list[str]]] = defaultdict(list)  # id(cluster) -> names
        self.given: dict[int, set[str]] = defaultdict(set)  # id(cluster) -> folded given names
        for e in sorted(known, key=lambda e: e.entity_id):
            if e.entity_type == "PERSON":
                cl = self._new(e.entity_id, known=e)
                for alias in {e.canonical_name, *e.aliases}:
                    self._remember(cl, name_parts(alias))

    def _new(self, id_key: str, known: Entity | None = None) -> Cluster:
        cl = Cluster("PERSON", id_key, known=known)
        self.order[id(cl)] = len(self.clusters)
        self.clusters.append(cl)
        return cl

    def _remember(self, cl: Cluster, parts: list[str]) -> None:
        key = surname_key(parts[-1])
        if cl not in self.by_surname[key]:
            self.by_surname[key].append(cl)
        if len(parts) >= 2:
            self.full_names[id(cl)].append(parts)
            self.given[id(cl)].add(_folded(parts[0]))

    def _compatible(self, cl: Cluster, parts: list[str]) -> bool:
        names = self.full_names[id(cl)]
        return not names or any(given_compatible(parts[0], n[0]) for n in names)

    def _full_name_cluster(self, parts: list[str]) -> Cluster:
        # A surname-only entity of an earlier run is never adopted by a full name: the full
        # name's id must not depend on which came first. It is re-pointed after (repointed()).
        candidates = [cl for cl in self.by_surname[surname_key(parts[-1])]
                      if self._compatible(cl, parts) and (self.full_names[id(cl)] or cl.known is None)]
        # a cluster that already has full names beats a surname-only one
        candidates.sort(key=lambda cl: (not self.full_names[id(cl)], self.order[id(cl)]))
        if candidates:
            cl = candidates[0]
        else:
            cl = self._new(_folded(" ".join(parts)))
        self._remember(cl, parts)
        return cl

    def resolve(self, cands: list[Candidate]) -> dict[int, Cluster]:
        """id(candidate) -> cluster, for PERSON candidates."""
        out: dict[int, Cluster] = {}
        longer: dict[str, list[list[str]]] = defaultdict(list)
        for c in cands:
            if len(name_parts(c.surface)) >= 3:
                longer[c.article_id].append([_folded(w) for w in name_parts(c.surface)])
        # "De Niro" after "Robert De Niro": the end of a longer name is a short form of it
        full = [c for c in cands if len(name_parts(c.surface)) >= 2
                and not _ends_longer(name_parts(c.surface), longer[c.article_id])]
        counts = Counter(c.surface for c in full)
        # the most used spelling of a name seeds its cluster: deterministic, input-order free
        for surface in sorted(counts, key=lambda s: (-counts[s], s)):
            self._full_name_cluster(name_parts(surface))
        for c in full:
            parts = name_parts(c.surface)
            cl = next(cl for cl in self.by_surname[surname_key(parts[-1])]
                      if parts in self.full_names[id(cl)])
            out[id(c)] = cl
            self.full_mentions[id(cl)] += 1
        in_article: dict[str, list[Cluster]] = defaultdict(list)
        for c in full:
            if out[id(c)] not in in_article[c.article_id]:
                in_article[c.article_id].append(out[id(c)])
        short = [c for c in cands if id(c) not in out]
        for c in short:
            out[id(c)] = self._short_form(c.surface, in_article[c.article_id])
        # A lone given name refers to the one person of that given name whose surname the
        # article uses ("Joe ... Biden" where the corpus knows Joe Biden).
        resolved: dict[str, dict[int, Cluster]] = defaultdict(dict)
        for c in short:
            if self.full_names[id(out[id(c)])]:
                resolved[c.article_id][id(out[id(c)])] = out[id(c)]
        for c in short:
            if not self.full_names[id(out[id(c)])]:
                word = _folded(name_parts(c.surface)[-1])
                named = [cl for cl in resolved[c.article_id].values() if word in self.given[id(cl)]]
                if len(named) == 1:
                    out[id(c)] = named[0]
        for c in cands:
            out[id(c)].surfaces[c.surface] += 1
        return out

    def repointed(self, assigned: dict[int, Cluster]) -> list[tuple[Entity, Cluster]]:
        """(surname-only entity of an earlier run, the one full name it now belongs to): when
        exactly one person with that surname has a full name, in the batch and the warehouse,
        and nothing in this batch still resolves to the surname-only entity."""
        used = {id(cl) for cl in assigned.values()}
        out = []
        for _, clusters in sorted(self.by_surname.items(), key=lambda item: item[0]):
            full = [cl for cl in clusters if self.full_names[id(cl)]]
            if len(full) != 1 or id(full[0]) not in used:
                continue
            for cl in clusters:
                if cl.known is not None and not self.full_names[id(cl)] and id(cl) not in used:
                    out.append((cl.known, full[0]))
        return out

    def _weight(self, cl: Cluster) -> int:
        """Mentions of a person by full name: in this batch and, known, in the warehouse."""
        return self.full_mentions[id(cl)] + (cl.known.mention_count if cl.known is not None else 0)

    def _short_form(self, surface: str, article_clusters: list[Cluster]) -> Cluster:
        word = name_parts(surface)[-1]
        key = surname_key(word)
        local = [cl for cl in article_clusters if cl in self.by_surname[key]]
        if len(local) == 1:
            return local[0]
        if not local:
            given = [cl for cl in article_clusters if _folded(word) in self.given[id(cl)]]
            if len(given) == 1:
                return given[0]
        corpus = [cl for cl in self.by_surname[key] if self.full_names[id(cl)]]
        if len(corpus) == 1:
            return corpus[0]
        if not local and corpus:
            # several people share the surname corpus-wide, but one dominates ("Putin" alone
            # means Vladimir Putin even once a Putin cousin has been in the news)
            ranked = sorted(corpus, key=lambda cl: -self._weight(cl))
            top, second = self._weight(ranked[0]), self._weight(ranked[1])
            if top >= _DOMINANT_MIN_MENTIONS and top >= _DOMINANT_RATIO * second:
                return ranked[0]
        if len(local) > 1 or len(corpus) > 1:
            # shared surname, no way to tell: the bare surname is its own entity
            id_key = "surname-only:" + key
        else:
            id_key = key
        for cl in self.by_surname[key]:
            if not self.full_names[id(cl)]:
                return cl
        cl = self._new(id_key)
        self._remember(cl, [word])
        return cl
