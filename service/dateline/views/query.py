"""Slices of the timeline: filters, alias-aware actor matching and keyset (cursor) pagination.

No web layer here: the API parses query parameters into a :class:`TimelineQuery` (through the
marshmallow schema in :mod:`dateline.views.schemas`) and this module answers it over a Timeline. A cursor is
opaque to clients: base64url JSON holding the sort key of the last event served and a digest of the
filters, so a page can be fetched while the timeline changes (no event is skipped or repeated that
existed before and after) and a cursor cannot be replayed against another query.
"""

from __future__ import annotations

import base64
import binascii
import calendar
import hashlib
import json
import re
import threading
import weakref
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from dateline.model import PRECISIONS, Event, Timeline, event_order, precision_rank

#: partial ISO dates accepted by ``from`` and ``to``: a year, a month or a day
PARTIAL_DATE = re.compile(r"^(?P<y>\d{4})(?:-(?P<m>\d{2})(?:-(?P<d>\d{2}))?)?$")
CURSOR_VERSION = 1


class QueryError(ValueError):
    """A query that cannot be answered; ``parameter`` names the culprit."""

    def __init__(self, parameter: str, message: str) -> None:
        super().__init__(f"'{parameter}': {message}")
        self.parameter = parameter
        self.message = message


def period_bounds(value: str, parameter: str) -> tuple[date, date]:
    """First and last day of a partial ISO date: ``2024`` -> 1 Jan-31 Dec 2024."""
    m = PARTIAL_DATE.match(value)
    if not m:
        raise QueryError(parameter, f"{value!r} is not a date: use YYYY, YYYY-MM or YYYY-MM-DD")
    y = int(m["y"])
    try:
        if m["d"]:
            day = date(y, int(m["m"]), int(m["d"]))
            return day, day
        if m["m"]:
            month = int(m["m"])
            return date(y, month, 1), date(y, month, calendar.monthrange(y, month)[1])
        if y == 0:
            raise ValueError("year 0")
        return date(y, 1, 1), date(y, 12, 31)
    except ValueError:
        raise QueryError(parameter, f"{value!r} is not a real date") from None


# --- actors -------------------------------------------------------------------------------------


def _fold(name: str) -> str:
    return re.sub(r"[\s\-–]+", " ", name.replace("’", "'")).strip().casefold()


@cache
def _alias_groups() -> dict[str, tuple[str, list[str]]]:
    """canonical name -> (kind, aliases as spelled in the vocabulary)."""
    from dateline.vocab import load

    data = load("aliases")
    out: dict[str, tuple[str, list[str]]] = {}
    for kind, group in (("country", "countries"), ("organisation", "organisations"), ("person", "people")):
        for canonical, aliases in data[group].items():
            out[canonical] = (kind, list(aliases))
    return out


@dataclass
class ActorEntry:
    name: str
    kind: str | None
    aliases: list[str]
    event_count: int


def _listed(names: Iterable[str]) -> dict[str, tuple[str | None, list[str]]]:
    """name -> (kind, aliases) for the actors ``names``: the vocabulary's names, and the real variants
    of a name (a person's surname, an organisation's initials) that no other actor shares."""
    from dateline.events.actors import actor_kind, name_variants

    names = list(dict.fromkeys(names))
    groups = _alias_groups()
    variants = {n: [] if n in groups else name_variants(n, actor_kind(n)) for n in names}  # the table's own
    taken: Counter[str] = Counter(_fold(v) for vs in variants.values() for v in vs)
    own = {_fold(n) for n in names}
    out = {}
    for name in names:
        kind, aliases = groups.get(name, (actor_kind(name), []))
        extra = [v for v in variants[name] if taken[_fold(v)] == 1 and _fold(v) not in own]
        out[name] = (kind, sorted(set(aliases) | set(extra)))
    return out


def actor_index(timeline: Timeline) -> list[ActorEntry]:
    """Every actor of the timeline with its kind, its aliases (:func:`_listed`) and how many events
    name it; most cited first."""
    counts: Counter[str] = Counter(a for e in timeline.events for a in dict.fromkeys(e.actors))
    listed = _listed(counts)
    entries = [ActorEntry(name, *listed[name], count) for name, count in counts.items()]
    entries.sort(key=lambda a: (-a.event_count, a.name))
    return entries


