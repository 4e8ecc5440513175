"""benchmarks/tree_cpu.py --memory: the peak memory of the whole tree, grandchildren included."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# A child whose own child holds 200 MB for two seconds, then both end.
GRANDCHILD = ("import subprocess, sys; subprocess.run([sys.executable, '-c', "
              "\"import time; x = bytearray(200_000_000); x[::4096] = b'1' * len(x[::4096]); time.sleep(2.5)\"])")


def test_memory_counts_a_grandchild_resident_set():
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "tree_cpu.py"), "--memory", "--",
                           sys.executable, "-c", GRANDCHILD], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    found = re.search(r"peak memory of the tree .*: RSS (\d+) MiB, PSS (\d+) MiB", done.stderr)
    assert found, done.stderr
    rss, pss = int(found[1]), int(found[2])
    assert 190 <= pss <= rss
