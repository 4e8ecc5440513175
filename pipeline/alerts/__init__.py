"""Watchlists and alerts: what the watches match in newly published data, delivered by Apprise.

Library calls (the CLI, the `news_alerts` DAG, `newsmon run` and the dashboard use these):
:func:`evaluate_watchlists` (new runs only; each match once, ever), :func:`deliver_pending`
(pending and failed alerts; bounded retries) and :func:`list_alerts`. Alerts are written by
the load layer (`Warehouse.save_alerts`, `Warehouse.record_deliveries`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pipeline.settings import Settings

__all__ = ["deliver_pending", "evaluate_watchlists", "list_alerts"]


def _read(settings: Settings) -> Any:
    from pipeline.load.warehouse import Warehouse

    return Warehouse(settings, read_only=True)


def _write(settings: Settings) -> Any:
    from pipeline.load.warehouse import Warehouse

    return Warehouse(settings)


def _has_alerts(wh: Any) -> bool:
    """A warehouse from before the alerts table (opened read-only) has none."""
    from pipeline.load.migrations import has_table

    return has_table(wh.con, "alerts")


def evaluate_watchlists(settings: Settings) -> dict[str, int]:
    """Evaluate the watchlists on the runs published since the last evaluation and store the
    new alerts (pending delivery). The runs are recorded as evaluated even without watches, so
    a watch added later starts from what is published after it."""
    from pipeline.alerts.evaluate import _sql, evaluate
    from pipeline.alerts.watchlists import load_watchlists
    from pipeline.records import utc_now

    watches = load_watchlists(settings.watchlists_file)
    with _write(settings):  # creates the alert tables in a warehouse from before them
        pass
    with _read(settings) as wh:
        runs = [r[0] for r in wh.con.execute(_sql("unevaluated_runs")).fetchall()]
        alerts = evaluate(wh.con, settings.search_index_path, watches, runs, utc_now()) if runs else []
    if not runs:
        return {"runs": 0, "alerts": 0}
    with _write(settings) as wh:
        added = wh.save_alerts(alerts, runs)
    return {"runs": len(runs), "alerts": added}


def deliver_pending(settings: Settings) -> dict[str, int]:
    """Deliver every pending or failed alert (below `alert_max_attempts` tries); the warehouse
    is not held open while notifications go out."""
    from pipeline.alerts.deliver import deliver_one
    from pipeline.alerts.evaluate import _sql
    from pipeline.alerts.watchlists import load_watchlists

    watches = {w.name: w for w in load_watchlists(settings.watchlists_file)}
    with _read(settings) as wh:
        if not _has_alerts(wh):
            return {"pending": 0, "delivered": 0, "failed": 0, "no_target": 0}
        cursor = wh.con.execute(_sql("pending_alerts"), [settings.alert_max_attempts])
        names = [d[0] for d in cursor.description]
        pending = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    outcomes = [deliver_one(alert, watches.get(alert["watch"]), settings) for alert in pending]
    if outcomes:
        with _write(settings) as wh:
            wh.record_deliveries([o.row() for o in outcomes])
    counts = {"pending": len(pending)}
    for status in ("delivered", "failed", "no_target"):
        counts[status] = sum(o.status == status for o in outcomes)
    return counts


def list_alerts(settings: Settings, *, watch: str | None = None, since: datetime | None = None,
                limit: int = 200) -> list[dict[str, Any]]:
    """Stored alerts, newest first."""
    from pipeline.alerts.evaluate import _sql

    with _read(settings) as wh:
        if not _has_alerts(wh):
            return []
        cursor = wh.con.execute(_sql("list_alerts"), [watch, since, limit])
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
