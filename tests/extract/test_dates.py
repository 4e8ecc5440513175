"""Date expressions: every surface form, year direction, false alarms, anchors, the CLI."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path

import pytest

from pipeline.extract.dates import find_dates, resolve_anchor, tense_at
from pipeline.records import Article

CASES = Path(__file__).parent / "cases" / "dates"
ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"


def _one(text: str, anchor: str) -> tuple[str, str, str]:
    found = find_dates(text, date.fromisoformat(anchor))
    assert len(found) == 1, [(e.text, e.value) for e in found]
    e = found[0]
    assert text[e.start:e.end] == e.text
    return e.text, e.value, e.granularity


# (sentence, anchor, expected text, value, granularity): written for these tests, not from seeds.
FORMS = [
    ("The envoys met on Jan. 10 in Vienna.", "2023-03-15", "Jan. 10", "2023-01-10", "day"),
    ("Voting ended on December 30 without incident.", "2024-01-03", "December 30", "2023-12-30", "day"),
    ("Talks will resume on January 8, the ministry said.", "2023-12-28", "January 8", "2024-01-08", "day"),
    ("The ministers spoke on Friday.", "2023-06-07", "Friday", "2023-06-02", "day"),
    ("The ministers will speak again on Friday.", "2023-06-07", "Friday", "2023-06-09", "day"),
    ("A new round is planned for next week.", "2023-06-07", "next week", "2023-06", "month"),
    ("The strike began on the night of January 3.", "2023-01-10", "the night of January 3", "2023-01-03", "day"),
    ("A ruling is expected in mid-January.", "2022-12-20", "mid-January", "2023-01", "month"),
    ("Crimea was annexed in 2014.", "2023-06-07", "2014", "2014", "year"),
    ("The pact was signed on 16 June 2021 in Geneva.", "2023-06-07", "16 June 2021", "2021-06-16", "day"),
    ("The pact was signed on June 16, 2021, in Geneva.", "2023-06-07", "June 16, 2021", "2021-06-16", "day"),
    ("Elections were held in November 2015.", "2023-06-07", "November 2015", "2015-11", "month"),
    ("The report is dated 2023-05-30.", "2023-06-07", "2023-05-30", "2023-05-30", "day"),
    ("The dam was breached three days ago.", "2023-06-07", "three days ago", "2023-06-04", "day"),
    ("Prices rose last month.", "2023-06-07", "last month", "2023-05", "month"),
    ("The drills ended yesterday.", "2023-06-07", "yesterday", "2023-06-06", "day"),
    ("In late May, rebels took the airport.", "2023-06-07", "late May", "2023-05", "month"),
    ("Growth should pick up in mid-2024.", "2023-06-07", "mid-2024", "2024", "year"),
    ("The vigil is on 21. November 2021 in Bonn.", "2021-11-01", "21. November 2021", "2021-11-21", "day"),
    ("Markets reopen on the 5th of June.", "2023-06-01", "the 5th of June", "2023-06-05", "day"),
    ("Ministers meet this week.", "2023-06-07", "this week", "2023-06", "month"),
]


@pytest.mark.parametrize("text,anchor,surface,value,gran", FORMS)
def test_each_form_resolves_against_the_anchor(text, anchor, surface, value, gran):
    assert _one(text, anchor) == (surface, value, gran)


def test_relative_to_the_previous_date_three_weeks_later_is_not_a_day():
    text = "The leaders talked on December 7. Three weeks later, on December 30, they spoke again."
    found = find_dates(text, date(2022, 1, 5))
    assert [(e.text, e.value, e.granularity) for e in found] == [
        ("December 7", "2021-12-07", "day"),
        ("Three weeks later", "2021-12", "month"),  # a week is stated as its month: no made-up day
        ("December 30", "2021-12-30", "day"),
    ]


def test_days_later_counts_from_the_previous_date():
    found = find_dates("Talks open on January 10. Two days later, NATO meets.", date(2022, 1, 4))
    assert [(e.text, e.value) for e in found] == [("January 10", "2022-01-10"), ("Two days later", "2022-01-12")]


def test_chained_expression_without_a_reference_is_not_resolved():
    assert find_dates("Three weeks later, the talks collapsed.", date(2023, 6, 7)) == []


@pytest.mark.parametrize("text,value", [
    ("The leaders met on January 5.", "2023-01-05"),           # past: the January before
    ("The leaders will meet on January 5.", "2024-01-05"),     # future: the next January
])
def test_month_day_year_follows_the_tense(text, value):
    assert _one(text, "2023-12-20")[1] == value


@pytest.mark.parametrize("text", [
    "The company paid $2,019 million for 2,021 new hires.",
    "Shares rose 3.5% to $20.22 at 10:30 a.m. local time.",
    "The flight landed at 11:35 p.m. Moscow time.",
    "Around 2000 troops were moved to the border.",
    "The minister may resign if the vote fails.",
    "March on Washington organisers expect 5,000 people.",
    "The mission ran through the 1990s.",
    "Room 2019 of the hotel was booked for 3 nights.",
    "Headline from Ukraine Today: markets calm.",
    "The ratio was 3/4 and the score 21-19.",
    "They signed on 03/04/2023, a date written either way round.",
    "The car turned west onto 2000N and hit the ditch.",
    "A fire broke out in the 2000 block of Main Street.",
])
def test_numbers_prices_times_and_words_are_not_dates(text):
    assert find_dates(text, date(2023, 6, 7)) == []


def test_never_invents_precision():
    values = {e.text: (e.value, e.granularity) for e in find_dates(
        "Sanctions were eased in early March and tightened in 2019.", date(2023, 6, 7))}
    assert values == {"early March": ("2023-03", "month"), "2019": ("2019", "year")}


def test_tense_cues():
    s = "Officials are due to meet in Geneva on January 10."
    assert tense_at(s, s.index("January"), len(s) - 1) == "future"
    s = "On January 26, the envoy submitted the reply."
    assert tense_at(s, 3, 13) == "past"


def test_without_anchor_only_self_contained_dates_resolve():
    found = find_dates("On 4 January 2022 they met; on Friday they spoke; on January 10 they meet.", None)
    assert [(e.text, e.value) for e in found] == [("4 January 2022", "2022-01-04")]


def _article(body: str, published: datetime | None = None) -> Article:
    return Article("a1", "d1", "/x.txt", None, None, None, None, published, "en", body, len(body.split()), "h")


def test_anchor_published_first():
    when = datetime(2022, 1, 4, 9, 35)
    assert resolve_anchor(_article("Talks on Jan. 10.", when), datetime(2026, 1, 1)) == (when, "published")


def test_anchor_inferred_from_a_dateline():
    body = "Headline words here\n\n4 January 2022, 09:35 AM\n\nThe talks on Jan. 10 were set on 1 December 2021."
    assert resolve_anchor(_article(body), datetime(2026, 1, 1)) == (datetime(2022, 1, 4), "dateline")


def test_anchor_inferred_from_the_latest_reported_day_not_a_scheduled_one():
    body = ("Ministers met on 3 March 2021 and again on 9 March 2021. "
            "They will meet again on 1 June 2021.")
    assert resolve_anchor(_article(body), None) == (datetime(2021, 3, 9), "reported")


def test_anchor_falls_back_to_fetch_date_then_nothing():
    fetched = datetime(2023, 5, 1, 12, 0)
    assert resolve_anchor(_article("They met on Friday in 2014."), fetched) == (fetched, "fetched")
    assert resolve_anchor(_article("They met on Friday."), None) == (None, None)


def test_seed_dates_resolve_against_the_published_day():
    text = (SEEDS / "000_5f96fe331a1d35a0.txt").read_text(encoding="utf-8")
    got = {(e.text, e.value) for e in find_dates(text, date(2022, 1, 4))}
    assert {("Jan. 3", "2022-01-03"), ("Jan. 10", "2022-01-10"), ("Dec. 30", "2021-12-30"),
            ("4 January 2022", "2022-01-04"), ("1962", "1962")} <= got
    assert not any(e.text.startswith(("09:35", "9am")) for e in find_dates(text, date(2022, 1, 4)))


def _score(path: Path, system) -> float:
    """Resolution F1 (span overlap and equal value) on a labelled JSON-lines file."""
    tp = n_pred = n_gold = 0
    for line in path.read_text(encoding="utf-8").splitlines():
        case = json.loads(line)
        text, anchor = case["text"], date.fromisoformat(case["anchor"])
        gold = [(text.index(g[0]), text.index(g[0]) + len(g[0]), g[1], g[2]) for g in case["gold"]]
        preds = system(text, anchor)
        n_pred, n_gold = n_pred + len(preds), n_gold + len(gold)
        used: set[int] = set()
        for s, e, ok in preds:
            hit = next((i for i, g in enumerate(gold) if i not in used and s < g[1] and g[0] < e), None)
            if hit is not None:
                used.add(hit)
                tp += ok(gold[hit][2], gold[hit][3])
    p, r = tp / n_pred, tp / n_gold
    return 2 * p * r / (p + r)


def _ours(text, anchor):
    return [(e.start, e.end, lambda v, g, e=e: (e.value, e.granularity) == (v, g)) for e in find_dates(text, anchor)]


def _dateparser(text, anchor):
    from dateparser.search import search_dates

    out = []
    for surface, dt in search_dates(text, languages=["en"], settings={
            "RELATIVE_BASE": datetime(anchor.year, anchor.month, anchor.day)}) or []:
        start = text.find(surface)
        as_gran = {"day": dt.strftime("%Y-%m-%d"), "month": dt.strftime("%Y-%m"), "year": dt.strftime("%Y")}
        out.append((start, start + len(surface), lambda v, g, a=as_gran: a[g] == v))
    return out


@pytest.mark.parametrize("name", ["labelled.jsonl", "heldout.jsonl"])
def test_finder_beats_dateparser_on_labelled_sentences(name):
    ours, theirs = _score(CASES / name, _ours), _score(CASES / name, _dateparser)
    assert ours >= 0.9
    assert ours > theirs + 0.15


def _newsmon(*args: str) -> subprocess.CompletedProcess:
    # A subprocess, as a user runs it (the dispatcher discovers its subcommand modules on import).
    return subprocess.run([sys.executable, "-m", "pipeline.cli", *args], capture_output=True, text=True,
                          cwd=ROOT, timeout=120)


def test_cli_prints_one_json_line_per_expression_with_offsets_into_the_text(tmp_path):
    from pipeline.ingest.files import read_document
    from pipeline.settings import load_settings

    text = "Ministers met on Jan. 10 and will meet again next week — not at 10:30, nor for $2,020.\n"
    utf8 = tmp_path / "a.txt"
    utf8.write_text(text, encoding="utf-8")
    utf16 = tmp_path / "b.txt"
    utf16.write_bytes(text.encode("utf-16"))  # decoded by the ingest reader
    done = _newsmon("dates", "--anchor", "2023-01-12", str(utf8), str(utf16))
    assert done.returncode == 0, done.stderr
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    assert [(r["source"], r["text"], r["value"], r["granularity"]) for r in rows] == [
        (str(utf8), "Jan. 10", "2023-01-10", "day"), (str(utf8), "next week", "2023-01", "month"),
        (str(utf16), "Jan. 10", "2023-01-10", "day"), (str(utf16), "next week", "2023-01", "month")]
    as_read = {str(p): read_document(p, load_settings(env={})).raw_text for p in (utf8, utf16)}
    for r in rows:  # offsets index the text as the ingest reader decodes it
        assert as_read[r["source"]][r["start"]:r["end"]] == r["text"]
        assert set(r) == {"source", "start", "end", "text", "value", "granularity"}


def test_cli_bad_anchor_and_unreadable_file(tmp_path):
    bad = _newsmon("dates", "--anchor", "2023-13-01", str(tmp_path))
    assert bad.returncode == 2 and "YYYY-MM-DD" in bad.stderr
    good = tmp_path / "ok.txt"
    good.write_text("They met in 2014.", encoding="utf-8")
    out = _newsmon("dates", "--anchor", "2023-01-01", str(tmp_path / "missing.txt"), str(good))
    assert out.returncode == 1
    assert json.loads(out.stdout.strip())["value"] == "2014"
    assert "missing.txt" in out.stderr


def _seed_texts() -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]


@lru_cache(maxsize=1)
def _page_texts() -> list[str]:
    """The text of the first 300 evaluation pages (none in a clone outside the workspace);
    extracted once for the tests that compare two ways of scanning."""
    import trafilatura

    pages = sorted((ROOT.parent / "shared" / "eval" / "trafilatura" / "html").glob("*.html"))[:300]
    return [trafilatura.extract(p.read_text(encoding="utf-8", errors="replace")) or "" for p in pages]


@pytest.mark.slow
def test_literal_prefilter_changes_no_date(monkeypatch):
    """Skipping a pattern whose required literals are absent finds the same dates as running
    every pattern: on the seeds and on the text of 300 evaluation pages, with two anchors."""
    from pipeline.extract import dates

    pages = _page_texts()
    texts = _seed_texts() + pages
    anchors = [date(2022, 1, 10), None]
    fast = [find_dates(t, a) for t in texts for a in anchors]
    monkeypatch.setattr(dates, "_FACTORS", [None] * len(dates._PATTERNS))
    full = [find_dates(t, a) for t in texts for a in anchors]
    # Without the read-only evaluation pages (a clone outside the workspace) the seeds alone
    # still have dozens of dates: the floor is then theirs.
    assert fast == full and sum(map(len, full)) > (500 if pages else 40)


def test_case_insensitive_forms_are_found_as_without_the_lowered_twins(monkeypatch):
    """find_dates scans its case-insensitive patterns as lower-case twins over folded text
    (pipeline.regex_prefilter.finditer_folded): on the seeds and their upper-, swapped- and
    title-cased copies it finds the same expressions, with the text's own case, as the plain scan."""
    import pipeline.extract.dates as dates

    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    texts += [f(t) for t in texts for f in (str.upper, str.swapcase, str.title)]
    texts.append("They met on Jan. 10. THREE WEEKS LATER they met again. Today the ministers meet in "
                 "Geneva, the \u017fame day as NEXT WEEK.")
    anchor = date(2022, 1, 10)
    fast = [find_dates(t, anchor) for t in texts]
    monkeypatch.setattr(dates, "_TWINS", [None] * len(dates._TWINS))
    plain = [find_dates(t, anchor) for t in texts]
    assert fast == plain
    assert sum(e.kind in ("relative", "chained") for found in fast for e in found) > 20  # caseless forms occur
    assert [e.text for e in fast[-1]] == ["Jan. 10", "THREE WEEKS LATER", "Today", "the \u017fame day", "NEXT WEEK"]


