"""The publisher's stated articleBody decides where the article ends and stands in for an article
trafilatura missed (pipeline/clean/stated_body.py); trafilatura's recall pass gives back prose
lost inside the text (pipeline/clean/recall_gaps.py)."""

from __future__ import annotations

import json

from pipeline.clean.html import extract_html
from pipeline.clean.recall_gaps import fill_gaps
from pipeline.clean.stated_body import reconcile, stated_body

PARAS = [
    "Die Stadtwerke erhöhen zum ersten April die Preise für Fernwärme um durchschnittlich elf Prozent.",
    "Betroffen sind rund zwölftausend Haushalte im Norden der Stadt, teilte der Versorger am Dienstag mit.",
    "Als Grund nennt das Unternehmen die gestiegenen Kosten für Erdgas, das in den Heizwerken verfeuert wird.",
    "Im vergangenen Herbst hatte der Versorger die Preise bereits einmal angehoben, damals um sechs Prozent.",
    "Kunden mit einem Sondervertrag sind von der Erhöhung zunächst ausgenommen, ihre Preise gelten bis Jahresende.",
    "Die Verbraucherzentrale rät Betroffenen, die monatlichen Abschläge zu überprüfen und Zählerstände zu notieren.",
    "Der Stadtrat will sich in seiner nächsten Sitzung mit den Preisen der städtischen Tochter befassen.",
    "Der Mieterverein kündigte an, die neuen Tarife von einem Gutachter prüfen zu lassen.",
]
APPEAL = ("Unabhängiger Lokaljournalismus kostet Geld. Unterstützen Sie unsere Arbeit mit einem "
          "freiwilligen Beitrag, schon ab drei Euro im Monat.")
TOPICS = "Mehr zum Thema: Energie, Stadtwerke, Wohnen"


def page(stated: str | None, after: str = "") -> str:
    item = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": "Fernwärme wird teurer",
            "datePublished": "2024-03-05T10:00:00+01:00"}
    if stated is not None:
        item["articleBody"] = stated
    body = "".join(f"<p>{p}</p>" for p in PARAS)
    return (f'<html><head><title>Fernwärme wird teurer</title><script type="application/ld+json">'
            f"{json.dumps(item, ensure_ascii=False)}</script></head><body><main><article>"
            f"<h1>Fernwärme wird teurer</h1>{body}{after}</article></main></body></html>")


def test_lines_after_the_stated_body_s_end_are_removed_with_their_rule():
    html = page("\n".join(PARAS), after=f"<p>{APPEAL}</p><p>{TOPICS}</p>")
    head = extract_html(html, "https://example.org/fernwaerme")
    assert head is not None
    texts = [t for _, t in head.paragraphs]
    assert texts[-1] == PARAS[-1] and all(p in texts for p in PARAS)
    assert {(r.rule, r.text) for r in head.removals} >= {("stated_body:after_end", APPEAL),
                                                          ("stated_body:after_end", TOPICS)}


def test_a_teaser_statement_or_none_cuts_nothing():
    tail = [APPEAL, TOPICS]
    # the stated body stops after the first paragraph (a teaser): what follows outweighs it
    teaser = reconcile([*PARAS, *tail], PARAS[0] + " " + PARAS[1] + " " + PARAS[2][:60])
    assert [t for _, t in teaser[0]] == [*PARAS, *tail] and teaser[1] == []
    assert reconcile([*PARAS, *tail], None) == (list(enumerate([*PARAS, *tail])), [])
    # the end is not found in the lines: nothing is cut
    other = reconcile([*PARAS, *tail], "\n".join(PARAS) + " Ein letzter Satz, der nirgends steht, bleibt.")
    assert other[1] == []


def test_lines_the_stated_body_holds_stay_after_its_end():
    lines = [*PARAS[:3], APPEAL, *PARAS[3:]]
    kept, removed = reconcile([*PARAS, PARAS[1]], "\n".join(PARAS))
    assert removed == [] and len(kept) == len(PARAS) + 1
    kept, removed = reconcile(lines, "\n".join(PARAS))
    assert removed == []  # the appeal stands before the end: not after it


def test_a_missed_article_is_the_stated_body():
    lines = ["Startseite", PARAS[0], "Impressum"]
    kept, removed = reconcile(lines, "\n\n".join(PARAS))
    assert [t for _, t in kept] == PARAS
    assert [(i, rule) for i, rule, _ in removed] == [(0, "stated_body:outside_stated"), (2, "stated_body:outside_stated")]
    assert all(i >= len(lines) for i, _ in kept)  # numbered after trafilatura's lines


def test_the_stated_body_is_read_from_html_and_from_the_article_item():
    items = [{"@type": "WebPage", "articleBody": "not an article " * 20},
             {"@type": "NewsArticle", "articleBody": "<p>" + "</p><p>".join(PARAS) + "</p>"}]
    text = stated_body(items, None)
    assert text is not None and [line for line in text.split("\n") if line] == PARAS
    assert stated_body([{"@type": "NewsArticle", "articleBody": "Kurz und knapp."}], None) is None


def test_prose_lost_inside_the_text_comes_back_from_the_recall_pass():
    lost = "Die Verbraucherzentrale rät, die Abschläge zu prüfen, bevor die erste Rechnung mit dem neuen Tarif kommt."
    default = [PARAS[0], PARAS[1], PARAS[2]]
    recall = ["Menü", PARAS[0], "Teilen", PARAS[1], lost, "Videos zum Thema", PARAS[2], "Ähnliche Artikel",
              "Unabhängiger Lokaljournalismus kostet Geld, unterstützen Sie uns mit einem Beitrag im Monat."]
    # the prose between two default lines comes back; the labels inside and everything outside do not
    assert fill_gaps(default, recall) == [PARAS[0], PARAS[1], lost, PARAS[2]]
    assert fill_gaps(default, []) == default


def test_a_body_stated_in_markdown_is_read_as_plain_text():
    markdown = ("**Fernwärme wird teurer.**\n\nDie [Stadtwerke](https://example.org/sw){: target=\"_blank\"} "
                "erhöhen die Preise.&nbsp;\n\n## Was Kunden tun können\n> Abschläge prüfen")
    text = stated_body([{"@type": "NewsArticle", "articleBody": markdown + " Mehr dazu folgt." * 10}], None)
    assert text is not None
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    assert lines[:4] == ["Fernwärme wird teurer.", "Die Stadtwerke erhöhen die Preise.", "Was Kunden tun können",
                         "Abschläge prüfen" + " Mehr dazu folgt." * 10]
