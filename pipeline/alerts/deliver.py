"""Alerts delivered through Apprise (e-mail, Slack, Teams, webhooks, ... by URL).

Each target of the alert's watch is tried up to `alert_delivery_attempts` times in one pass,
waiting `alert_backoff_seconds`, doubled after each failure; a pass is bounded by those and
Apprise's own socket timeouts. An alert not delivered stays `failed` with its error and is
tried again by the next pass, until `alert_max_attempts` tries in all. Nothing here touches
the warehouse: the caller records the outcomes through the load layer.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pipeline.alerts.watchlists import Watch
from pipeline.records import utc_now
from pipeline.settings import Settings

MAX_ERROR_CHARS = 500


@dataclass
class Outcome:
    alert_id: str
    status: str  # delivered | failed | no_target
    attempts: int
    delivered_at: datetime | None
    error: str | None

    def row(self) -> tuple[str, str, int, datetime | None, str | None]:
        return (self.alert_id, self.status, self.attempts, self.delivered_at, self.error)


def message(alert: dict[str, Any]) -> tuple[str, str]:
    """Title and body of an alert's notification."""
    kind = {"article": "article", "event": "event", "event_followup": "growing story"}.get(alert["item_kind"],
                                                                                           alert["item_kind"])
    title = f"newsmon [{alert['watch']}] {kind}: {alert.get('title') or alert['item_id']}"
    lines = []
    if alert.get("publisher") or alert.get("published_at"):
        lines.append(" · ".join(str(v) for v in (alert.get("publisher"), alert.get("published_at")) if v))
    if alert.get("sources"):
        lines.append(f"sources: {alert['sources']}")
    if alert.get("matched_terms"):
        lines.append("matched: " + ", ".join(alert["matched_terms"]))
    if alert.get("url"):
        lines.append(str(alert["url"]))
    lines.append(f"{alert['item_kind']} {alert['item_id']} (alert {alert['alert_id']})")
    return title, "\n".join(lines)


def _send_once(url: str, title: str, body: str) -> str | None:
    """None when delivered, else what went wrong (Apprise reports through its log)."""
    import apprise

    notifier = apprise.Apprise()
    if not notifier.add(url):
        return "not a valid Apprise URL"
    with apprise.LogCapture(level=logging.WARNING) as captured:
        try:
            ok = notifier.notify(title=title, body=body)
        except Exception as exc:  # a plugin's own bug must not stop the other alerts
            return f"{type(exc).__name__}: {exc}"[:MAX_ERROR_CHARS]
        log = captured.getvalue().strip()
    if ok:
        return None
    return (" | ".join(line.strip() for line in log.splitlines()[-3:]) or "delivery failed")[:MAX_ERROR_CHARS]


def deliver_one(alert: dict[str, Any], watch: Watch | None, settings: Settings,
                sleep: Callable[[float], None] = time.sleep) -> Outcome:
    tried = int(alert.get("attempts") or 0)
    if watch is None or not watch.deliver:
        why = "the watch is no longer in the watchlists" if watch is None else "the watch has no deliver targets"
        return Outcome(alert["alert_id"], "no_target", tried, None, why)
    title, body = message(alert)
    errors: list[str] = []
    for url in watch.deliver:
        delay = settings.alert_backoff_seconds
        error = None
        for attempt in range(max(1, settings.alert_delivery_attempts)):
            if attempt:
                sleep(delay)
                delay *= 2
            error = _send_once(url, title, body)
            tried += 1
            if error is None:
                break
        if error is not None:
            scheme = url.split("://", 1)[0]
            errors.append(f"{scheme}://...: {error}")
    if errors:
        return Outcome(alert["alert_id"], "failed", tried, None, "; ".join(errors)[:MAX_ERROR_CHARS])
    return Outcome(alert["alert_id"], "delivered", tried, utc_now(), None)
