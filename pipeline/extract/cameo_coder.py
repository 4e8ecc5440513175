"""CAMEO event coding of parsed sentences, PETRARCH2-style, on spaCy's dependency parse.

A verb of the dictionary (``cameo_dictionary``) and the words around it *in the parse* decide
the code: its subject (pre-verb nouns), its objects, particles and adverbs (post-verb nouns) and
its prepositional phrases. The most specific pattern of the verb's block that matches wins,
else the verb's own code. Who acts (source) and who is acted upon (target) come from the same
parse: subject or passive agent, object or passive subject or an "against/with/to" phrase,
with coordinated actors kept. Modality comes from negation, modal and future auxiliaries,
conditions and the verb that governs an infinitive; a verb inside reported speech is coded
for itself and attributed to the speaker ("X said Y attacked Z": Y->Z, attributed to X).

The parse is the expensive part: ``could_hold_event`` is the cheap test (a dictionary verb
form among the words) that decides which sentences are parsed at all.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache
from typing import TypeGuard

import spacy
from spacy import symbols as spacy_symbols
from spacy.language import Language
from spacy.tokens import Span, Token

from pipeline.errors import ConfigError
from pipeline.extract.cameo_actors import (
    POLITICAL_SECTORS,
    SECTORS,
    ActorDictionary,
    capitals_only,
    combine,
    could_name_political_actor,
    is_country_code,
    is_political,
    load_actor_dictionary,
    load_references,
)
from pipeline.extract.cameo_dictionary import (
    KNOWLEDGE,
    Pattern,
    PrepTerm,
    Term,
    Verb,
    VerbDictionary,
    load_light_verbs,
    load_verb_dictionary,
    verb_of_noun,
)
from pipeline.extract.token_attributes import replace_rule_components
from pipeline.extract.type_evidence import dateline_end

CODES_PATH = KNOWLEDGE / "cameo_codes.tsv"
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*")
_SUBJECTS = ("nsubj", "nsubjpass")
_MODIFIERS = ("det", "amod", "compound", "poss", "nummod", "nmod", "quantmod", "case", "predet", "nn")
_OBJECTS = ("dobj", "attr", "oprd", "dative", "acomp", "npadvmod", "advmod", "prt", "xcomp", "pobj")
_TARGET_PREPS = ("AGAINST", "WITH", "TO", "ON", "AT", "TOWARD", "TOWARDS", "INTO", "FROM", "OVER", "FOR",
                 "UPON")
# Prepositions that also say where, on what channel, about what or why ("patrolled at the boat
# ramp", "said on RTE", "criticised X over Y", "apologised for"): their object is the one acted
# upon only when the verb's matched pattern names them ("called on X") or for an act of force
# or sanction with no one as its object ("fired at police", "imposed sanctions on Russia").
_PLACE_PREPS = {"ON", "AT", "INTO", "OVER", "FOR"}
_AIMED_ROOTS = {"13", "16", "17", "18", "19", "20"}  # threats, sanctions, coercion, force
# Verb blocks of going somewhere: their default code (a visit, 040) is a trip *to* someone
# ("travelled to Kyiv"); a direct object is the place left ("departed the House").
_TRIP_BLOCKS = {"GO_SOMEWHERE"}
# Verb blocks of receiving, whose subject is the one acted upon.
_CONVERSE_BLOCKS = {"OBTAIN"}
_NEGATIONS = {"not", "n't", "never", "no"}
# "neither approves nor disapproves": the correlative pair negates both verbs (as a pre-
# conjunct or conjunction on the first one, which its conjuncts reach through the chain).
_CORRELATIVE_NEGATIONS = {"neither", "nor"}
# Negative implicatives (Karttunen): the infinitive under them did not happen ("refused to
# provide details", "failed to overthrow Castro", "was unable to attend"); the refusal itself
# is the event (12x), the refused act is not a claim that anything occurred.
_NEGATIVE_IMPLICATIVES = {"refuse", "decline", "fail", "unable"}
# Verbs of denial: the clause they govern is said not to have happened ("denied that its troops
# attacked the village" reports no attack).
_DENIALS = {"deny", "refute"}
_HYPOTHETICAL_AUX = {"could", "might", "may", "would", "should", "can", "must"}
_FUTURE_AUX = {"will", "shall", "'ll"}
# Verbs that put the infinitive under them in the future or in the realm of the possible
# ("plans to visit" is scheduled, "wants to meet" only hypothetical): knowledge/modal_verbs.txt.
MODAL_VERBS = KNOWLEDGE / "modal_verbs.txt"
_CONDITIONS = {"if", "unless", "whether"}
# "ready to meet", "willing to send aid": a cooperative act under a word of readiness is the
# codebook's expressed intent to do it (03x), which did occur; the root of the act gives the
# intent's code (04 meet -> 036, 05 diplomatic -> 032, 06 material -> 031, 07 aid -> 033, 08
# yield -> 035). Wishes ("wants to meet", "hopes to meet") stay the hypothetical act.
_INTENT_WORDS = {"ready", "willing", "eager", "prepared", "hope", "want", "wish"}
_INTENT_CODES = {"04": "036", "05": "032", "06": "031", "07": "033", "08": "035"}
# Dependencies by which a clause describes a noun rather than reports what happened.
_DESCRIPTIVE = ("relcl", "acl", "amod")
_ARGUMENTS = ("nsubj", "nsubjpass", "dobj", "ROOT")
# Dependencies of a clause of its own inside a phrase (a relative, an infinitive, a participle).
_CLAUSAL_IDS = frozenset((spacy_symbols.acl, spacy_symbols.relcl, spacy_symbols.advcl, spacy_symbols.ccomp,
                          spacy_symbols.xcomp))  # as ids: read on every token of an object
# Adverbs of frequency: English's closed class that makes a clause a habit or a rule.
_FREQUENCY = {"often", "usually", "typically", "generally", "always", "frequently", "sometimes", "rarely",
              "seldom", "traditionally", "routinely", "regularly", "normally", "commonly", "customarily",
              "habitually", "occasionally", "ordinarily"}
# Prepositions whose gerund is the subject's own act, its means or its time.
_MEANS = {"by", "after", "before", "while", "upon", "when"}
# Roots whose verbs are speech acts and take a reported clause ("demanded that", "accused X of"):
# statements, appeals, intents, demands, disapproval, rejection, threats.
_SPEECH_ROOTS = {"01", "02", "03", "10", "11", "12", "13"}
_CLAIM_ROOTS = {"03", "11", "12", "13"}
_REPORTING = {"say", "tell", "report", "claim", "add", "state", "announce", "note", "write", "confirm",
              "insist", "argue", "allege", "warn", "explain", "suggest", "believe", "think", "accord"}
# Cooperation between coordinated actors is mutual: statements of intent, consultation,
# diplomatic and material cooperation.
_MUTUAL_ROOTS = {"03", "04", "05", "06"}
# Intent to cooperate and consultation: CAMEO codes them between political actors.
_COOPERATION_ROOTS = {"03", "04"}
# Force: assaults, fighting, mass violence.
_FORCE_ROOTS = {"18", "19", "20"}
# Those who use conventional military force (CAMEO 19: "all uses of conventional force and acts
# of war typically by organized armed groups"); by anyone else a bare verb of killing (upstream's
# KILL block: kill, murder, slay, behead, hang; default 190) is unconventional violence (180), as a
# killing by a mob or a police officer is. Other force verbs keep their default: "protesters
# clashed with police" is no clearer 180 than 190 (it may be a riot, 145).
_ARMED_SECTORS = {"MIL", "REB", "INS", "UAF", "SEP", "SPY", "GOV"}
_KILLING_BLOCKS = {"KILL"}
# Appeals and demands are made of someone.
_ASKING_ROOTS = {"02", "10"}
# Verb blocks of forecasting and reckoning: without a pattern of their own, what they say is
# a forecast or a figure, not something that happened.
_FORECAST_BLOCKS = {"PREDICT", "ESTIMATE"}
# Quantities and partitive nouns of acts: "hundreds of protesters", "a new round of talks"
# are protesters and talks to a pattern.
_QUANTITIES = {"hundred", "thousand", "million", "billion", "dozen", "score", "ten", "number", "bunch", "handful",
               "round", "series", "wave", "spate", "string",
               "couple", "group", "lot"}
_FIRST_SECOND = {"i", "me", "we", "us", "you"}
_HONORIFICS = {"MR", "MRS", "MS", "DR", "SIR", "MADAM", "MADAME", "MONSIEUR", "HERR", "SENOR"}
_PERSONAL = {"him", "her", "them", "us", "me", "you"}
# Disapprovals that are formal acts, not opinions: a lawsuit, a verdict.
_FORMAL_ACTS = {"115", "116"}
# Nouns of places a place name can modify and still name ("the Kharkiv region", "Gaza City").
_PLACE_NOUNS = {"region", "province", "city", "town", "village", "district", "county", "state", "area", "border",
                "capital", "oblast", "territory", "coast", "island", "islands", "valley", "strip", "bank", "port",
                "governorate", "prefecture", "municipality", "republic", "suburb", "neighborhood", "neighbourhood"}
_PRONOUNS = {"he", "she", "they", "it", "we", "i", "you", "him", "her", "them", "us", "me"}
# English verb particles (the closed class), which make a phrasal verb of their own.
_PARTICLES = {"back", "up", "down", "off", "out", "over", "away", "in", "on", "around", "along", "through"}
_LONG_SPANS = {"year", "decade", "century", "generation"}
# Prepositions naming the body a spokesman speaks for.
_SPOKEN_FOR = {"for", "with", "at", "from", "in"}
_CALENDAR = re.compile(r"^(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|february|march|"
                       r"april|may|june|july|august|september|october|november|december|today|yesterday|"
                       r"tomorrow|week|month|year|weekend|night|morning|evening|afternoon|day|time)s?$", re.I)


@dataclass(frozen=True)
class CodeInfo:
    code: str
    root: str
    name: str
    plover: str | None


@lru_cache(maxsize=1)
def code_table() -> dict[str, tuple[str, str]]:
    rows = [line for line in CODES_PATH.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    return {r["code"]: (r["name"], r["plover"] or "") for r in csv.DictReader(rows, delimiter="\t")}


def code_info(code: str) -> CodeInfo:
    """Readable name and PLOVER category of a CAMEO code (a 4-digit code not in the table is
    named by its 3-digit parent)."""
    table = code_table()
    key = code
    while key and key not in table:
        key = key[:-1]
    name, plover = table.get(key, (f"cameo_{code}", ""))
    return CodeInfo(code, code[:2], name, plover or None)


@lru_cache(maxsize=1)
def _codes_by_name() -> dict[str, str]:
    out: dict[str, str] = {}
    for code, (name, _) in code_table().items():
        out.setdefault(name, code)
    return out


def code_for_name(name: str) -> str | None:
    """The CAMEO code an ``event_type`` name stands for (the first listed when several share it)."""
    return _codes_by_name().get(name)


@dataclass
class Role:
    """An actor slot: the phrase's char span, its head token's span, and the CAMEO actor code."""

    start: int
    end: int
    head_start: int
    head_end: int
    text: str
    code: str | None
    others: list[tuple[int, int]] = field(default_factory=list)  # coordinated actors' head spans
    tree_start: int = 0  # the whole subtree of the head ("representatives from NATO and Russia")
    tree_end: int = 0


@dataclass
class Coded:
    verb_start: int
    verb_end: int
    verb: str
    info: CodeInfo
    pattern: str
    source: Role | None
    target: Role | None
    attribution: Role | None
    modality: str  # occurred | scheduled | hypothetical | negated
    confidence: float
    clause_start: int = 0  # the verb's predicate (its subtree without the subject): a date
    clause_end: int = 0  # inside it dates this event
    object_start: int = 0  # the direct object's subtree ("held [another virtual meeting]")
    object_end: int = 0
    by_pattern: bool = False  # a pattern of the verb's block matched (not only the verb)
    by_subject: bool = False  # ... with words of the subject ("EXPLOSION * [193]": what did it)
    own_code: bool = False  # the verb line carries its own code (not the block default)
    block: str = ""  # the dictionary's verb block ("PREDICT", "APPREHEND")
    # the codebook's intent to do the act (036, 032, ...) when the act hangs on a word of
    # readiness or wish ("ready to meet", "hoped to sign"): the act is judged an event or not
    # by :func:`prune` as the act, with its actors, and the kept one is coded as the intent
    intent_code: str = ""

    @property
    def cameo_code(self) -> str:
        return self.info.code


@dataclass
class _Context:
    pre: list[Token]
    objects: list[list[Token]]  # post-verb phrases (left part up to the head)
    preps: list[tuple[str, list[Token], Token | None]]  # (preposition, object phrase, object head)


def could_hold_event(text: str, dictionary: VerbDictionary | None = None) -> bool:
    """Cheap test before a parse: does any word look like a coded dictionary verb?"""
    words = _coded_forms(dictionary or load_verb_dictionary())
    return any(w.upper() in words for w in _WORD.findall(text))


@lru_cache(maxsize=2)
def _coded_forms(dictionary: VerbDictionary) -> frozenset[str]:
    out = set()
    for form, verbs in dictionary.verbs.items():
        if any(v.code or any(p.code or p.reverse_code for p in dictionary.patterns.get(v.block, ())) for v in verbs):
            out.add(form)
    return frozenset(out)


@lru_cache(maxsize=2)
def load_parser(model_name: str) -> Language:
    """The model with tagger, parser and lemmatizer only (entities come from the NER pass); its
    attribute_ruler and lemmatizer worked out once per distinct token (``token_attributes``)."""
    try:
        return replace_rule_components(spacy.load(model_name, exclude=["ner", "senter"]))
    except OSError as exc:
        raise ConfigError(f"spaCy model {model_name!r} is not installed",
                          hint="install the project's pinned dependencies (make install)") from exc


def _words(tokens: Iterable[Token]) -> list[str]:
    """The tokens' words as the dictionaries write them; a dictionary word that is also an
    English function word counts only written in capitals ("of us" is no USA)."""
    caps = capitals_only()
    return [w if (w := t.text.upper()) not in caps or t.text.isupper() else t.lower_ for t in tokens]


def _token_words(tokens: list[Token]) -> set[str]:
    """Words a pattern's nouns can match: a proper name's words are not the nouns patterns
    speak of ("Rocket Pass 4" holds no rocket)."""
    out = set()
    for t in tokens:
        if t.pos_ == "PROPN":
            continue
        out.add(t.text.upper())
        out.add(t.lemma_.upper())
    return out


def _left_phrase(head: Token) -> list[Token]:
    return [t for t in head.subtree if t.i <= head.i and t.dep_ not in ("punct",)]


@dataclass(frozen=True)
class _Ranked:
    """A pattern of a verb's block as the matcher tries it: its sides as interned term ids."""

    pattern: Pattern
    verb: Verb
    pre: tuple[int, ...]
    post: tuple[int, ...]


