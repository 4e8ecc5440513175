"""Bylines read from the page itself (pipeline/clean/bylines.py) when structured data names no
person: microdata, rel=author, a link to the author's page, a "By ..." line; people only."""

from __future__ import annotations

from lxml import html as lxml_html

from pipeline.clean.bylines import box_author, is_organisation, looks_like_name, page_bylines
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


def test_a_link_with_an_address_urlsplit_refuses_is_no_author_link_and_fails_nothing():
    # urlsplit raises ValueError on an unclosed IPv6 bracket; the page's other byline still counts.
    assert bylines('<a href="http://[x/autor/jil-schuller">Jil Schuller</a>') == ([], None)
    assert bylines('<a href="http://[x/autor/a-b">Anna Berg</a><a rel="author" href="/u/7">Jan Berg</a>')[0] \
        == ["Jan Berg"]


def test_a_short_line_of_a_by_word_and_names_is_a_byline_in_several_languages():
    assert bylines("<span>von Andreas Kürten</span>")[0] == ["Andreas Kürten"]
    assert bylines("<p>By Anna Muster and Jan Berg</p>")[0] == ["Anna Muster; Jan Berg"]
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


def test_the_hcard_author_of_wordpress_themes_names_the_author_even_as_a_user_name():
    assert bylines('<span class="byline"> von <span class="author vcard"><a class="url fn n" '
                   'href="/author/heiko/">Heiko</a></span></span>') == (["Heiko"], "hcard author")
    assert bylines('<span class="vcard author"><span class="fn">von Rudolf Fischer, Simon Kohler</span></span>'
                   )[0] == ["Rudolf Fischer, Simon Kohler"]
    # No `fn`: the card's first line, not the date printed under the name.
    assert bylines('<div class="author vcard"><a href="/autoren/t-s/"><img src="t.jpg"></a>'
                   '<div class="n">Tomas Spahn</div><div class="d">Fr, 18. Oktober 2019</div></div>'
                   )[0] == ["Tomas Spahn"]


def test_a_bylines_names_end_before_an_agency_a_date_a_job_or_another_credit():
    assert bylines('<div class="dates">par <span class="auteurs">Didier Roy</span>, 21 juin 2018</div>'
                   )[0] == ["Didier Roy"]
    assert bylines("<byline>Von David Hutzler, dpa</byline>")[0] == ["David Hutzler"]
    assert bylines("<p><em>Text von Christian Seiler &nbsp; Illustration von Markus Roost</em></p>"
                   )[0] == ["Christian Seiler"]
    assert bylines("<p><strong>Autorin: Uta Staschewski, Projektleiterin der HSS in Tunesien.</strong></p>"
                   )[0] == ["Uta Staschewski"]
    assert bylines("<p>Autoren Jelko Djuren und Jutta Klaukien</p>")[0] == ["Jelko Djuren; Jutta Klaukien"]
    # The byline's own line: a dateline after a <br>, a second credit in the next paragraph.
    assert bylines("<p>Von <strong><a href='http://rb.example'>Roland Brockmann</a></strong> und "
                   "<strong>Sebastian Drescher</strong><br/><br/> Kakuma /Kenia</p>"
                   )[0] == ["Roland Brockmann; Sebastian Drescher"]
    assert bylines('<div class="longText"><p>Auteur : Kossivi Tiassou </p> <p>Edition : M-A. Pioerron</p></div>'
                   )[0] == ["Kossivi Tiassou"]
    # A soft hyphen breaks a name for layout only.
    assert bylines("<p><strong>Von Mat\u00adthi\u00adas Lauerer</strong></p>")[0] == ["Matthias Lauerer"]
    # A sentence that starts with a by-word is no byline.
    assert bylines("<p>Von Montag an gilt die neue Regel in der Stadt.</p>") == ([], None)


def test_a_by_word_label_names_the_author_in_the_element_after_it():
    assert bylines('<h5 class="title-inline">Autor: </h5>Peter Maahn/SP-X') == (["Peter Maahn"], "byline label")
    assert bylines("<div class='f'><p class='label'><strong>By</strong></p></div><!-- f -->"
                   "<div class='f'><p class='full-name'>Todd Bates</p></div>")[0] == ["Todd Bates"]
    # A search form's 'Von:' labels an input, not a byline.
    assert bylines('<div class="menu-row"><div class="inputGroup"><span>Von:</span>'
                   '<input type="text" name="users" placeholder="Mitglied"></div></div>'
                   '<div class="menu-row"><a>Suche Erweiterte Suche</a></div>') == ([], None)


