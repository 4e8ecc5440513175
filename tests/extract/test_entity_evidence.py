"""Type and name evidence beyond the model's label, with the real spaCy model on synthetic
articles: AP state abbreviations, states several countries have, a verb run into a name, the
publisher's own name, initials no gazetteer places, events at a date, kinship words."""

from __future__ import annotations

from dataclasses import replace

import pytest

from pipeline.errors import ConfigError
from pipeline.extract.cameo_dictionary import load_verb_dictionary
from pipeline.extract.entities import EntityOutput, extract_entities, site_names, strip_leading_verb
from pipeline.extract.gazetteer import load_gazetteer
from pipeline.extract.type_evidence import SPEECH_VERBS_FILE, speaks, speech_after
from pipeline.settings import Settings
from tests.extract.entity_helpers import article, model_types, types_of

SETTINGS = Settings()


def ids_of(out: EntityOutput, surface: str) -> set[str]:
    return {m.entity_id for m in out.mentions if m.surface == surface}


def test_ap_state_abbreviations_are_their_states():
    gaz = load_gazetteer()
    assert gaz.place("Calif.").name == gaz.place("Calif").name == "California"
    assert gaz.place("N.C.").name == "North Carolina"  # not New Caledonia's initials
    assert gaz.place("LA", frozenset({"US"})).name == "Los Angeles"
    assert gaz.place("La.").name == "Louisiana"
    body = ("NAPA, Calif. (KGO) -- Residents of Napa County packed a meeting on Tuesday. "
            "Officials in California said the vote was delayed, and a lawyer from Reno, Nev., "
            "joined by video. Nevada regulators did not comment.")
    out = extract_entities([article("a", body)], SETTINGS, [])
    assert ids_of(out, "Calif") == ids_of(out, "California") != set()
    assert ids_of(out, "Nev") == ids_of(out, "Nevada") != set()


def test_a_state_name_several_countries_have_is_read_in_the_article_s_country():
    gaz = load_gazetteer()
    assert gaz.subdivision("Amazonas") is None  # Brazil, Peru and Venezuela have one
    assert gaz.subdivision("Amazonas", frozenset({"BR"})).key == "BR-AM"
    body = ("Fires spread across Brazil this month. Amazonas declared an emergency, and Amazonas "
            "officials said smoke reached Manaus. Brazil's government sent troops to Amazonas.")
    out = extract_entities([article("a", body)], SETTINGS, [])
    assert types_of(out)["Amazonas"] == {"GPE"}
    e = next(e for e in out.entities if e.entity_id in ids_of(out, "Amazonas"))
    assert e.country_code == "BR"


def test_a_gerund_run_into_a_name_is_trimmed_and_given_names_are_not():
    body = ("Prince Harry spoke about his son on Sunday. Taking Archie outside is his favorite "
            "activity, he said.")
    out = extract_entities([article("a", body)], SETTINGS, [])
    names = {m.surface for m in out.mentions}
    assert "Archie" in names and "Taking Archie" not in names
    # a given name that ends like a gerund is a name to the tagger
    text = "Sterling Brown scored twice for the visitors."
    assert strip_leading_verb(text, 0, len("Sterling Brown"), 0, SETTINGS) == 0


def test_the_publisher_s_own_name_is_an_organisation():
    assert site_names(article("x", "x", "https://www.axios.com/2020/a.html")) == {"axios"}
    assert site_names(article("x", "x", "https://www.telegraph.co.uk/news/1")) == {"telegraph"}
    assert site_names(replace(article("x", "x", "https://edition.cnn.com/a"), publisher="CNN")) == {"cnn"}
    assert site_names(replace(article("x", "x", "https://m.bbc.co.uk/a"), publisher="BBC News")) == {"bbc", "bbcnews"}
    body = ("Kenneth Preston, a high school student, tells Axios that cameras follow him. The "
            "company declined to comment to Axios. Axios reported the contract on Monday.")
    with_site = extract_entities([article("a", body, "https://www.axios.com/future")], SETTINGS, [])
    assert types_of(with_site)["Axios"] == {"ORG"}


