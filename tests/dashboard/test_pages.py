"""Each page in a real headless Chromium, over warehouses the real pipeline built: the numbers
the page shows equal plain SQL on the same file."""

from __future__ import annotations

import duckdb
import pytest
from playwright.sync_api import expect

from dashboard.browser import VIEWPORT, choose, exceptions, metrics, open_page
from dashboard.server import PAGES, running_dashboard


def sql(db, query, params=()):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(query, list(params)).fetchall()
    finally:
        con.close()


def shown_count(text: str) -> int:
    return int(text.replace(",", ""))


@pytest.fixture(scope="module")
def app(dashboard_db):
    with running_dashboard(dashboard_db) as url:
        yield url


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport=VIEWPORT)
    opened = context.new_page()
    yield opened
    context.close()


def test_overview_numbers_match_sql(app, page, dashboard_db):
    open_page(page, app + "/", "Overview")
    shown = metrics(page, "Documents read", "Canonical articles", "Duplicates", "Duplicate share",
                    "Quarantined items", "Publishers", "Quality status", "Checks passed")
    (documents, canonical, duplicates, quarantined, publishers), = sql(dashboard_db, """
        SELECT (SELECT count(*) FROM documents),
               (SELECT count(*) FROM articles WHERE NOT is_duplicate),
               (SELECT count(*) FROM articles WHERE is_duplicate),
               (SELECT count(*) FROM quarantine),
               (SELECT count(DISTINCT nullif(trim(publisher), '')) FROM articles WHERE NOT is_duplicate)""")
    assert shown_count(shown["Documents read"]) == documents
    assert shown_count(shown["Canonical articles"]) == canonical
    assert shown_count(shown["Duplicates"]) == duplicates
    assert shown["Duplicate share"] == f"{duplicates / (canonical + duplicates):.1%}"
    assert shown_count(shown["Quarantined items"]) == quarantined
    assert shown_count(shown["Publishers"]) == publishers

    (run_id, checks, passed, failed_critical), = sql(dashboard_db, """
        SELECT r.run_id, count(q.expectation), count(*) FILTER (WHERE q.success),
               count(*) FILTER (WHERE NOT q.success AND q.severity = 'critical')
        FROM pipeline_runs r LEFT JOIN quality_results q USING (run_id)
        GROUP BY r.run_id, r.started_at ORDER BY r.started_at DESC LIMIT 1""")
    assert shown["Checks passed"] == f"{passed} / {checks}"
    assert shown["Quality status"].startswith("failed" if failed_critical else "passed")
    expect(page.get_by_text(run_id)).to_have_count(1)
    assert exceptions(page) == []


def test_entities_show_the_top_entity_and_its_counts(app, page, dashboard_db):
    open_page(page, app + "/entities", "Entities")
    top = sql(dashboard_db, """
        SELECT e.canonical_name, e.entity_type, count(DISTINCT m.article_id) AS articles, count(*) AS mentions
        FROM entity_mentions m JOIN articles a USING (article_id) JOIN entities e USING (entity_id)
        WHERE NOT a.is_duplicate
        GROUP BY e.entity_id, e.canonical_name, e.entity_type
        ORDER BY articles DESC, mentions DESC, e.canonical_name LIMIT 3""")
    table = page.get_by_test_id("stTable").first
    first_row = table.locator("tbody tr").first.inner_text()
    name, entity_type, articles, mentions = top[0]
    assert name in first_row and entity_type in first_row
    # The first entity is selected by default: its figures are the metrics.
    shown = metrics(page, "Articles in period", "Mentions in period")
    assert shown_count(shown["Articles in period"]) == articles
    assert shown_count(shown["Mentions in period"]) == mentions
    expect(page.get_by_role("heading", name=name, exact=True)).to_have_count(1)
    expect(page.get_by_role("heading", name="Appears with")).to_have_count(1)
    expect(page.get_by_role("heading", name="Articles", exact=True)).to_have_count(1)
    # The drill-down lists the canonical articles naming it, each a link to the explorer.
    expect(page.locator('a[href*="articles?article="]')).to_have_count(articles)
    assert exceptions(page) == []


