"""A realistic Batch built from the five seed articles, independent of the other stages.

Titles are the first line, bodies the remaining paragraphs with lines of under four words
split off as boilerplate spans (a crude stand-in for the cleaner, good enough to give the
quality suites real text). Entities and events are found by exact search of names taken
from tests/validate/cases/seed_entities.json, so every offset points into the real body.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import date, datetime
from pathlib import Path

from pipeline.load.warehouse import Warehouse
from pipeline.records import (
    Article,
    Batch,
    BoilerplateSpan,
    Document,
    Entity,
    EntityMention,
    Event,
    EventMention,
    QuarantineItem,
    stable_id,
)
from pipeline.settings import Settings
from pipeline.validate import validate_batch
from pipeline.validate.suites import boilerplate_markers

ROOT = Path(__file__).resolve().parents[2]
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
CASES = Path(__file__).with_name("cases")
FETCHED = datetime(2022, 2, 1, 8, 0, 0)


def seed_batch(run_id: str = "fixture-run", clean: bool = True) -> Batch:
    """With clean=True, lines the quality suite's boilerplate markers match are split off too,
    so the fixture warehouse passes every expectation; clean=False keeps them in the bodies."""
    markers = [re.compile(m) for m in boilerplate_markers(Settings())] if clean else []
    spec = json.loads((CASES / "seed_entities.json").read_text(encoding="utf-8"))
    batch = Batch(run_id=run_id)
    entities = {name: Entity(entity_id=stable_id("entity", name), canonical_name=name, entity_type=etype,
                             aliases=[name])
                for name, etype in spec["entities"].items()}
    event = Event(event_id=stable_id("event", "geneva-talks"), event_date=date(2022, 1, 10),
                  event_date_end=date(2022, 1, 10), date_precision="day",
                  event_type="meeting", cameo_root="04", modality="scheduled", location="Geneva",
                  location_lat=46.2, location_lon=6.15, actor1=entities["United States"].entity_id,
                  actor2=entities["Russia"].entity_id,
                  actors=[entities["United States"].entity_id, entities["Russia"].entity_id],
                  summary="US-Russia talks in Geneva")
    for path in SEEDS:
        raw = path.read_bytes()
        text = raw.decode("utf-8")
        digest = hashlib.sha256(raw).hexdigest()
        doc = Document(doc_id=stable_id("file", str(path), digest), source_kind="file", source_uri=str(path),
                       fetched_at=FETCHED, raw_sha256=digest, raw_text=text)
        batch.documents.append(doc)
        lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
        title, rest = lines[0], lines[1:]
        kept, spans = [], []
        for line in rest:
            furniture = len(line.split()) < 4 or any(m.search(line) for m in markers)
            (spans if furniture else kept).append(line)
        body = "\n\n".join(kept)
        article_id = stable_id("article", doc.doc_id)
        batch.articles.append(Article(
            article_id=article_id, doc_id=doc.doc_id, source_uri=doc.source_uri, url=None, title=title,
            publisher=None, byline=None, published_at=datetime(2022, 1, 4), language="en", body=body,
            word_count=len(body.split()), content_hash=hashlib.sha256(body.encode()).hexdigest(),
            first_seen_at=FETCHED, date_anchor=datetime(2022, 1, 4), date_anchor_source="published"))
        batch.boilerplate += [BoilerplateSpan(article_id, i, "fixture:short_line", s) for i, s in enumerate(spans)]
        for name, entity in entities.items():
            for m in re.finditer(rf"\b{re.escape(name)}\b", body):
                sentence_index = body[:m.start()].count(". ")
                batch.mentions.append(EntityMention(article_id, entity.entity_id, name, m.start(), m.end(),
                                                    sentence_index, entity.entity_type))
        geneva = body.find("Geneva")
        if geneva >= 0:
            start = body.rfind("\n", 0, geneva) + 1
            end = body.find("\n", geneva)
            end = len(body) if end < 0 else end
            batch.event_mentions.append(EventMention(
                event.event_id, article_id, body[start:end], "January 10", start, end, 0.8,
                event_type="meeting", event_date=date(2022, 1, 10), event_date_end=date(2022, 1, 10), date_precision="day",
                modality="scheduled"))
    used = {m.entity_id for m in batch.mentions}
    batch.entities = [e for e in entities.values() if e.entity_id in used]
    batch.events = [event]
    batch.quarantine.append(QuarantineItem(item_id="empty-file-fixture", stage="ingest", reason_code="empty_file",
                                           message="/tmp/empty.txt is empty (0 bytes)", payload=None,
                                           run_id=run_id, quarantined_at=FETCHED))
    return batch


def load_seed_warehouse(settings: Settings, run_id: str = "fixture-run", clean: bool = True) -> Batch:
    """Validate the seed batch and load it with the real loader into settings.db_path."""
    batch = validate_batch(seed_batch(run_id, clean), settings)
    with Warehouse(settings) as wh:
        wh.load_batch(batch, stats={"ingest": {"documents": len(batch.documents)},
                                    "validate": {"quarantined": len(batch.quarantine)}}, trigger="test")
    return batch


def read_tables(settings: Settings) -> dict:
    with Warehouse(settings, read_only=True) as wh:
        return wh.read_tables(TABLES)


TABLES = ["documents", "articles", "boilerplate_removed", "captions", "entities", "entity_mentions",
          "events", "event_mentions", "quarantine", "pipeline_runs", "feed_state"]
