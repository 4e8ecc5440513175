"""Operating systems and browsers, platforms by their users' handles, an airline named after a
state, a city of the publisher's country, peoples, journals by their citation: the real spaCy
model on synthetic articles.
Each case is one the model alone gets wrong (asserted first)."""

from __future__ import annotations

from pipeline.extract.entities import extract_entities
from pipeline.extract.gazetteer import load_gazetteer
from pipeline.extract.software_names import platform_names, software_names
from pipeline.extract.type_evidence import cue_votes
from pipeline.settings import Settings
from tests.extract.entity_helpers import article, model_types, types_in, types_of

SETTINGS = Settings()



def test_operating_systems_and_browsers_come_from_device_detector_s_lists():
    names = platform_names()
    assert {"Windows", "iOS", "Android", "Linux", "Ubuntu", "Firefox", "Chrome", "Safari", "Microsoft Edge"} <= names
    assert names <= software_names()
    # a device maker's name, a one-word browser that is an ordinary word or a given name, short capitals
    assert not {"Nintendo", "Atlas", "Jasmine", "Comet", "BSD", "Unknown"} & names


def test_an_operating_system_or_a_browser_the_model_reads_as_a_person_is_not_stored():
    body = ("Firefox now blocks trackers by default, and Firefox users can turn it off. Mozilla said "
            "Firefox would get faster. Windows still runs on most laptops, and Windows updates arrive monthly.")
    assert model_types(body, "Firefox") == {"PERSON"} and "ORG" in model_types(body, "Windows")
    found = types_of(extract_entities([article("a", body)], SETTINGS, []))
    assert "Firefox" not in found and "Windows" not in found
    assert found["Mozilla"] == {"ORG"}


def test_a_club_named_like_an_operating_system_stays_a_club_where_no_software_is_named():
    body = ("Red Star beat Partizan 2-1 in the Belgrade derby on Sunday. Red Star coach Milan Jovanovic "
            "praised his defence, and Red Star now lead the league by four points.")
    assert "Red Star" in platform_names() and model_types(body, "Red Star") == {"ORG"}
    assert types_of(extract_entities([article("a", body)], SETTINGS, []))["Red Star"] == {"ORG"}


def test_an_operating_system_the_model_reads_as_a_place_is_not_stored():
    body = ("Open Chrome and go to Settings. On Windows, press Ctrl+C to copy the file. To install the "
            "package on Ubuntu, run the command below.")
    assert model_types(body, "Windows") == {"LOC"} and model_types(body, "Ubuntu") == {"GPE"}
    found = types_of(extract_entities([article("a", body)], SETTINGS, []))
    assert "Windows" not in found and "Ubuntu" not in found


def test_a_platform_by_its_users_handles_and_follow_us_on_is_an_organisation():
    body = ("Follow the Herald on Twitter and on Facebook for updates.\nMaria Lopez writes on sport. "
            "Twitter: @marialopez\nTom Reed covers politics. Twitter: @tomreed")
    assert model_types(body, "Twitter") == {"PERSON"}
    out = extract_entities([article("a", body)], SETTINGS, [])
    assert types_in(out, "a", "Twitter") == {"ORG"}
    assert types_in(out, "a", "Maria Lopez") == types_in(out, "a", "Tom Reed") == {"PERSON"}


