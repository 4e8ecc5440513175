"""Cleaned records as plain dicts, for showing (the `newsmon clean` command), never the DB."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pipeline.clean.stage import CleanOutput, clean_documents
from pipeline.records import Document
from pipeline.settings import Settings


def preview_records(documents: Sequence[tuple[str, Document | Exception]], settings: Settings,
                    run_id: str = "preview") -> list[dict[str, Any]]:
    """One dict per input, in input order: the cleaned article, or an error record.

    `documents` pairs each input as the user gave it with its Document, or with the error
    that stopped it being read (reported with its reason code instead of raising).
    """
    docs = [d for _, d in documents if isinstance(d, Document)]
    out = clean_documents(docs, settings, run_id)
    records = []
    for source, doc in documents:
        if isinstance(doc, Exception):
            records.append({"source": source, "error": getattr(doc, "reason_code", "error"),
                            "stage": "ingest", "message": str(doc)})
        else:
            records.append(_record(source, doc, out))
    return records


def _record(source: str, doc: Document, out: CleanOutput) -> dict[str, Any]:
    article = next((a for a in out.articles if a.article_id == doc.doc_id), None)
    if article is None:
        item = next((q for q in out.quarantine if q.item_id == doc.doc_id), None)
        return {"source": source, "error": item.reason_code if item else "not_cleaned", "stage": "clean",
                "message": item.message if item else "the document was not cleaned"}
    return {
        "source": source,
        "title": article.title,
        "publisher": article.publisher,
        "byline": article.byline,
        "published_at": article.published_at.isoformat() if article.published_at else None,
        "language": article.language,
        "word_count": article.word_count,
        "body": article.body,
        "removed": [{"position": s.position, "rule": s.rule, "text": s.text}
                    for s in out.boilerplate if s.article_id == article.article_id],
        "captions": [c.text for c in out.captions if c.article_id == article.article_id],
    }
