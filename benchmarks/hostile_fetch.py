"""Wall time and peak memory of fetches against hostile servers on 127.0.0.1 (issue 30).

    .venv/bin/python benchmarks/hostile_fetch.py [--deadline 2] [--url-budget 4] [--feed-budget 8]

Each case prints its wall seconds beside the bound that should end it (the settings given,
scaled down from the defaults so the run takes a minute), and the peak of Python-allocated
memory (tracemalloc) for the decompression cases, beside the decoded-size cap.
"""

from __future__ import annotations

import argparse
import gzip
import sys
import tempfile
import time
import tracemalloc
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.errors import FetchError  # noqa: E402
from pipeline.ingest.feeds import FeedSource, read_feeds  # noqa: E402
from pipeline.ingest.http import Fetcher  # noqa: E402
from tests.conftest import make_settings  # noqa: E402
from tests.reliability.test_hostile_fetch import RawServer, drip, endless  # noqa: E402


def timed(call):
    started = time.monotonic()
    try:
        outcome = call()
    except FetchError as exc:
        outcome = f"FetchError {exc.reason_code}"
    return time.monotonic() - started, outcome


def peak(call):
    tracemalloc.start()
    try:
        outcome = call()
        _, top = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return top / 1e6, outcome


def serve_bytes(body: bytes, encoding: str) -> RawServer:
    head = (f"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: {encoding}\r\n"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n").encode()
    return RawServer(lambda conn: conn.sendall(head + body))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deadline", type=float, default=2.0)
    parser.add_argument("--url-budget", type=float, default=4.0)
    parser.add_argument("--feed-budget", type=float, default=8.0)
    parser.add_argument("--cap", type=int, default=5_000_000)
    args = parser.parse_args()
    settings = make_settings(Path(tempfile.mkdtemp()), http_read_timeout=1.0, http_backoff_seconds=0.01,
                             http_deadline_seconds=args.deadline, http_url_budget_seconds=args.url_budget,
                             feed_budget_seconds=args.feed_budget, http_max_bytes=args.cap)
    print(f"bounds: attempt {args.deadline:g} s, URL {args.url_budget:g} s, feed {args.feed_budget:g} s, "
          f"decoded cap {args.cap / 1e6:g} MB")
    rows = []
    headers = RawServer(drip(b"HTTP/1.1 200 OK\r\nX-Slow: " + b"a" * 100_000 + b"\r\n\r\n", 0.05))
    empty = RawServer(endless(b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nConnection: close\r\n\r\n"
                              b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff", b"\x00\x00\x00\xff\xff" * 50, 0.01))
    slow_body = RawServer(endless(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n", b"<p>x</p>", 0.05))
    with Fetcher(settings) as fetcher:
        seconds, outcome = timed(lambda: fetcher.fetch(headers.url()))
        rows.append(("headers at 20 bytes/s", f"{seconds:.1f} s", f"<= URL budget {args.url_budget:g} s", outcome))
        seconds, outcome = timed(lambda: fetcher.fetch(empty.url()))
        rows.append(("gzip of empty blocks", f"{seconds:.1f} s", f"<= URL budget {args.url_budget:g} s", outcome))
    bomb = gzip.compress(gzip.compress(b"\0" * 1_000_000_000, compresslevel=9), compresslevel=9)
    bombs = serve_bytes(bomb, "gzip, gzip")
    with Fetcher(settings) as fetcher:
        megabytes, result = peak(lambda: fetcher.fetch(bombs.url()))
    rows.append((f"gzip, gzip: {len(bomb):,} B -> 1 GB", f"{megabytes:.1f} MB peak",
                 f"cap {args.cap / 1e6:g} MB", f"{len(result.content):,} B kept"))
    with tempfile.TemporaryDirectory() as folder:
        links = "".join(f"<item><guid>e{i}</guid><link>{slow_body.url(f'/p{i}')}</link><title>E{i}</title>"
                        "<description>entry</description></item>" for i in range(60))
        feed = Path(folder) / "feed.xml"
        feed.write_text(f'<?xml version="1.0"?><rss version="2.0"><channel><title>S</title>{links}'
                        "</channel></rss>", encoding="utf-8")
        # A local feed file linking web pages is not fetched: serve the feed too.
        feed_server = RawServer(lambda conn: conn.sendall(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nConnection: close\r\n\r\n"
            + feed.read_bytes()))
        seconds, out = timed(lambda: read_feeds([FeedSource(name="slow", url=feed_server.url("/feed.xml"))],
                                                settings, "bench", {}, datetime(2026, 1, 1)))
    rows.append(("feed of 60 dripping pages", f"{seconds:.1f} s", f"<= feed budget {args.feed_budget:g} s",
                 f"{len(out.documents)} documents"))
    widths = [max(len(str(r[i])) for r in rows) for i in range(4)]
    for row in rows:
        print("  ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=True)))
    for server in (headers, empty, slow_body, bombs, feed_server):
        server.close()


if __name__ == "__main__":
    main()
