"""Resolution rules, gazetteer and surface rules on their own (no model needed)."""

from __future__ import annotations

import pytest

from pipeline.extract.entity_memory import find_remembered, trusted_lexicon
from pipeline.extract.entity_persons import given_compatible
from pipeline.extract.entity_text import fold, initials, reject_reason, strip_title, trim_span
from pipeline.extract.entity_types import Candidate, harmonise_types
from pipeline.extract.gazetteer import load_gazetteer
from pipeline.extract.resolve import resolve
from pipeline.records import Entity


def cand(article_id: str, body: str, surface: str, label: str, nth: int = 0) -> Candidate:
    start = -1
    for _ in range(nth + 1):
        start = body.index(surface, start + 1)
    return Candidate(article_id, start, start + len(surface), surface, label, 0)


def by_surface(cands, mentions):
    return {(m.article_id, m.surface): m.entity_id for m in mentions}


@pytest.mark.parametrize("a,b", [("Sergey", "Sergei"), ("Zelensky", "Zelenskyy"), ("Zelenskiy", "Zelenskyy"),
                                 ("Dmitry", "Dmitri"), ("Mikhail", "Mikhail"), ("Yuri", "Yury")])
def test_fold_merges_transliterations(a, b):
    assert fold(a) == fold(b)


@pytest.mark.parametrize("a,b,same", [("Vladimir", "Volodymyr", True), ("Joe", "Jill", False),
                                      ("Joe", "Hunter", False), ("J.", "Joe", True),
                                      ("Alexander", "Aleksandr", True), ("Mark", "Mike", False)])
def test_given_name_compatibility(a, b, same):
    assert given_compatible(a, b) is same


def test_initials_skip_function_words():
    assert initials("Organization for Security and Cooperation in Europe") == "OSCE"
    assert initials("North Atlantic Treaty Organization") == "NATO"
    assert initials("Democratic Republic of the Congo") == "DRC"


@pytest.mark.parametrize("text,span,expected", [
    ("said the United States.", (5, 22), "United States"),
    ("in “Fontanka Row” today", (3, 17), "Fontanka Row"),
    ("Putin’s court", (0, 7), "Putin"),
    ("Portnikov\n\n4 January", (0, 11), "Portnikov"),
    ("met the U.S. envoy", (4, 12), "U.S."),
    ("Coinbase Pro: Fees", (0, 18), "Coinbase Pro"),
    ("on a MacBook® today", (5, 13), "MacBook"),
    ("and Instagram @TheHerald for", (4, 24), "Instagram"),
])
def test_trim_span(text, span, expected):
    s, e = trim_span(text, *span)
    assert text[s:e] == expected


def test_strip_title_keeps_the_name():
    for text, name in [("Foreign Minister Sergei Lavrov", "Sergei Lavrov"),
                       ("Superintendent Robert Runcie", "Robert Runcie"), ("Dean Smith", "Dean Smith")]:
        s, e = strip_title(text, 0, len(text))
        assert text[s:e] == name
    text = "President"
    assert strip_title(text, 0, len(text)) == (0, len(text))  # never empties a span


@pytest.mark.parametrize("surface,label", [("Wednesday", "ORG"), ("January 10", "EVENT"), ("2014", "GPE"),
                                           ("Leave a Reply", "ORG"), ("Google News Disclaimers", "ORG"),
                                           ("daily", "ORG"), ("’s Note", "PERSON"), ("the evening", "LOC"),
                                           ("Putin", "DATE")])
def test_non_entities_are_rejected(surface, label):
    assert reject_reason(surface, label) is not None


def test_real_names_are_kept():
    for surface, label in [("Vladimir Putin", "PERSON"), ("NATO", "ORG"), ("U.S.", "GPE"), ("pro-Russian", "NORP"),
                           ("Privacy International", "ORG"), ("US Copyright Office", "ORG")]:
        assert reject_reason(surface, label) is None


