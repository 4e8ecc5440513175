"""Report stage: the self-contained quality report and the GX Data Docs, from warehouse tables
and recorded quality results (it never re-runs the suites)."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime, timedelta
from pathlib import Path

import pandas as pd

from pipeline.records import QualityResult, utc_now
from pipeline.report.data_docs import build_data_docs
from pipeline.report.html import render_quality_html
from pipeline.settings import Settings

RESULT_COLUMNS = ["run_id", "suite", "expectation", "success", "observed_value", "details", "severity"]


def _merged_history(results: list[QualityResult], history: pd.DataFrame) -> pd.DataFrame:
    """Stored history plus this run's results (which the caller may not have saved yet)."""
    current = pd.DataFrame([asdict(r) for r in results], columns=RESULT_COLUMNS)
    frames = [f for f in (history.reindex(columns=RESULT_COLUMNS) if history is not None else None, current)
              if f is not None and not f.empty]
    if not frames:
        return current
    merged = pd.concat(frames, ignore_index=True)
    return merged.drop_duplicates(["run_id", "suite", "expectation"], keep="last").reset_index(drop=True)


def _run_times(tables: dict[str, pd.DataFrame], history: pd.DataFrame) -> dict[str, datetime]:
    """When each run started (pipeline_runs), else the order runs first appear in history."""
    times: dict[str, datetime] = {}
    runs = tables.get("pipeline_runs")
    if runs is not None and {"run_id", "started_at"} <= set(runs.columns):
        for run_id, started in zip(runs["run_id"], pd.to_datetime(runs["started_at"], errors="coerce"), strict=False):
            if not pd.isna(started):
                times[str(run_id)] = started.to_pydatetime()
    for i, run_id in enumerate(dict.fromkeys(history["run_id"].astype(str))):
        times.setdefault(run_id, datetime(1970, 1, 1) + timedelta(seconds=i))
    return times


def build_reports(tables: dict[str, pd.DataFrame], results: list[QualityResult], history: pd.DataFrame,
                  settings: Settings, out_dir: Path) -> dict[str, Path]:
    """Write ``quality.html`` (latest run) and GX Data Docs under ``data_docs/``; return their paths."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    merged = _merged_history(results, history)
    times = _run_times(tables, merged)
    order = sorted(merged["run_id"].astype(str).unique(), key=lambda r: times.get(r, datetime.min))
    run_id = results[0].run_id if results else (order[-1] if order else "none")
    latest = merged[merged["run_id"].astype(str) == str(run_id)].reset_index(drop=True)

    docs_index = out_dir / "data_docs" / "index.html"
    if not merged.empty:
        docs_index = build_data_docs(merged, times, out_dir / "data_docs")
    html = render_quality_html(tables, latest, merged, str(run_id), order, utc_now(),
                               data_docs_href="data_docs/index.html")
    quality_html = out_dir / "quality.html"
    quality_html.write_text(html, encoding="utf-8")
    return {"quality_html": quality_html, "data_docs": docs_index}


__all__ = ["build_reports"]
