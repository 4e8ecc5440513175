"""Schema migrations: every released schema is brought to the current one at start, keeping its rows.

`released_schemas/` holds schemas/warehouse.sql as each version of it was on main, named
`v<schema version>_<commit>.sql` (v0: from before the schema_version table); add the file
there whenever warehouse.sql changes on main.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from pipeline.errors import WarehouseError
from pipeline.load import migrations
from pipeline.load.migrations import MIGRATIONS, current_version, latest_version
from pipeline.load.warehouse import Warehouse
from tests.load.test_warehouse import seed_batch

RELEASED = sorted((Path(__file__).parent / "released_schemas").glob("*.sql"))


def schema_of(path: Path) -> dict[str, tuple]:
    """{table: (columns as (name, type, nullable, default), primary key)} as DuckDB reports them."""
    with duckdb.connect(str(path), read_only=True) as con:
        columns: dict[str, list] = {}
        for table, name, dtype, nullable in con.execute(
                "SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns "
                "WHERE table_schema = 'main' ORDER BY table_name, ordinal_position").fetchall():
            columns.setdefault(table, []).append((name, dtype, nullable))
        keys = dict(con.execute("SELECT table_name, constraint_column_names FROM duckdb_constraints() "
                                "WHERE constraint_type = 'PRIMARY KEY'").fetchall())
    return {t: (sorted(cols), keys.get(t)) for t, cols in columns.items()}


def old_warehouse(path: Path, ddl: Path, num_perm: int = 128) -> None:
    """A warehouse as that release left it, holding a document, a signature and a line."""
    path.parent.mkdir(parents=True, exist_ok=True)
    sql = ddl.read_text(encoding="utf-8")
    version = int(ddl.name.split("_")[0].removeprefix("v"))
    with duckdb.connect(str(path)) as con:
        con.execute(sql)
        if version:  # as that release's newsmon recorded it
            con.execute(migrations.VERSION_DDL)
            for m in MIGRATIONS[:version]:
                con.execute("INSERT INTO schema_version (version, name) VALUES (?, ?)", [m.version, m.name])
        con.execute("INSERT INTO documents (doc_id, source_kind, source_uri, fetched_at, raw_sha256, raw_text, "
                    "status) VALUES ('old-doc', 'file', 'seeds/a.txt', '2022-01-10', 'abc', 'text', 'ok')")
        shingles = ", shingle_hashes, shingle_size" if "shingle_hashes" in sql else ""
        con.execute("INSERT INTO article_signatures (article_id, content_hash, num_perm, hashvalues, "
                    f"shingle_count{shingles}) VALUES ('old-doc', 'h', ?, ?, 3{', ?, 5' if shingles else ''})",
                    [num_perm, bytes(4 * num_perm), *([bytes(12)] if shingles else [])])
        con.execute("INSERT INTO publisher_lines (publisher, line_hash, article_id, seen_at) "
                    "VALUES ('p', 'l', 'old-doc', '2022-01-10')")


@pytest.fixture(scope="module")
def fresh_schema(tmp_path_factory):
    """The schema a new warehouse gets (read only: built once for the module)."""
    from tests.conftest import make_settings

    fresh = make_settings(tmp_path_factory.mktemp("fresh"))
    with Warehouse(fresh):
        pass
    return schema_of(fresh.db_path)


def test_migrations_are_numbered_in_order():
    assert [m.version for m in MIGRATIONS] == list(range(1, len(MIGRATIONS) + 1))


def test_a_new_warehouse_is_at_the_latest_version_with_every_migration_recorded(settings):
    with Warehouse(settings) as wh:
        assert current_version(wh.con) == latest_version()
        assert wh.con.execute("SELECT count(*) FROM schema_version").fetchone()[0] == len(MIGRATIONS)


@pytest.mark.parametrize("ddl", RELEASED, ids=[p.stem for p in RELEASED])
def test_every_released_schema_is_migrated_to_the_current_one_keeping_its_rows(ddl, settings, fresh_schema):
    old_warehouse(settings.db_path, ddl)
    with Warehouse(settings) as wh:
        assert current_version(wh.con) == latest_version()
        assert wh.con.execute("SELECT doc_id, source_size FROM documents").fetchall() == [("old-doc", None)]
        assert wh.con.execute("SELECT article_id, octet_length(shingle_hashes) >= 0, shingle_size IS NOT NULL "
                              "FROM article_signatures").fetchall() == [("old-doc", True, True)]
        assert wh.con.execute("SELECT article_id, story_key FROM publisher_lines").fetchall() == [("old-doc", None)]
        wh.load_batch(seed_batch(settings))  # and the current code loads into it
    assert schema_of(settings.db_path) == fresh_schema
    with Warehouse(settings) as wh:  # opening again applies nothing
        assert wh.con.execute("SELECT count(*) FROM schema_version").fetchone()[0] == len(MIGRATIONS)


@pytest.mark.e2e
def test_a_run_on_a_released_warehouse_loads_without_losing_columns(settings):
    """Before: a pre-story_key warehouse got the column from warehouse.sql's ALTER only; one from
    before source_size failed at start (known_files reads it) with a traceback."""
    from pipeline.flow import run_pipeline
    from tests.conftest import SEED_FILES

    old_warehouse(settings.db_path, RELEASED[0], settings.minhash_perm)
    summary = run_pipeline([str(SEED_FILES[0])], [], settings, trigger="test", run_quality=False)
    assert summary.articles == 1
    with Warehouse(settings, read_only=True) as wh:
        assert wh.scalar("SELECT count(*) FROM documents WHERE source_size IS NOT NULL") == 1


def test_a_warehouse_from_a_newer_newsmon_is_refused_in_one_line(settings):
    with Warehouse(settings) as wh:
        wh.con.execute("INSERT INTO schema_version (version, name) VALUES (?, 'from the future')",
                       [latest_version() + 1])
    with pytest.raises(WarehouseError, match="newer than this newsmon knows") as caught:
        Warehouse(settings)
    assert "\n" not in str(caught.value)


def test_a_failing_migration_leaves_the_previous_version_and_is_retried(settings, monkeypatch):
    old_warehouse(settings.db_path, RELEASED[0])
    broken = migrations.Migration(len(MIGRATIONS) + 1, "broken", "ALTER TABLE no_such_table ADD COLUMN x INT")
    monkeypatch.setattr(migrations, "MIGRATIONS", [*MIGRATIONS, broken])
    with pytest.raises(WarehouseError, match=f"stays at version {len(MIGRATIONS)}"):
        Warehouse(settings)
    monkeypatch.setattr(migrations, "MIGRATIONS", MIGRATIONS)
    with Warehouse(settings) as wh:
        assert current_version(wh.con) == latest_version()
        assert wh.scalar("SELECT count(*) FROM documents") == 1


def test_a_column_the_warehouse_lacks_fails_the_load_instead_of_dropping_its_values(settings):
    """Case 16: values of a column the warehouse lacked were silently dropped at load."""
    with Warehouse(settings) as wh:
        wh.con.execute("ALTER TABLE documents DROP COLUMN source_size")  # as a missing migration leaves it
    with Warehouse(settings) as wh:
        with pytest.raises(WarehouseError, match="no column source_size") as caught:
            wh.load_batch(seed_batch(settings))
        assert "migration" in str(caught.value)
        assert wh.scalar("SELECT count(*) FROM documents") == 0


def test_text_event_dates_become_the_first_and_last_day_of_their_period(settings):
    """Before: event_date was text ('2022-01-10', '2022-01', '2022'), so a date-range query
    silently dropped month- and year-level events."""
    old_warehouse(settings.db_path, RELEASED[-1])
    with duckdb.connect(str(settings.db_path)) as con:
        for i, (value, precision) in enumerate([("2022-01-10", "day"), ("2022-01", "month"), ("2022", "year"),
                                                (None, None)]):
            con.execute("INSERT INTO events (event_id, event_date, date_precision, event_type, cameo_root, "
                        "modality, actors, num_mentions, num_articles, num_sources) "
                        "VALUES (?, ?, ?, 'meet', '04', 'occurred', [], 1, 1, 1)", [f"e{i}", value, precision])
            con.execute("INSERT INTO event_mentions (event_id, article_id, sentence, start_char, end_char, "
                        "confidence, event_type, event_date, date_precision) VALUES (?, 'a', 's', ?, 1, 0.5, "
                        "'meet', ?, ?)", [f"e{i}", i, value, precision])
    with Warehouse(settings) as wh:
        for table in ("events", "event_mentions"):
            rows = wh.con.execute(f"SELECT event_id, event_date, event_date_end FROM {table} ORDER BY 1").fetchall()
            assert [(r[0], str(r[1]), str(r[2])) for r in rows] == [
                ("e0", "2022-01-10", "2022-01-10"), ("e1", "2022-01-01", "2022-01-31"),
                ("e2", "2022-01-01", "2022-12-31"), ("e3", "None", "None")]
            # A range query now finds every precision that overlaps the range.
            assert wh.con.execute(f"SELECT count(*) FROM {table} WHERE event_date <= DATE '2022-01-15' "
                                  "AND event_date_end >= DATE '2022-01-05'").fetchone()[0] == 3


def test_copies_stored_with_mentions_stop_counting_when_the_warehouse_is_upgraded(settings):
    """Before version 10 a copy was extracted like any article: its mentions counted."""
    from pipeline.records import Event, EventMention

    batch = seed_batch(settings)
    a, b = batch.articles[0].article_id, batch.articles[1].article_id
    batch.events.append(Event("ev-copy-only", None, None, "statement", "01", "occurred", None, None, None,
                              "putin", None, ["putin"]))
    batch.event_mentions.append(EventMention("ev-copy-only", b, "said", None, 30, 34, 0.6, "statement"))
    with Warehouse(settings) as wh:
        wh.load_batch(batch)
        wh.con.execute("UPDATE articles SET is_duplicate = true, duplicate_of = ? WHERE article_id = ?", [a, b])
        wh.con.execute("UPDATE entities SET article_count = 2, mention_count = 3")  # as stored before
        wh.con.execute("DELETE FROM schema_version WHERE version >= 10")
    with Warehouse(settings) as wh:
        assert current_version(wh.con) == latest_version()
        assert wh.scalar("SELECT count(*) FROM entity_mentions WHERE article_id = ?", [b]) == 0
        assert wh.con.execute("SELECT article_count, mention_count FROM entities").fetchone() == (1, 2)
        assert wh.con.execute("SELECT event_id, num_mentions, num_articles FROM events").fetchall() == [("ev1", 1, 1)]
        # Version 11: the copy is linked to what its canonical reported, never counted.
        assert wh.con.execute("SELECT num_copies FROM entities").fetchall() == [(1,)]
        assert wh.con.execute("SELECT num_copies FROM events").fetchall() == [(1,)]


def test_has_table_and_version_of_a_file_without_the_version_table(tmp_path):
    """has_table answers from the table itself; a file without schema_version has no version
    (None), one with an empty version table version 0."""
    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        assert not migrations.has_table(con, "schema_version")
        assert current_version(con) is None
        con.execute(migrations.VERSION_DDL)
        assert migrations.has_table(con, "schema_version")
        assert not migrations.has_table(con, "alerts")
        assert current_version(con) == 0
        con.execute("INSERT INTO schema_version (version, name) VALUES (3, 'x')")
        assert current_version(con) == 3
