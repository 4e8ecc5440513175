"""Dedup stage: find every copy of an article, exact or near, in this run and in all earlier ones.

Exact copies share the content hash of the normalised body. Near copies are found with MinHash LSH
over word shingles and confirmed on their true shingle overlap (see :mod:`pipeline.dedup.verify`).
Each article joins the cluster of its best verified match. Among copies that arrive together
the cluster's canonical is the earliest published (else earliest first seen, ties by id; among
copies published together the most complete), so a batch gives the same clusters whatever order
it lists them in. A canonical stored by an earlier run keeps its place: its text is the one
entities and events were counted from, and a copy must change no count (docs/copies.md). Only
a genuinely more complete version (it contains the stored text and adds a paragraph and a
quarter to it, not counting its headline) that the rule above would also prefer displaces
it. The cluster id is the canonical's article id.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from pipeline.dedup import minhash
from pipeline.dedup.index import DedupIndex, Member, canonical_key, naive_utc
from pipeline.dedup.shingles import collapse_repeated_paragraphs, shingle_set, tokens
from pipeline.dedup.verify import overlap, pair_score, verified_matches
from pipeline.records import Article, DuplicateLink, Signature
from pipeline.settings import Settings
from pipeline.text import content_hash, word_count

__all__ = ["DedupIndex", "DedupOutput", "deduplicate", "prepare_body"]

# A line repeated within one article is dropped only if it has this many words: a repeated
# sentence-length line (a caption printed twice) is layout, a repeated "Yes." can be content.
REPEATED_PARAGRAPH_MIN_WORDS = 4


@dataclass
class DedupOutput:
    articles: list[Article]  # the input articles with is_duplicate/duplicate_of/similarity/cluster_id set
    signatures: list[Signature]  # signatures of articles not seen before (table article_signatures)
    links: list[DuplicateLink]  # verdicts of every affected article, stored ones whose canonical changed too


def prepare_body(article: Article) -> Article:
    """The article with repeated paragraphs collapsed (word count and content hash follow the body)."""
    body = collapse_repeated_paragraphs(article.body, REPEATED_PARAGRAPH_MIN_WORDS)
    if body == article.body:
        return article
    return dataclasses.replace(article, body=body, word_count=word_count(body), content_hash=content_hash(body))


def deduplicate(articles: list[Article], index: DedupIndex, settings: Settings) -> DedupOutput:
    """Mark every article as canonical or duplicate against `index` and each other.

    `index` grows with the new articles, so one index can serve consecutive batches. An article
    whose id is already indexed (a re-run on the same input) keeps its stored verdict.
    """
    prepared = [prepare_body(a) for a in articles]
    fresh: dict[str, Article] = {}
    for article in prepared:
        if article.article_id not in index.position:
            fresh.setdefault(article.article_id, article)
    # Arrival order within the batch is canonical order, so a batch alone gives the same clusters
    # however its articles were listed.
    ordered = sorted(fresh.values(), key=lambda a: canonical_key(
        naive_utc(a.published_at), naive_utc(a.first_seen_at), a.article_id))
    first_new = index.size
    shingle_sets = [shingle_set(tokens(a.body), settings.shingle_size) for a in ordered]
    for article, shingles in zip(ordered, shingle_sets, strict=True):
        index.append(Member(
            article_id=article.article_id, content_hash=article.content_hash,
            published_at=naive_utc(article.published_at), first_seen_at=naive_utc(article.first_seen_at),
            shingle_count=len(shingles), cluster=-1), shingles, settings)
    sigs = minhash.signatures(shingle_sets, settings.minhash_perm)
    index.add_signatures(sigs)

    matches = verified_matches(index, index.candidate_pairs(first_new), settings)
    touched: set[int] = set()
    for position in range(first_new, index.size):
        member = index.members[position]
        match = _best_match(index, position, matches.get(position, []))
        if match is None:
            index.join(position, index.next_cluster)
        else:
            member.similarity, older = match
            index.join(position, index.members[older].cluster)
        touched.add(member.cluster)

    new_articles = {index.position[a.article_id]: a for a in ordered}
    links = _links(index, touched, first_new, new_articles, settings)
    by_id = {link.article_id: link for link in links}
    out_articles = []
    for article in prepared:
        link = by_id.get(article.article_id) or _link(index, index.position[article.article_id])
        by_id[article.article_id] = link
        out_articles.append(dataclasses.replace(
            article, is_duplicate=link.is_duplicate, duplicate_of=link.duplicate_of,
            similarity=link.similarity, cluster_id=link.cluster_id))
    links = list(by_id.values())
    signatures = [Signature(
        article_id=a.article_id, content_hash=a.content_hash, num_perm=settings.minhash_perm,
        hashvalues=sig.astype("<u4").tobytes(), shingle_count=len(shingles),
        published_at=a.published_at, first_seen_at=a.first_seen_at,
        shingle_hashes=shingles.astype("<u4").tobytes(), shingle_size=settings.shingle_size)
        for a, sig, shingles in zip(ordered, sigs, shingle_sets, strict=True)]
    return DedupOutput(articles=out_articles, signatures=signatures, links=links)


def _best_match(index: DedupIndex, position: int, verified: list) -> tuple[float, int] | None:
    """(score, older position) of the article this one copies, or None if it is new."""
    member = index.members[position]
    first_with_hash = index.by_hash.get(member.content_hash, position)
    if first_with_hash != position and member.shingle_count:
        return 1.0, first_with_hash  # same normalised body: exact duplicate
    if not verified:
        return None
    # Highest overlap wins; ties go to the older article so the choice does not depend on set order.
    score, older = max(verified, key=lambda m: (m[0], -m[1]))
    return round(score, 4), older


def _canonical_of(index: DedupIndex, cluster: int) -> int:
    """The canonical position of a cluster (a cluster always has a member)."""
    canonical = index.canonical.get(cluster)
    if canonical is None:
        canonical = _preferred(index, index.clusters[cluster])
        index.canonical[cluster] = canonical
    return canonical


def _preferred(index: DedupIndex, members: list[int]) -> int:
    """The copy readers should get among `members` arriving together.

    The earliest published; among copies published at the same time (or all undated), one
    whose text is contained in a longer one's (a half-copied file, a cut teaser) gives way to
    that one, so readers get the complete text whichever arrived first."""
    best = min(members, key=lambda p: index.members[p].key)
    tied = [p for p in members if index.members[p].key[:2] == index.members[best].key[:2]]
    if len(tied) > 1:
        complete = [p for p in tied if not any(_contained(index, p, q) for q in tied)]
        best = min(complete or tied, key=lambda p: index.members[p].key)
    return best


def _stored_canonical(index: DedupIndex, cluster: int, first_new: int) -> int | None:
    """The canonical the cluster had before this batch, None for a cluster new in it."""
    canonical = index.canonical.get(cluster)
    if canonical is not None and canonical < first_new:
        return canonical
    stored = [p for p in index.clusters[cluster] if p < first_new]
    return _preferred(index, stored) if stored else None


def _settle(index: DedupIndex, cluster: int, first_new: int, new_articles: dict[int, Article],
            settings: Settings) -> int:
    """The canonical of a cluster this batch touched (recorded in `index.canonical`).

    A stored canonical stays unless a new copy is preferred to it and genuinely more complete:
    an exact copy, an equal-content copy under another name or date, or one that only adds a
    headline or a caption never displaces the text the counts were made from."""
    stored = _stored_canonical(index, cluster, first_new)
    new = [p for p in index.clusters[cluster] if p >= first_new]
    if stored is None:
        canonical = _preferred(index, new)
    else:
        best = _preferred(index, [stored, *new])
        more_complete = best != stored and _adds_text(index, best, stored, new_articles[best], settings)
        canonical = best if more_complete else stored
    index.canonical[cluster] = canonical
    return canonical


def _adds_text(index: DedupIndex, whole: int, part: int, article: Article, settings: Settings) -> bool:
    """Whether `whole` (the new `article`) contains `part` and adds a paragraph and a share of
    its text to it (`more_complete_min_*`). Lines that only repeat its title do not count: a
    page prints its headline above the text a file has under its title line."""
    if not _contained(index, part, whole):
        return False
    known = index.shingles[part]
    assert known is not None  # _contained holds only when both sets are known
    untitled = shingle_set(tokens(_without_title(article)), settings.shingle_size)
    added = int(np.setdiff1d(untitled, known, assume_unique=True).size)
    return added >= max(settings.more_complete_min_words, settings.more_complete_min_share * len(known))


def _without_title(article: Article) -> str:
    title = tokens(article.title or "")
    if not title:
        return article.body
    return "\n".join(line for line in article.body.split("\n") if tokens(line) != title)


def _contained(index: DedupIndex, part: int, whole: int) -> bool:
    """Whether `part` is a shorter copy wholly contained in `whole` (exact shingle sets only)."""
    a, b = index.shingles[part], index.shingles[whole]
    if a is None or b is None or len(b) <= len(a):
        return False
    return overlap(a, b)[1] >= index.containment_threshold


def _link(index: DedupIndex, position: int) -> DuplicateLink:
    member = index.members[position]
    canonical = _canonical_of(index, member.cluster)
    canonical_id = index.members[canonical].article_id
    if canonical == position:
        return DuplicateLink(member.article_id, False, None, None, canonical_id)
    if member.similarity is None:  # it came first and a more complete copy displaced it
        member.similarity = round(pair_score(index, position, canonical), 4)
    return DuplicateLink(member.article_id, True, canonical_id, member.similarity, canonical_id)


def _links(index: DedupIndex, touched: set[int], first_new: int, new_articles: dict[int, Article],
           settings: Settings) -> list[DuplicateLink]:
    """Links of the new articles, and of every stored member of a cluster whose canonical changed."""
    links: list[DuplicateLink] = []
    for cluster in sorted(touched):
        old_canonical = _stored_canonical(index, cluster, first_new)
        canonical = _settle(index, cluster, first_new, new_articles, settings)
        if old_canonical is not None and old_canonical != canonical:
            # The stored canonical is now a copy of a more complete one: score it against it.
            index.members[old_canonical].similarity = round(pair_score(index, old_canonical, canonical), 4)
            changed = index.clusters[cluster]
        else:
            changed = [p for p in index.clusters[cluster] if p >= first_new]
        links.extend(_link(index, p) for p in changed)
    return links
