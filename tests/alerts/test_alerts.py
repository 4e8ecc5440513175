"""Watchlists and alerts end to end, with real local receivers: a webhook on 127.0.0.1 (Python's
HTTP server) and an SMTP server (aiosmtpd) on 127.0.0.1; the real pipeline on the seeds."""

from __future__ import annotations

import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import duckdb
import pytest

from pipeline.alerts import deliver_pending, evaluate_watchlists, list_alerts
from pipeline.alerts.watchlists import load_watchlists
from pipeline.errors import ConfigError
from pipeline.flow import run_pipeline
from tests.conftest import SEED_FILES, make_settings


class Webhook:
    """An HTTP receiver on 127.0.0.1 recording every POSTed JSON body."""

    def __init__(self, port: int = 0):
        self.received: list[dict] = []
        received = self.received

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's name)
                length = int(self.headers.get("Content-Length", 0))
                received.append(json.loads(self.rfile.read(length) or b"{}"))
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self) -> str:
        return f"json://127.0.0.1:{self.port}/hook"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def webhook():
    hook = Webhook()
    yield hook
    hook.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# The entity's canonical name depends on what a batch saw ("Sergey Lavrov" alone in the first
# two seeds, "Sergei Lavrov" with both as aliases after all five): a watch names both spellings.
LAVROV = ("Sergei Lavrov", "Sergey Lavrov")


def _settings(tmp_path, watchlists: str, **overrides):
    path = tmp_path / "watchlists.toml"
    path.write_text(watchlists, encoding="utf-8")
    return make_settings(tmp_path, watchlists_file=path, alert_backoff_seconds=0.01, **overrides)


def _lavrov_articles(settings) -> set[str]:
    with duckdb.connect(str(settings.db_path), read_only=True) as con:
        return {r[0] for r in con.execute(
            "SELECT DISTINCT m.article_id FROM entity_mentions m JOIN entities e USING (entity_id) "
            "JOIN articles a USING (article_id) WHERE list_has_any(e.aliases || [e.canonical_name], ?) "
            "AND NOT a.is_duplicate", [list(LAVROV)]).fetchall()}


@pytest.mark.e2e
def test_a_watch_on_lavrov_fires_once_per_new_article_across_runs_and_never_on_a_rerun(tmp_path, webhook):
    settings = _settings(tmp_path, f'''
[[watch]]
name = "lavrov"
entities = ["Sergei Lavrov", "Sergey Lavrov"]
deliver = ["{webhook.url()}"]
''')
    run_pipeline([str(p) for p in SEED_FILES[:2]], [], settings, run_quality=False)
    first = _lavrov_articles(settings)
    assert len(first) == 1
    assert {a["item_id"] for a in list_alerts(settings)} == first
    assert len(webhook.received) == 1
    assert "Lavrov" in webhook.received[0]["message"]

    run_pipeline([str(p) for p in SEED_FILES], [], settings, run_quality=False)
    both = _lavrov_articles(settings)
    assert len(both) == 3
    alerts = list_alerts(settings, watch="lavrov")
    assert sorted(a["item_id"] for a in alerts) == sorted(both)  # once each
    assert all(a["status"] == "delivered" and a["delivered_at"] for a in alerts)
    assert all(set(a["matched_terms"]) <= {f"entity:{name}" for name in LAVROV} and a["matched_terms"]
               for a in alerts)
    assert len(webhook.received) == 3

    # Re-runs: the same seeds again, then the evaluation and delivery on their own.
    run_pipeline([str(p) for p in SEED_FILES], [], settings, run_quality=False)
    assert evaluate_watchlists(settings)["alerts"] == 0  # the re-run's run, with nothing new
    assert evaluate_watchlists(settings) == {"runs": 0, "alerts": 0}
    assert deliver_pending(settings)["pending"] == 0
    assert len(list_alerts(settings)) == 3
    assert len(webhook.received) == 3


@pytest.mark.e2e
def test_query_watch_matches_by_the_search_language_with_its_terms(tmp_path, webhook):
    settings = _settings(tmp_path, f'''
[[watch]]
name = "geneva"
query = '"Geneva" AND (talks OR negotiations) NOT title:opinion'
deliver = ["{webhook.url()}"]
''')
    run_pipeline([str(SEEDS) for SEEDS in SEED_FILES], [], settings, run_quality=False)
    alerts = list_alerts(settings)
    with duckdb.connect(str(settings.db_path), read_only=True) as con:
        geneva = {r[0] for r in con.execute(
            "SELECT article_id FROM articles WHERE regexp_matches(body, '(?i)\\bgeneva\\b') "
            "AND regexp_matches(body || ' ' || title, '(?i)\\b(talks|negotiations)\\b')").fetchall()}
    assert {a["item_id"] for a in alerts} == geneva
    assert all("geneva" in a["matched_terms"] for a in alerts)
    assert len(webhook.received) == len(geneva)


