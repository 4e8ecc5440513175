"""Dedup benchmark: newsmon vs a naive datasketch baseline on N synthetic articles with planted copies.

Usage: .venv/bin/python benchmarks/dedup_bench.py --n 10000 [--sweep] [--set lsh_threshold=0.4]

Each system runs in its own process over the same pickled corpus, so its peak RSS is its own
(the corpus is included and printed separately). Throughput counts only the dedup work: building
Article records (content hash included) is the clean stage's job and is not timed.

The corpus: Articles are built from a Zipf-distributed pseudo-word vocabulary plus per-topic names, so two
articles on one topic share names and common phrases the way real coverage of one event does.
Planted, each with its ground truth:
- copies of an original: "syndicated" (other footer, title suffix, dateline), "truncated"
  (a leading 35-90 % of the body), "requoted" (curly quotes, dashes, case and spacing changed),
  "rewrite" (about 3 % of words replaced, one sentence dropped, one added);
- "same_topic" partners: a distinct article on the original's topic that reuses 5-40 % of its
  paragraphs (shared wire background and quotes). These must never be merged.
"""

from __future__ import annotations

import argparse
import itertools
import json
import pickle
import random
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run from a checkout without install


COPY_KINDS = ("syndicated", "truncated", "requoted", "rewrite")
_SYLLABLES = [c + v for c in "bcdfghjklmnprstvwz" for v in ("a", "e", "i", "o", "u", "ai", "ou")]
_FOOTERS = [
    "Follow us on Twitter, Facebook and Google News.",
    "Subscribe to our daily newsletter for the top headlines.",
    "This story was provided by a partner agency and published unedited.",
    "Copyright {site}. All rights reserved. Republication without permission is prohibited.",
    "Read more stories like this on {site}.",
    "Share this article with your friends and leave a comment below.",
]


@dataclass
class Item:
    article_id: str
    title: str
    body: str
    day: int  # publication day offset: originals first, copies later (canonical = original)
    family: str  # ground truth: copies share their original's family, partners have their own
    kind: str  # "original" | one of COPY_KINDS | "same_topic"
    topic: int
    source_of: str | None = None  # the original a copy or partner was made from


def _vocabulary(rng: random.Random, size: int) -> list[str]:
    words: set[str] = set()
    while len(words) < size:
        words.add("".join(rng.choice(_SYLLABLES) for _ in range(rng.choice((1, 2, 2, 3)))))
    return sorted(words)


