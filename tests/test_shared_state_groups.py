"""The xdist groups of tests/conftest.py: every module that loads a group's state is in it, so
that `make test-fast` loads that state in one process."""

from __future__ import annotations

import ast

import pytest

from tests.conftest import PROJECT_ROOT, SHARED_STATE_GROUPS, shared_state_group

# What a test module imports that loads a group's state into its process.
LOADERS = {
    "extraction": ("pipeline.extract.entities", "pipeline.extract.events", "pipeline.extract.cameo_coder",
                   "pipeline.extract.nlp", "pipeline.extract.gazetteer", "pipeline.extract.resolve"),
    "great_expectations": ("great_expectations", "pipeline.validate.quality", "pipeline.report",
                           "pipeline.validate.run_quality_suites"),
    "airflow": ("airflow",),
}
MODULES = sorted(p.relative_to(PROJECT_ROOT).as_posix() for p in (PROJECT_ROOT / "tests").rglob("test_*.py"))


def imported_names(path: str) -> set[str]:
    tree = ast.parse((PROJECT_ROOT / path).read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names |= {node.module} | {f"{node.module}.{alias.name}" for alias in node.names}
    return names


def test_every_prefix_names_test_modules():
    for prefix in SHARED_STATE_GROUPS:
        assert any(module.startswith(prefix) for module in MODULES), prefix


@pytest.mark.parametrize("group", LOADERS)
def test_the_modules_that_import_a_groups_loaders_are_in_the_group(group):
    importers = [m for m in MODULES
                 if any(n == loader or n.startswith(loader + ".") for n in imported_names(m)
                        for loader in LOADERS[group])]
    assert importers
    # A module whose every test runs the whole pipeline (e2e) never runs in `make test-fast`.
    e2e = {m for m in importers if "pytestmark = pytest.mark.e2e" in (PROJECT_ROOT / m).read_text(encoding="utf-8")}
    assert {m: shared_state_group(m) for m in importers if m not in e2e} == {m: group for m in importers
                                                                              if m not in e2e}


def test_a_module_outside_the_groups_is_its_own_unit():
    assert shared_state_group("tests/test_text.py::test_fold_quotes_is_translate") is None
    assert shared_state_group("tests/extract/test_dates.py::test_x") == "extraction"
