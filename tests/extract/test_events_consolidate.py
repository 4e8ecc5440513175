"""Consolidation rules on hand-made mentions: date tolerance, families, actors, one article."""

from __future__ import annotations

from pipeline.extract.event_consolidate import Cluster, Member, best_cluster, date_distance, pattern_match


def _m(article: str, start: int, etype: str, family: str, value: str, gran: str = "day",
       actors=("putin", "biden"), location=None, keys=None, specific=None, dated=True,
       roles=(None, None), modality="occurred") -> Member:
    return Member((article, start, etype), article, etype, family, value, gran, list(actors), location, 0.8,
                  True, frozenset(keys if keys is not None else actors),
                  frozenset(specific if specific is not None else actors), modality, dated,
                  roles=tuple(frozenset({r}) if r else frozenset() for r in roles))


def _cluster(event_id: str, *members: Member) -> Cluster:
    return Cluster(event_id, list(members))


def test_day_tolerance_is_one_day_and_coarse_dates_contain_days():
    assert date_distance("2021-12-30", "day", "2021-12-31", "day") == 1
    assert date_distance("2021-12-30", "day", "2022-01-01", "day") is None
    assert date_distance("2022-01-12", "day", "2022-01", "month") == 0
    assert date_distance("2022-02-01", "day", "2022-01", "month") is not None  # within a day of its end
    assert date_distance("2022-03-01", "day", "2022-01", "month") is None
    assert date_distance("2021", "year", "2021-06-16", "day") == 0


def test_call_dated_a_day_apart_by_two_outlets_is_one_event():
    call = _cluster("e1", _m("a", 10, "call", "consult", "2021-12-30"))
    night = _m("b", 50, "call", "consult", "2021-12-31", actors=("putin", "biden", "kremlin"))
    assert best_cluster(night, [call]) is call


def test_different_family_or_no_shared_actor_or_far_date_is_another_event():
    talks = _cluster("e1", _m("a", 10, "meeting", "consult", "2022-01-10", actors=("us", "russia")))
    assert best_cluster(_m("b", 5, "sanctions", "sanctions", "2022-01-10", actors=("us", "russia")), [talks]) is None
    assert best_cluster(_m("b", 5, "meeting", "consult", "2022-01-10", actors=("france", "mali")), [talks]) is None
    assert best_cluster(_m("b", 5, "meeting", "consult", "2022-01-12", actors=("us", "russia")), [talks]) is None


def test_a_shared_place_ties_two_reports_only_with_both_actors():
    summit = _cluster("e1", _m("a", 10, "summit", "consult", "2023-05-19", actors=("japan",), location="Hiroshima"))
    other = _m("b", 7, "summit", "consult", "2023-05-19", actors=("g7",), location="Hiroshima")
    assert best_cluster(other, [summit]) is None  # a place alone: two summits in one city
    talks = _cluster("e2", _m("a", 10, "talks", "consult", "2023-05-19", actors=("japan", "us"),
                              roles=("japan", "us"), location="Hiroshima"))
    # The parse read other roles ("the US and the G7 met Japan"), but both actors are named there.
    same_place = _m("b", 7, "talks", "consult", "2023-05-19", actors=("us", "g7", "japan"), roles=("us", "g7"),
                    location="Hiroshima")
    assert best_cluster(same_place, [talks]) is talks
    elsewhere = _m("b", 7, "talks", "consult", "2023-05-19", actors=("us", "g7", "japan"), roles=("us", "g7"))
    assert best_cluster(elsewhere, [talks]) is None


def test_source_and_target_agree_not_any_shared_name():
    call = _cluster("e1", _m("a", 10, "call", "consult", "2021-12-30", roles=("biden", "putin")))
    assert best_cluster(_m("b", 3, "call", "consult", "2021-12-30", actors=("putin", "biden"),
                           roles=("putin", "biden")), [call]) is call  # either way round
    zelensky = _m("b", 3, "call", "consult", "2021-12-30", actors=("biden", "zelensky"), roles=("biden", "zelensky"))
    assert best_cluster(zelensky, [call]) is None  # Biden in both: another call
    # A role the parse left empty: what is filled must be named by the other mention.
    assert best_cluster(_m("c", 3, "call", "consult", "2021-12-30", actors=("putin",), roles=("putin", None)),
                        [call]) is call
    # No role filled: two of the other's actors must be named.
    assert best_cluster(_m("c", 3, "call", "consult", "2021-12-30", actors=("putin", "biden", "kremlin")),
                        [call]) is call
    assert best_cluster(_m("c", 3, "call", "consult", "2021-12-30", actors=("putin", "kremlin")), [call]) is None


def test_a_speaker_alone_does_not_make_two_statements_one():
    said = _cluster("e1", _m("a", 10, "statement", "make_public_statement", "1998-08-17", actors=("fbi",),
                             roles=("fbi", None)))
    elsewhere = _m("b", 40, "statement", "make_public_statement", "1998-08-17", actors=("fbi",), roles=("fbi", None))
    assert best_cluster(elsewhere, [said]) is None
    # One article telling its speaker's statement twice, on the same day: one statement.
    again = _m("a", 90, "statement", "make_public_statement", "1998-08-17", actors=("fbi",), roles=("fbi", None))
    assert best_cluster(again, [said]) is said


