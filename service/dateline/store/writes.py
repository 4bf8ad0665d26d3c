"""What a write does besides the merge: the document rows, a batch of new documents in one
transaction, and the archive a write works on (the last one this process committed, brought up to
date with the writes of others)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import sqlalchemy as sa

import dateline.store.schema as T
from dateline.intake.duplicates import TextPrint
from dateline.merging.incremental import Archive
from dateline.model import Document, DocumentResult, Mention
from dateline.store.codec import content_hash, document_columns, dumps, given_payload
from dateline.store.copies import find_copy, record_copy, write_keys
from dateline.store.errors import IdConflictError, IngestOutcome
from dateline.store.remerge import build_archive, read_results, replace_documents
from dateline.store.statements import DOCUMENT_COLUMNS, REVISION, STORE_ID, document_row, meta_value
from dateline.store.transaction import Tx

#: an archive as of (store id, revision)
Held = tuple[str | None, int, Archive]


def take_archive(tx: Tx, held: Held | None) -> Archive:
    """The archive as of the revision ``tx`` reads: ``held`` when it is that one; ``held`` with the
    writes of others since replayed from the change log (the documents they wrote, read again);
    else one built from the stored mentions (another store, a rebuild logged, or nothing held)."""
    tx.revision = int(tx.conn.execute(REVISION).scalar_one())
    tx.store_id = meta_value(tx.conn, STORE_ID)
    if held is not None and held[0] == tx.store_id and held[1] <= tx.revision:
        archive = held[2]
        if held[1] == tx.revision:
            return archive
        changed = set(
            tx.conn.execute(
                sa.select(T.document_changes.c.document_id)
                .distinct()
                .where(T.document_changes.c.revision > held[1])
            ).scalars()
        )
        if None not in changed:
            ids = sorted(doc_id for doc_id in changed if doc_id is not None)
            stored = read_results(tx.conn, ids)
            archive.apply({doc_id: stored.get(doc_id) for doc_id in ids})
            return archive
    return build_archive(tx.conn)


def write_document(
    tx: Tx,
    doc: Document,
    mentions: list[Mention],
    given: Document,
    text: TextPrint | None = None,
    batch: dict[str, DocumentResult | None] | None = None,
) -> None:
    """Write the document's row and copy keys, then its mentions and the events they touch; with
    ``batch``, the mentions are only noted there (the caller merges the batch once)."""
    values = {
        **document_columns(doc),
        "content_hash": content_hash(doc.text),
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "given": dumps(given_payload(given)),
    }
    statement = tx.insert(T.documents).values(**values)
    # a replaced document keeps its created_at
    tx.conn.execute(
        statement.on_conflict_do_update(
            index_elements=["id"], set_={name: statement.excluded[name] for name in DOCUMENT_COLUMNS}
        )
    )
    write_keys(tx, doc, text)
    if batch is not None:
        batch[doc.id] = DocumentResult(doc, mentions)
        return
    replace_documents(tx, {doc.id: DocumentResult(doc, mentions)})
    tx.bump()


def ingest_batch(
    tx: Tx, items: list[tuple[DocumentResult, Document, TextPrint]]
) -> list[IngestOutcome | IdConflictError]:
    """Store new documents (never replacing one) in the caller's transaction, merged once: per item
    its outcome as :meth:`~dateline.store.Store.ingest` gives it, or the IdConflictError it raises.
    A copy of a stored document, or of one earlier in the batch, is recorded on it."""
    batch: dict[str, DocumentResult | None] = {}
    out: list[IngestOutcome | IdConflictError] = []
    for result, given, text in items:
        doc = result.document
        found = find_copy(tx.conn, doc, text)
        if found is not None:
            row, match = found
            out.append(IngestOutcome(record_copy(tx, row, doc, match), created=False, match=match))
        elif doc.id in batch or document_row(tx.conn, T.documents.c.id == doc.id) is not None:
            out.append(IdConflictError(doc.id))
        else:
            doc = replace(doc, also_at=())
            write_document(tx, doc, result.mentions, given, text, batch)
            out.append(IngestOutcome(doc, created=True))
    if batch:
        replace_documents(tx, batch)
        tx.bump()
    return out
