"""Copies of stored documents: found through ``document_keys``, recorded on the stored document.

A copy (the same text, one of the stored document's addresses, or a near-identical text: see
:mod:`dateline.intake.duplicates`) is never stored as a document of its own; its address and
publisher are added to the stored document's ``also_at``, and its address to the stored document's
keys, so a third posting at that address is recognised too. Every document's keys are written in the
transaction that writes the document (and go with it, by cascade, when it is deleted); ``verify``
recomputes them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import sqlalchemy as sa
from sqlalchemy.engine import Connection

import dateline.store.schema as T
from dateline.intake.duplicates import (
    BAND_KEY,
    MATCH_SIMILAR,
    MATCH_TEXT,
    MATCH_URL,
    MAX_CANDIDATES,
    URL_KEY,
    TextPrint,
    addresses,
    best_candidate,
    copy_of,
    document_keys,
    keys_version,
    with_copy,
)
from dateline.model import Document
from dateline.store.codec import content_hash, copies_payload, document_from_row
from dateline.store.statements import chunks, document_row, meta_value
from dateline.store.transaction import Tx

#: meta_values key of the way the stored keys were made (:func:`dateline.intake.duplicates.keys_version`)
KEYS_VERSION = "copy_keys_version"

#: the stored documents holding any of ``keys``, those holding the most first
_HOLDERS = (
    sa.select(T.document_keys.c.document_id, sa.func.count().label("shared"))
    .where(T.document_keys.c.key.in_(sa.bindparam("keys", expanding=True)))
    .group_by(T.document_keys.c.document_id)
    .order_by(sa.desc("shared"), T.document_keys.c.document_id)
    .limit(MAX_CANDIDATES)
)


def find_copy(conn: Connection, doc: Document, text: TextPrint) -> tuple[sa.RowMapping, str] | None:
    """The stored document ``doc`` is a copy of, and how it matched (see
    :mod:`dateline.intake.duplicates`); None when it is a report of its own. A lookup costs a few
    indexed reads whatever the size of the store: only documents sharing an address or a band are
    read, and at most :data:`~dateline.intake.duplicates.MAX_CANDIDATES` of them compared."""
    same = document_row(conn, T.documents.c.content_hash == content_hash(doc.text))
    if same is not None:
        return same, MATCH_TEXT
    urls = [URL_KEY + key for key in addresses(doc)]
    if urls:
        holder = conn.execute(_HOLDERS, {"keys": urls}).first()
        if holder is not None:
            row = document_row(conn, T.documents.c.id == holder.document_id)
            if row is not None:
                return row, MATCH_URL
    holders = [r.document_id for r in conn.execute(_HOLDERS, {"keys": [BAND_KEY + b for b in text.bands]})]
    rows = {row["id"]: row for row in _rows(conn, holders)}
    best = best_candidate(text, ((rows[i], TextPrint.of(rows[i]["text"])) for i in holders if i in rows))
    return (best, MATCH_SIMILAR) if best is not None else None


def _rows(conn: Connection, ids: list[str]) -> Iterator[sa.RowMapping]:
    for chunk in chunks(ids):
        yield from conn.execute(sa.select(T.documents).where(T.documents.c.id.in_(list(chunk)))).mappings()


def record_copy(tx: Tx, row: sa.RowMapping, doc: Document, match: str) -> Document:
    """Record ``doc`` as a copy of the stored document of ``row`` and return that document; nothing
    is written (nor the revision bumped) when the copy tells nothing new (see
    :func:`~dateline.intake.duplicates.with_copy`)."""
    stored = document_from_row(row)
    also_at = with_copy(stored, copy_of(doc, match))
    if also_at is None:
        return stored
    stored = replace(stored, also_at=also_at)
    tx.conn.execute(
        sa.update(T.documents).where(T.documents.c.id == stored.id).values(also_at=copies_payload(also_at))
    )
    keys = [{"key": URL_KEY + key, "document_id": stored.id} for key in addresses(stored)]
    if keys:  # a copy known by its publisher alone brings no address
        tx.conn.execute(tx.insert(T.document_keys).on_conflict_do_nothing(), keys)
    tx.bump()
    return stored


def write_keys(tx: Tx, doc: Document, text: TextPrint | None = None) -> None:
    """Replace the stored keys of ``doc`` (written, or rewritten, in this transaction)."""
    tx.conn.execute(sa.delete(T.document_keys).where(T.document_keys.c.document_id == doc.id))
    rows = [{"key": key, "document_id": doc.id} for key in sorted(document_keys(doc, text))]
    tx.conn.execute(sa.insert(T.document_keys), rows)


def rekey_if_outdated(tx: Tx) -> int:
    """Rebuild every document's keys when they were made another way (or never, as in a store
    migrated from schema 3), else key the documents that have none; the number of documents keyed.
    Reads never see the keys, so the revision stays."""
    current = keys_version()
    documents = T.documents.c.id
    if meta_value(tx.conn, KEYS_VERSION) == current:
        keyed = sa.select(T.document_keys.c.document_id).where(T.document_keys.c.document_id == documents)
        query = sa.select(documents).where(~keyed.exists())
    else:
        tx.conn.execute(sa.delete(T.document_keys))
        query = sa.select(documents)
    ids = list(tx.conn.execute(query.order_by(documents)).scalars())
    for chunk in chunks(ids, 100):
        rows = [
            {"key": key, "document_id": row["id"]}
            for row in _rows(tx.conn, list(chunk))
            for key in document_keys(document_from_row(row))
        ]
        if rows:
            tx.conn.execute(sa.insert(T.document_keys), rows)
    tx.set_meta_value(KEYS_VERSION, current)
    return len(ids)


def key_problems(conn: Connection) -> list[str]:
    """The documents whose stored keys are not those their text and addresses give."""
    stored: dict[str, set[str]] = {}
    for row in conn.execute(sa.select(T.document_keys.c.document_id, T.document_keys.c.key)):
        stored.setdefault(row.document_id, set()).add(row.key)
    problems = []
    for document in conn.execute(sa.select(T.documents)).mappings():
        if stored.get(document["id"], set()) != document_keys(document_from_row(document)):
            problems.append(f"document {document['id']!r}: its copy keys do not match its text and addresses")
    return problems