def test_a_link_to_an_entity_outside_the_top_list_shows_that_entity(app, page, dashboard_db):
    """As the explorer lists a linked article first, a link /entities?entity=<id> shows that
    entity, not the first of the top 15 (before: the link's entity was ignored when not among them)."""
    ranked = sql(dashboard_db, """
        SELECT e.entity_id, e.canonical_name, count(DISTINCT m.article_id) AS articles, count(*) AS mentions
        FROM entity_mentions m JOIN articles a USING (article_id) JOIN entities e USING (entity_id)
        WHERE NOT a.is_duplicate
        GROUP BY e.entity_id, e.canonical_name
        ORDER BY articles DESC, mentions DESC, e.canonical_name, e.entity_id""")
    assert len(ranked) > 15
    top_names = {name for _, name, _, _ in ranked[:15]}
    entity_id, name, articles, mentions = next(row for row in reversed(ranked) if row[1] not in top_names)
    open_page(page, f"{app}/entities?entity={entity_id}", "Entities")
    expect(page.get_by_role("heading", name=name, exact=True)).to_have_count(1)
    shown = metrics(page, "Articles in period", "Mentions in period")
    assert shown_count(shown["Articles in period"]) == articles
    assert shown_count(shown["Mentions in period"]) == mentions
    expect(page.locator('a[href*="articles?article="]')).to_have_count(articles)
    assert exceptions(page) == []


def test_entities_filter_by_type(app, page, dashboard_db):
    open_page(page, app + "/entities", "Entities")
    choose(page, "Entity type", "PERSON")
    rows = page.get_by_test_id("stTable").first.locator("tbody tr").all_inner_texts()
    (persons,), = sql(dashboard_db, """
        SELECT count(DISTINCT m.entity_id) FROM entity_mentions m JOIN articles a USING (article_id)
        JOIN entities e USING (entity_id) WHERE NOT a.is_duplicate AND e.entity_type = 'PERSON'""")
    assert len(rows) == min(15, persons) and all("PERSON" in row for row in rows)


def test_events_numbers_match_sql_and_filter_by_type(app, page, dashboard_db):
    open_page(page, app + "/events", "Events")
    (events, mentions, located), = sql(dashboard_db, """
        SELECT count(*), sum(num_mentions),
               count(*) FILTER (WHERE location_lat IS NOT NULL AND location_lon IS NOT NULL) FROM events""")
    shown = metrics(page, "Events", "Mentions", "Events with a place")
    assert shown_count(shown["Events"]) == events
    assert shown_count(shown["Mentions"]) == mentions
    assert shown_count(shown["Events with a place"]) == located
    if located:
        expect(page.get_by_test_id("stDeckGlJsonChart")).to_have_count(1)
    (event_type, typed), = sql(dashboard_db,
                               "SELECT event_type, count(*) FROM events GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 1")
    choose(page, "Event type", event_type)
    assert shown_count(metrics(page, "Events")["Events"]) == typed
    # The chosen event's mentions: each with its sentence and a link to its article.
    (top_event_mentions,), = sql(dashboard_db, """
        SELECT count(*) FROM event_mentions WHERE event_id = (
            SELECT event_id FROM events WHERE event_type = ?
            ORDER BY num_mentions DESC, event_date DESC NULLS LAST, event_id LIMIT 1)""", [event_type])
    expect(page.locator('a[href*="articles?article="]')).to_have_count(top_event_mentions)
    assert exceptions(page) == []


def test_article_explorer_shows_text_boilerplate_and_duplicates(app, page, dashboard_db):
    (article_id, title, spans), = sql(dashboard_db, """
        SELECT a.article_id, a.title, count(b.position) AS spans
        FROM articles a JOIN boilerplate_removed b USING (article_id)
        GROUP BY a.article_id, a.title ORDER BY spans DESC, a.article_id LIMIT 1""")
    open_page(page, f"{app}/articles?article={article_id}", "Article explorer")
    expect(page.get_by_role("heading", name=title, exact=True)).to_have_count(1)
    (entities,), = sql(dashboard_db, "SELECT count(DISTINCT entity_id) FROM entity_mentions WHERE article_id = ?",
                       [article_id])
    (events,), = sql(dashboard_db, "SELECT count(DISTINCT event_id) FROM event_mentions WHERE article_id = ?",
                     [article_id])
    (words,), = sql(dashboard_db, "SELECT word_count FROM articles WHERE article_id = ?", [article_id])
    shown = metrics(page, "Removed spans", "Entities", "Events", "Words")
    assert shown_count(shown["Removed spans"]) == spans
    assert shown_count(shown["Entities"]) == entities
    assert shown_count(shown["Events"]) == events
    assert shown_count(shown["Words"]) == words
    # Removed boilerplate is shown apart from the clean text, rule by rule.
    rules = [rule for (rule,) in sql(dashboard_db, "SELECT rule FROM boilerplate_removed WHERE article_id = ?",
                                     [article_id])]
    removed_table = page.get_by_test_id("stTable").filter(has_text="Removed text").first.inner_text()
    assert all(rule in removed_table for rule in rules)
    assert exceptions(page) == []


