"""Language identification: py3langid's byte walk vs the numpy count, side by side.

    .venv/bin/python benchmarks/language_speed.py [--n 1000] [--rounds 5] [--language LANG]

Builds a corpus (benchmarks/corpus.py), takes the sample the clean stage identifies
(clean.stage.language_sample) of every text, then classifies them all with py3langid and with
pipeline.clean.language alternately, ``--rounds`` times; prints the median ms/text of each,
their ratio, and checks that both gave the same language and score for every text.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.corpus import build  # noqa: E402


def _timed(classify, texts: list[str]) -> tuple[float, list]:
    started = time.perf_counter()
    found = [classify(t) for t in texts]
    return (time.perf_counter() - started) * 1000 / len(texts), found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--language", help="keep only texts in this language (default: the mixed corpus)")
    args = parser.parse_args()
    import py3langid

    from pipeline.clean.language import identifier
    from pipeline.clean.stage import language_sample

    corpus = build(Path(tempfile.mkdtemp(prefix="newsmon-lang-")) / "corpus", args.n, language=args.language)
    texts = [language_sample(t) for t in corpus.texts]
    walk, vectorised = py3langid.langid._get_identifier(), identifier()
    walked, counted = [], []
    for _ in range(args.rounds):
        ms, slow = _timed(walk.classify, texts)
        walked.append(ms)
        ms, fast = _timed(vectorised.classify, texts)
        counted.append(ms)
        if fast != slow:
            raise SystemExit("the numpy count changed a language or a score")
    a, b = statistics.median(counted), statistics.median(walked)
    languages = Counter(code for code, _ in fast).most_common(4)
    print(f"{len(texts)} samples of {sum(map(len, texts)) / len(texts):.0f} characters on average, "
          f"{args.rounds} alternating rounds; languages {languages}")
    print(f"py3langid byte walk: {b:.3f} ms/text (median)")
    print(f"numpy count:         {a:.3f} ms/text (median), {b / a:.2f}x faster, same language and score for all")


if __name__ == "__main__":
    main()
