"""The lead paragraph, found by the page's stated summary (pipeline/clean/lead.py)."""

from __future__ import annotations

import json

from pipeline.clean.html import LEAD_INDEX, _restore_lead
from pipeline.clean.metadata import Head
from pipeline.clean.structured import read_page_meta

SUMMARY = "Der Hafen bleibt nach dem Streik der Docker eine zweite Woche geschlossen, die Reedereien weichen aus."
FIRST = "Am Montag standen die Kräne still, und vor dem Tor warteten mehr als hundert Lastwagen auf Ladung."
SECOND = "Die Gewerkschaft fordert sieben Prozent mehr Lohn; die Hafenbetreiber bieten bisher die Hälfte."


def page(lead_block: str, description: str = SUMMARY, after: str = "") -> str:
    item = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": "Hafen zu",
            "description": description}
    return (f'<html><head><script type="application/ld+json">{json.dumps(item)}</script>'
            f'<meta name="description" content="{description[:70]}..."></head><body>'
            f"<article><header><h1>Hafen zu</h1>{lead_block}</header>"
            f"<p>{FIRST}</p><p>{SECOND}</p></article>{after}</body></html>")


def restored(html: str, paragraphs: list[str]) -> list[tuple[int, str]]:
    head = Head(title="Hafen zu", paragraphs=list(enumerate(paragraphs)))
    _restore_lead(head, read_page_meta(html, "https://example.org/hafen"))
    return head.paragraphs


def test_a_lead_left_out_of_the_body_goes_back_on_top():
    html = page(f'<div class="teaser-text"><p>{SUMMARY}</p></div>')
    assert restored(html, [FIRST, SECOND]) == [(LEAD_INDEX, SUMMARY), (0, FIRST), (1, SECOND)]
    # after a leading title line
    assert restored(html, ["Hafen zu", FIRST])[1] == (LEAD_INDEX, SUMMARY)


def test_a_lead_the_body_has_is_not_added_twice():
    html = page(f"<p>{SUMMARY}</p>")
    assert restored(html, [SUMMARY, FIRST, SECOND]) == [(0, SUMMARY), (1, FIRST), (2, SECOND)]


def test_a_summary_printed_below_the_text_or_in_furniture_is_no_lead():
    below = page("", after=f'<div class="author-box"><p>{SUMMARY}</p></div>')
    assert restored(below, [FIRST, SECOND]) == [(0, FIRST), (1, SECOND)]
    boxed = page(f"<aside><p>{SUMMARY}</p></aside>")
    assert restored(boxed, [FIRST, SECOND]) == [(0, FIRST), (1, SECOND)]
    teaser = page(f'<a href="/other"><p>{SUMMARY}</p></a>')
    assert restored(teaser, [FIRST, SECOND]) == [(0, FIRST), (1, SECOND)]


def test_a_short_tagline_is_no_summary():
    html = page("<p>Nachrichten aus dem Norden</p>", description="Nachrichten aus dem Norden")
    assert restored(html, [FIRST, SECOND]) == [(0, FIRST), (1, SECOND)]


def test_the_text_read_per_page_is_bounded(monkeypatch):
    from lxml import html as lxml_html

    from pipeline.clean import lead

    filler = "<div>" + ("Wort " * 400) + "</div>"
    tree = lxml_html.fromstring(page(filler * 20 + f"<p>{SUMMARY}</p>"))
    assert lead.find_lead(tree, [SUMMARY]) is not None
    monkeypatch.setattr(lead, "MAX_TEXT_CHARS", 20_000)  # spent on the filler before the lead
    assert lead.find_lead(tree, [SUMMARY]) is None


def test_a_long_headline_line_above_the_lead_is_a_heading_not_the_bodys_first_prose():
    # The body opens with the page's headline (eight words or more, printed as the <h1>, not the
    # title the page states): the lead stands below it in the page and goes back below it.
    headline = "Nach dem Streik der Docker bleibt der Hafen eine zweite Woche geschlossen"
    item = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": "Hafen zu", "description": SUMMARY}
    html = (f'<html><head><script type="application/ld+json">{json.dumps(item)}</script></head><body>'
            f'<article><header><h1>{headline}</h1><div class="intro">{SUMMARY}</div></header>'
            f"<p>{FIRST}</p><p>{SECOND}</p></article></body></html>")
    assert restored(html, [headline, FIRST, SECOND]) == \
        [(0, headline), (LEAD_INDEX, SUMMARY), (1, FIRST), (2, SECOND)]
    # A lead printed below the headline but after the text's first paragraph is still no lead.
    late = html.replace(f'<div class="intro">{SUMMARY}</div></header><p>{FIRST}</p>',
                        f'</header><p>{FIRST}</p><div class="intro">{SUMMARY}</div>')
    assert restored(late, [headline, FIRST, SECOND]) == [(0, headline), (1, FIRST), (2, SECOND)]
