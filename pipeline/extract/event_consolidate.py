"""Consolidation: mentions of one real event, across articles and runs, become one event row.

Two mentions are one event when their types belong to one family (a CAMEO root), their dates
agree at compatible precision (one day either side for days: outlets in different time zones
date a late-evening call differently; a month or a year contains the day), and who acted
agrees: source and target (either way round: "Russia met the US" and "US and Russian
officials met"), not merely a shared name. Where the parse left a role empty, what one mention
names must be named by the other (a mention that names nobody in a role needs two of the
other's actors). Otherwise only strong evidence ties them: the same place and both actors, or
one article telling the same thing twice (same day, same source). Besides:

- a speaker alone does not make two statements one (a spokesman says many things a day);
- something that did not happen is not the thing that did, nor is something that may happen
  ("could request") the thing that did (a plan and a possibility may be one event to come);
- a year-level date joins only when source and target both agree (many things happen "in
  2005"), and a coarse "in December" a day only through named people, organisations or place;
- mentions from one article with different days are different events (the article itself
  tells them apart);
- a mention dated only by its article's report day (no date in its sentence) needs source and
  target to agree, and a date in the text not after that day; a date in the text decides the
  event's date over report days.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from pipeline.extract.dates import value_to_range

DAY_TOLERANCE = 1
STATEMENT_FAMILY = "make_public_statement"  # CAMEO 01, the family of every coded statement
_IS_NOT = "negated"
_MAY_BE = "hypothetical"


@dataclass
class Member:
    """One mention as consolidation sees it (new candidates and stored mentions alike)."""

    key: tuple[str, int, str]  # (article_id, start_char, event_type): the loader's upsert key
    article_id: str
    event_type: str
    family: str
    date_value: str | None
    granularity: str | None
    actors: list[str]
    location: str | None
    confidence: float
    strong: bool
    actor_keys: frozenset[str] = frozenset()  # entity ids plus "cc:<country>" for states and peoples
    specific: frozenset[str] = frozenset()  # the actors that are people or organisations
    modality: str | None = None
    dated: bool = True  # its date rests on a publication date, the text, or a corroborated event
    # The CAMEO coding, voted over members for the event row (None for stored pre-CAMEO rows).
    cameo_code: str | None = None
    actor1: str | None = None
    actor2: str | None = None
    actor1_code: str | None = None
    actor2_code: str | None = None
    # Keys of the source and of the target (empty where the parse found none), and of each
    # actor in ``actors`` (an entity id, plus "cc:<country>" for a state or people).
    roles: tuple[frozenset[str], frozenset[str]] = (frozenset(), frozenset())
    groups: tuple[frozenset[str], ...] = ()
    # Its date is only the day its article was reported (no date in the sentence): the event
    # happened on or before it.
    anchored: bool = False

    @property
    def filled(self) -> list[frozenset[str]]:
        """The roles the parse filled (source first)."""
        return [r for r in self.roles if r]

    @property
    def actor_groups(self) -> tuple[frozenset[str], ...]:
        return self.groups or tuple(frozenset({a}) for a in self.actors)

    @property
    def all_keys(self) -> frozenset[str]:
        return self.actor_keys or frozenset(self.actors)

    @property
    def content_key(self) -> tuple:
        """What the mention says and where in its article, without the article's id (ids derive
        from file paths and feed URLs: ties broken by them group the same news differently
        when it arrives under other names)."""
        return (self.date_value or "", self.event_type, self.key[1], tuple(self.actors), self.location or "")


@dataclass
class Cluster:
    event_id: str
    members: list[Member] = field(default_factory=list)
    known: bool = False

    @property
    def family(self) -> str:
        return self.members[0].family

    def tie_key(self) -> tuple:
        """Ties between equally good events go to the smallest: by content, the id last."""
        return (min((m.content_key for m in self.members), default=()), self.event_id)

    def actors(self) -> set[str]:
        """Actor keys: "Russia", "Moscow" and "Russian" all stand for one state actor (cc:RU)."""
        return {k for m in self.members for k in (m.actor_keys or m.actors)}

    def named_actors(self) -> set[str]:
        """Actors that are people or organisations, not states or peoples."""
        return {a for m in self.members for a in m.specific}

    def locations(self) -> set[str]:
        return {m.location for m in self.members if m.location}

    def date(self) -> tuple[str | None, str | None]:
        """The event's date: the best-supported value among the finest-grained mentions."""
        cached = self.__dict__.get("_date")
        if cached is not None and cached[0] == len(self.members):
            return cached[1]
        self.__dict__["_date"] = (len(self.members), self._vote_date())
        return self.__dict__["_date"][1]

    def _vote_date(self) -> tuple[str | None, str | None]:
        dated = [m for m in self.members if m.date_value]
        # A date in the text outvotes any number of report days.
        dated = [m for m in dated if not m.anchored] or dated
        if not dated:
            return None, None
        order = ("day", "week", "month", "year")
        finest = min(order.index(m.granularity or "year") for m in dated)
        votes: defaultdict[str, float] = defaultdict(float)
        for m in dated:
            if m.date_value and order.index(m.granularity or "year") == finest:
                votes[m.date_value] += m.confidence + (0.5 if m.strong else 0.0)
        value = sorted(votes.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
        return value, order[finest]


def date_distance(a_value: str, a_gran: str | None, b_value: str, b_gran: str | None) -> int | None:
    """Days between two dates' periods; None when they cannot be the same event.

    One day of tolerance when either is a day (outlets in different time zones date a
    late-evening call differently); a month or year must contain the other date.
    """
    a0, a1 = value_to_range(a_value, a_gran)
    b0, b1 = value_to_range(b_value, b_gran)
    gap = max(0, (b0 - a1).days, (a0 - b1).days)
    tolerance = DAY_TOLERANCE if "day" in (a_gran, b_gran) else 0
    return gap if gap <= tolerance else None


def _named(groups: list[frozenset[str]] | tuple[frozenset[str], ...], keys: frozenset[str]) -> int:
    """How many of these actors (each a set of keys) ``keys`` names."""
    return sum(1 for g in groups if g & keys)


def _both_named(x: Member, y: Member) -> bool:
    """One names both actors of the other: its two roles, or two of its actors when the parse
    filled fewer roles."""
    for few, many in ((x, y), (y, x)):
        wanted = many.filled if len(many.filled) == 2 else many.actor_groups
        if _named(wanted, few.all_keys) >= 2:
            return True
    return False


def roles_agree(x: Member, y: Member) -> bool:
    """Who acted agrees: source and target, or what the parse filled of them."""
    (sx, tx), (sy, ty) = x.roles, y.roles
    if sx and tx and sy and ty:
        return bool(sx & sy and tx & ty or sx & ty and tx & sy)
    few, many = (x, y) if len(x.filled) <= len(y.filled) else (y, x)
    if len(many.filled) == 2:
        if few.filled:  # one role against two: the other names it
            return bool(few.filled[0] & many.all_keys)
        return _both_named(few, many)  # none against two: both named
    if len(many.filled) == 1:
        if STATEMENT_FAMILY in (x.family, y.family):
            return False  # a speaker alone: one spokesman says many things in a day
        return bool(many.filled[0] & (few.filled[0] if few.filled else few.all_keys))
    return _both_named(few, many)  # no roles on either side: two actors in common


def same_event(x: Member, y: Member) -> bool:
    """Two mentions, already of one family and compatible dates, say the same happening."""
    if (x.modality == _IS_NOT) != (y.modality == _IS_NOT) or {x.modality, y.modality} == {_MAY_BE, "occurred"}:
        # "could request a rehearing" is not the request made; what may happen and what is
        # planned ("would still be held", "is set for April") may be one event to come.
        return False
    if roles_agree(x, y):
        return True
    if x.location and x.location == y.location and _both_named(x, y):
        return True  # the same place and both actors
    (sx, _), (sy, _) = x.roles, y.roles
    # One article telling one happening twice: the same day or period, the same source.
    return (x.article_id == y.article_id and x.date_value == y.date_value
            and x.granularity == y.granularity and bool(sx & sy))


def _full_agreement(x: Member, y: Member) -> bool:
    (sx, tx), (sy, ty) = x.roles, y.roles
    return bool(sx and tx and sy and ty) and roles_agree(x, y)


def _anchor_fits(member: Member, cluster: Cluster, agreeing: list[Member], value: str) -> bool:
    """A report day is weak evidence of the event's date: a mention dated only by it joins (or
    is joined by) an event when source and target both agree and the other date is not after
    the report day (what was reported had happened)."""
    cluster_anchored = all(m.anchored for m in cluster.members if m.date_value)
    if not member.anchored and not cluster_anchored:
        return True
    if not any(_full_agreement(member, m) for m in agreeing):
        return False
    if member.anchored and not cluster_anchored:
        return value <= (member.date_value or "")
    if not member.anchored and cluster_anchored:
        return (member.date_value or "") <= value
    return True


def match_score(member: Member, cluster: Cluster) -> float | None:
    """How well a mention fits an event; None when it cannot be the same event."""
    if member.family != cluster.family or not member.date_value:
        return None
    value, gran = cluster.date()
    if value is None:
        return None
    distance = date_distance(member.date_value, member.granularity, value, gran)
    if distance is None:
        return None
    for other in cluster.members:
        if (other.article_id == member.article_id and other.granularity == "day"
                and member.granularity == "day" and other.date_value != member.date_value):
            return None
    agreeing = [m for m in cluster.members if same_event(member, m)]
    if not agreeing:
        return None
    if not _anchor_fits(member, cluster, agreeing, value):
        return None
    overlap = len(set(member.actor_keys or member.actors) & cluster.actors())
    same_place = member.location is not None and member.location in cluster.locations()
    if "year" in (member.granularity, gran) and not any(_full_agreement(member, m) for m in agreeing):
        # "in 2005" is a year of news: a Heineken statement and a General Motors one that both
        # say it, or share one actor, are not one event. Only source and target agreeing make it one.
        return None
    if member.granularity != gran and not same_place and not (member.specific & cluster.named_actors()):
        # A coarse "in December" fits a dated event only when it names the same people or
        # organisations (or place), not merely the same countries.
        return None
    type_bonus = 0.5 if any(m.event_type == member.event_type for m in cluster.members) else 0.0
    return 2.0 * overlap + (1.5 if same_place else 0.0) + type_bonus + 0.5 * len(agreeing) - 1.0 * distance


def best_cluster(member: Member, clusters: list[Cluster]) -> Cluster | None:
    """The best-scoring event; ties by ``Cluster.tie_key``, so neither the order of ``clusters``
    nor the names the articles came under decide."""
    best: tuple[float, Cluster] | None = None
    for cluster in clusters:
        score = match_score(member, cluster)
        if score is None:
            continue
        if best is None or score > best[0] or (score == best[0] and cluster.tie_key() < best[1].tie_key()):
            best = (score, cluster)
    return best[1] if best else None


def pattern_match(month_day: tuple[int, int] | None, weekday: int | None, family: str,
                  actors: frozenset[str], location: str | None, clusters: list[Cluster]) -> Cluster | None:
    """A dated event a year-less mention may refer to (same month-day or weekday).

    Used for articles whose only anchor is the time a file was read: their year is unknown,
    but "January 10" with the same actors and kind of event as a dated event is that event.
    A weekday alone is weak evidence, so it must point at exactly one event.
    """
    hits: list[tuple[float, Cluster]] = []
    for cluster in clusters:
        value, gran = cluster.date()
        if value is None or gran != "day" or cluster.family != family:
            continue
        if not any(m.dated for m in cluster.members):
            continue
        d = date.fromisoformat(value)
        overlap = len(set(actors) & cluster.actors())
        same_place = location is not None and location in cluster.locations()
        if not overlap and not same_place:
            continue
        if month_day is not None:
            try:
                candidate = date(d.year, *month_day)
            except ValueError:
                continue
            off = abs((candidate - d).days)
            if off > DAY_TOLERANCE:
                continue
            hits.append((2.0 * overlap + (1.5 if same_place else 0) - off, cluster))
        elif weekday is not None and d.weekday() == weekday:
            hits.append((2.0 * overlap + (1.5 if same_place else 0), cluster))
    if not hits:
        return None
    hits.sort(key=lambda h: (-h[0], h[1].tie_key()))
    if weekday is not None and month_day is None and len(hits) > 1 and hits[0][0] == hits[1][0]:
        return None
    return hits[0][1]


def _months(value: str, granularity: str | None) -> list[str]:
    """Calendar months a date touches, with the day of tolerance either side."""
    first, last = value_to_range(value, granularity)
    first, last = first - timedelta(days=DAY_TOLERANCE), last + timedelta(days=DAY_TOLERANCE)
    months, y, m = [], first.year, first.month
    while (y, m) <= (last.year, last.month):
        months.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return months


class ClusterIndex:
    """Events by family and month, so a mention is compared with the few events near its date
    rather than with the whole history."""

    def __init__(self) -> None:
        self.clusters: dict[str, Cluster] = {}
        self._pending: dict[str, Callable[[], Cluster]] = {}  # stored events not yet needed
        self._buckets: dict[tuple[str, str], set[str]] = defaultdict(set)
        self._placed: dict[str, list[tuple[str, str]]] = {}

    def _place(self, event_id: str, family: str, value: str | None, gran: str | None, dated: bool) -> None:
        for key in self._placed.pop(event_id, []):
            self._buckets[key].discard(event_id)
        keys = [(family, month) for month in _months(value, gran)] if value else []
        if value and gran == "day" and dated:
            d = date.fromisoformat(value)
            keys += [(family, f"md:{d.month}-{d.day}"), (family, f"wd:{d.weekday()}")]
        for key in keys:
            self._buckets[key].add(event_id)
        self._placed[event_id] = keys

    def put(self, cluster: Cluster) -> None:
        cluster.__dict__.pop("_date", None)  # members changed: vote the date again
        self._pending.pop(cluster.event_id, None)
        self.clusters[cluster.event_id] = cluster
        value, gran = cluster.date()
        self._place(cluster.event_id, cluster.family, value, gran, any(m.dated for m in cluster.members))

    def put_stored(self, event_id: str, family: str, value: str | None, gran: str | None,
                   build: Callable[[], Cluster]) -> None:
        """A stored event, placed by its stored date; its mentions are read only if a new
        mention comes near it (a warehouse holds far more events than one batch touches)."""
        self._pending[event_id] = build
        self._place(event_id, family, value, gran, True)

    def get(self, event_id: str) -> Cluster | None:
        build = self._pending.pop(event_id, None)
        if build is not None:
            self.clusters[event_id] = build()
        return self.clusters.get(event_id)

    def __getitem__(self, event_id: str) -> Cluster:
        """An event placed here, read now if only stored (KeyError for an unknown id)."""
        cluster = self.get(event_id)
        if cluster is None:
            raise KeyError(event_id)
        return cluster

    def near(self, member: Member) -> list[Cluster]:
        if not member.date_value:
            return []
        ids: set[str] = set()
        for month in _months(member.date_value, member.granularity):
            ids |= self._buckets.get((member.family, month), set())
        return [c for i in sorted(ids) if (c := self.get(i)) is not None]

    def dated_on(self, family: str, month_day: tuple[int, int] | None, weekday: int | None) -> list[Cluster]:
        """Day-dated events of a family on a month-day (give or take a day) or a weekday."""
        if month_day is not None:
            keys = []
            for shift in (-1, 0, 1):
                d = date(2000, *month_day) + timedelta(days=shift)  # 2000: a leap year has 29 Feb
                keys.append(f"md:{d.month}-{d.day}")
        else:
            keys = [f"wd:{weekday}"]
        ids = set().union(*(self._buckets.get((family, k), set()) for k in keys))
        return [c for i in sorted(ids) if (c := self.get(i)) is not None]
