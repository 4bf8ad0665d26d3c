"""What the kept merge (:mod:`dateline.merging.incremental`) holds: every mention with its probe and
its place in the merge order, every cluster with its members, and the indexes that find what a change
can reach: clusters by linking key and the calendar buckets of their core date (as the merge's own
index), mentions by linking key and the buckets their date covers, and clusters by the keys generic
references meet them by."""

from __future__ import annotations

from bisect import bisect_left, insort
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Self

from dateline.merging.cluster import Best, _build_event, merge_mentions, walk_lazily
from dateline.merging.linking import Cluster, Probe, fits, months
from dateline.merging.names import is_full_name, is_single_name, surname, with_full_names
from dateline.model import DateValue, Document, DocumentResult, Event, Mention

Key = tuple[str, int]
#: a specific mention's place in the merge: span in days, document id, start, trigger start, seq
Order = tuple[int, str, int, int, int]
SlotKey = tuple[str, str]

#: a key with more candidate clusters than this is walked lazily (as in the merge's index)
_LAZY = 8
#: the most partial cluster states an archive keeps (memory bounded on a long story; a few
#: hundred clusters are asked per write, the large ones again and again)
CURSORS = 4096


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

    __slots__ = ("held", "key", "order", "probe", "score")

    def __init__(self, key: Key, probe: Probe) -> None:
        m = probe.mention
        self.key = key
        self.probe = probe
        self.order: Order = (m.date.span_days, key[0], m.start, m.trigger.start, key[1])
        #: the score it joined its cluster with (0: it founded it)
        self.score = 0
        #: the index keys of the cluster this mention founds (as a member of another cluster, it
        #: brings that cluster the keys the cluster's own ``gains`` names: under the cluster's slot,
        #: with the cluster's (word, day) pairs)
        self.held = frozenset(Cluster(probe).gains(probe))


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

    __slots__ = ("core", "filed", "generics", "gkeys", "members", "state", "version")

    def __init__(self, core: Order) -> None:
        self.core = core
        self.members: list[Order] = []
        self.generics: list[Key] = []
        self.filed: set[SlotKey] = set()
        self.state: Cluster | None = None  # all specific members, built on demand
        self.gkeys: tuple[frozenset[str], range] = (frozenset(), range(0))
        #: counts changes of ``members`` (what a cached partial state was built from)
        self.version = 0

    def changed(self) -> None:
        self.state = None
        self.version += 1


