"""The data-quality suites, as code: one suite per warehouse table.

Every check has a stable name ``<table>.<column or key>.<what>`` (tests and dashboards refer
to it) and a severity:

* critical: integrity — keys unique, required values present, codes in their allowed set,
  references resolve, offsets ordered. Everything the JSON Schema says is critical too: a
  violation in the warehouse means a record got past validation.
* warning: plausibility — dates between 1990 and tomorrow, word counts, leftover boilerplate,
  duplicate and quarantine shares within the configured bounds.

Checks that span tables (references, offsets into a body) are made single-table by giving
GX the referenced keys as a value set, or a derived ``_check_*`` column computed here.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pandas as pd

from pipeline.regex_prefilter import LiteralIndex
from pipeline.settings import Settings
from pipeline.validate.schemas import load_schemas, nullable, stored_columns


class _Expectations:
    """``great_expectations.expectations``, imported on first use: importing GX costs seconds
    of CPU, and a process that only builds records or reads this module (the test collection,
    `--no-quality` runs) never needs it."""

    def __getattr__(self, name: str) -> Any:
        import great_expectations as gx

        return getattr(gx.expectations, name)


E = _Expectations()

CRITICAL, WARNING = "critical", "warning"
EARLIEST_DATE = datetime(1990, 1, 1)  # publication and fetch dates: the web-news era
EARLIEST_EVENT_YEAR = 1900
# An article under 10 words is a teaser or an extraction failure; over 50,000 it is a
# concatenated page or a feed dump, not one article.
MIN_WORDS, MAX_WORDS = 10, 50_000
MARKERS_FILE = Path(__file__).with_name("boilerplate_markers.toml")

# (table, column, referenced table, referenced key): values must exist in the referenced table.
REFERENCES = [
    ("articles", "doc_id", "documents", "doc_id"),
    ("articles", "duplicate_of", "articles", "article_id"),
    ("boilerplate_removed", "article_id", "articles", "article_id"),
    ("captions", "article_id", "articles", "article_id"),
    ("entity_mentions", "article_id", "articles", "article_id"),
    ("entity_mentions", "entity_id", "entities", "entity_id"),
    ("events", "actor1", "entities", "entity_id"),
    ("events", "actor2", "entities", "entity_id"),
    ("event_mentions", "event_id", "events", "event_id"),
    ("event_mentions", "article_id", "articles", "article_id"),
]


@dataclass
class Check:
    name: str
    severity: str
    expectation: Any  # a gx.expectations.Expectation
    description: str = ""
    show: list[str] = field(default_factory=list)  # extra columns to show in failing examples


@dataclass
class Suite:
    name: str  # the table
    frame: pd.DataFrame
    key: list[str]  # columns that identify a row in examples
    checks: list[Check] = field(default_factory=list)

    def add(self, name: str, severity: str, expectation: Any, description: str = "",
            show: list[str] | None = None) -> None:
        self.checks.append(Check(f"{self.name}.{name}", severity, expectation, description, show or []))


def boilerplate_markers(settings: Settings) -> list[str]:
    markers = settings.extra.get("boilerplate_markers") if settings.extra else None
    if markers is None:
        markers = tomllib.loads(MARKERS_FILE.read_text(encoding="utf-8"))["markers"]
    return [_case_insensitive(_non_capturing(m)) for m in markers]


class MarkerFinder:
    """The first boilerplate marker a text contains (the matched text), or None."""

    def __init__(self, markers: list[str]):
        self.patterns = [re.compile(m) for m in markers]
        self.index = LiteralIndex(self.patterns)

    def __call__(self, text: Any) -> str | None:
        if not isinstance(text, str):
            return None
        possible = self.index.possible(text)
        for i, pattern in enumerate(self.patterns):
            if i in possible:
                found = pattern.search(text)
                if found:
                    return found.group(0)
        return None


def _non_capturing(pattern: str) -> str:
    # pandas warns on every call when a pattern has capture groups; ours only group.
    return re.sub(r"(?<!\\)\((?!\?)", "(?:", pattern)


def _case_insensitive(pattern: str) -> str:
    # Python allows inline flags only at the start: merge (?i) into a leading flag group.
    found = re.match(r"^\(\?([a-zA-Z]+)\)", pattern)
    return f"(?i{found.group(1)}){pattern[found.end():]}" if found else f"(?i){pattern}"


def _schema_checks(suite: Suite, schema: dict[str, Any]) -> None:
    """What the JSON Schema says about stored columns, as critical expectations."""
    key = schema["x-primary-key"]
    if len(key) == 1:
        suite.add(f"{key[0]}.unique", CRITICAL, E.ExpectColumnValuesToBeUnique(column=key[0]),
                  "primary key is unique")
    else:
        suite.add("key.unique", CRITICAL, E.ExpectCompoundColumnsToBeUnique(column_list=key),
                  f"({', '.join(key)}) is unique")
    for col, prop in stored_columns(schema).items():
        if not nullable(prop):
            suite.add(f"{col}.not_null", CRITICAL, E.ExpectColumnValuesToNotBeNull(column=col))
        if "enum" in prop:
            allowed = [v for v in prop["enum"] if v is not None]
            suite.add(f"{col}.allowed_values", CRITICAL, E.ExpectColumnValuesToBeInSet(column=col, value_set=allowed))
        if "pattern" in prop:
            suite.add(f"{col}.pattern", CRITICAL, E.ExpectColumnValuesToMatchRegex(column=col, regex=_non_capturing(prop["pattern"])))
        if "minLength" in prop:
            suite.add(f"{col}.not_empty", CRITICAL,
                      E.ExpectColumnValueLengthsToBeBetween(column=col, min_value=prop["minLength"]))
        if "minimum" in prop or "maximum" in prop:
            suite.add(f"{col}.range", CRITICAL, E.ExpectColumnValuesToBeBetween(
                column=col, min_value=prop.get("minimum"), max_value=prop.get("maximum")))


def _plausible_dates(suite: Suite, columns: list[str], latest: datetime) -> None:
    for col in columns:
        if col in suite.frame.columns:
            suite.frame[col] = pd.to_datetime(suite.frame[col], errors="coerce")
        suite.add(f"{col}.plausible_date", WARNING, E.ExpectColumnValuesToBeBetween(
            column=col, min_value=EARLIEST_DATE, max_value=latest),
            f"between {EARLIEST_DATE:%Y-%m-%d} and {latest:%Y-%m-%d}")


def _in_run(frame: pd.DataFrame, run_id: str) -> pd.Series:
    """Rows of this run when the table records run ids; otherwise every row."""
    if "run_id" in frame.columns and (frame["run_id"] == run_id).any():
        return frame["run_id"] == run_id
    return pd.Series(True, index=frame.index)


def _ids(tables: dict[str, pd.DataFrame], table: str, column: str) -> set[Any]:
    frame = tables.get(table)
    if frame is None or column not in frame.columns:
        return set()
    return set(frame[column].dropna().tolist())


def build_suites(tables: dict[str, pd.DataFrame], settings: Settings, run_id: str,
                 now: datetime) -> list[Suite]:
    """One suite per table present in `tables` that has a JSON Schema."""
    schemas = load_schemas(Path(settings.schemas_dir))
    tomorrow = now + timedelta(days=1)
    suites: dict[str, Suite] = {}
    for table, frame in tables.items():
        if table not in schemas:
            continue
        suite = Suite(table, frame.reset_index(drop=True).copy(), list(schemas[table]["x-primary-key"]))
        _schema_checks(suite, schemas[table])
        suites[table] = suite

    for table, col, ref_table, ref_col in REFERENCES:
        if table in suites and ref_table in tables:
            _reference(suites[table], col, ref_table, _ids(tables, ref_table, ref_col), ref_col)

    if "documents" in suites:
        _documents(suites["documents"], tables, settings, run_id, tomorrow)
    if "articles" in suites:
        _articles(suites["articles"], settings, run_id, tomorrow)
    for table in ("entity_mentions", "event_mentions"):
        if table in suites:
            suites[table].add("end_char.after_start", CRITICAL, E.ExpectColumnPairValuesAToBeGreaterThanB(
                column_A="end_char", column_B="start_char", or_equal=False))
    if "entity_mentions" in suites and "articles" in tables:
        _surface_matches_body(suites["entity_mentions"], tables["articles"])
    if "entities" in suites:
        suites["entities"].add("mention_count.at_least_one", WARNING,
                               E.ExpectColumnValuesToBeBetween(column="mention_count", min_value=1),
                               "an entity nobody mentions is an orphan")
    for table in ("events", "event_mentions"):
        if table in suites:
            _event_period(suites[table])
    if "event_mentions" in suites and "articles" in tables:
        _event_plausibility(suites["event_mentions"], tables["articles"])
    if "events" in suites and {"event_mentions", "articles"} <= set(tables):
        _event_anchor_plausibility(suites["events"], tables["event_mentions"], tables["articles"])
    if "articles" in tables:
        _copies_never_count(suites, tables)
    if "events" in suites:
        _events(suites["events"])
        if "entities" in tables:
            _actors(suites["events"], _ids(tables, "entities", "entity_id"))
    if "pipeline_runs" in suites:
        runs = suites["pipeline_runs"]
        runs.add("finished_at.after_started_at", WARNING, E.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A="finished_at", column_B="started_at", or_equal=True, ignore_row_if="either_value_is_missing"))
    return list(suites.values())


def _reference(suite: Suite, col: str, ref_table: str, keys: set[Any], ref_col: str) -> None:
    """Referential integrity as a derived flag: GX is given True/False/None, not every key of
    the referenced table as a value set (which it would copy into each metric's id)."""
    flag = f"_check_{col}_in_{ref_table}"
    if col in suite.frame.columns:
        values = suite.frame[col]
        suite.frame[flag] = values.isin(keys).astype(object).where(values.notna(), None)
    suite.add(f"{col}.references_{ref_table}", CRITICAL,
              E.ExpectColumnValuesToBeInSet(column=flag, value_set=[True]),
              f"every {col} is a {ref_table}.{ref_col}", show=[col])


def _actors(suite: Suite, entity_ids: set[Any]) -> None:
    """Every entity in an event's actor list exists (actor1/actor2 are checked as references)."""
    if "actors" in suite.frame.columns:
        suite.frame["_check_actors_in_entities"] = suite.frame["actors"].map(
            lambda actors: None if actors is None else all(a in entity_ids for a in list(actors)))
    suite.add("actors.references_entities", CRITICAL, E.ExpectColumnValuesToBeInSet(
        column="_check_actors_in_entities", value_set=[True]), "every actor is an entities.entity_id",
        show=["actors"])


def _documents(suite: Suite, tables: dict[str, pd.DataFrame], settings: Settings, run_id: str,
               tomorrow: datetime) -> None:
    frame = suite.frame
    _plausible_dates(suite, ["fetched_at"], tomorrow)
    # A document counts as quarantined when ingest marked it so or when any stage
    # quarantined it or one of its articles.
    quarantined_ids = _ids(tables, "quarantine", "item_id")
    articles = tables.get("articles")
    bad_docs = set()
    if articles is not None and {"article_id", "doc_id"} <= set(articles.columns):
        bad_docs = set(articles.loc[articles["article_id"].isin(quarantined_ids), "doc_id"])
    if {"doc_id", "status"} <= set(frame.columns):
        flag = (frame["status"] == "quarantined") | frame["doc_id"].isin(quarantined_ids | bad_docs)
        frame["_check_quarantined"] = flag.astype(object).where(_in_run(frame, run_id), None)
    suite.add("quarantined_share.within_bounds", WARNING, E.ExpectColumnValuesToBeInSet(
        column="_check_quarantined", value_set=[False], mostly=1 - settings.max_quarantine_share),
        f"at most {settings.max_quarantine_share:.0%} of this run's documents quarantined",
        show=["source_uri", "status"])


def _articles(suite: Suite, settings: Settings, run_id: str, tomorrow: datetime) -> None:
    frame = suite.frame
    _plausible_dates(suite, ["published_at", "first_seen_at"], tomorrow)
    suite.add("title.not_null", WARNING, E.ExpectColumnValuesToNotBeNull(column="title"),
              "every article has a title")
    suite.add("word_count.plausible_range", WARNING, E.ExpectColumnValuesToBeBetween(
        column="word_count", min_value=MIN_WORDS, max_value=MAX_WORDS))
    # The marker found in each body, searched here rather than by GX's regex-list expectation:
    # pandas runs Python's re per body and marker there (bodies are not ASCII, so not pyarrow),
    # which was a third of the suite time; a required-literal prefilter skips most searches.
    find = MarkerFinder(boilerplate_markers(settings))
    frame["_check_boilerplate_marker"] = frame["body"].map(find) if len(frame) else pd.Series(dtype=object)
    suite.add("body.no_boilerplate_markers", WARNING, E.ExpectColumnValuesToBeNull(
        column="_check_boilerplate_marker"),
        "no comment form, newsletter box, share bar or teaser label left in a body", show=["body"])
    if {"is_duplicate", "duplicate_of"} <= set(frame.columns):
        frame["_check_duplicate_link"] = frame["is_duplicate"].astype(bool) == frame["duplicate_of"].notna()
        frame["_check_duplicate"] = frame["is_duplicate"].astype(object).where(_in_run(frame, run_id), None)
    suite.add("duplicate_of.set_iff_duplicate", CRITICAL, E.ExpectColumnValuesToBeInSet(
        column="_check_duplicate_link", value_set=[True]), "duplicate_of is set exactly when is_duplicate",
        show=["is_duplicate", "duplicate_of"])
    suite.add("duplicate_share.within_bounds", WARNING, E.ExpectColumnValuesToBeInSet(
        column="_check_duplicate", value_set=[False], mostly=1 - settings.max_duplicate_share),
        f"at most {settings.max_duplicate_share:.0%} of this run's articles are duplicates",
        show=["duplicate_of", "similarity"])


def _surface_matches_body(suite: Suite, articles: pd.DataFrame) -> None:
    frame = suite.frame
    if {"article_id", "start_char", "end_char", "surface"} <= set(frame.columns) and \
            {"article_id", "body"} <= set(articles.columns):
        bodies = dict(zip(articles["article_id"], articles["body"], strict=False))

        def matches(article_id: str, start: int, end: int, surface: str) -> bool | None:
            body = bodies.get(article_id)
            if not isinstance(body, str):
                return None  # orphan mentions are the reference check's business
            return body[int(start):int(end)] == surface

        # Over zipped columns, not DataFrame.apply: a Series per row was most of the suites'
        # build time (1.5 of 2.0 s at 3,000 articles).
        checked = [matches(*row) for row in zip(frame["article_id"], frame["start_char"], frame["end_char"],
                                                frame["surface"], strict=True)]
        frame["_check_surface_in_body"] = pd.Series(checked, index=frame.index, dtype=None if checked else object)
    suite.add("surface.matches_body", WARNING, E.ExpectColumnValuesToBeInSet(
        column="_check_surface_in_body", value_set=[True]), "body[start_char:end_char] == surface",
        show=["entity_id", "surface"])


def _copies_never_count(suites: dict[str, Suite], tables: dict[str, pd.DataFrame]) -> None:
    """A copy never corroborates (docs/copies.md): no mention belongs to a duplicate article,
    and an event counts no more articles than the canonical articles that mention it."""
    articles = tables["articles"]
    if not {"article_id", "is_duplicate"} <= set(articles.columns):
        return
    copies = set(articles.loc[articles["is_duplicate"].astype(bool), "article_id"])
    for table in ("entity_mentions", "event_mentions"):
        if table in suites:
            frame = suites[table].frame
            if "article_id" in frame.columns:
                frame["_check_not_a_copy"] = ~frame["article_id"].isin(copies)
            suites[table].add("article_id.not_a_copy", CRITICAL, E.ExpectColumnValuesToBeInSet(
                column="_check_not_a_copy", value_set=[True]), "a copy's mentions are its canonical's, "
                "never its own", show=["article_id"])
    if "events" in suites and "event_mentions" in tables:
        mentions = tables["event_mentions"]
        canonical = mentions[~mentions["article_id"].isin(copies)] if len(mentions) else mentions
        reporting = canonical.groupby("event_id")["article_id"].nunique() if len(canonical) else pd.Series(dtype=int)
        frame = suites["events"].frame
        if {"event_id", "num_articles"} <= set(frame.columns):
            frame["_check_num_articles_canonical"] = (
                frame["num_articles"] <= frame["event_id"].map(reporting).fillna(0)).astype(object)
        suites["events"].add("num_articles.canonical_only", CRITICAL, E.ExpectColumnValuesToBeInSet(
            column="_check_num_articles_canonical", value_set=[True]),
            "num_articles is at most the canonical articles that mention the event", show=["num_articles"])


def _event_period(suite: Suite) -> None:
    frame = suite.frame
    if {"event_date", "event_date_end"} <= set(frame.columns):
        start, end = pd.to_datetime(frame["event_date"], errors="coerce"), pd.to_datetime(frame["event_date_end"],
                                                                                            errors="coerce")
        frame["_check_period"] = (end >= start).astype(object).where(start.notna() & end.notna(), None)
    suite.add("event_date_end.not_before_start", CRITICAL, E.ExpectColumnValuesToBeInSet(
        column="_check_period", value_set=[True]), "a period ends on or after its first day",
        show=["event_date", "event_date_end"])


# Anchors a date may be checked against: a publication date, one inferred from the text, or
# the fetch time of a live web item (a file's read time says nothing about when it was written).
_CHECKABLE_ANCHORS = ("published", "dateline", "reported")


def _article_anchors(article_ids: pd.Series, articles: pd.DataFrame) -> pd.DataFrame | None:
    """Per row of ``article_ids``: the article's anchor day, ``checkable`` (an anchor a date may
    be checked against both ways) and ``bound`` (an upper bound at least: any fetch time is
    one, as an article is written before it is read). None without the anchor columns."""
    needed = ["article_id", "date_anchor", "date_anchor_source", "source_uri"]
    if not set(needed) <= set(articles.columns):
        return None
    joined = articles[needed].drop_duplicates("article_id").set_index("article_id").reindex(article_ids)
    live = joined["source_uri"].astype("string").str.startswith(("http://", "https://")).fillna(False)
    source = joined["date_anchor_source"]
    anchor = pd.to_datetime(joined["date_anchor"], errors="coerce").dt.normalize()
    checkable = (source.isin(_CHECKABLE_ANCHORS) | ((source == "fetched") & live)) & anchor.notna()
    bound = (checkable | (source == "fetched")) & anchor.notna()
    return pd.DataFrame({"anchor": anchor.to_numpy(), "checkable": checkable.to_numpy().astype(bool),
                         "bound": bound.to_numpy().astype(bool)})


def _add_anchor_checks(suite: Suite, severity: str, whose: str) -> None:
    suite.add("event_date.occurred_by_anchor", severity, E.ExpectColumnValuesToBeInSet(
        column="_check_occurred_by_anchor", value_set=[True]),
        f"an event that occurred is not dated after {whose} anchor", show=["event_date", "modality"])
    suite.add("event_date.scheduled_after_anchor", WARNING, E.ExpectColumnValuesToBeInSet(
        column="_check_scheduled_after_anchor", value_set=[True]),
        f"a scheduled event does not end before {whose} anchor", show=["event_date_end", "modality"])


def _period_checks(frame: pd.DataFrame, latest_bound: pd.Series, earliest_checkable: pd.Series) -> None:
    """The two derived columns: an occurred row starts by the latest bound, a scheduled one ends
    on or after the earliest checkable anchor; None where there is nothing to check against."""
    start = pd.to_datetime(frame["event_date"], errors="coerce")
    end = pd.to_datetime(frame["event_date_end"], errors="coerce")
    occurred = (start <= latest_bound).astype(object)
    frame["_check_occurred_by_anchor"] = occurred.where(
        (frame["modality"] == "occurred") & start.notna() & latest_bound.notna(), None)
    scheduled = (end >= earliest_checkable).astype(object)
    frame["_check_scheduled_after_anchor"] = scheduled.where(
        (frame["modality"] == "scheduled") & start.notna() & earliest_checkable.notna(), None)


def _event_plausibility(suite: Suite, articles: pd.DataFrame) -> None:
    """An event mention that occurred is not dated after its article's anchor; a scheduled one
    does not end before it."""
    frame = suite.frame
    if {"article_id", "event_date", "event_date_end", "modality"} <= set(frame.columns):
        anchors = _article_anchors(frame["article_id"], articles)
        if anchors is not None:
            anchors.index = frame.index
            _period_checks(frame, anchors["anchor"].where(anchors["bound"]),
                           anchors["anchor"].where(anchors["checkable"]))
    _add_anchor_checks(suite, CRITICAL, "its article's")


def _per_row(keys: pd.Series, per_key: pd.Series) -> pd.Series:
    """per_key's value for each row's key (NaT where it has none). Series.map cannot do this
    when per_key is empty: its index is then float and the datetimes fail a cast to float."""
    return pd.Series(per_key.reindex(keys.to_numpy()).to_numpy(), index=keys.index)


def _event_anchor_plausibility(suite: Suite, mentions: pd.DataFrame, articles: pd.DataFrame) -> None:
    """The same for the events table, against the articles that report each event: an event
    that occurred is not dated after the latest of their anchors, a scheduled one does not end
    before the earliest (the event's own date and modality are voted over its mentions)."""
    frame = suite.frame
    if {"event_id", "event_date", "event_date_end", "modality"} <= set(frame.columns) \
            and {"event_id", "article_id"} <= set(mentions.columns):
        anchors = _article_anchors(mentions["article_id"], articles)
        if anchors is not None:
            anchors["event_id"] = mentions["event_id"].to_numpy()
            latest = anchors.assign(day=anchors["anchor"].where(anchors["bound"])).groupby("event_id")["day"].max()
            earliest = anchors.assign(day=anchors["anchor"].where(anchors["checkable"])).groupby("event_id")["day"].min()
            _period_checks(frame, _per_row(frame["event_id"], latest), _per_row(frame["event_id"], earliest))
    _add_anchor_checks(suite, WARNING, "its reports'")


def _events(suite: Suite) -> None:
    frame = suite.frame
    # Unlike publication dates, events may be history an article recalls ("missiles were
    # deployed to Cuba in 1962") or plans ahead ("talks next year"): the range only catches
    # resolution errors (year 0022, 1022), not old or future news. Compared by year, as the
    # precision may be a year and pandas timestamps cannot hold year 22.
    # Whether a date is too late for its event is told by the anchors of the articles reporting
    # it (_event_anchor_plausibility), not by the calendar: "a target for 2050" is a plan.
    if "event_date" in frame.columns:
        frame["_check_event_year"] = pd.to_numeric(
            frame["event_date"].astype("string").str.extract(r"^(\d{4})", expand=False), errors="coerce")
    suite.add("event_date.plausible_date", WARNING, E.ExpectColumnValuesToBeBetween(
        column="_check_event_year", min_value=EARLIEST_EVENT_YEAR),
        f"event year from {EARLIEST_EVENT_YEAR}", show=["event_date"])
    suite.add("num_mentions.at_least_one", WARNING,
              E.ExpectColumnValuesToBeBetween(column="num_mentions", min_value=1),
              "an event nobody mentions is an orphan")
    if {"cameo_code", "cameo_root"} <= set(frame.columns):
        # The finest code must refine the root it is filed under (NULL: a row from before CAMEO coding).
        frame["_check_code_in_root"] = [code is None or code != code or str(code).startswith(str(root))
                                        for code, root in zip(frame["cameo_code"], frame["cameo_root"], strict=True)]
        suite.add("cameo_code.refines_root", WARNING, E.ExpectColumnValuesToBeInSet(
            column="_check_code_in_root", value_set=[True]), "cameo_code starts with cameo_root",
            show=["cameo_code", "cameo_root"])
