"""docker-compose.yml, validated by the real compose parser (docker-compose 1.29, offline).

`docker-compose config` resolves anchors, merges and ${VAR:-default} interpolation exactly as
`docker compose up` would; the structural checks run on that resolved output, not on the raw
YAML, so they see what each container would really get.
"""

from __future__ import annotations

import os
import re
import subprocess
from dataclasses import fields
from pathlib import Path, PurePosixPath

import pytest
import yaml

from pipeline.settings import Settings, load_settings

REPO = Path(__file__).resolve().parents[2]
COMPOSE_FILE = REPO / "docker-compose.yml"
AIRFLOW_SERVICES = ["airflow-apiserver", "airflow-scheduler", "airflow-dag-processor",
                    "airflow-triggerer", "airflow-worker"]
REQUIRED_SERVICES = [*AIRFLOW_SERVICES, "airflow-init", "postgres", "redis"]
SHARED_DIRS = ("NEWSMON_STAGING_DIR", "NEWSMON_REPORTS_DIR")


def run_compose(compose_bin: Path, compose_file: Path, tmp_path: Path, *args: str,
                extra_env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    # A clean environment and an empty --env-file: a developer's shell or .env must not change
    # what the test sees; only the defaults written in the file count.
    env_file = tmp_path / "empty.env"
    env_file.write_text("")
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(tmp_path), **(extra_env or {})}
    return subprocess.run([str(compose_bin), "-f", str(compose_file), "--env-file", str(env_file), *args],
                          capture_output=True, text=True, env=env, cwd=compose_file.parent, timeout=120)


@pytest.fixture(scope="module")
def resolved(compose_bin, tmp_path_factory) -> dict:
    result = run_compose(compose_bin, COMPOSE_FILE, tmp_path_factory.mktemp("compose"), "config")
    assert result.returncode == 0, result.stderr
    return yaml.safe_load(result.stdout)


def test_compose_file_is_valid_and_every_variable_has_a_default(compose_bin, tmp_path):
    result = run_compose(compose_bin, COMPOSE_FILE, tmp_path, "config", "-q")
    assert result.returncode == 0, result.stderr
    # Compose warns "The X variable is not set" for a ${X} without default: none may be left.
    assert "is not set" not in result.stderr, result.stderr


def test_validator_rejects_a_broken_file(compose_bin, tmp_path):
    """The validation above means something: the same parser refuses a misspelt key."""
    broken = tmp_path / "docker-compose.yml"
    broken.write_text(COMPOSE_FILE.read_text().replace("healthcheck:", "healtcheck:", 1))
    result = run_compose(compose_bin, broken, tmp_path, "config", "-q")
    assert result.returncode != 0
    assert "healtcheck" in result.stderr


def test_services_of_airflow_official_layout(resolved):
    assert set(REQUIRED_SERVICES) <= set(resolved["services"])


def test_long_running_services_have_healthchecks(resolved):
    for name in [*AIRFLOW_SERVICES, "postgres", "redis"]:
        check = resolved["services"][name].get("healthcheck")
        assert check and check["test"], f"{name} has no healthcheck"


def test_airflow_services_wait_for_healthy_backends_and_init(resolved):
    for name in AIRFLOW_SERVICES:
        deps = resolved["services"][name]["depends_on"]
        assert deps["postgres"]["condition"] == "service_healthy", name
        assert deps["redis"]["condition"] == "service_healthy", name
        assert deps["airflow-init"]["condition"] == "service_completed_successfully", name


def test_celery_executor_with_postgres_metadata_and_redis_broker(resolved):
    for name in [*AIRFLOW_SERVICES, "airflow-init"]:
        env = resolved["services"][name]["environment"]
        assert env["AIRFLOW__CORE__EXECUTOR"] == "CeleryExecutor", name
        assert env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"].startswith("postgresql+psycopg2://"), name
        assert "@postgres/" in env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"], name
        assert env["AIRFLOW__CELERY__BROKER_URL"].startswith("redis://"), name
    assert resolved["services"]["airflow-worker"]["command"] in ("celery worker", ["celery", "worker"])


