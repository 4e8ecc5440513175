"""The dedup index: every article seen so far, in memory, as arrays.

Holds per article its MinHash signature, LSH band keys, sorted shingle-hash set (when known),
content hash, dates and cluster. History is rebuilt from stored signatures and links without
recomputing any MinHash. Articles are numbered in arrival order; candidate pairs always point
from a newer article to an older one.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import numpy as np

from pipeline.dedup import minhash
from pipeline.errors import ConfigError
from pipeline.records import DuplicateLink, Signature
from pipeline.settings import Settings

# In an LSH bucket shared by very many articles (hundreds of copies of one wire story), pairing
# each article with every earlier one is quadratic. Pairing it with the few nearest earlier ones
# in the bucket is enough: those are copies too, and one verified match places it in the cluster.
BUCKET_NEIGHBOURS = 8

_FAR_FUTURE = datetime.max


def naive_utc(value: Any) -> datetime | None:
    """A timestamp as naive UTC (DuckDB returns naive, feeds give aware); None for missing/NaT."""
    if value is None:
        return None
    if not isinstance(value, datetime):
        return None
    if value != value:  # pandas.NaT is a datetime subclass that is not equal to itself
        return None
    if hasattr(value, "to_pydatetime"):
        value = value.to_pydatetime()
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value


def canonical_key(published_at: datetime | None, first_seen_at: datetime | None, article_id: str) -> tuple:
    """Sort key of the canonical copy: earliest published, else earliest first seen, then id."""
    return (published_at is None, published_at or _FAR_FUTURE,
            first_seen_at is None, first_seen_at or _FAR_FUTURE, article_id)


def _get(row: Any, name: str, default: Any = None) -> Any:
    """Read a field from a Signature/DuplicateLink record or from a mapping (a DataFrame row)."""
    if isinstance(row, dict):
        value = row.get(name, default)
    else:
        value = getattr(row, name, default)
    if isinstance(value, float) and math.isnan(value):
        return default
    return value


@dataclass
class Member:
    article_id: str
    content_hash: str
    published_at: datetime | None
    first_seen_at: datetime | None
    shingle_count: int
    cluster: int
    similarity: float | None = None

    @property
    def key(self) -> tuple:
        return canonical_key(self.published_at, self.first_seen_at, self.article_id)


@dataclass
class DedupIndex:
    num_perm: int
    shingle_size: int
    bands: int
    rows: int
    members: list[Member] = field(default_factory=list)
    position: dict[str, int] = field(default_factory=dict)
    by_hash: dict[str, int] = field(default_factory=dict)  # content hash -> first article with it
    shingles: list[np.ndarray | None] = field(default_factory=list)  # None: only the signature is known
    near_dup_eligible: list[bool] = field(default_factory=list)
    clusters: dict[int, list[int]] = field(default_factory=dict)  # cluster number -> positions
    # cluster number -> position of its canonical, as stored: the version whose text was counted
    canonical: dict[int, int] = field(default_factory=dict)
    next_cluster: int = 0
    containment_threshold: float = 1.0  # a copy contained this much in a longer one is the lesser copy
    _sig_chunks: list[np.ndarray] = field(default_factory=list)
    _key_chunks: list[np.ndarray] = field(default_factory=list)

    @classmethod
    def empty(cls, settings: Settings) -> DedupIndex:
        bands, rows = minhash.band_params(settings.lsh_threshold, settings.minhash_perm)
        return cls(num_perm=settings.minhash_perm, shingle_size=settings.shingle_size, bands=bands, rows=rows,
                   containment_threshold=settings.containment_threshold)

    @classmethod
    def from_history(cls, signatures: Iterable[Signature], links: Iterable[DuplicateLink],
                     settings: Settings) -> DedupIndex:
        """Rebuild from stored signatures (hashvalues bytes) and verdicts; no MinHash is recomputed.

        A stored signature made with another permutation count is rebuilt from its stored shingle
        set when there is one; without it the article could never be compared, so that is an error.
        """
        index = cls.empty(settings)
        cluster_of_link = {_get(link, "article_id"): _get(link, "cluster_id") for link in links}
        sim_of_link = {_get(link, "article_id"): _get(link, "similarity") for link in links}
        rows = sorted(signatures, key=lambda s: canonical_key(
            naive_utc(_get(s, "published_at")), naive_utc(_get(s, "first_seen_at")), _get(s, "article_id")))
        sigs: list[np.ndarray] = []
        cluster_numbers: dict[str, int] = {}
        for row in rows:
            article_id = _get(row, "article_id")
            if article_id in index.position:
                continue
            raw_shingles = _get(row, "shingle_hashes", b"") or b""
            shingles = np.frombuffer(bytes(raw_shingles), dtype="<u4").astype(np.uint32) if raw_shingles else None
            if shingles is not None and (_get(row, "shingle_size", 0) or 0) not in (0, settings.shingle_size):
                shingles = None  # shingled with another size: not comparable with new sets
            num_perm = int(_get(row, "num_perm"))
            if num_perm == settings.minhash_perm:
                sig = np.frombuffer(bytes(_get(row, "hashvalues")), dtype="<u4").astype(np.uint32)
            elif shingles is not None:
                sig = minhash.signatures([shingles], settings.minhash_perm)[0]
            else:
                raise ConfigError(
                    f"stored signature of {article_id} has {num_perm} permutations, settings say "
                    f"{settings.minhash_perm}", item=article_id,
                    hint="set minhash_perm back to the stored value, or re-run dedup over the stored bodies")
            cluster_name = cluster_of_link.get(article_id) or article_id
            cluster = cluster_numbers.setdefault(cluster_name, len(cluster_numbers))
            if cluster_name == article_id:
                index.canonical[cluster] = len(index.members)
            index.append(Member(
                article_id=article_id, content_hash=_get(row, "content_hash"),
                published_at=naive_utc(_get(row, "published_at")),
                first_seen_at=naive_utc(_get(row, "first_seen_at")),
                shingle_count=int(_get(row, "shingle_count")), cluster=cluster,
                similarity=sim_of_link.get(article_id)), shingles, settings)
            sigs.append(sig)
        if sigs:
            index.add_signatures(np.vstack(sigs))
        return index

    # --- growing -----------------------------------------------------------------------------
    def append(self, member: Member, shingles: np.ndarray | None, settings: Settings) -> int:
        position = len(self.members)
        self.members.append(member)
        self.position[member.article_id] = position
        self.by_hash.setdefault(member.content_hash, position)
        self.shingles.append(shingles)
        self.near_dup_eligible.append(member.shingle_count + settings.shingle_size - 1
                                      >= settings.min_words_for_near_dup)
        if member.cluster >= 0:  # new articles get their cluster after matching (see join)
            self.join(position, member.cluster)
        return position

    def join(self, position: int, cluster: int) -> None:
        self.members[position].cluster = cluster
        self.clusters.setdefault(cluster, []).append(position)
        self.next_cluster = max(self.next_cluster, cluster + 1)

    def add_signatures(self, sigs: np.ndarray) -> None:
        """Signatures of the articles appended last, in the same order."""
        self._sig_chunks.append(sigs)
        self._key_chunks.append(minhash.band_keys(sigs, self.bands, self.rows))

    @property
    def size(self) -> int:
        return len(self.members)

    def signature_matrix(self) -> np.ndarray:
        if len(self._sig_chunks) > 1:
            self._sig_chunks = [np.vstack(self._sig_chunks)]
        return self._sig_chunks[0] if self._sig_chunks else np.empty((0, self.num_perm), np.uint32)

    def key_matrix(self) -> np.ndarray:
        if len(self._key_chunks) > 1:
            self._key_chunks = [np.vstack(self._key_chunks)]
        return self._key_chunks[0] if self._key_chunks else np.empty((0, self.bands), np.uint64)

    # --- candidates ----------------------------------------------------------------------------
    def candidate_pairs(self, first_new: int) -> np.ndarray:
        """(older, newer) position pairs sharing at least one LSH band, newer >= first_new.

        Per band, positions are sorted by key (stably, so by position within a bucket) and each
        one is paired with up to BUCKET_NEIGHBOURS earlier positions of its bucket.
        """
        keys = self.key_matrix()
        eligible = np.flatnonzero(np.array(self.near_dup_eligible, dtype=bool))
        if len(eligible) < 2:
            return np.empty((0, 2), dtype=np.int64)
        found = []
        for band in range(self.bands):
            band_keys = keys[eligible, band]
            order = np.argsort(band_keys, kind="stable")
            sorted_keys, sorted_pos = band_keys[order], eligible[order]
            for lag in range(1, min(BUCKET_NEIGHBOURS, len(order) - 1) + 1):
                same = sorted_keys[lag:] == sorted_keys[:-lag]
                newer = sorted_pos[lag:][same]
                older = sorted_pos[:-lag][same]
                keep = newer >= first_new
                if keep.any():
                    found.append(older[keep] * (1 << 32) + newer[keep])
                if not same.any():
                    break
        if not found:
            return np.empty((0, 2), dtype=np.int64)
        packed = np.unique(np.concatenate(found))
        return np.stack([packed >> 32, packed & 0xFFFFFFFF], axis=1)