def test_article_explorer_links_a_copy_to_its_canonical(app, page, dashboard_db):
    (copy_id, copy_title, canonical_id), = sql(dashboard_db, """
        SELECT article_id, title, duplicate_of FROM articles WHERE is_duplicate ORDER BY article_id LIMIT 1""")
    open_page(page, f"{app}/articles?article={copy_id}", "Article explorer")
    expect(page.get_by_role("heading", name=copy_title, exact=True)).to_have_count(1)
    expect(page.get_by_text("This article is a duplicate of")).to_have_count(1)
    expect(page.locator(f'a[href*="articles?article={canonical_id}"]').first).to_be_visible()
    assert shown_count(metrics(page, "Other copies")["Other copies"]) >= 1


def test_data_quality_numbers_match_the_latest_run(app, page, dashboard_db):
    open_page(page, app + "/quality", "Data quality")
    (checks, passed, failed_critical, failed_warning), = sql(dashboard_db, """
        WITH latest AS (SELECT q.run_id FROM quality_results q JOIN pipeline_runs r USING (run_id)
                        GROUP BY q.run_id, r.started_at ORDER BY r.started_at DESC LIMIT 1)
        SELECT count(*), count(*) FILTER (WHERE success),
               count(*) FILTER (WHERE NOT success AND severity = 'critical'),
               count(*) FILTER (WHERE NOT success AND severity <> 'critical')
        FROM quality_results WHERE run_id = (SELECT run_id FROM latest)""")
    shown = metrics(page, "Checks in latest run", "Passed", "Failed (critical)", "Failed (warning)")
    assert shown_count(shown["Checks in latest run"]) == checks
    assert shown_count(shown["Passed"]) == passed
    assert shown_count(shown["Failed (critical)"]) == failed_critical
    assert shown_count(shown["Failed (warning)"]) == failed_warning
    (runs,), = sql(dashboard_db, "SELECT count(DISTINCT run_id) FROM quality_results")
    expect(page.get_by_role("heading", name="Trend")).to_have_count(1)
    trend_rows = page.get_by_test_id("stTable").filter(has_text="Pass rate").locator("tbody tr")
    expect(trend_rows).to_have_count(min(runs, 20))
    assert exceptions(page) == []


def test_every_page_renders_on_an_empty_warehouse(browser, empty_db):
    page = browser.new_page(viewport=VIEWPORT)
    with running_dashboard(empty_db) as url:
        for path, title in PAGES.items():
            open_page(page, f"{url}/{path}", title)
            assert exceptions(page) == [], path
            expect(page.get_by_test_id("stAlert").first).to_be_visible()  # says there is nothing yet
    page.close()


def test_a_missing_warehouse_is_explained_not_a_crash(browser, tmp_path):
    page = browser.new_page(viewport=VIEWPORT)
    with running_dashboard(tmp_path / "not_yet.duckdb") as url:
        open_page(page, url + "/entities", "Entities")
        expect(page.get_by_text("no warehouse at")).to_have_count(1)
        assert exceptions(page) == []
    page.close()


def test_search_page_shows_the_library_hits_with_highlights(app, page, dashboard_db):
    from pipeline.search import search_articles
    from pipeline.settings import load_settings

    query = '"Geneva" AND (talks OR negotiations) NOT title:opinion'
    expected = search_articles(query, load_settings(env={"NEWSMON_CONFIG": ""}, db_path=dashboard_db)).hits
    assert expected
    open_page(page, app + "/search?q=" + query.replace(" ", "+").replace('"', "%22"), "Search")
    for hit in expected:
        expect(page.get_by_role("link", name=hit.title)).to_have_count(1)
    expect(page.locator("mark").first).to_be_visible()
    assert exceptions(page) == []


def test_search_page_reports_a_malformed_query_in_one_line(app, page):
    open_page(page, app + "/search?q=%28Geneva", "Search")
    expect(page.get_by_text("query error at column 1: unclosed '('")).to_have_count(1)
    assert exceptions(page) == []
