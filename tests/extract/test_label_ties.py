"""A tied vote on a name's type is decided by the labels, not by which article was counted
first: article ids derive from file paths, so the same articles in another folder must give
the same types (a 1k benchmark corpus in two folders once typed a name PERSON in one, ORG in
the other)."""

from __future__ import annotations

from collections import Counter

from pipeline.extract.entity_memory import trusted_lexicon
from pipeline.extract.entity_types import Candidate, top_label
from pipeline.extract.gazetteer import load_gazetteer


def test_a_tie_goes_to_the_same_label_whatever_was_counted_first():
    assert top_label(Counter(["ORG", "PERSON"])) == top_label(Counter(["PERSON", "ORG"])) == ("PERSON", 1)
    assert top_label(Counter(["ORG", "ORG", "PERSON"])) == ("ORG", 2)


def _cands(first: str, second: str) -> list[Candidate]:
    # "Meridian Scholar" read as ORG in one article and PERSON in another: a tie
    return [Candidate(first, 0, 16, "Meridian Scholar", "ORG", 0),
            Candidate(second, 0, 16, "Meridian Scholar", "PERSON", 0)]


def test_the_remembered_names_do_not_depend_on_the_article_ids():
    gaz = load_gazetteer()
    here = trusted_lexicon(_cands("a1", "b2"), [], gaz)
    elsewhere = trusted_lexicon(sorted(_cands("z9", "b2"), key=lambda c: c.article_id), [], gaz)
    assert here == elsewhere == {"Meridian Scholar": "PERSON"}
