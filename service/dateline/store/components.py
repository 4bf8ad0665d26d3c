"""Components: the parts of the stored mentions that a merge can treat on their own.

Every stored mention carries a ``component`` label, and a labelled component is closed: no link
(:func:`dateline.merging.linking.may_interact`), stored event or ambiguous surname leads out of it.
A write re-merges the :func:`closure` of what it touches, walking the link index only from new
mentions, then gives each closed part of it a label (:func:`label_parts`), so unrelated stories one
document reports do not stay glued together.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import sqlalchemy as sa

import dateline.store.schema as T
from dateline.merging.linking import LinkInfo, may_interact, partner_terms
from dateline.merging.names import FULL_NAME, ambiguous_surnames, corpus_surname_map, is_single_name
from dateline.model import Mention
from dateline.store.codec import Key
from dateline.store.statements import (
    EVENTS_OF_COMPONENTS,
    FULL_NAMES,
    LAST_COMPONENT,
    LINKED,
    MEMBERS_OF_COMPONENTS,
    MEMBERS_OF_EVENTS,
    MENTION_KEY,
    SET_COMPONENT,
    chunks,
    keys_of_term,
)
from dateline.store.transaction import Tx


class Parts:
    """Union-find over mention keys: the parts of a closed set that are closed on their own.

    A write's closed set is the union of the closures of all its seeds, and a document can report
    unrelated stories: labelling the whole set as one component would glue those stories together
    for good (every later write would take all of them). So the closure records why it took each
    mention in (the link, the event or the ambiguous surname that joins two mentions, and the
    component a mention came with) and each connected part gets a label of its own.
    """

    def __init__(self) -> None:
        self._parent: dict[Key, Key] = {}

    def find(self, key: Key) -> Key:
        parent = self._parent
        root = parent.setdefault(key, key)
        while parent[root] != root:
            root = parent[root]
        while key != root:  # path compression
            parent[key], key = root, parent[key]
        return root

    def union(self, a: Key, b: Key) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self._parent[ra] = rb

    def union_all(self, keys: Iterable[Key]) -> None:
        first: Key | None = None
        for key in keys:
            if first is None:
                first = self.find(key)
            else:
                self.union(key, first)

    def groups(self, keys: Iterable[Key]) -> list[set[Key]]:
        """``keys`` by part."""
        out: dict[Key, set[Key]] = {}
        for key in keys:
            out.setdefault(self.find(key), set()).add(key)
        return list(out.values())


def _link_info(tx: Tx, keys: Iterable[Key]) -> dict[Key, LinkInfo]:
    """The link columns and terms of the stored mentions ``keys``."""
    wanted = set(keys)
    terms: dict[Key, set[str]] = {}
    for row in tx.keyed(
        "SELECT m.document_id, m.seq, m.term FROM {keys} JOIN mention_terms m ON " + MENTION_KEY, wanted
    ):
        terms.setdefault((row["document_id"], row["seq"]), set()).add(row["term"])
    out: dict[Key, LinkInfo] = {}
    for row in tx.keyed(
        "SELECT m.document_id, m.seq, m.type, m.generic, m.first_year, m.last_year"
        " FROM {keys} JOIN mentions m ON " + MENTION_KEY,
        wanted,
    ):
        key = (row["document_id"], row["seq"])
        out[key] = LinkInfo(
            type=row["type"],
            generic=bool(row["generic"]),
            first_year=row["first_year"],
            last_year=row["last_year"],
            terms=frozenset(terms.get(key, ())),
        )
    return out


def _linked(tx: Tx, frontier: Mapping[Key, LinkInfo], parts: Parts) -> set[Key]:
    """Stored mentions that may interact with a mention of ``frontier`` (those not in it), each
    joined in ``parts`` with the mentions it links to (in ``frontier`` too)."""
    wanted: dict[str, list[tuple[Key, LinkInfo]]] = {}
    for key, info in frontier.items():
        for term in partner_terms(info.terms):
            wanted.setdefault(term, []).append((key, info))
    found: set[Key] = set()
    for chunk in chunks(sorted(wanted)):
        for row in tx.conn.execute(LINKED, {"terms": list(chunk)}):
            key = (row.document_id, row.seq)
            other: LinkInfo | None = None
            for source, info in wanted[row.term]:
                if source == key or parts.find(source) == parts.find(key):
                    continue  # joined already: no need to decide this link
                if other is None:
                    # ``other`` carries only the matching term: enough to decide this link
                    other = LinkInfo(
                        type=row.type,
                        generic=bool(row.generic),
                        first_year=row.first_year,
                        last_year=row.last_year,
                        terms=frozenset([row.term]),
                    )
                if may_interact(info, other):
                    parts.union(source, key)
                    if key not in frontier:
                        found.add(key)
    return found


def _event_members_of(tx: Tx, keys: Iterable[Key], parts: Parts) -> tuple[set[int], set[Key]]:
    """The stored events citing any of ``keys``, and every mention those events cite (the
    mentions of each event joined in ``parts``)."""
    events = {
        int(row["event_key"])
        for row in tx.keyed(
            "SELECT DISTINCT m.event_key FROM {keys} JOIN event_members m ON " + MENTION_KEY, keys
        )
    }
    by_event: dict[int, list[Key]] = {}
    for chunk in chunks(sorted(events)):
        for row in tx.conn.execute(MEMBERS_OF_EVENTS, {"keys": list(chunk)}):
            by_event.setdefault(int(row.event_key), []).append((row.document_id, row.seq))
    members: set[Key] = set()
    for cited in by_event.values():
        parts.union_all(cited)
        members.update(cited)
    return events, members


def _components_of(tx: Tx, keys: Iterable[Key]) -> tuple[set[int], set[Key]]:
    """The component labels of ``keys``, and those of ``keys`` that have none (new mentions)."""
    labels: set[int] = set()
    unlabelled: set[Key] = set()
    for row in tx.keyed(
        "SELECT m.document_id, m.seq, m.component FROM {keys} JOIN mentions m ON " + MENTION_KEY, keys
    ):
        if row["component"] is None:
            unlabelled.add((row["document_id"], row["seq"]))
        else:
            labels.add(int(row["component"]))
    return labels, unlabelled


def _members_of_components(tx: Tx, labels: Iterable[int]) -> dict[int, set[Key]]:
    out: dict[int, set[Key]] = {}
    for chunk in chunks(sorted(labels)):
        for row in tx.conn.execute(MEMBERS_OF_COMPONENTS, {"labels": list(chunk)}):
            out.setdefault(int(row.component), set()).add((row.document_id, row.seq))
    return out


def events_of_components(tx: Tx, labels: Iterable[int]) -> set[int]:
    """The stored events citing a mention of the components ``labels``."""
    events: set[int] = set()
    for chunk in chunks(sorted(labels)):
        events.update(
            int(k) for k in tx.conn.execute(EVENTS_OF_COMPONENTS, {"labels": list(chunk)}).scalars()
        )
    return events


def closure(tx: Tx, seeds: Iterable[Key]) -> tuple[set[Key], dict[int, set[Key]], Parts]:
    """The smallest union of components holding ``seeds`` that a merge can treat on its own:
    closed under links, under the stored events it meets, and under ambiguous surnames. Also
    the components it takes in, with their members, and the parts of the union that are closed
    on their own (see :class:`Parts`).

    A component (the mentions sharing a ``component`` label) is closed already, so it is taken
    whole, in one indexed lookup; only unlabelled mentions (new ones) are walked through the link
    index. The union is closed: a link or an event leaving it would leave a component or start at
    an unlabelled mention, and both were followed. Labels are never split when mentions go (a
    closed set minus some mentions stays closed under links and events, and the surname changes
    a deletion makes are seeded by the caller), so a component may be larger than needed, never
    smaller: the merge of a larger closed set gives the same events.

    The parts join a component's members, the two ends of every link and the members of every
    event the walk followed, and for an ambiguous surname X every full name ending in X with
    every mention naming X alone. A part is then closed too: a component is, the walk followed
    every link and event from the other mentions, and a part that holds X and a full name ending
    in X holds all of them.
    """
    closed: set[Key] = set()
    components: dict[int, set[Key]] = {}
    labelled: set[Key] = set()  # keys taken in with their component: nothing more to look up
    parts = Parts()
    ambiguous: dict[str, set[Key]] = {}  # surname -> the mentions with a full name ending in it
    mentions: dict[Key, Mention] = {}
    frontier = set(seeds)
    while frontier:
        while frontier:
            closed |= frontier
            labels, unlabelled = _components_of(tx, frontier - labelled)
            grown: set[Key] = set()
            for label, members in _members_of_components(tx, labels - components.keys()).items():
                components[label] = members
                parts.union_all(members)
                labelled |= members
                grown |= members
            if unlabelled:
                grown |= _linked(tx, _link_info(tx, unlabelled), parts)
                grown |= _event_members_of(tx, unlabelled, parts)[1]
            frontier = grown - closed
        mentions = tx.mentions(closed)
        corpus_map = stored_surname_map(tx, mentions.values())
        for name in ambiguous_surnames(mentions.values(), corpus_map):
            if name not in ambiguous:
                ambiguous[name] = keys_of_term(tx.conn, FULL_NAME + name)
            frontier |= ambiguous[name]
        frontier -= closed
    for name, full in ambiguous.items():
        parts.union_all([*full, *(key for key, m in mentions.items() if name in m.actors)])
    return closed, components, parts


def label_parts(tx: Tx, closed: set[Key], components: Mapping[int, set[Key]], parts: Parts) -> None:
    """Give each part of the closed set ``closed`` one label: its largest component's (so a
    topical store's big component keeps its rows as they are), relabelling the others and the
    new mentions, or a new label."""
    if not closed:
        return
    conn = tx.conn
    by_part: dict[Key, list[int]] = {}
    for c, members in components.items():
        by_part.setdefault(parts.find(next(iter(members))), []).append(c)
    last: int | None = None
    assigned: list[dict[str, Any]] = []
    for group in parts.groups(closed):
        labels = by_part.get(parts.find(next(iter(group))), [])
        if labels:
            label = max(labels, key=lambda c: (len(components[c]), -c))
        else:
            if last is None:
                last = int(conn.execute(LAST_COMPONENT).scalar_one())
            last += 1
            label = last
        others = sorted(set(labels) - {label})
        for chunk in chunks(others):
            conn.execute(
                sa.update(T.mentions).where(T.mentions.c.component.in_(list(chunk))).values(component=label)
            )
        unlabelled = group.difference(*(components[c] for c in labels))
        assigned.extend({"b_document_id": d, "b_seq": q, "b_component": label} for d, q in unlabelled)
    if assigned:
        conn.execute(SET_COMPONENT, assigned)


def label_missing(tx: Tx) -> None:
    """Label the mentions that have no component (a store migrated from schema 0002, or a full
    re-merge): one closure at a time, so every label is a closed set. Events stay as they are."""
    while True:
        row = tx.conn.execute(
            sa.select(T.mentions.c.document_id, T.mentions.c.seq)
            .where(T.mentions.c.component.is_(None))
            .limit(1)
        ).first()
        if row is None:
            return
        closed, components, parts = closure(tx, {(row.document_id, row.seq)})
        label_parts(tx, closed, components, parts)


def stored_surname_map(tx: Tx, mentions: Iterable[Mention]) -> dict[str, str]:
    """The corpus's surname map for the names of ``mentions``, from the stored full names."""
    names = {a for m in mentions for a in m.actors}
    # the full names of every single name not looked up yet, in one statement per chunk
    missing = sorted(n for n in names if is_single_name(n) and n not in tx.full_names)
    for chunk in chunks(missing):
        found: dict[str, set[str]] = {name: set() for name in chunk}
        for row in tx.conn.execute(FULL_NAMES, {"terms": [FULL_NAME + name for name in chunk]}):
            found[row.term[len(FULL_NAME) :]].add(row.name)
        tx.full_names.update((name, frozenset(full)) for name, full in found.items())
    return corpus_surname_map(names, lambda name: set(tx.full_names_ending_in(name)))
