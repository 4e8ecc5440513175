"""Shared fixtures for the deployment tests: the compose validator (the throwaway PostgreSQL,
`postgres_server`, is in tests/conftest.py: the lake tests share it)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
COMPOSE_BIN = REPO / ".venv-compose" / "bin" / "docker-compose"


def _missing(reason: str) -> None:
    """In CI a missing tool is a broken setup (fail); on a laptop it is a skip with the fix."""
    if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def compose_bin() -> Path:
    if not COMPOSE_BIN.exists():
        _missing(f"compose validator missing at {COMPOSE_BIN}: run scripts/install_compose_validator.sh")
    return COMPOSE_BIN


@pytest.fixture(scope="session")
def build_python() -> Path:
    """A Python with setuptools and wheel, to build the package as the image does, offline.
    The tooling venv has both (the project venv has no `wheel`; build isolation needs network)."""
    python = REPO / ".venv-compose" / "bin" / "python"
    if not python.exists():
        _missing(f"tooling venv missing at {python.parent.parent}: run scripts/install_compose_validator.sh")
    return python