class Generator:
    def __init__(self, seed: int = 7, vocab_size: int = 30_000, topics: int = 2_000):
        self.rng = random.Random(seed)
        self.np = np.random.default_rng(seed)
        self.vocab = np.array(_vocabulary(self.rng, vocab_size), dtype=object)
        ranks = np.arange(1, vocab_size + 1)
        self.cdf = np.cumsum(1.0 / ranks) / (1.0 / ranks).sum()
        self.topics = [[w.capitalize() for w in _vocabulary(random.Random(seed * 7919 + t), 12)]
                       for t in range(topics)]

    def sentence(self, topic: int) -> str:
        n = int(self.np.integers(8, 28))
        words = list(self.vocab[np.searchsorted(self.cdf, self.np.random(n))])
        names = self.topics[topic]
        for i in self.np.choice(n, size=max(1, n // 8), replace=False):
            words[i] = names[int(self.np.integers(len(names)))]
        text = " ".join(words)
        text = text[0].upper() + text[1:] + "."
        if self.rng.random() < 0.2:  # a quotation, so typographic variants have quotes to change
            text = f'"{text}" said {names[0]} - a spokesperson\'s view.'
        return text

    def paragraphs(self, topic: int, count: int) -> list[str]:
        return [" ".join(self.sentence(topic) for _ in range(int(self.np.integers(2, 5))))
                for _ in range(count)]

    def original(self, article_id: str, topic: int) -> tuple[Item, list[str]]:
        paras = self.paragraphs(topic, int(self.np.integers(4, 14)))
        title = " ".join(self.np.choice(self.vocab[:3000], size=6)).capitalize()
        item = Item(article_id, title, "\n\n".join(paras), self.rng.randint(0, 300), article_id, "original", topic)
        return item, paras

    def copy(self, kind: str, src: Item, paras: list[str], article_id: str) -> Item:
        site = f"Site {self.rng.randint(1, 500)}"
        title, body = src.title, src.body
        if kind == "syndicated":
            title = f"{src.title} | {site}"
            footer = "\n\n".join(f.format(site=site) for f in self.rng.sample(_FOOTERS, 2))
            body = f"{site.upper()} - {src.body}\n\n{footer}"
        elif kind == "truncated":
            words = src.body.split(" ")
            keep = max(20, int(len(words) * self.rng.uniform(0.35, 0.9)))
            body = " ".join(words[:keep]) + " ... Read more"
        elif kind == "requoted":
            body = (src.body.replace(' "', " \u201c").replace('" ', "\u201d ").replace("'", "\u2019")
                    .replace(" - ", " \u2014 ").replace(". ", ".  "))
            title = src.title.upper()
        elif kind == "rewrite":
            sentences = src.body.split(". ")
            sentences.pop(self.rng.randrange(len(sentences)))
            sentences.insert(self.rng.randrange(len(sentences) + 1), self.sentence(src.topic).rstrip("."))
            words = ". ".join(sentences).split(" ")
            for i in self.np.choice(len(words), size=max(1, len(words) // 33), replace=False):
                words[i] = str(self.np.choice(self.vocab[:5000]))
            body = " ".join(words)
            title = f"{src.title} (updated)"
        return Item(article_id, title, body, src.day + self.rng.randint(1, 5), src.family, kind, src.topic, src.article_id)

    def partner(self, src: Item, paras: list[str], article_id: str) -> Item:
        own = self.paragraphs(src.topic, int(self.np.integers(4, 14)))
        share = self.rng.uniform(0.05, 0.4)
        shared = self.rng.sample(paras, max(1, int(len(paras) * share)))
        mixed = own + shared
        self.rng.shuffle(mixed)
        title = " ".join(self.np.choice(self.vocab[:3000], size=6)).capitalize()
        return Item(article_id, title, "\n\n".join(mixed), src.day + self.rng.randint(0, 3), article_id,
                    "same_topic", src.topic, src.article_id)


def generate(n: int, seed: int = 7) -> list[Item]:
    """About 60 % originals, 30 % copies (all four kinds), 10 % distinct same-topic partners."""
    gen = Generator(seed=seed, topics=max(50, n // 50))
    items: list[Item] = []
    while len(items) < n:
        item, paras = gen.original(f"a{len(items):07d}", gen.rng.randrange(len(gen.topics)))
        items.append(item)
        roll = gen.rng.random()
        if roll < 0.30:
            kind = COPY_KINDS[gen.rng.randrange(len(COPY_KINDS))]
            items.append(gen.copy(kind, item, paras, f"a{len(items):07d}"))
        elif roll < 0.40:
            items.append(gen.partner(item, paras, f"a{len(items):07d}"))
        elif roll < 0.45:  # several copies of one story, like a wire piece syndicated widely
            for kind in gen.rng.sample(COPY_KINDS, 2):
                items.append(gen.copy(kind, item, paras, f"a{len(items):07d}"))
    items = items[:n]
    gen.rng.shuffle(items)  # arrival order is not publication order
    return items


# --- running one system in its own process, so peak RSS is that system's alone ------------------

def _articles(items: list[Item]) -> list:
    from pipeline.records import Article
    from pipeline.text import content_hash, word_count

    base = datetime(2024, 1, 1)
    return [Article(article_id=it.article_id, doc_id=it.article_id, source_uri=f"bench://{it.article_id}",
                    url=None, title=it.title, publisher=None, byline=None,
                    published_at=base + timedelta(days=it.day, seconds=i), language="en", body=it.body,
                    word_count=word_count(it.body), content_hash=content_hash(it.body),
                    first_seen_at=base + timedelta(days=400, seconds=i))
            for i, it in enumerate(items)]


def run_newsmon(items: list[Item], settings, batch: int) -> tuple[dict[str, str], float, float]:
    from pipeline.dedup import DedupIndex, deduplicate

    articles = _articles(items)  # the clean stage's output: not timed
    start, cpu = time.perf_counter(), time.process_time()
    index = DedupIndex.empty(settings)
    cluster: dict[str, str] = {}
    for lo in range(0, len(articles), batch):
        out = deduplicate(articles[lo:lo + batch], index, settings)
        for link in out.links:
            cluster[link.article_id] = link.cluster_id
    return cluster, time.perf_counter() - start, time.process_time() - cpu


def run_baseline(items: list[Item], settings, batch: int) -> tuple[dict[str, str], float, float]:
    """Naive datasketch: a MinHash per article over its shingles, query the LSH, then insert.
    A hit makes the article a copy of the first hit; no verification."""
    from datasketch import MinHash, MinHashLSH

    from pipeline.dedup.shingles import tokens

    articles = _articles(items)
    start, cpu = time.perf_counter(), time.process_time()
    lsh = MinHashLSH(threshold=settings.jaccard_threshold, num_perm=settings.minhash_perm)
    cluster: dict[str, str] = {}
    k = settings.shingle_size
    for a in articles:
        words = tokens(a.body)
        m = MinHash(num_perm=settings.minhash_perm)
        m.update_batch([b" ".join(words[i:i + k]) for i in range(max(1, len(words) - k + 1))])
        hits = lsh.query(m)
        cluster[a.article_id] = cluster[min(hits)] if hits else a.article_id
        lsh.insert(a.article_id, m)
    return cluster, time.perf_counter() - start, time.process_time() - cpu


def worker(system: str, corpus: Path, result: Path, batch: int, overrides: dict) -> None:
    from pipeline.settings import Settings

    with corpus.open("rb") as f:  # streamed: the pickle's bytes are never all in memory
        items = pickle.load(f)
    settings = Settings().replace(**overrides)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    run = run_newsmon if system == "newsmon" else run_baseline
    # CPU time too: the machine is shared, so wall time also measures the neighbours' load.
    cluster, seconds, cpu = run(items, settings, batch)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    result.write_text(json.dumps({"cluster": cluster, "seconds": seconds, "cpu": cpu,
                                  "rss_mb": rss / 1024, "rss_corpus_mb": rss_before / 1024}))


# --- scoring --------------------------------------------------------------------------------------

def _pairs(groups: dict[str, list[str]]) -> set[tuple[str, str]]:
    out = set()
    for members in groups.values():
        members = sorted(members)
        out.update(itertools.combinations(members, 2))
    return out


def score(items: list[Item], cluster: dict[str, str]) -> dict:
    truth: dict[str, list[str]] = {}
    predicted: dict[str, list[str]] = {}
    for it in items:
        truth.setdefault(it.family, []).append(it.article_id)
        predicted.setdefault(cluster[it.article_id], []).append(it.article_id)
    true_pairs, pred_pairs = _pairs(truth), _pairs(predicted)
    hit = len(true_pairs & pred_pairs)
    by_id = {it.article_id: it for it in items}
    recall_by_kind = {}
    for kind in COPY_KINDS:
        copies = [it for it in items if it.kind == kind and it.source_of in by_id]
        found = sum(cluster[it.article_id] == cluster[it.source_of] for it in copies)
        recall_by_kind[kind] = (found, len(copies))
    partners = [it for it in items if it.kind == "same_topic" and it.source_of in by_id]
    merges = sum(cluster[it.article_id] == cluster[it.source_of] for it in partners)
    return {"precision": hit / len(pred_pairs) if pred_pairs else 1.0, "recall": hit / len(true_pairs),
            "true_pairs": len(true_pairs), "pred_pairs": len(pred_pairs), "recall_by_kind": recall_by_kind,
            "distinct_merges": merges, "distinct_pairs": len(partners)}


def sweep(items: list[Item], settings) -> None:
    """Pair-level precision/recall over (jaccard, containment) thresholds, from every LSH candidate
    pair of a low-threshold index: the curve the default thresholds were chosen from."""
    from pipeline.dedup import DedupIndex, deduplicate
    from pipeline.dedup.verify import overlap

    low = settings.replace(jaccard_threshold=2.0, containment_threshold=2.0)  # verify nothing
    index = DedupIndex.empty(low)
    deduplicate(_articles(items), index, low)
    pairs = index.candidate_pairs(0)
    family = {it.article_id: it.family for it in items}
    families: dict[str, list[str]] = {}
    for it in items:
        families.setdefault(it.family, []).append(it.article_id)
    truth_pairs = _pairs(families)
    rows = []
    for o, n in pairs.tolist():
        a, b = index.members[o].article_id, index.members[n].article_id
        j, c = overlap(index.shingles[o], index.shingles[n])
        rows.append((j, c, family[a] == family[b]))
    arr = np.array(rows, dtype=float).reshape(-1, 3)
    print(f"\nLSH candidate pairs (lsh_threshold={settings.lsh_threshold}, bands x rows = "
          f"{index.bands}x{index.rows}): {len(arr)}; planted duplicate pairs: {len(truth_pairs)}; "
          f"planted pairs among candidates: {int(arr[:, 2].sum())}")
    cs = (0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95)
    print("pair precision / recall; a pair is a duplicate if Jaccard >= row or containment >= column")
    print("jaccard" + "".join(f"{f'C>={c}':>16}" for c in cs))
    for jt in (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9):
        cells = []
        for ct in cs:
            dup = (arr[:, 0] >= jt) | (arr[:, 1] >= ct)
            tp = int((dup & (arr[:, 2] == 1)).sum())
            cells.append(f"{tp / max(1, int(dup.sum())):.4f}/{tp / len(truth_pairs):.4f}")
        print(f"J>={jt:<4}" + "".join(f"{c:>16}" for c in cells))
    _prefilter_losses(index, pairs, arr, settings)
    print("distinct same-topic pairs among candidates: max Jaccard / containment = "
          + " / ".join(f"{v:.3f}" for v in _partner_max(items, index)))


def _prefilter_losses(index, pairs: np.ndarray, arr: np.ndarray, settings) -> None:
    """How many candidate pairs that pass the exact thresholds the signature prefilter would drop."""
    from pipeline.dedup import minhash
    from pipeline.dedup.verify import PREFILTER_SLACK, required_jaccard

    sigs = index.signature_matrix()
    sizes = np.array([m.shingle_count for m in index.members])
    est = minhash.estimated_jaccard(sigs[pairs[:, 0]], sigs[pairs[:, 1]])
    kept = est >= required_jaccard(sizes[pairs[:, 0]], sizes[pairs[:, 1]], settings) - PREFILTER_SLACK
    passing = (arr[:, 0] >= settings.jaccard_threshold) | (arr[:, 1] >= settings.containment_threshold)
    print(f"signature prefilter (slack {PREFILTER_SLACK}): keeps {int(kept.sum())} of {len(pairs)} "
          f"candidates for the exact check; drops {int((passing & ~kept).sum())} pairs that pass "
          f"J>={settings.jaccard_threshold} or C>={settings.containment_threshold}")


def _partner_max(items: list[Item], index) -> tuple[float, float]:
    from pipeline.dedup.verify import overlap

    worst_j = worst_c = 0.0
    for it in items:
        if it.kind == "same_topic" and it.source_of in index.position:
            j, c = overlap(index.shingles[index.position[it.article_id]],
                           index.shingles[index.position[it.source_of]])
            worst_j, worst_c = max(worst_j, j), max(worst_c, c)
    return worst_j, worst_c


def _kind_cell(scores: dict, kind: str):
    return lambda s: "{}/{}".format(*scores[s]["recall_by_kind"][kind])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--batch", type=int, default=10_000, help="articles per deduplicate() call (runs)")
    ap.add_argument("--set", action="append", default=[], metavar="FIELD=VALUE",
                    help="override a dedup setting, e.g. --set lsh_threshold=0.4")
    ap.add_argument("--sweep", action="store_true", help="also print the threshold P/R curve")
    ap.add_argument("--only", choices=("newsmon", "baseline"))
    ap.add_argument("--worker", choices=("newsmon", "baseline"), help=argparse.SUPPRESS)
    ap.add_argument("--corpus", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--result", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    overrides = {k: float(v) if "." in v else int(v) for k, v in (s.split("=", 1) for s in args.set)}
    if args.worker:
        worker(args.worker, args.corpus, args.result, args.batch, overrides)
        return 0

    sys.stdout.reconfigure(line_buffering=True)  # progress shows when redirected to a file
    t0 = time.perf_counter()
    items = generate(args.n, args.seed)
    print(f"generated {len(items)} articles in {time.perf_counter() - t0:.1f}s: "
          + ", ".join(f"{k}={sum(it.kind == k for it in items)}"
                      for k in ("original", *COPY_KINDS, "same_topic")))
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus.pickle"
        corpus.write_bytes(pickle.dumps(items))
        for system in ("newsmon", "baseline"):
            if args.only and system != args.only:
                continue
            result = Path(tmp) / f"{system}.json"
            subprocess.run([sys.executable, __file__, "--worker", system, "--corpus", str(corpus),
                            "--result", str(result), "--batch", str(args.batch),
                            *sum((["--set", s] for s in args.set), [])], check=True)
            results[system] = json.loads(result.read_text())
    print(f"\nload average {Path('/proc/loadavg').read_text().split()[0]} (shared machine)")
    print(f"{'':28}" + "".join(f"{s:>16}" for s in results))
    scores = {s: score(items, r["cluster"]) for s, r in results.items()}
    lines = [
        ("articles/s", lambda s: f"{args.n / results[s]['seconds']:,.0f}"),
        ("dedup wall time (s)", lambda s: f"{results[s]['seconds']:.1f}"),
        ("articles/CPU-second", lambda s: f"{args.n / results[s]['cpu']:,.0f}"),
        ("dedup CPU time (s)", lambda s: f"{results[s]['cpu']:.1f}"),
        ("peak RSS (MB)", lambda s: f"{results[s]['rss_mb']:,.0f}"),
        ("  of which corpus (MB)", lambda s: f"{results[s]['rss_corpus_mb']:,.0f}"),
        ("pair precision", lambda s: f"{scores[s]['precision']:.4f}"),
        ("pair recall", lambda s: f"{scores[s]['recall']:.4f}"),
        *[(f"  recall {k}", _kind_cell(scores, k)) for k in COPY_KINDS],
        ("distinct same-topic merged", lambda s: f"{scores[s]['distinct_merges']}/{scores[s]['distinct_pairs']}"),
    ]
    for label, cell in lines:
        print(f"{label:28}" + "".join(f"{cell(s):>16}" for s in results))
    if args.sweep:
        from pipeline.settings import Settings
        sweep(items, Settings().replace(**overrides))
    return 0


if __name__ == "__main__":
    sys.exit(main())