def test_init_migrates_db_and_creates_the_one_slot_writer_pool(resolved):
    init = resolved["services"]["airflow-init"]
    script = "\n".join(init["command"]) if isinstance(init["command"], list) else init["command"]
    pool = re.search(r"airflow pools set (\S+) (\d+) ", script)
    assert pool, "airflow-init does not create a pool"
    assert pool.groups() == ("duckdb_writer", "1")
    assert init["environment"]["_AIRFLOW_DB_MIGRATE"] == "true"


def test_writer_pool_name_matches_the_dags(resolved):
    """The pool created at init is the one the DAGs' warehouse tasks ask for."""
    dag_sources = [p.read_text() for p in (REPO / "dags").glob("*.py")]
    if not any("pool" in src for src in dag_sources):
        pytest.skip("no DAG declares a pool yet")
    assert any(re.search(r"""["']duckdb_writer["']""", src) for src in dag_sources)


def _mount_targets(service: dict) -> set[str]:
    targets = set()
    for volume in service.get("volumes", []):
        if isinstance(volume, dict):
            targets.add(volume["target"])
        else:  # "source:target[:mode]"
            targets.add(volume.split(":")[1])
    return targets


@pytest.mark.parametrize("name", ["airflow-worker", "airflow-scheduler"])
def test_data_folders_are_shared_volumes_where_settings_point(resolved, name):
    """The warehouse, staging and reports paths the settings resolve to are mounted volumes."""
    service = resolved["services"][name]
    settings = load_settings(path=os.devnull, env={k: str(v) for k, v in service["environment"].items()})
    targets = _mount_targets(service)
    assert str(PurePosixPath(settings.db_path).parent) in targets
    assert str(settings.staging_dir) in targets
    assert str(settings.reports_dir) in targets
    assert "/opt/airflow/dags" in targets


def test_newsmon_variables_are_real_settings(resolved):
    """A misspelt NEWSMON_ variable would be silently ignored: each must name a Settings field."""
    known = {f"NEWSMON_{f.name.upper()}" for f in fields(Settings)}
    for name, service in resolved["services"].items():
        for key in service.get("environment", {}):
            if key.startswith("NEWSMON_"):
                assert key in known, f"{name}: {key} is not a Settings field"


def _defaults_in_compose() -> dict[str, set[str]]:
    text = COMPOSE_FILE.read_text()
    found: dict[str, set[str]] = {}
    for var, default in re.findall(r"(?<!\$)\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?\}", text):
        found.setdefault(var, set()).add(default)
    return found


def _env_example() -> dict[str, str]:
    values = {}
    for line in (REPO / ".env.example").read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            key, _, value = line.partition("=")
            values[key] = value
    return values


def test_env_example_documents_every_variable_with_its_default():
    example = _env_example()
    for var, defaults in _defaults_in_compose().items():
        assert var in example, f"{var} is used in docker-compose.yml but not documented in .env.example"
        nonempty = defaults - {""}
        if len(nonempty) == 1:
            assert example[var] == next(iter(nonempty)), f"{var}: .env.example disagrees with the default"


def test_dockerfile_extends_the_pinned_airflow_image_and_installs_the_lock():
    dockerfile = (REPO / "Dockerfile").read_text()
    lock = (REPO / "requirements.lock").read_text()
    pinned = re.search(r"^apache-airflow==(\S+)$", lock, re.M)
    assert pinned, "requirements.lock does not pin apache-airflow"
    assert re.search(rf"^ARG AIRFLOW_VERSION={re.escape(pinned.group(1))}$", dockerfile, re.M)
    # pyproject says Python 3.11 only; the image tag must agree.
    assert re.search(r"^FROM apache/airflow:\$\{AIRFLOW_VERSION\}-python3\.11$", dockerfile, re.M)
    assert "-r ${NEWSMON_HOME}/requirements.lock" in dockerfile
    assert "--no-deps ${NEWSMON_HOME}" in dockerfile
    compose_version = _defaults_in_compose()["AIRFLOW_VERSION"]
    assert compose_version == {pinned.group(1)}
