"""Summarise a py-spy profile in collapsed-stack form: where the samples went, per function.

    .venv/bin/py-spy record --subprocesses --rate 50 -f raw -o /tmp/profile.txt -- \\
        .venv/bin/python benchmarks/pipeline_bench.py --n 5000 --language en --no-ceiling
    .venv/bin/python benchmarks/profile_summary.py /tmp/profile.txt [--top 40] [--under extract_step]

Prints the share of samples per process kind (the main process vs its workers), then the top
functions by inclusive samples (the function or anything it calls is on the stack) and by self
samples (the function is the innermost frame). ``--under NAME`` keeps only stacks through a
frame whose function name is NAME, so one step can be looked at alone. Idle frames (waiting on
a pipe or a lock) count: they show where a process waits.
"""

from __future__ import annotations

import argparse
import re
from collections import Counter
from pathlib import Path

# py-spy raw lines: "process 123:\"python ...\";thread (0x..);func (file.py:10);... COUNT"
_FRAME = re.compile(r"^(?P<func>.+?) \((?P<file>[^()]*?)(?::\d+)?\)$")


def parse(path: Path) -> list[tuple[list[str], int]]:
    stacks = []
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        stacks.append((stack.split(";"), int(count)))
    return stacks


def frame_name(frame: str) -> str:
    m = _FRAME.match(frame)
    if not m:
        return frame
    return f"{m['func']} ({Path(m['file']).name})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("profile", type=Path)
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--under", help="only stacks through a frame of this function")
    parser.add_argument("--main", action="store_true", help="only the main process (no workers)")
    args = parser.parse_args()
    stacks = parse(args.profile)
    if args.under:
        stacks = [(s, n) for s, n in stacks if any(frame_name(f).startswith(args.under + " ") for f in s)]
    total = sum(n for s, n in stacks if not (args.main and sum(f.startswith("process ") for f in s) > 1)) or 1
    procs: Counter[str] = Counter()
    inclusive: Counter[str] = Counter()
    own: Counter[str] = Counter()
    for stack, n in stacks:
        # --subprocesses nests a child's stack under its parent's "process PID:..." frame
        cut = max(i for i, f in enumerate(stack) if f.startswith("process "))
        if args.main and cut:
            continue
        procs[stack[cut].split(":", 1)[0] + (" (main)" if cut == 0 else " (worker)")] += n
        frames = [frame_name(f) for f in stack[cut + 1:]] or ["(no Python frame)"]
        for name in set(frames):
            inclusive[name] += n
        own[frames[-1]] += n
    print(f"{total:,} samples")
    print("\nby process")
    for name, n in procs.most_common(12):
        print(f"  {100 * n / total:5.1f}%  {name}")
    print(f"\ntop {args.top} inclusive")
    for name, n in inclusive.most_common(args.top):
        print(f"  {100 * n / total:5.1f}%  {name}")
    print(f"\ntop {args.top} self")
    for name, n in own.most_common(args.top):
        print(f"  {100 * n / total:5.1f}%  {name}")


if __name__ == "__main__":
    main()
