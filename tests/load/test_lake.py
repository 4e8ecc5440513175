"""The warehouse on DuckLake (docs/lake.md): a real PostgreSQL catalog (the session's throwaway
server, a database per test) and a temporary data folder; the same code as the file mode."""

from __future__ import annotations

import dataclasses
import json
import os
import signal
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import pytest

from pipeline.load import lake
from pipeline.load.warehouse import Warehouse, declared_keys
from tests.conftest import PROJECT_ROOT, SEEDS_DIR, make_settings, new_lake

BENCH = PROJECT_ROOT / "benchmarks" / "lake_bench.py"


def lake_settings(tmp_path: Path, spec: str):
    return make_settings(tmp_path, db_path=spec, lake_data_path=str(tmp_path / "lake_data") + "/",
                         search_index_dir=tmp_path / "search")


def table_keys(wh: Warehouse) -> dict[str, tuple[int, list[tuple]]]:
    """Per table: its row count and its sorted primary keys (ids derive from content)."""
    out = {}
    for table, keys in declared_keys(wh.settings.schemas_dir).items():
        cols = ", ".join(keys)
        rows = wh.con.execute(f"SELECT {cols} FROM {table} ORDER BY {cols}").fetchall()
        out[table] = (len(rows), rows)
    return out


# Keys that name the run or the moment, not the content: compared by count only.
RUN_TABLES = {"pipeline_runs", "quality_results", "alert_runs"}


def comparable(snapshot: dict) -> dict:
    return {t: (n if t in RUN_TABLES else rows) for t, (n, rows) in snapshot.items()}


def test_settings_route_a_lake_spec_and_the_ddl_loses_only_its_keys(tmp_path):
    spec = "ducklake:postgres:dbname=news host=db.example//x user=u password=secret"
    s = make_settings(tmp_path, db_path=spec)
    assert s.lake == spec and s.warehouse == spec  # not folded into a Path
    assert lake.redacted(spec).endswith("password=***")
    # A local search index per lake, not the default file's: same name whatever the password.
    index = s.search_index_path
    assert index != make_settings(tmp_path).search_index_path and index.name.startswith("lake-")
    assert make_settings(tmp_path, db_path=spec.replace("secret", "other")).search_index_path == index
    ddl = (PROJECT_ROOT / "schemas" / "warehouse.sql").read_text(encoding="utf-8")
    keys = lake.primary_keys(ddl)
    assert keys["publisher_lines"] == ["publisher", "line_hash", "article_id"]  # after a comment line
    assert keys["articles"] == ["article_id"] and len(keys) == ddl.count("CREATE TABLE")
    assert "PRIMARY KEY" not in lake.lake_ddl(ddl)
    with pytest.raises(Exception, match="ducklake:postgres"):
        lake.libpq_dsn("ducklake:sqlite:x.db")


@pytest.mark.e2e
def test_seeds_in_a_lake_give_the_rows_of_the_file(postgres_server, seeds_run, tmp_path):
    from pipeline.cli.query import warehouse_status
    from pipeline.flow import run_pipeline

    file_settings, file_summary = seeds_run
    settings = lake_settings(tmp_path, new_lake(postgres_server, "seeds_lake"))
    summary = run_pipeline([str(SEEDS_DIR)], [], settings, trigger="test")
    assert (summary.articles, summary.entities, summary.events) == \
        (file_summary.articles, file_summary.entities, file_summary.events)
    with Warehouse(file_settings, read_only=True) as f, Warehouse(settings, read_only=True) as lk:
        assert comparable(table_keys(lk)) == comparable(table_keys(f))
        file_status, lake_status = warehouse_status(f), warehouse_status(lk)
        assert lake_status["counts"] == file_status["counts"] and lake_status["counts"]["articles"] == 5
        # Derived columns too: the counts the load recomputes and the dedup verdicts.
        for sql in ("SELECT entity_id, article_count, mention_count FROM entities ORDER BY 1",
                    "SELECT event_id, num_mentions, num_articles, num_sources FROM events ORDER BY 1",
                    "SELECT article_id, is_duplicate, duplicate_of, word_count FROM articles ORDER BY 1"):
            assert lk.con.execute(sql).fetchall() == f.con.execute(sql).fetchall()
    # Re-running publishes nothing new: the documents are known.
    again = run_pipeline([str(SEEDS_DIR)], [], settings, trigger="test")
    assert again.articles == 0
    # newsmon sql on the lake: sandboxed (no other file) and the same answer.
    out = subprocess.run([sys.executable, "-m", "pipeline.cli", "sql", "SELECT count(*) AS n FROM entities",
                          "--json", "--db", settings.lake], capture_output=True, text=True, cwd=PROJECT_ROOT,
                         env={**os.environ, "NEWSMON_CONFIG": ""}, timeout=300)
    assert json.loads(out.stdout) == [{"n": file_summary.entities}], out.stderr
    refused = subprocess.run([sys.executable, "-m", "pipeline.cli", "sql", "SELECT * FROM read_csv('/etc/hostname')",
                              "--db", settings.lake], capture_output=True, text=True, cwd=PROJECT_ROOT,
                             env={**os.environ, "NEWSMON_CONFIG": ""}, timeout=300)
    assert refused.returncode == 2 and "disabled" in refused.stderr