def resolve_actor(name: str, known: Iterable[str]) -> set[str]:
    """The timeline's actors a requested name means: the name itself, the actor of an alias the
    vocabulary or ``/v1/actors`` lists ("Paris" -> "France", "President Macron" -> "Emmanuel
    Macron", "Bankman-Fried" -> "Sam Bankman-Fried"), else the one actor whose name a partial name
    begins or ends ("Kim" -> "Kim Jong Un" when the timeline has one Kim). Case, spacing and
    hyphens do not matter."""
    from dateline.events.actors import ORGANISATION_WORDS, alias_table, normalise_person

    known = list(known)
    by_fold = {_fold(k): k for k in known}
    wanted = _fold(name)
    out: set[str] = set()
    for candidate in (name, normalise_person(name)):
        if _fold(candidate) in by_fold:
            out.add(by_fold[_fold(candidate)])
        hit = alias_table().get(_fold(candidate).lower())
        if hit and _fold(hit[0]) in by_fold:
            out.add(by_fold[_fold(hit[0])])
    if out:
        return out
    for actor, (_, aliases) in _listed(known).items():
        if any(_fold(a) == wanted for a in aliases):
            out.add(actor)
    if out or not wanted or name.strip() in ORGANISATION_WORDS:
        return out
    words = wanted.split()
    partial = [
        k
        for k in known
        if len(_fold(k).split()) > len(words)
        and words in (_fold(k).split()[: len(words)], _fold(k).split()[-len(words) :])
    ]
    return set(partial) if len(partial) == 1 else set()


