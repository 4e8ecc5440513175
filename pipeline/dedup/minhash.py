"""MinHash signatures and LSH banding, vectorised with numpy.

One hash function per permutation, h(x) = ((a*x + b) mod 2**64) >> 32 with odd `a` (multiply-shift,
a 2-universal family for 32-bit keys). Signatures of a whole batch are computed at once: the
shingle sets are concatenated and each permutation's minimum is taken per article with
``np.minimum.reduceat``, which avoids a Python loop per article or per shingle.

The parameters come from a fixed seed through splitmix64 (pure integer arithmetic), so the same
shingle set gets the same signature in every process, numpy version and run: stored signatures
stay comparable with new ones.
"""

from __future__ import annotations

import numpy as np

_SEED = 0x6E6577736D6F6E  # "newsmon"
_MASK64 = (1 << 64) - 1
_SHIFT32 = np.uint64(32)
_EMPTY_SLOT = np.uint32(0xFFFFFFFF)  # the signature of an empty set: nothing was ever smaller
_CHUNK_ELEMENTS = 1 << 17  # (num_perm x shingles) per step: 1 MB stays in cache; measured fastest


def _splitmix64(state: int) -> tuple[int, int]:
    state = (state + 0x9E3779B97F4A7C15) & _MASK64
    z = state
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK64
    return state, z ^ (z >> 31)


def permutations(num_perm: int) -> tuple[np.ndarray, np.ndarray]:
    """The (a, b) parameters of `num_perm` hash functions, as (num_perm, 1) uint64 columns."""
    state, a, b = _SEED, [], []
    for _ in range(num_perm):
        state, x = _splitmix64(state)
        state, y = _splitmix64(state)
        a.append(x | 1)
        b.append(y)
    return (np.array(a, dtype=np.uint64).reshape(-1, 1), np.array(b, dtype=np.uint64).reshape(-1, 1))


def signatures(sets: list[np.ndarray], num_perm: int) -> np.ndarray:
    """MinHash signatures, shape (len(sets), num_perm), dtype uint32."""
    out = np.full((len(sets), num_perm), _EMPTY_SLOT, dtype=np.uint32)
    a, b = permutations(num_perm)
    per_chunk = max(1, _CHUNK_ELEMENTS // num_perm)
    start = 0
    while start < len(sets):
        # Take articles until the chunk holds about per_chunk shingles (at least one article).
        stop, total = start, 0
        while stop < len(sets) and (total == 0 or total + len(sets[stop]) <= per_chunk):
            total += len(sets[stop])
            stop += 1
        rows = [i for i in range(start, stop) if len(sets[i])]  # empty sets keep _EMPTY_SLOT
        if rows:
            values = np.concatenate([sets[i] for i in rows]).astype(np.uint64)
            offsets = np.cumsum([0] + [len(sets[i]) for i in rows[:-1]])
            hashed = np.multiply(a, values)  # in place from here: the temporaries dominate the cost
            hashed += b
            hashed >>= _SHIFT32
            out[rows] = np.minimum.reduceat(hashed, offsets, axis=1).T
        start = stop
    return out


def band_params(threshold: float, num_perm: int) -> tuple[int, int]:
    """(bands, rows) minimising the false-positive plus false-negative area around `threshold`,
    the same criterion datasketch's MinHashLSH uses, so `lsh_threshold` means what it means there."""
    grid = np.linspace(0.0, 1.0, 1001)
    best, best_cost = (1, num_perm), float("inf")
    for bands in range(1, num_perm + 1):
        for rows in range(1, num_perm // bands + 1):
            hit = 1.0 - (1.0 - grid ** rows) ** bands
            below, above = grid <= threshold, grid >= threshold
            cost = float(np.trapezoid(hit[below], grid[below]) + np.trapezoid(1.0 - hit[above], grid[above]))
            if cost < best_cost:
                best, best_cost = (bands, rows), cost
    return best


def band_keys(sigs: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """One 64-bit key per (article, band): equal keys mean the band's `rows` slots all agree."""
    keys = np.zeros((sigs.shape[0], bands), dtype=np.uint64)
    mult = np.uint64(0x100000001B3)
    for band in range(bands):
        key = np.full(sigs.shape[0], 0xCBF29CE484222325, dtype=np.uint64)
        for col in range(band * rows, (band + 1) * rows):
            key = (key ^ sigs[:, col].astype(np.uint64)) * mult
        keys[:, band] = key
    return keys


def estimated_jaccard(sig_a: np.ndarray, sig_b: np.ndarray) -> np.ndarray:
    """Share of agreeing slots, row by row: an unbiased estimate of the Jaccard similarity."""
    return (sig_a == sig_b).mean(axis=-1)
