"""Turn a clean body into the set of hashed word shingles that near-duplicate detection compares.

Tokens are runs of word characters of the case-folded, NFKC-normalised text: quotes, dashes and
other punctuation separate tokens instead of being part of them, so a re-quoted or typographic
variant of an article yields exactly the same shingles as the original.
"""

from __future__ import annotations

import re
import unicodedata
import zlib

import numpy as np

_WORD = re.compile(r"\w+")
_LINE_BREAK = re.compile(r"(\n)")

# Fixed odd 64-bit multipliers: the shingle hash must be identical in every process and every run,
# because shingle sets and signatures are persisted and compared against later runs.
_MIX1 = np.uint64(0x9E3779B97F4A7C15)
_MIX2 = np.uint64(0xC2B2AE3D27D4EB4F)
_MIX3 = np.uint64(0x165667B19E3779F9)
_SHIFT32 = np.uint64(32)

EMPTY = np.empty(0, dtype=np.uint32)


# ASCII text (most of it) takes a fast path: a byte table maps every non-word byte to a space, then
# split. It yields exactly the tokens the \w+ regex yields on the same characters, so an ASCII
# original and its curly-quoted (non-ASCII) copy tokenise alike.
_WORD_BYTES = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")
_NON_WORD_TO_SPACE = bytes(c if c in _WORD_BYTES else 0x20 for c in range(256))


def tokens(text: str) -> list[bytes]:
    """Case-folded word tokens as UTF-8 bytes; punctuation of any kind separates tokens."""
    if text.isascii():
        return text.casefold().encode("ascii").translate(_NON_WORD_TO_SPACE).split()
    if not unicodedata.is_normalized("NFKC", text):  # NFKC is costly and most text already is
        text = unicodedata.normalize("NFKC", text)
    return [w.encode("utf-8") for w in _WORD.findall(text.casefold())]


def shingle_set(words: list[bytes], size: int) -> np.ndarray:
    """Sorted unique 32-bit hashes of the word `size`-grams (one shingle if the text is shorter)."""
    if not words:
        return EMPTY
    word_hashes = np.fromiter(map(zlib.crc32, words), dtype=np.uint64, count=len(words))
    span = min(size, len(words))  # a text shorter than one shingle is one shingle
    window = len(words) - span + 1
    combined = word_hashes[:window] * _MIX1
    for offset in range(1, span):
        combined = (combined ^ word_hashes[offset:offset + window]) * _MIX2
    # Multiply-shift: the high 32 bits of an odd-multiplied 64-bit value are well mixed.
    hashes = np.sort(((combined ^ (combined >> _SHIFT32)) * _MIX3 >> _SHIFT32).astype(np.uint32))
    # Sorted-then-mask is several times faster than np.unique on arrays of this size.
    return hashes[np.concatenate(([True], hashes[1:] != hashes[:-1]))]


def collapse_repeated_paragraphs(text: str, min_words: int) -> str:
    """Drop a paragraph (a line) that repeats an earlier one, e.g. a photo caption printed twice.

    Lines compare case-folded and stripped. Only lines of at least `min_words` words count: a
    repeated sentence-length line is layout, a repeated "Yes." can be content. Returns `text`
    itself when nothing repeats, so unchanged bodies keep their exact bytes.
    """
    folded = [line.strip() for line in text.casefold().split("\n")]  # casefold keeps every "\n"
    present = [line for line in folded if line]
    if len(set(present)) == len(present):
        return text  # the common case, decided without looking at words
    parts = _LINE_BREAK.split(text)  # [line, "\n", line, "\n", ...]; line k is folded[k]
    seen: set[str] = set()
    keep = [True] * len(parts)
    for k, key in enumerate(folded):
        i = 2 * k
        if len(key.split()) < min_words:
            continue
        if key not in seen:
            seen.add(key)
            continue
        keep[i] = False
        # Also drop the line break that ended the previous line, and one blank line before it,
        # so "A\n\nB\n\nB" becomes "A\n\nB" rather than "A\n\nB\n\n".
        if i >= 1:
            keep[i - 1] = False
        if i >= 3 and not parts[i - 2].strip() and keep[i - 2]:
            keep[i - 2] = False
            keep[i - 3] = False
    return "".join(p for p, k in zip(parts, keep, strict=True) if k)
