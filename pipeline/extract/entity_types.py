"""Type harmonisation: one type per surface within an article, corrected where the small
model is known to be unreliable (a surname tagged ORG in "the Biden administration", a
city tagged PERSON, a demonym tagged GPE).

Works on :class:`Candidate` spans before resolution; only ``label`` changes.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter, defaultdict
from dataclasses import dataclass

from pipeline.extract.entity_text import OTHER, acronym_key, fold, initials, is_acronym, name_key
from pipeline.extract.gazetteer import Gazetteer
from pipeline.extract.phoenix_names import organisation_names, people_agents
from pipeline.extract.software_names import lexer_names, platform_names
from pipeline.extract.type_evidence import (
    CueVotes,
    at_line_or_sentence_start,
    cue_votes,
    is_dateline,
    ordinary_words,
    person_openers,
    speaks,
    structure_votes,
)

# A surface seen once with one type in an article is re-typed to the batch-wide majority
# when that majority is this strong.
_BATCH_MIN_VOTES = 3
_BATCH_MIN_SHARE = 0.75
# A word in capitals this long may be an ordinary word set in capitals (shorter ones are
# acronyms).
_MIN_CAPITALS_WORD = 5
# Country initials this long are read as the country when the model says ORG or PERSON.
_MIN_COUNTRY_INITIALS = 3
# A dictionary's word on a name weighs this many model votes per mention.
DICTIONARY_WEIGHT = 2
# An article-wide cue's vote on each of the name's mentions in the article.
ARTICLE_WIDE_WEIGHT = 2
# Mentions with a firm product or disease cue that make a name OTHER (all of them if fewer).
_FIRM_MENTIONS = 2


def top_label(votes: Counter[str]) -> tuple[str, int]:
    """The most voted label; a tie goes to the label that sorts last, not to the one counted
    first, which follows the order of article ids (they derive from file paths)."""
    return max(votes.items(), key=lambda item: (item[1], item[0]))


@dataclass
class Candidate:
    """An entity span before resolution (offsets into the article body)."""

    article_id: str
    start: int
    end: int
    surface: str
    label: str
    sentence_index: int
    origin: str = "model"  # "model" | "memory"
    confidence: float = 1.0  # share of the type votes the chosen label won
    cues: CueVotes | None = None  # context-cue votes, computed once
    dateline: bool = False  # the place a story is filed from: decided apart

    @property
    def team(self) -> bool:
        """A place-only cue fired: a team named after its town, in this article only."""
        return self.cues is not None and self.cues.team

    @property
    def key(self) -> str:
        return name_key(self.surface)

    @property
    def words(self) -> list[str]:
        return self.surface.split()


def _surname_index(cands: list[Candidate]) -> dict[str, set[str]]:
    """article_id -> folded surnames of its multi-word PERSON spans."""
    out: dict[str, set[str]] = defaultdict(set)
    for c in cands:
        if c.label == "PERSON" and len(c.words) >= 2:
            out[c.article_id].add(fold(c.words[-1]))
    return out


# A word after the name that says it is a place: "the Donbass region".
_PLACE_CUE = re.compile(r"\s+(?:region|province|oblast|krai|county|district|peninsula|valley|"
                        r"river|mountains|desert|sea|coast|governorate|prefecture|rainforest|forest|basin|"
                        r"jungle|delta|plateau|archipelago|highlands|lowlands|wetlands|steppe|estuary)\b",
                        re.IGNORECASE)
# A publisher's name decides: an article's own site ("Axios" on axios.com) is an organisation.
PUBLISHER_WEIGHT = 3


def place_cued_keys(cands: list[Candidate], bodies: dict[str, str]) -> set[str]:
    """Name keys of one-word spans followed by a geographic cue word somewhere in the batch."""
    return {c.key for c in cands if len(c.words) == 1 and c.label in ("PERSON", "ORG", "GPE", "LOC")
            and _PLACE_CUE.match(bodies[c.article_id], c.end)}


def article_countries(cands: list[Candidate], gaz: Gazetteer) -> dict[str, set[str]]:
    """article id -> ISO codes of the countries its place spans name."""
    out: dict[str, set[str]] = defaultdict(set)
    for c in cands:
        if c.label in ("GPE", "LOC") and (found := gaz.country(c.surface)) is not None:
            out[c.article_id].add(found.key)
    return out


def harmonise_types(cands: list[Candidate], gaz: Gazetteer, bodies: dict[str, str],
                    known_types: dict[str, Counter[str]] | None = None,
                    sites: dict[str, frozenset[str]] | None = None, homes: dict[str, str] | None = None) -> None:
    """Fix labels in place. ``known_types`` maps a name key to the types it has in the
    warehouse (corpus memory from earlier runs); ``sites`` maps an article id to its
    publisher's names (:func:`site_key` forms), ``homes`` to its publisher's country (ISO)."""
    known_types = known_types or {}
    sites = sites or {}
    homes = homes or {}
    _fix_single_mentions(cands, gaz, bodies, known_types, homes)
    by_article = _decide_by_article(cands, gaz, bodies, sites, homes)
    _batch_majority(by_article, known_types)


def _fix_single_mentions(cands: list[Candidate], gaz: Gazetteer, bodies: dict[str, str],
                         known_types: dict[str, Counter[str]], homes: dict[str, str]) -> None:
    """Mention by mention, before any vote: datelines are places, and a one-word name the model
    misread is corrected where the gazetteer or the article says what it is."""
    cued = place_cued_keys(cands, bodies)
    surnames = _surname_index(cands)
    countries = article_countries(cands, gaz)
    known_surnames = {k for k, types in known_types.items() if "PERSON" in types and " " not in k}
    for c in cands:
        if c.label in ("GPE", "LOC", "ORG", "PERSON") and is_dateline(bodies[c.article_id], c.start, c.end) \
                and gaz.place(c.surface.title() if c.surface.isupper() else c.surface) is not None:
            c.label, c.dateline, c.confidence = "GPE", True, 1.0  # "NEW YORK 1996-08-30"
            continue
        single = len(c.words) == 1
        if not single:
            continue
        is_article_surname = fold(c.surface) in surnames.get(c.article_id, set())
        if c.label in ("PERSON", "ORG") and c.key in cued and not is_article_surname:
            c.label = "LOC"  # "the Donbass region": a place wherever it occurs
        elif c.label in ("PERSON", "ORG") and not is_article_surname and \
                _state_of_named_country(c.surface, gaz, countries.get(c.article_id, set())):
            c.label = "GPE"  # "Amazonas" in a story that names Brazil
        elif c.label == "ORG" and is_article_surname:
            c.label = "PERSON"  # "the Biden administration", "Kortunov continues"
        elif c.label in ("PERSON", "ORG") and not is_article_surname and c.key not in known_surnames \
                and (gaz.is_major_place(c.surface) or gaz.is_home_city(c.surface, homes.get(c.article_id))):
            c.label = "GPE"  # "Kiev" tagged PERSON, "Cork" on an Irish site
        elif c.label in ("PERSON", "ORG") and _country_initials(c.surface, gaz):
            c.label = "GPE"  # "BVI", "UAE" tagged ORG
        elif c.label == "ORG" and not is_article_surname and gaz.subdivision(c.surface) is not None:
            c.label = "GPE"  # "California" tagged ORG
        elif c.label in ("GPE", "LOC") and gaz.place(c.surface) is None and gaz.demonym_country(c.surface):
            c.label = "NORP"  # "Ukrainian" tagged GPE


def _decide_by_article(cands: list[Candidate], gaz: Gazetteer, bodies: dict[str, str],
                       sites: dict[str, frozenset[str]], homes: dict[str, str]
                       ) -> dict[tuple[str, str], list[Candidate]]:
    """One type per name in each article from its evidence (``_decide``), then what one
    article's firm evidence says of the same name in others; returns the mentions grouped by
    (article, name)."""
    # one type per surface within an article: the model's votes, context cues and the
    # article's full names decide; ties to the first occurrence
    by_article: dict[tuple[str, str], list[Candidate]] = defaultdict(list)
    in_article: dict[str, list[Candidate]] = defaultdict(list)
    for c in cands:
        in_article[c.article_id].append(c)
        if not c.dateline:
            by_article[(c.article_id, c.key)].append(c)
    batch_sites = frozenset().union(*sites.values()) if sites else frozenset()
    firmly_other: set[str] = set()
    unsupported: list[list[Candidate]] = []
    evidenced: dict[str, Counter[str]] = defaultdict(Counter)
    # full names first: a word of one takes the type the full name was given, not the model's
    # first reading of it ("Mizen" after "Mizen Head", which its last word makes a headland)
    structure: dict[str, dict[str, Counter[str]]] = {}
    openers: dict[str, frozenset[str]] = {}  # article id -> words that only open person names
    software: dict[str, frozenset[str]] = {}  # article id -> the software names among its spans
    for (_, key), group in sorted(by_article.items(), key=lambda item: len(item[1][0].words) == 1):
        aid = group[0].article_id
        if len(group[0].words) == 1 and aid not in structure:
            structure[aid] = structure_votes([(c.surface, c.label) for c in in_article[aid]])
            openers[aid] = person_openers([(c.surface, c.label) for c in in_article[aid]])
        if aid not in software:
            software[aid] = _software_context(in_article[aid], bodies[aid], gaz)
        evidence = _decide(group, gaz, bodies, structure.get(aid, {}),
                           Publishers(sites.get(aid, frozenset()), batch_sites, homes.get(aid)), software[aid],
                           openers.get(aid, frozenset()))
        if evidence == "firm-other":
            firmly_other.add(key)
        elif evidence == "model":
            unsupported.append(group)
        elif not any(c.team for c in group) and _evidence_agrees(group):
            evidenced[key][group[0].label] += 1
    _place_named_organisations(list(by_article.values()), gaz)
    # a name firm cues call a product or a disease in one article ("Python code", "the Chrome
    # browser") is one in the articles where nothing but the model's reading spoke for a person,
    # an organisation or a place; a software name only in an article about software ("Ruby code"
    # in one article, "Police found Ruby" in another: a girl)
    for group in unsupported:
        if group[0].key in firmly_other and (software[group[0].article_id] or not _software_name(group[0].surface)):
            for c in group:
                c.label, c.confidence = OTHER, 1.0
    _spread_evidence([g for g in unsupported if g[0].label != OTHER], evidenced, gaz)
    _list_votes([g for g in unsupported if g[0].label != OTHER and len(g[0].words) == 1], cands, bodies)
    return by_article


def _batch_majority(by_article: dict[tuple[str, str], list[Candidate]],
                    known_types: dict[str, Counter[str]]) -> None:
    """A lone in-article reading yields to a strong batch-wide (and warehouse) majority."""
    batch_votes: dict[str, Counter[str]] = defaultdict(Counter)
    for (_, key), group in by_article.items():
        if not any(c.team for c in group):  # "NEW YORK 74 59" is a team in its table only
            batch_votes[key][group[0].label] += len(group)
    for key, types in known_types.items():
        for t, n in types.items():
            batch_votes[key][t] += 2 * n
    for (_, key), group in by_article.items():
        if len(group) != 1 or group[0].team:
            continue
        label, n = top_label(batch_votes[key])
        total = sum(batch_votes[key].values())
        if label != group[0].label and n >= _BATCH_MIN_VOTES and n / total >= _BATCH_MIN_SHARE:
            group[0].label = label
            group[0].confidence = n / total


@dataclass(frozen=True)
class Publishers:
    """Publisher names (:func:`site_key` forms): the article's own and those of every article
    of the batch."""

    own: frozenset[str]
    batch: frozenset[str]
    country: str | None = None  # the article's publisher's country (ISO alpha-2)


# Readings of a name that evidence elsewhere in the batch may settle: the model's commonest
# confusion (a company or a club read as a person, a surname read as an organisation).
_SPREAD_TYPES = ("PERSON", "ORG")
_SPREAD_MIN_SHARE = 0.75


def _spread_evidence(groups: list[list[Candidate]], evidenced: dict[str, Counter[str]], gaz: Gazetteer) -> None:
    """A name only the model typed in an article takes the type evidence gave it in the batch's
    other articles ("Chelsea" read as a person in one report, "Chelsea beat Leeds" in another;
    "Ford" read as an organisation beside "Ford shares fell"): articles vote, one each, and
    three in four must agree. Only between a person and an organisation, and never on a name the
    gazetteer places (a town's team is its team in its own article only)."""
    for group in groups:
        first = group[0]
        votes = evidenced.get(first.key)
        if not votes or first.label not in _SPREAD_TYPES:
            continue
        label, n = top_label(votes)
        if label == first.label or label not in _SPREAD_TYPES or n / sum(votes.values()) < _SPREAD_MIN_SHARE \
                or gaz.place(first.surface) is not None:
            continue
        for c in group:
            c.label, c.confidence = label, n / sum(votes.values())


def _org_cued(group: list[Candidate]) -> bool:
    """Organisation cues fired at the name here, other than a town's team's."""
    return not any(c.team for c in group) and any(c.cues is not None and c.cues.votes["ORG"] for c in group)


def _place_named_organisations(groups: list[list[Candidate]], gaz: Gazetteer) -> None:
    """A place's name that cues and a full name made an organisation in one article ("Alaska" beside
    "Alaska Airlines" and "Alaska flights") is that organisation in the batch's other articles
    where organisation cues fire at it ("Alaska flights were cancelled", "Alaska's chief
    executive") though they never give the full name; elsewhere it stays the place."""
    found = {g[0].key for g in groups if g[0].label == "ORG" and _org_cued(g) and gaz.place(g[0].surface) is not None}
    for group in groups:
        if group[0].key in found and group[0].label in ("GPE", "LOC") and _org_cued(group):
            for c in group:
                c.label = "ORG"


def _evidence_agrees(group: list[Candidate]) -> bool:
    """The label evidence (cues) gave the name is the one it got: the model's reading did not
    outvote it. Name structure is not in the cues; it agrees by construction when decisive."""
    votes: Counter[str] = Counter()
    for c in group:
        if c.cues is not None:
            votes.update({t: n for t, n in c.cues.votes.items() if t != OTHER})
    return not votes or top_label(votes)[0] == group[0].label


def _dictionary_votes(group: list[Candidate], evidence: Counter[str], model: Counter[str], gaz: Gazetteer,
                      site: Publishers, software: frozenset[str]) -> None:
    """Votes from well-kept lists: Phoenix's organisations, software names, publishers."""
    first = group[0]
    # an organisation's cues alone, before the dictionaries' votes below, and not outweighed by
    # the product cues around the same name; a cue that only re-reads the model's person reading
    # ("the Louvre", and so "the Python language") says nothing of a company
    company = evidence["ORG"] - sum(c.cues.reread["ORG"] for c in group if c.cues is not None)
    org_cued = company > 0 and company >= evidence[OTHER]
    if _dictionary_org(first.surface):
        evidence["ORG"] += DICTIONARY_WEIGHT * len(group)  # Phoenix: an IGO or an armed group
    if not org_cued and _software(first.surface, model, software, evidence[OTHER] > 0) \
            and gaz.place(first.surface) is None and gaz.demonym_country(first.surface) is None:
        # a programming language, a file format, an operating system or a browser the model reads
        # as an organisation, a person or a place ("Windows" as LOC, "Ubuntu" as GPE); a person's
        # full name in the article outvotes it ("Julia" after "Julia Roberts"); an organisation's
        # cue or legal form says the company of that name ("Red Hat's shares", "SUSE S.A.")
        evidence[OTHER] += DICTIONARY_WEIGHT * len(group)
    if site_key(first.surface) in site.own:
        evidence["ORG"] += PUBLISHER_WEIGHT * len(group)
    elif site_key(first.surface) in site.batch and gaz.place(first.surface) is None \
            and gaz.demonym_country(first.surface) is None:
        # another article's publisher ("Healthline" cited on another site): a dictionary's word
        evidence["ORG"] += DICTIONARY_WEIGHT * len(group)


def _structure_votes(group: list[Candidate], evidence: Counter[str], gaz: Gazetteer, body: str,
                     structure: dict[str, Counter[str]], site: Publishers, openers: frozenset[str],
                     software: frozenset[str] = frozenset()) -> None:
    """A one-word name that is a word of a full name in the same article takes that name's type."""
    first = group[0]
    if len(first.words) == 1 and gaz.country(first.surface) is None \
            and (first.label != "NORP" or not _people_word(first.surface, gaz)):
        told = structure.get(fold(first.surface))
        if told and first.label == "NORP":
            # a surname the model reads as a people for its ending ("Slepian" beside "Barnett
            # Slepian"): only a full person's name speaks against that reading, not an
            # organisation's name it opens
            told = Counter({"PERSON": told["PERSON"]}) if told["PERSON"] else None
        if told and told["PERSON"] and fold(first.surface) in openers \
                and _place_apart_from_person(group, gaz, body, evidence):
            told = None
        if told and first.surface in software:
            # in an article about software, organisations are named after the software ("Python
            # Software Foundation", "Docker Inc."): the name they open is still the software; so
            # is a name the model ran into a person's ("Rust Belt Rust", a conference) where a
            # firm product cue says what it is ("Rust code")
            firm = any(c.cues is not None and OTHER in c.cues.firm for c in group)
            told = Counter({t: n for t, n in told.items() if t != "ORG" and (t != "PERSON" or not firm)}) or None
        # a town opens the names of its institutions ("Springfield Police Department"): where
        # cues call the name a place, that says nothing against them
        # ... unless cues at the name say it is the organisation ("Alaska flights", "Alaska's
        # chief executive" beside "Alaska Airlines")
        if told and ("PERSON" in told or not (_named_place(first.surface, gaz, site.country) or evidence["GPE"])
                     or (told["ORG"] and evidence["ORG"] > evidence["GPE"])):
            # a word of a full name in the same article: decisive over the model's reading
            evidence.update({label: n * len(group) for label, n in told.items()})


def _decide(group: list[Candidate], gaz: Gazetteer, bodies: dict[str, str],
            structure: dict[str, Counter[str]], site: Publishers, software: frozenset[str] = frozenset(),
            openers: frozenset[str] = frozenset()) -> str:
    """One label for one surface's mentions in one article, with its confidence. Returns what
    decided: "firm-other" (firm cues for a product or a disease), "model" (no evidence for a kept
    type beside the model's labels: none, or weaker cues for OTHER) or "evidence"."""
    model: Counter[str] = Counter(c.label for c in group)
    body = bodies[group[0].article_id]
    evidence: Counter[str] = Counter()
    for c in group:
        evidence.update(_cues(c, body, gaz).votes)
    for label in {w for c in group if c.cues is not None for w in c.cues.wide}:
        # "Benfica striker Tom Hardy", "Lenoge Ltd", "Vodafone (LSE: VOD)": what the name is in
        # the whole article, against the model's reading of every other mention
        evidence[label] += ARTICLE_WIDE_WEIGHT * len(group)
    _dictionary_votes(group, evidence, model, gaz, site, software)
    _structure_votes(group, evidence, gaz, body, structure, site, openers, software)
    firm = sum(1 for c in group if c.cues is not None and OTHER in c.cues.firm)
    if firm >= min(_FIRM_MENTIONS, len(group)) and not any(n for t, n in evidence.items() if t != OTHER):
        # the model has no class for products and diseases and reads every mention of one the
        # same way: its votes are one opinion, firm cues with nothing against them decide
        for c in group:
            c.label, c.confidence = OTHER, evidence[OTHER] / (evidence[OTHER] + len(group))
        return "firm-other"
    votes = model + evidence
    best = max(votes.values())
    present = [c.label for c in group if votes[c.label] == best]
    label = present[0] if present else top_label(votes)[0]
    if label == OTHER and any(n == best for t, n in votes.items() if t != OTHER):
        # a name is dropped as no entity only on a clear majority: a tie keeps the name
        label = top_label(Counter({t: n for t, n in votes.items() if t != OTHER}))[0]
    confidence = votes[label] / sum(votes.values())
    for c in group:
        c.label = label
        c.confidence = confidence
    return "evidence" if any(n for t, n in evidence.items() if t != OTHER) else "model"


# Between two names of one list: "Harris, Covington and Batum", "A, B, and C".
_LIST_GLUE = re.compile(r"^(?:,[ \t]*|[ \t]+and[ \t]+|,[ \t]+and[ \t]+)$")
_LIST_MIN_PEERS = 2  # names of one type around a name in its list
LIST_WEIGHT = 3


def _list_votes(groups: list[list[Candidate]], cands: list[Candidate], bodies: dict[str, str]) -> None:
    """A one-word name that only the model typed takes the type of the names it is listed with,
    when at least two of them share it ("Harris, Oubre Jr., Covington and Batum all played"):
    a list joins things of one kind."""
    if not groups:
        return
    by_article: dict[str, list[Candidate]] = defaultdict(list)
    for c in cands:
        by_article[c.article_id].append(c)
    for spans in by_article.values():
        spans.sort(key=lambda c: c.start)
    position = {id(c): i for spans in by_article.values() for i, c in enumerate(spans)}
    for group in groups:
        body = bodies[group[0].article_id]
        spans = by_article[group[0].article_id]
        votes: Counter[str] = Counter(c.label for c in group)
        for c in group:
            peers = _list_peers(spans, position[id(c)], body)
            kinds = Counter(p.label for p in peers if p.key != c.key)
            if kinds:
                kind, n = top_label(kinds)
                if n >= _LIST_MIN_PEERS and kind in ("PERSON", "ORG", "GPE"):
                    votes[kind] += LIST_WEIGHT
        label, n = top_label(votes)
        if label != group[0].label:
            for c in group:
                c.label, c.confidence = label, n / sum(votes.values())


def _list_peers(spans: list[Candidate], i: int, body: str) -> list[Candidate]:
    """The names joined to ``spans[i]`` by commas and "and" on either side."""
    peers = []
    j = i
    while j > 0 and _LIST_GLUE.match(body[spans[j - 1].end:spans[j].start]):
        j -= 1
        peers.append(spans[j])
    j = i
    while j + 1 < len(spans) and _LIST_GLUE.match(body[spans[j].end:spans[j + 1].start]):
        j += 1
        peers.append(spans[j])
    return peers


# A version after a software name: "Python 3", "Windows 10", "Ubuntu 20.04", "Python 2.x".
_VERSION = re.compile(r"\s+v?\d+(?:\.(?:\d+|x))*$")


def _software_name(surface: str) -> bool:
    return _unversioned(surface) in platform_names() or _unversioned(surface) in lexer_names()


def _unversioned(surface: str) -> str:
    """A software name without its version number ("Python 3" -> "Python")."""
    return _VERSION.sub("", surface)


# Software names an article must name, none of them with a product cue, an operating system or a
# browser, before they vouch for each other: two lexer names alone may be two people's given
# names ("Julia and Ruby, two sisters").
_SOFTWARE_CONTEXT_NAMES = 3
_MAX_CUE_LOOKUPS = 20  # occurrences of one name searched for a product cue


def _software_context(spans: list[Candidate], body: str, gaz: Gazetteer) -> frozenset[str]:
    """The software names of an article that say it is about software: all of them when there
    are three or more, or an operating system or a browser among them, or a product cue at one
    of them anywhere in the article ("Julia code", where the model tagged no name); else none."""
    labels = {c.surface: c.label for c in spans if _software_name(c.surface)}
    surfaces = frozenset(labels)
    if len(surfaces) >= _SOFTWARE_CONTEXT_NAMES or {_unversioned(s) for s in surfaces} & platform_names():
        return surfaces
    # an occurrence that is a span of the same reading has the span's own votes, which the
    # article's type decision reads again (datelines are decided apart and keep none)
    spanned = {(c.start, c.end, c.surface, c.label): c for c in spans if c.surface in labels and not c.dateline}
    for surface, label in labels.items():
        for m in itertools.islice(re.finditer(r"(?<!\w)" + re.escape(surface) + r"(?!\w)", body),
                                  _MAX_CUE_LOOKUPS):
            span = spanned.get((m.start(), m.end(), surface, label))
            votes = _cues(span, body, gaz) if span is not None else cue_votes(body, m.start(), m.end(), surface,
                                                                               label, gaz)
            if votes.votes[OTHER]:
                return surfaces
    return frozenset()


def _cues(c: Candidate, body: str, gaz: Gazetteer) -> CueVotes:
    """The context-cue votes of one span, computed once."""
    if c.cues is None:
        c.cues = cue_votes(body, c.start, c.end, c.surface, c.label, gaz)
    return c.cues


def _software(surface: str, model: Counter[str], in_article: frozenset[str], product_cued: bool) -> bool:
    """A software name the model misread, where the article names other software or a product
    cue fires at it ("Windows users", "Python code"): many are also places', people's, clubs' and
    companies' names ("Java", "Red Star", "Red Hat"), and a report of an earthquake or a match
    names no other software. A lexer's name counts against the model's organisation, person or
    people ("Java" read as a place is the island more often than the language), an operating
    system's or a browser's against any reading. The model's readings vote: a stray place
    reading among many of a person ("Python" once read as GPE) does not make the island."""
    if not (product_cued or in_article - {surface}):
        return False
    name = _unversioned(surface)
    if name in platform_names():
        return True
    misread = sum(n for label, n in model.items() if label in ("ORG", "PERSON", "NORP", OTHER))
    return name in lexer_names() and misread > sum(model.values()) - misread


def _people_word(surface: str, gaz: Gazetteer) -> bool:
    """A people by the dictionaries: a demonym of a country the gazetteer knows ("Armenian"), a
    place, or one of Phoenix's one-word group agents, a religion or a sect ("Christian",
    "Sunnis")."""
    if gaz.demonym_country(surface) is not None or gaz.place(surface) is not None:
        return True
    word = surface.upper()
    return bool({word, word.removesuffix("S")} & people_agents())


def _dictionary_org(surface: str) -> bool:
    """Phoenix names an organisation so: a short one-word name only as written in capitals
    (an acronym), a longer one in any case."""
    name = " ".join(surface.upper().split())
    if name not in organisation_names():
        return False
    return " " in name or "-" in name or surface.isupper()


def site_key(name: str) -> str:
    """A name as a site or publisher name compares: letters and digits only, lower case
    ("The Axios" -> "axios", "CNN" -> "cnn")."""
    key = name_key(name)
    key = key[4:] if key.startswith("the ") else key
    return re.sub(r"[\W_]+", "", key)


def _state_of_named_country(surface: str, gaz: Gazetteer, countries: set[str]) -> bool:
    """A state or province of a country the article names ("Amazonas" beside "Brazil")."""
    found = gaz.subdivision(surface, frozenset(countries)) if countries else None
    return found is not None and found.country_code in countries


def _country_initials(surface: str, gaz: Gazetteer) -> bool:
    """Initials of three letters or more that spell a country's name ("BVI", "UAE", "DRC");
    shorter ones are too often an organisation's. Only the initials of the name the country goes
    by count: those of official names collide with organisations' ("IRA": Islamic Republic of
    Afghanistan)."""
    if not is_acronym(surface) or len(acronym_key(surface)) < _MIN_COUNTRY_INITIALS:
        return False
    found = gaz.country(surface)
    return found is not None and initials(found.name) == acronym_key(surface)


def _place_apart_from_person(group: list[Candidate], gaz: Gazetteer, body: str, evidence: Counter[str]) -> bool:
    """A place the gazetteer knows and the model reads as a place, that only opens a person's
    name in the article ("Miami" beside "Miami Gonzalez"), stays the place: the article never
    uses the one word as the person (no person reading, no person cue, no speech verb after it)."""
    return gaz.place(group[0].surface) is not None and not evidence["PERSON"] \
        and all(c.label in ("GPE", "LOC") for c in group) and not any(speaks(body, c.start, c.end) for c in group)


def _named_place(surface: str, gaz: Gazetteer, home: str | None = None) -> bool:
    """A state, a major place, a world region or a city of the publisher's country: "California"
    stays a place beside "California ISO", "Caribbean" beside "Caribbean Military Academy", "Cork"
    beside "Cork County Council" on an Irish site."""
    return gaz.subdivision(surface) is not None or gaz.is_major_place(surface) or gaz.region(surface) is not None \
        or gaz.is_home_city(surface, home)


def common_word_spans(cands: list[Candidate], bodies: dict[str, str], gaz: Gazetteer) -> set[int]:
    """id() of one-word spans capitalised only by position: every such mention in its article
    sits at a line or sentence start, and the batch uses the word more in lower case than as a
    mid-sentence name ("Women's 100 metres", "Death toll rises")."""
    by_article: dict[tuple[str, str], list[Candidate]] = defaultdict(list)
    for c in cands:
        if len(c.words) == 1 and c.surface[:1].isupper() and c.surface[1:].islower():
            by_article[(c.article_id, c.surface)].append(c)
        elif len(c.words) == 1 and len(c.surface) >= _MIN_CAPITALS_WORD and c.surface.isalpha() \
                and c.surface.isupper() and gaz.place(c.surface) is None:
            # a label in capitals ("ACCIDENT - A vehicle ...", "SOCCER - RESULTS"), read as its word
            by_article[(c.article_id, c.surface.title())].append(c)
    suspects = {k: g for k, g in by_article.items()
                if all(at_line_or_sentence_start(bodies[c.article_id], c.start) for c in g)}
    ordinary = ordinary_words(list(bodies.values()), {surface for _, surface in suspects})
    return {id(c) for (_, surface), g in suspects.items() if surface in ordinary for c in g} \
        | _common_phrase_spans(cands, bodies, gaz)


# A word of the batch in lower case, not part of an address, a handle or a file name.
_PLAIN_LOWER_WORD = re.compile(r"(?<![\w./@_#-])[a-z]+(?![\w@/_]|\.\w)")
# a capitalised word after a lower-case word (or its comma): not a word inside a title-case phrase
_MID_CAPITAL_WORD = re.compile(r"\b[a-z][a-z'’-]*,? ([A-Z][a-z]+)\b")
# How much more often each word of a phrase must be written in lower case than capitalised mid-
# sentence for the phrase to be ordinary words in capitals.
_ORDINARY_SHARE = 2
_ORDINARY_MIN_LOWER = 2


def _common_phrase_spans(cands: list[Candidate], bodies: dict[str, str], gaz: Gazetteer) -> set[int]:
    """id() of multi-word spans read as a person's name whose every word the batch writes as an
    ordinary word, in lower case, at least twice as often as capitalised mid-sentence: a heading
    or a product in title case ("Leadership Styles", "Keyboard Cover", "Good Soil"), not a name
    (given names and surnames are seldom written in lower case)."""
    suspects = [c for c in cands if c.label == "PERSON" and len(c.words) >= 2
                and all(w.isalpha() and w[:1].isupper() and w[1:].islower() for w in c.words)]
    if not suspects:
        return set()
    lower: Counter[str] = Counter()
    mid: Counter[str] = Counter()
    for body in bodies.values():
        lower.update(_PLAIN_LOWER_WORD.findall(body))
        mid.update(_MID_CAPITAL_WORD.findall(body))
    return {id(c) for c in suspects
            if all(lower[w.lower()] >= _ORDINARY_MIN_LOWER and lower[w.lower()] > _ORDINARY_SHARE * mid[w]
                   for w in c.words) and gaz.place(c.surface) is None}
