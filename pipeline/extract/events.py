"""Dated events, consolidated across articles and runs like GDELT's events and mentions.

``extract_events`` turns the sentences and entity mentions of the one NLP parse into event
mentions (a clause with a trigger of a known type, a date and an actor), then attaches each to
an existing event (stored or from this batch) when it is the same real event, or starts a new
one. Event ids are derived from the mention that founded the event, so the same input gives
the same ids; a mention already stored keeps its event on a re-run. The grouping itself goes
by content: articles are read in order of anchor date and content hash, and ties between
equally good events go by what they say, so the same news under other paths or URLs (the
source of article ids) groups the same way.

Articles dated only by the time a *file* was read have no trustworthy year: a year-less
"January 10" in them is checked against strongly dated events first (same month-day or
weekday, same kind of event, a shared actor or place) and, when it matches, the article is
re-read against that date.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import partial
from urllib.parse import urlparse

from pipeline.executor import Executor, ItemFailure, Mapped, Pending
from pipeline.extract.cameo_actors import (
    could_name_political_actor,
    country_actor_code,
    is_country_code,
    load_actor_dictionary,
)
from pipeline.extract.cameo_coder import (
    Coded,
    code_for_name,
    code_info,
    code_spans,
    code_texts,
    could_hold_event,
    load_parser,
)
from pipeline.extract.dates import (
    DateExpression,
    anchor_confidence,
    date_confidence,
    find_dates,
    is_live,
    plausible_modality,
    resolve_anchor,
    tense_at,
    value_of,
    value_to_range,
)
from pipeline.extract.entities import in_model_language
from pipeline.extract.event_consolidate import Cluster, ClusterIndex, Member, best_cluster, pattern_match
from pipeline.extract.event_lexicon import Lexicon, load_lexicon
from pipeline.extract.event_mentions import PLACE_TYPES, Candidate, find_candidates
from pipeline.extract.nlp import paragraphs, rule_sentences_in
from pipeline.records import Article, Entity, EntityMention, Event, EventMention, Sentence, stable_id
from pipeline.settings import Settings

_MODALITY_ORDER = ("occurred", "scheduled", "hypothetical", "negated")
_CONTEXT_MIN_SHARED = 2  # named people/organisations an undated file must share with dated ones
MAX_CODED_SENTENCE = 1000  # characters: a longer "sentence" is a list or a table, not parsed


@dataclass
class EventOutput:
    events: list[Event] = field(default_factory=list)
    event_mentions: list[EventMention] = field(default_factory=list)
    failed: list[ItemFailure[Article]] = field(default_factory=list)  # articles left out: their step raised


def anchor_of(article: Article) -> tuple[date | None, str, bool]:
    """The day an article's relative dates resolve against, "strong" or "weak", and whether
    that day is only a lower bound (inferred from a dateline or the latest reported day)."""
    anchor, source = article.date_anchor, article.date_anchor_source
    if anchor is None:
        anchor, source = resolve_anchor(article, None)
    # A fetch time is a fair anchor for a web item (fetched soon after publication) but says
    # nothing about an article read from a file, which may be years old.
    strong = anchor_confidence(source, is_live(article)) in ("strong", "inferred")
    day = anchor.date() if isinstance(anchor, datetime) else anchor
    return day, ("strong" if strong else "weak"), source in ("dateline", "reported")


def _country_key(code: str) -> str:
    """The key a state or people is matched by: "cc:<ISO 3166 alpha-3>" ("Russia", "Russian",
    "Moscow" as the Kremlin and the actor code RUS are one state actor)."""
    return f"cc:{code.upper()}"


def _source_of(article: Article) -> str:
    """A source is the publisher, else the URL's host, else the file (as the loader counts them)."""
    if article.publisher:
        return article.publisher
    host = urlparse(article.url or "").hostname
    return host or article.source_uri or f"article:{article.article_id}"


