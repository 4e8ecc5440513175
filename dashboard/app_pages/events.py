"""Events: a timeline with mention counts, a map, filters by type and actor, each event's mentions."""

import pydeck as pdk
import streamlit as st

from dashboard import queries as q
from dashboard import ui


def render() -> None:
    st.title("Events")

    types = ui.fetch(q.EVENT_TYPES)
    if types.empty:
        st.info("No events extracted yet.")
        return

    filters = _filters(types["event_type"].tolist())
    totals = ui.one_row(q.EVENT_TOTALS, **filters)
    cols = st.columns(3)
    cols[0].metric("Events", ui.count(totals["events"]))
    cols[1].metric("Mentions", ui.count(totals["mentions"]))
    cols[2].metric("Events with a place", ui.count(totals["located_events"]))
    _timeline(filters)
    _map(filters)
    chosen = _event_list(filters)
    if chosen is not None:
        _mentions(chosen)


def _filters(types: list[str]) -> dict[str, str | None]:
    controls = st.columns(2)
    event_type = controls[0].selectbox("Event type", ["All types", *types])
    actors = ui.fetch(q.EVENT_ACTORS, limit=500)["actor_name"].tolist()
    actor = controls[1].selectbox("Actor", ["All actors", *actors])
    return {
        "event_type": None if event_type == "All types" else event_type,
        "actor": None if actor == "All actors" else actor,
    }


def _timeline(filters: dict[str, str | None]) -> None:
    st.subheader("Timeline")
    timeline = ui.fetch(q.EVENT_TIMELINE, **filters)
    if timeline.empty:
        st.info("No dated event matches these filters.")
    else:
        st.bar_chart(timeline, x="event_day", y="mentions", color="event_type", x_label="event date",
                     y_label="mentions")


def _map(filters: dict[str, str | None]) -> None:
    st.subheader("Map")
    points = ui.fetch(q.EVENT_MAP_POINTS, limit=2000, **filters)
    if points.empty:
        st.info("No event matching these filters has coordinates.")
    else:
        # No basemap: tiles would come from the network, which a monitoring box may not reach.
        # Place names are drawn as text so the map reads without one.
        points["radius"] = 40_000 + 20_000 * points["mentions"].clip(upper=50)
        st.pydeck_chart(pdk.Deck(
            map_provider=None,
            map_style=None,
            initial_view_state=pdk.ViewState(latitude=float(points["lat"].mean()),
                                             longitude=float(points["lon"].mean()), zoom=2),
            layers=[
                pdk.Layer("ScatterplotLayer", points, get_position=["lon", "lat"], get_radius="radius",
                          get_fill_color=[200, 30, 0, 160], pickable=True),
                pdk.Layer("TextLayer", points, get_position=["lon", "lat"], get_text="location", get_size=14,
                          get_color=[30, 30, 30], get_alignment_baseline="'bottom'"),
            ],
            tooltip={"text": "{location}\n{events} event(s), {mentions} mention(s)"},
        ))


def _event_list(filters: dict[str, str | None]) -> str | None:
    """The matching events as a table; returns the one the user picks to read its mentions."""
    st.subheader("Events")
    events = ui.fetch(q.EVENT_LIST, limit=50, **filters)
    if events.empty:
        st.info("No event matches these filters.")
        return None
    # A date read against a weak anchor (a file's read time, a guess from related articles) is
    # shown as such, not as a fact.
    ui.table(events[["event_date", "date_confidence", "event_type", "cameo_code", "plover_category", "modality", "location", "actors",
                     "actor_codes", "summary", "num_mentions", "num_articles", "num_copies"]],
             "", event_date="Date", date_confidence="Date confidence", event_type="Type", cameo_code="CAMEO", plover_category="PLOVER",
             modality="Modality", location="Place", actors="Actors", actor_codes="Source -> target",
             summary="Summary", num_mentions="Mentions", num_articles="Articles",
             num_copies="Copies (not counted)")

    labels = {row.event_id: f"{row.event_date or 'undated'} · {row.event_type} · {row.summary or ''}"[:140]
              for row in events.itertuples()}
    chosen: str | None = st.selectbox("Event", list(labels), format_func=lambda key: labels.get(key, ""))
    return chosen


def _mentions(event_id: str) -> None:
    st.subheader("Mentions of this event")
    mentions = ui.fetch(q.EVENT_MENTIONS, event_id=event_id, limit=200)
    if mentions.empty:
        st.info("This event has no stored mention.")
    for mention in mentions.itertuples():
        copy = " (duplicate copy)" if mention.is_duplicate else ""
        st.markdown(f"**{ui.article_link(mention.article_id, mention.title)}** · {ui.md(mention.publisher)} · "
                    f"{ui.day(mention.article_day)}{copy}")
        said = f"  (date as written: {mention.date_text})" if mention.date_text else ""
        ui.prose(f"“{mention.sentence}”{said}", small=True)


render()
