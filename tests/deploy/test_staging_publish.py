"""Scale-out path: steps in separate processes, staging Parquet between them, one publisher.

Each step runs in its own Python process (as each Airflow task does on a Celery worker),
configured only by NEWSMON_* variables and handed only the run id; the last process is the
single DuckDB writer. Its warehouse must equal the one an in-process `run_pipeline` builds from
the same inputs, row for row, in every table.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from pipeline.flow import run_pipeline
from pipeline.settings import load_settings

pytestmark = pytest.mark.e2e  # every test here runs the whole pipeline

REPO = Path(__file__).resolve().parents[2]
SEEDS = sorted((REPO / "seeds").glob("*.txt"))
STAGE_STEPS = ["clean", "dedup", "extract", "validate"]
# Columns that record when or in which run something happened: they must differ between two
# runs, so only whether they are set is compared.
VOLATILE = {"run_id", "fetched_at", "quarantined_at", "started_at", "finished_at", "first_seen_at",
            "seen_at", "first_seen", "last_seen", "last_fetched_at", "next_retry_at", "applied_at",
            "evaluated_at", "delivered_at"}
# Results of the GX suites, which the staged steps do not run (quality_step is separate).
NOT_COMPARED = {"quality_results"}


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> Path:
    """The seeds plus what must flow through too: a near-duplicate and two unusable files."""
    folder = tmp_path_factory.mktemp("inputs")
    for seed in SEEDS:
        shutil.copy(seed, folder / seed.name)
    lines = SEEDS[1].read_text(encoding="utf-8").splitlines()
    # The same story re-published with its last paragraph dropped: dedup must link it.
    (folder / "repost_of_001.txt").write_text("\n".join(lines[:-2]) + "\n", encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 8)
    return folder


def _step(env: dict[str, str], cwd: Path, *args: str):
    result = subprocess.run([sys.executable, "-m", "tests.deploy.step_runner", *args], env=env, cwd=cwd,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, f"step {args[0]} failed:\n{result.stderr[-3000:]}"
    return json.loads(result.stdout.strip().splitlines()[-1])


def _comparable(column: str, columns: list[str]) -> str:
    if column in VOLATILE:
        return f'"{column}" IS NULL AS "{column}"'
    if column == "date_anchor" and "date_anchor_source" in columns:
        # An undated article is anchored at its fetch time: a wall-clock value like fetched_at.
        return "CASE WHEN date_anchor_source = 'fetched' THEN NULL ELSE date_anchor END AS date_anchor"
    return f'"{column}"'


def _mask_payload(payload: str | None) -> str | None:
    """A quarantined record's JSON carries its own wall-clock fields: keep only whether set."""
    try:
        record = json.loads(payload) if payload else None
    except ValueError:
        return payload
    if not isinstance(record, dict):
        return payload
    return json.dumps({k: (v is None if k in VOLATILE else v) for k, v in record.items()}, sort_keys=True)


