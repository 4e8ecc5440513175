"""news_seeds: every stage of the pipeline on the seed articles (manual trigger).

Tasks only wire: each calls one `pipeline.flow` step with plain arguments, and they pass
nothing but the run id through XCom; article data moves through the staging folder. Like
`newsmon run`, it ends with monitoring (search index, watchlists): what `make run` loads is
searchable at once, and news_alerts, told of this load later, finds it done.
"""

from __future__ import annotations

from datetime import datetime

from airflow.sdk import Param, chain, dag, task
from newsmon_defaults import DEFAULT_ARGS, WAREHOUSE_POOL, publish_task, start_task, step_task


@dag(
    dag_id="news_seeds",
    schedule=None,
    start_date=datetime(2022, 1, 1),
    catchup=False,
    max_active_runs=1,
    tags=["newsmon", "seeds"],
    default_args=DEFAULT_ARGS,
    params={"inputs": Param([], type="array", description="files or folders; empty: the project's seeds/")},
    doc_md=__doc__,
)
def news_seeds():
    @task
    def ingest(newsmon_run: str, **context) -> dict:
        from pipeline.flow import ingest_step
        from pipeline.settings import load_settings

        settings = load_settings()
        inputs = context["params"].get("inputs") or [str(settings.seeds_dir)]
        return ingest_step(newsmon_run, inputs, [], settings)

    @task(pool=WAREHOUSE_POOL)  # records the watchlists' alerts: a writer too
    def monitor() -> dict:
        from pipeline.flow import monitor_step
        from pipeline.settings import load_settings

        return monitor_step(load_settings())

    newsmon_run = start_task("seeds")()
    chain(
        ingest(newsmon_run),
        *(step_task(step)(newsmon_run) for step in ("clean", "dedup", "extract", "validate")),
        publish_task("airflow")(newsmon_run),
        step_task("quality", pool=WAREHOUSE_POOL)(newsmon_run),  # stores its results: a writer too
        monitor(),
    )


news_seeds()
