"""Builds the feed fixtures from the five seed articles (run once; outputs are committed).

    .venv/bin/python tests/ingest/cases/feeds/build_fixtures.py

local/seeds.rss       RSS 2.0, one item per seed, linking to local/pages/<seed>.html
local/pages/*.html    each seed as a small article page (nav and footer around the text)
seeds_atom.xml        Atom 1.0, the full seed text as entry content (no pages needed)
Publication dates are fixture metadata (offsets other than UTC, to test normalisation).
"""

from __future__ import annotations

import html
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEEDS = HERE.parents[3] / "seeds"
# (RFC 822 date for RSS, RFC 3339 for Atom): the same instants, in +02:00 and -05:00.
DATES = [("Tue, 04 Jan 2022 09:35:00 +0200", "2022-01-04T09:35:00+02:00"),
         ("Wed, 05 Jan 2022 18:10:00 -0500", "2022-01-05T18:10:00-05:00"),
         ("Thu, 27 Jan 2022 08:00:00 +0200", "2022-01-27T08:00:00+02:00"),
         ("Sat, 08 Jan 2022 12:00:00 +0000", "2022-01-08T12:00:00+00:00"),
         ("Mon, 10 Jan 2022 23:30:00 -0500", "2022-01-10T23:30:00-05:00")]


def seeds() -> list[tuple[str, str, list[str]]]:
    out = []
    for path in sorted(SEEDS.glob("*.txt")):
        lines = [ln.strip() for ln in path.read_text(encoding="utf-8").splitlines()]
        paras = [ln for ln in lines if ln]
        out.append((path.stem, paras[0], paras[1:]))
    return out


def page(title: str, paras: list[str]) -> str:
    body = "\n".join(f"<p>{html.escape(p)}</p>" for p in paras)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title></head>
<body>
<nav><a href="/">Home</a> | <a href="/world">World</a> | <a href="/subscribe">Subscribe</a></nav>
<article>
<h1>{html.escape(title)}</h1>
{body}
</article>
<footer><p>Copyright Newsmon Fixture Press. All rights reserved.</p></footer>
</body></html>
"""


def main() -> None:
    items, entries = [], []
    (HERE / "local" / "pages").mkdir(parents=True, exist_ok=True)
    for (stem, title, paras), (rss_date, atom_date) in zip(seeds(), DATES, strict=True):
        (HERE / "local" / "pages" / f"{stem}.html").write_text(page(title, paras), encoding="utf-8")
        items.append(f"""  <item>
    <title>{html.escape(title)}</title>
    <link>pages/{stem}.html</link>
    <guid isPermaLink="false">seed-{stem}</guid>
    <pubDate>{rss_date}</pubDate>
    <description>{html.escape(paras[0])}</description>
  </item>""")
        full = "".join(f"<p>{html.escape(p)}</p>" for p in paras)
        entries.append(f"""  <entry>
    <title>{html.escape(title)}</title>
    <id>urn:newsmon:seed:{stem}</id>
    <link href="https://news.example.org/{stem}"/>
    <updated>{atom_date}</updated>
    <author><name>Fixture Desk</name></author>
    <content type="html">{html.escape(full)}</content>
  </entry>""")
    (HERE / "local" / "seeds.rss").write_text(f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel>
  <title>Newsmon seed fixtures</title>
  <link>pages/</link>
  <description>The five seed articles as a feed</description>
{chr(10).join(items)}
</channel></rss>
""", encoding="utf-8")
    (HERE / "seeds_atom.xml").write_text(f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Newsmon seed fixtures (Atom, full content)</title>
  <id>urn:newsmon:fixtures</id>
  <updated>2022-01-27T08:00:00Z</updated>
{chr(10).join(entries)}
</feed>
""", encoding="utf-8")


if __name__ == "__main__":
    main()
