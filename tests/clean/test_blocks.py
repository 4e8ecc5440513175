"""Furniture known by its markup (pipeline/clean/blocks.py): captions without a <figure>."""

from __future__ import annotations

from lxml import html as lxml_html

from pipeline.clean.blocks import CAPTION_RULES, furniture_texts, link_texts
from pipeline.text import normalise_for_hash

ARTICLE = "Der Hafen bleibt die zweite Woche geschlossen, sagte die Gewerkschaft am Montag."


def test_a_caption_named_by_its_class_or_itemprop_is_a_caption():
    tree = lxml_html.fromstring(
        f"<html><body><article><p>{ARTICLE}</p>"
        '<div class="wp-caption"><img src=a.jpg><p class="wp-caption-text">Streikende vor dem Tor (Foto: dpa)</p></div>'
        '<div class="photo"><img src=b.jpg><span itemprop="caption">Leere Kais am Sonntagmorgen</span></div>'
        '<p class="image-caption">Die Kräne stehen still</p>'
        "</article></body></html>")
    found = furniture_texts(tree)
    assert found["streikende vor dem tor (foto: dpa)"] == "structure:caption"
    assert found["leere kais am sonntagmorgen"] == "structure:caption"
    assert found["die kräne stehen still"] == "structure:caption"
    assert "structure:caption" in CAPTION_RULES  # removed lines also go to the captions table
    assert not any(t.startswith("der hafen") for t in found)


def test_a_paragraph_deep_inside_a_furniture_block_is_furniture_and_the_article_after_it_is_not():
    # A paragraph printed inside a box (at any depth) is not article text that would keep the
    # box's line; the paragraph after the box is.
    tree = lxml_html.fromstring(
        '<html><body><article><div role="complementary"><section><div><div>'
        "<p>Melden Sie sich für unseren Newsletter an</p></div></div></section></div>"
        f'<p>{ARTICLE}</p><p class="caption-like">Bildunterschrift eines Fotos vom Hafen</p></article></body></html>')
    found = furniture_texts(tree)
    assert found["melden sie sich für unseren newsletter an"] == "structure:aside"
    assert found["bildunterschrift eines fotos vom hafen"] == "structure:caption"
    assert not any(t.startswith("der hafen") for t in found)


def test_a_long_container_named_for_its_captions_is_not_one():
    paragraphs = "".join(f"<p>{ARTICLE} Absatz {i}.</p>" for i in range(10))
    tree = lxml_html.fromstring(f'<html><body><div class="article-with-captions">{paragraphs}</div></body></html>')
    assert furniture_texts(tree) == {}
    # a caption repeating a line of the article is not furniture
    tree = lxml_html.fromstring(f'<html><body><p>{ARTICLE}</p><p class="caption">{ARTICLE}</p></body></html>')
    assert furniture_texts(tree) == {}


def test_the_page_s_headline_in_a_caption_styled_card_is_not_furniture():
    tree = lxml_html.fromstring(
        "<html><body><h1>Hafen bleibt geschlossen</h1>"
        '<div class="caption"><span>Hafen bleibt geschlossen</span> <span>Video vom Streik am Montag</span></div>'
        f"<p>{ARTICLE}</p></body></html>")
    found = furniture_texts(tree)
    assert "hafen bleibt geschlossen" not in found
    assert found["video vom streik am montag"] == "structure:caption"


def test_a_page_whose_whole_text_stands_in_a_furniture_block_keeps_it():
    from pipeline.clean.html import _drop_furniture
    from pipeline.clean.metadata import Head
    from pipeline.clean.structured import PageMeta

    meta = PageMeta(furniture={"der hafen bleibt die zweite woche geschlossen, sagte die gewerkschaft am montag.":
                               "structure:aside", "lesen sie auch: der lange streik": "structure:aside"})
    head = Head(paragraphs=[(0, ARTICLE)])
    _drop_furniture(head, meta)
    assert head.paragraphs == [(0, ARTICLE)] and head.removals == []
    head = Head(paragraphs=[(0, ARTICLE), (1, "Zwei Schiffe warten vor der Einfahrt."), (2, "Lesen Sie auch: Der lange Streik")])
    _drop_furniture(head, meta)  # with a line of its own left, the blocks go
    assert [i for i, _ in head.paragraphs] == [1]


