"""Text normalisation shared by every stage (not a stage itself: pure functions only)."""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata

_QUOTES = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "`": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u00ab": '"', "\u00bb": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-",
    "\u2212": "-", "\u00a0": " ", "\u2009": " ", "\u202f": " ", "\u2026": "...",
})
# The same mapping as pairs for str.replace: translate() looks every character of a non-ASCII
# string up in a dict (30 us for a 390-character paragraph), a replace scan is C (2 us). In
# sequence they give translate's result: no replacement contains a key.
_QUOTE_PAIRS = tuple((chr(key), value) for key, value in _QUOTES.items())
_WS = re.compile(r"\s+")


def replace_chars(text: str, pairs: tuple[tuple[str, str], ...]) -> str:
    """Each (character, replacement) in turn: ``translate`` for mappings whose replacements
    contain no key, at C speed."""
    for old, new in pairs:
        if old in text:
            text = text.replace(old, new)
    return text


def fold_quotes(text: str) -> str:
    """``text.translate(_QUOTES)``, faster."""
    return replace_chars(text, _QUOTE_PAIRS)


def normalise_for_hash(text: str) -> str:
    """Fold case, whitespace, quote and dash variants so typographic copies hash alike."""
    if text.isascii():
        # The same result, cheaper: NFKC leaves ASCII alone, casefold is lower() on it, and
        # "`" is the one ASCII key of _QUOTES. Called for every paragraph and sentence.
        return " ".join(text.replace("`", "'").lower().split())
    # Typographic quotes, dashes and spaces are most of the non-ASCII in English news; mapping
    # them first gives the same result (NFKC maps none of them to anything _QUOTES treats otherwise).
    folded = fold_quotes(text)
    if folded.isascii():
        return " ".join(folded.lower().split())
    return normalise_unicode(text)


def normalise_unicode(text: str) -> str:
    """The general path of normalise_for_hash (any text)."""
    text = fold_quotes(unicodedata.normalize("NFKC", text)).casefold()
    return _WS.sub(" ", text).strip()


def content_hash(text: str) -> str:
    """Hash of the normalised text: equal for exact and typographic duplicates."""
    return hashlib.sha256(normalise_for_hash(text).encode("utf-8")).hexdigest()


def word_count(text: str) -> int:
    return len(text.split())


_SURROGATE = re.compile("[\ud800-\udfff]")


def scrub_surrogates(text: str) -> str:
    """Lone surrogates (a JSON "\\ud800", an XML "&#xD800;") as U+FFFD: they are no characters,
    UTF-8 cannot hold them, and one would fail the whole batch where it is written."""
    return _SURROGATE.sub("\ufffd", text) if _SURROGATE.search(text) else text


def scrub_surrogates_in(value: object) -> object:
    """`scrub_surrogates` over every string inside dicts, lists and tuples (parsed feed data)."""
    if isinstance(value, str):
        return scrub_surrogates(value)
    if isinstance(value, dict):
        for key, item in value.items():
            value[key] = scrub_surrogates_in(item)
        return value
    if isinstance(value, list):
        return [scrub_surrogates_in(item) for item in value]
    if isinstance(value, tuple) and not hasattr(value, "_fields") and type(value) is tuple:
        return tuple(scrub_surrogates_in(item) for item in value)
    return value


def path_text(path: str) -> str:
    """A file path as text that UTF-8 can store: bytes that are not UTF-8 in a name (decoded by
    Python as lone surrogates) are written as \\xNN."""
    try:
        path.encode("utf-8")
        return path
    except UnicodeEncodeError:
        return os.fsencode(path).decode("utf-8", "backslashreplace")
