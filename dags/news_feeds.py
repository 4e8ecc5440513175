"""news_feeds: poll the project's feeds and load what is new, every 15 minutes.

The interval is `feed_interval_minutes` in the settings (newsmon.toml or
NEWSMON_FEED_INTERVAL_MINUTES). Each run reads the feeds file (`feeds_file` setting), or the
feeds given as the `feeds` param on a manual trigger. Feeds are incremental: conditional GET,
a content hash and the seen entry ids (table `feed_state`) mean a run with nothing new yields
no documents. The DAG is created paused while the feeds file lists no feed. Publishing
updates the `newsmon_warehouse` Asset, on which `news_quality` and other downstream DAGs
are scheduled.

Tasks only wire: each calls one `pipeline.flow` step with plain arguments; they pass nothing
but the run id through XCom.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from airflow.sdk import Param, chain, dag, task
from newsmon_defaults import DEFAULT_ARGS, publish_task, start_task, step_task


def _interval() -> timedelta:
    # Only the settings module is imported at parse time: no stage, no I/O beyond the config file.
    from pipeline.settings import load_settings

    return timedelta(minutes=load_settings().feed_interval_minutes)


def _no_feeds() -> bool:
    from pipeline.ingest.feed_sources import lists_feeds
    from pipeline.settings import load_settings

    return not lists_feeds(load_settings().feeds_file)


@dag(
    dag_id="news_feeds",
    schedule=_interval(),
    start_date=datetime(2026, 1, 1),
    catchup=False,
    max_active_runs=1,
    is_paused_upon_creation=_no_feeds(),  # until the feeds file names a feed
    dagrun_timeout=timedelta(minutes=60),
    tags=["newsmon", "feeds"],
    default_args=DEFAULT_ARGS,
    params={"feeds": Param([], type="array",
                           description="feed URLs, files, folders or feeds files; empty: the feeds_file setting")},
    doc_md=__doc__,
)
def news_feeds():
    @task
    def ingest(newsmon_run: str, **context) -> dict:
        from pipeline.flow import ingest_step
        from pipeline.settings import load_settings

        settings = load_settings()
        feeds = context["params"].get("feeds") or [str(settings.feeds_file)]
        return ingest_step(newsmon_run, [], feeds, settings)

    newsmon_run = start_task("feeds")()
    chain(
        ingest(newsmon_run),
        *(step_task(step)(newsmon_run) for step in ("clean", "dedup", "extract", "validate")),
        publish_task("airflow-feeds")(newsmon_run),
    )


news_feeds()
