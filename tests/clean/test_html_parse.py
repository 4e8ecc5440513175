"""extract_html parses a page once: trafilatura's two passes and the page's own statements read
one tree, so what one reader can parse the others read too."""

from __future__ import annotations

import json

from lxml import etree
from trafilatura import load_html

from pipeline.clean.html import extract_html
from pipeline.clean.structured import read_page_meta

ARTICLE = (
    "<p>Die Stadtwerke haben am Montag angekündigt, die Preise für Fernwärme im kommenden Jahr "
    "um acht Prozent zu erhöhen, nachdem die Kosten für Erdgas stark gestiegen sind.</p>"
    "<p>Der Stadtrat will in seiner nächsten Sitzung über einen Härtefallfonds für Haushalte mit "
    "geringem Einkommen beraten, sagte die Bürgermeisterin am Dienstag vor Journalisten.</p>"
    "<p>Verbraucherschützer kritisierten die Ankündigung und forderten eine genaue Aufstellung "
    "der Kosten, bevor die neuen Preise im Januar in Kraft treten.</p>")


def xhtml_page(declaration: str) -> str:
    item = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": "Fernwärme wird teurer",
            "author": {"@type": "Person", "name": "Petra Albers"}, "datePublished": "2022-11-07T09:15:00+01:00"}
    return (f"{declaration}<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Strict//EN\" "
            "\"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd\">\n"
            "<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"de\"><head><title>Fernwärme wird teurer</title>"
            f"<script type=\"application/ld+json\">{json.dumps(item)}</script></head>"
            f"<body><article><h1>Fernwärme wird teurer</h1>{ARTICLE}</article></body></html>")


def test_a_page_with_an_xml_encoding_declaration_keeps_its_structured_data():
    # lxml refuses a text with an encoding declaration; such (XHTML) pages lost their JSON-LD,
    # OpenGraph and <h1>, and with them the byline and the time of day.
    with_decl = extract_html(xhtml_page('<?xml version="1.0" encoding="utf-8"?>\n'), "https://stadt.example/a")
    without = extract_html(xhtml_page(""), "https://stadt.example/a")
    assert with_decl is not None and without is not None
    assert with_decl.byline == without.byline == "Petra Albers"
    assert with_decl.published_offset == without.published_offset == 60
    assert [t for _, t in with_decl.paragraphs] == [t for _, t in without.paragraphs]


def test_the_page_statements_read_from_the_shared_tree_leave_it_unchanged():
    tree = load_html(xhtml_page(""))
    before = etree.tostring(tree)
    from_tree = read_page_meta(tree, "https://stadt.example/a")
    assert etree.tostring(tree) == before
    from_text = read_page_meta(xhtml_page(""), "https://stadt.example/a")
    assert (from_tree.authors, from_tree.headline, from_tree.published) == \
        (from_text.authors, from_text.headline, from_text.published) == \
        (["Petra Albers"], "Fernwärme wird teurer", from_text.published)
    assert from_tree.published is not None


def site_page(author: dict | None, meta_author: str | None = None, byline: str = "") -> str:
    item = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": "Fernwärme wird teurer",
            "publisher": {"@type": "Organization", "name": "Stadtanzeiger"}}
    if author:
        item["author"] = author
    tag = f'<meta name="author" content="{meta_author}">' if meta_author else ""
    return (f"<html><head><title>Fernwärme wird teurer | Stadtanzeiger</title>{tag}"
            f"<meta property=\"og:site_name\" content=\"Stadtanzeiger\">"
            f"<script type=\"application/ld+json\">{json.dumps(item)}</script></head>"
            f"<body><article><h1>Fernwärme wird teurer</h1>{byline}{ARTICLE}</article></body></html>")


def test_the_site_the_page_states_as_its_author_is_the_byline_only_when_nobody_else_is_named():
    # The page's own word (JSON-LD author or <meta name=author>) that the site wrote the text:
    # the byline names it when no person, user name or other organisation is found.
    url = "https://stadtanzeiger.example/a"
    organisation = extract_html(site_page({"@type": "Organization", "name": "Stadtanzeiger"}), url)
    tagged = extract_html(site_page(None, meta_author="Stadtanzeiger"), url)
    assert organisation is not None and tagged is not None
    assert organisation.byline == tagged.byline == "Stadtanzeiger"
    # A person anywhere comes first, and a page that states no author gets none from its site name.
    person = extract_html(site_page({"@type": "Organization", "name": "Stadtanzeiger"},
                                    byline="<p>Von Petra Albers</p>"), url)
    silent = extract_html(site_page(None), url)
    assert person is not None and person.byline == "Petra Albers"
    assert silent is not None and silent.byline is None
    assert read_page_meta(site_page(None, meta_author="Stadtanzeiger"), url).authors == []
