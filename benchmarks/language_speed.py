"""Language identification: py3langid's public API (what clean uses) vs the removed numpy
re-implementation that reached into py3langid's internals, side by side in one process.

    .venv/bin/python benchmarks/language_speed.py [--n 10000] [--rounds 3] [--rev bb75d7b~1]

The private path is not kept in the tree: the script reads ``pipeline/clean/language.py`` as it
was at ``--rev`` (the last commit that had it) from git into a temporary module. Builds the
corpus (benchmarks/corpus.py), takes the sample clean identifies of every text
(clean.stage.language_sample), classifies them all with each path in alternating rounds and
checks both give the same language for every text. Prints the median CPU ms/text of each and
the CPU seconds the private path would save over the N texts: compare that with the CPU time of
`pipeline_bench.py --n N` under `/usr/bin/time -v` (user + sys, its workers included), since
clean identifies languages on all workers (the bar for keeping a private API is 5% of a run).
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.corpus import build  # noqa: E402


def _timed(classify, texts: list[str]) -> tuple[float, list]:
    # CPU seconds of this process: on a shared machine wall time mostly measures the others.
    started = time.process_time()
    found = [classify(t) for t in texts]
    return time.process_time() - started, found


def _module_at(rev: str, path: str, folder: Path):
    """`path` as it was at `rev`, imported under a private name."""
    source = subprocess.run(["git", "-C", str(ROOT), "show", f"{rev}:{path}"], check=True,
                            capture_output=True, text=True).stdout
    target = folder / "language_at_rev.py"
    target.write_text(source)
    spec = importlib.util.spec_from_file_location("language_at_rev", target)
    if spec is None or spec.loader is None:
        raise SystemExit(f"cannot import {path} at {rev}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=10000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--rev", default="bb75d7b~1", help="a commit whose clean/language.py has the numpy path")
    parser.add_argument("--language", help="keep only texts in this language (default: the mixed corpus)")
    args = parser.parse_args()

    from pipeline.clean.language import identifier
    from pipeline.clean.stage import language_sample

    work = Path(tempfile.mkdtemp(prefix="newsmon-lang-"))
    corpus = build(work / "corpus", args.n, language=args.language)
    texts = [language_sample(t) for t in corpus.texts]
    public, private = identifier(), _module_at(args.rev, "pipeline/clean/language.py", work).identifier()
    public_s, private_s = [], []
    for _ in range(args.rounds):
        seconds, by_public = _timed(public.classify, texts)
        public_s.append(seconds)
        seconds, by_private = _timed(private.classify, texts)
        private_s.append(seconds)
        if [code for code, _ in by_public] != [code for code, _ in by_private]:
            raise SystemExit("the two paths disagree on a language")
    pub, priv = statistics.median(public_s), statistics.median(private_s)
    languages = Counter(code for code, _ in by_public).most_common(4)
    print(f"{len(texts)} samples of {sum(map(len, texts)) / len(texts):.0f} characters on average, "
          f"{args.rounds} alternating rounds; languages {languages}")
    print(f"public py3langid API:        {pub * 1000 / len(texts):.3f} CPU ms/text, {pub:.1f} s for all (median)")
    print(f"numpy path at {args.rev}: {priv * 1000 / len(texts):.3f} CPU ms/text, {priv:.1f} s for all (median), "
          f"{pub / priv:.2f}x faster, same language for every text")
    print(f"the private path would save {pub - priv:.1f} CPU seconds over {len(texts)} texts")


if __name__ == "__main__":
    main()
