"""Resolution: one ``entity_id`` per real-world thing.

- PERSON: :mod:`pipeline.extract.entity_persons` (transliterations, short forms).
- Places (GPE/LOC): the gazetteer decides; the id comes from the ISO code or geonameid, so
  "US", "U.S.", "the United States" and "USA" are one entity in every run.
- ORG and other names: one cluster per normalised name, acronyms joined to the long form whose
  initials they are (in the article first, then in the batch, then in the warehouse).
- ``known`` entities (the warehouse) are corpus memory: a cluster that matches one reuses its id.
"""

from __future__ import annotations

from collections import defaultdict

from pipeline.extract.entity_clusters import Cluster, merge_clusters
from pipeline.extract.entity_forms import canonical_by_key, load_name_forms
from pipeline.extract.entity_institutions import is_qualified_institution, qualify_institutions
from pipeline.extract.entity_persons import PersonResolver
from pipeline.extract.entity_text import acronym_key, initials, is_acronym, name_key
from pipeline.extract.entity_types import Candidate
from pipeline.extract.gazetteer import MIN_CAPITALS_NAME, Gazetteer
from pipeline.records import Entity, EntityAlias, EntityMention


def _norp_key(surface: str) -> str:
    key = name_key(surface)
    # "Russians" and "Russian" are one group
    return key[:-1] if len(key) >= 5 and key.endswith("s") and not key.endswith("ss") else key


def _root_rank(key: str) -> tuple[bool, str]:
    return (not key.startswith("acr:"), key)


# Words that follow an organisation's own name without changing what it names.
_GENERIC_ORG_TAILS = frozenset("""group foundation inc corp corporation company co ltd limited plc llc ag sa
gmbh holdings institute association society trust""".split())


class NameResolver:
    """Non-person, non-gazetteer names of one type: the stored entities of that type by name
    key, and the batch's names joined to them or to each other (same key, or initials and
    the long form they spell)."""

    def __init__(self, entity_type: str, known: list[Entity]) -> None:
        self.entity_type = entity_type
        self.parent: dict[str, str] = {}
        self.known_by_key: dict[str, Entity] = {}
        self.long_forms: dict[str, set[str]] = defaultdict(set)  # initials -> name keys
        for e in sorted(known, key=lambda e: e.entity_id):
            if e.entity_type != entity_type:
                continue
            keys = [self.key(a) for a in {e.canonical_name, *e.aliases}]
            for k in keys:
                self.known_by_key.setdefault(k, e)
                self._union(keys[0], k)
            for a in {e.canonical_name, *e.aliases}:
                if not is_acronym(a) and len(a.split()) >= 2:
                    self.long_forms[initials(a)].add(self.key(a))

    def key(self, surface: str) -> str:
        form = load_name_forms().get(surface)
        if form is not None:
            return form.key
        if is_acronym(surface):
            return "acr:" + acronym_key(surface)
        return _norp_key(surface) if self.entity_type == "NORP" else name_key(surface)

    def _find(self, k: str) -> str:
        self.parent.setdefault(k, k)
        while self.parent[k] != k:
            self.parent[k] = self.parent[self.parent[k]]
            k = self.parent[k]
        return k

    def _union(self, a: str, b: str) -> None:
        ra, rb = self._find(a), self._find(b)
        if ra != rb:
            # the acronym key is the root: the id then survives the long form's absence
            if _root_rank(rb) < _root_rank(ra):
                ra, rb = rb, ra
            self.parent[rb] = ra

    def _join_heads(self, cands: list[Candidate]) -> None:
        """A one-word name joins the one longer name of the article that is it plus a generic
        organisation word ("Wikimedia" and "Wikimedia Foundation", "Rhodium" and "Rhodium
        Group"); "Apple" and "Apple Music" stay apart."""
        heads: dict[tuple[str, str], set[str]] = defaultdict(set)
        for c in cands:
            words = c.surface.split()
            if len(words) == 2 and words[1].lower().strip(".,") in _GENERIC_ORG_TAILS:
                heads[(c.article_id, name_key(words[0]))].add(self.key(c.surface))
        for c in cands:
            long = heads.get((c.article_id, name_key(c.surface))) if len(c.words) == 1 else None
            if long and len(long) == 1:
                self._union(next(iter(long)), self.key(c.surface))

    def resolve(self, cands: list[Candidate]) -> dict[int, Cluster]:
        batch_long: dict[str, set[str]] = defaultdict(set)
        article_long: dict[tuple[str, str], set[str]] = defaultdict(set)
        for c in cands:
            self._find(self.key(c.surface))
            if not is_acronym(c.surface) and len(c.words) >= 2:
                ini = initials(c.surface)
                if len(ini) >= 2:
                    batch_long[ini].add(self.key(c.surface))
                    article_long[(c.article_id, ini)].add(self.key(c.surface))
        self._join_heads(cands)
        for c in cands:
            if not is_acronym(c.surface):
                continue
            acr = acronym_key(c.surface)
            for pool in (article_long.get((c.article_id, acr), set()), batch_long.get(acr, set()),
                         self.long_forms.get(acr, set())):
                if len(pool) == 1:  # an ambiguous acronym stays on its own
                    self._union(self.key(c.surface), next(iter(pool)))
                    break
        # a long form whose initials match an acronym seen only in the warehouse
        for ini, keys in batch_long.items():
            acr_key = "acr:" + ini
            if acr_key in self.known_by_key and len(keys) == 1:
                self._union(acr_key, next(iter(keys)))
        clusters: dict[str, Cluster] = {}
        out: dict[int, Cluster] = {}
        known_by_root = {self._find(k): e for k, e in sorted(self.known_by_key.items())}
        for c in cands:
            root = self._find(self.key(c.surface))
            cl = clusters.get(root)
            if cl is None:
                cl = clusters[root] = Cluster(self.entity_type, root, known=known_by_root.get(root))
                cl.canonical_hint = canonical_by_key().get(root)
            cl.surfaces[c.surface] += 1
            out[id(c)] = cl
        return out


