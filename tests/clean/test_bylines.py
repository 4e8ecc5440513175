"""Bylines read from the page itself (pipeline/clean/bylines.py) when structured data names no
person: microdata, rel=author, a link to the author's page, a "By ..." line; people only."""

from __future__ import annotations

from lxml import html as lxml_html

from pipeline.clean.bylines import is_organisation, looks_like_name, page_bylines
from pipeline.clean.structured import clean_authors, read_page_meta


def bylines(body: str) -> tuple[list[str], str | None]:
    return page_bylines(lxml_html.fromstring(f"<html><body>{body}<p>Article text.</p></body></html>"))


def test_microdata_and_rel_author_name_the_author_even_as_a_user_name():
    assert bylines('<span itemprop="author" itemscope itemtype="https://schema.org/Person">'
                   '<meta itemprop="name" content="Cosima Künzel"></span>') == (["Cosima Künzel"], "microdata author")
    assert bylines('<a rel="author" href="/u/7">freeman1984</a>') == (["freeman1984"], "rel=author")
    # A sentence in a rel=author link is no name.
    assert bylines('<a rel="author" href="/author/x">Zeige alle Beiträge von x →</a>') == ([], None)


def test_a_link_to_the_authors_page_counts_when_its_slug_spells_the_name():
    assert bylines('<div class="m"><a href="/autor/jil-schuller">Jil Schuller</a></div>')[0] == ["Jil Schuller"]
    assert bylines('<a href="https://abc7news.com/about/newsteam/jr-stone">J.R. Stone</a>')[0] == ["J.R. Stone"]
    # A topic page on a person, a one-word slug, a name under no author path: not bylines.
    assert bylines('<a href="/person/alexander-zverev">Alexander Zverev</a>') == ([], None)
    assert bylines('<a href="/user/memberlist">Member List</a>') == ([], None)
    assert bylines('<a href="/politik/olaf-scholz">Olaf Scholz</a>') == ([], None)


def test_a_short_line_of_a_by_word_and_names_is_a_byline_in_several_languages():
    assert bylines("<span>von Andreas Kürten</span>")[0] == ["Andreas Kürten"]
    assert bylines("<p>By Anna Muster and Jan Berg</p>")[0] == ["Anna Muster and Jan Berg"]
    assert bylines("<div>Por Rocío Latorre</div>")[0] == ["Rocío Latorre"]
    # A language menu, a photo credit, a commenter are not the article's author.
    assert bylines("<div>DE FR IT EN</div>") == ([], None)
    assert bylines("<figure><figcaption><span>By Jane Photographer</span></figcaption></figure>") == ([], None)
    assert bylines('<div id="comments"><p>von Max Leser</p></div>') == ([], None)


def test_co_authors_are_the_names_beside_the_first():
    names, _ = bylines('<p><a href="/autor/daniel-braun">Daniel Braun</a>, '
                       '<a href="/autor/davor-pasoski">Davor Pasoski</a></p>'
                       '<ul><li><a href="/autor/other-writer">Other Writer</a></li></ul>')
    assert names == ["Daniel Braun", "Davor Pasoski"]


def test_names_and_organisations():
    assert looks_like_name("Jan de Vries") and looks_like_name("Gàbor Muniér")
    assert not looks_like_name("Follow") and not looks_like_name("Art Edwards says")
    assert not looks_like_name("Michael Hingstonfacebooktwitterflipboardwhatsapp")
    assert is_organisation("Deutscher Caritasverband e V") and is_organisation("Hanns-Seidel-Stiftung e.V.")
    assert not is_organisation("Jan de Vries")
    assert clean_authors(["Deutscher Caritasverband e. V."], []) == []
    assert clean_authors(["unocero - Alberto Ávila"], ["unocero"]) == ["Alberto Ávila"]


def test_the_visible_byline_comes_before_a_meta_author_and_after_structured_people():
    head = '<meta name="author" content="Webmaster Team">'
    body = '<p class="byline">By Maria Lindqvist</p><p>Text.</p>'
    page = f"<html><head>{head}</head><body>{body}</body></html>"
    meta = read_page_meta(page, "https://harbourherald.example/a")
    assert meta.authors == ["Maria Lindqvist"] and meta.source["authors"] == "byline"
    stated = page.replace("<head>", '<head><script type="application/ld+json">{"@type": "NewsArticle", '
                          '"headline": "H", "author": {"@type": "Person", "name": "Emma Mackenzie"}}</script>')
    assert read_page_meta(stated).authors == ["Emma Mackenzie"]
