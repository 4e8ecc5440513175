"""Streamlit dashboards over the DuckDB warehouse (read-only)."""
