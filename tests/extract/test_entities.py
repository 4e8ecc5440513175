"""Entity extraction on the five seeds with the real spaCy model, plus synthetic articles for
what the seeds do not contain (cross-batch memory, duplicates, long bodies)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pipeline.extract.entities import EntityOutput, extract_entities
from pipeline.extract.entity_eval import alias_pairs, load_gold, match, resolution
from pipeline.extract.entity_text import KEPT_TYPES, TITLE_WORDS
from pipeline.extract.nlp import load_nlp
from pipeline.records import Article
from pipeline.settings import Settings
from pipeline.text import content_hash, word_count

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = Path(__file__).parent / "cases" / "entities" / "seeds_gold.json"
SETTINGS = Settings()
WEEKDAY_OR_MONTH = re.compile(
    r"\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|february|march|april|"
    r"june|july|august|september|october|november|december)\b", re.IGNORECASE)
BOILERPLATE = re.compile(r"reply|subscribe|newsletter|disclaimer|cookie|privacy|follow us|show more|"
                         r"comments", re.IGNORECASE)


def article(article_id: str, body: str, is_duplicate: bool = False) -> Article:
    return Article(article_id, article_id, f"/tmp/{article_id}.txt", None, None, None, None, None, "en",
                   body, word_count(body), content_hash(body), is_duplicate=is_duplicate)


@pytest.fixture(scope="module")
def golds():
    return load_gold(FIXTURE, ROOT / "seeds")


@pytest.fixture(scope="module")
def seeds_out(golds) -> tuple[list[Article], EntityOutput]:
    arts = [article(g.name, g.body) for g in golds]
    return arts, extract_entities(arts, SETTINGS, known_entities=[])


@pytest.fixture(scope="module")
def raw_seed_out() -> tuple[list[Article], EntityOutput]:
    """The seed files exactly as stored, boilerplate included (what the CLI meets uncleaned)."""
    arts = [article(p.name, p.read_text(encoding="utf-8")) for p in sorted((ROOT / "seeds").glob("*.txt"))]
    return arts, extract_entities(arts, SETTINGS, known_entities=[])


def ids_of(out: EntityOutput, surface: str) -> set[str]:
    return {m.entity_id for m in out.mentions if m.surface == surface}


def test_model_runs_only_ner_and_sentence_splitter():
    nlp = load_nlp(SETTINGS.spacy_model)
    assert set(nlp.pipe_names) == {"senter", "ner"}


def test_offsets_point_into_body_and_sentences(seeds_out):
    arts, out = seeds_out
    bodies = {a.article_id: a.body for a in arts}
    sentences = {(s.article_id, s.sentence_index): s for s in out.sentences}
    assert len(out.mentions) > 300
    for m in out.mentions:
        assert bodies[m.article_id][m.start_char:m.end_char] == m.surface
        s = sentences[(m.article_id, m.sentence_index)]
        assert s.start_char <= m.start_char and m.end_char <= s.end_char, m


def test_sentences_never_span_a_blank_line(seeds_out):
    arts, out = seeds_out
    bodies = {a.article_id: a.body for a in arts}
    for s in out.sentences:
        text = bodies[s.article_id][s.start_char:s.end_char]
        assert text == text.strip() and text
        assert not re.search(r"\n\s*\n", text)
    per_article = {}
    for s in out.sentences:
        per_article.setdefault(s.article_id, []).append(s.sentence_index)
    for indexes in per_article.values():
        assert indexes == list(range(len(indexes)))


@pytest.mark.parametrize("pair", alias_pairs(FIXTURE), ids=lambda p: f"{p[0]}~{p[1]}")
def test_alias_pairs_resolve_to_one_id(seeds_out, pair):
    _, out = seeds_out
    a, b = ids_of(out, pair[0]), ids_of(out, pair[1])
    assert len(a) == 1 and a == b, (pair, a, b)


def test_different_people_stay_apart(seeds_out):
    _, out = seeds_out
    persons = {e.entity_id: e for e in out.entities if e.entity_type == "PERSON"}
    putin, = ids_of(out, "Vladimir Putin")
    assert persons[putin].canonical_name == "Vladimir Putin"
    # Vladimir Putin and Vladimir Zelensky share a given name, nothing else
    assert ids_of(out, "Vladimir Zelensky") != {putin}
    assert len({e.canonical_name for e in persons.values()}) == len(persons)


def test_titles_are_stripped(seeds_out):
    arts, out = seeds_out
    for m in out.mentions:
        if m.entity_type == "PERSON":
            assert m.surface.split()[0].lower() not in TITLE_WORDS, m.surface
    # "Russian President Vladimir Putin": the person is just "Vladimir Putin"
    body = next(a.body for a in arts if a.article_id.startswith("002"))
    start = body.index("Russian President Vladimir Putin") + len("Russian President ")
    assert any(m.start_char == start and m.surface == "Vladimir Putin" for m in out.mentions)


@pytest.mark.parametrize("which", ["cleaned", "raw"])
def test_no_weekday_number_or_boilerplate_entities(seeds_out, raw_seed_out, which):
    _, out = seeds_out if which == "cleaned" else raw_seed_out
    assert out.entities
    for e in out.entities:
        assert e.entity_type in KEPT_TYPES
        for name in [e.canonical_name, *e.aliases]:
            assert not WEEKDAY_OR_MONTH.search(name), name
            assert not re.fullmatch(r"[\d\W]+", name), name
            assert not BOILERPLATE.search(name), name
        assert e.aliases == sorted(set(e.aliases))


def test_places_carry_gazetteer_data(seeds_out):
    _, out = seeds_out
    by_id = {e.entity_id: e for e in out.entities}
    geneva = by_id[next(iter(ids_of(out, "Geneva")))]
    assert geneva.country_code == "CH" and 46 < geneva.lat < 47 and 6 < geneva.lon < 7
    russia = by_id[next(iter(ids_of(out, "Russia")))]
    assert russia.country_code == "RU" and russia.canonical_name == "Russia"
    kiev = by_id[next(iter(ids_of(out, "Kiev")))]
    assert kiev.entity_type == "GPE" and kiev.country_code == "UA"


@pytest.fixture(scope="module")
def raw_model():
    """The spaCy model as shipped (every component), loaded once for the comparisons below."""
    import spacy

    return spacy.load(SETTINGS.spacy_model)


def ours_and_raw(gold, out: EntityOutput, raw_model) -> tuple[list, list]:
    """newsmon's mentions of one gold article, and the raw model's entities of the kept types."""
    from pipeline.extract.entity_eval import Span

    mine = [Span(m.start_char, m.end_char, m.entity_type, m.entity_id)
            for m in out.mentions if m.article_id == gold.name]
    theirs = [Span(e.start_char, e.end_char, e.label_, e.text) for e in raw_model(gold.body).ents
              if e.label_ in KEPT_TYPES]
    return mine, theirs


def test_newsmon_beats_raw_model_on_the_labelled_seeds(golds, seeds_out, raw_model):
    """The same criterion as benchmarks/ner_eval.py (exact span + type)."""
    _, out = seeds_out
    ours, raw = [0, 0, 0], [0, 0, 0]
    pairs = []
    for g in golds:
        mine, theirs = ours_and_raw(g, out, raw_model)
        for acc, preds in ((ours, mine), (raw, theirs)):
            s, p = match(g, preds, normalised=False)
            acc[0] += s.tp
            acc[1] += s.fp
            acc[2] += s.fn
            if preds is mine:
                pairs.extend(p)
    f1 = lambda tp, fp, fn: 2 * tp / (2 * tp + fp + fn)  # noqa: E731
    assert f1(*ours) > f1(*raw)
    assert f1(*ours) > 0.9
    score, exact, total = resolution(pairs)
    assert score.precision > 0.95 and score.recall > 0.95 and exact >= total - 3


def test_duplicates_are_never_parsed():
    body = "Chancellor Olaf Scholz met Emmanuel Macron in Paris on Monday."
    out = extract_entities([article("dup", body, is_duplicate=True)], SETTINGS, [])
    assert out.entities == [] and out.mentions == [] and out.sentences == []
    out = extract_entities([article("a", body), article("dup", body, is_duplicate=True)], SETTINGS, [])
    assert {m.article_id for m in out.mentions} == {"a"}
    assert {s.article_id for s in out.sentences} == {"a"}
    assert "Olaf Scholz" in {m.surface for m in out.mentions}


def test_model_runs_only_on_its_language():
    german = ("Bundeskanzler Olaf Scholz hat am Montag in Berlin mit dem französischen Präsidenten "
              "Emmanuel Macron über die Energiekrise gesprochen. Die Gespräche dauerten zwei Stunden. "
              "Danach sagte Scholz, man habe viel erreicht. Die Opposition kritisierte das Treffen "
              "scharf und verlangte eine Regierungserklärung im Bundestag.")
    de = article("de", german)
    de.language = "de"
    en = article("en", "Chancellor Olaf Scholz met Emmanuel Macron in Paris on Monday to discuss energy.")
    en.language = "en"
    out = extract_entities([de, en], SETTINGS, [])
    assert {m.article_id for m in out.mentions} == {"en"}
    assert {s.article_id for s in out.sentences} == {"de", "en"}
    assert len([s for s in out.sentences if s.article_id == "de"]) == 4
    de.language = None  # unknown language: the model runs
    assert any(m.article_id == "de" for m in extract_entities([de], SETTINGS, []).mentions)


def test_ids_are_stable_across_runs(seeds_out):
    arts, out = seeds_out
    again = extract_entities(list(reversed(arts)), SETTINGS, known_entities=[])
    assert sorted((m.article_id, m.start_char, m.entity_id) for m in again.mentions) == \
        sorted((m.article_id, m.start_char, m.entity_id) for m in out.mentions)


def test_rerun_against_own_output_keeps_every_id(seeds_out):
    """Re-extracting with the first run's entities as warehouse memory changes no id."""
    arts, out = seeds_out
    again = extract_entities(arts, SETTINGS, known_entities=out.entities)
    ids = {(m.article_id, m.start_char, m.end_char): m.entity_id for m in again.mentions}
    assert all(ids.get((m.article_id, m.start_char, m.end_char)) == m.entity_id for m in out.mentions)
    before = {e.entity_id: e for e in out.entities}
    for e in again.entities:
        if e.entity_id in before:
            assert e.canonical_name == before[e.entity_id].canonical_name
            assert set(before[e.entity_id].aliases) <= set(e.aliases)


