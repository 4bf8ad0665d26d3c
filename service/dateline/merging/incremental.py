"""A merge that is kept, not redone: :class:`Archive` holds the state the full merge reaches and
updates it when documents come, change or go, touching only the mentions whose choice can change.
Its events always equal :func:`~dateline.merging.cluster.merge_mentions` of the same mentions.

Why a bound on dates or links alone cannot do this: the merge is greedy, finest date first, and a
coarse mention ("in 2024", "this decade") may join any cluster whose core lies in its span. A new day
mention that changes one cluster can change which cluster a year mention joins, which changes what a
later year or decade mention sees, and so on: on one story the static closure of "may change" is the
whole store. What really changes is almost always a handful of mentions, so the archive follows the
change itself:

- Mentions are replayed in the merge's order, but only those that may decide differently. A cluster
  whose members before place ``t`` changed is *dirty since* ``t``; every other cluster scores every
  mention as before, so a mention in a clean cluster keeps its choice unless a dirty one now scores
  more (or as much with a lower number).
- A dirty cluster can only win mentions whose date holds its core's and that share a key; they are
  found through an index of mentions by key and calendar bucket, and pruned with linking's score
  bound (``unkeyed`` plus the weights of the keys held) against the score they have now. A member
  that brings no new key cannot raise the cluster's score for anyone, so only a member's new keys,
  or a member leaving, send the search out.
- A mention whose own cluster changed before it is scored again against it; when the score did not
  drop it still beats every clean cluster, else it is placed from scratch (the merge's lazy walk).
- Generic references come after every specific mention and join the unique best candidate; each
  keeps its top score and the clusters at it, so a changed cluster only re-scores itself.
- The surname map is global: a write that flips it for X takes every mention naming X alone out and
  puts it back remapped.

``tests/test_incremental.py`` checks it against a full merge after every change of random sequences.
"""

from __future__ import annotations

import heapq
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence

from dateline.merging.archive import ArchiveState
from dateline.merging.archive_parts import (
    Key,
    MergedEvent,
    Order,
    SlotKey,
    Update,
    _buckets,
    _Generic,
    _Group,
    _Item,
    _level,
    bound,
)
from dateline.merging.cluster import Best, _cyclic_gc_paused, walk_lazily
from dateline.merging.evidence import OTHER, threshold
from dateline.merging.generic_pass import GenericPass
from dateline.merging.linking import fits, months
from dateline.merging.names import is_full_name, surname
from dateline.model import DateValue, DocumentResult

__all__ = ["Archive", "MergedEvent", "Update"]


class Archive(ArchiveState):
    """The merge of a corpus, kept up to date one change at a time (see the module docstring)."""

    def apply(self, changes: Mapping[str, DocumentResult | None]) -> Update:
        """Replace the documents ``changes`` names (None: the document goes) and follow what changes.

        The cycle collector is paused meanwhile, as during a full merge: the archive is a large,
        long-lived heap without cycles, and each full collection would walk all of it (a cost that
        grows with the archive)."""
        with _cyclic_gc_paused():
            return self._apply(changes)

    def _apply(self, changes: Mapping[str, DocumentResult | None]) -> Update:
        for doc_id, result in changes.items():
            for seq, m in enumerate(result.mentions if result is not None else ()):
                if m.document_id != doc_id:
                    raise ValueError(f"mention {seq} of document {doc_id!r} belongs to {m.document_id!r}")
        step = _Pass(self)
        self.generic_states.clear()
        actors = [a for d in changes for key in self.by_doc.get(d, ()) for a in self.raw[key].actors]
        actors += [a for r in changes.values() if r is not None for m in r.mentions for a in m.actors]
        touched = {surname(a) for a in actors if is_full_name(a)}
        before = {name: self._mapped(name) for name in touched}
        for doc_id, result in changes.items():
            for key in self.by_doc.get(doc_id, ()):
                step.remove(key)
            self._drop_raw(doc_id)
            self.documents.pop(doc_id, None)
            if result is not None:
                self.documents[doc_id] = result.document
                self._take_raw(doc_id, result.mentions)
        # a flipped surname map: the mentions naming the surname alone go out and come back remapped
        remapped = sorted(
            {
                key
                for name in touched
                if before[name] != self._mapped(name)
                for key in self.singles.get(name, ())
                if key[0] not in changes
            }
        )
        for key in remapped:
            step.remove(key)
        for key in [k for doc_id in changes for k in self.by_doc.get(doc_id, ())] + remapped:
            step.insert(key)
        try:
            return step.run()
        finally:
            # let this pass's generic states go while the collector is paused: kept to the next
            # write they would outlive a collection and count towards the next full one (and the
            # states of one-member clusters: see ``lone``)
            self.generic_states.clear()
            self.lone.clear()


