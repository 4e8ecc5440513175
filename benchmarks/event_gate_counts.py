"""Which sentences the event coder's parse gets, and why, on a batch staged by
``extract_compare.py prepare``: every sentence of the model-language articles counted by the
gate's reason (too long, no dictionary verb form, dated, undated with a political actor, ...),
in the code of any tree (``--tree``), so that two commits' gates can be compared on one batch.

    .venv/bin/python benchmarks/extract_compare.py prepare DIR --n 1000 --language en
    /tree/.venv/bin/python benchmarks/event_gate_counts.py DIR --tree /tree [--time]

``--time`` also parses the admitted sentences (the coder's model, in this process) and runs the
NER pass over the same articles, and prints both CPU seconds.
"""

from __future__ import annotations

import argparse
import sys
import time
from bisect import bisect_left
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("folder", type=Path)
    ap.add_argument("--tree", type=Path, default=ROOT)
    ap.add_argument("--time", action="store_true")
    args = ap.parse_args()
    folder = args.folder.resolve()
    sys.path.insert(0, str(args.tree.resolve()))
    sys.path.insert(1, str(ROOT))
    from benchmarks.extract_compare import staged_settings
    from pipeline.extract import events as ev
    from pipeline.extract.cameo_actors import could_name_political_actor, load_actor_dictionary
    from pipeline.extract.cameo_coder import could_hold_event, load_parser
    from pipeline.extract.dates import find_dates, resolve_anchor
    from pipeline.extract.nlp import rule_sentences
    from pipeline.records import Article
    from pipeline.staging import read_records, run_dir

    settings = staged_settings(folder, executor="none")
    run_id = (folder / "run_id").read_text(encoding="utf-8").strip()
    articles = [a for a in read_records(run_dir(settings.staging_dir, run_id), "dedup_articles", Article,
                                        required=True) if not a.is_duplicate]
    lang = load_parser(settings.spacy_model).lang or ""
    actors = load_actor_dictionary()
    reasons: Counter[str] = Counter()
    admitted: list[str] = []
    n_articles = n_discarded = 0
    for a in articles:
        a.date_anchor, a.date_anchor_source = resolve_anchor(a, a.first_seen_at)
        day, _strength, lower_bound = ev.anchor_of(a)
        dates = find_dates(a.body, day, anchor_is_lower_bound=lower_bound)
        gated = set(ev.coder_sentences(a, dates, lang))
        if not ev.in_model_language(a, lang):
            continue
        n_articles += 1
        discarded = bool(gated) and bool(actors.story_discarded(a.body))
        n_discarded += discarded
        starts = sorted(d.start for d in dates)
        for s, e in rule_sentences(a.body):
            text = a.body[s:e]
            i = bisect_left(starts, s)
            dated = i < len(starts) and starts[i] < e
            if e - s > ev.MAX_CODED_SENTENCE:
                reason = "longer than the cap"
            elif not could_hold_event(text):
                reason = "no dictionary verb form"
            elif dated:
                reason = "verb form, dated"
            elif could_name_political_actor(text):
                reason = "verb form, undated, political actor"
            else:
                reason = "verb form, undated, no political actor"
            taken = (s, e) in gated
            reasons[f"{'parsed' if taken and not discarded else 'skipped'}: {reason}"] += 1
            if taken and not discarded:
                admitted.append(text)
    total = sum(reasons.values())
    print(f"tree {args.tree}: {n_articles} {lang} articles ({n_discarded} sports/entertainment stories not parsed), "
          f"{total} sentences, {len(admitted)} parsed ({len(admitted) / max(total, 1):.1%}), "
          f"{sum(map(len, admitted))} characters parsed")
    for reason, count in sorted(reasons.items()):
        print(f"  {reason:<52}{count:7d}")
    if args.time:
        from pipeline.extract.nlp import load_nlp

        parser, ner = load_parser(settings.spacy_model), load_nlp(settings.spacy_model)
        started = time.process_time()
        for _doc in parser.pipe(admitted, batch_size=settings.nlp_batch_size):
            pass
        parse_s = time.process_time() - started
        texts = [a.body[:settings.nlp_max_chars] for a in articles if ev.in_model_language(a, lang)]
        started = time.process_time()
        for _doc in ner.pipe(texts, batch_size=settings.nlp_batch_size):
            pass
        ner_s = time.process_time() - started
        print(f"CPU s: event parse of the parsed sentences {parse_s:.2f}, NER pass over the articles {ner_s:.2f} "
              f"(parse/NER {parse_s / ner_s:.2f})")


if __name__ == "__main__":
    main()
