"""Extraction benchmark: trafilatura alone vs newsmon (trafilatura + clean stage), side by side.

Data: ../shared/eval/trafilatura (990 annotated pages, read in place, never copied).
Scoring as upstream: collapse whitespace, then substring tests per page; a "with" snippet
found is a TP, missing an FN; a "without" snippet found is an FP.

    .venv/bin/python benchmarks/extraction_eval.py            # all 990 pages
    .venv/bin/python benchmarks/extraction_eval.py --subset 150
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import re
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))
DATA_DIR = PROJECT_ROOT.parent / "shared" / "eval" / "trafilatura"
_WS = re.compile(r"\s+")


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    seconds: float = 0.0
    pages: int = 0
    misses: list[tuple[str, str, str]] = field(default_factory=list)  # (page, "fp"|"fn", snippet)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        return 2 * self.tp / (2 * self.tp + self.fp + self.fn) if self.tp else 0.0

    @property
    def pages_per_second(self) -> float:
        return self.pages / self.seconds if self.seconds else 0.0


def load_pages(data_dir: Path = DATA_DIR, subset: int | None = None) -> dict[str, dict]:
    """{file name: entry with url/with/without}; `subset` takes an evenly spread sample."""
    entries = json.loads((data_dir / "evaldata_full.json").read_text(encoding="utf-8"))
    names = sorted(entries)
    if subset and subset < len(names):
        step = len(names) / subset
        names = [names[int(i * step)] for i in range(subset)]
    return {n: entries[n] for n in names}


def score(texts: dict[str, str], pages: dict[str, dict]) -> Score:
    result = Score()
    for name, entry in pages.items():
        text = _WS.sub(" ", texts.get(name) or "").strip()
        for snippet in entry["with"]:
            if _WS.sub(" ", snippet).strip() in text:
                result.tp += 1
            else:
                result.fn += 1
                result.misses.append((name, "fn", snippet))
        for snippet in entry["without"]:
            if _WS.sub(" ", snippet).strip() in text:
                result.fp += 1
                result.misses.append((name, "fp", snippet))
    return result


def run_trafilatura(pages: dict[str, dict], data_dir: Path = DATA_DIR) -> tuple[dict[str, str], float]:
    """Upstream's call: raw bytes in, plain text out, no comments, tables kept."""
    import trafilatura

    texts: dict[str, str] = {}
    start = time.perf_counter()
    for name, entry in pages.items():
        raw = (data_dir / "html" / name).read_bytes()
        texts[name] = trafilatura.extract(raw, url=entry.get("url"), include_comments=False,
                                          include_tables=True) or ""
    return texts, time.perf_counter() - start


def run_trafilatura_metadata(pages: dict[str, dict], data_dir: Path = DATA_DIR
                             ) -> tuple[dict[str, str], float]:
    """trafilatura called as newsmon calls it (JSON with metadata: title, author, date, site),
    without the clean stage: separates the cost of metadata from the cost of cleaning."""
    import trafilatura

    texts: dict[str, str] = {}
    start = time.perf_counter()
    for name, entry in pages.items():
        raw = (data_dir / "html" / name).read_bytes()
        out = trafilatura.extract(raw, url=entry.get("url"), output_format="json", with_metadata=True,
                                  include_comments=False, include_tables=True)
        texts[name] = json.loads(out)["text"] if out else ""
    return texts, time.perf_counter() - start


def run_newsmon(pages: dict[str, dict], data_dir: Path = DATA_DIR) -> tuple[dict[str, str], float]:
    """The pipeline's own path: ingest's reader decodes the file, the clean stage extracts and cleans."""
    from pipeline.clean import clean_documents
    from pipeline.errors import InputError
    from pipeline.ingest.files import read_document
    from pipeline.settings import Settings

    settings = Settings()
    start = time.perf_counter()
    docs, names = [], {}
    for name, entry in pages.items():
        try:
            doc = read_document(data_dir / "html" / name, settings, run_id="eval")
        except InputError:
            continue
        doc = dataclasses.replace(doc, url=entry.get("url"), content_type="text/html")
        docs.append(doc)
        names[doc.doc_id] = name
    out = clean_documents(docs, settings, run_id="eval")
    elapsed = time.perf_counter() - start
    return {names[a.article_id]: a.body for a in out.articles}, elapsed


def evaluate(runner: Callable[..., tuple[dict[str, str], float]], pages: dict[str, dict],
             data_dir: Path = DATA_DIR) -> Score:
    texts, seconds = runner(pages, data_dir)
    result = score(texts, pages)
    result.seconds, result.pages = seconds, len(pages)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA_DIR)
    parser.add_argument("--subset", type=int, help="evenly spread sample of N pages")
    parser.add_argument("--show-misses", choices=["fp", "fn"], help="list newsmon's misses of one kind")
    args = parser.parse_args(argv)
    if not (args.data / "evaldata_full.json").is_file():
        print(f"no evaluation data at {args.data}", file=sys.stderr)
        return 2
    pages = load_pages(args.data, args.subset)
    import trafilatura

    rows = [(f"trafilatura {trafilatura.__version__} alone", evaluate(run_trafilatura, pages, args.data)),
            (f"trafilatura {trafilatura.__version__} json+metadata",
             evaluate(run_trafilatura_metadata, pages, args.data)),
            ("newsmon (trafilatura + clean)", evaluate(run_newsmon, pages, args.data))]
    n_with = sum(len(e["with"]) for e in pages.values())
    n_without = sum(len(e["without"]) for e in pages.values())
    print(f"{len(pages)} pages, {n_with} text & {n_without} boilerplate snippets ({args.data})")
    print(f"{'extractor':<34} {'P':>6} {'R':>6} {'F1':>6} {'TP':>5} {'FP':>5} {'FN':>5} {'pages/s':>8}")
    for label, s in rows:
        print(f"{label:<34} {s.precision:6.3f} {s.recall:6.3f} {s.f1:6.3f} {s.tp:5d} {s.fp:5d} {s.fn:5d} "
              f"{s.pages_per_second:8.1f}")
    if args.show_misses:
        for page, kind, snippet in rows[-1][1].misses:
            if kind == args.show_misses:
                print(f"  {kind} {page}: {snippet[:100]!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