@dataclass(eq=False)
class _PatternIndex:
    """The verb dictionary prepared for matching, once per dictionary: every distinct pattern
    term numbered (a term shared by many patterns is judged once per verb), each synonym set
    split into its one-word and its multi-word members, and per list of verb entries the
    patterns that can win, most specific first."""

    dictionary: VerbDictionary
    terms: list[Term | PrepTerm] = field(default_factory=list)
    term_ids: dict[Term | PrepTerm, int] = field(default_factory=dict)
    sides: dict[int, tuple[int, ...]] = field(default_factory=dict)  # id(side tuple) -> term ids
    synsets: dict[str, tuple[frozenset[str], tuple[str, ...]]] = field(default_factory=dict)
    ranked_by: dict[tuple[int, ...], _Ranking] = field(default_factory=dict)

    def side(self, terms: tuple[Term | PrepTerm, ...]) -> tuple[int, ...]:
        key = id(terms)  # the tuple lives as long as the dictionary this index holds
        got = self.sides.get(key)
        if got is None:
            ids = []
            for t in terms:
                n = self.term_ids.get(t)
                if n is None:
                    n = self.term_ids[t] = len(self.terms)
                    self.terms.append(t)
                ids.append(n)
            got = self.sides[key] = tuple(ids)
        return got

    def ranked(self, verbs: list[Verb]) -> _Ranking:
        """The patterns of the verbs' blocks that pin down anything (size > 0), by score
        (size, written for this very verb, naming it) highest first, in dictionary order
        among equals: the first that matches is the one the scan over all would keep."""
        key = tuple(id(v) for v in verbs)
        got = self.ranked_by.get(key)
        if got is None:
            scored = [((p.size, p.origin == {v.base}, v.base in p.origin), _Ranked(p, v, self.side(p.pre),
                                                                                  self.side(p.post)))
                      for v in verbs for p in self.dictionary.patterns.get(v.block, []) if p.size > 0]
            scored.sort(key=lambda s: s[0], reverse=True)  # stable: dictionary order among equals
            got = self.ranked_by[key] = _Ranking([r for _, r in scored])
            for n, r in enumerate(got.entries):
                self._file(got, n, r)
        return got

    def _file(self, ranking: _Ranking, n: int, r: _Ranked) -> None:
        """File a pattern under words one of which its clause must hold to match: a head word
        of its objects or of its subject, else the preposition of one of its slots; else it
        is always tried."""
        for side, into in ((r.post, ranking.by_post_head), (r.pre, ranking.by_pre_head)):
            for t in side:
                heads = self._heads_needed(self.terms[t])
                if heads is not None:
                    for w in heads:
                        into.setdefault(w, []).append(n)
                    return
        prep = next((self.terms[t] for t in r.post if isinstance(self.terms[t], PrepTerm)), None)
        if isinstance(prep, PrepTerm):
            ranking.by_prep.setdefault(prep.prep, []).append(n)
        else:
            ranking.always.append(n)

    def _heads_needed(self, term: Term | PrepTerm) -> frozenset[str] | None:
        """The words one of which must head a phrase of the side for ``term`` to match (see
        ``_Side._content``: a word's or a phrase's head, a synonym set's one-word members when
        it has no longer ones); None when no such set can be told."""
        if isinstance(term, PrepTerm) or term.kind not in ("word", "phrase", "synset"):
            return None
        head = term.words[-1] if term.kind == "phrase" else term.words[0]
        if head.startswith("&"):
            single, multi = self.synsets.get(head, (frozenset(), ()))
            return None if multi else single
        return None if " " in head else frozenset((head,))


@dataclass
class _Ranking:
    """The patterns a list of verb entries can match, most specific first (``entries``), filed
    by what a clause must hold for each to match (``_PatternIndex._file``): only those filed
    under a word the clause holds, and those always tried, need judging, in rank order."""

    entries: list[_Ranked]
    by_post_head: dict[str, list[int]] = field(default_factory=dict)
    by_pre_head: dict[str, list[int]] = field(default_factory=dict)
    by_prep: dict[str, list[int]] = field(default_factory=dict)
    always: list[int] = field(default_factory=list)

    def candidates(self, pre: _Side, post: _Side) -> list[_Ranked]:
        found = set(self.always)
        for words, filed in ((post.view.heads, self.by_post_head), (pre.view.heads, self.by_pre_head),
                             ({prep for prep, _, _ in post.preps}, self.by_prep)):
            for w in words:
                found.update(filed.get(w, ()))
        return [self.entries[n] for n in sorted(found)]


@lru_cache(maxsize=2)
def _pattern_index(dictionary: VerbDictionary) -> _PatternIndex:
    index = _PatternIndex(dictionary)
    for name, members in dictionary.synsets.items():
        plain = [m for m in members if not m.startswith("&")]
        index.synsets[name] = (frozenset(m for m in plain if " " not in m), tuple(m for m in plain if " " in m))
    return index


@dataclass
class _Words:
    """What a pattern's nouns are matched against in some phrases: all their words, their heads'
    words, and their text (for multi-word entries)."""

    words: set[str]
    heads: set[str]
    text: str

    @classmethod
    def of(cls, phrases: list[list[Token]]) -> _Words:
        words: set[str] = set()
        heads: set[str] = set()
        flat: list[Token] = []
        for p in phrases:
            words |= _token_words(p)
            heads |= _token_words(p[-1:])
            flat.extend(p)
        return cls(words, heads, " " + " ".join(_words(flat)) + " ")


class _Side:
    """One side of a verb's clause (the subject before it; its objects and prepositional phrases
    after it) with its word views computed once, judging pattern sides on it. Each term's
    outcome is kept: patterns share terms, and a term's outcome depends on the side alone."""

    def __init__(self, phrases: list[list[Token]], preps: list[tuple[str, list[Token], Token | None]],
                 index: _PatternIndex) -> None:
        self.index = index
        self.view = _Words.of(phrases)
        self.first = phrases[0][-1] if phrases and phrases[0] else None
        self.preps = preps
        self.prep_views: dict[int, _Words] = {}
        self.outcomes: dict[int, tuple[bool, tuple[str, Token] | None]] = {}

    def match(self, side: tuple[int, ...]) -> tuple[bool, list[tuple[str, Token]]]:
        """Whether every term of a pattern side matches, and the roles it fills, in order."""
        roles: list[tuple[str, Token]] = []
        for t in side:
            outcome = self.outcomes.get(t)
            if outcome is None:
                outcome = self.outcomes[t] = self._term(self.index.terms[t])
            if not outcome[0]:
                return False, roles
            if outcome[1] is not None:
                roles.append(outcome[1])
        return True, roles

    def _term(self, term: Term | PrepTerm) -> tuple[bool, tuple[str, Token] | None]:
        if isinstance(term, PrepTerm):
            return self._prep(term)
        if term.kind in ("source", "target"):
            first = self.first
            if first is None or not _actor_like(first, load_actor_dictionary()):
                return False, None
            return True, (term.kind, first)
        return self._content(term, self.view), None

    def _prep(self, term: PrepTerm) -> tuple[bool, tuple[str, Token] | None]:
        obj = term.obj
        for n, (prep, phrase, head) in enumerate(self.preps):
            if prep != term.prep:
                continue
            if obj is None or obj.kind in ("skip",):
                # A bare "(FOR)", "(AT)" slot stands for a party or a place: "left for Minas
                # Tirith", not "for an undefined role" or "at the end of November".
                if head is None or (not _temporal(head) and _party_or_place(head)):
                    return True, None
            elif obj.kind in ("source", "target"):
                # PETRARCH's "$" and "+" slots are actors: "move into the next phase of
                # the campaign" has none
                if head is not None and _actor_like(head, load_actor_dictionary()):
                    return True, (obj.kind, head)
            else:
                view = self.prep_views.get(n)
                if view is None:
                    view = self.prep_views[n] = _Words.of([phrase])
                if self._content(obj, view):
                    return True, None
        return False, None

    def _content(self, term: Term, view: _Words) -> bool:
        """A bare noun of a pattern is the head of its phrase (PETRARCH's rule: "land" in "a land
        patrol" is not LAND); a braced phrase's last word is the head, the others modify it."""
        if term.kind == "word":
            return self._word_in(term.words[0], view.heads, view.text)
        if term.kind == "phrase":
            # a synonym set inside a phrase stands for any of its members: "{&MILITARY AID}"
            *mods, head = term.words
            return self._word_in(head, view.heads, view.text) and all(
                self._word_in(w, view.words, view.text) for w in mods)
        if term.kind == "synset":
            return self._word_in(term.words[0], view.heads, view.text)
        return True

    def _word_in(self, word: str, pool: set[str], text: str) -> bool:
        if word.startswith("&"):
            single, multi = self.index.synsets.get(word, (frozenset(), ()))
            return not pool.isdisjoint(single) or any(f" {m} " in text for m in multi)
        return word in pool if " " not in word else f" {word} " in text


def _context(verb: Token, infinitive_objects: bool = False) -> _Context:
    subj = _subject(verb)
    pre = _left_phrase(subj) if subj is not None else []
    objects: list[list[Token]] = []
    preps: list[tuple[str, list[Token], Token | None]] = []
    heads = [verb]
    if _reduced_relative(verb):  # "a lawsuit filed by X": X filed a lawsuit
        objects.append(_left_phrase(verb.head))
    shared = _shared_object(verb)
    if shared is not None:
        objects.append(_left_phrase(_counted(shared)))
    for child in verb.children:
        if child.dep_ in _OBJECTS:
            objects.append(_left_phrase(_counted(child)) if child.dep_ not in ("prt", "advmod") else [child])
            if child.dep_ in ("dobj", "attr", "oprd", "xcomp"):
                heads.append(child)
            if infinitive_objects and child.dep_ == "xcomp" and child.pos_ == "VERB":
                # "threatened to impose sanctions", "urged Russia to withdraw troops": after a
                # speech act or an intent the words after the verb include the infinitive's
                # object, as in PETRARCH's verb phrase ("returned to rebuild their property" is
                # no return of property)
                objects.extend(_left_phrase(_counted(o)) for o in child.children if o.dep_ == "dobj")
    for h in heads:
        for child in h.children:
            if child.dep_ in ("prep", "agent", "dative") and child.pos_ in ("ADP", "PART", "ADV", "SCONJ"):
                pobj = next((c for c in child.children if c.dep_ in ("pobj", "pcomp")), None)
                preps.append((child.text.upper(), _left_phrase(pobj) if pobj is not None else [], pobj))
    return _Context(pre, objects, preps)


def _counted(tok: Token) -> Token:
    """What a quantity counts: "hundreds of protesters" is protesters to a pattern."""
    if tok.pos_ == "NUM" or tok.lemma_.lower() in _QUANTITIES:
        of = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"), None)
        pobj = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
        if pobj is not None:
            return pobj
    return tok


