"""Corpus memory: names recognised once (in this batch or an earlier run) are found again
where the model missed them.

Only *trusted* surfaces are remembered, so one model slip ("Time" tagged ORG at a sentence
start) does not spread: multi-word names, acronyms, surnames of a known full name, major
places, and single words the model tagged the same way several times.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter, defaultdict

from spacy.lang.en.stop_words import STOP_WORDS

from pipeline.extract.entity_text import fold, is_acronym, reject_reason
from pipeline.extract.entity_types import Candidate, top_label
from pipeline.extract.gazetteer import Gazetteer
from pipeline.records import Entity

_MIN_SINGLE_WORD_VOTES = 3
_MIN_SINGLE_WORD_SHARE = 0.8
_MAX_NAME_WORDS = 8
_TOKEN = re.compile(r"[^\W_][\w\-.&]*[^\W_]|[^\W_]", re.UNICODE)


def trusted_lexicon(cands: list[Candidate], known: list[Entity], gaz: Gazetteer) -> dict[str, str]:
    """surface -> type for every surface safe to look for in other text."""
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for c in cands:
        if c.origin == "model":
            votes[c.surface][c.label] += 1
    for e in known:
        for alias in {e.canonical_name, *e.aliases}:
            votes[alias][e.entity_type] += max(1, e.mention_count)
    surnames = {fold(s.split()[-1]) for s, v in votes.items()
                if len(s.split()) >= 2 and top_label(v)[0] == "PERSON"}
    lexicon: dict[str, str] = {}
    for surface, v in votes.items():
        label, n = top_label(v)
        if reject_reason(surface, label) or len(surface.split()) > _MAX_NAME_WORDS:
            continue
        words = surface.split()
        trusted = (
            (len(words) >= 2 and words[0][:1].isupper() and words[-1][:1].isupper())
            or (is_acronym(surface) and label in ("ORG", "GPE", "LOC"))
            or (label == "PERSON" and fold(surface) in surnames)
            or (label == "GPE" and gaz.is_major_place(surface))
            or (n >= _MIN_SINGLE_WORD_VOTES and n / sum(v.values()) >= _MIN_SINGLE_WORD_SHARE)
        )
        if trusted:
            lexicon[surface] = label
    return lexicon


def _capitalised(token: str) -> bool:
    return token[:1].isupper()


def _name_word(token: str) -> bool:
    """Could this capitalised word be part of a name? Function words ("Then", "And") cannot."""
    return _capitalised(token) and token.lower() not in STOP_WORDS


def find_remembered(article_id: str, body: str, limit: int, covered: list[tuple[int, int]],
                    lexicon: dict[str, str], sentence_starts: list[int]) -> list[Candidate]:
    """Occurrences of lexicon surfaces in ``body[:limit]`` that no existing span covers.
    Longest match wins; a match glued to another capitalised word is part of a longer,
    unknown name and is skipped."""
    if not lexicon:
        return []
    tokens = [(m.start(), m.end()) for m in _TOKEN.finditer(body, 0, limit)]
    covered = sorted(covered)
    cov_starts = [s for s, _ in covered]
    out: list[Candidate] = []
    i = 0
    while i < len(tokens):
        start = tokens[i][0]
        if not _capitalised(body[start:tokens[i][1]]):
            i += 1
            continue
        match = None
        for j in range(min(len(tokens), i + _MAX_NAME_WORDS) - 1, i - 1, -1):
            end = tokens[j][1]
            surface = body[start:end]
            if surface in lexicon:
                match = (j, end, surface)
                break
        if match is None:
            i += 1
            continue
        j, end, surface = match
        prev_glued = i > 0 and tokens[i - 1][1] == start - 1 and body[start - 1] == " " \
            and _name_word(body[tokens[i - 1][0]:tokens[i - 1][1]]) and not _sentence_start(
                sentence_starts, start)
        next_glued = j + 1 < len(tokens) and tokens[j + 1][0] == end + 1 and body[end] == " " \
            and _name_word(body[tokens[j + 1][0]:tokens[j + 1][1]])
        overlaps = _overlaps(covered, cov_starts, start, end)
        if not (prev_glued or next_glued or overlaps):
            sidx = max(0, bisect.bisect_right(sentence_starts, start) - 1)
            out.append(Candidate(article_id, start, end, surface, lexicon[surface], sidx, "memory"))
        i = j + 1
    return out


def _overlaps(covered: list[tuple[int, int]], cov_starts: list[int], start: int, end: int) -> bool:
    k = bisect.bisect_left(cov_starts, end) - 1  # spans starting before our end
    while k >= 0:
        if covered[k][1] > start:
            return True
        if covered[k][0] < start - 500:  # spans are short; nothing earlier can reach us
            return False
        k -= 1
    return False


def _sentence_start(sentence_starts: list[int], pos: int) -> bool:
    k = bisect.bisect_left(sentence_starts, pos)
    return k < len(sentence_starts) and sentence_starts[k] == pos
