"""One entry per real-world event: mentions from several documents (or twice in one) merged.

Whether a mention may join a cluster, and how well, is decided in :mod:`dateline.merging.linking`
(evidence weighed: the event word, participants, place, figures, the day; dates that nest, "June
2024" and "19 June 2024"; never two different days). A source whose date is coarser or disagrees is
kept in the event's ``alternatives`` when the chosen date does not hold it. Generic references ("the
events since 24 February 2022") only join a specific event; they never stand alone. Mentions are
taken finest date first, each joins the best fitting cluster, and candidate clusters are looked up by
the keys linking defines and a date bucket at the mention's own precision (see ``_Index``), so merging
stays close to linear in the number of mentions.
"""

from __future__ import annotations

import gc
import hashlib
import heapq
import re
import threading
from bisect import bisect_left, insort
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from itertools import chain
from typing import Any, Generic, Protocol, TypeVar

from dateline.merging.evidence import OTHER, generic_unkeyed, threshold, weights
from dateline.merging.linking import Cluster, Probe, fits, months
from dateline.merging.names import surname_map, with_full_names
from dateline.model import DateValue, Document, DocumentResult, Event, EventDate, Mention, Source, event_order
from dateline.timex.values import display

#: a key whose candidate clusters number more than this is walked lazily (see ``_Index.best``)
_LAZY = 8

#: bucket numbers take the low bits of an index key, the key's number the high ones
_BUCKET_BITS = 20


def _bucket_keys(*buckets: int) -> tuple[int, ...]:
    """Bucket numbers as stored: offset by one so that the bucket before day 1 (-1) is not negative."""
    return tuple(b + 1 for b in buckets)