def test_gazetteer_places():
    gaz = load_gazetteer()
    assert gaz.country("Russia").country_code == "RU"  # pycountry.lookup("Russia") would raise
    assert gaz.country("the Russian Federation").country_code == "RU"
    for s in ("US", "U.S.", "USA", "United States", "Unites States"):
        assert gaz.country(s).country_code == "US", s
    assert gaz.country("us") is None  # a pronoun is not a country code
    # acronyms are initials of a country's name, never bare ISO codes (LA is Laos's code)
    assert gaz.country("UK").country_code == "GB" and gaz.country("UAE").country_code == "AE"
    assert gaz.place("LA") is None and gaz.place("CA") is None and gaz.place("GB") is None
    # a state beats a small town of that name, a big city beats the state
    assert gaz.place("Florida").kind == "subdivision" and gaz.place("Florida").country_code == "US"
    assert gaz.place("New York").kind == "city" and gaz.place("Washington").kind == "city"
    assert gaz.place("Western") is None  # a province name in several countries: not a place
    assert gaz.city("Geneva").country_code == "CH"
    assert gaz.city("Geneva", frozenset({"US"})).country_code == "CH"  # 200k beats 21k x context
    assert gaz.city("Kiev").name == "Kyiv"
    assert gaz.demonym_country("Ukrainians") == "UA" and gaz.demonym_country("Milan") is None


def test_demonyms_the_stem_rule_cannot_form_come_from_phoenix_s_country_file():
    gaz = load_gazetteer()
    found = {w: gaz.demonym_country(w) for w in (
        "British", "Turkish", "Irish", "Dutch", "Saudi", "Soviet", "Spanish", "Polish", "Cypriot", "Saudis")}
    assert found == {"British": "GB", "Turkish": "TR", "Irish": "IE", "Dutch": "NL", "Saudi": "SA",
                     "Soviet": "SU", "Spanish": "ES", "Polish": "PL", "Cypriot": "CY", "Saudis": "SA"}
    # other synonyms of the entries are places, spellings or names in other languages, not demonyms
    for word in ("Korea", "Washington", "Taipei", "Azarbaycan", "Austurriki", "Dagestan", "Loire", "USSR"):
        assert gaz.demonym_country(word) is None, word


def test_acronyms_link_to_long_forms_in_article_then_corpus():
    b1 = "The World Health Organization (WHO) warned. WHO staff left."
    b2 = "WHO said more."
    cands = [cand("a1", b1, "World Health Organization", "ORG"), cand("a1", b1, "WHO", "ORG"),
             cand("a1", b1, "WHO", "ORG", 1), cand("a2", b2, "WHO", "ORG")]
    _, mentions, _ = resolve(cands, [], load_gazetteer())
    assert len({m.entity_id for m in mentions}) == 1


def test_ambiguous_acronym_stays_alone():
    b = "The Democratic Unionist Party and the Dutch Union of Pensioners met. DUP spoke."
    cands = [cand("a", b, "Democratic Unionist Party", "ORG"), cand("a", b, "Dutch Union of Pensioners", "ORG"),
             cand("a", b, "DUP", "ORG")]
    _, mentions, _ = resolve(cands, [], load_gazetteer())
    assert len({m.entity_id for m in mentions}) == 3


def test_surname_shared_by_two_people_is_not_guessed():
    b = "Joe Biden and Hunter Biden arrived. Biden spoke."
    cands = [cand("a", b, "Joe Biden", "PERSON"), cand("a", b, "Hunter Biden", "PERSON"),
             cand("a", b, "Biden", "PERSON", 2)]
    ents, mentions, _ = resolve(cands, [], load_gazetteer())
    assert len({m.entity_id for m in mentions}) == 3
    assert {e.canonical_name for e in ents} == {"Joe Biden", "Hunter Biden", "Biden"}


def test_known_surname_only_entity_is_repointed_to_the_full_name():
    """The full name's id does not depend on whether its surname came first: the earlier
    surname-only entity becomes an alias of it (its names join the full name's entity)."""
    known = [Entity("k1", "Putin", "PERSON", ["Putin"])]
    b = "Vladimir Putin spoke."
    ents, mentions, aliases = resolve([cand("a", b, "Vladimir Putin", "PERSON")], known, load_gazetteer())
    fresh, _, _ = resolve([cand("a", b, "Vladimir Putin", "PERSON")], [], load_gazetteer())
    assert mentions[0].entity_id == fresh[0].entity_id != "k1"
    assert [(a.alias_id, a.entity_id) for a in aliases] == [("k1", fresh[0].entity_id)]
    assert ents[0].canonical_name == "Vladimir Putin" and ents[0].aliases == ["Putin", "Vladimir Putin"]