class Consolidator:
    """The events already stored (indexed by type family and date, each stored cluster built
    only when a candidate may join it) that a batch's candidates are consolidated into, with
    the stored mentions' keys and date confidences."""

    def __init__(self, lexicon: Lexicon, entities: dict[str, Entity],
                 known_events: list[Event], known_mentions: list[EventMention]):
        self.lexicon = lexicon
        self.entities = entities
        self.names = {eid: e.canonical_name for eid, e in entities.items()}
        self.index = ClusterIndex()
        self.key_to_event: dict[tuple[str, int, str], str] = {}
        self.known_events = {e.event_id: e for e in known_events}
        by_event: dict[str, list[EventMention]] = defaultdict(list)
        for m in known_mentions:
            by_event[m.event_id].append(m)
        for ev in sorted(known_events, key=lambda e: e.event_id):
            stored = by_event.get(ev.event_id, [])
            for m in stored:
                self.key_to_event[(m.article_id, m.start_char, m.event_type or ev.event_type)] = ev.event_id
            self.index.put_stored(ev.event_id, self._family(ev.event_type),
                                  value_of(ev.event_date, ev.date_precision), ev.date_precision,
                                  partial(self._stored_cluster, ev, stored))
        self.touched: set[str] = set()
        # Date confidence per mention key (stored mentions first, this batch's as they are made).
        self.confidence: dict[tuple[str, int, str], str | None] = {
            (m.article_id, m.start_char, m.event_type or ""): m.date_confidence for m in known_mentions}
        self._places_by_name: dict[str, Entity] | None = None

    def _stored_cluster(self, ev: Event, stored: list[EventMention]) -> Cluster:
        cluster = Cluster(ev.event_id, known=True)
        for m in sorted(stored, key=lambda m: (m.article_id, m.start_char)):
            etype = m.event_type or ev.event_type
            actors = list(m.actors or [])
            confident = float(m.confidence) >= 0.6
            cluster.members.append(Member(
                key=(m.article_id, m.start_char, etype), article_id=m.article_id, event_type=etype,
                family=self._family(etype), date_value=value_of(m.event_date, m.date_precision) or value_of(ev.event_date, ev.date_precision),
                granularity=m.date_precision or ev.date_precision, actors=actors, location=m.location,
                confidence=float(m.confidence), strong=confident, actor_keys=self.actor_keys(actors),
                specific=self.specific(actors), modality=m.modality or ev.modality,
                dated=confident and bool(m.date_text), anchored=not m.date_text,
                cameo_code=m.cameo_code, actor1=m.actor1, actor2=m.actor2, actor1_code=m.actor1_code,
                actor2_code=m.actor2_code, roles=self.roles(m.actor1, m.actor2, m.actor1_code, m.actor2_code), groups=self.groups(actors)))
        if not cluster.members:  # an event stored without mentions still blocks a duplicate
            actors = list(ev.actors or [])
            cluster.members.append(Member(
                key=("", -1, ev.event_type), article_id="", event_type=ev.event_type,
                family=self._family(ev.event_type), date_value=value_of(ev.event_date, ev.date_precision), granularity=ev.date_precision,
                actors=actors, location=ev.location, confidence=0.5, strong=True,
                actor_keys=self.actor_keys(actors), specific=self.specific(actors), modality=ev.modality,
                dated=True, cameo_code=ev.cameo_code, actor1=ev.actor1, actor2=ev.actor2,
                actor1_code=ev.actor1_code, actor2_code=ev.actor2_code, roles=self.roles(ev.actor1, ev.actor2, ev.actor1_code, ev.actor2_code),
                groups=self.groups(actors)))
        return cluster

    def place_named(self, name: str) -> Entity | None:
        """The first place entity of that name (an index: a scan of every entity per event
        grew with the warehouse)."""
        if self._places_by_name is None:
            self._places_by_name = {}
            for e in self.entities.values():
                if e.entity_type in PLACE_TYPES:
                    self._places_by_name.setdefault(e.canonical_name, e)
        return self._places_by_name.get(name)

    def actor_keys(self, actors: list[str]) -> frozenset[str]:
        keys = set(actors)
        for a in actors:
            e = self.entities.get(a)
            if e is None or e.entity_type not in ("GPE", "NORP"):
                continue
            if e.country_code:
                keys.add(_country_key(country_actor_code(e.country_code, None) or e.country_code))
            elif (code := load_actor_dictionary().actor_code(e.canonical_name.upper())) and is_country_code(code):
                keys.add(_country_key(code))  # a people the entity lacks a country for ("American")
        return frozenset(keys)

    def roles(self, actor1: str | None, actor2: str | None, code1: str | None = None,
              code2: str | None = None) -> tuple[frozenset[str], frozenset[str]]:
        """Keys of the source and the target (empty for a role the parse did not fill). A role
        whose CAMEO actor code is a country as such ("American" -> USA) stands for that state."""
        def keys(actor: str | None, code: str | None) -> frozenset[str]:
            if not actor:
                return frozenset()
            state = {_country_key(code)} if code and len(code) == 3 and is_country_code(code) else set()
            return self.actor_keys([actor]) | state

        return keys(actor1, code1), keys(actor2, code2)

    def groups(self, actors: list[str]) -> tuple[frozenset[str], ...]:
        return tuple(self.actor_keys([a]) for a in actors)

    def specific(self, actors: list[str]) -> frozenset[str]:
        return frozenset(a for a in actors if a in self.entities
                         and self.entities[a].entity_type in ("PERSON", "ORG"))

    def _family(self, type_name: str) -> str:
        et = self.lexicon.types.get(type_name)
        if et:
            return et.family
        code = code_for_name(type_name)  # a CAMEO-coded type: its root's name
        return code_info(code[:2]).name if code else type_name

    def location_name(self, entity_id: str | None) -> str | None:
        return self.names.get(entity_id, entity_id) if entity_id else None

    def member(self, c: Candidate) -> Member:
        return Member(
            key=(c.article_id, c.start_char, c.event_type.name), article_id=c.article_id,
            event_type=c.event_type.name, family=c.event_type.family, date_value=c.date.value,
            granularity=c.date.granularity, actors=c.actors, location=self.location_name(c.location),
            confidence=c.confidence, strong=c.anchor_strength == "strong", actor_keys=self.actor_keys(c.actors),
            specific=self.specific(c.actors), modality=c.modality,
            dated=c.anchor_strength in ("strong", "corroborated") and c.date.kind != "anchor",
            anchored=c.date.kind == "anchor", cameo_code=c.cameo_code, actor1=c.actor1,
            actor2=c.actor2, actor1_code=c.actor1_code, actor2_code=c.actor2_code,
            roles=self.roles(c.actor1, c.actor2, c.actor1_code, c.actor2_code), groups=self.groups(c.actors))

    def add(self, c: Candidate) -> str:
        m = self.member(c)
        event_id = self.key_to_event.get(m.key)
        cluster = self.index.get(event_id) if event_id else None
        if cluster is None:
            cluster = best_cluster(m, self.index.near(m))
        if cluster is None:
            event_id = stable_id("event", c.article_id, c.start_char, c.event_type.name)
            cluster = self.index.get(event_id) or Cluster(event_id)
        cluster.members = [x for x in cluster.members if x.key != m.key] + [m]
        self.index.put(cluster)
        self.key_to_event[m.key] = cluster.event_id
        self.touched.add(cluster.event_id)
        return cluster.event_id

    def corroborated_anchor(self, text: str, candidates: list[Candidate]) -> date | None:
        """For a file-dated article: the date its year-less event mentions point at.

        A month-day ("January 10") matching a dated event gives that date. A weekday alone
        ("on Wednesday") gives a date within the week around the event: before it when the
        article speaks of it in the future tense, after it when in the past.
        """
        weekday_day: date | None = None
        lean = 0
        for c in candidates:
            if c.date.year_explicit or c.date.granularity != "day" or not c.date.dated:
                continue
            own = date.fromisoformat(c.date.value)
            month_day = (own.month, own.day) if c.date.kind == "month_day" else None
            weekday = own.weekday() if c.date.kind == "weekday" else None
            if month_day is None and weekday is None:
                continue
            # Only another article's dated report corroborates: on a re-run this article's own
            # stored events (dated by a context anchor) would otherwise date it.
            others = [cl for cl in self.index.dated_on(c.event_type.family, month_day, weekday)
                      if any(m.dated and m.article_id != c.article_id for m in cl.members)]
            hit = pattern_match(month_day, weekday, c.event_type.family, self.actor_keys(c.actors),
                                self.location_name(c.location), others)
            if hit is None:
                continue
            hit_value, _ = hit.date()
            if hit_value is None:  # pattern_match returns only events dated to a day
                continue
            event_day = date.fromisoformat(hit_value)
            if month_day is not None:
                years = (event_day.year - 1, event_day.year, event_day.year + 1)
                options = [date(y, *month_day) for y in years if _valid(y, *month_day)]
                return min(options, key=lambda d: abs((d - event_day).days))
            if weekday_day is None or weekday_day == event_day:
                weekday_day = event_day
                lean += {"future": -1, "past": 1}.get(tense_at(text, c.date.start, c.date.end), 0)
        if weekday_day is None:
            return None
        return weekday_day + timedelta(days=-3 if lean < 0 else (3 if lean > 0 else 0))


