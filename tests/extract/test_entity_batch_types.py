"""Type evidence from the whole batch and from cues that speak for a whole article, with the
real spaCy model on synthetic articles: another article's publisher, a reading with evidence
in one article settling a model-only reading in another, a club by its players, legal forms
and tickers. Each case is one the model alone gets wrong (asserted first)."""

from __future__ import annotations

import pytest

from pipeline.extract.entities import extract_entities
from pipeline.extract.gazetteer import load_gazetteer
from pipeline.extract.software_names import platform_names
from pipeline.extract.type_evidence import cue_votes
from pipeline.settings import Settings
from tests.extract.entity_helpers import article, model_types, types_in, types_of

SETTINGS = Settings()



def test_another_article_s_publisher_is_an_organisation_across_the_batch():
    cited = ("Prices at Newegg rose. Newegg said demand was strong. Newegg sells graphics cards "
             "online, and Newegg ships them.")
    assert "PERSON" in model_types(cited, "Newegg")
    alone = extract_entities([article("b", cited, "https://www.example.com/x")], SETTINGS, [])
    assert types_of(alone)["Newegg"] == {"PERSON"}
    own = article("a", "Newegg said demand was strong on Monday.", "https://www.newegg.com/news/1")
    out = extract_entities([own, article("b", cited, "https://www.example.com/x")], SETTINGS, [])
    assert types_in(out, "b", "Newegg") == {"ORG"}


def test_a_reading_with_evidence_settles_a_model_only_reading_elsewhere_in_the_batch():
    bare = ("Sanchez scored twice on Saturday. Sanchez has now scored nine goals this season, and "
            "Sanchez was named man of the match.")
    assert model_types(bare, "Sanchez") == {"ORG"}
    named = article("a", "Arsenal striker Alexis Sanchez scored twice. Sanchez said Arsenal would win.")
    out = extract_entities([named, article("b", bare)], SETTINGS, [])
    assert types_in(out, "b", "Sanchez") == {"PERSON"}
    # the other way: a company the model reads as a person where nothing says otherwise
    company = article("c", "Lenoge Technology Ltd sold the battery. Lenoge said the battery was safe.")
    reader = "Lenoge sold the battery. Lenoge said the battery was safe, and Lenoge refused to pay."
    assert model_types(reader, "Lenoge") == {"PERSON"}
    out = extract_entities([company, article("d", reader)], SETTINGS, [])
    assert types_in(out, "d", "Lenoge") == {"ORG"}
    # a place is not re-typed from another article's evidence
    towns = [article("e", "Mayor Jane Paris spoke on Monday. Paris said taxes would rise."),
             article("f", "Paris was quiet on Monday, and Paris museums stayed open.")]
    assert types_in(extract_entities(towns, SETTINGS, []), "f", "Paris") <= {"GPE", "LOC"}


def test_a_club_by_its_players_and_staff_is_an_organisation_in_the_whole_article():
    body = "Galatasaray striker Tom Hardy scored twice. Galatasaray won again, and Galatasaray lead the table."
    assert model_types(body, "Galatasaray") == {"PERSON"}
    assert types_of(extract_entities([article("a", body)], SETTINGS, []))["Galatasaray"] == {"ORG"}
    # a national team is its country
    body = "England captain Harry Kane scored twice, and England won in Rome."
    assert types_of(extract_entities([article("b", body)], SETTINGS, []))["England"] == {"GPE"}


def test_legal_forms_and_tickers_make_a_company():
    body = "The battery came from Lenoge, Inc. Lenoge said the battery was safe, and Lenoge refused to pay."
    assert "PERSON" in model_types(body, "Lenoge")
    assert types_of(extract_entities([article("a", body)], SETTINGS, []))["Lenoge"] == {"ORG"}
    gaz = load_gazetteer()
    for text, name in (("Vantor (NYSE: VNT) fell.", "Vantor"), ("Vantor (VNT.N) fell.", "Vantor"),
                       ("Vantor Holdings plc said", "Vantor Holdings plc")):
        assert cue_votes(text, 0, len(name), name, "PERSON", gaz).wide == {"ORG"}, text
    assert not cue_votes("Vantor (NYC) fell.", 0, 6, "Vantor", "PERSON", gaz).votes


def test_programming_languages_and_formats_are_not_stored_and_people_keep_their_names():
    body = "Docker builds the image on Linux. Docker then starts the container, and Docker keeps logs."
    assert model_types(body, "Docker") == {"PERSON"}
    assert "Docker" not in types_of(extract_entities([article("a", body)], SETTINGS, []))
    tutorial = "Why Python? Python is popular with data scientists, and Python has many libraries for Linux."
    assert model_types(tutorial, "Python") == {"ORG"}
    assert "Python" not in types_of(extract_entities([article("t", tutorial)], SETTINGS, []))
    actress = article("b", "Julia Roberts starred in the film. Julia said she loved it.")
    assert model_types(actress.body, "Julia") == {"ORG"}
    assert types_of(extract_entities([actress], SETTINGS, []))["Julia"] == {"PERSON"}


