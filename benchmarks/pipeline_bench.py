"""End-to-end throughput beside the spaCy-only ceiling, measured in the same run.

    .venv/bin/python benchmarks/pipeline_bench.py --n 1000 [--processes 2] [--scaling 1000,10000]
    .venv/bin/python benchmarks/pipeline_bench.py --n 10000 --language en --repeat 3
    .venv/bin/python benchmarks/pipeline_bench.py --scaling 1000,10000,100000 --language en --ceiling-sample 10000

For each N: builds a corpus (benchmarks/corpus.py), runs the whole pipeline in-process into a
fresh DuckDB (`pipeline.flow.run_pipeline`, quality suites included), then the spaCy model
alone with the same components and process count over the same article texts, then the
pipeline again over the same input (nothing new). Prints per-stage seconds and articles/s,
end-to-end articles/s, peak RSS (this process and its workers), the ratio to the ceiling,
and dedup precision/recall on the planted duplicates.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.corpus import HTML_SHARE, build  # noqa: E402


def peak_rss_mib() -> tuple[float, float]:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own, workers


def rss_mib() -> tuple[float, float]:
    """This process's resident set now and its high-water mark so far (VmRSS, VmHWM)."""
    fields = dict(line.split(":", 1) for line in Path("/proc/self/status").read_text().splitlines() if ":" in line)
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