def test_a_sub_site_s_domain_label_is_no_publisher_unless_the_site_declares_it():
    # a project's wiki and a product's blog: their domain names the product, not a publisher
    assert site_names(article("x", "x", "https://wiki.python.org/moin/X")) == frozenset()
    assert site_names(replace(article("x", "x", "https://blog.amp.dev/2020/a"), publisher="The AMP Blog")) == \
        {"ampblog"}
    assert site_names(replace(article("x", "x", "https://wiki.python.org/a"), publisher="wiki.python.org")) == \
        frozenset()
    # "Docker" (a Pygments lexer) in another article of the batch: as the docs sub-site's publisher
    # it was an organisation there too; where the article names other software it is software,
    # not stored
    body = ("Docker makes it easy to ship an application. Teams at the bank moved their services to "
            "Docker on Linux last year, and Docker now runs their whole site.")
    docs = article("d", "Docker Inc. hired a new chief executive on Monday.", "https://docs.docker.com/get-started/")
    out = extract_entities([docs, article("o", body, "https://www.example.com/x")], SETTINGS, [])
    assert not {m.entity_type for m in out.mentions if m.article_id == "o" and m.surface == "Docker"}
    assert types_of(out)["Docker Inc"] == {"ORG"}


def test_initials_no_gazetteer_places_are_not_places():
    body = ("Companies across the industry now use AI to write code, and AI researchers worry about "
            "the cost. Officials in the US and the UK met in NYC on Monday.")
    out = extract_entities([article("a", body)], SETTINGS, [])
    types = types_of(out)
    assert "GPE" not in types.get("AI", set()) and "LOC" not in types.get("AI", set())
    assert types["US"] == types["UK"] == {"GPE"}


def test_an_occasion_at_a_date_is_an_event_and_kinship_words_mark_people():
    body = ("The film is a frontrunner at the Oscars next month. Its director said nobody could "
            "predict what might happen at the Oscars on Feb. 9. She was pregnant with her son "
            "Archie. After Archie was born, the couple moved. Archie's favourite word is hydrate.")
    out = extract_entities([article("a", body)], SETTINGS, [])
    types = types_of(out)
    assert types["Oscars"] == {"EVENT"}
    assert types["Archie"] == {"PERSON"}


def test_a_country_s_institution_is_qualified_by_its_country_and_kept_apart():
    japan = article("jp", "Japan's Finance Ministry said on Monday it was ready to act on the yen. The "
                          "Finance Ministry declined to say more, and Tokyo traders waited. The Japanese "
                          "Finance Ministry later confirmed the talks.")
    israel = article("il", "Israel's Finance Ministry cut its growth forecast. Officials at the Ministry of "
                           "Finance in Jerusalem said Israel would borrow more.")
    nowhere = article("x", "The Finance Ministry said nothing, a spokesman for the Finance Ministry added.")
    out = extract_entities([japan, israel, nowhere], SETTINGS, [])
    by_id = {e.entity_id: e for e in out.entities}
    jp = {m.entity_id for m in out.mentions if m.article_id == "jp" and "Ministry" in m.surface}
    il = {m.entity_id for m in out.mentions if m.article_id == "il" and "Ministry" in m.surface}
    bare = {m.entity_id for m in out.mentions if m.article_id == "x" and "Ministry" in m.surface}
    assert len(jp) == len(il) == 1 and jp != il and not bare & (jp | il)
    assert (by_id[next(iter(jp))].canonical_name, by_id[next(iter(jp))].country_code) == \
        ("Finance Ministry (Japan)", "JP")
    assert by_id[next(iter(il))].country_code == "IL"
    # the warehouse's entities in the next run: each country's ministry keeps its id
    again = extract_entities([japan, israel, nowhere], SETTINGS, out.entities)
    assert {m.entity_id for m in again.mentions if m.article_id == "jp" and "Ministry" in m.surface} == jp
    assert {m.entity_id for m in again.mentions if m.article_id == "x" and "Ministry" in m.surface} == bare


def test_numerals_and_headline_dashes_are_not_part_of_names():
    from pipeline.extract.entity_text import strip_numerals

    def cut(text: str, label: str) -> str:
        s, e = strip_numerals(text, 0, len(text), label)
        return text[s:e]

    assert cut("Liechtenstein 5-0", "GPE") == "Liechtenstein"
    assert cut("64 Bob Estes", "PERSON") == "Bob Estes"
    assert cut("Calif 1996-08-30", "GPE") == "Calif"
    assert cut("GERMANY - Bunds", "GPE") == "GERMANY"
    assert cut("Channel 4", "ORG") == "Channel 4"  # a plain number belongs to some names


