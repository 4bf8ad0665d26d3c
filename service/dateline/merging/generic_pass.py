"""The generic references' side of a kept merge's pass (:mod:`dateline.merging.incremental`):
generic references come after every specific mention and join the unique best candidate; each keeps
its top score and the clusters at it, so a cluster the pass changed re-scores only itself for those
it may now win or lose."""

from __future__ import annotations

import heapq
from collections.abc import Container, Iterable
from functools import cache

from dateline.merging.archive import ArchiveState
from dateline.merging.archive_parts import Key, Order, Update, _Generic, _Group
from dateline.merging.evidence import weights
from dateline.merging.linking import fits, months

#: keys a generic reference's score does not read: roles (kinds, agents) and the cluster's days
#: (its new days are counted apart, see ``GenericPass._gained``)
_NOT_GENERIC = ("k:", "g:", "d:")
#: with more generic references than this whose best is not known (after a full merge), a changed
#: cluster's generics are found by all its keys
_UNKNOWN = 64


@cache
def _gterms() -> tuple[int, int, int, int, int]:
    """The weights ``fits`` adds for a generic reference: the base, the same day, a shared place, a
    broader word, and the most the event word or a broader one adds (one of them)."""
    w = weights()
    same_day, place, broader = (max(w[k], 0) for k in ("same_day", "place", "broader"))
    return w["base"], same_day, place, broader, max(w["word"], w["broader"], 0)


def _gbound(g: _Generic, held: Container[str]) -> int:
    """The most ``fits(..., any_type=True)`` can give ``g`` against a cluster whose generic keys
    are ``held`` (no generic member grew it): ``generic_unkeyed`` plus the weight of each key held,
    counted as ``fits`` counts: a shared place once however many of ``g``'s place parts (``p:``)
    the cluster holds, the event word (``w:``) or a broader word but not both, the same day only
    for a reference dated to a single day. Penalties are left out (they only lower a score)."""
    base, same_day, place, broader, word = _gterms()
    score = base + (same_day if g.probe.day else 0)
    places = words = False
    for k, w in g.keys.items():
        if k not in held:
            continue
        c = k[0]
        if c == "p":
            places = True
        elif c == "w":
            words = True
        else:
            score += w
    return score + (place if places else 0) + (word if words else broader)


