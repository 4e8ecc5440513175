"""GX suites on a real DuckDB warehouse loaded from the seeds, then on corrupted copies of it."""

from __future__ import annotations

import json
import re
import secrets
import shutil
from pathlib import Path

import duckdb
import pytest

from pipeline.executor import executor_for
from pipeline.flow import WORKER_MODULES
from pipeline.records import QualityResult, utc_now
from pipeline.validate import critical_failures, run_quality_suites
from pipeline.validate.quality import suite_step
from pipeline.validate.suites import MarkerFinder, Suite, boilerplate_markers, build_suites
from tests.conftest import EVAL_DIR, SEED_FILES, make_settings
from tests.validate.seed_batch import load_seed_warehouse, read_tables

RUN = "fixture-run"
NOW = utc_now()  # one "now" for every suite built here, so equal inputs build equal expectations


class ValidatedSuites:
    """GX over this module's warehouses, each distinct suite validated once.

    A suite's results are a function of its frame and its expectations alone, so a suite
    whose frame and expectations equal one validated before takes that one's results: a
    corruption of one table re-validates only the suites it changes (GX costs about 10 ms of
    CPU per expectation; the whole set is 2 s), and every test still sees every result.
    """

    def __init__(self) -> None:
        self._seen: list[tuple[Suite, tuple, list[QualityResult]]] = []

    @staticmethod
    def _expectations(suite: Suite) -> tuple:
        # Read before validation: validating sets the expectations' meta and severity.
        return tuple((c.name, c.severity, c.description, tuple(c.show),
                      json.dumps(c.expectation.configuration.to_json_dict(), sort_keys=True, default=str))
                     for c in suite.checks)

    def _known(self, suite: Suite, expectations: tuple) -> list[QualityResult] | None:
        for seen, seen_expectations, results in self._seen:
            if (seen.name == suite.name and seen.key == suite.key and seen_expectations == expectations
                    and seen.frame.equals(suite.frame) and list(seen.frame.columns) == list(suite.frame.columns)):
                return results
        return None

    def results(self, settings) -> list[QualityResult]:
        suites = build_suites(read_tables(settings), settings, RUN, NOW)
        out: list[QualityResult] = []
        for suite in suites:
            expectations = self._expectations(suite)
            known = self._known(suite, expectations)
            if known is None:
                [known] = suite_step((RUN, secrets.token_hex(8)), [suite])
                self._seen.append((suite, expectations, known))
            out.extend(known)
        return out


@pytest.fixture(scope="module")
def clean_warehouse(tmp_path_factory) -> Path:
    settings = make_settings(tmp_path_factory.mktemp("quality"))
    load_seed_warehouse(settings, RUN)
    return settings.db_path


@pytest.fixture(scope="module")
def validated() -> ValidatedSuites:
    return ValidatedSuites()


def _corrupted_copy(clean_warehouse: Path, tmp_path: Path, sql: list[str], **overrides):
    settings = make_settings(tmp_path, **overrides)
    settings.db_path.parent.mkdir(parents=True)
    shutil.copy(clean_warehouse, settings.db_path)
    con = duckdb.connect(str(settings.db_path))
    for statement in sql:
        con.execute(statement)
    con.close()
    return settings


@pytest.fixture
def results_on_copy(clean_warehouse, validated, tmp_path):
    """The quality results of a copy of the seed warehouse after `sql` (and settings overrides)."""
    def results(sql: list[str], folder: str = "copy", **overrides) -> list[QualityResult]:
        return validated.results(_corrupted_copy(clean_warehouse, tmp_path / folder, sql, **overrides))
    return results


def _failed(results) -> dict[str, str]:
    return {r.expectation: r.severity for r in results if not r.success}


def test_clean_seed_warehouse_meets_every_expectation(results_on_copy):
    results = results_on_copy([])
    names = [r.expectation for r in results]
    assert len(names) == len(set(names)) > 100  # stable, unique names
    assert {r.severity for r in results} == {"critical", "warning"}
    assert {r.suite for r in results} >= {"documents", "articles", "boilerplate_removed", "entities",
                                          "entity_mentions", "events", "event_mentions", "quarantine",
                                          "pipeline_runs"}
    assert _failed(results) == {}
    assert all(r.run_id == RUN and json.loads(r.details)["type"].startswith("expect_") for r in results)


