"""Which boilerplate rules fire on which publishers of the evaluation pages, and to what effect.

Per rule: spans removed, hosts it fired on, hosts where it removed a gold "without" snippet,
and per host half (A tuned on, B held out) the "without" snippets it removed (good) and the
"with" snippets it removed (bad). A phrase rule that helps on one host only is a candidate
for a rule written for one page rather than for news pages.

    .venv/bin/python benchmarks/rule_sources.py
"""
from __future__ import annotations

import collections
import dataclasses
import re
import sys
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))
_WS = re.compile(r"\s+")


def main() -> int:
    from benchmarks import extraction_eval as ee
    from pipeline.clean import clean_documents
    from pipeline.ingest.files import read_document
    from pipeline.settings import Settings

    pages = ee.load_pages(ee.DATA_DIR)
    settings = Settings()
    docs, names = [], {}
    for name, entry in pages.items():
        doc = dataclasses.replace(read_document(ee.DATA_DIR / "html" / name, settings), url=entry["url"],
                                  content_type="text/html")
        docs.append(doc)
        names[doc.doc_id] = name
    out = clean_documents(docs, settings, "rules")
    stats: dict[str, dict] = collections.defaultdict(
        lambda: {"hosts": set(), "good_hosts": set(), "spans": 0, "A_good": 0, "A_bad": 0, "B_good": 0, "B_bad": 0})
    for span in out.boilerplate:
        entry = pages[names[span.article_id]]
        half, host, text = ee.half_of(entry), ee.page_host(entry), _WS.sub(" ", span.text)
        row = stats[span.rule]
        row["hosts"].add(host)
        row["spans"] += 1
        good = sum(_WS.sub(" ", x).strip() in text for x in entry["without"])
        row[f"{half}_good"] += good
        row[f"{half}_bad"] += sum(_WS.sub(" ", x).strip() in text for x in entry["with"])
        if good:
            row["good_hosts"].add(host)
    print(f"{'rule':<45} {'spans':>5} {'hosts':>5} {'good hosts':>10} {'A good':>6} {'A bad':>5} "
          f"{'B good':>6} {'B bad':>5}  the hosts, when one or two")
    for rule, row in sorted(stats.items(), key=lambda kv: (-len(kv[1]["hosts"]), kv[0])):
        few = sorted(row["good_hosts"]) if 0 < len(row["good_hosts"]) <= 2 else ""
        print(f"{rule:<45} {row['spans']:>5} {len(row['hosts']):>5} {len(row['good_hosts']):>10} "
              f"{row['A_good']:>6} {row['A_bad']:>5} {row['B_good']:>6} {row['B_bad']:>5}  {few}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
