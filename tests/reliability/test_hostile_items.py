"""Issue 30's hostile items through `newsmon run`: each is quarantined with a reason or loaded,
the good items beside it load, and the run ends (exit 0, no traceback).

- case 5: a FIFO or /dev/zero as an input or as a local feed was read forever to hash it;
- case 6: an article over 1,000,000 characters raised spaCy's E088: exit 1, nothing loaded;
- case 7: lone surrogates: a file name with non-UTF-8 bytes crashed id generation, a JSON Feed
  title "\\ud800" crashed staging, an RSS entry's "&#xD800;" quarantined its whole feed;
- case 15: a subfolder that cannot be listed was skipped without a word.
"""

from __future__ import annotations

import html
import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from tests.conftest import PROJECT_ROOT, SEED_FILES

# Each test runs `newsmon run` (the whole pipeline) in a subprocess.
pytestmark = pytest.mark.e2e


def run(tmp: Path, *args: str, timeout: float = 600, prefix: tuple[str, ...] = ()) -> subprocess.CompletedProcess:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp), "NEWSMON_STAGING_DIR": str(tmp / "staging"),
           "NEWSMON_REPORTS_DIR": str(tmp / "reports"), "PYTHONPATH": str(PROJECT_ROOT)}
    return subprocess.run([*prefix, sys.executable, "-m", "pipeline.cli", "run", "--no-quality", *args,
                           "--db", str(tmp / "news.duckdb")], capture_output=True, text=True, env=env,
                          cwd=tmp, timeout=timeout)


def rows(tmp: Path, sql: str, params=()) -> list[tuple]:
    with duckdb.connect(str(tmp / "news.duckdb"), read_only=True) as con:
        return con.execute(sql, list(params)).fetchall()


def articles(tmp: Path) -> int:
    return rows(tmp, "SELECT count(*) FROM articles")[0][0]


def ok(result: subprocess.CompletedProcess) -> None:
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stderr


def test_a_fifo_and_dev_zero_are_quarantined_not_read_forever(tmp_path):
    fifo, feed_fifo = tmp_path / "pipe.txt", tmp_path / "feed.xml"
    os.mkfifo(fifo)
    os.mkfifo(feed_fifo)
    result = run(tmp_path, str(fifo), "/dev/zero", str(SEED_FILES[0]), "--feed", str(feed_fifo), timeout=300)
    ok(result)
    reasons = dict(rows(tmp_path, "SELECT d.source_uri, q.reason_code FROM documents d "
                                  "JOIN quarantine q ON q.item_id = d.doc_id"))
    assert reasons == {str(fifo): "not_a_file", "/dev/zero": "not_a_file"}
    feed_rows = rows(tmp_path, "SELECT reason_code, message FROM quarantine WHERE payload LIKE '%feed.xml%'")
    assert feed_rows and feed_rows[0][0] == "fetch_failed" and "not a regular file" in feed_rows[0][1]
    assert articles(tmp_path) == 1


def test_an_article_over_a_million_characters_loads_beside_the_others(tmp_path):
    # Numbered paragraphs of the seeds: no paragraph repeats, so dedup keeps the whole body.
    paragraphs = [p for f in SEED_FILES for p in f.read_text(encoding="utf-8").split("\n\n")[1:] if p.strip()]
    body, number = [], 0
    while sum(map(len, body)) < 1_150_000:
        body.append(f"Part {number}. {paragraphs[number % len(paragraphs)]}")
        number += 1
    big = tmp_path / "inbox" / "huge.txt"
    big.parent.mkdir()
    big.write_text("A very long report\n\n" + "\n\n".join(body), encoding="utf-8")
    (tmp_path / "inbox" / "good.txt").write_text(SEED_FILES[1].read_text(encoding="utf-8"), encoding="utf-8")
    ok(run(tmp_path, str(tmp_path / "inbox")))
    assert articles(tmp_path) == 2
    (length,), = rows(tmp_path, "SELECT length(body) FROM articles ORDER BY length(body) DESC LIMIT 1")
    assert length > 1_000_000  # the whole body is kept: only the entity model reads the first part