@pytest.mark.e2e
def test_lake_migrate_copies_a_file_and_a_second_copy_changes_nothing(postgres_server, seeds_db, tmp_path):
    import shutil

    source = tmp_path / "copy.duckdb"
    shutil.copy(seeds_db, source)  # migrate may bring the file's schema up to date: never the shared one
    spec = new_lake(postgres_server, "migrated_lake")
    cmd = [sys.executable, "-m", "pipeline.cli", "lake", "migrate", str(source), "--db", spec,
           "--data-path", str(tmp_path / "data") + "/", "--json"]
    env = {**os.environ, "NEWSMON_CONFIG": ""}
    first = subprocess.run(cmd, capture_output=True, text=True, cwd=PROJECT_ROOT, env=env, timeout=300)
    assert first.returncode == 0, first.stderr
    second = subprocess.run(cmd, capture_output=True, text=True, cwd=PROJECT_ROOT, env=env, timeout=300)
    assert second.returncode == 0, second.stderr
    assert json.loads(first.stdout) == json.loads(second.stdout) and json.loads(first.stdout)["articles"] == 5
    settings = lake_settings(tmp_path, spec)
    with Warehouse(make_settings(tmp_path, db_path=source), read_only=True) as f, \
            Warehouse(settings, read_only=True) as lk:
        assert table_keys(lk) == table_keys(f)
        sql = "SELECT * EXCLUDE (stats) FROM pipeline_runs"
        assert lk.con.execute(sql).fetchall() == f.con.execute(sql).fetchall()
    no_lake = subprocess.run([sys.executable, "-m", "pipeline.cli", "lake", "migrate", str(source)],
                             capture_output=True, text=True, cwd=PROJECT_ROOT, env=env, timeout=300)
    assert no_lake.returncode == 2 and "Traceback" not in no_lake.stderr and "--db" in no_lake.stderr


def _publisher(spec: str, data_path: str, index: int, batches: int, articles: int, start: int = 0,
               kill_at: str = ""):
    return subprocess.Popen([sys.executable, str(BENCH), "publish", spec, str(data_path), str(index), str(batches),
                             "--articles", str(articles), "--start", str(start), "--kill-at", kill_at],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=PROJECT_ROOT,
                            env={**os.environ, "NEWSMON_CONFIG": "", "PYTHONPATH": str(PROJECT_ROOT)})


