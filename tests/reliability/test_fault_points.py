"""The settings' kill points (pipeline/faults.py): a named point kills only where it is reached.

The kill itself is tested end to end in test_faults.py (SIGKILL inside the load transaction)."""

from __future__ import annotations

import multiprocessing
import signal

import pytest

from pipeline import faults
from pipeline.errors import ConfigError
from tests.conftest import make_settings


def _reach(point: str, kill_at: str) -> None:
    faults.reached(point, kill_at)


def test_a_point_kills_only_when_the_settings_name_it():
    faults.reached("load.before_commit", "")  # the default: nothing happens
    context = multiprocessing.get_context("spawn")
    elsewhere = context.Process(target=_reach, args=("elsewhere", "load.before_commit"))
    there = context.Process(target=_reach, args=("load.before_commit", "load.before_commit"))
    for process in (elsewhere, there):
        process.start()
        process.join(60)
    assert elsewhere.exitcode == 0 and there.exitcode == -signal.SIGKILL


def test_an_unknown_point_is_a_config_error_that_lists_the_points(tmp_path):
    settings = make_settings(tmp_path, kill_at="load.befor_commit")
    with pytest.raises(ConfigError, match="unknown kill_at point") as raised:
        faults.reached("load.before_commit", settings.kill_at)
    assert "load.before_commit" in raised.value.hint