def test_known_places_keep_earlier_aliases():
    gaz = load_gazetteer()
    first, _, _ = resolve([cand("a", "the U.S. said", "U.S.", "GPE")], [], gaz)
    ents, _, _ = resolve([cand("b", "the United States said", "United States", "GPE")], first, gaz)
    assert ents[0].entity_id == first[0].entity_id and ents[0].aliases == ["U.S.", "United States"]


def test_type_harmonisation():
    gaz = load_gazetteer()
    b = "Andrei Kortunov spoke. Kortunov continues. Fighting in Kiev and the Donbass region. Ukrainian troops."
    cands = [cand("a", b, "Andrei Kortunov", "PERSON"), cand("a", b, "Kortunov", "ORG", 1),
             cand("a", b, "Kiev", "PERSON"), cand("a", b, "Donbass", "PERSON"), cand("a", b, "Ukrainian", "GPE")]
    harmonise_types(cands, gaz, {"a": b})
    assert [c.label for c in cands] == ["PERSON", "PERSON", "GPE", "LOC", "NORP"]


def test_memory_skips_names_glued_to_unknown_capitalised_words():
    gaz = load_gazetteer()
    lexicon = trusted_lexicon([], [Entity("w", "West", "LOC", ["West"], mention_count=5)], gaz)
    body = "The West spoke. West Bank settlers left. And West spoke again."
    found = find_remembered("a", body, len(body), [], lexicon, [0, 16, 41])
    assert [body[c.start:c.end] for c in found] == ["West", "West"]
    assert [c.start for c in found] == [4, body.index("And West") + 4]


def test_bare_surname_goes_to_the_dominant_namesake_in_the_corpus():
    known = [Entity("vp", "Vladimir Putin", "PERSON", ["Vladimir Putin", "Putin"], mention_count=120),
             Entity("ip", "Igor Putin", "PERSON", ["Igor Putin"], mention_count=2),
             Entity("jb", "Joe Biden", "PERSON", ["Joe Biden"], mention_count=50),
             Entity("hb", "Hunter Biden", "PERSON", ["Hunter Biden"], mention_count=30)]
    b = "Putin spoke. Biden listened."
    _, mentions, _ = resolve([cand("a", b, "Putin", "PERSON"), cand("a", b, "Biden", "PERSON")], known,
                          load_gazetteer())
    ids = {m.surface: m.entity_id for m in mentions}
    assert ids["Putin"] == "vp"
    assert ids["Biden"] not in {"jb", "hb"}  # no namesake dominates: the bare surname stays apart


def test_lone_given_name_joins_the_person_whose_surname_the_article_uses():
    b1 = "Joe Biden met Jill Biden."
    b2 = "Even if (U.S. President Joe) Biden manages it, Joe Smith said nothing."
    cands = [cand("a", b1, "Joe Biden", "PERSON"), cand("a", b1, "Jill Biden", "PERSON"),
             cand("b", b2, "Joe", "PERSON"), cand("b", b2, "Biden", "PERSON"), cand("b", b2, "Joe Smith", "PERSON")]
    _, mentions, _ = resolve(cands, [], load_gazetteer())
    ids = {(m.article_id, m.start_char): m.entity_id for m in mentions}
    joe_biden = ids[("a", 0)]
    # "Biden" alone is ambiguous corpus-wide (Joe, Jill): it stays apart, and so does "Joe"
    assert ids[("b", b2.index("Joe)"))] != joe_biden
    known = [Entity("jb", "Joe Biden", "PERSON", ["Joe Biden", "Biden"], mention_count=40)]
    cands = [cand("b", b2, "Joe", "PERSON"), cand("b", b2, "Biden", "PERSON")]
    _, mentions, _ = resolve(cands, known, load_gazetteer())
    assert {m.entity_id for m in mentions} == {"jb"}


