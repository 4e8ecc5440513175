"""The model's attribute_ruler and lemmatizer, applied per distinct token instead of per token.

In the coder's parse (tok2vec, tagger, parser, attribute_ruler, lemmatizer) the two rule
components cost as much as the parser: the ruler runs its ~180 patterns' matcher over every
token, and the lemmatizer re-reads each token's part of speech and morphology in Python. Their
outputs depend on little: a single-token ruler pattern reads only the token's own lower-case
form, tag, dependency label and whitespace flag (and the lower-case form only as one of the few
words or regular expressions the patterns name), and the rule lemmatizer reads only the token's
form, part of speech and morphology. So each distinct such key is worked out once, by the
model's own matcher and lemmatizer, and every further token with that key is given the stored
result in bulk (``Doc.from_array``). Patterns over several tokens still run on each doc (their
own small matcher). Same attributes as the two components, token for token: the test compares
them on real sentences.

A model whose ruler reads other attributes, or whose lemmatizer is not the rule one, keeps its
own components (``replace_rule_components`` leaves the pipeline as it is).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import cast

import numpy
from spacy.attrs import DEP, LEMMA, LOWER, MORPH, ORTH, POS, TAG
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.pipeline import AttributeRuler, Lemmatizer
from spacy.strings import get_string_id
from spacy.tokens import Doc
from spacy.tokens._retokenize import set_token_attrs
from thinc.types import Ints2d

FACTORY = "newsmon_token_attributes"
# Attributes a single-token pattern may test for its result to be a function of the key.
_KEYED = {"LOWER", "TAG", "DEP", "IS_SPACE"}
_IN_ARRAY = {POS, MORPH, LEMMA}  # what from_array writes; any other attribute is set per token
_OTHER = (-1, -1, -1)
# A bound on the memo tables (distinct forms): past it they start again, the output unchanged.
_MAX_MEMO = 500_000


def _lower_words(spec: object, words: set[str], regexes: list[re.Pattern[str]]) -> bool:
    """Collect what a LOWER condition names; False if it is of a kind not understood."""
    if isinstance(spec, str):
        words.add(spec)
        return True
    if not isinstance(spec, dict):
        return False
    for op, value in spec.items():
        if op in ("IN", "NOT_IN") and isinstance(value, list) and all(isinstance(v, str) for v in value):
            words.update(value)
        elif op == "REGEX" and isinstance(value, str):
            regexes.append(re.compile(value))
        else:
            return False
    return True


def _needs(pattern: list[dict], regexes: list[re.Pattern[str]]) -> list[tuple[int, frozenset[int]]]:
    """What a doc must hold for a pattern over several tokens to match it: for each pattern token
    that names its word (LOWER: a word, a list, a regular expression), dependency label or tag,
    (attribute, values) one of which some token of the doc has. A regular expression is
    (-1, {its index in ``regexes``})."""
    needs = []
    for token in pattern:
        for attr, name in ((LOWER, "LOWER"), (DEP, "DEP"), (TAG, "TAG")):
            spec = token.get(name)
            values = [spec] if isinstance(spec, str) else spec.get("IN") if isinstance(spec, dict) and len(spec) == 1 else None
            if isinstance(values, list):
                needs.append((attr, frozenset(get_string_id(v) for v in values)))
                break
            if attr == LOWER and isinstance(spec, dict) and set(spec) == {"REGEX"}:
                regexes.append(re.compile(spec["REGEX"]))
                needs.append((-1, frozenset({len(regexes) - 1})))
                break
    return needs


class TokenAttributes:
    """attribute_ruler then lemmatizer (rule mode, no overwrite), memoised per token key."""

    def __init__(self, ruler: AttributeRuler, lemmatizer: Lemmatizer) -> None:
        self.ruler, self.lemmatizer = ruler, lemmatizer
        vocab = ruler.vocab
        self.single, self.multi = Matcher(vocab), Matcher(vocab)
        self.words: set[str] = set()
        self.regexes: list[re.Pattern[str]] = []
        # Patterns over several tokens are run on a doc only if it holds what one of them needs.
        self.multi_regexes: list[re.Pattern[str]] = []
        self.multi_needs: list[list[tuple[int, frozenset[int]]]] = []
        self.keyed = lemmatizer.mode == "rule" and not lemmatizer.overwrite
        for i in range(len(ruler.attrs)):
            key = str(i)
            patterns = ruler.matcher.get(key)[1]
            if all(len(p) == 1 for p in patterns):
                self.single.add(key, patterns)
                for p in patterns:
                    self.keyed &= set(p[0]) <= _KEYED and _lower_words(p[0].get("LOWER", ""), self.words,
                                                                          self.regexes)
            else:
                self.multi.add(key, patterns)
                self.multi_needs.extend(_needs(p, self.multi_regexes) for p in patterns)
        # The rule lemmatizer asks whether a form is a known word of its part of speech of
        # lists of up to 60,000 words, which ``in`` reads one by one: sets answer alike.
        index = lemmatizer.lookups.get_table("lemma_index", None) if lemmatizer.lookups else None
        if index is not None:
            for pos, known in list(index.items()):
                if isinstance(known, list):
                    index[pos] = frozenset(known)
        self._lower: dict[int, tuple[int, tuple[int, ...]]] = {}
        self._rules: dict[tuple[int, int, int], tuple[int, ...]] = {}
        self._merged: dict[tuple[int, ...], tuple[int, int, int]] = {}
        self._lemmas: dict[tuple[int, int, int], int] = {}

    def __call__(self, doc: Doc) -> Doc:
        if len(doc):
            self._rule_attrs(doc)
            self._lemmatize(doc)
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterable[Doc]:
        for doc in docs:
            yield self(doc)

    def _lower_key(self, lower: int) -> tuple[int, tuple[int, ...]]:
        """The lower-case form if a single-token pattern names it, else 0 (all other words match
        alike), and which of the several-token patterns' regular expressions it matches."""
        found = self._lower.get(lower)
        if found is None:
            text = self.ruler.vocab.strings[lower]
            named = text in self.words or text.isspace() or any(r.search(text) for r in self.regexes)
            found = self._lower[lower] = (lower if named else 0,
                                          tuple(i for i, r in enumerate(self.multi_regexes) if r.search(text)))
        return found

    def _may_match_multi(self, rows: list[list[int]], lowers: list[tuple[int, tuple[int, ...]]]) -> bool:
        low, tag, dep = (set(column) for column in zip(*rows, strict=True))
        held = {LOWER: low, TAG: tag, DEP: dep, -1: {i for _, found in lowers for i in found}}
        return any(all(not values.isdisjoint(held[attr]) for attr, values in needs) for needs in self.multi_needs)

    def _matched(self, doc: Doc, i: int, key: tuple[int, int, int]) -> tuple[int, ...]:
        found = self._rules.get(key)
        if found is None:
            ids = sorted(int(self.ruler.vocab.strings[m]) for m, _, _ in
                         self.single(doc[i:i + 1], allow_missing=True, as_spans=False))
            found = self._rules[key] = tuple(ids)
        return found

    def _rule_attrs(self, doc: Doc) -> None:
        rows = doc.to_array([LOWER, TAG, DEP]).tolist()
        lowers = [self._lower_key(low) for low, _, _ in rows]
        rules = self._rules
        ids = [rules.get(key) or self._matched(doc, i, key)
               for i, key in enumerate((low, tag, dep) for (low, _), (_, tag, dep) in zip(lowers, rows, strict=True))]
        if self._may_match_multi(rows, lowers):
            for match_id, start, end in self.multi(doc, allow_missing=True, as_spans=False):
                attr_id = int(self.ruler.vocab.strings[match_id])
                index = self.ruler.indices[attr_id]
                at = start + index if index >= 0 else end + index
                if not start <= at < end:
                    raise ValueError(f"attribute_ruler pattern {attr_id} has index {index} outside its match")
                ids[at] = tuple(sorted((*ids[at], attr_id)))
        columns = doc.to_array([POS, MORPH, LEMMA]).T.tolist()
        others = []
        for i, matched in enumerate(ids):
            values = self._merged.get(matched) or self._merge(matched)
            if values is _OTHER:
                others.append(i)
                continue
            for column, value in zip(columns, values, strict=True):
                if value:
                    column[i] = value
        doc.from_array([POS, MORPH, LEMMA], cast(Ints2d, numpy.array(columns, dtype=numpy.uint64).T))
        for i in others:
            set_token_attrs(doc[i], self._attrs(ids[i]))

    def _attrs(self, matched: tuple[int, ...]) -> dict[int, int]:
        attrs: dict[int, int] = {}
        for attr_id in matched:  # in rule order: a later rule's value wins, as in the ruler
            attrs.update(self.ruler.attrs[attr_id])
        return attrs

    def _merge(self, matched: tuple[int, ...]) -> tuple[int, int, int]:
        """The (POS, MORPH, LEMMA) the matched rules set (0: left as it is), or ``_OTHER`` if
        they set another attribute too (set per token)."""
        attrs = self._attrs(matched)
        found = self._merged[matched] = ((attrs.get(POS, 0), attrs.get(MORPH, 0), attrs.get(LEMMA, 0))
                                         if attrs.keys() <= _IN_ARRAY else _OTHER)
        return found

    def _lemmatize(self, doc: Doc) -> None:
        values = doc.to_array([ORTH, POS, MORPH, LEMMA])
        changed = False
        for i, (orth, pos, morph, lemma) in enumerate(values.tolist()):
            if lemma:
                continue
            key = (orth, pos, morph)
            found = self._lemmas.get(key)
            if found is None:
                found = self._lemmas[key] = doc.vocab.strings.add(self.lemmatizer.lemmatize(doc[i])[0])
            values[i, 3] = found
            changed = True
        if changed:
            doc.from_array([LEMMA], cast(Ints2d, values[:, 3:4]))
        if len(self._lemmas) > _MAX_MEMO or len(self._rules) > _MAX_MEMO or len(self._lower) > _MAX_MEMO:
            self._lemmas.clear()
            self._rules.clear()
            self._lower.clear()
            self._merged.clear()


