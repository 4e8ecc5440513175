"""NER and entity resolution on the hand-labelled seeds: newsmon vs the raw spaCy model.

    .venv/bin/python benchmarks/ner_eval.py [--errors] [--conll-only]

Sections: the seeds, the held-out trafilatura pages, and the CoNLL-2003 development split
(216 Reuters documents, ../shared/eval/conll2003/): exact span + type micro P/R/F1 over
PER/ORG/LOC, for the whole split and for its two halves (even document index: the half the
type rules were tuned on; odd: held back).

Both systems read the same evaluation bodies (seed text minus title, dateline, captions and
page furniture; see the fixture). The raw model is ``spacy.load(settings.spacy_model)`` with
its default pipeline, its entities restricted to the types newsmon keeps; its "resolution" is
one entity per (type, exact surface). Matching criteria are defined in
pipeline/extract/entity_eval.py.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import spacy  # noqa: E402

from pipeline.extract.entities import extract_entities  # noqa: E402
from pipeline.extract.entity_eval import (  # noqa: E402
    Score,
    Span,
    as_conll,
    conll_halves,
    load_conll,
    load_gold,
    load_gold_texts,
    match,
    resolution,
)
from pipeline.extract.entity_text import KEPT_TYPES  # noqa: E402
from pipeline.records import Article  # noqa: E402
from pipeline.settings import Settings  # noqa: E402
from pipeline.text import content_hash, word_count  # noqa: E402

CASES = ROOT / "tests" / "extract" / "cases" / "entities"
FIXTURE = CASES / "seeds_gold.json"
HELDOUT = CASES / "heldout_gold.json"
HELDOUT_PAGES = ROOT.parent / "shared" / "eval" / "trafilatura" / "html"
CONLL = ROOT.parent / "shared" / "eval" / "conll2003" / "eng.testa.docs.jsonl"


def heldout_golds():
    """Held-out pages (never used to tune the rules); None when the eval folder is absent."""
    import json

    import trafilatura

    if not HELDOUT_PAGES.is_dir():
        return None
    names = json.loads(HELDOUT.read_text(encoding="utf-8"))["pages"]
    texts = {n: trafilatura.extract((HELDOUT_PAGES / n).read_text(encoding="utf-8", errors="replace"))
             for n in names}
    return load_gold_texts(HELDOUT, texts, section="pages")


def raw_spacy(golds, settings) -> dict[str, list[Span]]:
    nlp = spacy.load(settings.spacy_model)
    out = {}
    for g, doc in zip(golds, nlp.pipe([g.body for g in golds]), strict=True):
        out[g.name] = [Span(e.start_char, e.end_char, e.label_, f"{e.label_}:{e.text}")
                       for e in doc.ents if e.label_ in KEPT_TYPES]
    return out


def newsmon(golds, settings) -> dict[str, list[Span]]:
    articles = [Article(g.name, g.name, g.name, None, None, None, None, None, "en", g.body,
                        word_count(g.body), content_hash(g.body)) for g in golds]
    res = extract_entities(articles, settings, known_entities=[])
    out: dict[str, list[Span]] = {g.name: [] for g in golds}
    for m in res.mentions:
        out[m.article_id].append(Span(m.start_char, m.end_char, m.entity_type, m.entity_id))
    return out


def evaluate(golds, preds, normalised):
    total, pairs = Score(0, 0, 0), []
    for g in golds:
        s, p = match(g, preds[g.name], normalised)
        total = Score(total.tp + s.tp, total.fp + s.fp, total.fn + s.fn)
        pairs.extend(p)
    return total, pairs


def print_errors(golds, preds, label):
    print(f"\n--- {label}: errors (normalised criterion) ---")
    for g in golds:
        s, pairs = match(g, preds[g.name], True)
        hit_g = {(a.start, a.end) for a, _ in pairs}
        hit_p = {(b.start, b.end, b.label) for _, b in pairs}
        from pipeline.extract.entity_eval import normalise_span
        for m in g.mentions:
            n = normalise_span(g.body, m)
            if (n.start, n.end) not in hit_g:
                print(f"  FN {g.name[:3]} {g.body[n.start:n.end]!r}/{m.label}")
        for m in preds[g.name]:
            n = normalise_span(g.body, m)
            if (n.start, n.end, n.label) not in hit_p and not any(n.start < e and s_ < n.end for s_, e in g.ignore):
                print(f"  FP {g.name[:3]} {g.body[n.start:n.end]!r}/{m.label}")


def report(title, golds, settings, show_errors):
    t0 = time.perf_counter()
    raw = raw_spacy(golds, settings)
    t1 = time.perf_counter()
    ours = newsmon(golds, settings)
    t2 = time.perf_counter()
    n_gold = sum(len(g.mentions) for g in golds)
    print(f"== {title}: {len(golds)} texts, {n_gold} gold mentions, "
          f"{len({m.cluster for g in golds for m in g.mentions})} gold entities\n")
    print(f"{'criterion':<28}{'system':<10}{'P':>7}{'R':>7}{'F1':>7}{'TP':>6}{'FP':>5}{'FN':>5}")
    results = {}
    for crit, normalised in (("exact span + type", False), ("normalised span + type", True)):
        for name, preds in (("spaCy", raw), ("newsmon", ours)):
            s, pairs = evaluate(golds, preds, normalised)
            results[(crit, name)] = (s, pairs)
            print(f"{crit:<28}{name:<10}{s.precision:7.3f}{s.recall:7.3f}{s.f1:7.3f}{s.tp:6d}{s.fp:5d}{s.fn:5d}")
    print(f"\n{'resolution (pairs of found mentions)':<38}{'P':>7}{'R':>7}{'F1':>7}  exactly-resolved entities")
    for name in ("spaCy", "newsmon"):
        _, pairs = results[("normalised span + type", name)]
        r, exact, n = resolution(pairs)
        print(f"{name + (' (type+surface)' if name == 'spaCy' else ' (entity_id)'):<38}"
              f"{r.precision:7.3f}{r.recall:7.3f}{r.f1:7.3f}  {exact}/{n}")
    print(f"\nwall time: raw spaCy {t1 - t0:.1f}s (load + full pipeline), newsmon {t2 - t1:.1f}s "
          f"(load + ner/senter + resolution)\n")
    if show_errors:
        print_errors(golds, raw, "spaCy")
        print_errors(golds, ours, "newsmon")


def conll_report(settings, show_errors) -> None:
    """CoNLL-2003 dev: exact span + type over PER/ORG/LOC, raw model and newsmon side by side."""
    golds = load_conll(CONLL)
    t0 = time.perf_counter()
    raw = {k: as_conll(v) for k, v in raw_spacy(golds, settings).items()}
    t1 = time.perf_counter()
    ours = {k: as_conll(v) for k, v in newsmon(golds, settings).items()}
    t2 = time.perf_counter()
    tune, held = conll_halves(golds)
    print(f"== CoNLL-2003 dev ({CONLL.name}): {len(golds)} documents, "
          f"{sum(len(g.mentions) for g in golds)} gold PER/ORG/LOC mentions; exact span + type\n")
    print(f"{'documents':<34}{'system':<10}{'P':>7}{'R':>7}{'F1':>7}{'TP':>6}{'FP':>6}{'FN':>6}")
    for title, part in ((f"all ({len(golds)})", golds), (f"tuning half, even ({len(tune)})", tune),
                        (f"held-back half, odd ({len(held)})", held)):
        for name, preds in (("spaCy", raw), ("newsmon", ours)):
            s, _ = evaluate(part, preds, False)
            print(f"{title:<34}{name:<10}{s.precision:7.3f}{s.recall:7.3f}{s.f1:7.3f}{s.tp:6d}{s.fp:6d}{s.fn:6d}")
    print(f"\nwall time: raw spaCy {t1 - t0:.1f}s, newsmon {t2 - t1:.1f}s\n")
    if show_errors:
        print_errors(tune, raw, "spaCy (tuning half)")
        print_errors(tune, ours, "newsmon (tuning half)")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--errors", action="store_true", help="list false positives/negatives")
    ap.add_argument("--conll-only", action="store_true", help="only the CoNLL-2003 section")
    args = ap.parse_args()
    settings = Settings()
    if args.conll_only:
        conll_report(settings, args.errors)
        return 0
    report("seeds (tests/extract/cases/entities/seeds_gold.json)", load_gold(FIXTURE, ROOT / "seeds"),
           settings, args.errors)
    held = heldout_golds()
    if held is None:
        print(f"held-out pages skipped: {HELDOUT_PAGES} is absent")
    else:
        report("held-out pages (tests/extract/cases/entities/heldout_gold.json)", held, settings, args.errors)
    if CONLL.is_file():
        conll_report(settings, args.errors)
    else:
        print(f"CoNLL-2003 skipped: {CONLL} is absent")
    return 0


if __name__ == "__main__":
    sys.exit(main())
