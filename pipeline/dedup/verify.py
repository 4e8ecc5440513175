"""Verify LSH candidates: a pair is a duplicate only on its measured shingle overlap.

LSH only proposes pairs. Each proposal is checked on the true shingle sets: Jaccard similarity
(a syndicated copy with another footer, a typographic variant, a light rewrite) or containment
of the smaller set in the larger (a truncated copy is contained in its original). When an old
article's shingle set was not stored, both are estimated from the MinHash signatures instead.
"""

from __future__ import annotations

import numpy as np

from pipeline.dedup import minhash
from pipeline.dedup.index import DedupIndex
from pipeline.settings import Settings

# Candidates whose signature estimate is this far below what the thresholds require are dropped
# before the exact check. With 64 permutations the estimate's standard deviation is at most
# 0.0625, so 0.15 is over two standard deviations of slack (the benchmark counts what it drops).
PREFILTER_SLACK = 0.15


def overlap(a: np.ndarray, b: np.ndarray) -> tuple[float, float]:
    """(Jaccard, containment of the smaller set in the larger) of two sorted unique hash sets."""
    if not len(a) or not len(b):
        return 0.0, 0.0
    shared = np.intersect1d(a, b, assume_unique=True).size
    return shared / (len(a) + len(b) - shared), shared / min(len(a), len(b))


def estimated_overlap(jaccard: float, size_a: int, size_b: int) -> tuple[float, float]:
    """(Jaccard, containment) from an estimated Jaccard and the two set sizes."""
    if min(size_a, size_b) <= 0:
        return 0.0, 0.0
    shared = jaccard * (size_a + size_b) / (1.0 + jaccard)
    return jaccard, min(1.0, shared / min(size_a, size_b))


def is_duplicate(jaccard: float, containment: float, settings: Settings) -> bool:
    return jaccard >= settings.jaccard_threshold or containment >= settings.containment_threshold


def required_jaccard(size_a: np.ndarray, size_b: np.ndarray, settings: Settings) -> np.ndarray:
    """The smallest Jaccard at which a pair of these sizes can pass either threshold."""
    small = np.minimum(size_a, size_b).astype(float)
    c = settings.containment_threshold
    via_containment = c * small / np.maximum(size_a + size_b - c * small, 1.0)
    return np.minimum(settings.jaccard_threshold, via_containment)


def verified_matches(index: DedupIndex, pairs: np.ndarray, settings: Settings) -> dict[int, list]:
    """newer position -> [(score, older position)] for the candidate pairs that are duplicates.

    The score is max(Jaccard, containment): the overlap that made the pair a duplicate.
    """
    matches: dict[int, list] = {}
    if not len(pairs):
        return matches
    sigs = index.signature_matrix()
    sizes = np.array([m.shingle_count for m in index.members], dtype=np.int64)
    older, newer = pairs[:, 0], pairs[:, 1]
    estimate = minhash.estimated_jaccard(sigs[older], sigs[newer])
    plausible = estimate >= required_jaccard(sizes[older], sizes[newer], settings) - PREFILTER_SLACK
    for o, n, est in zip(older[plausible].tolist(), newer[plausible].tolist(),
                         estimate[plausible].tolist(), strict=True):
        set_o, set_n = index.shingles[o], index.shingles[n]
        if set_o is not None and set_n is not None:
            jaccard, containment = overlap(set_o, set_n)
        else:
            jaccard, containment = estimated_overlap(est, int(sizes[o]), int(sizes[n]))
        if is_duplicate(jaccard, containment, settings):
            matches.setdefault(n, []).append((max(jaccard, containment), o))
    return matches


def pair_score(index: DedupIndex, a: int, b: int) -> float:
    """max(Jaccard, containment) of two indexed articles (exact when both sets are known)."""
    set_a, set_b = index.shingles[a], index.shingles[b]
    if set_a is not None and set_b is not None:
        return max(overlap(set_a, set_b))
    sigs = index.signature_matrix()
    est = float(minhash.estimated_jaccard(sigs[a], sigs[b]))
    return max(estimated_overlap(est, index.members[a].shingle_count, index.members[b].shingle_count))