def _core_buckets(cluster: Cluster) -> tuple[int, ...]:
    """The buckets of a cluster's core date: the 8 days, month, year and decade it starts in."""
    start = cluster.core.start
    return _bucket_keys(cluster.start >> 3, start.year * 12 + start.month - 1, start.year, start.year // 10)


def _lookup(p: Probe) -> tuple[int, range]:
    """The level, and the buckets at that level, that hold the core of every cluster ``p`` fits."""
    d = p.date
    if d.span_days <= 7:  # a day or a week: 8-day buckets
        level, first, last = 0, p.lo >> 3, p.hi >> 3
    elif (d.end.year - d.start.year) * 12 + d.end.month - d.start.month < 4:
        level, first, last = 1, d.start.year * 12 + d.start.month - 1, d.end.year * 12 + d.end.month - 1
    elif d.end.year - d.start.year < 2:
        level, first, last = 2, d.start.year, d.end.year
    else:
        level, first, last = 3, d.start.year // 10, d.end.year // 10
    return level, range(first + 1, last + 2)  # as ``_bucket_keys`` stores them


class _Index:
    """Where to look for the cluster a mention joins, so that merging stays near linear.

    Mentions are merged finest date first, so a cluster's core date (its first, finest member) lies
    inside the date of any later mention that fits it. Each cluster is filed under the keys its
    members bring (:meth:`~dateline.merging.linking.Cluster.gains`), at the 8-day span, month, year and
    decade its core starts in. A mention looks at the one level whose buckets cover its own date in a
    few lookups (``_lookup``): 8-day spans, months, years or decades. So a year mention only meets
    clusters whose core starts in that year, and a decade mention makes one lookup per key, not 120.

    A common actor ("Russia") or event word ("said") still gathers hundreds of clusters per year on a
    large corpus, and most of them fit a coarse mention equally well. A cluster's score is at most the
    evidence no key carries (:attr:`~dateline.merging.linking.Probe.unkeyed`) plus the weights of the
    mention's keys it holds, and every bucket is a list of cluster numbers in increasing order. So
    ``best`` scores the clusters of the small keys from the highest such bound down, then walks the
    large keys from the smallest, each in cluster order: a cluster not scored yet holds none of the
    keys already walked, which bounds its score, and one that can at most tie the best so far must
    hold the key being walked and loses the tie to a lower number, so the walk of a key stops at the
    first number past the best. The result is the one an exhaustive scan gives
    (``tests/test_merge_index.py`` checks it against a brute-force merge).
    """

    def __init__(self) -> None:
        #: (type slot, key) -> its number, the high bits of the index keys
        self.ids: dict[tuple[str, str], int] = {}
        #: per level (8 days, month, year, decade): key number and bucket -> cluster numbers, ascending
        self.levels: tuple[dict[int, list[int]], ...] = ({}, {}, {}, {})
        #: per cluster number: the buckets of its core date at each level
        self.cores: list[tuple[int, ...]] = []

    def add(self, ci: int, cluster: Cluster, p: Probe) -> None:
        """File ``cluster`` (number ``ci``) under what ``p`` brings it; call before ``cluster.add(p)``."""
        if ci == len(self.cores):  # a new cluster: its core is its first member's date
            self.cores.append(_core_buckets(cluster))
        new = cluster.gains(p, roles=False)  # a candidate needs positive evidence: weighted keys
        if not new:
            return  # the usual case once a cluster has a few members
        ids = self.ids
        filed = [ids.setdefault(key, len(ids)) << _BUCKET_BITS for key in new]
        for level, bucket in zip(self.levels, self.cores[ci], strict=True):
            get = level.get
            for number in filed:
                members = get(number | bucket)
                if members is None:
                    level[number | bucket] = [ci]
                elif members[-1] < ci:
                    members.append(ci)
                else:
                    insort(members, ci)

    def best(self, clusters: list[Cluster], p: Probe) -> int | None:
        """The cluster ``p`` joins: the highest ``fits`` score, the lowest number among equals.

        The walk of :func:`walk_lazily`, with one more cut: a candidate is scored only if the keys it
        holds (the small keys counted as they are gathered, the large ones looked up by bisection)
        let it beat the best so far, so the result is the one every candidate scored gives.
        """
        held: dict[int, int] = {}  # cluster number -> the weight of the small keys it holds
        large: list[tuple[int, int, list[list[int]]]] = []  # (size, weight, lists) of each large key
        at, buckets = _lookup(p)
        ids, get, lazy = self.ids, self.levels[at].get, _LAZY
        bucket = buckets[0] if len(buckets) == 1 else None  # the usual case: one bucket
        for key, weight in p.keys.items():
            number = ids.get(key) if weight else None
            if number is None:
                continue  # no cluster has this key at all, or it is a weightless key of roles
            base = number << _BUCKET_BITS
            if bucket is not None:
                hit = get(base | bucket)
                lists = [hit] if hit else []
                size = len(hit) if hit else 0
            else:
                lists = [hit for b in buckets if (hit := get(base | b))]
                size = sum(map(len, lists))
            if size > lazy:
                large.append((size, weight, lists))
            else:
                for members in lists:  # a cluster's core lies in one bucket: once per key
                    for ci in members:
                        held[ci] = held.get(ci, 0) + weight
        first, last = p.lo, p.hi  # the days a fitting cluster's core starts on
        unkeyed, least = p.unkeyed, threshold()
        top, best = 0, -1  # the highest score so far, and the lowest number that has it
        if held:
            ranked = []
            for ci, weight in held.items():
                if first <= clusters[ci].start <= last:
                    ranked.append((-(unkeyed + weight + _held_weight(large, ci)), ci))
            ranked.sort()  # the highest bound first, then the lowest number
            for bound, ci in ranked:
                if -bound < top or -bound < least or (-bound == top and ci > best):
                    break  # neither this one nor any after it can fit and beat the best
                score = fits(clusters[ci], p)
                if score > top or (score and score == top and ci < best):
                    top, best = score, ci
        if not large:
            return best if top else None
        large.sort(key=lambda g: g[0])
        seen = set(held)
        #: the highest score of a cluster not scored yet: it shares only large keys not yet walked
        bound = unkeyed + sum(weight for _, weight, _ in large)
        for i, (_, weight, lists) in enumerate(large):
            if top > bound:
                break
            rest = large[i + 1 :]
            # the buckets hold other clusters each: their union, in order (runs that a sort merges)
            for ci in lists[0] if len(lists) == 1 else sorted(chain.from_iterable(lists)):
                if top >= bound and top and ci > best:
                    break  # a cluster that can at most tie the best holds this key, and comes later
                if ci in seen:
                    continue
                seen.add(ci)
                if not first <= clusters[ci].start <= last:
                    continue
                if rest:
                    # the most it scores: it holds this key, and perhaps later ones (one it held of the
                    # keys walked before, that walk stopped short of: it cannot beat the best anyway)
                    most = unkeyed + weight + _held_weight(rest, ci)
                    if most < top or most < least or (most == top and ci > best):
                        continue
                score = fits(clusters[ci], p)
                if score > top or (score and score == top and ci < best):
                    top, best = score, ci
            bound -= weight
        return best if top else None


def _held_weight(large: list[tuple[int, int, list[list[int]]]], ci: int) -> int:
    """The weight of the keys of ``large`` (size, weight, ascending lists) that hold cluster ``ci``."""
    total = 0
    for _, weight, lists in large:
        for members in lists:
            i = bisect_left(members, ci)
            if i < len(members) and members[i] == ci:
                total += weight
                break
    return total


class _Ordered(Protocol):
    def __lt__(self, other: Any, /) -> bool: ...
    def __gt__(self, other: Any, /) -> bool: ...


#: a cluster's number in a walk: its index in a merge, its order in an archive
N = TypeVar("N", bound=_Ordered)


class Best(Generic[N]):
    """The best cluster so far of a lazy walk: the highest score, the lowest number among equals."""

    __slots__ = ("number", "score")

    def __init__(self) -> None:
        self.number: N | None = None
        self.score = 0

    def may_take(self, number: N, most: int) -> bool:
        """Whether a cluster numbered ``number`` that scores at most ``most`` can become the best:
        ``offer`` takes only a higher score, or as much from a lower number, and ``fits`` gives 0
        or at least the threshold (so a cluster that cannot need not be built and scored)."""
        top = self.score
        if most < top or most < threshold():
            return False
        return not (most == top and self.number is not None and number > self.number)

    def offer(self, number: N, score: int) -> None:
        if score > self.score or (
            score and score == self.score and self.number is not None and number < self.number
        ):
            self.number, self.score = number, score


def walk_lazily(
    small: Sequence[Sequence[N]],
    large: list[tuple[int, int, Sequence[Sequence[N]]]],
    unkeyed: int,
    consider: Callable[[N], None],
    found: Best[N],
) -> None:
    """Offer ``found`` the clusters of the small keys in full, then walk the large keys (size, weight,
    lists of cluster numbers, each ascending) from the smallest, stopping as soon as no cluster not
    yet seen can beat the best (see :class:`_Index`)."""
    for members in small:
        for number in members:
            consider(number)
    large.sort(key=lambda g: g[0])
    #: the highest score of a cluster not scored yet: it shares only large keys not yet walked
    bound = unkeyed + sum(weight for _, weight, _ in large)
    for _, weight, lists in large:
        if found.score > bound:
            break
        for number in lists[0] if len(lists) == 1 else heapq.merge(*lists):
            if found.score >= bound and found.number is not None and number > found.number:
                break  # a cluster that can at most tie the best holds this key, and comes later
            consider(number)
        bound -= weight


class _GenericIndex:
    """Candidates for generic references, which come after every specific mention and match any type.

    A generic reference meets the clusters that share one of its actors, its place or its event word
    in the members they had before the generic pass, and whose core date shares a calendar month with
    its date (a generic date may be finer or coarser than the cluster's core, so no finest-first
    argument bounds it). It joins the single best fitting one, and none when the best score is tied,
    so every fitting candidate's score counts. A candidate's score is at most the evidence no key
    carries plus the weights of the keys it holds, counted as the candidates are gathered; they are
    scored from the highest bound down, until the best so far is above the bounds left, or tied at
    them. Clusters that generic members already joined are scored first, as their actors have grown.
    """

    def __init__(self, clusters: list[Cluster]) -> None:
        self.by_year: dict[tuple[int, str], list[int]] = defaultdict(list)
        #: the clusters a generic member joined: their scores may exceed their keys' weights
        self.grown: set[int] = set()
        for ci, c in enumerate(clusters):
            keys = c.keys()
            for year in range(c.core.start.year, c.core.end.year + 1):
                for key in keys:
                    self.by_year[(year, key)].append(ci)

    def joined(self, ci: int) -> None:
        """Note that a generic member joined cluster ``ci``: its score may now exceed its keys' weights."""
        self.grown.add(ci)

    def choose(self, clusters: list[Cluster], p: Probe) -> int | None:
        """The one cluster the generic ``p`` can only mean, or None (nothing fits, or a tie)."""
        d = p.date
        years = range(d.start.year, d.end.year + 1)
        span = months(d)
        w = weights()
        #: the evidence no key carries: the base, the same day (only for a day), a broader word
        unkeyed = generic_unkeyed() - (0 if p.day else w["same_day"])
        word = f"w:{p.word}"
        held: Counter[int] = Counter()  # candidate -> the weights of the keys it holds
        for key, weight in p.generic_keys().items():
            if key == word:
                weight -= w["broader"]  # a cluster that has the event word gains no broader word
            lists = [hit for y in years if (hit := self.by_year.get((y, key)))]
            if len(lists) > 1:  # a cluster whose core spans years is filed under each
                lists = [list(dict.fromkeys(chain.from_iterable(lists)))]
            if weight > 0:  # counted weight times over (in C, not a Python loop per cluster)
                held.update(chain.from_iterable(lists * weight))
            else:
                for ci in chain.from_iterable(lists):
                    held[ci] += weight
        top, count, best = 0, 0, -1

        def offer(ci: int) -> None:
            nonlocal top, count, best
            c = clusters[ci]
            if c.months.start >= span.stop or span.start >= c.months.stop:
                return
            s = fits(c, p, any_type=True)
            if s > top:
                top, count, best = s, 1, ci
            elif s and s == top:
                count += 1

        grown = self.grown.intersection(held)
        for ci in grown:
            offer(ci)
        least = threshold()
        for ci, weight in held.most_common():  # the highest bound first
            bound = unkeyed + weight
            if bound < top or bound < least or (bound == top and count > 1):
                break  # the rest can neither beat the best nor undo a tie
            if ci not in grown:
                offer(ci)
        return best if count == 1 else None


def _event_id(members: list[Mention]) -> str:
    """A hash of the earliest source: stable for the same input; the date keeps apart two occurrences
    one verb reports ("postponed twice: in January and on March 4")."""
    key = min(f"{m.document_id}:{m.start}:{m.trigger.start}:{m.date.value}" for m in members)
    return "ev_" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:12]