def test_cross_batch_resolution_via_known_entities():
    first = extract_entities([article("a1", (
        "Russian Foreign Minister Sergey Lavrov met Secretary of State Antony Blinken in Geneva. "
        "The North Atlantic Treaty Organization (NATO) said the talks were useful."))], SETTINGS, [])
    lavrov, = ids_of(first, "Sergey Lavrov")
    nato, = ids_of(first, "North Atlantic Treaty Organization")
    second = extract_entities([article("a2", (
        "Sergei Lavrov said on Tuesday that Moscow would answer. Lavrov added that NATO must "
        "listen. Blinken did not reply to Lavrov."))], SETTINGS, known_entities=first.entities)
    assert ids_of(second, "Sergei Lavrov") == {lavrov}
    assert ids_of(second, "Lavrov") == {lavrov}
    assert ids_of(second, "NATO") == {nato}
    e = next(e for e in second.entities if e.entity_id == lavrov)
    assert {"Sergey Lavrov", "Sergei Lavrov", "Lavrov"} <= set(e.aliases)
    assert e.canonical_name in {"Sergey Lavrov", "Sergei Lavrov"}


def test_corpus_memory_finds_names_the_model_misses():
    """A name known from an earlier run is found where the model does not tag it, and gets
    the known entity's id."""
    first = extract_entities([article("a1", "According to Fontanka Row, the talks failed.")], SETTINGS, [])
    fontanka, = ids_of(first, "Fontanka Row")
    body = "Fontanka Row reported it first.\n\nFontanka Row said more on Monday."
    alone = extract_entities([article("a2", body)], SETTINGS, known_entities=[])
    assert "Fontanka Row" not in {m.surface for m in alone.mentions}  # the model misses both
    second = extract_entities([article("a2", body)], SETTINGS, known_entities=first.entities)
    found = [m for m in second.mentions if m.surface == "Fontanka Row"]
    assert [body[m.start_char:m.end_char] for m in found] == ["Fontanka Row"] * 2
    assert {m.entity_id for m in found} == {fontanka}


