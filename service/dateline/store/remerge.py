"""Keeping the stored events equal to a full merge of the stored mentions, one write at a time.

A write hands its documents to the kept merge (:class:`dateline.merging.incremental.Archive`), which
follows the change through the merge and names the events it replaced and the new ones; the write
then swaps the documents' mention rows and the events that changed (:func:`replace_documents`). How
much a write costs depends on what it changes, not on the size of the store or of its story.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

import dateline.store.schema as T
from dateline.merging.incremental import Archive, MergedEvent
from dateline.merging.linking import full_name_rows, link_terms
from dateline.merging.names import FULL_NAME
from dateline.model import DocumentResult, Mention
from dateline.store.codec import (
    Key,
    document_from_row,
    dump_mention,
    dumps,
    event_payload,
    load_mention,
)
from dateline.store.statements import (
    DELETE_MEMBER,
    EVENT_PAYLOADS,
    MENTION_KEY,
    SET_MEMBER_POSITION,
    UPDATE_EVENT,
    all_documents,
    chunks,
)
from dateline.store.transaction import Tx


def read_results(conn: Connection, doc_ids: Iterable[str] | None = None) -> dict[str, DocumentResult]:
    """The stored documents (all, or ``doc_ids``; a missing one is left out) with their mentions."""
    if doc_ids is None:
        rows = all_documents(conn)
        mentions: Iterable[Any] = conn.execute(
            sa.select(T.mentions.c.document_id, T.mentions.c.payload).order_by(
                T.mentions.c.document_id, T.mentions.c.seq
            )
        )
    else:
        wanted = sorted(set(doc_ids))
        rows = [
            row
            for chunk in chunks(wanted)
            for row in conn.execute(
                sa.select(T.documents).where(T.documents.c.id.in_(list(chunk)))
            ).mappings()
        ]
        mentions = (
            row
            for chunk in chunks(wanted)
            for row in conn.execute(
                sa.select(T.mentions.c.document_id, T.mentions.c.payload)
                .where(T.mentions.c.document_id.in_(list(chunk)))
                .order_by(T.mentions.c.document_id, T.mentions.c.seq)
            )
        )
    results = {row["id"]: DocumentResult(document_from_row(row), []) for row in rows}
    for row in mentions:
        results[row.document_id].mentions.append(load_mention(row.payload))
    return results


def build_archive(conn: Connection) -> Archive:
    """The archive of every stored mention (one full merge)."""
    return Archive.of(read_results(conn).values())


def remerge_all(tx: Tx) -> int:
    """Rebuild the link index and every event from the stored mentions (the merging code changed);
    the number of mentions re-merged. The transaction's archive is the new one."""
    conn = tx.conn
    conn.execute(sa.delete(T.mention_terms))
    conn.execute(sa.delete(T.events))
    results = read_results(conn)
    items = [((r.document.id, seq), m) for r in results.values() for seq, m in enumerate(r.mentions)]
    index_mentions(tx, items, insert=False)
    archive = Archive.of(results.values())
    tx._archive = archive
    tx.rebuilt = True
    _store_events(tx, [archive.merged(g) for g in archive.groups.values()], set(), ())
    return len(items)


def index_mentions(tx: Tx, items: Sequence[tuple[Key, Mention]], *, insert: bool) -> None:
    """Store (or, with ``insert`` False, only index) mentions: their link columns and terms."""
    if not items:
        return
    rows = []
    terms: list[dict[str, Any]] = []
    for (doc_id, seq), mention in items:
        row = {
            "b_document_id": doc_id,
            "b_seq": seq,
            "b_type": mention.type,
            "b_generic": int(mention.generic),
            "b_first_year": mention.date.start.year,
            "b_last_year": mention.date.end.year,
        }
        if insert:
            row["b_payload"] = dump_mention(mention)
        rows.append(row)
        pairs: list[tuple[str, str | None]] = [
            (term, None) for term in link_terms(mention) if not term.startswith(FULL_NAME)
        ]
        pairs.extend(full_name_rows(mention))
        terms.extend(
            {"document_id": doc_id, "seq": seq, "term": term, "name": name}
            for term, name in dict.fromkeys(pairs)
        )
    link_columns = ("type", "generic", "first_year", "last_year")
    columns: dict[str, Any] = {name: sa.bindparam(f"b_{name}") for name in link_columns}
    if insert:
        tx.conn.execute(
            sa.insert(T.mentions).values(
                document_id=sa.bindparam("b_document_id"),
                seq=sa.bindparam("b_seq"),
                payload=sa.bindparam("b_payload"),
                **columns,
            ),
            rows,
        )
    else:
        tx.conn.execute(
            sa.update(T.mentions)
            .where(T.mentions.c.document_id == sa.bindparam("b_document_id"))
            .where(T.mentions.c.seq == sa.bindparam("b_seq"))
            .values(**columns),
            rows,
        )
    if terms:
        tx.conn.execute(sa.insert(T.mention_terms), terms)


def _events_citing(tx: Tx, keys: Iterable[Key]) -> set[int]:
    sql = "SELECT DISTINCT m.event_key FROM {keys} JOIN event_members m ON " + MENTION_KEY
    return {int(row["event_key"]) for row in tx.keyed(sql, keys)}