def _without_primary_key(table: str) -> list[str]:
    # A table rebuilt without its key (a bad migration): the only way a DuckDB warehouse can
    # come to hold duplicate keys, and what the uniqueness expectations are for.
    return [f'CREATE TABLE "{table}_copy" AS SELECT * FROM "{table}"', f'DROP TABLE "{table}"',
            f'ALTER TABLE "{table}_copy" RENAME TO "{table}"']


CORRUPTIONS = {
    "orphan mention": (
        ["INSERT INTO entity_mentions SELECT article_id, 'no-such-entity', surface, start_char + 100000, "
         "end_char + 100000, sentence_index, entity_type FROM entity_mentions LIMIT 1"],
        {"entity_mentions.entity_id.references_entities": "critical",
         "entity_mentions.surface.matches_body": "warning"}),
    "null title": (
        ["UPDATE articles SET title = NULL WHERE article_id = (SELECT min(article_id) FROM articles)"],
        {"articles.title.not_null": "warning"}),
    "duplicate key": (
        _without_primary_key("articles") + ["INSERT INTO articles SELECT * FROM articles LIMIT 1"],
        {"articles.article_id.unique": "critical"}),
    "leftover Leave a Reply": (
        ["UPDATE articles SET body = body || '\n\nLeave a Reply' "
         "WHERE article_id = (SELECT max(article_id) FROM articles)"],
        {"articles.body.no_boilerplate_markers": "warning"}),
    "duplicate_of points nowhere": (
        ["UPDATE articles SET is_duplicate = true, duplicate_of = 'ghost' "
         "WHERE article_id = (SELECT min(article_id) FROM event_mentions)"],
        # ... and an article flagged a copy that kept its mentions (one with event mentions)
        {"articles.duplicate_of.references_articles": "critical", "entity_mentions.article_id.not_a_copy": "critical",
         "event_mentions.article_id.not_a_copy": "critical", "events.num_articles.canonical_only": "critical"}),
    "duplicate flag without link": (
        ["UPDATE articles SET is_duplicate = true WHERE article_id = (SELECT max(article_id) FROM articles)"],
        {"articles.duplicate_of.set_iff_duplicate": "critical"}),
    "event mention of a missing event": (
        ["UPDATE event_mentions SET event_id = 'gone' WHERE start_char = (SELECT min(start_char) FROM event_mentions)"],
        {"event_mentions.event_id.references_events": "critical"}),
    "article dated 1970": (
        ["UPDATE articles SET published_at = TIMESTAMP '1970-01-01' "
         "WHERE article_id = (SELECT min(article_id) FROM articles)"],
        {"articles.published_at.plausible_date": "warning"}),
    "entity type outside the set": (
        ["UPDATE entities SET entity_type = 'DATE' WHERE entity_id = (SELECT min(entity_id) FROM entities)"],
        {"entities.entity_type.allowed_values": "critical"}),
    "mention offsets reversed": (
        ["UPDATE entity_mentions SET start_char = end_char, end_char = start_char "
         "WHERE start_char = (SELECT max(start_char) FROM entity_mentions)"],
        {"entity_mentions.end_char.after_start": "critical", "entity_mentions.surface.matches_body": "warning"}),
    "mention offsets shifted": (
        ["UPDATE entity_mentions SET start_char = start_char + 1, end_char = end_char + 1"],
        {"entity_mentions.surface.matches_body": "warning"}),
    "one-word article": (
        ["UPDATE articles SET word_count = 1 WHERE article_id = (SELECT min(article_id) FROM articles)"],
        {"articles.word_count.plausible_range": "warning"}),
    "event with no mention": (
        ["UPDATE events SET num_mentions = 0"],
        {"events.num_mentions.at_least_one": "warning"}),
    "entity nobody mentions": (
        ["INSERT INTO entities VALUES ('lonely', 'Nobody', 'PERSON', ['Nobody'], NULL, NULL, NULL, 0, 0, NULL, 0)"],
        {"entities.mention_count.at_least_one": "warning"}),
    "event actor missing": (
        ["UPDATE events SET actors = list_append(actors, 'ghost-actor')"],
        {"events.actors.references_entities": "critical"}),
    "event year mis-resolved": (  # with the period below, a plan then ends in year 22, before its reports
        ["UPDATE events SET event_date = '0022-01-10'"],
        {"events.event_date.plausible_date": "warning", "events.event_date.scheduled_after_anchor": "warning"}),
    "event period ends before it starts": (
        ["UPDATE events SET event_date_end = event_date - 1"],
        {"events.event_date_end.not_before_start": "critical"}),
    "occurred event dated after its article's anchor": (
        ["UPDATE event_mentions SET modality = 'occurred', event_date = DATE '2030-01-01', "
         "event_date_end = DATE '2030-01-01'"],
        {"event_mentions.event_date.occurred_by_anchor": "critical"}),
    "scheduled event ended before its article's anchor": (
        ["UPDATE event_mentions SET modality = 'scheduled', event_date = DATE '2001-01-01', "
         "event_date_end = DATE '2001-01-01'"],
        {"event_mentions.event_date.scheduled_after_anchor": "warning"}),
    "occurred event dated after its reports' anchors": (
        ["UPDATE events SET modality = 'occurred', event_date = DATE '2030-01-01', event_date_end = DATE '2030-01-01'"],
        {"events.event_date.occurred_by_anchor": "warning"}),
    "scheduled event ended before its reports' anchors": (
        ["UPDATE events SET modality = 'scheduled', event_date = DATE '2001-01-01', event_date_end = DATE '2001-01-01'"],
        {"events.event_date.scheduled_after_anchor": "warning"}),
    "a copy keeps its mentions": (
        ["UPDATE articles SET is_duplicate = true, duplicate_of = (SELECT min(article_id) FROM articles) "
         "WHERE article_id = (SELECT max(article_id) FROM event_mentions)"],
        {"entity_mentions.article_id.not_a_copy": "critical", "event_mentions.article_id.not_a_copy": "critical",
         "events.num_articles.canonical_only": "critical"}),
    "quarantine row without message": (
        ["UPDATE quarantine SET message = ''"],
        {"quarantine.message.not_empty": "critical"}),
}