def test_memory_within_a_batch():
    """Recognised in one article of the batch, found in another where the model misses it."""
    out = extract_entities([article("b1", "According to Fontanka Row, the talks failed."),
                            article("b2", "Fontanka Row reported it first.")], SETTINGS, [])
    assert {m.article_id for m in out.mentions if m.surface == "Fontanka Row"} == {"b1", "b2"}


def test_transliterations_merge_but_namesakes_do_not():
    body = ("Ukrainian President Volodymyr Zelenskyy spoke to US President Joe Biden. Zelensky asked "
            "for help. Hunter Biden was not mentioned by Biden's aides. President Zelenskiy agreed.")
    other = "Moscow was silent after Kiev's leader Vladimir Zelensky called for talks."
    out = extract_entities([article("z", body), article("z2", other)], SETTINGS, [])
    z = ids_of(out, "Volodymyr Zelenskyy") | ids_of(out, "Zelensky") | ids_of(out, "Zelenskiy") \
        | ids_of(out, "Vladimir Zelensky")
    assert len(z) == 1
    assert ids_of(out, "Joe Biden") and ids_of(out, "Hunter Biden")
    assert ids_of(out, "Joe Biden") != ids_of(out, "Hunter Biden")


def test_long_bodies_are_cut_for_ner_only():
    para = "Angela Merkel met Emmanuel Macron in Berlin. They spoke for an hour.\n\n"
    body = para * 20
    settings = SETTINGS.replace(nlp_max_chars=len(para) * 3)
    out = extract_entities([article("long", body)], settings, [])
    assert out.mentions and max(m.end_char for m in out.mentions) <= len(para) * 3
    assert out.sentences[-1].end_char == len(body.rstrip())
    assert len(out.sentences) == 40


