"""newsmon dashboards: `streamlit run dashboard/app.py` (or `make dashboard`).

Reads the warehouse named by the settings (NEWSMON_DB_PATH, newsmon.toml, or
warehouse/news.duckdb) read-only; see dashboard/data.py for how the file is never held open.
"""

import sys
from pathlib import Path

# Streamlit puts this script's folder on sys.path, not the project root that holds the
# `dashboard` and `pipeline` packages.
PROJECT_ROOT = Path(__file__).resolve().parent.parent
if str(PROJECT_ROOT) not in sys.path:
    sys.path.insert(0, str(PROJECT_ROOT))

import streamlit as st  # noqa: E402

from dashboard import ui  # noqa: E402
from pipeline.errors import NewsmonError  # noqa: E402
from pipeline.load.lake import redacted  # noqa: E402

PAGES = Path(__file__).resolve().parent / "app_pages"

st.set_page_config(page_title="newsmon", page_icon=":material/newspaper:", layout="wide")

page = st.navigation([
    st.Page(PAGES / "overview.py", title="Overview", icon=":material/dashboard:", url_path="overview",
            default=True),
    st.Page(PAGES / "entities.py", title="Entities", icon=":material/group:", url_path="entities"),
    st.Page(PAGES / "events.py", title="Events", icon=":material/event:", url_path="events"),
    st.Page(PAGES / "articles.py", title="Article explorer", icon=":material/article:", url_path="articles"),
    st.Page(PAGES / "search.py", title="Search", icon=":material/search:", url_path="search"),
    st.Page(PAGES / "alerts.py", title="Alerts", icon=":material/notifications:", url_path="alerts"),
    st.Page(PAGES / "quality.py", title="Data quality", icon=":material/fact_check:", url_path="quality"),
])

try:
    ui.ensure_warehouse()
except NewsmonError as exc:
    st.title(page.title)
    st.warning(exc.message)
    if exc.hint:
        st.caption(exc.hint)
else:
    st.sidebar.caption(f"Warehouse: `{redacted(str(ui.db_path()))}` (read-only)")
    page.run()

# The last element of every page (pages return early rather than call st.stop()): browser
# tests and screenshots wait for it, as the page keeps drawing after the script run is over.
with st.container(key="page-end"):
    st.caption("newsmon · read-only")