def _best_pattern(verb_tok: Token, verbs: list[Verb], dictionary: VerbDictionary
                  ) -> tuple[Pattern | None, Verb, dict[str, Token | None]]:
    """The most specific pattern of the verbs' blocks that matches the verb's clause (equal
    size: the pattern written for this very verb first, then dictionary order), with the
    roles its "$"/"+" slots fill; None when none that pins anything down matches."""
    index = _pattern_index(dictionary)
    ranked = index.ranked(verbs)
    if not ranked.entries:
        return None, verbs[0], {}
    # a speech act's or an intent's infinitive says what is asked or promised; what one wants
    # or tries to do is no object of the wanting ("sought to demonstrate support" seeks none)
    base = _base(verb_tok)
    ctx = _context(verb_tok, base not in _modal_words("desire") and (
        base in _modal_words("wishing") or any(v.code[:2] in _SPEECH_ROOTS for v in verbs)))
    pre, post = _Side([ctx.pre], [], index), _Side(ctx.objects, ctx.preps, index)
    for r in ranked.candidates(pre, post):
        ok, pre_roles = pre.match(r.pre)
        if not ok:
            continue
        ok, post_roles = post.match(r.post)
        if ok:
            return r.pattern, r.verb, dict(pre_roles + post_roles)
    return None, verbs[0], {}


def _subject(verb: Token) -> Token | None:
    """The verb's subject, or the subject of the verb it is coordinated with or governed by
    ("met Y and signed", "agreed to send")."""
    tok: Token | None = verb
    for _ in range(4):
        if tok is None:
            return None
        subj = next((c for c in tok.children if c.dep_ in _SUBJECTS), None)
        if subj is not None:
            return subj
        # "Police searching for the girl said": the parser reads the participle on the subject
        # as a clausal subject; the noun before it is the one who speaks
        clause = next((c for c in tok.children if c.dep_ == "csubj"), None)
        if clause is not None and (subj := _misread_participle(clause)) is not None:
            return subj
        # "is about to restore", "are ready to sign": the infinitive hangs on an adjective
        # complement of "be", whose subject acts.
        if tok.dep_ == "xcomp" and (obj := next((c for c in tok.head.children if c.dep_ == "dobj"), None)):
            return obj  # "appointed X to serve", "asked Ukraine to withdraw": the object acts
        if tok.dep_ in ("conj", "xcomp", "acomp") and tok.head.i != tok.i:
            tok = tok.head
        else:
            governor = _gerund_of(tok)
            if governor is None:
                return None
            tok = governor
    return None


def _misread_participle(clause: Token) -> Token | None:
    """The noun a participle read as a clausal subject hangs on ("Police searching for the girl
    said": police), when the participle has a subject before it."""
    if clause.dep_ != "csubj" or clause.tag_ not in ("VBG", "VBN"):
        return None
    return next((c for c in clause.children if c.dep_ in _SUBJECTS and c.i < clause.i), None)


def _shared_object(verb: Token) -> Token | None:
    """The object a verb shares with the verb coordinated after it, when it has none of its
    own: "arrested and beat dozens of protesters", "shelled and bombed rebel positions"."""
    if any(c.dep_ in ("dobj", "dative", "ccomp", "xcomp") for c in verb.children) or _passive(verb):
        return None
    for conj in verb.children:
        if conj.dep_ == "conj" and conj.pos_ == "VERB" and not any(c.dep_ in _SUBJECTS for c in conj.children):
            return next((c for c in conj.children if c.dep_ == "dobj"), None)
    return None


def _gerund_of(tok: Token, means: bool = True) -> Token | None:
    """The verb a participle clause or a "by/after ...ing" gerund hangs on, whose subject acts
    in it: "Russia shelled the city, killing ten civilians" (also through coordinated
    participles: "..., killing one soldier and wounding two"), "responded by imposing
    sanctions", "after meeting the envoy" (with ``means``; without, the participle clause
    only); not "accused Y of shelling", "criticised for failing to" (what is alleged of
    someone else, or why)."""
    if tok.tag_ != "VBG":
        return None
    first = tok
    for _ in range(8):  # "killing one and wounding two": the first participle of the series
        if not (first.dep_ == "conj" and first.head.i != first.i and first.head.tag_ == "VBG"):
            break
        first = first.head
    if first.dep_ == "advcl":
        return first.head
    if means and first.dep_ == "pcomp" and first.head.dep_ == "prep" and first.head.lower_ in _MEANS:
        return first.head.head
    return None


def _particle(verb: Token) -> bool:
    """The verb carries a particle: parsed as one, or an adverb of the particle class right
    after it and before its object ("took back the Congress")."""
    if any(c.dep_ == "prt" for c in verb.children):
        return True
    nxt = verb.doc[verb.i + 1] if verb.i + 1 < len(verb.doc) else None
    return (nxt is not None and nxt.head.i == verb.i and nxt.dep_ == "advmod" and nxt.lower_ in _PARTICLES
            and any(c.dep_ == "dobj" and c.i > nxt.i for c in verb.children))


def _converse(verb: Verb, pattern: Pattern | None) -> bool:
    """A verb of receiving (the dictionary's OBTAIN block: receive, get, obtain, win) whose
    pattern codes the act received with one code ("* {&MILITARY AID} [072]"): the giver, in
    the "from" phrase, is the source; the one who receives is the target. Not a paired
    pattern ("* CALL (FROM) [041:041]") nor one naming the recipient ("* &FOOD (TO)")."""
    return (verb.block in _CONVERSE_BLOCKS and pattern is not None and bool(pattern.code)
            and not pattern.reverse_code
            and not any(isinstance(t, PrepTerm) and t.prep == "TO" for t in pattern.post))


def _party_preps(tok: Token, root: str, pattern: Pattern | None, actors: ActorDictionary) -> set[str]:
    """The prepositions whose object can be the one the verb acts upon (``_PLACE_PREPS``)."""
    preps = set(_TARGET_PREPS) - _PLACE_PREPS
    if pattern is not None:
        preps |= {t.prep for t in pattern.post if isinstance(t, PrepTerm)}
    if root in _AIMED_ROOTS and not any(c.dep_ in ("dobj", "dative") and _actor_like(c, actors)
                                        for c in tok.children):
        preps |= _PLACE_PREPS  # "arrested a man at the airport": after the one acted upon, a place
    if root == "09":
        preps |= {"INTO", "FOR", "ON"}  # "launched a search for the woman", "an inquiry into X"
    return preps


def _source_and_target(tok: Token, subj: Token | None, roles: dict[str, Token | None], reverse: bool,
                       actors: ActorDictionary, preps: set[str] | None = None, root: str = ""
                       ) -> tuple[Token | None, Token | None]:
    """Who acts and who is acted upon, from the parse: subject or passive agent; object (an
    actor), else passive subject, else a "to/with/against" phrase, else the first named actor
    inside the object ("condemned an attack by Osgiliath soldiers"); a pattern's own slots
    win; a reversed pattern ("came under fire from X") swaps them."""
    source_tok: Token | None
    target_tok: Token | None
    dobj = next((c for c in tok.children if c.dep_ in ("dobj", "dative")), None) or _shared_object(tok)
    if _passive(tok):
        agent = next((c for c in tok.children if c.dep_ == "agent"), None)
        source_tok = next((c for c in agent.children if c.dep_ == "pobj"), None) if agent is not None else None
        target_tok = (tok.head if _actor_like(tok.head, actors) else None) if _reduced_relative(tok) else subj
        if root in _SPEECH_ROOTS - {"03"}:
            # "X was recommended to us by Y", "the demand was sent to Moscow": the passive
            # subject of a speech act is what was said or asked; the one it was said to is
            # in the "to" phrase
            target_tok = next((head for prep, _, head in _context(tok).preps if prep == "TO" and head is not None),
                              target_tok)
    else:
        source_tok, target_tok = subj, (dobj if _actor_like(dobj, actors) else None)
    if target_tok is None or not _named_or_country(target_tok, actors):
        # "sent troops to Lithuania": the object is the source's own means; the one acted
        # upon is named in the prepositional phrase.
        # A phrase fronted before the verb ("At the Louvre, LVMH helped ...") sets the scene;
        # the one acted upon follows the verb.
        for prep, _, head in _context(tok).preps:
            if prep in (_TARGET_PREPS if preps is None else preps) and _actor_like(head, actors) and head.i > tok.i and (
                    target_tok is None or _named_or_country(head, actors)):
                target_tok = head
                break
    if target_tok is None and dobj is not None:
        target_tok = _actor_inside(dobj, actors, set(_TARGET_PREPS) if preps is None else preps)
    source_tok = roles.get("source") or source_tok
    target_tok = roles.get("target") or target_tok
    if target_tok is not None and target_tok.pos_ == "NOUN" and not _actor_head(target_tok):
        target_tok = _owner(target_tok, actors) or target_tok  # "agreed to the king's request": the king
    if reverse:
        source_tok = next((head for prep, _, head in _context(tok).preps if prep in ("FROM", "BY")), None)
        target_tok = subj
    return source_tok, target_tok


def _nominal_event(tok: Token, verb: Verb, dictionary: VerbDictionary,
                   shares_only: bool = False) -> tuple[Verb, Token] | None:
    """A light verb's object that names the act ("launched a missile strike", "carried out
    arrests", "began an invasion"), or, with no object, its subject ("clashes erupted",
    "protests continued"), or the act any verb takes a share in ("took part in the attack"):
    the dictionary verb of that head noun, when its code is of a root such nouns carry
    (``knowledge/cameo_light_verbs.txt``), with the noun. ``shares_only``: the share alone
    (the verb's best pattern is null-coded, as "TAKE * PART" is)."""
    light = load_light_verbs()
    noun = _shared_act(tok, light.shares)
    if noun is None:
        if shares_only or verb.base not in light.verbs:
            return None
        objects = ("dobj", "nsubjpass") if _passive(tok) else ("dobj",)
        noun = next((_counted(c) for c in tok.children if c.dep_ in objects), None)
        if noun is None and not any(c.dep_ in ("dobj", "ccomp", "xcomp", "attr") for c in tok.children):
            noun = next((_counted(c) for c in tok.children if c.dep_ == "nsubj"), None)
    if noun is None or noun.pos_ != "NOUN" or _actor_head(noun):
        return None  # "ordered U.S. forces": an agent noun names who acts, not the act (FORCE)
    for v in verb_of_noun(noun.lemma_.upper(), dictionary) or verb_of_noun(noun.text.upper(), dictionary):
        if v.code and v.code[:2] in light.roots and not (v.after or v.before) and v.base not in light.verbs:
            return v, noun
    return None


def _shared_act(verb: Token, shares: frozenset[str]) -> Token | None:
    """The act named by the "in" phrase of the verb's share noun: "took part in the attack",
    "played a role in the bombings" (the phrase on the noun or on the verb)."""
    share = next((c for c in verb.children if c.dep_ == "dobj" and c.lemma_.upper() in shares), None)
    if share is None:
        return None
    for prep in (*share.children, *verb.children):
        if prep.dep_ == "prep" and prep.lower_ == "in":
            pobj = next((o for o in prep.children if o.dep_ == "pobj"), None)
            if pobj is not None:
                return _counted(pobj)
    return None


def _noun_roles(noun: Token, actors: ActorDictionary) -> tuple[Token | None, Token | None]:
    """Who acts and who is acted upon, said on an act's noun (or on the verb it is the subject
    of): "clashes between police and protesters", "protests by farmers against the reform",
    "Russia's attacks on Kyiv", "Russian strikes"."""
    source: Token | None = None
    target: Token | None = None
    for prep in [*noun.children, *noun.head.children]:
        pobj = next((c for c in prep.children if c.dep_ == "pobj"), None) if prep.dep_ == "prep" else None
        if pobj is None or _temporal(pobj) or not _actor_like(pobj, actors):
            continue
        word = prep.text.upper()
        if word in ("BY", "FROM", "BETWEEN") and source is None:
            source = pobj
            if word == "BETWEEN":
                target = next((c for c in pobj.conjuncts if _actor_like(c, actors)), target)
        elif word in _TARGET_PREPS and target is None:
            target = pobj
    if source is None:
        source = next((c for c in noun.children if c.dep_ in ("poss", "amod", "compound")
                       and c.pos_ != "NOUN" and _actor_like(c, actors)), None)
    return source, target


def _infinitive_target(verb: Token, actors: ActorDictionary, force: bool = False) -> Token | None:
    """The target of the infinitive the verb governs ("agreed to meet X", "threatened to
    attack X"), read as the infinitive's own: its object, else a "to/with/against" phrase."""
    for child in verb.children:
        if child.dep_ == "xcomp" and child.pos_ == "VERB" and not _passive(child):
            dobj = next((c for c in child.children if c.dep_ in ("dobj", "dative")), None)
            if dobj is not None and dobj.pos_ != "PRON" and (dobj.pos_ == "PROPN" or any(
                    actors.code_words(_words(_left_phrase(dobj))))):
                return dobj  # the object itself names an actor, not a phrase hanging on it
            # not an actor deep inside the object ("declined to reveal details of talks in
            # Germany" is aimed at no one)
            return next((head for prep, _, head in _context(child).preps
                         if prep in _TARGET_PREPS and (force or prep not in _PLACE_PREPS)
                         and _actor_like(head, actors)), None)
    return None