# Each corruption alone, for the four the issue names and the copy rule; the others together (they touch
# different rows, so exactly the union of their expectations must fail): a full suite run
# costs seconds of GX overhead, whatever the data size.
ALONE = ["orphan mention", "null title", "duplicate key", "leftover Leave a Reply", "a copy keeps its mentions"]
WHOLE_COLUMN = ["mention offsets shifted", "occurred event dated after its article's anchor",
                "scheduled event ended before its article's anchor", "occurred event dated after its reports' anchors",
                "scheduled event ended before its reports' anchors"]
TOGETHER = [c for c in CORRUPTIONS if c not in ALONE and c not in WHOLE_COLUMN]


def _assert_exactly(results, expected: dict[str, str]) -> None:
    assert _failed(results) == expected
    for r in results:
        if not r.success:
            assert json.loads(r.details)["examples"], f"{r.expectation} shows no failing row"
    assert {r.expectation for r in critical_failures(results)} == {k for k, v in expected.items() if v == "critical"}


@pytest.mark.parametrize("case", ALONE)
def test_corruption_fails_the_right_expectation(results_on_copy, case):
    sql, expected = CORRUPTIONS[case]
    _assert_exactly(results_on_copy(sql), expected)


def test_many_corruptions_fail_exactly_their_expectations(results_on_copy):
    sql = [statement for case in TOGETHER for statement in CORRUPTIONS[case][0]]
    expected = {name: sev for case in TOGETHER for name, sev in CORRUPTIONS[case][1].items()}
    _assert_exactly(results_on_copy(sql), expected)


@pytest.mark.parametrize("case", WHOLE_COLUMN)
def test_corruption_of_a_whole_column(results_on_copy, case):
    sql, expected = CORRUPTIONS[case]
    _assert_exactly(results_on_copy(sql), expected)


def test_failure_examples_name_the_offending_row(results_on_copy):
    sql, _ = CORRUPTIONS["leftover Leave a Reply"]
    results = results_on_copy(sql)
    [failed] = [r for r in results if not r.success]
    [example] = json.loads(failed.details)["examples"]
    assert example["article_id"] and "Leave a Reply" in example["body"]
    assert failed.observed_value.startswith("1 of 5 unexpected")


