"""news_backfill: load files, folders and web archives (WARC) of any size (manual trigger).

The same plan as `newsmon run` (`pipeline.flow.plan_batches`): files are taken
`run_batch_documents` at a time and a WARC is cut into slices of that many records, each
batch loaded as its own run (`pipeline.flow.run_batch`), so a task's memory is bounded by the
batch, never by the archive. One mapped task instance per batch; they take the warehouse
writer's single slot one at a time, in order, so each batch's dedup sees the batches before
it, as in `newsmon run`. A failed batch is retried alone; re-runs skip what is already loaded.
Monitoring (search index, watchlists) runs once at the end; news_quality follows the
warehouse Asset.

Trigger with `{"inputs": ["/path/to/crawl.warc.gz", ...]}`.
"""

from __future__ import annotations

from datetime import datetime

from airflow.sdk import Param, dag, task
from newsmon_defaults import DEFAULT_ARGS, WAREHOUSE, WAREHOUSE_POOL


@dag(
    dag_id="news_backfill",
    schedule=None,
    start_date=datetime(2022, 1, 1),
    catchup=False,
    max_active_runs=1,
    tags=["newsmon", "backfill"],
    default_args=DEFAULT_ARGS,
    params={"inputs": Param([], type="array", minItems=1,
                            description="files, folders, .html.gz pages or WARC archives to load")},
    doc_md=__doc__,
)
def news_backfill():
    @task
    def plan(**context) -> list[list[str]]:
        from pipeline.flow import plan_batches
        from pipeline.settings import load_settings

        return plan_batches(context["params"]["inputs"], load_settings()).batches

    # Start to publish in one task: the batch's steps hand over through staging in-process, and
    # the writer's slot serialises batches (and other DAGs' publishes) without a lock error.
    @task(pool=WAREHOUSE_POOL, max_active_tis_per_dagrun=1, outlets=[WAREHOUSE])
    def load(batch: list[str], **context) -> dict:
        from pipeline.flow import run_batch
        from pipeline.settings import load_settings

        run_id = f"{context['run_id']}-{context['ti'].map_index}"
        done = run_batch(batch, load_settings(), trigger="airflow-backfill", run_id=run_id)
        context["outlet_events"][WAREHOUSE].extra = {"run_id": done["run_id"]}
        return done

    @task(pool=WAREHOUSE_POOL)  # records the watchlists' alerts: a writer too
    def monitor() -> dict:
        from pipeline.flow import monitor_step
        from pipeline.settings import load_settings

        return monitor_step(load_settings())

    load.expand(batch=plan()) >> monitor()


news_backfill()
