"""Events in sentences with no date: dated by the article's report day, or left undated."""

from __future__ import annotations

from datetime import datetime

import pytest

from pipeline.extract.entities import extract_entities
from pipeline.extract.events import extract_events
from pipeline.settings import load_settings
from tests.extract.test_events import _article

REPORTED = datetime(2023, 6, 7, 9, 30)


@pytest.fixture(scope="module")
def settings():
    return load_settings(env={})


def _run(settings, bodies: dict[str, str], published: datetime | None = REPORTED):
    arts = [_article(aid, body, published) for aid, body in bodies.items()]
    ents = extract_entities(arts, settings, [])
    out = extract_events(arts, ents.sentences, ents.mentions, ents.entities, settings, [], [])
    return out, {e.entity_id: e.canonical_name for e in ents.entities}


def test_undated_news_sentences_are_events_on_the_report_day(settings):
    out, names = _run(settings, {
        "n1": "Russia accused Ukraine of shelling the plant.",
        "n2": "Protesters clashed with police in Nairobi.",
        "n3": "Police arrested three opposition leaders in Minsk.",
    })
    by_article = {m.article_id: m for m in out.event_mentions}
    assert set(by_article) == {"n1", "n2", "n3"}
    for m in by_article.values():
        # Reported that day: day precision at most, less sure than the publication date itself.
        assert str(m.event_date) == "2023-06-07" and m.date_precision == "day"
        assert m.date_confidence in ("inferred", "weak") and m.date_text is None
        assert m.modality == "occurred"
    accuse = by_article["n1"]
    assert accuse.cameo_code.startswith("11") and names[accuse.actor1] == "Russia" and names[accuse.actor2] == "Ukraine"
    assert by_article["n2"].cameo_code.startswith("19") and by_article["n2"].location == "Nairobi"
    assert by_article["n3"].cameo_code.startswith("17") and by_article["n3"].actor1_code == "COP"


def test_no_undated_event_without_a_political_actor_or_an_occurrence(settings):
    out, _ = _run(settings, {
        "x1": "The band released a new album and fans accused the label of greed.",
        "x2": "Belarus will hold talks with Poland.",  # planned, and no date to plan it on
        "x3": "Leaders often talk about sanctions against Iran.",
        "x4": "Russia said the talks were useful.",  # a statement needs a date to be news
    })
    assert out.event_mentions == []


def test_an_undated_event_of_an_article_nothing_anchors_stays_undated(settings):
    out, _ = _run(settings, {"f1": "Russia accused Ukraine of shelling the plant."}, published=None)
    assert [(m.event_date, m.date_confidence, m.cameo_code[:2]) for m in out.event_mentions] == [(None, None, "11")]


def test_a_title_word_that_is_a_surname_named_before_is_that_person(settings):
    # "King" after "Bernice King": the person, not a government (KING is a Phoenix agent)
    out, names = _run(settings, {"k1": "Bernice King met the mayor of Atlanta on Monday. "
                                       "On Tuesday, King criticized the governor of Georgia."})
    crit = [m for m in out.event_mentions if m.cameo_code and m.cameo_code.startswith("11")]
    assert crit, [(m.cameo_code, m.sentence) for m in out.event_mentions]
    assert names.get(crit[0].actor1) == "Bernice King" and crit[0].actor1_code is None
