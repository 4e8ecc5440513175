"""Run ONE pipeline step in this process, the way one Airflow task on one Celery worker does.

    python -m tests.deploy.step_runner start TRIGGER
    python -m tests.deploy.step_runner ingest RUN_ID INPUT [INPUT ...]
    python -m tests.deploy.step_runner {clean,dedup,extract,validate,publish} RUN_ID
    python -m tests.deploy.step_runner monitor RUN_ID   (the news_alerts DAG's work after a load)

Settings come from the environment (NEWSMON_*), exactly as in the deployed DAG tasks; the only
thing carried between steps is the run id (stdout of `start`) and the staging folder.
Prints the step's result as one JSON line.
"""

from __future__ import annotations

import json
import sys


def main(argv: list[str]) -> int:
    from pipeline import flow
    from pipeline.settings import load_settings

    step, *args = argv
    settings = load_settings()
    if step == "start":
        print(json.dumps(flow.start_run(args[0], settings)))
        return 0
    run_id, *inputs = args
    if step == "ingest":
        result = flow.ingest_step(run_id, inputs, [], settings)
    elif step == "publish":
        result = flow.publish_step(run_id, settings, trigger="test")
    elif step == "monitor":
        result = flow.monitor_step(settings)
    else:
        result = getattr(flow, f"{step}_step")(run_id, settings)
    print(json.dumps(result, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
