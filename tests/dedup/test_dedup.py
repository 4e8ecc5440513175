"""Dedup on the seed articles and on variants of them made by hand (tests/dedup/cases/)."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from pathlib import Path

import duckdb
import numpy as np
import pytest

from pipeline.dedup import DedupIndex, deduplicate, minhash
from pipeline.records import Article, DuplicateLink, Signature
from pipeline.settings import Settings
from pipeline.text import content_hash, word_count

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
CASES = Path(__file__).resolve().parent / "cases"
SETTINGS = Settings()
DAY0 = datetime(2022, 1, 4, 9, 0)


def make_article(article_id: str, text: str, published_at: datetime | None,
                 first_seen_at: datetime | None = None) -> Article:
    title, _, body = text.partition("\n")
    body = body.strip()
    return Article(article_id=article_id, doc_id=f"doc-{article_id}", source_uri=f"/in/{article_id}.txt",
                   url=None, title=title.strip(), publisher=None, byline=None, published_at=published_at,
                   language="en", body=body, word_count=word_count(body), content_hash=content_hash(body),
                   first_seen_at=first_seen_at or DAY0 + timedelta(days=30))


def seed_articles() -> list[Article]:
    return [make_article(f"seed{p.name[:3]}", p.read_text(encoding="utf-8"), DAY0 + timedelta(days=i))
            for i, p in enumerate(sorted(SEEDS.glob("*.txt")))]


def variant_articles(days_after: int = 10) -> list[Article]:
    """Each variant in cases/, published after the seed it copies; its expected original by name."""
    return [make_article(f"copy{p.stem}", p.read_text(encoding="utf-8"), DAY0 + timedelta(days=days_after))
            for p in sorted(CASES.glob("*.txt"))]


def expected_original(copy_id: str) -> str:
    return "seed" + copy_id.removeprefix("copy")[:3]


def verdicts(out) -> dict[str, Article]:
    return {a.article_id: a for a in out.articles}


def test_variants_of_the_seeds_are_copies_of_their_seed():
    out = deduplicate(seed_articles() + variant_articles(), DedupIndex.empty(SETTINGS), SETTINGS)
    got = verdicts(out)
    assert len(variant_articles()) == 5
    for copy in variant_articles():
        article = got[copy.article_id]
        original = expected_original(copy.article_id)
        assert article.is_duplicate, copy.article_id
        assert article.duplicate_of == original, copy.article_id
        assert article.cluster_id == original
        assert 0.85 <= article.similarity <= 1.0
    for seed in seed_articles():
        article = got[seed.article_id]
        assert not article.is_duplicate and article.duplicate_of is None
        assert article.cluster_id == seed.article_id  # the canonical shares its cluster's id
    assert {link.article_id for link in out.links} == set(got)


def test_the_two_geneva_articles_stay_distinct_even_with_their_rewrite():
    seeds = {a.article_id: a for a in seed_articles()}
    rewrite = next(a for a in variant_articles() if a.article_id == "copy003_rewrite")
    out = deduplicate([seeds["seed003"], seeds["seed004"], rewrite], DedupIndex.empty(SETTINGS), SETTINGS)
    got = verdicts(out)
    assert not got["seed003"].is_duplicate and not got["seed004"].is_duplicate
    assert got["seed003"].cluster_id != got["seed004"].cluster_id
    assert got["copy003_rewrite"].cluster_id == "seed003"


def test_repeated_caption_is_collapsed_and_the_once_printed_copy_is_an_exact_duplicate():
    seed004 = next(a for a in seed_articles() if a.article_id == "seed004")
    caption = "Russian President Vladimir Putin (left) and US President Joe Biden meet at Villa la Grange"
    assert seed004.body.count(caption) == 2
    once = next(a for a in variant_articles() if a.article_id == "copy004_caption_once")
    got = verdicts(deduplicate([seed004, once], DedupIndex.empty(SETTINGS), SETTINGS))
    assert got["seed004"].body.count(caption) == 1
    assert got["seed004"].content_hash == content_hash(got["seed004"].body)
    assert got["seed004"].word_count < seed004.word_count
    assert got["copy004_caption_once"].content_hash == got["seed004"].content_hash
    assert got["copy004_caption_once"].similarity == 1.0


def test_exact_duplicate_by_hash_even_when_too_short_for_near_duplicate_checks():
    short = "Geneva talks end without a deal, the 'sources' say - again."
    assert word_count(short) < SETTINGS.min_words_for_near_dup
    a = make_article("short-a", "t\n" + short, DAY0)
    b = make_article("short-b", "t\n" + short.upper().replace(" ", "  ").replace("'S", "\u2019S")
                       .replace("'", "\u2018").replace("-", "\u2014"), DAY0 + timedelta(hours=1))
    c = make_article("short-c", "t\nGeneva talks end with a deal, the 'sources' say - again.", DAY0 + timedelta(hours=2))
    got = verdicts(deduplicate([c, b, a], DedupIndex.empty(SETTINGS), SETTINGS))
    assert got["short-b"].duplicate_of == "short-a" and got["short-b"].similarity == 1.0
    assert not got["short-c"].is_duplicate  # one word differs: too short to call it a near copy


def test_second_run_finds_copies_of_first_run_articles_from_stored_signatures(monkeypatch):
    first = deduplicate(seed_articles(), DedupIndex.empty(SETTINGS), SETTINGS)
    assert len(first.signatures) == 5 and not any(a.is_duplicate for a in first.articles)

    def no_recompute(*args, **kwargs):
        raise AssertionError("history MinHash must come from the stored hashvalues")

    monkeypatch.setattr(minhash, "signatures", no_recompute)
    index = DedupIndex.from_history(first.signatures, first.links, SETTINGS)
    monkeypatch.undo()
    stored = np.vstack([np.frombuffer(s.hashvalues, dtype="<u4") for s in first.signatures])
    assert index.signature_matrix().shape == stored.shape

    second = deduplicate(variant_articles(), index, SETTINGS)
    got = verdicts(second)
    for copy in variant_articles():
        assert got[copy.article_id].duplicate_of == expected_original(copy.article_id), copy.article_id
    # only the new articles get signatures; no stored article changed canonical
    assert {s.article_id for s in second.signatures} == {a.article_id for a in variant_articles()}
    assert {link.article_id for link in second.links} == {a.article_id for a in variant_articles()}


def test_an_earlier_published_copy_arriving_later_does_not_displace_the_stored_canonical():
    """Issue 39: the stored canonical's text is what entities and events were counted from; a
    syndicated copy (another dateline and footer) dated earlier is still only a copy."""
    first = deduplicate(seed_articles(), DedupIndex.empty(SETTINGS), SETTINGS)
    index = DedupIndex.from_history(first.signatures, first.links, SETTINGS)
    syndicated = next(a for a in variant_articles() if a.article_id == "copy002_syndicated")
    early = make_article("early002", (CASES / "002_syndicated.txt").read_text(encoding="utf-8"),
                         DAY0 - timedelta(days=1))
    second = deduplicate([syndicated, early], index, SETTINGS)
    links = {link.article_id: link for link in second.links}
    assert set(links) == {"early002", "copy002_syndicated"}  # no stored row is rewritten
    assert links["early002"].duplicate_of == "seed002" and links["early002"].cluster_id == "seed002"
    assert links["copy002_syndicated"].duplicate_of == "seed002"


def test_the_same_text_with_its_headline_printed_in_the_body_does_not_displace_the_canonical():
    """A page prints its headline above the text a text file has under its title line: the same
    article, even dated when the file was not."""
    seed = seed_articles()[0]
    undated = make_article("file", "", None, first_seen_at=DAY0)
    undated = Article(**{**undated.__dict__, "title": seed.title, "body": seed.body,
                         "word_count": seed.word_count, "content_hash": seed.content_hash})
    first = deduplicate([undated], DedupIndex.empty(SETTINGS), SETTINGS)
    index = DedupIndex.from_history(first.signatures, first.links, SETTINGS)
    body = f"{seed.title}\n\n{seed.body}"
    page = Article(**{**seed.__dict__, "article_id": "page", "body": body, "word_count": word_count(body),
                      "content_hash": content_hash(body), "published_at": DAY0 - timedelta(days=1)})
    (link,) = deduplicate([page], index, SETTINGS).links
    assert link.article_id == "page" and link.duplicate_of == "file"


def test_rerun_on_the_same_input_keeps_every_verdict_and_adds_nothing():
    articles = seed_articles() + variant_articles()
    first = deduplicate(articles, DedupIndex.empty(SETTINGS), SETTINGS)
    again = deduplicate(articles, DedupIndex.from_history(first.signatures, first.links, SETTINGS), SETTINGS)
    assert again.signatures == []
    key = lambda a: (a.article_id, a.is_duplicate, a.duplicate_of, a.similarity, a.cluster_id)  # noqa: E731
    assert sorted(map(key, again.articles)) == sorted(map(key, first.articles))


def test_clusters_do_not_depend_on_input_order():
    articles = seed_articles() + variant_articles()
    reference = {a.article_id: (a.cluster_id, a.duplicate_of) for a in
                 deduplicate(articles, DedupIndex.empty(SETTINGS), SETTINGS).articles}
    shuffled = articles[:]
    random.Random(3).shuffle(shuffled)
    got = {a.article_id: (a.cluster_id, a.duplicate_of) for a in
           deduplicate(shuffled, DedupIndex.empty(SETTINGS), SETTINGS).articles}
    assert got == reference


def _store_and_read(tmp_path: Path, signatures: list[Signature], keep_shingles: bool) -> list[dict]:
    """Write signatures into the warehouse's article_signatures table and read them back the way the
    flow does (SELECT * into a DataFrame). Without shingles the rows look like ones stored before
    shingle sets were kept: only the MinHash is known."""
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    con.execute((ROOT / "schemas" / "warehouse.sql").read_text(encoding="utf-8"))
    columns = ["article_id", "content_hash", "num_perm", "hashvalues", "shingle_count", "published_at",
               "first_seen_at", "shingle_hashes", "shingle_size"]
    rows = [[getattr(s, c) for c in columns] for s in signatures]
    if not keep_shingles:
        rows = [row[:-2] + [b"", 0] for row in rows]
    con.executemany(f"INSERT INTO article_signatures ({', '.join(columns)}) VALUES "
                    f"({', '.join('?' for _ in columns)})", rows)
    stored = con.execute("SELECT * FROM article_signatures").df().to_dict("records")
    con.close()
    return stored


@pytest.mark.parametrize("keep_shingles", [True, False], ids=["shingle-sets-stored", "signatures-only"])
def test_history_read_back_from_duckdb_still_finds_the_copies(tmp_path, keep_shingles):
    first = deduplicate(seed_articles(), DedupIndex.empty(SETTINGS), SETTINGS)
    rows = _store_and_read(tmp_path, first.signatures, keep_shingles)
    index = DedupIndex.from_history(rows, first.links, SETTINGS)
    assert (index.shingles[0] is not None) == keep_shingles  # without stored sets: MinHash estimates
    got = verdicts(deduplicate(variant_articles(), index, SETTINGS))
    for copy in variant_articles():
        assert got[copy.article_id].duplicate_of == expected_original(copy.article_id), copy.article_id


def test_distinct_same_event_articles_with_a_shared_wire_paragraph_are_not_merged():
    """Two different write-ups of one event that reuse the same agency paragraph."""
    seeds = {a.article_id: a for a in seed_articles()}
    wire = seeds["seed004"].body.split("\n\n")[5]  # the paragraph on the Geneva/NATO/OSCE schedule
    assert "Geneva" in wire
    a = make_article("wire-a", "A\n" + seeds["seed003"].body + "\n\n" + wire, DAY0)
    got = verdicts(deduplicate([seeds["seed004"], a], DedupIndex.empty(SETTINGS), SETTINGS))
    assert not got["wire-a"].is_duplicate and got["wire-a"].cluster_id != got["seed004"].cluster_id


def test_signature_bytes_are_stable_across_calls():
    body = seed_articles()[0]
    one = deduplicate([body], DedupIndex.empty(SETTINGS), SETTINGS).signatures[0]
    two = deduplicate([body], DedupIndex.empty(SETTINGS), SETTINGS).signatures[0]
    assert one.hashvalues == two.hashvalues and len(one.hashvalues) == 4 * SETTINGS.minhash_perm
    assert one.shingle_count == len(one.shingle_hashes) // 4 > 100


def test_ascii_and_typographic_spellings_tokenise_alike():
    from pipeline.dedup.shingles import tokens

    plain = 'He said "no deal" - it\'s over, Lavrov\'s aide says.'
    typographic = "He said \u201cno deal\u201d \u2014 it\u2019s OVER, Lavrov\u2019s aide says."
    assert plain.isascii() and not typographic.isascii()  # the two tokenizer paths
    assert tokens(plain) == tokens(typographic)
    assert tokens("Juknevi\u010dien\u0117 said") == ["juknevi\u010dien\u0117".encode(), b"said"]


def test_only_sentence_length_repeated_lines_are_collapsed():
    from pipeline.dedup.shingles import collapse_repeated_paragraphs

    text = "Q: Will you run?\nYes.\nQ: And your party?\nYes.\n\nA caption of the photo, by AP\n\nBody.\n\na caption of the photo, by AP"
    out = collapse_repeated_paragraphs(text, 4)
    assert out.count("Yes.") == 2
    assert out.casefold().count("a caption of the photo") == 1
    assert out == "Q: Will you run?\nYes.\nQ: And your party?\nYes.\n\nA caption of the photo, by AP\n\nBody."


def _half(text: str) -> str:
    return text[: len(text) // 2]  # a file copied half-way: cut mid-word


@pytest.mark.parametrize("across_runs", [False, True])
def test_the_complete_version_is_canonical_when_a_half_copied_file_came_first(across_runs):
    """Issue 30, case 14: the truncated file loaded first stayed canonical and the complete one was
    marked its duplicate (similarity 1.0), so the dashboard showed the cut text."""
    text = (CASES / "002_syndicated.txt").read_text(encoding="utf-8")
    half = make_article("half", _half(text), None, first_seen_at=DAY0)
    full = make_article("full", text, None, first_seen_at=DAY0 + timedelta(minutes=5))
    if across_runs:
        first = deduplicate([half], DedupIndex.empty(SETTINGS), SETTINGS)
        assert not verdicts(first)["half"].is_duplicate
        index = DedupIndex.from_history(first.signatures, first.links, SETTINGS)
        links = {link.article_id: link for link in deduplicate([full], index, SETTINGS).links}
    else:
        links = {link.article_id: link for link in deduplicate([half, full], DedupIndex.empty(SETTINGS),
                                                               SETTINGS).links}
    assert links["full"] == DuplicateLink("full", False, None, None, "full")
    assert links["half"].is_duplicate and links["half"].duplicate_of == "full" and links["half"].cluster_id == "full"
    assert links["half"].similarity >= 0.99


def test_an_earlier_published_short_copy_stays_canonical():
    """Completeness breaks ties of publication time only: the earliest published copy still wins."""
    text = (CASES / "002_syndicated.txt").read_text(encoding="utf-8")
    teaser = make_article("teaser", _half(text), DAY0)
    later = make_article("later", text, DAY0 + timedelta(hours=3))
    got = verdicts(deduplicate([teaser, later], DedupIndex.empty(SETTINGS), SETTINGS))
    assert not got["teaser"].is_duplicate and got["later"].duplicate_of == "teaser"