def _actor_inside(obj: Token, actors: ActorDictionary, preps: set[str]) -> Token | None:
    """The first named actor among the object's prepositional phrases, as PETRARCH takes the
    target from the verb's object phrase: "welcomed the resumption of ties with Mordor". Not
    inside clauses hanging on it ("the road that leads to Mordor" is no act on Mordor), nor in
    a phrase of place or channel ("a patrol at the Las Croabas boat ramp", "a claim on RTE",
    "talks in Germany"): only "of", "by" and the prepositions ``preps`` lets name a party."""
    stack = [obj]
    for _ in range(12):
        if not stack:
            return None
        node = stack.pop(0)
        for c in node.children:
            if c.dep_ == "agent" or c.dep_ == "prep" and c.text.upper() in preps | {"OF", "BY", "BETWEEN"}:
                for pobj in c.children:
                    if pobj.dep_ == "pobj":
                        if not _temporal(pobj) and _named_or_country(pobj, actors):
                            return pobj
                        stack.append(pobj)
    return None


def _owner(tok: Token, actors: ActorDictionary) -> Token | None:
    """The possessor of a thing, when it is an actor: "Lebed's peace plan", "the king's request",
    "Farrakhan's application" (an act on the thing is an act on its owner, as PETRARCH finds the
    first actor in the object phrase); not a pronoun ("its plan")."""
    poss = next((c for c in tok.children if c.dep_ == "poss"), None)
    return poss if poss is not None and _actor_like(poss, actors) else None


def _quote_frame(verb: Token) -> bool:
    """The verb frames the clause before it, with its subject after it ("The Americas cannot
    ignore the risk, warns the PAHO director"): the inversion after a comma marks a quotation,
    whatever the parser attached the verb to."""
    subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    return (verb.i > verb.sent.start and verb.doc[verb.i - 1].text == "," and subj is not None
            and subj.i > verb.i and verb.dep_ in ("conj", "parataxis", "ROOT"))


def _clause_children(verb: Token) -> list[Token]:
    """The verb's dependents and those of the verbs it is coordinated with, which share its
    complement ("expected and hoped that ...": the clause hangs on the last verb)."""
    out = list(verb.children)
    for other in verb.conjuncts:
        if other.i > verb.i:
            out.extend(c for c in other.children if c.dep_ in ("ccomp", "xcomp"))
    return out


def _passive(verb: Token) -> bool:
    return _reduced_relative(verb) or any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children)


def _reduced_relative(verb: Token) -> bool:
    """A participle on a noun, a passive without "be": "a lawsuit filed by the ACLU",
    "protesters arrested in Minsk" (the noun is what is acted upon)."""
    return (verb.dep_ == "acl" and verb.tag_ == "VBN" and verb.head.pos_ in ("NOUN", "PROPN")
            and not any(c.dep_ in ("nsubj", "nsubjpass", "mark") for c in verb.children))  # a clause of its own


def _party_or_place(tok: Token) -> bool:
    phrase = _phrase(tok)
    return any(t.pos_ == "PROPN" for t in phrase) or any(
        w in _agent_words() for w in _words(phrase))


@lru_cache(maxsize=1)
def _agent_words() -> frozenset[str]:
    """Single words that name actors in the Phoenix dictionaries (agents and actors)."""
    actors = load_actor_dictionary()
    return frozenset(p for p in list(actors.agents) + list(actors.actors) if " " not in p)


def _temporal(tok: Token) -> bool:
    """A time phrase ("on Tuesday", "at the end of November", "in 2019"), not a party."""
    return any(_CALENDAR.match(t.text) or (t.like_num and len(t.text) == 4 and t.text.isdigit())
               for t in _phrase(tok))


def _actor_like(tok: Token | None, actors: ActorDictionary) -> TypeGuard[Token]:
    if tok is None or _temporal(tok) or tok.pos_ == "PRON":  # "us" is no USA
        return False
    if tok.pos_ == "PROPN" or tok.ent_type_ in ("PERSON", "ORG", "GPE", "NORP"):
        return True
    phrase = _phrase(tok)
    if any(t.pos_ == "PROPN" for t in phrase):
        return True
    words = _words(phrase)
    actor, agent = actors.code_words(words)
    return bool(actor or agent) or any(w in actors.speaking_for for w in words)


def _shift_role(role: Role | None, by: int) -> Role | None:
    if role is None:
        return None
    return replace(role, start=role.start + by, end=role.end + by, head_start=role.head_start + by,
                   head_end=role.head_end + by, others=[(s + by, e + by) for s, e in role.others],
                   tree_start=role.tree_start + by, tree_end=role.tree_end + by)


def code_spans(text: str, spans: list[tuple[int, int]], model_name: str, on: date | None = None) -> list[Coded]:
    """Codings of the sentences ``text[s:e]`` for each span, with offsets into ``text``."""
    return code_texts([(text, spans)], model_name, on)[0]


def code_texts(items: list[tuple[str, list[tuple[int, int]]]], model_name: str,
               on: date | None = None) -> list[list[Coded]]:
    """``code_spans`` for many texts at once: their sentences go through the parser in one
    stream, as an article holds too few for the model's batches to run at their pace (same
    parse, about a seventh less of its time)."""
    nlp = load_parser(model_name)
    actors = load_actor_dictionary()
    out: list[list[Coded]] = [[] for _ in items]
    # A sports or entertainment story is not parsed at all (PETRARCH's story-level discards).
    todo = [(i, s, e) for i, (text, spans) in enumerate(items) if spans and not actors.story_discarded(text)
            for s, e in spans]
    docs = nlp.pipe(parse_text(items[i][0], s, e) for i, s, e in todo)
    for (i, start, _end), doc in zip(todo, docs, strict=True):
        for sent in doc.sents:
            out[i].extend(_shifted(c, start) for c in code_sentence(sent, on))
    return out


def parse_text(text: str, start: int, end: int) -> str:
    """``text[start:end]`` as the parser is to read it: a wire dateline opening it ("HAVANA,
    August 7 (Xinhua) --") blanked to spaces (offsets kept). It is where the story was filed;
    parsed, its place becomes the first clause's subject ("MOSCOW (Reuters) - Russia accused
    Ukraine": MOSCOW accused)."""
    stop = dateline_end(text, start)
    if stop is None or stop >= end:
        return text[start:end]
    return " " * (stop - start) + text[stop:end]


def _shifted(c: Coded, start: int) -> Coded:
    return replace(c, verb_start=c.verb_start + start, verb_end=c.verb_end + start,
                   clause_start=c.clause_start + start, clause_end=c.clause_end + start,
                   object_start=c.object_start + start if c.object_end else 0,
                   object_end=c.object_end + start if c.object_end else 0,
                   source=_shift_role(c.source, start), target=_shift_role(c.target, start),
                   attribution=_shift_role(c.attribution, start))


def _named_or_country(tok: Token, actors: ActorDictionary) -> bool:
    phrase = _phrase(tok)
    if any(t.pos_ == "PROPN" for t in phrase):
        return True
    return actors.code_words(_words(phrase))[0] is not None


def _phrase(tok: Token) -> list[Token]:
    """The noun phrase of a head: its modifiers and "of" phrases ("thousands of protesters",
    "the ambassadors of Arnor"), without clauses, other prepositions, appositions or
    coordinated heads."""
    keep = _phrase_indices(tok, 0)
    return [t for t in tok.doc[min(keep):max(keep) + 1] if t.i in keep and not t.is_punct and not t.is_space][:14]


def _phrase_indices(tok: Token, depth: int) -> set[int]:
    """The head, its modifiers, and an "of" phrase's own noun phrase (not the clauses hanging
    on it: "the identities of the two people killed in a crash in Clarendon" names no place)."""
    keep = {tok.i}
    for c in tok.children:
        if c.dep_ in _MODIFIERS:
            keep |= {t.i for t in c.subtree}
        elif (c.dep_ == "prep" and c.lower_ in ("in", "from") and tok.pos_ == "NOUN" and depth < 3
              and (tok.text.upper() in _agent_words() or tok.lemma_.upper() in _agent_words())
              and any(o.dep_ == "pobj" and o.pos_ == "PROPN" and not _CALENDAR.match(o.text) for o in c.children)):
            # "officials in Kyiv", "soldiers from Gondor": where a group (an agent noun) is from
            # names its country; "asylum in Britain", "an arms store in Belgium" are no actors
            keep.add(c.i)
            for obj in c.children:
                if obj.dep_ == "pobj":
                    keep |= _phrase_indices(obj, depth + 1)
        elif (c.dep_ == "prep" and c.lower_ in _SPOKEN_FOR and depth < 3
              and tok.text.upper() in load_actor_dictionary().speaking_for):
            # "a spokesman for the ministry", "a spokeswoman with the municipal police": the
            # body spoken for gives the spokesman's sector (``knowledge/agents_speaking_for.txt``)
            keep.add(c.i)
            for obj in c.children:
                if obj.dep_ == "pobj":
                    keep |= _phrase_indices(obj, depth + 1)
        elif c.dep_ == "prep" and c.lower_ == "of" and depth < 3:
            keep.add(c.i)
            for obj in c.children:
                if obj.dep_ == "pobj":
                    for head in (obj, *obj.conjuncts):  # "the ambassadors of Arnor and Gondor"
                        keep |= _phrase_indices(head, depth + 1)
    return keep


def _role(tok: Token | None, actors: ActorDictionary, on: date | None, acting: bool = False,
          speaking: bool = False) -> Role | None:
    """The role of a head; ``acting``: the one who acts, whom an apposition may name."""
    if tok is None:
        return None
    phrase = _phrase(tok)
    if not phrase:
        return None
    others = [(c.idx, c.idx + len(c.text)) for c in tok.conjuncts if c.i != tok.i and c.pos_ in ("PROPN", "NOUN")]
    start, end = phrase[0].idx, phrase[-1].idx + len(phrase[-1].text)
    tree = list(tok.subtree)
    # "US historian Bruce Gilley", "the party's leader, Jane Doe": the name in apposition is
    # the one the common noun describes
    name = next((c for c in tok.children if c.dep_ == "appos" and c.pos_ == "PROPN"), None) \
        if tok.pos_ == "NOUN" else None
    head = name if name is not None else tok
    return Role(start, end, head.idx, head.idx + len(head.text), tok.doc.text[start:end],
                _role_code(tok, phrase, actors, on, 0 if acting else 1, speaking), others, tree[0].idx,
                tree[-1].idx + len(tree[-1].text))


def _counterpart(role: Role | None, tok: Token | None, partner: Role | None) -> Role | None:
    """"The foreign minister met his Chinese counterpart": a counterpart holds the partner's post
    (its sector) in its own country, which its phrase may name (CHN + GOV)."""
    if role is None or tok is None or partner is None or tok.lemma_.lower() != "counterpart":
        return role
    country, sectors = _sectors(role.code)
    partner_sectors = [p for p in _parts(partner.code) if p in SECTORS]
    if sectors or not partner_sectors:
        return role
    return replace(role, code=country + "".join(partner_sectors))


def _role_code(tok: Token, phrase: list[Token], actors: ActorDictionary, on: date | None,
               depth: int = 0, speaking: bool = False) -> str | None:
    """The CAMEO actor code of a role: the dictionary actor and agent sector of the phrase's
    words. A possessor says whose it is, not who it is: it gives its actor only to a head that
    is itself an actor or agent ("Russia's army" RUSMIL), never its sector ("the congressman's
    wife" is no legislator, "Putin's wife" no government). A title word that ends a person's
    name is a surname ("Stephen King", "Martin Luther King"). A name the dictionaries do not
    know takes the code its apposition says ("Sergei Posukhov, Lukashenko's political adviser")."""
    if tok.pos_ == "PRON":
        return None
    if load_references().kind(" ".join(t.lower_ for t in phrase)) == "states":
        return "GOV"  # "the two countries", "both governments": states named before
    owner = {t.i for c in tok.children if c.dep_ == "poss" for t in c.subtree}
    own = [t for t in phrase if t.i not in owner and not (t.i == tok.i and _surname(t))]
    actor, agent = actors.code_words(_words(own), on) if own else (None, None)
    if actor is None and depth == 0 and speaking and _bare_surname(tok):
        # "Arafat said": the leader of that name, for the one who speaks (news quotes a leader
        # by his surname; one acted upon, or one who stabs or catches, may be anyone of that
        # name: the leaders' list holds thousands of ministers)
        actor = actors.surname_code(tok.text.upper(), on)
    if actor is None and owner and (agent or tok.pos_ == "PROPN"):
        actor = actors.code_words(_words(phrase), on)[0]
    if actor and agent is None and _located_by(tok, own, actor, actors, on):
        actor = None
    code = combine(actor, agent)
    if not is_political(code) and depth < 1:
        # "Constand Viljoen, leader of the Freedom Front party": a name the dictionaries do not
        # know is said by its apposition, whose agent noun gives the sector (of the one who
        # acts: "X, a police corporal, was injured in the crash" makes no act on the police)
        for appos in (c for c in tok.children if c.dep_ == "appos" and c.pos_ in ("NOUN", "PROPN")):
            said = _role_code(appos, _phrase(appos), actors, on, depth + 1)
            if _sector_political(said):  # a sector, not a place ("a plumber from Leeds")
                return said
    return code


