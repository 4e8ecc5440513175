"""Regression gate on trafilatura's annotated pages (../shared/eval/trafilatura), a fixed subset.

The full comparison with trafilatura alone, with speed, is benchmarks/extraction_eval.py.
Floors sit a little under what the current rules measured on this subset (F1 0.944, P 0.950
on 150 pages; trafilatura alone 0.917 / 0.896), so a change that loses text or lets
boilerplate back in fails here.
"""

from __future__ import annotations

import importlib.util
import sys

import pytest

from tests.conftest import EVAL_DIR, PROJECT_ROOT

DATA = EVAL_DIR / "trafilatura"
SUBSET = 150
F1_FLOOR = 0.935
PRECISION_FLOOR = 0.935
RECALL_FLOOR = 0.925

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not (DATA / "evaldata_full.json").is_file(),
                       reason=f"evaluation pages not present at {DATA} (read-only shared data)"),
]


def _benchmark():
    spec = importlib.util.spec_from_file_location("extraction_eval", PROJECT_ROOT / "benchmarks" / "extraction_eval.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault(spec.name, module)  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
def test_newsmon_extraction_stays_above_the_floor():
    bench = _benchmark()
    pages = bench.load_pages(DATA, SUBSET)
    assert len(pages) == SUBSET
    result = bench.evaluate(bench.run_newsmon, pages, DATA)
    summary = f"P {result.precision:.3f} R {result.recall:.3f} F1 {result.f1:.3f}"
    assert result.f1 >= F1_FLOOR, summary
    assert result.precision >= PRECISION_FLOOR, summary
    assert result.recall >= RECALL_FLOOR, summary
