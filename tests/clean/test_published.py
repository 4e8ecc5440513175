"""The publication time: every statement the page makes, reconciled with the visible day
(pipeline.clean.published), read through read_page_meta as the clean stage reads a page."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone

from pipeline.clean.published import offset_minutes, parse_timestamp, published_time
from pipeline.clean.structured import read_page_meta


def page(head: str = "", body: str = "<p>Text.</p>") -> str:
    return f"<html><head>{head}</head><body>{body}</body></html>"


def article(**fields: str) -> str:
    item = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": "Port strike ends", **fields}
    return f'<script type="application/ld+json">{json.dumps(item)}</script>'


def chosen(html: str, visible: datetime | None = None) -> tuple[datetime | None, str | None]:
    when, stamp = published_time(read_page_meta(html).stamps, visible)
    return when, stamp.source if stamp is not None else None


def test_a_day_only_headline_item_takes_the_time_a_meta_tag_states_on_that_day():
    html = page(article(datePublished="2022-02-14") +
                '<meta property="article:published_time" content="2022-02-14T08:30:00+01:00">')
    when, source = chosen(html, datetime(2022, 2, 14))
    assert when == datetime(2022, 2, 14, 8, 30, tzinfo=timezone(timedelta(hours=1)))
    assert source == "meta article:published_time" and offset_minutes(when) == 60


def test_the_tag_stating_the_visible_day_in_the_newsrooms_zone_wins_over_its_utc_twin():
    # One instant stated twice: in UTC (the next day) and in the newsroom's zone (the page's day).
    html = page('<meta property="article:published_time" content="2022-04-22T04:11:44+00:00">'
                '<meta property="article:published_time" content="2022-04-21T22:11:44-06:00">')
    when, _ = chosen(html, datetime(2022, 4, 21))
    assert when is not None and when.date().isoformat() == "2022-04-21" and offset_minutes(when) == -360
    # Without a visible day the first statement stands.
    assert chosen(html)[0] == datetime(2022, 4, 22, 4, 11, 44, tzinfo=UTC)


def test_a_wordpress_entry_date_gives_the_time_when_nothing_else_is_stated():
    html = page(body='<article><header><time class="entry-date published updated" '
                     'datetime="2019-02-10T09:30:10+01:00">10. Februar 2019</time></header><p>Text.</p></article>')
    when, source = chosen(html, datetime(2019, 2, 10))
    assert (when.hour, when.minute, source) == (9, 30, "class entry-date published")


def test_a_modified_time_is_never_the_publication_time():
    html = page('<meta property="article:modified_time" content="2020-10-20T14:04:48+00:00">'
                '<meta property="og:updated_time" content="2020-10-20T14:04:48+00:00">',
                '<time class="updated" datetime="2020-10-20T14:04:48+00:00">20.10.2020</time>')
    when, stamp_source = chosen(html, datetime(2020, 10, 20))
    assert when == datetime(2020, 10, 20) and stamp_source is None  # the visible day, no time


def test_a_plain_time_element_gives_a_time_only_to_the_day_already_known():
    comment = '<time datetime="2019-10-21T18:02:00+02:00">21.10.2019</time>'
    html = page(article(datePublished="2019-10-19"), comment)
    assert chosen(html, datetime(2019, 10, 19)) == (datetime(2019, 10, 19), "json-ld datePublished")
    # With no statement and no visible day, a comment's <time> names no day.
    assert chosen(page(body=comment)) == (None, None)
    # On the known day it gives the time, with its zone.
    when, source = chosen(page(body=comment), datetime(2019, 10, 21))
    assert (when.hour, offset_minutes(when), source) == (18, 120, "<time>")


def test_a_stated_day_the_visible_page_contradicts_gives_way_without_a_time():
    html = page(article(datePublished="2022-11-17T10:33:13Z"))
    assert chosen(html, datetime(2022, 3, 9)) == (datetime(2022, 3, 9), None)


def test_timestamps_in_the_formats_publishers_write():
    assert parse_timestamp("Wed, 04 May 2022 00:25:56 GMT") == (datetime(2022, 5, 4, 0, 25, 56, tzinfo=UTC), True)
    assert parse_timestamp("10.12.2022, 07:00:03") == (datetime(2022, 12, 10, 7, 0), True)
    assert parse_timestamp("01-11-2023 10:29") == (datetime(2023, 11, 1, 10, 29), True)
    assert parse_timestamp("2020-08-06T09:09:24.0000000Z") == (datetime(2020, 8, 6, 9, 9, 24, tzinfo=UTC), True)
    assert parse_timestamp("2021-11-25 16:11") == (datetime(2021, 11, 25, 16, 11), True)
    assert parse_timestamp("03/04/2022 10:00") is None  # day or month first: the site's habit, unknown
    assert parse_timestamp("Mo-Su 08:00-20:00") is None  # opening hours in a <time>


def test_a_date_line_printed_above_the_body_gives_the_time_a_comment_below_does_not():
    from pipeline.clean.html import extract_html

    prose = " ".join(["Der Stadtrat hat am Abend den Haushalt für das kommende Jahr beschlossen."] * 6)
    article_html = (
        '<html><head><meta property="article:published_time" content="2021-11-05"></head><body><article>'
        '<h1>Haushalt beschlossen</h1><div class="meta">5. November 2021, 10:39 Uhr</div>'
        f"<p>{prose}</p><p>{prose}</p></article>"
        '<section class="comments"><div>6. November 2021, 08:12 Uhr</div><p>Gut so.</p></section></body></html>')
    head = extract_html(article_html, "https://stadtblatt.example/haushalt")
    assert head is not None and head.published_at == datetime(2021, 11, 5, 10, 39)
    assert head.published_offset is None  # the printed line names no zone
    # Below the body's first line the same kind of line is a comment's: no time from it.
    below = article_html.replace('<div class="meta">5. November 2021, 10:39 Uhr</div>', "").replace(
        "<div>6. November 2021, 08:12 Uhr</div>", "<div>5. November 2021, 18:12 Uhr</div>")
    head = extract_html(below, "https://stadtblatt.example/haushalt")
    assert head is not None and head.published_at == datetime(2021, 11, 5)


def test_a_dateline_opening_the_body_keeps_its_time_beside_the_day_the_page_shows():
    # read_head takes the line out of the body; it still stands above the body's first line.
    from pipeline.clean.html import extract_html

    prose = " ".join(["Der Stadtrat hat am Abend den Haushalt für das kommende Jahr beschlossen."] * 6)
    html = ("<html><head><title>Haushalt beschlossen</title></head><body><article><h1>Haushalt beschlossen</h1>"
            f"<p>5. November 2021, 10:39 Uhr</p><p>{prose}</p><p>{prose}</p></article></body></html>")
    head = extract_html(html, "https://stadtblatt.example/2021/11/05/haushalt")
    assert head is not None and head.published_at == datetime(2021, 11, 5, 10, 39)
    assert not any("5. November 2021" in text for _, text in head.paragraphs)  # the dateline left the body
