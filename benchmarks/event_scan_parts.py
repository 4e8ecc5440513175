"""The coder's codings on unlabelled news split in two parts, to read one part's codings and
check a rule on the other by reading only what the rule changes there.

- TempEval-3 (``../shared/eval/tempeval3/``, AP/NYT/Xinhua news of 1998-2000 and 2013): part A/B
  by a CRC-32 of the document id (even/odd);
- CoNLL-2003 dev (``../shared/eval/conll2003/``, Reuters 1996), the wire-tune documents only
  (even index; odd documents are the held-out wire-check slice and are never scanned): part A
  index a multiple of 4 (wire-tune-a's documents), B the others (wire-tune-b's).

    .venv/bin/python benchmarks/event_scan_parts.py --out codings.json
    .venv/bin/python benchmarks/event_scan_parts.py --diff before.json after.json --part B

The first writes every coding (sentence, code, pattern, source and target with their codes,
modality); the second prints, for one part, the typed (non-statement, not negated) codings
that one file has and the other has not.
"""

from __future__ import annotations

import argparse
import json
import sys
import zlib
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TEMPEVAL = ROOT.parent / "shared" / "eval" / "tempeval3" / "timex3_aquaint_platinum.jsonl"
CONLL = ROOT.parent / "shared" / "eval" / "conll2003" / "eng.testa.docs.jsonl"
_MAX_CHARS = 600


def _sentences() -> list[tuple[str, str, str, str]]:
    """(corpus, part, document, sentence) of every unlabelled sentence with a dictionary verb form."""
    from benchmarks.event_news_scan import detokenize
    from pipeline.extract.cameo_coder import could_hold_event
    from pipeline.extract.nlp import rule_sentences

    out = []
    if TEMPEVAL.exists():
        for line in TEMPEVAL.read_text(encoding="utf-8").splitlines():
            d = json.loads(line)
            part = "AB"[zlib.crc32(d["docid"].encode()) % 2]
            for s, e in rule_sentences(d["text"]):
                text = " ".join(d["text"][s:e].split())
                if len(text) < _MAX_CHARS and could_hold_event(text):
                    out.append(("tempeval3", part, d["docid"], text))
    if CONLL.exists():
        for line in CONLL.read_text(encoding="utf-8").splitlines():
            d = json.loads(line)
            if d["doc_index"] % 2:
                continue  # wire-check's documents: held out
            part = "A" if d["doc_index"] % 4 == 0 else "B"
            for s in d["sentences"]:
                toks = s["tokens"]
                if len(toks) < 8 or sum(t.isupper() for t in toks) > len(toks) / 2:
                    continue  # headlines and tables
                text = detokenize(toks)
                if could_hold_event(text):
                    out.append(("conll2003", part, str(d["doc_index"]), text))
    return out


def scan(out: Path) -> None:
    from pipeline.extract.cameo_coder import code_sentence, load_parser, parse_text
    from pipeline.settings import load_settings

    nlp = load_parser(load_settings(env={}).spacy_model)
    items = _sentences()
    rows = []
    for (corpus, part, doc_id, text), doc in zip(items, nlp.pipe(parse_text(t, 0, len(t)) for *_, t in items),
                                                 strict=True):
        for c in code_sentence(doc[:]):
            rows.append({"corpus": corpus, "part": part, "doc": doc_id, "sentence": text, "code": c.cameo_code,
                         "verb": c.verb, "pattern": c.pattern, "modality": c.modality,
                         "source": c.source and [c.source.text, c.source.code],
                         "target": c.target and [c.target.text, c.target.code]})
    out.write_text(json.dumps(rows, indent=0), encoding="utf-8")
    counts = Counter((r["corpus"], r["part"], "typed" if r["code"][:2] != "01" else "statement") for r in rows)
    print(f"{len(items)} sentences, {len(rows)} codings -> {out}")
    for key, n in sorted(counts.items()):
        print(f"  {' '.join(key):<32}{n:5d}")


def diff(before: Path, after: Path, part: str) -> None:
    def typed(path: Path) -> dict[tuple[str, ...], dict]:
        rows = json.loads(path.read_text(encoding="utf-8"))
        return {(r["corpus"], r["doc"], r["sentence"], r["verb"], r["code"], r["modality"]): r for r in rows
                if r["part"] == part and r["code"][:2] != "01" and r["modality"] != "negated"}

    a, b = typed(before), typed(after)
    print(f"part {part}: typed codings {len(a)} before, {len(b)} after")
    for sign, keys, rows in (("-", a.keys() - b.keys(), a), ("+", b.keys() - a.keys(), b)):
        for k in sorted(keys):
            r = rows[k]
            print(f"  {sign} {r['code']} {r['verb']} {r['modality']} | {r['pattern']} | source {r['source']} "
                  f"| target {r['target']} | {r['sentence'][:200]}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, help="write every coding here")
    ap.add_argument("--diff", type=Path, nargs=2, metavar=("BEFORE", "AFTER"))
    ap.add_argument("--part", choices=("A", "B"), default="B")
    args = ap.parse_args()
    if args.diff:
        diff(*args.diff, args.part)
    elif args.out:
        scan(args.out)
    else:
        ap.error("give --out FILE to scan, or --diff BEFORE AFTER to compare two scans")


if __name__ == "__main__":
    main()
