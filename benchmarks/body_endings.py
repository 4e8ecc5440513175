"""How newsmon's bodies end, before and after a change: one page each of N publishers.

The end of the body is where furniture collects (related links, prompts, captions, footers).
Save the bodies at two revisions with `extraction_eval.py --save-bodies`, then print the last
characters of both for pages of different publishers, those whose ending changed first, with the gold's
"without" snippets (boilerplate) each ending still holds and whether the gold's "with"
snippets (article text) are all kept.

    .venv/bin/python benchmarks/extraction_eval.py --only newsmon --save-bodies before.json   # at the old revision
    .venv/bin/python benchmarks/extraction_eval.py --only newsmon --save-bodies after.json
    .venv/bin/python benchmarks/body_endings.py before.json after.json --half B
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))
_WS = re.compile(r"\s+")


def _flat(text: str) -> str:
    return _WS.sub(" ", text or "").strip()


def ending(body: str, chars: int) -> str:
    flat = _flat(body)
    return flat if len(flat) <= chars else "..." + flat[-chars:]


def boilerplate_in(text: str, entry: dict) -> list[str]:
    flat = _flat(text)
    return [s for s in entry["without"] if _flat(s) and _flat(s) in flat]


def all_text_kept(body: str, entry: dict) -> bool:
    flat = _flat(body)
    return all(_flat(s) in flat for s in entry["with"])


def _spread(name: str) -> str:
    return hashlib.sha256(name.encode()).hexdigest()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path)
    parser.add_argument("--half", choices=["A", "B"], help="only one host half (B: held out)")
    parser.add_argument("--count", type=int, default=10)
    parser.add_argument("--chars", type=int, default=220, help="characters of each ending shown")
    args = parser.parse_args(argv)
    from benchmarks import extraction_eval as ee

    pages = ee.load_pages(ee.DATA_DIR, half=args.half)
    before = json.loads(args.before.read_text(encoding="utf-8"))
    after = json.loads(args.after.read_text(encoding="utf-8"))
    changed = [n for n in pages if ending(before.get(n, ""), args.chars) != ending(after.get(n, ""), args.chars)]
    # A fixed spread over publishers: pages in the order of their name's hash, one per host; the
    # pages whose ending changed first, then (when fewer changed) others, shown as unchanged.
    chosen, hosts = [], set()
    rest = [n for n in pages if n not in set(changed) and n in after]
    for name in [*sorted(changed, key=_spread), *sorted(rest, key=_spread)]:
        host = ee.page_host(pages[name])
        if host not in hosts:
            hosts.add(host)
            chosen.append(name)
        if len(chosen) == args.count:
            break
    tally = {"before": 0, "after": 0}
    for name in changed:
        tally["before"] += len(boilerplate_in(ending(before.get(name, ""), args.chars), pages[name]))
        tally["after"] += len(boilerplate_in(ending(after.get(name, ""), args.chars), pages[name]))
    print(f"{len(pages)} pages{' in half ' + args.half if args.half else ''}; the ending "
          f"(last {args.chars} characters) changed on {len(changed)}; gold boilerplate snippets in those "
          f"endings: {tally['before']} before, {tally['after']} after")
    for name in chosen:
        entry = pages[name]
        same = "" if name in changed else " (ending unchanged)"
        print(f"\n== {ee.page_host(entry)} ({ee.language_of(entry)}) {name}{same}")
        for label, bodies in (("before", before), ("after", after)):
            body = bodies.get(name, "")
            left = boilerplate_in(ending(body, args.chars), entry)
            kept = "all gold text kept" if all_text_kept(body, entry) else "gold text MISSING"
            print(f"  {label:<6} [{kept}; boilerplate in ending: {len(left)}] {ending(body, args.chars)!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
