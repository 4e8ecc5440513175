"""Run the quality suites with great-expectations over DataFrames of the warehouse tables.

GX validates pandas DataFrames here, not DuckDB directly: its SQL datasource closes the
DuckDB connection before fetching rows (shared/INSTALL-FACTS.md). Each expectation result
becomes one :class:`QualityResult`; its ``details`` JSON keeps what a reader (and the Data
Docs builder in the report stage) needs: the expectation's type and arguments, GX's result,
and example rows that fail it.
"""

from __future__ import annotations

import json
import logging
import math
import re
import secrets
from datetime import datetime
from typing import Any

import pandas as pd

from pipeline.errors import QualityError
from pipeline.executor import Executor
from pipeline.records import QualityResult, utc_now
from pipeline.settings import Settings
from pipeline.validate.suites import Suite, build_suites

EXAMPLES = 5  # failing rows kept per expectation
MAX_LISTED_VALUES = 20  # longer value sets (reference checks) are summarised in details
MAX_TEXT = 240  # characters of a long text cell kept in an example


def _quiet_gx() -> None:
    # GX logs at INFO per metric; once Airflow has configured logging that floods the run log.
    logging.getLogger("great_expectations").setLevel(logging.WARNING)


def _context() -> Any:
    _quiet_gx()
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    _quiet_gx()  # again: importing GX may set its own logger up
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    return context


def jsonable(value: Any) -> Any:
    """GX results hold numpy scalars, Timestamps and NaN: make them plain JSON."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [jsonable(v) for v in value]
    if hasattr(value, "item") and not hasattr(value, "__len__"):
        return jsonable(value.item())  # numpy scalar
    if isinstance(value, pd.Timestamp | datetime):
        return None if pd.isna(value) else value.isoformat()
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return str(value)


def _trim_kwargs(kwargs: dict[str, Any]) -> tuple[dict[str, Any], int | None]:
    """The expectation's arguments, with a long value set cut (its full size returned)."""
    out = {k: v for k, v in kwargs.items() if k != "batch_id"}
    values = out.get("value_set")
    size = len(values) if isinstance(values, list) else None
    if isinstance(values, list) and len(values) > MAX_LISTED_VALUES:
        out["value_set"] = values[:MAX_LISTED_VALUES]
    return jsonable(out), size


def _observed(result: dict[str, Any], success: bool) -> str:
    if "observed_value" in result:
        return str(jsonable(result["observed_value"]))
    if "unexpected_count" in result:
        total = result.get("element_count", 0)
        pct = result.get("unexpected_percent") or 0.0
        return f"{result['unexpected_count']} of {total} unexpected ({pct:.1f}%)"
    return "passed" if success else "failed"