def test_what_may_happen_or_did_not_is_not_what_happens():
    asked = _cluster("e1", _m("a", 10, "appeal", "make_appeal", "2000-06-01", roles=("father", "relatives"),
                              actors=("father", "relatives")))
    could = _m("a", 90, "appeal", "make_appeal", "2000-06-01", roles=("relatives", None), actors=("relatives",),
               modality="hypothetical")
    assert best_cluster(could, [asked]) is None
    planned = _m("b", 5, "appeal", "make_appeal", "2000-06-01", roles=("father", "relatives"),
                 actors=("father", "relatives"), modality="scheduled")
    assert best_cluster(planned, [asked]) is asked  # announced before, reported after: one event
    refused = _m("b", 5, "appeal", "make_appeal", "2000-06-01", roles=("father", "relatives"),
                 actors=("father", "relatives"), modality="negated")
    assert best_cluster(refused, [asked]) is None
    summit = _cluster("e2", _m("c", 1, "summit", "consult", "1999-04-24", roles=("nato", None), actors=("nato",),
                               modality="scheduled"))
    would = _m("d", 9, "summit", "consult", "1999-04-24", roles=("nato", None), actors=("nato",),
               modality="hypothetical")
    assert best_cluster(would, [summit]) is summit  # "would still be held" and "is set for": one to come


def test_one_article_naming_two_days_names_two_events():
    nato = _cluster("e1", _m("a", 10, "meeting", "consult", "2022-01-12", actors=("russia", "nato")))
    osce_same_article = _m("a", 90, "meeting", "consult", "2022-01-13", actors=("russia", "osce"))
    assert best_cluster(osce_same_article, [nato]) is None
    osce_other_article = _m("b", 90, "meeting", "consult", "2022-01-13", actors=("russia", "osce"))
    assert best_cluster(osce_other_article, [nato]) is None  # Russia in both: not enough
    nato_other_article = _m("b", 90, "meeting", "consult", "2022-01-13", actors=("nato", "russia"))
    assert best_cluster(nato_other_article, [nato]) is nato  # a day apart, the same two actors


def test_best_match_prefers_more_shared_actors_then_closer_dates():
    nato = _cluster("e1", _m("a", 10, "meeting", "consult", "2022-01-12", actors=("russia", "nato")))
    osce = _cluster("e2", _m("a", 90, "meeting", "consult", "2022-01-13", actors=("russia", "osce")))
    assert best_cluster(_m("b", 1, "meeting", "consult", "2022-01-13", actors=("nato", "russia")), [osce, nato]) is nato
    assert best_cluster(_m("b", 1, "meeting", "consult", "2022-01-13", actors=("russia", "osce"),
                           roles=("russia", None)), [nato, osce]) is osce  # both fit: the same day wins
    assert best_cluster(_m("b", 1, "meeting", "consult", "2022-01-13", actors=("russia",)), [nato, osce]) is None


def test_a_month_joins_a_dated_event_only_through_named_people_or_place():
    dec7 = _cluster("e1", _m("a", 10, "meeting", "consult", "2021-12-07", actors=("biden", "putin", "ru"),
                             keys=("biden", "putin", "cc:RU"), specific=("biden", "putin")))
    stockholm = _m("b", 3, "meeting", "consult", "2021-12", "month", actors=("blinken", "lavrov", "russia"),
                   keys=("blinken", "lavrov", "russia", "cc:RU"), specific=("blinken", "lavrov"))
    assert best_cluster(stockholm, [dec7]) is None  # both involve Russia: not enough for a month
    same_people = _m("c", 3, "meeting", "consult", "2021-12", "month", specific=("biden",), actors=("biden",),
                     roles=("biden", None))
    assert best_cluster(same_people, [dec7]) is dec7


def test_year_less_dates_find_their_event_by_month_day_or_a_unique_weekday():
    geneva = _cluster("e1", _m("a", 1, "meeting", "consult", "2022-01-10", actors=("us", "russia")))
    nato = _cluster("e2", _m("a", 50, "meeting", "consult", "2022-01-12", actors=("nato", "russia")))
    keys = frozenset({"russia"})
    assert pattern_match((1, 10), None, "consult", keys, None, [geneva, nato]) is geneva
    assert pattern_match((1, 11), None, "consult", keys, None, [geneva, nato]) is geneva  # a day's tolerance
    assert pattern_match((1, 10), None, "sanctions", keys, None, [geneva, nato]) is None
    assert pattern_match(None, 2, "consult", frozenset({"nato"}), None, [geneva, nato]) is nato  # a Wednesday
    second_wednesday = _cluster("e3", _m("c", 5, "meeting", "consult", "2022-01-19", actors=("nato", "russia")))
    assert pattern_match(None, 2, "consult", keys, None, [nato, second_wednesday]) is None  # ambiguous
    undated = _cluster("e4", _m("d", 5, "meeting", "consult", "2022-01-10", actors=("us",), dated=False))
    assert pattern_match((1, 10), None, "consult", frozenset({"us"}), None, [undated]) is None


