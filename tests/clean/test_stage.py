"""clean_documents on HTML pages, feed-like documents, bad documents and the recurring-line signal."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest

from pipeline.clean import RecurringLines, clean_documents
from pipeline.clean.recurring import line_hash
from pipeline.ingest.files import read_document
from pipeline.records import Document
from pipeline.text import normalise_for_hash as norm

CASES = Path(__file__).with_name("cases")
FETCHED = datetime(2022, 3, 1, 12, 0)
PROSE = [
    "The regional parliament approved the budget on Thursday after a debate that lasted into the night.",
    "Opposition parties voted against the plan, arguing that it cut funding for rural schools too deeply.",
    "The finance minister said the savings were needed to keep the deficit within the limits set last year.",
]
FOOTER = "Example Times is an independent daily newspaper founded in 1901."


def doc(doc_id: str, text: str | None, **kw) -> Document:
    return Document(doc_id=doc_id, source_kind=kw.pop("source_kind", "file"), source_uri=f"/in/{doc_id}.txt",
                    fetched_at=FETCHED, raw_sha256=f"sha-{doc_id}", raw_text=text, **kw)


def article_text(title: str, *extra: str, body: list[str] = PROSE) -> str:
    return "\n\n".join([title, *body, *extra])


def test_html_page_extracted_with_metadata_and_cleaned(settings):
    page = read_document(CASES / "article_en.html", settings)
    out = clean_documents([page], settings, "t")
    (a,) = out.articles
    assert (a.title, a.publisher, a.byline) == ("Port strike enters second week as talks stall",
                                                "Harbour Herald", "Maria Lindqvist")
    # article:published_time 08:30+01:00: kept as UTC with the page's own offset beside it.
    assert a.published_at == datetime(2022, 2, 14, 7, 30) and a.published_at.tzinfo is None
    assert a.published_offset_minutes == 60
    assert a.language == "en"
    assert "What happens next?" in a.body and '"We are not giving up," the chief mediator' in a.body
    for furniture in ("Read more:", "newsletter", "Follow us", "Most read", "All rights reserved", "Imprint"):
        assert furniture not in a.body
    assert {s.rule.split(":")[0] for s in out.boilerplate} == {"related_teaser", "newsletter_promo", "social_follow"}


def test_non_english_page_keeps_its_language_and_is_cleaned(settings):
    page = read_document(CASES / "article_de.html", settings)
    (a,) = clean_documents([page], settings, "t").articles
    assert a.language == "de" and a.publisher == "Kreisbote Nord"
    assert "Radwege in der Innenstadt" in a.body
    for furniture in ("Lesen Sie auch", "Foto: Anna Beispiel", "Folgen Sie uns", "Impressum"):
        assert furniture not in a.body


def test_unusable_documents_are_quarantined_and_the_batch_goes_on(settings):
    docs = [
        doc("empty", "   \n"),
        doc("none", None),
        doc("nav", "<html><body><script>var page = 1;</script><img src='a.png'></body></html>",
            content_type="text/html"),
        doc("furniture", "Some title\n\nLeave a Reply\n\nComments are closed."),
        doc("good", article_text("A real article")),
        doc("skipped", None, status="quarantined"),
    ]
    out = clean_documents(docs, settings, "run-1")
    assert [a.article_id for a in out.articles] == ["good"]
    reasons = {q.item_id: q.reason_code for q in out.quarantine}
    assert reasons == {"empty": "empty_body", "none": "empty_body", "nav": "no_extractable_text",
                       "furniture": "empty_body"}
    furniture = next(q for q in out.quarantine if q.item_id == "furniture")
    assert furniture.stage == "clean" and furniture.run_id == "run-1"
    assert json.loads(furniture.payload)["removed_rules"] == ["comment_prompt:comments_closed",
                                                              "comment_prompt:leave_a_reply"]
    assert {s.article_id for s in out.boilerplate} <= {"good"}  # no audit rows for articles that do not exist


def test_feed_hints_fill_missing_metadata(settings):
    feed_doc = doc("feed", "\n\n".join(PROSE), source_kind="feed_entry", hint_title="Budget passes",
                   hint_published_at=datetime(2022, 2, 28, 7, 0), hint_author="Ana Costa",
                   url="https://www.example-times.test/politics/budget")
    (a,) = clean_documents([feed_doc], settings, "t").articles
    assert (a.title, a.byline, a.published_at) == ("Budget passes", "Ana Costa", datetime(2022, 2, 28, 7, 0))
    assert a.publisher == "example-times.test" and a.url == feed_doc.url
    assert a.body.startswith(PROSE[0])  # the first line is content when a feed gave the title
    assert a.date_anchor == a.published_at and a.date_anchor_source == "published"


def _three_articles() -> list[Document]:
    return [doc(f"a{i}", article_text(f"Story number {i} | Example Times", FOOTER,
                                      body=[p.replace("the", f"the {i}") for p in PROSE])) for i in range(3)]


def test_line_recurring_across_a_publishers_batch_is_removed(settings):
    out = clean_documents(_three_articles(), settings.replace(recurring_line_min_articles=3), "t")
    assert len(out.articles) == 3
    for a in out.articles:
        assert FOOTER not in a.body
    assert [s.rule for s in out.boilerplate] == ["recurring:publisher_line"] * 3
    hashes = {(p.publisher, p.line_hash) for p in out.publisher_lines}
    assert ("example times", line_hash(FOOTER)) in hashes
    assert {p.article_id for p in out.publisher_lines} == {"a0", "a1", "a2"}


def test_below_the_threshold_the_line_stays(settings):
    out = clean_documents(_three_articles(), settings.replace(recurring_line_min_articles=4), "t")
    assert all(FOOTER in a.body for a in out.articles) and not out.boilerplate


def test_history_counts_towards_the_threshold(settings):
    one = _three_articles()[:1]
    history = RecurringLines([("Example Times", line_hash(FOOTER), 2)])
    (a,) = clean_documents(one, settings.replace(recurring_line_min_articles=3), "t", history).articles
    assert FOOTER not in a.body
    (b,) = clean_documents(one, settings.replace(recurring_line_min_articles=3), "t", RecurringLines([])).articles
    assert FOOTER in b.body


STORY = [f"Paragraph {i} of the budget story: the regional parliament debated line {i} of the plan "
         f"for hours before the vote." for i in range(6)]
UPDATE = [f"Update {i}: the minister answered the opposition's questions on point {i} of the budget "
          f"after the vote." for i in range(4)]


def test_versions_of_one_story_do_not_make_its_paragraphs_recurring(settings):
    # A publisher posts a story, a cut-short copy and an update sharing its first two
    # paragraphs: three documents, three byte hashes, one headline. Counted per document, those
    # two paragraphs are in three "articles" and a third of the story would go as furniture.
    title = "Budget passes after a night of debate | Example Times"
    versions = [doc("full", article_text(title, body=STORY)),
                doc("cut", article_text(title, body=STORY[:4])),
                doc("update", article_text(title, body=STORY[:2] + UPDATE))]
    out = clean_documents(versions, settings.replace(recurring_line_min_articles=3), "t")
    assert len(out.articles) == 3 and not out.boilerplate
    for a in out.articles:
        assert STORY[0] in a.body and STORY[1] in a.body
    assert len({p.story_key for p in out.publisher_lines}) == 1


def test_a_line_shared_by_distinct_stories_is_still_recurring(settings):
    # The same paragraph under three different headlines is the publisher's, not a story's.
    own = [[f"Story {i}, paragraph {j}: a different report on a different day, with its own "
            f"people and places in it." for j in range(3)] for i in range(3)]
    versions = [doc(f"s{i}", article_text(f"Story {i} | Example Times", body=STORY[:1] + own[i]))
                for i in range(3)]
    out = clean_documents(versions, settings.replace(recurring_line_min_articles=3), "t")
    assert all(STORY[0] not in a.body for a in out.articles)
    assert {s.rule for s in out.boilerplate} == {"recurring:publisher_line"}


def test_exact_copies_count_once(settings):
    copies = [replace(d, doc_id=f"copy{i}", raw_sha256="same") for i, d in enumerate(_three_articles()[:1] * 3)]
    out = clean_documents(copies, settings.replace(recurring_line_min_articles=2), "t")
    assert all(FOOTER in a.body for a in out.articles)


@pytest.mark.parametrize("text", ["Title\n\n4 January 2022, 09:35 AM\n\n" + "\n\n".join(PROSE)])
def test_dateline_read_and_removed(settings, text):
    out = clean_documents([doc("d", text)], settings, "t")
    (a,) = out.articles
    assert a.published_at == datetime(2022, 1, 4, 9, 35)
    assert "09:35" not in a.body
    assert [(s.position, s.rule) for s in out.boilerplate] == [(0, "page_metadata:dateline")]
    assert norm(a.body) == norm("\n\n".join(PROSE))


def test_labelled_dateline_and_byline_at_the_head(settings):
    text = "Budget passes\n\nPublished on 28 February 2022\n\nBy Ana Costa\n\n" + "\n\n".join(PROSE)
    out = clean_documents([doc("h", text)], settings, "t")
    (a,) = out.articles
    assert (a.published_at, a.byline) == (datetime(2022, 2, 28), "Ana Costa")
    assert [s.rule for s in out.boilerplate] == ["page_metadata:dateline", "page_metadata:byline"]
    assert norm(a.body) == norm("\n\n".join(PROSE))


def test_a_long_first_line_is_content_not_a_title(settings):
    text = " ".join(PROSE * 2) + "\n\n" + PROSE[0]
    (a,) = clean_documents([doc("long", text)], settings, "t").articles
    assert a.title is None and a.body.startswith(PROSE[0])


def test_language_of_a_long_body_is_read_from_its_start_middle_and_end():
    from pipeline.clean.stage import _language, language_sample

    intro = ("The talks in Geneva ended without agreement on Monday, officials from both delegations "
             "told reporters after eight hours of negotiations. ") * 4
    german = ("Die Gespräche in Genf endeten am Montag ohne Einigung, sagten Vertreter beider Delegationen "
              "nach acht Stunden Verhandlungen vor Journalisten. ") * 40
    body = intro + german
    sample = language_sample(body)
    assert len(sample) < len(body) and sample.startswith(intro[:100]) and sample.endswith(german[-100:])
    assert _language(body) == "de" and _language(intro) == "en"


def _page(doc_id: str, host: str, title: str) -> Document:
    paragraphs = "".join(f"<p>{p.replace('the', f'the {doc_id}')}</p>" for p in PROSE)
    html = f"<html><head><title>{title}</title></head><body><article>{paragraphs}</article></body></html>"
    return doc(doc_id, html, content_type="text/html", url=f"https://{host}/news/{doc_id}.html")


def test_a_publishers_repeated_title_suffix_is_learned_across_its_pages_in_the_batch(settings):
    # The suffix is not the host's name: only its repetition over the publisher's titles tells.
    heads = ["Budget approved after a long night", "Rural schools lose funding", "Deficit stays within limits"]
    pages = [_page(f"p{i}", "hdmb.example", f"{h} | Harbour Daily Morning Bulletin") for i, h in enumerate(heads)]
    # Two pages of another publisher: too few to learn from, their titles stay whole.
    pages += [_page(f"q{i}", "other.example", f"{h} - Evening Post") for i, h in enumerate(heads[:2])]
    titles = {a.article_id: a.title for a in clean_documents(pages, settings, "t").articles}
    assert titles == {"p0": heads[0], "p1": heads[1], "p2": heads[2],
                      "q0": f"{heads[0]} - Evening Post", "q1": f"{heads[1]} - Evening Post"}