@pytest.mark.e2e
def test_event_watch_needs_min_sources_and_raises_one_follow_up_when_the_story_grows(tmp_path):
    settings = _settings(tmp_path, '''
[[watch]]
name = "meetings"
events = ["meeting"]
min_sources = 2
''')
    run_pipeline([str(p) for p in SEED_FILES], [], settings, run_quality=False)
    with duckdb.connect(str(settings.db_path), read_only=True) as con:
        wanted = {r[0] for r in con.execute(
            "SELECT event_id FROM events WHERE event_type = 'meeting' AND num_sources >= 2").fetchall()}
        grown = con.execute("SELECT event_id, num_sources FROM events WHERE event_id IN "
                            "(SELECT unnest(?)) ORDER BY event_id LIMIT 1", [sorted(wanted)]).fetchone()
    alerts = list_alerts(settings)
    assert wanted and {a["item_id"] for a in alerts} == wanted
    assert all(a["item_kind"] == "event" and a["status"] == "no_target" for a in alerts)
    # The story grows: the load layer records more sources, as a later publish would.
    with duckdb.connect(str(settings.db_path)) as con:
        con.execute("UPDATE events SET num_sources = ? WHERE event_id = ?", [grown[1] * 2, grown[0]])
        con.execute("DELETE FROM alert_runs")  # evaluate the same runs again: only growth is new
    for _ in range(2):
        evaluate_watchlists(settings)
    followups = [a for a in list_alerts(settings) if a["item_kind"] == "event_followup"]
    assert [a["item_id"] for a in followups] == [grown[0]]
    assert len(list_alerts(settings)) == len(wanted) + 1


@pytest.mark.e2e
def test_a_failed_receiver_leaves_the_alert_failed_with_its_error_then_a_recovered_one_gets_it(tmp_path):
    port = _free_port()  # nothing listens there yet
    settings = _settings(tmp_path, f'''
[[watch]]
name = "lavrov"
entities = ["Sergei Lavrov", "Sergey Lavrov"]
deliver = ["json://127.0.0.1:{port}/hook"]
''', alert_delivery_attempts=2)
    summary = run_pipeline([str(SEED_FILES[1])], [], settings, run_quality=False)
    assert summary.articles == 1  # the load is not failed or held up by the delivery
    assert summary.monitor["failed"] == 1
    [alert] = list_alerts(settings)
    assert alert["status"] == "failed" and alert["attempts"] == 2 and alert["delivered_at"] is None
    assert "json://" in alert["last_error"] and str(port) not in alert["last_error"].split("json://")[0]
    hook = Webhook(port)
    try:
        assert deliver_pending(settings)["delivered"] == 1
        [alert] = list_alerts(settings)
        assert alert["status"] == "delivered" and alert["attempts"] == 3 and alert["last_error"] is None
        assert len(hook.received) == 1
        assert deliver_pending(settings)["pending"] == 0
    finally:
        hook.close()


@pytest.mark.e2e
def test_alerts_by_email_to_a_local_smtp_server(tmp_path):
    from aiosmtpd.controller import Controller

    messages = []

    class Handler:
        async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
            messages.append((envelope.rcpt_tos, envelope.content.decode("utf-8", "replace")))
            return "250 OK"

    port = _free_port()
    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        settings = _settings(tmp_path, f'''
[[watch]]
name = "lavrov"
entities = ["Sergei Lavrov", "Sergey Lavrov"]
deliver = ["mailto://127.0.0.1:{port}?from=newsmon@example.org&to=desk@example.org&mode=insecure"]
''')
        run_pipeline([str(SEED_FILES[1])], [], settings, run_quality=False)
    finally:
        controller.stop()
    [alert] = list_alerts(settings)
    assert alert["status"] == "delivered"
    assert len(messages) == 1
    recipients, content = messages[0]
    assert recipients == ["desk@example.org"]
    assert "newsmon [lavrov]" in content and "entity:Serge" in content


@pytest.mark.parametrize(("text", "problem"), [
    ('[[watch]]\nquery = "x"\n', "has no name"),
    ('[[watch]]\nname = "a"\n', "watches nothing"),
    ('[[watch]]\nname = "a"\nquery = "(x"\n', "watch 'a': query error at column 1"),
    ('[[watch]]\nname = "a"\nquery = "x"\ndeliver = ["nope://x"]\n', "is not a valid Apprise URL"),
    ('[[watch]]\nname = "a"\nquery = "x"\n[[watch]]\nname = "a"\nquery = "y"\n', "used twice"),
    ('[[watch]]\nname = "a"\nquery = "x"\nmin_sources = 0\n', "min_sources"),
    ('[[watch]]\nname = "a"\nquery = "x"\nsend = 1\n', "unknown field(s) send"),
])
def test_watchlist_mistakes_are_one_line_config_errors(tmp_path, text, problem):
    path = tmp_path / "watchlists.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_watchlists(path)
    assert problem in str(caught.value) and "\n" not in str(caught.value)


def test_a_warehouse_from_before_the_alerts_table_lists_and_delivers_none(settings):
    from tests.load.test_migrations import RELEASED, old_warehouse

    before_alerts = next(ddl for ddl in RELEASED if ddl.name.startswith("v3_"))
    assert "alerts" not in before_alerts.read_text(encoding="utf-8")
    old_warehouse(settings.db_path, before_alerts, settings.minhash_perm)
    assert list_alerts(settings) == []
    assert deliver_pending(settings) == {"pending": 0, "delivered": 0, "failed": 0, "no_target": 0}
