"""One error style for every subcommand, and a run that says what it did (issue 38).

Every command: one line on stderr for an error, exit 2 for a usage error, 1 for a failure, no
traceback unless --debug. On real files, a real DuckDB warehouse and a real (closed) port for
the unreachable feed. Each error style runs once through the console script in a subprocess,
as an operator meets it; the other cases call the CLI's entry, ``cli.main``, in this process
(the same parser, handlers and messages, without a Python start and imports each).
"""

from __future__ import annotations

import json
import os
import pty
import shutil
import socket
import subprocess
import sys
import textwrap
from pathlib import Path
from types import SimpleNamespace

import duckdb
import pytest

from tests.conftest import PROJECT_ROOT, SEED_FILES

NEWSMON = [sys.executable, "-m", "pipeline.cli"]
LOCAL_FEED = PROJECT_ROOT / "tests" / "ingest" / "cases" / "feeds" / "local" / "seeds.rss"


def newsmon(tmp: Path, *args: str, env: dict[str, str] | None = None, timeout: float = 600
            ) -> subprocess.CompletedProcess:
    base = {"PATH": "/usr/bin:/bin", "HOME": str(tmp)}
    return subprocess.run([*NEWSMON, *args], capture_output=True, text=True, cwd=tmp, timeout=timeout,
                          env={**base, **(env or {})})


def in_process(tmp: Path, monkeypatch, capsys, *args: str) -> SimpleNamespace:
    """``cli.main(args)`` as :func:`newsmon` runs it (in ``tmp``, no NEWSMON_ variables): its
    exit code (a usage error's SystemExit too), stdout and stderr."""
    from pipeline import cli

    for name in [n for n in os.environ if n.startswith("NEWSMON_")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("HOME", str(tmp))
    monkeypatch.chdir(tmp)
    capsys.readouterr()
    try:
        code = cli.main(list(args))
    except SystemExit as exit_:
        code = exit_.code
    out, err = capsys.readouterr()
    return SimpleNamespace(returncode=code, stdout=out, stderr=err)


def one_line_error(result: subprocess.CompletedProcess | SimpleNamespace, code: int, command: str) -> str:
    assert result.returncode == code, (result.returncode, result.stdout, result.stderr)
    err = result.stderr.strip()
    assert err.count("\n") == 0 and "Traceback" not in err, err
    assert err.startswith(f"newsmon {command}:") or err.startswith("newsmon:"), err
    return err


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory) -> Path:
    """A real warehouse with one seed article (quality skipped: not what these tests read)."""
    tmp = tmp_path_factory.mktemp("errors_wh")
    db = tmp / "news.duckdb"
    result = newsmon(tmp, "run", str(SEED_FILES[0]), "--db", str(db), "--no-quality")
    assert result.returncode == 0, result.stderr
    return db


def test_version(tmp_path, monkeypatch, capsys):
    result = in_process(tmp_path, monkeypatch, capsys, "--version")
    assert result.returncode == 0 and result.stdout.startswith("newsmon ")
    assert result.stdout.split()[1][0].isdigit()


USAGE_ERRORS = [
    (["bogus"], "newsmon"),
    (["sql"], "newsmon sql"),
    (["status", "--nope"], "newsmon"),
    (["dates", "x.txt"], "newsmon dates"),  # --anchor is required
]


def _usage_error(result, command: str) -> None:
    assert result.returncode == 2
    err = result.stderr.strip()
    assert err.count("\n") == 0 and err.startswith(command) and "--help" in err, err


@pytest.mark.parametrize("args, command", USAGE_ERRORS)
def test_usage_errors_are_one_line_exit_2(tmp_path, monkeypatch, capsys, args, command):
    _usage_error(in_process(tmp_path, monkeypatch, capsys, *args), command)


def test_a_usage_error_from_the_console_script(tmp_path):
    args, command = USAGE_ERRORS[0]
    _usage_error(newsmon(tmp_path, *args), command)


def _no_warehouse(result, tmp_path: Path, command: str) -> None:
    err = one_line_error(result, 1, command)
    assert "no warehouse at" in err and str(tmp_path / "typo.duckdb") in err
    assert not (tmp_path / "typo.duckdb").exists()


@pytest.mark.parametrize("command", ["status", "sql", "report", "search", "alerts"])
def test_a_warehouse_that_does_not_exist_is_an_error_not_an_empty_warehouse(tmp_path, monkeypatch, capsys, command):
    query = {"sql": "SELECT count(*) FROM articles", "search": "Geneva"}
    args = [command, query[command]] if command in query else [command]
    _no_warehouse(in_process(tmp_path, monkeypatch, capsys, *args, "--db", "typo.duckdb"), tmp_path, command)


def test_a_failure_from_the_console_script(tmp_path):
    _no_warehouse(newsmon(tmp_path, "status", "--db", "typo.duckdb"), tmp_path, "status")


