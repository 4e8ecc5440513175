"""The clean step alone on one ingested batch, in any tree: CPU seconds and a content hash of
what it wrote, to compare two trees' clean (before/after) on the same input.

    .venv/bin/python benchmarks/clean_compare.py prepare DIR --n 2000 [--language en]
    PYTHONPATH=/tree .venv/bin/python benchmarks/clean_compare.py run DIR --tree /tree [--executor none]

``prepare`` builds a corpus (benchmarks/corpus.py) and runs ingest into DIR with the staging
kept; ``run`` runs ``clean_step`` of the code in ``--tree`` on it (again and again: clean only
rewrites its own files) and prints one JSON line: wall and CPU seconds (this process and its
reaped workers; ``--executor none`` keeps all the work in this process, so nothing escapes the
count), the step's counts, and per output table its rows and a hash of its sorted rows, the
clock's columns (``quarantined_at``) left out. Equal hashes: the two trees cleaned the same.
``--profile`` prints a pyinstrument call tree of the step instead of nothing (the hash stays).

    PYTHONPATH=/tree .venv/bin/python benchmarks/clean_compare.py pages --tree /tree [--save FILE]

``pages`` reads every evaluation page (../shared/eval/trafilatura/html, 990 pages in many
languages, not only the corpus's share) with the tree's ``extract_html``, the HTML half of
clean: its CPU seconds and one hash of every page's head (title, byline, publisher, dates,
paragraphs, removals, captions); ``--save`` writes one line per page to find a differing one.
``--meta``: ``read_page_meta`` alone on trafilatura's tree of each page (the page's structured
data, furniture blocks, links, bylines, lead), its CPU and a hash of every PageMeta.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TABLES = ("clean_articles", "boilerplate", "captions", "publisher_lines", "quarantine_clean")
CLOCK_COLUMNS = ("quarantined_at",)  # utc_now() when the row is written: differs between runs


def staged_settings(folder: Path, **overrides):
    sys.path.insert(0, str(ROOT))
    from benchmarks.extract_compare import staged_settings as staged

    return staged(folder, **overrides)


def prepare(folder: Path, n: int, language: str | None) -> None:
    sys.path.insert(0, str(ROOT))
    from benchmarks.extract_compare import prepare as prepare_batch

    prepare_batch(folder, n, language, steps=("ingest",), run_name="clean-compare")


def digest(directory: Path) -> dict[str, list]:
    import pyarrow.parquet as pq

    out = {}
    for name in TABLES:
        if not (directory / f"{name}.parquet").exists():  # an older tree's clean wrote fewer tables
            continue
        rows = sorted(json.dumps({k: v for k, v in r.items() if k not in CLOCK_COLUMNS}, sort_keys=True, default=str)
                      for r in pq.read_table(directory / f"{name}.parquet").to_pylist())
        out[name] = [len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest()[:16]]
    return out


def run(folder: Path, tree: Path, executor: str, profile: bool) -> None:
    sys.path.insert(0, str(tree))
    os.chdir(tree)
    from pipeline import flow
    from pipeline.staging import run_dir

    try:
        settings = staged_settings(folder, executor=executor)
    except Exception:  # noqa: BLE001 - a tree from before the executor setting (07c10e5): one process
        if executor != "none":
            raise
        settings = staged_settings(folder, clean_processes=1)
    run_id = (folder / "run_id").read_text(encoding="utf-8").strip()
    profiler = None
    if profile:
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.002)
        profiler.start()
    before, started = os.times(), time.perf_counter()
    stats = flow.clean_step(run_id, settings)
    wall, after = time.perf_counter() - started, os.times()
    cpu = sum(getattr(after, f) - getattr(before, f) for f in ("user", "system", "children_user", "children_system"))
    if profiler is not None:
        profiler.stop()
        print(profiler.output_text(unicode=False, color=False, show_all=False))
    import pipeline

    print(json.dumps({"tree": str(Path(pipeline.__file__).parents[1]), "executor": executor, "wall": round(wall, 2),
                      "cpu": round(cpu, 2), "stats": stats,
                      "digest": digest(run_dir(settings.staging_dir, run_id))}))


def _plain(value: object) -> object:
    """A PageMeta field as JSON: sets sorted, dataclasses as their fields, elements by tag."""
    if isinstance(value, set | frozenset):
        return sorted(value)
    if hasattr(value, "tag"):
        return str(value.tag)
    return vars(value) if hasattr(value, "__dict__") else str(value)


def _eval_pages() -> Iterator[tuple[Path, str, str | None]]:
    """Each evaluation page: its path, its HTML and its URL from the gold file."""
    folder = ROOT.parent / "shared" / "eval" / "trafilatura"
    urls = {name: entry.get("url") for name, entry in
            json.loads((folder / "evaldata_full.json").read_text(encoding="utf-8")).items()}
    for path in sorted((folder / "html").glob("*.html")):
        yield path, path.read_text(encoding="utf-8", errors="replace"), urls.get(path.name)


def page_meta(tree: Path, save: Path | None) -> None:
    """read_page_meta alone (the page's own statements, blocks, bylines, lead) on each page's tree."""
    sys.path.insert(0, str(tree))
    import trafilatura

    from pipeline.clean.structured import read_page_meta

    lines, cpu = [], 0.0
    for path, html, url in _eval_pages():
        page = trafilatura.load_html(html)
        if page is None:
            continue
        started = time.process_time()
        meta = read_page_meta(page, url)
        cpu += time.process_time() - started
        lines.append(f"{path.name}\t{json.dumps(vars(meta), sort_keys=True, default=_plain)}")
    _report(lines, cpu, save)


def _report(lines: list[str], cpu: float, save: Path | None) -> None:
    if save:
        save.write_text("\n".join(lines), encoding="utf-8")
    import pipeline

    print(json.dumps({"tree": str(Path(pipeline.__file__).parents[1]), "pages": len(lines), "cpu": round(cpu, 2),
                      "digest": hashlib.sha256("\n".join(lines).encode()).hexdigest()[:16]}))


def pages(tree: Path, save: Path | None) -> None:
    sys.path.insert(0, str(tree))
    from pipeline.clean.html import extract_html

    lines, cpu = [], 0.0
    for path, html, url in _eval_pages():
        started = time.process_time()
        head = extract_html(html, url)
        cpu += time.process_time() - started
        lines.append(f"{path.name}\t{json.dumps(vars(head) if head else None, sort_keys=True, default=str)}")
    _report(lines, cpu, save)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    sys.path.insert(0, str(ROOT))
    from benchmarks.extract_compare import add_batch_commands

    add_batch_commands(sub, executor="none").add_argument("--profile", action="store_true")
    eval_pages = sub.add_parser("pages")
    eval_pages.add_argument("--tree", type=Path, default=ROOT)
    eval_pages.add_argument("--save", type=Path)
    eval_pages.add_argument("--meta", action="store_true", help="read_page_meta alone, on trafilatura's tree")
    args = parser.parse_args()
    if args.command == "prepare":
        prepare(args.folder.resolve(), args.n, args.language)
    elif args.command == "pages":
        (page_meta if args.meta else pages)(args.tree.resolve(), args.save)
    else:
        run(args.folder.resolve(), args.tree.resolve(), args.executor, args.profile)


if __name__ == "__main__":
    main()