def test_a_state_that_opens_an_airline_s_name_is_the_airline_where_its_flights_are_named():
    airline = ("Alaska Airlines grounded its fleet on Friday. Alaska flights resumed on Saturday after "
               "inspections, and Alaska said the planes were safe. Alaska shares fell 3 percent.")
    state = ("Anchorage was cold on Monday. Alaska has more coastline than any other state, and Alaska "
             "voters chose a new senator. Delta flights to Alaska were full.")
    assert model_types(airline, "Alaska") == {"GPE"}
    out = extract_entities([article("a", airline), article("b", state)], SETTINGS, [])
    assert types_in(out, "a", "Alaska") == {"ORG"}
    assert types_in(out, "b", "Alaska") == {"GPE"}
    # an article that never gives the airline's full name: its flights name it, given the batch's
    # other article; alone, the state stays the state
    flights = ("Alaska flights were cancelled on Sunday after a door blew out. Alaska said its jets would be "
               "inspected.")
    assert model_types(flights, "Alaska") == {"GPE"}
    out = extract_entities([article("a", airline), article("b", state), article("f", flights)], SETTINGS, [])
    assert types_in(out, "f", "Alaska") == {"ORG"} and types_in(out, "b", "Alaska") == {"GPE"}
    assert types_in(extract_entities([article("f", flights)], SETTINGS, []), "f", "Alaska") == {"GPE"}


def test_a_city_of_the_publisher_s_country_stays_a_city_beside_its_council():
    body = ("Tonight at midnight Cork will move into Level 3. Cork County Council closed its offices, and "
            "pubs around Cork will serve outside only. Cork doctors urged caution.")
    assert model_types(body, "Cork") <= {"PERSON", "ORG"}
    irish = extract_entities([article("a", body, "https://www.corkbeo.ie/news/1")], SETTINGS, [])
    assert types_in(irish, "a", "Cork") == {"GPE"}
    # on a site of no country the model's reading stands: Cork is under the 1M people that make
    # a one-word name a place anywhere
    elsewhere = extract_entities([article("b", body, "https://www.example.com/news/1")], SETTINGS, [])
    assert types_in(elsewhere, "b", "Cork") != {"GPE"}


def test_peoples_are_a_group_of_people_not_a_place():
    body = ("Indigenous Peoples manage a quarter of the forests. Lands held by Indigenous Peoples lost "
            "less forest, the study found.")
    assert "GPE" in model_types(body, "Indigenous Peoples")
    found = types_of(extract_entities([article("a", body)], SETTINGS, []))
    assert found["Indigenous Peoples"] == {"NORP"}


def test_a_journal_by_its_citation_is_an_organisation_and_a_city_of_publication_stays_a_city():
    body = ("A study in Nature found that forests store more carbon. Writing in Nature, the authors said "
            "the trend would continue.")
    assert "GPE" in model_types(body, "Nature")
    assert types_of(extract_entities([article("a", body)], SETTINGS, []))["Nature"] == {"ORG"}
    gaz = load_gazetteer()
    city = "The novel was published in London in 1990."
    start = city.index("London")
    assert "ORG" not in cue_votes(city, start, start + 6, "London", "GPE", gaz).votes
    assert "ORG" not in cue_votes(city, start, start + 6, "London", "ORG", gaz).votes


def test_a_company_named_by_its_kind_is_an_organisation_in_the_whole_article():
    body = ("Kirstie Alley lost 70 pounds, she said, thanks to her own weight-loss company: Organic Liaison. "
            "Organic Liaison sold its programs online. Critics said Organic Liaison overstated the results, and "
            "Organic Liaison replied that Alley had also exercised.")
    assert model_types(body, "Organic Liaison") == {"PERSON"}  # on every mention: what the cue overrules
    assert types_of(extract_entities([article("a", body)], SETTINGS, []))["Organic Liaison"] == {"ORG"}


def test_an_island_named_so_once_is_a_place_in_the_whole_article_and_a_country_stays_a_country():
    body = ("The resort sits on Phu Quoc island in Vietnam. Phu Quoc has white beaches, and Phu Quoc draws "
            "travelers from Hanoi. Hyatt said Phu Quoc would get a second hotel. Visitors to the island of "
            "Ireland rose too.")
    assert model_types(body, "Phu Quoc") == {"PERSON"}
    found = types_of(extract_entities([article("a", body)], SETTINGS, []))
    assert found["Phu Quoc"] <= {"GPE", "LOC"} and found["Phu Quoc"]
    assert found["Ireland"] == {"GPE"}
