"""Injected faults for the item-isolation test: stage functions that raise for texts carrying a
marker, as a bug meeting unusual input would.

A pool's workers do not inherit patches made in the test process when they start from the
forkserver (the executor's choice wherever the process has threads). So the run has a process
of its own, ``python -m tests.reliability.poison ROOT EXECUTOR`` with ``NEWSMON_TEST_POISON=1``:
this module is its main module, which importing installs the faults, and which forkserver and
spawn workers import again before they run a step (forked ones inherit it). It prints the
run's article count and warehouse.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pipeline.clean.stage as clean_stage
import pipeline.extract.events as events
import pipeline.extract.nlp as nlp

POISON = {"clean": "POISON-IN-CLEAN", "extract": "POISON-IN-PARSE", "events": "POISON-IN-DATES"}


def _poisoned(real, marker):
    def wrapper(*args, **kwargs):
        text = next((a for a in args if isinstance(a, str)), None)
        raw = next((a.raw_text for a in args if hasattr(a, "raw_text")), None)
        if marker in (text or "") or marker in (raw or ""):
            raise KeyError(f"bug met {marker}")
        return real(*args, **kwargs)
    wrapper.poisoned = True  # type: ignore[attr-defined]
    return wrapper


def install() -> None:
    """Make the three stage functions raise on their marker (once per process)."""
    if getattr(clean_stage.parse_document, "poisoned", False):
        return
    clean_stage.parse_document = _poisoned(clean_stage.parse_document, POISON["clean"])
    nlp._parse = _poisoned(nlp._parse, POISON["extract"])
    events.find_dates = _poisoned(events.find_dates, POISON["events"])


if os.environ.get("NEWSMON_TEST_POISON") == "1":
    install()


def main(root: Path, executor: str) -> None:
    import pipeline.flow as flow
    from tests.conftest import make_settings

    settings = make_settings(root, executor=executor, clean_processes=2, nlp_processes=2, quality_processes=2,
                             clean_parallel_min_docs=1, nlp_parallel_min_texts=1)
    summary = flow.run_pipeline([str(root / "in")], [], settings, run_quality=False)
    print(json.dumps({"articles": summary.articles, "db": str(settings.db_path)}))


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2])
