"""The one spaCy parse of an article: model loading, batching, sentence boundaries.

The model is loaded once per process and only with the components extraction needs: the
statistical NER (which has its own tok2vec in en_core_web_sm) and the cheap ``senter``
sentence recogniser. tagger/parser/lemmatizer/attribute_ruler are excluded: NER output is
identical without them and the pipe is markedly faster.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from pipeline.errors import ConfigError
from pipeline.settings import Settings

_NOT_NEEDED = ["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer"]
# A blank line is a paragraph break: no sentence spans it, whatever the model says.
_PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v]*\n\s*")
# Scraped text often loses the space between sentences ("the Cold War.The NATO-Russia..."):
# a full stop after a lower-case word, glued to a capitalised word, ends a sentence.
_GLUED_SENTENCE = re.compile(r"(?<=[a-z]{2}[.!?])(?=[“\"‘']?[A-Z][a-z])|(?<=[a-z]{2}[.!?][”\"’])(?=[A-Z][a-z])")


@lru_cache(maxsize=4)
def load_nlp(model_name: str) -> Language:
    """Load ``model_name`` once per process with NER and a sentence splitter only."""
    try:
        nlp = spacy.load(model_name, exclude=_NOT_NEEDED)
    except OSError as exc:  # model package missing: an install problem, not a data problem
        raise ConfigError(f"spaCy model {model_name!r} is not installed",
                          hint="install the project's pinned dependencies (make install)") from exc
    if "senter" in nlp.component_names:
        nlp.enable_pipe("senter")
    elif "parser" not in nlp.pipe_names:
        nlp.add_pipe("sentencizer", first=True)
    return nlp


@lru_cache(maxsize=4)
def load_tagger(model_name: str) -> Language:
    """The same model's part-of-speech tagger alone (its own tok2vec), for the few sentences
    where a word class decides a name's edge ("Taking Archie outside ...")."""
    return spacy.load(model_name, exclude=["ner", "parser", "senter", "lemmatizer", "attribute_ruler"])


def first_word_tag(text: str, start: int, settings: Settings) -> str:
    """The tagger's tag (Penn Treebank) for the word at ``start`` of ``text``."""
    doc = load_tagger(settings.spacy_model)(text)
    token = next((t for t in doc if t.idx >= start), None)
    return token.tag_ if token is not None else ""


@lru_cache(maxsize=1)
def _rule_splitter() -> Language:
    """A rule-based sentence splitter for text beyond the NER cut (no model, very cheap)."""
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


@dataclass
class Parse:
    """One text's parse as plain data: the model's entity spans in its first ``cut`` chars
    ``(start_char, end_char, label)``, and the sentence spans of all of it."""

    ents: list[tuple[int, int, str]]
    cut: int
    sentences: list[tuple[int, int]]


def _split_paragraphs(text: str, start: int, end: int) -> list[tuple[int, int]]:
    spans, pos = [], start
    for m in _PARAGRAPH_BREAK.finditer(text, start, end):
        spans.append((pos, m.start()))
        pos = m.end()
    spans.append((pos, end))
    out = []
    for s, e in spans:
        for m in _GLUED_SENTENCE.finditer(text, s, e):
            if m.start() > s:
                out.append((s, m.start()))
                s = m.start()
        out.append((s, e))
    return out


