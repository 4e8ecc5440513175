"""The event gate's sentence split (``events.event_sentences``) checked and timed against the
reference it must equal: every sentence of the whole body (``nlp.rule_sentences``) put through
the same word tests.

    .venv/bin/python benchmarks/event_gate_split.py --pages /tmp/enpages --corpus 2000 [--staged DIR ...] [--time]

Bodies come from ``--pages DIR`` (every English page of ../shared/eval/trafilatura/, staged
there through ingest, clean and dedup on the first run, so the bodies are the pipeline's),
``--staged DIR`` (a batch staged by ``extract_compare.py prepare``) and ``--corpus N`` (the
article texts of ``corpus.build``'s first N files, all languages, as pipeline_bench builds
them). Prints, per source, the bodies, the gated sentences, and the bodies whose gated spans
differ from the reference (must be 0), and whether splitting every paragraph on its own gives
the whole body's sentences. ``--time`` also times both gates over the same bodies in this
process (CPU seconds, alternating, best of three).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from bisect import bisect_left
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

_CORPUS_DAY = date(2024, 6, 1)  # composed texts carry no date of their own: any anchor will do


def reference(body: str, dates: list) -> list[tuple[int, int]]:
    """The gate as it was: every sentence of the whole body, then the word tests."""
    from pipeline.extract.cameo_actors import could_name_political_actor
    from pipeline.extract.cameo_coder import could_hold_event
    from pipeline.extract.events import MAX_CODED_SENTENCE
    from pipeline.extract.nlp import rule_sentences

    starts = sorted(d.start for d in dates)

    def dated(s: int, e: int) -> bool:
        i = bisect_left(starts, s)
        return i < len(starts) and starts[i] < e

    return [(s, e) for s, e in rule_sentences(body)
            if e - s <= MAX_CODED_SENTENCE and could_hold_event(body[s:e])
            and (dated(s, e) or could_name_political_actor(body[s:e]))]


def _stage_pages(folder: Path) -> None:
    from benchmarks.corpus import copy_english_pages
    from benchmarks.extract_compare import staged_settings
    from pipeline import flow

    pages = copy_english_pages(folder / "pages")
    settings = staged_settings(folder)
    run_id = flow.start_run("event-gate-split", settings)
    flow.ingest_step(run_id, [str(folder / "pages")], [], settings)
    flow.clean_step(run_id, settings)
    flow.dedup_step(run_id, settings)
    (folder / "run_id").write_text(run_id, encoding="utf-8")
    print(f"staged {len(pages)} English pages in {folder}", flush=True)


def _staged_bodies(folder: Path) -> list[tuple[str, list]]:
    from benchmarks.extract_compare import staged_settings
    from pipeline.extract import events as ev
    from pipeline.extract.dates import find_dates, resolve_anchor
    from pipeline.records import Article
    from pipeline.staging import read_records, run_dir

    settings = staged_settings(folder, executor="none")
    run_id = (folder / "run_id").read_text(encoding="utf-8").strip()
    out = []
    for a in read_records(run_dir(settings.staging_dir, run_id), "dedup_articles", Article, required=True):
        if a.is_duplicate or a.language != "en":
            continue
        a.date_anchor, a.date_anchor_source = resolve_anchor(a, a.first_seen_at)
        day, _strength, lower_bound = ev.anchor_of(a)
        out.append((a.body, find_dates(a.body, day, anchor_is_lower_bound=lower_bound)))
    return out


def _corpus_bodies(n: int) -> list[tuple[str, list]]:
    from benchmarks.corpus import build
    from pipeline.extract.dates import find_dates

    with tempfile.TemporaryDirectory() as tmp:
        texts = build(Path(tmp), n).texts
    return [(t, find_dates(t, _CORPUS_DAY)) for t in texts if t]


def check(name: str, bodies: list[tuple[str, list]]) -> None:
    from pipeline.extract.events import event_sentences
    from pipeline.extract.nlp import paragraphs, rule_sentences, rule_sentences_in

    differ = split_differ = gated = 0
    for body, dates in bodies:
        new = event_sentences(body, dates)
        gated += len(new)
        differ += new != reference(body, dates)
        split_differ += rule_sentences_in(body, paragraphs(body)) != rule_sentences(body)
    print(f"{name}: {len(bodies)} bodies, {gated} gated sentences, {differ} bodies whose gated spans differ; "
          f"{split_differ} whose sentences split paragraph by paragraph differ from the whole body's", flush=True)


def timed(bodies: list[tuple[str, list]]) -> None:
    from pipeline.extract.events import event_sentences

    best = {"whole body (reference)": float("inf"), "gated paragraphs (event_sentences)": float("inf")}
    for _round in range(3):
        for label, gate in (("whole body (reference)", reference), ("gated paragraphs (event_sentences)", event_sentences)):
            started = time.process_time()
            for body, dates in bodies:
                gate(body, dates)
            best[label] = min(best[label], time.process_time() - started)
    base = best["whole body (reference)"]
    for label, cpu in best.items():
        print(f"  {label:<36} {cpu:6.2f} CPU s  ({cpu / base:.2f} of the reference)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pages", type=Path, help="folder for (or holding) the English eval pages, staged")
    ap.add_argument("--staged", type=Path, nargs="*", default=[], help="batches staged by extract_compare.py prepare")
    ap.add_argument("--corpus", type=int, default=0, help="corpus.build's first N article texts")
    ap.add_argument("--time", action="store_true")
    args = ap.parse_args()
    sources: list[tuple[str, list[tuple[str, list]]]] = []
    if args.pages:
        if not (args.pages / "run_id").exists():
            _stage_pages(args.pages.resolve())
        sources.append((f"English eval pages ({args.pages})", _staged_bodies(args.pages.resolve())))
    sources += [(f"staged batch {d}", _staged_bodies(d.resolve())) for d in args.staged]
    if args.corpus:
        sources.append((f"corpus.build, first {args.corpus} texts", _corpus_bodies(args.corpus)))
    for name, bodies in sources:
        check(name, bodies)
        if args.time:
            timed(bodies)


if __name__ == "__main__":
    main()
