"""Validate stage: JSON-Schema validation of records before load (rejects go to quarantine)
and the great-expectations quality suites run over the warehouse tables after load.

great_expectations takes seconds to import, so `run_quality_suites` and `critical_failures`
are imported on first access (PEP 562): the validate task and `newsmon run --no-quality`
never pay for them.
"""

from __future__ import annotations

from typing import Any

from pipeline.validate.batch import validate_batch

__all__ = ["validate_batch", "run_quality_suites", "critical_failures"]
_LAZY = {"run_quality_suites", "critical_failures"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from pipeline.validate import quality

        return getattr(quality, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
