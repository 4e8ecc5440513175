"""Scoring entity extraction against a hand-labelled fixture (used by benchmarks/ner_eval.py
and the tests; pure functions, no model).

Fixture format: see ``tests/extract/cases/entities/seeds_gold.json`` ("about").

Criteria:
- *exact*: a prediction is correct when its (start, end, type) equals a gold mention's.
- *normalised*: the same after trimming both spans with :func:`entity_text.trim_span`
  (surrounding quotes/space, a leading "the", a possessive "'s"), so a system that follows
  the OntoNotes convention of including "the" is not penalised for it.
- Predictions overlapping an ``ignore`` span are not scored.
- Resolution, over mention pairs correctly found (normalised criterion): a pair is "same" in
  gold when the ids match and in a prediction when the cluster keys match; pairwise P/R/F1,
  plus the share of gold entities whose mentions form exactly one predicted cluster.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path

from pipeline.extract.entity_text import trim_span


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    label: str
    cluster: str  # gold id, or the system's entity key


@dataclass
class GoldArticle:
    name: str
    body: str
    mentions: list[Span]
    ignore: list[tuple[int, int]] = field(default_factory=list)


def _occurrences(body: str, surfaces: list[str]) -> list[tuple[int, int, str]]:
    """Non-overlapping occurrences, longest surface first, not glued to letters/digits."""
    taken: list[tuple[int, int]] = []
    found = []
    for surface in sorted(surfaces, key=lambda s: (-len(s), s)):
        for m in re.finditer(r"(?<![^\W_])" + re.escape(surface) + r"(?![^\W_])", body):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            taken.append((m.start(), m.end()))
            found.append((m.start(), m.end(), surface))
    return sorted(found)


def _kept_lines(text: str, conf: dict) -> str:
    """The evaluation body: ``text`` minus the lines the fixture drops (by 1-based number,
    by prefix, or everything from the first line starting with ``drop_from``)."""
    drop = set(conf.get("drop_lines", []))
    prefixes = tuple(conf.get("drop_prefixes", []))
    kept = []
    for i, line in enumerate(text.split("\n"), 1):
        if conf.get("drop_from") and line.startswith(conf["drop_from"]):
            break
        if i in drop or (prefixes and line.startswith(prefixes)):
            continue
        kept.append(line)
    return "\n".join(kept)


def load_gold_texts(fixture: Path, texts: dict[str, str], section: str = "seeds") -> list[GoldArticle]:
    """Gold mentions for each text named in the fixture's ``section`` (name -> raw text)."""
    spec = json.loads(fixture.read_text(encoding="utf-8"))
    entities: dict[str, list[str]] = spec["entities"]
    ignore = list(spec.get("ignore", []))
    out = []
    for name, conf in sorted(spec[section].items()):
        body = _kept_lines(texts[name], conf)
        occ = _occurrences(body, list(entities) + ignore)
        mentions = [Span(s, e, entities[t][0], entities[t][1]) for s, e, t in occ if t in entities]
        out.append(GoldArticle(name, body, mentions, [(s, e) for s, e, t in occ if t not in entities]))
    return out


def load_gold(fixture: Path, seeds_dir: Path) -> list[GoldArticle]:
    """The seeds fixture: texts are the seed files."""
    names = json.loads(fixture.read_text(encoding="utf-8"))["seeds"]
    return load_gold_texts(fixture, {n: (seeds_dir / n).read_text(encoding="utf-8") for n in names})


def alias_pairs(fixture: Path) -> list[tuple[str, str]]:
    return [tuple(p) for p in json.loads(fixture.read_text(encoding="utf-8")).get("alias_pairs", [])]


def normalise_span(body: str, span: Span) -> Span:
    """``span`` as the normalised criterion compares it: trimmed to the entity proper
    (``trim_span``: no surrounding quotes, leading "the" or possessive), label and cluster kept."""
    s, e = trim_span(body, span.start, span.end)
    return Span(s, e, span.label, span.cluster)


@dataclass
class Score:
    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def match(gold: GoldArticle, predicted: list[Span], normalised: bool) -> tuple[Score, list[tuple[Span, Span]]]:
    """Score one article; also return the (gold, predicted) pairs that match."""
    g = [normalise_span(gold.body, m) for m in gold.mentions] if normalised else list(gold.mentions)
    p = [normalise_span(gold.body, m) for m in predicted] if normalised else list(predicted)
    p = [x for x in p if not any(x.start < e and s < x.end for s, e in gold.ignore)]
    by_key = {(x.start, x.end, x.label): x for x in g}
    pairs = []
    for x in p:
        hit = by_key.pop((x.start, x.end, x.label), None)
        if hit is not None:
            pairs.append((hit, x))
    tp = len(pairs)
    return Score(tp, len(p) - tp, len(g) - tp), pairs


def resolution(pairs: list[tuple[Span, Span]]) -> tuple[Score, int, int]:
    """Pairwise link score over matched mentions (corpus-wide), and (gold entities resolved
    to exactly one cluster holding nothing else, gold entities)."""
    tp = fp = fn = 0
    for (g1, p1), (g2, p2) in combinations(pairs, 2):
        same_gold, same_pred = g1.cluster == g2.cluster, p1.cluster == p2.cluster
        tp += same_gold and same_pred
        fp += same_pred and not same_gold
        fn += same_gold and not same_pred
    clusters_of: dict[str, set[str]] = {}
    golds_of: dict[str, set[str]] = {}
    for g, p in pairs:
        clusters_of.setdefault(g.cluster, set()).add(p.cluster)
        golds_of.setdefault(p.cluster, set()).add(g.cluster)
    exact = sum(1 for gid, cl in clusters_of.items()
                if len(cl) == 1 and golds_of[next(iter(cl))] == {gid})
    return Score(tp, fp, fn), exact, len(clusters_of)


