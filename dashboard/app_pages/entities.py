"""Entities: who is named most over a period, over time, with whom, and in which articles."""

import pandas as pd
import streamlit as st

from dashboard import queries as q
from dashboard import ui


def render() -> None:
    st.title("Entities")

    period = ui.one_row(q.ENTITY_PERIOD)
    if not period or pd.isna(period["first_day"]):
        st.info("No entity mentions in canonical articles yet.")
        return
    first, last = period["first_day"].date(), period["last_day"].date()

    types = ui.fetch(q.ENTITY_TYPES)["entity_type"].tolist()
    controls = st.columns([1, 2])
    entity_type = controls[0].selectbox("Entity type", ["All types", *types])
    picked = controls[1].date_input("Period", value=(first, last), min_value=first, max_value=last)
    # While a range is being picked the widget briefly holds one date.
    start, end = (picked if isinstance(picked, tuple) and len(picked) == 2 else (first, last))
    period_params = {"first_day": start, "last_day": end}

    type_filter = None if entity_type == "All types" else entity_type
    whole = (start, end) == (first, last)
    if whole:
        top = ui.fetch(q.TOP_ENTITIES_ALL_TIME, entity_type=type_filter, limit=15)
    else:
        top = ui.fetch(q.TOP_ENTITIES, entity_type=type_filter, limit=15, **period_params)
    st.subheader(f"Top entities, {start:%Y-%m-%d} to {end:%Y-%m-%d}")
    if top.empty:
        st.info("No entity is named in this period.")
        return
    left, right = st.columns(2)
    with left:
        ui.table(top.drop(columns=["entity_id"]), "", entity_name="Entity", entity_type="Type",
                 articles="Articles", mentions="Mentions")
    with right:
        st.bar_chart(top, x="entity_name", y="articles", color="entity_type", horizontal=True,
                     x_label="canonical articles", y_label="", sort="-articles")

    wanted = st.query_params.get("entity")
    choices = _with_linked(top, wanted, type_filter, period_params if not whole else None)
    names = dict(zip(choices["entity_id"], choices["entity_name"] + " (" + choices["entity_type"] + ")",
                     strict=True))
    options = list(names)
    chosen = st.selectbox("Entity", options, format_func=lambda key: names.get(key, ""),
                          index=options.index(wanted) if wanted in names else 0)
    if chosen is not None and chosen != wanted:
        st.query_params["entity"] = chosen  # the URL names the entity shown: shareable
    _entity(choices.set_index("entity_id").loc[chosen], chosen, period_params)


def _with_linked(top: pd.DataFrame, wanted: str | None, type_filter: str | None,
                 period_params: dict[str, object] | None) -> pd.DataFrame:
    """The entities to choose from: the top ones, and first the one the URL names when it is
    not among them (a link from elsewhere) but is named in the period and of the chosen type."""
    if not wanted or wanted in set(top["entity_id"]):
        return top
    if period_params is None:
        linked = ui.fetch(q.ENTITY_ALL_TIME, entity_id=wanted)
    else:
        linked = ui.fetch(q.ENTITY_IN_PERIOD, entity_id=wanted, **period_params)
    if type_filter is not None:
        linked = linked[linked["entity_type"] == type_filter]
    return top if linked.empty else pd.concat([linked[top.columns], top], ignore_index=True)


def _entity(row: pd.Series, entity_id: str, period_params: dict[str, object]) -> None:
    """One entity over the period: its counts, its timeline, who it appears with and where."""
    ui.heading(row["entity_name"])
    cols = st.columns(3)
    cols[0].metric("Articles in period", ui.count(row["articles"]))
    cols[1].metric("Mentions in period", ui.count(row["mentions"]))
    cols[2].metric("Type", str(row["entity_type"]))

    timeline = ui.fetch(q.ENTITY_TIMELINE, entity_id=entity_id, **period_params)
    st.subheader("Mentions over time")
    st.bar_chart(timeline, x="article_day", y="mentions", x_label="day", y_label="mentions in canonical articles")

    left, right = st.columns(2)
    with left:
        st.subheader("Appears with")
        together = ui.fetch(q.ENTITY_COOCCURRENCE, entity_id=entity_id, limit=15, **period_params)
        if row["articles"] > q.COOCCURRENCE_ARTICLE_CAP:
            st.caption(f"Over its latest {q.COOCCURRENCE_ARTICLE_CAP:,} articles in the period.")
        ui.table(together.drop(columns=["other_entity_id"]), "Named alone: no other entity shares an article.",
                 other_name="Entity", other_type="Type", shared_articles="Shared articles")
    with right:
        st.subheader("Articles")
        articles = ui.fetch(q.ENTITY_ARTICLES, entity_id=entity_id, limit=50, **period_params)
        if articles.empty:
            st.info("No article in this period.")
        for article in articles.itertuples():
            st.markdown(f"- {ui.article_link(article.article_id, article.title)} · {ui.md(article.publisher)} · "
                        f"{ui.day(article.article_day)} · {article.mentions} mention(s)")


render()
