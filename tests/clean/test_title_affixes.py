"""A publisher's repeated title affix, learned across its titles (pipeline/clean/title_affixes.py)."""

from __future__ import annotations

from pipeline.clean.title_affixes import learn_affixes, strip_publisher_affixes


def test_a_prefix_and_a_suffix_shared_by_most_of_a_publishers_titles_are_cut():
    titles = ["Szorc's Digital Home | Mercurial and Python 3", "Szorc's Digital Home | Notes on packaging",
              "Szorc's Digital Home | Build systems | a review"]
    assert strip_publisher_affixes(("g", t) for t in titles) == \
        ["Mercurial and Python 3", "Notes on packaging", "Build systems | a review"]
    news = ["Flood warning for the coast - 新华网", "Port reopens - 新华网", "Trade talks resume - 新华网"]
    assert learn_affixes(news) == (set(), {"新华网"})


def test_a_piece_on_few_of_the_titles_or_on_too_few_titles_stays():
    titles = ["Live: port strike", "Live: budget vote", "Budget approved", "Schools lose funding",
              "Deficit within limits", "Port reopens", "Trade talks resume"]
    assert learn_affixes(titles) == (set(), set())  # 'Live' on 2 of 7
    assert learn_affixes(["A story | Site", "Another | Site", "A story | Site"]) == (set(), set())  # 2 distinct
    # A title that is nothing but the learned piece stays whole; another publisher's is untouched.
    got = strip_publisher_affixes([("a", "One | X"), ("a", "Two | X"), ("a", "Three | X"), ("b", "Four | X")])
    assert got == ["One", "Two", "Three", "Four | X"]
