"""Builders for the hostile-input corpus (used by the tests and by benchmarks/hostile_inputs.py)."""

from __future__ import annotations

import codecs
from pathlib import Path

SEED = (Path(__file__).resolve().parents[2] / "seeds" / "000_5f96fe331a1d35a0.txt")


def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


def build_files(root: Path) -> dict[str, Path]:
    """Hostile article files; returns name -> path. Names say what each one is."""
    root.mkdir(parents=True, exist_ok=True)
    text = seed_text()
    files: dict[str, bytes] = {
        "empty.txt": b"",
        "binary.txt": bytes(range(256)) * 4096,
        "invalid_utf8.txt": text.encode("utf-8").replace(b"Putin", b"Put\xffn", 3),
        "utf16_no_bom.txt": text.encode("utf-16-le"),
        "windows1251.txt": ("Переговоры России и США в Женеве\n\n"
                            + "Министр иностранных дел России Сергей Лавров заявил, что переговоры "
                              "в Женеве продолжатся на следующей неделе.\n\n" * 20).encode("cp1251"),
        "nested_tags.html": (b"<html><body>" + b"<div>" * 100_000 + b"<p>deep text</p>"
                             + b"</div>" * 100_000 + b"</body></html>"),
        "only_scripts.html": (b"<html><head><script>var a = 1;</script></head><body>"
                              + b"<script>console.log('x');</script>" * 200 + b"</body></html>"),
        "one_line_1mb.txt": (text.replace("\n", " ") * (1_000_000 // len(text) + 1)).encode("utf-8")[:1_000_000],
        "nul_bytes.txt": text.encode("utf-8").replace(b". ", b".\x00 ", 5),
        "bom_utf16.txt": codecs.BOM_UTF16_LE + text.encode("utf-16-le"),
    }
    paths = {}
    for name, content in files.items():
        path = root / name
        path.write_bytes(content)
        paths[name] = path
    big = root / "big_50mb.txt"
    with big.open("wb") as fh:  # written in chunks: the builder itself stays small
        chunk = (text + "\n\n").encode("utf-8")
        for _ in range(50_000_000 // len(chunk) + 1):
            fh.write(chunk)
    paths["big_50mb.txt"] = big
    return paths


def build_feeds(root: Path) -> dict[str, Path]:
    """Hostile feed files: an entity-expansion bomb, an external entity, 100k entries."""
    root.mkdir(parents=True, exist_ok=True)
    bomb_entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10))
    feeds = {
        "bomb.xml": (f'<?xml version="1.0"?><!DOCTYPE rss [{bomb_entities}]>'
                     '<rss version="2.0"><channel><title>&lol9;</title><item><title>boom</title>'
                     '<description>&lol9;</description><guid>bomb-1</guid></item></channel></rss>'),
        "xxe.xml": ('<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
                    '<rss version="2.0"><channel><title>XXE</title><item><title>leak &xxe;</title>'
                    '<description>secret: &xxe;</description><guid>xxe-1</guid></item></channel></rss>'),
    }
    paths = {}
    for name, content in feeds.items():
        path = root / name
        path.write_text(content, encoding="utf-8")
        paths[name] = path
    big = root / "entries_100k.xml"
    with big.open("w", encoding="utf-8") as fh:
        fh.write('<?xml version="1.0"?><rss version="2.0"><channel><title>Big</title>')
        for i in range(100_000):
            fh.write(f"<item><title>Item {i}</title><guid>big-{i}</guid>"
                     f"<description>Short item {i} about talks in Geneva.</description></item>")
        fh.write("</channel></rss>")
    paths["entries_100k.xml"] = big
    return paths