def _store_events(tx: Tx, merged: list[MergedEvent], stale_events: set[int], rewrite: Iterable[Key]) -> None:
    """Replace ``stale_events`` by ``merged``, touching only what changed. A stored event whose
    payload (which names its sources, so it fixes the member rows too) equals a merged one stays as
    it is, unless it cites a mention of ``rewrite`` (mentions deleted and stored again: their member
    rows went with them). A stored event with a merged one's id keeps its key: its payload row is
    updated and only its sources that came, went or moved get member rows inserted, deleted or
    renumbered; on a long story an event of a hundred sources gains one, so a write costs what it
    changes, not the size of the events it touches."""
    conn = tx.conn
    stored: dict[int, tuple[str, str]] = {}
    for chunk in chunks(sorted(stale_events)):
        for row in conn.execute(EVENT_PAYLOADS, {"keys": list(chunk)}):
            stored[int(row.key)] = (row.id, row.payload)
    rewritten = set(rewrite)
    by_payload: dict[str, list[int]] = {}
    for key, (_, payload) in stored.items():
        by_payload.setdefault(payload, []).append(key)
    pending: list[tuple[MergedEvent, str]] = []
    for m in merged:
        payload = dumps(event_payload(m.event, m.members))
        same = by_payload.get(payload)
        if same and not rewritten.intersection(m.members):
            del stored[same.pop()]
            continue
        pending.append((m, payload))
    by_id: dict[str, list[int]] = {}
    for key in sorted(stored, reverse=True):
        by_id.setdefault(stored[key][0], []).append(key)
    fresh: list[tuple[MergedEvent, str]] = []
    updated: list[tuple[int, MergedEvent, str]] = []
    for m, payload in pending:
        same = by_id.get(m.event.id)
        if same:
            updated.append((same.pop(), m, payload))
        else:
            fresh.append((m, payload))
    gone = sorted(key for event_keys in by_id.values() for key in event_keys)
    for chunk in chunks(gone):
        conn.execute(sa.delete(T.events).where(T.events.c.key.in_(list(chunk))))
    members = _member_changes(stored, updated, rewritten)
    if members.removed:
        conn.execute(DELETE_MEMBER, [{"b_document_id": d, "b_seq": s} for d, s in members.removed])
    if updated:
        conn.execute(UPDATE_EVENT, [{"b_key": key, "b_payload": payload} for key, _, payload in updated])
    if members.moved:
        conn.execute(SET_MEMBER_POSITION, members.moved)
    rows = members.added
    if fresh:
        # ids are not keys: the merger can give two events one id (two mentions on one trigger)
        event_keys = (
            conn.execute(
                sa.insert(T.events).returning(T.events.c.key, sort_by_parameter_order=True),
                [{"id": m.event.id, "payload": payload} for m, payload in fresh],
            )
            .scalars()
            .all()
        )
        rows.extend(
            {"event_key": event_key, "document_id": doc_id, "seq": seq, "position": i}
            for event_key, (m, _) in zip(event_keys, fresh, strict=True)
            for i, (doc_id, seq) in enumerate(m.members)
        )
    if rows:
        conn.execute(sa.insert(T.event_members), rows)


@dataclass
class _MemberChanges:
    """The member rows a write changes in the events it updates in place."""

    removed: list[Key] = field(default_factory=list)
    moved: list[dict[str, Any]] = field(default_factory=list)
    added: list[dict[str, Any]] = field(default_factory=list)


def _member_changes(
    stored: Mapping[int, tuple[str, str]], updated: list[tuple[int, MergedEvent, str]], rewritten: set[Key]
) -> _MemberChanges:
    """What turns the member rows of the events updated in place into those of their new sources:
    the rows an event has are its stored payload's sources (at their position) but those of
    ``rewritten`` mentions, whose rows went with the mentions. A row removed here may be added to
    another event: the caller deletes before it inserts."""
    out = _MemberChanges()
    for key, m, _ in updated:
        old = {
            (doc_id, seq): i
            for i, (doc_id, seq) in enumerate(json.loads(stored[key][1])["sources"])
            if (doc_id, seq) not in rewritten
        }
        new = {member: i for i, member in enumerate(m.members)}
        out.removed.extend(member for member in old if member not in new)
        for (doc_id, seq), i in new.items():
            was = old.get((doc_id, seq))
            if was is None:
                out.added.append({"event_key": key, "document_id": doc_id, "seq": seq, "position": i})
            elif was != i:
                out.moved.append({"b_document_id": doc_id, "b_seq": seq, "b_position": i})
    return out


def replace_documents(tx: Tx, changes: Mapping[str, DocumentResult | None]) -> None:
    """Swap the mentions of the documents ``changes`` names for the new ones (None: the document
    goes; its row is deleted here, the caller writes the rows of the others) and store the events
    the change touches. One call for a batch: one pass through the merge, one set of statements."""
    if not changes:
        return
    update = tx.archive.apply(changes)
    stale = _events_citing(tx, update.stale_members)  # before their member rows go with the mentions
    conn = tx.conn
    ids = sorted(changes)
    old_keys: set[Key] = set()
    for chunk in chunks(ids):
        old_keys.update(
            (row.document_id, row.seq)
            for row in conn.execute(
                sa.select(T.mentions.c.document_id, T.mentions.c.seq).where(
                    T.mentions.c.document_id.in_(list(chunk))
                )
            )
        )
        conn.execute(sa.delete(T.mentions).where(T.mentions.c.document_id.in_(list(chunk))))
    gone = [doc_id for doc_id in ids if changes[doc_id] is None]
    for chunk in chunks(gone):
        conn.execute(sa.delete(T.documents).where(T.documents.c.id.in_(list(chunk))))
    items = [
        ((doc_id, seq), mention)
        for doc_id in ids
        if (result := changes[doc_id]) is not None
        for seq, mention in enumerate(result.mentions)
    ]
    index_mentions(tx, items, insert=True)
    _store_events(tx, update.events, stale, old_keys)
    tx.changed.update(ids)