def _shown(value: Any, patterns: list[str]) -> Any:
    """A long text cell shown around what the check matched, or cut, so details stay small."""
    value = jsonable(value)
    if not isinstance(value, str) or len(value) <= MAX_TEXT:
        return value
    for pattern in patterns:
        found = re.search(pattern, value)
        if found:
            start = max(found.start() - MAX_TEXT // 2, 0)
            return ("…" if start else "") + value[start:start + MAX_TEXT] + "…"
    return value[:MAX_TEXT] + "…"


def _examples(suite: Suite, result: dict[str, Any], kwargs: dict[str, Any], show: list[str]) -> list[dict[str, Any]]:
    index = result.get("partial_unexpected_index_list") or []
    wanted = [c for c in dict.fromkeys(suite.key + show + _columns_of(kwargs)) if c in suite.frame.columns]
    patterns = list(kwargs.get("regex_list") or [])
    rows = []
    for i in index[:EXAMPLES]:
        label = i if not isinstance(i, dict) else None
        if label is None or label not in suite.frame.index:
            rows.append(jsonable(i) if isinstance(i, dict) else {"row": jsonable(i)})
            continue
        # A derived check column holding the text it found (a boilerplate marker) centres long cells on it.
        found = [re.escape(v) for c in wanted if c.startswith("_check_")
                 and isinstance(v := suite.frame.at[label, c], str) and v]
        rows.append({c: _shown(suite.frame.at[label, c], patterns + found) for c in wanted})
    if not rows:
        rows = [{"value": v} for v in jsonable(result.get("partial_unexpected_list") or [])[:EXAMPLES]]
    return rows


def _exception_message(info: Any) -> str | None:
    """GX reports exceptions flat, or keyed by metric; a missing column lands here."""
    if not isinstance(info, dict):
        return None
    if "raised_exception" in info:
        return info.get("exception_message") if info.get("raised_exception") else None
    messages = [_exception_message(v) for v in info.values()]
    return "; ".join(m for m in messages if m) or None


def _columns_of(kwargs: dict[str, Any]) -> list[str]:
    cols = [kwargs[k] for k in ("column", "column_A", "column_B") if kwargs.get(k)]
    return cols + list(kwargs.get("column_list") or [])


# This process's GX context for the call in progress (a worker validates several suites; a
# context is not reused by the next call, whose datasources would clash with its own).
_GX: dict[str, Any] = {}


def suite_step(call: tuple[str, str], suites: list[Suite]) -> list[list[QualityResult]]:
    """Executor step: each suite's expectations evaluated, one QualityResult each. ``call`` is
    (run id, a token of this call)."""
    run_id, token = call
    if _GX.get("token") != token:
        _GX.clear()
        _GX.update(token=token, context=_context())
    return [_validate_suite(_GX["context"], suite, run_id) for suite in suites]


def run_quality_suites(tables: dict[str, pd.DataFrame], settings: Settings, run_id: str,
                       executor: Executor | None = None) -> list[QualityResult]:
    """Every expectation of every suite evaluated once: one QualityResult each, in suite order.

    Suites are independent: ``executor`` spreads them over its workers, one suite at a time; the
    frames are built here (inherited by forked workers). A suite that cannot be evaluated
    stops the step: the checks are the run's, not one item's.
    """
    import great_expectations  # noqa: F401  (imported once, before any worker forks)

    now = utc_now()
    suites = build_suites(tables, settings, run_id, now)
    call = (run_id, secrets.token_hex(8))
    done = (executor or Executor()).map(suite_step, suites, call, stage="quality", max_chunk=1,
                                        chunks_per_process=len(suites))
    _GX.clear()
    if done.failed:
        failure = done.failed[0]
        raise QualityError(f"suite {failure.item.name} could not be evaluated: {failure.describe()}",
                           item=run_id, hint="a bug in the suite or in great_expectations: see the message")
    return [result for part in done.results for result in part]


def _validate_suite(context: Any, suite: Suite, run_id: str) -> list[QualityResult]:
    import great_expectations as gx

    source = context.data_sources.add_pandas(f"warehouse_{suite.name}")
    asset = source.add_dataframe_asset(name=suite.name)
    batch = asset.add_batch_definition_whole_dataframe(f"{suite.name}_whole").get_batch(
        batch_parameters={"dataframe": suite.frame})
    by_name = {c.name: c for c in suite.checks}
    if len(by_name) != len(suite.checks):
        raise ValueError(f"suite {suite.name} names two checks alike; names must be unique")
    gx_suite = gx.ExpectationSuite(name=suite.name)
    for check in suite.checks:
        check.expectation.meta = {"name": check.name, "description": check.description}
        check.expectation.severity = check.severity
        gx_suite.add_expectation(check.expectation)
    outcome = batch.validate(gx_suite, result_format={"result_format": "SUMMARY",
                                                      "partial_unexpected_count": EXAMPLES})
    evaluated = {}
    for er in outcome.results:
        config = er.expectation_config
        check = by_name[config.meta["name"]]
        raw = dict(er.result or {})
        kwargs = dict(config.kwargs)
        exception = _exception_message(er.exception_info)
        shown_kwargs, value_set_size = _trim_kwargs(kwargs)
        details = {
            "type": config.type,
            "kwargs": shown_kwargs,
            "value_set_size": value_set_size,
            "description": check.description,
            "result": {k: _shown(v, []) if not isinstance(v, list) else [_shown(x, []) for x in v]
                       for k, v in jsonable(raw).items() if k != "partial_unexpected_index_list"},
            "examples": [] if er.success else _examples(suite, raw, kwargs, check.show),
            "exception": exception,
        }
        evaluated[check.name] = QualityResult(
            run_id=run_id, suite=suite.name, expectation=check.name, success=bool(er.success),
            observed_value=("error: " + exception) if exception else _observed(raw, bool(er.success)),
            details=json.dumps(details, ensure_ascii=False, allow_nan=False, default=str),
            severity=check.severity)
    # An expectation GX did not report is a failure to see, not a silent pass.
    return [evaluated.get(check.name) or QualityResult(
        run_id=run_id, suite=suite.name, expectation=check.name, success=False,
        observed_value="error: not evaluated", details=json.dumps({"exception": "not evaluated"}),
        severity=check.severity) for check in suite.checks]


def critical_failures(results: list[QualityResult]) -> list[QualityResult]:
    """The failures that must fail a run (the flow raises QualityError on these)."""
    return [r for r in results if not r.success and r.severity == "critical"]