def _check_lake(wh: Warehouse, runs: list[str], articles: int, in_order: bool = True) -> None:
    """Every run listed is there whole, and nothing else: ids exact, counts derived right; each
    feed's state that of its publisher's last batch (`in_order`: the batches were published in
    order, none again), else of one of its batches."""
    ids = sorted(f"{run}-a{k:04d}" for run in runs for k in range(articles))
    assert [r[0] for r in wh.con.execute("SELECT article_id FROM articles ORDER BY 1").fetchall()] == ids
    assert [r[0] for r in wh.con.execute("SELECT doc_id FROM documents ORDER BY 1").fetchall()] == ids
    assert sorted(r[0] for r in wh.con.execute("SELECT run_id FROM pipeline_runs").fetchall()) == sorted(runs)
    assert wh.scalar("SELECT count(*) FROM entity_mentions") == 2 * len(ids)
    assert wh.scalar("SELECT count(*) FROM publisher_lines") == len(ids)
    publishers = sorted({run.split("-")[0] for run in runs})
    entities = wh.con.execute("SELECT entity_id, article_count, mention_count FROM entities ORDER BY 1").fetchall()
    per = {p: sum(run.startswith(p + "-") for run in runs) * articles for p in publishers}
    assert entities == sorted([("e-shared", len(ids), len(ids))] +
                              [(f"e-{p}", per[p], per[p]) for p in publishers])
    recount = wh.con.execute("SELECT entity_id, count(DISTINCT article_id), count(*) FROM entity_mentions "
                             "GROUP BY ALL ORDER BY 1").fetchall()
    assert entities == recount  # what the views fold equals a recount over every mention
    states = wh.con.execute("SELECT feed_name, seen_entry_ids FROM feed_state ORDER BY 1").fetchall()
    assert [name for name, _ in states] == [f"feed{p[1:]}" for p in publishers]
    for (_name, seen), p in zip(states, publishers, strict=True):
        own = sorted(r for r in runs if r.startswith(p + "-"))
        assert seen == [f"{own[-1]}-entry"] if in_order else seen[0].removesuffix("-entry") in own


@pytest.mark.e2e
def test_four_publishers_at_once_lose_and_duplicate_nothing(postgres_server, tmp_path):
    spec = new_lake(postgres_server, "concurrent_lake")
    data = str(tmp_path / "lake_data") + "/"
    procs = [_publisher(spec, data, p, 20, 3) for p in range(4)]
    outputs = [proc.communicate(timeout=900) for proc in procs]
    for proc, (_out, err) in zip(procs, outputs, strict=True):
        assert proc.returncode == 0, err[-2000:]
    lines = [json.loads(line) for out, _ in outputs for line in out.splitlines()]
    assert len(lines) == 80
    print(f"80 batches by 4 publishers: lock waits {sum(r['waits'] for r in lines)}, "
          f"commit retries {sum(r['retries'] for r in lines)}")
    runs = [f"p{p}-b{j:04d}" for p in range(4) for j in range(20)]
    with Warehouse(lake_settings(tmp_path, spec), read_only=True) as wh:
        _check_lake(wh, runs, 3)
        assert wh.scalar("SELECT count(*) FROM articles") == 240
        # Each batch appended its own rows of the shared tables (none took the exclusive path).
        assert wh.scalar(f"SELECT count(*) FROM {lake.SHARED}.entities") == 80 * 2
        assert wh.scalar(f"SELECT count(*) FROM {lake.SHARED}.feed_state") == 80


@pytest.mark.e2e
def test_a_publisher_killed_mid_commit_leaves_the_lake_whole_and_a_rerun_converges(postgres_server, tmp_path):
    spec = new_lake(postgres_server, "killed_lake")
    data = str(tmp_path / "lake_data") + "/"
    settings = lake_settings(tmp_path, spec)
    with Warehouse(settings):
        pass  # the tables exist before the publisher starts
    # The publish lock as pg_locks shows a bigint advisory key: its high and low 32 bits.
    held_sql = ("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted "
                "AND classid::bigint = %s AND objid::bigint = %s")
    key = (lake.LOCK_KEY >> 32, lake.LOCK_KEY & 0xFFFFFFFF)
    killed_after = []
    for attempt in range(3):  # kill at different moments of the load transaction
        proc = _publisher(spec, data, 0, 6, 40)
        deadline = time.monotonic() + 300
        first = proc.stdout.readline()  # one batch committed: the next one is under way
        assert first.startswith("{"), proc.stderr.read()[-2000:]
        while not postgres_server.query(held_sql, key)[0][0]:  # the next batch's transaction has begun
            assert time.monotonic() < deadline and proc.poll() is None
            time.sleep(0.01)
        time.sleep(0.15 * attempt)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=max(1.0, deadline - time.monotonic()))
        proc.stdout.close()
        proc.stderr.close()
        while postgres_server.query(held_sql, key)[0][0]:  # the server ends the dead session, and its lock
            assert time.monotonic() < deadline
            time.sleep(0.05)
        with Warehouse(settings, read_only=True) as wh:
            runs = sorted(r[0] for r in wh.con.execute("SELECT run_id FROM pipeline_runs").fetchall())
            _check_lake(wh, runs, 40, in_order=False)  # whole batches only, whatever the moment of the kill
            killed_after.append(len(runs))
    # The lock died with the killed publisher's connection; the re-run publishes what is missing
    # and re-publishes the rest without a change.
    proc = _publisher(spec, data, 0, 6, 40)
    _out, err = proc.communicate(timeout=600)
    assert proc.returncode == 0, err[-2000:]
    with Warehouse(settings, read_only=True) as wh:
        _check_lake(wh, [f"p0-b{j:04d}" for j in range(6)], 40)
    print(f"runs committed when killed: {killed_after}")


