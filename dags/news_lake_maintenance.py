"""news_lake_maintenance: the DuckLake warehouse's daily upkeep (docs/lake.md).

Merges the small files every publish adds (the dashboards' scans open each one), expires
snapshots older than `lake_retention_days` and deletes the files nothing needs any more,
under the publish lock. With the warehouse in a file it does nothing, and is created paused.
"""

from __future__ import annotations

from datetime import datetime

from airflow.sdk import dag, task
from newsmon_defaults import DEFAULT_ARGS, LAKE_MODE


@dag(
    dag_id="news_lake_maintenance",
    schedule="@daily",
    start_date=datetime(2026, 1, 1),
    catchup=False,
    max_active_runs=1,
    is_paused_upon_creation=not LAKE_MODE,  # a file has no upkeep to do
    tags=["newsmon", "lake"],
    default_args=DEFAULT_ARGS,
    doc_md=__doc__,
)
def news_lake_maintenance():
    @task
    def maintain() -> dict:
        from pipeline.flow import lake_maintenance_step
        from pipeline.settings import load_settings

        return lake_maintenance_step(load_settings())

    maintain()


news_lake_maintenance()
