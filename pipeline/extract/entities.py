"""Entity extraction stage: spaCy NER on cleaned article bodies, then resolution to one id
per real-world person, organisation and place.

Flow: one parse per article (:mod:`pipeline.extract.nlp`) -> model spans trimmed and
filtered (:mod:`pipeline.extract.entity_text`) -> types harmonised
(:mod:`pipeline.extract.entity_types`) -> names the model missed found from corpus memory
(:mod:`pipeline.extract.entity_memory`) -> resolution (:mod:`pipeline.extract.resolve`).
"""

from __future__ import annotations

import bisect
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pycountry

from pipeline.executor import Executor, ItemFailure
from pipeline.extract.entity_layout import find_datelines, find_table_teams
from pipeline.extract.entity_memory import find_remembered, trusted_lexicon
from pipeline.extract.entity_text import (
    KEPT_TYPES,
    NOT_NAMED_TYPES,
    OTHER,
    TITLE_WORDS,
    acronym_key,
    initials,
    is_acronym,
    name_key,
    reject_reason,
    strip_numerals,
    strip_prefix,
    strip_title,
    strip_trailing_lower,
    trim_span,
)
from pipeline.extract.entity_types import Candidate, common_word_spans, harmonise_types, site_key
from pipeline.extract.gazetteer import Gazetteer, load_gazetteer
from pipeline.extract.nlp import (
    Parse,
    first_word_tag,
    load_models,
    model_language,
    parse_texts,
    rule_sentences,
)
from pipeline.extract.resolve import resolve
from pipeline.records import Article, Entity, EntityAlias, EntityMention, Sentence
from pipeline.settings import Settings

# Words that join an organisation's name to a place that belongs to it
# ("Organization for Security and Cooperation" + " in " + "Europe").
_NAME_JOINERS = (" in ", " of ", " for ", " and ", " on ")
_MIN_WORDS_TRUSTED_LANGUAGE = 30
# Models for these languages read Latin script; a text of which less than this share of letters
# is Latin is in another script (CJK, Cyrillic, Arabic, ...), whatever its detected language.
_LATIN_SCRIPT_LANGUAGES = frozenset({"en", "de", "fr", "es", "it", "pt", "nl"})
_MIN_LATIN_SHARE = 0.5


@dataclass
class EntityOutput:
    entities: list[Entity] = field(default_factory=list)  # new ones and known ones touched
    mentions: list[EntityMention] = field(default_factory=list)  # offsets into Article.body
    sentences: list[Sentence] = field(default_factory=list)  # from the same parse
    aliases: list[EntityAlias] = field(default_factory=list)  # earlier ids that now name another


def _sentence_index(starts: list[int], pos: int) -> int:
    return max(0, bisect.bisect_right(starts, pos) - 1)


# A capitalised word ending so may be a verb the model ran into a name ("Taking Archie").
_GERUND = re.compile(r"[A-Z][a-z]+ing\s")
# How much of the sentence before a name the tagger reads (bounded work per name).
_TAG_WINDOW = 300


def strip_leading_verb(body: str, start: int, end: int, sentence_start: int, settings: Settings) -> int:
    """The start of a PERSON span without a leading gerund the model took into the name
    ("Taking Archie outside is his favourite activity"), as the part-of-speech tagger reads the
    sentence; "Sterling Brown" and "Manning Marable" keep their given names."""
    m = _GERUND.match(body, start, end)
    if m is None:
        return start
    left = max(sentence_start, start - _TAG_WINDOW)
    window = body[left:min(len(body), end + _TAG_WINDOW)]
    if first_word_tag(window, start - left, settings) == "VBG":
        return m.end()
    return start


def model_candidates(article_id: str, body: str, ents: list[tuple[int, int, str]],
                     starts: list[int], settings: Settings | None = None) -> list[Candidate]:
    """The model's spans (start_char, end_char, label) of kept types, trimmed to the name
    proper; non-names rejected. ``settings`` name the tagger that trims a leading verb."""
    out = []
    for ent_start, ent_end, label in ents:
        label = OTHER if label in NOT_NAMED_TYPES else label
        if label not in KEPT_TYPES and label != OTHER:
            continue
        start, end = trim_span(body, ent_start, ent_end)
        start, end = strip_numerals(body, start, end, label)
        start, end = trim_span(body, strip_prefix(body, start, end), end)
        if label == "PERSON":
            start, end = strip_title(body, start, end)
            end = strip_trailing_lower(body, start, end)
            if settings is not None:
                start = strip_leading_verb(body, start, end, starts[_sentence_index(starts, start)]
                                           if starts else 0, settings)
        surface = body[start:end]
        if not surface or reject_reason(surface, label):
            continue
        if label in ("PERSON", "ORG") and surface.lower() in TITLE_WORDS:
            continue  # a bare title or role word ("President", "State") names nobody
        if label == "PERSON" and any(ch.isdigit() for ch in surface):
            label = OTHER  # a person's name has no figures ("Omicron BA.2", "Windows 11")
        out.append(Candidate(article_id, start, end, surface, label, _sentence_index(starts, start)))
    return out