def _context_anchor(article_id: str, effective: dict[str, date],
                    mentions_by_article: dict[str, list[EntityMention]], entities: dict[str, Entity]) -> date | None:
    """For a file-dated article nothing corroborates: the middle date of the dated articles of
    the batch that name the same people and organisations (a folder of files about one story is
    read as one news period). Year-less dates in it then resolve to the nearest year."""
    def named(aid: str) -> set[str]:
        return {m.entity_id for m in mentions_by_article.get(aid, [])
                if (m.entity_type or getattr(entities.get(m.entity_id), "entity_type", "")) in ("PERSON", "ORG")}

    own = named(article_id)
    related = sorted(d for aid, d in effective.items() if len(own & named(aid)) >= _CONTEXT_MIN_SHARED)
    return related[len(related) // 2] if related else None


def _valid(year: int, month: int, day: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


DateKey = tuple[str, date | None, bool]  # (article id, anchor, anchor is a lower bound)
OwnDated = tuple[DateKey, list[DateExpression], list[Coded]]


def code_dated_sentences(body: str, dates: list[DateExpression], model_name: str) -> list[Coded]:
    """CAMEO codings of the sentences of ``body`` that can hold an event (``event_sentences``)."""
    spans = event_sentences(body, dates)
    return code_spans(body, spans, model_name) if spans else []


def event_sentences(body: str, dates: list[DateExpression]) -> list[tuple[int, int]]:
    """The sentences of ``body`` worth parsing: a dictionary verb form and either a date or a
    political dictionary actor ("police", "Russia"; an undated event is dated by its article's
    anchor and needs one, see ``find_candidates``).

    Only those sentences are parsed: the parse (tagger, parser, lemmatizer) costs about what
    the NER pass costs per sentence, and both tests are word lookups. Only the paragraphs
    that pass the same tests are split into sentences (``_gate_regions``).
    """
    starts = sorted(d.start for d in dates)

    def dated(s: int, e: int) -> bool:
        i = bisect_left(starts, s)
        return i < len(starts) and starts[i] < e

    def admitted(s: int, e: int) -> bool:
        return could_hold_event(body[s:e]) and (dated(s, e) or could_name_political_actor(body[s:e]))

    return [(s, e) for s, e in rule_sentences_in(body, _gate_regions(body, admitted))
            if e - s <= MAX_CODED_SENTENCE and admitted(s, e)]


def _gate_regions(body: str, admitted: Callable[[int, int], bool]) -> list[tuple[int, int]]:
    """Runs of adjacent paragraphs of ``body`` that pass the gate's word tests (``admitted``):
    the only ones that can hold a sentence which does, so the only ones worth splitting (the
    split tokenises all it is given, and most paragraphs name no date or political actor).

    The tests cannot fail on a paragraph and pass on one of its sentences: a sentence's words
    are a run of its paragraph's words (a boundary falls after a full stop, a closing quote or
    whitespace, never inside a word) and its dates are the paragraph's dates.
    """
    regions: list[tuple[int, int]] = []
    for s, e in paragraphs(body):
        if not admitted(s, e):
            continue
        if regions and body[regions[-1][1]:s].isspace():  # only a blank line between
            regions[-1] = (regions[-1][0], e)
        else:
            regions.append((s, e))
    return regions


def coder_sentences(article: Article, dates: list[DateExpression], lang: str) -> list[tuple[int, int]]:
    """``event_sentences`` of an article in the model's language ``lang``; none of one in
    another (it gets no entities either): an English parser reads German "die" as a verb of
    killing, and such articles pass the word tests as often as English ones."""
    return event_sentences(article.body, dates) if in_model_language(article, lang) else []


def own_dates_step(settings: Settings, articles: list[Article]) -> list[OwnDated]:
    """Executor step: each article's dates read against its own anchor, and the CAMEO codings
    of its dated sentences. Most of the per-article work of events, and it needs nothing from
    other articles or from entities. The chunk's sentences are parsed together (code_texts).

    An article in another language than the model's is not parsed (``coder_sentences``).
    """
    lang = load_parser(settings.spacy_model).lang or ""
    found = []
    for article in articles:
        day, _strength, lower_bound = anchor_of(article)
        dates = find_dates(article.body, day, anchor_is_lower_bound=lower_bound)
        found.append(((article.article_id, day, lower_bound), dates, coder_sentences(article, dates, lang)))
    coded = code_texts([(a.body, spans) for a, (_, _, spans) in zip(articles, found, strict=True)],
                       settings.spacy_model)
    return [(key, dates, c) for (key, dates, _), c in zip(found, coded, strict=True)]


def start_own_dates(articles: list[Article], settings: Settings, executor: Executor | None = None) -> Pending:
    """Every live article's own dates and codings, started on ``executor``'s workers;
    ``result()`` collects them."""
    live = [a for a in articles if not a.is_duplicate]
    load_parser(settings.spacy_model)  # before the workers start: forked ones inherit it
    return (executor or Executor()).start(own_dates_step, live, settings, stage="extract",
                                          min_items=settings.nlp_parallel_min_texts)


def extract_events(articles: list[Article], sentences: list[Sentence], mentions: list[EntityMention],
                   entities: list[Entity], settings: Settings,
                   known_events: list[Event], known_mentions: list[EventMention],
                   own_dates: Mapped | None = None, executor: Executor | None = None) -> EventOutput:
    """Event mentions of this batch and the events they belong to (new and updated).

    Each article's dates against its own anchor come from ``own_dates`` (start_own_dates),
    read here through ``executor`` when not given, before the sequential consolidation, which
    re-reads only the articles another date is found for. Articles whose dates could not be
    read (the step raised) are left out and listed in ``EventOutput.failed``.
    """
    if own_dates is None:
        own_dates = start_own_dates(articles, settings, executor).result()
    # ``own_dates`` may have been started on articles a later entity pass dropped: only these
    # articles' failures are this step's to report.
    given = {a.article_id for a in articles}
    own_failed = [f for f in own_dates.failed if f.item.article_id in given]
    failed = {f.item.article_id for f in own_failed}
    live = [a for a in articles if not a.is_duplicate and a.article_id not in failed]
    reader = _BatchReader.of(sentences, mentions, entities, own_dates)
    cons = Consolidator(reader.lexicon, reader.entity_map, known_events, known_mentions)
    joined = _consolidate(live, reader, cons)

    # How far each article's anchor can be leaned on: its own, or the evidence that replaced it.
    anchor_conf = {a.article_id: anchor_confidence(a.date_anchor_source, is_live(a)) for a in live}
    event_mentions = []
    for c, event_id in joined:
        conf = date_confidence(c.date, _VIA_EVIDENCE.get(c.anchor_strength) or anchor_conf.get(c.article_id))
        cons.confidence[(c.article_id, c.start_char, c.event_type.name)] = conf
        event_mentions.append(_mention_row(c, event_id, conf, cons.location_name(c.location)))
    seen = {a.article_id: a for a in live}
    events = [_event_row(cons, cons.index[eid], seen, reader.lexicon) for eid in sorted(cons.touched)]
    event_mentions.sort(key=lambda m: (m.article_id, m.start_char, m.event_type))
    return EventOutput(events=events, event_mentions=event_mentions, failed=own_failed)


# The date confidence a mention read against evidence other than its article's own anchor gets.
_VIA_EVIDENCE = {"strong": None, "corroborated": "inferred", "context": "weak", "weak": "weak"}


@dataclass(frozen=True)
class _BatchReader:
    """What the batch's articles say, gathered once: their sentences, entity mentions, the
    dates read against their own anchors and their CAMEO codings; ``read`` turns one article
    into event candidates against a given anchor."""

    sentences: dict[str, list[Sentence]]
    mentions: dict[str, list[EntityMention]]
    entity_map: dict[str, Entity]
    dates: dict[DateKey, list[DateExpression]]
    codings: dict[str, list[Coded]]
    lexicon: Lexicon

    @classmethod
    def of(cls, sentences: list[Sentence], mentions: list[EntityMention], entities: list[Entity],
           own_dates: Mapped) -> _BatchReader:
        sents_by_article: dict[str, list[Sentence]] = defaultdict(list)
        for s in sentences:
            sents_by_article[s.article_id].append(s)
        mentions_by_article: dict[str, list[EntityMention]] = defaultdict(list)
        for m in mentions:
            mentions_by_article[m.article_id].append(m)
        # Keyed by the article's id and anchor: dates found for another anchor are never used.
        return cls(sentences=sents_by_article, mentions=mentions_by_article,
                   entity_map={e.entity_id: e for e in entities},
                   dates={key: dates for key, dates, _ in own_dates.results},
                   codings={key[0]: coded for key, _, coded in own_dates.results},
                   lexicon=load_lexicon())

    def read(self, article: Article, anchor: date | None, strength: str, lower_bound: bool) -> list[Candidate]:
        dates = self.dates.get((article.article_id, anchor, lower_bound)) if anchor is not None else None
        if dates is None:
            # Nothing anchors it: "on Thursday" keeps its text and granularity, and no day.
            dates = find_dates(article.body, anchor, anchor_is_lower_bound=lower_bound, keep_undated=anchor is None)
        found = find_candidates(article, self.sentences.get(article.article_id, []),
                                self.mentions.get(article.article_id, []), dates, self.entity_map, self.lexicon,
                                anchor, strength, lower_bound, self.codings.get(article.article_id, []))
        # A file's read time is no anchor, but it is an upper bound: nothing the file says
        # occurred can be dated after it was read.
        seen = article.first_seen_at
        bound = anchor if anchor is not None else (seen.date() if isinstance(seen, datetime) else seen)
        for c in found:
            c.modality = plausible_modality(c.modality, c.date, bound)
        return found


def _consolidate(live: list[Article], reader: _BatchReader, cons: Consolidator) -> list[tuple[Candidate, str]]:
    """Every live article's candidates, each joined to an event by ``cons``; returned with the
    event each joined, in the order they were added."""
    anchors = {a.article_id: anchor_of(a) for a in live}
    joined: list[tuple[Candidate, str]] = []

    def add_all(candidates: list[Candidate]) -> None:
        for c in candidates:  # one at a time: each joins the events the ones before it made
            c.event_id = event_id = cons.add(c)
            joined.append((c, event_id))

    # Strongly dated articles first, oldest first: they found the events file-dated ones join.
    # Then by content, not id: the greedy grouping depends on the order, and ids derive from
    # the paths and URLs articles came under.
    strong = sorted((a for a in live if anchors[a.article_id][1] == "strong"),
                    key=lambda a: (anchors[a.article_id][0] or date.max, a.content_hash, a.article_id))
    effective: dict[str, date] = {}  # the date each dated article was read against
    for article in strong:
        add_all(reader.read(article, *anchors[article.article_id]))
        if (anchor := anchors[article.article_id][0]) is not None:
            effective[article.article_id] = anchor
    # File-dated articles in rounds: one corroborated by a dated event may date another.
    pending = sorted((a for a in live if anchors[a.article_id][1] != "strong"),
                     key=lambda a: (a.content_hash, a.article_id))
    while pending:
        progressed = []
        for article in pending:
            new_anchor = cons.corroborated_anchor(article.body, reader.read(article, *anchors[article.article_id]))
            if new_anchor is not None:
                add_all(reader.read(article, new_anchor, "corroborated", True))
                effective[article.article_id] = new_anchor
                progressed.append(article)
        if not progressed:
            break
        pending = [a for a in pending if a not in progressed]
    for article in pending:
        context = _context_anchor(article.article_id, effective, reader.mentions, reader.entity_map)
        if context is not None:
            add_all(reader.read(article, context, "context", True))
        else:  # nothing dates it: a file's read time is no anchor, only dates with a year count
            add_all(reader.read(article, None, "weak", False))
    return joined


def _mention_row(c: Candidate, event_id: str, date_conf: str | None, location: str | None) -> EventMention:
    first, last = value_to_range(c.date.value, c.date.granularity) if c.date.dated else (None, None)
    return EventMention(
        event_id=event_id, article_id=c.article_id, sentence=c.sentence, date_text=c.date.text or None,
        start_char=c.start_char, end_char=c.end_char, confidence=c.confidence,
        event_type=c.event_type.name, event_date=first, date_precision=c.date.granularity,
        modality=c.modality, actors=list(c.actors), location=location,
        cameo_code=c.cameo_code, actor1=c.actor1, actor2=c.actor2, actor1_code=c.actor1_code,
        actor2_code=c.actor2_code, attribution=c.attribution, pattern=c.pattern,
        trigger_start=c.trigger.start, trigger_end=c.trigger.end, event_date_end=last, date_confidence=date_conf)


def _vote(weights: Mapping[str, float], order: Callable[[str], object] = lambda v: 0) -> str | None:
    """The heaviest value; ties by ``order``, then by value (a stable, content-only choice)."""
    return min(weights, key=lambda v: (-weights[v], order(v), v)) if weights else None


def _ranked_actors(members: list[Member]) -> list[str]:
    """Actors of all members, most often named first, then by position (not by the members'
    order, which varies)."""
    counts: Counter[str] = Counter()
    first_pos: dict[str, int] = {}
    for m in members:
        for i, a in enumerate(m.actors):
            counts[a] += 1
            first_pos[a] = min(i, first_pos.get(a, i))
    return sorted(counts, key=lambda a: (-counts[a], first_pos[a], a))


@dataclass
class _Votes:
    """A cluster's members' say on each field of the event, weighted by confidence with
    strongly dated reports counting more."""

    event_type: defaultdict[str, float] = field(default_factory=lambda: defaultdict(float))
    modality: defaultdict[str, float] = field(default_factory=lambda: defaultdict(float))
    cameo_code: defaultdict[str, float] = field(default_factory=lambda: defaultdict(float))
    actor1: defaultdict[str, float] = field(default_factory=lambda: defaultdict(float))
    actor2: defaultdict[str, float] = field(default_factory=lambda: defaultdict(float))
    actor1_code: defaultdict[str, float] = field(default_factory=lambda: defaultdict(float))
    actor2_code: defaultdict[str, float] = field(default_factory=lambda: defaultdict(float))
    location: defaultdict[str, float] = field(default_factory=lambda: defaultdict(float))

    @classmethod
    def of(cls, members: list[Member]) -> _Votes:
        votes = cls()
        for m in members:
            weight = m.confidence + (0.5 if m.strong else 0.0)
            votes.event_type[m.event_type] += weight
            votes.modality[m.modality or "occurred"] += weight
            for name in ("cameo_code", "actor1", "actor2", "actor1_code", "actor2_code"):
                value = getattr(m, name)
                if value:
                    getattr(votes, name)[value] += weight
            if m.location:
                votes.location[m.location] += 1
        return votes


def _event_row(cons: Consolidator, cluster: Cluster, articles: dict[str, Article], lexicon: Lexicon) -> Event:
    members = [m for m in cluster.members if m.article_id]
    votes = _Votes.of(members)
    event_type = _vote(votes.event_type, lambda t: lexicon.types[t].priority if t in lexicon.types else 99) or ""
    modality = _vote(votes.modality, lambda x: _MODALITY_ORDER.index(x) if x in _MODALITY_ORDER else 9) or "occurred"
    et = lexicon.types.get(event_type)
    known = cons.known_events.get(cluster.event_id)
    # The code of the voted type's members (a lexicon type carries its own).
    cameo_code = _vote({c: w for c, w in votes.cameo_code.items()
                        if any(m.cameo_code == c and m.event_type == event_type for m in members)}) \
        or (et.cameo_code if et else None) or (known.cameo_code if known else None)
    cameo_root = cameo_code[:2] if cameo_code else (et.cameo_root if et else (known.cameo_root if known else ""))
    value, precision = cluster.date()
    if value is None:  # undated ("on Thursday" with nothing to anchor it): the precision it states
        precision = min((m.granularity for m in members if m.granularity),
                        key=lambda g: ("day", "week", "month", "year").index(g), default=None)
    actors = _ranked_actors(members)
    location = _vote(votes.location)
    lat = lon = None
    if location:
        place = cons.place_named(location)
        lat, lon = (place.lat, place.lon) if place else (None, None)
    seen_times = [t for a in {m.article_id for m in members} if a in articles
                  for t in [articles[a].first_seen_at or articles[a].published_at] if t]
    if known:
        seen_times += [t for t in (known.first_seen, known.last_seen) if t]
        if location is None and known.location:
            location, lat, lon = known.location, known.location_lat, known.location_lon
    sources = {(_source_of(articles[m.article_id]) if m.article_id in articles else f"article:{m.article_id}")
               for m in members}
    # Source and target from the parse where members have them; else the most named actors.
    actor1 = _vote(votes.actor1) or (actors[0] if actors else None)
    actor2 = _vote({a: w for a, w in votes.actor2.items() if a != actor1})
    if actor2 is None and not votes.actor1:
        actor2 = next((a for a in actors if a != actor1), None)
    names = [cons.names.get(a, a) for a in actors]
    summary = f"{event_type.replace('_', ' ')}: {', '.join(names[:4])}"
    summary += f" in {location}" if location else ""
    summary += f" ({value})" if value else ""
    first, last = value_to_range(value, precision) if value else (None, None)
    # The event's date is as sure as the surest report giving that date.
    confs = {cons.confidence.get(m.key) for m in members if m.date_value == value}
    date_conf = next((c for c in ("strong", "inferred", "weak") if c in confs), None)
    return Event(
        event_id=cluster.event_id, event_date=first, event_date_end=last, date_confidence=date_conf, date_precision=precision, event_type=event_type,
        cameo_root=cameo_root, modality=modality, location=location, location_lat=lat, location_lon=lon,
        actor1=actor1, actor2=actor2, actors=actors, summary=summary, num_mentions=len(members),
        num_articles=len({m.article_id for m in members}), num_sources=len(sources),
        first_seen=min(seen_times) if seen_times else None, last_seen=max(seen_times) if seen_times else None,
        cameo_code=cameo_code, plover_category=code_info(cameo_code).plover if cameo_code else None,
        actor1_code=_vote(votes.actor1_code), actor2_code=_vote(votes.actor2_code))
