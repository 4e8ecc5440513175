"""Article explorer: the clean text, what cleaning removed, its duplicates, entities and events."""

from collections.abc import Mapping
from typing import Any

import pandas as pd
import streamlit as st

from dashboard import queries as q
from dashboard import ui


def render() -> None:
    st.title("Article explorer")
    chosen = _choose_article()
    if chosen is None:
        return
    article = ui.one_row(q.ARTICLE, article_id=chosen)
    boilerplate = ui.fetch(q.ARTICLE_BOILERPLATE, article_id=chosen)
    duplicates = ui.fetch(q.ARTICLE_DUPLICATES, article_id=chosen)
    entities = ui.fetch(q.ARTICLE_ENTITIES, article_id=chosen)
    events = ui.fetch(q.ARTICLE_EVENTS, article_id=chosen)

    _header(article)
    cols = st.columns(5)
    cols[0].metric("Words", ui.count(article["word_count"]))
    cols[1].metric("Removed spans", ui.count(len(boilerplate)))
    cols[2].metric("Other copies", ui.count(len(duplicates)))
    cols[3].metric("Entities", ui.count(len(entities)))
    cols[4].metric("Events", ui.count(len(events)))
    _text_and_removals(article, boilerplate, ui.fetch(q.ARTICLE_CAPTIONS, article_id=chosen))
    _duplicates(duplicates)
    _entities_and_events(entities, events)


def _choose_article() -> str | None:
    """The article picker; the URL's ``article`` parameter preselects (and is kept on) the choice."""
    wanted = st.query_params.get("article")
    text = st.text_input("Title contains", "")
    found = ui.fetch(q.ARTICLE_SEARCH, text=text.strip(), limit=200)
    if wanted and wanted not in set(found["article_id"]):
        # Arrived from a link to an article outside the first page of results: list it first.
        linked = ui.fetch(q.ARTICLE, article_id=wanted)
        if not linked.empty:
            found = pd.concat([linked[found.columns], found], ignore_index=True)
    if found.empty:
        st.info("No article matches." if text.strip() else "No articles yet.")
        return None

    labels = {row.article_id: f"{row.title} · {row.publisher} · {ui.day(row.article_day)}"
              + (" · duplicate" if row.is_duplicate else "")
              for row in found.itertuples()}
    options = list(labels)
    chosen = st.selectbox("Article", options, format_func=lambda key: labels.get(key, ""),
                          index=options.index(wanted) if wanted in labels else 0)
    if chosen is not None and chosen != wanted:
        st.query_params["article"] = chosen  # the URL names the article shown: shareable
    return chosen


def _header(article: Mapping[str, Any]) -> None:
    ui.heading(article["title"])
    facts = [ui.md(article["publisher"]), ui.day(article["article_day"])]
    if article["byline"]:
        facts.append(f"by {ui.md(article['byline'])}")
    if article["language"]:
        facts.append(f"language: {article['language']}")
    st.markdown(" · ".join(facts))
    ui.plain_caption(f"Source: {article['url'] or article['source_uri']} · id {article['article_id']}")
    if article["is_duplicate"]:
        similarity = "" if pd.isna(article["similarity"]) else f" (similarity {article['similarity']:.2f})"
        st.warning("This article is a duplicate of "
                   + ui.article_link(article["duplicate_of"], article["duplicate_of"]) + similarity)


def _text_and_removals(article: Mapping[str, Any], boilerplate: pd.DataFrame, captions: pd.DataFrame) -> None:
    text_col, removed_col = st.columns([3, 2])
    with text_col:
        st.subheader("Clean text")
        ui.prose(str(article["body"]))
    with removed_col:
        st.subheader("Removed boilerplate")
        ui.table(boilerplate, "Cleaning removed nothing from this article.", position="At", rule="Rule",
                 removed_text="Removed text")
        if not captions.empty:
            st.subheader("Captions")
            ui.table(captions, "", position="At", caption_text="Caption")


def _duplicates(duplicates: pd.DataFrame) -> None:
    st.subheader("Duplicates")
    if duplicates.empty:
        st.info("No other copy of this article is stored.")
    for member in duplicates.itertuples():
        role = "duplicate" if member.member_is_duplicate else "canonical"
        similarity = "" if pd.isna(member.member_similarity) else f", similarity {member.member_similarity:.2f}"
        st.markdown(f"- {ui.article_link(member.member_id, member.member_title)} · {ui.md(member.member_publisher)} · "
                    f"{ui.day(member.member_day)} ({role}{similarity})")


def _entities_and_events(entities: pd.DataFrame, events: pd.DataFrame) -> None:
    left, right = st.columns(2)
    with left:
        st.subheader("Entities")
        ui.table(entities.drop(columns=["entity_id"]), "No entity found in this article.", entity_name="Entity",
                 entity_type="Type", mentions="Mentions", surfaces="As written")
    with right:
        st.subheader("Events")
        ui.table(events.drop(columns=["event_id"]), "No event found in this article.", event_type="Type",
                 event_date="Date", location="Place", summary="Summary", sentences="Sentences")


render()