@pytest.mark.slow
def test_anchored_scan_finds_what_finditer_finds(monkeypatch):
    """"year" and "month" are tried only where a year or month name starts and at the word
    before it (pipeline.regex_prefilter.finditer_at): on the seeds, their case variants, 300
    evaluation pages' text and hand-made edge cases, find_dates gives the same expressions as
    with plain finditer."""
    import pipeline.extract.dates as dates

    texts = _seed_texts()
    texts += [f(t) for t in texts for f in (str.upper, str.title)]
    texts += _page_texts()
    texts += ["In  \n 2021, since\t2019, xin 2020, _in 2018, 12021 and 2021 2022; \u017fince 2017.",
              "from\u00a0January until February, in Jan. 2020, tomorrow March, in\nMay, InJune 2021",
              "in 2020s, by 2,019 by $2019 the 1990s, year 2024%, till 20٢٢, ſince 2016"]
    anchor = date(2022, 1, 10)
    anchored = [find_dates(t, a) for t in texts for a in (anchor, None)]
    monkeypatch.setattr(dates, "_NAME_STARTS", {})
    plain = [find_dates(t, a) for t in texts for a in (anchor, None)]
    assert anchored == plain
    assert sum(e.granularity == "year" for found in plain for e in found) > 20


def test_no_year_or_month_name_begins_inside_another():
    """What the anchored scan's exactness rests on: each anchor match is found by a
    left-to-right scan only if no match of it can begin inside another one."""
    from pipeline.extract.dates import _MONTH_RE, _NAME_STARTS

    names = re.findall(r"[A-Z][a-z]+", _MONTH_RE)
    spellings = names + [n + "." for n in names]
    month = _NAME_STARTS["month"]
    for word in spellings:
        for offset in range(1, len(word)):
            assert not month.match(word + " 1", offset), (word, offset)
    year = _NAME_STARTS["year"]
    # A year match begins where a run of digits does, so none can begin inside another.
    text = "1999 20201 2021x 192021 x2019"
    assert [m.start() for m in year.finditer(text)] == [0, 5, 11, 17, 25]


