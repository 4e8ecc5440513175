"""Defaults shared by newsmon's DAGs: retries only for what a retry can fix.

A `pipeline.errors.PermanentError` (bad input, bad settings, a critical quality failure)
fails the task at once; a `TransientError` (warehouse lock held, network fault) and anything
unexpected are retried with backoff.
"""

from __future__ import annotations

from datetime import timedelta

from airflow.sdk import ExceptionRetryPolicy, RetryAction, RetryRule

WAREHOUSE_POOL = "duckdb_writer"  # one slot: DuckDB has one writer

RETRY_POLICY = ExceptionRetryPolicy(
    rules=[
        RetryRule(exception="pipeline.errors.PermanentError", action=RetryAction.FAIL,
                  reason="permanent error: retrying the same input cannot succeed"),
        RetryRule(exception="pipeline.errors.TransientError", action=RetryAction.RETRY,
                  reason="transient error: retry with backoff"),
    ],
)

DEFAULT_ARGS = {
    "owner": "newsmon",
    "retries": 3,
    "retry_delay": timedelta(seconds=20),
    "retry_exponential_backoff": True,
    "max_retry_delay": timedelta(minutes=5),
    "retry_policy": RETRY_POLICY,
}
