"""The store: documents, their mentions and the merged events, in one SQLite file (the embedded
default) or in PostgreSQL (shared by API instances and queue workers on several machines).

This is the only package that touches storage, and :class:`Store` is its one door. Extraction
results are stored per document (the mentions), and the merged events are stored beside them, with
the mentions each event cites. A write (ingest, replace, delete) hands its documents to the merge
the store keeps in memory (:mod:`dateline.merging.incremental`, :mod:`dateline.store.remerge`),
which follows the change and names the events it changed. So a write costs what the document
changes, not the size of the timeline or of its story, and the stored events always equal a full
merge of the stored mentions (``tests/test_incremental.py``, on both databases).

The tables are SQLAlchemy Core objects (:mod:`.schema`); the schema is the Alembic history under
``migrations/``, applied when a store opens (:mod:`.database`). One Store object can serve every
Flask thread and survives a fork (gunicorn workers, RQ work horses): pooled connections never cross
one. Every write is one transaction that also bumps ``meta.revision``, which is how readers in other
processes (or on other machines) notice changes. Writes are serialised -- SQLite's ``BEGIN
IMMEDIATE``, PostgreSQL's transaction-scoped advisory lock -- because two concurrent writes would
each follow their change through a merge that misses the other's; reads are snapshots and never
wait.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import sqlalchemy as sa
from alembic.util.exc import CommandError
from sqlalchemy.engine import Connection, Engine

import dateline.store.schema as T
from dateline.fingerprint import merge_version
from dateline.intake.duplicates import TextPrint
from dateline.merging.cluster import _cyclic_gc_paused, merge_mentions
from dateline.merging.incremental import Archive
from dateline.model import Document, DocumentResult, Published, Timeline, event_order
from dateline.store.codec import (
    canonical_events,
    content_hash,
    copies_from,
    document_from_row,
    dump_mention,
    dumps,
    event_from_payload,
    given_payload,
    input_from_row,
    load_mention,
)
from dateline.store.copies import find_copy, key_problems, record_copy, rekey_if_outdated
from dateline.store.database import (
    DatabaseError,
    begin,
    create_engine,
    database_url,
    describe,
    head_revision,
    migrate,
    probe_postgresql,
    probe_sqlite,
    sqlite_files_unwritable,
    unavailable_reason,
)
from dateline.store.errors import (
    DuplicateContentError,
    IdConflictError,
    IngestOutcome,
    StoreError,
    StoreUnavailable,
)
from dateline.store.remerge import read_results, remerge_all, replace_documents
from dateline.store.statements import (
    CHECKS,
    REVISION,
    STORE_ID,
    all_documents,
    document_row,
    meta_value,
)
from dateline.store.transaction import Tx
from dateline.store.writes import ingest_batch, take_archive, write_document

log = logging.getLogger(__name__)

#: meta_values key of the extractor version the stored mentions came from
EXTRACTOR_VERSION = "extractor_version"
#: meta_values key of the merging code version the stored events and link index came from
MERGE_VERSION = "merge_version"


class Store:
    """Documents, mentions and merged events in SQLite or PostgreSQL; the timeline is cached per
    revision.

    ``location`` is a SQLite file (its parent folder is created; every call opens a connection, which
    an in-memory database would not survive), a ``sqlite:///`` URL or a ``postgresql://`` URL. Opening
    applies the schema migrations, rebuilds the events if the merging code changed, and gives a new
    store its id.
    """

    def __init__(self, location: str | Path, *, timeout: float = 30.0) -> None:
        try:
            self.url = database_url(location)
        except (DatabaseError, sa.exc.ArgumentError) as exc:
            raise StoreError(f"cannot open the store at {location}: {exc}") from exc
        self.backend: str = self.url.get_backend_name()
        #: the SQLite file (None on PostgreSQL)
        self.path: Path | None = Path(str(self.url.database)) if self.backend == "sqlite" else None
        #: where the store is, for messages (no password)
        self.location = describe(self.url)
        self.timeout = timeout
        self._lock = threading.Lock()
        self._timeline: tuple[int, Timeline] | None = None
        self._pid = os.getpid()
        #: the merge of every stored mention as of (store id, revision) of the last write this
        #: instance committed (see :meth:`_take_archive`)
        self._archive: tuple[str | None, int, Archive] | None = None
        self._archive_lock = threading.Lock()
        #: writes of this instance's threads one at a time, so that each finds the archive handed back
        self._write_lock = threading.RLock()
        try:
            self._engine = create_engine(self.url, timeout=timeout)
            with self._transaction(write=True) as tx:
                migrate(tx.conn, self.location)
                self._remerge_if_outdated(tx)
                if keyed := rekey_if_outdated(tx):
                    log.info("store %s: copy keys of %d documents rebuilt", self.location, keyed)
                tx.conn.execute(
                    tx.insert(T.meta_values)
                    .values(key=STORE_ID, value=uuid.uuid4().hex)
                    .on_conflict_do_nothing(index_elements=["key"])
                )
                self.store_id: str = meta_value(tx.conn, STORE_ID) or ""
        except DatabaseError as exc:
            raise StoreError(str(exc)) from exc
        except (OSError, sa.exc.SQLAlchemyError, CommandError) as exc:
            raise StoreError(f"cannot open the store at {self.location}: {exc}") from exc

    def __repr__(self) -> str:
        return f"Store({self.location!r})"

    def __str__(self) -> str:
        return self.location

    @property
    def engine(self) -> Engine:
        """The engine, its pool emptied (not closed) the first time it is used in a forked child."""
        if self._pid != os.getpid():
            self._engine.dispose(close=False)
            self._pid = os.getpid()
        return self._engine

    def close(self) -> None:
        """Close the pooled connections (a later call opens new ones)."""
        self._engine.dispose()

    @staticmethod
    def schema_revision() -> str:
        """The newest schema revision this code migrates to."""
        return head_revision()

    @contextmanager
    def _unavailable_as_error(self) -> Iterator[None]:
        """A database that cannot serve now (read-only, full, I/O error, unreachable) raises
        StoreUnavailable; the transaction it interrupted is rolled back by then."""
        try:
            yield
        except sa.exc.DBAPIError as exc:
            reason = unavailable_reason(exc)
            if reason is None:
                raise
            log.error("store %s unavailable: %s (%s)", self.location, reason, exc.orig)
            raise StoreUnavailable(self.location, reason) from exc

    @contextmanager
    def _transaction(self, *, write: bool) -> Iterator[Tx]:
        """One transaction: a write is serialised with every other write (on any machine); a read is
        a consistent snapshot, so a revision and the rows it describes always match."""
        if not write:
            with self._unavailable_as_error(), self.engine.connect() as conn, begin(conn, write=False):
                yield Tx(conn)
            return
        # the cycle collector waits too (as during a merge): the archive is a large heap without
        # cycles, and a full collection in the middle of a write would walk all of it
        with self._write_lock, _cyclic_gc_paused():
            tx: Tx | None = None
            with self._unavailable_as_error(), self.engine.connect() as conn, begin(conn, write=True):
                tx = Tx(conn, take_archive=self._take_archive)
                yield tx
            if tx._archive is not None and tx.revision is not None:  # committed: keep the archive
                with self._archive_lock:
                    self._archive = (tx.store_id, tx.revision, tx._archive)

    def _take_archive(self, tx: Tx) -> Archive:
        """The archive for this write transaction (see :func:`~dateline.store.writes.take_archive`):
        it leaves the store while the transaction uses it, and comes back only when it commits, so a
        rolled-back write cannot leave it wrong."""
        with self._archive_lock:
            held, self._archive = self._archive, None
        return take_archive(tx, held)

    def refresh(self) -> None:
        """Bring the kept merge up to the stored data now, in a read (a queue worker at start, the
        gunicorn master before it forks its workers: the first write then costs what it changes)."""
        with self._write_lock, self._transaction(write=False) as tx:
            with self._archive_lock:
                held, self._archive = self._archive, None
            archive = take_archive(tx, held)
            with self._archive_lock:
                self._archive = (tx.store_id, tx.revision or 0, archive)

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        """A connection for a one-statement read."""
        with self._unavailable_as_error(), self.engine.connect() as conn:
            yield conn

    def check_writable(self) -> None:
        """Raise StoreUnavailable when a write would fail now; cheap enough for every readiness
        probe, and nothing is written.

        A SQLite file is checked on disk (write access to the file, its WAL and its folder: a
        read-only mount or an immutable file refuses even root; free space), then both databases
        take the write lock and update a row in a transaction that is rolled back. A lock held by
        another writer is not waited for: a write in progress shows the store takes writes."""
        if self.path is not None and (reason := sqlite_files_unwritable(self.path)) is not None:
            raise StoreUnavailable(self.location, reason)
        with self._unavailable_as_error(), self.engine.connect() as conn:
            if self.path is not None:
                probe_sqlite(self.path)
            else:
                probe_postgresql(conn)

    def _remerge_if_outdated(self, tx: Tx) -> None:
        """Rebuild the link index and every event when the merging code is not the one that built
        them (or never did, as in a store migrated from schema 1): one transaction, all or nothing."""
        current = merge_version()
        if meta_value(tx.conn, MERGE_VERSION) == current:
            return
        count = remerge_all(tx)
        if count:
            tx.bump()
            log.info("store %s: merging code changed, %d mentions re-merged", self.location, count)
        tx.set_meta_value(MERGE_VERSION, current)

    @staticmethod
    def _given_of(result: DocumentResult, given: Document | None) -> Document:
        if given is not None:
            return given
        doc = result.document
        return doc if doc.published.basis == "given" else replace(doc, published=Published(None, "unknown"))

    # --- writes ---------------------------------------------------------------------------------

    def add(self, result: DocumentResult, given: Document | None = None) -> bool:
        """Store a document and its mentions; replace a stored document with the same id.

        ``given`` is the document as it came in (before the extractor filled in metadata), kept for
        re-extraction; by default the result's document with only a ``given`` publication date.
        Returns False (and changes nothing) when the identical document and mentions are already
        stored, so ingesting the same input twice is harmless while re-extracting with a newer
        extractor refreshes the mentions. Raises DuplicateContentError if another id has this text.
        The copies recorded on the stored document stay while its text does. Unlike :meth:`ingest`,
        a copy by address or near-identical text is stored as given (re-extraction, seeds, bulk
        loads decide themselves what they store).
        """
        doc = result.document
        digest = content_hash(doc.text)
        given_doc = self._given_of(result, given)
        with self._transaction(write=True) as tx:
            conn = tx.conn
            clash = conn.execute(
                sa.select(T.documents.c.id).where(
                    T.documents.c.content_hash == digest, T.documents.c.id != doc.id
                )
            ).scalar_one_or_none()
            if clash is not None:
                raise DuplicateContentError(doc.id, clash)
            row = document_row(conn, T.documents.c.id == doc.id)
            if row is not None and row["content_hash"] == digest:
                doc = replace(doc, also_at=copies_from(row["also_at"]))
            if (
                row is not None
                and document_from_row(row) == doc
                and row["given"] == dumps(given_payload(given_doc))
            ):
                stored = (
                    conn.execute(
                        sa.select(T.mentions.c.payload)
                        .where(T.mentions.c.document_id == doc.id)
                        .order_by(T.mentions.c.seq)
                    )
                    .scalars()
                    .all()
                )
                if stored == [dump_mention(m) for m in result.mentions]:
                    return False
            write_document(tx, doc, result.mentions, given_doc)
        return True

    def ingest(
        self, result: DocumentResult, given: Document | None = None, *, text: TextPrint | None = None
    ) -> IngestOutcome:
        """Store a new document, never replacing one. A copy of a stored document (the same text, one
        of its addresses, or a near-identical text; see :mod:`dateline.intake.duplicates`) gives the
        stored document back (``created`` False), with the copy's address and publisher recorded on
        it; another text under a stored id is an IdConflictError. ``text`` is the text's print when
        the caller has it already (:meth:`fold` took it)."""
        doc = result.document
        text = text or TextPrint.of(doc.text)
        with self._transaction(write=True) as tx:
            found = find_copy(tx.conn, doc, text)
            if found is not None:
                row, match = found
                return IngestOutcome(record_copy(tx, row, doc, match), created=False, match=match)
            if document_row(tx.conn, T.documents.c.id == doc.id) is not None:
                raise IdConflictError(doc.id)
            doc = replace(doc, also_at=())
            write_document(tx, doc, result.mentions, self._given_of(result, given), text)
        return IngestOutcome(doc, created=True)

    def ingest_many(
        self, items: Sequence[tuple[DocumentResult, Document | None]]
    ) -> list[IngestOutcome | Exception]:
        """Store new documents as :meth:`ingest` does, in one transaction and one merge (a batch of
        ``dateline ingest`` or of a queue worker): per item its outcome, or the error it raised
        (IdConflictError). When the batch cannot be written as a whole, each document is written on
        its own, so a failing document loses only itself; an unavailable store raises. The kept merge
        catches up with other writers first, in a read: the write lock is held for this write only."""
        prepared = [(r, self._given_of(r, g), TextPrint.of(r.document.text)) for r, g in items]
        try:
            self.refresh()
        except StoreUnavailable:
            raise
        except Exception:  # left to the write, which catches up (or rebuilds) inside the lock
            log.warning("store %s: no catching up before a write", self, exc_info=True)
        try:
            with self._transaction(write=True) as tx:
                return list(ingest_batch(tx, prepared))
        except StoreUnavailable:
            raise
        except Exception as exc:  # the batch's: each document is tried alone next
            log.warning("store %s: a batch of %d failed (%s); storing one by one", self, len(items), exc)
        out: list[IngestOutcome | Exception] = []
        for result, given, text in prepared:
            try:
                out.append(self.ingest(result, given, text=text))
            except StoreUnavailable:
                raise
            except Exception as exc:  # this document's alone
                out.append(exc)
        return out

    def fold(self, doc: Document, text: TextPrint | None = None) -> IngestOutcome | None:
        """When ``doc`` is a copy of a stored document, record it there and return that document
        (``created`` False), as :meth:`ingest` would after extracting it; None (nothing written)
        when it is a report of its own. Looked up in a read first: only a copy takes the write lock."""
        text = text or TextPrint.of(doc.text)
        with self._transaction(write=False) as tx:
            if find_copy(tx.conn, doc, text) is None:
                return None
        with self._transaction(write=True) as tx:
            found = find_copy(tx.conn, doc, text)  # again: another write may have come between
            if found is None:
                return None
            row, match = found
            return IngestOutcome(record_copy(tx, row, doc, match), created=False, match=match)

    def delete(self, doc_id: str) -> bool:
        """Remove a document, its mentions, its copy keys and its sources in the events (events other
        documents still report stay, re-merged); False if there was none."""
        with self._transaction(write=True) as tx:
            if document_row(tx.conn, T.documents.c.id == doc_id) is None:
                return False
            tx.conn.execute(sa.delete(T.document_keys).where(T.document_keys.c.document_id == doc_id))
            replace_documents(tx, {doc_id: None})
            tx.bump()
        return True

    def set_extractor_version(self, version: str) -> None:
        with self._transaction(write=True) as tx:
            tx.set_meta_value(EXTRACTOR_VERSION, version)

    # --- reads ----------------------------------------------------------------------------------

    def extractor_version(self) -> str | None:
        """The extractor version the stored mentions came from (None: never recorded)."""
        with self._read() as conn:
            return meta_value(conn, EXTRACTOR_VERSION)

    def revision(self) -> int:
        with self._read() as conn:
            return int(conn.execute(REVISION).scalar_one())

    def count(self) -> int:
        with self._read() as conn:
            return int(conn.execute(sa.select(sa.func.count()).select_from(T.documents)).scalar_one())

    def is_empty(self) -> bool:
        return self.count() == 0

    def get_document(self, doc_id: str) -> Document | None:
        with self._read() as conn:
            row = document_row(conn, T.documents.c.id == doc_id)
            return document_from_row(row) if row is not None else None

    def documents(self) -> list[Document]:
        with self._read() as conn:
            return [document_from_row(row) for row in all_documents(conn)]

    def inputs(self) -> list[Document]:
        """Every stored document as it was given (metadata the extractor detected left out): what
        re-extraction starts from."""
        with self._read() as conn:
            return [input_from_row(row) for row in all_documents(conn)]

    def _read_results(self, conn: Connection) -> list[DocumentResult]:
        return list(read_results(conn).values())

    def results(self) -> list[DocumentResult]:
        """Every stored document with its mentions, by document id."""
        with self._transaction(write=False) as tx:
            return self._read_results(tx.conn)

    def _read_timeline(self) -> tuple[int, Timeline]:
        with self._transaction(write=False) as tx:
            return self._timeline_in(tx.conn)

    def _timeline_in(self, conn: Connection) -> tuple[int, Timeline]:
        """The stored timeline and its revision, as the transaction of ``conn`` sees them."""
        revision = int(conn.execute(REVISION).scalar_one())
        documents = {row["id"]: document_from_row(row) for row in all_documents(conn)}
        mentions = {
            (row.document_id, row.seq): load_mention(row.payload)
            for row in conn.execute(
                sa.select(T.mentions.c.document_id, T.mentions.c.seq, T.mentions.c.payload)
            )
        }
        events = [
            event_from_payload(json.loads(payload), mentions, documents)
            for payload in conn.execute(sa.select(T.events.c.payload)).scalars()
        ]
        events.sort(key=event_order)
        return revision, Timeline(events=events, documents=list(documents.values()))

    def current(self) -> tuple[int, Timeline]:
        """The stored events as a timeline with the revision it shows, read again only when the
        revision changed. Callers share the cached object: treat it as read-only."""
        current = self.revision()
        cached = self._timeline
        if cached is not None and cached[0] == current:
            return cached
        with self._lock:
            cached = self._timeline
            if cached is not None and cached[0] == self.revision():
                return cached
            self._timeline = self._read_timeline()
            return self._timeline

    def timeline(self) -> Timeline:
        """The stored events as a timeline (see :meth:`current`)."""
        return self.current()[1]

    def find_by_content(self, text: str) -> Document | None:
        """The stored document with exactly this text, if any."""
        with self._read() as conn:
            row = document_row(conn, T.documents.c.content_hash == content_hash(text))
            return document_from_row(row) if row is not None else None

    def verify(self, *, merge: bool = True) -> list[str]:
        """Problems with the stored data (an empty list when it is consistent): orphan rows, stale
        content hashes, mentions missing from the index or the events, and (with ``merge``) events
        that differ from a full merge of the stored mentions. Every check reads the same snapshot
        (one read transaction), so a write committed meanwhile cannot pass for damage."""
        problems: list[str] = []
        with self._transaction(write=False) as tx:
            for label, sql in CHECKS.items():
                n = int(tx.conn.execute(sa.text(sql)).scalar_one())
                if n:
                    problems.append(f"{n} {label}")
            for row in tx.conn.execute(
                sa.select(T.documents.c.id, T.documents.c.text, T.documents.c.content_hash)
            ):
                if content_hash(row.text) != row.content_hash:
                    problems.append(f"document {row.id!r}: content hash does not match its text")
            problems.extend(key_problems(tx.conn))
            results = self._read_results(tx.conn) if merge else []
            stored_timeline = self._timeline_in(tx.conn)[1] if merge else None
        if stored_timeline is not None:
            stored = canonical_events(stored_timeline.events)
            if stored != canonical_events(merge_mentions(results)):
                problems.append("the stored events differ from a full merge of the stored mentions")
        return problems