@pytest.mark.parametrize("text", [
    "The minister told the Sunday Telegraph that talks would go on.",
    "Shoppers queued for Black Friday deals at the mall.",
    "She wrote for the Mail on Sunday for a decade.",
    "The 25-year-old striker scored twice.",
    "Doors open at 10:30 and close at 22:00.",
    "United won 3-1 and City drew 2-2.",
    "The flat sold for £1,999 and the car for $2,022.",
])
def test_no_dates_inside_names_ages_times_scores_or_prices(text):
    assert find_dates(text, date(2023, 6, 7)) == []


def test_a_weekday_beside_a_name_is_still_a_date():
    found = find_dates("Kenya Friday said the Sunday Times story was false.", date(2023, 6, 7))
    assert [(e.text, e.value) for e in found] == [("Friday", "2023-06-02")]


@pytest.mark.parametrize("body", [
    "The actor, born on 20 February 1951 in Leeds, spoke at the gala.",
    "The company, founded on 3 May 1998, said profits rose.",
    "Crowds gathered for the anniversary of 9 November 1989 in Berlin.",
    "Officials recalled the 11 September 2001 attacks at the ceremony.",
])
def test_a_date_tied_to_history_is_never_the_articles_own_date(body):
    fetched = datetime(2023, 5, 1, 12, 0)
    assert resolve_anchor(_article(body), fetched) == (fetched, "fetched")
    assert resolve_anchor(_article(body), None) == (None, None)