HELDOUT_PAGES = ROOT.parent / "shared" / "eval" / "trafilatura" / "html"


@pytest.mark.skipif(not HELDOUT_PAGES.is_dir(), reason=f"evaluation pages absent: {HELDOUT_PAGES}")
def test_newsmon_beats_raw_model_on_held_out_pages(raw_model):
    """Pages never used to tune the rules (tests/extract/cases/entities/heldout_gold.json)."""
    import json

    import trafilatura

    from pipeline.extract.entity_eval import load_gold_texts

    fixture = FIXTURE.parent / "heldout_gold.json"
    names = json.loads(fixture.read_text(encoding="utf-8"))["pages"]
    texts = {n: trafilatura.extract((HELDOUT_PAGES / n).read_text(encoding="utf-8", errors="replace"))
             for n in names}
    golds = load_gold_texts(fixture, texts, section="pages")
    out = extract_entities([article(g.name, g.body) for g in golds], SETTINGS, [])
    ours, raw = [0, 0], [0, 0]  # (tp, fp + fn)
    for g in golds:
        mine, theirs = ours_and_raw(g, out, raw_model)
        for acc, preds in ((ours, mine), (raw, theirs)):
            s, _ = match(g, preds, normalised=True)
            acc[0] += s.tp
            acc[1] += s.fp + s.fn
    assert 2 * ours[0] / (2 * ours[0] + ours[1]) > 2 * raw[0] / (2 * raw[0] + raw[1])


