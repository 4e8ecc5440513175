"""GX Data Docs rebuilt from stored quality results, not from a second validation.

Each ``quality_results`` row keeps its expectation's type, arguments and GX result in
``details``; that is enough to give GX back the validation results of past runs and let it
render its Data Docs site. The report stage thus needs neither the validate stage's code nor
a re-run of the suites, and the site shows exactly what was recorded. The site is kept
between runs and only a new run's pages are rendered (see ``build_data_docs``). GX's pages load
bootstrap and jQuery from CDNs, so offline they render unstyled; quality.html is the
self-contained report.
"""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from pipeline.records import utc_now
from pipeline.report.html import json_object

MAX_RUNS = 10  # Data Docs keep the most recent runs; quality.html charts the whole history
# What the site holds: {"version", "runs": {run id: digest of its recorded rows}}. A run whose
# rows and start time are unchanged keeps its pages; without this file the site is rebuilt.
MANIFEST = "newsmon-pages.json"
MANIFEST_VERSION = 1


def _context(site_dir: Path) -> Any:
    logging.getLogger("great_expectations").setLevel(logging.WARNING)
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    logging.getLogger("great_expectations").setLevel(logging.WARNING)  # importing GX may reset it
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    # The ephemeral context already has a "local_site" (in a temp dir): point it at ours.
    site: Any = {  # GX's typed dict lacks show_how_to_buttons, which its SiteBuilder takes
        "class_name": "SiteBuilder",
        "show_how_to_buttons": False,
        "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(site_dir)},
        "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
    }
    context.update_data_docs_site("local_site", site)
    return context


def _config(row: pd.Series) -> Any:
    from great_expectations.expectations.expectation_configuration import ExpectationConfiguration

    details = json_object(row.get("details"))
    severity: Any = row.get("severity") if row.get("severity") in ("critical", "warning", "info") else "critical"
    return ExpectationConfiguration(
        type=details["type"],
        kwargs=details.get("kwargs") or {},
        meta={"name": row["expectation"], "description": details.get("description", ""),
              "value_set_size": details.get("value_set_size")},
        severity=severity,
    )


def build_data_docs(history: pd.DataFrame, run_times: dict[str, datetime], site_dir: Path) -> Path:
    """Render the recorded results of the latest runs as a GX Data Docs site; return index.html.

    Pages are rendered only for runs the site does not hold yet (or whose recorded rows
    changed); pages of runs no longer among the latest are removed. A scheduled pipeline adds
    one run at a time, and rendering all ten kept runs every time was most of the report step:
    with ten runs kept, adding one took 4.24 s rebuilt whole and 2.71 s this way (medians of
    six alternating builds, 169 expectations a run, one-off script). What remains is GX
    serialising every kept run's results into its store, which the index reads. The index and
    the suites' pages are rebuilt every time.
    """
    import great_expectations as gx
    from great_expectations.core.run_identifier import RunIdentifier
    from great_expectations.data_context.types.resource_identifiers import ExpectationSuiteIdentifier

    runs = sorted(history["run_id"].unique(), key=lambda r: run_times.get(r, datetime.min))[-MAX_RUNS:]
    wanted: dict[str, tuple[RunIdentifier, pd.DataFrame]] = {}
    digests: dict[str, str] = {}
    for run_id in runs:
        run_time = (run_times.get(run_id) or utc_now()).replace(tzinfo=UTC)
        rows = history[history["run_id"] == run_id]
        wanted[str(run_id)] = (RunIdentifier(run_name=str(run_id), run_time=run_time), rows)
        digests[str(run_id)] = _digest(rows, run_time)
    held = _held_runs(site_dir)
    for run_id, digest in held.items():
        if digests.get(run_id) != digest:
            _remove_run_pages(site_dir, run_id)
    site_dir.mkdir(parents=True, exist_ok=True)
    context = _context(site_dir)
    to_render: list[Any] = []
    latest_suites: dict[str, list[Any]] = {}
    for run_id, (rid, rows) in wanted.items():
        for suite, key, validation, configs in _validations(rid, rows):
            context.validation_results_store.set(key, validation)  # the index lists every kept run
            latest_suites[suite] = configs
            if held.get(run_id) != digests[run_id] or not _has_run_pages(site_dir, suite, run_id):
                to_render.append(key)
    for suite, configs in latest_suites.items():
        context.suites.add(gx.ExpectationSuite(name=suite, expectations=configs))
        to_render.append(ExpectationSuiteIdentifier(name=suite))
    _remove_stale_suite_pages(site_dir, set(latest_suites))
    (site_dir / MANIFEST).unlink(missing_ok=True)  # until the pages below are written
    # Never an empty list: GX reads that as "render everything".
    context.build_data_docs(resource_identifiers=to_render or None)
    _write_manifest(site_dir, digests)
    return site_dir / "index.html"


def _validations(rid: Any, rows: pd.DataFrame) -> list[tuple[str, Any, Any, list[Any]]]:
    """(suite, store key, GX validation result, expectation configs) for each suite of one run."""
    from great_expectations.core import ExpectationSuiteValidationResult, ExpectationValidationResult
    from great_expectations.data_context.types.resource_identifiers import (
        ExpectationSuiteIdentifier,
        ValidationResultIdentifier,
    )

    out = []
    for suite, suite_rows in rows.groupby("suite", sort=True):
        results, configs = [], []
        for _, row in suite_rows.iterrows():
            details = json_object(row.get("details"))
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
        passed = sum(bool(r.success) for r in results)
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
        out.append((str(suite), key, validation, configs))
    return out


def _digest(rows: pd.DataFrame, run_time: datetime) -> str:
    """What a run's pages show: its recorded rows and its start time (part of the pages' path)."""
    columns = [c for c in ("suite", "expectation", "success", "severity", "observed_value", "details")
               if c in rows.columns]
    ordered = rows[columns].astype(str).sort_values(columns[:2]).to_numpy().tolist()
    payload = json.dumps([run_time.isoformat(), ordered], ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _held_runs(site_dir: Path) -> dict[str, str]:
    """The runs whose pages the site holds; a site without a readable manifest is rebuilt whole."""
    try:
        manifest = json.loads((site_dir / MANIFEST).read_text(encoding="utf-8"))
        if manifest.get("version") == MANIFEST_VERSION and isinstance(manifest.get("runs"), dict):
            return {str(k): str(v) for k, v in manifest["runs"].items()}
    except (OSError, ValueError, AttributeError):
        pass
    if site_dir.exists():
        shutil.rmtree(site_dir)  # ours alone: pages of unknown runs must not stay
    return {}


def _has_run_pages(site_dir: Path, suite: str, run_id: str) -> bool:
    return any((site_dir / "validations" / suite / run_id).rglob("*.html"))


def _remove_run_pages(site_dir: Path, run_id: str) -> None:
    for suite_dir in (site_dir / "validations").glob("*"):
        shutil.rmtree(suite_dir / run_id, ignore_errors=True)


def _remove_stale_suite_pages(site_dir: Path, suites: set[str]) -> None:
    for page in (site_dir / "expectations").glob("*.html"):
        if page.stem not in suites:
            page.unlink()
    for suite_dir in (site_dir / "validations").glob("*"):
        if suite_dir.name not in suites:
            shutil.rmtree(suite_dir, ignore_errors=True)


def _write_manifest(site_dir: Path, runs: dict[str, str]) -> None:
    tmp = site_dir / (MANIFEST + ".tmp")
    tmp.write_text(json.dumps({"version": MANIFEST_VERSION, "runs": runs}, indent=1), encoding="utf-8")
    tmp.replace(site_dir / MANIFEST)