def _article_context(cands: list[Candidate], gaz: Gazetteer, home: dict[str, str]) -> dict[str, set[str]]:
    """Where each article is: the countries and states it names and its publisher's country; a
    city name several countries have is read in that context ("Newcastle" beside "Leeds" and
    "England" is in England, not New South Wales)."""
    context: dict[str, set[str]] = defaultdict(set)
    for article_id, country_code in home.items():
        context[article_id].add(country_code)
    for c in cands:
        if c.label in ("GPE", "LOC"):
            found = gaz.state_abbreviation(c.surface) or gaz.country(c.surface) or gaz.subdivision(c.surface)
            if found is not None and found.country_code:
                context[c.article_id].add(found.country_code)
    return context


def _unplaced_initials(c: Candidate, gaz: Gazetteer, context: set[str]) -> bool:
    """Initials read as a place that no gazetteer places: a model slip ("AI" tagged GPE), as the
    initials of countries, states and big cities are all in the gazetteer. A longer word in
    capitals is a name in a dateline ("IRVINE"), which the gazetteer may not hold."""
    return c.label in ("GPE", "LOC") and is_acronym(c.surface) and (
        "." in c.surface or len(c.surface) < MIN_CAPITALS_NAME) and gaz.place(c.surface, frozenset(context)) is None


