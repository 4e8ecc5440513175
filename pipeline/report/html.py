"""quality.html: one self-contained page about the latest run.

No network, ever: the CSS is inline, the trend chart is inline SVG, there is no script, and
no value from the data becomes a link (article URLs are shown as text), so the page opens
the same offline and cannot call out.
"""

from __future__ import annotations

import json
from datetime import datetime
from html import escape
from typing import Any

import pandas as pd

MAX_TREND_RUNS = 60  # the chart and table show the most recent runs

CSS = """
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem auto;max-width:1100px;
color:#1d2330;padding:0 1rem}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{margin-top:2rem;border-bottom:1px solid #d6dae3;padding-bottom:.2rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0}th,td{border:1px solid #d6dae3;padding:.3rem .5rem;
text-align:left;vertical-align:top}th{background:#f1f3f7}td.num{text-align:right;font-variant-numeric:tabular-nums}
.badge{display:inline-block;padding:.1rem .5rem;border-radius:.6rem;font-size:.8rem;font-weight:600}
.critical{background:#fde2e1;color:#8a1c14}.warning{background:#fff1cc;color:#7a5300}.ok{background:#dcf3e3;color:#17623a}
.muted{color:#667085}pre{white-space:pre-wrap;margin:0;font-size:.85rem}.cell{max-width:520px;overflow-wrap:anywhere}
summary{cursor:pointer;font-weight:600}
"""


def _e(value: Any) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return '<span class="muted">—</span>'
    return escape(str(value))


def _table(headers: list[str], rows: list[list[str]], numeric: frozenset[int] | set[int] = frozenset()) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f'<td class="num">{c}</td>' if i in numeric else f"<td>{c}</td>"
                                    for i, c in enumerate(row)) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _badge(success: bool, severity: str) -> str:
    if success:
        return '<span class="badge ok">pass</span>'
    kind = "critical" if severity == "critical" else "warning"
    return f'<span class="badge {kind}">{kind}</span>'


def json_object(raw: Any) -> dict[str, Any]:
    """A stored JSON column (quality details, step stats) as a dict; anything else as {}."""
    try:
        value = json.loads(raw) if isinstance(raw, str) else {}
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


STAGE_ORDER = ["ingest", "clean", "dedup", "extract", "validate", "loaded"]


def _stage_counts(runs: pd.DataFrame, run_id: str) -> str:
    row = runs[runs["run_id"] == run_id] if "run_id" in runs.columns else runs.iloc[0:0]
    if row.empty or not isinstance(row.iloc[0].get("stats"), str):
        return '<p class="muted">No stage statistics recorded for this run.</p>'
    stats = json_object(row.iloc[0]["stats"])
    ordered = sorted(stats, key=lambda k: (STAGE_ORDER.index(k) if k in STAGE_ORDER else len(STAGE_ORDER), k))
    rows = []
    for stage in ordered:
        counts = stats[stage]
        shown = (" · ".join(f"{escape(str(k))} <strong>{_e(v)}</strong>" for k, v in counts.items())
                 if isinstance(counts, dict) else _e(counts))
        rows.append([_e(stage), shown])
    return _table(["stage", "counts"], rows)


def _table_sizes(tables: dict[str, pd.DataFrame]) -> str:
    return _table(["table", "rows"], [[_e(name), _e(len(df))] for name, df in sorted(tables.items())], {1})


def _quarantine(tables: dict[str, pd.DataFrame], run_id: str) -> str:
    q = tables.get("quarantine")
    if q is None or q.empty:
        return '<p>Nothing quarantined.</p>'
    q = q.assign(this_run=(q["run_id"] == run_id) if "run_id" in q.columns else False)
    rows = []
    for (stage, reason), group in q.groupby(["stage", "reason_code"], sort=True):
        example = group.sort_values("this_run", ascending=False).iloc[0]
        rows.append([_e(stage), _e(reason), _e(int(group["this_run"].sum())), _e(len(group)),
                     f'<div class="cell">{_e(example.get("item_id"))}: {_e(example.get("message"))}</div>'])
    return _table(["stage", "reason", "this run", "all runs", "example"], rows, {2, 3})


def _examples(details: dict[str, Any]) -> str:
    examples = details.get("examples") or []
    if not examples:
        error = details.get("exception")
        return f"<pre>{_e(error)}</pre>" if error else '<span class="muted">no example rows</span>'
    columns = list(dict.fromkeys(k for ex in examples if isinstance(ex, dict) for k in ex))
    rows = [[f'<div class="cell"><pre>{_e(ex.get(c))}</pre></div>' for c in columns]
            for ex in examples if isinstance(ex, dict)]
    return _table(columns, rows)


def _failures(results: pd.DataFrame) -> str:
    failed = results[~results["success"].astype(bool)]
    if failed.empty:
        return '<p><span class="badge ok">all expectations met</span></p>'
    failed = failed.assign(_rank=(failed["severity"] != "critical").astype(int)).sort_values(
        ["_rank", "suite", "expectation"])
    parts = []
    for _, row in failed.iterrows():
        details = json_object(row["details"])
        parts.append(
            f'<h3>{_badge(False, row["severity"])} {_e(row["expectation"])}</h3>'
            f'<p>{_e(details.get("description") or details.get("type"))} — observed: '
            f'<strong>{_e(row["observed_value"])}</strong> '
            f'<span class="muted">({_e(details.get("type"))})</span></p>{_examples(details)}')
    return "".join(parts)


