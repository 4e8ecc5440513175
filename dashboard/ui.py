"""What every page shares: where the warehouse is, cached data access, number formats."""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from dashboard import data
from dashboard.data import Query
from pipeline.settings import load_settings


def db_path() -> str | Path:
    """The warehouse the app reads: settings' db_path (NEWSMON_DB_PATH, newsmon.toml, default),
    or the lake they name (docs/lake.md)."""
    settings = load_settings()
    return settings.lake or Path(settings.db_path).resolve()


@st.cache_resource
def _snapshots() -> data.SnapshotCache:
    """One per server: every session reads the same snapshot of the same file."""
    return data.SnapshotCache()


def _snapshot(path: str | Path) -> data.Snapshot:
    snapshot, stale = _snapshots().get(path)
    if stale:
        st.caption(":material/sync: The warehouse changed: figures are being refreshed in the "
                   "background; reload the page in a little while.")
    return snapshot


# Live query results are cached per file fingerprint: a pipeline run that rewrites the
# warehouse changes the fingerprint, so drill-downs then read the new rows.
@st.cache_data(max_entries=512, show_spinner=False)
def _cached_live(path: str, fingerprint: tuple[int, int] | None, query_name: str, sql: str,
                 params: tuple[tuple[str, object], ...]) -> pd.DataFrame:
    snapshot, _ = _snapshots().get(path)
    return snapshot.run(Query(query_name, sql, "live"), dict(params))


def ensure_warehouse() -> None:
    """Build (or reuse) the snapshot now, so a missing or busy warehouse is reported once."""
    with st.spinner("Reading the warehouse…"):
        _snapshot(db_path())


def fetch(query: Query, **params: object) -> pd.DataFrame:
    """Run a catalogue query with named parameters; results are copies safe to modify."""
    path = db_path()
    snapshot, _ = _snapshots().get(path)  # raises, saying what to do, when there is no file
    if query.source == "snapshot":
        return snapshot.run(query, params)
    return _cached_live(str(path), data.fingerprint(path), query.name, query.sql, tuple(sorted(params.items())))


def one_row(query: Query, **params: object) -> Mapping[str, Any]:
    frame = fetch(query, **params)
    return frame.iloc[0].to_dict() if len(frame) else {}


def count(value: Any) -> str:
    """Integers as the pages print them (thousands separated); missing as an em dash."""
    if value is None or pd.isna(value):
        return "—"
    return f"{int(value):,}"


def share(value: Any) -> str:
    if value is None or pd.isna(value):
        return "—"
    return f"{float(value):.1%}"


def day(value: object) -> str:
    if value is None or pd.isna(value):
        return "—"
    return pd.Timestamp(value).strftime("%Y-%m-%d")


def moment(value: object) -> str:
    if value is None or pd.isna(value):
        return "—"
    return pd.Timestamp(value).strftime("%Y-%m-%d %H:%M")


_MARKDOWN_SPECIALS = str.maketrans({c: "\\" + c for c in "\\`*_{}[]()<>#+-.!|$~"})


# GFM links bare "http://...", "www...." and "name@host" whatever backslashes surround them: an
# invisible word joiner inside each keeps them text (what the reader sees is unchanged).
_AUTOLINK = re.compile(r"(?<=:)(?=//)|(?<=www)(?=\\\.)|(?=@)", re.IGNORECASE)


def md(text: object) -> str:
    """Text from the data, escaped for markdown (a "$" in a headline must not start maths, an
    "![x](url)" in it must not load an image, a URL in it must not become a link)."""
    return _AUTOLINK.sub("\u2060", str(text).translate(_MARKDOWN_SPECIALS))


def article_link(article_id: str, title: object) -> str:
    """A markdown link to the article explorer (a full page load keeps the choice in the URL)."""
    return f"[{md(title or article_id)}](/articles?article={article_id})"


def heading(text: object, level: int = 2) -> None:
    """A heading holding text from the data. Not Markdown at all: escaping is not enough there,
    since GFM makes any bare "http://..." a live link whatever backslashes surround it."""
    st.html(f"<h{level}>{html.escape(str(text))}</h{level}>")


def plain_caption(text: object) -> None:
    """A caption of text from the data (a URL, a path), shown as written, never as Markdown."""
    st.html(f'<div style="font-size: 0.875rem; color: rgba(49, 51, 63, 0.6);">{html.escape(str(text))}</div>')


def prose(text: str, small: bool = False) -> None:
    """Text as written: escaped, line breaks kept, never read as markdown."""
    size = "font-size: 0.9em; color: #555;" if small else ""
    st.html(f'<div style="white-space: pre-wrap; line-height: 1.5; {size}">{html.escape(text)}</div>')


def table(frame: pd.DataFrame, empty: str, **rename: str) -> None:
    """A static table (its text is in the page, unlike st.dataframe's canvas) or a note."""
    if frame.empty:
        st.info(empty)
        return
    shown = frame.rename(columns=rename) if rename else frame.copy()
    for column in shown.columns:  # st.table renders cells as Markdown
        if pd.api.types.is_object_dtype(shown[column]) or pd.api.types.is_string_dtype(shown[column]):
            shown[column] = shown[column].map(lambda v: v if v is None or not isinstance(v, str) else md(v))
    shown.index = pd.RangeIndex(1, len(shown) + 1)  # rows numbered from 1: reads as a rank
    st.table(shown)