def _choose_date(members: list[Mention]) -> tuple[DateValue, list[DateValue]]:
    """The most precise value that most sources allow; values it contradicts become alternatives."""
    if len(members) == 1:  # most events have one source
        return members[0].date, []
    counts = Counter(m.date for m in members)  # a large event has many members but few distinct dates
    candidates = sorted(counts, key=lambda d: (d.span_days, d.value))

    def support(d: DateValue) -> int:
        return sum(n for other, n in counts.items() if other.contains(d))

    best = max(candidates, key=lambda d: (support(d), -d.span_days))
    alternatives = sorted(
        (d for d in counts if not d.contains(best) and not best.contains(d)),
        key=lambda d: (d.start, d.value),
    )
    return best, alternatives


_WORDS = re.compile(r"\w+")


def _title(members: list[Mention], actors: list[str], etype: str) -> str:
    if len(members) == 1:
        return members[0].title
    surnames = [a.split()[-1] for a in actors]

    def score(m: Mention) -> tuple[int, int, int, int, int]:
        words = _WORDS.findall(m.title)
        mentions_actor = sum(1 for name in surnames if name in m.title)
        finite = int(m.trigger.text.lower().endswith("ed") or m.trigger.text.lower() not in m.title.lower())
        return (int(not m.generic), int(m.type == etype), finite, mentions_actor, -abs(len(words) - 8))

    return max(members, key=score).title


