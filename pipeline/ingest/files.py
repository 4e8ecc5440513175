"""Read article files (plain text or HTML) into Documents, decoding whatever arrives.

Unusable files (empty, binary, undecodable, oversized) become quarantine rows with a reason
code and are still recorded as documents, so a re-run knows it has seen them and nothing is
silently dropped.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat as stat_mode
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from pipeline.errors import InputError
from pipeline.ingest.archives import GZIP_PAGE_SUFFIXES, is_archive, is_warc, read_gzip_page, read_warc
from pipeline.ingest.decode import decode_bytes, looks_like_html
from pipeline.records import Document, QuarantineItem, stable_id, utc_now
from pipeline.settings import Settings
from pipeline.text import path_text

ARTICLE_SUFFIXES = {".txt", ".text", ".html", ".htm", ".xhtml"}


@dataclass
class IngestOutput:
    documents: list[Document] = field(default_factory=list)
    quarantine: list[QuarantineItem] = field(default_factory=list)
    skipped_known: int = 0


def expand_inputs(paths: Iterable[str | Path], ignored: list[Path] | None = None) -> Iterator[Path]:
    """Files as given, and article files inside folders (sorted, so runs are repeatable).

    A folder that cannot be listed is yielded itself, so reading it quarantines it with the
    reason instead of its files going missing without a word. Files in folders that are not
    articles by their suffix are left out; `ignored`, when given, receives them, so a run can
    say what it did not read."""
    for raw in paths:
        path = Path(raw).expanduser()
        if path.is_dir():
            errors: list[OSError] = []
            found: list[Path] = []
            others: list[Path] = []
            for folder, _, names in os.walk(path, onerror=errors.append):
                for name in names:
                    is_input = os.path.splitext(name)[1].lower() in ARTICLE_SUFFIXES or is_archive(name)
                    (found if is_input else others).append(Path(folder, name))
            if ignored is not None:
                ignored.extend(p for p in others if p.is_file())
            unreadable = [Path(exc.filename) for exc in errors if exc.filename]
            # Sorted by path parts (Path's own order, without its slow comparisons).
            yield from sorted([p for p in found if p.is_file()] + unreadable, key=lambda p: p.parts)
        else:
            yield path


def document_id(source_uri: str, raw_sha256: str) -> str:
    return stable_id("file", source_uri, raw_sha256)


def source_uri_of(path: Path) -> str:
    return path_text(str(path.expanduser().resolve()))


def read_document(path: str | Path, settings: Settings, run_id: str = "adhoc") -> Document:
    """Read and decode one file. Raises InputError (with a reason_code) when unusable."""
    path = Path(path)
    source_uri = source_uri_of(path)
    shown = path_text(str(path))
    try:
        stat = path.stat()
        size = stat.st_size
    except OSError as exc:
        raise InputError("unreadable", f"cannot read {shown}: {exc.strerror or exc}", item=source_uri,
                         hint="check the path and its permissions") from exc
    if stat_mode.S_ISDIR(stat.st_mode):
        try:
            os.listdir(path)
        except OSError as exc:
            raise InputError("unreadable", f"cannot list the folder {shown}: {exc.strerror or exc}",
                             item=source_uri, hint="fix its permissions; its files are read by the next run") from exc
    if not stat_mode.S_ISREG(stat.st_mode):  # a FIFO or a device would be read forever
        raise InputError("not_a_file", f"{shown} is not a regular file", item=source_uri)
    if size == 0:
        raise InputError("empty_file", f"{shown} is empty (0 bytes)", item=source_uri)
    if path.name.lower().endswith(GZIP_PAGE_SUFFIXES):  # pipeline/ingest/archives.py
        return read_gzip_page(path, settings)
    if size > settings.max_input_bytes:
        raise InputError("too_large", f"{shown} is {size:,} bytes, over max_input_bytes="
                         f"{settings.max_input_bytes:,}", item=source_uri,
                         hint="raise NEWSMON_MAX_INPUT_BYTES if this really is one article")
    try:
        raw = _read_regular(path, settings.max_input_bytes)
    except OSError as exc:
        raise InputError("unreadable", f"cannot read {shown}: {exc.strerror or exc}", item=source_uri) from exc
    if raw is None:
        raise InputError("not_a_file", f"{shown} stopped being a regular file of at most "
                         f"{settings.max_input_bytes:,} bytes while it was read", item=source_uri)
    text, encoding = decode_bytes(raw, item=source_uri)
    is_html = path.suffix.lower() in {".html", ".htm", ".xhtml"} or looks_like_html(text)
    return Document(
        doc_id=document_id(source_uri, hashlib.sha256(raw).hexdigest()),
        source_kind="file",
        source_uri=source_uri,
        fetched_at=utc_now(),
        raw_sha256=hashlib.sha256(raw).hexdigest(),
        raw_text=text,
        content_type="text/html" if is_html else "text/plain",
        encoding=encoding,
        content_origin="file",
        source_size=size,
        source_mtime_ns=stat.st_mtime_ns,
    )


def _read_regular(path: Path, limit: int) -> bytes | None:
    """The file's bytes, or None when what is opened is not a regular file (swapped for a FIFO
    since the stat) or has grown past `limit`. Opened non-blocking: opening a FIFO waits for
    a writer otherwise."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    with os.fdopen(fd, "rb") as fh:
        if not stat_mode.S_ISREG(os.fstat(fd).st_mode):
            return None
        data = fh.read(limit + 1)
    return data if len(data) <= limit else None


