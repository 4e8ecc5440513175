"""Shared by the entity tests: a synthetic English article and the types each surface got."""

from __future__ import annotations

from pipeline.extract.entities import EntityOutput
from pipeline.records import Article
from pipeline.text import content_hash, word_count


def article(article_id: str, body: str, url: str | None = None) -> Article:
    return Article(article_id, article_id, f"/tmp/{article_id}.txt", url, None, None, None, None, "en",
                   body, word_count(body), content_hash(body))


def types_of(out: EntityOutput) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for m in out.mentions:
        found.setdefault(m.surface, set()).add(m.entity_type)
    return found
