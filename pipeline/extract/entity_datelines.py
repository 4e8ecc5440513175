"""Datelines: the place a wire story is filed from, at the start of a line before the date or
the agency ("BELGRADE 1996-08-30", "LONDON, March 3 (Reuters) -", "NAPA COUNTY, Calif. (KGO)
--"). The position says it is a place, whatever the model reads there ("NEW YORK" beside a
standings table that calls the Yankees "NEW YORK"); and the model misses many datelines in
capitals, which are found here.
"""

from __future__ import annotations

import bisect
import re

from pipeline.extract.entity_types import Candidate
from pipeline.extract.gazetteer import Gazetteer
from pipeline.extract.type_evidence import is_dateline

# A dateline's place: capitalised words (or words in capitals) at a line start.
_LINE_PLACE = re.compile(r"(?m)^[ \t]*([A-Z][A-Za-z.'-]*(?:[ \t][A-Z][A-Za-z.'-]*){0,3})")
# Datelines stand in the first lines of a story.
_HEAD_CHARS = 600


def find_datelines(article_id: str, body: str, covered: list[tuple[int, int]], gaz: Gazetteer,
                   sentence_starts: list[int]) -> list[Candidate]:
    """Dateline places in the first lines of ``body`` that no span covers and the gazetteer
    knows (read in title case when written in capitals)."""
    out = []
    for m in _LINE_PLACE.finditer(body, 0, min(len(body), _HEAD_CHARS)):
        start, end = m.span(1)
        if not is_dateline(body, start, end) or any(s < end and start < e for s, e in covered):
            continue
        name = m.group(1)
        if gaz.place(name.title() if name.isupper() else name) is None:
            continue
        sidx = max(0, bisect.bisect_right(sentence_starts, start) - 1)
        out.append(Candidate(article_id, start, end, name, "GPE", sidx, "dateline"))
    return out