def _located_by(head: Token, own: list[Token], actor: str, actors: ActorDictionary, on: date | None) -> bool:
    """The country code comes only from a place name modifying a head that is neither an actor
    nor an agent ("the Houston beauty chain", "California ISO", "a Florida man"): the place
    says where the firm or person is, not that the state acts. A nationality adjective
    ("the Russian side") and a place noun ("the Kharkiv region") keep the country, and so does
    a head that completes the name ("New Zealand", "North Korea")."""
    if not is_country_code(actor) or head.lower_ in _PLACE_NOUNS or head.lemma_.lower() in _PLACE_NOUNS:
        return False
    names = [t for t in own if t.i < head.i and t.pos_ == "PROPN" and t.dep_ in ("compound", "nmod")]
    return bool(names) and actors.code_words(_words(names), on)[0] == actor


def _bare_surname(tok: Token) -> bool:
    """A name of one capitalised word, at most after a title ("Arafat", "President Chirac",
    "Mr Kohl"): no given name that would make it someone else ("Chelsea Clinton")."""
    if tok.pos_ != "PROPN" or not tok.text[:1].isupper() or tok.text.isupper():
        return False
    given = [c for c in tok.children if c.dep_ in ("compound", "flat") and c.i < tok.i]
    return all(c.text.upper().rstrip(".") in _title_words() | _HONORIFICS for c in given)


def _surname(tok: Token) -> bool:
    """A capitalised title word at the end of a name that begins with a given name ("Stephen
    King"), with no article ("the King"): the title "King Charles" puts the title first."""
    if tok.pos_ != "PROPN" or tok.text.upper() not in _title_words():
        return False
    if any(c.dep_ in ("det", "poss") for c in tok.children):
        return False
    given = [c for c in tok.children if c.dep_ == "compound" and c.i < tok.i and c.pos_ == "PROPN"]
    return bool(given) and all(c.text.upper() not in _agent_words() for c in given)


@lru_cache(maxsize=1)
def _title_words() -> frozenset[str]:
    """Single agent words (KING, MAYOR): a title that can also be a surname. Not actor names:
    "Zealand" in "New Zealand" is no surname."""
    return frozenset(p for p in load_actor_dictionary().agents if " " not in p)


@lru_cache
def _modal_words(kind: str) -> frozenset[str]:
    """The words of one class of ``knowledge/modal_verbs.txt`` ("scheduling", "wishing")."""
    words = set()
    for raw in MODAL_VERBS.read_text(encoding="utf-8").splitlines():
        parts = raw.split("#", 1)[0].split()
        if len(parts) == 2 and parts[0] == kind:
            words.add(parts[1])
    if not words:
        raise ConfigError(f"{MODAL_VERBS}: no words of class {kind!r}")
    return frozenset(words)


_SILENT_E_ENDINGS = ("ed", "ing", "es")
_SIBILANT_ENDS = ("s", "x", "z", "ch", "sh")


def _base(tok: Token) -> str:
    """The verb's lemma, lower case, with the silent "e" the rule lemmatizer cuts off a regular
    inflection when the stem without it is a word too ("hoped", "hopes", "hoping" -> "hop";
    "slated" -> "slat"). English doubles the single final consonant of a one-syllable stem
    before "-ed"/"-ing" ("hopped", "hopping") and writes "-es" only after a sibilant, so an
    undoubled one ("hoped") or "-es" after another consonant ("hopes") is the "e" of the base."""
    key = (tok.orth, tok.lemma, tok.tag)
    found = _BASES.get(key)
    if found is None:
        if len(_BASES) > 50_000:
            _BASES.clear()  # a bound: the keys are the corpus's distinct verb forms
        found = _BASES[key] = _silent_e_base(tok.lemma_.lower(), tok.lower_, tok.tag_.startswith("VB"))
    return found


_BASES: dict[tuple[int, int, int], str] = {}  # _base per (form, lemma, tag): it is asked on every coded verb


def _silent_e_base(lemma: str, form: str, verbal: bool) -> str:
    if not verbal or len(form) <= len(lemma) or not form.startswith(lemma):
        return lemma
    ending = form[len(lemma):]
    if ending not in _SILENT_E_ENDINGS:
        return lemma
    vowels = [ch in "aeiou" for ch in lemma]
    one_syllable_cvc = (len(lemma) >= 3 and sum(vowels) == 1 and vowels[-2] and not vowels[-1]
                        and not vowels[-3] and lemma[-1] not in "wxy")
    if one_syllable_cvc and not (ending == "es" and lemma.endswith(_SIBILANT_ENDS)):
        return lemma + "e"
    return lemma


def _wish_over_act(verb: Token) -> bool:
    """"hopes to meet", "wanted to sign": a verb of desire over an infinitive, coded by no
    pattern of its block, is the mood of the act the infinitive names, which is coded in its
    place (an intent to cooperate, else the hypothetical act), not an appeal of its own."""
    return _base(verb) in _modal_words("desire") and any(k.dep_ == "xcomp" and k.pos_ in ("VERB", "AUX")
                                                        for k in verb.children)


def _intent_word(verb: Token) -> Token | None:
    """The word of readiness the verb's infinitive hangs on ("are ready to move on and meet",
    "is willing to send aid"), through coordination and the infinitive."""
    tok = verb
    for _ in range(4):
        if tok.dep_ not in ("xcomp", "conj") or tok.head.i == tok.i:
            return None
        tok = tok.head
        if _base(tok) in _INTENT_WORDS and tok.dep_ != "conj":
            return tok
    return None


def _modality(verb: Token) -> str:
    chain = [verb]
    tok = verb
    while tok.head.i != tok.i and len(chain) < 4:
        if tok.dep_ == "conj" and any(c.dep_ in _SUBJECTS for c in tok.children):
            break  # a conjunct with its own subject is a clause of its own: "X cannot stop it, warns Y"
        if tok.dep_ in ("xcomp", "conj", "acomp"):
            tok = tok.head
        else:
            governor = _gerund_of(tok)  # "urged X to calm refugees by explaining": as hypothetical as calming
            if governor is None:
                break
            tok = governor
        chain.append(tok)
    for t in chain:
        if any(c.dep_ == "neg" or c.lower_ in _NEGATIONS and c.dep_ in ("neg", "advmod", "det")
               or c.lower_ in _CORRELATIVE_NEGATIONS and c.dep_ in ("preconj", "cc") for c in t.children):
            return "negated"
    governors = _governors(chain)
    if any(t.lemma_.lower() in _NEGATIVE_IMPLICATIVES for t in governors) or any(
            t.dep_ == "ccomp" and t.head.lemma_.lower() in _DENIALS for t in chain):
        return "negated"
    for t in chain:
        kids = {c.lower_ for c in t.children if c.dep_ in ("aux", "auxpass", "mark")}
        if _mandative(t):
            return "hypothetical"  # "demanded that NATO withdraw": what is asked for, not done
        if kids & _CONDITIONS or (t.dep_ == "advcl" and kids & _CONDITIONS):
            return "hypothetical"
        if kids & _HYPOTHETICAL_AUX:
            if kids & _HYPOTHETICAL_AUX == {"would"} and _reported_in_past(t):
                return "scheduled"  # "said he would suggest ...": the past of "will" in reported speech
            return "hypothetical"
        if kids & _FUTURE_AUX:
            return "scheduled"
    if _asked_whether(chain[-1]):
        return "hypothetical"
    for t in governors:
        if _base(t) in _modal_words("scheduling"):
            return "scheduled"
        if _base(t) in _modal_words("wishing"):
            return "hypothetical"
    # "is to meet", "are due to sign": a form of "be" governing the infinitive
    if verb.dep_ == "xcomp" and verb.head.lemma_ == "be":
        return "scheduled"
    return "occurred"


def _governors(chain: list[Token]) -> list[Token]:
    """The words of the modality chain an infinitive or predicate of the chain hangs on ("plans
    [to visit]", "is likely [to sign]", "refused [to provide]"): those put their act out of the
    real ("went off, killing 247 people" is not "going to"; "refused the offer and left" did leave)."""
    return [t for below, t in zip(chain, chain[1:], strict=False) if below.dep_ in ("xcomp", "acomp")]


def _asked_whether(clause: Token) -> bool:
    """A clause inside an indirect question ("asked if she thought he was being controlled",
    "did not say whether the troops had withdrawn"): what is asked about is not said to be so."""
    tok = clause
    for _ in range(3):
        if tok.dep_ != "ccomp":
            return False
        if any(c.dep_ == "mark" and c.lower_ in ("if", "whether") for c in tok.children):
            return True
        tok = tok.head
    return False


def _mandative(clause: Token) -> bool:
    """A "that" clause with its own subject and the verb's base form, not in the indicative
    (:func:`_indicative`: "demanded that NATO withdraw its troops", "proposed that the talks
    should resume"): the act is asked for or proposed, not reported as done."""
    if clause.dep_ != "ccomp" or clause.tag_ != "VB" or _indicative(clause):
        return False
    return any(c.dep_ == "mark" and c.lower_ == "that" for c in clause.children) \
        and any(c.dep_ in _SUBJECTS for c in clause.children)


def _reported_in_past(clause: Token) -> bool:
    """A clause reported in indirect speech by a speech verb in the past ("said he would meet",
    "quoted Lebed as saying that he would suggest"), where "would" is "will" moved back a
    tense, not a condition; a direct quote ("'... would award custody,' said X") keeps its own
    tense, so the clause follows the verb with no quotation mark between."""
    say = clause.head
    if clause.dep_ != "ccomp" or say.i >= clause.i or say.lemma_.lower() not in _REPORTING:
        return False
    if any(t.is_quote for t in clause.doc[say.i + 1:clause.i]):
        return False
    return say.tag_ in ("VBD", "VBN") or say.tag_ == "VBG" and say.head.tag_ in ("VBD", "VBN")


def _predicate(verb: Token, subj: Token | None) -> tuple[int, int]:
    """Char span of the verb's subtree without its subject ("The council, founded in 2002,
    has not met since": 2002 dates the founding, not a meeting)."""
    skip = {t.i for t in subj.subtree} if subj is not None and subj.head.i == verb.i else set()
    toks = [t for t in verb.subtree if t.i not in skip]
    return toks[0].idx, toks[-1].idx + len(toks[-1].text)


def _object_span(verb: Token) -> tuple[int, int]:
    """The verb's complement: its direct object, else its first right-hand dependent that is
    not a preposition, particle or punctuation (the small model sometimes hangs "submitted to
    Russia written responses" on "written" as a clause)."""
    dobj = next((c for c in verb.children if c.dep_ == "dobj"), None) or next(
        (c for c in verb.rights if c.dep_ not in ("prep", "prt", "punct", "cc", "conj", "agent", "advmod")), None)
    if dobj is None:
        return 0, 0
    # a clause inside the object is another act, or a purpose ("gave it the green light to
    # begin operation at a review meeting"): what it names is not the object of this verb
    toks = list(dobj.subtree)
    clauses = [c for c in toks if c.dep in _CLAUSAL_IDS and c.i != dobj.i]
    if clauses:
        inner = {t.i for c in clauses for t in c.subtree}
        toks = [t for t in toks if t.i not in inner]
    return toks[0].idx, toks[-1].idx + len(toks[-1].text)


def _speaker(verb: Token) -> Token | None:
    """The speaker when the verb sits in reported speech ("X said Y attacked Z", "Y is about
    to attack Z, officials said")."""
    verb = _clause_head(verb)
    if verb.dep_ == "ccomp" and verb.head.lemma_.lower() in _REPORTING:
        return _subject(verb.head)
    if (report := _report_content(verb)) is not None:
        return _subject(report)
    for c in verb.children:
        if c.dep_ == "parataxis" and c.lemma_.lower() in _REPORTING:
            return next((s for s in c.children if s.dep_ in _SUBJECTS), None)
    # "according to X": the source of the report
    for c in verb.children:
        if c.dep_ == "prep" and c.lower_ == "according":
            to = next((x for x in c.children if x.lower_ == "to"), None)
            pobj = next((x for x in to.children if x.dep_ == "pobj"), None) if to is not None else None
            if pobj is not None:
                return pobj
    return None


def _report_content(clause: Token) -> Token | None:
    """The verb of reporting whose statement a "that" clause on a noun gives: "said in a
    statement that ...", "announced in a communique that ..." (the parser hangs the clause on
    the noun; it is the report's content, as after "said that")."""
    noun = clause.head
    if clause.dep_ != "acl" or not any(c.dep_ == "mark" and c.lower_ == "that" for c in clause.children):
        return None
    if noun.dep_ != "pobj" or noun.head.dep_ != "prep" or noun.head.lower_ != "in":
        return None
    say = noun.head.head
    return say if say.pos_ == "VERB" and say.lemma_.lower() in _REPORTING else None


def _clause_head(verb: Token) -> Token:
    """The verb that heads the verb's clause: up through infinitives, adjective complements and
    coordination ("restore" in "Arnor is about to restore": "is")."""
    for _ in range(4):
        if verb.dep_ not in ("xcomp", "acomp", "conj") or verb.head.i == verb.i:
            break
        verb = verb.head
    return verb


