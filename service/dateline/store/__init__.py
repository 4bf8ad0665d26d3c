"""The store: documents, their mentions and the merged events, in one SQLite file (the embedded
default) or in PostgreSQL (shared by API instances and queue workers on several machines).

This is the only package that touches storage. Extraction results are stored per document (the
mentions), and the merged events are stored beside them, with the mentions each event cites. A write
(ingest, replace, delete) re-merges only the events the document can affect: the link components of
:mod:`dateline.incremental`, walked through an index of each mention's actors, place, type and years.
So a write costs what the document touches, not the whole timeline, and the stored events always
equal a full merge of the stored mentions (``tests/test_incremental.py``, on both databases).

The tables are SQLAlchemy Core objects (:mod:`.schema`); the schema is the Alembic history under
``migrations/``, applied when a store opens (:mod:`.database`). One Store object can serve every
Flask thread and survives a fork (gunicorn workers, RQ work horses): pooled connections never cross
one. Every write is one transaction that also bumps ``meta.revision``, which is how readers in other
processes (or on other machines) notice changes. Writes are serialised -- SQLite's ``BEGIN
IMMEDIATE``, PostgreSQL's transaction-scoped advisory lock -- because two concurrent re-merges of
overlapping components would each miss the other's mentions; reads are snapshots and never wait.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sqlite3
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic.util.exc import CommandError
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine

from ..fingerprint import merge_version
from ..incremental import (
    FULL_NAME,
    SINGLE_NAME,
    LinkInfo,
    MergedEvent,
    ambiguous_surnames,
    corpus_surname_map,
    full_name_rows,
    is_full_name,
    is_single_name,
    link_terms,
    may_interact,
    merge_component,
    partner_terms,
    surname,
)
from ..model import (
    PRECISIONS,
    DateValue,
    Document,
    DocumentResult,
    Event,
    EventDate,
    Mention,
    Published,
    Source,
    TextSpan,
    Timeline,
    precision_rank,
)
from . import schema as T
from .database import (
    DatabaseError,
    begin,
    create_engine,
    database_url,
    describe,
    head_revision,
    migrate,
    unavailable_reason,
)

log = logging.getLogger(__name__)

#: meta_values key of the extractor version the stored mentions came from
EXTRACTOR_VERSION = "extractor_version"
#: meta_values key of the merging code version the stored events and link index came from
MERGE_VERSION = "merge_version"
#: meta_values key of a random id made when the store is created (ETags must not repeat across stores)
STORE_ID = "store_id"
#: keys per statement: SQLite allows 32766 host parameters, a chunk stays well below
_CHUNK = 400

Key = tuple[str, int]


class StoreError(RuntimeError):
    """The store cannot be opened or read."""


class StoreUnavailable(StoreError):
    """The database cannot serve the call now -- read-only, disk full, an I/O error, unreachable --
    and a retry later may succeed (HTTP 503). The transaction was rolled back: nothing of the call
    was written."""

    def __init__(self, location: str, reason: str) -> None:
        super().__init__(f"the store at {location} is unavailable: {reason}")
        self.reason = reason


#: free bytes below which a SQLite store counts as full: a write appends WAL frames (pages of 4 KiB
#: and more) and may grow the file
_MIN_FREE_BYTES = 1 << 20
#: how long the write probe waits for another writer's lock before taking it as proof of a write
_PROBE_WAIT_MS = 200


class DuplicateContentError(ValueError):
    """The same text is already stored under another document id (it would count its events twice)."""

    def __init__(self, doc_id: str, existing_id: str) -> None:
        super().__init__(f"document {doc_id!r} has the same text as the stored document {existing_id!r}")
        self.doc_id = doc_id
        self.existing_id = existing_id


class IdConflictError(ValueError):
    """Another text is already stored under this id (ingesting never overwrites a document)."""

    def __init__(self, doc_id: str) -> None:
        super().__init__(
            f"a different document is already stored with the id {doc_id!r}; "
            f"DELETE /v1/documents/{doc_id} first, or give another id"
        )
        self.doc_id = doc_id


@dataclass(frozen=True)
class IngestOutcome:
    """The stored document (the existing one when the content was already there) and whether the
    call stored it."""

    document: Document
    created: bool


# --- (de)serialisation ----------------------------------------------------------------------------


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _span_payload(span: TextSpan) -> dict[str, Any]:
    return {"text": span.text, "start": span.start, "end": span.end}


def _span_from(data: Mapping[str, Any]) -> TextSpan:
    return TextSpan(text=data["text"], start=data["start"], end=data["end"])


def date_value_payload(value: DateValue) -> dict[str, Any]:
    return {
        "value": value.value,
        "precision": value.precision,
        "start": value.start.isoformat(),
        "end": value.end.isoformat(),
        "modifier": value.modifier,
    }


def date_value_from(data: Mapping[str, Any]) -> DateValue:
    return DateValue(
        value=data["value"],
        precision=data["precision"],
        start=date.fromisoformat(data["start"]),
        end=date.fromisoformat(data["end"]),
        modifier=data.get("modifier"),
    )


#: Mention fields the payload carries; test_store checks this matches model.Mention, so a new field
#: cannot be dropped silently.
MENTION_FIELDS = (
    "document_id",
    "quote",
    "start",
    "end",
    "date",
    "date_span",
    "trigger",
    "type",
    "title",
    "actors",
    "location",
    "generic",
)


def mention_payload(mention: Mention) -> dict[str, Any]:
    """A JSON-ready dict of a Mention; :func:`mention_from_payload` gives back an equal Mention."""
    return {
        "document_id": mention.document_id,
        "quote": mention.quote,
        "start": mention.start,
        "end": mention.end,
        "date": date_value_payload(mention.date),
        "date_span": _span_payload(mention.date_span),
        "trigger": _span_payload(mention.trigger),
        "type": mention.type,
        "title": mention.title,
        "actors": list(mention.actors),
        "location": mention.location,
        "generic": mention.generic,
    }


def mention_from_payload(data: Mapping[str, Any]) -> Mention:
    return Mention(
        document_id=data["document_id"],
        quote=data["quote"],
        start=data["start"],
        end=data["end"],
        date=date_value_from(data["date"]),
        date_span=_span_from(data["date_span"]),
        trigger=_span_from(data["trigger"]),
        type=data["type"],
        title=data["title"],
        actors=tuple(data.get("actors", ())),
        location=data.get("location"),
        generic=bool(data.get("generic", False)),
    )


def _dumps(payload: Any) -> str:
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def dump_mention(mention: Mention) -> str:
    return _dumps(mention_payload(mention))


def load_mention(text: str) -> Mention:
    return mention_from_payload(json.loads(text))


def event_payload(event: Event, members: Sequence[Key]) -> dict[str, Any]:
    """A stored event: everything but its sources, which are (document id, seq) of stored mentions."""
    return {
        "id": event.id,
        "title": event.title,
        "type": event.type,
        "date": date_value_payload(event.date.date),
        "display": event.date.display,
        "alternatives": [date_value_payload(d) for d in event.date.alternatives],
        "actors": list(event.actors),
        "location": event.location,
        "sources": [list(key) for key in members],
    }


def event_from_payload(
    data: Mapping[str, Any], mentions: Mapping[Key, Mention], documents: Mapping[str, Document]
) -> Event:
    sources = []
    for doc_id, seq in data["sources"]:
        sources.append(Source(mention=mentions[(doc_id, seq)], document=documents[doc_id]))
    return Event(
        id=data["id"],
        title=data["title"],
        type=data["type"],
        date=EventDate(
            date=date_value_from(data["date"]),
            display=data["display"],
            alternatives=[date_value_from(d) for d in data["alternatives"]],
        ),
        actors=list(data["actors"]),
        location=data["location"],
        sources=sources,
    )


def event_order(event: Event) -> tuple[date, int, date, str]:
    """The timeline's order (the merger's): by start, finer precision first, then end and id."""
    d = event.date.date
    return (d.start, precision_rank(d.precision), d.end, event.id)


def canonical_events(events: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """Dumped events in timeline order, ties broken by content: the merger can give two events the
    same id and date (two mentions on one trigger), and their relative order means nothing."""
    precision = {name: i for i, name in enumerate(PRECISIONS)}

    def key(e: Mapping[str, Any]) -> tuple[Any, ...]:
        d = e["date"]
        return (d["start"], precision[d["precision"]], d["end"], e["id"], json.dumps(e, sort_keys=True))

    return sorted(events, key=key)


def _published_payload(published: Published) -> dict[str, Any]:
    return {"value": published.value.isoformat() if published.value else None, "basis": published.basis}


def given_payload(doc: Document) -> dict[str, Any]:
    """The metadata a caller (or the HTML page) gave, before the extractor filled in the rest."""
    return {
        "title": doc.title,
        "publisher": doc.publisher,
        "author": doc.author,
        "url": doc.url,
        "published": _published_payload(doc.published),
    }


def _document_from_row(row: sa.RowMapping) -> Document:
    value = row["published_value"]
    return Document(
        id=row["id"],
        text=row["text"],
        title=row["title"],
        publisher=row["publisher"],
        url=row["url"],
        published=Published(date.fromisoformat(value) if value else None, row["published_basis"]),
        author=row["author"],
    )


def _input_from_row(row: sa.RowMapping) -> Document:
    """The document as it was given (for re-extraction), from the ``given`` column."""
    if row["given"] is None:  # stored before the column existed: keep what is there, given or not
        stored = _document_from_row(row)
        if stored.published.basis != "given":
            stored = replace(stored, published=Published(None, "unknown"))
        return stored
    return document_from_given(row["id"], row["text"], json.loads(row["given"]))


def document_from_given(doc_id: str, text: str, given: Mapping[str, Any]) -> Document:
    """The document from its text and :func:`given_payload` (stored for re-extraction, or carried
    by an ingestion job)."""
    published = given["published"]
    return Document(
        id=doc_id,
        text=text,
        title=given["title"],
        publisher=given["publisher"],
        url=given["url"],
        published=Published(
            date.fromisoformat(published["value"]) if published["value"] else None, published["basis"]
        ),
        author=given["author"],
    )


def _document_columns(doc: Document) -> dict[str, Any]:
    return {
        "id": doc.id,
        "title": doc.title,
        "publisher": doc.publisher,
        "url": doc.url,
        "published_value": doc.published.value.isoformat() if doc.published.value else None,
        "published_basis": doc.published.basis,
        "text": doc.text,
        "author": doc.author,
    }


def _chunks(items: Sequence[Any], size: int = _CHUNK) -> Iterator[Sequence[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _keys_table(chunk: Sequence[Key]) -> tuple[str, dict[str, Any]]:
    """``(VALUES (:d0, :s0), ...) AS k`` and its parameters: joined on an indexed (document_id, seq),
    SQLite and PostgreSQL both look each key up in the index (``(a, b) IN (VALUES ...)`` made SQLite
    scan the whole table). Both name the columns ``column1`` and ``column2``."""
    params: dict[str, Any] = {}
    rows = []
    for i, (doc_id, seq) in enumerate(chunk):
        params[f"d{i}"], params[f"s{i}"] = doc_id, seq
        rows.append(f"(:d{i}, :s{i})")
    return f"(VALUES {', '.join(rows)}) AS k", params


_MENTION_KEY = "m.document_id = k.column1 AND m.seq = k.column2"
_DOCUMENT_COLUMNS = [c.name for c in T.documents.columns if c.name not in ("id", "created_at")]
_MEMBERS_OF_EVENTS = sa.select(
    T.event_members.c.event_key, T.event_members.c.document_id, T.event_members.c.seq
).where(T.event_members.c.event_key.in_(sa.bindparam("keys", expanding=True)))
_LINKED = (
    sa.select(
        T.mention_terms.c.document_id,
        T.mention_terms.c.seq,
        T.mention_terms.c.term,
        T.mentions.c.type,
        T.mentions.c.generic,
        T.mentions.c.first_year,
        T.mentions.c.last_year,
    )
    .distinct()
    .select_from(
        T.mention_terms.join(
            T.mentions,
            (T.mentions.c.document_id == T.mention_terms.c.document_id)
            & (T.mentions.c.seq == T.mention_terms.c.seq),
        )
    )
    .where(T.mention_terms.c.term.in_(sa.bindparam("terms", expanding=True)))
)
_REVISION = sa.select(T.meta.c.revision).where(T.meta.c.id == 1)
_MEMBERS_OF_COMPONENTS = sa.select(T.mentions.c.component, T.mentions.c.document_id, T.mentions.c.seq).where(
    T.mentions.c.component.in_(sa.bindparam("labels", expanding=True))
)
_EVENTS_OF_COMPONENTS = (
    sa.select(T.event_members.c.event_key)
    .distinct()
    .select_from(
        T.event_members.join(
            T.mentions,
            (T.mentions.c.document_id == T.event_members.c.document_id)
            & (T.mentions.c.seq == T.event_members.c.seq),
        )
    )
    .where(T.mentions.c.component.in_(sa.bindparam("labels", expanding=True)))
)
_EVENT_PAYLOADS = sa.select(T.events.c.key, T.events.c.payload).where(
    T.events.c.key.in_(sa.bindparam("keys", expanding=True))
)
_FULL_NAMES = (
    sa.select(T.mention_terms.c.term, T.mention_terms.c.name)
    .distinct()
    .where(T.mention_terms.c.term.in_(sa.bindparam("terms", expanding=True)))
)
_LAST_COMPONENT = sa.select(sa.func.coalesce(sa.func.max(T.mentions.c.component), 0))
_SET_COMPONENT = (
    sa.update(T.mentions)
    .where(T.mentions.c.document_id == sa.bindparam("b_document_id"))
    .where(T.mentions.c.seq == sa.bindparam("b_seq"))
    .values(component=sa.bindparam("b_component"))
)


class _Parts:
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


@dataclass
class _Decoded:
    """Decoded mentions and documents, by key and by document id."""

    mentions: dict[Key, Mention] = field(default_factory=dict)
    documents: dict[str, Document] = field(default_factory=dict)


@dataclass
class _MentionCache:
    """What a write decoded, as of one revision of one store: a write re-merges a whole component,
    and on a topical corpus reading and decoding its rows again on every add costs more than the
    merge."""

    store_id: str | None
    revision: int
    decoded: _Decoded


@dataclass
class _Tx:
    """One transaction and what it decoded: a write reads the same mentions several times (closure,
    surname map, merge), and each payload is parsed once (or not at all when the store instance's
    cache is current). Full-name lookups are cached until the mentions change."""

    conn: Connection
    full_names: dict[str, frozenset[str]] = field(default_factory=dict)
    #: hands over the store's cache of decoded rows (write transactions only)
    take_cache: Callable[[_Tx], _Decoded] | None = None
    #: the revision the transaction reads (then writes) and the store id, once the cache was taken
    revision: int | None = None
    store_id: str | None = None
    _decoded: _Decoded | None = None

    @property
    def cache(self) -> _Decoded:
        """The decoded rows: the store's cache when it is current, taken on first use (after the
        schema exists) so that no other transaction shares it."""
        if self._decoded is None:
            self._decoded = self.take_cache(self) if self.take_cache is not None else _Decoded()
        return self._decoded

    @property
    def decoded(self) -> dict[Key, Mention]:
        return self.cache.mentions

    def insert(self, table: sa.Table) -> Any:
        """INSERT with the dialect's ON CONFLICT clauses."""
        dialect = postgresql if self.conn.dialect.name == "postgresql" else sqlite
        return dialect.insert(table)

    def keyed(self, sql: str, keys: Iterable[Key]) -> Iterator[sa.RowMapping]:
        """Rows of ``sql`` (``{keys}`` stands for the VALUES table ``k``) for every key, in chunks."""
        for chunk in _chunks(sorted(set(keys))):
            table, params = _keys_table(chunk)
            yield from self.conn.execute(sa.text(sql.format(keys=table)), params).mappings()