def test_sentences_split_at_paragraphs_and_glued_full_stops():
    from pipeline.extract.nlp import rule_sentences

    text = "Headline without a stop\n\nThey met in the Cold War.The NATO-Russia Council did not. U.S. officials agreed."
    spans = [text[s:e] for s, e in rule_sentences(text)]
    assert spans == ["Headline without a stop", "They met in the Cold War.", "The NATO-Russia Council did not.",
                     "U.S. officials agreed."]


def _entities_by_mention(cands, gaz, rename=lambda a: a):
    for c in cands:
        c.article_id = rename(c.article_id)
    entities, mentions, _ = resolve(cands, [], gaz)
    named = {e.entity_id: e for e in entities}
    assert len(named) == len(entities)  # one row per id
    return {(m.article_id, m.start_char): (named[m.entity_id].canonical_name, tuple(sorted(named[m.entity_id].aliases)))
            for m in mentions}


def test_a_name_with_a_letterless_tail_is_the_same_person_whatever_the_article_ids():
    """Glued references ("Miller RA ." before a reference number) once made a second cluster
    with the same id; the entity row then came from whichever article id sorted first."""
    gaz = load_gazetteer()
    bodies = {"a": "Miller RA said the results held.", "b": "Smith J, Miller RA . (2019) Vaccines."}

    def cands():
        return [cand("a", bodies["a"], "Miller RA", "PERSON"), cand("b", bodies["b"], "Miller RA .", "PERSON")]

    plain = _entities_by_mention(cands(), gaz)
    swapped = _entities_by_mention(cands(), gaz, rename={"a": "z", "b": "a"}.get)
    assert {k[1]: v for k, v in plain.items()} == {k[1]: v for k, v in swapped.items()}
    assert set(plain.values()) == {("Miller RA", ("Miller RA", "Miller RA ."))}


def test_names_in_other_scripts_do_not_share_one_key():
    """fold keeps Latin letters only: two Cyrillic names once both folded to "" and became one
    entity. A surname alone still joins the full name the article uses."""
    gaz = load_gazetteer()
    body = "Иван Петров встретил Сергея. Сергей Иванов ответил. Иванов ушёл."
    found = resolve([cand("a", body, "Иван Петров", "PERSON"), cand("a", body, "Сергей Иванов", "PERSON"),
                     cand("a", body, "Иванов", "PERSON", nth=1)], [], gaz)
    entities, mentions, _ = found
    assert sorted(e.canonical_name for e in entities) == ["Иван Петров", "Сергей Иванов"]
    ids = {m.surface: m.entity_id for m in mentions}
    assert ids["Иванов"] == ids["Сергей Иванов"] != ids["Иван Петров"]


def test_clusters_sharing_an_id_merge_the_same_in_any_order():
    from collections import Counter

    from pipeline.extract.entity_clusters import Cluster, merge_clusters

    a = Cluster("ORG", "k", surfaces=Counter({"Acme Corp": 2}))
    b = Cluster("ORG", "k", surfaces=Counter({"ACME Corp.": 2, "Acme Corp": 1}), country_code="US")
    one, other = merge_clusters([a, b]).to_entity(), merge_clusters([b, a]).to_entity()
    assert one == other
    assert one.canonical_name == "Acme Corp" and one.aliases == ["ACME Corp.", "Acme Corp"]
    assert one.country_code == "US"


def test_a_name_joins_its_longer_form_with_a_generic_tail_only():
    b = "The Rhodium Group said so. Rhodium added more. Apple Music grew while Apple fell."
    cands = [cand("a", b, "Rhodium Group", "ORG"), cand("a", b, "Rhodium", "ORG", nth=1),
             cand("a", b, "Apple Music", "ORG"), cand("a", b, "Apple", "ORG", nth=1)]
    _, mentions, _ = resolve(cands, [], load_gazetteer())
    ids = {m.surface: m.entity_id for m in mentions}
    assert ids["Rhodium"] == ids["Rhodium Group"]
    assert ids["Apple"] != ids["Apple Music"]
