#!/usr/bin/env bash
# `make airflow`: the Airflow UI (api-server, scheduler, dag-processor, triggerer) with the
# environment `make run` uses, which the Makefile exports (AIRFLOW_HOME, DAGS_FOLDER, no
# examples, parallelism). The admin password is set once, kept in AIRFLOW_HOME, and printed.
#   AIRFLOW_PORT   port (default 8080)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BIN="$ROOT/.venv/bin"
PORT="${AIRFLOW_PORT:-8080}"
: "${AIRFLOW_HOME:?run this through \`make airflow\`}"

# `airflow standalone` starts its components as `airflow ...` subprocesses: they must be on PATH.
export PATH="$BIN:$PATH"
export AIRFLOW__API__PORT="$PORT"
export AIRFLOW__API__HOST="${AIRFLOW__API__HOST:-127.0.0.1}"
export AIRFLOW__API__BASE_URL="http://localhost:$PORT"

# The simple auth manager keeps a password it finds in this file; write one on first start
# so it can be printed here rather than lost in the components' interleaved output.
PASSWORDS="$AIRFLOW_HOME/simple_auth_manager_passwords.json.generated"
PASSWORD="$("$BIN/python" - "$PASSWORDS" <<'PY'
import json, secrets, sys
from pathlib import Path

path = Path(sys.argv[1])
try:
    users = json.loads(path.read_text(encoding="utf-8") or "{}")
except (OSError, ValueError):
    users = {}
if "admin" not in users:
    users["admin"] = secrets.token_urlsafe(12)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(users) + "\n", encoding="utf-8")
print(users["admin"])
PY
)"

echo "Airflow UI for newsmon: http://localhost:$PORT   user admin   password $PASSWORD"
echo "  AIRFLOW_HOME $AIRFLOW_HOME, DAGs from $AIRFLOW__CORE__DAGS_FOLDER (examples off)"
echo "  starting takes ~20 s; the log is in $AIRFLOW_HOME/standalone.log; Ctrl-C stops it"
exec airflow standalone >> "$AIRFLOW_HOME/standalone.log" 2>&1