class BatchProgress:
    """One line per loaded batch (is the cost per batch flat as the warehouse grows?) and, with
    `steps`, each step's seconds and the resident set after it (which step raises the peak?).
    Keeps each batch's seconds for `halves()`; `comparable`, when known, is how many leading
    batches are full batches of articles the model parses (the corpus numbers its planted
    duplicates last, so the batches after hold only copies and take half the time)."""

    def __init__(self, started: float, steps: bool, comparable: int | None = None) -> None:
        self.steps = steps
        self.comparable = comparable
        self.started = self.batch_start = self.step_start = started
        self.batch_seconds: list[float] = []

    def __call__(self, step: str, result: dict) -> None:
        now = time.perf_counter()
        now_rss, peak = rss_mib()
        if self.steps:
            print(f"    {step:<8} {now - self.step_start:>7.1f}s  RSS after {now_rss:>6.0f} MiB, "
                  f"high-water {peak:>6.0f} MiB", flush=True)
        self.step_start = now
        if step != "publish":
            return
        self.batch_seconds.append(now - self.batch_start)
        print(f"  batch {len(self.batch_seconds)}: {self.batch_seconds[-1]:.1f}s, {now - self.started:.0f}s so far, "
              f"RSS now {now_rss:.0f} MiB", flush=True)
        self.batch_start = now

    def pause(self, seconds: float) -> None:
        """Time spent outside the pipeline (a ceiling slice) counts to no batch or step."""
        self.started += seconds
        self.batch_start += seconds
        self.step_start += seconds

    def halves(self) -> str | None:
        """Median batch seconds of the first and second half of the comparable batches (unless
        told, all but the last: it holds the remainder). None under three of them."""
        import statistics

        full = self.batch_seconds[:-1] if self.comparable is None else self.batch_seconds[: self.comparable]
        if len(full) < 3:
            return None
        first, second = full[: len(full) // 2], full[len(full) // 2:]
        a, b = statistics.median(first), statistics.median(second)
        return (f"batches 1-{len(first)} median {a:.1f}s, {len(first) + 1}-{len(full)} median {b:.1f}s "
                f"({100 * (b - a) / a:+.1f}%)")


class SlicedCeiling:
    """The sampled ceiling timed a slice after each of the pipeline's batches, not once after
    the whole run: on a shared machine an hour-long run and an eight-minute ceiling see
    different machines (100k at 94aab6d: the pipeline at 25.1/s, the model alone at 22.8/s an
    hour earlier and 32.8/s after it). Slices are consecutive in corpus order, so each is
    roughly the batch just loaded. The slice's time is paused in the batch progress, so it
    counts to neither the pipeline's total nor its batch."""

    def __init__(self, sample: list[str], batches: int, settings, report: BatchProgress) -> None:
        size = len(sample)
        self.slices = [sample[size * j // batches: size * (j + 1) // batches] for j in range(batches)]
        self.settings, self.report = settings, report
        self.timed: list[float] = []

    def __call__(self, step: str, result: dict) -> None:
        self.report(step, result)
        if step != "publish" or len(self.timed) >= len(self.slices):
            return
        started = time.perf_counter()
        self.timed.append(ceiling(self.slices[len(self.timed)], self.settings))
        self.report.pause(time.perf_counter() - started)

    def untimed(self) -> list[list[str]]:
        """Slices whose batch never came (the run had fewer batches): timed after the run."""
        return self.slices[len(self.timed):]


def ceiling(texts: list[str], settings) -> float:
    """The model alone: same model, components, batch size and processes as the pipeline."""
    from pipeline.extract.nlp import load_nlp

    nlp = load_nlp(settings.spacy_model)
    cut = [t[: settings.nlp_max_chars] for t in texts]
    started = time.perf_counter()
    for _ in nlp.pipe(cut, batch_size=settings.nlp_batch_size, n_process=settings.nlp_processes):
        pass
    return time.perf_counter() - started


def ceiling_forked(texts: list[str], settings) -> float:
    """The model alone in the pipeline's own layout: forked workers, each running the model
    in-process on a share of the texts and sending nothing back (pipeline.executor)."""
    from pipeline.executor import executor_for
    from pipeline.extract.nlp import load_nlp

    load_nlp(settings.spacy_model)
    cut = [t[: settings.nlp_max_chars] for t in texts]
    started = time.perf_counter()
    executor_for("fork", settings.nlp_processes).map(_model_only, cut, settings, stage="ceiling")
    return time.perf_counter() - started


def _model_only(settings, texts: list[str]) -> list[None]:
    from pipeline.extract.nlp import load_nlp

    for _ in load_nlp(settings.spacy_model).pipe(texts, batch_size=settings.nlp_batch_size):
        pass
    return [None] * len(texts)


def dedup_scores(db: Path, corpus) -> tuple[float, float, int]:
    """Pairwise: a verdict "X duplicates Y" is right when X and Y are copies of one planted original."""
    import duckdb

    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute("SELECT a.article_id, d.source_uri, a.is_duplicate, a.duplicate_of, a.cluster_id "
                           "FROM articles a JOIN documents d USING (doc_id)").fetchall()
    name_of = {article_id: Path(uri).name for article_id, uri, *_ in rows}
    cluster_of = {Path(uri).name: cluster for _, uri, _, _, cluster in rows}

    def group(name: str) -> str:
        return corpus.planted.get(name, name)

    verdicts = [(name_of[a], name_of.get(of)) for a, _, dup, of, _ in rows if dup]
    right = sum(1 for x, y in verdicts if y is not None and group(x) == group(y))
    precision = right / len(verdicts) if verdicts else 1.0
    found = sum(1 for dup, orig in corpus.planted.items()
                if dup in cluster_of and cluster_of[dup] == cluster_of.get(orig))
    recall = found / len(corpus.planted) if corpus.planted else 1.0
    return precision, recall, len(verdicts)


# What the run left, counted in the warehouse. The run summary's entities and events add up
# each batch's written rows (an entity seen again in a later batch is rewritten and counted
# again), so the figures printed are these.
COUNTED = {
    "articles": "SELECT count(*) FROM articles",
    "duplicates": "SELECT count(*) FROM articles WHERE is_duplicate",
    "quarantined": "SELECT count(*) FROM quarantine",
    "entities": "SELECT count(*) FROM entities",
    "events": "SELECT count(*) FROM events",
}


def warehouse_counts(db: Path) -> str:
    import duckdb

    with duckdb.connect(str(db), read_only=True) as con:
        return ", ".join(f"{name} {con.execute(sql).fetchone()[0]}" for name, sql in COUNTED.items())


def sample_every(texts: list[str], size: int | None) -> list[str]:
    """Every k-th text, k = len(texts) // size (a systematic sample over the corpus order)."""
    if not size or len(texts) <= size:
        return texts
    return texts[:: len(texts) // size]


def bench(n: int, processes: int, keep: bool, steps: bool = False, language: str | None = None,
          with_ceiling: bool = True, forked_ceiling: bool = False,
          ceiling_sample: int | None = None, html_share: float = HTML_SHARE,
          batch_documents: int | None = None, executor: str = "auto") -> dict[str, float]:
    from benchmarks.pytest_cpu import cpu_seconds, reap_forkserver
    from pipeline.flow import run_pipeline
    from pipeline.settings import load_settings

    tmp = Path(tempfile.mkdtemp(prefix=f"newsmon-bench-{n}-"))
    started = time.perf_counter()
    corpus = build(tmp / "corpus", n, language=language, html_share=html_share)
    words = sum(len(t.split()) for t in corpus.texts) / max(1, len(corpus.texts))
    print(f"\n== N={n:,}{f' ({language} only)' if language else ''}: {len(corpus.files):,} files ({corpus.html_files} HTML pages, "
          f"{len(corpus.planted)} planted duplicates), {words:.0f} words/article on average; "
          f"built in {time.perf_counter() - started:.0f}s", flush=True)
    settings = load_settings(env={}, db_path=tmp / "news.duckdb", staging_dir=tmp / "staging",
                             reports_dir=tmp / "reports", nlp_processes=processes, executor=executor,
                             **({"run_batch_documents": batch_documents} if batch_documents else {}))
    sample = sample_every(corpus.texts, ceiling_sample)
    sliced = None
    started = time.perf_counter()
    # Files load in name order and the planted duplicates are numbered after the originals.
    batches = BatchProgress(started, steps, comparable=(len(corpus.files) - len(corpus.planted))
                            // max(1, settings.run_batch_documents))
    progress = batches
    if with_ceiling and len(sample) < len(corpus.texts):
        # As many slices as run_pipeline makes batches (all files are new to a fresh warehouse);
        # slices whose batch never comes are timed after the run.
        count = -(-len(corpus.files) // max(1, settings.run_batch_documents))
        progress = sliced = SlicedCeiling(sample, count, settings, batches)
    cpu_before = cpu_seconds()
    summary = run_pipeline([str(corpus.folder)], [], settings, trigger="bench", progress=progress)
    total = time.perf_counter() - batches.started  # less the ceiling slices' time (paused)
    reap_forkserver()  # its workers' CPU counts once it is waited for
    cpu = cpu_seconds() - cpu_before
    own, workers = peak_rss_mib()
    print(f"{'stage':<10} {'seconds':>9} {'articles/s':>11}")
    for stage, seconds in summary.seconds.items():
        print(f"{stage:<10} {seconds:>9.2f} {n / seconds if seconds else float('inf'):>11.1f}")
    e2e = n / total
    print(f"{'total':<10} {total:>9.2f} {e2e:>11.1f}   (in the warehouse: {warehouse_counts(settings.db_path)})")
    print(f"peak RSS: pipeline process {own:.0f} MiB, largest worker {workers:.0f} MiB")
    print(f"CPU: {cpu:.1f}s (user + sys, this process and its workers; executor {settings.executor}"
          f"{', the slices of the ceiling included' if sliced else ''})")
    halves = batches.halves()
    if halves:
        print(halves)
    ratio = model_seconds = float("nan")
    if with_ceiling:
        if sliced:
            slices = sliced.timed + [ceiling(part, settings) for part in sliced.untimed()]
            # The model's cost is per text, its workers' start is not: only the rest scales,
            # and each slice started its workers again.
            start = ceiling(sample[: 2 * processes], settings)
            per_text = sum(t - start for t in slices) / len(sample)
            model_seconds = start + per_text * len(corpus.texts)
            sampled = (f" (timed on 1 text in {len(corpus.texts) // len(sample)}, {len(sample):,} of "
                       f"{len(corpus.texts):,}, in {len(slices)} slices, {len(sliced.timed)} between the "
                       f"pipeline's batches; scaled; the workers' start, {start:.1f}s, counted once)")
        else:
            model_seconds, sampled = ceiling(sample, settings), ""
        ceiling_rate = n / model_seconds
        ratio = e2e / ceiling_rate
        print(f"ceiling: spaCy alone ({settings.spacy_model}, n_process={processes}) {model_seconds:.2f}s = "
              f"{ceiling_rate:.1f} articles/s{sampled}")
        print(f"ratio end-to-end / ceiling: {ratio:.2f}")
    if with_ceiling and forked_ceiling:
        forked_seconds = ceiling_forked(corpus.texts, settings)
        print(f"the model alone in the pipeline's worker layout (forked, {processes} processes): "
              f"{forked_seconds:.2f}s = {n / forked_seconds:.1f} articles/s; ratio end-to-end / that: "
              f"{e2e / (n / forked_seconds):.2f}")
    precision, recall, verdicts = dedup_scores(settings.db_path, corpus)
    # The run's "duplicates" above counts each batch's new verdicts; a stored article re-linked
    # to an earlier-dated copy that arrived later is counted here, from the warehouse.
    print(f"dedup on planted duplicates: precision {precision:.3f}, recall {recall:.3f} "
          f"({verdicts} duplicate verdicts in the warehouse, {len(corpus.planted)} planted)")
    started = time.perf_counter()
    again = run_pipeline([str(corpus.folder)], [], settings, trigger="bench")
    incremental = time.perf_counter() - started
    print(f"incremental run, nothing new: {incremental:.2f}s (documents read {again.documents}, "
          f"skipped {again.skipped_known})", flush=True)
    if not keep:
        import shutil

        shutil.rmtree(tmp, ignore_errors=True)
    return {"n": n, "pages": corpus.html_files, "seconds": total, "ceiling_seconds": model_seconds,
            "ratio": ratio, "incremental": incremental}


def repeated(n: int, repeat: int, processes: int, language: str | None,
             html_share: float = HTML_SHARE) -> None:
    """Pipeline and ceiling alternately, `repeat` times over one corpus, each pipeline run into a
    fresh warehouse: on a shared machine one pair can be off by 10% either way, the median less.
    The model stays loaded in this process after the first run, as in a long-lived worker."""
    import shutil
    import statistics

    from pipeline.flow import run_pipeline
    from pipeline.settings import load_settings

    tmp = Path(tempfile.mkdtemp(prefix=f"newsmon-bench-{n}-"))
    corpus = build(tmp / "corpus", n, language=language, html_share=html_share)
    print(f"\n== N={n:,}{f' ({language} only)' if language else ''}, {repeat} pipeline/ceiling pairs: "
          f"{corpus.html_files} HTML pages, {len(corpus.planted)} planted duplicates", flush=True)
    pairs = []
    for i in range(repeat):
        run = tmp / f"run{i}"
        settings = load_settings(env={}, db_path=run / "news.duckdb", staging_dir=run / "staging",
                                 reports_dir=run / "reports", nlp_processes=processes)
        started = time.perf_counter()
        run_pipeline([str(corpus.folder)], [], settings, trigger="bench")
        pipeline_seconds = time.perf_counter() - started
        model_seconds = ceiling(corpus.texts, settings)
        pairs.append((pipeline_seconds, model_seconds))
        print(f"  pair {i + 1}: pipeline {pipeline_seconds:.1f}s ({n / pipeline_seconds:.1f}/s; in the warehouse: "
              f"{warehouse_counts(settings.db_path)}), ceiling {model_seconds:.1f}s "
              f"({n / model_seconds:.1f}/s), ratio {model_seconds / pipeline_seconds:.2f}", flush=True)
        shutil.rmtree(run, ignore_errors=True)
    ratios = [m / p for p, m in pairs]
    print(f"median: pipeline {statistics.median(p for p, _ in pairs):.1f}s, ceiling "
          f"{statistics.median(m for _, m in pairs):.1f}s, ratio {statistics.median(ratios):.2f} "
          f"(range {min(ratios):.2f}-{max(ratios):.2f})")
    shutil.rmtree(tmp, ignore_errors=True)


def marginal_ms(rows: list[dict], key: str) -> list[float]:
    """Milliseconds per article that each size adds over the size before it: the slope between
    two runs, with what a run costs whatever its size (imports, model loads, reports) cancelled
    out. NaN for the first size, which has nothing before it."""
    out = [float("nan")]
    for before, after in zip(rows, rows[1:], strict=False):
        out.append(1000 * (after[key] - before[key]) / (after["n"] - before["n"]))
    return out


def scaling_table(rows: list[dict]) -> list[str]:
    """Per size: total and per-article cost, the marginal cost per article (flat cost per article
    means a flat slope; the 1k total also carries the run's fixed costs), the same two for the
    model alone, the ratio and the nothing-new rerun. HTML pages per size, because the corpus
    uses each eval page once and pages cost more than text files."""
    def fmt(value: float, spec: str) -> str:
        return "-" if value != value else format(value, spec)  # NaN: not measured

    lines = ["scaling",
             f"{'N':>8} {'pages':>6} {'seconds':>9} {'ms/article':>11} {'marginal ms':>12} "
             f"{'ceiling ms':>11} {'ceiling marginal':>17} {'ratio':>6} {'incremental s':>14}"]
    pipeline, model = marginal_ms(rows, "seconds"), marginal_ms(rows, "ceiling_seconds")
    for r, slope, model_slope in zip(rows, pipeline, model, strict=True):
        lines.append(f"{r['n']:>8,} {r['pages']:>6} {r['seconds']:>9.1f} {1000 * r['seconds'] / r['n']:>11.1f} "
                     f"{fmt(slope, '.1f'):>12} {fmt(1000 * r['ceiling_seconds'] / r['n'], '.1f'):>11} "
                     f"{fmt(model_slope, '.1f'):>17} {fmt(r['ratio'], '.2f'):>6} {r['incremental']:>14.2f}")
    first = rows[0]
    lines.append(f"a run's fixed cost, extrapolated from the first two sizes to no articles: pipeline "
                 f"{fmt(first['seconds'] - first['n'] * pipeline[1] / 1000, '.1f')}s, model alone "
                 f"{fmt(first['ceiling_seconds'] - first['n'] * model[1] / 1000, '.1f')}s")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--scaling", help="comma-separated sizes, e.g. 1000,10000,100000")
    parser.add_argument("--keep", action="store_true", help="keep the corpus and warehouse")
    parser.add_argument("--language", help="corpus from pool paragraphs and pages in this language only (e.g. en)")
    parser.add_argument("--steps", action="store_true", help="print the resident set after every step")
    parser.add_argument("--no-ceiling", action="store_true", help="skip the spaCy-only ceiling (diagnostic runs)")
    parser.add_argument("--forked-ceiling", action="store_true",
                        help="also time the model alone in the pipeline's own worker layout")
    parser.add_argument("--ceiling-sample", type=int, metavar="N",
                        help="for sizes above N, time the ceiling on an evenly spaced sample of N texts "
                             "and scale it to the corpus (100k: ~5 instead of ~50 minutes)")
    parser.add_argument("--repeat", type=int, metavar="K",
                        help="time pipeline and ceiling alternately K times at --n and print the median ratio")
    parser.add_argument("--html-share", type=float, default=HTML_SHARE, metavar="F",
                        help="share of the files that are HTML pages, capped by the pages there are "
                             f"(default {HTML_SHARE}; the 10k English corpus gets 171 pages, 0.0171)")
    parser.add_argument("--executor", default="auto", choices=["auto", "fork", "forkserver", "spawn", "none"],
                        help="where per-item work runs (the settings' executor; docs/executor.md)")
    parser.add_argument("--batch-documents", type=int, metavar="B",
                        help="files per loaded batch (default: the settings' run_batch_documents, 5000)")
    args = parser.parse_args()
    if args.repeat:
        repeated(args.n, args.repeat, args.processes, args.language, args.html_share)
        return
    sizes = [int(s) for s in args.scaling.split(",")] if args.scaling else [args.n]
    rows = [bench(n, args.processes, args.keep, args.steps, args.language,
                  not args.no_ceiling,
                  args.forked_ceiling, args.ceiling_sample, args.html_share, args.batch_documents, args.executor)
            for n in sizes]
    if len(rows) > 1:
        print("\n" + "\n".join(scaling_table(rows)))


if __name__ == "__main__":
    main()
