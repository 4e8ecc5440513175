"""Defaults and task factories shared by newsmon's DAGs: retries only for what a retry can fix.

A `pipeline.errors.PermanentError` (bad input, bad settings, a critical quality failure)
fails the task at once; a `TransientError` (warehouse lock held, network fault) and anything
unexpected are retried with backoff.
"""

from __future__ import annotations

from datetime import timedelta

from airflow.sdk import Asset, ExceptionRetryPolicy, RetryAction, RetryRule, task


def _lake_mode() -> bool:
    """Whether the settings put the warehouse in a DuckLake (read when the DAGs are parsed)."""
    from pipeline.errors import NewsmonError
    from pipeline.settings import load_settings

    try:
        return bool(load_settings().lake)
    except NewsmonError:  # bad settings fail the tasks, with the message, not the DAG's import
        return False


LAKE_MODE = _lake_mode()
# A file has one writer: its writers queue in a one-slot pool. A lake takes several
# publishers at once (they take turns on its shared tables themselves: docs/lake.md).
WAREHOUSE_POOL = "default_pool" if LAKE_MODE else "duckdb_writer"

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

WAREHOUSE = Asset("newsmon_warehouse")  # updated by every publish; news_quality is scheduled on it


def start_task(trigger: str):
    """A task allocating the newsmon run (staging folder) under Airflow's own run id."""

    @task(task_id="start")
    def start(**context) -> str:
        from pipeline.flow import start_run
        from pipeline.settings import load_settings

        return start_run(trigger, load_settings(), run_id=context["run_id"])

    return start


def step_task(step: str, **task_kwargs):
    """A task calling `pipeline.flow.<step>_step(run, settings)`; only the run id crosses XCom."""

    @task(task_id=step, **task_kwargs)
    def run_step(newsmon_run: str) -> dict:
        from pipeline import flow
        from pipeline.settings import load_settings

        return getattr(flow, f"{step}_step")(newsmon_run, load_settings())

    return run_step


def publish_task(trigger: str):
    """The single warehouse writer: one slot pool, announces the Asset with the run id."""

    @task(task_id="publish", pool=WAREHOUSE_POOL, outlets=[WAREHOUSE])
    def publish(newsmon_run: str, *, outlet_events=None) -> dict:
        from pipeline.flow import publish_step
        from pipeline.settings import load_settings

        written = publish_step(newsmon_run, load_settings(), trigger=trigger)
        outlet_events[WAREHOUSE].extra = {"run_id": newsmon_run}  # downstream DAGs learn which run
        return written

    return publish
