"""The loader: one transaction per batch, idempotent upserts, derived counts, lock handling."""

from __future__ import annotations

import subprocess
import sys
from datetime import date, datetime

import pytest

from pipeline.errors import WarehouseLockedError
from pipeline.ingest.files import read_inputs
from pipeline.load.warehouse import Warehouse
from pipeline.records import Article, Batch, DuplicateLink, Entity, EntityMention, Event, EventMention
from pipeline.text import content_hash, word_count
from tests.conftest import SEED_FILES


def seed_batch(settings, run_id="r1") -> Batch:
    docs = read_inputs([str(p) for p in SEED_FILES], settings, run_id).documents
    articles = [Article(article_id=d.doc_id, doc_id=d.doc_id, source_uri=d.source_uri, url=None,
                        title=d.raw_text.splitlines()[0], publisher=None, byline=None,
                        published_at=datetime(2022, 1, 4 + i), language="en", body=d.raw_text,
                        word_count=word_count(d.raw_text), content_hash=content_hash(d.raw_text),
                        cluster_id=d.doc_id) for i, d in enumerate(docs)]
    a, b = articles[0].article_id, articles[1].article_id
    putin = Entity("putin", "Vladimir Putin", "PERSON", ["Putin", "Vladimir Putin"])
    mentions = [EntityMention(a, "putin", "Putin", 0, 5, 0), EntityMention(a, "putin", "Putin", 20, 25, 1),
                EntityMention(b, "putin", "Putin", 7, 12, 0)]
    event = Event("ev1", date(2022, 1, 10), "day", "meet", "04", "scheduled", "Geneva", 46.2, 6.14, "putin", None,
                  ["putin"])
    event_mentions = [EventMention("ev1", a, "talks in Geneva", "Jan. 10", 0, 15, 0.8, "meet"),
                      EventMention("ev1", b, "talks in Geneva", "January 10", 3, 18, 0.8, "meet")]
    return Batch(run_id, documents=docs, articles=articles, entities=[putin], mentions=mentions,
                 events=[event], event_mentions=event_mentions)


def counts(wh: Warehouse) -> dict[str, int]:
    return {t: wh.scalar(f"SELECT count(*) FROM {t}") for t in
            ["documents", "articles", "entities", "entity_mentions", "events", "event_mentions"]}


def test_counts_derive_from_mentions_and_reload_is_idempotent(settings):
    batch = seed_batch(settings)
    with Warehouse(settings) as wh:
        wh.load_batch(batch)
        first = counts(wh)
        wh.load_batch(batch)
        assert counts(wh) == first == {"documents": 5, "articles": 5, "entities": 1, "entity_mentions": 3,
                                       "events": 1, "event_mentions": 2}
        assert wh.con.execute("SELECT article_count, mention_count FROM entities").fetchone() == (2, 3)
        assert wh.con.execute("SELECT num_mentions, num_articles, num_sources FROM events").fetchone() == (2, 2, 2)


def test_staged_tables_load_the_same_rows_as_the_records(settings, tmp_path):
    """What publish does (the staged Parquet files loaded as Arrow) equals loading the records."""
    from dataclasses import replace

    from pipeline.records import BATCH_RECORDS
    from pipeline.staging import read_table, write_records

    batch = seed_batch(settings)
    batch.duplicate_links = [DuplicateLink(batch.articles[1].article_id, True, batch.articles[0].article_id,
                                           0.93, batch.articles[0].article_id)]
    staged = tmp_path / "staged"
    for attr, (cls, _) in BATCH_RECORDS.items():
        write_records(staged, attr, getattr(batch, attr), cls)
    tables = {attr: read_table(staged, attr, cls) for attr, (cls, _) in BATCH_RECORDS.items()}
    other = replace(settings, db_path=tmp_path / "from_tables.duckdb")
    with Warehouse(settings) as wh, Warehouse(other) as wt:
        written = wh.load_batch(batch)
        assert wt.load_tables("r1", tables) == written and written["entity_mentions"] == 3
        for table in ["documents", "articles", "entities", "entity_mentions", "events", "event_mentions"]:
            query = f"SELECT * FROM {table} ORDER BY ALL"
            assert wh.con.execute(query).fetchall() == wt.con.execute(query).fetchall(), table
        duplicate = "SELECT is_duplicate, duplicate_of FROM articles WHERE article_id = ?"
        assert wt.con.execute(duplicate, [batch.articles[1].article_id]).fetchone() == (True, batch.articles[0].article_id)