def _known_acronyms(cands: list[Candidate], known: list[Entity]) -> set[str]:
    acronyms = {acronym_key(c.surface) for c in cands if is_acronym(c.surface)}
    for e in known:
        acronyms.update(acronym_key(a) for a in e.aliases if is_acronym(a))
    return acronyms


def repair_split_names(cands: list[Candidate], bodies: dict[str, str], known: list[Entity]) -> list[Candidate]:
    """Join an ORG span to the place span after it when together they spell out a known
    acronym: the model often stops "Organization for Security and Cooperation in Europe"
    before "in Europe"."""
    acronyms = _known_acronyms(cands, known)
    out: list[Candidate] = []
    for c in sorted(cands, key=lambda c: (c.article_id, c.start)):
        prev = out[-1] if out else None
        if prev is not None and prev.article_id == c.article_id and prev.label == "ORG" \
                and c.label in ("GPE", "LOC", "ORG"):
            body = bodies[c.article_id]
            joiner = body[prev.end:c.start]
            joined = body[prev.start:c.end]
            if joiner in _NAME_JOINERS and initials(joined) in acronyms \
                    and initials(prev.surface) not in acronyms:
                out[-1] = Candidate(prev.article_id, prev.start, c.end, joined, "ORG", prev.sentence_index)
                continue
        out.append(c)
    return out


def known_entity_types(known: list[Entity]) -> dict[str, Counter[str]]:
    """Name key -> how many stored entities of each type hold that name (canonical or alias):
    the history that types a name the batch sees once."""
    types: dict[str, Counter[str]] = defaultdict(Counter)
    for e in known:
        for alias in {e.canonical_name, *e.aliases}:
            types[name_key(alias)][e.entity_type] += 1
    return types


_LETTER = re.compile(r"[^\W\d_]")
_LATIN_LETTER = re.compile(r"[A-Za-z\u00aa\u00b5\u00ba\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f]")


def latin_share(text: str, sample: int = 2000) -> float:
    """Share of the letters in the first ``sample`` characters that are Latin script."""
    head = text[:sample]
    letters = len(_LETTER.findall(head))
    return len(_LATIN_LETTER.findall(head)) / letters if letters else 0.0


# Country-code top-level domains sold as generic names: they say nothing of where a site is.
_GENERIC_CCTLDS = frozenset("ai co io me tv fm am cc ws to ly gg la nu sh st tk ac gl vc".split())


def publisher_country(url: str | None) -> str | None:
    """ISO alpha-2 of a site's country-code domain ("bbc.co.uk" -> GB), None for .com etc."""
    if not url:
        return None
    host = urlsplit(url).hostname or ""
    tld = host.rsplit(".", 1)[-1]
    if len(tld) != 2 or tld in _GENERIC_CCTLDS:
        return None
    code = "GB" if tld == "uk" else tld.upper()
    return code if pycountry.countries.get(alpha_2=code) else None


# Second-level labels under which country domains sell names ("bbc.co.uk", "abc.net.au").
_SECOND_LEVEL = frozenset("co com net org ac gov edu ne or go".split())


# Host labels before a domain that name the same site, not a sub-site of another's.
_SAME_SITE_HOSTS = frozenset("www www1 www2 www3 m mobile amp".split())


def site_names(article: Article) -> frozenset[str]:
    """The publisher's names as :func:`site_key` forms: the publisher field (the site's declared
    name) and the site's own label in its domain ("www.axios.com" -> "axios", "telegraph.co.uk"
    -> "telegraph"). On a sub-site ("wiki.python.org", "blog.amp.dev", "edition.cnn.com") the
    domain's label names the site's publisher only where the site declares that name ("CNN"):
    a project's wiki or a product's blog is not published by an organisation called "Python" or
    "AMP", and the label would make that product an organisation in every article of the batch."""
    names = set()
    host = urlsplit(article.url).hostname if article.url else None
    labels = (host or "").split(".")
    declared = site_key(article.publisher) if article.publisher and "." not in article.publisher else None
    if declared:
        names.add(declared)
    if len(labels) >= 2:
        i = -3 if len(labels) >= 3 and len(labels[-1]) == 2 and labels[-2] in _SECOND_LEVEL else -2
        label = site_key(labels[i])
        sub = labels[:i]
        if not sub or all(s in _SAME_SITE_HOSTS for s in sub) or label == declared:
            names.add(label)
    return frozenset(n for n in names if len(n) >= 2)