def test_the_latest_reported_day_wins_over_a_birth_date():
    body = "Smith, born on 20 February 1951, resigned on 4 March 2005, the party said."
    assert resolve_anchor(_article(body), None) == (datetime(2005, 3, 4), "reported")


def test_anchor_confidence_by_source_and_how_the_item_arrived():
    from pipeline.extract.dates import anchor_confidence

    assert anchor_confidence("published", False) == "strong"
    assert anchor_confidence("dateline", False) == anchor_confidence("reported", True) == "inferred"
    assert anchor_confidence("fetched", True) == "inferred"  # a live feed item
    assert anchor_confidence("fetched", False) == "weak"  # a file: it may be years old
    assert anchor_confidence(None, True) is None


def test_without_an_anchor_relative_expressions_keep_text_and_granularity_but_no_day():
    text = ("Germany and France met on Thursday in Berlin. Talks resumed last week. USA Today said so. "
            "In May 2020 they met. The May meeting was short.")
    found = {e.text: e for e in find_dates(text, None, keep_undated=True)}
    assert not found["Thursday"].dated and found["Thursday"].granularity == "day"
    assert not found["last week"].dated and found["last week"].granularity == "week"
    assert found["May 2020"].dated and found["May 2020"].value == "2020-05"
    assert set(found) == {"Thursday", "last week", "May 2020"}  # not "Today" of a name, not "May" alone
    assert [e.text for e in find_dates(text, None)] == ["May 2020"]  # by default only dated ones
