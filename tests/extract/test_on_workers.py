"""Extraction on two processes gives exactly the in-process result, and the dates started
alongside the entities give the events found without."""

from __future__ import annotations

import dataclasses

import pytest

from pipeline.clean import clean_documents
from pipeline.executor import Executor, PoolExecutor
from pipeline.extract.entities import extract_entities
from pipeline.extract.events import extract_events, start_own_dates
from pipeline.ingest.files import read_inputs
from tests.conftest import SEED_FILES


def _extract(articles, run, executor):
    ents = extract_entities(articles, run, [], executor)
    evs = extract_events(articles, ents.sentences, ents.mentions, ents.entities, run, [], [], executor=executor)
    return [[dataclasses.asdict(r) for r in rows]
            for rows in (ents.entities, ents.mentions, ents.sentences, evs.events, evs.event_mentions)]


def test_extraction_on_two_processes_equals_in_process(settings):
    docs = read_inputs([str(p) for p in SEED_FILES], settings, "r").documents
    articles = clean_documents(docs, settings, "r").articles
    run = settings.replace(nlp_parallel_min_texts=1)
    sequential = _extract(articles, run, Executor())
    assert all(sequential)
    assert _extract(articles, run, PoolExecutor(2, "fork")) == sequential


@pytest.mark.slow
def test_extraction_on_spawned_workers_equals_in_process(settings):
    docs = read_inputs([str(p) for p in SEED_FILES], settings, "r").documents
    articles = clean_documents(docs, settings, "r").articles
    run = settings.replace(nlp_parallel_min_texts=1)
    assert _extract(articles, run, PoolExecutor(2, "spawn")) == _extract(articles, run, Executor())


def test_dates_started_alongside_give_the_events_found_without(settings):
    docs = read_inputs([str(p) for p in SEED_FILES], settings, "r").documents
    articles = clean_documents(docs, settings, "r").articles
    run = settings.replace(nlp_parallel_min_texts=1)
    pool = PoolExecutor(2)
    ents = extract_entities(articles, run, [], pool)
    with start_own_dates(articles, run, pool) as started:
        ahead = extract_events(articles, ents.sentences, ents.mentions, ents.entities, run, [], [],
                               own_dates=started.result())
    plain = extract_events(articles, ents.sentences, ents.mentions, ents.entities, run, [], [])
    assert ahead.event_mentions and ahead == plain
