"""The CAMEO coder on PETRARCH2's unit-test records: category recall on standard event-coding sentences.

``../shared/eval/petrarch2/PETR.UnitTest.records.xml`` holds ~280 stylised news sentences with
fictional countries (Arnor, Gondor, ...) and their expected codings. The expected codes come from
PETRARCH's validation verb dictionary: some are not CAMEO codes at all (9xx, 2xx, 345 exercise
the engine's synonym sets), so only records whose every expected code is a CAMEO code (root
01-20, named in ``knowledge/cameo_codes.tsv``) are scored. The fictional names are given to the
coder as a small actor dictionary (first three letters of each capitalised word whose prefix is
an expected actor code), the real Phoenix agents kept.

The expected codes are the validation dictionary's, not CAMEO.2.0's: "restore diplomatic ties"
is 064 there and 050 (diplomatic cooperation) in CAMEO.2.0 and the CAMEO codebook, so category
recall here understates a coder that follows the real dictionary; whether an event is found at
all, and who its source and target are, do not depend on the verb dictionary.

Scored per record: recall = expected events whose CAMEO root is among the coded ones' roots
(negated codings do not count); precision = coded events whose root is expected; records
expecting no event (``eventcode`` absent) count every coding as a false positive.

    .venv/bin/python benchmarks/petrarch_records.py [--show-errors]
"""

from __future__ import annotations

import argparse
import re
import sys
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

RECORDS = ROOT.parent / "shared" / "eval" / "petrarch2" / "PETR.UnitTest.records.xml"


def load_records(path: Path = RECORDS) -> list[tuple[str, str, list[tuple[str, str, str]]]]:
    """(id, text, [(source, target, code)]) of every record; an empty list: no event expected."""
    root = ET.fromstring(path.read_text(encoding="utf-8"))
    out = []
    for s in root.iter("Sentence"):
        text = s.find("Text")
        if text is None or not text.text:
            continue
        codings = [(e.get("sourcecode") or "", e.get("targetcode") or "", e.get("eventcode") or "")
                   for e in s.findall("EventCoding")]
        out.append((s.get("id") or "", " ".join(text.text.split()), [c for c in codings if c[2]]))
    return out


def fictional_actors(records):
    from pipeline.extract.cameo_actors import ActorDictionary, Dated, load_actor_dictionary

    prefixes = {code[:3] for _, _, evs in records for s, t, _ in evs for code in (s, t) if code}
    lower = {w for _, text, _ in records for w in re.findall(r"\b[a-z]+\b", text)}
    # A capitalised common word ("Former security officials") is not a fictional country.
    names = {w.upper(): w[:3].upper() for _, text, _ in records for w in re.findall(r"\b[A-Z][a-z]+\b", text)
             if w[:3].upper() in prefixes and w.lower() not in lower}
    base = load_actor_dictionary()
    return ActorDictionary({n: [Dated(c, None, None)] for n, c in names.items()}, base.agents, base.discards)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--show-errors", action="store_true")
    args = ap.parse_args()
    from pipeline.extract.cameo_coder import code_info, code_sentence, code_table, load_parser
    from pipeline.settings import load_settings

    records = load_records()
    table = code_table()
    standard = [r for r in records if all(c in table and "01" <= c[:2] <= "20" for _, _, c in r[2])]
    actors = fictional_actors(records)
    nlp = load_parser(load_settings(env={}).spacy_model)
    tp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    src_right = hits = detected = detected_src = pair_right = quiet = 0
    errors = []
    for (rid, text, evs), doc in zip(standard, nlp.pipe(r[1] for r in standard), strict=True):
        coded = [c for sent in doc.sents for c in code_sentence(sent, actors=actors) if c.modality != "negated"]
        roots = {c.info.root for c in coded}
        gold_roots = {code[:2] for _, _, code in evs}
        if evs and coded:
            detected += 1
            got_src = {(c.source.code or "")[:3] for c in coded if c.source}
            got_pair = {((c.source.code or "")[:3] if c.source else "", (c.target.code or "")[:3] if c.target else "")
                        for c in coded}
            detected_src += bool({s[:3] for s, _, _ in evs} & got_src)
            pair_right += bool({(s[:3], t[:3]) for s, t, _ in evs} & got_pair)
        quiet += not evs and not coded
        for root in sorted(gold_roots):
            if root in roots:
                tp[root] += 1
                hits += 1
                srcs = {s[:3] for s, _, code in evs if code[:2] == root}
                src_right += any((c.source.code or "")[:3] in srcs for c in coded if c.info.root == root and c.source)
            else:
                fn[root] += 1
                errors.append(("miss", rid, text, evs, [(c.cameo_code, c.pattern) for c in coded]))
        for root in sorted(roots - gold_roots):
            fp[root] += 1
            errors.append(("false", rid, text, evs, [(c.cameo_code, c.pattern) for c in coded if c.info.root == root]))
    with_event = sum(1 for r in standard if r[2])
    print(f"{len(records)} records; {len(standard)} with only CAMEO codes ({with_event} expecting an event, "
          f"{len(standard) - with_event} expecting none)")
    print(f"  {'root':<6}{'gold':>5}{'TP':>5}{'FP':>5}{'R':>7}")
    for root in sorted(set(tp) | set(fn) | set(fp)):
        g = tp[root] + fn[root]
        print(f"  {root:<6}{g:>5}{tp[root]:>5}{fp[root]:>5}{(tp[root] / g if g else 0):>7.2f}")
    t, f, p = sum(tp.values()), sum(fn.values()), sum(fp.values())
    print(f"  category recall {t / (t + f):.2f} ({t}/{t + f})  precision {t / (t + p) if t + p else 0:.2f} "
          f"({t}/{t + p})  source right on hits {src_right / (hits or 1):.2f}")
    print(f"  event found (any code) in {detected}/{with_event} records expecting one; on those, source right "
          f"{detected_src / (detected or 1):.2f}, source and target right {pair_right / (detected or 1):.2f}; "
          f"no event in {quiet}/{len(standard) - with_event} records expecting none")
    # Is a miss the engine's (nothing coded) or the codebooks' (CAMEO.2.0 codes the verb with
    # another root)? The commonest pairs, with their CAMEO names, show which.
    misses = [(evs, got) for kind, _, _, evs, got in errors if kind == "miss"]
    other = Counter((code, got[0][0]) for evs, got in misses if got for _, _, code in evs[:1])
    print(f"  misses: {sum(1 for _, got in misses if got)} coded with another root by CAMEO.2.0, "
          f"{sum(1 for _, got in misses if not got)} not coded; commonest (expected -> coded):")
    for (want, got_code), n in other.most_common(8):
        print(f"    {n:>3}  {want} {code_info(want).name:<40} -> {got_code} {code_info(got_code).name}")
    if args.show_errors:
        for kind, rid, text, evs, got in errors:
            print(f"  [{kind}] {rid}: {text[:140]}\n      gold={evs}\n      got={got}")


if __name__ == "__main__":
    main()
