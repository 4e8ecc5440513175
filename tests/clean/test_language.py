"""Language identification: the numpy feature count gives py3langid's own answer, bit for bit."""

from __future__ import annotations

import random
from collections import Counter
from pathlib import Path

import numpy as np
import py3langid
import pytest
from py3langid.langid import visit_counts

from pipeline.clean.language import VERIFIED_DEPTHS, NumpyLanguageIdentifier, definite_depth, identifier
from pipeline.clean.stage import language_sample

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
CASES = Path(__file__).parent / "cases"


def _texts() -> list[str]:
    """The seeds, the HTML cases' visible text, pieces of them and awkward strings."""
    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    texts += [p.read_text(encoding="utf-8") for p in sorted(CASES.glob("*.html"))]
    rng = random.Random(3)
    pieces = []
    for text in texts:
        for _ in range(30):
            start = rng.randrange(len(text))
            pieces.append(text[start:start + rng.choice([1, 2, 5, 6, 7, 40, 300, 3000])])
    odd = ["", " ", "\x00", "a", "ПРИВЕТ МИР", "Привет, как дела?", "日本語のテキストです", "é" * 7,
           "NATO AND RUSSIA", "\ud800 lone surrogate", "Straße über Brücken", "🙂" * 5]
    return [language_sample(t) for t in texts] + pieces + odd


def test_installed_model_is_the_verified_one():
    """If py3langid's model changes, the depth must be found again (and the table updated)."""
    model = identifier()
    assert model.fingerprint() in VERIFIED_DEPTHS, "new py3langid model: run definite_depth and record it"
    assert definite_depth(model._moves, model._rows) == VERIFIED_DEPTHS[model.fingerprint()] == model.depth


def test_feature_counts_are_the_byte_walks():
    model = identifier()
    for text in _texts():
        data = model._encode(text)
        walked = visit_counts(model.tk_nextmove, model._rowbase, model.tk_output, data) or Counter()
        features, counts = model.feature_counts(data)
        assert list(zip(features.tolist(), counts.tolist(), strict=True)) == list(walked.items()), repr(text[:60])


def test_classification_equals_py3langid_to_the_bit():
    model = identifier()
    for text in _texts():
        assert model.classify(text) == py3langid.classify(text), repr(text[:60])


def test_an_unverified_model_uses_the_byte_walk():
    class Unverified(NumpyLanguageIdentifier):
        __slots__ = ()

        def feature_counts(self, data):
            raise AssertionError("counted from windows without a verified depth")

    model = Unverified.from_model_file(py3langid.langid.MODEL_FILE)
    model._depth = None
    for text in _texts()[:20]:
        assert model.classify(text) == py3langid.classify(text)


def test_definite_depth_of_small_automata():
    # Two states over bytes: the state is the last byte's parity, so one byte decides it.
    rows = np.array([0, 256])
    parity = np.array([b % 2 for b in range(256)] * 2)
    assert definite_depth(parity, rows) == 1
    # State = the last two bytes' parities (4 states): two bytes decide it.
    rows = np.arange(4) * 256
    moves = np.array([((s % 2) * 2 + b % 2) for s in range(4) for b in range(256)])
    assert definite_depth(moves, rows) == 2
    # A counter of odd bytes mod 2 never forgets its start.
    moves = np.array([(s + b) % 2 for s in range(2) for b in range(256)])
    with pytest.raises(ValueError, match="still depends on its start"):
        definite_depth(moves, np.array([0, 256]))