@pytest.mark.e2e
def test_maintenance_merges_files_and_expires_snapshots_keeping_every_row(postgres_server, tmp_path):
    from pipeline.flow import lake_maintenance_step

    spec = new_lake(postgres_server, "maintained_lake")
    settings = lake_settings(tmp_path, spec).replace(lake_retention_days=0.0)
    proc = _publisher(spec, settings.lake_data_path, 0, 4, 40)
    _out, err = proc.communicate(timeout=600)
    assert proc.returncode == 0, err[-2000:]
    with Warehouse(settings, read_only=True) as wh:
        rows = table_keys(wh)
        shared = {t: wh.con.execute(sql).fetchall() for t, sql in SHARED_TABLES_SQL.items()}
        assert wh.scalar(f"SELECT count(*) FROM {lake.SHARED}.entities") == 4 * 2  # a row per batch
    outcome = lake_maintenance_step(settings)
    before, after = outcome["before"], outcome["after"]
    print(f"maintenance: {before} -> {after}")
    assert after["data_files"] < before["data_files"] and after["snapshots"] < before["snapshots"]
    with Warehouse(settings, read_only=True) as wh:
        assert table_keys(wh) == rows
        # Compaction folded the shared tables' rows into one per key; readers see what they saw.
        assert {t: wh.con.execute(sql).fetchall() for t, sql in SHARED_TABLES_SQL.items()} == shared
        assert wh.scalar(f"SELECT count(*) FROM {lake.SHARED}.entities") == 2
        _check_lake(wh, [f"p0-b{j:04d}" for j in range(4)], 40)
        assert wh.scalar("SELECT value FROM ducklake_options('lake') WHERE option_name = "
                         "'parquet_row_group_size'") == str(lake.ROW_GROUP_ROWS)
    with Warehouse(settings) as wh:
        # Maintenance declared every table sorted by its key (the merged files come out sorted,
        # so drill-downs skip by their statistics): nothing differs now, nothing is set again.
        assert lake.set_layout(wh.con, declared_keys(settings.schemas_dir)) == []
        # A writer's DuckDB runs lake_writer_threads threads; maintenance took every core and gave them back.
        assert wh.scalar("SELECT current_setting('threads')") == settings.lake_writer_threads == 1
        # DuckLake's retries of a commit another publisher beat: after lake_retry_wait_ms, bounded.
        assert wh.scalar("SELECT current_setting('ducklake_retry_wait_ms')") == settings.lake_retry_wait_ms == 10
        assert wh.scalar("SELECT current_setting('ducklake_max_retry_count')") == lake.COMMIT_RETRIES
    # Files no snapshot refers to any more are gone from the data folder.
    on_disk = sum(1 for _ in Path(settings.lake_data_path).rglob("*.parquet"))
    assert on_disk == after["data_files"] + after["delete_files"]
    assert lake_maintenance_step(make_settings(tmp_path))["skipped"]  # a file needs none


