"""GX Data Docs rebuilt from stored quality results, not from a second validation.

Each ``quality_results`` row keeps its expectation's type, arguments and GX result in
``details``; that is enough to give GX back the validation results of past runs and let it
render its Data Docs site. The report stage thus needs neither the validate stage's code nor
a re-run of the suites, and the site shows exactly what was recorded. GX's pages load
bootstrap and jQuery from CDNs, so offline they render unstyled; quality.html is the
self-contained report.
"""

from __future__ import annotations

import json
import logging
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from pipeline.records import utc_now

MAX_RUNS = 10  # Data Docs keep the most recent runs; quality.html charts the whole history


def _details(raw: Any) -> dict[str, Any]:
    try:
        value = json.loads(raw) if isinstance(raw, str) else {}
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _context(site_dir: Path) -> Any:
    logging.getLogger("great_expectations").setLevel(logging.WARNING)
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    logging.getLogger("great_expectations").setLevel(logging.WARNING)  # importing GX may reset it
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    # The ephemeral context already has a "local_site" (in a temp dir): point it at ours.
    context.update_data_docs_site("local_site", {
        "class_name": "SiteBuilder",
        "show_how_to_buttons": False,
        "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(site_dir)},
        "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
    })
    return context


def _config(row: pd.Series) -> Any:
    from great_expectations.expectations.expectation_configuration import ExpectationConfiguration

    details = _details(row.get("details"))
    severity = row.get("severity") if row.get("severity") in ("critical", "warning", "info") else "critical"
    return ExpectationConfiguration(
        type=details["type"],
        kwargs=details.get("kwargs") or {},
        meta={"name": row["expectation"], "description": details.get("description", ""),
              "value_set_size": details.get("value_set_size")},
        severity=severity,
    )


def build_data_docs(history: pd.DataFrame, run_times: dict[str, datetime], site_dir: Path) -> Path:
    """Render the recorded results of the latest runs as a GX Data Docs site; return index.html."""
    import great_expectations as gx
    from great_expectations.core import ExpectationSuiteValidationResult, ExpectationValidationResult
    from great_expectations.core.run_identifier import RunIdentifier
    from great_expectations.data_context.types.resource_identifiers import (
        ExpectationSuiteIdentifier,
        ValidationResultIdentifier,
    )

    if site_dir.exists():
        shutil.rmtree(site_dir)  # ours alone: a rebuild must not keep pages of pruned runs
    site_dir.mkdir(parents=True)
    context = _context(site_dir)
    runs = sorted(history["run_id"].unique(), key=lambda r: run_times.get(r, datetime.min))[-MAX_RUNS:]
    latest_suites: dict[str, list[Any]] = {}
    for run_id in runs:
        run_time = run_times.get(run_id) or utc_now()
        rid = RunIdentifier(run_name=str(run_id), run_time=run_time.replace(tzinfo=UTC))
        for suite, rows in history[history["run_id"] == run_id].groupby("suite", sort=True):
            results, configs = [], []
            for _, row in rows.iterrows():
                details = _details(row.get("details"))
                if not details.get("type"):
                    continue  # nothing GX could render (e.g. an expectation that was never evaluated)
                config = _config(row)
                configs.append(config)
                error = details.get("exception")
                results.append(ExpectationValidationResult(
                    success=bool(row["success"]), expectation_config=config, result=details.get("result") or {},
                    exception_info={"raised_exception": bool(error), "exception_message": error,
                                    "exception_traceback": None}))
            if not results:
                continue
            passed = sum(r.success for r in results)
            validation = ExpectationSuiteValidationResult(
                success=passed == len(results), results=results, suite_name=str(suite),
                statistics={"evaluated_expectations": len(results), "successful_expectations": passed,
                            "unsuccessful_expectations": len(results) - passed,
                            "success_percent": 100.0 * passed / len(results) if results else None},
                meta={"run_id": rid, "validation_time": rid.run_time.isoformat(),
                      "active_batch_definition": {"datasource_name": "warehouse", "data_connector_name": "fluent",
                                                  "data_asset_name": str(suite), "batch_identifiers": {}}})
            key = ValidationResultIdentifier(expectation_suite_identifier=ExpectationSuiteIdentifier(name=str(suite)),
                                             run_id=rid, batch_identifier=f"warehouse-{suite}")
            context.validation_results_store.set(key, validation)
            latest_suites[str(suite)] = configs
    for suite, configs in latest_suites.items():
        context.suites.add(gx.ExpectationSuite(name=suite, expectations=configs))
    context.build_data_docs()
    return site_dir / "index.html"
