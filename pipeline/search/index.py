"""The full-text search index: a tantivy index derived from the warehouse, kept beside it.

Chosen over DuckDB's `fts` extension by `benchmarks/search_bench.py` (docs/monitoring.md):
tantivy adds a batch of articles as a new segment, so keeping the index current costs what
the batch costs, where `PRAGMA create_fts_index` rebuilds the whole index from the table.

The index is a derived store: only `load` writes the warehouse, and this module only reads
it. :func:`sync_index` adds the articles of every published run the index has not seen
(their ids are in the index's state file, written after tantivy's commit, so a sync killed
in between redoes that run: re-adding deletes the article's old document first, so re-runs
are idempotent). :func:`rebuild_index` builds it anew from the warehouse.
"""

from __future__ import annotations

import functools
import json
import os
import re
import shutil
import time
import tomllib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import tantivy

from pipeline.errors import PermanentError, TransientError
from pipeline.search import query as q

SQL_DIR = Path(__file__).parent / "sql"
STATE_FILE = "newsmon_state.json"
# The event lexicon (data, read as data: this module imports no stage).
EVENT_TYPES_FILE = Path(__file__).resolve().parents[1] / "extract" / "event_types.toml"
SCHEMA_VERSION = 1  # bump when the fields change: an index of another version is rebuilt
FETCH_ROWS = 20_000  # articles read from the warehouse per chunk while indexing
TITLE_BOOST = 2.0
DUPLICATE_FLAG = "duplicate"
EntityResolver = Callable[[str], list[str]]


class SearchIndexError(PermanentError):
    reason_code = "search_index"


class SearchIndexBusyError(TransientError):
    """Another process is writing the index (tantivy's writer lock)."""

    reason_code = "search_index_locked"


