"""Text normalisation: the ASCII fast path gives exactly what the general path gives."""

from __future__ import annotations

import random

from pipeline.text import _QUOTES, fold_quotes, normalise_for_hash, normalise_unicode


def test_ascii_fast_path_equals_the_general_path():
    rng = random.Random(5)
    alphabet = [chr(i) for i in range(128)]  # control characters and every ASCII whitespace too
    for _ in range(20000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        assert normalise_for_hash(text) == normalise_unicode(text), repr(text)


def test_typographic_fast_path_equals_the_general_path():
    rng = random.Random(6)
    alphabet = [chr(i) for i in range(32, 128)] + [chr(c) for c in _QUOTES] + ["\u2011", "\u00e9"]
    for _ in range(20000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        assert normalise_for_hash(text) == normalise_unicode(text), repr(text)


def test_typographic_variants_normalise_alike():
    assert normalise_for_hash("Putin\u2019s  \u201cred lines\u201d \u2014 NATO") == \
        normalise_for_hash("putin's \"red lines\" - nato") == "putin's \"red lines\" - nato"
    assert normalise_for_hash("``Stra\u00dfe``") == "''strasse''"


def test_fold_quotes_is_translate():
    """The replace chain gives what one translate() gives, keys next to each other included."""
    rng = random.Random(7)
    alphabet = [chr(c) for c in _QUOTES] + ["a", " ", "'", '"', "-", ".", "\u00e9", "\u4e2d"]
    for _ in range(20000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        assert fold_quotes(text) == text.translate(_QUOTES), repr(text)
