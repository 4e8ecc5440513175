"""Validate stage: JSON-Schema validation of records before load (rejects go to quarantine)
and the great-expectations quality suites run over the warehouse tables after load."""

from pipeline.validate.batch import validate_batch
from pipeline.validate.quality import critical_failures, run_quality_suites

__all__ = ["validate_batch", "run_quality_suites", "critical_failures"]
