"""Search: the articles by the query language of `newsmon search` (pipeline.search.search_articles)."""

import html

import streamlit as st

from dashboard import ui
from pipeline.errors import NewsmonError
from pipeline.settings import load_settings

EXAMPLE = '"Geneva" AND (talks OR negotiations) NOT title:opinion'


def _marked(snippet: str, ranges: list[tuple[int, int]]) -> str:
    out, last = [], 0
    for start, end in ranges:
        out += [html.escape(snippet[last:start]), "<mark>", html.escape(snippet[start:end]), "</mark>"]
        last = end
    out.append(html.escape(snippet[last:]))
    return "".join(out)


def render() -> None:
    from pipeline.search import search_articles

    st.title("Search")
    text = st.text_input("Query", st.query_params.get("q", ""), placeholder=EXAMPLE,
                         help="AND / OR / NOT, ( ), \"phrase\", \"a b\"~5, wild*, title: publisher: language: "
                              "entity: event: date:[YYYY-MM-DD TO YYYY-MM-DD]; see docs/monitoring.md")
    cols = st.columns([1, 1, 1, 1])
    since = cols[0].date_input("Published since", None)
    until = cols[1].date_input("Published until", None)
    limit = cols[2].number_input("Results", min_value=1, max_value=200, value=20)
    duplicates = cols[3].checkbox("Show duplicates", False)
    if not text.strip():
        st.info("Type a query, for example: " + ui.md(EXAMPLE))
        return
    st.query_params["q"] = text
    # A search waits for a writer only briefly: the page says so rather than hang.
    settings = load_settings(db_path=ui.db_path()).replace(lock_timeout_seconds=5.0)
    try:
        result = search_articles(text, settings, limit=int(limit), since=since, until=until,
                                 fold_duplicates=not duplicates)
    except NewsmonError as exc:
        st.warning(exc.message)
        if exc.hint:
            st.caption(exc.hint)
        return
    if not result.hits:
        st.info("No article matches.")
        return
    st.caption(f"{ui.count(result.total)} matching articles{'' if duplicates else ' (duplicates folded)'}; "
               f"best {len(result.hits)} in {result.seconds * 1000:.0f} ms")
    for hit in result.hits:
        when = ui.day(hit.published_at) if hit.published_at else "undated"
        st.markdown(f"**{ui.article_link(hit.article_id, hit.title)}** · {ui.md(hit.publisher or 'unknown publisher')}"
                    f" · {when} · score {hit.score:.2f}")
        if hit.snippet:
            st.html(f'<div style="color:#444;margin:-0.5em 0 0.8em 0">{_marked(hit.snippet, hit.highlights)}</div>')


render()