def test_ties_go_by_what_the_events_say_not_by_their_ids():
    """Event ids derive from article ids, which derive from paths and URLs: the same news under
    other names once joined a tied mention to the other event."""
    def tied(first_id: str, second_id: str) -> tuple[Cluster, Cluster]:
        # Both one day off the mention and sharing one actor with it: equal scores.
        return (_cluster(first_id, _m("a", 1, "meeting", "consult", "2022-01-09", actors=("us", "russia"))),
                _cluster(second_id, _m("b", 1, "meeting", "consult", "2022-01-11", actors=("us", "china"))))

    mention = _m("c", 7, "meeting", "consult", "2022-01-10", actors=("us",), roles=("us", None))
    for ids in (("e1", "e2"), ("e2", "e1")):
        ninth, eleventh = tied(*ids)
        assert best_cluster(mention, [ninth, eleventh]) is ninth
        assert best_cluster(mention, [eleventh, ninth]) is ninth
        # A year-less "January 10" a day from both: the same event whatever the ids.
        assert pattern_match((1, 10), None, "consult", frozenset({"us"}), None, [eleventh, ninth]) is ninth
    same = (_cluster("e2", _m("a", 1, "meeting", "consult", "2022-01-09", actors=("us",), roles=("us", None))),
            _cluster("e1", _m("b", 1, "meeting", "consult", "2022-01-09", actors=("us",), roles=("us", None))))
    assert best_cluster(mention, list(same)) is same[1]  # saying the same: the id decides, still one answer


def test_a_year_joins_an_event_only_when_source_and_target_agree():
    # Two statements that both say "in 2005" and share one actor (or none) are two events.
    heineken = _cluster("e1", _m("a", 10, "statement", "statement", "2005", "year", actors=("heineken", "nl"),
                                 roles=("heineken", "nl")))
    gm = _m("b", 4, "statement", "statement", "2005", "year", actors=("general_motors", "nl"),
            roles=("general_motors", "nl"))
    assert best_cluster(gm, [heineken]) is None
    unparsed = _m("c", 4, "statement", "statement", "2005", "year", actors=("heineken", "nl"))
    assert best_cluster(unparsed, [heineken]) is None  # the same names, roles unknown: not for a year
    again = _m("c", 4, "statement", "statement", "2005", "year", actors=("nl", "heineken"), roles=("nl", "heineken"))
    assert best_cluster(again, [heineken]) is heineken


def test_a_place_alone_ties_only_the_same_kind_of_event_on_the_same_day():
    visit = _cluster("e1", _m("a", 10, "visit", "consult", "2005-06-07", actors=("bush",), location="London"))
    tour = _m("b", 7, "campaign", "consult", "2005-06-07", actors=("kennedy",), location="London")
    assert best_cluster(tour, [visit]) is None  # a campaign tour and a state visit in one city
    monthly = _m("c", 7, "visit", "consult", "2005-06", "month", actors=("blair",), location="London")
    assert best_cluster(monthly, [visit]) is None


def _anchored(m: Member) -> Member:
    m.anchored = True
    return m


def test_a_report_day_joins_an_event_dated_in_the_text_only_when_both_roles_agree_and_not_after_it():
    explicit = _m("a1", 10, "accuse", "accuse", "2023-06-06", roles=("rus", "ukr"))
    event = _cluster("e1", explicit)
    # Reported on the 7th, no date in the sentence: the accusation of the 6th, same roles.
    assert best_cluster(_anchored(_m("a2", 5, "accuse", "accuse", "2023-06-07", roles=("rus", "ukr"))),
                        [event]) is event
    # Only the source agrees: the report day is too weak to tie them.
    assert best_cluster(_anchored(_m("a3", 5, "accuse", "accuse", "2023-06-07", roles=("rus", None))),
                        [event]) is None
    # Reported the day before the dated event: it cannot have reported that event.
    assert best_cluster(_anchored(_m("a4", 5, "accuse", "accuse", "2023-06-05", roles=("rus", "ukr"))),
                        [event]) is None
    # An event founded by a report day: a text date after that day is another event.
    founded = _cluster("e2", _anchored(_m("a5", 5, "accuse", "accuse", "2023-06-07", roles=("rus", "ukr"))))
    assert best_cluster(_m("a6", 9, "accuse", "accuse", "2023-06-08", roles=("rus", "ukr")), [founded]) is None
    assert best_cluster(_m("a7", 9, "accuse", "accuse", "2023-06-06", roles=("rus", "ukr")), [founded]) is founded


def test_a_date_in_the_text_outvotes_report_days():
    cluster = _cluster("e1", _anchored(_m("a1", 1, "accuse", "accuse", "2023-06-07")),
                       _anchored(_m("a2", 1, "accuse", "accuse", "2023-06-07")),
                       _m("a3", 1, "accuse", "accuse", "2023-06-06"))
    assert cluster.date() == ("2023-06-06", "day")
