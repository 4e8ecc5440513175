"""Each rule family on positive and negative cases (cases/rule_cases.toml), plus the structural signals."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from pipeline.clean.engine import Cleaner
from pipeline.clean.rules import load_rules, parse_rules
from pipeline.errors import ConfigError
from pipeline.text import normalise_for_hash as norm

CASES = tomllib.loads((Path(__file__).with_name("cases") / "rule_cases.toml").read_text("utf-8"))["case"]
PROSE_A = ("The foreign ministers met for four hours on Tuesday and agreed to resume talks on the "
           "disputed border, according to officials from both delegations who briefed reporters.")
PROSE_B = ("Negotiators said a second round would take place next month, although neither side "
           "would say where, and the opposition criticised the secrecy surrounding the process.")


@pytest.fixture(scope="module")
def cleaner() -> Cleaner:
    return Cleaner(load_rules())


def _clean(cleaner: Cleaner, *lines: str, title: str | None = None):
    return cleaner.clean(list(enumerate(lines)), title=title)


def test_every_family_has_positive_and_negative_cases():
    families = load_rules().families
    for family in families:
        kinds = {c["removed"] for c in CASES if c["family"] == family}
        assert kinds == {True, False}, f"family {family} needs positive and negative cases"


@pytest.mark.parametrize("case", CASES, ids=[f"{c['family']}-{'pos' if c['removed'] else 'neg'}-{i}"
                                             for i, c in enumerate(CASES)])
def test_rule_case(cleaner, case):
    out = _clean(cleaner, PROSE_A, case["text"], PROSE_B)
    body = norm("\n".join(out.paragraphs))
    assert norm(PROSE_A) in body and norm(PROSE_B) in body
    spans = [r for r in out.removals if r.index == 1]
    if case["removed"]:
        gone = case.get("cut", case["text"])
        assert spans and all(r.rule.split(":")[0] == case["family"] for r in spans), spans
        assert norm(gone) in norm(" ".join(r.text for r in spans))
        if "cut" in case:  # inline: the rest of the line stays
            assert norm(case["text"].replace(case["cut"], "")).strip() in body
        else:
            assert norm(case["text"]) not in body
    else:
        assert not spans, spans
        assert norm(case["text"]) in body


def test_captions_are_kept_as_captions(cleaner):
    caption = "Rescuers search the rubble in the city centre on Monday. / Reuters"
    out = _clean(cleaner, PROSE_A, caption, PROSE_B, caption)
    assert [t for _, t in out.captions] == [caption]
    assert [r.rule for r in out.removals] == ["caption:agency_credit", "caption:repeated_paragraph"]


def test_repeated_paragraph_keeps_first_copy_but_short_repeats_stay(cleaner):
    out = _clean(cleaner, PROSE_A, "Step two", PROSE_B, "Step two", PROSE_A)
    assert out.paragraphs == [PROSE_A, "Step two", PROSE_B, "Step two"]
    assert [(r.index, r.rule) for r in out.removals] == [(4, "repeated:repeated_paragraph")]


def test_repeated_list_items_and_table_rows_are_content(cleaner):
    item, row = "- Check the opening hours before you go.", "| Entry | 5 euros | free for children |"
    out = _clean(cleaner, PROSE_A, item, row, PROSE_B, item, row)
    assert out.paragraphs == [PROSE_A, item, row, PROSE_B, item, row] and not out.removals


def test_title_echo_removed_but_a_leading_title_stays(cleaner):
    title = "Talks resume on the disputed border"
    out = _clean(cleaner, title, PROSE_A, PROSE_B, title, title=title)
    assert out.paragraphs == [title, PROSE_A, PROSE_B]
    assert [r.rule for r in out.removals] == ["repeated:title_line"]


def test_teaser_list_after_related_heading_runs_to_the_end(cleaner):
    out = _clean(cleaner, PROSE_A, PROSE_B, "More stories", "Storm closes schools across the north",
                 "Why the bank raised rates again?", "Five charts that explain the budget")
    assert out.paragraphs == [PROSE_A, PROSE_B]
    assert [r.rule for r in out.removals] == ["related_teaser:related_heading"] + ["related_teaser:teaser_list"] * 3


def test_related_heading_followed_by_prose_keeps_the_prose(cleaner):
    out = _clean(cleaner, PROSE_A, "Related coverage", "A short heading", PROSE_B)
    assert out.paragraphs == [PROSE_A, "A short heading", PROSE_B]


def test_trailing_furniture_only_after_boilerplate_and_never_a_question(cleaner):
    out = _clean(cleaner, PROSE_A, PROSE_B, "Follow us on Facebook", "Morning Digest", "Daily at 7am")
    assert out.paragraphs == [PROSE_A, PROSE_B]
    assert [r.rule for r in out.removals][1:] == ["trailing:furniture"] * 2
    kept = _clean(cleaner, PROSE_A, PROSE_B, "What happens next?", "Editor's pick")
    assert kept.paragraphs == [PROSE_A, PROSE_B, "What happens next?", "Editor's pick"]
    question = _clean(cleaner, PROSE_A, "Leave a Reply", "So what comes next?")
    assert question.paragraphs == [PROSE_A, "So what comes next?"]


def test_sentence_rule_removes_only_the_matching_sentence(cleaner):
    line = "The mayor resigned on Friday after weeks of pressure. Follow us on Twitter for updates."
    out = _clean(cleaner, PROSE_A, line, PROSE_B)
    assert "The mayor resigned on Friday after weeks of pressure." in out.paragraphs
    assert [(r.rule, r.text) for r in out.removals] == [("social_follow:follow_us", "Follow us on Twitter for updates.")]


def test_headings_questions_and_short_quotes_survive(cleaner):
    lines = ["Sanctions and the economy", "So what are the negotiators hoping for?", "“We will not back down.”",
             "Background", "Why now?"]
    out = _clean(cleaner, PROSE_A, *lines, PROSE_B)
    assert out.paragraphs == [PROSE_A, *lines, PROSE_B]
    assert not out.removals


def test_recurring_lines_removed_unless_they_are_most_of_the_article(cleaner):
    footer = "Example Times is an independent daily founded in 1901"
    out = cleaner.clean(list(enumerate([PROSE_A, footer, PROSE_B])), lambda n: n == norm(footer))
    assert [r.rule for r in out.removals] == ["recurring:publisher_line"]
    quote = "“We will rebuild the bridge within a year,” the mayor said."
    quoted = cleaner.clean(list(enumerate([PROSE_A, quote, PROSE_B])), lambda n: n == norm(quote))
    assert quote in quoted.paragraphs and not quoted.removals
    everything = cleaner.clean(list(enumerate([PROSE_A, PROSE_B])), lambda n: True)
    assert everything.paragraphs == [PROSE_A, PROSE_B]  # a re-fetched copy, not boilerplate


def test_bad_rules_file_is_a_config_error():
    with pytest.raises(ConfigError):
        parse_rules('[[family]]\nname = "x"\nrules = [{ name = "r", scope = "paragraph", pattern = "(" }]')
    with pytest.raises(ConfigError):
        parse_rules('[[family]]\nname = "x"\nrules = [{ name = "r", scope = "somewhere", pattern = "a" }]')
