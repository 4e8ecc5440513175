"""CPU seconds of the CAMEO coder's own Python (matching, roles, modality, pruning), the parse
left out: the sentences of event_news_scan.py (CoNLL-2003 English dev, Reuters) are parsed
once, then coded ``--rounds`` times. To compare two trees, run it in each:

    .venv/bin/python benchmarks/coder_speed.py [--rounds 5]
    PYTHONPATH=/other/tree .venv/bin/python /other/tree/benchmarks/coder_speed.py

Prints the parse's CPU seconds (once), each round's coding CPU seconds, their minimum and
median, and a hash of the codings (equal hashes: the two trees coded the same).
"""

from __future__ import annotations

import argparse
import hashlib
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    from benchmarks.event_news_scan import sentences
    from pipeline.extract.cameo_coder import code_sentence, load_parser
    from pipeline.settings import load_settings

    texts = sentences()
    nlp = load_parser(load_settings(env={}).spacy_model)
    started = time.process_time()
    sents = [s for doc in nlp.pipe(texts) for s in doc.sents]
    parse = time.process_time() - started
    coded = [code_sentence(s) for s in sents]  # warm: dictionaries and their indexes loaded
    digest = hashlib.sha256(repr([[(c.verb_start, c.cameo_code, c.pattern, c.modality,
                                    c.source.code if c.source else None, c.target.code if c.target else None)
                                   for c in got] for got in coded]).encode()).hexdigest()[:16]
    rounds = []
    for _ in range(args.rounds):
        started = time.process_time()
        for s in sents:
            code_sentence(s)
        rounds.append(time.process_time() - started)
    print(f"{len(sents)} sentences; parse {parse:.2f} CPU s; coding, {args.rounds} rounds: "
          f"{' '.join(f'{r:.3f}' for r in rounds)} CPU s (min {min(rounds):.3f}, median "
          f"{statistics.median(rounds):.3f}); {sum(map(len, coded))} codings, hash {digest}")


if __name__ == "__main__":
    main()
