"""Products, software and diseases are no people, organisations or places; a small town is a
place by the state after it and by a person's address; a kinship word after a possessive marks
a person. The real spaCy model on synthetic articles written as news and blogs write."""

from __future__ import annotations

from pipeline.extract.entities import extract_entities
from pipeline.extract.gazetteer import load_gazetteer
from pipeline.extract.type_evidence import cue_votes
from pipeline.settings import Settings
from tests.extract.entity_helpers import article, model_types, types_of

SETTINGS = Settings()


def model_labels(body: str, surface: str) -> set[str]:
    from pipeline.extract.nlp import parse_texts

    return {label for p in parse_texts([body], SETTINGS) for s, e, label in p.ents if body[s:e] == surface}


# "Kestrel", a language no vocabulary knows (Pygments names Java): the cues alone decide
SOFTWARE = ("The bank's Kestrel code runs on most of its servers, and engineers rewrote the Kestrel interpreter "
            "settings last year. Kestrel is easy to hire for, said Maria Lopez, who teaches at Stanford. Google "
            "said in a statement that it would keep supporting Kestrel.")
ELSEWHERE = "The course moved from Kestrel to Rust this year. Kestrel was chosen by Tom Reed, the dean."


def test_software_named_with_firm_cues_is_not_stored_in_any_article_of_the_batch():
    out = extract_entities([article("a", SOFTWARE), article("b", ELSEWHERE)], SETTINGS, [])
    found = types_of(out)
    assert "Kestrel" not in found
    assert found["Google"] == {"ORG"} and found["Maria Lopez"] == {"PERSON"}
    # the second article alone has no cue: the model's reading stands there
    alone = types_of(extract_entities([article("b", ELSEWHERE)], SETTINGS, []))
    assert alone["Kestrel"] == {"PERSON"}


