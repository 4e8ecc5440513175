"""The benchmark's scaling line separates a run's fixed cost from its cost per article: with
T(n) = fixed + n * per_article, the marginal column shows per_article at every size after the
first, while plain ms/article falls as the fixed cost spreads."""

from __future__ import annotations

import math

from benchmarks.pipeline_bench import marginal_ms, scaling_table


def _row(n: int, fixed: float, per_article_ms: float, ceiling: float = float("nan")) -> dict:
    return {"n": n, "pages": n // 100, "seconds": fixed + n * per_article_ms / 1000,
            "ceiling_seconds": ceiling, "ratio": float("nan"), "incremental": 0.1}


def test_the_marginal_cost_is_the_slope_between_sizes_not_the_average():
    rows = [_row(n, fixed=18.0, per_article_ms=32.0) for n in (1000, 10_000, 100_000)]
    slopes = marginal_ms(rows, "seconds")
    assert math.isnan(slopes[0])
    assert [round(s, 6) for s in slopes[1:]] == [32.0, 32.0]
    assert [round(1000 * r["seconds"] / r["n"], 1) for r in rows] == [50.0, 33.8, 32.2]


def test_the_table_prints_a_dash_where_nothing_was_measured():
    rows = [_row(1000, 10.0, 30.0, ceiling=40.0), _row(10_000, 10.0, 30.0)]
    header, first, second = scaling_table(rows)[1:4]
    assert header.split()[:4] == ["N", "pages", "seconds", "ms/article"]
    assert first.split() == ["1,000", "10", "40.0", "40.0", "-", "40.0", "-", "-", "0.10"]
    assert second.split() == ["10,000", "100", "310.0", "31.0", "30.0", "-", "-", "-", "0.10"]


def test_the_script_runs_as_a_command():
    """Run as a file it must reach main(): without the __main__ guard it prints nothing, exit 0."""
    import subprocess
    import sys
    from pathlib import Path

    script = Path(__file__).resolve().parents[1] / "benchmarks" / "pipeline_bench.py"
    done = subprocess.run([sys.executable, str(script), "--help"], capture_output=True, text=True, check=True)
    assert "--scaling" in done.stdout and "--ceiling-sample" in done.stdout


def test_the_sampled_ceiling_is_cut_into_one_consecutive_slice_per_batch():
    from benchmarks.pipeline_bench import BatchProgress, SlicedCeiling

    sample = [f"text {i}" for i in range(10)]
    sliced = SlicedCeiling(sample, 3, settings=None, report=BatchProgress(0.0, steps=False))
    assert [len(part) for part in sliced.slices] == [3, 3, 4]
    assert sum(sliced.slices, []) == sample
    sliced("ingest", {})  # only a loaded batch (its publish) times a slice
    assert sliced.timed == [] and sliced.untimed() == sliced.slices


def test_the_scaling_table_prints_the_fixed_cost_it_extrapolates():
    rows = [_row(n, fixed=18.0, per_article_ms=32.0, ceiling=7.0 + n * 0.030) for n in (1000, 10_000)]
    assert scaling_table(rows)[-1].endswith("pipeline 18.0s, model alone 7.0s")


def test_a_paused_span_counts_to_no_batch_and_the_halves_compare_full_batches(capsys):
    import time

    from benchmarks.pipeline_bench import BatchProgress

    progress = BatchProgress(time.perf_counter() - 30.0, steps=False)  # 30 s "ago" ...
    progress.pause(30.0)  # ... all of them outside the pipeline
    progress("publish", {})
    assert 0.0 <= progress.batch_seconds[0] < 5.0
    assert "batch 1:" in capsys.readouterr().out
    assert progress.halves() is None  # one batch: nothing to compare
    progress.batch_seconds = [10.0, 10.0, 12.0, 12.0, 3.0]  # the last holds the remainder
    assert progress.halves() == "batches 1-2 median 10.0s, 3-4 median 12.0s (+20.0%)"
    progress.comparable = 4  # then two batches of planted duplicates only, half the time
    progress.batch_seconds = [10.0, 10.0, 12.0, 12.0, 6.0, 6.0]
    assert progress.halves() == "batches 1-2 median 10.0s, 3-4 median 12.0s (+20.0%)"
