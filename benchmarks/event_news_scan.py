"""The CAMEO coder over real news with no labels: CoNLL-2003's English dev split (Reuters, 1996).

``../shared/eval/conll2003/eng.testa.docs.jsonl`` holds tokenised Reuters stories. Sentences of
at least 8 tokens, not headlines (mostly upper case), holding a dictionary verb form are
detokenised, parsed and coded; prints how many are coded and the codings per CAMEO root, and
with ``--jsonl FILE`` writes every sentence with its codings (code, source and target actor
codes, modality, pattern), to compare two versions of the coder line by line and read what one
adds or drops. There is no gold here: what it measures is what the coder does on news.

    .venv/bin/python benchmarks/event_news_scan.py [--jsonl out.jsonl]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

STORIES = ROOT.parent / "shared" / "eval" / "conll2003" / "eng.testa.docs.jsonl"


def detokenize(tokens: list[str]) -> str:
    """A CoNLL sentence's tokens as running text (the spacing a news page would have)."""
    text = re.sub(r" ([,.;:!?%)])", r"\1", " ".join(tokens))
    return text.replace("( ", "(").replace(" 's", "'s").replace(" n't", "n't")


def sentences(path: Path = STORIES) -> list[str]:
    from pipeline.extract.cameo_coder import could_hold_event

    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        for s in json.loads(line)["sentences"]:
            toks = s["tokens"]
            if len(toks) < 8 or sum(t.isupper() for t in toks) > len(toks) / 2:
                continue
            text = detokenize(toks)
            if could_hold_event(text):
                out.append(text)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--jsonl", type=Path, help="write each sentence and its codings here")
    args = ap.parse_args()
    from pipeline.extract.cameo_coder import code_info, code_sentence, load_parser
    from pipeline.settings import load_settings

    texts = sentences()
    nlp = load_parser(load_settings(env={}).spacy_model)
    roots: Counter[str] = Counter()
    coded_sentences = 0
    out = args.jsonl.open("w", encoding="utf-8") if args.jsonl else None
    for text, doc in zip(texts, nlp.pipe(texts), strict=True):
        got = [c for s in doc.sents for c in code_sentence(s)]
        coded_sentences += bool(got)
        roots.update(c.info.root for c in got)
        if out is not None:
            out.write(json.dumps({"s": text, "c": [
                (c.cameo_code, c.source.code if c.source else None, c.target.code if c.target else None,
                 c.modality, c.pattern) for c in got]}) + "\n")
    if out is not None:
        out.close()
    print(f"{len(texts)} sentences with a dictionary verb form; {coded_sentences} coded, "
          f"{sum(roots.values())} codings")
    for root, n in sorted(roots.items()):
        print(f"  {root} {code_info(root).name:<32}{n:>5}")


if __name__ == "__main__":
    main()
