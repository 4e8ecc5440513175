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
    def ingest(newsmon_run: str, **context) -> dict:
        from pipeline.flow import ingest_step
        from pipeline.settings import load_settings

        settings = load_settings()
        inputs = context["params"].get("inputs") or [str(settings.seeds_dir)]
        return ingest_step(newsmon_run, inputs, [], settings)

    @task
    def clean(newsmon_run: str) -> dict:
        from pipeline.flow import clean_step
        from pipeline.settings import load_settings

        return clean_step(newsmon_run, load_settings())

    @task
    def dedup(newsmon_run: str) -> dict:
        from pipeline.flow import dedup_step
        from pipeline.settings import load_settings

        return dedup_step(newsmon_run, load_settings())

    @task
    def extract(newsmon_run: str) -> dict:
        from pipeline.flow import extract_step
        from pipeline.settings import load_settings

        return extract_step(newsmon_run, load_settings())

    @task
    def validate(newsmon_run: str) -> dict:
        from pipeline.flow import validate_step
        from pipeline.settings import load_settings

        return validate_step(newsmon_run, load_settings())

    @task(pool=WAREHOUSE_POOL, outlets=[WAREHOUSE])
    def publish(newsmon_run: str) -> dict:
        from pipeline.flow import publish_step
        from pipeline.settings import load_settings

        return publish_step(newsmon_run, load_settings(), trigger="airflow")

    @task(pool=WAREHOUSE_POOL)
    def quality(newsmon_run: str) -> dict:
        from pipeline.flow import quality_step
        from pipeline.settings import load_settings

        return quality_step(newsmon_run, load_settings())

    newsmon_run = start()
    steps = [ingest(newsmon_run), clean(newsmon_run), dedup(newsmon_run), extract(newsmon_run),
             validate(newsmon_run), publish(newsmon_run), quality(newsmon_run)]
    for upstream, downstream in zip(steps, steps[1:], strict=False):
        upstream >> downstream


news_seeds()