def test_links_closing_the_body_go_with_their_rule_and_a_cited_address_stays():
    from pipeline.clean.html import _drop_trailing_links
    from pipeline.clean.metadata import Head
    from pipeline.clean.structured import PageMeta

    second = "Die Reedereien leiten ihre Schiffe nach Bremerhaven um, teilte der Verband mit."
    tree = lxml_html.fromstring(
        f'<html><body><article><p>{ARTICLE} Mehr dazu im <a href="/bericht">Bericht</a>.</p><p>{second}</p>'
        '<p><a href="https://hafen.example/streik">https://hafen.example/streik</a></p>'
        '<h3><a href="/a">Streik im Hafen: was Pendler jetzt wissen müssen</a></h3>'
        '<ul><li><a href="/tag/hafen">Hafen</a> <a href="/tag/streik">Streik</a></li></ul>'
        "</article></body></html>")
    links = link_texts(tree)
    assert "streik im hafen: was pendler jetzt wissen müssen" in links and "hafen streik" in links
    assert not any(t.startswith("der hafen") for t in links)  # a paragraph holding a link is no link line
    lines = [ARTICLE, second, "https://hafen.example/streik", "Streik im Hafen: was Pendler jetzt wissen müssen",
             "Hafen Streik"]
    head = Head(paragraphs=list(enumerate(lines)))
    _drop_trailing_links(head, PageMeta(links=links))
    assert [t for _, t in head.paragraphs] == lines[:3]  # the cited address ends the run
    assert [(r.index, r.rule) for r in head.removals] == [(3, "structure:trailing_links"),
                                                           (4, "structure:trailing_links")]
    # A link line inside the text stays, and a body of link lines keeps its first.
    head = Head(paragraphs=list(enumerate(["Hafen Streik", ARTICLE])))
    _drop_trailing_links(head, PageMeta(links=links))
    assert len(head.paragraphs) == 2
    head = Head(paragraphs=list(enumerate(["Hafen Streik", "Streik im Hafen: was Pendler jetzt wissen müssen"])))
    _drop_trailing_links(head, PageMeta(links=links))
    assert [t for _, t in head.paragraphs] == ["Hafen Streik"]
    # The line that introduced the links goes with them; a colon line with no links after it stays.
    head = Head(paragraphs=list(enumerate([ARTICLE, second, "Mehr zum Thema:", "Hafen Streik"])))
    _drop_trailing_links(head, PageMeta(links=links))
    assert [t for _, t in head.paragraphs] == [ARTICLE, second]
    assert [r.text for r in head.removals] == ["Mehr zum Thema:", "Hafen Streik"]
    head = Head(paragraphs=list(enumerate([ARTICLE, "Die Forderungen der Gewerkschaft:"])))
    _drop_trailing_links(head, PageMeta(links=links))
    assert len(head.paragraphs) == 2


RELATED = ("<section class='related'><h2>Mehr zum Thema</h2>"
           "<article class='teaser'><h3><a href='/a'>Reedereien leiten Schiffe nach Bremerhaven um</a></h3>"
           "<p>Die Umleitung kostet jede Fahrt einen Tag, sagen die Reeder.</p></article>"
           "<article class='teaser'><h3><a href='/b'>Pendler warten auf Busse am Hafentor</a></h3>"
           "<p>Seit Montag fahren nur wenige Linien zum Terminal.</p></article></section>")


def test_teaser_cards_closing_the_body_go_and_the_article_s_own_lines_stay():
    from pipeline.clean.blocks import teaser_card_texts
    from pipeline.clean.html import _drop_trailing_links
    from pipeline.clean.metadata import Head
    from pipeline.clean.structured import PageMeta

    second = "Die Gewerkschaft will am Freitag über das Angebot der Arbeitgeber abstimmen."
    tree = lxml_html.fromstring(f"<html><body><article><h1>Hafen bleibt geschlossen</h1><p>{ARTICLE}</p>"
                                f"<p>{second}</p></article>{RELATED}</body></html>")
    cards = teaser_card_texts(tree)
    assert "die umleitung kostet jede fahrt einen tag, sagen die reeder." in cards
    assert "reedereien leiten schiffe nach bremerhaven um" in cards
    assert not any(t.startswith("der hafen") or t.startswith("die gewerkschaft") for t in cards)
    lines = [ARTICLE, second, "Mehr zum Thema", "Reedereien leiten Schiffe nach Bremerhaven um",
             "Die Umleitung kostet jede Fahrt einen Tag, sagen die Reeder.", "Pendler warten auf Busse am Hafentor",
             "Seit Montag fahren nur wenige Linien zum Terminal."]
    head = Head(paragraphs=list(enumerate(lines)))
    _drop_trailing_links(head, PageMeta(links=link_texts(tree), cards=cards))
    # 'Mehr zum Thema' is no link and no card: it ends the run (the phrase rules judge it)
    assert [t for _, t in head.paragraphs] == lines[:3]
    assert {r.rule for r in head.removals} == {"structure:trailing_links", "structure:teaser_card"}
    assert [r.rule for r in head.removals if r.text.startswith("Die Umleitung")] == ["structure:teaser_card"]
    # inside the text a card's line stays: only the run closing the body goes
    head = Head(paragraphs=list(enumerate([ARTICLE, lines[4], second])))
    _drop_trailing_links(head, PageMeta(links=link_texts(tree), cards=cards))
    assert len(head.paragraphs) == 3


