#!/usr/bin/env bash
# Install docker-compose v1.29.2 into its own venv (.venv-compose/) so the tests can validate
# docker-compose.yml with the real compose parser, offline, without a Docker engine.
# Why a separate venv: docker-compose 1.29 needs PyYAML<6, the project venv pins PyYAML 6.
# Why the odd PyYAML dance: pyyaml 5.4.1 has no wheel for Python 3.11 and its sdist does not
# build with Cython 3 or with pip's build isolation.
# The same venv, having setuptools and wheel, builds the project's package offline for the
# image-layout test (tests/deploy/test_image_layout.py).
# Idempotent: does nothing when the validator already answers `version`.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${COMPOSE_VENV:-$ROOT/.venv-compose}"
PYTHON="${PYTHON:-python3.11}"
command -v "$PYTHON" >/dev/null 2>&1 || PYTHON=python3

if [ -x "$VENV/bin/docker-compose" ] && "$VENV/bin/docker-compose" version --short >/dev/null 2>&1; then
    echo "compose validator ready: $("$VENV/bin/docker-compose" version --short) in $VENV"
    exit 0
fi

echo "creating compose validator venv in $VENV"
"$PYTHON" -m venv "$VENV"
"$VENV/bin/python" -m pip install --quiet --upgrade pip
"$VENV/bin/python" -m pip install --quiet "cython<3" wheel setuptools
"$VENV/bin/python" -m pip install --quiet --no-build-isolation "pyyaml==5.4.1"
"$VENV/bin/python" -m pip install --quiet "docker-compose==1.29.2"
"$VENV/bin/docker-compose" version --short