def test_a_failing_batch_writes_nothing(settings):
    good = seed_batch(settings)
    with Warehouse(settings) as wh:
        wh.load_batch(good)
        before = counts(wh)
        bad = seed_batch(settings, "r2")
        bad.entities.append(Entity("x", None, "PERSON"))  # canonical_name NOT NULL: fails mid-transaction
        bad.articles[0].title = "changed in the failed run"
        with pytest.raises(Exception, match="NOT NULL"):
            wh.load_batch(bad)
        assert counts(wh) == before
        assert wh.scalar("SELECT count(*) FROM articles WHERE title = 'changed in the failed run'") == 0
        assert wh.scalar("SELECT count(*) FROM pipeline_runs WHERE run_id = 'r2'") == 0


def test_reprocessed_article_replaces_its_child_rows(settings):
    batch = seed_batch(settings)
    with Warehouse(settings) as wh:
        wh.load_batch(batch)
        again = seed_batch(settings, "r2")
        again.mentions = again.mentions[:1]
        wh.load_batch(again)
        assert wh.scalar("SELECT count(*) FROM entity_mentions") == 1
        assert wh.con.execute("SELECT article_count, mention_count FROM entities").fetchone() == (1, 1)


def test_duplicate_links_update_stored_articles(settings):
    batch = seed_batch(settings)
    a, b = batch.articles[0].article_id, batch.articles[1].article_id
    with Warehouse(settings) as wh:
        wh.load_batch(batch)
        wh.load_batch(Batch("r2", duplicate_links=[DuplicateLink(b, True, a, 0.93, a), DuplicateLink(a, False, None,
                                                                                                        None, a)]))
        rows = wh.con.execute("SELECT article_id, is_duplicate, duplicate_of, cluster_id FROM articles "
                              "WHERE article_id IN (?, ?) ORDER BY is_duplicate", [a, b]).fetchall()
    assert rows == [(a, False, None, a), (b, True, a, a)]


def test_a_held_lock_becomes_a_transient_error_that_names_the_fix(settings):
    with Warehouse(settings):
        code = ("from pipeline.load.warehouse import Warehouse; from pipeline.settings import load_settings; "
                f"Warehouse(load_settings(db_path={str(settings.db_path)!r}, lock_timeout_seconds=1))")
        result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert "WarehouseLockedError" in result.stderr and "NEWSMON_LOCK_TIMEOUT_SECONDS" in result.stderr
    assert WarehouseLockedError.transient is True


def test_line_history_counts_a_story_once_and_rows_from_before_story_keys_by_article(settings):
    import duckdb

    from pipeline.load.warehouse import read_sql

    # A warehouse created before publisher_lines had story_key, holding two articles' rows.
    settings.db_path.parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(settings.db_path)) as con:
        con.execute("CREATE TABLE publisher_lines (publisher VARCHAR NOT NULL, line_hash VARCHAR NOT NULL, "
                    "article_id VARCHAR NOT NULL, seen_at TIMESTAMP NOT NULL, "
                    "PRIMARY KEY (publisher, line_hash, article_id))")
        con.execute("INSERT INTO publisher_lines VALUES ('example times', 'h1', 'old1', '2022-01-10'), "
                    "('example times', 'h1', 'old2', '2022-01-10')")
    with Warehouse(settings) as wh:
        wh.con.execute("INSERT INTO publisher_lines BY NAME SELECT * FROM (VALUES "
                       "('example times', 'h1', 'v1', TIMESTAMP '2022-01-11', 'title:story'), "
                       "('example times', 'h1', 'v2', TIMESTAMP '2022-01-11', 'title:story'), "
                       "('example times', 'h1', 'other', TIMESTAMP '2022-01-11', 'title:other')) "
                       "AS t(publisher, line_hash, article_id, seen_at, story_key)")
        counts = wh.con.execute(read_sql("publisher_line_counts"), [datetime(2022, 1, 1)]).fetchall()
    # old1, old2 (by article), the two versions of one story once, the other story.
    assert counts == [("example times", "h1", 4)]


