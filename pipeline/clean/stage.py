"""The clean stage: Documents in, Articles plus their audit trail out.

Two passes over the batch: first every document is parsed (plain text or HTML) so lines
recurring within the batch count towards the learned signal, then each is cleaned. A
document that yields no usable body becomes a QuarantineItem; it never stops the batch.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from pipeline.clean.engine import Cleaned, Cleaner, Removal
from pipeline.clean.html import extract_html
from pipeline.clean.language import identifier, identify
from pipeline.clean.metadata import Head, host_of, notes_metadata, parse_plain
from pipeline.clean.recurring import MIN_LINE_CHARS, RecurringLines, line_hash, publisher_key, story_key
from pipeline.clean.rules import load_rules
from pipeline.clean.title_affixes import strip_publisher_affixes
from pipeline.executor import Executor, ItemFailure, quarantine_failure
from pipeline.records import (
    Article,
    BoilerplateSpan,
    Caption,
    Document,
    PublisherLine,
    QuarantineItem,
    naive_utc,
    utc_now,
)
from pipeline.settings import Settings
from pipeline.text import content_hash, normalise_for_hash, word_count

STAGE = "clean"


@dataclass
class CleanOutput:
    articles: list[Article] = field(default_factory=list)
    boilerplate: list[BoilerplateSpan] = field(default_factory=list)
    captions: list[Caption] = field(default_factory=list)
    publisher_lines: list[PublisherLine] = field(default_factory=list)
    quarantine: list[QuarantineItem] = field(default_factory=list)


class Unusable(Exception):
    """A document with no usable body, raised by ``parse_document`` (the stage makes it a
    quarantine row with ``reason_code``, not an error)."""

    def __init__(self, reason_code: str, message: str, payload: dict | None = None):
        super().__init__(message)
        self.reason_code = reason_code
        self.payload = payload or {}


def parse_document(doc: Document) -> Head:
    """Title/publisher/byline/date and body paragraphs of one document (raises Unusable)."""
    if not doc.raw_text or not doc.raw_text.strip():
        raise Unusable("empty_body", "the document has no text")
    if doc.content_type == "text/html":
        head = extract_html(doc.raw_text, doc.url)
        if head is None and doc.content_origin == "feed_content":
            # Not the page: the entry's own summary, because its page was not fetched.
            raise Unusable("feed_entry_no_text",
                            "the feed entry's own content holds no article text and its linked page was "
                            "not fetched (local feed files are read offline: linked pages are never fetched; "
                            "a web feed fetches them when fetch_pages is on)")
        if head is None:
            raise Unusable("no_extractable_text", "trafilatura found no main text in the page")
    else:
        head = parse_plain(doc.raw_text, doc.hint_title)
    byline, publisher = notes_metadata(head.paragraphs)
    head.title = head.title or doc.hint_title
    head.byline = head.byline or byline or doc.hint_author
    head.publisher = head.publisher or publisher or host_of(doc.url)
    # A feed's own entry date is the publisher's statement; a date found in the page is a guess.
    if doc.hint_published_at:
        hinted = naive_utc(doc.hint_published_at)
        if head.published_at is None or abs((head.published_at - hinted).total_seconds()) > 60:
            head.published_offset = None  # the page's offset belongs to the page's time only
        head.published_at = hinted
    return head


Parsed = tuple[Head | None, tuple[str, str, dict] | None, list[str]]


def parse_step(_: object, docs: list[Document]) -> list[Parsed]:
    """Executor step: each document's head, or why it has no usable body, and its paragraphs'
    normalised forms for the recurring-line history (computed with the parse, on the workers)."""
    out: list[Parsed] = []
    for doc in docs:
        try:
            head = parse_document(doc)
        except Unusable as exc:
            out.append((None, (exc.reason_code, str(exc), exc.payload), []))
            continue
        out.append((head, None, [normalise_for_hash(t) for _, t in head.paragraphs]))
    return out


_LANGUAGE_WINDOW = 800


def language_sample(body: str, window: int = _LANGUAGE_WINDOW) -> str:
    """The start, middle and end of a long body: language identification costs time in
    proportion to length, and on the 983 evaluation pages of 30+ words the sample gave the
    whole text's language every time (2.7x faster)."""
    if len(body) <= 3 * window:
        return body
    middle = len(body) // 2
    return "\n".join((body[:window], body[middle - window // 2:middle + window // 2], body[-window:]))


def _language(body: str) -> str | None:
    return identify(language_sample(body))  # loads the model on first use


def build_article(doc: Document, head: Head, cleaned: Cleaned) -> Article:
    body = "\n\n".join(cleaned.paragraphs)
    fetched = naive_utc(doc.fetched_at) if doc.fetched_at else None
    return Article(
        article_id=doc.doc_id, doc_id=doc.doc_id, source_uri=doc.source_uri, url=doc.url,
        title=head.title, publisher=head.publisher, byline=head.byline,
        published_at=head.published_at, language=_language(body), body=body,
        word_count=word_count(body), content_hash=content_hash(body), first_seen_at=fetched,
        date_anchor=head.published_at or fetched,
        date_anchor_source="published" if head.published_at else ("fetched" if fetched else None),
        published_offset_minutes=head.published_offset,
    )


def _spans(article_id: str, removals: list[Removal]) -> list[BoilerplateSpan]:
    ordered = sorted(removals, key=lambda r: (r.index, r.offset))
    return [BoilerplateSpan(article_id, pos, r.rule, r.text) for pos, r in enumerate(ordered)]


def _quarantine(doc: Document, run_id: str, reason: str, message: str, payload: dict) -> QuarantineItem:
    payload = {"source_uri": doc.source_uri, **payload}
    return QuarantineItem(item_id=doc.doc_id, stage=STAGE, reason_code=reason, message=message,
                          payload=json.dumps(payload, ensure_ascii=False, default=str), run_id=run_id,
                          quarantined_at=utc_now())


@dataclass
class CleanContext:
    """What cleaning one document needs of the batch: inherited by forked workers, pickled once
    to spawned ones."""

    cleaner: Cleaner
    recurring: RecurringLines
    settings: Settings
    run_id: str


def clean_step(ctx: CleanContext, items: list[tuple[Document, Head, str]]) -> list[CleanOutput]:
    """Executor step: each parsed document cleaned into its article and audit rows."""
    outs = []
    for doc, head, story in items:
        out = CleanOutput()
        _clean_one(doc, head, story, ctx.cleaner, ctx.recurring, ctx.settings, ctx.run_id, out)
        outs.append(out)
    return outs


def internal_error(doc: Document, run_id: str, failure: ItemFailure) -> QuarantineItem:
    return quarantine_failure(failure, doc.doc_id, run_id, STAGE, source_uri=doc.source_uri)


def clean_documents(documents: list[Document], settings: Settings, run_id: str,
                    recurring: RecurringLines | None = None, executor: Executor | None = None) -> CleanOutput:
    """Clean a batch; documents already quarantined at ingest are passed over.

    Two passes through ``executor`` (in this process when not given): every document parsed,
    the batch's recurring lines counted here, then every document cleaned.
    """
    executor = executor or Executor()
    recurring = recurring if recurring is not None else RecurringLines()
    out = CleanOutput()
    usable = [doc for doc in documents if doc.status != "quarantined"]
    # Loaded before the workers start: they inherit both (fork) instead of each loading them.
    identifier()
    cleaner = Cleaner(load_rules())
    parsed_docs = executor.map(parse_step, usable, stage=STAGE, min_items=settings.clean_parallel_min_docs,
                               max_chunk=settings.clean_parse_max_chunk)
    out.quarantine.extend(internal_error(f.item, run_id, f) for f in parsed_docs.failed)
    parsed: list[tuple[Document, Head, str]] = []
    heads = [head for _, (head, _, _) in parsed_docs.done if head is not None]
    # A publisher's repeated title prefix or suffix, learned across the batch's titles.
    for head, title in zip(heads, strip_publisher_affixes((h.publisher, h.title) for h in heads), strict=True):
        head.title = title
    for doc, (head, unusable, norms) in parsed_docs.done:
        if head is None:
            assert unusable is not None
            reason, message, payload = unusable
            out.quarantine.append(_quarantine(doc, run_id, reason, message, payload))
            continue
        story = story_key(head.title, doc.raw_sha256 or doc.doc_id)
        recurring.add_article(head.publisher, story, norms)
        parsed.append((doc, head, story))

    cleaned = executor.map(clean_step, parsed, CleanContext(cleaner, recurring, settings, run_id), stage=STAGE,
                           min_items=settings.clean_parallel_min_docs, max_chunk=settings.clean_max_chunk)
    for part in cleaned.results:
        for name in ("articles", "boilerplate", "captions", "publisher_lines", "quarantine"):
            getattr(out, name).extend(getattr(part, name))
    out.quarantine.extend(internal_error(f.item[0], run_id, f) for f in cleaned.failed)
    return out


def _clean_one(doc: Document, head: Head, story: str, cleaner: Cleaner, recurring: RecurringLines,
               settings: Settings, run_id: str, out: CleanOutput) -> None:
    def is_recurring(norm: str) -> bool:
        return recurring.is_recurring(head.publisher, norm, settings.recurring_line_min_articles)

    cleaned = cleaner.clean(head.paragraphs, is_recurring, head.title)
    removals = head.removals + cleaned.removals
    if not word_count("\n".join(cleaned.paragraphs)):
        rules = sorted({r.rule for r in removals})
        out.quarantine.append(_quarantine(
            doc, run_id, "empty_body", f"no body left after cleaning ({len(removals)} spans removed)",
            {"removed_rules": rules}))
        return
    article = build_article(doc, head, cleaned)
    out.articles.append(article)
    out.boilerplate.extend(_spans(article.article_id, removals))
    out.captions.extend(Caption(article.article_id, pos, text)
                        for pos, (_, text) in enumerate(sorted(head.captions + cleaned.captions)))
    key = publisher_key(head.publisher)
    if key:
        seen_at = article.first_seen_at or utc_now()
        digests = {line_hash(n, normalised=True) for n in (normalise_for_hash(t) for _, t in head.paragraphs)
                   if len(n) >= MIN_LINE_CHARS}
        out.publisher_lines.extend(PublisherLine(key, d, article.article_id, seen_at, story) for d in sorted(digests))
