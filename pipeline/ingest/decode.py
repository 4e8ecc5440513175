"""Turn bytes of unknown encoding into text, or say clearly why not.

Order: byte-order marks; UTF-16/32 without a BOM (recognised by the NUL pattern that
ASCII-range text leaves); strict UTF-8; then charset detection (charset-normalizer) for
legacy encodings such as Windows-1251. Bytes that are mostly control characters are
binary and refused; so are files whose first bytes are the signature of a known non-text
format (PDF, images, archives, office files: ``file_signatures.toml``), whatever their name.
"""

from __future__ import annotations

import codecs
import re
import tomllib
from collections import Counter
from functools import cache
from pathlib import Path

from charset_normalizer import from_bytes

from pipeline.errors import InputError

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# C0 controls other than tab, newline, vertical tab, form feed, carriage return.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_HTML_START = re.compile(r"^\s*(<!--.*?-->\s*)*(<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>])",
                         re.IGNORECASE | re.DOTALL)
_SAMPLE = 65536  # bytes inspected by the heuristics; enough to decide, cheap on huge inputs


@cache
def _signatures() -> tuple[tuple[int, bytes, str], ...]:
    data = tomllib.loads((Path(__file__).with_name("file_signatures.toml")).read_text(encoding="utf-8"))
    return tuple((int(s.get("offset", 0)), bytes.fromhex(s["hex"]), s["format"]) for s in data["signature"])


def binary_format(raw: bytes) -> str | None:
    """The name of the non-text format these bytes start with, if they carry a known signature."""
    for offset, magic, name in _signatures():
        if raw[offset:offset + len(magic)] == magic:
            return name
    return None


def looks_like_html(text: str) -> bool:
    return bool(_HTML_START.match(text[:4096]))


def _dominance(column: bytes) -> float:
    """Share of a byte column taken by its two most common values."""
    counts = sorted(Counter(column).values(), reverse=True)
    return sum(counts[:2]) / len(column)


def _utf16_without_bom(sample: bytes) -> str | None:
    """UTF-16 text in one script leaves one byte column nearly constant (0x00 for Latin,
    0x04 for Cyrillic...) while the other varies; 8-bit text shows no such pattern."""
    sample = sample[: len(sample) // 2 * 2]
    if len(sample) < 8:
        return None
    even, odd = _dominance(sample[0::2]), _dominance(sample[1::2])
    if odd > 0.9 and even < 0.6:
        return "utf-16-le"
    if even > 0.9 and odd < 0.6:
        return "utf-16-be"
    return None


def _strip_controls(text: str, item: str | None) -> str:
    """Drop stray control characters (NUL bytes and the like); refuse text made of them."""
    controls = len(_CONTROL.findall(text[:_SAMPLE]))
    sample_len = min(len(text), _SAMPLE) or 1
    if controls / sample_len > 0.10:
        raise InputError("binary", f"content looks binary ({controls} control characters in the "
                         f"first {sample_len} characters)", item=item,
                         hint="only text and HTML articles are accepted")
    return _CONTROL.sub("", text) if controls or "\x00" in text else text


def decode_bytes(raw: bytes, item: str | None = None) -> tuple[str, str]:
    """Return (text, encoding used). Raises InputError(binary_format | binary | undecodable | empty_file)."""
    if not raw.strip():
        raise InputError("empty_file", "content is empty or whitespace only", item=item)
    if kind := binary_format(raw):
        raise InputError("binary_format", f"content is a {kind}, not a text or HTML article", item=item,
                         hint="convert it to text or HTML first; only text and HTML articles are read")
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            try:
                # The mark is not text (utf-8-sig drops it; the others keep it): drop it for all.
                return _strip_controls(raw.decode(encoding).removeprefix("\ufeff"), item), encoding
            except UnicodeDecodeError as exc:
                raise InputError("undecodable", f"starts with a {encoding} byte-order mark but does "
                                 f"not decode as {encoding}: {exc.reason} at byte {exc.start}",
                                 item=item) from exc
    sample = raw[:_SAMPLE]
    utf16 = _utf16_without_bom(sample)
    if utf16:
        try:
            return _strip_controls(raw.decode(utf16), item), utf16
        except UnicodeDecodeError:
            pass
    try:
        return _strip_controls(raw.decode("utf-8"), item), "utf-8"
    except UnicodeDecodeError:
        pass
    # Mostly UTF-8 with a few broken bytes (a truncated download, a bad copy-paste): keep the
    # text and mark the damage rather than guessing a legacy encoding for the whole file.
    replaced = raw.decode("utf-8", errors="replace")
    bad = replaced.count("\ufffd")
    multibyte = sum(1 for b in sample if b >= 0xC0)
    if multibyte and bad <= max(3, len(raw) // 200) and bad < multibyte:
        return _strip_controls(replaced, item), "utf-8+replace"
    control_bytes = sum(1 for b in sample if b < 9 or 13 < b < 32 or b == 127)
    if control_bytes / len(sample) > 0.03:
        raise InputError("binary", f"content looks binary ({control_bytes} control bytes in the first {len(sample)})", item=item,
                         hint="only text and HTML articles are accepted")
    best = from_bytes(raw[: 1 << 20]).best()
    if best is None or best.encoding is None:
        raise InputError("undecodable", "no text encoding fits these bytes", item=item,
                         hint="convert the file to UTF-8")
    try:
        text = raw.decode(best.encoding)
    except (UnicodeDecodeError, LookupError) as exc:
        raise InputError("undecodable", f"detected {best.encoding} but decoding failed: {exc}",
                         item=item, hint="convert the file to UTF-8") from exc
    return _strip_controls(text, item), best.encoding
