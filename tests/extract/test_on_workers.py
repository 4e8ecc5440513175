"""Extraction on two processes gives exactly the in-process result, and the dates started
alongside the entities give the events found without.

The pools start from the forkserver, preloaded as a run's are (this process has loaded spaCy,
so it has threads and is never forked): their workers inherit nothing of this process."""

from __future__ import annotations

import dataclasses

import pytest

from pipeline.clean import clean_documents
from pipeline.executor import Executor, PoolExecutor
from pipeline.extract.entities import extract_entities
from pipeline.extract.events import extract_events, start_own_dates
from pipeline.flow import WORKER_MODULES
from pipeline.ingest.files import read_inputs
from tests.conftest import SEED_FILES, make_settings


def _rows(ents, evs):
    return [[dataclasses.asdict(r) for r in rows]
            for rows in (ents.entities, ents.mentions, ents.sentences, evs.events, evs.event_mentions)]


def _extract(articles, run, executor):
    ents = extract_entities(articles, run, [], executor)
    return _rows(ents, extract_events(articles, ents.sentences, ents.mentions, ents.entities, run, [], [],
                                      executor=executor))


@pytest.fixture(scope="module")
def in_process(tmp_path_factory):
    """The cleaned seeds and their extraction in this process (entities, then events), the
    reference both tests compare with: computed once."""
    settings = make_settings(tmp_path_factory.mktemp("on_workers"))
    docs = read_inputs([str(p) for p in SEED_FILES], settings, "r").documents
    articles = clean_documents(docs, settings, "r").articles
    run = settings.replace(nlp_parallel_min_texts=1)
    ents = extract_entities(articles, run, [], Executor())
    evs = extract_events(articles, ents.sentences, ents.mentions, ents.entities, run, [], [], executor=Executor())
    return articles, run, ents, evs


def test_extraction_on_two_processes_equals_in_process(in_process):
    articles, run, ents, evs = in_process
    sequential = _rows(ents, evs)
    assert all(sequential)
    assert _extract(articles, run, PoolExecutor(2, "forkserver", WORKER_MODULES)) == sequential


@pytest.mark.slow
def test_extraction_on_spawned_workers_equals_in_process(settings):
    docs = read_inputs([str(p) for p in SEED_FILES], settings, "r").documents
    articles = clean_documents(docs, settings, "r").articles
    run = settings.replace(nlp_parallel_min_texts=1)
    assert _extract(articles, run, PoolExecutor(2, "spawn")) == _extract(articles, run, Executor())


def test_dates_started_alongside_give_the_events_found_without(in_process):
    articles, run, ents, plain = in_process  # the events found without: in this process, after the entities
    with start_own_dates(articles, run, PoolExecutor(2, "forkserver", WORKER_MODULES)) as started:
        ahead = extract_events(articles, ents.sentences, ents.mentions, ents.entities, run, [], [],
                               own_dates=started.result())
    assert ahead.event_mentions and ahead == plain


def test_dates_failed_for_articles_left_out_since_are_not_reported(settings, monkeypatch):
    """The dates may start on articles a later entity pass drops: extract_events reports the
    failures of the articles it is given only (the entity pass reports the others)."""
    import pipeline.extract.events as events

    docs = read_inputs([str(p) for p in SEED_FILES], settings, "r").documents
    articles = clean_documents(docs, settings, "r").articles
    broken = articles[0]
    real = events.find_dates

    def find_dates(text, *args, **kwargs):
        if text == broken.body:
            raise KeyError("a bug met this article")
        return real(text, *args, **kwargs)

    monkeypatch.setattr(events, "find_dates", find_dates)
    own = start_own_dates(articles, settings, Executor()).result()
    assert [f.item.article_id for f in own.failed] == [broken.article_id]
    ents = extract_entities(articles, settings, [], Executor())
    rest = articles[1:]
    with_it = extract_events(articles, ents.sentences, ents.mentions, ents.entities, settings, [], [], own_dates=own)
    without = extract_events(rest, ents.sentences, ents.mentions, ents.entities, settings, [], [], own_dates=own)
    assert [f.item.article_id for f in with_it.failed] == [broken.article_id]
    assert without.failed == [] and without.event_mentions
