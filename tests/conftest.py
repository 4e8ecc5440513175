"""Shared fixtures: isolated settings, and one real pipeline run on the seeds per session."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

# Airflow reads its home when first imported: give the tests their own, never the project's
# (the Makefile exports the project's for `make run`).
os.environ["AIRFLOW_HOME"] = tempfile.mkdtemp(prefix="newsmon-airflow-")
os.environ.setdefault("AIRFLOW__CORE__LOAD_EXAMPLES", "False")

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# As in a deployment, the DAGs folder is on sys.path (Airflow adds it) for shared DAG defaults.
os.environ["AIRFLOW__CORE__DAGS_FOLDER"] = str(PROJECT_ROOT / "dags")
if str(PROJECT_ROOT / "dags") not in sys.path:
    sys.path.append(str(PROJECT_ROOT / "dags"))
SEEDS_DIR = PROJECT_ROOT / "seeds"
SEED_FILES = sorted(SEEDS_DIR.glob("*.txt"))
EVAL_DIR = PROJECT_ROOT.parent / "shared" / "eval"


# Property tests (hypothesis): `make test` searches the full budget a test asks for, `make
# test-fast` a quarter of it (the Makefile sets NEWSMON_HYPOTHESIS_PROFILE=fast). A test scales
# its budget with examples(); each search is replayable by its seed either way.
HYPOTHESIS_PROFILE = os.environ.get("NEWSMON_HYPOTHESIS_PROFILE", "full")
HYPOTHESIS_SHARE = {"full": 1.0, "fast": 0.25}
for _name, _share in HYPOTHESIS_SHARE.items():
    hypothesis_settings.register_profile(_name, max_examples=max(5, round(40 * _share)), deadline=None,
                                         database=None, suppress_health_check=list(HealthCheck))


def pytest_configure(config):
    if HYPOTHESIS_PROFILE not in HYPOTHESIS_SHARE:
        raise pytest.UsageError(f"NEWSMON_HYPOTHESIS_PROFILE={HYPOTHESIS_PROFILE!r}: set it to one of "
                                f"{', '.join(HYPOTHESIS_SHARE)}")
    hypothesis_settings.load_profile(HYPOTHESIS_PROFILE)


def examples(full: int) -> int:
    """A property test's example budget: ``full`` in `make test`, its share in `make test-fast`."""
    return max(5, round(full * HYPOTHESIS_SHARE[HYPOTHESIS_PROFILE]))


def make_settings(root: Path, **overrides):
    """Settings confined to `root`, ignoring the developer's env vars and newsmon.toml."""
    from pipeline.settings import load_settings

    values = {
        "db_path": root / "warehouse" / "news.duckdb",
        "reports_dir": root / "reports",
        "staging_dir": root / "staging",
    }
    values.update(overrides)
    return load_settings(env={"NEWSMON_CONFIG": ""}, **values)


@pytest.fixture
def settings(tmp_path: Path):
    return make_settings(tmp_path)


@pytest.fixture(scope="session")
def seeds_run(tmp_path_factory):
    """One full in-process pipeline run on seeds/: (settings, RunSummary). Read-only for tests."""
    from pipeline.flow import run_pipeline

    root = tmp_path_factory.mktemp("seeds_run")
    settings = make_settings(root)
    summary = run_pipeline([str(SEEDS_DIR)], [], settings, trigger="test")
    return settings, summary


@pytest.fixture
def seeds_db(seeds_run):
    """Path of the seeds warehouse (do not write it: copy it first)."""
    return seeds_run[0].db_path