def _reports(say: Token, verb: Token) -> bool:
    """``say`` reports the clause of ``verb``: the clause is its complement, or it is a
    parenthetical on the clause ("..., a senior official said")."""
    head = _clause_head(verb)
    governor = head.head
    if (head.dep_ == "ccomp" and governor.dep_ == "pcomp" and governor.head.lower_ == "as"
            and governor.lemma_.lower() in _REPORTING):
        governor = governor.head.head  # "quoted local police as saying armed men attacked"
    content = _report_content(head)
    return (governor.i == say.i and head.dep_ in ("ccomp", "parataxis")) or (
        say.head.i == head.i and say.dep_ == "parataxis") or (content is not None and content.i == say.i)


def verb_entries(tok: Token, dictionary: VerbDictionary) -> list[Verb]:
    """The dictionary's entries for the verb at ``tok``: its lemma's or form's, a multi-word
    entry ("+ASK_FOR") only where its words follow or hang on the verb."""
    found = dictionary.lookup(tok.lemma_, tok.text)
    if not found:
        return []
    doc = tok.doc
    fitting = []
    for v in found:
        if v.after:
            nxt = [doc[i].text.upper() for i in range(tok.i + 1, min(len(doc), tok.i + 1 + len(v.after)))]
            if nxt != list(v.after) and not (len(v.after) == 1 and _attached(tok, v.after[0])):
                continue
        if v.before:
            prev = [doc[i].text.upper() for i in range(max(0, tok.i - len(v.before)), tok.i)]
            if prev != list(v.before):
                continue
        fitting.append(v)
    multi = [v for v in fitting if v.after or v.before]
    return multi or fitting


def _attached(verb: Token, word: str) -> bool:
    """The verb's particle or preposition ``word`` as the parse attaches it, words away: "called
    on Wednesday for its followers to ..." (CALL_FOR), "handed the city over" (HAND_OVER); a
    time phrase is no part of the verb ("called on Wednesday" is no CALL_ON)."""
    for c in verb.children:
        if c.text.upper() != word or c.i <= verb.i:
            continue
        if c.dep_ == "prt":
            return True
        if c.dep_ == "prep":
            pobj = next((o for o in c.children if o.dep_ == "pobj"), None)
            return pobj is not None and not _temporal(pobj)
    return False


def _code_and_direction(tok: Token, verb: Verb, pattern: Pattern | None, dictionary: VerbDictionary
                        ) -> tuple[str, tuple[Verb, Token] | None, bool]:
    """The code a verb's best pattern (else its entry) gives, the noun event a light verb
    carries out where that decides instead, and whether the syntax's source and target swap."""
    code = pattern.code if pattern else verb.code
    nominal = (_nominal_event(tok, verb, dictionary) if pattern is None else
               _nominal_event(tok, verb, dictionary, shares_only=True)
               if not (pattern.code or pattern.reverse_code) else None)
    if nominal is not None:
        code = nominal[0].code
    reverse = bool(pattern and not pattern.code and pattern.reverse_code)
    if reverse:
        code = pattern.reverse_code if pattern else ""
    elif _converse(verb, pattern):
        reverse = True  # "received military aid from X": X gives, the subject receives
    return code, nominal, reverse


def _implied_target(tok: Token, source_tok: Token | None, root: str, actors: ActorDictionary) -> Token | None:
    """The target of a verb whose syntax names none, where the kind of act implies one."""
    if root in _MUTUAL_ROOTS and source_tok is not None:
        # "Gondor and Osgiliath agreed to ...": cooperation between coordinated actors is
        # each one's with the other.
        found = next((c for c in source_tok.conjuncts if _actor_like(c, actors)), None)
        if found is not None:
            return found
    # "agreed to meet Ukrainian officials", "vowed to retaliate against Israel": CAMEO codes
    # the governing verb, and the one the infinitive acts upon is its target
    found = _infinitive_target(tok, actors, root in _AIMED_ROOTS)
    if found is None and root in _SPEECH_ROOTS:
        # "warned of the Prince of Dol Amroth", "complained about Russia": what a speech act
        # is about, when it names an actor, is its target.
        found = next((head for prep, _, head in _context(tok).preps
                      if prep in ("ABOUT", "OF", "OVER") and head is not None and not _temporal(head)
                      and _named_or_country(head, actors)), None)
    return found


def _evidence(verb: Verb, pattern: Pattern | None, nominal: Verb | None, code: str) -> str:
    """What coded a verb, as the ``evidence`` of its Coded: the pattern, else the verb's entry
    (and the noun event it carries out)."""
    if nominal is not None:
        return f"{verb.block}: {verb.base} + {nominal.block}: {nominal.base} [{code}]"
    return f"{verb.block}: {pattern.text}" if pattern else f"{verb.block}: {verb.base} [{code}]"


def _indicative(clause: Token) -> bool:
    """A finite clause in the indicative: a past or third-person present verb, or an auxiliary
    of tense or mood other than the mandative "should" ("he will continue", "the boy would be
    turned over"); not the bare subjunctive ("that Ukraine withdraw", "that he be released")."""
    if clause.tag_ in ("VBD", "VBZ"):
        return True
    return any(c.dep_ in ("aux", "auxpass") and c.lower_ != "should" and c.tag_ != "TO"
               and not (c.lemma_ == "be" and c.tag_ == "VB") for c in clause.children)


def _code_in_context(tok: Token, code: str, verb: Verb, by_entry: bool, source: Role | None,
                     target_tok: Token | None) -> str:
    """The verb's code corrected by what the clause says: a claim over a clause with no one it
    is aimed at, a killing by no armed group. ``by_entry``: the verb's entry coded it, neither a
    pattern nor a noun event."""
    clausal = ("ccomp", "xcomp") if code[:2] == "03" else ("ccomp",)  # "threatened to shoot" is a threat
    if code[:2] in _CLAIM_ROOTS and target_tok is None and (
            any(k.dep_ in clausal for k in _clause_children(tok)) or _quote_frame(tok)):
        # "argued that ...", "warned that ...", "expects to ...": with no one it is aimed
        # at, a disapproval, threat or intent over a clause is a claim or forecast, that is
        # at most a statement (and only a political actor's counts).
        code = "010"
    elif code[:2] in _ASKING_ROOTS and target_tok is None and not any(k.dep_ == "dobj" for k in tok.children) \
            and any(k.dep_ == "ccomp" and _indicative(k) for k in _clause_children(tok)):
        # "insists he will continue", "insisting the boy would be turned over": a demand or
        # appeal asks for what is to be done, in the mandative subjunctive ("demanded that
        # Ukraine withdraw", "asked that the county provide"); over a clause in the
        # indicative, aimed at no one, it claims how things are or will be: a statement.
        code = "010"
    if verb.block in _KILLING_BLOCKS and code[:2] == "19" and by_entry \
            and source is not None and _sectors(source.code)[1] and not _sectors(source.code)[1] & _ARMED_SECTORS:
        code = "180"
    return code


def code_sentence(sent: Span, on: date | None = None, dictionary: VerbDictionary | None = None,
                  actors: ActorDictionary | None = None) -> list[Coded]:
    """The events of one parsed sentence, in text order."""
    actors = actors or load_actor_dictionary()
    return prune(sent, candidate_codings(sent, on, dictionary, actors), actors)


def candidate_codings(sent: Span, on: date | None = None, dictionary: VerbDictionary | None = None,
                      actors: ActorDictionary | None = None) -> dict[int, Coded]:
    """Every coded verb of one parsed sentence, by token index, before :func:`prune` drops
    what is no event of its own (``benchmarks/event_error_causes.py`` reads both)."""
    dictionary = dictionary or load_verb_dictionary()
    actors = actors or load_actor_dictionary()
    found: dict[int, Coded] = {}
    for tok in sent:
        if tok.pos_ not in ("VERB",) and not (tok.pos_ == "AUX" and tok.dep_ == "ROOT"):
            continue
        entries = verb_entries(tok, dictionary)
        if not entries:
            continue
        pattern, verb, roles = _best_pattern(tok, entries, dictionary)
        code, nominal, reverse = _code_and_direction(tok, verb, pattern, dictionary)
        if not code:
            continue
        if (pattern is None and nominal is None and not verb.own_code and not verb.after
                and _particle(tok)):
            continue  # "swears in a justice", "signed up": a particle the verb's entry and no
            # pattern of its block name makes another verb, not the block's act
        if pattern is None and nominal is None and _wish_over_act(tok):
            continue
        subj = _subject(tok)
        source_tok, target_tok = _source_and_target(tok, subj, roles, reverse, actors,
                                                    _party_preps(tok, code[:2], pattern, actors), code[:2])
        if nominal is not None and nominal[1].dep_ == "nsubj":
            source_tok, target_tok = _noun_roles(nominal[1], actors)  # "clashes between X and Y erupted"
        if target_tok is None:
            target_tok = _implied_target(tok, source_tok, code[:2], actors)
        if source_tok is not None and not _actor_like(source_tok, actors):
            source_tok = source_tok if source_tok.lower_ in _PRONOUNS or _reference(_phrase(source_tok)) else None
        source = _role(source_tok, actors, on, acting=True, speaking=code[:2] in _SPEECH_ROOTS)
        target = _role(target_tok, actors, on)
        source, target = _counterpart(source, source_tok, target), _counterpart(target, target_tok, source)
        if code[:2] in ("01", "04") and target is not None and _media(target.code):
            # "told Reuters", "spoke to reporters": the outlet carries the statement ("accused
            # the BBC of lying" is aimed at it)
            target_tok = target = None
        code = _code_in_context(tok, code, verb, pattern is None and nominal is None, source, target_tok)
        intent = _intent_word(tok) if code[:2] in _INTENT_CODES else None
        info = code_info(code)
        speaker = _speaker(tok)
        confidence = 0.45 + (0.2 if pattern else 0.0) + (0.15 if source and source.code else 0.0) \
            + (0.1 if target and target.code else 0.0) + (0.05 if source and target else 0.0)
        evidence = _evidence(verb, pattern, nominal[0] if nominal is not None else None, code)
        found[tok.i] = Coded(tok.idx, tok.idx + len(tok.text), tok.text, info, evidence, source, target,
                             _role(speaker, actors, on), _modality(intent if intent is not None else tok),
                             round(min(confidence, 0.95), 2),
                             *_predicate(tok, subj), *_object_span(tok),
                             by_pattern=pattern is not None or nominal is not None,
                             by_subject=pattern is not None and bool(pattern.pre),
                             own_code=verb.own_code, block=verb.block,
                             intent_code=_INTENT_CODES[code[:2]] if intent is not None else "")
    return found


@dataclass(frozen=True)
class _Judged:
    """One coded verb of a sentence, as the rules below judge it: its coding, its token, the
    sentence's other codings (`found`) and those already admitted (`kept`, inner clauses first)."""

    sent: Span
    c: Coded
    tok: Token
    found: dict[int, Coded]
    kept: dict[int, Coded]
    discard: str | None

    @property
    def src_code(self) -> str | None:
        return self.c.source.code if self.c.source else None

    @property
    def tgt_code(self) -> str | None:
        return self.c.target.code if self.c.target else None

    @property
    def specific(self) -> bool:
        return self.c.by_pattern or self.c.own_code

    @property
    def agentless(self) -> bool:
        return self.c.source is None and _passive(self.tok)


def _describes(j: _Judged) -> bool:
    return not _asserted(j.tok, j.c.by_pattern)  # a clause that describes a noun or states a purpose reports no event


def _habit(j: _Judged) -> bool:
    return _habitual(j.tok)  # "police usually arrest ...", "governance often fails to ...": a habit, no event


def _state_of_things(j: _Judged) -> bool:
    """"The Carl Vinson leads a battle group": a main clause's simple present in running text
    says how things stand (a headline's present, unpunctuated, is news)."""
    tok, sent = j.tok, j.sent
    return (tok.tag_ in ("VBZ", "VBP") and j.c.info.root not in _SPEECH_ROOTS and tok.dep_ in ("ROOT", "conj")
            and not any(k.dep_ in ("aux", "auxpass") for k in tok.children)
            and sent[-1].is_punct and sent[-1].text in ".!?")


def _report_of_kept(j: _Judged) -> bool:
    return j.c.info.root == "01" and any(_reports(j.tok, j.tok.doc[k]) for k in j.kept)


def _telling_participle(j: _Judged) -> bool:
    """"attacked a convoy, killing one soldier and wounding two", "called for calm, citing ...":
    the participle tells of the coded act, it is no act of its own."""
    told = _gerund_of(j.tok, means=False)
    return told is not None and told.i in j.found and (
        j.c.info.root == "01" or j.c.info.root in _FORCE_ROOTS and j.found[told.i].info.root in _FORCE_ROOTS)


def _claim_over_clause(j: _Judged) -> bool:
    # "the snafu demonstrates that ...": a material verb over a clause is a claim
    return j.c.info.root not in _SPEECH_ROOTS and any(k.dep_ == "ccomp" for k in j.tok.children)