def _build_event(cluster: Cluster, documents: dict[str, Document], displays: dict[DateValue, str]) -> Event:
    """The event of ``cluster``; ``displays`` caches the rendering of each date value over one merge."""
    members = cluster.members
    if len(members) > 1:
        members = sorted(members, key=lambda m: (m.document_id, m.start, m.trigger.start))
    value, alternatives = _choose_date(members)
    specific = [m for m in members if not m.generic] or members
    typed = [m.type for m in specific if m.type != OTHER] or [OTHER]  # an untyped report names no type
    etype = typed[0] if len(typed) == 1 else Counter(typed).most_common(1)[0][0]
    if len(members) == 1 and len(cluster.actors) == len(members[0].actors):
        actors = list(cluster.actors)  # each named once: in the order of the one source
    else:  # the most often named first, then in order of appearance
        first_seen: dict[str, int] = {}
        for i, m in enumerate(members):
            for a in m.actors:
                first_seen.setdefault(a, i)
        ranked = sorted(cluster.actors.items(), key=lambda kv: (-kv[1], first_seen.get(kv[0], len(members))))
        actors = [a for a, _ in ranked]
    location = cluster.places.most_common(1)[0][0] if cluster.places else None
    sources = [Source(mention=m, document=documents[m.document_id]) for m in members]
    if len(sources) > 1:
        sources.sort(
            key=lambda s: (s.document.published.value or value.start, s.document.id, s.mention.start)
        )
    shown = displays.get(value)
    if shown is None:
        shown = displays[value] = display(value)
    return Event(
        id=_event_id(members),
        title=_title(specific, actors, etype),
        type=etype,
        date=EventDate(date=value, display=shown, alternatives=alternatives),
        actors=actors,
        location=location,
        sources=sources,
    )


