"""Archives as inputs (pipeline/ingest/archives.py): gzipped pages and WARC files, written here
with warcio itself, read through the same entry points as any file."""

from __future__ import annotations

import gzip
import io
from datetime import datetime
from pathlib import Path

import duckdb
import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from pipeline.ingest.archives import plan_warc, read_warc
from pipeline.ingest.files import expand_inputs, read_document, read_inputs
from tests.conftest import PROJECT_ROOT, make_settings

CASES = PROJECT_ROOT / "tests" / "clean" / "cases"
PAGE = (CASES / "article_en.html").read_bytes()
PAGE_DE = (CASES / "article_de.html").read_bytes()


def write_warc(path: Path, records: list[tuple], gz: bool = True) -> Path:
    """records: (kind, url, payload, content_type, status, warc_date)."""
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=gz)
        for kind, url, payload, ctype, status, when in records:
            headers = {"WARC-Date": when}
            if kind == "response":
                http = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
                rec = writer.create_warc_record(url, "response", payload=io.BytesIO(payload),
                                                http_headers=http, warc_headers_dict=headers)
            elif kind == "request":
                http = StatusAndHeaders(f"GET {url} HTTP/1.1", [("Host", "example.org")], is_http_request=True)
                rec = writer.create_warc_record(url, "request", payload=io.BytesIO(b""), http_headers=http,
                                                warc_headers_dict=headers)
            else:
                rec = writer.create_warc_record(url, kind, payload=io.BytesIO(payload), warc_content_type=ctype,
                                                warc_headers_dict=headers)
            writer.write_record(rec)
    return path


def capture(n: int, payload: bytes = PAGE, status: str = "200 OK", ctype: str = "text/html; charset=utf-8"):
    return ("response", f"https://news.example/{n}", payload, ctype, status, f"2023-06-13T10:{n:02d}:00Z")


def test_gzipped_pages_are_read_in_folders_and_by_name(tmp_path, settings):
    (tmp_path / "in").mkdir()
    gz = tmp_path / "in" / "page.html.gz"
    gz.write_bytes(gzip.compress(PAGE))
    (tmp_path / "in" / "note.txt.gz").write_bytes(gzip.compress(b"A short note.\n\nWith a paragraph."))
    (tmp_path / "in" / "photo.jpg.gz").write_bytes(gzip.compress(b"\xff\xd8\xff"))
    assert sorted(p.name for p in expand_inputs([tmp_path / "in"])) == ["note.txt.gz", "page.html.gz"]
    doc = read_document(gz, settings)
    assert doc.content_type == "text/html" and "Port strike" in doc.raw_text
    out = read_inputs([tmp_path / "in"], settings, "t")
    assert [d.content_type for d in out.documents] == ["text/plain", "text/html"] and not out.quarantine


def test_a_gzip_bomb_or_a_broken_gzip_is_quarantined_with_its_reason(tmp_path):
    settings = make_settings(tmp_path, max_input_bytes=10_000)
    (tmp_path / "bomb.html.gz").write_bytes(gzip.compress(b"<p>" + b"a" * 1_000_000))
    (tmp_path / "cut.html.gz").write_bytes(gzip.compress(PAGE)[:200])
    out = read_inputs([tmp_path / "bomb.html.gz", tmp_path / "cut.html.gz"], settings, "t")
    assert [q.reason_code for q in out.quarantine] == ["too_large", "bad_archive"]