def _all_results(results: pd.DataFrame) -> str:
    rows = [[_badge(bool(r["success"]), r["severity"]), _e(r["suite"]), _e(r["expectation"]), _e(r["severity"]),
             f'<div class="cell">{_e(r["observed_value"])}</div>'] for _, r in results.iterrows()]
    return ("<details><summary>All expectations of this run "
            f"({len(results)})</summary>{_table(['result', 'suite', 'expectation', 'severity', 'observed'], rows)}"
            "</details>")


def _trend(history: pd.DataFrame, order: list[str], latest_failed: list[str]) -> str:
    if history.empty:
        return '<p class="muted">No earlier runs recorded.</p>'
    h = history.assign(failed=~history["success"].astype(bool))
    per_run = []
    for run_id in order[-MAX_TREND_RUNS:]:
        rows = h[h["run_id"] == run_id]
        if rows.empty:
            continue
        crit = int((rows["failed"] & (rows["severity"] == "critical")).sum())
        warn = int((rows["failed"] & (rows["severity"] != "critical")).sum())
        per_run.append((run_id, len(rows), crit, warn))
    peak = max([c + w for _, _, c, w in per_run] + [0])
    bar_w, gap, height = 22, 6, (120 if peak else 12)  # no failures anywhere: a flat strip
    peak = max(peak, 1)
    bars = []
    for i, (run_id, total, crit, warn) in enumerate(per_run):
        x = i * (bar_w + gap)
        ch, wh = height * crit / peak, height * warn / peak
        clean = "" if crit or warn else f'<rect x="{x}" y="{height - 4}" width="{bar_w}" height="4" fill="#12b76a"/>'
        bars.append(f'<g><title>{escape(str(run_id))}: {crit} critical, {warn} warning of {total}</title>'
                    f'<rect x="{x}" y="{height - ch:.1f}" width="{bar_w}" height="{ch:.1f}" fill="#d92d20"/>'
                    f'<rect x="{x}" y="{height - ch - wh:.1f}" width="{bar_w}" height="{wh:.1f}" fill="#f5b700"/>'
                    f'{clean}<rect x="{x}" y="{height}" width="{bar_w}" height="2" fill="#98a2b3"/></g>')
    width = max(len(per_run) * (bar_w + gap), 100)
    svg = (f'<svg role="img" width="{width}" height="{height + 4}" '
           f'viewBox="0 0 {width} {height + 4}" aria-label="failed expectations per run">{"".join(bars)}</svg>')
    table = _table(["run", "expectations", "critical failed", "warnings failed"],
                   [[_e(r), _e(t), _e(c), _e(w)] for r, t, c, w in reversed(per_run)], {1, 2, 3})
    # Recent pass/fail sequence of what fails now: is it new, or has it been failing for a while?
    recent = order[-12:]
    seq_rows = []
    for name in latest_failed:
        marks = []
        for run_id in recent:
            hit = h[(h["run_id"] == run_id) & (h["expectation"] == name)]
            marks.append("·" if hit.empty else ("✗" if hit["failed"].any() else "✓"))
        seq_rows.append([_e(name), f"<code>{' '.join(marks)}</code>"])
    sequence = (f"<h3>Currently failing, over the last {len(recent)} runs (oldest first)</h3>"
                + _table(["expectation", "history (✓ pass, ✗ fail, · not run)"], seq_rows)) if seq_rows else ""
    return ('<p><span class="badge critical">critical</span> <span class="badge warning">warning</span> '
            '<span class="badge ok">all met</span> '
            f"failed expectations per run, oldest on the left (last {MAX_TREND_RUNS} runs at most).</p>" + svg + table + sequence)


def render_quality_html(tables: dict[str, pd.DataFrame], results: pd.DataFrame, history: pd.DataFrame,
                        run_id: str, run_order: list[str], generated_at: datetime, data_docs_href: str) -> str:
    runs = tables.get("pipeline_runs", pd.DataFrame(columns=["run_id"]))
    failed = results[~results["success"].astype(bool)] if not results.empty else results
    crit = int((failed["severity"] == "critical").sum()) if not failed.empty else 0
    warn = len(failed) - crit
    status = (f'<span class="badge critical">{crit} critical failure(s)</span>' if crit else
              '<span class="badge ok">no critical failure</span>')
    if warn:
        status += f' <span class="badge warning">{warn} warning(s)</span>'
    sections = [
        f"<h1>newsmon data quality</h1><p>Run <strong>{_e(run_id)}</strong> · generated "
        f"{_e(generated_at.strftime('%Y-%m-%d %H:%M:%S'))} UTC · {len(results)} expectations · {status}</p>",
        "<h2>Counts per stage</h2>" + _stage_counts(runs, run_id),
        "<h2>Warehouse tables</h2>" + _table_sizes(tables),
        "<h2>Failed expectations</h2>" + (_failures(results) if not results.empty else
                                          '<p class="muted">No expectations were evaluated.</p>'),
        "<h2>Quarantine by reason</h2>" + _quarantine(tables, run_id),
        "<h2>Trend over past runs</h2>" + _trend(history, run_order, list(failed["expectation"]) if len(failed) else []),
        "<h2>Details</h2>" + (_all_results(results) if not results.empty else "")
        + f'<p class="muted">GX Data Docs of recent runs: <a href="{escape(data_docs_href)}">{escape(data_docs_href)}</a> '
          "(GX pages fetch their styles from a CDN and look plain offline).</p>",
    ]
    return ('<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
            f"<title>newsmon quality — {escape(str(run_id))}</title><style>{CSS}</style></head><body>"
            + "".join(sections) + "</body></html>\n")
