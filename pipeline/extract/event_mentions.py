"""Event mentions in one article: a clause with a trigger, a date and at least one actor.

Works on the sentences and entity mentions of the one spaCy parse (no second parse). A
sentence with several dates holds several events ("meet in Geneva on January 10, followed by
talks ... on January 12 and a meeting on January 13"): each date owns the clause that ends
with it, and the last one also the rest of the sentence.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from pipeline.extract.cameo_actors import SECTORS, country_actor_code, is_political, load_references
from pipeline.extract.cameo_coder import Coded, Role, code_info
from pipeline.extract.dates import DateExpression, tense_at, value_to_range
from pipeline.extract.event_lexicon import EventType, Lexicon, Trigger
from pipeline.records import Article, Entity, EntityMention, Sentence

ACTOR_TYPES = {"PERSON", "ORG", "GPE", "NORP"}
PLACE_TYPES = {"GPE", "LOC", "FAC"}
# A place is where the event happened when a locative word precedes it ("in Geneva", "visited
# Kyiv", "travelled to Beijing"); "a response to Russia" makes Russia a party, not a place.
_PLACE_PREP = re.compile(r"(?:\b(?:in|at|near|outside|inside|visited|visiting|visit|toured|(?:travel+ed|went|"
                         r"flew|returned|trip|journey|headed|came|deployed|sent|moved)\s+to)\s+(?:the\s+)?)$", re.IGNORECASE)
# Words between a nationality/country and a person's name that make it a title, not an actor:
# "US President Joe Biden", "Russian Foreign Minister Sergei Lavrov".
_TITLE_GAP = re.compile(r"^\s+(?:[A-Z][\w.-]*\s+){0,4}$")
# "may" in lower case only: "May 8" is a month.
_HYPOTHETICAL = re.compile(r"\b(?:if|unless|could|might|(?-i:may)|possibility|possible|prospect|in\s+case|"
                           r"whether|would|threat\s+of|risk\s+of|hope|hopes|hoping)\b", re.IGNORECASE)
_HYPOTHETICAL_REACH = 45  # characters before the trigger a modal or "if" governs it from
_PLANNED = re.compile(r"\b(?:upcoming|scheduled|planned|slated|due|forthcoming|next)\b", re.IGNORECASE)
_PHRASAL = re.compile(r"\s+(?:up|in\s+to|off|out)\b", re.IGNORECASE)
_NEGATION = re.compile(r"\b(?:not|never|no|n't|neither|nor|without)\s+(?:\w+\s+)?$", re.IGNORECASE)
# Clause boundaries inside a sentence: each clause holds its own event ("..., followed by talks
# on January 12", "..., and the same week a meeting ...").
_CLAUSE_BREAK = re.compile(r",\s+(?=(?:and|but|while|whereas|followed\s+by|when|after\s+which|although|"
                           r"though|as\s+well\s+as)\b)|;\s+", re.IGNORECASE)
_TRIGGER_REACH = 160  # characters: a trigger further than this from its date is another clause
_PLACE_REACH = 30  # characters between a place and the trigger or date it locates


@dataclass
class Candidate:
    article_id: str
    sentence: str
    sentence_index: int
    start_char: int
    end_char: int
    event_type: EventType
    trigger: Trigger
    date: DateExpression
    actors: list[str]
    location: str | None
    modality: str
    confidence: float
    anchor_strength: str  # "strong" (published / inferred) | "weak" (fetch date or none)
    event_id: str | None = None
    coded: Coded | None = None  # the CAMEO coding, when a verb pattern found the event
    actor1: str | None = None  # source entity id (who acts)
    actor2: str | None = None  # target entity id (who is acted upon)
    actor1_code: str | None = None  # CAMEO actor codes (RUSGOV, USAMIL, IGOUNO)
    actor2_code: str | None = None
    attribution: str | None = None  # entity id of who reported it ("X said Y attacked Z": X)

    @property
    def cameo_code(self) -> str:
        return self.event_type.cameo_code or self.event_type.cameo_root

    @property
    def pattern(self) -> str:
        noun = f"lexicon: {self.trigger.text.lower()}"
        if self.coded is None:
            return noun
        return self.coded.pattern if self.trigger.start == self.coded.verb_start else f"{self.coded.pattern}; {noun}"


def _modality(text: str, seg_start: int, trigger: Trigger, expr: DateExpression, anchor: date | None,
              lower_bound: bool) -> str:
    window = text[max(seg_start, trigger.start - _HYPOTHETICAL_REACH):trigger.start]
    cues = list(_HYPOTHETICAL.finditer(window))
    cue = cues[-1] if cues else None
    if cue is not None and not _PLANNED.search(window[cue.end():]):
        return "hypothetical"  # "may reach an arrangement during upcoming talks" is still planned
    if not expr.dated:  # nothing dates it: only its tense says whether it happened
        return "scheduled" if tense_at(text, expr.start, expr.end) == "future" else "occurred"
    first, _ = value_to_range(expr.value, expr.granularity)
    if anchor is not None and first > anchor and (not lower_bound or expr.kind == "relative"):
        return "scheduled"  # after the day it was written ("next week", or past a true anchor)
    tense = tense_at(text, expr.start, expr.end)
    if tense == "past":
        return "occurred"
    if tense == "future" or (anchor is not None and first > anchor and not lower_bound):
        return "scheduled"
    return "occurred"


def _pick_trigger(triggers: list[Trigger], expr: DateExpression) -> Trigger | None:
    best: tuple[float, Trigger] | None = None
    for t in triggers:
        distance = expr.start - t.end if t.end <= expr.start else t.start - expr.end
        if distance > _TRIGGER_REACH:
            continue
        score = max(distance, 0) + 8 * t.event_type.priority
        if best is None or score < best[0]:
            best = (score, t)
    return best[1] if best else None


def _actors_and_place(text: str, seg_start: int, seg_end: int, mentions: list[EntityMention],
                      types: dict[str, str], anchors: tuple[int, ...]) -> tuple[list[str], str | None]:
    """Actors of a clause, and its place: the located place nearest the trigger or date."""
    inside = [m for m in mentions if m.start_char >= seg_start and m.end_char <= seg_end]
    places: list[tuple[int, str]] = []  # (distance to trigger/date, entity id)
    location_end = -1
    actors: list[str] = []
    for i, m in enumerate(inside):
        etype = m.entity_type or types.get(m.entity_id, "")
        before = text[max(seg_start, m.start_char - 20):m.start_char]
        qualifier = location_end >= 0 and re.fullmatch(r",\s*", text[location_end:m.start_char])
        if etype in PLACE_TYPES and (_PLACE_PREP.search(before) or qualifier):
            if not qualifier:  # "in Geneva, Switzerland": the country only qualifies the city
                distance = min(abs(m.start_char - a) for a in anchors)
                if distance <= _PLACE_REACH:
                    places.append((distance, m.entity_id))
            location_end = m.end_char
            continue
        if etype not in ACTOR_TYPES:
            continue
        nxt = inside[i + 1] if i + 1 < len(inside) else None
        if (etype in ("NORP", "GPE") and nxt is not None
                and (nxt.entity_type or types.get(nxt.entity_id)) == "PERSON"
                and _TITLE_GAP.match(text[m.end_char:nxt.start_char])):
            continue
        if m.entity_id not in actors:
            actors.append(m.entity_id)
    location = min(places)[1] if places else None
    return actors, location


def _clauses(text: str, start: int, end: int, dates: list[DateExpression]) -> list[tuple[int, int]]:
    """Clauses that each hold at least one date: a clause without one ("..., and the Russian
    Federation will meet") belongs with the one before it (or after it, when first)."""
    spans, cursor = [], start
    for m in _CLAUSE_BREAK.finditer(text, start, end):
        spans.append((cursor, m.start()))
        cursor = m.end()
    spans.append((cursor, end))
    groups: list[list] = []  # [start, end, has_date]
    for c_start, c_end in spans:
        has_date = any(d.start >= c_start and d.end <= c_end for d in dates)
        if groups and not (has_date and groups[-1][2]):
            groups[-1][1] = c_end
            groups[-1][2] = groups[-1][2] or has_date
        else:
            groups.append([c_start, c_end, has_date])
    merged = [(g[0], g[1]) for g in groups]
    return merged


def _join_fragments(text: str, sentences: list[Sentence]) -> list[Sentence]:
    """A "sentence" starting with punctuation or a lower-case word continues the one before
    (the splitter cut at a stray full stop: "with Russia. , the United States and ...")."""
    out: list[Sentence] = []
    for s in sorted(sentences, key=lambda s: s.start_char):
        head = text[s.start_char:s.end_char].lstrip()[:1]
        if out and head and not (head.isupper() or head.isdigit() or head in "\"“‘'(["):
            out[-1] = Sentence(s.article_id, out[-1].sentence_index, out[-1].start_char, s.end_char)
        else:
            out.append(s)
    return out


def _segments(text: str, sent: Sentence, dates: list[DateExpression]) -> list[tuple[int, int, DateExpression]]:
    """(start, end, date): each date's share of the sentence.

    The sentence is cut into clauses; inside a clause with several dates, each date owns the
    text that ends with it and the last one also the rest of the clause.
    """
    out = []
    for c_start, c_end in _clauses(text, sent.start_char, sent.end_char, dates):
        inside = [d for d in dates if d.start >= c_start and d.end <= c_end]
        for i, expr in enumerate(inside):
            seg_start = inside[i - 1].end if i else c_start
            seg_end = expr.end if i + 1 < len(inside) else c_end
            out.append((seg_start, seg_end, expr))
    return out


def _usable_triggers(text: str, triggers: list[Trigger], mentions: list[EntityMention]) -> list[Trigger]:
    """Drop triggers inside a name ("North Atlantic Treaty Organization") or negated ("has not met")."""
    kept = []
    for t in triggers:
        if any(m.start_char <= t.start and t.end <= m.end_char for m in mentions):
            continue
        if _NEGATION.search(text[max(0, t.start - 25):t.start]):
            continue
        if _PHRASAL.match(text, t.end):
            continue  # "sign up for the newsletter", "meet up", "call off": not the event
        kept.append(t)
    return kept


def _coded_type(c: Coded) -> EventType:
    root = code_info(c.info.root)
    # Statements are the weakest evidence of what happened (the lexicon's priority 9).
    return EventType(c.info.name, c.info.root, root.name, 9 if c.info.root == "01" else 1, (),
                     cameo_code=c.info.code, plover=c.info.plover)


def _pick_event(codings: list[Coded], triggers: list[Trigger], expr: DateExpression, seg_start: int,
                seg_end: int) -> tuple[Coded | None, Trigger | None]:
    """What this date dates: a coded verb whose predicate holds the date, or a noun trigger
    (a fallback type) of the clause, whichever is nearer the date (statements and a block's
    bare default code count as further). A noun trigger that is the coded verb's object names
    the event ("held another virtual meeting", "submitted written responses") and keeps the
    verb's actors."""
    fits = [c for c in codings if seg_start <= c.verb_start < seg_end
            and c.clause_start <= expr.start and expr.end <= c.clause_end]
    nouns = [t for t in triggers if t.start >= seg_start and t.end <= seg_end and t.event_type.fallback]

    def distance(start: int, end: int) -> int:
        return expr.start - end if end <= expr.start else max(start - expr.end, 0)

    best_c = min(fits, key=lambda c: distance(c.verb_start, c.verb_end) + (72 if c.info.root == "01" else 0)
                 + (0 if c.by_pattern or c.own_code else 32), default=None)
    best_t = _pick_trigger(nouns, expr)
    if best_c is None:
        return None, best_t
    inside = [t for t in nouns if best_c.object_start <= t.start and t.end <= best_c.object_end]
    if inside:
        return best_c, min(inside, key=lambda t: t.event_type.priority)
    if best_t is not None and not (best_c.by_pattern and best_c.clause_start <= best_t.start
                                   and best_t.end <= best_c.clause_end and best_c.info.root != "01"):
        # (a noun in the predicate of a verb a pattern codes is part of its act: "give the
        # green light to begin operation at a review meeting on January 11" is no meeting)
        score_c = distance(best_c.verb_start, best_c.verb_end) + (72 if best_c.info.root == "01" else 0) \
            + (0 if best_c.by_pattern or best_c.own_code else 32)
        score_t = distance(best_t.start, best_t.end) + 8 * best_t.event_type.priority
        if score_t < score_c:
            return None, best_t
    return best_c, None


def _role_entity(role: Role | None, mentions: list[EntityMention], types: dict[str, str] | None = None
                 ) -> str | None:
    """The entity a role's phrase names: the mention at its head, else the first inside its
    phrase, else the first in its whole subtree ("representatives from NATO"); a person or
    organisation before a place ("lawmakers from Alternative for Germany (AfD)": AfD)."""
    return _role_naming(role, mentions, types or {})[0]


def _role_naming(role: Role | None, mentions: list[EntityMention], types: dict[str, str]
                 ) -> tuple[str | None, bool]:
    """(entity, whether it only says where the role's head is): a place or nationality that
    does not head the phrase ("Texas voters", "the Houston beauty chain", "Kincaid police")."""
    if role is None:
        return None, False
    for m in mentions:
        if m.start_char <= role.head_start and role.head_end <= m.end_char:
            # "Judge Neil Ford QC", "Jane Doe MP": an organisation's letters right after a
            # person's name are the person's post-nominals
            person = next((p for p in mentions if role.start <= p.start_char and 0 < m.start_char - p.end_char <= 1
                           and (p.entity_type or types.get(p.entity_id)) == "PERSON"), None)
            if person is not None and " " not in m.surface and (
                    m.surface.isupper() or (m.entity_type or types.get(m.entity_id)) == "ORG"):
                return person.entity_id, False
            return m.entity_id, False
    for lo, hi in ((role.start, role.end), (role.tree_start, role.tree_end)):
        inside = [m for m in mentions if lo <= m.start_char and m.end_char <= hi]
        named = [m for m in inside if (m.entity_type or types.get(m.entity_id)) in ("PERSON", "ORG")]
        if named:
            return named[0].entity_id, False
        if inside:
            return inside[0].entity_id, True
    return None, False


def _actor_code(role: Role | None, entity_id: str | None, entities: dict[str, Entity]) -> str | None:
    """The role's dictionary code, completed with the entity's country when the dictionary
    gave only a sector ("police" -> COP; of a French city's police -> FRACOP)."""
    code = role.code if role else None
    entity = entities.get(entity_id) if entity_id else None
    if entity is not None and entity.entity_type == "PERSON" and code and len(code) == 3 and not _is_sector_only(code):
        code = None  # a person named like a place ("Joaquin Phoenix", "Dianne Austin") is not the state
    if entity is None or not entity.country_code:
        return code
    if code and not _is_sector_only(code):
        return code  # the dictionary named the actor itself (RUSGOV, IGOUNO)
    if code is None and entity.entity_type not in ("GPE", "NORP"):
        return None  # a person or firm of some country is not that country's state
    return country_actor_code(entity.country_code, code)


def _placed_code(role: Role | None, place: str | None, entities: dict[str, Entity]) -> str | None:
    """The code of a role whose place is only where it is: its own code, with the place's
    country when the dictionary gave only a sector ("Kincaid residents" -> USACVL); no code
    at all does not make it the state."""
    code = role.code if role else None
    entity = entities.get(place) if place else None
    if code and _is_sector_only(code) and entity is not None and entity.country_code:
        return country_actor_code(entity.country_code, code)
    return code


def _is_sector_only(code: str) -> bool:
    return code[:3] in SECTORS


class _Roles(NamedTuple):
    """What the parse says of a clause: who acts, who is acted upon (entity ids), their CAMEO
    actor codes, and who is quoted saying it."""

    actor1: str | None = None
    actor2: str | None = None
    actor1_code: str | None = None
    actor2_code: str | None = None
    speaker: str | None = None


def _refers_back(text: str) -> bool:
    """Whether ``text`` refers to the actors named just before ("they", "the two leaders"):
    ``knowledge/actor_references.tsv``, read when first needed."""
    return load_references().plural_pattern.search(text) is not None


def _antecedent(role: Role | None, earlier: list[EntityMention], types: dict[str, str]) -> str | None:
    """The entity a pronoun role refers to: the last entity of a fitting type named before it
    in the sentence or the two before (``earlier``, in text order). The nearest wins, as in a
    news report's "X said ... He added": not a full coreference model, and so only for roles
    the parse has already made actors."""
    if role is None:
        return None
    # what a third-person pronoun can stand for: "he"/"she" a person, "they" a state, people or
    # organisation (a plural of persons is rarely named as one entity)
    wanted = load_references().antecedent_types.get(role.text.lower())
    if not wanted:
        return None
    for m in reversed(earlier):
        if m.end_char <= role.start and types.get(m.entity_id) in wanted:
            return m.entity_id
    return None


def _coded_actors(c: Coded, mentions: list[EntityMention], entities: dict[str, Entity],
                  earlier: list[EntityMention] | None = None,
                  named_before: list[EntityMention] | None = None) -> tuple[list[str], _Roles]:
    types_here = {m.entity_id: entities[m.entity_id].entity_type for m in mentions if m.entity_id in entities}
    (a1, where1), (a2, where2) = (_role_naming(c.source, mentions, types_here),
                                  _role_naming(c.target, mentions, types_here))
    if earlier:
        types = {m.entity_id: entities[m.entity_id].entity_type for m in earlier if m.entity_id in entities}
        a1 = a1 or _antecedent(c.source, earlier, types)
        a2 = a2 or _antecedent(c.target, earlier, types)
    # A bare capitalised word can be the surname of a person named earlier ("King"): that
    # person, with no sector from a title word that is the surname.
    surname1 = None if a1 else _surname_person(c.source, named_before or [], entities)
    surname2 = None if a2 else _surname_person(c.target, named_before or [], entities)
    a1, a2 = a1 or surname1, a2 or surname2
    actors = [a for a in (a1, a2) if a]
    for role in (c.source, c.target):
        for start, end in (role.others if role else []):
            other = _role_entity(Role(start, end, start, end, "", None, [], start, end), mentions)
            if other and other not in actors:
                actors.append(other)
    speaker = _role_entity(c.attribution, mentions, types_here)
    code1, code2 = _actor_code(c.source, a1, entities), _actor_code(c.target, a2, entities)
    # A place that only says where a firm, a voter or a scholar is gives the country, not the
    # actor: the state acts only through its own (police, troops, officials: a political code).
    if where1 and not is_political(placed := _placed_code(c.source, a1, entities)):
        actors, a1, code1 = [a for a in actors if a != a1], None, placed
    if where2 and not is_political(placed := _placed_code(c.target, a2, entities)):
        actors, a2, code2 = [a for a in actors if a != a2], None, placed
    code1 = None if surname1 and code1 and _is_sector_only(code1) else code1
    code2 = None if surname2 and code2 and _is_sector_only(code2) else code2
    return actors, _Roles(a1, a2, code1, code2, speaker)


def _surname_person(role: Role | None, named_before: list[EntityMention], entities: dict[str, Entity]
                    ) -> str | None:
    """The person a bare capitalised word refers to when it is the surname of a person named
    earlier in the article ("Bernice King ... King asked Scott"), as news refers to people after
    their first mention; the nearest such person."""
    if role is None or not role.text[:1].isupper() or " " in role.text.strip():
        return None
    word = role.text.strip()
    for m in reversed(named_before):
        entity = entities.get(m.entity_id)
        if entity is not None and entity.entity_type == "PERSON" and m.end_char <= role.start:
            parts = entity.canonical_name.split()
            if len(parts) > 1 and parts[-1] == word:
                return entity.entity_id
    return None


def _anchor_dated(article: Article, sent: Sentence, codings: list[Coded], mentions: list[EntityMention],
                  earlier: list[EntityMention], entities: dict[str, Entity], anchor: date | None,
                  anchor_strength: str, *, named_before: list[EntityMention] | None = None) -> Candidate | None:
    """The event of a sentence with no date ("Protesters clashed with police in Nairobi"),
    dated by the article's anchor: reported that day, so it occurred on or before it (a date
    of kind "anchor": day precision, confidence below the anchor's). Kept narrow, as nothing
    in the text vouches for the date: a coded verb other than a statement, said to have
    occurred, with a political actor (by its CAMEO actor code) as its source, and a named actor
    or place. One per sentence (a pattern's match first). Without an anchor the event is
    kept undated."""
    fits = [c for c in codings if sent.start_char <= c.verb_start < sent.end_char
            and c.info.root != "01" and c.modality == "occurred"]
    text = article.body
    types = {m.entity_id: entities[m.entity_id].entity_type for m in mentions if m.entity_id in entities}
    for coded in sorted(fits, key=lambda c: (not c.by_pattern, not c.own_code, c.verb_start)):
        actors, roles = _coded_actors(coded, mentions, entities, earlier, named_before)
        if not is_political(roles.actor1_code):
            continue  # who acts must be political: "the hunter arrived at Bethany" is no news event
        _, location = _actors_and_place(text, sent.start_char, sent.end_char, mentions, types,
                                        (coded.verb_start, coded.verb_end))
        if not actors and location is None:
            continue  # nothing named: not an event we can place
        expr = DateExpression(coded.verb_start, coded.verb_start, "", anchor.isoformat() if anchor else "",
                              "day", year_explicit=False, kind="anchor")
        trigger = Trigger(_coded_type(coded), coded.verb_start, coded.verb_end, coded.verb)
        confidence = 0.45 + (0.1 if roles.actor2 else 0.0) + (0.1 if coded.by_pattern else 0.0) \
            + (0.05 if anchor_strength == "strong" else -0.1)
        return Candidate(
            article_id=article.article_id, sentence=text[sent.start_char:sent.end_char].strip(),
            sentence_index=sent.sentence_index, start_char=sent.start_char, end_char=sent.end_char,
            event_type=trigger.event_type, trigger=trigger, date=expr, actors=actors, location=location,
            modality="occurred", confidence=round(confidence, 2), anchor_strength=anchor_strength,
            coded=coded, actor1=roles.actor1, actor2=roles.actor2, actor1_code=roles.actor1_code,
            actor2_code=roles.actor2_code, attribution=roles.speaker)
    return None


def find_candidates(article: Article, sentences: list[Sentence], mentions: list[EntityMention],
                    dates: list[DateExpression], entities: dict[str, Entity], lexicon: Lexicon,
                    anchor: date | None, anchor_strength: str, lower_bound: bool = False,
                    codings: list[Coded] | None = None) -> list[Candidate]:
    """Event mentions of one article, in text order.

    ``codings`` are the CAMEO codings of the article's sentences (cameo_coder): a dated clause
    whose verb is coded is that event, with its actors from the parse; a clause without one
    falls back to a noun trigger of the lexicon (``fallback`` types: "talks on January 10").

    ``lower_bound``: the anchor is the earliest the article can have been written (inferred
    from its own dates), so a date after it is not necessarily in the future.
    """
    reading = _ArticleReading(
        article=article, mentions=_Mentions(mentions), entities=entities, lexicon=lexicon,
        codings=codings or [], anchor=anchor, anchor_strength=anchor_strength, lower_bound=lower_bound,
        # Only this article's entities: `entities` holds the whole warehouse's, and a dict over
        # all of them per article made each batch slower than the last (py-spy on the 100k bench).
        types={m.entity_id: entities[m.entity_id].entity_type for m in mentions if m.entity_id in entities})
    return reading.candidates(sentences, dates)


class _Mentions:
    """An article's entity mentions in text order, sliced by position."""

    def __init__(self, mentions: list[EntityMention]) -> None:
        self.ordered = sorted(mentions, key=lambda m: m.start_char)
        self.starts = [m.start_char for m in self.ordered]

    def between(self, start: int, end: int) -> list[EntityMention]:
        return self.ordered[bisect_left(self.starts, start):bisect_left(self.starts, end)]

    def before(self, start: int) -> list[EntityMention]:
        return self.ordered[:bisect_left(self.starts, start)]


@dataclass
class _ArticleReading:
    """One article read sentence by sentence against one anchor (``find_candidates``)."""

    article: Article
    mentions: _Mentions
    entities: dict[str, Entity]
    types: dict[str, str]
    lexicon: Lexicon
    codings: list[Coded]
    anchor: date | None
    anchor_strength: str
    lower_bound: bool
    # The actors of the last event with any, by sentence index: "the two leaders" names them.
    previous_actors: tuple[int, list[str]] | None = None

    def candidates(self, sentences: list[Sentence], dates: list[DateExpression]) -> list[Candidate]:
        text = self.article.body
        out: list[Candidate] = []
        dates = sorted(dates, key=lambda d: d.start)
        date_starts = [d.start for d in dates]
        starts: list[int] = []  # of the sentences read, for the window a pronoun is resolved in
        for sent in _join_fragments(text, sentences):
            starts.append(sent.start_char)
            lo = bisect_left(date_starts, sent.start_char)
            s_dates = [d for d in dates[lo:bisect_left(date_starts, sent.end_char)] if d.end <= sent.end_char]
            s_mentions = self.mentions.between(sent.start_char, sent.end_char)
            earlier = self.mentions.between(starts[-3] if len(starts) >= 3 else starts[0], sent.end_char)
            if not s_dates:
                # A context anchor (the period of related articles) is a guess, not a report day.
                undated = _anchor_dated(self.article, sent, self.codings, s_mentions, earlier, self.entities,
                                        self.anchor if self.anchor_strength != "context" else None,
                                        self.anchor_strength, named_before=self.mentions.before(sent.start_char))
                if undated is not None:
                    out.append(undated)
                continue
            triggers = _usable_triggers(text, self.lexicon.find(text, sent.start_char, sent.end_char), s_mentions)
            for seg_start, seg_end, expr in _segments(text, sent, s_dates):
                found = self._in_segment(sent, (seg_start, seg_end), expr, triggers, s_mentions, earlier)
                if found is not None:
                    out.append(found)
        return out

    def _in_segment(self, sent: Sentence, segment: tuple[int, int], expr: DateExpression,
                    triggers: list[Trigger], s_mentions: list[EntityMention],
                    earlier: list[EntityMention]) -> Candidate | None:
        """The event of one dated clause of ``sent``, if it has a trigger and someone or somewhere."""
        text = self.article.body
        seg_start, seg_end = segment
        coded, noun = _pick_event(self.codings, triggers, expr, seg_start, seg_end)
        trigger = noun or (Trigger(_coded_type(coded), coded.verb_start, coded.verb_end, coded.verb)
                           if coded is not None else None)
        if trigger is None:
            return None
        actors, location = _actors_and_place(text, seg_start, seg_end, s_mentions, self.types,
                                             (trigger.start, trigger.end, expr.start, expr.end))
        roles = _Roles()
        if coded is not None:
            # The parse says who acts and who is acted upon; entities merely named in the
            # clause (the paper reporting, the city someone spoke in) are not actors. When
            # neither role names an entity, the clause's named actors stand in.
            coded_actors, roles = _coded_actors(coded, s_mentions, self.entities, earlier,
                                                self.mentions.before(sent.start_char))
            if coded.info.root == "01" and noun is None and not is_political(roles.actor1_code):
                return None  # the speaker is a person merely named like a place: no political statement
            actors = coded_actors or actors
        inherited = False
        previous = self.previous_actors
        if previous and sent.sentence_index - previous[0] <= 2 and _refers_back(text[seg_start:seg_end]):
            # "the two leaders held another virtual meeting": the leaders named just before
            actors, inherited = previous[1] + [a for a in actors if a not in previous[1]], True
        if not actors and not location:
            return None  # who and where both unknown: not an event we can place
        if actors:
            self.previous_actors = (sent.sentence_index, actors)
        modality = _modality(text, seg_start, trigger, expr, self.anchor,
                             self.anchor_strength != "strong" or self.lower_bound)
        if coded is not None and coded.modality != "occurred":
            modality = coded.modality  # the parse's negation, modal or governing verb wins
        confidence = _confidence(actors, location, expr, self.anchor_strength, trigger, coded, inherited=inherited)
        a1, a2, a1_code, a2_code, speaker = roles
        return Candidate(
            article_id=self.article.article_id, sentence=text[sent.start_char:sent.end_char].strip(),
            sentence_index=sent.sentence_index, start_char=seg_start, end_char=seg_end,
            event_type=trigger.event_type, trigger=trigger, date=expr, actors=actors,
            location=location, modality=modality, confidence=confidence, anchor_strength=self.anchor_strength,
            coded=coded, actor1=a1 if coded else (actors[0] if actors else None),
            actor2=a2 if coded else (actors[1] if len(actors) > 1 else None),
            actor1_code=a1_code, actor2_code=a2_code, attribution=speaker)


def _confidence(actors: list[str], location: str | None, expr: DateExpression, anchor_strength: str,
                trigger: Trigger, coded: Coded | None, *, inherited: bool) -> float:
    """How far a dated event mention can be leaned on: who, where and when it names, how it
    was found (a pattern of the dictionary, a bare verb, a noun) and what kind it is."""
    confidence = 0.5
    confidence += 0.15 if len(actors) >= 2 else 0.0
    confidence += 0.1 if location else 0.0
    confidence += 0.1 if expr.granularity == "day" else 0.0
    confidence += 0.1 if anchor_strength == "strong" or expr.year_explicit else -0.1
    confidence -= 0.1 if inherited else 0.0
    confidence -= 0.15 if not actors else 0.0
    confidence -= 0.15 if trigger.event_type.name == "statement" or (coded and coded.info.root == "01") else 0.0
    confidence += 0.1 if coded is not None and coded.by_pattern else 0.0
    return round(max(0.05, min(confidence, 0.95)), 2)
