"""File ingest: every kind of bad file is quarantined with a reason; good ones decode."""

from __future__ import annotations

import codecs

import pytest

from pipeline.errors import InputError
from pipeline.ingest.decode import decode_bytes
from pipeline.ingest.files import read_document, read_inputs
from tests.conftest import SEED_FILES

CYRILLIC = "Министр иностранных дел России Сергей Лавров заявил в Женеве, что переговоры продолжатся. "


def test_seeds_read_as_utf8_text(settings):
    out = read_inputs([str(p) for p in SEED_FILES], settings, "r")
    assert len(out.documents) == 5 and not out.quarantine
    assert {d.content_type for d in out.documents} == {"text/plain"}
    assert all(d.source_uri.startswith("/") for d in out.documents)
    assert out.documents[0].raw_text == SEED_FILES[0].read_text(encoding="utf-8")


def test_ids_are_stable_and_known_documents_are_skipped(settings):
    first = read_inputs([str(SEED_FILES[0])], settings, "r1")
    again = read_inputs([str(SEED_FILES[0])], settings, "r2")
    assert first.documents[0].doc_id == again.documents[0].doc_id
    skipped = read_inputs([str(SEED_FILES[0])], settings, "r3", {first.documents[0].doc_id})
    assert skipped.documents == [] and skipped.skipped_known == 1


@pytest.mark.parametrize("raw, encoding", [
    (CYRILLIC.encode("cp1251") * 3, "cp1251"),
    (codecs.BOM_UTF8 + CYRILLIC.encode("utf-8"), "utf-8-sig"),
    (CYRILLIC.encode("utf-16-le"), "utf-16-le"),
    (CYRILLIC.encode("utf-16-be"), "utf-16-be"),
    (codecs.BOM_UTF16_LE + CYRILLIC.encode("utf-16-le"), "utf-16-le"),
])
def test_legacy_and_wide_encodings_decode(raw, encoding):
    text, used = decode_bytes(raw)
    assert used == encoding
    assert "Сергей Лавров" in text


def test_mostly_utf8_keeps_text_and_marks_repair():
    raw = ("Sergey Lavrov met Antony Blinken in Geneva. “Quote” " * 40).encode() + b"\xff end"
    text, used = decode_bytes(raw)
    assert used == "utf-8+replace" and "Antony Blinken" in text and "\ufffd" in text


def test_nul_bytes_inside_text_are_dropped():
    text, _ = decode_bytes(b"Putin and Biden\x00 spoke by phone on Dec. 30.")
    assert text == "Putin and Biden spoke by phone on Dec. 30."


@pytest.mark.parametrize("name, content, reason", [
    ("empty.txt", b"", "empty_file"),
    ("blank.txt", b"  \n\n ", "empty_file"),
    ("binary.txt", bytes(range(256)) * 40, "binary"),
    ("png.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, "binary_format"),
    # A PDF's header and body are mostly printable: without its signature it decoded as "text".
    ("report.txt", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n" * 20,
     "binary_format"),
    ("letter.html", b"PK\x03\x04\x14\x00\x06\x00" + b"word/document.xml" * 50, "binary_format"),
])
def test_bad_files_are_quarantined_not_fatal(settings, tmp_path, name, content, reason):
    bad = tmp_path / name
    bad.write_bytes(content)
    out = read_inputs([str(bad), str(SEED_FILES[0])], settings, "r")
    assert [d.status for d in out.documents] == ["quarantined", "ok"]
    (item,) = out.quarantine
    assert item.reason_code == reason and item.stage == "ingest" and name in item.message
    assert item.item_id == out.documents[0].doc_id


def test_oversized_file_is_refused_without_reading_it(tmp_path, settings):
    big = tmp_path / "big.txt"
    big.write_bytes(b"word " * 1000)
    small = settings.replace(max_input_bytes=1000)
    with pytest.raises(InputError) as info:
        read_document(big, small)
    assert info.value.reason_code == "too_large" and "NEWSMON_MAX_INPUT_BYTES" in str(info.value)


def test_html_is_recognised_by_suffix_or_content(tmp_path, settings):
    page = tmp_path / "page.txt"
    page.write_text("<!DOCTYPE html><html><body><p>Hi</p></body></html>", encoding="utf-8")
    assert read_document(page, settings).content_type == "text/html"


def test_folders_expand_to_article_files(tmp_path, settings):
    (tmp_path / "a.txt").write_text("Talks in Geneva.", encoding="utf-8")
    (tmp_path / "notes.md").write_text("not an article", encoding="utf-8")
    out = read_inputs([str(tmp_path)], settings, "r")
    assert [d.source_uri.rsplit("/", 1)[1] for d in out.documents] == ["a.txt"]


@pytest.mark.parametrize("bom, encoding", [(codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                                           (codecs.BOM_UTF16_BE, "utf-16-be")])
def test_byte_order_marks_are_not_text(bom, encoding):
    text, _ = decode_bytes(bom + "Talks in Geneva".encode(encoding))
    assert text == "Talks in Geneva"


def test_unchanged_files_are_skipped_unread_changed_ones_are_read(tmp_path, settings):
    article = tmp_path / "a.txt"
    article.write_text("Talks in Geneva on Jan. 10.", encoding="utf-8")
    first = read_inputs([str(article)], settings, "r1").documents[0]
    known_files = {(first.source_uri, first.source_size, first.source_mtime_ns)}
    # No known doc ids: only the (path, size, mtime) match can skip it.
    again = read_inputs([str(article)], settings, "r2", frozenset(), known_files)
    assert again.documents == [] and again.quarantine == [] and again.skipped_known == 1
    article.write_text("Talks in Geneva on Jan. 10 ended without a deal.", encoding="utf-8")
    changed = read_inputs([str(article)], settings, "r3", {first.doc_id}, known_files)
    assert len(changed.documents) == 1 and changed.documents[0].doc_id != first.doc_id


def test_binary_formats_are_named_by_their_signature_whatever_the_file_is_called(settings, tmp_path):
    pdf = tmp_path / "story.txt"
    pdf.write_bytes(b"%PDF-1.7\n" + b"Putin and Biden spoke by phone on Dec. 30. " * 40)
    with pytest.raises(InputError) as info:
        read_document(pdf, settings)
    assert info.value.reason_code == "binary_format" and "PDF document" in info.value.message


def test_a_signature_inside_prose_is_not_a_format(settings, tmp_path):
    text = tmp_path / "story.txt"
    text.write_bytes(b"The filing (%PDF-1.4, 3 pages) says Putin and Biden spoke by phone on Dec. 30.")
    assert read_document(text, settings).raw_text.startswith("The filing")


def test_every_signature_is_at_least_three_bytes():
    from pipeline.ingest.decode import _signatures

    assert _signatures() and all(len(magic) >= 3 and offset >= 0 for offset, magic, _ in _signatures())
