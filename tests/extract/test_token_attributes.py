"""The coder's parse with its attribute_ruler and lemmatizer worked out once per distinct token
(``token_attributes``) gives every token the attributes the model's own components give it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc

from pipeline.extract.cameo_coder import load_parser, parse_text
from pipeline.extract.nlp import rule_sentences
from pipeline.extract.token_attributes import TokenAttributes, replace_rule_components
from pipeline.settings import load_settings

TESTS = Path(__file__).resolve().parents[1]
# Rules over two tokens and rules on the dependency label or on whitespace: "there are"
# (expletive), "gonna", "ain't", "y'all", "let's", "I"/"it" as subject and object, "but" as an
# adverb, a blanked wire dateline (a run of spaces), and the words of the tag-map exceptions.
EDGE = [
    "There are reports that there were clashes, and there is no sign of talks.",
    "We're gonna meet them and they ain't gonna stop us, y'all know it.",
    "Let's go, said the minister; it was but a promise and I told it to him.",
    "           The army said nothing to anyone and somebody gave everything away.",
    "Those who had done it did so because they had to; I'd have, and he'd gone.",
    "You gave it to me.  It hurts,  but we cannot and won't stop.",
]


def _sentences() -> list[str]:
    texts = list(EDGE)
    cases = TESTS / "extract" / "cases" / "events" / "typed_sentences.jsonl"
    texts += [json.loads(line)["text"] for line in cases.read_text(encoding="utf-8").splitlines()]
    for path in sorted((TESTS / "dedup" / "cases").glob("*.txt")):
        body = path.read_text(encoding="utf-8")
        texts += [parse_text(body, s, e) for s, e in rule_sentences(body)]
    return texts


def _attrs(doc: Doc) -> list[tuple[str, ...]]:
    return [(t.text, t.tag_, t.pos_, t.dep_, str(t.head.i), str(t.morph), t.lemma_) for t in doc]


@pytest.fixture(scope="module")
def model() -> Language:
    return spacy.load(load_settings(env={}).spacy_model, exclude=["ner", "senter"])


def test_same_attributes_as_the_models_components(model: Language) -> None:
    fast = load_parser(load_settings(env={}).spacy_model)
    assert fast.pipe_names[-1] == "token_attributes"
    assert "attribute_ruler" not in fast.pipe_names and "lemmatizer" not in fast.pipe_names
    texts = _sentences()
    assert len(texts) > 150
    # Twice: the second pass reads every token's attributes from the stored keys.
    for _ in range(2):
        for text, want, got in zip(texts, model.pipe(texts), fast.pipe(texts), strict=True):
            assert _attrs(got) == _attrs(want), text
    by_text = {t.text: t for t in fast(EDGE[0])}
    assert by_text["are"].pos_ == "VERB"  # the expletive rule over two tokens
    gonna = fast(EDGE[1])
    assert [t.lemma_ for t in gonna if t.lower_ in ("gon", "na")] == ["go", "to", "go", "to"]
    assert fast(EDGE[3])[0].pos_ == "SPACE"


def test_a_model_whose_rules_read_other_attributes_keeps_its_components() -> None:
    nlp = spacy.load(load_settings(env={}).spacy_model, exclude=["ner", "senter"])
    nlp.get_pipe("attribute_ruler").add([[{"SHAPE": "Xxxx", "TAG": "NNP"}]], {"MORPH": "Foreign=Yes"})
    assert replace_rule_components(nlp).pipe_names[-2:] == ["attribute_ruler", "lemmatizer"]
    assert nlp("Rome is far.")[0].morph.get("Foreign") == ["Yes"]


def test_the_lemmatizers_word_lists_answer_alike_as_sets(model: Language) -> None:
    ruler, lemmatizer = model.get_pipe("attribute_ruler"), model.get_pipe("lemmatizer")
    index = lemmatizer.lookups.get_table("lemma_index")
    before = {pos: sorted(words) for pos, words in index.items()}
    TokenAttributes(ruler, lemmatizer)
    assert {pos: sorted(words) for pos, words in index.items()} == before
    assert all(isinstance(words, frozenset) for words in index.values())
