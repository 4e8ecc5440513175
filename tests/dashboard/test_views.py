"""The SQL views over real warehouses: marts agree with plain SQL on the tables, empty and
missing warehouses are handled, and the file is never written nor held open."""

from __future__ import annotations

import re

import duckdb
import pytest

from dashboard import data
from dashboard import queries as q
from pipeline.errors import WarehouseError


def raw(db, sql, params=()):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, list(params)).fetchall()
    finally:
        con.close()


def test_every_view_file_is_one_cte_select_with_one_column_per_line():
    for name, select in data.view_definitions():
        assert select.lstrip().startswith(("--", "WITH")), name
        assert "SELECT *\nFROM " in select or name.startswith("mart_"), name
        for line in select.splitlines():
            # A select list keeps one column per line: no "a, b" pairs outside function calls.
            stripped = re.sub(r"'[^']*'", "''", line.strip())
            while re.search(r"\([^()]*\)", stripped):
                stripped = re.sub(r"\([^()]*\)", "", stripped)
            if stripped.endswith(",") and not stripped.startswith("--"):
                assert stripped[:-1].count(",") == 0, (name, line)


def test_overview_mart_counts_match_the_tables(dashboard_db):
    row = data.Snapshot(dashboard_db).run(q.OVERVIEW).iloc[0]
    (documents,), = raw(dashboard_db, "SELECT count(*) FROM documents")
    (canonical, duplicates), = raw(dashboard_db, "SELECT count(*) FILTER (WHERE NOT is_duplicate), "
                                                 "count(*) FILTER (WHERE is_duplicate) FROM articles")
    (quarantined,), = raw(dashboard_db, "SELECT count(*) FROM quarantine")
    assert row["documents_read"] == documents
    assert row["canonical_articles"] == canonical
    assert row["duplicate_articles"] == duplicates
    assert row["quarantined_items"] == quarantined
    assert row["duplicate_share"] == pytest.approx(duplicates / (canonical + duplicates))
    # The case run added a syndicated copy of a seed and an empty file.
    assert canonical == 5 and duplicates >= 1 and quarantined >= 1


def test_entity_marts_count_canonical_articles_only(dashboard_db):
    snapshot = data.Snapshot(dashboard_db)
    first, last = snapshot.run(q.ENTITY_PERIOD).iloc[0]
    top = snapshot.run(q.TOP_ENTITIES, {"first_day": first, "last_day": last, "entity_type": None, "limit": 5})
    # The whole period is served from the totals mart: the same ranking.
    all_time = snapshot.run(q.TOP_ENTITIES_ALL_TIME, {"entity_type": None, "limit": 5})
    assert top.equals(all_time)
    assert len(top) == 5
    for entity in top.itertuples():
        (articles, mentions), = raw(dashboard_db, """
            SELECT count(DISTINCT m.article_id), count(*)
            FROM entity_mentions m JOIN articles a USING (article_id)
            WHERE m.entity_id = ? AND NOT a.is_duplicate""", [entity.entity_id])
        assert (entity.articles, entity.mentions) == (articles, mentions)
    (most,), = raw(dashboard_db, """
        SELECT max(n) FROM (SELECT count(DISTINCT m.article_id) AS n
                            FROM entity_mentions m JOIN articles a USING (article_id)
                            WHERE NOT a.is_duplicate GROUP BY m.entity_id)""")
    assert top["articles"].iloc[0] == most


def test_cooccurrence_counts_shared_canonical_articles(dashboard_db):
    (entity_id,), = raw(dashboard_db, "SELECT entity_id FROM entity_mentions GROUP BY 1 ORDER BY count(*) DESC LIMIT 1")
    snapshot = data.Snapshot(dashboard_db)
    first, last = snapshot.run(q.ENTITY_PERIOD).iloc[0]
    together = snapshot.run(q.ENTITY_COOCCURRENCE, {"entity_id": entity_id, "limit": 100,
                                                    "first_day": first, "last_day": last})
    assert not together.empty and entity_id not in set(together["other_entity_id"])
    other = together.iloc[0]
    (shared,), = raw(dashboard_db, """
        SELECT count(*) FROM articles a
        WHERE NOT a.is_duplicate
          AND EXISTS (SELECT 1 FROM entity_mentions m WHERE m.article_id = a.article_id AND m.entity_id = ?)
          AND EXISTS (SELECT 1 FROM entity_mentions m WHERE m.article_id = a.article_id AND m.entity_id = ?)
    """, [entity_id, other["other_entity_id"]])
    assert other["shared_articles"] == shared


def test_article_duplicates_link_both_ways(dashboard_db):
    (copy_id, canonical_id), = raw(dashboard_db,
                                   "SELECT article_id, duplicate_of FROM articles WHERE is_duplicate LIMIT 1")
    snapshot = data.Snapshot(dashboard_db)
    from_canonical = snapshot.run(q.ARTICLE_DUPLICATES, {"article_id": canonical_id})
    from_copy = snapshot.run(q.ARTICLE_DUPLICATES, {"article_id": copy_id})
    assert copy_id in set(from_canonical["member_id"])
    assert canonical_id in set(from_copy["member_id"])