def test_text_in_another_script_never_reaches_the_english_model():
    # short (under the word count that trusts the detected language) and labelled English:
    # the script alone keeps it from the model
    japanese = article("ja", "東京都は月曜日、新しい防災計画を発表した。計画は大阪府と連携して実施される。"
                             "知事は記者会見で詳細を説明した。")
    japanese.language = "en"
    russian = article("ru", "Министр иностранных дел России Сергей Лавров встретился в Женеве с коллегами.")
    out = extract_entities([japanese, russian], SETTINGS, [])
    assert out.mentions == []
    assert {s.article_id for s in out.sentences} == {"ja", "ru"}


def test_context_cues_and_full_names_decide_the_type():
    body = ("Leeds beat Newcastle 3-1 on Saturday. Shares in Vantorix fell 4% after Vantorix's chief "
            "executive resigned. Police detained the dissident Wang Donghai on Friday; officials told "
            "Wang's family he would be released. Mr Okonjo-Pell declined to comment.")
    out = extract_entities([article("a", body)], SETTINGS, [])
    types = {m.surface: m.entity_type for m in out.mentions}
    assert types.get("Leeds") == "ORG" and types.get("Newcastle") == "ORG"
    assert types.get("Vantorix") == "ORG"
    assert types.get("Wang") == "PERSON" and ids_of(out, "Wang") == ids_of(out, "Wang Donghai")


def test_capitalised_ordinary_words_at_line_starts_are_not_names():
    tables = [article(f"t{i}", f"Results from the meeting in Berlin on Friday:\nWomen's 100 metres\n"
                               f"1. Michelle Freeman (Jamaica) 12.{i}\nMen's 400 metres\n"
                               f"1. Davis Kamoga (Uganda) 44.{i}\nThe women and men ran in rain.")
              for i in range(3)]
    out = extract_entities(tables, SETTINGS, [])
    assert not {"Women", "Men"} & {m.surface for m in out.mentions}
    assert "Berlin" in {m.surface for m in out.mentions}


def test_party_forms_and_short_forms_resolve_to_one_entity():
    body = ("The Conservative Party lost two seats. Tories blamed the leader, and the Conservatives "
            "will meet on Monday. Robert De Niro arrived late; De Niro said nothing. "
            "HOUSTON, Texas -- Officials in Houston said the storm had passed.")
    out = extract_entities([article("a", body)], SETTINGS, [])
    party = ids_of(out, "Conservative Party") | ids_of(out, "Tories") | ids_of(out, "Conservatives")
    assert len(party) == 1
    e = next(e for e in out.entities if e.entity_id in party)
    assert (e.canonical_name, e.entity_type) == ("Conservative Party", "ORG")
    assert ids_of(out, "De Niro") == ids_of(out, "Robert De Niro") != set()
    assert ids_of(out, "HOUSTON") == ids_of(out, "Houston") != set()


def test_entities_carry_a_type_confidence():
    body = ("Shares in Vantorix fell after Vantorix's chief executive quit. Mr Okonjo-Pell said "
            "Vantorix would recover.")
    out = extract_entities([article("a", body)], SETTINGS, [])
    assert out.entities and all(e.type_confidence is not None and 0 < e.type_confidence <= 1
                                for e in out.entities)