@pytest.mark.e2e
def test_a_dashboard_snapshot_reads_the_lake_as_it_was_when_built(postgres_server, tmp_path):
    """Live drill-downs run in one read transaction pinned at the snapshot the marts were copied
    from: a later commit shows in the next snapshot, not half in this one."""
    from benchmarks.lake_bench import synthetic_batch
    from dashboard import data, queries

    spec = new_lake(postgres_server, "pinned_lake")
    settings = lake_settings(tmp_path, spec)
    with Warehouse(settings) as wh:
        wh.load_batch(synthetic_batch(0, 0, 2))
    snapshot = data.Snapshot(spec)
    try:
        with Warehouse(settings) as wh:
            wh.load_batch(synthetic_batch(0, 1, 2))
        assert len(snapshot.run(queries.ARTICLE, {"article_id": "p0-b0000-a0001"})) == 1
        assert snapshot.run(queries.ARTICLE, {"article_id": "p0-b0001-a0001"}).empty
        with pytest.raises(Exception, match="no_such_table"):
            snapshot.run(data.Query("broken", "SELECT * FROM no_such_table", "live"))
        # The failed statement did not leave the session's transaction aborted.
        assert len(snapshot.run(queries.ARTICLE, {"article_id": "p0-b0000-a0000"})) == 1
    finally:
        snapshot.close()
    fresh = data.Snapshot(spec)
    try:
        assert len(fresh.run(queries.ARTICLE, {"article_id": "p0-b0001-a0001"})) == 1
    finally:
        fresh.close()


@pytest.mark.e2e
def test_a_batch_of_new_articles_adds_to_the_counts_as_a_recount_would(postgres_server, tmp_path):
    """New articles are appended and add their mentions to the entities' counts without
    recounting (docs/lake.md); the counts stay what a recount over every mention gives, for an
    entity the batch only mentions too, and a re-run (a full MERGE and recount) changes nothing."""
    from benchmarks.lake_bench import synthetic_batch

    settings = lake_settings(tmp_path, new_lake(postgres_server, "counted_lake"))
    first, second = synthetic_batch(0, 0, 3), synthetic_batch(1, 0, 2)
    second.entities = [e for e in second.entities if e.entity_id != "e-shared"]  # mentioned, not carried
    recount = ("SELECT e.entity_id, e.article_count, e.mention_count, count(DISTINCT m.article_id), count(m.article_id) "
               "FROM entities e LEFT JOIN entity_mentions m USING (entity_id) GROUP BY ALL ORDER BY 1")
    with Warehouse(settings) as wh:
        wh.load_batch(first)
        wh.load_batch(second)
        rows = wh.con.execute(recount).fetchall()
        assert rows == [("e-p0", 3, 3, 3, 3), ("e-p1", 2, 2, 2, 2), ("e-shared", 5, 5, 5, 5)]
        wh.load_batch(first)
        assert wh.con.execute(recount).fetchall() == rows
        assert wh.scalar("SELECT count(*) FROM articles") == 5


def _with_event(batch, event_id: str, articles: int, message: str):
    """The batch, its first `articles` articles reporting one event (an id every batch shares),
    and one quarantined item every batch shares (same key, its own message)."""
    from pipeline.records import Event, EventMention, QuarantineItem

    batch.events = [Event(event_id, None, None, "meet", "04", "occurred", "Geneva", None, None, "e-shared", None,
                          ["e-shared"], summary=f"{batch.run_id} summary")]
    batch.event_mentions = [EventMention(event_id, a.article_id, "They met.", None, 0, 9, 0.9, event_type="meet")
                            for a in batch.articles[:articles]]
    batch.quarantine = [QuarantineItem("doc-x", "clean", "empty_body", message, None, batch.run_id,
                                       datetime(2026, 1, 2))]
    return batch


def _drill_downs(where, article_ids: list[str]) -> dict[str, list]:
    """The dashboard's drill-downs that join the shared tables, per article, on a Snapshot (which
    joins its in-memory copy of the folded entities and events: no fold per drill-down)."""
    from dashboard import data, queries

    snapshot = data.Snapshot(where)
    try:
        assert snapshot.con.execute("SELECT count(*) FROM snapshot.stg_events").fetchone()[0] == 1
        return {q.name: [snapshot.run(q, {"article_id": a}).to_dict("records") for a in article_ids]
                for q in (queries.ARTICLE_EVENTS, queries.ARTICLE_ENTITIES)}
    finally:
        snapshot.close()


SHARED_TABLES_SQL = {  # every column of the shared tables, as a reader sees them
    "entities": "SELECT * FROM entities ORDER BY entity_id",
    "events": "SELECT * FROM events ORDER BY event_id",
    "feed_state": "SELECT * FROM feed_state ORDER BY feed_name",
    "quarantine": "SELECT * FROM quarantine ORDER BY ALL",
    # joined, as the dashboards' drill-downs read them (no key filter reaches below the view)
    "mentioned entities": "SELECT m.article_id, e.* FROM entity_mentions AS m JOIN entities AS e USING (entity_id) "
                          "ORDER BY ALL",
    "mentioned events": "SELECT m.article_id, e.* FROM event_mentions AS m JOIN events AS e USING (event_id) "
                        "ORDER BY ALL",
}


