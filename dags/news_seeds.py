"""news_seeds: every stage of the pipeline on the seed articles (manual trigger).

Tasks only wire: each calls one `pipeline.flow` step with plain arguments, and they pass
nothing but the run id through XCom; article data moves through the staging folder.
"""

from __future__ import annotations

from datetime import datetime

from airflow.sdk import Asset, Param, dag, task
from newsmon_defaults import DEFAULT_ARGS, WAREHOUSE_POOL

WAREHOUSE = Asset("newsmon_warehouse")


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
    def start(**context) -> str:
        from pipeline.flow import start_run
        from pipeline.settings import load_settings

        return start_run("seeds", load_settings(), run_id=context["run_id"])

    @task
    def ingest(run_id: str, **context) -> dict:
        from pipeline.flow import ingest_step
        from pipeline.settings import load_settings

        settings = load_settings()
        inputs = context["params"].get("inputs") or [str(settings.seeds_dir)]
        return ingest_step(run_id, inputs, [], settings)

    @task
    def clean(run_id: str) -> dict:
        from pipeline.flow import clean_step
        from pipeline.settings import load_settings

        return clean_step(run_id, load_settings())

    @task
    def dedup(run_id: str) -> dict:
        from pipeline.flow import dedup_step
        from pipeline.settings import load_settings

        return dedup_step(run_id, load_settings())

    @task
    def extract(run_id: str) -> dict:
        from pipeline.flow import extract_step
        from pipeline.settings import load_settings

        return extract_step(run_id, load_settings())

    @task
    def validate(run_id: str) -> dict:
        from pipeline.flow import validate_step
        from pipeline.settings import load_settings

        return validate_step(run_id, load_settings())

    @task(pool=WAREHOUSE_POOL, outlets=[WAREHOUSE])
    def publish(run_id: str) -> dict:
        from pipeline.flow import publish_step
        from pipeline.settings import load_settings

        return publish_step(run_id, load_settings(), trigger="airflow")

    @task(pool=WAREHOUSE_POOL)
    def quality(run_id: str) -> dict:
        from pipeline.flow import quality_step
        from pipeline.settings import load_settings

        return quality_step(run_id, load_settings())

    run_id = start()
    steps = [ingest(run_id), clean(run_id), dedup(run_id), extract(run_id), validate(run_id),
             publish(run_id), quality(run_id)]
    for upstream, downstream in zip(steps, steps[1:], strict=False):
        upstream >> downstream


news_seeds()
