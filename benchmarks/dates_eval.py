"""Date finder vs dateparser.search.search_dates on hand-labelled sentences and TempEval-3.

    .venv/bin/python benchmarks/dates_eval.py [--cases FILE.jsonl ...] [--errors]
    .venv/bin/python benchmarks/dates_eval.py --tempeval [FILE.jsonl] [--errors]

``--tempeval``: whole news documents with gold TIMEX3 values and their creation date (DCT, the
anchor), one JSON object a line as in ../shared/eval/tempeval3/ (any set in that format is
scored the same way). Day-level scores, per split (AQUAINT, on which the rules were tuned, and
Platinum, the TempEval-3 test set, which they were not tuned on): the gold is every DATE timex
whose value is a full day; a prediction is a day-level one (ours: granularity "day";
dateparser: every result, it always returns a day). A prediction that overlaps a gold day with
the same value is a true positive (each gold once); one that overlaps a gold timex that is not
a day (a month, a duration, a clock time) is not scored; any other is a false positive.

Each case: an anchor date, a sentence, and the gold date expressions (text, ISO value,
granularity); sentences with no gold dates check false alarms (prices, counts, clock times,
"may" the verb). Two scores per system:

- detect: a prediction overlapping a gold span (each gold matched once) is a hit.
- resolve: a hit whose value equals the gold value. dateparser returns a datetime without a
  granularity, so it is compared at the gold's granularity (generous to dateparser); ours
  must also state the right granularity.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from datetime import date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.extract.dates import find_dates  # noqa: E402

CASES_DIR = ROOT / "tests" / "extract" / "cases" / "dates"
# labelled.jsonl was used while writing the rules; heldout.jsonl was written after they were
# frozen and is scored without changes to them.
DEFAULT_CASES = [CASES_DIR / "labelled.jsonl", CASES_DIR / "heldout.jsonl"]


def load_cases(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _at_granularity(d: datetime, gran: str) -> str:
    if gran == "day":
        return d.date().isoformat()
    if gran == "week":
        y, w, _ = d.isocalendar()
        return f"{y}-W{w:02d}"
    if gran == "month":
        return f"{d.year:04d}-{d.month:02d}"
    return f"{d.year:04d}"


def ours(text: str, anchor: date) -> list[tuple[int, int, object]]:
    return [(e.start, e.end, (e.value, e.granularity)) for e in find_dates(text, anchor)]


def theirs(text: str, anchor: date) -> list[tuple[int, int, object]]:
    from dateparser.search import search_dates

    found = search_dates(text, languages=["en"],
                         settings={"RELATIVE_BASE": datetime(anchor.year, anchor.month, anchor.day)}) or []
    out, cursor = [], 0
    for surface, dt in found:
        start = text.find(surface, cursor)
        if start < 0:
            start = text.find(surface)
        if start < 0:
            continue
        out.append((start, start + len(surface), dt))
        cursor = start + len(surface)
    return out


def score(cases: list[dict], system, is_ours: bool, errors: list[str] | None = None) -> dict[str, float]:
    tp_detect = tp_resolve = n_pred = n_gold = 0
    for case in cases:
        text, anchor = case["text"], date.fromisoformat(case["anchor"])
        gold = []
        for g_text, g_value, g_gran in case["gold"]:
            start = text.find(g_text)
            assert start >= 0, f"gold {g_text!r} not in {text!r}"
            gold.append((start, start + len(g_text), g_value, g_gran))
        preds = system(text, anchor)
        n_pred += len(preds)
        n_gold += len(gold)
        used: set[int] = set()
        for p_start, p_end, p_val in preds:
            hit = next((i for i, g in enumerate(gold) if i not in used and p_start < g[1] and g[0] < p_end), None)
            if hit is None:
                if errors is not None:
                    errors.append(f"FP   {text[p_start:p_end]!r:28} {p_val!s:32} | {text}")
                continue
            used.add(hit)
            tp_detect += 1
            _, _, g_value, g_gran = gold[hit]
            if is_ours:
                ok = p_val == (g_value, g_gran)
            else:
                ok = _at_granularity(p_val, g_gran) == g_value
            tp_resolve += ok
            if not ok and errors is not None:
                errors.append(f"VAL  {text[p_start:p_end]!r:28} {p_val!s:32} gold {g_value} {g_gran} | {text}")
        if errors is not None:
            for i, g in enumerate(gold):
                if i not in used:
                    errors.append(f"MISS {text[g[0]:g[1]]!r:28} gold {g[2]} {g[3]} | {text}")

    def prf(tp: int) -> tuple[float, float, float]:
        p = tp / n_pred if n_pred else 0.0
        r = tp / n_gold if n_gold else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)

    dp, dr, df = prf(tp_detect)
    rp, rr, rf = prf(tp_resolve)
    return {"pred": n_pred, "gold": n_gold, "detect_p": dp, "detect_r": dr, "detect_f1": df,
            "resolve_p": rp, "resolve_r": rr, "resolve_f1": rf}


def report(path: Path, show_errors: bool) -> None:
    cases = load_cases(path)
    negatives = sum(1 for c in cases if not c["gold"])
    shown = path.resolve().relative_to(ROOT) if path.resolve().is_relative_to(ROOT) else path
    print(f"{shown}: {len(cases)} sentences ({negatives} with no date), "
          f"{sum(len(c['gold']) for c in cases)} gold expressions")
    print(f"{'system':<26}{'pred':>5}  {'detect P':>8} {'R':>5} {'F1':>5}   {'resolve P':>9} {'R':>5} {'F1':>5}  {'sec':>5}")
    for name, system, is_ours in (("newsmon find_dates", ours, True),
                                  ("dateparser search_dates", theirs, False)):
        errs: list[str] = []
        t0 = time.perf_counter()
        s = score(cases, system, is_ours, errs)
        secs = time.perf_counter() - t0
        print(f"{name:<26}{s['pred']:>5}  {s['detect_p']:>8.3f} {s['detect_r']:>5.3f} {s['detect_f1']:>5.3f}   "
              f"{s['resolve_p']:>9.3f} {s['resolve_r']:>5.3f} {s['resolve_f1']:>5.3f}  {secs:>5.2f}")
        if show_errors:
            for e in errs:
                print("    " + e)
    print()


DEFAULT_TEMPEVAL = ROOT.parent / "shared" / "eval" / "tempeval3" / "timex3_aquaint_platinum.jsonl"
_DAY_VALUE = re.compile(r"\d{4}-\d{2}-\d{2}")


def ours_days(text: str, anchor: date) -> list[tuple[int, int, str]]:
    return [(e.start, e.end, e.value) for e in find_dates(text, anchor) if e.granularity == "day"]


def theirs_days(text: str, anchor: date) -> list[tuple[int, int, str]]:
    return [(s, e, dt.date().isoformat()) for s, e, dt in theirs(text, anchor)]


def score_days(docs: list[dict], system, errors: list[str] | None = None) -> dict[str, float]:
    tp = fp = n_gold = 0
    for doc in docs:
        text, anchor = doc["text"], date.fromisoformat(doc["dct"][:10])
        gold = [(t["start"], t["end"], t["value"]) for t in doc["timex3"]
                if t["type"] == "DATE" and _DAY_VALUE.fullmatch(t["value"])]
        other = [(t["start"], t["end"]) for t in doc["timex3"]
                 if not (t["type"] == "DATE" and _DAY_VALUE.fullmatch(t["value"]))]
        n_gold += len(gold)
        used: set[int] = set()
        for start, end, value in system(text, anchor):
            hit = next((i for i, g in enumerate(gold)
                        if i not in used and start < g[1] and g[0] < end and g[2] == value), None)
            if hit is not None:
                used.add(hit)
                tp += 1
            elif any(start < o[1] and o[0] < end for o in other):
                continue
            else:
                fp += 1
                if errors is not None:
                    near = next((g for g in gold if start < g[1] and g[0] < end), None)
                    what = f"gold {near[2]}" if near else "no gold"
                    errors.append(f"FP   {doc['docid']} {text[start:end]!r:28} {value} ({what}) "
                                  f"| {_context(text, start, end)}")
        if errors is not None:
            for i, (gs, ge, gv) in enumerate(gold):
                if i not in used:
                    errors.append(f"MISS {doc['docid']} {text[gs:ge]!r:28} gold {gv} dct {doc['dct'][:10]} "
                                  f"| {_context(text, gs, ge)}")
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / n_gold if n_gold else 0.0
    return {"gold": n_gold, "pred": tp + fp, "tp": tp, "p": p, "r": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


def _context(text: str, start: int, end: int) -> str:
    return " ".join(text[max(0, start - 60):end + 40].split())


def report_tempeval(path: Path, show_errors: bool) -> None:
    docs = load_cases(path)
    splits: dict[str, list[dict]] = {}
    for doc in docs:
        splits.setdefault(doc.get("split", "all"), []).append(doc)
    print(f"{path.name}: {len(docs)} documents; day-level DATE timexes against each document's DCT")
    print(f"{'split':<15}{'docs':>5}{'gold':>6}  {'system':<26}{'pred':>5}{'TP':>5}  {'P':>5} {'R':>5} {'F1':>5}  {'sec':>5}")
    for split, part in [*sorted(splits.items()), ("all", docs)]:
        for name, system in (("newsmon find_dates", ours_days), ("dateparser search_dates", theirs_days)):
            errs: list[str] = []
            t0 = time.perf_counter()
            s = score_days(part, system, errs)
            secs = time.perf_counter() - t0
            print(f"{split:<15}{len(part):>5}{s['gold']:>6}  {name:<26}{s['pred']:>5}{s['tp']:>5}  "
                  f"{s['p']:>5.3f} {s['r']:>5.3f} {s['f1']:>5.3f}  {secs:>5.1f}")
            if show_errors and split != "all" and system is ours_days:
                for e in errs:
                    print("    " + e)
    print()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", type=Path, action="append",
                    help="a JSON-lines case file (repeatable; default: the development and held-out sets)")
    ap.add_argument("--errors", action="store_true", help="list every miss and false alarm")
    ap.add_argument("--tempeval", type=Path, nargs="?", const=DEFAULT_TEMPEVAL,
                    help="score day-level dates on TempEval-3 documents (default: ../shared/eval/tempeval3/)")
    args = ap.parse_args(argv)
    if args.tempeval is not None:
        if not args.tempeval.is_file():
            print(f"no TempEval file at {args.tempeval}: pass --tempeval PATH", file=sys.stderr)
            return 2
        report_tempeval(args.tempeval, args.errors)
        return 0
    for path in args.cases or DEFAULT_CASES:
        report(path, args.errors)
    return 0


if __name__ == "__main__":
    sys.exit(main())