def test_country_short_names_regions_and_places_in_context():
    body = ("Britain and the United Kingdom's allies met America's envoy; the UK and the US agreed. "
            "Trade with Asia and the Middle East grew.\n\n"
            "Newcastle beat Leeds at St James' Park. Fans travelled from Manchester and across England.")
    out = extract_entities([article("a", body)], SETTINGS, [])
    assert ids_of(out, "Britain") == ids_of(out, "UK") != set()
    assert ids_of(out, "America") == ids_of(out, "US") != set()
    by_id = {e.entity_id: e for e in out.entities}
    for region in ("Asia", "Middle East"):
        e = by_id[next(iter(ids_of(out, region)))]
        assert (e.entity_type, e.country_code) == ("LOC", None), region
    newcastle = by_id[next(iter(ids_of(out, "Newcastle")))]
    assert newcastle.country_code in (None, "GB")  # a club here, or the English city; never Australia


def test_publisher_country_from_its_domain():
    from pipeline.extract.entities import publisher_country

    assert publisher_country("https://www.bbc.co.uk/news/1") == "GB"
    assert publisher_country("https://www.abc.net.au/x") == "AU"
    assert publisher_country("https://example.com/x") is None
    assert publisher_country("https://openai.ai/") is None


def test_a_later_full_name_repoints_an_earlier_surname_and_ids_do_not_depend_on_order(settings):
    from dataclasses import replace

    from pipeline.load.warehouse import Warehouse
    from pipeline.records import Batch, EntityAlias

    short = article("s", "Labour leaders met on Tuesday. Mr Harwell-Quint said the vote would be close.")
    full = article("f", "Opposition leader Desmond Harwell-Quint spoke in London. Harwell-Quint then left.")
    # full name first: the short form resolves to it, nothing to re-point
    first = extract_entities([full], SETTINGS, [])
    person, = ids_of(first, "Desmond Harwell-Quint")
    then = extract_entities([short], SETTINGS, first.entities)
    assert ids_of(then, "Harwell-Quint") == {person} and then.aliases == []
    # surname first: it gets an id of its own; the full name later gets the same id as above,
    # and the surname's old id becomes an alias of it
    early = extract_entities([short], SETTINGS, [])
    old, = ids_of(early, "Harwell-Quint")
    assert old != person
    late = extract_entities([full], SETTINGS, early.entities)
    assert ids_of(late, "Desmond Harwell-Quint") == ids_of(late, "Harwell-Quint") == {person}
    assert late.aliases == [EntityAlias(old, person)]
    assert "Harwell-Quint" in next(e for e in late.entities if e.entity_id == person).aliases

    # the warehouse: the early mention now points at the full name; the old id is an alias row
    with Warehouse(settings) as wh:
        for run_id, arts, out in (("r1", [short], early), ("r2", [full], late)):
            wh.load_batch(Batch(run_id, articles=[replace(a, published_at=None) for a in arts],
                                entities=out.entities, mentions=out.mentions, entity_aliases=out.aliases))
        assert wh.con.execute("SELECT DISTINCT entity_id FROM entity_mentions WHERE surface LIKE '%Quint'"
                              ).fetchall() == [(person,)]
        assert wh.con.execute("SELECT count(*) FROM entities WHERE entity_id = ?", [old]).fetchone() == (0,)
        assert wh.con.execute("SELECT entity_id FROM entity_aliases WHERE alias_id = ?", [old]).fetchone() == (person,)
        assert wh.con.execute("SELECT mention_count FROM entities WHERE entity_id = ?", [person]).fetchone() == (3,)
        # an event of the first run naming the old id as an actor names the full name's id after a third
        from pipeline.records import EntityAlias as Alias
        from pipeline.records import Event, EventMention
        wh.load_batch(Batch("r3", events=[Event("ev", None, None, "meet", "04", "occurred", None, None, None,
                                                "gone", None, ["gone", person])],
                            event_mentions=[EventMention("ev", "s", "met", None, 0, 3, 0.5, "meet", actors=["gone"])]))
        wh.load_batch(Batch("r4", entity_aliases=[Alias("gone", person)]))
        assert wh.con.execute("SELECT actor1, actors FROM events").fetchone() == (person, [person, person])
        assert wh.con.execute("SELECT actors FROM event_mentions").fetchone() == ([person],)