@pytest.fixture(scope="session")
def postgres_server(tmp_path_factory):
    """One throwaway PostgreSQL per session (tests/deploy/postgres_server.py): Airflow's metadata
    in the deployment tests, DuckLake catalogs in tests/load/test_lake*.py (a database each)."""
    from tests.deploy.postgres_server import PostgresServer, find_postgres_bindir

    bindir = find_postgres_bindir()
    if bindir is None:
        reason = "PostgreSQL server binaries (initdb, pg_ctl) not found: run scripts/install_postgres.sh"
        if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
            pytest.fail(reason)  # in CI a missing tool is a broken setup
        pytest.skip(reason)
    server = PostgresServer(bindir)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def new_lake(server, name: str) -> str:
    """A new, empty DuckLake catalog database `name` on the session's PostgreSQL server; the lake
    spec naming it (docs/lake.md)."""
    from benchmarks.lake_bench import new_catalog

    return new_catalog(f"host=127.0.0.1 port={server.port} user={server.user}", name)


# Fixtures that run the whole pipeline (in-process, the CLI or an Airflow DAG): a test using one,
# even only to read what it left, is end-to-end. `make test-fast` (-m "not e2e") leaves them out.
E2E_FIXTURES = {"seeds_run", "dag_run", "feeds_dag_run", "dashboard_db", "hostile_run", "reference"}


def pytest_collection_modifyitems(config, items):
    for item in items:
        if E2E_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.e2e)
    if os.environ.get("PYTEST_XDIST_WORKER"):
        # The shared-state groups first: with `--no-loadscope-reorder` xdist hands out the
        # groups in this order, so a process that takes one is then fed the small modules
        # while the other works through the other (sorted() is stable: modules keep their order).
        order = list(dict.fromkeys(SHARED_STATE_GROUPS.values()))
        items[:] = sorted(items, key=lambda item: _group_rank(item.nodeid, order))


# `make test-fast` (pytest-xdist, `--dist loadfile`): a test module runs whole on one process, so
# its module fixtures are built once; and the modules that load the same costly state into their
# process run on the same one, so that a run loads it once, not once a process: the spaCy models
# with the gazetteer and the CAMEO dictionaries (7.8 CPU s), great_expectations (5.2), Airflow
# (2.4). A path prefix names a group's modules. (`--dist loadgroup` with xdist_group marks would
# say this, but pytest 9.2 drops the marks: pytest-dev/pytest-xdist#1386.)
SHARED_STATE_GROUPS = {
    "tests/extract/": "extraction",
    "tests/test_extraction_measures.py": "extraction",
    "tests/reliability/test_item_isolation.py": "extraction",
    "tests/validate/test_quality_suites.py": "great_expectations",
    "tests/report/": "great_expectations",
    "tests/dags/": "airflow",
    "tests/ingest/test_feed_dags.py": "airflow",
    "tests/alerts/test_alerts_dag.py": "airflow",
}


def shared_state_group(nodeid: str) -> str | None:
    module = nodeid.split("::")[0]
    return next((group for prefix, group in SHARED_STATE_GROUPS.items() if module.startswith(prefix)), None)


def _group_rank(nodeid: str, order: list[str]) -> int:
    group = shared_state_group(nodeid)
    return order.index(group) if group is not None else len(order)


class SharedStateScheduling:
    """xdist's loadfile scheduling with each shared-state group as one file: loadfile's unit is
    what precedes a test id's first '::', so it is handed the ids of a group's tests with the
    group's name in front, and gives back the real ids (xdist's public scheduler classes only)."""

    def __init__(self, config, log) -> None:
        from xdist.scheduler import LoadFileScheduling

        self._loadfile = LoadFileScheduling(config, log)

    def __getattr__(self, name: str):
        return getattr(self._loadfile, name)

    def add_node_collection(self, node, collection) -> None:
        grouped = [f"{group}::{nodeid}" if (group := shared_state_group(nodeid)) else nodeid
                   for nodeid in collection]
        self._loadfile.add_node_collection(node, grouped)

    def remove_node(self, node) -> str | None:
        crashed = self._loadfile.remove_node(node)
        if crashed is not None and shared_state_group(crashed.split("::", 1)[-1]):
            return crashed.split("::", 1)[1]
        return crashed


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    return SharedStateScheduling(config, log) if config.getoption("dist") == "loadfile" else None