@contextmanager
def _cyclic_gc_paused() -> Iterator[None]:
    """Pause CPython's cycle collector while merging.

    A merge builds hundreds of thousands of long-lived containers (clusters, index buckets) and no
    reference cycles, so reference counting frees all it drops. Left on, the collector runs several
    full collections during a large merge, each walking the whole heap, the caller's corpus included:
    40 % of the time at 100k mentions, and more the bigger the caller's heap. A collector that is
    already off stays off; merges in several threads share one pause, which the last one to end lifts.
    """
    global _gc_pausers, _gc_was_enabled
    with _gc_lock:
        if _gc_pausers == 0:
            _gc_was_enabled = gc.isenabled()
            gc.disable()
        _gc_pausers += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_pausers -= 1
            if _gc_pausers == 0 and _gc_was_enabled:
                gc.enable()


_gc_lock = threading.Lock()
_gc_pausers = 0
_gc_was_enabled = True


def merge_mentions(results: Iterable[DocumentResult]) -> list[Event]:
    """Merge every mention of ``results`` into events, sorted by date start, then finer precision first."""
    with _cyclic_gc_paused():
        return _merge(results)


def _merge(results: Iterable[DocumentResult]) -> list[Event]:
    results = list(results)
    documents = {r.document.id: r.document for r in results}
    mentions = [m for r in results for m in r.mentions]
    surnames = surname_map(mentions)
    if surnames:
        mentions = [with_full_names(m, surnames) for m in mentions]

    probes = [Probe(m) for m in mentions]
    clusters: list[Cluster] = []
    index = _Index()
    order = sorted(
        (p for p in probes if not p.mention.generic),
        key=lambda p: (p.date.span_days, p.mention.document_id, p.mention.start, p.mention.trigger.start),
    )
    for p in order:
        best = index.best(clusters, p)
        if best is None:
            clusters.append(Cluster(p))
            best = len(clusters) - 1
        index.add(best, clusters[best], p)
        clusters[best].add(p)

    # generic references join the one specific event they can only mean, or are left out
    generics = [p for p in probes if p.mention.generic]
    if generics:
        generic = _GenericIndex(clusters)
        for p in generics:
            if (ci := generic.choose(clusters, p)) is not None:
                clusters[ci].add(p)
                generic.joined(ci)

    displays: dict[DateValue, str] = {}
    events = [_build_event(c, documents, displays) for c in clusters]
    events.sort(key=event_order)
    return events
