"""Dedup stage: find every copy of an article, exact or near, in this run and in all earlier ones.

Exact copies share the content hash of the normalised body. Near copies are found with MinHash LSH
over word shingles and confirmed on their true shingle overlap (see :mod:`pipeline.dedup.verify`).
Each article joins the cluster of its best verified match; the cluster's canonical is its
earliest published copy (else earliest first seen, ties by id), and the cluster id is the
canonical's article id, so it is the same whatever order copies arrive in.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

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

    links = _links(index, touched, first_new)
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
    canonical = _canonical(index, cluster)
    assert canonical is not None, f"cluster {cluster} has no member"
    return canonical


def _canonical(index: DedupIndex, cluster: int, before: int | None = None) -> int | None:
    """The canonical position of a cluster; with `before`, among the members older than it.

    The earliest published copy; among copies published at the same time (or all undated),
    one whose text is contained in a longer one's (a half-copied file, a cut teaser) gives
    way to that one, so readers get the complete text whichever arrived first."""
    members = [p for p in index.clusters[cluster] if before is None or p < before]
    if not members:
        return None
    best = min(members, key=lambda p: index.members[p].key)
    tied = [p for p in members if index.members[p].key[:2] == index.members[best].key[:2]]
    if len(tied) > 1:
        complete = [p for p in tied if not any(_contained(index, p, q) for q in tied)]
        best = min(complete or tied, key=lambda p: index.members[p].key)
    return best


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


def _links(index: DedupIndex, touched: set[int], first_new: int) -> list[DuplicateLink]:
    """Links of the new articles, and of every stored member of a cluster whose canonical changed."""
    links: list[DuplicateLink] = []
    for cluster in sorted(touched):
        canonical = _canonical_of(index, cluster)
        old_canonical = _canonical(index, cluster, before=first_new)
        if old_canonical is not None and old_canonical != canonical:
            # The stored canonical is now a copy of an earlier one: score it against the new canonical.
            index.members[old_canonical].similarity = round(pair_score(index, old_canonical, canonical), 4)
            changed = index.clusters[cluster]
        else:
            changed = [p for p in index.clusters[cluster] if p >= first_new]
        links.extend(_link(index, p) for p in changed)
    return links