def in_model_language(article: Article, lang: str) -> bool:
    """Run the model on its own language only (an English model tags German nouns as names,
    and Japanese paragraphs as places). A text mostly in another script than the model's never
    goes to it, however short; otherwise a short body's detected language is not trusted, nor
    is a missing one."""
    if lang in _LATIN_SCRIPT_LANGUAGES and latin_share(article.body) < _MIN_LATIN_SHARE:
        return False
    return article.language in (None, "", lang) or article.word_count < _MIN_WORDS_TRUSTED_LANGUAGE


@dataclass
class EntityDraft:
    """Candidates of a batch before resolution: what :func:`find_entity_candidates` leaves for
    :func:`resolve_entities`. ``failed`` holds the articles whose processing raised."""

    cands: list[Candidate] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    bodies: dict[str, str] = field(default_factory=dict)
    known_types: dict[str, Counter[str]] = field(default_factory=dict)
    home: dict[str, str] = field(default_factory=dict)  # article id -> its publisher's country
    sites: dict[str, frozenset[str]] = field(default_factory=dict)  # article id -> publisher names
    failed: list[ItemFailure[Article]] = field(default_factory=list)


def parse_step(settings: Settings, articles: list[Article]) -> list[tuple[Parse, list[Candidate]]]:
    """Executor step: each article's parse and the model's candidates in it."""
    parses = parse_texts([a.body for a in articles], settings)
    return [(p, model_candidates(a.article_id, a.body, p.ents, [s for s, _ in p.sentences], settings))
            for a, p in zip(articles, parses, strict=True)]


@dataclass
class _Memory:
    lexicon: dict[str, str]
    covered: dict[str, list[tuple[int, int]]]
    limits: dict[str, int]
    starts: dict[str, list[int]]


def remembered_step(memory: _Memory, articles: list[Article]) -> list[list[Candidate]]:
    """Executor step: names of the lexicon that the model missed in each article."""
    return [find_remembered(a.article_id, a.body, memory.limits[a.article_id], memory.covered[a.article_id],
                            memory.lexicon, memory.starts[a.article_id]) for a in articles]


def extract_entities(articles: list[Article], settings: Settings, known_entities: list[Entity],
                     executor: Executor | None = None) -> EntityOutput:
    """Entities, mentions and sentences for the articles of one batch (see
    :func:`find_entity_candidates`); articles whose processing raised get none."""
    return resolve_entities(find_entity_candidates(articles, settings, known_entities, executor), known_entities)


def find_entity_candidates(articles: list[Article], settings: Settings, known_entities: list[Entity],
                           executor: Executor | None = None) -> EntityDraft:
    """The per-article part of entity extraction, spread by ``executor``: parse, model spans,
    batch-wide type votes, then names the model missed (:func:`parse_entities`, then
    :func:`complete_candidates`).

    Articles with ``is_duplicate=True`` are skipped: the model never runs on a duplicate
    (its canonical copy carries the mentions). Articles detected (on 30+ words) as written in
    another language than the model's get rule-based sentences and no entities. ``known_entities`` are the warehouse's
    entities: names resolve to their ids, and their names are found again where the model
    misses them. Bodies longer than ``settings.nlp_max_chars`` are cut for NER only.
    """
    executor = executor or Executor()
    return complete_candidates(parse_entities(articles, settings, executor), known_entities, executor)


@dataclass
class ParsedBatch:
    """What the NER map leaves (:func:`parse_entities`): the draft so far, the articles the
    model read, and per article its sentence starts and how much of it the model read."""

    draft: EntityDraft
    live: list[Article] = field(default_factory=list)
    starts: dict[str, list[int]] = field(default_factory=dict)
    limits: dict[str, int] = field(default_factory=dict)
    min_items: int = 1  # the settings' nlp_parallel_min_texts: fewer run in this process


def parse_entities(articles: list[Article], settings: Settings, executor: Executor | None = None) -> ParsedBatch:
    """The NER map of :func:`find_entity_candidates`: each article's parse and model spans, on
    ``executor``'s workers; an article in another language gets rule-based sentences only."""
    executor = executor or Executor()
    live = [a for a in articles if not a.is_duplicate]
    batch = ParsedBatch(EntityDraft(), min_items=settings.nlp_parallel_min_texts)
    if not live:
        return batch
    draft = batch.draft
    lang = model_language(settings)
    other = [a for a in live if not in_model_language(a, lang)]
    for article in other:
        draft.sentences.extend(Sentence(article.article_id, i, s, e)
                               for i, (s, e) in enumerate(rule_sentences(article.body)))
    skipped = {a.article_id for a in other}
    live = [a for a in live if a.article_id not in skipped]
    load_models(settings)  # before the workers start: forked ones inherit the model
    load_gazetteer()
    parsed = executor.map(parse_step, live, settings, stage="extract", min_items=settings.nlp_parallel_min_texts,
                          max_chunk=settings.nlp_max_chunk)
    draft.failed.extend(parsed.failed)
    batch.live = [a for a, _ in parsed.done]
    for article, (parse, found) in parsed.done:
        draft.sentences.extend(Sentence(article.article_id, i, s, e) for i, (s, e) in enumerate(parse.sentences))
        batch.starts[article.article_id] = [s for s, _ in parse.sentences]
        batch.limits[article.article_id] = parse.cut
        draft.cands.extend(found)
    return batch