def test_a_name_the_second_vote_calls_a_product_is_not_stored_either():
    # the model misses some mentions of a syndrome in capitals; they are found again and the
    # second, batch-wide vote, which sees them with their cues, calls the name a product
    body = ("Doctors reviewed 40 reports of DRESS. The DRESS cases were linked to allopurinol. DRESS "
            "syndrome is rare, and DRESS syndrome can be fatal, said Dr Ana Ruiz. A DRESS reaction "
            "starts weeks after the first dose. Early DRESS treatment helps.")
    out = extract_entities([article("a", body)], SETTINGS, [])
    assert {e.entity_type for e in out.entities} <= {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT"}
    assert "DRESS" not in types_of(out)


def test_a_disease_is_not_stored_and_a_place_with_cases_stays_a_place():
    body = ("Cases of COVID-19 rose again in Texas this week. Hospitals reported 400 new COVID-19 "
            "infections, and Texas cases are now at their highest since March. Officials urged "
            "anyone who tested positive for COVID-19 to stay home.")
    assert model_labels(body, "COVID-19") & {"ORG", "PERSON", "GPE"}  # what the cues overrule
    found = types_of(extract_entities([article("a", body)], SETTINGS, []))
    assert "COVID-19" not in found
    assert found["Texas"] == {"GPE"}


def test_a_company_named_before_product_words_stays_an_organisation():
    body = ("Apple said on Monday that sales of its phones rose. Apple devices now make up half of "
            "the market, and Apple users upgrade every three years, analysts said. Apple shares "
            "rose 3 percent.")
    assert types_of(extract_entities([article("a", body)], SETTINGS, []))["Apple"] == {"ORG"}


def test_a_small_town_is_a_place_by_its_state_and_by_a_person_s_address():
    gaz = load_gazetteer()
    assert gaz.place("Pana") is None  # too small for the gazetteer
    body = ("PANA, Ill. (WAND) — Police in Pana, Ill., arrested two people on Tuesday. Amanda Smith, 32, "
            "Pana, was charged with theft. A driver, 45, of Pana, was ticketed after a crash on Route 16. "
            "The Pana Police Department said the investigation continues.")
    found = types_of(extract_entities([article("a", body)], SETTINGS, []))
    assert found["Pana"] == {"GPE"}


def test_the_state_after_a_name_is_read_only_at_the_end_of_a_phrase():
    gaz = load_gazetteer()
    body = "He flew from Pana, Illinois, to Reno. NATO, Texas and Ohio sent envoys. Acme, Ohio-based, grew."
    def votes(name: str, label: str = "ORG") -> dict[str, int]:
        start = body.index(name)
        return dict(cue_votes(body, start, start + len(name), name, label, gaz).votes)
    assert votes("Pana").get("GPE") == 3
    assert "GPE" not in votes("NATO") and "GPE" not in votes("Acme")
    assert "GPE" not in votes("Pana", "PERSON")


def test_a_kinship_word_after_a_possessive_marks_a_person():
    body = ("We reached the village at dusk. Hadvar's uncle welcomed us and Hadvar's sister cooked. "
            "Hadvar said the road north was closed, and Hadvar left before dawn.")
    found = types_of(extract_entities([article("a", body)], SETTINGS, []))
    assert found["Hadvar"] == {"PERSON"}


def test_a_name_only_the_model_typed_takes_the_type_of_the_names_it_is_listed_with():
    body = ("Embiid did most of the work, with Batum, Oubre, Covington and Beverley each chipping in. "
            "Harris, Oubre, Covington and Batum all gave the Sixers enormous minutes. Batum hit an early three.")
    assert model_labels(body, "Batum") == {"ORG"}  # what the lists overrule
    found = types_of(extract_entities([article("a", body)], SETTINGS, []))
    assert found["Batum"] == {"PERSON"}
    companies = ("Apple, Google and Samsung sell most phones. Samsung said its sales rose, and Google "
                 "said its sales fell.")
    found = types_of(extract_entities([article("b", companies)], SETTINGS, []))
    assert found["Samsung"] == found["Google"] == {"ORG"}


# An article about a language, as a developer's blog writes it: the foundation named after it,
# "the Python language", versions ("Python 3"), developers.
LANGUAGE_BLOG = (
    "Porting Mercurial to Python 3 took us four years. The Python Software Foundation announced that "
    "Python 2 would reach its end of life in 2020, and the Python language maintainers insisted the "
    "Python 3 port was worth it. Python developers complained that Python 3 broke their code, and "
    "Python was slower to start than Perl or Ruby. Many Python programmers still write Python 2 "
    "today. The Python 3.6 release fixed much of that. Python scripts now run on both. Guido van "
    "Rossum said in 2018 that Python would not have another such break.")


def test_a_language_is_not_stored_beside_the_foundation_named_after_it_nor_with_its_version():
    found = types_of(extract_entities([article("a", LANGUAGE_BLOG)], SETTINGS, []))
    assert "Python" not in found and "Python 3" not in found and "Python 2" not in found
    assert found["Python Software Foundation"] == {"ORG"}
    assert found["Guido van Rossum"] == {"PERSON"}


def test_the_models_readings_of_a_language_name_vote():
    # one stray place reading among a person's ("Python" once read as GPE) does not make the
    # island; most readings a place's ("Java" in a travel story) still do
    from collections import Counter

    from pipeline.extract.entity_types import _software

    named = frozenset({"Python", "Java", "Perl"})
    assert _software("Python", Counter({"PERSON": 5, "GPE": 1}), named, False)
    assert not _software("Java", Counter({"GPE": 4, "ORG": 1}), named, False)


def test_a_heading_of_ordinary_words_read_as_a_person_is_not_stored():
    # the batch writes each word of the heading in lower case far more often than capitalised
    # mid-sentence; a person's name made of words is not ("Peter Drucker")
    body = ("Leadership Styles\nThe leadership styles a manager adopts shape the team. Leadership styles differ: "
            "some leaders decide alone, and other styles share the decision. Styles change with the task, and "
            "good leadership reads the team. Peter Drucker wrote that leadership is doing the right things.\n"
            "Keyboard Cover\nA keyboard cover keeps crumbs out of the keyboard. The cover is washable.")
    assert model_labels(body, "Leadership Styles") == {"PERSON"}  # what the batch's words overrule
    found = types_of(extract_entities([article("a", body)], SETTINGS, []))
    assert "Leadership Styles" not in found and "Keyboard Cover" not in found
    assert found["Peter Drucker"] == {"PERSON"}


def test_a_work_named_by_its_kind_and_called_is_not_stored_and_a_person_opening_a_title_stays():
    body = ("In 2005 Kirstie Alley starred in a TV show called Fat Actress. Fat Actress made fun of the "
            "industry, and Fat Actress was cancelled after one season. Later came a reality series called "
            "Kirstie Alley's Big Life, said Dan Wootton.")
    assert model_types(body, "Fat Actress") & {"ORG", "PERSON"}  # what the cue overrules
    found = types_of(extract_entities([article("a", body)], SETTINGS, []))
    assert "Fat Actress" not in found
    assert "Kirstie Alley" in found  # the title she opens does not make her a work


def test_a_company_before_version_stays_an_organisation():
    # "version", "developers" and "update" follow companies' names as often as products'
    body = ("Pelco announced last April that it will provide schools with an IBM version of intelligent "
            "video, said Tom Reed.")
    found = types_of(extract_entities([article("a", body)], SETTINGS, []))
    assert found.get("IBM") == {"ORG"}
