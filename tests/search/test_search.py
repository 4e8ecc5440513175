"""Search over a real seeds warehouse: the tantivy index built from it, queries, snippets, sync."""

from __future__ import annotations

import shutil
from datetime import date

import duckdb
import pytest

from pipeline.search import rebuild, search_articles, sync
from pipeline.search.query import QueryError
from tests.conftest import SEED_FILES, make_settings

ISSUE_QUERY = '"Geneva" AND (talks OR negotiations) NOT title:opinion'


@pytest.fixture(scope="module")
def indexed(seeds_run, tmp_path_factory):
    """A copy of the seeds warehouse and its search index."""
    root = tmp_path_factory.mktemp("search")
    settings = make_settings(root)
    settings.db_path.parent.mkdir(parents=True)
    shutil.copy(seeds_run[0].db_path, settings.db_path)
    rebuild(settings)
    return settings


def _bodies(settings) -> dict[str, tuple[str, str]]:
    with duckdb.connect(str(settings.db_path), read_only=True) as con:
        return {r[0]: (r[1] or "", r[2]) for r in con.execute("SELECT article_id, title, body FROM articles").fetchall()}


def test_issue_query_matches_exactly_the_articles_the_text_says(indexed):
    result = search_articles(ISSUE_QUERY, indexed)
    expected = {aid for aid, (title, body) in _bodies(indexed).items()
                if "geneva" in (title + " " + body).lower()
                and any(w in (title + " " + body).lower().split() or w in (title + " " + body).lower()
                        for w in ("talks", "negotiations"))
                and "opinion" not in title.lower()}
    assert {h.article_id for h in result.hits} == expected
    assert len(expected) >= 2
    scores = [h.score for h in result.hits]
    assert scores == sorted(scores, reverse=True)
    for hit in result.hits:
        assert hit.highlights, hit.article_id
        assert "geneva" in hit.matched and set(hit.matched) <= {"geneva", "talks", "negotiations"}
        assert hit.marked_snippet().count("[") == len(hit.highlights)


def test_not_title_excludes_by_title_only(indexed):
    everything = {h.article_id for h in search_articles("Geneva", indexed).hits}
    titles = {aid: title.lower() for aid, (title, _) in _bodies(indexed).items()}
    without = {h.article_id for h in search_articles("Geneva NOT title:talks", indexed).hits}
    assert without == {a for a in everything if "talks" not in titles[a].split()}
    assert without < everything


def test_proximity_wildcard_entity_event_and_date_filters(indexed):
    near = {h.article_id for h in search_articles('"troops border"~5', indexed).hits}
    exact = {h.article_id for h in search_articles('"troops border"', indexed).hits}
    assert exact < near
    assert {h.article_id for h in search_articles("sanction*", indexed).hits} >= \
        {h.article_id for h in search_articles("sanctions", indexed).hits}
    with duckdb.connect(str(indexed.db_path), read_only=True) as con:
        lavrov = {r[0] for r in con.execute(
            "SELECT DISTINCT m.article_id FROM entity_mentions m JOIN entities e USING (entity_id) "
            "WHERE e.canonical_name = 'Sergei Lavrov'").fetchall()}
        entity_id = con.execute("SELECT entity_id FROM entities WHERE canonical_name = 'Sergei Lavrov'").fetchone()[0]
        meeting = {r[0] for r in con.execute(
            "SELECT DISTINCT em.article_id FROM event_mentions em JOIN events e USING (event_id) "
            "WHERE e.event_type = 'meeting'").fetchall()}
        dated = {r[0] for r in con.execute(
            "SELECT article_id FROM articles WHERE coalesce(published_at, date_anchor, first_seen_at)::DATE "
            "BETWEEN DATE '2022-01-01' AND DATE '2022-01-31'").fetchall()}
    assert lavrov and {h.article_id for h in search_articles('entity:"sergei lavrov"', indexed).hits} == lavrov
    assert {h.article_id for h in search_articles(f"entity:{entity_id}", indexed).hits} == lavrov
    assert meeting and {h.article_id for h in search_articles("event:meeting", indexed).hits} == meeting
    assert dated and {h.article_id for h in search_articles("date:[2022-01-01 TO 2022-01-31]", indexed).hits} == dated
    since = {h.article_id for h in search_articles("Putin", indexed, since=date(2022, 1, 1), until=date(2022, 1, 31)).hits}
    assert since <= dated


def test_unknown_event_category_is_a_query_error_naming_it(indexed):
    with pytest.raises(QueryError, match="column 13: unknown event category 'parade'"):
        search_articles("Putin event:parade", indexed)


def test_duplicates_are_folded_unless_asked_for(indexed, tmp_path):
    settings = make_settings(tmp_path)
    settings.db_path.parent.mkdir(parents=True)
    shutil.copy(indexed.db_path, settings.db_path)
    hits = search_articles("Geneva", settings.replace(search_index_dir=indexed.search_index_path)).hits
    copy = hits[0].article_id
    with duckdb.connect(str(settings.db_path)) as con:  # test setup: make one hit a duplicate
        con.execute("UPDATE articles SET is_duplicate = true, duplicate_of = ? WHERE article_id = ?",
                    [hits[1].article_id, copy])
    # Folded both when the index already knows (rebuilt) and when only the warehouse does.
    for fresh in (False, True):
        if fresh:
            rebuild(settings)
        target = settings if fresh else settings.replace(search_index_dir=indexed.search_index_path)
        assert copy not in {h.article_id for h in search_articles("Geneva", target).hits}
        assert copy in {h.article_id for h in search_articles("Geneva", target, fold_duplicates=False).hits}


@pytest.mark.e2e
def test_sync_indexes_each_run_once_and_costs_only_the_new_articles(tmp_path):
    from pipeline.flow import run_pipeline

    settings = make_settings(tmp_path)
    first = run_pipeline([str(p) for p in SEED_FILES[:2]], [], settings, run_quality=False)
    assert (first.monitor["indexed_runs"], first.monitor["indexed_articles"]) == (1, 2)
    again = sync(settings)
    assert (again.runs, again.articles, again.documents) == (0, 0, 2)
    second = run_pipeline([str(p) for p in SEED_FILES], [], settings, run_quality=False)
    assert (second.monitor["indexed_runs"], second.monitor["indexed_articles"]) == (1, 3)
    assert sync(settings).documents == 5
    found = {h.article_id for h in search_articles("Putin", settings, limit=50).hits}
    assert len(found) == 5
    rebuilt = rebuild(settings)
    assert (rebuilt.runs, rebuilt.articles, rebuilt.documents) == (2, 5, 5)
    assert {h.article_id for h in search_articles("Putin", settings, limit=50).hits} == found