def complete_candidates(batch: ParsedBatch, known_entities: list[Entity],
                        executor: Executor | None = None) -> EntityDraft:
    """The rest of :func:`find_entity_candidates` after the NER map: the batch-wide type votes
    and layout names here, then the lexicon's names the model missed on ``executor``."""
    draft, live = batch.draft, batch.live
    if not live:
        return draft
    gaz = load_gazetteer()
    draft.bodies = {a.article_id: a.body for a in live}
    draft.home = {a.article_id: cc for a in live if (cc := publisher_country(a.url))}
    draft.sites = {a.article_id: names for a in live if (names := site_names(a))}
    draft.cands = repair_split_names(draft.cands, draft.bodies, known_entities)
    draft.known_types = known_entity_types(known_entities)
    harmonise_types(draft.cands, gaz, draft.bodies, draft.known_types, draft.sites, draft.home)
    common = common_word_spans(draft.cands, draft.bodies, gaz)
    # spans voted a product, a law or a work had their say in the votes; they are no entities
    draft.cands = [c for c in draft.cands if id(c) not in common and c.label != OTHER]

    lexicon = trusted_lexicon(draft.cands, known_entities, gaz)
    covered: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for c in draft.cands:
        covered[c.article_id].append((c.start, c.end))
    _add_layout_names(draft, live, covered, gaz, batch.starts)
    memory = _Memory(lexicon, covered, batch.limits, batch.starts)
    found_again = (executor or Executor()).map(remembered_step, live, memory, stage="extract",
                                               min_items=batch.min_items)
    for _, found in found_again.done:
        draft.cands.extend(found)
    if found_again.failed:
        _drop(draft, found_again.failed)
    return draft


def _add_layout_names(draft: EntityDraft, live: list[Article], covered: dict[str, list[tuple[int, int]]],
                      gaz: Gazetteer, starts: dict[str, list[int]]) -> None:
    """Datelines and table teams the model missed (it misses many in capitals); a model span
    run over a table row's figures gives way to the row's teams."""
    by_article: dict[str, list[Candidate]] = defaultdict(list)
    for c in draft.cands:
        by_article[c.article_id].append(c)
    gone: set[int] = set()
    for article in live:
        aid = article.article_id
        found = find_datelines(aid, article.body, covered[aid], gaz, starts[aid])
        teams, glued = find_table_teams(aid, article.body, by_article[aid] + found, gaz, starts[aid])
        gone |= glued
        draft.cands.extend(found + teams)
        covered[aid].extend((c.start, c.end) for c in found + teams)
    if gone:
        draft.cands = [c for c in draft.cands if id(c) not in gone]


def _drop(draft: EntityDraft, failed: list[ItemFailure[Article]]) -> None:
    """Articles that failed a later pass lose what the earlier ones found."""
    gone = {f.item.article_id for f in failed}
    draft.failed.extend(failed)
    draft.cands = [c for c in draft.cands if c.article_id not in gone]
    draft.sentences = [s for s in draft.sentences if s.article_id not in gone]
    draft.bodies = {k: v for k, v in draft.bodies.items() if k not in gone}
    draft.home = {k: v for k, v in draft.home.items() if k not in gone}
    draft.sites = {k: v for k, v in draft.sites.items() if k not in gone}


def resolve_entities(draft: EntityDraft, known_entities: list[Entity]) -> EntityOutput:
    """The batch-wide part: types voted again over all candidates, then one id per real-world
    entity (this process only: it needs every article's candidates)."""
    if not draft.bodies and not draft.cands:
        return EntityOutput(sentences=draft.sentences)
    gaz = load_gazetteer()
    harmonise_types(draft.cands, gaz, draft.bodies, draft.known_types, draft.sites, draft.home)
    # the second vote sees the names found again too: what it calls a product is no entity either
    cands = [c for c in draft.cands if c.label != OTHER]
    entities, mentions, aliases = resolve(cands, known_entities, gaz, draft.home, draft.bodies)
    return EntityOutput(entities=entities, mentions=mentions, sentences=draft.sentences, aliases=aliases)
