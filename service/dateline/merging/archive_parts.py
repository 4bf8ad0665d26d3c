"""The parts of a kept merge (:mod:`dateline.merging.archive`): the mentions, generic references and
clusters it holds, their places in the merge order, and what one write changed."""

from __future__ import annotations

from collections import Counter
from collections.abc import Container
from dataclasses import dataclass, field
from functools import cache

from dateline.merging.evidence import weights
from dateline.merging.linking import Cluster, Probe, months
from dateline.model import DateValue, Event

Key = tuple[str, int]
#: a specific mention's place in the merge: span in days, document id, start, trigger start, seq
Order = tuple[int, str, int, int, int]
SlotKey = tuple[str, str]
#: the clusters that left and came into a set of them
Moved = tuple[list[Order], list[Order]]

#: the most partial cluster states an archive keeps (memory bounded on a long story; a few
#: hundred clusters are asked per write, the large ones again and again)
CURSORS = 4096
#: the changes of a cluster's members it remembers (see ``_Group.edits``)
_EDITS = 8


@dataclass
class MergedEvent:
    """An event and the stored mentions behind its sources (in source order)."""

    event: Event
    members: list[Key]


@dataclass
class Update:
    """What one :meth:`Archive.apply` changed: the events to store, and one mention key of each
    event it replaced (the stored events citing them are the stale ones: each cluster the archive
    holds is one stored event, so one of its members names it; all of them made the store look up
    a hundred keys for an event of a hundred sources)."""

    events: list[MergedEvent] = field(default_factory=list)
    stale_members: set[Key] = field(default_factory=set)


def _level(d: DateValue) -> tuple[int, int, int]:
    """The bucket level of a date, and its first and last bucket there (as the merge's ``_lookup``)."""
    if d.span_days <= 7:
        return 0, d.start.toordinal() >> 3, d.end.toordinal() >> 3
    if (d.end.year - d.start.year) * 12 + d.end.month - d.start.month < 4:
        return 1, d.start.year * 12 + d.start.month - 1, d.end.year * 12 + d.end.month - 1
    if d.end.year - d.start.year < 2:
        return 2, d.start.year, d.end.year
    return 3, d.start.year // 10, d.end.year // 10


