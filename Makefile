# newsmon: `make run` sets everything up and runs the news_seeds DAG; `make test` sets up and tests.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

# Airflow: embedded defaults, everything inside the project.
export AIRFLOW_HOME := $(CURDIR)/airflow_home
export AIRFLOW__CORE__DAGS_FOLDER := $(CURDIR)/dags
export AIRFLOW__CORE__LOAD_EXAMPLES := False
export AIRFLOW__CORE__PARALLELISM := 4
export AIRFLOW__CORE__MAX_ACTIVE_TASKS_PER_DAG := 2
export AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION := False
export AIRFLOW__LOGGING__LOGGING_LEVEL := WARNING
export UV_COMPILE_BYTECODE := 1
export PYTHONWARNINGS := ignore::DeprecationWarning

.PHONY: help install run test lint airflow-init dashboard bench clean-data

help:
	@echo "make run        set up, then run the news_seeds Airflow DAG on seeds/ into warehouse/news.duckdb"
	@echo "make test       set up, then run the test suite"
	@echo "make dashboard  open the dashboards over warehouse/news.duckdb"
	@echo "make lint       ruff"

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
	@echo "running the news_seeds DAG (airflow dags test) ..."
	@$(BIN)/airflow dags test news_seeds > $(AIRFLOW_HOME)/last-dag-run.log 2>&1 \
		|| (grep -E "ERROR|Error|error" $(AIRFLOW_HOME)/last-dag-run.log | tail -20; \
		    echo "the DAG run failed: full log in $(AIRFLOW_HOME)/last-dag-run.log"; exit 1)
	@$(BIN)/newsmon status
	@echo
	@echo '$$ newsmon sql "SELECT title, publisher, published_at::DATE AS published, word_count FROM articles ORDER BY published_at NULLS LAST, title"'
	@$(BIN)/newsmon sql "SELECT title, publisher, published_at::DATE AS published, word_count FROM articles ORDER BY published_at NULLS LAST, title"
	@echo
	@echo '$$ newsmon sql "SELECT event_date, event_type, location, num_mentions, num_articles, summary FROM events WHERE num_articles > 1 ORDER BY event_date"'
	@$(BIN)/newsmon sql "SELECT event_date, event_type, location, num_mentions, num_articles, summary FROM events WHERE num_articles > 1 ORDER BY event_date"

test: $(STAMP)
	@bash scripts/test_setup.sh
	@$(BIN)/ruff check .
	@$(PY) -m pytest -q -p no:cacheprovider

lint: $(STAMP)
	@$(BIN)/ruff check .

dashboard: $(STAMP)
	@bash scripts/dashboard.sh

clean-data:
	rm -rf warehouse reports staging airflow_home