def test_every_query_runs_on_an_empty_warehouse(empty_db):
    snapshot = data.Snapshot(empty_db)
    params = {"first_day": None, "last_day": None, "entity_type": None, "limit": 10, "entity_id": "x",
              "event_type": None, "actor": None, "event_id": "x", "text": "", "article_id": "x"}
    for query in q.ALL_QUERIES:
        wanted = {name: params[name] for name in set(re.findall(r"\$(\w+)", query.sql))}
        frame = snapshot.run(query, wanted)
        aggregate_only = query.name in {"overview", "entity_period", "event_totals"}
        assert len(frame) == (1 if aggregate_only else 0), query.name


def test_a_missing_warehouse_says_what_to_run(tmp_path):
    with pytest.raises(WarehouseError, match="no warehouse") as caught:
        data.Snapshot(tmp_path / "absent.duckdb")
    assert "make run" in caught.value.hint


def test_the_dashboard_does_not_write_the_file(dashboard_db, copy_of):
    db = copy_of(dashboard_db)
    before = db.read_bytes()
    snapshot = data.Snapshot(db)
    for query, params in ((q.ARTICLE_SEARCH, {"text": "", "limit": 5}), (q.ARTICLE, {"article_id": "x"})):
        snapshot.run(query, params)
    snapshot.close()
    assert db.read_bytes() == before


def test_a_pipeline_can_write_while_the_dashboard_is_open(dashboard_db, copy_of):
    db = copy_of(dashboard_db)
    snapshot = data.Snapshot(db)
    snapshot.run(q.ARTICLE, {"article_id": "x"})  # a live query: attaches, then lets go
    # DuckDB admits a writer only when no other process or connection holds the file.
    writer = duckdb.connect(str(db))
    writer.execute("DELETE FROM quarantine")
    writer.close()
    assert snapshot.run(q.OVERVIEW)["quarantined_items"].iloc[0] >= 1  # answers from memory
    assert data.Snapshot(db).run(q.OVERVIEW)["quarantined_items"].iloc[0] == 0
    snapshot.close()


def test_a_changed_warehouse_is_served_stale_until_its_new_snapshot_is_built(dashboard_db, copy_of):
    db = copy_of(dashboard_db)
    cache = data.SnapshotCache()
    first, stale = cache.get(db)
    assert not stale
    assert cache.get(db) == (first, False)  # unchanged file: the same snapshot
    writer = duckdb.connect(str(db))
    writer.execute("DELETE FROM quarantine")
    writer.close()
    during, stale = cache.get(db)
    assert stale and during is first  # pages keep answering while the rebuild runs
    cache.wait()
    after, stale = cache.get(db)
    assert not stale and after is not first
    assert after.run(q.OVERVIEW)["quarantined_items"].iloc[0] == 0


def test_undated_articles_are_not_plotted_at_the_day_they_were_fetched(dashboard_db):
    snapshot = data.Snapshot(dashboard_db)
    plotted = int(snapshot.run(q.ARTICLES_PER_DAY)[["canonical_articles", "duplicate_articles"]].sum().sum())
    (dated, undated, fetched_days), = raw(dashboard_db, """
        SELECT count(*) FILTER (WHERE published_at IS NOT NULL OR date_anchor_source <> 'fetched'),
               count(*) FILTER (WHERE published_at IS NULL AND date_anchor_source = 'fetched'),
               list(DISTINCT CAST(first_seen_at AS DATE))
        FROM articles""")
    assert plotted == dated and undated >= 1  # the case run's undated copy is on the warehouse
    fetched = {str(d) for d in fetched_days}
    assert not set(snapshot.run(q.ARTICLES_PER_DAY)["article_day"].astype(str)) & fetched
    (entity_id,), = raw(dashboard_db, "SELECT entity_id FROM entity_mentions GROUP BY 1 ORDER BY count(*) DESC LIMIT 1")
    first, last = snapshot.run(q.ENTITY_PERIOD).iloc[0]
    timeline = snapshot.run(q.ENTITY_TIMELINE, {"entity_id": entity_id, "first_day": first, "last_day": last})
    assert not timeline.empty and not set(timeline["article_day"].astype(str)) & fetched


def test_unknown_is_not_counted_as_a_publisher(dashboard_db):
    row = data.Snapshot(dashboard_db).run(q.OVERVIEW).iloc[0]
    (publishers, without), = raw(dashboard_db, """
        SELECT count(DISTINCT nullif(trim(publisher), '')) FILTER (WHERE NOT is_duplicate),
               count(*) FILTER (WHERE NOT is_duplicate AND nullif(trim(publisher), '') IS NULL)
        FROM articles""")
    assert without >= 1 and row["publishers"] == publishers