def test_a_town_s_team_in_a_table_is_an_organisation_in_that_article_only():
    table = article("t", "Standings after Thursday games:\nToronto 63 71 .470 11\nDetroit 48 86 .358 26\n"
                         "Boston 69 65 .515 5\nSchedule for Friday:\nBoston v Detroit\n")
    prose = [article(f"p{i}", f"Officials in Toronto said on Monday that traffic in Detroit was light. "
                              f"Mayor Ellen Varga{i} spoke in Boston.") for i in range(3)]
    out = extract_entities([table, *prose], SETTINGS, [])
    in_table = {m.entity_type for m in out.mentions if m.article_id == "t" and m.surface in ("Toronto", "Detroit")}
    assert in_table == {"ORG"}
    assert {m.entity_type for m in out.mentions if m.article_id != "t" and m.surface in ("Toronto", "Detroit")} \
        == {"GPE"}


def test_a_dateline_is_a_place_found_where_the_model_misses_it():
    wire = article("w", "MOTOR RACING - RESULTS .\nBELGRADE 1996-08-30\nResults of the race held in the "
                        "city on Friday were announced by organisers.")
    standings = article("s", "BASEBALL - STANDINGS .\nNEW YORK 1996-08-30\nStandings:\nNEW YORK 74 59 .556 -\n"
                             "BOSTON 69 65 .515 5\n")
    out = extract_entities([wire, standings], SETTINGS, [])
    found = {(m.article_id, m.start_char): m.entity_type for m in out.mentions}
    assert found.get(("w", wire.body.index("BELGRADE"))) == "GPE"
    assert found.get(("s", standings.body.index("NEW YORK"))) == "GPE"  # the dateline
    assert found.get(("s", standings.body.index("NEW YORK 74"))) == "ORG"  # the team


def test_teams_in_score_lines_fixtures_and_standings_rows_are_found():
    body = ("SOCCER - RESULTS .\nResults of matches played on Saturday :\nFulham 1 Carlisle 0\n"
            "KANSAS CITY AT DETROIT\nStandings :\nBOSTON 69 65 .515 5 1/2\n"
            "Results of the athletics meeting :\n3. Irina Privalova ( Russia ) 11.02\n")
    out = extract_entities([article("r", body)], SETTINGS, [])
    types = types_of(out)
    for team in ("Fulham", "Carlisle", "KANSAS CITY", "DETROIT", "BOSTON"):
        assert types.get(team) == {"ORG"}, team
    assert types.get("Irina Privalova") == {"PERSON"}


def test_the_americas_are_a_region_and_prefixes_are_not_part_of_names():
    gaz = load_gazetteer()
    assert gaz.place("Americas").kind == "region"  # not "America" with a typo
    assert gaz.place("America").key == "US"
    from pipeline.extract.entity_text import strip_prefix

    assert "post-Brexit"[strip_prefix("post-Brexit", 0, 11):] == "Brexit"
    assert strip_prefix("Rolls-Royce", 0, 11) == 0


def test_a_country_s_government_is_qualified_like_its_other_institutions():
    body = ("Guyana's opposition criticised the budget. Government officials in Georgetown said "
            "the Government would publish the figures, and Parliament will debate them in Guyana.")
    out = extract_entities([article("g", body)], SETTINGS, [])
    names = {e.canonical_name for e in out.entities if e.entity_id in ids_of(out, "Government")}
    assert names == {"Government (Guyana)"}
    assert {e.canonical_name for e in out.entities if e.entity_id in ids_of(out, "Parliament")} \
        == {"Parliament (Guyana)"}


def test_a_label_in_capitals_is_not_a_name():
    blotter = [article(f"b{i}", f"ACCIDENT - A vehicle driven by Kimberly Carrell{i} struck a fence in "
                                f"Taylorville. No injuries were reported in the accident.\n"
                                f"HOUSTON (KGO) -- Officials in Houston said the accident was minor.")
               for i in range(3)]
    out = extract_entities(blotter, SETTINGS, [])
    names = {m.surface for m in out.mentions}
    assert "ACCIDENT" not in names  # the model reads it as an organisation
    assert "HOUSTON" in names  # a place in capitals stays


