# newsmon on the official Airflow image. Everything is installed at build time, from the pinned
# closure in requirements.lock, so every container of the cluster runs the same packages.
#   docker compose build          (or: docker build -t newsmon-airflow:0.1.0 .)
ARG AIRFLOW_VERSION=3.3.2
# The project supports Python 3.11 only (pyproject: requires-python >=3.11,<3.12).
FROM apache/airflow:${AIRFLOW_VERSION}-python3.11

ARG AIRFLOW_VERSION
ENV NEWSMON_HOME=/opt/newsmon
USER root
RUN mkdir -p ${NEWSMON_HOME}/warehouse ${NEWSMON_HOME}/reports ${NEWSMON_HOME}/staging \
    && chown -R airflow:0 ${NEWSMON_HOME}
USER airflow

# Dependencies first: this layer is rebuilt only when the lock changes. Naming
# apache-airflow again stops pip from moving the image's own Airflow (the documented way to
# extend the image).
COPY --chown=airflow:0 requirements.lock ${NEWSMON_HOME}/requirements.lock
RUN pip install --no-cache-dir "apache-airflow==${AIRFLOW_VERSION}" -r ${NEWSMON_HOME}/requirements.lock

# The project itself, without touching the dependencies installed above.
COPY --chown=airflow:0 pyproject.toml README.md ${NEWSMON_HOME}/
COPY --chown=airflow:0 pipeline ${NEWSMON_HOME}/pipeline
RUN pip install --no-cache-dir --no-deps ${NEWSMON_HOME}

# Data the pipeline reads at run time: the DDL, the seed articles, the feed list, the DAGs (the
# compose file mounts ./dags and ./feeds.toml over these, so both change without a rebuild).
COPY --chown=airflow:0 schemas ${NEWSMON_HOME}/schemas
COPY --chown=airflow:0 seeds ${NEWSMON_HOME}/seeds
COPY --chown=airflow:0 feeds.toml ${NEWSMON_HOME}/feeds.toml
COPY --chown=airflow:0 dags /opt/airflow/dags

# The installed package lives in site-packages, so the settings' project-relative defaults do
# not point here: name every location explicitly (docker-compose.yml sets the same values).
ENV NEWSMON_DB_PATH=${NEWSMON_HOME}/warehouse/news.duckdb \
    NEWSMON_STAGING_DIR=${NEWSMON_HOME}/staging \
    NEWSMON_REPORTS_DIR=${NEWSMON_HOME}/reports \
    NEWSMON_SCHEMAS_DIR=${NEWSMON_HOME}/schemas \
    NEWSMON_SEEDS_DIR=${NEWSMON_HOME}/seeds \
    NEWSMON_FEEDS_FILE=${NEWSMON_HOME}/feeds.toml \
    NEWSMON_WATCHLISTS_FILE=${NEWSMON_HOME}/watchlists.toml
