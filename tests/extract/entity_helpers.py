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


def model_types(body: str, surface: str) -> set[str]:
    """The raw model's labels on the spans of ``body`` that read ``surface``: what a rule overrules."""
    from pipeline.extract.nlp import parse_texts
    from pipeline.settings import Settings

    (parse,) = parse_texts([body], Settings())
    return {label for s, e, label in parse.ents if body[s:e] == surface}


def types_in(out: EntityOutput, article_id: str, surface: str) -> set[str]:
    return {m.entity_type for m in out.mentions if m.article_id == article_id and m.surface == surface}