def test_a_warehouse_from_before_story_keys_is_brought_up_to_date_before_clean_reads_it(settings):
    import duckdb

    from pipeline.flow import clean_step, ingest_step, start_run

    # The DAG's order: start, ingest and clean, which reads publisher_lines' history read-only.
    with Warehouse(settings):
        pass
    with duckdb.connect(str(settings.db_path)) as con:  # as the warehouse was before story_key
        con.execute("ALTER TABLE publisher_lines DROP COLUMN story_key")
        con.execute("DELETE FROM schema_version WHERE version >= 3")
    run_id = start_run("test", settings)
    ingest_step(run_id, [str(SEED_FILES[0])], [], settings)
    assert clean_step(run_id, settings)["articles"] == 1


def test_a_displaced_canonical_stops_counting_and_the_counts_follow_the_new_one(settings):
    """A more complete version of b arrives as c and becomes canonical: b's mentions go, an
    event only b reported goes, and every count is over a and c (docs/copies.md)."""
    from dataclasses import replace

    batch = seed_batch(settings)
    a, b = batch.articles[0].article_id, batch.articles[1].article_id
    batch.events.append(Event("ev-b-only", date(2022, 1, 3), "day", "statement", "01", "occurred", None, None,
                              None, "putin", None, ["putin"]))
    batch.event_mentions.append(EventMention("ev-b-only", b, "said on Monday", "Monday", 30, 44, 0.6, "statement"))
    with Warehouse(settings) as wh:
        wh.load_batch(batch)
        assert wh.con.execute("SELECT article_count, mention_count FROM entities").fetchone() == (2, 3)
        full = replace(batch.articles[1], article_id="c-full", doc_id=batch.documents[1].doc_id, cluster_id="c-full",
                       body=batch.articles[1].body + "\n\nA closing paragraph the first copy lost.")
        later = Batch("r2", articles=[full], mentions=[EntityMention("c-full", "putin", "Putin", 7, 12, 0)],
                      event_mentions=[EventMention("ev1", "c-full", "talks in Geneva", "January 10", 3, 18, 0.8,
                                                   "meet")],
                      duplicate_links=[DuplicateLink(b, True, "c-full", 0.97, "c-full"),
                                       DuplicateLink("c-full", False, None, None, "c-full")])
        wh.load_batch(later)
        assert wh.scalar("SELECT count(*) FROM entity_mentions WHERE article_id = ?", [b]) == 0
        assert wh.scalar("SELECT count(*) FROM event_mentions WHERE article_id = ?", [b]) == 0
        assert wh.con.execute("SELECT article_count, mention_count FROM entities").fetchone() == (2, 3)
        assert wh.con.execute("SELECT event_id, num_mentions, num_articles FROM events").fetchall() == [("ev1", 2, 2)]
        reporting = wh.con.execute("SELECT DISTINCT article_id FROM event_mentions ORDER BY 1").fetchall()
        assert reporting == sorted([(a,), ("c-full",)])
        # b is now a copy of c: it is linked to what c reports, never counted.
        assert wh.con.execute("SELECT num_copies FROM entities").fetchall() == [(1,)]
        assert wh.con.execute("SELECT event_id, num_copies FROM events").fetchall() == [("ev1", 1)]


def test_copies_arriving_later_are_linked_to_what_their_canonical_reported_but_never_counted(settings):
    from dataclasses import replace

    batch = seed_batch(settings)
    a, b, c = (x.article_id for x in batch.articles[:3])  # a and b name putin and report ev1; c neither
    with Warehouse(settings) as wh:
        wh.load_batch(batch)
        before = wh.con.execute("SELECT article_count, mention_count, num_copies FROM entities").fetchall()
        assert before == [(2, 3, 0)]
        copies = [replace(batch.articles[i], article_id=f"copy-{i}-{n}", doc_id=f"copy-{i}-{n}",
                          publisher=f"Outlet {n}") for i in (0, 0, 1, 2) for n in (1,)]
        copies[1] = replace(copies[1], article_id="copy-0-2", doc_id="copy-0-2")
        links = [DuplicateLink(x.article_id, True, y, 1.0, y) for x, y in zip(copies, (a, a, b, c), strict=True)]
        wh.load_batch(Batch("r2", articles=copies, duplicate_links=links))
        assert wh.con.execute("SELECT article_count, mention_count, num_copies FROM entities").fetchall() == [(2, 3, 3)]
        assert wh.con.execute("SELECT num_mentions, num_articles, num_sources, num_copies FROM events").fetchall() == [
            (2, 2, 2, 3)]