@pytest.mark.e2e
def test_appended_runs_fold_on_read_to_the_files_rows_and_maintenance_keeps_them(postgres_server, tmp_path):
    """Batches of new articles publish by appending (the shared tables get a row per run);
    readers see the same entities, events, feed state and quarantine as the file that loaded
    the same batches (counts added, sources recounted, the latest state), before and after
    maintenance folds the rows into one per key."""
    from benchmarks.lake_bench import synthetic_batch

    batches = [_with_event(synthetic_batch(0, 0, 2), "ev-1", 2, "first"),
               _with_event(synthetic_batch(1, 0, 2), "ev-1", 1, "second"),
               _with_event(synthetic_batch(0, 1, 3), "ev-1", 1, "third")]
    settings = lake_settings(tmp_path, new_lake(postgres_server, "folded_lake")).replace(lake_retention_days=0.0)
    file_settings = make_settings(tmp_path, db_path=tmp_path / "file.duckdb")
    with Warehouse(file_settings) as f:
        for batch in batches:
            f.load_batch(batch)
        expected = {t: f.con.execute(sql).fetchall() for t, sql in SHARED_TABLES_SQL.items()}
    assert expected["events"][0][13:16] == (4, 4, 2)  # 4 mentions in 4 articles of 2 publishers
    with Warehouse(settings) as wh:
        for batch in batches:
            wh.load_batch(batch)
        rows = {t: wh.scalar(f"SELECT count(*) FROM {lake.SHARED}.{t}") for t in lake.FOLDED}
    assert rows == {"entities": 6, "events": 3, "feed_state": 3, "quarantine": 3}  # a row per run: appended
    with Warehouse(settings, read_only=True) as wh:
        assert {t: wh.con.execute(sql).fetchall() for t, sql in SHARED_TABLES_SQL.items()} == expected
        article_ids = [r[0] for r in wh.con.execute("SELECT article_id FROM articles ORDER BY 1").fetchall()]
    drill_downs = _drill_downs(settings.lake, article_ids)
    assert drill_downs == _drill_downs(file_settings.db_path, article_ids)
    assert sum(len(rows) for rows in drill_downs["article_events"]) == 4  # ev-1 in 4 articles
    lake_maintenance = Warehouse(settings)
    try:
        lake_maintenance.maintain_lake()
        assert {t: lake_maintenance.scalar(f"SELECT count(*) FROM {lake.SHARED}.{t}") for t in lake.FOLDED} == \
            {"entities": 3, "events": 1, "feed_state": 2, "quarantine": 1}
    finally:
        lake_maintenance.close()
    with Warehouse(settings, read_only=True) as wh:
        assert {t: wh.con.execute(sql).fetchall() for t, sql in SHARED_TABLES_SQL.items()} == expected
        # Maintenance pinned each view at its table's highest rowid: the rows so far read as stored.
        for table in lake.FOLDED:
            top = wh.scalar(f"SELECT max(rowid) FROM {lake.SHARED}.{table}")
            assert lake._folded_through(wh.con, table, lake.ALIAS) == top >= 0
    # Runs appended after maintenance (keys folded before and keys new since) and a re-run (the
    # full load: MERGEs and recounts over the folded rows) do what they do to the file.
    later = _with_event(synthetic_batch(1, 1, 2), "ev-1", 2, "fourth")
    later.events.append(dataclasses.replace(later.events[0], event_id="ev-2"))  # a key new since
    later.event_mentions.append(dataclasses.replace(later.event_mentions[0], event_id="ev-2", start_char=20,
                                                    end_char=29))
    for step in ([later], [batches[1]]):
        with Warehouse(file_settings) as f:
            for batch in step:
                f.load_batch(batch)
            expected = {t: f.con.execute(sql).fetchall() for t, sql in SHARED_TABLES_SQL.items()}
        with Warehouse(settings) as wh:
            for batch in step:
                wh.load_batch(batch)
        with Warehouse(settings, read_only=True) as wh:
            assert {t: wh.con.execute(sql).fetchall() for t, sql in SHARED_TABLES_SQL.items()} == expected
    assert len(expected["events"]) == 2 and expected["events"][0][13] == 6  # ev-1: 4 mentions, then 2 more
    with Warehouse(settings, read_only=True) as wh:
        assert wh.scalar("SELECT count(*) FROM articles") == 9


