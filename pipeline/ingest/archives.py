"""Archives as inputs: gzipped pages (`.html.gz`) and web archives (WARC, `.warc`/`.warc.gz`).

A WARC is what web crawlers and Common Crawl's news crawl write: one file of many captured
HTTP responses. Each HTML `response` (or `resource`) record becomes one Document with its
capture time (`WARC-Date`, as `fetched_at`) and its URL (`WARC-Target-URI`); requests,
metadata, redirects and non-HTML payloads are passed over. Records are read one at a time
(warcio streams the file), each payload bounded by `max_input_bytes`, so a WARC of any size
is read in bounded memory; `newsmon run` takes a large WARC in slices of
`run_batch_documents` records (`plan_inputs`), each slice one run, seeking straight to the
slice's first record.

A record that cannot be used (oversized, undecodable, truncated) becomes a quarantine row with
its reason and the record's id; the rest of the archive is still read.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from pipeline.errors import InputError
from pipeline.ingest.decode import decode_bytes, looks_like_html
from pipeline.ingest.http import decode_text
from pipeline.records import Document, QuarantineItem, parse_iso_timestamp, stable_id, utc_now
from pipeline.settings import Settings

GZIP_PAGE_SUFFIXES = (".html.gz", ".htm.gz", ".xhtml.gz", ".txt.gz")
WARC_SUFFIXES = (".warc", ".warc.gz")
ARCHIVE_SUFFIXES = GZIP_PAGE_SUFFIXES + WARC_SUFFIXES
_SLICE = re.compile(r"^(?P<path>.+)#warc-offset=(?P<offset>\d+)&records=(?P<count>\d+)$")
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_CHUNK = 1 << 16
_TRAILER_BYTES = 4  # the blank lines closing an uncompressed WARC's last record


def is_archive(path: str | Path) -> bool:
    name = str(path).lower()
    return name.endswith(ARCHIVE_SUFFIXES) or bool(_SLICE.match(str(path)))


def is_warc(path: str | Path) -> bool:
    return str(path).lower().endswith(WARC_SUFFIXES) or bool(_SLICE.match(str(path)))


# -- gzipped pages ------------------------------------------------------------------------------
def read_gzip_page(path: Path, settings: Settings) -> Document:
    """One gzipped page or text; decompressed up to max_input_bytes (a gzip bomb is refused)."""
    source_uri = str(path.expanduser().resolve())
    try:
        stat = path.stat()
        with gzip.open(path, "rb") as fh:
            raw = fh.read(settings.max_input_bytes + 1)
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        raise InputError("bad_archive", f"{path} is not a readable gzip file: {exc}", item=source_uri,
                         hint="check that the file is complete") from exc
    if len(raw) > settings.max_input_bytes:
        raise InputError("too_large", f"{path} decompresses to over max_input_bytes="
                         f"{settings.max_input_bytes:,}", item=source_uri,
                         hint="raise NEWSMON_MAX_INPUT_BYTES if this really is one article")
    text, encoding = decode_bytes(raw, item=source_uri)
    digest = hashlib.sha256(raw).hexdigest()
    inner = path.name.lower().removesuffix(".gz")
    is_html = inner.endswith((".html", ".htm", ".xhtml")) or looks_like_html(text)
    return Document(doc_id=stable_id("file", source_uri, digest), source_kind="file", source_uri=source_uri,
                    fetched_at=utc_now(), raw_sha256=digest, raw_text=text,
                    content_type="text/html" if is_html else "text/plain", encoding=encoding,
                    content_origin="file", source_size=stat.st_size, source_mtime_ns=stat.st_mtime_ns)


# -- WARC ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class WarcSlice:
    path: Path
    offset: int = 0  # byte offset of the first record to read
    count: int | None = None  # records to read from there (None: to the end)

    def spec(self) -> str:
        return str(self.path) if self.offset == 0 and self.count is None else \
            f"{self.path}#warc-offset={self.offset}&records={self.count}"


def parse_slice(spec: str | Path) -> WarcSlice:
    match = _SLICE.match(str(spec))
    if match:
        return WarcSlice(Path(match["path"]), int(match["offset"]), int(match["count"]))
    return WarcSlice(Path(spec))


def plan_warc(path: Path, per_slice: int) -> list[str]:
    """The WARC as slices of `per_slice` records each (one streaming pass, offsets only)."""
    if per_slice <= 0:
        return [str(path)]
    specs: list[str] = []
    try:
        with path.open("rb") as fh:
            records = ArchiveIterator(fh)
            for number, _record in enumerate(records):
                if number % per_slice == 0:
                    specs.append(WarcSlice(path, records.get_record_offset(), per_slice).spec())
    except (OSError, ArchiveLoadFailed):
        return [str(path)]  # the reader quarantines what it cannot read, with the reason
    return specs if len(specs) > 1 else [str(path)]


def plan_inputs(paths: list[str], per_slice: int) -> list[str]:
    """Input paths with each WARC of more than `per_slice` records split into slices."""
    out: list[str] = []
    for path in paths:
        out.extend(plan_warc(Path(path), per_slice) if is_warc(path) and not _SLICE.match(path) else [path])
    return out


def read_warc(spec: str | Path, settings: Settings, run_id: str
              ) -> Iterator[tuple[Document, QuarantineItem | None]]:
    """(document, None) for each HTML capture; (quarantined document, item) for an unusable one."""
    part = parse_slice(spec)
    source = str(part.path.expanduser().resolve())
    if part.path.exists() and not part.path.is_file():  # a FIFO or a device would be read forever
        raise InputError("not_a_file", f"{part.path} is not a regular file", item=source)
    try:
        fh = part.path.open("rb")
    except OSError as exc:
        raise InputError("unreadable", f"cannot read {part.path}: {exc.strerror or exc}", item=source,
                         hint="check the path and its permissions") from exc
    with fh:
        size = part.path.stat().st_size
        fh.seek(part.offset)
        records = ArchiveIterator(fh)
        taken, end = 0, part.offset
        try:
            for record in records:
                if part.count is not None and taken >= part.count:
                    return
                taken += 1
                result = _record_document(record, source, settings, run_id)
                if result is not None:
                    yield result
                # Asked after the content was read: warcio's offset call consumes the record.
                end = records.get_record_offset() + records.get_record_length()
        except (ArchiveLoadFailed, OSError, EOFError, ValueError) as exc:
            yield _broken(source, part.path, end, str(exc), run_id)
            return
        # warcio ends quietly at a record cut short (a partial download): say so.
        if size - end > _TRAILER_BYTES:
            yield _broken(source, part.path, end, f"{size - end:,} bytes after the last complete record "
                          "could not be read (a truncated file?)", run_id)


def _broken(source: str, path: Path, end: int, why: str, run_id: str) -> tuple[Document, QuarantineItem]:
    """A truncated or corrupt archive: what was read stands; the break is recorded."""
    return _quarantined(source, f"{source}@{end}", None, None,
                        InputError("bad_archive", f"{path}: cannot read on after byte {end:,}: {why}",
                                   item=source), run_id)


def _record_document(record, source: str, settings: Settings, run_id: str
                     ) -> tuple[Document, QuarantineItem | None] | None:
    """A Document for an HTML capture; None for records that are not captures of pages."""
    headers = record.rec_headers
    if record.rec_type not in ("response", "resource"):
        return None
    url = headers.get_header("WARC-Target-URI")
    captured = parse_iso_timestamp(headers.get_header("WARC-Date"))
    record_id = headers.get_header("WARC-Record-ID") or f"{url}@{headers.get_header('WARC-Date')}"
    if record.rec_type == "response":
        http = record.http_headers
        if http is None or not (http.get_statuscode() or "").startswith("2"):
            return None  # redirects and errors carry no article
        content_type = http.get_header("Content-Type") or ""
    else:
        content_type = headers.get_header("Content-Type") or ""
    if content_type and not content_type.lower().startswith(_HTML_TYPES + ("text/plain",)):
        return None
    stream = record.content_stream()
    raw = stream.read(settings.max_input_bytes + 1)
    if len(raw) > settings.max_input_bytes:
        while stream.read(_CHUNK):  # drained, not held: the next record starts after it
            pass
        return _quarantined(source, record_id, url, captured, InputError(
            "too_large", f"record {record_id} ({url}) is over max_input_bytes={settings.max_input_bytes:,}",
            item=source), run_id)
    digest = hashlib.sha256(raw).hexdigest()
    doc_id = stable_id("warc", record_id, digest)
    try:
        if getattr(record.raw_stream, "limit", 0):  # bytes the record announced but the file lacks
            raise InputError("bad_archive", f"record {record_id} ({url}) is cut short: "
                             f"{record.raw_stream.limit:,} bytes missing (a truncated file?)", item=source)
        if not raw.strip():
            raise InputError("empty_file", f"record {record_id} ({url}) has an empty payload", item=source)
        text, encoding = decode_text(raw, content_type) if content_type else decode_bytes(raw, item=source)
    except InputError as exc:
        return _quarantined(source, record_id, url, captured, exc, run_id, doc_id=doc_id, digest=digest)
    is_html = content_type.lower().startswith(_HTML_TYPES) or looks_like_html(text)
    return Document(doc_id=doc_id, source_kind="archive_record", source_uri=f"{source}#{record_id}",
                    fetched_at=captured or utc_now(), raw_sha256=digest, raw_text=text,
                    content_type="text/html" if is_html else "text/plain", encoding=encoding, url=url,
                    content_origin="archive", source_size=len(raw)), None


def _quarantined(source: str, record_id: str, url: str | None, captured: datetime | None, error: InputError,
                 run_id: str, doc_id: str | None = None, digest: str | None = None
                 ) -> tuple[Document, QuarantineItem]:
    digest = digest or hashlib.sha256(record_id.encode()).hexdigest()
    doc_id = doc_id or stable_id("warc", record_id, digest)
    now = utc_now()
    doc = Document(doc_id=doc_id, source_kind="archive_record", source_uri=f"{source}#{record_id}",
                   fetched_at=captured or now, raw_sha256=digest, raw_text=None, status="quarantined", url=url,
                   content_origin="archive")
    payload = {"source_uri": doc.source_uri, "url": url, "record_id": record_id}
    item = QuarantineItem(item_id=doc_id, stage="ingest", reason_code=error.reason_code, message=str(error),
                          payload=json.dumps(payload), run_id=run_id, quarantined_at=now)
    return doc, item
