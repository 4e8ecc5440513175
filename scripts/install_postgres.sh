#!/usr/bin/env bash
# Install Debian's PostgreSQL server binaries (initdb, pg_ctl) for the deployment tests, which
# start a throwaway server on 127.0.0.1 (tests/deploy/postgres_server.py). Nothing is started
# here and no cluster is created. Idempotent: does nothing when initdb is already present.
set -euo pipefail

if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null 2>&1; then
    echo "PostgreSQL server binaries present: $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | tail -1)"
    exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || { echo "need root (or sudo) to apt-get install postgresql" >&2; exit 1; }
    SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
# Debian's postinst creates a default cluster and starts it: we do not want a system server
# running, only the binaries, so stop it again if it came up.
$SUDO apt-get install -y -q --no-install-recommends postgresql
if command -v pg_ctlcluster >/dev/null 2>&1; then
    for conf in /etc/postgresql/*/main; do
        [ -d "$conf" ] || continue
        version="$(basename "$(dirname "$conf")")"
        $SUDO pg_ctlcluster "$version" main stop >/dev/null 2>&1 || true
    done
fi
ls -d /usr/lib/postgresql/*/bin
