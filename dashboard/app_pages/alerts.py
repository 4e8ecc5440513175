"""Alerts: what the watchlists matched and how delivery went (pipeline.alerts.list_alerts)."""

import pandas as pd
import streamlit as st

from dashboard import ui
from pipeline.errors import NewsmonError
from pipeline.settings import load_settings


def render() -> None:
    from pipeline.alerts import list_alerts

    st.title("Alerts")
    settings = load_settings(db_path=ui.db_path()).replace(lock_timeout_seconds=5.0)
    try:
        alerts = pd.DataFrame(list_alerts(settings, limit=1000))
    except NewsmonError as exc:
        st.warning(exc.message)
        return
    if alerts.empty:
        st.info(f"No alerts yet. Watches are read from `{settings.watchlists_file}` (see docs/monitoring.md).")
        return
    watch = st.selectbox("Watch", ["(all)"] + sorted(alerts["watch"].unique()))
    if watch != "(all)":
        alerts = alerts[alerts["watch"] == watch]
    cols = st.columns(4)
    cols[0].metric("Alerts", ui.count(len(alerts)))
    cols[1].metric("Delivered", ui.count(int((alerts["status"] == "delivered").sum())))
    cols[2].metric("Failed", ui.count(int((alerts["status"] == "failed").sum())))
    cols[3].metric("Without target", ui.count(int((alerts["status"] == "no_target").sum())))
    shown = alerts.assign(matched_terms=alerts["matched_terms"].map(lambda t: ", ".join(t)))
    ui.table(shown[["first_seen", "watch", "item_kind", "title", "matched_terms", "sources", "status", "attempts",
                    "delivered_at", "last_error"]], "No alerts.",
             first_seen="First seen", watch="Watch", item_kind="Kind", title="Article or event",
             matched_terms="Matched", sources="Sources", status="Status", attempts="Tries",
             delivered_at="Delivered", last_error="Last error")


render()
