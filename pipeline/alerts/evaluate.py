"""Watches evaluated on the runs published since the last evaluation: which new articles and
events they match. Reads the warehouse and the search index; writes nothing (the load layer
stores the alerts)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from pipeline.alerts.watchlists import Watch
from pipeline.records import Alert, stable_id
from pipeline.search.index import entity_resolver, search

SQL_DIR = Path(__file__).parent / "sql"
# A story alerted once raises one follow-up when its sources have grown this many times over
# (2 -> 4 sources, 3 -> 6): growth worth a second look, and never a flood.
FOLLOW_UP_GROWTH = 2


def _sql(name: str) -> str:
    return (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")


def alert_id(watch: str, kind: str, item_id: str) -> str:
    return stable_id("alert", watch, kind, item_id)


def evaluate(con: Any, index_path: Path, watches: list[Watch], runs: list[str], now: datetime) -> list[Alert]:
    """Alerts for `watches` on the articles and events of `runs` (canonical articles only)."""
    if not runs or not watches:
        return []
    new = con.execute(_sql("new_articles"), [runs]).fetchall()
    run_of = {r[0]: r[1] for r in new}
    alerts: list[Alert] = []
    for watch in watches:
        if watch.events:
            alerts += _event_alerts(con, index_path, watch, runs, now)
        elif run_of:
            alerts += _article_alerts(con, index_path, watch, run_of, now)
    return alerts


def _matching(con: Any, index_path: Path, watch: Watch, article_ids: list[str]) -> dict[str, list[str]]:
    """The given articles that satisfy the watch's query and entities: id -> matched terms."""
    text = watch.article_query()
    if text is None:
        return {a: [] for a in article_ids}
    result = search(con, index_path, text, limit=len(article_ids), article_ids=article_ids, snippet_chars=160)
    matched = {h.article_id: list(h.matched) for h in result.hits}
    if watch.entities and matched:
        resolve = entity_resolver(con)
        names = {entity_id: name for name in watch.entities for entity_id in resolve(name)}
        rows = con.execute(_sql("mentioned_entities"), [list(matched), list(names)]).fetchall()
        for article_id, entity_id in rows:
            term = f"entity:{names[entity_id]}"
            if term not in matched[article_id]:
                matched[article_id].append(term)
    return matched


def _article_alerts(con: Any, index_path: Path, watch: Watch, run_of: dict[str, str],
                    now: datetime) -> list[Alert]:
    matched = _matching(con, index_path, watch, sorted(run_of))
    titles = dict(con.execute("SELECT article_id, title FROM articles WHERE article_id IN (SELECT unnest(?))",
                              [list(matched)]).fetchall()) if matched else {}
    return [Alert(alert_id=alert_id(watch.name, "article", aid), watch=watch.name, item_kind="article",
                  item_id=aid, article_id=aid, run_id=run_of[aid], first_seen=now, title=titles.get(aid),
                  matched_terms=sorted(terms))
            for aid, terms in sorted(matched.items())]


def _event_alerts(con: Any, index_path: Path, watch: Watch, runs: list[str], now: datetime) -> list[Alert]:
    candidates = con.execute(_sql("touched_events"), [runs, list(watch.events), watch.min_sources]).fetchall()
    if not candidates:
        return []
    before = {(kind, item): sources for kind, item, sources in con.execute(
        "SELECT item_kind, item_id, sources FROM alerts WHERE watch = ? AND item_id IN (SELECT unnest(?))",
        [watch.name, [c[0] for c in candidates]]).fetchall()}
    alerts = []
    for event_id, event_type, sources, summary, article_ids, run_id in candidates:
        if ("event", event_id) in before:
            first = before[("event", event_id)] or 1
            if ("event_followup", event_id) in before or sources < first * FOLLOW_UP_GROWTH:
                continue
            kind = "event_followup"
        else:
            kind = "event"
        matched = _matching(con, index_path, watch, list(article_ids))
        if not matched:
            continue
        terms = sorted({t for found in matched.values() for t in found} | {f"event:{event_type}"})
        alerts.append(Alert(alert_id=alert_id(watch.name, kind, event_id), watch=watch.name, item_kind=kind,
                            item_id=event_id, event_id=event_id, article_id=sorted(matched)[0], run_id=run_id,
                            first_seen=now, title=summary, sources=sources, matched_terms=terms))
    return alerts