def test_two_given_names_that_are_languages_do_not_vouch_for_each_other():
    # Pygments names both languages; nothing else in the story is software
    sisters = ("Julia and Ruby, two sisters from Leeds, won the relay on Saturday. Julia said the crowd "
               "helped, and Ruby thanked their coach. Their mother said Julia had trained for a year.")
    assert model_types(sisters, "Ruby") == {"PERSON"}
    assert types_of(extract_entities([article("a", sisters)], SETTINGS, [])).keys() >= {"Julia", "Ruby"}
    # a product cue anywhere in the article, even at a mention the model did not tag, says software
    languages = ("Julia and Ruby are popular languages for data work. Julia code runs fast, and Ruby "
                 "scripts are easy to write.")
    assert model_types(languages, "Ruby") == {"PERSON"}
    assert not types_of(extract_entities([article("b", languages)], SETTINGS, [])).keys() & {"Julia", "Ruby"}


def test_a_language_in_one_article_is_no_reason_to_drop_a_girl_of_that_name_in_another():
    tech = article("t", "Ruby code is easy to read, and the Ruby interpreter is fast. Many teams write Ruby code "
                        "for the web.")
    story = article("s", "Police found Ruby near the river on Sunday. Ruby was taken to hospital, and Ruby is "
                         "recovering.")
    assert model_types(story.body, "Ruby") == {"PERSON"}
    out = extract_entities([tech, story], SETTINGS, [])
    assert types_in(out, "s", "Ruby") == {"PERSON"}
    assert types_in(out, "t", "Ruby") == set()  # the language is not stored


def test_a_headland_by_its_last_word_and_its_first_word_alone_are_places():
    body = "Tourists drove to Mizen Head on Sunday. Mizen was busy, and Mizen will close next week."
    assert model_types(body, "Mizen Head") == {"PERSON"}
    types = types_of(extract_entities([article("a", body)], SETTINGS, []))
    assert types["Mizen Head"] == types["Mizen"] == {"LOC"}


def test_a_one_word_name_after_the_article_is_no_person_but_a_family_is():
    body = "For a year, the Louvre has fought for the painting. The Louvre said it would raise the money."
    assert model_types(body, "Louvre") == {"PERSON"}
    assert types_of(extract_entities([article("a", body)], SETTINGS, []))["Louvre"] == {"ORG"}
    gaz = load_gazetteer()
    for text, name in (("the Clintons said", "Clintons"), ("the Smith family said", "Smith")):
        assert not cue_votes(text, 4, 4 + len(name), name, "PERSON", gaz).votes, text
    assert not cue_votes("the Android app", 4, 11, "Android", "ORG", gaz).votes["ORG"]  # only against PERSON


def test_an_organisation_by_its_head_noun_and_an_award_that_is_no_entity():
    body = "Yukos Oil shares fell. Yukos Oil said it would appeal."
    assert model_types(body, "Yukos Oil") == {"PERSON"}
    assert types_of(extract_entities([article("a", body)], SETTINGS, []))["Yukos Oil"] == {"ORG"}
    gaz = load_gazetteer()
    assert cue_votes("the Carnegie Medal went", 4, 18, "Carnegie Medal", "PERSON", gaz).votes == {"OTHER": 3}
    assert not cue_votes("Oil fell", 0, 3, "Oil", "ORG", gaz).votes  # the head noun alone


def test_a_misspelt_cue_key_is_refused_not_ignored(tmp_path):
    from pipeline.errors import ConfigError
    from pipeline.extract.type_evidence import load_cues

    good = tmp_path / "good.toml"
    good.write_text('[[cue]]\nlabel = "ORG"\nafter = "\\\\s+shares"\narticle_wide = true\n', encoding="utf-8")
    (cue,) = load_cues.__wrapped__(good)
    assert cue.label == "ORG" and cue.article_wide and cue.after is not None and cue.after.match(" shares")
    bad = tmp_path / "bad.toml"
    bad.write_text('[[cue]]\nlabel = "ORG"\nafter = "\\\\s+shares"\narticle_wdie = true\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="article_wdie"):
        load_cues.__wrapped__(bad)


def test_a_language_s_name_counts_as_software_only_where_the_article_names_other_software():
    # the island: the model reads a person, the gazetteer does not know it, no software is named
    quake = ("An earthquake of magnitude 6.2 struck Java on Friday. Java was shaken for a minute, and "
             "rescuers in Java searched collapsed homes.")
    assert model_types(quake, "Java") == {"PERSON"}
    assert "Java" in types_of(extract_entities([article("q", quake)], SETTINGS, []))
    # the same name where the article names other software is no entity
    code = "Why Java? Java is popular with banks, and Java has many libraries for Linux."
    assert model_types(code, "Java") == {"PERSON"}
    assert types_of(extract_entities([article("c", code)], SETTINGS, [])).get("Java") is None


def test_an_organisation_s_cue_outvotes_the_software_lists():
    # "Red Hat" is an operating system in device-detector's list, and the article names Linux
    body = ("Red Hat's shares rose 5 percent on Tuesday. Red Hat sells support for Linux. Red Hat has "
            "20,000 staff, Red Hat hired more engineers, and Red Hat plans to grow.")
    assert "Red Hat" in platform_names() and "ORG" in model_types(body, "Red Hat")
    assert types_of(extract_entities([article("a", body)], SETTINGS, []))["Red Hat"] == {"ORG"}
