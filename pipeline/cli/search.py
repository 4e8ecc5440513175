"""`newsmon search QUERY`: full-text search over the articles (pipeline.search.search_articles)."""

from __future__ import annotations

import argparse
import json
from datetime import date

from pipeline.errors import ConfigError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("search", help="search the articles (AND/OR/NOT, \"phrases\"~N, wild*, field:value)")
    p.add_argument("query", nargs="?", help="e.g. '\"Geneva\" AND (talks OR negotiations) NOT title:opinion'")
    p.add_argument("--since", type=_day, help="published on or after YYYY-MM-DD")
    p.add_argument("--until", type=_day, help="published on or before YYYY-MM-DD")
    p.add_argument("--limit", type=int, default=20)
    p.add_argument("--json", action="store_true", help="one JSON object per hit")
    p.add_argument("--all", action="store_true", help="include duplicates (folded by default)")
    p.add_argument("--rebuild", action="store_true", help="build the search index anew from the warehouse")
    p.add_argument("--db", help="warehouse file (default: warehouse/news.duckdb)")
    p.set_defaults(func=handle)


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None


def handle(args: argparse.Namespace) -> int:
    from pipeline.cli._common import require_warehouse
    from pipeline.search import rebuild, search_articles
    from pipeline.settings import load_settings

    settings = load_settings(args.config, db_path=args.db)
    require_warehouse(settings)
    if args.rebuild:
        stats = rebuild(settings)
        print(f"search index {settings.search_index_path}: {stats.articles} articles from {stats.runs} runs "
              f"in {stats.seconds:.1f}s")
        if not args.query:
            return 0
    if not args.query:
        raise ConfigError("nothing to search", hint="give a query, e.g. newsmon search 'talks AND Geneva'")
    if args.limit < 1:
        raise ConfigError("--limit must be at least 1")
    result = search_articles(args.query, settings, limit=args.limit, since=args.since, until=args.until,
                             fold_duplicates=not args.all)
    if args.json:
        for hit in result.hits:
            print(json.dumps({"article_id": hit.article_id, "score": hit.score, "title": hit.title,
                              "publisher": hit.publisher, "published_at": hit.published_at,
                              "language": hit.language, "snippet": hit.snippet, "highlights": hit.highlights,
                              "matched": hit.matched}, default=str, ensure_ascii=False))
        return 0
    print(f"{result.total} matching article{'s' if result.total != 1 else ''}"
          f"{'' if args.all else ' (duplicates folded)'}, best {len(result.hits)} in {result.seconds * 1000:.0f} ms")
    for rank, hit in enumerate(result.hits, 1):
        when = f"{hit.published_at:%Y-%m-%d}" if hit.published_at else "undated"
        print(f"{rank:>3}. {hit.score:6.2f}  {hit.title or '(untitled)'}")
        print(f"       {hit.publisher or 'unknown publisher'} · {when} · {hit.article_id}")
        if hit.snippet:
            print(f"       {' '.join(hit.marked_snippet().split())}")
    return 0