def test_the_byline_around_a_linked_author_adds_the_co_author_it_names():
    assert bylines('<span class="vcard author"><span class="fn">von <a href="/autor/rudolf-fischer">Rudolf '
                   'Fischer</a>, Simon Kohler</span></span>')[0] == ["Rudolf Fischer, Simon Kohler"]
    # Another story's byline naming the author among others is not this one's.
    assert bylines('<h2>By <a rel="author" href="/author/tatyana-turner/">Tatyana Turner</a></h2>'
                   '<aside class="related"><h3>By Emma Whitford, Mariana Simoes and Tatyana Turner</h3></aside>'
                   )[0] == ["Tatyana Turner"]
    # A slug spells the umlaut out.
    assert bylines('<p><a href="/autor/clara-loew">Clara Löw</a></p>') == (["Clara Löw"], "author link")


def test_a_comma_list_that_ends_in_no_name_is_the_first_names_affiliation():
    assert bylines("<p><em>Posted by Alex Durán, AMP Project Marketing, Google</em></p>")[0] == ["Alex Durán"]
    assert bylines('<p class="autorenzeile">Von Volkmar Kabisch, Jan Lukas Strozyk und Benedikt Strunz, NDR</p>'
                   )[0] == ["Volkmar Kabisch; Jan Lukas Strozyk; Benedikt Strunz"]


def test_trafilaturas_guess_is_kept_only_as_a_name_or_one_word():
    from pipeline.clean.html import extract_html

    body = "<p>" + " ".join(["Der Stadtrat hat am Montag den neuen Haushalt beschlossen, nach langer Debatte."] * 8)
    def guessed(line: str) -> str | None:
        head = extract_html(f"<html><head><title>Haushalt beschlossen</title></head><body><article>"
                            f"<h1>Haushalt beschlossen</h1><div class='author'>{line}</div>{body}</p></article>"
                            "</body></html>", "https://stadt.example/haushalt")
        assert head is not None
        return head.byline

    assert guessed("Ulrike") == "Ulrike"  # a first name is what the page gives
    assert guessed("Richard David Precht im Gespräch mit Karin Fischer") is None  # a sentence is no byline


def test_a_byline_box_named_by_its_class_gives_the_names_after_its_by_word():
    # Themes print "Posted on <date> by <name>" in an element their class names the author's.
    assert bylines('<div class="page-meta--author">Posted on September 21, 2020 by Adi Tzlil</div>') == \
        (["Adi Tzlil"], "byline box")
    assert bylines('<span class="entry-byline">Veröffentlicht am 3. Mai 2021 von Jan Muster</span>')[0] == \
        ["Jan Muster"]
    # The same line in a box of no such class is not read (a teaser's "... by" sentence), nor a
    # by-word followed by no name.
    assert bylines("<div class=\"meta\">Posted on September 21, 2020 by Adi Tzlil</div>") == ([], None)
    assert bylines('<div class="author-box">Stand by me, a song</div>') == ([], None)


def test_a_by_word_joined_with_other_credits_still_names_the_text_author():
    # 'Text & Fotos:' (the same person wrote and photographed), in a table cell as older CMSs print it.
    assert bylines('<table><tr><td class="authorbold"><b>Text &amp; Fotos:</b> Ivan Valetny</td></tr></table>') == \
        (["Ivan Valetny"], "byline")
    assert bylines("<p>Texto y fotos: Ana Pérez</p>")[0] == ["Ana Pérez"]
    assert bylines("<p>Words and photos by Jane Roe</p>")[0] == ["Jane Roe"]
    # An interview is other work too: 'Text und Interview:' names the one who did both, not 'Text'.
    assert bylines('<div class="article-author"><p>Text und Interview: Harald Willenbrock</p></div>')[0] == \
        ["Harald Willenbrock"]
    assert bylines("<p>Texto y entrevista: Ana Pérez</p>")[0] == ["Ana Pérez"]
    assert bylines("<p>Textilien von Jan Muster</p>") == ([], None)  # 'Text' only as a whole word


def box(body: str) -> list[str]:
    return box_author(lxml_html.fromstring(f"<html><body><p>Article text.</p>{body}</body></html>"))


def test_an_author_box_names_its_one_person():
    bio = '<div class="author-bio"><img alt=""><h3>Martin Junker</h3><p>Martin berät seit 25 Jahren ...</p></div>'
    assert box(bio) == ["Martin Junker"]
    assert box(bio + bio.replace("author-bio", "author-bio sidebar")) == ["Martin Junker"]  # printed twice
    # The profile link in the heading names her, not the button beside it.
    assert box('<div class="author-info"><h3><a href="/in/ih">Inga Hoeltmann</a><a href="/login">Follow</a></h3>'
               "</div>") == ["Inga Hoeltmann"]
    assert box('<div class="teaser-box author short"><div class="text"><div>Johanna Kropfitsch</div></div></div>') == \
        ["Johanna Kropfitsch"]
    # Boxes naming several people are a list of teasers, each with its writer: no author of this page.
    teasers = "".join(f'<article class="author-avatar"><h3><a href="/p/{n}">{n}</a></h3></article>'
                      for n in ("Nino Jordan", "Rainer Quitzow", "Laima Eicke"))
    assert box(teasers) == []
    assert box('<div class="comment-author"><h4>Ines Lindemann</h4></div>') == []  # a commenter
    assert box('<div class="author-bio"><p>Mehr über uns</p></div>') == []


