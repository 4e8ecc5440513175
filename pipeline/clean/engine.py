"""Paragraph- and sentence-level boilerplate removal over one article's paragraphs.

The rules come from rules.toml; a few structural signals live here because they look at
the article's shape rather than at a phrase:

- ``repeated:repeated_paragraph`` / ``caption:repeated_paragraph``: a paragraph printed twice
  (typically a caption) keeps its first copy;
- ``page_metadata:date_line`` / ``page_metadata:meta_line``: a line that is only a date, or
  a short " | "-separated line holding a date (the parser reads the dateline first);
- ``related_teaser:teaser_list``: headline-like lines after a related-stories heading, when
  they run to the end of the article;
- ``trailing:furniture``: short label lines ("Show more news", "Next Post") after the last
  prose paragraph, once boilerplate has been found there;
- ``trailing:signoff``: agency or author initials closing the article ("RIRM", "(dpa)");
- ``recurring:publisher_line``: a line recurring across many articles of the same publisher.

Questions, quoted lines and anything ending like a sentence are never trailing furniture;
a question is taken only as a headline inside a teaser list (after a related-stories
heading, running to the end). Phrase rules are anchored to furniture wording.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from pipeline.clean.dates import is_date_only
from pipeline.clean.rules import Rule, RuleSet
from pipeline.regex_prefilter import LiteralIndex, fold
from pipeline.text import normalise_for_hash

_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"”’»)]*\s+")
_TERMINAL = ('.', '?', '!', '"', '”', '“', "'", '’', '»', '«', ')', ':', ';', ',', '…')
_QUOTES = re.compile(r"[\"“”«»„]")
_LIST_OR_TABLE = ("- ", "* ", "• ", "|")
MIN_WORDS_FOR_REPEAT = 4
TEASER_MAX_WORDS = 25
EXCERPT_MAX_WORDS = 80
LEFTOVER_MAX_WORDS = 3  # 'Thank you!' left beside a removed appeal goes with it
FURNITURE_MAX_WORDS = 6
RECURRING_MAX_SHARE = 0.5  # a "recurring" majority means a re-fetched copy, not boilerplate


@dataclass
class Removal:
    index: int  # paragraph index in the raw article
    offset: int  # character offset inside that paragraph
    rule: str
    text: str


@dataclass
class Cleaned:
    paragraphs: list[str] = field(default_factory=list)
    removals: list[Removal] = field(default_factory=list)
    captions: list[tuple[int, str]] = field(default_factory=list)


@dataclass
class _Para:
    index: int
    text: str
    norm: str
    removed_by: str | None = None
    is_caption: bool = False
    heading_block: bool = False
    sentences: list[tuple[int, str, Rule | None]] | None = None

    @property
    def words(self) -> int:
        return len(self.text.split())


def split_sentences(text: str) -> list[tuple[int, str]]:
    """(offset, sentence) pairs; a split needs the next sentence to start with a non-lowercase char."""
    pieces: list[tuple[int, str]] = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        nxt = text[m.end():m.end() + 1]
        if not nxt or nxt.islower():
            continue
        pieces.append((start, text[start:m.end()].rstrip()))
        start = m.end()
    if start < len(text):
        pieces.append((start, text[start:]))
    return [(o, s) for o, s in pieces if s.strip()]


def _is_furniture(p: _Para) -> bool:
    """A short label line (e.g. 'Show more news'): no sentence ending, quote, comma, table cell
    or handle; a clause with a comma or a table row is content even when short."""
    text = p.text.strip()
    return (0 < p.words <= FURNITURE_MAX_WORDS and not text.endswith(_TERMINAL)
            and not _QUOTES.search(text) and not any(c in text for c in ",|@"))


def _is_teaser(p: _Para) -> bool:
    """A headline-like line: short, and not a full sentence or a lead-in to a list."""
    text = p.text.strip()
    if text.endswith(("...", "…", "[…]", "[...]")):  # a truncated excerpt of another story
        return p.words <= EXCERPT_MAX_WORDS
    return 0 < p.words <= TEASER_MAX_WORDS and not text.endswith(('.', ':', ';', ','))


def _is_meta_line(p: _Para) -> bool:
    """'January 13, 2020 at 08:45 AM | categories: Python' — a short piped line with a date."""
    if "|" not in p.text or p.words > 15:
        return False
    return any(is_date_only(part) for part in p.text.split("|") if part.strip())


def _first_match(rules: tuple[Rule, ...], text: str, words: int) -> Rule | None:
    folded = fold(text)
    for rule in rules:
        if words <= rule.max_words and rule.matches(text, folded):
            return rule
    return None


@dataclass(frozen=True)
class _Rules:
    paragraph: tuple[Rule, ...]
    sentence: tuple[Rule, ...]


class Cleaner:
    """Applies one RuleSet; stateless between articles."""

    def __init__(self, rules: RuleSet):
        self._rules = rules
        self.paragraph_rules = rules.of_scope("paragraph") + rules.of_scope("heading_block")
        self.sentence_rules = rules.of_scope("sentence")
        self.inline_rules = rules.of_scope("inline")
        self._paragraph_index = LiteralIndex([r.regex for r in self.paragraph_rules])
        self._sentence_index = LiteralIndex([r.regex for r in self.sentence_rules])
        self._sentence_position = {id(r): i for i, r in enumerate(self.sentence_rules)}

    def __reduce__(self) -> tuple[type[Cleaner], tuple[RuleSet]]:
        return Cleaner, (self._rules,)  # rebuilt where unpickled: its lookups are keyed by object id

    def clean(self, paragraphs: list[tuple[int, str]],
              is_recurring: Callable[[str], bool] | None = None, title: str | None = None) -> Cleaned:
        paras = [_Para(i, t.strip(), normalise_for_hash(t)) for i, t in paragraphs if t.strip()]
        out = Cleaned()
        rules = self._rules_for(paras)
        recurring = self._recurring(paras, is_recurring)
        # The title echoed further down is a teaser for this same story (a leading one stays).
        seen: dict[str, _Para] = {normalise_for_hash(title): _Para(-1, title, "")} if title else {}
        for p in paras:
            self._classify(p, seen, recurring, p is paras[0], rules)
        self._teaser_lists(paras)
        self._trailing_furniture(paras)
        self._signoff(paras)
        for p in paras:
            if p.removed_by:
                out.removals.append(Removal(p.index, 0, p.removed_by, p.text))
                if p.is_caption and not p.removed_by.endswith("repeated_paragraph"):
                    out.captions.append((p.index, p.text))
                continue
            text = self._sentences(p, out, rules.sentence)
            text = self._inline(p.index, text, out) if text else text
            if text.strip():
                out.paragraphs.append(text.strip())
        out.removals.sort(key=lambda r: (r.index, r.offset))
        return out

    # -- passes -------------------------------------------------------------------
    @staticmethod
    def _recurring(paras: list[_Para], is_recurring: Callable[[str], bool] | None) -> set[int]:
        if is_recurring is None:
            return set()
        # A quote repeated in follow-up stories is the news, not the publisher's furniture.
        hits = {id(p) for p in paras if not _QUOTES.search(p.text) and is_recurring(p.norm)}
        total = sum(p.words for p in paras) or 1
        share = sum(p.words for p in paras if id(p) in hits) / total
        return hits if share <= RECURRING_MAX_SHARE else set()

    def _rules_for(self, paras: list[_Para]) -> _Rules:
        """The rules that can match somewhere in this article. Paragraph rules see each
        paragraph's normal form, a substring of their join: a rule whose required literals the
        join lacks is dropped for the whole article. Sentence rules likewise when every normal
        form is ASCII (then each sentence's is a substring of its paragraph's)."""
        joined = " ".join(p.norm for p in paras)
        folded = fold(joined)
        kept = self._paragraph_index.possible(joined, folded)
        paragraph = tuple(r for i, r in enumerate(self.paragraph_rules) if i in kept)
        if not joined.isascii():
            return _Rules(paragraph, self.sentence_rules)
        kept = self._sentence_index.possible(joined, folded)
        return _Rules(paragraph, tuple(r for i, r in enumerate(self.sentence_rules) if i in kept))

    def _classify(self, p: _Para, seen: dict[str, _Para], recurring: set[int], leading: bool,
                  rules: _Rules) -> None:
        first = seen.get(p.norm)
        if first is not None and first.index < 0 and not leading:
            p.removed_by = "repeated:title_line"
            return
        if first is not None and first.index >= 0 and p.words >= MIN_WORDS_FOR_REPEAT \
                and not p.text.startswith(_LIST_OR_TABLE):  # repeated rows of a list are its content
            family = "caption" if first.is_caption else "repeated"
            p.removed_by = f"{family}:repeated_paragraph"
            return
        seen.setdefault(p.norm, p)
        # Table cells arrive as "| label |": the pipes are layout, not words.
        probe = p.norm.strip(" |")
        rule = _first_match(rules.paragraph, probe, len(probe.split())) or self._all_sentences(p, rules.sentence)
        if rule is not None:
            p.removed_by = rule.label
            p.is_caption = rule.action == "caption"
            p.heading_block = rule.scope == "heading_block"
        elif id(p) in recurring:
            p.removed_by = "recurring:publisher_line"
        elif p.words <= 12 and is_date_only(p.text):
            p.removed_by = "page_metadata:date_line"
        elif _is_meta_line(p):
            p.removed_by = "page_metadata:meta_line"

    def _sentence_hits(self, p: _Para, rules: tuple[Rule, ...]) -> list[tuple[int, str, Rule | None]]:
        """(offset, sentence, matching rule or None), computed once per paragraph."""
        if p.sentences is None:
            p.sentences = []
            if p.norm.isascii() and rules:
                # An ASCII sentence's normal form is a substring of its paragraph's, so a rule
                # whose required literal the paragraph lacks cannot match any of its sentences.
                kept = self._sentence_index.possible(p.norm, p.norm)
                rules = tuple(r for r in rules if self._sentence_position[id(r)] in kept)
            for offset, sentence in split_sentences(p.text):
                rule = _first_match(rules, normalise_for_hash(sentence), len(sentence.split())) if rules else None
                p.sentences.append((offset, sentence, rule))
        return p.sentences

    def _all_sentences(self, p: _Para, rules: tuple[Rule, ...]) -> Rule | None:
        """The sentence rule that matches when the paragraph is boilerplate throughout: every
        sentence matches, or (in a short paragraph) what is left is a courtesy like 'Thank you!'."""
        hits = self._sentence_hits(p, rules)
        first = next((rule for _, _, rule in hits if rule is not None), None)
        leftover = sum(len(sentence.split()) for _, sentence, rule in hits if rule is None)
        if first is None or leftover > (LEFTOVER_MAX_WORDS if p.words <= 40 else 0):
            return None
        return first

    @staticmethod
    def _teaser_lists(paras: list[_Para]) -> None:
        for pos, p in enumerate(paras):
            if not p.heading_block:
                continue
            run: list[_Para] = []
            for q in paras[pos + 1:]:
                if q.removed_by:
                    continue
                if not _is_teaser(q):
                    run = []
                    break
                run.append(q)
            for q in run:
                q.removed_by = "related_teaser:teaser_list"

    @staticmethod
    def _trailing_furniture(paras: list[_Para]) -> None:
        last_prose = -1
        for pos, p in enumerate(paras):
            if not p.removed_by and not _is_furniture(p):
                last_prose = pos
        tail = paras[last_prose + 1:]
        # A repeated paragraph (a chorus, a caption) is no sign that the article has ended.
        if not any(p.removed_by and not p.removed_by.startswith("repeated:") for p in tail):
            return
        for p in tail:
            if not p.removed_by:
                p.removed_by = "trailing:furniture"

    @staticmethod
    def _signoff(paras: list[_Para]) -> None:
        """Agency or author initials closing the article ('RIRM', '(dpa)', 'AP')."""
        kept = [p for p in paras if not p.removed_by]
        if len(kept) < 2:
            return
        last = kept[-1].text.strip()
        if len(last) <= 15 and len(last.split()) <= 2 and any(c.isalpha() for c in last) \
                and not any(c.islower() for c in last):
            kept[-1].removed_by = "trailing:signoff"

    def _sentences(self, p: _Para, out: Cleaned, rules: tuple[Rule, ...]) -> str:
        hits = [(o, s, r) for o, s, r in self._sentence_hits(p, rules) if r is not None]
        if not hits:
            return p.text
        for offset, sentence, rule in hits:
            out.removals.append(Removal(p.index, offset, rule.label, sentence))
        return " ".join(s for _, s, r in self._sentence_hits(p, rules) if r is None)

    def _inline(self, index: int, text: str, out: Cleaned) -> str:
        for rule in self.inline_rules:
            if rule.action == "repair":
                text = rule.regex.sub(rule.replacement, text)
                continue
            for m in rule.regex.finditer(text):
                out.removals.append(Removal(index, m.start(), rule.label, m.group(0)))
            text = rule.regex.sub("", text)
        return text