def test_debug_shows_the_traceback(tmp_path, monkeypatch, capsys):
    from pipeline.errors import WarehouseError

    result = newsmon(tmp_path, "--debug", "status", "--db", "typo.duckdb")
    assert result.returncode != 0 and "Traceback" in result.stderr and "WarehouseError" in result.stderr
    # --debug after the subcommand too: the error is raised, not turned into one line.
    with pytest.raises(WarehouseError):
        in_process(tmp_path, monkeypatch, capsys, "status", "--db", "typo.duckdb", "--debug")


def test_unexpected_errors_are_one_line_with_the_way_to_the_traceback(monkeypatch, capsys):
    from pipeline import cli
    from pipeline.cli import query

    def broken(args):
        raise RuntimeError("disk on fire\nsecond line")

    monkeypatch.setattr(query, "handle_status", broken)
    assert cli.main(["status"]) == 1
    err = capsys.readouterr().err.strip()
    assert err == "newsmon status: unexpected RuntimeError: disk on fire (run it again with --debug for the traceback)"


@pytest.mark.e2e  # runs the pipeline through the CLI
def test_bad_sql_is_one_line(tmp_path, warehouse):
    # A query is an argument the user typed: a wrong one is a usage error.
    err = one_line_error(newsmon(tmp_path, "sql", "SELEC title FROM articles", "--db", str(warehouse)), 2, "sql")
    assert "syntax error" in err.lower()


@pytest.mark.e2e  # runs the pipeline through the CLI
def test_a_statement_that_returns_no_rows_works(tmp_path, warehouse):
    result = newsmon(tmp_path, "sql", "CREATE TEMP TABLE scratch AS SELECT 1", "--db", str(warehouse))
    assert result.returncode == 0 and result.stderr == "" and result.stdout.strip(), result.stderr


@pytest.mark.e2e  # runs the pipeline through the CLI
def test_sql_and_status_as_json(tmp_path, warehouse):
    rows = json.loads(newsmon(tmp_path, "sql", "SELECT title, published_at FROM articles", "--json",
                              "--db", str(warehouse)).stdout)
    assert len(rows) == 1 and set(rows[0]) == {"title", "published_at"} and rows[0]["title"]
    empty = json.loads(newsmon(tmp_path, "sql", "SELECT * FROM articles WHERE false", "--json",
                               "--db", str(warehouse)).stdout)
    assert empty == []
    status = json.loads(newsmon(tmp_path, "status", "--json", "--db", str(warehouse)).stdout)
    assert status["counts"]["articles"] == 1 and status["warehouse"] == str(warehouse)
    assert status["latest_run"]["trigger"] == "cli" and status["latest_run"]["quality"] == "not run"