class GenericPass:
    """The generic references of one pass; the pass's specific side fills what is declared here."""

    a: ArchiveState
    update: Update
    gheap: list[Key]
    gqueued: set[Key]
    gfresh: set[Key]
    gaffected: dict[Key, set[Order]]
    #: clusters that lost a member; per cluster that took in members, the keys they brought it
    shrunk: set[Order]
    grew: dict[Order, set[str] | None]
    days_before: dict[Order, frozenset[int]]

    def _before(self, group: _Group) -> None:
        raise NotImplementedError

    def _months(self, group: _Group) -> range:
        """The months of ``group``'s core date (its state's ``core``: the first member's date)."""
        return months(self.a.items[group.members[0]].probe.date) if group.members else range(0)

    def _gained(self, core: Order, keys: frozenset[str]) -> frozenset[str] | None:
        """The keys by which cluster ``core`` (``keys``: its generic keys now) can have raised its
        score for a generic reference during this pass: those it took in that generics meet it by,
        and ``d:<day>`` for each single day it did not hold before. A generic sharing none of them
        (nor dated to such a day) scores it no higher than before: as for a specific mention, a
        member bringing nothing it holds cannot raise the score. Left out, as a generic's score
        reads neither: the weightless role keys (``k:`` a finer kind, ``g:`` an agent), the days an
        untyped cluster offers again (``d:``, only new days count), and the (word, day) pairs
        (their word and day come as keys of their own). None when anything may have risen: the
        cluster lost a member, is new, or took in a broader word (``b:``)."""
        grew = self.grew.get(core, set())
        group = self.a.groups.get(core)
        state = self.a._full_state(group) if group is not None else None
        before = self.days_before.get(core)
        if core in self.shrunk or grew is None or state is None or before is None:
            return None
        out = {f"d:{day}" for day in state.days - before}
        for k in grew:
            if k.startswith(_NOT_GENERIC) or "@" in k:
                continue
            if k not in keys:
                return None
            out.add(k)
        return frozenset(out)

    @staticmethod
    def _meets(g: _Generic, gained: frozenset[str]) -> bool:
        """Whether a cluster that took in ``gained`` (see ``_gained``) can score more for ``g``."""
        return not gained.isdisjoint(g.keys) or (g.probe.day and f"d:{g.probe.lo}" in gained)

    def _gpush(self, key: Key) -> None:
        if key not in self.gqueued:
            self.gqueued.add(key)
            heapq.heappush(self.gheap, key)

    def _gaffect(
        self,
        core: Order,
        keys: Iterable[str],
        spans: list[range],
        after: Key | None,
        gained: frozenset[str] | None = None,
    ) -> None:
        """Queue the generic references (after ``after``) for which cluster ``core`` is or was a
        candidate: they share one of ``keys`` and a month of ``spans``. ``gained``: the only keys by
        which the cluster's score can have risen (see ``_gained``; None: any)."""
        a = self.a
        group = a.groups.get(core)
        # a cluster that no generic member grew scores at most its keys' weights (as in the merge)
        now = group.gkeys[0] if group is not None and group.members and not group.generics else None
        core_date = self.a.items[core].probe.date if core in self.a.items and now is not None else None
        seen: set[Key] = set()
        years = {y for s in spans for y in range(s.start // 12, (s.stop - 1) // 12 + 1)}
        for gk in self._gmet(core, keys, years, gained):
            if gk in seen or (after is not None and gk <= after):
                continue
            seen.add(gk)
            g = a.generics[gk]
            known = g.top is not None and gk not in self.gfresh and core not in g.tops
            if known and gained is not None and not self._meets(g, gained):
                continue  # its score for this one can only have dropped: not among its best
            if not any(s.start < g.span.stop and g.span.start < s.stop for s in spans):
                continue
            if known and g.top is not None:  # (known says it: for the type checker)
                if group is None or not group.members:
                    continue  # gone, and not among its best: its choice stands
                if core_date is not None and not (g.date.contains(core_date) or core_date.contains(g.date)):
                    continue  # the dates do not nest: it cannot join
                if now is not None and _gbound(g, now) < g.top:
                    continue
                if now is not None and ((s := self._gscore(core, g)) < g.top or not s):
                    continue  # its exact score now (no generic member grew it) changes nothing
            self.gaffected[gk].add(core)
            self._gpush(gk)

    def _gmet(
        self, core: Order, keys: Iterable[str], years: set[int], gained: frozenset[str] | None
    ) -> Iterable[Key]:
        """The generic references that share one of ``keys`` in one of ``years`` with cluster
        ``core``, or, when ``gained`` is known, those of them ``_gaffect`` does not pass over: ones
        that share a gained key or are dated to a gained day (``_meets``), or whose best is not
        known, or that hold the cluster among their best. On one story a changed cluster meets
        hundreds of generic references by its common keys; a few share what it gained."""
        a = self.a
        if gained is None or len(a.unknown) > _UNKNOWN:
            return [gk for k in keys for y in years for gk in a.gusers.get((k, y), ())]
        found: set[Key] = set(a.topped.get(core, ()))
        found.update(a.unknown)
        for k in gained:
            if k.startswith("d:"):
                found.update(a.gdays.get(int(k[2:]), ()))
            else:
                for y in years:
                    found.update(a.gusers.get((k, y), ()))
        held = keys if isinstance(keys, set | frozenset) else set(keys)
        met = []
        for gk in found:
            g = a.generics[gk]
            if not held.isdisjoint(g.keys) and not years.isdisjoint(g.years):
                met.append(gk)
        return met

    def _gscore(self, core: Order, g: _Generic) -> int:
        group = self.a.groups.get(core)
        if group is None or not group.members:
            return 0
        keys, years = group.gkeys
        span, own = self._months(group), g.span
        if keys.isdisjoint(g.keys) or not (span.start < own.stop and own.start < span.stop):
            return 0
        if not any(y in years for y in g.years):
            return 0
        state = self.a._generic_state(group, g.key)
        return fits(state, g.probe, any_type=True) if state is not None else 0

    def _gplace(self, g: _Generic) -> None:
        """The one cluster a generic reference can only mean: the unique best, or none on a tie."""
        a = self.a
        affected = self.gaffected.pop(g.key, set())
        top: int | None = None
        if g.key not in self.gfresh and g.top is not None:
            scores = {core: self._gscore(core, g) for core in affected}
            best = max(scores.values(), default=0)
            # the clusters at its top that the pass did not change, taken out of its set in place
            # (on one story a reference can tie hundreds: a copy per placing grew with the story)
            rest = g.tops
            left = [c for c in affected if c in rest]
            if len(rest) > len(left) and best <= g.top:
                rest.difference_update(affected)
                came = [c for c, s in scores.items() if s and s == g.top]
                rest.update(came)
                a.set_top(g, g.top, rest, (left, came))
                top = g.top
            elif len(rest) > len(left) or best >= g.top:
                top = best
                a.set_top(g, top, {c for c, s in scores.items() if s and s == top})
        if top is None:
            top, tops = self._gscan(g)
            a.set_top(g, top, tops)
        self.gfresh.discard(g.key)
        tops = g.tops
        choice = next(iter(tops)) if len(tops) == 1 else None
        if choice == g.choice:
            return
        for core, joins in ((g.choice, False), (choice, True)):
            group = a.groups.get(core) if core is not None else None
            if group is None:
                continue
            self._before(group)
            group.version += 1
            if joins:
                group.generics = tuple(sorted((*group.generics, g.key)))
            elif g.key in group.generics:
                group.generics = tuple(k for k in group.generics if k != g.key)
            self._gaffect(group.core, group.gkeys[0], [self._months(group)], after=g.key)
        g.choice = choice

    def _gscan(self, g: _Generic) -> tuple[int, set[Order]]:
        """The best score for ``g`` among every cluster it meets, and the clusters at it. Scored in
        the order of their bound (as in ``_gaffect``: a cluster no generic member before ``g`` grew
        scores at most ``_gbound`` of the keys it holds), until the bound falls below the best: on
        one story a reference meets thousands of clusters."""
        a = self.a
        candidates: set[Order] = set()
        for k in g.keys:
            for y in g.years:
                candidates |= a.gcand.get((k, y), set())
        ranked: list[tuple[float, Order]] = []
        for core in candidates:
            group = a.groups.get(core)
            if group is None:
                continue
            if group.generics and group.generics[0] < g.key:
                bound: float = float("inf")  # a generic member before it may have grown the cluster
            else:
                bound = _gbound(g, group.gkeys[0])
            ranked.append((-bound, core))
        ranked.sort()
        top, tops = 0, set()
        for bound, core in ranked:
            if -bound < top:
                break
            s = self._gscore(core, g)
            if s > top:
                top, tops = s, {core}
            elif s and s == top:
                tops.add(core)
        return top, tops