def test_shares_over_configured_bounds_warn(results_on_copy):
    ids = "(SELECT article_id FROM articles ORDER BY article_id LIMIT 4 OFFSET 1)"
    # As the load leaves them: copies keep no mentions, events count the canonical articles left.
    sql = [f"UPDATE articles SET is_duplicate = true, duplicate_of = (SELECT min(article_id) FROM articles) "
           f"WHERE article_id IN {ids}",
           f"DELETE FROM entity_mentions WHERE article_id IN {ids}",
           f"DELETE FROM event_mentions WHERE article_id IN {ids}",
           "UPDATE events SET num_articles = (SELECT count(DISTINCT article_id) FROM event_mentions AS em "
           "WHERE em.event_id = events.event_id)",
           "UPDATE documents SET status = 'quarantined' WHERE doc_id = (SELECT min(doc_id) FROM documents)"]
    results = results_on_copy(sql, max_duplicate_share=0.5, max_quarantine_share=0.1)
    assert _failed(results) == {"articles.duplicate_share.within_bounds": "warning",
                                "documents.quarantined_share.within_bounds": "warning"}
    # The defaults (90% duplicates, 50% quarantined) accept the same data.
    assert _failed(results_on_copy(sql, "defaults")) == {}


def test_missing_column_is_a_failure_not_a_crash(results_on_copy):
    results = results_on_copy(["ALTER TABLE captions DROP COLUMN text"])
    failed = _failed(results)
    assert failed == {"captions.text.not_null": "critical", "captions.text.not_empty": "critical"}
    assert all(r.observed_value.startswith("error:") for r in results if not r.success)


def test_seed_bodies_with_their_furniture_fail_the_marker_check(validated, settings):
    load_seed_warehouse(settings, RUN, clean=False)
    results = validated.results(settings)
    [marker] = [r for r in results if r.expectation == "articles.body.no_boilerplate_markers"]
    assert not marker.success and marker.observed_value.startswith("4 of 5 unexpected")


def test_markers_hold_on_unseen_pages():
    """On 990 annotated pages: no marker matches article prose; many match boilerplate snippets."""
    snippets_file = EVAL_DIR / "trafilatura" / "expected_snippets.json"
    if not snippets_file.is_file():
        pytest.skip(f"evaluation data not present at {snippets_file}")
    snippets = json.loads(snippets_file.read_text(encoding="utf-8"))
    markers = [re.compile(m) for m in boilerplate_markers(make_settings(Path("/nonexistent")))]
    prose = [s for v in snippets.values() for s in v.get("with", [])]
    furniture = [s for v in snippets.values() for s in v.get("without", [])]
    false_hits = [s for s in prose if any(m.search(s) for m in markers)]
    true_hits = [s for s in furniture if any(m.search(s) for m in markers)]
    print(f"markers: {len(false_hits)}/{len(prose)} prose snippets hit, "
          f"{len(true_hits)}/{len(furniture)} boilerplate snippets hit")
    assert len(prose) > 2000 and false_hits == []
    assert len(true_hits) >= 100


def test_marker_finder_agrees_with_a_plain_search():
    """The prefiltered finder flags exactly the texts some marker's plain re.search matches:
    seed bodies with their furniture, and the evaluation pages' snippets."""
    texts = [p.read_text(encoding="utf-8") for p in SEED_FILES]
    snippets_file = EVAL_DIR / "trafilatura" / "expected_snippets.json"
    if snippets_file.is_file():
        snippets = json.loads(snippets_file.read_text(encoding="utf-8"))
        texts += [s for v in snippets.values() for s in v.get("with", []) + v.get("without", [])]
    markers = boilerplate_markers(make_settings(Path("/nonexistent")))
    compiled = [re.compile(m) for m in markers]
    find = MarkerFinder(markers)
    flagged = 0
    for text in texts:
        expected = next((m.group(0) for m in (c.search(text) for c in compiled) if m), None)
        assert find(text) == expected, text
        flagged += expected is not None
    assert flagged >= (5 if snippets_file.is_file() else 3)  # the seeds alone: 4 carry furniture


def test_suites_on_two_processes_give_the_in_process_results(clean_warehouse, results_on_copy, tmp_path):
    sql = ["UPDATE articles SET body = body || ' Leave a Reply' WHERE article_id = (SELECT min(article_id) FROM articles)"]
    one = results_on_copy(sql)
    settings = _corrupted_copy(clean_warehouse, tmp_path / "two", sql)
    two = run_quality_suites(read_tables(settings), settings, RUN, executor_for("fork", 2, WORKER_MODULES))
    def comparable(results):  # "tomorrow" bounds differ between the two calls; the rest may not
        return [(r.expectation, r.success, r.observed_value, json.loads(r.details)["examples"],
                 json.loads(r.details)["result"]) for r in results]

    assert comparable(two) == comparable(one)
    assert _failed(two) == {"articles.body.no_boilerplate_markers": "warning"}
