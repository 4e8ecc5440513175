"""The five seed articles against hand labels (cases/seed_labels.toml)."""

from __future__ import annotations

import tomllib
from datetime import datetime
from pathlib import Path

import pytest

from pipeline.clean import clean_documents
from pipeline.ingest.files import read_document
from pipeline.text import normalise_for_hash as norm
from tests.conftest import SEEDS_DIR

LABELS = tomllib.loads((Path(__file__).with_name("cases") / "seed_labels.toml").read_text("utf-8"))["seed"]


@pytest.fixture(scope="module")
def cleaned(tmp_path_factory):
    from tests.conftest import make_settings

    settings = make_settings(tmp_path_factory.mktemp("clean_seeds"))
    docs = [read_document(SEEDS_DIR / label["file"], settings) for label in LABELS]
    out = clean_documents(docs, settings, "test-seeds")
    assert not out.quarantine
    by_id = {a.article_id: a for a in out.articles}
    return {label["file"]: (doc, by_id[doc.doc_id], out) for label, doc in zip(LABELS, docs, strict=True)}


def _squash(text: str) -> str:
    """Compare ignoring whitespace: glued sentences get a space back, which is not a loss."""
    return "".join(norm(text).split())


@pytest.mark.parametrize("label", LABELS, ids=[x["file"][:3] for x in LABELS])
def test_every_boilerplate_line_gone_with_its_rule(cleaned, label):
    _, article, out = cleaned[label["file"]]
    spans = [s for s in out.boilerplate if s.article_id == article.article_id]
    body = norm(article.body)
    for item in label["boilerplate"]:
        assert norm(item["text"]) not in body, item["text"]
        rules = [s.rule for s in spans if norm(s.text) == norm(item["text"])]
        assert rules, f"no audit span for {item['text']!r}"
        assert all(r.split(":")[0] == item["rule"] for r in rules), (item["text"], rules)


@pytest.mark.parametrize("label", LABELS, ids=[x["file"][:3] for x in LABELS])
def test_every_content_line_kept(cleaned, label):
    doc, article, _ = cleaned[label["file"]]
    removed = {norm(x["text"]) for x in label["boilerplate"]} | {norm(x) for x in label.get("metadata_lines", [])}
    lines = [line.strip() for line in doc.raw_text.splitlines() if line.strip()]
    body = _squash(article.body)
    content = [line for line in lines[1:] if norm(line) not in removed]  # lines[0] is the title
    assert content
    for line in content:
        for cut in label.get("inline", []):
            line = line.removeprefix(cut["text"])
        assert _squash(line) in body, line
    for line in label["keep"]:
        assert norm(line) in norm(article.body), line
    for text in label.get("repaired", []):
        assert text in article.body


@pytest.mark.parametrize("label", LABELS, ids=[x["file"][:3] for x in LABELS])
def test_metadata(cleaned, label):
    doc, article, _ = cleaned[label["file"]]
    assert article.title == label["title"]
    assert article.publisher == label.get("publisher")
    assert article.byline == label.get("byline")
    expected = label.get("published_at")
    assert article.published_at == (datetime.fromisoformat(expected) if expected else None)
    assert article.article_id == doc.doc_id and article.first_seen_at == doc.fetched_at
    assert article.language == "en"
    assert article.word_count == len(article.body.split())


def test_captions_and_inline_spans(cleaned):
    for label in LABELS:
        _, article, out = cleaned[label["file"]]
        captions = [c.text for c in out.captions if c.article_id == article.article_id]
        assert [norm(c) for c in captions] == [norm(c) for c in label.get("captions", [])]
        for cut in label.get("inline", []):
            assert any(s.text == cut["text"] and s.rule.startswith(cut["rule"] + ":")
                       for s in out.boilerplate if s.article_id == article.article_id)


def test_caption_printed_twice_keeps_one_copy_and_records_the_other(cleaned):
    _, article, out = cleaned["004_1902ac851d4e0608.txt"]
    rules = [s.rule for s in out.boilerplate if s.article_id == article.article_id]
    assert rules.count("caption:repeated_paragraph") == 2
    assert rules.count("caption:agency_credit") == 2


def test_span_positions_follow_the_raw_article(cleaned):
    for doc, article, out in cleaned.values():
        spans = [s for s in out.boilerplate if s.article_id == article.article_id]
        assert [s.position for s in spans] == list(range(len(spans)))
        raw, cursor = norm(doc.raw_text), 0
        for span in spans:  # each span is found after the previous one: audit order = raw order
            found = raw.find(norm(span.text), cursor)
            assert found >= 0, span
            cursor = found + 1
