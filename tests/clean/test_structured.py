"""The page's own statements (JSON-LD, microdata, OpenGraph, <h1>) read by pipeline.clean.structured."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

from pipeline.clean.published import offset_minutes, parse_timestamp
from pipeline.clean.structured import (
    PageMeta,
    choose_title,
    clean_authors,
    read_page_meta,
    strip_site,
)


def page(head: str = "", body: str = "<p>Text.</p>") -> str:
    return f"<html><head>{head}</head><body>{body}</body></html>"


def jsonld(item: dict) -> str:
    return f'<script type="application/ld+json">{json.dumps(item)}</script>'


def test_jsonld_newsarticle_gives_headline_people_and_zoned_time():
    html = page(jsonld({"@context": "https://schema.org", "@graph": [
        {"@type": "WebSite", "name": "Börsen-Zeitung"},
        {"@type": "NewsArticle", "headline": "Zinsen steigen erneut",
         "author": [{"@type": "Person", "name": "Anna Muster"}, {"@type": "Organization", "name": "dpa"},
                    {"@type": "Person", "name": "Jan de Vries"}],
         "datePublished": "2023-06-13T18:45:00+02:00",
         "publisher": {"@type": "Organization", "name": "Börsen-Zeitung"}}]}),
        '<h1>Zinsen steigen erneut</h1>')
    meta = read_page_meta(html, "https://www.boersen-zeitung.de/a/b")
    assert meta.headline == "Zinsen steigen erneut"
    assert meta.authors == ["Anna Muster", "Jan de Vries"]  # the Organization is not an author
    assert meta.published == datetime(2023, 6, 13, 18, 45, tzinfo=timezone(timedelta(hours=2)))
    assert meta.published_has_time and offset_minutes(meta.published) == 120
    assert choose_title(meta, None) == ("Zinsen steigen erneut", "h1")


def test_opengraph_and_meta_tags_when_there_is_no_jsonld():
    html = page('<meta property="og:site_name" content="Harbour Herald">'
                '<meta property="og:title" content="Port strike enters second week | Harbour Herald">'
                '<meta name="author" content="Maria Lindqvist">'
                '<meta property="article:published_time" content="2022-02-14T08:30:00+0100">'
                "<title>Port strike enters second week | Harbour Herald</title>")
    meta = read_page_meta(html, "https://harbourherald.example/x")
    assert choose_title(meta, None)[0] == "Port strike enters second week"
    assert meta.authors == ["Maria Lindqvist"]
    assert offset_minutes(meta.published) == 60 and meta.published.hour == 8


def test_site_suffix_and_trailing_date_are_cut_from_titles():
    sites = ["DW", "dw.com"]
    assert strip_site("Wie geht es weiter? – DW – 13.06.2023", sites) == "Wie geht es weiter?"
    assert strip_site("Harbour Herald | Port strike enters second week", ["Harbour Herald"]) == \
        "Port strike enters second week"
    # A separator inside the headline itself stays when no segment is the site.
    assert strip_site("Kiel – Hamburg: the new line opens", sites) == "Kiel – Hamburg: the new line opens"


def test_the_pages_own_h1_wins_over_a_shorter_search_title():
    meta = PageMeta(titles=["Ultium Cells erhöht Gigafactory-Kapazität - Battery-News.de"],
                    headings=["Battery-News", "Ultium Cells erhöht Gigafactory-Kapazität in Tennessee"],
                    site_names=["battery-news.de"])
    assert choose_title(meta, None) == ("Ultium Cells erhöht Gigafactory-Kapazität in Tennessee", "h1")


def test_a_section_heading_is_not_the_headline():
    meta = PageMeta(titles=["Zoll online - Fachmeldungen - Verkündung des Tabaksteuermodernisierungsgesetzes"],
                    headings=["Zoll", "Fachmeldungen"], site_names=["Zoll online", "zoll.de"])
    title, source = choose_title(meta, "Fachmeldungen")
    assert source != "h1" and title.endswith("Verkündung des Tabaksteuermodernisierungsgesetzes")


def test_a_kicker_element_over_the_h1s_headline_is_not_part_of_it():
    kicked = page("<title>Klimaschutz: Bohren, bis es heiß wird | ZEIT ONLINE</title>",
                  '<h1><span class="k">Klimaschutz</span><span class="sr">: </span>'
                  "<span>Bohren, bis es heiß wird</span></h1>")
    assert choose_title(read_page_meta(kicked, "https://www.zeit.de/x"), None) == ("Bohren, bis es heiß wird", "h1")
    dated = page("", '<h1> <span class="supertitle"><time>1. Februar 2022</time></span> '
                     "Mit Ländern und Unternehmen Rahmenbedingungen gestalten </h1>")
    assert read_page_meta(dated).headings == ["Mit Ländern und Unternehmen Rahmenbedingungen gestalten"]
    # Emphasis is the headline's own wording; a lone element is the whole headline.
    emphasis = page("", "<h1><b>Editor's Letter:</b><i> bye OC Baby, hi Bernsi Baby!</i></h1>")
    assert read_page_meta(emphasis).headings == ["Editor's Letter: bye OC Baby, hi Bernsi Baby!"]
    assert read_page_meta(page("", "<h1><span>Port strike</span> ends</h1>")).headings == ["Port strike ends"]


def test_a_site_name_with_separators_and_the_slogan_after_it_are_cut():
    assert strip_site("La retraite est un archaïsme | AOC media - Analyse Opinion Critique",
                      ["AOC media - Analyse Opinion Critique"]) == "La retraite est un archaïsme"
    assert strip_site("Bielersee-Winterhechte | petri-heil.ch | Dein Schweizer Fischereimagazin",
                      ["petri-heil.ch"]) == "Bielersee-Winterhechte"
    # A date inside the title is the headline's, not a cut.
    assert strip_site("Kultur | 30.11. | Buch der Woche - Galore", ["Galore"]) == "Kultur | 30.11. | Buch der Woche"



def test_a_path_of_sections_beside_the_site_is_cut_and_a_subdomain_host_names_the_site_by_its_registered_label():
    assert strip_site("No App Store over mobile data with iOS 13? | iPhone | Forum | MacTechNews.de",
                      ["mactechnews.de"]) == "No App Store over mobile data with iOS 13?"
    assert strip_site("Harbour Herald » Blog Archive » Port strike ends", ["harbourherald.com"]) == "Port strike ends"
    # Mixed separators: the parts may be the headline's own ('Title - its subtitle | Site').
    assert strip_site("Port strike ends - what now? | Harbour Herald", ["Harbour Herald"]) == \
        "Port strike ends - what now?"
    # A range of dates is no path: '14. - 20. January' keeps its second half.
    assert strip_site("Weekly report 14. - 20. January 2022 - SLF", ["slf.ch"]) == \
        "Weekly report 14. - 20. January 2022"
    assert strip_site("The strangest music video : Krimiblog-Archiv | Since 2005", ["archiv.krimiblog.de"]) == \
        "The strangest music video"
    assert strip_site("Port strike ends | Herald Online", ["news.herald.co.uk"]) == "Port strike ends"


def test_an_h1_led_by_a_part_the_titles_cut_is_the_sites_heading_not_the_headline():
    org = PageMeta(titles=["Children and work » ProNATs e.V."],
                   headings=["ProNATs e.V. Association supporting working children"], site_names=["pronats.de"])
    assert choose_title(org, None) == ("Children and work", "og/title")
    section = PageMeta(titles=["peaks.ch - Outdoor news - High resolution snow maps"],
                       headings=["Outdoor news | Entry"], site_names=["peaks.ch"])
    assert choose_title(section, None) == ("High resolution snow maps", "og/title")
    # The site's name inside the headline does not make it the site's.
    brand = PageMeta(titles=["Strawberry yoghurt - MinusL"], headings=["Our MinusL yoghurts"], site_names=["MinusL"])
    assert choose_title(brand, None) == ("Our MinusL yoghurts", "h1 own")

def test_the_pages_one_h1_wins_over_a_different_search_title_unless_the_article_states_its_headline():
    seo = PageMeta(titles=["Wärmepumpe im Altbau - Wann es sich lohnt | heizung.de"],
                   headings=["Eignet sich eine Wärmepumpe im Altbau?"], site_names=["heizung.de"])
    assert choose_title(seo, None) == ("Eignet sich eine Wärmepumpe im Altbau?", "h1 own")
    stated = PageMeta(headline="Das vielleicht schönste Ende der Welt: Montauk", titles=[],
                      headings=["Wann, wenn nicht jetzt..."], site_names=["befifty.de"])
    assert choose_title(stated, None)[0] == "Das vielleicht schönste Ende der Welt: Montauk"
    several = PageMeta(titles=["Perturbazione polare al Centro e al Sud - La Stampa"],
                       headings=["Menu di navigazione", "Cronaca", "Leggi anche:"], site_names=["La Stampa"])
    assert choose_title(several, None)[0] == "Perturbazione polare al Centro e al Sud"
    section = PageMeta(titles=["GALORE.de | Kultur | Literatur | Buch der Woche"],
                       headings=["Kultur | Literatur"], site_names=["galore.de"])
    assert choose_title(section, None)[1] != "h1 own"


def test_an_h1_after_another_h1_in_the_title_is_the_sites_own_heading():
    site_h1 = PageMeta(titles=["Kleine Schafskunde | Mäscot das Schaf – Webcomic"],
                       headings=["Mäscot das Schaf – Webcomic", "Kleine Schafskunde"], site_names=["maescot.de"])
    assert choose_title(site_h1, None)[0] == "Kleine Schafskunde"
    # After a section word it is the headline; stated alone by a title it is the headline.
    section = PageMeta(titles=["News - Elder: Aus dem Ghetto nach Augusta"],
                       headings=["Elder: Aus dem Ghetto nach Augusta"], site_names=["golf.de"])
    assert choose_title(section, None) == ("Elder: Aus dem Ghetto nach Augusta", "h1")
    alone = PageMeta(titles=["Meta-Programming In Emacs Using Defadvice",
                             "EMACSPEAK The Complete Audio Desktop: Meta-Programming In Emacs Using Defadvice"],
                     headings=["EMACSPEAK The Complete Audio Desktop", "Meta-Programming In Emacs Using defadvice"],
                     site_names=["emacspeak.blogspot.com"])
    assert choose_title(alone, None)[0] == "Meta-Programming In Emacs Using defadvice"


def test_an_organisation_trailing_a_title_is_the_publisher():
    assert strip_site("Norddeutschland findet seine Meister - Berliner Leichtathletik Verband e.V.",
                      ["leichtathletik-berlin.de"]) == "Norddeutschland findet seine Meister"


def test_authors_are_people_once_each():
    sites = ["Harbour Herald", "harbourherald.example"]
    assert clean_authors(["Emma Mackenzie", "emma-mackenzie"], sites) == ["Emma Mackenzie"]
    assert clean_authors(["Harbour Herald"], sites) == []
    assert clean_authors(["https://harbourherald.example/authors/emma"], sites) == []
    assert clean_authors(["By Anna Muster and Jan Berg"], sites) == ["Anna Muster", "Jan Berg"]
    assert clean_authors(["Por Alberto Ávila"], sites) == ["Alberto Ávila"]
    assert clean_authors(["Isabel Caro, Rocío Latorre"], sites) == ["Isabel Caro", "Rocío Latorre"]
    assert clean_authors(["Smith, John"], sites) == ["Smith, John"]  # one person, surname first
    assert clean_authors(["Harbour Herald; Maria Lindqvist"], sites) == ["Maria Lindqvist"]


def test_a_user_name_made_from_the_sites_name_is_an_author_not_the_site():
    # '<h4 class="vcard author">vom <span class="fn">Krimiblogger</span></h4>' on archiv.krimiblog.de:
    # the label inside a longer word is the blogger's handle; the label as a word of its own is the site.
    sites = ["Krimiblog", "archiv.krimiblog.de"]
    assert clean_authors(["Krimiblogger"], sites) == ["Krimiblogger"]
    assert clean_authors(["Krimiblog"], sites) == clean_authors(["Krimiblog De"], sites) == []
    assert clean_authors(["Krimiblog Online"], ["archiv.krimiblog.de"]) == []


def test_a_place_after_the_reporters_outlet_is_no_author_and_escaped_names_stay_whole():
    sites = ["BBC News", "bbc.com"]
    # 'By Nada Tawfik, BBC News, New York': name, outlet, dateline place.
    assert clean_authors(["Nada Tawfik; BBC News; New York"], sites) == ["Nada Tawfik"]
    # Two reporters before the outlet are both authors; an outlet first ends nothing.
    assert clean_authors(["Nada Tawfik; Jon Kay; BBC News; London"], sites) == ["Nada Tawfik", "Jon Kay"]
    assert clean_authors(["BBC News; Nada Tawfik"], sites) == ["Nada Tawfik"]
    # An HTML entity is a character, not the '&' and ';' that separate names.
    assert clean_authors(["Lindsey O&#8217;Donnell"], sites) == ["Lindsey O\u2019Donnell"]


def test_timestamps_keep_their_zone_and_reject_nonsense():
    when, has_time = parse_timestamp("2019-10-19T10:09:10.128Z")
    assert has_time and offset_minutes(when) == 0 and when.minute == 9
    day, has_time = parse_timestamp("2021-06-16")
    assert not has_time and day == datetime(2021, 6, 16) and offset_minutes(day) is None
    assert parse_timestamp("yesterday") is None
    assert parse_timestamp("0001-01-01T00:00:00Z") is None


def test_broken_structured_data_loses_nothing_else():
    html = page('<script type="application/ld+json">{"@type": "NewsArticle", "headline": </script>'
                '<meta property="og:title" content="Still here">')
    meta = read_page_meta(html, None)
    assert choose_title(meta, None)[0] == "Still here"
    assert read_page_meta("", None) == PageMeta()


def test_deep_graphs_are_walked_within_a_bound():
    items = [{"@type": "Thing", "name": str(i)} for i in range(5000)]
    items.append({"@type": "NewsArticle", "headline": "Too deep to reach"})
    meta = read_page_meta(page(jsonld({"@graph": items})), None)
    assert meta.headline is None  # past MAX_ITEMS: not read, and the page still parses


def test_furniture_blocks_are_known_by_what_they_are_in_any_language():
    from lxml import html as lxml_html

    from pipeline.clean.blocks import furniture_texts

    tree = lxml_html.fromstring(
        "<html><body><article><p>Der Hafen bleibt die zweite Woche geschlossen, sagte die Gewerkschaft.</p>"
        "<figure><img src=x><figcaption>Streikende vor dem Tor am Montag (Foto: Archiv)</figcaption></figure>"
        "<blockquote>Wir geben nicht auf, sagte die Sprecherin.</blockquote>"
        "<aside><p>Wir geben nicht auf, sagte die Sprecherin.</p><p>Lesen Sie auch: Der lange Streik</p></aside>"
        "<div role=button><span>Bild anzeigen</span></div><button>Weitere Artikel laden</button>"
        "</article><div role=dialog><p>Jetzt kostenlos registrieren und weiterlesen</p></div></body></html>")
    found = furniture_texts(tree)
    assert found["streikende vor dem tor am montag (foto: archiv)"] == "structure:figcaption"
    assert found["lesen sie auch: der lange streik"] == "structure:aside"
    assert found["jetzt kostenlos registrieren und weiterlesen"] == "structure:dialog"
    assert found["bild anzeigen"] == found["weitere artikel laden"] == "structure:button"
    # The pull quote repeats a line that also stands in the article: not furniture.
    assert "wir geben nicht auf, sagte die sprecherin." not in found
    assert not any(t.startswith("der hafen") for t in found)


def test_a_furniture_line_leaves_the_body_with_its_rule_and_a_caption_row():
    from pipeline.clean.html import _drop_furniture
    from pipeline.clean.metadata import Head

    head = Head(paragraphs=[(0, "The union called the strike on Monday."),
                            (1, "Dock workers outside the gates on Monday morning"),
                            (2, "Read also: the long strike of 1998"), (3, "Talks resume on Friday.")])
    meta = PageMeta(furniture={"dock workers outside the gates on monday morning": "structure:figcaption",
                               "read also: the long strike of 1998": "structure:aside"})
    _drop_furniture(head, meta)
    assert [i for i, _ in head.paragraphs] == [0, 3]
    assert [(r.index, r.rule) for r in head.removals] == [(1, "structure:figcaption"), (2, "structure:aside")]
    assert head.captions == [(1, "Dock workers outside the gates on Monday morning")]


def test_an_author_stated_by_reference_is_the_person_the_graph_names():
    # Yoast's graph: the article names its author by @id; the Person node carries the name.
    person = "https://www.example.org/#/schema/person/a1"
    html = page(jsonld({"@context": "https://schema.org", "@graph": [
        {"@type": "Organization", "@id": "https://www.example.org/#organization", "name": "Example Zeitung"},
        {"@type": "Article", "headline": "Rathaus saniert", "author": {"@id": person},
         "publisher": {"@id": "https://www.example.org/#organization"}},
        {"@type": "Person", "@id": person, "name": "Tobias Kuske"}]}))
    assert read_page_meta(html, "https://www.example.org/a").authors == ["Tobias Kuske"]
    # A reference to nothing on the page is no author (and no "@id" text either).
    dangling = html.replace('"name": "Tobias Kuske"', '"url": "https://www.example.org/autor/tk"')
    assert read_page_meta(dangling, "https://www.example.org/a").authors == []


def test_a_person_who_is_the_site_is_its_author():
    # A one-person blog states its owner as ["Person", "Organization"]: a person, not a publisher.
    me = "https://blog.example/#/schema/person/1"
    html = page(jsonld({"@graph": [
        {"@type": ["Person", "Organization"], "@id": me, "name": "Helga Fahrner"},
        {"@type": "Article", "headline": "Warum die Straße", "author": {"@id": me}}]}))
    assert read_page_meta(html, "https://blog.example/2014/x").authors == ["Helga Fahrner"]


def test_a_stated_user_name_yields_to_a_visible_full_name():
    stated = jsonld({"@type": "Article", "headline": "H", "author": {"@type": "Person", "name": "admin"}})
    html = page(stated, '<p class="byline">Von Tobias Kuske</p><p>Text.</p>')
    meta = read_page_meta(html, "https://www.example.org/a")
    assert meta.authors == ["Tobias Kuske"] and meta.source["authors"] == "byline"
    # With nothing better on the page, the account's name is what the page says.
    assert read_page_meta(page(stated), "https://www.example.org/a").authors == ["admin"]


def test_the_visible_byline_adds_a_co_author_the_structured_data_leaves_out():
    html = page(jsonld({"@type": "NewsArticle", "headline": "H", "author": {"@type": "Person", "name": "Rudolf Fischer"}}),
                '<span class="vcard author"><span class="fn">von Rudolf Fischer, Simon Kohler</span></span><p>Text.</p>')
    meta = read_page_meta(html, "https://ebike.example/a")
    assert meta.authors == ["Rudolf Fischer", "Simon Kohler"] and meta.source["authors"] == "hcard author"
    # A different visible name does not replace the stated author.
    other = html.replace("von Rudolf Fischer, Simon Kohler", "von Simon Kohler")
    assert read_page_meta(other, "https://ebike.example/a").authors == ["Rudolf Fischer"]


def test_the_owner_a_site_is_named_after_is_its_author():
    html = page('<meta property="og:site_name" content="Matthew Davis\'s Blog">'
                '<meta name="author" content="Matthew Davis">')
    assert read_page_meta(html, "https://mdavis.xyz/supermarket/").authors == ["Matthew Davis"]
    # Without the possessive, the name is the site's and no author.
    assert read_page_meta(html.replace("'s Blog", ""), "https://mdavis.xyz/supermarket/").authors == []


def test_a_title_end_that_names_a_site_by_domain_or_by_the_hosts_name_is_cut():
    assert strip_site("Was wir über uns nicht hören wollen | FASSETTE.NET", ["INTERSCENAR.IO"]) == \
        "Was wir über uns nicht hören wollen"
    assert strip_site("Gregory Szorc's Digital Home | Mercurial's Journey to Python 3", ["gregoryszorc.com"]) == \
        "Mercurial's Journey to Python 3"
    assert strip_site("Europas Topathleten fit für München 2022 - European Championships Munich 2022",
                      ["munich2022.com"]) == "Europas Topathleten fit für München 2022"
    # A short host label is a word of headlines too: 'taz' does not make 'Die taz-Leser' the site's.
    assert strip_site("Streit um Mieten - Die taz-Leser fragen nach", ["taz.de"]) == \
        "Streit um Mieten - Die taz-Leser fragen nach"


def test_an_h1_heading_a_box_beside_the_article_is_not_the_headline():
    title = "<title>The EU’s Green Deal isn’t enough to save us - DiEM25</title>"
    body = ("<form><h1>€5</h1><h1>€10</h1></form><footer><h1>Democracy in Europe Movement 2025</h1></footer>"
            "<p>Text.</p>")
    meta = read_page_meta(page(title, body), "https://diem25.org/a")
    assert meta.headings == [] and choose_title(meta, None)[0] == "The EU’s Green Deal isn’t enough to save us"
    # A menu's heading is no headline unless a stated title agrees; a breadcrumb's last item is.
    menu = page("<title>Perturbazione polare al Centro - La Stampa</title>",
                "<nav><h1>Menu di navigazione</h1></nav><p>Text.</p>")
    assert choose_title(read_page_meta(menu, "https://lastampa.it/a"), None)[0] == "Perturbazione polare al Centro"
    crumb = page("<title>Abrechnung: Musik-Stars fordern neues Modell - FAZ</title>",
                 "<nav><ul><li>Feuilleton</li><li><h1>Abrechnung: Musik-Stars fordern neues Modell</h1></li></ul></nav>")
    assert choose_title(read_page_meta(crumb, "https://faz.net/a"), None)[0] == "Abrechnung: Musik-Stars fordern neues Modell"


def test_an_h1_made_of_the_site_names_words_is_its_logo_not_the_headline():
    html = page('<meta property="og:site_name" content="AOC media - Analyse Opinion Critique">'
                "<title>Pour le néolibéralisme, la retraite est un archaïsme | AOC media - Analyse Opinion Critique"
                "</title>", "<h1>O Opinion</h1><p>Text.</p>")
    assert choose_title(read_page_meta(html, "https://aoc.media/x"), None)[0] == \
        "Pour le néolibéralisme, la retraite est un archaïsme"


def test_the_article_item_is_the_one_the_pages_titles_carry():
    # A blog lists related posts as BlogPostings beside its own (whose microdata states no
    # headline): the listed headlines disagree with the page's titles, so they are teasers.
    own = '<div itemscope itemtype="https://schema.org/BlogPosting"><span itemprop="author">Jake Goulding</span></div>'
    teasers = "".join(f'<div itemscope itemtype="https://schema.org/BlogPosting"><h3 itemprop="headline">{h}</h3>'
                      f'<span itemprop="author">{a}</span></div>'
                      for h, a in (("How to build a compiler", "Ben Popper"), ("Your first job", "Max Pekarsky")))
    html = page("<title>What is Rust and why is it so popular? - Blog</title>",
                f"<h1>What is Rust and why is it so popular?</h1>{own}<p>Text.</p>{teasers}")
    assert read_page_meta(html, "https://blog.example/rust").authors == ["Jake Goulding"]
    # When a listed headline is the page's, that item is the article.
    carried = html.replace("How to build a compiler", "What is Rust and why is it so popular?")
    meta = read_page_meta(carried, "https://blog.example/rust")
    assert meta.headline == "What is Rust and why is it so popular?" and meta.authors == ["Ben Popper"]


def test_a_single_article_item_is_the_pages_own_whatever_its_headline():
    # One stated article with a longer headline than the <title>, and a reader's review beside it.
    html = page(jsonld({"@type": "Article", "headline": "Pour aller bien en haut, commençons par en bas",
                        "author": {"@type": "Person", "name": "Ophélie Ostermann"}})
                + jsonld({"@type": "Review", "author": {"@type": "Person", "name": "link78"}})
                + "<title>Les clés pour aller bien</title>", "<h1>Les clés pour aller bien</h1><p>Text.</p>")
    assert read_page_meta(html, "https://madame.example/x").authors == ["Ophélie Ostermann"]


def test_an_agency_or_desk_stated_as_author_is_kept_when_no_person_is_named_and_it_is_not_the_publisher():
    def stated(*authors: dict) -> str:
        return page(jsonld({"@graph": [
            {"@type": "WebSite", "name": "Gelbe Liste Online"},
            {"@type": "NewsArticle", "headline": "Chininum", "author": list(authors),
             "publisher": {"@type": "Organization", "name": "Gelbe Liste Online"}}]}))
    desk = {"@type": "Organization", "name": "Redaktion Pharmindex"}
    meta = read_page_meta(stated(desk), "https://www.gelbe-liste.example/a")
    assert meta.authors == ["Redaktion Pharmindex"] and meta.source["authors"] == "structured organisation"
    # The publisher itself stated as the author is the page's owner, not a byline.
    publisher = {"@type": "Organization", "name": "Gelbe Liste Online"}
    assert read_page_meta(stated(publisher), "https://www.gelbe-liste.example/a").authors == []
    # A person named beside the agency is the author.
    both = stated(desk, {"@type": "Person", "name": "Anna Muster"})
    assert read_page_meta(both, "https://www.gelbe-liste.example/a").authors == ["Anna Muster"]


def test_the_owners_first_name_that_starts_the_host_is_an_author_the_host_itself_is_not():
    html = page("", '<a rel="author" href="/author/heiko">Heiko</a><p>Text.</p>')
    assert read_page_meta(html, "https://heiko-adams.example/laufen").authors == ["Heiko"]
    site = html.replace(">Heiko<", ">Battery-News<")
    assert read_page_meta(site, "https://battery-news.de/a").authors == []


def test_a_style_inside_the_h1_is_no_part_of_the_headline():
    # CSS-in-JS themes print a <style> inside the heading; its rules are not the headline's words.
    html = page("<title>Medienmitteilungen</title>"
                '<meta property="og:title" content="Impfen ist bis Ende Februar noch überall möglich">',
                "<h1><style>.css-umyvef{font-size:16px;font-weight:400;color:#707070}</style>"
                "Impfen ist bis Ende Februar noch überall möglich</h1>")
    meta = read_page_meta(html, "https://www.be.example/de/start.html")
    assert meta.headings == ["Impfen ist bis Ende Februar noch überall möglich"]
    assert choose_title(meta, None) == ("Impfen ist bis Ende Februar noch überall möglich", "h1")


def test_titles_escaped_twice_are_read_as_printed():
    html = page(jsonld({"@type": "NewsArticle", "headline": "&#8222;Arschloch&#8220;: Das Paar trennt sich"})
                + '<meta property="og:title" content="Olive &amp;#038; Herb Focaccia">')
    meta = read_page_meta(html, "https://tonight.example/a")
    assert meta.headline == "„Arschloch“: Das Paar trennt sich"
    assert meta.titles == ["Olive & Herb Focaccia"]


def test_an_outlet_in_a_byline_list_ends_it_and_its_address_is_no_person():
    assert clean_authors(["Rob Picheta, CNN"], ["CNN", "edition.cnn.com"]) == ["Rob Picheta"]
    # The site or a company first, then where it is: places, not people.
    assert clean_authors(["hessenschau.de; Frankfurt; Germany"], ["hessenschau.de"]) == []
    assert clean_authors(["Olympia-Verlag GmbH, Nürnberg, Germany"], ["ALPIN", "alpin.de"]) == []
    # A person after the site is still read; a list of people and a place stays as it was.
    assert clean_authors(["unocero; Alberto Ávila"], ["unocero", "unocero.com"]) == ["Alberto Ávila"]
    assert clean_authors(["Harm, Robert"], ["ihrwebprofi.at"]) == ["Harm, Robert"]