def test_products_and_laws_vote_against_person_and_org_and_are_not_stored():
    # the model reads "Windows 11" as a place once, a law once and a product once: two votes
    # of three say it is no person, organisation or place
    body = ("Microsoft released Windows 11 on Tuesday. Windows 11 needs newer chips, and Microsoft "
            "said Windows 11 would be free.")
    out = extract_entities([article("a", body)], SETTINGS, [])
    found = types_of(out)
    assert found["Microsoft"] == {"ORG"}
    assert "Windows 11" not in found and "Windows" not in found
    assert all("Windows" not in e.canonical_name for e in out.entities)


def test_a_name_with_a_law_s_head_noun_is_a_law_not_an_organisation():
    # the model reads "the Agriculture Bill" as an organisation twice and as a law once
    body = ("MPs voted on the Agriculture Bill on Tuesday. Farmers said the Agriculture Bill would "
            "hurt them, and Theresa Villiers defended the Agriculture Bill.")
    out = extract_entities([article("a", body)], SETTINGS, [])
    assert types_of(out)  # other names are kept
    assert not any("Bill" in s for s in types_of(out))


def test_a_virus_variant_is_no_organisation_or_person():
    body = ("Cases of the Omicron variant rose in Europe. Omicron is now dominant, officials said, "
            "and the Omicron subvariant BA.2 spreads fast.")
    out = extract_entities([article("a", body)], SETTINGS, [])
    assert "Omicron" not in types_of(out)
    assert types_of(out)["Europe"] == {"LOC"}


def test_a_country_s_initials_the_model_reads_as_an_organisation_are_the_country():
    from pipeline.extract.entity_types import _country_initials

    gaz = load_gazetteer()
    assert _country_initials("BVI", gaz) and _country_initials("UAE", gaz)
    # initials of an official name ("Islamic Republic of Afghanistan") and short ones stay
    assert not _country_initials("IRA", gaz) and not _country_initials("UK", gaz)
    body = ("Premier Andrew Fahie was arrested in Miami on Thursday. The BVI government said it "
            "would meet, and BVI officials asked London for calm. Fahie has led the BVI since 2019.")
    out = extract_entities([article("a", body)], SETTINGS, [])
    assert types_of(out)["BVI"] == {"GPE"}
    e = next(e for e in out.entities if e.entity_id in ids_of(out, "BVI"))
    assert e.country_code == "VG"


def test_a_person_reading_with_figures_in_the_name_is_no_person():
    # the model reads "Omicron BA.2" as a person in each of its mentions
    body = ("Cases are rising in Europe and East Asia due to Omicron BA.2, and while overall new "
            "cases fall, infections are beginning to rise. Omicron BA.2 has already been detected "
            "in Canada, officials in Ottawa said.")
    out = extract_entities([article("a", body)], SETTINGS, [])
    assert not any("BA.2" in s for s in types_of(out))
    assert types_of(out)["Canada"] == {"GPE"}


def test_a_surname_read_as_a_people_is_the_person_of_the_article_s_full_name():
    # the model reads surnames ending like demonyms as a people ("-ian")
    body = ("Dr. Aron Kovarian was shot at his home on Friday. Police said Kovarian had received "
            "threats. Kovarian's wife called for help, and Kovarian died an hour later.")
    assert model_types(body, "Kovarian") == {"NORP"}
    out = extract_entities([article("a", body)], SETTINGS, [])
    assert types_of(out)["Kovarian"] == {"PERSON"}
    assert ids_of(out, "Kovarian") == ids_of(out, "Aron Kovarian")


def test_a_people_the_dictionaries_know_stays_a_people_beside_a_person_s_name():
    # a faith (Phoenix's agents) or a demonym (the gazetteer) is a people, whoever bears the name
    body = ("Christian Bale spoke to Christian leaders in Rome. Christian groups welcomed the film, "
            "and Bale thanked them.")
    assert model_types(body, "Christian") == {"NORP"}
    assert types_of(extract_entities([article("a", body)], SETTINGS, []))["Christian"] == {"NORP"}


