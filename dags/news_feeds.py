"""news_feeds: poll the project's feeds and load what is new, every 15 minutes.

The interval is `feed_interval_minutes` in the settings (newsmon.toml or
NEWSMON_FEED_INTERVAL_MINUTES). Each run reads the feeds file (`feeds_file` setting), or the
feeds given as the `feeds` param on a manual trigger. Feeds are incremental: conditional GET,
a content hash and the seen entry ids (table `feed_state`) mean a run with nothing new yields
no documents. Publishing updates the `newsmon_warehouse` Asset, on which `news_quality` and
other downstream DAGs are scheduled.

Tasks only wire: each calls one `pipeline.flow` step with plain arguments; they pass nothing
but the run id through XCom.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from airflow.sdk import Asset, Param, dag, task
from newsmon_defaults import DEFAULT_ARGS, WAREHOUSE_POOL

WAREHOUSE = Asset("newsmon_warehouse")


def _interval() -> timedelta:
    # Only the settings module is imported at parse time: no stage, no I/O beyond the config file.
    from pipeline.settings import load_settings

    return timedelta(minutes=load_settings().feed_interval_minutes)


@dag(
    dag_id="news_feeds",
    schedule=_interval(),
    start_date=datetime(2026, 1, 1),
    catchup=False,
    max_active_runs=1,
    dagrun_timeout=timedelta(minutes=60),
    tags=["newsmon", "feeds"],
    default_args=DEFAULT_ARGS,
    params={"feeds": Param([], type="array",
                           description="feed URLs, files, folders or feeds files; empty: the feeds_file setting")},
    doc_md=__doc__,
)
def news_feeds():
    @task
    def start(**context) -> str:
        from pipeline.flow import start_run
        from pipeline.settings import load_settings

        return start_run("feeds", load_settings(), run_id=context["run_id"])

    @task
    def ingest(newsmon_run: str, **context) -> dict:
        from pipeline.flow import ingest_step
        from pipeline.settings import load_settings

        settings = load_settings()
        feeds = context["params"].get("feeds") or [str(settings.feeds_file)]
        return ingest_step(newsmon_run, [], feeds, settings)

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
    def publish(newsmon_run: str, *, outlet_events=None) -> dict:
        from pipeline.flow import publish_step
        from pipeline.settings import load_settings

        written = publish_step(newsmon_run, load_settings(), trigger="airflow-feeds")
        # Downstream DAGs learn which newsmon run changed the warehouse.
        outlet_events[WAREHOUSE].extra = {"run_id": newsmon_run}
        return written

    newsmon_run = start()
    steps = [ingest(newsmon_run), clean(newsmon_run), dedup(newsmon_run), extract(newsmon_run),
             validate(newsmon_run), publish(newsmon_run)]
    for upstream, downstream in zip(steps, steps[1:], strict=False):
        upstream >> downstream


news_feeds()
