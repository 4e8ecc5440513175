"""news_quality: data-quality suites and reports, each time the warehouse changes.

Scheduled on the `newsmon_warehouse` Asset that publishing DAGs (news_feeds, news_seeds)
update, so it runs after every load rather than on a clock. A critical failure fails the
task (a permanent error: not retried) and is stored in `quality_results`. A load already
checked by its own DAG (news_seeds runs the suites itself) is not checked twice.
"""

from __future__ import annotations

from datetime import datetime

from airflow.sdk import dag, task
from newsmon_defaults import DEFAULT_ARGS, WAREHOUSE, WAREHOUSE_POOL


@dag(
    dag_id="news_quality",
    schedule=[WAREHOUSE],
    start_date=datetime(2026, 1, 1),
    catchup=False,
    max_active_runs=1,
    tags=["newsmon", "quality"],
    default_args=DEFAULT_ARGS,
    doc_md=__doc__,
)
def news_quality():
    @task(pool=WAREHOUSE_POOL)  # it stores quality results: a warehouse writer
    def quality(**context) -> dict:
        from pipeline.flow import quality_step
        from pipeline.settings import load_settings

        run_ids = [event.extra.get("run_id") for events in context["triggering_asset_events"].values()
                   for event in events if event.extra]
        # Label results with the newsmon run that changed the warehouse (the latest, when
        # several loads were batched into one trigger); a manual trigger uses its own id.
        run_id = next((r for r in reversed(run_ids) if r), None) or context["run_id"]
        return quality_step(run_id, load_settings(), once=True)

    quality()


news_quality()