def _forecast(j: _Judged) -> bool:
    # "expected that ...", "predicts ...": a forecast, not an event (a pattern such as "expects
    # new round of talks" is the dictionary's own optimistic comment)
    return j.c.block in _FORECAST_BLOCKS and not j.c.by_pattern


def _opinion(j: _Judged) -> bool:
    # a quote or forecast by no political actor is an opinion; what one could say is nothing
    return j.c.info.root == "01" and (j.c.modality == "hypothetical" or not (
        is_political(j.src_code) or _named_on_politics(j.sent, j.c, j.tok)))


def _private_trip(j: _Judged) -> bool:
    # a private person's trip to a country or city ("had flown to New York") is no visit of state
    tgt = j.tgt_code
    return (j.c.info.root in ("03", "04") and not is_political(j.src_code) and tgt is not None
            and len(tgt) == 3 and tgt not in SECTORS)


def _no_cooperation(j: _Judged) -> bool:
    return j.c.info.root in _COOPERATION_ROOTS and not _cooperation(j.tok, j.c, j.src_code, j.tgt_code)


def _crime(j: _Judged) -> bool:
    # "a man stabbed his neighbour": violence between private people is a crime, not a
    # political event (coercion, root 17, is the authorities' even by a bare name)
    c = j.c
    return (c.info.root in _FORCE_ROOTS and not (is_political(j.src_code) or is_political(j.tgt_code))
            and not _anaphoric(c.source) and not (c.source is None and (_passive(j.tok) or c.by_subject)))


def _own_command(j: _Judged) -> bool:
    # "the president ordered the Pentagon to ...", "Putin ordered the army": a command to one's
    # own forces or government is how a state acts, not a demand on it
    # ("he had ordered U.S. forces to go on high alert": forces ordered by someone with no
    # code of another country are commanded, not asked)
    return j.c.info.root == "10" and not j.c.by_pattern and (
        _command(j.src_code, j.tgt_code) or not j.src_code and bool(_sectors(j.tgt_code)[1] & {"MIL", "COP"}))


def _yield_without_power(j: _Judged) -> bool:
    # "Texas voters approved an amendment": yielding (easing sanctions, reform, release,
    # retreat) is done by those who hold power, not by voters or a firm
    c = j.c
    return (c.info.root == "08" and not is_political(j.src_code) and not _anaphoric(c.source)
            and not (c.source is None and _passive(j.tok)))


def _part_in_act(j: _Judged) -> bool:
    # "helped contribute to the acquisitions": a part in an act, no aid to anyone
    c, tok = j.c, j.tok
    return (c.info.root == "07" and not c.by_pattern and not _codable(tok.doc, c.target)
            and any(k.dep_ == "xcomp" for k in tok.children)
            and not any(k.dep_ in ("dobj", "dative") for k in tok.children))


def _asks_no_one(j: _Judged) -> bool:
    # "Japan needs to do better": a block's bare verb that asks no one, and no one to do
    # something ("demanded that Ukraine withdraw"), is no appeal or demand
    c, tok = j.c, j.tok
    return (c.info.root in _ASKING_ROOTS and not j.specific and _no_one(c.target)
            and not _addressed(tok, asking=True) and not any(k.dep_ == "ccomp" for k in tok.children))


def _says_nothing(j: _Judged) -> bool:
    # "State of Washington swears in first ... justice": an appeal, claim or threat with
    # nothing said and no one addressed is no speech act
    c = j.c
    return (c.info.root in _SPEECH_ROOTS - {"01", "03"} and not c.by_pattern and c.target is None
            and not any(k.dep_ in ("dobj", "dative", "ccomp", "xcomp", "attr") for k in j.tok.children))


def _aimless_opinion(j: _Judged) -> bool:
    # an appeal, wish or complaint aimed at no one, by no political actor: an opinion
    # (a statement by a name on a political actor is the news, see _opinion; an outlet's is
    # its report of others)
    c = j.c
    return (c.info.root in _SPEECH_ROOTS | {"04"} and c.info.code not in _FORMAL_ACTS and _no_one(c.target)
            and not is_political(j.src_code) and not _addressed(j.tok)
            and not (c.info.root == "01" and not _media(j.src_code) and _named_on_politics(j.sent, c, j.tok, True)))


def _no_nameable_actor(j: _Judged) -> bool:
    """PETRARCH's own filter: an event needs an actor it can name. A pronoun or a common noun
    outside the actor and agent dictionaries ("the woman", "it") does not make one."""
    c, tok, doc = j.c, j.tok, j.tok.doc
    if j.agentless:
        # "X was arrested, sentenced": coercion by the authorities is the usual agentless
        # passive, coded when X is named; other agentless passives ("was injured in the
        # crash", "Python 3.0 was released") only when X is a dictionary actor.
        if not (j.tgt_code or (c.info.root == "17" and _codable(doc, c.target))):
            return True
        # "the U.S. was forced into sequestration", "was pushed to resign": by no one named, a
        # block's bare verb with a result says how things went
        return not j.specific and any(k.dep_ == "xcomp" or k.dep_ == "prep" and k.lower_ == "into"
                                      for k in tok.children)
    # a "he/she/they" acting in a specific pattern is resolved by the pipeline; a weapon that a
    # pattern names as the subject ("a bomb explosion killed seven people": EXPLOSION * [193])
    # is the act's own evidence, its user unnamed
    # ... and so is one acting on a political actor ("he would suggest to the rebels that ...")
    # ... and so is one asking someone ("she urged countries to remain vigilant")
    return not (_codable(doc, c.source) or (j.specific or _sector_political(j.tgt_code) or _asks_someone(j))
                and _anaphoric(c.source)
                or c.source is None and c.by_subject and c.info.root in _FORCE_ROOTS and _codable(doc, c.target))


def _weak_default(j: _Judged) -> bool:
    """A block's default code on a bare verb ("took", "went", "caught up") is weak evidence:
    outside speech acts by a named actor, it needs a dictionary actor acting on a nameable one,
    a named one acting on a political one, its object ("Rosati will meet Serbian President
    Slobodan Milosevic": a minister the dictionaries do not know; "appointed X to serve on the
    court" is no act on the court), or force used by an armed or state actor on anything it
    names ("armed men attacked the convoy"; "the consul died" names nothing)."""
    c, tok, doc = j.c, j.tok, j.tok.doc
    src_code, tgt_code, agentless = j.src_code, j.tgt_code, j.agentless
    if j.specific or agentless and c.info.root == "17":
        return False
    return not (c.info.root in _SPEECH_ROOTS and _codable(doc, c.source)
                or src_code and _codable(doc, c.target)
                or c.info.root in _FORCE_ROOTS and _sector_political(src_code)
                and any(k.dep_ == "dobj" for k in tok.children)
                or agentless and c.info.root in _FORCE_ROOTS and _by_force(tok, j.found)
                or _sector_political(tgt_code) and c.source is not None
                and _named(doc, c.source) and _object_is(tok, c.target)
                or (_sector_political(tgt_code) or _asks_someone(j)) and _anaphoric(c.source)
                or _listed_with_kept(j))


def _listed_with_kept(j: _Judged) -> bool:
    """A bare verb coordinated with an event of the same root by the same subject ("cracking
    down on the opposition and jailing nearly 200 people", "jailed ... and cracked down on"):
    a list of acts of one kind, each an event when one is. Inner clauses are judged first, so
    a later conjunct is judged before the verb it hangs on: that one counts when specific."""
    tok, c = j.tok, j.c
    for o in tok.conjuncts:
        other = j.kept.get(o.i) if o.i > tok.i else j.found.get(o.i)
        if other is not None and other.info.root == c.info.root and other.source == c.source and (
                o.i > tok.i or other.by_pattern or other.own_code):
            return True
    return False


def _asks_someone(j: _Judged) -> bool:
    """An appeal or demand addressed to someone: people, a group, a name ("urged countries to")."""
    return j.c.info.root in _ASKING_ROOTS and _addressed(j.tok, asking=True)


def _sport_or_show(j: _Judged) -> bool:
    # a national team is named by its country ("Brazil beat Argentina"): only a government,
    # army, party... makes a sports or entertainment sentence political
    return bool(j.discard) and not (_sector_political(j.src_code) or _sector_political(j.tgt_code))


# What makes a coded verb no event, in the order they are tried. The clause's own shape comes
# first; an infinitive under a coded verb is deferred between the two (see prune).
_NOT_A_CLAIM_OF_ITS_OWN = (_describes, _habit, _state_of_things, _report_of_kept)
_NOT_AN_EVENT = (_telling_participle, _claim_over_clause, _forecast, _opinion, _private_trip, _no_cooperation,
                 _crime, _own_command, _yield_without_power, _part_in_act, _asks_no_one, _says_nothing,
                 _aimless_opinion, _no_nameable_actor, _weak_default, _sport_or_show)


def pruning_rule(sent: Span, found: dict[int, Coded], i: int, kept: dict[int, Coded],
                 discard: str | None) -> str | None:
    """The name of the first rule above that judges the coded verb at token ``i`` no event
    (the sentence's codings ``found``, those admitted ``kept``, the sentence's Phoenix discard
    ``discard``), None when none does: for counting errors by cause, as :func:`prune` tries them."""
    judged = _Judged(sent, found[i], sent.doc[i], found, kept, discard)
    return next((rule.__name__ for rule in (*_NOT_A_CLAIM_OF_ITS_OWN, *_NOT_AN_EVENT) if rule(judged)), None)


def prune(sent: Span, found: dict[int, Coded], actors: ActorDictionary) -> list[Coded]:
    """Drop what is not an event of its own: the statement verb whose reported clause holds an
    event (the report is the attribution), an infinitive under an already coded verb ("threatened
    to attack" is one threat), statements and forecasts by no political actor, events with no
    actor that can be named, and sports, awards and entertainment (the Phoenix discards)
    between non-political actors."""
    if not found:
        return []
    doc = sent.doc
    discard = actors.discarded(" ".join(t.text.upper() for t in sent))
    kept: dict[int, Coded] = {}
    deferred: list[int] = []

    def admit(i: int, governed: bool) -> bool:
        judged = _Judged(sent, found[i], doc[i], found, kept, discard)
        if any(rule(judged) for rule in _NOT_A_CLAIM_OF_ITS_OWN):
            return False
        if governed and doc[i].dep_ == "xcomp" and doc[i].head.i in found:
            deferred.append(i)
            return False
        return not any(rule(judged) for rule in _NOT_AN_EVENT)

    # Inner clauses first: whether a report keeps its own statement depends on them.
    for i in sorted(found, key=lambda i: -_depth(doc[i])):
        if admit(i, True):
            kept[i] = found[i]
    late = [i for i in deferred if doc[i].head.i not in kept and _specific_and_political(found[i])
            and admit(i, False)]
    # an infinitive whose governing verb is no event ("was expected to meet Netanyahu for talks":
    # a forecast verb) is judged on its own when a pattern of its own and a political actor
    # make it one ("expects to release 16 million tons of CO2" does not), and a report of it
    # is its attribution
    for i in late:
        kept[i] = found[i]
    for j in [j for j, c in kept.items() if c.info.root == "01" and any(_reports(doc[j], doc[i]) for i in late)]:
        del kept[j]
    # "attacked a convoy, killing one soldier", "arrested ... after capturing their leader": a
    # participle or gerund of the same root as the verb it hangs on tells more of one act
    return sorted((_as_intent(_by_the_force_named(c, doc[i], found)) for i, c in kept.items()
                   if (gov := _gerund_of(doc[i])) is None or gov.i not in kept
                   or kept[gov.i].info.root != c.info.root), key=lambda c: c.verb_start)


def _as_intent(c: Coded) -> Coded:
    """A kept act under a word of readiness or wish coded as the intent to do it (``intent_code``)."""
    return replace(c, info=code_info(c.intent_code), intent_code="") if c.intent_code else c


def _by_force(verb: Token, found: dict[int, Coded]) -> bool:
    return _forcing_code(verb, found) is not None


def _forcing_code(verb: Token, found: dict[int, Coded]) -> str | None:
    """The force that did an agentless passive of force ("two people were killed"), as the
    clause names it: a time clause coded as force ("when a hand grenade exploded": 183), or an
    act noun derived from a force verb of the dictionary ("in the fighting", "in bombings", "in
    the explosion"), not the verb's own form, which names no force as a noun ("in a fire", "in
    the storm"). Its code is the act's: the killing is the bombing."""
    dictionary = load_verb_dictionary()
    # the clause can hang on a coordinated verb ("two were killed and six wounded when a bomb ...")
    for child in [c for v in (verb, *verb.conjuncts) for c in v.children]:
        if child.dep_ == "advcl" and child.i in found and found[child.i].info.root in _FORCE_ROOTS:
            return found[child.i].cameo_code
        if child.dep_ == "prep" and child.lower_ in ("in", "during", "by"):
            for pobj in (o for o in child.children if o.dep_ == "pobj"):
                noun = pobj.lemma_.upper()
                for v in verb_of_noun(noun, dictionary):
                    if v.code and v.code[:2] in _FORCE_ROOTS and v.base != noun:
                        return v.code
    return None


