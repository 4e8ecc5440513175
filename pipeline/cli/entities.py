"""`newsmon entities FILE ...`: the entities of text or HTML files, one line per mention.

Files are read and cleaned as the pipeline does, then passed to
:func:`pipeline.extract.entities.extract_entities`. Offsets are into the file's text as read
wherever the mention lies in a stretch the cleaned body shares verbatim with that text (always
so for plain text without boilerplate); otherwise (HTML) they are into the cleaned body and
the line says so with ``"offsets": "body"``.
"""

from __future__ import annotations

import argparse
import json
import sys
from difflib import SequenceMatcher

from pipeline.errors import InputError
from pipeline.records import Article, Document, QuarantineItem


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("entities", help="named entities (resolved to entity ids) of text/HTML files")
    p.add_argument("files", nargs="+", metavar="FILE", help="article files (.txt, .html)")
    p.add_argument("--jsonl", action="store_true", help="one JSON object per mention")
    p.set_defaults(func=handle)


def _clean(docs: list[Document], settings) -> tuple[list[Article], list[QuarantineItem]]:
    from pipeline.clean import clean_documents

    out = clean_documents(docs, settings, "adhoc")
    return out.articles, out.quarantine


def _payload_source(item: QuarantineItem) -> str:
    try:
        return json.loads(item.payload or "{}").get("source_uri", item.item_id)
    except (ValueError, AttributeError):
        return item.item_id


def body_to_text_offsets(body: str, text: str) -> list[tuple[int, int, int]]:
    """(body_start, body_end, text_start) of the stretches the cleaned body shares verbatim
    with the file's text. Paragraphs are looked up whole; one the cleaner changed (it may
    re-space glued sentences) is aligned character-wise inside a window of the text."""
    blocks, pos, cursor = [], 0, 0
    for para in body.split("\n"):
        found = text.find(para, cursor) if para.strip() else -1
        if found >= 0:
            blocks.append((pos, pos + len(para), found))
            cursor = found + len(para)
        elif para.strip():
            window = text[cursor:cursor + 2 * len(para) + 200]
            matcher = SequenceMatcher(None, para, window, autojunk=False)
            end = cursor
            for a, b, size in matcher.get_matching_blocks():
                if size:
                    blocks.append((pos + a, pos + a + size, cursor + b))
                    end = cursor + b + size
            cursor = end
        pos += len(para) + 1
    return blocks


def _map(offsets: list[tuple[int, int, int]] | None, start: int, end: int) -> tuple[int, int] | None:
    for b_start, b_end, t_start in offsets or []:
        if b_start <= start and end <= b_end:
            return t_start + start - b_start, t_start + end - b_start
    return None


def handle(args: argparse.Namespace) -> int:
    from pipeline.extract.entities import extract_entities
    from pipeline.ingest.files import read_document
    from pipeline.settings import load_settings

    settings = load_settings(args.config)
    docs, failed = [], 0
    for path in args.files:
        try:
            docs.append((path, read_document(path, settings)))
        except InputError as exc:
            print(f"newsmon entities: skipped {path}: [{exc.reason_code}] {exc.message}", file=sys.stderr)
            failed += 1
    if not docs:  # a failure, not a usage error: the arguments were fine, the files were not
        raise InputError("unreadable", "no readable input file", hint="give text or HTML article files")
    by_doc = {d.doc_id: (path, d) for path, d in docs}
    articles, rejected = _clean([d for _, d in docs], settings)
    for item in rejected:  # e.g. nothing left after cleaning: say so, never drop silently
        source = _payload_source(item)
        print(f"newsmon entities: skipped {source}: [{item.reason_code}] {item.message}", file=sys.stderr)
        failed += 1
    if not articles:
        return 1
    out = extract_entities(articles, settings, known_entities=[])
    canonical = {e.entity_id: e.canonical_name for e in out.entities}
    bodies = {a.article_id: a for a in articles}
    offsets = {}
    for a in articles:
        _, doc = by_doc[a.doc_id]
        offsets[a.article_id] = body_to_text_offsets(a.body, doc.raw_text or "") \
            if doc.content_type == "text/plain" else None
    for m in out.mentions:
        article = bodies[m.article_id]
        path, _ = by_doc[article.doc_id]
        mapped = _map(offsets[m.article_id], m.start_char, m.end_char)
        row = {"source": path, "start": mapped[0] if mapped else m.start_char,
               "end": mapped[1] if mapped else m.end_char, "text": m.surface, "type": m.entity_type,
               "entity_id": m.entity_id, "canonical": canonical[m.entity_id]}
        if not mapped:
            row["offsets"] = "body"
        if args.jsonl:
            print(json.dumps(row, ensure_ascii=False))
        else:
            print(f"{path}\t{row['start']}-{row['end']}\t{m.entity_type:<6}\t{m.surface}\t"
                  f"-> {row['canonical']} [{m.entity_id}]")
    return 1 if failed else 0
