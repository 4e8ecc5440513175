"""The learned signal: lines that recur across many articles of one publisher are boilerplate.

Needs no rule for a new site (Media Cloud drops sentences repeated within a source in a
week). Counts come from history (publisher_lines in the warehouse, over the settings'
window) plus the current batch; an article counts once per line however often it repeats it,
and the versions of one story (same headline) count as one article.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable

from pipeline.text import normalise_for_hash

MIN_LINE_CHARS = 4  # "Yes." or "1." are not a publisher's furniture


def line_hash(line: str, *, normalised: bool = False) -> str:
    norm = line if normalised else normalise_for_hash(line)
    return hashlib.sha256(norm.encode("utf-8")).hexdigest()[:16]


def story_key(title: str | None, fallback: str) -> str:
    """What an article counts as: its headline, normalised, so that the versions of one story a
    publisher posts (re-posted, updated, cut short: different bytes, same headline) count once.
    Three versions would otherwise carry every paragraph three times and make the story's own
    text look like the publisher's furniture. Untitled articles count by `fallback`, their bytes."""
    norm = normalise_for_hash(title or "")
    return f"title:{line_hash(norm, normalised=True)}" if norm else f"doc:{fallback}"


def publisher_key(publisher: str | None) -> str | None:
    key = normalise_for_hash(publisher or "")
    return key or None


class RecurringLines:
    """(publisher, line_hash) -> number of distinct articles that carried the line.

    `rows` are (publisher, line_hash, n_articles) from history. For re-runs to stay
    idempotent, history must not already count the articles of the batch being cleaned
    (the flow skips documents already loaded, so their lines are never counted twice).
    """

    def __init__(self, rows: Iterable[tuple[str, str, int]] = ()) -> None:
        self._history: dict[tuple[str, str], int] = defaultdict(int)
        for publisher, digest, n_articles in rows:
            key = publisher_key(publisher)
            if key:
                self._history[(key, digest)] += int(n_articles)
        self._batch: dict[tuple[str, str], set[str]] = defaultdict(set)

    def add_article(self, publisher: str | None, article_key: str, norm_lines: Iterable[str]) -> None:
        """Count one batch article's lines (article_key: its `story_key`, so copies count once)."""
        key = publisher_key(publisher)
        if not key:
            return
        for norm in set(norm_lines):
            if len(norm) >= MIN_LINE_CHARS:
                self._batch[(key, line_hash(norm, normalised=True))].add(article_key)

    def count(self, publisher: str | None, norm_line: str) -> int:
        key = publisher_key(publisher)
        if not key or len(norm_line) < MIN_LINE_CHARS:
            return 0
        digest = line_hash(norm_line, normalised=True)
        return self._history.get((key, digest), 0) + len(self._batch.get((key, digest), ()))

    def is_recurring(self, publisher: str | None, norm_line: str, min_articles: int) -> bool:
        return self.count(publisher, norm_line) >= min_articles
