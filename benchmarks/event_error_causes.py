"""Why the event coder misses a labelled event or codes a false one, counted by cause, on the
labelled slices of ``event_eval.py`` (read the "-a" parts' errors only, ``--show``; for other
slices print the counts alone, the default, which ``--totals`` enforces over ``--show``).

    .venv/bin/python benchmarks/event_error_causes.py [--half tune-a,wire-tune-a] [--show] [--totals]

Each gold event not hit (a miss) and each coding not matched (a false event) is put under the
first cause that holds, from what the coder did before and after its pruning rules:

- dropped by a rule (clause shape, modality/opinion, actor): a coding of the gold root was found
  on a verb and a pruning rule of ``cameo_coder`` dropped it (the rule is named);
- wrong code: the sentence holds a kept coding of another root that no gold event takes;
- nominal event: no verb coded the gold root, but a noun of the sentence read as a dictionary
  verb (``verb_of_noun``) has it ("talks with", "the attack on", "a conversation with");
- clause not coded: a verb of a dependent clause (complement, adverbial, relative) is a
  dictionary verb the coder found no code for, or none of its codings survived;
- no pattern: no verb of the sentence is a dictionary verb of the gold root.
Misses are also counted by the pipeline's gate (no coded dictionary verb form, or no date and no
political dictionary actor word: the pipeline would not parse the sentence; the sentence coder
here codes it anyway). A false event is typed when its root is not 01 (statements).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.event_eval import DATA, actor_right, part_of, wire_rows  # noqa: E402
from pipeline.extract import cameo_coder as cc  # noqa: E402
from pipeline.extract.cameo_actors import could_name_political_actor, load_actor_dictionary  # noqa: E402
from pipeline.extract.cameo_dictionary import load_verb_dictionary, verb_of_noun  # noqa: E402
from pipeline.extract.dates import find_dates  # noqa: E402
from pipeline.settings import load_settings  # noqa: E402

_CLAUSE_RULES = {"_describes", "_habit", "_state_of_things", "_report_of_kept", "_telling_participle",
                 "_claim_over_clause"}
_MODAL_RULES = {"_forecast", "_opinion", "_aimless_opinion", "_says_nothing", "_asks_no_one"}


def _rule_group(rule: str) -> str:
    if rule in _CLAUSE_RULES:
        group = "clause not asserted"
    elif rule in _MODAL_RULES:
        group = "modality/opinion"
    elif rule == "deferred":
        group = "infinitive under a coded verb"
    else:
        group = "actor missing/not political"
    return f"dropped: {group} ({rule.lstrip('_')})"


def _dropping_rule(sent, i: int, found: dict, kept: dict, discard: str | None) -> str:
    rule = cc.pruning_rule(sent, found, i, kept, discard)
    if rule is not None:
        return rule
    if sent.doc[i].dep_ == "xcomp" and sent.doc[i].head.i in found:
        return "deferred"
    return "_other"


def _roots_of_verb(tok, dictionary) -> set[str]:
    roots = set()
    for v in cc.verb_entries(tok, dictionary):
        if v.code:
            roots.add(v.code[:2])
        for p in dictionary.patterns.get(v.block, ()):
            for code in (p.code, p.reverse_code):
                if code:
                    roots.add(code[:2])
    return roots


def _gated_out(text: str) -> bool:
    # any date expression counts as dated: the pipeline resolves "Nov. 29" against the
    # article's anchor, which a sentence alone lacks
    if not cc.could_hold_event(text):
        return True
    return not (find_dates(text, None, keep_undated=True) or could_name_political_actor(text))


def classify(rows: list[dict], nlp, show: bool) -> tuple[Counter, Counter, Counter]:
    dictionary, actors = load_verb_dictionary(), load_actor_dictionary()
    misses: Counter[str] = Counter()
    false_typed: Counter[str] = Counter()
    false_stmt: Counter[str] = Counter()
    gated = 0
    docs = list(nlp.pipe(cc.parse_text(r["sentence"], 0, len(r["sentence"])) for r in rows))
    for row, doc in zip(rows, docs, strict=True):
        sent = doc[:]
        found = cc.candidate_codings(sent, dictionary=dictionary, actors=actors)
        kept = [c for c in cc.prune(sent, found, actors) if c.modality != "negated"]
        by_start = {doc[i].idx: i for i in found}
        kept_idx = {by_start[c.verb_start]: c for c in kept if c.verb_start in by_start}
        discard = actors.discarded(" ".join(t.text.upper() for t in sent))
        used: set[int] = set()
        gold_roots = {c[:2] for g in row["events"] for c in [g["code"], *g.get("alt", [])]}
        unmatched_gold = []
        for gold in row["events"]:
            roots = {c[:2] for c in [gold["code"], *gold.get("alt", [])]}
            m = next((k for k, c in enumerate(kept) if k not in used and c.info.root in roots), None)
            if m is None:
                unmatched_gold.append((gold, roots))
            else:
                used.add(m)
        wrong = [c for k, c in enumerate(kept) if k not in used]
        for gold, roots in unmatched_gold:
            cause = _miss_cause(sent, roots, found, kept_idx, discard, wrong, dictionary)
            misses[cause] += 1
            gated += _gated_out(row["sentence"])
            if show:
                print(f"  [miss: {cause}] {row['sentence'][:120]}\n      gold {gold['code']} "
                      f"{gold['source']} -> {gold['target']}")
        for c in wrong:
            cause = ("wrong code (a gold event of another root)" if unmatched_gold
                     else "no event in the gold" if not row["events"] else "an extra coding")
            typed = c.info.root != "01"
            (false_typed if typed else false_stmt)[cause] += 1
            if show:
                src = c.source.text if c.source else None
                print(f"  [false {'typed' if typed else 'stmt'}: {cause}] {row['sentence'][:120]}\n"
                      f"      pred {c.cameo_code} {c.pattern} src={src} conf={c.confidence}"
                      f" gold-src-ok={any(actor_right(src, g['source']) for g in row['events'])}"
                      f" gold={sorted(gold_roots)}")
    print(f"\n  of the misses, {gated} are in sentences the pipeline's gate would not parse")
    return misses, false_typed, false_stmt


def _miss_cause(sent, roots, found, kept_idx, discard, wrong, dictionary) -> str:
    for i, c in found.items():
        if c.info.root in roots and i not in kept_idx:
            return _rule_group(_dropping_rule(sent, i, found, kept_idx, discard))
    if wrong:
        return "wrong code (another root kept)"
    for tok in sent:
        if tok.pos_ == "NOUN":
            for v in verb_of_noun(tok.lemma_.upper(), dictionary):
                if v.code and v.code[:2] in roots:
                    return "nominal event (no verb)"
    verb_roots = [(tok, _roots_of_verb(tok, dictionary)) for tok in sent if tok.pos_ in ("VERB", "AUX")]
    if any(roots & r for _, r in verb_roots):
        deps = {tok.dep_ for tok, r in verb_roots if roots & r}
        if deps & {"ROOT", "conj"}:
            return "verb of the root, pattern/actor not matched"
        return "verb of the root in a dependent clause, not coded"
    return "no pattern for the verb"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--half", default="tune-a,wire-tune-a", help="comma-separated slices or parts")
    ap.add_argument("--show", action="store_true", help="print each error with its cause")
    ap.add_argument("--totals", action="store_true", help="counts only, even with --show (for held-out slices)")
    args = ap.parse_args()
    if args.totals:
        args.show = False
    halves = args.half.split(",")
    rows = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line.strip()]
    rows += wire_rows()
    rows = [r for r in rows if r["half"] in halves or part_of(r) in halves]
    nlp = cc.load_parser(load_settings(env={}).spacy_model)
    misses, false_typed, false_stmt = classify(rows, nlp, args.show)
    gold = sum(len(r["events"]) for r in rows)
    print(f"\n{','.join(halves)}: {len(rows)} sentences, {gold} gold events")
    for title, counts in (("misses (gold event with no coding of its root)", misses),
                          ("false typed events (roots 02-20)", false_typed),
                          ("false statements (root 01)", false_stmt)):
        print(f"\n  {title}: {sum(counts.values())}")
        for cause, n in counts.most_common():
            print(f"    {cause:<52}{n:4d}")


if __name__ == "__main__":
    main()
