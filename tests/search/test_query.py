"""The query language: what each construct parses to, and where malformed queries are reported."""

from __future__ import annotations

from datetime import date

import pytest

from pipeline.search.query import And, DateRange, Not, Or, Phrase, QueryError, Term, parse_query, terms


def test_the_issue_query_parses_to_and_of_phrase_or_and_not():
    tree = parse_query('"Geneva" AND (talks OR negotiations) NOT title:opinion')
    assert tree == And((Phrase(None, ("Geneva",)), Or((Term(None, "talks"), Term(None, "negotiations"))),
                        Not(Term("title", "opinion"))))


def test_adjacent_terms_are_anded_and_or_binds_looser_than_and():
    assert parse_query("a b OR c") == Or((And((Term(None, "a"), Term(None, "b"))), Term(None, "c")))


def test_lowercase_and_is_a_word_not_an_operator():
    assert parse_query("rock and roll") == And((Term(None, "rock"), Term(None, "and"), Term(None, "roll")))


def test_proximity_wildcard_fields_minus_and_dates():
    assert parse_query('"troops border"~5') == Phrase(None, ("troops", "border"), 5)
    assert parse_query("sanction*") == Term(None, "sanction*", wildcard=True)
    assert parse_query("publisher:(CGTN OR Reuters)") == Or((Term("publisher", "CGTN"), Term("publisher", "Reuters")))
    assert parse_query("-opinion talks") == And((Not(Term(None, "opinion")), Term(None, "talks")))
    assert parse_query("date:[2022-01-01 TO 2022-01-31]") == DateRange(date(2022, 1, 1), date(2022, 1, 31))
    assert parse_query("date:[* TO 2022-01-31]") == DateRange(None, date(2022, 1, 31))
    assert parse_query("date:2022-01-10") == DateRange(date(2022, 1, 10), date(2022, 1, 10))
    assert parse_query('entity:"Sergei Lavrov"') == Phrase("entity", ("Sergei", "Lavrov"))


def test_terms_lists_positive_words_and_phrases_for_highlighting():
    assert terms(parse_query('"Geneva talks" OR sanction* NOT opinion event:meeting')) == ["Geneva talks", "sanction*"]


@pytest.mark.parametrize(("query", "column", "problem"), [
    ('Geneva AND "talks', 12, "unclosed quote"),
    ("(Geneva AND talks", 1, "unclosed '('"),
    ("Geneva) talks", 7, "unmatched ')'"),
    ("Geneva AND", 11, "ends where a term was expected"),
    ("Geneva OR OR talks", 11, "where a term was expected"),
    ("headline:Geneva", 1, "unknown field 'headline:'"),
    ("date:[2022-01-31 TO 2022-01-01]", 6, "ends before it starts"),
    ("date:[2022-13-01 TO 2022-01-01]", 6, "is not a date"),
    ('"troops border"~', 16, "proximity needs a number"),
    ("s* talks", 1, "wildcard needs at least 2 letters"),
    ("Geneva title:", 8, "needs a value"),
    ("()", 2, "empty parentheses"),
    ("", 1, "empty query"),
])
def test_malformed_queries_name_the_column_and_the_problem(query, column, problem):
    with pytest.raises(QueryError) as caught:
        parse_query(query)
    message = str(caught.value)
    assert "\n" not in message
    assert f"column {column}:" in message
    assert problem in message


def test_hostile_queries_are_bounded():
    with pytest.raises(QueryError, match="nested deeper"):
        parse_query("(" * 100 + "a" + ")" * 100)
    with pytest.raises(QueryError, match="longer than"):
        parse_query("a " * 5000)