def _trimmed(text: str, spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    out = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
    return out


def sentence_spans(doc: Doc, text: str, offset: int = 0) -> list[tuple[int, int]]:
    """Sentence (start, end) char spans of ``doc`` (shifted by ``offset`` into ``text``),
    also split at paragraph breaks and trimmed of surrounding whitespace."""
    spans: list[tuple[int, int]] = []
    for sent in doc.sents:
        s, e = offset + sent.start_char, offset + sent.end_char
        spans.extend(_split_paragraphs(text, s, e))
    return _trimmed(text, spans)


# spaCy refuses a text over its max_length (E088, 1,000,000 chars) outright: the rule splitter
# takes long text in pieces cut at a line or word break, so any length splits, in linear time.
_RULE_PIECE_CHARS = 200_000


def _rule_spans(text: str, start: int = 0) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    while start < len(text):
        end = start + _cut_point(text[start:start + _RULE_PIECE_CHARS + 1], _RULE_PIECE_CHARS)
        spans.extend(sentence_spans(_rule_splitter()(text[start:end]), text, offset=start))
        start = end
    return spans


def rule_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans without the model (text the model is not run on)."""
    return _rule_spans(text)


def paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of the text's paragraphs: the pieces between blank lines (which no
    sentence of ``sentence_spans`` crosses), blank ones included."""
    spans, pos = [], 0
    for m in _PARAGRAPH_BREAK.finditer(text):
        spans.append((pos, m.start()))
        pos = m.end()
    spans.append((pos, len(text)))
    return spans


def rule_sentences_in(text: str, regions: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """The spans of ``rule_sentences(text)`` that lie in ``regions``, each a run of whole
    ``paragraphs``, without splitting the text outside them.

    A region split on its own gives the same spans as the whole text does there: the
    sentencizer's state after a blank line is the same whatever precedes it (a whitespace
    token ends any pending sentence), and spans are cut at the blank line anyway. Text long
    enough to be split in pieces is cut where the pieces fall, so it is split whole.
    """
    if len(text) > _RULE_PIECE_CHARS:
        return _spans_inside(_rule_spans(text), sorted(regions))
    spans: list[tuple[int, int]] = []
    for start, end in regions:
        spans.extend(sentence_spans(_rule_splitter()(text[start:end]), text, offset=start))
    return spans


def _spans_inside(spans: list[tuple[int, int]], regions: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The ``spans`` (in text order) that lie inside one of the sorted, disjoint ``regions``: one
    walk over both, linear however many paragraphs a long text has."""
    inside: list[tuple[int, int]] = []
    i = 0
    for s, e in spans:
        while i < len(regions) and regions[i][1] < e:
            i += 1
        if i < len(regions) and regions[i][0] <= s:
            inside.append((s, e))
    return inside


def load_models(settings: Settings) -> None:
    """The model and the rule splitter loaded in this process: forked workers share their pages."""
    load_nlp(settings.spacy_model)
    load_tagger(settings.spacy_model)
    _rule_splitter()


def model_language(settings: Settings) -> str:
    return load_nlp(settings.spacy_model).lang or ""


def _cut_point(text: str, max_chars: int) -> int:
    if len(text) <= max_chars:
        return len(text)
    # cut at whitespace so no token is split in two
    ws = text.rfind(" ", max_chars // 2, max_chars)
    nl = text.rfind("\n", max_chars // 2, max_chars)
    best = max(ws, nl)
    return best if best > max_chars // 2 else max_chars


def _parse(doc: Doc, text: str, cut: int) -> Parse:
    sentences = sentence_spans(doc, text)
    if cut < len(text):
        sentences.extend(_rule_spans(text, cut))
    return Parse(ents=[(e.start_char, e.end_char, e.label_) for e in doc.ents], cut=cut, sentences=sentences)


def parse_texts(texts: list[str], settings: Settings) -> list[Parse]:
    """Parse texts with ``nlp.pipe``; texts longer than ``nlp_max_chars`` are cut for NER and
    the rest gets rule-based sentence boundaries only.

    Callers spread big batches over the cores by handing chunks of texts to the executor
    (pipeline.executor): each worker runs the model in-process and sends back only the parse as
    plain data. spaCy's own ``n_process`` sends every Doc back to be rebuilt (msgpack), and the
    parent then competes with the workers for a core: on 2 cores chunked workers parsed the same
    texts 3-15% faster.
    """
    nlp = load_nlp(settings.spacy_model)
    limit = min(settings.nlp_max_chars, nlp.max_length - 1)  # a larger setting would raise E088
    cuts = [_cut_point(t, limit) for t in texts]
    docs = nlp.pipe((t[:cut] for t, cut in zip(texts, cuts, strict=True)), batch_size=settings.nlp_batch_size)
    return [_parse(doc, text, cut) for doc, text, cut in zip(docs, texts, cuts, strict=True)]
