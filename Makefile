# newsmon: `make run` sets everything up and runs the news_seeds DAG; `make test` sets up and tests.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# make test-fast: pytest-xdist processes (one a core; a test module stays on one process so its
# module fixtures, a spaCy model or a warehouse, are built once, and the modules that load the same
# costly state, spaCy, great_expectations or Airflow, share one: tests/conftest.py).
TEST_PROCESSES ?= 2

# Airflow: embedded defaults, everything inside the project.
export AIRFLOW_HOME := $(CURDIR)/airflow_home
export AIRFLOW__CORE__DAGS_FOLDER := $(CURDIR)/dags
export AIRFLOW__CORE__LOAD_EXAMPLES := False
export AIRFLOW__CORE__PARALLELISM := 4
export AIRFLOW__CORE__MAX_ACTIVE_TASKS_PER_DAG := 2
export AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION := False
export AIRFLOW__LOGGING__LOGGING_LEVEL := WARNING
export UV_COMPILE_BYTECODE := 1

.PHONY: help install run airflow test test-fast typecheck lint airflow-init dashboard clean-data

help:
	@echo "make run         set up, then run the news_seeds Airflow DAG on seeds/ into warehouse/news.duckdb"
	@echo "make test        set up, then ruff, mypy and the whole test suite (CI)"
	@echo "make test-fast   ruff and the tests without the end-to-end runs and slow evaluations (e2e, slow)"
	@echo "make typecheck   mypy over pipeline/, dags/ and dashboard/ (config in pyproject.toml)"
	@echo "make airflow     the Airflow UI on http://localhost:8080 with make run's settings (AIRFLOW_PORT=...)"
	@echo "make dashboard   the Streamlit dashboards over warehouse/news.duckdb (NEWSMON_DB_PATH=...)"
	@echo "make lint        ruff"
	@echo "make install     create .venv and install requirements.lock (the others do it when needed)"
	@echo "make clean-data  remove warehouse/, reports/, staging/ and airflow_home/ (start again)"

$(STAMP): pyproject.toml requirements.lock
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -m pip install -q --disable-pip-version-check uv==0.13.8
	@echo "installing pinned dependencies (requirements.lock) ..."
	@$(BIN)/uv pip install -q --python $(PY) -r requirements.lock
	@$(BIN)/uv pip install -q --python $(PY) --no-deps -e .
	@touch $(STAMP)

install: $(STAMP)

airflow-init: $(STAMP)
	@mkdir -p $(AIRFLOW_HOME)
	@$(BIN)/airflow db migrate > $(AIRFLOW_HOME)/db-migrate.log 2>&1 || (tail -20 $(AIRFLOW_HOME)/db-migrate.log; exit 1)
	@$(BIN)/airflow pools set duckdb_writer 1 "DuckDB has one writer" > /dev/null

run: airflow-init
	@echo "running the news_seeds DAG on seeds/ (airflow dags test; log: $(AIRFLOW_HOME)/last-dag-run.log) ..."
	@AIRFLOW__LOGGING__LOGGING_LEVEL=INFO $(BIN)/airflow dags test news_seeds 2>&1 | tee $(AIRFLOW_HOME)/last-dag-run.log \
		| $(PY) scripts/dag_progress.py \
		|| (grep -E "ERROR|Error|error" $(AIRFLOW_HOME)/last-dag-run.log | tail -20; \
		    echo "the DAG run failed: full log in $(AIRFLOW_HOME)/last-dag-run.log"; exit 1)
	@echo
	@$(BIN)/newsmon status
	@echo
	@echo '$$ .venv/bin/newsmon sql "SELECT title, publisher, published_at::DATE AS published, word_count FROM articles ORDER BY published_at NULLS LAST, title"'
	@$(BIN)/newsmon sql "SELECT title, publisher, published_at::DATE AS published, word_count FROM articles ORDER BY published_at NULLS LAST, title"
	@echo
	@echo '$$ .venv/bin/newsmon sql "SELECT event_date, event_type, location, num_articles, summary FROM events WHERE num_articles > 1 ORDER BY event_date"'
	@$(BIN)/newsmon sql "SELECT event_date, event_type, location, num_articles, summary FROM events WHERE num_articles > 1 ORDER BY event_date"
	@echo
	@echo "next:"
	@echo "  .venv/bin/newsmon sql \"SELECT ...\"      query the warehouse (read-only; .venv/bin/newsmon --help)"
	@echo "  .venv/bin/newsmon run FILES --db F.duckdb  your own files and feeds (README: Use your own files and feeds)"
	@echo "  open reports/quality.html                the data-quality report"
	@echo "  make dashboard                           dashboards on http://localhost:8501"
	@echo "  make airflow                             the Airflow UI on http://localhost:8080"

airflow: airflow-init
	@bash scripts/airflow.sh

# The tests start many Python processes (xdist workers, forkservers, CLI subprocesses), each
# importing pipeline/ and each test module (assert-rewritten) anew: with the bytecode cache
# (__pycache__/, ignored by git) they read compiled code instead of compiling it again, about
# half of a process's collection. An environment that sets PYTHONDONTWRITEBYTECODE loses that.
test test-fast: export PYTHONDONTWRITEBYTECODE =

test: $(STAMP)
	@bash scripts/test_setup.sh
	@$(BIN)/ruff check .
	@$(BIN)/mypy
	@$(PY) -m pytest -q -p no:cacheprovider

test-fast: $(STAMP)
	@bash scripts/test_setup.sh
	@$(BIN)/ruff check .
	@NEWSMON_HYPOTHESIS_PROFILE=fast $(PY) -m pytest -q -p no:cacheprovider -m "not e2e and not slow" -n $(TEST_PROCESSES) --dist loadfile --no-loadscope-reorder

typecheck: $(STAMP)
	@$(BIN)/mypy

lint: $(STAMP)
	@$(BIN)/ruff check .

dashboard: $(STAMP)
	@bash scripts/dashboard.sh

clean-data:
	rm -rf warehouse reports staging airflow_home