def _by_the_force_named(c: Coded, verb: Token, found: dict[int, Coded]) -> Coded:
    """An agentless passive of force takes the code of the force its clause names ("killed when
    a bomb exploded" is a bombing, 183, not the bare KILL's 190)."""
    if c.source is not None or c.info.root not in _FORCE_ROOTS or c.by_pattern or not _passive(verb):
        return c
    code = _forcing_code(verb, found)
    if code is None or code == c.cameo_code:
        return c
    return replace(c, info=code_info(code), pattern=f"{c.pattern} + force named [{code}]")


def _specific_and_political(c: Coded) -> bool:
    return (c.by_pattern or c.own_code) and (
        is_political(c.source.code if c.source else None) or _sector_political(c.target.code if c.target else None))


def _named_on_politics(sent: Span, c: Coded, verb: Token, strict: bool = False) -> bool:
    """A statement by a name the dictionaries do not know about a political actor they know
    ("Sharetsky said President Lukashenko is trying to establish a dictatorship", "Cotti said
    Chechnya must remain part of Russia"): the one quoted on a state or government is news.
    A verb of reporting or a pattern says it; a block's bare verb does not ("scattered seven
    hits" in Oakland, CIRCULATE's 010, is none)."""
    if c.source is None or not _named(sent.doc, c.source) or not (
            c.by_pattern or verb.lemma_.lower() in _REPORTING):
        return False
    start, end = c.source.tree_start, c.source.tree_end
    if strict:
        # the actor spoken of, not a nationality describing a thing ("Italian companies",
        # "a Swedish telecoms group"): an adjective counts only on an agent noun ("Israeli troops")
        rest = " ".join(t.text for t in sent if not start <= t.idx < end and not (
            t.pos_ == "ADJ" and t.dep_ == "amod" and not _actor_head(t.head)))
        return could_name_political_actor(rest)
    rest = sent.doc.text[sent.start_char:start] + " " + sent.doc.text[end:sent.end_char]
    return could_name_political_actor(rest)


def _object_is(verb: Token, role: Role | None) -> bool:
    """The role is the verb's direct object."""
    return role is not None and any(c.dep_ == "dobj" and c.idx == role.head_start for c in verb.children)


def _asserted(verb: Token, by_pattern: bool) -> bool:
    """The verb's clause is one the sentence asserts: the main clause, a clause coordinated
    with it or governed by it (a reported-speech complement, an infinitive, a time or reason
    clause). Not a clause that describes a noun: a relative clause ("the level where the ISO
    has ordered cuts"), a participle or adjective on a noun ("an operation led by the DEA"),
    a clause under a noun's preposition; nor a purpose ("..., to help companies manage"), nor
    the setting of a report ("Speaking with reporters, X said").
    A participle on a noun is a passive that happened when the noun is the actor acted upon
    ("protesters arrested in Minsk") or names the act by the verb's pattern ("follows a
    lawsuit filed by the ACLU") as an argument of its clause, not when the noun only describes
    or sets it ("the arrest was a US operation led by the DEA", "seized drugs in an operation
    led by the DEA")."""
    tok = verb
    for _ in range(12):
        if tok.head.i == tok.i:
            return True
        dep = tok.dep_
        if dep == "acl" and (report := _report_content(tok)) is not None:
            tok = report  # "said in a statement that two people were killed": what was said
            continue
        if dep in _DESCRIPTIVE:
            if not (tok.i == verb.i and _reduced_relative(tok) and not _set_off(tok) and (
                    _actor_head(tok.head) or by_pattern and tok.head.dep_ in _ARGUMENTS)):
                return False
        elif dep == "advcl" and (_purpose(tok) or _since(tok)):
            return False
        elif dep == "csubj" and _misread_participle(tok):
            return False  # "Police searching for the girl said": a participle on the noun
        elif (dep == "advcl" and tok.tag_ == "VBG" and tok.head.lemma_.lower() in _REPORTING
              and tok.lemma_.lower() in _REPORTING | {"speak", "talk"}):
            return False  # "Speaking with the Kaieteur News, his sister said ...": the report's setting
        elif dep in ("pcomp", "pobj") and tok.pos_ in ("VERB", "AUX") and tok.head.head.pos_ in ("NOUN", "PROPN"):
            return False  # "the risk of attacking", "a plan for sending troops"
        tok = tok.head
    return True


def _set_off(participle: Token) -> bool:
    """A participle set off by commas ("The SDA, joined by two other parties, has demanded"):
    it tells who the noun is, as an apposition does, not what happened."""
    before = participle.left_edge.i - 1
    return before >= 0 and participle.doc[before].text == "," and participle.head.i < before


def _since(clause: Token) -> bool:
    """A past "since" clause is the point time is counted from ("the first visit since the
    government took power"): background that dates the news, not news of its own (ICEWS'
    historical events)."""
    return clause.tag_ in ("VBD", "VBN") and any(c.dep_ == "mark" and c.lower_ == "since" for c in clause.children)


def _actor_head(tok: Token) -> bool:
    """The noun itself names an actor (a name, or an agent noun such as "protesters"), not a
    thing merely modified by one ("a US operation")."""
    return tok.pos_ == "PROPN" or tok.text.upper() in _agent_words() or tok.lemma_.upper() in _agent_words()


def _habitual(verb: Token) -> bool:
    """A frequency adverb on the verb or the verbs its clause hangs from, or a vague span of
    years ("for many years", "for decades"): what is done as a rule or a policy, not
    something that happened ("jailed for two years" counts its years and stays an event)."""
    tok = verb
    # the span can hang on the infinitive the verb governs ("encouraged people to buy diesel
    # cars for many years")
    spans = [verb, *(c for c in verb.children if c.dep_ == "xcomp")]
    if any(c.dep_ == "prep" and c.lower_ == "for" and any(
            o.dep_ == "pobj" and o.lemma_.lower() in _LONG_SPANS and o.tag_ == "NNS"
            and not any(k.dep_ == "nummod" for k in o.children) for o in c.children) for t in spans for c in t.children):
        return True
    for _ in range(4):
        if any(c.dep_ == "advmod" and c.lower_ in _FREQUENCY for c in tok.children):
            return True
        if tok.dep_ not in ("xcomp", "conj") or tok.head.i == tok.i:
            return False
        tok = tok.head
    return False


def _purpose(clause: Token) -> bool:
    """An adverbial infinitive or "so that" clause: what someone acts for, not what happened."""
    marks = {c.lower_ for c in clause.children if c.dep_ in ("mark", "aux")}
    return clause.tag_ == "VB" and "to" in marks or "so" in marks or "order" in {c.lower_ for c in clause.lefts}


def _parts(code: str | None) -> list[str]:
    return [code[i:i + 3] for i in range(0, len(code), 3)] if code else []


def _sectors(code: str | None) -> tuple[str, set[str]]:
    """(country, sectors) of a CAMEO actor code: "USAMIL" -> ("USA", {"MIL"}), "GOV" -> ("", {"GOV"})."""
    parts = _parts(code)
    country = next((p for p in parts if p not in SECTORS), "")
    return country, {p for p in parts if p in SECTORS}


def _command(src_code: str | None, tgt_code: str | None) -> bool:
    """A government or commander addressing its own forces or government: the target's sector
    is MIL, COP or GOV, the source's GOV or MIL, and their countries do not differ."""
    (src_country, src), (tgt_country, tgt) = _sectors(src_code), _sectors(tgt_code)
    return (bool(src & {"GOV", "MIL"}) and bool(tgt & {"MIL", "COP", "GOV"})
            and (not src_country or not tgt_country or src_country == tgt_country))


def _media(code: str | None) -> bool:
    """A news outlet or its staff (Phoenix MED: REUTERS, BBC, JOURNALIST, REPORTER) with no
    political sector: it carries what others say and is not who a statement is aimed at."""
    if not code:
        return False
    parts = {code[i:i + 3] for i in range(0, len(code), 3)}
    return "MED" in parts and not POLITICAL_SECTORS & parts


def _no_one(role: Role | None) -> bool:
    """No target, or only the writer or reader ("you get a letter from Penny", "told me")."""
    return role is None or role.text.lower() in _FIRST_SECOND


def _sector_political(code: str | None) -> bool:
    return bool(code) and is_political(code) and not (len(code or "") == 3 and code not in SECTORS)


def _addressed(verb: Token, asking: bool = False) -> bool:
    """The verb is aimed at someone: its object or its "to/with/against" phrase is a person,
    a group or a name ("urged countries", "criticized the royals", "pleaded with them"), not a
    thing ("emphasizes the need")."""
    heads = [c for c in verb.children if c.dep_ in ("dobj", "dative")]
    for prep in verb.children:
        if prep.dep_ == "prep" and prep.text.upper() in _TARGET_PREPS:
            heads.extend(c for c in prep.children if c.dep_ == "pobj")
    # the writer or reader ("recommended to us", "told me") is no one a news event is aimed at;
    # asked of a plural, it is a group when it names people (an agent noun) or is asked to do
    # something ("urged countries to remain vigilant"), not things ("proposes two pathways")
    asked = not asking or any(c.dep_ == "xcomp" and c.tag_ == "VB" for c in verb.children)
    return any(h.pos_ == "PROPN" or h.lower_ in _PERSONAL - _FIRST_SECOND
               or (h.tag_ in ("NNS", "NNPS") and not _temporal(h) and (asked or _actor_head(h))) for h in heads)


def _cooperation(verb: Token, c: Coded, src_code: str | None, tgt_code: str | None) -> bool:
    """An intent to cooperate or a consultation (roots 03, 04) has a political actor on one side
    and a nameable one on the other: a state, government, party, IGO... acting, or a named actor
    acting towards one ("the activist met the president"; "the Iranian ambassador was summoned"
    by someone unnamed); a drop in the polls that "offers" expectations or a person who
    "attends" a powwow is neither. A block's bare verb ("offer",
    "revive", "travel", "face": no pattern of it matched) names a cooperation only aimed at an
    actor, or done together by a group ("leaders meet"), and not when it acts on a thing
    ("Seoul and Daejeon face lows", "calling the return to school the test")."""
    doc = verb.doc
    if not (is_political(src_code) or _sector_political(tgt_code)
            and (_codable(doc, c.source) or _anaphoric(c.source) or c.source is None and _passive(verb))):
        return False
    if c.by_pattern:
        return True
    thing = next((k for k in verb.children if k.dep_ == "dobj"), None)
    if c.block in _TRIP_BLOCKS and thing is not None:
        return False  # "will depart the House for a role": a trip's object is the place left
    if thing is not None and not (c.target and (phrase := _phrase(thing)) and c.target.start == phrase[0].idx) and not (
            is_political(src_code) and _named_in_prep(verb, c.target, ("to", "with"))):
        return False  # (a political actor's act on a thing, given to a name: "promised an amnesty to X")
    # aimed at a political or named actor: "had gone to hospital" is no visit
    return (c.target is not None and (is_political(tgt_code) or _named(doc, c.target))
            or c.info.root == "04" and _together(doc, c.source))


def _named_in_prep(verb: Token, role: Role | None, preps: tuple[str, ...]) -> bool:
    """The role is a name in one of the verb's own prepositional phrases ("promised an amnesty
    to Hen Vipheak"), not one it got by coordination or from inside the object."""
    return role is not None and _named(verb.doc, role) and any(
        p.dep_ == "prep" and p.lower_ in preps and any(o.dep_ == "pobj" and o.idx == role.head_start
                                                       for o in p.children) for p in verb.children)


def _together(doc, role: Role | None) -> bool:
    """The source names several actors: coordinated ones or a plural noun ("world leaders")."""
    if role is None:
        return False
    if role.others:
        return True
    span = doc.char_span(role.head_start, role.head_end, alignment_mode="expand")
    return span is not None and span[-1].tag_ in ("NNS", "NNPS")


def _depth(tok: Token) -> int:
    n = 0
    while tok.head.i != tok.i and n < 50:
        tok, n = tok.head, n + 1
    return n


def _anaphoric(role: Role | None) -> bool:
    """A third-person pronoun, which the article's earlier names resolve (``event_mentions``),
    or a definite noun phrase that refers back to actors named before ("the group", "the two
    countries"): ``knowledge/actor_references.tsv``."""
    return role is not None and load_references().kind(role.text) is not None


def _reference(phrase: list[Token]) -> bool:
    """A definite noun phrase (not a pronoun) that refers back to actors named before."""
    return len(phrase) > 1 and load_references().kind(" ".join(t.lower_ for t in phrase)) is not None


def _codable(doc, role: Role | None) -> bool:
    if role is None or role.text.lower() in _PRONOUNS:
        return False
    return bool(role.code) or _named(doc, role)


def _named(doc, role: Role) -> bool:
    """A proper name heads the phrase (or is its possessor or compound): "Kincaid police",
    "Israel's army"; not a date ("Saturday night tragedy")."""
    span = doc.char_span(role.head_start, role.head_end, alignment_mode="expand")
    if span is None:
        return False
    head = span[-1]
    near = [head] + [c for c in head.children if c.dep_ in ("compound", "poss")]
    return any(t.pos_ == "PROPN" and not _CALENDAR.match(t.text) for t in near)