# --- the store ------------------------------------------------------------------------------------


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
        #: decoded mentions as of the last write this instance committed (see :meth:`_take_cache`)
        self._cache: _MentionCache | None = None
        self._cache_lock = threading.Lock()
        try:
            self._engine = create_engine(self.url, timeout=timeout)
            with self._transaction(write=True) as tx:
                migrate(tx.conn, self.location)
                self._remerge_if_outdated(tx)
                self._label_missing(tx)
                tx.conn.execute(
                    tx.insert(T.meta_values)
                    .values(key=STORE_ID, value=uuid.uuid4().hex)
                    .on_conflict_do_nothing(index_elements=["key"])
                )
                self.store_id: str = self._meta_value(tx.conn, STORE_ID) or ""
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

    def _remerge_if_outdated(self, tx: _Tx) -> None:
        """Rebuild the link index and every event when the merging code is not the one that built
        them (or never did, as in a store migrated from schema 1): one transaction, all or nothing."""
        current = merge_version()
        if self._meta_value(tx.conn, MERGE_VERSION) == current:
            return
        conn = tx.conn
        conn.execute(sa.delete(T.mention_terms))
        conn.execute(sa.delete(T.events))
        conn.execute(sa.update(T.mentions).values(component=None))
        rows = conn.execute(sa.select(T.mentions.c.document_id, T.mentions.c.seq, T.mentions.c.payload))
        items = [((row.document_id, row.seq), load_mention(row.payload)) for row in rows]
        tx.decoded.update(items)
        self._index_mentions(tx, items, insert=False)
        self._label_missing(tx)
        if items:
            self._merge_and_store(tx, {key for key, _ in items}, set())
            self._bump(tx)
            log.info("store %s: merging code changed, %d mentions re-merged", self.location, len(items))
        self._set_meta_value(tx, MERGE_VERSION, current)

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
    def _transaction(self, *, write: bool) -> Iterator[_Tx]:
        """One transaction: a write is serialised with every other write (on any machine); a read is
        a consistent snapshot, so a revision and the rows it describes always match."""
        tx: _Tx | None = None
        with self._unavailable_as_error(), self.engine.connect() as conn, begin(conn, write=write):
            tx = _Tx(conn, take_cache=self._take_cache if write else None)
            yield tx
        if tx._decoded is not None and tx.revision is not None:  # committed: keep what it decoded
            self._give_back_cache(_MentionCache(tx.store_id, tx.revision, tx._decoded))

    def _take_cache(self, tx: _Tx) -> _Decoded:
        """The cached decoded mentions if they describe the data this write transaction sees (same
        store, no write since the one that filled them: every write bumps the revision), else an
        empty dict. The cache leaves the store while the transaction uses it, and comes back only
        when it commits (:meth:`_give_back_cache`), so a rolled-back write cannot leave it wrong."""
        tx.revision = int(tx.conn.execute(_REVISION).scalar_one())
        tx.store_id = self._meta_value(tx.conn, STORE_ID)
        with self._cache_lock:
            cache, self._cache = self._cache, None
        if cache is not None and (cache.store_id, cache.revision) == (tx.store_id, tx.revision):
            return cache.decoded
        return _Decoded()

    def _give_back_cache(self, cache: _MentionCache) -> None:
        with self._cache_lock:
            if self._cache is None or self._cache.revision < cache.revision:
                self._cache = cache

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
        if self.path is not None:
            self._check_sqlite_files(self.path)
        with self._unavailable_as_error(), self.engine.connect() as conn:
            if self.backend == "sqlite":
                self._probe_sqlite(self.path)  # type: ignore[arg-type]
                return
            with conn.begin() as transaction:
                conn.exec_driver_sql(f"SET LOCAL lock_timeout = '{_PROBE_WAIT_MS}ms'")
                try:
                    conn.execute(sa.update(T.meta).where(T.meta.c.id == 1).values(revision=T.meta.c.revision))
                except sa.exc.OperationalError as exc:
                    if getattr(exc.orig, "sqlstate", None) != "55P03":  # lock_not_available
                        raise
                transaction.rollback()

    def _check_sqlite_files(self, path: Path) -> None:
        folder = path.parent
        for item in (path, path.with_name(path.name + "-wal"), folder):
            if item.exists() and not os.access(item, os.W_OK):
                raise StoreUnavailable(self.location, f"{item.name or item} cannot be written")
        stats = os.statvfs(folder)
        if stats.f_bavail * stats.f_frsize < _MIN_FREE_BYTES:
            raise StoreUnavailable(self.location, "the disk is full")

    def _probe_sqlite(self, path: Path) -> None:
        """Take the write lock and update a row, then roll back, on a connection of its own: a new
        connection opens a file it can no longer write read-only, where a pooled one would not
        notice until its next commit."""
        conn = sqlite3.connect(path, timeout=_PROBE_WAIT_MS / 1000, isolation_level=None)
        try:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("UPDATE meta SET revision = revision WHERE id = 1")
            conn.execute("ROLLBACK")
        except sqlite3.OperationalError as exc:
            if exc.sqlite_errorname != "SQLITE_BUSY":
                raise sa.exc.OperationalError("write probe", None, exc) from exc
        finally:
            conn.close()

    @staticmethod
    def _bump(tx: _Tx) -> None:
        tx.conn.execute(sa.update(T.meta).where(T.meta.c.id == 1).values(revision=T.meta.c.revision + 1))
        if tx.revision is not None:
            tx.revision += 1

    @staticmethod
    def _meta_value(conn: Connection, key: str) -> str | None:
        value: str | None = conn.execute(
            sa.select(T.meta_values.c.value).where(T.meta_values.c.key == key)
        ).scalar_one_or_none()
        return value

    @staticmethod
    def _set_meta_value(tx: _Tx, key: str, value: str) -> None:
        statement = tx.insert(T.meta_values).values(key=key, value=value)
        tx.conn.execute(
            statement.on_conflict_do_update(index_elements=["key"], set_={"value": statement.excluded.value})
        )

    # --- the link index and incremental merging -------------------------------------------------

    @staticmethod
    def _index_mentions(tx: _Tx, items: Sequence[tuple[Key, Mention]], *, insert: bool) -> None:
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

    @staticmethod
    def _link_info(tx: _Tx, keys: Iterable[Key]) -> dict[Key, LinkInfo]:
        wanted = set(keys)
        terms: dict[Key, set[str]] = {}
        for row in tx.keyed(
            "SELECT m.document_id, m.seq, m.term FROM {keys} JOIN mention_terms m ON " + _MENTION_KEY, wanted
        ):
            terms.setdefault((row["document_id"], row["seq"]), set()).add(row["term"])
        out: dict[Key, LinkInfo] = {}
        for row in tx.keyed(
            "SELECT m.document_id, m.seq, m.type, m.generic, m.first_year, m.last_year"
            " FROM {keys} JOIN mentions m ON " + _MENTION_KEY,
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

    @staticmethod
    def _linked(tx: _Tx, frontier: Mapping[Key, LinkInfo], parts: _Parts) -> set[Key]:
        """Stored mentions that may interact with a mention of ``frontier`` (those not in it), each
        joined in ``parts`` with the mentions it links to (in ``frontier`` too)."""
        wanted: dict[str, list[tuple[Key, LinkInfo]]] = {}
        for key, info in frontier.items():
            for term in partner_terms(info.terms):
                wanted.setdefault(term, []).append((key, info))
        found: set[Key] = set()
        for chunk in _chunks(sorted(wanted)):
            for row in tx.conn.execute(_LINKED, {"terms": list(chunk)}):
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

    @staticmethod
    def _event_members_of(tx: _Tx, keys: Iterable[Key], parts: _Parts) -> tuple[set[int], set[Key]]:
        """The stored events citing any of ``keys``, and every mention those events cite (the
        mentions of each event joined in ``parts``)."""
        events = {
            int(row["event_key"])
            for row in tx.keyed(
                "SELECT DISTINCT m.event_key FROM {keys} JOIN event_members m ON " + _MENTION_KEY, keys
            )
        }
        by_event: dict[int, list[Key]] = {}
        for chunk in _chunks(sorted(events)):
            for row in tx.conn.execute(_MEMBERS_OF_EVENTS, {"keys": list(chunk)}):
                by_event.setdefault(int(row.event_key), []).append((row.document_id, row.seq))
        members: set[Key] = set()
        for cited in by_event.values():
            parts.union_all(cited)
            members.update(cited)
        return events, members

    @staticmethod
    def _full_names(tx: _Tx, name: str) -> frozenset[str]:
        """Every full name ending in ``name`` among the stored mentions' actors."""
        found = tx.full_names.get(name)
        if found is None:
            rows = tx.conn.execute(
                sa.select(T.mention_terms.c.name).distinct().where(T.mention_terms.c.term == FULL_NAME + name)
            )
            found = tx.full_names[name] = frozenset(row.name for row in rows)
        return found

    @staticmethod
    def _mentions(tx: _Tx, keys: Iterable[Key]) -> dict[Key, Mention]:
        """The stored mentions ``keys``, each payload decoded once per transaction."""
        wanted = set(keys)
        missing = wanted - tx.decoded.keys()
        for row in tx.keyed(
            "SELECT m.document_id, m.seq, m.payload FROM {keys} JOIN mentions m ON " + _MENTION_KEY, missing
        ):
            tx.decoded[(row["document_id"], row["seq"])] = load_mention(row["payload"])
        return {key: tx.decoded[key] for key in wanted if key in tx.decoded}

    @staticmethod
    def _documents(tx: _Tx, ids: set[str]) -> dict[str, Document]:
        """The stored documents ``ids``, each row read once while the cache is current."""
        known = tx.cache.documents
        for chunk in _chunks(sorted(ids - known.keys())):
            for row in tx.conn.execute(
                sa.select(T.documents).where(T.documents.c.id.in_(list(chunk)))
            ).mappings():
                known[row["id"]] = _document_from_row(row)
        return {doc_id: known[doc_id] for doc_id in ids if doc_id in known}

    def _keys_of_term(self, tx: _Tx, term: str) -> set[Key]:
        rows = tx.conn.execute(
            sa.select(T.mention_terms.c.document_id, T.mention_terms.c.seq).where(
                T.mention_terms.c.term == term
            )
        )
        return {(row.document_id, row.seq) for row in rows}

    @staticmethod
    def _components_of(tx: _Tx, keys: Iterable[Key]) -> tuple[set[int], set[Key]]:
        """The component labels of ``keys``, and those of ``keys`` that have none (new mentions)."""
        labels: set[int] = set()
        unlabelled: set[Key] = set()
        for row in tx.keyed(
            "SELECT m.document_id, m.seq, m.component FROM {keys} JOIN mentions m ON " + _MENTION_KEY, keys
        ):
            if row["component"] is None:
                unlabelled.add((row["document_id"], row["seq"]))
            else:
                labels.add(int(row["component"]))
        return labels, unlabelled

    @staticmethod
    def _members_of_components(tx: _Tx, labels: Iterable[int]) -> dict[int, set[Key]]:
        out: dict[int, set[Key]] = {}
        for chunk in _chunks(sorted(labels)):
            for row in tx.conn.execute(_MEMBERS_OF_COMPONENTS, {"labels": list(chunk)}):
                out.setdefault(int(row.component), set()).add((row.document_id, row.seq))
        return out

    @staticmethod
    def _events_of_components(tx: _Tx, labels: Iterable[int]) -> set[int]:
        """The stored events citing a mention of the components ``labels``."""
        events: set[int] = set()
        for chunk in _chunks(sorted(labels)):
            events.update(
                int(k) for k in tx.conn.execute(_EVENTS_OF_COMPONENTS, {"labels": list(chunk)}).scalars()
            )
        return events

    def _closure(self, tx: _Tx, seeds: Iterable[Key]) -> tuple[set[Key], dict[int, set[Key]], _Parts]:
        """The smallest union of components holding ``seeds`` that a merge can treat on its own:
        closed under links, under the stored events it meets, and under ambiguous surnames. Also
        the components it takes in, with their members, and the parts of the union that are closed
        on their own (see :class:`_Parts`).

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
        parts = _Parts()
        ambiguous: dict[str, set[Key]] = {}  # surname -> the mentions with a full name ending in it
        mentions: dict[Key, Mention] = {}
        frontier = set(seeds)
        while frontier:
            while frontier:
                closed |= frontier
                labels, unlabelled = self._components_of(tx, frontier - labelled)
                grown: set[Key] = set()
                for label, members in self._members_of_components(tx, labels - components.keys()).items():
                    components[label] = members
                    parts.union_all(members)
                    labelled |= members
                    grown |= members
                if unlabelled:
                    grown |= self._linked(tx, self._link_info(tx, unlabelled), parts)
                    grown |= self._event_members_of(tx, unlabelled, parts)[1]
                frontier = grown - closed
            mentions = self._mentions(tx, closed)
            corpus_map = self._corpus_map(tx, mentions.values())
            for name in ambiguous_surnames(mentions.values(), corpus_map):
                if name not in ambiguous:
                    ambiguous[name] = self._keys_of_term(tx, FULL_NAME + name)
                frontier |= ambiguous[name]
            frontier -= closed
        for name, full in ambiguous.items():
            parts.union_all([*full, *(key for key, m in mentions.items() if name in m.actors)])
        return closed, components, parts

    @staticmethod
    def _label(tx: _Tx, closed: set[Key], components: Mapping[int, set[Key]], parts: _Parts) -> None:
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
                    last = int(conn.execute(_LAST_COMPONENT).scalar_one())
                last += 1
                label = last
            others = sorted(set(labels) - {label})
            for chunk in _chunks(others):
                conn.execute(
                    sa.update(T.mentions)
                    .where(T.mentions.c.component.in_(list(chunk)))
                    .values(component=label)
                )
            unlabelled = group.difference(*(components[c] for c in labels))
            assigned.extend({"b_document_id": d, "b_seq": q, "b_component": label} for d, q in unlabelled)
        if assigned:
            conn.execute(_SET_COMPONENT, assigned)

    def _label_missing(self, tx: _Tx) -> None:
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
            closed, components, parts = self._closure(tx, {(row.document_id, row.seq)})
            self._label(tx, closed, components, parts)

    def _corpus_map(self, tx: _Tx, mentions: Iterable[Mention]) -> dict[str, str]:
        names = {a for m in mentions for a in m.actors}
        # the full names of every single name not looked up yet, in one statement per chunk
        missing = sorted(n for n in names if is_single_name(n) and n not in tx.full_names)
        for chunk in _chunks(missing):
            found: dict[str, set[str]] = {name: set() for name in chunk}
            for row in tx.conn.execute(_FULL_NAMES, {"terms": [FULL_NAME + name for name in chunk]}):
                found[row.term[len(FULL_NAME) :]].add(row.name)
            tx.full_names.update((name, frozenset(full)) for name, full in found.items())
        return corpus_surname_map(names, lambda name: set(self._full_names(tx, name)))

    def _merge_and_store(
        self, tx: _Tx, keys: set[Key], stale_events: set[int], rewrite: Iterable[Key] = ()
    ) -> None:
        """Replace ``stale_events`` by the merge of the mentions ``keys`` (a closed set).

        Only what changed is written: a stored event whose payload (which names its sources, so it
        fixes the member rows too) equals a merged one stays as it is, unless it cites a mention of
        ``rewrite`` (mentions deleted and stored again: their member rows went with them).
        """
        conn = tx.conn
        kept: dict[str, list[int]] = {}
        for chunk in _chunks(sorted(stale_events)):
            for row in conn.execute(_EVENT_PAYLOADS, {"keys": list(chunk)}):
                kept.setdefault(row.payload, []).append(int(row.key))
        merged: list[MergedEvent] = []
        payloads: list[str] = []
        if keys:
            mentions = self._mentions(tx, keys)
            documents = self._documents(tx, {doc_id for doc_id, _ in keys})
            corpus_map = self._corpus_map(tx, mentions.values())
            rewritten = set(rewrite)
            for m in merge_component(mentions, documents, corpus_map):
                payload = _dumps(event_payload(m.event, m.members))
                same = kept.get(payload)
                if same and not rewritten.intersection(m.members):
                    same.pop()
                    continue
                merged.append(m)
                payloads.append(payload)
        gone = sorted(key for event_keys in kept.values() for key in event_keys)
        for chunk in _chunks(gone):
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

    def _surnames_of(self, mentions: Iterable[Mention]) -> set[str]:
        return {surname(a) for m in mentions for a in m.actors if is_full_name(a)}

    def _replace_mentions(self, tx: _Tx, doc_id: str, new: Sequence[Mention] | None) -> None:
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
        old_closure, old_components, _ = self._closure(tx, old_keys) if old_keys else (set(), {}, _Parts())
        # events citing the old closure (some cite only old mentions, whose member rows go now)
        old_events = self._events_of_components(tx, old_components)
        old_mentions = self._mentions(tx, old_keys)
        touched_surnames = self._surnames_of(old_mentions.values()) | self._surnames_of(new or ())
        before = {name: self._full_names(tx, name) for name in touched_surnames}

        conn.execute(sa.delete(T.mentions).where(T.mentions.c.document_id == doc_id))
        if new is None:
            conn.execute(sa.delete(T.documents).where(T.documents.c.id == doc_id))
        for key in old_keys:
            tx.decoded.pop(key, None)
        tx.cache.documents.pop(doc_id, None)
        tx.full_names.clear()
        items = [((doc_id, seq), mention) for seq, mention in enumerate(new or ())]
        self._index_mentions(tx, items, insert=True)
        tx.decoded.update(items)
        new_keys = {key for key, _ in items}

        seeds = (old_closure - old_keys) | new_keys
        for name in touched_surnames:
            after = self._full_names(tx, name)
            if (len(before[name]) == 1) != (len(after) == 1) or (len(after) == 1 and before[name] != after):
                seeds |= self._keys_of_term(tx, SINGLE_NAME + name)
        closed, components, parts = self._closure(tx, seeds) if seeds else (set(), {}, _Parts())
        events = old_events | self._events_of_components(tx, components)
        self._label(tx, closed, components, parts)
        self._merge_and_store(tx, closed, events, old_keys)

    def _write_document(self, tx: _Tx, result: DocumentResult, given: Document) -> None:
        doc = result.document
        values = {
            **_document_columns(doc),
            "content_hash": content_hash(doc.text),
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "given": _dumps(given_payload(given)),
        }
        statement = tx.insert(T.documents).values(**values)
        # a replaced document keeps its created_at
        tx.conn.execute(
            statement.on_conflict_do_update(
                index_elements=["id"], set_={name: statement.excluded[name] for name in _DOCUMENT_COLUMNS}
            )
        )
        self._replace_mentions(tx, doc.id, result.mentions)
        self._bump(tx)

    @staticmethod
    def _given_of(result: DocumentResult, given: Document | None) -> Document:
        if given is not None:
            return given
        doc = result.document
        return doc if doc.published.basis == "given" else replace(doc, published=Published(None, "unknown"))

    @staticmethod
    def _document_row(conn: Connection, where: Any) -> sa.RowMapping | None:
        return conn.execute(sa.select(T.documents).where(where)).mappings().first()

    # --- writes ---------------------------------------------------------------------------------

    def add(self, result: DocumentResult, given: Document | None = None) -> bool:
        """Store a document and its mentions; replace a stored document with the same id.

        ``given`` is the document as it came in (before the extractor filled in metadata), kept for
        re-extraction; by default the result's document with only a ``given`` publication date.
        Returns False (and changes nothing) when the identical document and mentions are already
        stored, so ingesting the same input twice is harmless while re-extracting with a newer
        extractor refreshes the mentions. Raises DuplicateContentError if another id has this text.
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
            row = self._document_row(conn, T.documents.c.id == doc.id)
            if (
                row is not None
                and _document_from_row(row) == doc
                and row["given"] == _dumps(given_payload(given_doc))
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
            self._write_document(tx, result, given_doc)
        return True

    def ingest(self, result: DocumentResult, given: Document | None = None) -> IngestOutcome:
        """Store a new document, never replacing one: the same text again (under any id) gives the
        stored document back (``created`` False); another text under a stored id is an
        IdConflictError."""
        doc = result.document
        with self._transaction(write=True) as tx:
            same = self._document_row(tx.conn, T.documents.c.content_hash == content_hash(doc.text))
            if same is not None:
                return IngestOutcome(_document_from_row(same), created=False)
            if self._document_row(tx.conn, T.documents.c.id == doc.id) is not None:
                raise IdConflictError(doc.id)
            self._write_document(tx, result, self._given_of(result, given))
        return IngestOutcome(doc, created=True)

    def delete(self, doc_id: str) -> bool:
        """Remove a document, its mentions and its sources in the events (events other documents
        still report stay, re-merged); False if there was none."""
        with self._transaction(write=True) as tx:
            if self._document_row(tx.conn, T.documents.c.id == doc_id) is None:
                return False
            self._replace_mentions(tx, doc_id, None)
            self._bump(tx)
        return True

    def set_extractor_version(self, version: str) -> None:
        with self._transaction(write=True) as tx:
            self._set_meta_value(tx, EXTRACTOR_VERSION, version)

    # --- reads ----------------------------------------------------------------------------------

    def extractor_version(self) -> str | None:
        """The extractor version the stored mentions came from (None: never recorded)."""
        with self._read() as conn:
            return self._meta_value(conn, EXTRACTOR_VERSION)

    def revision(self) -> int:
        with self._read() as conn:
            return int(conn.execute(_REVISION).scalar_one())

    def count(self) -> int:
        with self._read() as conn:
            return int(conn.execute(sa.select(sa.func.count()).select_from(T.documents)).scalar_one())

    def is_empty(self) -> bool:
        return self.count() == 0

    def get_document(self, doc_id: str) -> Document | None:
        with self._read() as conn:
            row = self._document_row(conn, T.documents.c.id == doc_id)
            return _document_from_row(row) if row is not None else None

    def _all_documents(self, conn: Connection) -> list[sa.RowMapping]:
        return list(conn.execute(sa.select(T.documents).order_by(T.documents.c.id)).mappings())

    def documents(self) -> list[Document]:
        with self._read() as conn:
            return [_document_from_row(row) for row in self._all_documents(conn)]

    def inputs(self) -> list[Document]:
        """Every stored document as it was given (metadata the extractor detected left out): what
        re-extraction starts from."""
        with self._read() as conn:
            return [_input_from_row(row) for row in self._all_documents(conn)]

    def _read_results(self, conn: Connection) -> list[DocumentResult]:
        results = {
            row["id"]: DocumentResult(_document_from_row(row), []) for row in self._all_documents(conn)
        }
        rows = conn.execute(
            sa.select(T.mentions.c.document_id, T.mentions.c.payload).order_by(
                T.mentions.c.document_id, T.mentions.c.seq
            )
        )
        for row in rows:
            results[row.document_id].mentions.append(load_mention(row.payload))
        return list(results.values())

    def results(self) -> list[DocumentResult]:
        """Every stored document with its mentions, by document id."""
        with self._transaction(write=False) as tx:
            return self._read_results(tx.conn)

    def _read_timeline(self) -> tuple[int, Timeline]:
        with self._transaction(write=False) as tx:
            return self._timeline_in(tx.conn)

    def _timeline_in(self, conn: Connection) -> tuple[int, Timeline]:
        """The stored timeline and its revision, as the transaction of ``conn`` sees them."""
        revision = int(conn.execute(_REVISION).scalar_one())
        documents = {row["id"]: _document_from_row(row) for row in self._all_documents(conn)}
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
            row = self._document_row(conn, T.documents.c.content_hash == content_hash(text))
            return _document_from_row(row) if row is not None else None

    def verify(self, *, merge: bool = True) -> list[str]:
        """Problems with the stored data (an empty list when it is consistent): orphan rows, stale
        content hashes, mentions missing from the index or the events, and (with ``merge``) events
        that differ from a full merge of the stored mentions. Every check reads the same snapshot
        (one read transaction), so a write committed meanwhile cannot pass for damage."""
        problems: list[str] = []
        checks = {
            "mentions without a document": "SELECT COUNT(*) FROM mentions"
            " WHERE document_id NOT IN (SELECT id FROM documents)",
            "index rows without a mention": "SELECT COUNT(*) FROM mention_terms t WHERE NOT EXISTS"
            " (SELECT 1 FROM mentions m WHERE m.document_id = t.document_id AND m.seq = t.seq)",
            "event sources without a mention": "SELECT COUNT(*) FROM event_members e WHERE NOT EXISTS"
            " (SELECT 1 FROM mentions m WHERE m.document_id = e.document_id AND m.seq = e.seq)",
            "event sources without an event": "SELECT COUNT(*) FROM event_members"
            " WHERE event_key NOT IN (SELECT key FROM events)",
            "events without sources": "SELECT COUNT(*) FROM events"
            " WHERE key NOT IN (SELECT event_key FROM event_members)",
            "specific mentions in no event": "SELECT COUNT(*) FROM mentions m WHERE m.generic = 0"
            " AND NOT EXISTS (SELECT 1 FROM event_members e"
            " WHERE e.document_id = m.document_id AND e.seq = m.seq)",
            "mentions without link columns": "SELECT COUNT(*) FROM mentions WHERE type IS NULL",
            "mentions without a component": "SELECT COUNT(*) FROM mentions WHERE component IS NULL",
        }
        with self._transaction(write=False) as tx:
            for label, sql in checks.items():
                n = int(tx.conn.execute(sa.text(sql)).scalar_one())
                if n:
                    problems.append(f"{n} {label}")
            for row in tx.conn.execute(
                sa.select(T.documents.c.id, T.documents.c.text, T.documents.c.content_hash)
            ):
                if content_hash(row.text) != row.content_hash:
                    problems.append(f"document {row.id!r}: content hash does not match its text")
            results = self._read_results(tx.conn) if merge else []
            stored_timeline = self._timeline_in(tx.conn)[1] if merge else None
        if stored_timeline is not None:
            from ..merge import merge_mentions
            from ..schemas import dump_timeline

            stored = canonical_events(dump_timeline(stored_timeline)["events"])
            full = canonical_events(dump_timeline(Timeline(events=merge_mentions(results)))["events"])
            if stored != full:
                problems.append("the stored events differ from a full merge of the stored mentions")
        return problems
