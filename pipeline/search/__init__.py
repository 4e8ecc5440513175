"""Full-text search over the warehouse's articles: a derived tantivy index and its query language.

The library calls the CLI and the dashboard use: :func:`search_articles`, :func:`sync` (add
what was published since the last sync) and :func:`rebuild`.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from pipeline.search.query import QueryError, parse_query
from pipeline.settings import Settings

__all__ = ["QueryError", "parse_query", "rebuild", "search_articles", "sync"]


def _warehouse(settings: Settings) -> Any:
    from pipeline.load.warehouse import Warehouse

    return Warehouse(settings, read_only=True)


def search_articles(text: str, settings: Settings, *, limit: int = 20, since: date | None = None,
                    until: date | None = None, fold_duplicates: bool = True) -> Any:
    """Ranked (BM25) articles matching `text`, with highlighted snippets (a SearchResult)."""
    from pipeline.search.index import search

    parse_query(text)  # a malformed query is reported before anything is opened
    with _warehouse(settings) as wh:
        return search(wh.con, settings.search_index_path, text, limit=limit, since=since, until=until,
                      fold_duplicates=fold_duplicates)


def sync(settings: Settings) -> Any:
    """Index what was published since the last sync (idempotent)."""
    from pipeline.search.index import sync_index

    with _warehouse(settings) as wh:
        return sync_index(wh.con, settings.search_index_path, threads=settings.search_index_threads)


def rebuild(settings: Settings) -> Any:
    from pipeline.search.index import rebuild_index

    with _warehouse(settings) as wh:
        return rebuild_index(wh.con, settings.search_index_path, threads=settings.search_index_threads)