@pytest.mark.e2e
def test_an_appending_publisher_killed_before_its_commit_leaves_nothing_and_releases_its_locks(
        postgres_server, tmp_path):
    """SIGKILL inside the appending transaction, every row written, before COMMIT (the public
    kill point): the lake shows none of the batch, the server ends the dead session's shared
    lock and id locks, and the re-run publishes it whole."""
    spec = new_lake(postgres_server, "killed_appending_lake")
    data = str(tmp_path / "lake_data") + "/"
    settings = lake_settings(tmp_path, spec)
    done = _publisher(spec, data, 0, 1, 20)  # one batch committed first
    assert done.wait(timeout=300) == 0, done.stderr.read()[-2000:]
    done.stdout.close()
    done.stderr.close()
    killed = _publisher(spec, data, 0, 2, 20, start=1, kill_at="load.before_commit")
    killed.communicate(timeout=300)
    assert killed.returncode == -signal.SIGKILL
    deadline = time.monotonic() + 60
    while postgres_server.query("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'")[0][0]:
        assert time.monotonic() < deadline, "the killed publisher's locks outlived it"
        time.sleep(0.05)
    with Warehouse(settings, read_only=True) as wh:
        _check_lake(wh, ["p0-b0000"], 20)
        assert wh.scalar(f"SELECT count(*) FROM {lake.SHARED}.entities") == 2  # nothing of the killed batch
    rerun = _publisher(spec, data, 0, 2, 20, start=1)
    _out, err = rerun.communicate(timeout=300)
    assert rerun.returncode == 0, err[-2000:]
    with Warehouse(settings, read_only=True) as wh:
        _check_lake(wh, ["p0-b0000", "p0-b0001"], 20)
        assert wh.scalar(f"SELECT count(*) FROM {lake.SHARED}.entities") == 4  # the re-run appended


def test_a_lake_whose_views_predate_the_current_fold_gets_them_replaced_by_its_next_writer(
        postgres_server, tmp_path):
    """A lake laid out by an older newsmon keeps its views until a writer opens it: that writer
    replaces each view (marked lake.FOLD_VIEW_MARK) and readers see the same rows as before."""
    from benchmarks.lake_bench import synthetic_batch

    spec = new_lake(postgres_server, "old_views_lake")
    settings = lake_settings(tmp_path, spec)
    with Warehouse(settings) as wh:
        for batch in (synthetic_batch(0, 0, 2), synthetic_batch(1, 0, 2), synthetic_batch(0, 1, 1)):
            wh.load_batch(batch)
        expected = {t: wh.con.execute(sql).fetchall() for t, sql in SHARED_TABLES_SQL.items()}
        assert wh.scalar(f"SELECT count(*) FROM {lake.SHARED}.entities") > wh.scalar("SELECT count(*) FROM entities")
        for table in lake.FOLDED:  # a view of another shape (here: the rows unfolded), unmarked
            wh.con.execute(f"CREATE OR REPLACE VIEW {lake.ALIAS}.main.{table} AS SELECT * FROM {lake.SHARED}.{table}")
        assert not lake.fold_layout_ready(wh.con)
    lake._LAID_OUT.discard(spec)
    with Warehouse(settings) as wh:
        assert lake.fold_layout_ready(wh.con)
        assert {t: wh.con.execute(sql).fetchall() for t, sql in SHARED_TABLES_SQL.items()} == expected


