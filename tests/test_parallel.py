"""Fan-out over forked workers: order kept, a dead worker loses nothing, and extraction on
two processes gives exactly the in-process result."""

from __future__ import annotations

import dataclasses
import os
import time

from pipeline.clean import clean_documents
from pipeline.extract.entities import extract_entities
from pipeline.extract.events import extract_events, start_own_dates
from pipeline.ingest.files import read_inputs
from pipeline.parallel import fork_map, shrinking_chunks, start_fork_map
from tests.conftest import SEED_FILES


def test_results_come_back_in_order_from_every_chunk():
    squares = fork_map(lambda r: [i * i for i in r], 1000, 2, chunks_per_process=5)
    assert squares == [i * i for i in range(1000)]


def test_capped_chunks_keep_order_and_stay_within_the_cap():
    sizes = fork_map(lambda r: [len(r)] * len(r), 1000, 2, max_chunk=7)
    assert max(sizes) == 7 and len(sizes) == 1000
    assert fork_map(lambda r: list(r), 1000, 2, max_chunk=7) == list(range(1000))


def test_the_last_chunks_shrink_so_that_the_workers_finish_together():
    chunks = shrinking_chunks(900, 56, 2)
    sizes = [len(c) for c in chunks]
    assert [i for c in chunks for i in c] == list(range(900))
    assert max(sizes) == 56 and sizes == sorted(sizes, reverse=True)
    assert sizes[-1] == 1 and sum(sizes[-4:]) < 56  # the tail is less than one full chunk
    assert [len(c) for c in shrinking_chunks(5, 1, 2)] == [1] * 5  # one item a chunk stays so


def test_workers_share_the_parent_state_without_pickling_it():
    parent_pid = os.getpid()
    unpicklable = (lambda: None, open(os.devnull))  # inherited by fork, never sent
    pids = fork_map(lambda r: [(os.getpid(), unpicklable[1].closed) for _ in r], 64, 2)
    assert {closed for _, closed in pids} == {False}
    assert parent_pid not in {pid for pid, _ in pids}
    unpicklable[1].close()


def test_a_dead_worker_means_the_batch_is_redone_here():
    parent_pid = os.getpid()

    def work(indices: range) -> list[int]:
        if os.getpid() != parent_pid:
            os._exit(1)  # a worker killed mid-batch (a parser crash, the OOM killer)
        return list(indices)

    assert fork_map(work, 100, 2) == list(range(100))


def test_small_batches_stay_in_process():
    parent_pid = os.getpid()
    assert fork_map(lambda r: [os.getpid() for _ in r], 10, 2, min_items=64) == [parent_pid] * 10


def test_extraction_on_two_processes_equals_in_process(settings):
    docs = read_inputs([str(p) for p in SEED_FILES], settings, "r").documents
    articles = clean_documents(docs, settings, "r").articles

    def extract(processes: int):
        run = settings.replace(nlp_processes=processes, nlp_parallel_min_texts=1)
        ents = extract_entities(articles, run, [])
        evs = extract_events(articles, ents.sentences, ents.mentions, ents.entities, run, [], [])
        return [[dataclasses.asdict(r) for r in rows]
                for rows in (ents.entities, ents.mentions, ents.sentences, evs.events, evs.event_mentions)]

    sequential, parallel = extract(1), extract(2)
    assert all(sequential) and parallel == sequential


def test_a_started_map_runs_while_this_process_works_on():
    parent_pid = os.getpid()

    def work(indices: range) -> list[tuple[int, float]]:
        return [(os.getpid(), time.monotonic()) for _ in indices]

    with start_fork_map(work, 200, 2) as started:
        here = time.monotonic()
        time.sleep(0.5)  # this process's own work
        found = started.result()
    assert len(found) == 200 and parent_pid not in {pid for pid, _ in found}
    assert min(t for _, t in found) < here + 0.5  # the workers did not wait for result()


def test_a_started_map_never_collected_is_stopped_on_exit():
    def work(indices: range) -> list[int]:
        time.sleep(0.05)
        return list(indices)

    with start_fork_map(work, 400, 2) as started:
        workers = list(started._pool._processes.values())
    assert workers and all(not p.is_alive() for p in workers)


def test_a_started_map_with_a_dead_worker_is_redone_here():
    parent_pid = os.getpid()

    def work(indices: range) -> list[int]:
        if os.getpid() != parent_pid:
            os._exit(1)
        return list(indices)

    with start_fork_map(work, 100, 2) as started:
        assert started.result() == list(range(100))


def test_dates_started_alongside_give_the_events_found_without(settings, monkeypatch):
    import pipeline.extract.events as events

    docs = read_inputs([str(p) for p in SEED_FILES], settings, "r").documents
    articles = clean_documents(docs, settings, "r").articles
    run = settings.replace(nlp_processes=2, nlp_parallel_min_texts=1)
    started = []
    ents = extract_entities(articles, run, [], alongside=lambda: started.append(start_own_dates(articles, run)))
    assert len(started) == 1
    # Count the dates read in this process: the ones started alongside must be used, not read again.
    calls = []
    real = events.find_dates
    monkeypatch.setattr(events, "find_dates", lambda *a, **k: calls.append(1) or real(*a, **k))
    ahead = extract_events(articles, ents.sentences, ents.mentions, ents.entities, run, [], [], own_dates=started[0])
    reread = len(calls)
    plain = extract_events(articles, ents.sentences, ents.mentions, ents.entities,
                           run.replace(nlp_processes=1), [], [])
    assert ahead.event_mentions and ahead == plain
    # Here, only articles re-read against another anchor are read; in process, plain reads each once more.
    assert reread < len(articles) and len(calls) - reread == reread + len(articles)


def test_parse_texts_runs_meanwhile_here_while_the_workers_parse(settings):
    from pipeline.extract.nlp import parse_texts

    docs = read_inputs([str(p) for p in SEED_FILES], settings, "r").documents
    texts = [a.body for a in clean_documents(docs, settings, "r").articles] * 8
    calls: list[tuple[int, float]] = []

    def stamped(i: int, parse):
        return os.getpid(), time.monotonic(), parse

    parallel = parse_texts(texts, settings.replace(nlp_processes=2, nlp_parallel_min_texts=1), then=stamped,
                           meanwhile=lambda: calls.append((os.getpid(), time.monotonic())))
    in_process = parse_texts(texts, settings.replace(nlp_processes=1))
    assert len(calls) == 1 and calls[0][0] == os.getpid()  # once, in this process
    assert os.getpid() not in {pid for pid, _, _ in parallel}
    assert calls[0][1] < max(at for _, at, _ in parallel)  # not after the workers were done
    assert [dataclasses.astuple(p) for _, _, p in parallel] == [dataclasses.astuple(p) for p in in_process]