def test_an_author_box_is_the_last_resort_after_trafilaturas_guess():
    from pipeline.clean.html import extract_html

    body = "<p>" + " ".join(["Der Stadtrat hat am Montag den neuen Haushalt beschlossen, nach langer Debatte."] * 8)
    def byline(extra: str) -> str | None:
        head = extract_html(f"<html><head><title>Haushalt beschlossen</title></head><body><article>"
                            f"<h1>Haushalt beschlossen</h1>{extra}{body}</p></article><footer>"
                            '<div class="author-bio"><h3>Martin Junker</h3><p>Martin berät seit 25 Jahren Unternehmen bei der Finanzierung ihrer Fahrzeuge.</p></div>'
                            "</footer></body></html>", "https://stadt.example/haushalt")
        assert head is not None
        return head.byline

    assert byline("") == "Martin Junker"
    assert byline("<p>Von Jana Roth</p>") == "Jana Roth"  # the visible byline comes first


def test_co_is_a_company_only_after_and():
    assert is_organisation("Müller & Co.") and is_organisation("Dupont et Cie") and is_organisation("Schmidt und Co. KG")
    assert not is_organisation("Emily Co")  # a surname
    assert clean_authors(["Emily Co"], ["POPSUGAR UK", "popsugar.co.uk"]) == ["Emily Co"]


def test_a_byline_inside_a_link_to_another_story_is_that_storys_writer():
    # A teaser card is one link: its headline, its summary and its writer's byline.
    card = ('<a href="/psychologie/krankmelden"><h3>Sich krankmelden, obwohl man nicht krank ist?</h3>'
            '<p>Immer mehr Unternehmen führen einen Tag ein, an dem man sich nicht ganz fit fühlen darf, '
            'ohne krank zu sein.</p><span class="author">von Anna Dunst</span></a>')
    assert bylines(card) == ([], None)
    # A byline that is itself a short link, or sits in one, is still read.
    assert bylines('<p class="byline"><a href="/team">Von Jan Muster</a></p>') == (["Jan Muster"], "byline")


def test_text_for_screen_readers_only_is_no_part_of_a_byline():
    # The linked name repeated for screen readers read as 'Kristen Falc'hon Kristen Falc'hon'
    # (no slug matched it); printed, it is the author's page link it is.
    linked = ('<p class="authors">Un documentaire de <a href="/auteurs/kristen_falc_hon">Kristen Falc\'hon'
              '<span class="u-screen-reader-text">Kristen Falc\'hon</span></a></p>')
    assert bylines(linked) == (["Kristen Falc'hon"], "author link")
    line = '<p>Par <a href="/equipe">Olivier Minot <span class="sr-only">Olivier Minot</span></a></p>'
    assert bylines(line) == (["Olivier Minot"], "byline")


def test_a_media_credit_is_no_byline():
    # A video's or photo's credit outside a <figure> names who made the picture.
    assert bylines('<span class="credit video-credit">By U.S. Customs and Border Protection</span>') == ([], None)
    assert bylines('<p class="photo-copyright">Von Jan Muster</p>') == ([], None)
    assert bylines('<p class="byline">Von Jan Muster</p>') == (["Jan Muster"], "byline")


def test_a_by_word_is_found_in_any_case_split_by_markup_or_among_invisible_characters():
    # Elements are passed over unless their text holds a by-word's first word: the test is
    # case-blind as the by-word pattern is, on ASCII text and on other text alike.
    assert bylines("<p>BY Jane Roe</p>")[0] == ["Jane Roe"]
    assert bylines("<span>VON Jürgen Kürten</span>")[0] == ["Jürgen Kürten"]
    assert bylines("<p><b>By</b> Jane Roe</p>")[0] == ["Jane Roe"]
    # Zero-width spaces are no words: three words here, not thirteen.
    assert bylines("<span>By Jane Roe" + " \u200b" * 10 + "</span>")[0] == ["Jane Roe"]
    assert bylines("<span>By Mat\u00adthi\u00adas Roe</span>")[0] == ["Matthias Roe"]
    # Thirteen words are no byline line, whatever they hold.
    assert bylines("<span>By Jane Roe" + " and more" * 5 + "</span>") == ([], None)
