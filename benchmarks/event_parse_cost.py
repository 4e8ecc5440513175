"""What the CAMEO coder's parse costs beside the NER pass, on the same texts, in one run.

Texts: the English pages of ../shared/eval/trafilatura/ (main text by trafilatura). For each
text, times (1) the NER pass the pipeline runs anyway (`pipeline.extract.nlp.load_nlp`), (2)
finding dates, (3) choosing the sentences to parse (a dictionary verb form, and a date or a
political dictionary actor) and parsing and coding them (`code_dated_sentences`). Prints seconds, sentences parsed out of all
sentences, and the coder's time as a share of the NER pass.

    .venv/bin/python benchmarks/event_parse_cost.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PAGES = ROOT.parent / "shared" / "eval" / "trafilatura" / "html"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    import trafilatura

    from pipeline.clean.language import identify
    from pipeline.extract.cameo_coder import could_hold_event, load_parser
    from pipeline.extract.dates import find_dates
    from pipeline.extract.events import code_dated_sentences
    from pipeline.extract.nlp import load_nlp, rule_sentences
    from pipeline.settings import load_settings

    settings = load_settings(env={})
    texts = []
    for page in sorted(PAGES.glob("*.html")):
        text = trafilatura.extract(page.read_text(encoding="utf-8", errors="replace")) or ""
        if text and identify(text[:2000]) == "en":
            texts.append(text[:settings.nlp_max_chars])
    ner, parser = load_nlp(settings.spacy_model), load_parser(settings.spacy_model)
    ner("warm up"), parser("warm up")
    runs: dict[str, list[float]] = {"ner": [], "dates": [], "coder": []}
    for _ in range(args.repeat):
        t = time.perf_counter()
        for _doc in ner.pipe(texts, batch_size=settings.nlp_batch_size):
            pass
        runs["ner"].append(time.perf_counter() - t)
        t = time.perf_counter()
        # An anchor, as the pipeline has one: weekdays and month-days resolve and count.
        dates = [find_dates(x, date(2024, 1, 1)) for x in texts]
        runs["dates"].append(time.perf_counter() - t)
        t = time.perf_counter()
        coded = [code_dated_sentences(x, d, settings.spacy_model) for x, d in zip(texts, dates, strict=True)]
        runs["coder"].append(time.perf_counter() - t)
    sentences = [(x, s, e) for x in texts for s, e in rule_sentences(x)]
    verb = sum(1 for x, s, e in sentences if could_hold_event(x[s:e]))
    med = {k: statistics.median(v) for k, v in runs.items()}
    print(f"{len(texts)} English pages, {sum(len(x) for x in texts):,} characters, {len(sentences):,} sentences "
          f"({verb:,} with a dictionary verb form); {sum(len(c) for c in coded)} events coded")
    for k, v in runs.items():
        print(f"  {k:<6} median {med[k]:.2f}s  runs {', '.join(f'{x:.2f}' for x in v)}")
    print(f"  coder (choose + parse + code candidate sentences) = {med['coder'] / med['ner']:.2f} x the NER pass")


if __name__ == "__main__":
    main()