@pytest.mark.e2e  # runs the pipeline through the CLI
def test_a_held_lock_says_it_is_waiting_then_fails_in_one_line(tmp_path, warehouse):
    copy = tmp_path / "held.duckdb"
    shutil.copy(warehouse, copy)
    holder = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import duckdb, sys, time
        con = duckdb.connect({str(copy)!r})
        print("held", flush=True)
        time.sleep(60)
    """)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        result = newsmon(tmp_path, "status", "--db", str(copy), env={"NEWSMON_LOCK_TIMEOUT_SECONDS": "2"})
    finally:
        holder.kill()
        holder.wait()
    assert result.returncode == 1, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 2 and "Traceback" not in result.stderr, lines
    assert lines[0].startswith("waiting for the warehouse lock on") and str(copy) in lines[0]
    assert lines[1].startswith("newsmon status: the warehouse") and "locked" in lines[1]


def test_clean_on_a_missing_file_exits_1_and_still_cleans_the_others(tmp_path, monkeypatch, capsys):
    result = in_process(tmp_path, monkeypatch, capsys, "clean", str(tmp_path / "missing.txt"), str(SEED_FILES[1]))
    assert result.returncode == 1
    assert "ERROR unreadable" in result.stdout and "== " + str(SEED_FILES[1]) in result.stdout
    assert result.stderr.strip().count("\n") == 0 and "could not be cleaned" in result.stderr


def test_entities_and_dates_on_a_binary_file_exit_1(tmp_path, monkeypatch, capsys):
    pdf = tmp_path / "scan.txt"
    pdf.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n" * 10)
    entities = in_process(tmp_path, monkeypatch, capsys, "entities", str(pdf))
    assert entities.returncode == 1 and "Traceback" not in entities.stderr
    assert "binary_format" in entities.stderr and "PDF document" in entities.stderr
    dates = in_process(tmp_path, monkeypatch, capsys, "dates", "--anchor", "2022-01-10", str(pdf))
    assert dates.returncode == 1 and "binary_format" in dates.stderr and "Traceback" not in dates.stderr


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # closed again when this returns: nothing listens there


@pytest.fixture(scope="module")
def mixed_run(tmp_path_factory):
    """One run elsewhere (--db in another folder) over what a newcomer might throw at it: an
    article, a PDF named .txt, a CSV and a note; a local feed file; a feed that cannot be reached."""
    tmp = tmp_path_factory.mktemp("mixed")
    inbox = tmp / "inbox"
    inbox.mkdir()
    shutil.copy(SEED_FILES[2], inbox / SEED_FILES[2].name)
    (inbox / "scan.txt").write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n" * 10)
    (inbox / "table.csv").write_text("a,b\n1,2\n")
    (inbox / "notes.md").write_text("# notes\n")
    db = tmp / "elsewhere" / "my.duckdb"
    unreachable = f"http://127.0.0.1:{_closed_port()}/feed.xml"
    result = newsmon(tmp, "run", str(inbox), "--feed", str(LOCAL_FEED), "--feed", unreachable,
                     "--db", str(db), "--json")
    return tmp, db, unreachable, result


@pytest.mark.e2e  # runs the pipeline through the CLI
def test_a_run_elsewhere_writes_reports_and_staging_beside_its_warehouse(mixed_run):
    tmp, db, _, result = mixed_run
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["db_path"] == str(db)
    assert summary["report_path"] == str(db.parent / "reports" / "quality.html")
    assert Path(summary["report_path"]).is_file()
    assert summary["staging_dir"] == str(db.parent / "staging")
    assert not (tmp / "reports").exists()


@pytest.mark.e2e  # runs the pipeline through the CLI
def test_the_summary_lists_quarantine_by_stage_and_reason_and_what_was_ignored(mixed_run):
    _, db, unreachable, result = mixed_run
    summary = json.loads(result.stdout)
    reasons = {(q["stage"], q["reason_code"]): q for q in summary["quarantine"]}
    assert reasons[("ingest", "binary_format")]["items"] == 1
    assert "PDF document" in reasons[("ingest", "binary_format")]["example"]
    assert reasons[("ingest", "fetch_failed")]["items"] == 1
    assert unreachable in reasons[("ingest", "fetch_failed")]["example"]
    # The local feed's entries carry only summaries: the reason says its pages are never fetched.
    offline = reasons[("clean", "feed_entry_no_text")]
    assert offline["items"] == 5 and "local feed files are read offline" in offline["example"]
    with duckdb.connect(str(db), read_only=True) as con:
        stored = dict(con.execute("SELECT reason_code, count(*) FROM quarantine GROUP BY 1").fetchall())
    assert stored == {q["reason_code"]: q["items"] for q in summary["quarantine"]}
    assert sorted(Path(p).name for p in summary["ignored"]) == ["notes.md", "table.csv"]

    from pipeline.cli.run import format_summary

    text = format_summary(SimpleNamespace(**summary))
    assert "quarantined      7, by stage and reason:" in text
    assert "ingest    binary_format" in text and "clean     feed_entry_no_text" in text
    assert f"WHERE run_id = '{summary['run_id']}'" in text  # the query that shows them
    assert "ignored          2 file(s) that are not articles by name" in text


@pytest.mark.e2e  # runs the pipeline through the CLI
def test_a_run_whose_inputs_match_nothing_says_so_and_lists_what_it_ignored(tmp_path):
    folder = tmp_path / "downloads"
    folder.mkdir()
    (folder / "report.pdf").write_bytes(b"%PDF-1.4\n")
    (folder / "data.csv").write_text("a,b\n")
    result = newsmon(tmp_path, "run", str(folder), "--db", str(tmp_path / "w" / "news.duckdb"))
    assert result.returncode == 1
    assert "ignored          2 file(s)" in result.stdout and "report.pdf" in result.stdout
    assert result.stderr.strip().count("\n") == 0 and "no article file matched" in result.stderr
    empty = tmp_path / "empty"
    empty.mkdir()
    nothing = newsmon(tmp_path, "run", str(empty), "--db", str(tmp_path / "w" / "news.duckdb"))
    assert nothing.returncode == 1 and "no article file matched" in nothing.stderr


@pytest.mark.e2e  # runs the pipeline through the CLI
def test_progress_is_drawn_on_a_terminal_and_quiet_when_piped(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    args = [*NEWSMON, "run", str(empty), "--db", str(tmp_path / "w" / "news.duckdb")]
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "TERM": "xterm", "COLUMNS": "120"}
    piped = subprocess.run(args, capture_output=True, text=True, cwd=tmp_path, env=env, timeout=300)
    assert "ingest" not in piped.stderr and "publish" not in piped.stderr
    leader, follower = pty.openpty()
    try:
        on_tty = subprocess.run(args, stdout=subprocess.PIPE, stderr=follower, text=True, cwd=tmp_path, env=env,
                                timeout=300)
        os.close(follower)
        drawn = b""
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:
                break
            if not chunk:
                break
            drawn += chunk
    finally:
        os.close(leader)
    assert on_tty.returncode == 1
    text = drawn.decode(errors="replace")
    assert "ingest" in text and "publish" in text


@pytest.mark.e2e  # runs the pipeline through the CLI
def test_a_run_whose_every_document_is_quarantined_by_clean_still_loads_the_reasons(tmp_path):
    # Extract has no article to work on: it must still stage every (empty) file publish reads.
    db = tmp_path / "w" / "news.duckdb"
    result = newsmon(tmp_path, "run", "--feed", str(LOCAL_FEED), "--db", str(db), "--no-quality", "--json")
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert [(q["stage"], q["reason_code"], q["items"]) for q in summary["quarantine"]] == \
        [("clean", "feed_entry_no_text", 5)]
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM quarantine").fetchone()[0] == 5
