"""Keeping the stored events equal to a full merge of the stored mentions, one write at a time.

A write hands its documents to the kept merge (:class:`dateline.merging.incremental.Archive`), which
follows the change through the merge and names the events it replaced and the new ones; the write
then swaps the documents' mention rows and the events that changed (:func:`replace_documents`). How
much a write costs depends on what it changes, not on the size of the store or of its story.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

import dateline.store.schema as T
from dateline.merging.incremental import Archive, MergedEvent
from dateline.merging.linking import full_name_rows, link_terms
from dateline.merging.names import FULL_NAME
from dateline.model import DocumentResult, Mention
from dateline.store.codec import Key, document_from_row, dump_mention, dumps, event_payload, load_mention
from dateline.store.statements import EVENT_PAYLOADS, MENTION_KEY, all_documents, chunks
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
    """Replace ``stale_events`` by ``merged``. A stored event whose payload (which names its sources,
    so it fixes the member rows too) equals a merged one stays as it is, unless it cites a mention of
    ``rewrite`` (mentions deleted and stored again: their member rows went with them)."""
    conn = tx.conn
    kept: dict[str, list[int]] = {}
    for chunk in chunks(sorted(stale_events)):
        for row in conn.execute(EVENT_PAYLOADS, {"keys": list(chunk)}):
            kept.setdefault(row.payload, []).append(int(row.key))
    rewritten = set(rewrite)
    fresh: list[tuple[MergedEvent, str]] = []
    for m in merged:
        payload = dumps(event_payload(m.event, m.members))
        same = kept.get(payload)
        if same and not rewritten.intersection(m.members):
            same.pop()
            continue
        fresh.append((m, payload))
    gone = sorted(key for event_keys in kept.values() for key in event_keys)
    for chunk in chunks(gone):
        conn.execute(sa.delete(T.events).where(T.events.c.key.in_(list(chunk))))
    if not fresh:
        return
    # ids are not keys: the merger can give two events one id (two mentions on one trigger)
    event_keys = (
        conn.execute(
            sa.insert(T.events).returning(T.events.c.key, sort_by_parameter_order=True),
            [{"id": m.event.id, "payload": payload} for m, payload in fresh],
        )
        .scalars()
        .all()
    )
    conn.execute(
        sa.insert(T.event_members),
        [
            {"event_key": event_key, "document_id": doc_id, "seq": seq, "position": i}
            for event_key, (m, _) in zip(event_keys, fresh, strict=True)
            for i, (doc_id, seq) in enumerate(m.members)
        ],
    )


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