def test_one_linked_headline_or_a_long_section_is_no_teaser_list():
    from pipeline.clean.blocks import teaser_card_texts

    one = ("<article class='teaser'><h3><a href='/a'>Reedereien leiten Schiffe nach Bremerhaven um</a></h3>"
           "<p>Die Umleitung kostet jede Fahrt einen Tag.</p></article>")
    assert teaser_card_texts(lxml_html.fromstring(f"<html><body><p>{ARTICLE}</p>{one}</body></html>")) == set()
    # sections of the article headed by a linked subheading are longer than a teaser
    long_text = " ".join([ARTICLE] * 12)
    sections = "".join(f"<div><h2><a href='#s{i}'>Abschnitt {i} des Berichts</a></h2><p>{long_text}</p></div>"
                       for i in range(3))
    assert teaser_card_texts(lxml_html.fromstring(f"<html><body>{sections}</body></html>")) == set()
    # a short linked label ('Mehr') heads no card
    labels = "".join(f"<li><h4><a href='/{i}'>Mehr</a></h4><p>Text {i}</p></li>" for i in range(3))
    assert teaser_card_texts(lxml_html.fromstring(f"<html><body><ul>{labels}</ul></body></html>")) == set()


PARAGRAPHS = [f"{text} ({i + 1}/8)" for i, text in enumerate([
    "Der Hafen bleibt die zweite Woche geschlossen, sagte die Gewerkschaft am Montag in Hamburg.",
    "Die Reedereien leiten ihre Schiffe nach Bremerhaven und Rotterdam um, teilte der Verband mit.",
    "Die Arbeitgeber bieten sechs Prozent mehr Lohn, die Gewerkschaft fordert zehn Prozent.",
    "Am Freitag wollen beide Seiten wieder verhandeln, diesmal mit einem Schlichter aus Bremen.",
] * 2)]  # the article's container holds most of the body's words (MAIN_SHARE)
BIO = "Anna Beispiel schreibt seit 2010 über Häfen, Schiffe und die Menschen, die dort arbeiten."


def _after(page: str, lines: list[str], keep: set[str] | None = None) -> list[str]:
    from pipeline.clean.blocks import after_article, line_elements

    norms = [normalise_for_hash(line) for line in lines]
    at = after_article(norms, line_elements(lxml_html.fromstring(page)), keep or set())
    return lines[:at]


def test_lines_printed_after_the_article_s_container_go():
    body = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    page = (f"<html><body><main><div class='article-body'>{body}</div>"
            f"<div class='author-box'><p>{BIO}</p></div></main>"
            "<div id='cookie'><p>Wir verwenden Cookies, um Ihnen das beste Erlebnis zu bieten.</p></div></body></html>")
    lines = [*PARAGRAPHS, BIO, "Wir verwenden Cookies, um Ihnen das beste Erlebnis zu bieten."]
    assert _after(page, lines) == PARAGRAPHS
    # the page's stated summary printed below the text stays, and so does what comes before it
    assert _after(page, lines, keep={normalise_for_hash(BIO)}) == [*PARAGRAPHS, BIO]
    # a line the page does not print as one element ends the run: no judgement without its place
    assert _after(page, [*PARAGRAPHS, BIO, "Zeile, die es auf der Seite nicht gibt, gar nicht."]) == \
        [*PARAGRAPHS, BIO, "Zeile, die es auf der Seite nicht gibt, gar nicht."]


def test_a_closing_line_printed_after_a_line_break_is_found_inside_its_block():
    body = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    follow = "Folgt mir gerne auf Instagram, dort gibt es die neuesten Bilder."
    page = (f"<html><body><div class='entry'><div class='text'>{body}</div>"
            f"<div class='box'><p>{BIO}<br>{follow}</p></div></div></body></html>")
    # the box prints the bio and the prompt as one <p>: the prompt is found inside it
    assert _after(page, [*PARAGRAPHS, BIO, follow]) == PARAGRAPHS
    # a line the article's own paragraph holds is inside the container and stays
    tail = PARAGRAPHS[-1][:60]
    assert _after(page, [*PARAGRAPHS, tail]) == [*PARAGRAPHS, tail]
    # a short line is not looked for inside blocks: it would be found anywhere
    assert _after(page, [*PARAGRAPHS, BIO, "Instagram"]) == [*PARAGRAPHS, BIO, "Instagram"]


def test_an_article_printed_in_sibling_sections_keeps_its_last_section():
    first = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    page = (f"<html><body><div class='post'><section class='text-block'><div class='inner'>{first}</div></section>"
            f"<section class='text-block'><div class='inner'><p>{BIO}</p></div></section>"
            "<p><a href='https://hafen.example/bericht'>https://hafen.example/bericht</a></p></div>"
            f"<div class='footer'><p>{BIO} Mehr</p></div></body></html>")
    lines = [*PARAGRAPHS, BIO]
    assert _after(page, lines) == lines
    # a cited address after the container ends the run as well
    assert _after(page, [*PARAGRAPHS, "https://hafen.example/bericht"]) == [*PARAGRAPHS, "https://hafen.example/bericht"]


def test_a_body_whose_lines_the_page_does_not_print_is_not_judged():
    page = f"<html><body><div><p>{BIO}</p></div></body></html>"
    assert _after(page, [*PARAGRAPHS, BIO]) == [*PARAGRAPHS, BIO]