@Language.factory(FACTORY)
def _make(nlp: Language, name: str) -> TokenAttributes:
    ruler, lemmatizer = nlp.get_pipe("attribute_ruler"), nlp.get_pipe("lemmatizer")
    assert isinstance(ruler, AttributeRuler) and isinstance(lemmatizer, Lemmatizer)
    return TokenAttributes(ruler, lemmatizer)


def replace_rule_components(nlp: Language) -> Language:
    """``nlp`` with its attribute_ruler and lemmatizer replaced by one ``TokenAttributes``, where
    the model's rules allow it (see the module's doc); unchanged otherwise."""
    names = nlp.pipe_names
    if "attribute_ruler" not in names or "lemmatizer" not in names \
            or names.index("lemmatizer") != len(names) - 1 or names.index("attribute_ruler") != len(names) - 2:
        return nlp
    ruler, lemmatizer = nlp.get_pipe("attribute_ruler"), nlp.get_pipe("lemmatizer")
    if not isinstance(ruler, AttributeRuler) or not isinstance(lemmatizer, Lemmatizer):
        return nlp
    component = nlp.add_pipe(FACTORY, name="token_attributes")
    if not isinstance(component, TokenAttributes) or not component.keyed:
        nlp.remove_pipe("token_attributes")
        return nlp
    nlp.remove_pipe("attribute_ruler")
    nlp.remove_pipe("lemmatizer")
    return nlp