def _buckets(d: DateValue) -> tuple[int, int, int, int]:
    """The buckets a cluster core starting at ``d`` is filed in, one per level."""
    s = d.start
    return (s.toordinal() >> 3, s.year * 12 + s.month - 1, s.year, s.year // 10)


class _Item:
    """One specific mention: its probe (surnames mapped), its place in the order, its score."""

    __slots__ = ("key", "most", "order", "probe", "score")

    def __init__(self, key: Key, probe: Probe) -> None:
        m = probe.mention
        self.key = key
        self.probe = probe
        self.order: Order = (m.date.span_days, key[0], m.start, m.trigger.start, key[1])
        #: the score it joined its cluster with (0: it founded it)
        self.score = 0
        #: the most any cluster scores for it (``bound`` with every key of its own type held): a
        #: cluster that changed cannot win it when this is below its score (``_attract``)
        self.most = bound(probe, probe.keys, None)


@cache
def _terms() -> tuple[int, int, int, int]:
    """The base, and the most a shared place and the event word (or a broader one) add to ``fits``."""
    w = weights()
    return w["base"], max(w["place"], 0), max(w["word"], w["broader"], 0), max(w["broader"], 0)


def bound(p: Probe, held: Container[SlotKey], most: int | None) -> int:
    """The most :func:`~dateline.merging.linking.fits` can give ``p`` against a cluster whose index
    keys are among ``held``: linking's bound (``unkeyed`` plus the weight of each key held), with
    the evidence ``fits`` counts once counted once. ``fits`` adds a shared place once however many
    of ``p``'s place parts (``p:`` keys) the cluster holds, and one of the same event word (any
    ``w:`` key: the word or the finer kind), a broader word (``b:``, or ``p``'s own word is one:
    then ``unkeyed`` holds it), a penalty, or nothing; every other key adds its weight at most once,
    as in linking's bound. ``most``: what to give when a key of another type's slot is held (the
    cross-type keys of an untyped report, weighted with all of ``p``'s evidence): ``p``'s bound
    with every key of its own slot held, which bounds any cluster (None: computing that)."""
    base, place, word, broader = _terms()
    slot = p.slot
    score = base
    places = words = False
    broad = p.unkeyed != base  # its own word is a broader word of its type
    for sk, w in p.keys.items():
        if sk not in held:
            continue
        s, k = sk
        if s != slot:
            if most is not None:
                return most
            continue
        c = k[0]
        if c == "p":
            places = True
        elif c == "w":
            words = True
        elif c == "b":
            broad = True
        else:
            score += w
    return score + (place if places else 0) + (word if words else broader if broad else 0)


class _Generic:
    """One generic reference: its probe, and the best score and clusters as of its last placing."""

    __slots__ = ("choice", "date", "key", "keys", "probe", "span", "top", "tops", "years")

    def __init__(self, key: Key, probe: Probe) -> None:
        self.key = key
        self.probe = probe
        #: the keys it meets clusters by, with the most each adds; its months and years
        self.keys = probe.generic_keys()
        self.span = months(probe.date)
        self.date = probe.date
        self.years = range(probe.date.start.year, probe.date.end.year + 1)
        self.choice: Order | None = None
        self.top: int | None = None  # None: not known (placed by a full merge)
        self.tops: set[Order] = set()


class _Group:
    """A cluster: its core (first member, its number), members in order, generic members."""

    __slots__ = (
        "core", "dropped", "edits", "filed", "generics", "gkeys", "members", "ordered", "state", "version",
    )  # fmt: skip

    def __init__(self, core: Order) -> None:
        self.core = core
        self.members: list[Order] = []
        #: (a tuple: most clusters have none, and the empty tuple is one object for all)
        self.generics: tuple[Key, ...] = ()
        self.filed: set[SlotKey] = set()
        self.state: Cluster | None = None  # all specific members, built on demand
        #: ``state`` took its members in the merge's order (what the event built from it reads:
        #: which of two actors named as often comes first is the order they came in)
        self.ordered = True
        self.gkeys: tuple[frozenset[str], range] = (frozenset(), range(0))
        #: counts changes of the members (specific or generic: what a cached state was built from)
        self.version = 0
        #: where the specific members changed, the last ``_EDITS`` changes (a partial state of the
        #: members before a place stays good while every change comes after its last member), and
        #: how many changes came before them
        self.edits: tuple[Order, ...] = ()
        self.dropped = 0

    def changed(self, at: Order) -> None:
        """The member ``at`` joined or left."""
        self.state = None
        self.version += 1
        if len(self.edits) < _EDITS:
            self.edits += (at,)
        else:
            self.edits = (*self.edits[1:], at)
            self.dropped += 1


def _kept(group: _Group, edits: int, n: int, asked: int) -> bool:
    """Whether the first ``n`` (up to ``asked``) members of ``group`` are the ones they were after
    its first ``edits`` changes: every change since came after the last of them."""
    since = edits - group.dropped
    if since < 0 or n > asked:
        return False  # changes it does not know of any more, or asked for fewer
    last = group.members[n - 1]
    return all(at > last for at in group.edits[since:])


def _copied(c: Cluster) -> Cluster:
    """A copy of ``c`` that takes members of its own (its containers copied, in their order)."""
    new = Cluster.__new__(Cluster)
    for name in Cluster.__slots__:
        value = getattr(c, name)
        setattr(new, name, value.copy() if isinstance(value, list | set | dict) else value)
    return new


def _cleared(c: Cluster, first: Probe) -> Cluster:
    """``c`` made ``Cluster(first)`` in place: its containers emptied and kept, the rest as a new
    state has it. A state built again into one no one holds leaves the collector nothing new (a
    new state is 16 containers that outlive the write and bring its next full pass closer)."""
    new = Cluster(first)
    for name in Cluster.__slots__:
        value = getattr(new, name)
        if isinstance(value, list | set | dict):
            getattr(c, name).clear()
        else:
            setattr(c, name, value)
    return c


def _in_order(c: Cluster, probes: list[Probe]) -> Cluster:
    """``c`` (the members ``probes``, taken in another order) as if they had come in the order of
    ``probes``, for an event: what it reads in their order is the members, and the order actors and
    places were first counted in (ties of the ranking, the most common place); the rest is shared
    with ``c``, to be read only. As ``Cluster.add`` counts them, without building the sets again."""
    new = Cluster.__new__(Cluster)
    for name in Cluster.__slots__:
        setattr(new, name, getattr(c, name))
    new.members = [p.mention for p in probes]
    new.actors = actors = Counter[str]()
    new.places = places = Counter[str]()
    for p in probes:
        actors.update(p.actors)
        if p.location:
            places[p.location] += 1
    return new