def resolve(cands: list[Candidate], known: list[Entity], gaz: Gazetteer,
            home: dict[str, str] | None = None,
            bodies: dict[str, str] | None = None) -> tuple[list[Entity], list[EntityMention], list[EntityAlias]]:
    """Assign every candidate an entity; return the entities touched, the mentions, and the
    ids of earlier entities that now name another one. ``home``: article id -> its
    publisher's country (ISO alpha-2), where known; ``bodies``: article id -> its text."""
    forms = load_name_forms()
    for c in cands:
        form = forms.get(c.surface)
        if form is not None:
            c.label = form.entity_type  # "Tories" (NORP to the model) names the party
            c.confidence = 1.0
    context = _article_context(cands, gaz, home or {})
    cands = [c for c in cands if not _unplaced_initials(c, gaz, context[c.article_id])]
    assigned: dict[int, Cluster] = {}
    persons = PersonResolver(known)
    assigned.update(persons.resolve([c for c in cands if c.label == "PERSON"]))
    aliases = []
    for old, new in persons.repointed(assigned):
        # "Blair" of an earlier run is Tony Blair now: its old id becomes an alias row, its
        # names join the full name's entity
        aliases.append(EntityAlias(old.entity_id, new.entity_id))
        for name in {old.canonical_name, *old.aliases}:
            new.surfaces[name] += 0

    rest = _resolve_places([c for c in cands if c.label != "PERSON"], known, gaz, context, assigned)
    # "Finance Ministry": one per country, qualified by the article's country
    institutions = qualify_institutions(rest.get("ORG", []), cands, gaz, bodies or {}, home or {}, known)
    assigned.update(institutions)
    if institutions:
        rest["ORG"] = [c for c in rest["ORG"] if id(c) not in institutions]
    by_name = [e for e in known if not is_qualified_institution(e, gaz)]
    for label, group in sorted(rest.items()):
        assigned.update(NameResolver(label, by_name).resolve(group))
        if label == "NORP":
            for c in group:
                assigned[id(c)].country_code = assigned[id(c)].country_code or gaz.demonym_country(c.surface)

    entities, mentions = _entities_and_mentions(cands, assigned)
    return entities, mentions, aliases


def _resolve_places(cands: list[Candidate], known: list[Entity], gaz: Gazetteer, context: dict[str, set[str]],
                    assigned: dict[int, Cluster]) -> dict[str, list[Candidate]]:
    """Assign the candidates the gazetteer places (in their article's context) one cluster per
    place; returns the others by label."""
    places: dict[str, Cluster] = {}
    known_by_id = {e.entity_id: e for e in known}
    rest: dict[str, list[Candidate]] = defaultdict(list)
    for c in cands:
        place = gaz.place(c.surface, frozenset(context[c.article_id])) if c.label in ("GPE", "LOC") else None
        if place is None:
            rest[c.label].append(c)
            continue
        key = f"{place.kind}:{place.key}"
        cl = places.get(key)
        if cl is None:
            # a continent or a region is a region (LOC), not a country's point
            cl = places[key] = Cluster("LOC" if place.kind == "region" else "GPE", key, place=place,
                                       canonical_hint=place.name)
            cl.known = known_by_id.get(cl.entity_id)  # keeps aliases seen in earlier runs
        cl.surfaces[c.surface] += 1
        assigned[id(c)] = cl
    return rest


def _entities_and_mentions(cands: list[Candidate], assigned: dict[int, Cluster]
                           ) -> tuple[list[Entity], list[EntityMention]]:
    """The entities of the clusters the candidates were assigned, and a mention per candidate.

    Two clusters can derive one id (names that fold alike); their entity is built from both,
    not from whichever the first article id met."""
    for c in cands:
        assigned[id(c)].confidence_sum += c.confidence
    clusters = {id(cl): cl for cl in assigned.values()}
    ids = {ckey: cl.entity_id for ckey, cl in clusters.items()}  # a hash: once per cluster, not per mention
    by_id: dict[str, list[Cluster]] = defaultdict(list)
    for ckey, cl in clusters.items():
        by_id[ids[ckey]].append(cl)
    entities = [merge_clusters(group).to_entity() for _, group in sorted(by_id.items())]
    mentions = [EntityMention(c.article_id, ids[id(assigned[id(c)])], c.surface, c.start, c.end,
                              c.sentence_index, assigned[id(c)].entity_type)
                for c in sorted(cands, key=lambda c: (c.article_id, c.start))]
    return entities, mentions
