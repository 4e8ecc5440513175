"""Lines trafilatura drops from inside the article, given back by its own recall-oriented pass.

trafilatura's default extraction sometimes leaves out a paragraph, a list or a heading in the
middle of the text (a block it scores as link-heavy or too short). Run again with
``favor_recall``, it keeps more of the page, furniture included. The two outputs vote: a run
of lines that only the recall pass has, standing *between* two lines of the default text (both
passes agree the article goes on before and after it), is article text the default pass lost;
lines the recall pass adds before the default text's first line or after its last are left out
(that is where furniture collects). Only prose is given back: a line of a sentence's length
that ends like a sentence or runs on past a comma. The short lines the recall pass adds inside
the text are labels, menus, counters and teaser headlines ('level 1', 'Videos zum Thema',
'Hector Andrade | Agencia UNO'); on the tuning half of the evaluation pages every line it gave
back that held gold article text was such prose. The lines given back go through the same
structure and phrase rules as every other line.
"""

from __future__ import annotations

from difflib import SequenceMatcher

from pipeline.text import normalise_for_hash

MAX_LINES = 3000  # lines aligned per page: the alignment is quadratic in the worst case
MAX_GAP_LINES = 12  # a longer run inside the text is a block of other content (comments, a list of links)
PROSE_MIN_WORDS = 12
_SENTENCE_END = (".", "!", "?", "…", ":", ";", '"', "”", "»", "«", "'", "’", ")")


def fill_gaps(default: list[str], recall: list[str]) -> list[str]:
    """The default lines with the recall pass's lines that stand between two of them."""
    if not default or not recall or len(default) > MAX_LINES or len(recall) > MAX_LINES:
        return default
    a = [normalise_for_hash(t) for t in default]
    b = [normalise_for_hash(t) for t in recall]
    have = set(a)
    out: list[str] = []
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        out.extend(default[i1:i2])
        inside = 0 < i1 < len(default)
        if tag == "insert" and inside and j2 - j1 <= MAX_GAP_LINES:
            out.extend(t for t, n in zip(recall[j1:j2], b[j1:j2], strict=True) if n not in have and is_prose(t))
    return out


def is_prose(line: str) -> bool:
    """A line of running text, not a label, a menu entry or a headline."""
    text = line.strip()
    return len(text.split()) >= PROSE_MIN_WORDS and (text.endswith(_SENTENCE_END) or "," in text)
