"""Keeping the stored events equal to a full merge of the stored mentions, one write at a time.

A write indexes the document's mentions (their link columns and terms, :func:`index_mentions`),
takes the closure of what the old and the new mentions touch (:mod:`dateline.store.components`),
merges that closed set on its own (:func:`dateline.merging.incremental.merge_component`) and writes
only the events that changed (:func:`merge_and_store`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import sqlalchemy as sa

import dateline.store.schema as T
from dateline.merging.incremental import MergedEvent, merge_component
from dateline.merging.linking import full_name_rows, link_terms
from dateline.merging.names import FULL_NAME, SINGLE_NAME, is_full_name, surname
from dateline.model import Mention
from dateline.store.codec import Key, dump_mention, dumps, event_payload, load_mention
from dateline.store.components import (
    Parts,
    closure,
    events_of_components,
    label_missing,
    label_parts,
    stored_surname_map,
)
from dateline.store.statements import EVENT_PAYLOADS, chunks, keys_of_term
from dateline.store.transaction import Tx


def remerge_all(tx: Tx) -> int:
    """Rebuild the link index, the components and every event from the stored mentions (the merging
    code changed); the number of mentions re-merged."""
    conn = tx.conn
    conn.execute(sa.delete(T.mention_terms))
    conn.execute(sa.delete(T.events))
    conn.execute(sa.update(T.mentions).values(component=None))
    rows = conn.execute(sa.select(T.mentions.c.document_id, T.mentions.c.seq, T.mentions.c.payload))
    items = [((row.document_id, row.seq), load_mention(row.payload)) for row in rows]
    tx.decoded.update(items)
    index_mentions(tx, items, insert=False)
    label_missing(tx)
    if items:
        merge_and_store(tx, {key for key, _ in items}, set())
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


def merge_and_store(tx: Tx, keys: set[Key], stale_events: set[int], rewrite: Iterable[Key] = ()) -> None:
    """Replace ``stale_events`` by the merge of the mentions ``keys`` (a closed set).

    Only what changed is written: a stored event whose payload (which names its sources, so it
    fixes the member rows too) equals a merged one stays as it is, unless it cites a mention of
    ``rewrite`` (mentions deleted and stored again: their member rows went with them).
    """
    conn = tx.conn
    kept: dict[str, list[int]] = {}
    for chunk in chunks(sorted(stale_events)):
        for row in conn.execute(EVENT_PAYLOADS, {"keys": list(chunk)}):
            kept.setdefault(row.payload, []).append(int(row.key))
    merged: list[MergedEvent] = []
    payloads: list[str] = []
    if keys:
        mentions = tx.mentions(keys)
        documents = tx.documents({doc_id for doc_id, _ in keys})
        corpus_map = stored_surname_map(tx, mentions.values())
        rewritten = set(rewrite)
        for m in merge_component(mentions, documents, corpus_map):
            payload = dumps(event_payload(m.event, m.members))
            same = kept.get(payload)
            if same and not rewritten.intersection(m.members):
                same.pop()
                continue
            merged.append(m)
            payloads.append(payload)
    gone = sorted(key for event_keys in kept.values() for key in event_keys)
    for chunk in chunks(gone):
        conn.execute(sa.delete(T.events).where(T.events.c.key.in_(list(chunk))))
    if not merged:
        return
    # ids are not keys: the merger can give two events one id (two mentions on one trigger)
    event_keys = (
        conn.execute(
            sa.insert(T.events).returning(T.events.c.key, sort_by_parameter_order=True),
            [{"id": m.event.id, "payload": payload} for m, payload in zip(merged, payloads, strict=True)],
        )
        .scalars()
        .all()
    )
    conn.execute(
        sa.insert(T.event_members),
        [
            {"event_key": event_key, "document_id": doc_id, "seq": seq, "position": i}
            for event_key, m in zip(event_keys, merged, strict=True)
            for i, (doc_id, seq) in enumerate(m.members)
        ],
    )


def _surnames_of(mentions: Iterable[Mention]) -> set[str]:
    return {surname(a) for m in mentions for a in m.actors if is_full_name(a)}


def replace_mentions(tx: Tx, doc_id: str, new: Sequence[Mention] | None) -> None:
    """Swap the document's mentions for ``new`` (None: the document goes) and re-merge what that
    touches: the old mentions' closure, the new mentions' closure, and the single names whose
    surname mapping the change flips."""
    for seq, mention in enumerate(new or ()):
        if mention.document_id != doc_id:
            raise ValueError(f"mention {seq} of document {doc_id!r} belongs to {mention.document_id!r}")
    conn = tx.conn
    old_keys = {
        (doc_id, seq)
        for seq in conn.execute(
            sa.select(T.mentions.c.seq).where(T.mentions.c.document_id == doc_id)
        ).scalars()
    }
    old_closure, old_components, _ = closure(tx, old_keys) if old_keys else (set(), {}, Parts())
    # events citing the old closure (some cite only old mentions, whose member rows go now)
    old_events = events_of_components(tx, old_components)
    old_mentions = tx.mentions(old_keys)
    touched_surnames = _surnames_of(old_mentions.values()) | _surnames_of(new or ())
    before = {name: tx.full_names_ending_in(name) for name in touched_surnames}

    conn.execute(sa.delete(T.mentions).where(T.mentions.c.document_id == doc_id))
    if new is None:
        conn.execute(sa.delete(T.documents).where(T.documents.c.id == doc_id))
    for key in old_keys:
        tx.decoded.pop(key, None)
    tx.cache.documents.pop(doc_id, None)
    tx.full_names.clear()
    items = [((doc_id, seq), mention) for seq, mention in enumerate(new or ())]
    index_mentions(tx, items, insert=True)
    tx.decoded.update(items)
    new_keys = {key for key, _ in items}

    seeds = (old_closure - old_keys) | new_keys
    for name in touched_surnames:
        after = tx.full_names_ending_in(name)
        if (len(before[name]) == 1) != (len(after) == 1) or (len(after) == 1 and before[name] != after):
            seeds |= keys_of_term(tx.conn, SINGLE_NAME + name)
    closed, components, parts = closure(tx, seeds) if seeds else (set(), {}, Parts())
    events = old_events | events_of_components(tx, components)
    label_parts(tx, closed, components, parts)
    merge_and_store(tx, closed, events, old_keys)
