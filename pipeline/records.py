"""The records stages exchange. Stages meet only through these.

Each record maps one-to-one to a warehouse table (``schemas/<table>.schema.json`` and
``schemas/warehouse.sql``). Records are plain dataclasses so they can cross process
boundaries as Parquet (see :mod:`pipeline.staging`).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, date, datetime


def utc_now() -> datetime:
    """Now, in the warehouse's convention: UTC without tzinfo (columns are TIMESTAMP)."""
    return datetime.now(UTC).replace(tzinfo=None)


def naive_utc(value: datetime) -> datetime:
    """Any datetime in the warehouse's convention: aware ones converted to UTC, tzinfo dropped."""
    return value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo is not None else value


def parse_iso_timestamp(value: str | None) -> datetime | None:
    """An ISO 8601 date or timestamp from metadata ('2021-06-16', '2021-06-16T08:00:00+02:00',
    a WARC-Date's trailing 'Z') in the warehouse's convention; None when absent or unreadable."""
    if not value:
        return None
    try:
        return naive_utc(datetime.fromisoformat(value.strip().replace("Z", "+00:00")))
    except ValueError:
        return None


def stable_id(*parts: object, length: int = 16) -> str:
    """A deterministic id from its parts: re-running on the same input gives the same id."""
    h = hashlib.sha256("\x1f".join("" if p is None else str(p) for p in parts).encode("utf-8"))
    return h.hexdigest()[:length]


@dataclass
class Document:
    """Every item read, raw content kept so anything can be reprocessed."""

    doc_id: str
    source_kind: str  # "file" | "feed_entry" | "html_page" | "archive_record" (one capture in a WARC)
    source_uri: str
    fetched_at: datetime
    raw_sha256: str
    raw_text: str | None
    status: str = "ok"  # "ok" | "quarantined"
    content_type: str = "text/plain"  # "text/plain" | "text/html"
    encoding: str | None = None
    feed_name: str | None = None
    url: str | None = None  # canonical link when known (feed entry link, page URL)
    hint_title: str | None = None  # metadata carried from a feed entry
    hint_published_at: datetime | None = None
    hint_author: str | None = None
    content_origin: str = "file"  # "file" | "page" | "feed_content" (page could not be fetched) | "archive"
    source_size: int | None = None  # a file's size and mtime when read: the next run skips
    source_mtime_ns: int | None = None  # an unchanged file without reading it


@dataclass
class Article:
    article_id: str
    doc_id: str
    source_uri: str
    url: str | None
    title: str | None
    publisher: str | None
    byline: str | None
    published_at: datetime | None
    language: str | None
    body: str
    word_count: int
    content_hash: str
    is_duplicate: bool = False
    duplicate_of: str | None = None
    similarity: float | None = None
    cluster_id: str | None = None
    first_seen_at: datetime | None = None
    date_anchor: datetime | None = None  # the date relative expressions resolve against
    date_anchor_source: str | None = None  # "published" | "dateline" | "reported" | "fetched"
    # published_at is UTC; the publisher's own offset (minutes east of UTC) when it stated one,
    # so the local time and day are published_at + offset.
    published_offset_minutes: int | None = None


@dataclass
class BoilerplateSpan:
    article_id: str
    position: int  # order of the removed span in the raw article (0-based)
    rule: str  # "<family>:<rule name>", e.g. "comment_prompt:leave_a_reply"
    text: str


@dataclass
class Caption:
    article_id: str
    position: int
    text: str


@dataclass
class Signature:
    """A MinHash signature kept so later runs compare against history without recomputing."""

    article_id: str
    content_hash: str
    num_perm: int
    hashvalues: bytes
    shingle_count: int
    published_at: datetime | None = None
    first_seen_at: datetime | None = None
    # The sorted unique 32-bit shingle hashes (little-endian uint32) and the shingle size they
    # were made with: later runs verify candidates on true Jaccard/containment without the body.
    shingle_hashes: bytes = b""
    shingle_size: int = 0


@dataclass
class Entity:
    entity_id: str
    canonical_name: str
    entity_type: str  # PERSON | ORG | GPE | LOC | NORP | FAC | EVENT
    aliases: list[str] = field(default_factory=list)
    country_code: str | None = None
    lat: float | None = None
    lon: float | None = None
    article_count: int = 0
    mention_count: int = 0
    # How sure the type is: the share of the weighted type votes (model labels, context cues,
    # the article's full names) its mentions' type won, averaged over the mentions; None for
    # entities written before it was kept.
    type_confidence: float | None = None
    # Copies (duplicates) of the articles counted in article_count: linked, never counted.
    num_copies: int = 0


@dataclass
class EntityAlias:
    """An entity id that now names another entity: a surname-only entity of an earlier run whose
    full name arrived later. The old id stays resolvable; its mentions are re-pointed at load."""

    alias_id: str
    entity_id: str


@dataclass
class EntityMention:
    article_id: str
    entity_id: str
    surface: str
    start_char: int  # offsets into Article.body
    end_char: int
    sentence_index: int
    entity_type: str | None = None


@dataclass
class Event:
    event_id: str
    event_date: date | None  # the first day of the period date_precision names
    date_precision: str | None  # "day" | "week" | "month" | "year"
    event_type: str
    cameo_root: str
    modality: str  # "occurred" | "scheduled" | "hypothetical" | "negated"
    location: str | None
    location_lat: float | None
    location_lon: float | None
    actor1: str | None  # entity_id
    actor2: str | None
    actors: list[str] = field(default_factory=list)  # entity_ids
    summary: str | None = None
    num_mentions: int = 0
    num_articles: int = 0
    num_sources: int = 0
    first_seen: datetime | None = None
    last_seen: datetime | None = None
    cameo_code: str | None = None  # finest CAMEO event code ("0431"); cameo_root is its first two digits
    plover_category: str | None = None  # PLOVER 2021 name (AGREE, CONSULT, ... ASSAULT); None for statements
    actor1_code: str | None = None  # CAMEO actor code of actor1 (source): "RUSGOV", "USAMIL", "IGOUNO"
    actor2_code: str | None = None  # ... of actor2 (target)
    event_date_end: date | None = None  # the last day of that period (a range query needs both)
    date_confidence: str | None = None  # "strong" | "inferred" | "weak" (pipeline.extract.dates)
    num_copies: int = 0  # copies (duplicates) of the articles counted in num_articles: never counted


