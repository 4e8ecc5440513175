"""news_alerts: after every load, bring the search index up to date, evaluate the watchlists on
what is new, deliver the alerts.

Scheduled on the `newsmon_warehouse` Asset that publishing DAGs update. Syncing the index and
evaluating write the alerts (a warehouse writer: the `duckdb_writer` pool); delivering holds no connection while
notifications go out and records the outcomes at the end, so a slow or failed receiver never
holds up a load. Undelivered alerts stay `failed` and are tried again by the next run.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from airflow.sdk import chain, dag, task
from newsmon_defaults import DEFAULT_ARGS, WAREHOUSE, WAREHOUSE_POOL


@dag(
    dag_id="news_alerts",
    schedule=[WAREHOUSE],
    start_date=datetime(2026, 1, 1),
    catchup=False,
    max_active_runs=1,
    dagrun_timeout=timedelta(minutes=30),
    tags=["newsmon", "alerts"],
    default_args=DEFAULT_ARGS,
    doc_md=__doc__,
)
def news_alerts():
    # One pooled task syncs the index and evaluates: it is queued with news_quality (the same
    # Asset event) and outranks it for the writer slot (priority), where a separate index task
    # left evaluate to queue behind quality's suites.
    @task(pool=WAREHOUSE_POOL, priority_weight=10)
    def evaluate() -> dict:
        from pipeline.alerts import evaluate_watchlists
        from pipeline.search import sync
        from pipeline.settings import load_settings

        settings = load_settings()
        indexed = sync(settings)
        return {"indexed_runs": indexed.runs, "indexed_articles": indexed.articles,
                **evaluate_watchlists(settings)}

    @task
    def deliver() -> dict:
        from pipeline.alerts import deliver_pending
        from pipeline.settings import load_settings

        return deliver_pending(load_settings())

    chain(evaluate(), deliver())


news_alerts()
