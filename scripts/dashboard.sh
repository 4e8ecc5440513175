#!/usr/bin/env bash
# `make dashboard`: serve the dashboards on localhost over the warehouse, read-only.
#   NEWSMON_DB_PATH  warehouse file (default: warehouse/news.duckdb in the project)
#   DASHBOARD_PORT   port (default 8501)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PYTHON="${PYTHON:-$ROOT/.venv/bin/python}"
PORT="${DASHBOARD_PORT:-8501}"
export NEWSMON_DB_PATH="${NEWSMON_DB_PATH:-$ROOT/warehouse/news.duckdb}"

if [ ! -x "$PYTHON" ]; then
    echo "error: no project venv at $ROOT/.venv; run \`make run\` (or \`make test\`) first" >&2
    exit 1
fi
if [ ! -f "$NEWSMON_DB_PATH" ]; then
    echo "note: no warehouse at $NEWSMON_DB_PATH yet; run \`make run\` to fill it (the pages say so too)" >&2
fi

echo "newsmon dashboard over $NEWSMON_DB_PATH (read-only)"
echo "open http://localhost:$PORT   (Ctrl-C stops it)"
exec "$PYTHON" -m streamlit run "$ROOT/dashboard/app.py" \
    --server.headless true \
    --server.address 127.0.0.1 \
    --server.port "$PORT" \
    --browser.gatherUsageStats false
