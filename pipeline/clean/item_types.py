"""The schema.org types of a structured-data item (JSON-LD or microdata), read one way for every
reader of them: the type's last path segment, an item with several types has each."""

from __future__ import annotations

ARTICLE_TYPES = ("Article", "BlogPosting", "Posting", "Report", "LiveBlogPosting", "Recipe", "Review")


def item_types(item: dict) -> list[str]:
    kind = item.get("@type") or []
    kinds = kind if isinstance(kind, list) else [kind]
    return [k.rsplit("/", 1)[-1] for k in kinds if isinstance(k, str)]


def is_article(item: dict) -> bool:
    return any(k.endswith(ARTICLE_TYPES) for k in item_types(item))