def _quarantined_document(path: Path, error: InputError, run_id: str, now: datetime
                          ) -> tuple[Document, QuarantineItem]:
    source_uri = source_uri_of(path)
    digest = _sha256_of_file(path)
    doc = Document(doc_id=document_id(source_uri, digest), source_kind="file", source_uri=source_uri,
                   fetched_at=now, raw_sha256=digest, raw_text=None, status="quarantined")
    payload = {"source_uri": source_uri, "sha256": digest, "size": _size(path)}
    item = QuarantineItem(item_id=doc.doc_id, stage="ingest", reason_code=error.reason_code,
                          message=str(error), payload=json.dumps(payload), run_id=run_id,
                          quarantined_at=now)
    return doc, item


FileKey = tuple[str, int, int]  # (resolved path, size, mtime in ns)


def read_inputs(paths: Iterable[str | Path], settings: Settings, run_id: str,
                known_doc_ids: set[str] | frozenset[str] = frozenset(),
                known_files: set[FileKey] | frozenset[FileKey] = frozenset()) -> IngestOutput:
    """Read every input file; documents already in the warehouse (same path, same bytes) are skipped.

    A file whose path, size and modification time match one already read is skipped without
    being read, so a run over a large unchanged folder costs a stat per file.
    """
    out = IngestOutput()
    folders: dict[Path, str] = {}
    for path in expand_inputs(paths):
        if known_files and _file_key(path, folders) in known_files:
            out.skipped_known += 1
            continue
        if is_warc(path):  # many documents in one file (pipeline/ingest/archives.py)
            _read_warc(path, settings, run_id, known_doc_ids, out)
            continue
        try:
            doc = read_document(path, settings, run_id)
        except InputError as exc:
            doc, item = _quarantined_document(path, exc, run_id, utc_now())
            if doc.doc_id in known_doc_ids:
                out.skipped_known += 1
                continue
            out.documents.append(doc)
            out.quarantine.append(item)
            continue
        if doc.doc_id in known_doc_ids:
            out.skipped_known += 1
            continue
        out.documents.append(doc)
    return out


def _read_warc(path: Path, settings: Settings, run_id: str, known_doc_ids: set[str] | frozenset[str],
               out: IngestOutput) -> None:
    try:
        for doc, item in read_warc(path, settings, run_id):
            if doc.doc_id in known_doc_ids:
                out.skipped_known += 1
                continue
            out.documents.append(doc)
            if item is not None:
                out.quarantine.append(item)
    except InputError as exc:
        doc, item = _quarantined_document(path, exc, run_id, utc_now())
        if doc.doc_id not in known_doc_ids:
            out.documents.append(doc)
            out.quarantine.append(item)


def split_unchanged(paths: list[Path], known_files: set[FileKey] | frozenset[FileKey]
                    ) -> tuple[list[Path], int]:
    """(files not yet read as they are now, how many are unchanged): a stat each, no reads."""
    if not known_files:
        return list(paths), 0
    folders: dict[Path, str] = {}
    fresh = [p for p in paths if _file_key(p, folders) not in known_files]
    return fresh, len(paths) - len(fresh)


def _file_key(path: Path, folders: dict[Path, str]) -> FileKey | None:
    """(resolved path, size, mtime) as ingest stores them. ``folders`` caches resolved parent
    folders: resolving every file's full path cost 46 us a file, most of a 100k rerun."""
    path = path.expanduser()
    try:
        info = os.lstat(path)
        if stat_mode.S_ISLNK(info.st_mode):  # a link resolves to its target
            info = path.stat()
            return path_text(str(path.resolve())), info.st_size, info.st_mtime_ns
    except OSError:
        return None
    parent = folders.get(path.parent)
    if parent is None:
        parent = folders[path.parent] = str(path.parent.resolve())
    return path_text(os.path.join(parent, path.name)), info.st_size, info.st_mtime_ns


def _size(path: Path) -> int | None:
    try:
        return path.stat().st_size
    except OSError:
        return None


def _sha256_of_file(path: Path) -> str:
    """Streamed, so an oversized file is fingerprinted without being held in memory. What is
    not a regular file (a FIFO, /dev/zero) is never read: its path stands for it."""
    digest = hashlib.sha256()
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        with os.fdopen(fd, "rb") as fh:
            if not stat_mode.S_ISREG(os.fstat(fd).st_mode):
                raise OSError("not a regular file")
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                digest.update(chunk)
    except OSError:
        digest = hashlib.sha256(os.fsencode(str(path)))
    return digest.hexdigest()
