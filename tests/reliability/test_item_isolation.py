"""An item whose processing raises (a bug meeting unusual input) is quarantined with reason
internal_error, saying what was raised where, and the rest of its batch loads.

The fault is injected: a stage function raises for articles carrying a marker, as a bug would
(``tests/reliability/poison.py``). Runs in-process and on worker processes, each run in a
process of its own so that the workers, forked or started from the forkserver, carry the fault.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import duckdb
import pytest

import pipeline.extract.events as events
from pipeline.flow import run_pipeline
from tests.conftest import PROJECT_ROOT, SEED_FILES, make_settings
from tests.reliability.poison import POISON

# Stories of their own (not near-duplicates of a seed, which extraction would skip).
STORIES = [
    ("Harbour workers strike in Rotterdam",
     "Dock workers at the port of Rotterdam walked out on Tuesday, 4 June 2024, after talks with the "
     "employers' association broke down. The union FNV said the strike would last two days and that "
     "container traffic from Asia would be diverted to Antwerp and Hamburg while it lasts."),
    ("Lisbon opens a new tram line",
     "Lisbon's mayor Carlos Moedas opened the city's first new tram line in decades on 12 March 2024. "
     "The line runs from Alcantara to Oeiras along the river and cost 140 million euros, paid in part "
     "by the European Investment Bank, which lent the city money for new rolling stock as well."),
    ("Floods close roads in Slovenia",
     "Heavy rain flooded the valleys north of Ljubljana on Friday, 9 August 2024, and the government "
     "of Robert Golob closed two motorways. Soldiers helped villagers in Kamnik leave their houses, and "
     "the Red Cross opened shelters in schools for the families who lost their homes to the water."),
]


@pytest.mark.e2e
@pytest.mark.parametrize("executor", ["none", "fork", "forkserver"])
def test_an_item_that_raises_is_quarantined_and_its_neighbours_load(tmp_path, executor):
    inputs = tmp_path / "in"
    inputs.mkdir()
    for seed in SEED_FILES:
        (inputs / seed.name).write_bytes(seed.read_bytes())
    for (step, marker), story in zip(POISON.items(), STORIES, strict=True):
        (inputs / f"poison_{step}.txt").write_text(f"{story[0]}\n\n{marker}. {story[1]}\n", encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "tests.reliability.poison", str(tmp_path), executor],
                         cwd=PROJECT_ROOT, env={**os.environ, "NEWSMON_TEST_POISON": "1"},
                         capture_output=True, text=True, timeout=600, check=False)
    assert run.returncode == 0, run.stderr[-2000:]
    summary = json.loads(run.stdout.strip().splitlines()[-1])

    con = duckdb.connect(summary["db"], read_only=True)
    rows = con.execute("SELECT q.stage, q.message, q.payload, d.source_uri, d.status FROM quarantine q "
                       "JOIN documents d ON d.doc_id = q.item_id WHERE q.reason_code = 'internal_error' "
                       "ORDER BY q.stage, d.source_uri").fetchall()
    by_file = {uri.rsplit("/", 1)[-1]: (stage, message, json.loads(payload), status)
               for stage, message, payload, uri, status in rows}
    assert sorted(by_file) == ["poison_clean.txt", "poison_events.txt", "poison_extract.txt"]
    stage, message, payload, status = by_file["poison_clean.txt"]
    assert stage == "clean" and status == "quarantined"
    assert message.startswith("KeyError in clean:pipeline.clean.stage.parse_step") and "POISON-IN-CLEAN" in message
    assert payload["where"] == "clean:pipeline.clean.stage.parse_step" and payload["error_type"] == "KeyError"
    assert by_file["poison_extract.txt"][0] == "extract"
    assert by_file["poison_extract.txt"][2]["where"] == "extract:pipeline.extract.entities.parse_step"
    assert by_file["poison_events.txt"][2]["where"] == "extract:pipeline.extract.events.own_dates_step"
    assert {v[3] for v in by_file.values()} == {"quarantined"}

    # The neighbours load whole: every seed's article, its entities and events.
    loaded = {uri.rsplit("/", 1)[-1] for (uri,) in con.execute("SELECT source_uri FROM articles").fetchall()}
    assert loaded == {p.name for p in SEED_FILES}
    assert summary["articles"] == len(SEED_FILES) + 2  # the two quarantined in extract were deduplicated first
    assert con.execute("SELECT count(*) FROM entity_mentions").fetchone()[0] > 50
    assert con.execute("SELECT count(*) FROM event_mentions").fetchone()[0] > 0
    # Nothing of a quarantined article is left behind (its spans, signature, mentions).
    for table in ("boilerplate_removed", "article_signatures", "entity_mentions", "event_mentions", "captions"):
        orphans = con.execute(f"SELECT count(*) FROM {table} WHERE article_id NOT IN "
                              "(SELECT article_id FROM articles)").fetchone()[0]
        assert orphans == 0, table
    con.close()


def _raising_on(real, marker, raised=None):
    def wrapper(*args, **kwargs):
        if any(isinstance(a, str) and marker in a for a in args):
            if raised is not None:
                raised.append(marker)
            raise KeyError(f"bug met {marker}")
        return real(*args, **kwargs)
    return wrapper


@pytest.mark.e2e
def test_an_article_failing_the_names_found_again_is_quarantined_once(tmp_path, monkeypatch):
    """Each article's dates and codings start on the workers before the entity pass looks for
    the names the model missed: an article that raises there is that pass's failure alone,
    even when its dates raise too, and the rest of the batch loads."""
    import pipeline.extract.entities as entities

    inputs = tmp_path / "in"
    inputs.mkdir()
    for seed in SEED_FILES:
        (inputs / seed.name).write_bytes(seed.read_bytes())
    marker = "POISON-IN-NAMES"
    title, body = STORIES[0]
    (inputs / "poison_names.txt").write_text(f"{title}\n\n{marker}. {body}\n", encoding="utf-8")
    monkeypatch.setattr(entities, "find_remembered", _raising_on(entities.find_remembered, marker))
    dates_raised: list[str] = []
    monkeypatch.setattr(events, "find_dates", _raising_on(events.find_dates, marker, dates_raised))
    # In-process: the patches reach every step (a pool's forkserver workers would run the real
    # find_dates, and the article's dates would not raise at all)
    settings = make_settings(tmp_path, executor="none")

    run_pipeline([str(inputs)], [], settings, run_quality=False)
    assert dates_raised, "the article's dates never raised: the case is not the one described"

    con = duckdb.connect(str(settings.db_path), read_only=True)
    rows = con.execute("SELECT q.stage, q.payload FROM quarantine q JOIN documents d ON d.doc_id = q.item_id "
                       "WHERE q.reason_code = 'internal_error' AND d.source_uri LIKE '%poison_names.txt'").fetchall()
    assert [(stage, json.loads(payload)["where"]) for stage, payload in rows] == [
        ("extract", "extract:pipeline.extract.entities.remembered_step")]
    loaded = {uri.rsplit("/", 1)[-1] for (uri,) in con.execute("SELECT source_uri FROM articles").fetchall()}
    assert loaded == {p.name for p in SEED_FILES}
    assert con.execute("SELECT count(*) FROM event_mentions").fetchone()[0] > 0
    con.close()
