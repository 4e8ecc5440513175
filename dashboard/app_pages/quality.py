"""Data quality: the latest expectation results and how runs fared over time."""

import altair as alt
import pandas as pd
import streamlit as st

from dashboard import queries as q
from dashboard import ui

st.title("Data quality")

latest = ui.fetch(q.QUALITY_LATEST)
if latest.empty:
    st.info("No quality results recorded yet: they are written after each load.")
else:
    failed = latest[~latest["success"]]
    cols = st.columns(4)
    cols[0].metric("Checks in latest run", ui.count(len(latest)))
    cols[1].metric("Passed", ui.count(int(latest["success"].sum())))
    cols[2].metric("Failed (critical)", ui.count(int((failed["severity"] == "critical").sum())))
    cols[3].metric("Failed (warning)", ui.count(int((failed["severity"] != "critical").sum())))
    st.caption(f"Run {ui.md(latest['run_id'].iloc[0])}")

    st.subheader("Failed expectations")
    shown = failed[["suite", "expectation", "severity", "observed_value"]].assign(
        observed_value=failed["observed_value"].fillna("").str.slice(0, 160))
    ui.table(shown, "Every expectation passed.", suite="Suite", expectation="Expectation",
             severity="Severity", observed_value="Observed")

    st.subheader("By suite")
    by_suite = (latest.assign(passed=latest["success"].astype(int), failed=(~latest["success"]).astype(int))
                .groupby("suite", as_index=False)[["passed", "failed"]].sum()
                .sort_values(["failed", "suite"], ascending=[False, True]))
    ui.table(by_suite, "", suite="Suite", passed="Passed", failed="Failed")
    with st.expander("All results of the latest run"):
        st.dataframe(latest.drop(columns=["run_id"]), hide_index=True, width="stretch")

st.subheader("Trend")
trend = ui.fetch(q.QUALITY_TREND)
if trend.empty:
    st.info("No run has quality results yet.")
else:
    # Points as well as a line: with one run there is no line to draw.
    chart = alt.Chart(trend).mark_line(point=alt.OverlayMarkDef(size=80)).encode(
        x=alt.X("started_at:T", title="run started", axis=alt.Axis(format="%Y-%m-%d %H:%M", labelAngle=0)),
        y=alt.Y("pass_rate:Q", title="share of checks passed", scale=alt.Scale(domain=[0, 1]),
                axis=alt.Axis(format="%")),
        tooltip=["run_id", "quality_status", "passed_checks", "checks"],
    )
    st.altair_chart(chart, width="stretch")
    shown = trend.assign(started_at=trend["started_at"].map(ui.moment), pass_rate=trend["pass_rate"].map(ui.share))
    ui.table(shown.iloc[::-1].head(20), "", run_id="Run", started_at="Started", quality_status="Status",
             checks="Checks", passed_checks="Passed", failed_checks="Failed", failed_critical="Failed critical",
             pass_rate="Pass rate")

st.subheader("Recent runs")
runs = ui.fetch(q.RECENT_RUNS, limit=20)
runs["started_at"] = runs["started_at"].map(ui.moment)
runs["finished_at"] = runs["finished_at"].map(ui.moment)
runs["duration_seconds"] = runs["duration_seconds"].map(lambda seconds: "—" if pd.isna(seconds) else f"{seconds:.1f}")
ui.table(runs, "No pipeline run recorded yet.", run_id="Run", started_at="Started", finished_at="Finished",
         run_trigger="Trigger", duration_seconds="Seconds", quality_status="Quality")