# CoNLL-2003 (../shared/eval/conll2003/eng.testa.docs.jsonl): token-level gold turned into the
# same GoldArticle shape. Tokens are joined by one space, sentences by a newline, so a token's
# character span is known exactly and "exact span" means the gold's token boundaries.
CONLL_TYPES = ("PER", "ORG", "LOC")
# spaCy's OntoNotes labels read as CoNLL's: MISC-like labels (NORP, EVENT, ...) are not scored.
CONLL_FROM_MODEL = {"PERSON": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC", "FAC": "LOC"}


def conll_document(doc: dict) -> GoldArticle:
    """One CoNLL document as text + gold PER/ORG/LOC spans (MISC is dropped: the standard
    measure is over the three name types)."""
    lines, mentions, offset = [], [], 0
    for sent in doc["sentences"]:
        starts, pos = [], offset
        for tok in sent["tokens"]:
            starts.append(pos)
            pos += len(tok) + 1
        for ent in sent["entities"]:
            if ent["type"] in CONLL_TYPES:
                s = starts[ent["start"]]
                e = starts[ent["end"] - 1] + len(sent["tokens"][ent["end"] - 1])
                mentions.append(Span(s, e, ent["type"], f"{ent['type']}:{ent['text']}"))
        line = " ".join(sent["tokens"])
        lines.append(line)
        offset += len(line) + 1
    return GoldArticle(f"conll-{doc['doc_index']:03d}", "\n".join(lines), mentions)


def load_conll(path: Path) -> list[GoldArticle]:
    with path.open(encoding="utf-8") as fh:
        return [conll_document(json.loads(line)) for line in fh if line.strip()]


def conll_halves(golds: list[GoldArticle]) -> tuple[list[GoldArticle], list[GoldArticle]]:
    """The tuning half (even document index) and the held-back half (odd)."""
    return golds[0::2], golds[1::2]


def as_conll(spans: list[Span]) -> list[Span]:
    """System spans with their labels read as CoNLL types; other labels dropped."""
    return [Span(s.start, s.end, CONLL_FROM_MODEL[s.label], s.cluster)
            for s in spans if s.label in CONLL_FROM_MODEL]


# Resolution check on real pages (tests/extract/cases/entities/resolution_gold.json): per-page
# labels, global identities.
def load_resolution_gold(fixture: Path, texts: dict[str, str]) -> list[GoldArticle]:
    spec = json.loads(fixture.read_text(encoding="utf-8"))
    out = []
    for name, page in sorted(spec["pages"].items()):
        body = texts[name]
        entities: dict[str, list[str]] = page["entities"]
        occ = _occurrences(body, list(entities) + list(page.get("ignore", [])))
        mentions = [Span(s, e, entities[t][0], entities[t][1]) for s, e, t in occ if t in entities]
        out.append(GoldArticle(name, body, mentions, [(s, e) for s, e, t in occ if t not in entities]))
    return out


@dataclass
class ResolutionScore:
    pairs: Score  # pairwise "same entity" over mentions found by both
    splits: int  # extra predicted entities a gold identity is spread over
    merges: int  # extra gold identities a predicted entity holds
    mentions: int  # gold mentions matched by a prediction (span, any type)
    type_correct: int  # of those, with the gold type


def score_resolution(golds: list[GoldArticle], predicted: dict[str, list[Span]]) -> ResolutionScore:
    """Predictions matched to gold mentions by normalised span whatever their type; pairwise
    precision/recall of "same entity" over all pairs of matched mentions, across pages."""
    matched: list[tuple[Span, Span]] = []
    for g in golds:
        by_span = {(n.start, n.end): n for n in (normalise_span(g.body, m) for m in g.mentions)}
        for p in predicted.get(g.name, []):
            n = normalise_span(g.body, p)
            hit = by_span.pop((n.start, n.end), None)
            if hit is not None:
                matched.append((hit, p))
    pairs, _, _ = resolution(matched)
    preds_of: dict[str, set[str]] = {}
    golds_of: dict[str, set[str]] = {}
    for gold, pred in matched:
        preds_of.setdefault(gold.cluster, set()).add(pred.cluster)
        golds_of.setdefault(pred.cluster, set()).add(gold.cluster)
    return ResolutionScore(pairs, sum(len(v) - 1 for v in preds_of.values()),
                           sum(len(v) - 1 for v in golds_of.values()), len(matched),
                           sum(1 for gold, pred in matched if gold.label == pred.label))


def gold_types(golds: list[GoldArticle], predicted: dict[str, list[Span]]) -> dict[str, str]:
    """Predicted entity key -> the gold type most of its matched mentions carry, "none" when
    its mentions fall only on surfaces labelled as no entity of a kept type (``ignore``)."""
    votes: dict[str, dict[str, int]] = {}
    for g in golds:
        by_span = {(n.start, n.end): n for n in (normalise_span(g.body, m) for m in g.mentions)}
        for p in predicted.get(g.name, []):
            n = normalise_span(g.body, p)
            hit = by_span.get((n.start, n.end))
            label = hit.label if hit is not None else (
                "ignored" if any(n.start < e and s < n.end for s, e in g.ignore) else None)
            if label is not None:
                v = votes.setdefault(p.cluster, {})
                v[label] = v.get(label, 0) + 1
    out = {}
    for key, v in votes.items():
        real = {k: n for k, n in v.items() if k != "ignored"}
        out[key] = max(sorted(real), key=lambda k: real[k]) if real else "ignored"
    return out
