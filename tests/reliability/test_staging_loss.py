"""A staged file that is gone is lost work, never an empty table (issue 30, case 13).

Before: with dedup_articles.parquet deleted, extract read it as empty, publish committed the
run's documents as quarantined with no quarantine row and no article, and deleted staging;
the next run skipped those documents as known, so they were lost for good.
"""

from __future__ import annotations

import pytest

from pipeline.errors import StagingError
from pipeline.flow import (
    clean_step,
    dedup_step,
    extract_step,
    ingest_step,
    publish_step,
    run_pipeline,
    start_run,
    validate_step,
)
from pipeline.load.warehouse import Warehouse
from tests.conftest import SEED_FILES


def documents(settings) -> int:
    with Warehouse(settings, read_only=True) as wh:
        return wh.scalar("SELECT count(*) FROM documents")


@pytest.mark.e2e
@pytest.mark.parametrize(("gone", "after", "failing"), [
    ("dedup_articles", dedup_step, extract_step),
    ("clean_articles", clean_step, dedup_step),
    ("documents", ingest_step, clean_step),
    ("validated/articles", validate_step, publish_step),
])
def test_a_missing_staged_file_stops_the_run_and_the_next_run_loads_everything(gone, after, failing, settings):
    steps = [ingest_step, clean_step, dedup_step, extract_step, validate_step, publish_step]
    inputs = [str(p) for p in SEED_FILES[:2]]
    run_id = start_run("test", settings)
    for step in steps:
        if step is ingest_step:
            step(run_id, inputs, [], settings)
        else:
            step(run_id, settings)
        if step is after:
            break
    (settings.staging_dir / f"run_id={run_id}" / f"{gone}.parquet").unlink()
    with pytest.raises(StagingError, match="is missing"):
        failing(run_id, settings)
    assert documents(settings) == 0  # nothing published as if it had been processed
    summary = run_pipeline(inputs, [], settings, trigger="test", run_quality=False)
    assert summary.articles == 2 and documents(settings) == 2


def test_a_step_skipped_for_want_of_input_still_publishes(settings):
    """An empty file is quarantined at ingest; clean/dedup/extract do not run; publish loads it."""
    empty = settings.staging_dir.parent / "empty.txt"
    empty.parent.mkdir(parents=True, exist_ok=True)
    empty.write_bytes(b"")
    run_pipeline([str(empty)], [], settings, trigger="test", run_quality=False)
    with Warehouse(settings, read_only=True) as wh:
        assert wh.scalar("SELECT count(*) FROM quarantine") == 1