def test_lone_surrogates_in_a_file_name_a_json_feed_and_an_rss_entry(tmp_path):
    text = SEED_FILES[0].read_text(encoding="utf-8")
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    odd = os.fsencode(inbox) + b"/caf\xe9 news.txt"  # Latin-1 bytes in a name: not UTF-8
    with open(odd, "wb") as fh:
        fh.write(text.encode("utf-8"))
    paragraphs = [p for p in SEED_FILES[1].read_text(encoding="utf-8").split("\n\n") if len(p) > 200]
    json_feed = tmp_path / "feed.json"
    json_feed.write_text(json.dumps({
        "version": "https://jsonfeed.org/version/1.1", "title": "Bad \ud800 feed",
        "items": [{"id": "j1", "title": "Title \ud800 one", "content_text": paragraphs[0]},
                  {"id": "j2", "title": "Fine", "content_text": paragraphs[1]}]}), encoding="utf-8")
    def html_of(seed: Path) -> str:  # a whole article as escaped HTML, as feeds carry it
        paras = [p for p in seed.read_text(encoding="utf-8").split("\n\n")[1:] if p.strip()]
        return html.escape("".join(f"<p>{p}</p>" for p in paras))

    rss = tmp_path / "feed.xml"
    rss.write_text('<?xml version="1.0"?><rss version="2.0"><channel><title>RSS</title>'
                   f'<item><guid>r1</guid><title>Bad &#xD800; entry</title><description>{html_of(SEED_FILES[2])}'
                   '</description></item>'
                   f'<item><guid>r2</guid><title>Good entry</title><description>{html_of(SEED_FILES[3])}'
                   '</description></item></channel></rss>', encoding="utf-8")
    ok(run(tmp_path, str(inbox), "--feed", str(json_feed), "--feed", str(rss)))
    uris = [u for (u,) in rows(tmp_path, "SELECT source_uri FROM documents WHERE source_kind = 'file'")]
    assert uris == [str(inbox / "caf\\xe9 news.txt")]
    titles = sorted(t for (t,) in rows(tmp_path, "SELECT title FROM articles WHERE title IS NOT NULL"))
    assert "Title \ufffd one" in titles and "Bad \ufffd entry" in titles and "Good entry" in titles
    states = rows(tmp_path, "SELECT feed_name, last_status FROM feed_state ORDER BY 1")
    assert len(states) == 2 and all(status.startswith("ok: 2 new") for _, status in states), states
    assert articles(tmp_path) == 5
    again = run(tmp_path, str(inbox))  # the odd name is known: not read as new again
    ok(again)
    assert rows(tmp_path, "SELECT count(*) FROM documents WHERE source_kind = 'file'") == [(1,)]


def test_a_subfolder_that_cannot_be_listed_is_quarantined_with_its_reason(tmp_path):
    # root reads any folder: as root, the run goes without the capabilities that allow it.
    prefix = ("setpriv", "--bounding-set=-dac_override,-dac_read_search") if os.geteuid() == 0 else ()
    inbox = tmp_path / "inbox"
    (inbox / "locked").mkdir(parents=True)
    (inbox / "good.txt").write_text(SEED_FILES[0].read_text(encoding="utf-8"), encoding="utf-8")
    (inbox / "locked" / "hidden.txt").write_text(SEED_FILES[1].read_text(encoding="utf-8"), encoding="utf-8")
    os.chmod(inbox / "locked", 0o000)
    try:
        result = run(tmp_path, str(inbox), prefix=prefix)
    finally:
        os.chmod(inbox / "locked", 0o755)
    ok(result)
    quarantined = rows(tmp_path, "SELECT d.source_uri, q.reason_code, q.message FROM documents d "
                                 "JOIN quarantine q ON q.item_id = d.doc_id")
    assert [(uri, reason) for uri, reason, _ in quarantined] == [(str(inbox / "locked"), "unreadable")]
    assert "Permission denied" in quarantined[0][2]
    assert articles(tmp_path) == 1