def test_an_irregular_demonym_phoenix_lists_stays_a_people_beside_a_person_s_name():
    # "Dutch" is no stem of "Netherlands": the demonym comes from Phoenix's country file
    body = ("Dutch Ruppersberger spoke to Dutch officials in The Hague. Dutch ministers welcomed the "
            "bill, and Ruppersberger thanked them.")
    assert model_types(body, "Dutch") == {"NORP"}
    types = types_of(extract_entities([article("a", body)], SETTINGS, []))
    assert types["Dutch"] == {"NORP"} and types["Dutch Ruppersberger"] == {"PERSON"}


def test_a_place_that_opens_a_person_s_name_stays_the_place():
    # the model runs the city into the family's name ("Miami Gonzalez") and reads the city alone
    # as a place; the person's name only opens with it
    body = ("Lazaro Gonzalez, the boy's great-uncle, spoke outside the house in Miami. Miami Gonzalez "
            "relatives said they would appeal. Officials in Miami said the boy would stay in Miami "
            "until the court ruled.")
    assert model_types(body, "Miami") == {"GPE"} and model_types(body, "Miami Gonzalez") == {"PERSON"}
    out = extract_entities([article("a", body)], SETTINGS, [])
    assert types_of(out)["Miami"] == {"GPE"} and types_of(out)["Miami Gonzalez"] == {"PERSON"}
    assert ids_of(out, "Miami") != ids_of(out, "Miami Gonzalez")
    # ... unless the article uses the one word as the person: the subject of a speech verb
    body = ("Brooklyn Beckham spoke to reporters in the city on Monday. Brooklyn said the result was "
            "fair, and the crowd cheered.")
    assert model_types(body, "Brooklyn") == {"GPE"}
    out = extract_entities([article("b", body)], SETTINGS, [])
    assert types_of(out)["Brooklyn"] == {"PERSON"} and ids_of(out, "Brooklyn") == ids_of(out, "Brooklyn Beckham")


def test_a_newspaper_named_after_its_kind_is_an_organisation_though_a_province_bears_its_name():
    # Granma is a Cuban province, and the article names Cuba; "daily" says the newspaper
    body = ("Cuba's government attacked the ruling on Friday. The Communist Party daily Granma said "
            "the boy belonged in Cuba, and a letter from his father was published in Granma on Tuesday.")
    assert load_gazetteer().subdivision("Granma", frozenset({"CU"})) is not None
    assert types_of(extract_entities([article("a", body)], SETTINGS, []))["Granma"] == {"ORG"}
    body = ("Farmers in Granma province lost their crops after the storm. Officials in Granma said aid "
            "would arrive from Havana. A Havana newspaper said Havana officials had refused to comment.")
    types = types_of(extract_entities([article("b", body)], SETTINGS, []))
    assert types["Granma"] == {"GPE"} and types["Havana"] == {"GPE"}


def test_the_speech_verbs_are_verbs_of_the_cameo_dictionary_and_a_bad_line_says_where(tmp_path):
    # knowledge/speech_verbs.txt names its origin: every word a form of a vendored CAMEO verb,
    # SAY and TELL of its 010 "make statement" block
    verbs = load_verb_dictionary()
    words = [w for w in SPEECH_VERBS_FILE.read_text(encoding="utf-8").splitlines() if w and not w.startswith("#")]
    assert all(verbs.verbs.get(w.upper()) for w in words), [w for w in words if not verbs.verbs.get(w.upper())]
    assert {v.code for w in ("said", "told") for v in verbs.verbs[w.upper()]} == {"010"}
    body = "Brooklyn told reporters the result was fair. Officials in Miami said so, and Paris added a word."
    at = {name: (body.index(name), body.index(name) + len(name)) for name in ("Brooklyn", "Miami", "Paris")}
    assert [speaks(body, *at[n]) for n in ("Brooklyn", "Miami", "Paris")] == [True, False, True]
    bad = tmp_path / "verbs.txt"
    bad.write_text("# comment\nsaid\nhas said\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="verbs.txt:3"):
        speech_after.__wrapped__(bad)
