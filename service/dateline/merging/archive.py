"""What the kept merge (:mod:`dateline.merging.incremental`) holds: every mention with its probe and
its place in the merge order, every cluster with its members, and the indexes that find what a change
can reach: clusters by linking key and the calendar buckets of their core date (as the merge's own
index), mentions by linking key and the buckets their date covers, and clusters by the keys generic
references meet them by."""

from __future__ import annotations

from bisect import bisect_left, insort
from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import Self

from dateline.merging.archive_parts import (
    CURSORS,
    Key,
    MergedEvent,
    Moved,
    Order,
    SlotKey,
    _buckets,
    _cleared,
    _copied,
    _Generic,
    _Group,
    _in_order,
    _Item,
    _kept,
    _level,
)
from dateline.merging.cluster import _build_event, merge_mentions
from dateline.merging.linking import Cluster, Probe, fits
from dateline.merging.names import is_full_name, is_single_name, surname, with_full_names
from dateline.model import Document, DocumentResult, Event, Mention

#: the most clusters a bucket of ``ArchiveState.gindex`` holds as a tuple
_SMALL = 8


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
        #: (level, slot key, bucket) -> cores of the clusters filed there, ascending. A tuple while
        #: short: a tuple of tuples of strings and numbers is one the cycle collector stops walking
        #: (four in five hold one cluster; a full collection walked every list, 21 % of the archive's
        #: objects); a list past ``_SMALL`` (a new tuple of thousands per filing is copied, and
        #: walked by the young collections until they let it go)
        self.gindex: dict[tuple[int, SlotKey, int], tuple[Order, ...] | list[Order]] = {}
        #: (level, slot key, bucket) -> the specific mentions whose date covers that bucket: the one
        #: mention itself while it is the only one (three in four), else a set of them
        self.mindex: dict[tuple[int, SlotKey, int], _Item | set[_Item]] = {}
        #: (generic key, year) -> cores of clusters holding it before generics join (core years)
        self.gcand: dict[tuple[str, int], set[Order]] = defaultdict(set)
        #: (generic key, year) -> the generic references that have it, in a date over that year
        self.gusers: dict[tuple[str, int], set[Key]] = defaultdict(set)
        #: single day -> the generic references dated to it
        self.gdays: dict[int, set[Key]] = defaultdict(set)
        #: cluster core -> the generic references that have it among their best (``_Generic.tops``,
        #: while ``top`` is known); and the generic references whose best is not known
        self.topped: dict[Order, set[Key]] = defaultdict(set)
        self.unknown: set[Key] = set()
        # the surname map: full name -> mentions naming it; surname -> full names; X -> mentions naming X
        self.full_count: Counter[str] = Counter()
        self.fulls: dict[str, set[str]] = defaultdict(set)
        self.singles: dict[str, set[Key]] = defaultdict(set)
        #: per cluster, the last partial state built (the group, its version, members, state): a
        #: pass asks for the states of one cluster at increasing places, so each one extends the
        #: last; kept from one write to the next (a cluster no write changed has the same partial
        #: states, and on a long story the large ones are asked again and again), for the
        #: ``CURSORS`` clusters asked last (a state not kept is built again from the members)
        self.cursors: dict[Order, tuple[_Group, int, int, Cluster]] = {}  # group, edits, n, state
        #: states of clusters with generic members, by (core, version, generic members before)
        self.generic_states: dict[tuple[Order, int, int], Cluster] = {}
        #: the states of one-member clusters built during a write, with the version they are of, let
        #: go after it (while the collector is paused): half the clusters of a story have one member,
        #: each state is 16 containers a full collection walks, and a write asks for a few dozen.
        #: (Kept for the 4,096 asked last instead, the states that drop out survive the young
        #: collections and bring the full ones on: every 600 adds at 9,000 documents, not 1,000.)
        self.lone: dict[_Group, tuple[int, Cluster]] = {}
        #: one frozenset for each distinct set of names or places the probes hold (see ``_shared``)
        self.shared: dict[frozenset[str], frozenset[str]] = {}

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
            generic = tuple(sorted(k for k in keys if k in archive.generics))
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
            if len(group.members) > 1:
                group.state = cluster
                archive._file_generic_keys(group)
            else:
                archive._file_generic_keys(group, cluster)
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

    def _shared(self, probe: Probe) -> None:
        """Let ``probe`` hold the archive's copy of each of its sets of agents, patients and places.

        Every frozenset is one more object each full collection walks, three per mention; on a story
        most are empty or repeat (18,000 mentions hold 4,800 distinct sets of patients, 54 of
        places, no agents). The copies are equal, so nothing that reads them changes; the table is
        cleared when it outgrows the mentions (a copy held stays good)."""
        shared = self.shared
        if len(shared) > 2 * len(self.items) + 1024:
            shared.clear()
        for value, name in ((probe.agents, "agents"), (probe.patients, "patients"), (probe.parts, "parts")):
            held = shared.setdefault(value, value)
            if held is not value:
                setattr(probe, name, held)

    def _add_item(self, key: Key, probe: Probe) -> _Item | _Generic:
        self._shared(probe)
        if probe.mention.generic:
            g = self.generics[key] = _Generic(key, probe)
            for k in g.keys:
                for y in g.years:
                    self.gusers[(k, y)].add(key)
            if probe.day:
                self.gdays[probe.lo].add(key)
            self.unknown.add(key)
            return g
        item = _Item(key, probe)
        self.items[item.order] = item
        self.order_of[key] = item.order
        level, first, last = _level(probe.date)
        mindex = self.mindex
        for sk in probe.keys:
            for b in range(first, last + 1):
                at = (level, sk, b)
                held = mindex.get(at)
                if held is None:
                    mindex[at] = item
                elif isinstance(held, _Item):
                    mindex[at] = {held, item}
                else:
                    held.add(item)
        return item

    def _remove_item(self, key: Key) -> _Item | _Generic:
        if key in self.generics:
            g = self.generics.pop(key)
            for k in g.keys:
                for y in g.years:
                    self.gusers[(k, y)].discard(key)
            if g.probe.day:
                self.gdays[g.probe.lo].discard(key)
            self.set_top(g, None, set())
            self.unknown.discard(key)
            return g
        order = self.order_of.pop(key)
        item = self.items.pop(order)
        level, first, last = _level(item.probe.date)
        mindex = self.mindex
        for sk in item.probe.keys:
            for b in range(first, last + 1):
                at = (level, sk, b)
                held = mindex.get(at)
                if held is item:
                    del mindex[at]
                elif isinstance(held, set):
                    held.discard(item)
                    if len(held) == 1:
                        mindex[at] = next(iter(held))
        return item

    def set_top(self, g: _Generic, top: int | None, tops: set[Order], changed: Moved | None = None) -> None:
        """Set ``g``'s best score and the clusters at it, keeping ``topped`` and ``unknown`` in step.
        ``changed``: ``tops`` is ``g.tops`` changed in place, these (left, came) clusters only."""
        key = g.key
        if changed is not None:
            left, came = changed
        else:
            left, came = (list(g.tops) if g.top is not None else []), list(tops)
        for core in left:
            if (users := self.topped.get(core)) is not None:
                users.discard(key)
                if not users:
                    del self.topped[core]
        if top is not None:
            for core in came:
                self.topped[core].add(key)
            self.unknown.discard(key)
        else:
            self.unknown.add(key)
        g.top, g.tops = top, tops

    def _join(self, group: _Group, order: Order) -> None:
        """Add the member ``order`` to ``group`` and file the group under the keys it gains.

        The keys are the ones the cluster's own state gains (``Cluster.gains``), as the merge's
        index files it: a typed report joining an untyped cluster brings its actors under the
        cluster's slot, not its own, and a new word makes pairs with the cluster's day. The full
        state is extended in place (what ``fits`` and ``gains`` read does not depend on the order
        of the members after the core); a new core rebuilds it when next asked."""
        item = self.items[order]
        state = self._full_state(group)
        # a founder files the cluster under the keys of its own cluster (computed when it founds
        # one, not kept per mention: most never do, and the collector walks what is kept)
        gains = (Cluster(item.probe) if state is None else state).gains(item.probe)
        insort(group.members, order)
        group.changed(order)
        if state is not None and group.members[0] != order:
            state.add(item.probe)
            group.state = state
            group.ordered = group.ordered and group.members[-1] == order
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
                cores = self.gindex.get((level, k, b), ())
                i = bisect_left(cores, group.core)
                if i < len(cores) and cores[i] == group.core:
                    continue
                if isinstance(cores, list):
                    cores.insert(i, group.core)
                elif len(cores) < _SMALL:
                    self.gindex[(level, k, b)] = (*cores[:i], group.core, *cores[i:])
                else:
                    self.gindex[(level, k, b)] = [*cores[:i], group.core, *cores[i:]]

    def _file_generic_keys(self, group: _Group, state: Cluster | None = None) -> None:
        """Index ``group`` under the keys generic references meet it by (its specific members':
        ``state``, its full state, when the caller holds it)."""
        old_keys, old_years = group.gkeys
        for k in old_keys:
            for y in old_years:
                self.gcand[(k, y)].discard(group.core)
        if state is None:
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
            if len(group.members) == 1:  # built for this write only (see ``lone``)
                group.ordered = True
                held = self.lone.get(group)
                if held is not None and held[0] == group.version:
                    return held[1]
                c = self._build_state(group.members)
                assert c is not None
                self.lone[group] = (group.version, c)
                return c
            group.state = self._build_state(group.members)
            group.ordered = True
        return group.state

    def _build_state(self, orders: list[Order], into: Cluster | None = None) -> Cluster | None:
        """The state of the members ``orders``; ``into``: a state no one else holds, built again in
        place (see ``_cleared``)."""
        if not orders:
            return None
        first = self.items[orders[0]].probe
        c = Cluster(first) if into is None else _cleared(into, first)
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
        if cursor is not None and cursor[0] is group and _kept(group, cursor[1], cursor[2], n):
            c = cursor[3]
            for o in members[cursor[2] : n]:
                c.add(self.items[o].probe)
        else:
            # built again in the state this replaces, or the one that goes past the bound: kept
            # from write to write, a new one would count towards the collector's next full pass
            spare = None
            if cursor is not None:
                spare = cursor[3]
            elif len(self.cursors) >= CURSORS:
                spare = self.cursors.pop(next(iter(self.cursors)))[3]
            built = self._build_state(members[:n], spare)
            assert built is not None
            c = built
        # the most recently asked last: the least recently asked go first past the bound
        self.cursors.pop(group.core, None)
        self.cursors[group.core] = (group, group.dropped + len(group.edits), n, c)
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
        c = _copied(state)  # for a score: the order the members came in does not matter
        for k in group.generics[:n]:
            c.add(self.generics[k].probe)
        self.generic_states[(group.core, group.version, n)] = c
        return c

    def events(self) -> list[Event]:
        """Every event, as the full merge gives them (for checks)."""
        try:
            return [self.merged(g).event for g in self.groups.values()]
        finally:
            self.lone.clear()

    def merged(self, group: _Group) -> MergedEvent:
        """The event of ``group`` and the mentions behind its sources."""
        c = self._full_state(group)
        assert c is not None
        items = self.items
        if not group.ordered:  # what the event reads in the members' order, for this event only
            c = _in_order(c, [items[o].probe for o in group.members])
        if group.generics:  # the kept state stays the specific members'
            c = _copied(c)
            for k in group.generics:
                c.add(self.generics[k].probe)
        origin = {id((item := items[o]).probe.mention): item.key for o in group.members}
        origin.update((id(self.generics[k].probe.mention), k) for k in group.generics)
        event = _build_event(c, self.documents, {})
        return MergedEvent(event, [origin[id(s.mention)] for s in event.sources])