def _snapshot(db_path: Path) -> dict[str, tuple[list[str], list[tuple]]]:
    """Every table as (columns, rows sorted on all columns), volatile columns as IS NULL flags."""
    tables: dict[str, tuple[list[str], list[tuple]]] = {}
    with duckdb.connect(str(db_path), read_only=True) as con:
        names = [r[0] for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' ORDER BY 1").fetchall()]
        for name in names:
            if name in NOT_COMPARED:
                continue
            columns = [r[0] for r in con.execute(f'DESCRIBE "{name}"').fetchall()]
            exprs = [_comparable(c, columns) for c in columns]
            rows = con.execute(f'SELECT {", ".join(exprs)} FROM "{name}" ORDER BY ALL').fetchall()
            if "payload" in columns:
                at = columns.index("payload")
                rows = [(*r[:at], _mask_payload(r[at]), *r[at + 1:]) for r in rows]
            tables[name] = (columns, rows)
    return tables


@pytest.fixture(scope="module")
def staged_run(inputs, tmp_path_factory):
    """Every step in its own process; returns (warehouse path, staging files seen before publish)."""
    root = tmp_path_factory.mktemp("staged")
    workdir = root / "cwd"  # no newsmon.toml here: settings come from the environment only
    workdir.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSMON_")}
    env.update({"NEWSMON_CONFIG": "", "PYTHONPATH": str(REPO),
                "NEWSMON_DB_PATH": str(root / "warehouse" / "news.duckdb"),
                "NEWSMON_STAGING_DIR": str(root / "shared-staging"),
                "NEWSMON_REPORTS_DIR": str(root / "reports")})
    run_id = _step(env, workdir, "start", "test")
    _step(env, workdir, "ingest", run_id, str(inputs))
    for step in STAGE_STEPS:
        _step(env, workdir, step, run_id)
    run_dir = next((root / "shared-staging").iterdir())
    staged = sorted(str(p.relative_to(run_dir)) for p in run_dir.rglob("*.parquet"))
    db_path = root / "warehouse" / "news.duckdb"
    # Stage steps only read the warehouse: nothing is in it until the publisher runs.
    if db_path.exists():
        with duckdb.connect(str(db_path), read_only=True) as con:
            assert con.execute("SELECT count(*) FROM articles").fetchone() == (0,)
    published = _step(env, workdir, "publish", run_id)
    _step(env, workdir, "monitor", run_id)  # as news_alerts does after each load, and newsmon run
    return db_path, staged, run_dir, published


@pytest.fixture(scope="module")
def in_process_db(inputs, tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("inprocess")
    settings = load_settings(env={"NEWSMON_CONFIG": ""}, db_path=root / "warehouse" / "news.duckdb",
                             staging_dir=root / "staging", reports_dir=root / "reports")
    run_pipeline([str(inputs)], [], settings, trigger="test", run_quality=False)
    return settings.db_path


@pytest.mark.slow
def test_steps_hand_over_through_staged_parquet(staged_run):
    _, staged, run_dir, _ = staged_run
    for name in ("documents", "clean_articles", "dedup_articles", "articles", "entities", "mentions",
                 "events", "event_mentions", "quarantine_ingest"):
        assert f"{name}.parquet" in staged, staged
    assert "validated/articles.parquet" in staged
    # The publisher consumed the run's staging folder.
    assert not run_dir.exists()


@pytest.mark.slow
def test_separate_processes_build_the_same_warehouse_as_one_process(staged_run, in_process_db):
    staged_db = staged_run[0]
    expected, actual = _snapshot(in_process_db), _snapshot(staged_db)
    assert set(actual) == set(expected)
    # The comparison has substance: the inputs reach every kind of row.
    with duckdb.connect(str(staged_db), read_only=True) as con:
        counts = dict(con.execute(
            "SELECT 'articles', count(*) FROM articles UNION ALL "
            "SELECT 'duplicates', count(*) FILTER (WHERE is_duplicate) FROM articles UNION ALL "
            "SELECT 'quarantine', count(*) FROM quarantine UNION ALL "
            "SELECT 'entity_mentions', count(*) FROM entity_mentions UNION ALL "
            "SELECT 'event_mentions', count(*) FROM event_mentions").fetchall())
    assert counts["articles"] == len(SEEDS) + 1
    assert counts["duplicates"] >= 1
    assert counts["quarantine"] >= 2
    assert counts["entity_mentions"] > 0 and counts["event_mentions"] > 0
    differences = {table: _first_difference(*actual[table], expected[table][1]) for table in expected}
    assert {t: d for t, d in differences.items() if d} == {}


def _first_difference(columns: list[str], actual: list[tuple], expected: list[tuple]) -> str | None:
    """None when equal, else which row count or which columns of the first unequal row differ."""
    if len(actual) != len(expected):
        return f"{len(actual)} rows, expected {len(expected)}"
    for got, want in zip(actual, expected, strict=True):
        if got != want:
            cols = [f"{c}: {g!r:.80} != {w!r:.80}" for c, g, w in zip(columns, got, want, strict=True) if g != w]
            return "; ".join(cols)
    return None
