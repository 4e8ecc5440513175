#!/usr/bin/env bash
# System pieces the tests need beyond the venv: a browser, PostgreSQL, the compose validator.
# Each installer is idempotent and does nothing when its piece is already there.
set -euo pipefail
cd "$(dirname "$0")/.."
for installer in scripts/install_browser.sh scripts/install_postgres.sh scripts/install_compose_validator.sh; do
    if [ -f "$installer" ]; then
        bash "$installer"
    fi
done