_NEVER: Order = (1 << 62, "", 0, 0, 0)
#: a key with more candidate clusters than this is walked lazily (as in the merge's index)
_LAZY = 8


class _Pass(GenericPass):
    """One change followed through the merge order (specific mentions, then generic references)."""

    def __init__(self, archive: Archive) -> None:
        self.a = archive
        self.heap: list[Order] = []
        self.queued: set[Order] = set()
        self.fresh: set[Order] = set()
        #: cluster core -> the first place in the order before which its members changed
        self.dirty: dict[Order, Order] = {}
        self.dirty_by_key: dict[SlotKey, set[Order]] = defaultdict(set)
        self.attracted: dict[Order, set[SlotKey]] = {}
        #: clusters that lost a member or took in one with a key they lacked (scores may rise)
        self.raised: set[Order] = set()
        #: clusters that lost a member; and per cluster that took in members, the keys they brought
        #: it (None: a new cluster, every key is new)
        self.shrunk: set[Order] = set()
        self.grew: dict[Order, set[str] | None] = {}
        #: per queued mention, the changed clusters that may now win it (see ``_place``)
        self.reasons: dict[Order, set[Order]] = defaultdict(set)
        #: clusters whose event is rebuilt, with their generic keys and core months before the pass
        self.changed: dict[Order, tuple[frozenset[str], range]] = {}
        #: the single days of those clusters before the pass (a generic of a new day may score more)
        self.days_before: dict[Order, frozenset[int]] = {}
        self.update = Update()
        self.gheap: list[Key] = []
        self.gqueued: set[Key] = set()
        self.gfresh: set[Key] = set()
        self.gaffected: dict[Key, set[Order]] = defaultdict(set)

    # --- bookkeeping ------------------------------------------------------------------------------

    def _before(self, group: _Group) -> None:
        """Note ``group``'s event as stale (once, before its first change in this pass)."""
        if group.core in self.changed:
            return
        state = self.a._full_state(group)
        self.changed[group.core] = (group.gkeys[0], months(state.core) if state is not None else range(0))
        self.days_before[group.core] = frozenset(state.days) if state is not None else frozenset()
        if group.members:  # one member names the stored event (a cluster is one event)
            o = group.members[0]
            self.update.stale_members.add((o[1], o[4]))

    def _push(self, order: Order) -> None:
        if order not in self.queued:
            self.queued.add(order)
            heapq.heappush(self.heap, order)

    def _dirty(
        self, group: _Group, t: Order, gained: Iterable[SlotKey] | None = None, left: _Item | None = None
    ) -> None:
        """``group``'s members before the mentions after ``t`` changed: queue those it may affect.

        ``gained``: a member joined, bringing these keys the cluster did not hold before ``t``. A
        member that brings no new key can only lower the cluster's score for a later mention (its
        evidence counts each key once; its date is one more that must nest), so only mentions
        sharing a gained key may now prefer it. None: a member went (``left``, when known), which
        may raise a score (see ``_lifts``), or the cluster is new."""
        core = group.core
        since = self.dirty.get(core)
        if since is None or t < since:
            self.dirty[core] = t
            self.attracted[core] = set()
        for o in group.members[bisect_right(group.members, t) :]:
            self._push(o)
        for k in group.filed:
            self.dirty_by_key[k].add(core)
        core_item = self.a.items.get(core)
        if core_item is None or not group.members or group.members[0] != core:
            return  # the cluster dissolves: its members are queued, nothing joins it
        lifts = True if left is None else self._lifts(group, left)
        if lifts is not True:
            assert left is not None
            self._attract_document(group, t, left.key[0])
            if lifts:  # a date that did not nest with the one that went: only those can rise
                outside = (left.probe.lo, left.probe.hi)
                self._attract(group, t, group.filed, core_item.probe.date, outside)
            return
        new = (group.filed if gained is None else set(gained)) - self.attracted[core]
        if new:
            self.attracted[core] |= new
            self._attract(group, t, new, core_item.probe.date)

    def _lifts(self, group: _Group, left: _Item) -> bool | str:
        """Whether the member ``left`` going can raise ``group``'s score for a mention outside its
        document: True (any), ``"date"`` (only one whose date does not hold ``left``'s), False.

        ``fits`` reads a cluster's members through sets and counts that only shrink when one goes:
        fewer shared keys, fewer dates that must nest, fewer types, documents and triggers in the
        way. What can rise: a date that did not nest with the one that went (a later mention's date
        is at least as wide, so: one that does not hold it), and a penalty or gate that needs the
        cluster to have agents, patients, a place, a finer kind, or (for an untyped cluster meeting
        a typed report) no other type. None of these moves when a member before ``left`` (the core
        at least, as every later mention sees them) has its date, its type, and each of those it
        has; the mentions of its own document (the same-document gate, its trigger) may gain."""
        p = left.probe
        before = self.a._state(group, left.order)  # the members before it (it has gone)
        if before is None:
            return True
        if not (
            (p.type == OTHER or p.type in before.types)
            and (not p.subtype or before.subtypes)
            and (not p.location or before.places)
            and (not p.agents or before.agents)
            and (not p.patients or before.patients)
        ):
            return True
        return False if (p.lo, p.hi) in before.spans else "date"

    def _attract_document(self, group: _Group, t: Order, doc_id: str) -> None:
        """Queue the mentions of ``doc_id`` after ``t`` as ones ``group`` may now win (see ``_lifts``)."""
        a = self.a
        for key in a.by_doc.get(doc_id, ()):
            o = a.order_of.get(key)
            if o is not None and o > t and a.assign.get(o) != group.core:
                self.reasons[o].add(group.core)
                self._push(o)

    def _attract(
        self,
        group: _Group,
        t: Order,
        keys: set[SlotKey],
        core: DateValue,
        outside: tuple[int, int] | None = None,
    ) -> None:
        """Queue the mentions after ``t`` that ``group`` may now win: their date holds its core's,
        they share a key, and the score bound can reach what they have now. ``outside``: only those
        whose date does not hold these days (first, last) as well."""
        start, end, buckets = core.start.toordinal(), core.end.toordinal(), _buckets(core)
        # (no date holds a first day before every date: nothing is left out)
        out_lo, out_hi = outside if outside is not None else (-(1 << 62), 0)
        a, filed, number, least = self.a, group.filed, group.core, threshold()
        mindex, fresh, assign, reasons, push = a.mindex, self.fresh, a.assign, self.reasons, self._push
        seen: set[_Item] = set()  # by identity: hashing an order costs more than the check itself
        for level, b in enumerate(buckets):
            for k in keys:
                hit = mindex.get((level, k, b))
                if hit is None:
                    continue
                for item in (hit,) if isinstance(hit, _Item) else hit:
                    # what it takes to win: more than its score, or as much from a lower number
                    # (``fits`` gives 0 or at least ``least``); the bound with every key first
                    # (``most``: about half the mentions met, before the costlier checks below)
                    score = item.score
                    need = score if score > least else least
                    most = item.most
                    if most < need or (most == score and score and assign.get(item.order, _NEVER) < number):
                        continue
                    if item in seen:
                        continue
                    seen.add(item)
                    o = item.order
                    if o <= t:
                        continue
                    p = item.probe
                    if p.lo > start or end > p.hi or (p.lo <= out_lo and out_hi <= p.hi):
                        continue
                    # linking's bound with the keys the cluster holds, then that one counting what
                    # ``fits`` counts once (a place, the event word) once
                    if (
                        (loose := p.unkeyed + sum([w for sk, w in p.keys.items() if sk in filed])) < need
                        or (loose == score and score and assign[o] < number)
                        or (tight := bound(p, filed, most)) < need
                        or (tight == score and score and assign[o] < number)
                    ) and o not in fresh:
                        continue
                    reasons[o].add(number)
                    push(o)

    # --- the specific mentions --------------------------------------------------------------------

    def remove(self, key: Key) -> None:
        a = self.a
        if key in a.generics:
            g = a.generics[key]
            a._remove_item(key)
            self.gfresh.discard(key)
            if g.choice is not None and (group := a.groups.get(g.choice)) is not None:
                self._before(group)
                group.generics = tuple(k for k in group.generics if k != key)
                group.version += 1
                self._gaffect(group.core, group.gkeys[0], [self._months(group)], after=key)
            return
        order = a.order_of[key]
        group = a.groups[a.assign.pop(order)]
        self._before(group)  # (its state may be built from the members: before one goes)
        item = a._remove_item(key)
        assert isinstance(item, _Item)
        self.fresh.discard(order)
        group.members.remove(order)
        group.changed(order)
        self.raised.add(group.core)
        self.shrunk.add(group.core)
        self._dirty(group, order, left=item)

    def insert(self, key: Key) -> None:
        item = self.a._add_item(key, self.a._probe(key))
        if isinstance(item, _Generic):
            self.gfresh.add(key)
            self._gpush(key)
        else:
            self.fresh.add(item.order)
            self._push(item.order)

    def run(self) -> Update:
        a = self.a
        while self.heap:
            order = heapq.heappop(self.heap)
            self.queued.discard(order)
            if order in a.items:
                self._place(a.items[order])
        for core in list(self.changed):
            group = a.groups.get(core)
            if group is not None and not group.members:
                for k in group.generics:  # left without a cluster: placed again below
                    a.generics[k].choice = None
                    a.set_top(a.generics[k], None, set())
                    self._gpush(k)
                group.generics = ()
                a._file_generic_keys(group)
                del a.groups[core]
                a.cursors.pop(core, None)
            elif group is not None:
                a._file_generic_keys(group)
        for core, (keys, span) in list(self.changed.items()):
            group = a.groups.get(core)
            spans = [span] + ([self._months(group)] if group is not None else [])
            new_keys = group.gkeys[0] if group is not None else frozenset()
            self._gaffect(core, keys | new_keys, spans, None, gained=self._gained(core, new_keys))
        while self.gheap:
            key = heapq.heappop(self.gheap)
            self.gqueued.discard(key)
            if key in a.generics:
                self._gplace(a.generics[key])
        for core in self.changed:
            if (group := a.groups.get(core)) is not None:
                self.update.events.append(a.merged(group))
        return self.update

    def _place(self, item: _Item) -> None:
        """Where ``item`` goes now: its cluster as before unless that changed before it or a changed
        cluster now scores more; from scratch when it is new or its own cluster lost score."""
        a, p, t = self.a, item.probe, item.order
        old = None if t in self.fresh else a.assign[t]
        reasons = self.reasons.pop(t, set())
        scanned = False
        rivals: set[Order] | None = reasons  # None: every changed cluster that shares a key
        if old is None:
            best, score = self._scan(item)
            scanned = True
        elif old == t:
            best, score = None, 0  # it founded its cluster: no unchanged cluster fits it
        elif self.dirty.get(old, _NEVER) < t:
            rivals = None  # its score changed: earlier pruning against the old score does not hold
            group = a.groups[old]
            state = a._state(group, t) if group.members and group.members[0] == old else None
            s = fits(state, p) if state is not None else 0
            if s and s >= item.score:
                best, score = old, s
            else:
                best, score = self._scan(item)
                scanned = True
        else:
            best, score = old, item.score
        if not scanned:
            best, score = self._dirty_rivals(item, best, score, rivals)
        new = t if best is None else best
        self.fresh.discard(t)
        item.score = score
        if new == old:
            return
        if old is not None:
            left = a.groups[old]
            self._before(left)
            left.members.remove(t)
            left.changed(t)
            del a.assign[t]
            self.raised.add(old)
            self.shrunk.add(old)
            self._dirty(left, t, left=item)
        # founding at ``t``: a cluster numbered ``t`` whose core went (its later members are queued)
        # becomes the new one
        target = a.groups.get(new)
        gained: set[SlotKey] | None = None  # a new cluster: every key is new
        refound = target is not None and best is None
        if target is None:
            target = a.groups[t] = _Group(t)
            self.changed.setdefault(t, (frozenset(), range(0)))
        elif best is None:
            self.attracted[t] = set()  # a new core: filed again below, attract again
        else:
            gained = self._gains(target, item)
        self._before(target)
        a._join(target, t)
        if refound:
            a._refile(target)  # its core's date and slot may differ: filed again under the new core
        if gained is None or gained:
            self.raised.add(target.core)
            grew = self.grew.setdefault(target.core, set())
            if gained is None or grew is None:
                self.grew[target.core] = None
            else:
                grew.update(k for _, k in gained)
        self._dirty(target, t, gained)

    def _scan(self, item: _Item) -> tuple[Order | None, int]:
        """The best cluster for ``item`` among all: the merge's own lazy walk (``_Index.best``)."""
        a, p, t, most = self.a, item.probe, item.order, item.most
        level, first, last = _level(p.date)
        small: list[Sequence[Order]] = []
        large: list[tuple[int, int, Sequence[Sequence[Order]]]] = []
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
            # (its core's first day is its state's ``start``; the bound: see ``_dirty_rivals``)
            if p.lo <= a.items[core].probe.lo <= p.hi and found.may_take(core, bound(p, group.filed, most)):
                c = a._state(group, t)
                found.offer(core, fits(c, p) if c is not None else 0)

        walk_lazily(small, large, p.unkeyed, consider, found)
        return found.number, found.score

    def _gains(self, group: _Group, item: _Item) -> set[SlotKey] | None:
        """The keys ``group`` holds for the mentions after ``item`` once it joins, and did not before
        (None: any). A key the cluster as it is before ``item`` gains, or the whole cluster gains;
        a (word, day) pair joins a word with a day of any member, so when a member after ``item``
        brings a day the cluster before ``item`` lacks, every key counts as new."""
        prefix = self.a._state(group, item.order)
        full = self.a._full_state(group)
        if prefix is None or full is None or not full.days <= prefix.days:
            return None
        return set(prefix.gains(item.probe)) | set(full.gains(item.probe))

    def _dirty_rivals(
        self, item: _Item, best: Order | None, score: int, rivals: set[Order] | None
    ) -> tuple[Order | None, int]:
        """The best of ``best`` and the changed clusters ``rivals`` (None: all that share a key).

        A clean cluster scores as before, so only a changed one can beat ``best``; one whose score
        bound could reach the mention's score attracted it (``_attract``) and is among ``rivals``."""
        a, p, t, least = self.a, item.probe, item.order, threshold()
        if rivals is None:
            rivals = set()
            for k in p.keys:
                rivals |= self.dirty_by_key.get(k, set())
        for core in sorted(rivals):
            if core >= t or core == best or self.dirty[core] >= t:
                continue
            group = a.groups.get(core)
            if group is None or not group.members or group.members[0] != core:
                continue
            # (``fits`` gives 0 or at least ``least``; the bound: see ``_attract``)
            need, tight = (score if score > least else least), bound(p, group.filed, item.most)
            if tight < need or (tight == score and best is not None and core > best):
                continue
            state = a._state(group, t)
            if state is None or not p.lo <= state.start <= p.hi:
                continue
            s = fits(state, p)
            if s > score or (s and s == score and (best is None or core < best)):
                best, score = core, s
        return best, score
