"""Language identification: py3langid's model and decision, its feature counting in numpy.

py3langid counts byte n-gram features by walking a DFA one byte at a time in Python (about
1 ms per article sample). Its DFA is *6-definite*: after any 6 bytes the state no longer
depends on where the walk started (`definite_depth` finds it; 4 s, so the result is recorded
per model fingerprint below and recomputed by the tests, and only looked up at load). So the
state after byte i is the walk from the start state over bytes i-5..i alone, and all the
states of a text come from 6 vectorised lookups. The features and their first-seen order
are then the ones the byte walk gives, and py3langid's own scoring and decision run on them:
the same language and score for every text (tests/clean/test_language.py compares the two).
Memory: the transitions as int64 and the table as float32 add ~130 MiB to a process, shared
with the workers forked after the model loads.
"""

from __future__ import annotations

import functools
import hashlib

import numpy as np
from py3langid.langid import MODEL_FILE, LanguageIdentifier

# A walk that has not collapsed after this many bytes means a model unlike py3langid 0.4's.
_MAX_DEPTH = 12
# Models whose depth `definite_depth` has found (tests/clean/test_language.py recomputes it):
# any other model is counted by py3langid's own byte walk.
VERIFIED_DEPTHS = {"5fddab200bb1eeb0b03b525a219d11f1eb38949da05963f6bf0899ea2a912a15": 6}


class NumpyLanguageIdentifier(LanguageIdentifier):
    """py3langid's identifier with `_raw_score` counting features in numpy."""

    __slots__ = ("_depth", "_moves", "_outputs", "_rows", "_table")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._moves = np.asarray(self.tk_nextmove, dtype=np.int64)
        self._rows = np.asarray(self._rowbase, dtype=np.int64)
        self._outputs = np.asarray(self.tk_output, dtype=np.int64)
        self._depth = VERIFIED_DEPTHS.get(self.fingerprint())
        self._table = self._widened()

    def fingerprint(self) -> str:
        """The DFA's identity: its transitions, row offsets and outputs."""
        digest = hashlib.sha256()
        for table in (self._moves, self._rows, self._outputs):
            digest.update(table.tobytes())
        return digest.hexdigest()

    @property
    def depth(self) -> int | None:
        """Bytes after which the DFA forgets its start; None for a model not verified here."""
        return self._depth

    def set_languages(self, langs=None) -> None:  # noqa: ANN001 - py3langid's signature
        super().set_languages(langs)
        self._table = self._widened()

    def _widened(self) -> np.ndarray:
        # The model's float16 table as float32, once: numpy widens the rows it gathers to
        # float32 before the product anyway, so the scores are the same to the bit, and the
        # per-text widening was half of py3langid's time.
        return self.nb_ptc.astype(np.float32)

    def feature_counts(self, data: bytes) -> tuple[np.ndarray, np.ndarray]:
        """(features, counts) in first-seen order: what py3langid's byte walk counts."""
        letters = np.frombuffer(data, dtype=np.uint8).astype(np.int64)
        n = len(letters)
        states = np.zeros(n, dtype=np.int64)
        for back in range(min(self._depth, n) - 1, -1, -1):
            # Position i takes byte i-back; positions before the text's start stay at state 0.
            states[back:] = self._moves[self._rows[states[back:]] + letters[: n - back]]
        emitted = self._outputs[states]
        positions = np.flatnonzero(emitted >= 0)
        if not len(positions):
            return positions, positions
        # One sort of (feature, position) keys gives each feature's count and first position.
        shift = max(1, n.bit_length())
        keys = np.sort((emitted[positions] << shift) | positions)
        ordered = keys >> shift
        starts = np.flatnonzero(np.concatenate(([True], ordered[1:] != ordered[:-1])))
        counts = np.diff(np.append(starts, len(keys)))
        first_seen = np.argsort(keys[starts] & ((1 << shift) - 1))
        return ordered[starts][first_seen], counts[first_seen]

    def _raw_score(self, text):  # noqa: ANN001, ANN202 - py3langid's signature
        if self._depth is None:
            return super()._raw_score(text)
        features, counts = self.feature_counts(text)
        if not len(features):
            return super()._raw_score(b"")
        # py3langid's _sparse_score on the same features in the same order.
        return np.log1p(counts.astype(np.float32)) @ self._table[features] + self.nb_pc


def definite_depth(moves: np.ndarray, rows: np.ndarray) -> int:
    """The k for which every k-byte word leads every state to one state (the DFA forgets its
    past after k bytes), found by walking the sets of states that words lead all states to.
    Seconds of work: run by the tests for the model installed, not at load time."""
    letters = np.arange(256, dtype=np.int64)
    images = [np.arange(len(rows), dtype=np.int64)]
    for depth in range(1, _MAX_DEPTH + 1):
        following: set[tuple[int, ...]] = set()
        for image in images:
            if len(image) > 4096:  # the start: one letter at a time keeps memory small
                reached_by = [np.unique(moves[rows[image] + letter]) for letter in range(256)]
            else:
                reached = moves[rows[image][:, None] + letters[None, :]]
                spread = np.flatnonzero(reached.min(axis=0) != reached.max(axis=0))
                reached_by = [np.unique(reached[:, letter]) for letter in spread]
            following.update(tuple(r.tolist()) for r in reached_by if len(r) > 1)
        if not following:
            return depth
        images = [np.asarray(image, dtype=np.int64) for image in following]
    raise ValueError(f"py3langid's DFA still depends on its start after {_MAX_DEPTH} bytes: "
                     "counting features from a window is not valid for this model")


@functools.cache
def identifier() -> NumpyLanguageIdentifier:
    """Loaded once per process (workers forked after it share it)."""
    return NumpyLanguageIdentifier.from_model_file(MODEL_FILE)


def identify(text: str) -> str | None:
    code, _ = identifier().classify(text)
    return code or None
