"""`newsmon sql` is read-only for real: a typed query reads the warehouse's tables and nothing else
(issue 30, case 11). Before: COPY TO overwrote the warehouse, ATTACH created databases,
read_csv read any file, INSTALL reached for the network."""

from __future__ import annotations

import hashlib
import shutil

import pytest

from pipeline.cli import main
from pipeline.load.warehouse import Warehouse
from tests.conftest import make_settings
from tests.load.test_warehouse import seed_batch


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    """A warehouse holding the seed batch, built once; each test reads its own copy."""
    settings = make_settings(tmp_path_factory.mktemp("sandbox"))
    with Warehouse(settings) as wh:
        wh.load_batch(seed_batch(settings))
    return settings.db_path


@pytest.fixture
def loaded(seeded, tmp_path):
    copy = tmp_path / "warehouse" / seeded.name
    copy.parent.mkdir()
    shutil.copy(seeded, copy)
    return copy


def sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def sql(db, query, capsys) -> tuple[int, str, str]:
    code = main(["sql", "--db", str(db), query])
    out, err = capsys.readouterr()
    return code, out, err


def test_a_select_still_answers(loaded, capsys):
    code, out, err = sql(loaded, "SELECT count(*) AS n FROM articles", capsys)
    assert code == 0 and "5" in out and err == ""


@pytest.mark.parametrize("query", [
    "COPY (SELECT 42) TO '{db}'",
    "COPY (SELECT 42) TO '{tmp}/out.csv'",
    "ATTACH '{tmp}/created.duckdb' AS created (READ_WRITE)",
    "SELECT * FROM read_csv('/etc/passwd')",
    "SELECT * FROM read_text('/etc/hostname')",
    "INSTALL httpfs",
    "LOAD httpfs",
    "SELECT * FROM read_parquet('https://example.com/x.parquet')",
    "SET enable_external_access = true",
    "SET autoinstall_known_extensions = true",
    "RESET lock_configuration",
    "CREATE TABLE stolen AS SELECT 1",
])
def test_a_query_that_reaches_outside_the_warehouse_fails_in_one_line(query, loaded, tmp_path, capsys):
    before = sha(loaded)
    code, out, err = sql(loaded, query.format(db=loaded, tmp=tmp_path), capsys)
    assert code != 0, out
    assert err.startswith("newsmon sql: the query failed:") and err.count("\n") == 1, err
    assert "Traceback" not in err
    assert sha(loaded) == before
    assert not (tmp_path / "out.csv").exists() and not (tmp_path / "created.duckdb").exists()


def test_a_syntax_error_is_one_line(loaded, capsys):
    code, _, err = sql(loaded, "SELEC nonsense FROM", capsys)
    assert code == 2 and err.count("\n") == 1 and "syntax" in err.lower()


def test_before_the_first_run_the_sandbox_holds_too(settings, tmp_path, capsys):
    code, _, err = sql(settings.db_path, f"COPY (SELECT 1) TO '{tmp_path}/x.csv'", capsys)
    assert code != 0 and not (tmp_path / "x.csv").exists() and err.count("\n") == 1