# --- the query ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class TimelineQuery:
    """What ``GET /v1/timeline`` asks for (already type-checked by the schema)."""

    start: str | None = None
    end: str | None = None
    actors: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    subtypes: tuple[str, ...] = ()
    document: str | None = None
    text: str | None = None
    min_sources: int = 1
    precision: str | None = None
    sort: str = "asc"
    limit: int = 500
    cursor: str | None = None

    def filters(self) -> dict[str, Any]:
        """The parameters that select events (not how they are paged), in canonical form (``subtype``
        only when given, so that cursors made before it existed stay valid)."""
        out: dict[str, Any] = {
            "from": self.start,
            "to": self.end,
            "actor": sorted(self.actors),
            "type": sorted(self.types),
            "document": self.document,
            "q": self.text,
            "min_sources": self.min_sources,
            "precision": self.precision,
            "sort": self.sort,
        }
        if self.subtypes:
            out["subtype"] = sorted(self.subtypes)
        return out

    def digest(self) -> str:
        text = json.dumps(self.filters(), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


@dataclass
class Page:
    events: list[Event]
    next_cursor: str | None = None


Key = tuple[str, int, str, str]


def _key(event: Event) -> Key:
    start, rank, end, event_id = event_order(event)
    return (start.isoformat(), rank, end.isoformat(), event_id)


def encode_cursor(key: Key, ordinal: int, query: TimelineQuery) -> str:
    """A cursor after the event with sort ``key``, the ``ordinal``-th (from 0) of the events that
    share that key (the merger can give two events one id and date)."""
    return make_cursor([*key, ordinal], query.digest())


def decode_cursor(cursor: str, query: TimelineQuery) -> tuple[Key, int]:
    """The sort key and ordinal a cursor continues after; QueryError for anything not made by
    encode_cursor for the same filters."""
    start, rank, end, event_id, ordinal = read_cursor(
        cursor, 5, query.digest(), "a query with other filters", (str, int, str, str, int)
    )
    try:
        date.fromisoformat(start)
        date.fromisoformat(end)
    except ValueError:
        raise QueryError("cursor", _NOT_OURS) from None
    return (start, rank, end, event_id), ordinal


_NOT_OURS = "not a cursor this service made; use the `next` link of a page"


def make_cursor(after: list[Any], digest: str) -> str:
    """An opaque page cursor: the sort key the page ended at and the digest of the query it pages."""
    payload = {"v": CURSOR_VERSION, "after": after, "q": digest}
    raw = json.dumps(payload, separators=(",", ":")).encode("utf-8")
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def read_cursor(cursor: str, length: int, digest: str, other: str, types: tuple[type, ...]) -> list[Any]:
    """The sort key of a cursor :func:`make_cursor` made (``length`` items of ``types``) for the query
    of ``digest``; QueryError for any other text, or a cursor of ``other`` (another query)."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        payload = json.loads(raw.decode("utf-8"))
        after = payload["after"]
        if payload.get("v") != CURSOR_VERSION or not isinstance(after, list) or len(after) != length:
            raise ValueError("shape")
        if not all(isinstance(v, t) and not isinstance(v, bool) for v, t in zip(after, types, strict=True)):
            raise ValueError("types")
    except (ValueError, KeyError, TypeError, binascii.Error, UnicodeDecodeError):
        raise QueryError("cursor", _NOT_OURS) from None
    if payload.get("q") != digest:
        raise QueryError("cursor", f"the cursor belongs to {other}; start without it")
    return after


def validate(query: TimelineQuery, *, max_limit: int) -> None:
    """Checks that need more than one parameter or a setting (the schema checks each one alone)."""
    if not 1 <= query.limit <= max_limit:
        raise QueryError("limit", f"must be between 1 and {max_limit}, not {query.limit}")
    if query.start and query.end:
        first, _ = period_bounds(query.start, "from")
        _, last = period_bounds(query.end, "to")
        if first > last:
            raise QueryError("from", f"{query.start} is after 'to' ({query.end})")
    elif query.start:
        period_bounds(query.start, "from")
    elif query.end:
        period_bounds(query.end, "to")
    if query.precision is not None and query.precision not in PRECISIONS:
        raise QueryError("precision", f"must be one of {', '.join(PRECISIONS)}")
    if query.cursor is not None:
        decode_cursor(query.cursor, query)


def has_filters(query: TimelineQuery) -> bool:
    """Whether any parameter other than ``min_sources`` can drop an event (``min_sources`` is
    checked against the timeline, see :func:`_ordered`)."""
    return bool(
        query.start
        or query.end
        or query.actors
        or query.types
        or query.subtypes
        or query.document
        or query.text
        or query.precision
    )


def matching(timeline: Timeline, query: TimelineQuery) -> list[Event]:
    """The events that pass every filter, in the requested order (no paging)."""
    return list(_ordered(timeline, query)[0])


def _filtered(timeline: Timeline, query: TimelineQuery) -> list[Event]:
    """The events that pass every filter, in timeline order: one walk over all events."""
    first = period_bounds(query.start, "from")[0] if query.start else None
    last = period_bounds(query.end, "to")[1] if query.end else None
    actors: set[str] | None = None
    if query.actors:
        known = {a for e in timeline.events for a in e.actors}
        actors = set().union(*(resolve_actor(a, known) for a in query.actors))
    types = set(query.types)
    subtypes = set(query.subtypes)
    needle = query.text.casefold() if query.text else None
    coarsest = precision_rank(query.precision) if query.precision else None
    out = []
    for event in timeline.events:
        d = event.date.date
        if first is not None and d.end < first:
            continue
        if last is not None and d.start > last:
            continue
        if actors is not None and not actors.intersection(event.actors):
            continue
        if types and event.type not in types:
            continue
        if subtypes and event.subtype not in subtypes:
            continue
        if query.document and all(s.mention.document_id != query.document for s in event.sources):
            continue
        if event.source_count < query.min_sources:
            continue
        if coarsest is not None and precision_rank(d.precision) > coarsest:
            continue
        if needle is not None and not _mentions_text(event, needle):
            continue
        out.append(event)
    return out


def _mentions_text(event: Event, needle: str) -> bool:
    if needle in event.title.casefold():
        return True
    return any(
        needle in s.mention.quote.casefold() or needle in s.mention.title.casefold() for s in event.sources
    )


# --- per-timeline index: sort keys computed once, not per request -------------------------------


class _Index:
    """What paging needs from one Timeline object, computed on first use: every event's sort key,
    whether the events are in key order (a store's timeline always is; a hand-built one may not be),
    and the descending order. The store hands out one shared, read-only Timeline per revision, so
    this is computed once per revision per process instead of twice per request."""

    def __init__(self, timeline: Timeline) -> None:
        self.events = timeline.events
        self.keys = [_key(e) for e in self.events]
        self.key_of = {id(e): k for e, k in zip(self.events, self.keys, strict=True)}
        self.in_order = all(a <= b for a, b in zip(self.keys, self.keys[1:], strict=False))
        self.min_sources = min((e.source_count for e in self.events), default=0)
        self._desc: tuple[list[Event], list[Key]] | None = None

    def fits(self, timeline: Timeline) -> bool:
        return self.events is timeline.events and len(self.events) == len(self.keys)

    def desc(self) -> tuple[list[Event], list[Key]]:
        """All events newest first, as ``matching`` sorts them (a stable sort of timeline order)."""
        if self._desc is None:
            events = sorted(self.events, key=event_order, reverse=True)
            self._desc = (events, [self.key_of[id(e)] for e in events])
        return self._desc


_INDEX_SLOTS = 8
_indexes: dict[int, tuple[weakref.ref[Timeline], _Index]] = {}
_indexes_lock = threading.RLock()  # re-entrant: a weakref callback may run while this thread holds it


def _index(timeline: Timeline) -> _Index:
    """The index of ``timeline``, kept while the Timeline object lives (at most a few of them)."""
    entry = _indexes.get(id(timeline))
    if entry is not None and entry[0]() is timeline and entry[1].fits(timeline):
        return entry[1]
    index = _Index(timeline)
    ident = id(timeline)

    def forget(_ref: weakref.ref[Timeline]) -> None:
        with _indexes_lock:
            if _indexes.get(ident, (None,))[0] is _ref:
                del _indexes[ident]

    with _indexes_lock:
        while len(_indexes) >= _INDEX_SLOTS:
            del _indexes[next(iter(_indexes))]
        _indexes[ident] = (weakref.ref(timeline, forget), index)
    return index


def _ordered(timeline: Timeline, query: TimelineQuery) -> tuple[list[Event], list[Key], bool]:
    """The matching events in the requested order, their sort keys, and whether the keys are
    monotonic in that order (then a cursor is found by bisection). Without filters, the timeline's
    own (shared, read-only) lists are returned: callers must not mutate them."""
    index = _index(timeline)
    desc = query.sort == "desc"
    if not has_filters(query) and query.min_sources <= index.min_sources:
        if desc:
            events, keys = index.desc()
            return events, keys, True
        return index.events, index.keys, index.in_order
    events = _filtered(timeline, query)
    if desc:
        events.sort(key=event_order, reverse=True)
    return events, [index.key_of[id(e)] for e in events], desc or index.in_order


def _first(keys: Sequence[Key], test: Callable[[Key], bool]) -> int:
    """The first position where ``test`` holds, for a ``test`` that is false then true along keys."""
    lo, hi = 0, len(keys)
    while lo < hi:
        mid = (lo + hi) // 2
        if test(keys[mid]):
            hi = mid
        else:
            lo = mid + 1
    return lo


def _equal_range(keys: Sequence[Key], key: Key, desc: bool) -> tuple[int, int]:
    """[lo, hi): the run of ``key`` in monotonic ``keys`` (ascending, or descending if ``desc``)."""
    if desc:
        return _first(keys, lambda k: k <= key), _first(keys, lambda k: k < key)
    return _first(keys, lambda k: k >= key), _first(keys, lambda k: k > key)


def page(timeline: Timeline, query: TimelineQuery) -> Page:
    """One page of the matching events, with the cursor of the next page (None on the last)."""
    events, keys, in_order = _ordered(timeline, query)
    if not in_order:  # a hand-built timeline out of key order: no bisection
        return _page_by_scan(events, keys, query)
    desc = query.sort == "desc"
    start = 0
    if query.cursor is not None:
        after, ordinal = decode_cursor(query.cursor, query)
        lo, hi = _equal_range(keys, after, desc)
        start = min(lo + max(ordinal + 1, 0), hi)  # past the events served before, whatever changed
    end = start + query.limit
    next_cursor = None
    if end < len(events):
        last = keys[end - 1]
        # its place among the (adjacent) events that share its key
        ordinal = end - 1 - _equal_range(keys, last, desc)[0]
        next_cursor = encode_cursor(last, ordinal, query)
    return Page(events=events[start:end], next_cursor=next_cursor)


def _page_by_scan(ordered: list[Event], keys: list[Key], query: TimelineQuery) -> Page:
    """:func:`page` for events not in key order: every key compared with the cursor's."""
    events, rest_keys = ordered, keys
    if query.cursor is not None:
        after, ordinal = decode_cursor(query.cursor, query)
        events, rest_keys, equal = [], [], 0
        for event, key in zip(ordered, keys, strict=True):
            if key == after:
                equal += 1
                if equal <= ordinal + 1:
                    continue
            elif (key < after) if query.sort == "asc" else (key > after):
                continue
            events.append(event)
            rest_keys.append(key)
    next_cursor = None
    if len(events) > query.limit:
        last = rest_keys[query.limit - 1]
        # its place among the events sharing its key: all of them, less those still to come, less one
        ordinal = keys.count(last) - rest_keys[query.limit :].count(last) - 1
        next_cursor = encode_cursor(last, ordinal, query)
    return Page(events=events[: query.limit], next_cursor=next_cursor)


def query_from_params(params: dict[str, Any], *, default_limit: int) -> TimelineQuery:
    """A TimelineQuery from the schema-loaded parameters (see schemas.TimelineQuerySchema)."""

    def many(name: str) -> tuple[str, ...]:
        value = params.get(name) or ()
        return tuple(value) if isinstance(value, Sequence) and not isinstance(value, str) else (value,)

    return TimelineQuery(
        start=params.get("from"),
        end=params.get("to"),
        actors=many("actor"),
        types=many("type"),
        subtypes=many("subtype"),
        document=params.get("document"),
        text=params.get("q"),
        min_sources=params.get("min_sources", 1),
        precision=params.get("precision"),
        sort=params.get("sort", "asc"),
        limit=params.get("limit", default_limit),
        cursor=params.get("cursor"),
    )