@pytest.mark.e2e
def test_rows_repeating_a_key_within_one_batch_are_one_row_in_a_lake_as_in_a_file(postgres_server, tmp_path):
    """A lake has no key constraint: a batch carrying two rows of one declared key (a mention, an
    entity, a publisher line, a quality result given twice) stores one, the first, as the file's
    INSERT OR REPLACE does, and counts it once; whether appended (new articles) or loaded whole
    (the re-run), which changes nothing."""
    from benchmarks.lake_bench import synthetic_batch
    from pipeline.records import QualityResult

    def doubled():
        batch = synthetic_batch(0, 0, 3)
        batch.mentions.append(dataclasses.replace(batch.mentions[0], surface="Geneva again"))
        batch.entities.append(dataclasses.replace(batch.entities[0], canonical_name="Geneve"))
        batch.publisher_lines.append(batch.publisher_lines[1])
        return batch

    results = [QualityResult("run-q", "suite", "expect", True, "1", "first"),
               QualityResult("run-q", "suite", "expect", False, "0", "second")]
    every = {**{t: f"SELECT * FROM {t} ORDER BY ALL" for t in
                ("articles", "entity_mentions", "entities", "publisher_lines", "feed_state")},
             "quality_results": "SELECT * FROM quality_results ORDER BY ALL"}
    file_settings = make_settings(tmp_path, db_path=tmp_path / "file.duckdb")
    with Warehouse(file_settings) as f:
        f.load_batch(doubled())
        f.save_quality_results(results)
        expected = {t: f.con.execute(sql).fetchall() for t, sql in every.items()}
    assert len(expected["entity_mentions"]) == 6 and len(expected["entities"]) == 2
    assert ("e-shared", "Geneva") in {r[:2] for r in expected["entities"]}  # the first row kept
    settings = lake_settings(tmp_path, new_lake(postgres_server, "repeated_keys_lake"))
    with Warehouse(settings) as wh:
        wh.load_batch(doubled())  # appended
        wh.save_quality_results(results)
        assert {t: wh.con.execute(sql).fetchall() for t, sql in every.items()} == expected
        assert wh.scalar(f"SELECT count(*) FROM {lake.SHARED}.entities") == 2
        wh.load_batch(doubled())  # the re-run: the full load's MERGEs and recounts
        assert {t: wh.con.execute(sql).fetchall() for t, sql in every.items()} == expected


def _catalog_statements(server) -> int:
    return server.logfile.read_text(errors="replace").count("LOG:  statement:")


def test_an_empty_table_reads_with_no_more_catalog_statements_than_one_with_rows(postgres_server, tmp_path):
    """DuckLake asks the catalog for a never-written table's statistics again at every use (about
    nine times a read of a table with rows); the lake gives its empty tables an empty table's
    statistics (lake.seed_empty_stats), which its first rows then update as DuckLake would."""
    import psycopg2

    from benchmarks.lake_bench import synthetic_batch

    spec = new_lake(postgres_server, "lake_empty_stats")
    settings = lake_settings(tmp_path, spec)
    with Warehouse(settings) as wh:
        wh.load_batch(synthetic_batch(0, 0, articles=2))  # a feed state, no quarantined item
    catalog = psycopg2.connect(lake.libpq_dsn(spec))
    catalog.autocommit = True
    with catalog.cursor() as cursor:
        cursor.execute("SELECT t.table_name, count(s.table_id), min(s.record_count) FROM ducklake_table AS t "
                       "LEFT JOIN ducklake_table_stats AS s USING (table_id) WHERE t.end_snapshot IS NULL GROUP BY 1")
        stats = {name: (rows, count) for name, rows, count in cursor.fetchall()}
        cursor.execute("ALTER DATABASE lake_empty_stats SET log_statement = 'all'")  # the reader's new session
    catalog.close()
    assert all(rows == 1 for rows, _ in stats.values()), stats  # one row each, none doubled
    assert stats["feed_state"][1] == 1 and stats["quarantine"][1] == 0 and stats["articles"][1] == 2

    asked = {}
    with Warehouse(settings, read_only=True) as reader:
        reader.con.execute("BEGIN TRANSACTION")  # as the dashboards' live queries read
        for table in ("quarantine", "feed_state", "quarantine", "feed_state"):
            before = _catalog_statements(postgres_server)
            rows = reader.con.execute(f"SELECT * FROM {table}").fetchall()
            asked[table] = (len(rows), _catalog_statements(postgres_server) - before)
        reader.con.execute("ROLLBACK")
    assert asked["quarantine"][0] == 0 and asked["feed_state"][0] == 1
    assert 0 < asked["quarantine"][1] <= asked["feed_state"][1], asked