@dataclass
class EventMention:
    event_id: str
    article_id: str
    sentence: str
    date_text: str | None
    start_char: int
    end_char: int
    confidence: float
    event_type: str | None = None
    event_date: date | None = None
    date_precision: str | None = None
    modality: str | None = None
    actors: list[str] = field(default_factory=list)
    location: str | None = None
    cameo_code: str | None = None
    actor1: str | None = None  # source entity id, from the parse (subject, passive agent)
    actor2: str | None = None  # target entity id (object, passive subject, "against/with/to")
    actor1_code: str | None = None
    actor2_code: str | None = None
    attribution: str | None = None  # entity id of the speaker when reported ("X said Y attacked Z": X)
    pattern: str | None = None  # evidence: the dictionary pattern (or lexicon trigger) that matched
    trigger_start: int | None = None  # offsets of the verb or trigger in the article body
    trigger_end: int | None = None
    event_date_end: date | None = None
    date_confidence: str | None = None


@dataclass
class QuarantineItem:
    item_id: str
    stage: str
    reason_code: str
    message: str
    payload: str | None
    run_id: str
    quarantined_at: datetime


@dataclass
class PublisherLine:
    """A normalised line seen in an article of a publisher: lines recurring across many
    articles of one publisher are boilerplate (the learned cleaning signal)."""

    publisher: str
    line_hash: str
    article_id: str
    seen_at: datetime
    # Articles count once per story (clean.recurring.story_key): three versions of one story
    # must not make its own paragraphs look like the publisher's furniture.
    story_key: str | None  # None only in warehouse rows loaded before it existed


@dataclass
class DuplicateLink:
    """Dedup's verdict for one article, new or already loaded (a later, earlier-published
    copy can change the canonical of a stored cluster)."""

    article_id: str
    is_duplicate: bool
    duplicate_of: str | None
    similarity: float | None
    cluster_id: str


@dataclass
class Sentence:
    """Sentence boundaries from the one NLP parse, reused by event extraction."""

    article_id: str
    sentence_index: int
    start_char: int
    end_char: int


@dataclass
class FeedState:
    feed_name: str
    url: str
    etag: str | None = None
    last_modified: str | None = None
    content_sha256: str | None = None
    seen_entry_ids: list[str] = field(default_factory=list)
    last_status: str | None = None
    consecutive_failures: int = 0
    next_retry_at: datetime | None = None
    last_fetched_at: datetime | None = None


@dataclass
class QualityResult:
    run_id: str
    suite: str
    expectation: str
    success: bool
    observed_value: str | None
    details: str | None
    severity: str = "critical"  # "critical" | "warning"


@dataclass
class Alert:
    """A watch matched an article or an event (table `alerts`); once per match, ever."""

    alert_id: str
    watch: str
    item_kind: str  # "article" | "event" | "event_followup"
    item_id: str
    run_id: str
    first_seen: datetime
    matched_terms: list[str] = field(default_factory=list)
    article_id: str | None = None
    event_id: str | None = None
    title: str | None = None
    sources: int | None = None
    status: str = "pending"  # "pending" | "delivered" | "failed" | "no_target"
    attempts: int = 0
    delivered_at: datetime | None = None
    last_error: str | None = None


@dataclass
class Batch:
    """What one run produced, stage by stage; the load stage writes it in one transaction."""

    run_id: str
    documents: list[Document] = field(default_factory=list)
    articles: list[Article] = field(default_factory=list)
    boilerplate: list[BoilerplateSpan] = field(default_factory=list)
    captions: list[Caption] = field(default_factory=list)
    signatures: list[Signature] = field(default_factory=list)
    duplicate_links: list[DuplicateLink] = field(default_factory=list)
    publisher_lines: list[PublisherLine] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    feed_states: list[FeedState] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    mentions: list[EntityMention] = field(default_factory=list)
    entity_aliases: list[EntityAlias] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    event_mentions: list[EventMention] = field(default_factory=list)
    quarantine: list[QuarantineItem] = field(default_factory=list)


# Every kind of record a run produces, in load order (parents before children):
# Batch attribute -> (record class, warehouse table; None when it is not a table of its own).
BATCH_RECORDS: dict[str, tuple[type, str | None]] = {
    "documents": (Document, "documents"),
    "articles": (Article, "articles"),
    "boilerplate": (BoilerplateSpan, "boilerplate_removed"),
    "captions": (Caption, "captions"),
    "signatures": (Signature, "article_signatures"),
    "duplicate_links": (DuplicateLink, None),  # applied as updates to stored articles
    "publisher_lines": (PublisherLine, "publisher_lines"),
    "sentences": (Sentence, None),  # handed from entity to event extraction only
    "entities": (Entity, "entities"),
    "mentions": (EntityMention, "entity_mentions"),
    "entity_aliases": (EntityAlias, "entity_aliases"),  # after the mentions they re-point
    "events": (Event, "events"),
    "event_mentions": (EventMention, "event_mentions"),
    "quarantine": (QuarantineItem, "quarantine"),
    "feed_states": (FeedState, "feed_state"),
}