class ArchiveState:
    """The state of a merge, indexed so that a change can be followed (see
    :mod:`dateline.merging.incremental`): mentions, clusters, and the surname map's counts."""

    def __init__(self) -> None:
        self.documents: dict[str, Document] = {}
        self.raw: dict[Key, Mention] = {}
        self.by_doc: dict[str, list[Key]] = {}
        self.items: dict[Order, _Item] = {}
        self.order_of: dict[Key, Order] = {}
        self.generics: dict[Key, _Generic] = {}
        self.groups: dict[Order, _Group] = {}
        self.assign: dict[Order, Order] = {}
        #: (level, slot key, bucket) -> cores of the clusters filed there, ascending
        self.gindex: dict[tuple[int, SlotKey, int], list[Order]] = {}
        #: (level, slot key, bucket) -> the specific mentions whose date covers that bucket
        self.mindex: dict[tuple[int, SlotKey, int], set[Order]] = defaultdict(set)
        #: (generic key, year) -> cores of clusters holding it before generics join (core years)
        self.gcand: dict[tuple[str, int], set[Order]] = defaultdict(set)
        #: (generic key, year) -> the generic references that have it, in a date over that year
        self.gusers: dict[tuple[str, int], set[Key]] = defaultdict(set)
        # the surname map: full name -> mentions naming it; surname -> full names; X -> mentions naming X
        self.full_count: Counter[str] = Counter()
        self.fulls: dict[str, set[str]] = defaultdict(set)
        self.singles: dict[str, set[Key]] = defaultdict(set)
        #: per cluster, the last partial state built (the group, its version, members, state): a
        #: pass asks for the states of one cluster at increasing places, so each one extends the
        #: last; kept from one write to the next (a cluster no write changed has the same partial
        #: states, and on a long story the large ones are asked again and again), for the
        #: ``CURSORS`` clusters asked last (a state not kept is built again from the members)
        self.cursors: dict[Order, tuple[_Group, int, int, Cluster]] = {}
        #: states of clusters with generic members, by (core, version, generic members before)
        self.generic_states: dict[tuple[Order, int, int], Cluster] = {}

    # --- building ---------------------------------------------------------------------------------

    @classmethod
    def of(cls, results: Iterable[DocumentResult]) -> Self:
        """The archive of ``results``, placed by one full merge."""
        archive = cls()
        for r in results:
            archive.documents[r.document.id] = r.document
            archive._take_raw(r.document.id, r.mentions)
        mapping = archive.surname_map()
        origin: dict[int, Key] = {}
        merged_input = []
        for doc_id in sorted(archive.by_doc):
            mapped = []
            for key in archive.by_doc[doc_id]:
                m = with_full_names(archive.raw[key], mapping)
                origin[id(m)] = key
                mapped.append(m)
            merged_input.append(DocumentResult(archive.documents[doc_id], mapped))
        probes = {origin[id(m)]: Probe(m) for r in merged_input for m in r.mentions}
        for key, probe in probes.items():
            archive._add_item(key, probe)
        for event in merge_mentions(merged_input):
            keys = [origin[id(s.mention)] for s in event.sources]
            specific = sorted(archive.order_of[k] for k in keys if k in archive.order_of)
            group = archive.groups[specific[0]] = _Group(specific[0])
            for o in specific:
                archive._join(group, o)
            generic = sorted(k for k in keys if k in archive.generics)
            group.generics = generic
            for k in generic:
                archive.generics[k].choice = group.core
        for group in archive.groups.values():
            cluster: Cluster | None = None
            for o in group.members:
                item = archive.items[o]
                if cluster is None:
                    cluster = Cluster(item.probe)
                else:
                    item.score = fits(cluster, item.probe)
                cluster.add(item.probe)
            group.state = cluster
            archive._file_generic_keys(group)
        return archive

    def _take_raw(self, doc_id: str, mentions: list[Mention]) -> list[Key]:
        keys = [(doc_id, seq) for seq in range(len(mentions))]
        self.by_doc[doc_id] = keys
        for key, m in zip(keys, mentions, strict=True):
            self.raw[key] = m
            for a in m.actors:
                if is_full_name(a):
                    if self.full_count[a] == 0:
                        self.fulls[surname(a)].add(a)
                    self.full_count[a] += 1
                if is_single_name(a):
                    self.singles[a].add(key)
        return keys

    def _drop_raw(self, doc_id: str) -> list[Key]:
        keys = self.by_doc.pop(doc_id, [])
        for key in keys:
            m = self.raw.pop(key)
            for a in m.actors:
                if is_full_name(a):
                    self.full_count[a] -= 1
                    if self.full_count[a] == 0:
                        del self.full_count[a]
                        self.fulls[surname(a)].discard(a)
                if is_single_name(a):
                    self.singles[a].discard(key)
        return keys

    def _mapped(self, name: str) -> str | None:
        found = self.fulls.get(name)
        return next(iter(found)) if found and len(found) == 1 else None

    def surname_map(self) -> dict[str, str]:
        """The corpus's surname map (as :func:`~dateline.merging.names.surname_map` gives it)."""
        out = {}
        for name, keys in self.singles.items():
            if keys and (full := self._mapped(name)) is not None:
                out[name] = full
        return out

    def _probe(self, key: Key) -> Probe:
        m = self.raw[key]
        mapping = {a: full for a in m.actors if is_single_name(a) and (full := self._mapped(a)) is not None}
        return Probe(with_full_names(m, mapping) if mapping else m)

    def _add_item(self, key: Key, probe: Probe) -> _Item | _Generic:
        if probe.mention.generic:
            g = self.generics[key] = _Generic(key, probe)
            for k in g.keys:
                for y in g.years:
                    self.gusers[(k, y)].add(key)
            return g
        item = _Item(key, probe)
        self.items[item.order] = item
        self.order_of[key] = item.order
        level, first, last = _level(probe.date)
        for sk in probe.keys:
            for b in range(first, last + 1):
                self.mindex[(level, sk, b)].add(item.order)
        return item

    def _remove_item(self, key: Key) -> _Item | _Generic:
        if key in self.generics:
            g = self.generics.pop(key)
            for k in g.keys:
                for y in g.years:
                    self.gusers[(k, y)].discard(key)
            return g
        order = self.order_of.pop(key)
        item = self.items.pop(order)
        level, first, last = _level(item.probe.date)
        for sk in item.probe.keys:
            for b in range(first, last + 1):
                self.mindex[(level, sk, b)].discard(order)
        return item

    def _join(self, group: _Group, order: Order) -> None:
        """Add the member ``order`` to ``group`` and file the group under the keys it gains.

        The keys are the ones the cluster's own state gains (``Cluster.gains``), as the merge's
        index files it: a typed report joining an untyped cluster brings its actors under the
        cluster's slot, not its own, and a new word makes pairs with the cluster's day. The full
        state is extended in place (what ``fits`` and ``gains`` read does not depend on the order
        of the members after the core); a new core rebuilds it when next asked."""
        item = self.items[order]
        state = self._full_state(group)
        gains = item.held if state is None else frozenset(state.gains(item.probe))
        insort(group.members, order)
        group.changed()
        if state is not None and group.members[0] != order:
            state.add(item.probe)
            group.state = state
        self.assign[order] = group.core
        self._file(group, gains)

    def _refile(self, group: _Group) -> None:
        """File ``group`` again from scratch (its core changed: its buckets and slot may differ)."""
        group.filed = set()
        keys: set[SlotKey] = set()
        c: Cluster | None = None
        for o in group.members:
            p = self.items[o].probe
            if c is None:
                c = Cluster(p)
            keys.update(c.gains(p))
            c.add(p)
        self._file(group, keys)

    def _file(self, group: _Group, keys: Iterable[SlotKey]) -> None:
        """File ``group`` under ``keys`` (those it does not hold yet), at its core's buckets."""
        buckets = _buckets(self.items[group.core].probe.date) if group.core in self.items else None
        for k in set(keys) - group.filed:
            group.filed.add(k)
            if buckets is None:
                continue
            for level, b in enumerate(buckets):
                cores = self.gindex.setdefault((level, k, b), [])
                i = bisect_left(cores, group.core)
                if i == len(cores) or cores[i] != group.core:
                    cores.insert(i, group.core)

    def _file_generic_keys(self, group: _Group) -> None:
        """Index ``group`` under the keys generic references meet it by (its specific members')."""
        old_keys, old_years = group.gkeys
        for k in old_keys:
            for y in old_years:
                self.gcand[(k, y)].discard(group.core)
        state = self._full_state(group)
        if state is None:
            group.gkeys = (frozenset(), range(0))
            return
        keys = frozenset(state.keys())
        years = range(state.core.start.year, state.core.end.year + 1)
        group.gkeys = (keys, years)
        for k in keys:
            for y in years:
                self.gcand[(k, y)].add(group.core)

    # --- cluster states ---------------------------------------------------------------------------

    def _full_state(self, group: _Group) -> Cluster | None:
        if group.state is None and group.members:
            group.state = self._build_state(group.members)
        return group.state

    def _build_state(self, orders: list[Order]) -> Cluster | None:
        if not orders:
            return None
        c = Cluster(self.items[orders[0]].probe)
        for o in orders:
            c.add(self.items[o].probe)
        return c

    def _state(self, group: _Group, t: Order) -> Cluster | None:
        """``group`` as the merge has it when it reaches the mention ``t``."""
        members = group.members
        n = bisect_left(members, t)
        if n == len(members):
            return self._full_state(group)
        if n == 0:
            return None
        cursor = self.cursors.get(group.core)
        if cursor is not None and cursor[0] is group and cursor[1] == group.version and cursor[2] <= n:
            c = cursor[3]
            for o in members[cursor[2] : n]:
                c.add(self.items[o].probe)
        else:
            built = self._build_state(members[:n])
            assert built is not None
            c = built
        # the most recently asked last: the least recently asked go first past the bound
        self.cursors.pop(group.core, None)
        self.cursors[group.core] = (group, group.version, n, c)
        if len(self.cursors) > CURSORS:
            del self.cursors[next(iter(self.cursors))]
        return c

    def _generic_state(self, group: _Group, key: Key) -> Cluster | None:
        """``group`` as the generic pass has it when it reaches the generic reference ``key``."""
        state = self._full_state(group)
        n = bisect_left(group.generics, key)
        if state is None or not n:
            return state
        cached = self.generic_states.get((group.core, group.version, n))
        if cached is not None:
            return cached
        c = self._build_state(group.members)
        assert c is not None
        for k in group.generics[:n]:
            c.add(self.generics[k].probe)
        self.generic_states[(group.core, group.version, n)] = c
        return c

    def scan(self, item: _Item) -> tuple[Order | None, int]:
        """The best cluster for ``item`` among all: the merge's own lazy walk (``_Index.best``)."""
        a, p, t = self, item.probe, item.order
        level, first, last = _level(p.date)
        small: list[list[Order]] = []
        large: list[tuple[int, int, list[list[Order]]]] = []
        for key, weight in p.keys.items():
            if not weight:
                continue  # a weightless key of roles finds no candidate (see Probe.keys)
            lists = [hit for b in range(first, last + 1) if (hit := a.gindex.get((level, key, b)))]
            size = sum(map(len, lists))
            if size > _LAZY:
                large.append((size, weight, lists))
            else:
                small += lists
        found: Best[Order] = Best()
        seen: set[Order] = set()

        def consider(core: Order) -> None:
            if core in seen or core >= t:
                return
            seen.add(core)
            group = a.groups.get(core)
            if group is None or not group.members or group.members[0] != core:
                return
            c = a._state(group, t)
            if c is not None and p.lo <= c.start <= p.hi:
                found.offer(core, fits(c, p))

        walk_lazily(small, large, p.unkeyed, consider, found)
        return found.number, found.score

    def events(self) -> list[Event]:
        """Every event, as the full merge gives them (for checks)."""
        return [self.merged(g).event for g in self.groups.values()]

    def merged(self, group: _Group) -> MergedEvent:
        """The event of ``group`` and the mentions behind its sources."""
        c = self._build_state(group.members)
        assert c is not None
        for k in group.generics:
            c.add(self.generics[k].probe)
        origin = {id(self.items[o].probe.mention): self.items[o].key for o in group.members}
        origin.update((id(self.generics[k].probe.mention), k) for k in group.generics)
        event = _build_event(c, self.documents, {})
        return MergedEvent(event, [origin[id(s.mention)] for s in event.sources])
