"""Names that a line's layout types, where the model often finds nothing:

- datelines: the place a wire story is filed from, at the start of a line before the date or
  the agency ("BELGRADE 1996-08-30", "LONDON, March 3 (Reuters) -"). The position says it is
  a place, whatever the model reads there ("NEW YORK" beside a standings table that calls the
  Yankees "NEW YORK");
- teams in results tables: a score line ("Hyundai 6 Lotte 5", "Fulham 1 Carlisle 0"), a
  fixture ("KANSAS CITY AT DETROIT", "Leeds v Newcastle"), a standings row of a team named
  after its town ("BOSTON 69 65 .515 5 1/2").
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


_NAME = r"[A-Z][A-Za-z.'&-]*(?:[ \t][A-Z][A-Za-z.'&-]*){0,3}"
_SCORE_LINE = re.compile(rf"(?m)^[ \t]*({_NAME})[ \t]+\d{{1,3}}[ \t]+({_NAME})[ \t]+\d{{1,3}}[ \t]*$")
_FIXTURE_LINE = re.compile(rf"(?m)^[ \t]*({_NAME})[ \t]+(?:AT|at|v|vs\.?)[ \t]+({_NAME})[ \t]*$")
_STANDINGS_ROW = re.compile(rf"(?m)^[ \t]*({_NAME})(?:[ \t]+[\d.]+(?:[ \t]+\d+/\d+)?|[ \t]+-){{3,}}[ \t]*$")
# Bounded work: tables are read in the first part of a long story only.
_TABLE_CHARS = 100_000


def find_table_teams(article_id: str, body: str, cands: list[Candidate], gaz: Gazetteer,
                     sentence_starts: list[int]) -> tuple[list[Candidate], set[int]]:
    """Teams in score lines and fixtures (any name), and in standings rows (a town's or a
    state's name, not a country's: national teams are called by their country), that no span
    of ``cands`` (this article's) covers; and id() of the spans that ran over a row's figures
    ("Fulham 1 Carlisle"), which the teams replace."""
    spans: list[tuple[int, int]] = []
    for pattern in (_SCORE_LINE, _FIXTURE_LINE):
        for m in pattern.finditer(body, 0, min(len(body), _TABLE_CHARS)):
            spans.extend((m.span(1), m.span(2)))
    for m in _STANDINGS_ROW.finditer(body, 0, min(len(body), _TABLE_CHARS)):
        name = m.group(1)
        plain = name.title() if name.isupper() else name
        if gaz.country(plain) is None and gaz.place(plain) is not None:
            spans.append(m.span(1))
    glued = {id(c) for c in cands for s, e in spans
             if c.start < e and s < c.end and (c.start, c.end) != (s, e) and _FIGURE.search(c.surface)}
    taken = [(c.start, c.end) for c in cands if id(c) not in glued]
    out = []
    for start, end in sorted(spans):
        if any(s < end and start < e for s, e in taken):
            continue
        taken.append((start, end))
        sidx = max(0, bisect.bisect_right(sentence_starts, start) - 1)
        out.append(Candidate(article_id, start, end, body[start:end], "ORG", sidx, "layout"))
    return out, glued


_FIGURE = re.compile(r"(?:^|\s)\d+(?:\s|$)")