def read_sql(name: str) -> str:
    return (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")


def build_schema() -> tantivy.Schema:
    b = tantivy.SchemaBuilder()
    b.add_text_field("article_id", stored=True, tokenizer_name="raw")
    b.add_text_field("title", stored=True)
    b.add_text_field("body")  # snippets are cut from the warehouse's body: not stored twice
    b.add_text_field("byline")
    b.add_text_field("publisher", stored=True)
    b.add_text_field("language", stored=True, tokenizer_name="raw")
    b.add_date_field("published_at", stored=True, indexed=True, fast=True)
    b.add_text_field("entity", tokenizer_name="raw")  # entity ids, one value each
    b.add_text_field("event", tokenizer_name="raw")  # event categories, lower-case
    b.add_text_field("flags", tokenizer_name="raw")  # "duplicate"
    return b.build()


SCHEMA = build_schema()


def _words(text: str) -> list[str]:
    return [w.lower() for w in q.WORD_CHARS.findall(text)]


@dataclass
class Hit:
    article_id: str
    score: float
    title: str | None
    publisher: str | None
    language: str | None
    published_at: datetime | None
    snippet: str = ""  # plain text
    highlights: list[tuple[int, int]] = field(default_factory=list)  # character ranges in snippet
    matched: list[str] = field(default_factory=list)  # the highlighted words

    def marked_snippet(self, left: str = "[", right: str = "]") -> str:
        out, last = [], 0
        for start, end in self.highlights:
            out += [self.snippet[last:start], left, self.snippet[start:end], right]
            last = end
        out.append(self.snippet[last:])
        return "".join(out)


@dataclass
class SearchResult:
    query: str
    total: int  # documents matching in the index (before duplicates found at fetch time)
    hits: list[Hit]
    seconds: float


class Compiler:
    """A query tree to a tantivy query. `entities` turns an `entity:` value into entity ids;
    `event_types` is the set of known event categories (an unknown one is an error)."""

    def __init__(self, text: str, entities: EntityResolver | None = None,
                 event_types: EventCategories | None = None):
        self.text = text
        self.entities = entities
        self.event_types = event_types

    def error(self, needle: str, problem: str) -> q.QueryError:
        return q.QueryError(self.text, max(0, self.text.find(needle)), problem)

    def compile(self, node: q.Node) -> tantivy.Query:
        if isinstance(node, q.And):
            return self._boolean(node.parts, tantivy.Occur.Must)
        if isinstance(node, q.Or):
            return self._boolean(node.parts, tantivy.Occur.Should)
        if isinstance(node, q.Not):
            return tantivy.Query.boolean_query([(tantivy.Occur.Must, tantivy.Query.all_query()),
                                                (tantivy.Occur.MustNot, self.compile(node.part))])
        if isinstance(node, q.DateRange):
            return date_query(node.start, node.end)
        if node.field == "entity":
            return self._entity(node)
        if node.field == "event":
            return self._event(node)
        if node.field == "language":
            value = node.text if isinstance(node, q.Term) else " ".join(node.words)
            return tantivy.Query.term_query(SCHEMA, "language", value.lower())
        fields = [node.field] if node.field else list(q.TEXT_FIELDS)
        parts = [self._boost(f, self._text(f, node)) for f in fields]
        return parts[0] if len(parts) == 1 else tantivy.Query.boolean_query(
            [(tantivy.Occur.Should, p) for p in parts])

    def _boolean(self, parts: Sequence[q.Node], occur: tantivy.Occur) -> tantivy.Query:
        clauses = []
        for part in parts:
            if isinstance(part, q.Not) and occur == tantivy.Occur.Must:
                clauses.append((tantivy.Occur.MustNot, self.compile(part.part)))
            else:
                clauses.append((occur, self.compile(part)))
        if all(o == tantivy.Occur.MustNot for o, _ in clauses):
            clauses.append((tantivy.Occur.Must, tantivy.Query.all_query()))
        return tantivy.Query.boolean_query(clauses)

    @staticmethod
    def _boost(field_name: str, query: tantivy.Query) -> tantivy.Query:
        return tantivy.Query.boost_query(query, TITLE_BOOST) if field_name == "title" else query

    def _text(self, field_name: str, node: q.Term | q.Phrase) -> tantivy.Query:
        if isinstance(node, q.Term) and node.wildcard:
            pieces = re.split(r"([*?])", node.text.lower())
            pattern = "".join(".*" if p == "*" else "." if p == "?" else re.escape(p) for p in pieces)
            return tantivy.Query.regex_query(SCHEMA, field_name, pattern)
        words = _words(node.text if isinstance(node, q.Term) else " ".join(node.words))
        if not words:
            return tantivy.Query.empty_query()
        if len(words) == 1:
            return tantivy.Query.term_query(SCHEMA, field_name, words[0])
        phrase: list[str | tuple[int, str]] = list(words)  # the stub's item type: a word, or (position, word)
        return tantivy.Query.phrase_query(SCHEMA, field_name, phrase,
                                          slop=node.slop if isinstance(node, q.Phrase) else 0)

    def _entity(self, node: q.Term | q.Phrase) -> tantivy.Query:
        value = node.text if isinstance(node, q.Term) else " ".join(node.words)
        ids = self.entities(value) if self.entities else [value]
        if not ids:
            return tantivy.Query.empty_query()
        return tantivy.Query.term_set_query(SCHEMA, "entity", ids)

    def _event(self, node: q.Term | q.Phrase) -> tantivy.Query:
        value = (node.text if isinstance(node, q.Term) else "_".join(node.words)).lower()
        if self.event_types is not None and value not in self.event_types:
            raise self.error(value if value in self.text else node.text if isinstance(node, q.Term) else "event:",
                             f"unknown event category {value!r}; categories are "
                             f"{', '.join(sorted(self.event_types.known()))}")
        return tantivy.Query.term_query(SCHEMA, "event", value)


def date_query(start: date | None, end: date | None) -> tantivy.Query:
    lower = datetime.combine(start, datetime.min.time()) if start else None
    upper = datetime.combine(end + timedelta(days=1), datetime.min.time()) if end else None
    if lower is None and upper is None:
        return tantivy.Query.all_query()
    return tantivy.Query.range_query(SCHEMA, "published_at", tantivy.FieldType.Date, lower, upper,
                                     include_upper=upper is None)


def restrict(query: tantivy.Query, *, fold_duplicates: bool = True,
             article_ids: Sequence[str] | None = None, since: date | None = None,
             until: date | None = None) -> tantivy.Query:
    """`query` limited to canonical articles, to some ids, to a period."""
    clauses = [(tantivy.Occur.Must, query)]
    if fold_duplicates:
        clauses.append((tantivy.Occur.MustNot, tantivy.Query.term_query(SCHEMA, "flags", DUPLICATE_FLAG)))
    if article_ids is not None:
        clauses.append((tantivy.Occur.Must, tantivy.Query.term_set_query(SCHEMA, "article_id", list(article_ids))))
    if since or until:
        clauses.append((tantivy.Occur.Must, date_query(since, until)))
    return tantivy.Query.boolean_query(clauses) if len(clauses) > 1 else query


class SearchIndex:
    """The index folder (`settings.search_index_dir`): tantivy's files and newsmon's state."""

    def __init__(self, path: Path, *, create: bool = True):
        self.path = Path(path)
        state = self._read_state()
        if state.get("schema_version") not in (None, SCHEMA_VERSION):
            if not create:
                raise SearchIndexError(f"the search index {self.path} has an older layout",
                                       hint="rebuild it: newsmon search --rebuild")
            shutil.rmtree(self.path, ignore_errors=True)
            state = {}
        if not create and not tantivy.Index.exists(str(self.path)):
            raise SearchIndexError(f"no search index at {self.path}",
                                   hint="it is built after each publish; build it now with newsmon search --rebuild")
        self.path.mkdir(parents=True, exist_ok=True)
        try:
            self.index = tantivy.Index(SCHEMA, path=str(self.path), reuse=True)
        except ValueError as exc:
            raise SearchIndexError(f"cannot open the search index {self.path}: {exc}",
                                   hint="rebuild it: newsmon search --rebuild") from exc
        self.runs: set[str] = set(state.get("runs", []))

    def _read_state(self) -> dict[str, Any]:
        try:
            return json.loads((self.path / STATE_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}

    def _write_state(self) -> None:
        tmp = self.path / (STATE_FILE + ".tmp")
        tmp.write_text(json.dumps({"schema_version": SCHEMA_VERSION, "runs": sorted(self.runs)}), encoding="utf-8")
        os.replace(tmp, self.path / STATE_FILE)

    # --- writing ------------------------------------------------------------------------
    def writer(self, threads: int = 1) -> tantivy.IndexWriter:
        try:
            return self.index.writer(heap_size=max(3_000_000 * threads, 64_000_000), num_threads=threads)
        except ValueError as exc:
            if "lock" in str(exc).lower():
                raise SearchIndexBusyError(f"the search index {self.path} is being written by another process",
                                           hint="it is retried; or wait for that sync to finish") from exc
            raise

    def add_articles(self, writer: tantivy.IndexWriter, rows: Iterable[dict[str, Any]], *,
                     replace: bool = True) -> int:
        """Add (or replace) one document per article row (see sql/search_documents.sql)."""
        n = 0
        for row in rows:
            if replace:
                writer.delete_documents_by_term("article_id", row["article_id"])
            writer.add_document(_document(row))
            n += 1
        return n

    def commit(self, writer: tantivy.IndexWriter, runs: Iterable[str]) -> None:
        writer.commit()
        writer.wait_merging_threads()
        self.runs.update(runs)
        self._write_state()
        self.index.reload()

    # --- reading ------------------------------------------------------------------------
    def search(self, query: tantivy.Query, limit: int) -> tuple[int, list[tuple[float, dict[str, Any]]]]:
        searcher = self.index.searcher()
        result = searcher.search(query, limit=max(1, limit), count=True)
        docs = []
        for score, address in result.hits:
            doc = searcher.doc(address)
            docs.append((score, {name: (doc.get_first(name)) for name in
                                 ("article_id", "title", "publisher", "language", "published_at")}))
        # tantivy 0.27's stub leaves out SearchResult.count, which count=True fills.
        return result.count or 0, docs  # type: ignore[attr-defined]

    def snippets(self, query: tantivy.Query, bodies: dict[str, str], max_chars: int) -> dict[str, Any]:
        generator = tantivy.SnippetGenerator.create(self.index.searcher(), query, SCHEMA, "body")
        generator.set_max_num_chars(max_chars)
        return {aid: generator.snippet_from_doc(tantivy.Document(body=[body])) for aid, body in bodies.items()}

    def num_docs(self) -> int:
        return self.index.searcher().num_docs


def _document(row: dict[str, Any]) -> tantivy.Document:
    doc = tantivy.Document()
    doc.add_text("article_id", row["article_id"])
    for name in ("title", "body", "byline", "publisher"):
        if row.get(name):
            doc.add_text(name, row[name])
    if row.get("language"):
        doc.add_text("language", row["language"].lower())
    if row.get("published_at"):
        doc.add_date("published_at", row["published_at"])
    for entity_id in row.get("entity_ids") or ():
        doc.add_text("entity", entity_id)
    for event_type in row.get("event_types") or ():
        doc.add_text("event", event_type.lower())
    if row.get("is_duplicate"):
        doc.add_text("flags", DUPLICATE_FLAG)
    return doc


def _chunks(con: Any, sql: str, params: list[Any]) -> Iterable[list[dict[str, Any]]]:
    reader = con.execute(sql, params).to_arrow_reader(FETCH_ROWS)
    for batch in reader:
        yield batch.to_pylist()


@dataclass
class SyncStats:
    runs: int = 0
    articles: int = 0
    seconds: float = 0.0
    documents: int = 0  # in the index after the sync


def sync_index(con: Any, path: Path, *, threads: int = 1) -> SyncStats:
    """Index the articles of every published run the index has not seen. `con` reads the
    warehouse (a DuckDB connection); the cost is the new runs' articles, not the warehouse."""
    started = time.perf_counter()
    index = SearchIndex(path)
    published = [r[0] for r in con.execute("SELECT run_id FROM pipeline_runs").fetchall()]
    new_runs = sorted(set(published) - index.runs)
    stats = SyncStats(runs=len(new_runs))
    if new_runs:
        writer = index.writer(threads)
        try:
            for rows in _chunks(con, read_sql("search_documents").format(where="a.run_id IN (SELECT unnest(?))"),
                                [new_runs]):
                stats.articles += index.add_articles(writer, rows)
            index.commit(writer, new_runs)
        except BaseException:
            writer.rollback()
            raise
    stats.documents = index.num_docs()
    stats.seconds = round(time.perf_counter() - started, 3)
    return stats


def rebuild_index(con: Any, path: Path, *, threads: int = 1) -> SyncStats:
    """The index anew from the whole warehouse (after a layout change, or to repair it)."""
    shutil.rmtree(path, ignore_errors=True)
    return sync_index(con, path, threads=threads)


# --- searching ---------------------------------------------------------------------------

def entity_resolver(con: Any) -> EntityResolver:
    """`entity:` values to entity ids: an id, a canonical name or an alias (any case)."""
    sql = read_sql("resolve_entity")

    def resolve(value: str) -> list[str]:
        return [r[0] for r in con.execute(sql, [value, value.lower()]).fetchall()]

    return resolve


@functools.cache
def _lexicon_types() -> frozenset[str]:
    return frozenset(name.lower() for name in
                     tomllib.loads(EVENT_TYPES_FILE.read_text(encoding="utf-8")).get("types", {}))


class EventCategories:
    """The categories `event:` accepts: the event lexicon's types and any stored type. Read
    only when a query names one."""

    def __init__(self, con: Any):
        self.con = con
        self._known: set[str] | None = None

    def __contains__(self, value: object) -> bool:
        return value in self.known()

    def known(self) -> set[str]:
        if self._known is None:
            stored = {r[0].lower() for r in self.con.execute(read_sql("event_types")).fetchall() if r[0]}
            self._known = stored | _lexicon_types()
        return self._known


_OPEN: dict[Path, SearchIndex] = {}


def open_index(path: Path) -> SearchIndex:
    """The index at `path` for reading, opened once per process and reloaded to see new commits."""
    key = Path(path).resolve()
    index = _OPEN.get(key)
    if index is None or not (key / STATE_FILE).exists():
        index = _OPEN[key] = SearchIndex(key, create=False)
    else:
        index.index.reload()
    return index


def search(con: Any, path: Path, text: str, *, limit: int = 20, since: date | None = None,
           until: date | None = None, fold_duplicates: bool = True, article_ids: Sequence[str] | None = None,
           snippet_chars: int = 240) -> SearchResult:
    """Parse `text`, run it on the index, return the best `limit` articles with snippets.

    `con` reads the warehouse: entity names, event categories, the bodies snippets are cut
    from, and whether a hit is (by now) a duplicate."""
    started = time.perf_counter()
    tree = q.parse_query(text)
    compiled = Compiler(text, entity_resolver(con), EventCategories(con)).compile(tree)
    query = restrict(compiled, fold_duplicates=fold_duplicates, article_ids=article_ids, since=since, until=until)
    index = open_index(path)
    # Dedup verdicts can change after an article was indexed (an earlier copy arriving later):
    # the warehouse has the last word, so a few more hits are fetched than shown.
    want = limit + (max(10, limit // 2) if fold_duplicates else 0)
    total, docs = index.search(query, want)
    ids = [d["article_id"] for _, d in docs]
    facts = {r[0]: (r[1], r[2]) for r in con.execute(read_sql("hit_bodies"), [ids]).fetchall()} if ids else {}
    kept = [(score, d) for score, d in docs
            if d["article_id"] in facts and not (fold_duplicates and facts[d["article_id"]][1])][:limit]
    snippets = index.snippets(query, {d["article_id"]: facts[d["article_id"]][0] for _, d in kept}, snippet_chars)
    hits = []
    for score, d in kept:
        fragment, ranges = _snippet(snippets[d["article_id"]], facts[d["article_id"]][0], snippet_chars)
        hits.append(Hit(article_id=d["article_id"], score=round(float(score), 4), title=d["title"],
                        publisher=d["publisher"], language=d["language"], published_at=d["published_at"],
                        snippet=fragment, highlights=ranges,
                        matched=present_terms(q.terms(tree), f"{d['title'] or ''} {facts[d['article_id']][0]}")))
    return SearchResult(query=text, total=total, hits=hits, seconds=round(time.perf_counter() - started, 4))


def _snippet(snip: Any, body: str, max_chars: int) -> tuple[str, list[tuple[int, int]]]:
    """The fragment and its highlighted character ranges; a query with no words to show
    (only filters) gets the article's opening."""
    fragment = snip.fragment()
    if not fragment:
        opening = body[:max_chars]
        return (opening.rsplit(" ", 1)[0] if len(body) > max_chars else opening), []
    # tantivy gives byte offsets into the UTF-8 fragment: count characters instead.
    encoded = fragment.encode("utf-8")
    return fragment, [(len(encoded[:r.start].decode("utf-8", "ignore")), len(encoded[:r.end].decode("utf-8", "ignore")))
                      for r in snip.highlighted()]


def present_terms(wanted: list[str], text: str) -> list[str]:
    """Which of a query's words and phrases (as typed, lower-cased) the text holds: a phrase
    when all its words are there, a wildcard when a word fits it."""
    words = set(_words(text))
    found = []
    for term in wanted:
        if "*" in term or "?" in term:
            pattern = re.compile("".join(".*" if c == "*" else "." if c == "?" else re.escape(c)
                                         for c in term.lower()))
            hit = any(pattern.fullmatch(w) for w in words)
        else:
            hit = bool(_words(term)) and all(w in words for w in _words(term))
        if hit and term.lower() not in found:
            found.append(term.lower())
    return sorted(found)
