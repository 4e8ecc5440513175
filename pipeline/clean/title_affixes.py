"""A publisher's repeated title affix, learned across its pages in the batch.

What every title of one site shares at an end beyond a separator (' | Site Name',
'Site: ', ' - Its slogan') is the site's, whatever language or script the name is in and
whether or not the page states the name anywhere else (structured.strip_site cuts only
names it recognises). Learned per publisher from the batch's own distinct titles: a piece
counts when at least MIN_TITLES distinct titles and at least half of the publisher's carry it.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable

from pipeline.clean.structured import TITLE_SEPARATORS
from pipeline.text import normalise_for_hash

MIN_TITLES = 3  # distinct titles of one publisher that must share the piece
MIN_SHARE = 0.5  # of the publisher's distinct titles
MAX_TITLE_CHARS = 600  # longer "titles" are not titles: no learning from them


def _pieces(title: str) -> tuple[list[str], list[str]]:
    """(heads, tails): the text before and after each separator, normalised."""
    heads, tails = [], []
    for match in TITLE_SEPARATORS.finditer(title):
        heads.append(normalise_for_hash(title[:match.start()]))
        tails.append(normalise_for_hash(title[match.end():]))
    return heads, tails


def learn_affixes(titles: Iterable[str]) -> tuple[set[str], set[str]]:
    """(prefixes, suffixes), normalised, shared by enough of one publisher's distinct titles."""
    distinct = {t.strip() for t in titles if t and t.strip() and len(t) <= MAX_TITLE_CHARS}
    heads: Counter[str] = Counter()
    tails: Counter[str] = Counter()
    for title in distinct:
        h, t = _pieces(title)
        heads.update(set(h))
        tails.update(set(t))
    need = max(MIN_TITLES, MIN_SHARE * len(distinct))
    return ({k for k, n in heads.items() if k and n >= need}, {k for k, n in tails.items() if k and n >= need})


def strip_affixes(title: str, prefixes: set[str], suffixes: set[str]) -> str:
    """The title without the longest learned prefix and suffix; never empty."""
    start, end = 0, len(title)
    matches = list(TITLE_SEPARATORS.finditer(title))
    for match in matches:  # earliest separator first: the longest suffix
        if normalise_for_hash(title[match.end():]) in suffixes:
            end = match.start()
            break
    for match in reversed(matches):  # the last separator first: the longest prefix
        if match.end() <= end and normalise_for_hash(title[:match.start()]) in prefixes:
            start = match.end()
            break
    core = title[start:end].strip()
    return core if normalise_for_hash(core) else title


def strip_publisher_affixes(titled: Iterable[tuple[str | None, str | None]]) -> list[str | None]:
    """Each (publisher, title) pair's title without its publisher's learned affixes, in order."""
    pairs = list(titled)
    by_publisher: dict[str, list[str]] = defaultdict(list)
    for publisher, title in pairs:
        if publisher and title:
            by_publisher[normalise_for_hash(publisher)].append(title)
    learned = {p: learn_affixes(ts) for p, ts in by_publisher.items()}
    out: list[str | None] = []
    for publisher, title in pairs:
        affixes = learned.get(normalise_for_hash(publisher)) if publisher and title else None
        out.append(strip_affixes(title, *affixes) if title and affixes and (affixes[0] or affixes[1]) else title)
    return out
