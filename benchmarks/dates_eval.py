"""Date finder vs dateparser.search.search_dates on hand-labelled sentences.

    .venv/bin/python benchmarks/dates_eval.py [--cases FILE.jsonl ...] [--errors]

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


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", type=Path, action="append",
                    help="a JSON-lines case file (repeatable; default: the development and held-out sets)")
    ap.add_argument("--errors", action="store_true", help="list every miss and false alarm")
    args = ap.parse_args(argv)
    for path in args.cases or DEFAULT_CASES:
        report(path, args.errors)
    return 0


if __name__ == "__main__":
    sys.exit(main())
