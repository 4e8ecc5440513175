"""Overview: volume per day and publisher, duplicates, quarantine, the last run."""

from typing import Any

import streamlit as st

from dashboard import queries as q
from dashboard import ui

st.title("Overview")

totals = ui.one_row(q.OVERVIEW)
cols: list[Any] = list(st.columns(6))
cols[0].metric("Documents read", ui.count(totals.get("documents_read")))
cols[1].metric("Canonical articles", ui.count(totals.get("canonical_articles")),
               help="Articles that are not a duplicate of another: each story counted once.")
cols[2].metric("Duplicates", ui.count(totals.get("duplicate_articles")))
cols[3].metric("Duplicate share", ui.share(totals.get("duplicate_share")),
               help="Duplicates over all stored articles.")
cols[4].metric("Quarantined items", ui.count(totals.get("quarantined_items")))
cols[5].metric("Publishers", ui.count(totals.get("publishers")))

st.subheader("Last run")
run = ui.one_row(q.LAST_RUN)
if not run:
    st.info("No pipeline run recorded yet.")
else:
    cols = st.columns([2, 1, 3])
    cols[0].metric("Quality status", str(run["quality_status"]),
                   help="failed: a critical expectation failed; warnings only qualify a pass.")
    cols[1].metric("Checks passed", f"{ui.count(run['passed_checks'])} / {ui.count(run['checks'])}")
    with cols[2]:
        st.markdown(f"**Run** `{run['run_id']}` ({ui.md(run['run_trigger'])})  \n"
                    f"**Started** {ui.moment(run['started_at'])} · **finished** {ui.moment(run['finished_at'])}")

left, right = st.columns(2)
with left:
    st.subheader("Articles per day")
    daily = ui.fetch(q.ARTICLES_PER_DAY)
    if daily.empty:
        st.info("No articles yet.")
    else:
        st.bar_chart(daily.rename(columns={"canonical_articles": "canonical", "duplicate_articles": "duplicates"}),
                     x="article_day", y=["canonical", "duplicates"], x_label="day", y_label="articles")
with right:
    st.subheader("Articles per publisher")
    publishers = ui.fetch(q.TOP_PUBLISHERS, limit=20)
    if publishers.empty:
        st.info("No articles yet.")
    else:
        st.bar_chart(publishers, x="publisher", y="canonical_articles", horizontal=True,
                     x_label="canonical articles", y_label="")
        shown = publishers.assign(duplicate_share=publishers["duplicate_share"].map(ui.share))
        ui.table(shown, "", publisher="Publisher", canonical_articles="Canonical",
                 duplicate_articles="Duplicates", duplicate_share="Duplicate share")

st.subheader("Quarantined items by reason")
reasons = ui.fetch(q.QUARANTINE_REASONS)
reasons["last_quarantined_at"] = reasons["last_quarantined_at"].map(ui.moment)
ui.table(reasons, "Nothing quarantined.", stage="Stage", reason_code="Reason", items="Items",
         last_quarantined_at="Last seen")