def test_each_html_capture_in_a_warc_is_a_document_with_its_url_and_capture_time(tmp_path, settings):
    latin = "<html><body><p>Gr\u00fc\u00dfe aus K\u00f6ln, sagte er.</p></body></html>".encode("latin-1")
    warc = write_warc(tmp_path / "crawl.warc.gz", [
        ("request", "https://news.example/1", b"", "", "", "2023-06-13T10:01:00Z"),
        capture(1),
        capture(2, b"", status="302 Found"),
        capture(3, b"\x89PNG....", ctype="image/png"),
        capture(4, latin, ctype="text/html; charset=iso-8859-1"),
        ("resource", "https://news.example/5", PAGE_DE, "text/html", "", "2023-06-14T08:00:00+02:00"),
        ("metadata", "https://news.example/1", b"fetchTimeMs: 12", "application/warc-fields", "",
         "2023-06-13T10:01:00Z"),
    ])
    out = read_inputs([tmp_path], settings, "t")
    assert not out.quarantine
    assert [d.url for d in out.documents] == ["https://news.example/1", "https://news.example/4",
                                             "https://news.example/5"]
    first, latin_doc, resource = out.documents
    assert first.fetched_at == datetime(2023, 6, 13, 10, 1) and first.source_kind == "archive_record"
    assert first.source_uri.startswith(str(warc.resolve()) + "#<urn:uuid:")
    assert "Grüße aus Köln" in latin_doc.raw_text
    assert resource.fetched_at == datetime(2023, 6, 14, 6, 0)  # capture time in UTC
    again = read_inputs([warc], settings, "t2", known_doc_ids={d.doc_id for d in out.documents})
    assert again.documents == [] and again.skipped_known == 3  # a re-run reads nothing twice


def test_an_oversized_record_is_quarantined_and_the_rest_still_read(tmp_path):
    settings = make_settings(tmp_path, max_input_bytes=len(PAGE) + 10)
    big = b"<html><body>" + b"<p>word</p>" * 10_000 + b"</body></html>"
    warc = write_warc(tmp_path / "a.warc", [capture(1), capture(2, big), capture(3)], gz=False)
    out = read_inputs([warc], settings, "t")
    assert [d.status for d in out.documents] == ["ok", "quarantined", "ok"]
    assert [q.reason_code for q in out.quarantine] == ["too_large"]
    assert "news.example/2" in out.quarantine[0].payload


def test_a_truncated_warc_keeps_what_was_read_and_says_where_it_broke(tmp_path, settings):
    warc = write_warc(tmp_path / "a.warc.gz", [capture(n) for n in range(1, 5)])
    data = warc.read_bytes()
    warc.write_bytes(data[: len(data) * 5 // 8])  # inside the third record
    out = read_inputs([warc], settings, "t")
    ok = [d for d in out.documents if d.status == "ok"]
    assert 1 <= len(ok) < 4
    assert [q.reason_code for q in out.quarantine] == ["bad_archive"]
    assert "cut short" in out.quarantine[0].message


@pytest.mark.parametrize("gz", [True, False])
def test_slices_of_a_warc_read_every_record_once(tmp_path, settings, gz):
    warc = write_warc(tmp_path / ("a.warc.gz" if gz else "a.warc"),
                      [r for n in range(1, 8) for r in (("request", f"https://news.example/{n}", b"", "", "",
                                                         "2023-06-13T10:00:00Z"), capture(n))], gz=gz)
    slices = plan_warc(warc, 4)
    assert len(slices) == 4  # 14 records in slices of 4
    urls = [d.url for s in slices for d, _ in read_warc(s, settings, "t")]
    assert urls == [d.url for d, _ in read_warc(warc, settings, "t")] == [f"https://news.example/{n}"
                                                                          for n in range(1, 8)]


@pytest.mark.e2e
def test_a_warc_backfill_runs_in_slices_and_loads_each_capture(tmp_path):
    from pipeline.flow import run_pipeline

    settings = make_settings(tmp_path, run_batch_documents=2)
    warc = write_warc(tmp_path / "backfill.warc.gz", [capture(1), capture(2, PAGE_DE), capture(3)])
    summary = run_pipeline([str(warc)], [], settings, run_quality=False)
    assert summary.runs == 2 and summary.documents == 3
    with duckdb.connect(str(settings.db_path), read_only=True) as con:
        rows = con.execute("SELECT url, published_offset_minutes FROM articles ORDER BY url").fetchall()
        kinds = con.execute("SELECT DISTINCT source_kind FROM documents").fetchall()
    assert [r[0] for r in rows] == [f"https://news.example/{n}" for n in (1, 2, 3)]
    assert rows[0][1] == 60 and kinds == [("archive_record",)]
    again = run_pipeline([str(warc)], [], settings, run_quality=False)
    assert again.documents == 0 and again.skipped_known == 3
