"""The embedded default store: documents, their mentions and the merged events in one SQLite file.

This is the only module that touches storage. Extraction results are stored per document (the
mentions), and the merged events are stored beside them, with the mentions each event cites. A write
(ingest, replace, delete) re-merges only the events the document can affect: the link components of
:mod:`dateline.incremental`, walked through an index of each mention's actors, place, type and years.
So a write costs what the document touches, not the whole timeline, and the stored events always
equal a full merge of the stored mentions (``tests/test_incremental.py``).

Each call opens its own connection, so one Store object can serve every Flask thread and survives a
gunicorn fork (no connection crosses it). Every write is one transaction (``BEGIN IMMEDIATE``) that
also bumps ``meta.revision``, which is how readers in other processes notice changes; SQLite in WAL
mode makes a write all-or-nothing, even when the writing process is killed half-way.
"""

from __future__ import annotations

import hashlib
import json
import logging
import sqlite3
import threading
import uuid
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from .fingerprint import merge_version
from .incremental import (
    FULL_NAME,
    SINGLE_NAME,
    LinkInfo,
    ambiguous_surnames,
    corpus_surname_map,
    full_name_rows,
    is_full_name,
    link_terms,
    may_interact,
    merge_component,
    partner_terms,
    surname,
)
from .model import (
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

log = logging.getLogger(__name__)

SCHEMA_VERSION = 2
#: meta_values key of the extractor version the stored mentions came from
EXTRACTOR_VERSION = "extractor_version"
#: meta_values key of the merging code version the stored events and link index came from
MERGE_VERSION = "merge_version"
#: meta_values key of a random id made when the store is created (ETags must not repeat across stores)
STORE_ID = "store_id"
#: SQLite allows 32766 host parameters; chunks stay well below
_CHUNK = 400

_TABLES = """
CREATE TABLE IF NOT EXISTS documents (
    id              TEXT PRIMARY KEY,
    title           TEXT,
    publisher       TEXT,
    url             TEXT,
    published_value TEXT,
    published_basis TEXT NOT NULL DEFAULT 'unknown',
    text            TEXT NOT NULL,
    content_hash    TEXT NOT NULL UNIQUE,
    created_at      TEXT NOT NULL,
    author          TEXT,
    given           TEXT
);
CREATE TABLE IF NOT EXISTS mentions (
    document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    seq         INTEGER NOT NULL,
    payload     TEXT NOT NULL,
    type        TEXT,
    generic     INTEGER,
    first_year  INTEGER,
    last_year   INTEGER,
    PRIMARY KEY (document_id, seq)
);
CREATE TABLE IF NOT EXISTS meta (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    revision INTEGER NOT NULL
);
INSERT OR IGNORE INTO meta (id, revision) VALUES (1, 0);
"""

#: tables added in schema version 2 (a version 1 store gets them, filled, on opening)
_TABLES_V2 = """
CREATE TABLE IF NOT EXISTS mention_terms (
    document_id TEXT NOT NULL,
    seq         INTEGER NOT NULL,
    term        TEXT NOT NULL,
    name        TEXT,
    FOREIGN KEY (document_id, seq) REFERENCES mentions(document_id, seq) ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS mention_terms_by_term ON mention_terms(term);
CREATE INDEX IF NOT EXISTS mention_terms_by_mention ON mention_terms(document_id, seq);
CREATE TABLE IF NOT EXISTS events (
    key     INTEGER PRIMARY KEY AUTOINCREMENT,
    id      TEXT NOT NULL,
    payload TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS events_by_id ON events(id);
CREATE TABLE IF NOT EXISTS event_members (
    event_key   INTEGER NOT NULL REFERENCES events(key) ON DELETE CASCADE,
    document_id TEXT NOT NULL,
    seq         INTEGER NOT NULL,
    position    INTEGER NOT NULL,
    PRIMARY KEY (document_id, seq),
    FOREIGN KEY (document_id, seq) REFERENCES mentions(document_id, seq) ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS event_members_by_event ON event_members(event_key);
CREATE TABLE IF NOT EXISTS meta_values (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
"""

Key = tuple[str, int]


class StoreError(RuntimeError):
    """The store cannot be opened or read."""


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


def _document_from_row(row: sqlite3.Row) -> Document:
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


def _input_from_row(row: sqlite3.Row) -> Document:
    """The document as it was given (for re-extraction), from the ``given`` column."""
    if row["given"] is None:  # stored before the column existed: keep what is there, given or not
        stored = _document_from_row(row)
        if stored.published.basis != "given":
            stored = replace(stored, published=Published(None, "unknown"))
        return stored
    given = json.loads(row["given"])
    published = given["published"]
    return Document(
        id=row["id"],
        text=row["text"],
        title=given["title"],
        publisher=given["publisher"],
        url=given["url"],
        published=Published(
            date.fromisoformat(published["value"]) if published["value"] else None, published["basis"]
        ),
        author=given["author"],
    )


def _document_columns(doc: Document) -> tuple[Any, ...]:
    published = doc.published.value.isoformat() if doc.published.value else None
    return (doc.id, doc.title, doc.publisher, doc.url, published, doc.published.basis, doc.text, doc.author)


def _run_script(conn: sqlite3.Connection, script: str) -> None:
    """Run DDL statement by statement (``executescript`` would commit the open transaction)."""
    for statement in script.split(";"):
        if statement.strip():
            conn.execute(statement)


def _chunks(items: Sequence[Any], size: int = _CHUNK) -> Iterator[Sequence[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


# --- the store ------------------------------------------------------------------------------------


class Store:
    """SQLite-backed documents, mentions and merged events; the timeline is cached per revision.

    ``path`` must be a file (its parent folder is created): every call opens a new connection, which
    an in-memory database would not survive.
    """

    def __init__(self, path: str | Path, *, timeout: float = 30.0) -> None:
        self.path = Path(path)
        self.timeout = timeout
        self._lock = threading.Lock()
        self._timeline: tuple[int, Timeline] | None = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self._connect() as conn:
                conn.execute("PRAGMA journal_mode=WAL")
            with self._transaction(write=True) as conn:
                version = int(conn.execute("PRAGMA user_version").fetchone()[0])
                if version > SCHEMA_VERSION:
                    raise StoreError(
                        f"the store at {self.path} has schema version {version}; this Dateline knows "
                        f"{SCHEMA_VERSION} at most (a newer release wrote it)"
                    )
                _run_script(conn, _TABLES)
                if version < SCHEMA_VERSION:
                    self._migrate(conn, version)
                    conn.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
                self._remerge_if_outdated(conn)
                conn.execute(
                    "INSERT OR IGNORE INTO meta_values (key, value) VALUES (?, ?)",
                    (STORE_ID, uuid.uuid4().hex),
                )
                self.store_id: str = conn.execute(
                    "SELECT value FROM meta_values WHERE key = ?", (STORE_ID,)
                ).fetchone()[0]
        except (OSError, sqlite3.Error) as exc:
            raise StoreError(f"cannot open the store at {self.path}: {exc}") from exc

    def __repr__(self) -> str:
        return f"Store({str(self.path)!r})"

    def _migrate(self, conn: sqlite3.Connection, version: int) -> None:
        """Bring a version 1 store (documents and mentions only) to version 2: new columns, the link
        index and the merged events, computed once from the stored mentions."""
        columns = {row["name"] for row in conn.execute("PRAGMA table_info(documents)")}
        for name in ("author", "given"):
            if name not in columns:
                conn.execute(f"ALTER TABLE documents ADD COLUMN {name} TEXT")
        columns = {row["name"] for row in conn.execute("PRAGMA table_info(mentions)")}
        for name, kind in (("type", "TEXT"), ("generic", "INTEGER"), ("first_year", "INTEGER")):
            if name not in columns:
                conn.execute(f"ALTER TABLE mentions ADD COLUMN {name} {kind}")
        if "last_year" not in columns:
            conn.execute("ALTER TABLE mentions ADD COLUMN last_year INTEGER")
        _run_script(conn, _TABLES_V2)
        log.info("store %s: schema %d -> %d", self.path, version, SCHEMA_VERSION)

    def _remerge_if_outdated(self, conn: sqlite3.Connection) -> None:
        """Rebuild the link index and every event when the merging code is not the one that built
        them (or never did, as in a store migrated from schema 1): one transaction, all or nothing."""
        current = merge_version()
        row = conn.execute("SELECT value FROM meta_values WHERE key = ?", (MERGE_VERSION,)).fetchone()
        if row is not None and row[0] == current:
            return
        conn.execute("DELETE FROM mention_terms")
        conn.execute("DELETE FROM events")
        keys: list[Key] = []
        for mention_row in conn.execute("SELECT document_id, seq, payload FROM mentions").fetchall():
            key = (mention_row["document_id"], mention_row["seq"])
            self._index_mention(conn, key, load_mention(mention_row["payload"]), insert=False)
            keys.append(key)
        if keys:
            self._merge_and_store(conn, set(keys), set())
            self._bump(conn)
            log.info("store %s: merging code changed, %d mentions re-merged", self.path, len(keys))
        conn.execute(
            "INSERT INTO meta_values (key, value) VALUES (?, ?)"
            " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (MERGE_VERSION, current),
        )

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        conn = sqlite3.connect(self.path, timeout=self.timeout, isolation_level=None)
        try:
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA foreign_keys=ON")
            yield conn
        finally:
            conn.close()

    @contextmanager
    def _transaction(self, *, write: bool) -> Iterator[sqlite3.Connection]:
        """One transaction: a write takes the lock up front (no upgrade deadlock); a read is a
        consistent snapshot (WAL), so revision and rows always match."""
        with self._connect() as conn:
            conn.execute("BEGIN IMMEDIATE" if write else "BEGIN")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    @staticmethod
    def _bump(conn: sqlite3.Connection) -> None:
        conn.execute("UPDATE meta SET revision = revision + 1 WHERE id = 1")

    # --- the link index and incremental merging -------------------------------------------------

    @staticmethod
    def _index_mention(conn: sqlite3.Connection, key: Key, mention: Mention, *, insert: bool) -> None:
        """Store (or, with ``insert`` False, only index) a mention: its link columns and terms."""
        columns = (mention.type, int(mention.generic), mention.date.start.year, mention.date.end.year)
        if insert:
            conn.execute(
                "INSERT INTO mentions (document_id, seq, payload, type, generic, first_year, last_year)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (*key, dump_mention(mention), *columns),
            )
        else:
            conn.execute(
                "UPDATE mentions SET type = ?, generic = ?, first_year = ?, last_year = ?"
                " WHERE document_id = ? AND seq = ?",
                (*columns, *key),
            )
        rows: list[tuple[str, str | None]] = [
            (term, None) for term in link_terms(mention) if not term.startswith(FULL_NAME)
        ]
        rows.extend(full_name_rows(mention))
        conn.executemany(
            "INSERT INTO mention_terms (document_id, seq, term, name) VALUES (?, ?, ?, ?)",
            [(*key, term, name) for term, name in dict.fromkeys(rows)],
        )

    @staticmethod
    def _link_info(conn: sqlite3.Connection, keys: Iterable[Key]) -> dict[Key, LinkInfo]:
        out: dict[Key, LinkInfo] = {}
        wanted = sorted(set(keys))
        for chunk in _chunks(wanted):
            marks = ",".join("(?, ?)" for _ in chunk)
            params = [v for key in chunk for v in key]
            rows = conn.execute(
                "SELECT document_id, seq, type, generic, first_year, last_year FROM mentions"
                f" WHERE (document_id, seq) IN (VALUES {marks})",
                params,
            ).fetchall()
            terms: dict[Key, set[str]] = {}
            for row in conn.execute(
                "SELECT document_id, seq, term FROM mention_terms"
                f" WHERE (document_id, seq) IN (VALUES {marks})",
                params,
            ):
                terms.setdefault((row["document_id"], row["seq"]), set()).add(row["term"])
            for row in rows:
                key = (row["document_id"], row["seq"])
                out[key] = LinkInfo(
                    type=row["type"],
                    generic=bool(row["generic"]),
                    first_year=row["first_year"],
                    last_year=row["last_year"],
                    terms=frozenset(terms.get(key, ())),
                )
        return out

    def _linked(self, conn: sqlite3.Connection, frontier: Mapping[Key, LinkInfo]) -> set[Key]:
        """Stored mentions that may interact with a mention of ``frontier``."""
        wanted: dict[str, list[LinkInfo]] = {}
        for info in frontier.values():
            for term in partner_terms(info.terms):
                wanted.setdefault(term, []).append(info)
        found: set[Key] = set()
        for chunk in _chunks(sorted(wanted)):
            marks = ",".join("?" for _ in chunk)
            rows = conn.execute(
                "SELECT DISTINCT t.document_id, t.seq, t.term, m.type, m.generic, m.first_year, m.last_year"
                " FROM mention_terms t JOIN mentions m ON m.document_id = t.document_id AND m.seq = t.seq"
                f" WHERE t.term IN ({marks})",
                list(chunk),
            )
            for row in rows:
                key = (row["document_id"], row["seq"])
                if key in found or key in frontier:
                    continue
                other = LinkInfo(
                    type=row["type"],
                    generic=bool(row["generic"]),
                    first_year=row["first_year"],
                    last_year=row["last_year"],
                    terms=frozenset([row["term"]]),
                )
                # ``other`` carries only the matching term: enough to decide this link
                if any(may_interact(info, other) for info in wanted[row["term"]]):
                    found.add(key)
        return found

    @staticmethod
    def _event_members_of(conn: sqlite3.Connection, keys: Iterable[Key]) -> tuple[set[int], set[Key]]:
        """The stored events citing any of ``keys``, and every mention those events cite."""
        events: set[int] = set()
        wanted = sorted(set(keys))
        for chunk in _chunks(wanted):
            marks = ",".join("(?, ?)" for _ in chunk)
            params = [v for key in chunk for v in key]
            events.update(
                row[0]
                for row in conn.execute(
                    "SELECT DISTINCT event_key FROM event_members"
                    f" WHERE (document_id, seq) IN (VALUES {marks})",
                    params,
                )
            )
        members: set[Key] = set()
        for chunk in _chunks(sorted(events)):
            marks = ",".join("?" for _ in chunk)
            members.update(
                (row[0], row[1])
                for row in conn.execute(
                    f"SELECT document_id, seq FROM event_members WHERE event_key IN ({marks})", list(chunk)
                )
            )
        return events, members

    @staticmethod
    def _full_names(conn: sqlite3.Connection, name: str) -> set[str]:
        """Every full name ending in ``name`` among the stored mentions' actors."""
        rows = conn.execute("SELECT DISTINCT name FROM mention_terms WHERE term = ?", (FULL_NAME + name,))
        return {row[0] for row in rows}

    def _mentions(self, conn: sqlite3.Connection, keys: Iterable[Key]) -> dict[Key, Mention]:
        out: dict[Key, Mention] = {}
        for chunk in _chunks(sorted(set(keys))):
            marks = ",".join("(?, ?)" for _ in chunk)
            params = [v for key in chunk for v in key]
            for row in conn.execute(
                "SELECT document_id, seq, payload FROM mentions"
                f" WHERE (document_id, seq) IN (VALUES {marks})",
                params,
            ):
                out[(row["document_id"], row["seq"])] = load_mention(row["payload"])
        return out

    def _closure(self, conn: sqlite3.Connection, seeds: Iterable[Key]) -> tuple[set[Key], set[int]]:
        """The smallest set holding ``seeds`` that a merge can treat on its own: closed under links,
        under the stored events it meets, and under ambiguous surnames. Also the events it meets."""
        closed: set[Key] = set()
        events: set[int] = set()
        frontier = set(seeds)
        while frontier:
            while frontier:
                closed |= frontier
                info = self._link_info(conn, frontier)
                linked = self._linked(conn, info)
                met, members = self._event_members_of(conn, frontier)
                events |= met
                frontier = (linked | members) - closed
            mentions = self._mentions(conn, closed)
            corpus_map = self._corpus_map(conn, mentions.values())
            for name in ambiguous_surnames(mentions.values(), corpus_map):
                rows = conn.execute(
                    "SELECT document_id, seq FROM mention_terms WHERE term = ?", (FULL_NAME + name,)
                )
                frontier.update((row[0], row[1]) for row in rows)
            frontier -= closed
        return closed, events

    def _corpus_map(self, conn: sqlite3.Connection, mentions: Iterable[Mention]) -> dict[str, str]:
        names = {a for m in mentions for a in m.actors}
        return corpus_surname_map(names, lambda name: self._full_names(conn, name))

    def _merge_and_store(self, conn: sqlite3.Connection, keys: set[Key], stale_events: set[int]) -> None:
        """Replace ``stale_events`` by the merge of the mentions ``keys`` (a closed set)."""
        for chunk in _chunks(sorted(stale_events)):
            marks = ",".join("?" for _ in chunk)
            conn.execute(f"DELETE FROM events WHERE key IN ({marks})", list(chunk))
        if not keys:
            return
        mentions = self._mentions(conn, keys)
        doc_ids = sorted({doc_id for doc_id, _ in keys})
        documents: dict[str, Document] = {}
        for chunk in _chunks(doc_ids):
            marks = ",".join("?" for _ in chunk)
            for row in conn.execute(f"SELECT * FROM documents WHERE id IN ({marks})", list(chunk)):
                documents[row["id"]] = _document_from_row(row)
        corpus_map = self._corpus_map(conn, mentions.values())
        for merged in merge_component(mentions, documents, corpus_map):
            # ids are not keys: the merger can give two events one id (two mentions on one trigger)
            key = conn.execute(
                "INSERT INTO events (id, payload) VALUES (?, ?)",
                (merged.event.id, _dumps(event_payload(merged.event, merged.members))),
            ).lastrowid
            conn.executemany(
                "INSERT INTO event_members (event_key, document_id, seq, position) VALUES (?, ?, ?, ?)",
                [(key, *k, i) for i, k in enumerate(merged.members)],
            )

    def _surnames_of(self, mentions: Iterable[Mention]) -> set[str]:
        return {surname(a) for m in mentions for a in m.actors if is_full_name(a)}

    def _replace_mentions(self, conn: sqlite3.Connection, doc_id: str, new: Sequence[Mention] | None) -> None:
        """Swap the document's mentions for ``new`` (None: the document goes) and re-merge what that
        touches: the old mentions' closure, the new mentions' closure, and the single names whose
        surname mapping the change flips."""
        old_keys = {
            (doc_id, row[0])
            for row in conn.execute("SELECT seq FROM mentions WHERE document_id = ?", (doc_id,))
        }
        old_closure, old_events = self._closure(conn, old_keys) if old_keys else (set(), set())
        old_mentions = self._mentions(conn, old_keys)
        touched_surnames = self._surnames_of(old_mentions.values()) | self._surnames_of(new or ())
        before = {name: self._full_names(conn, name) for name in touched_surnames}

        conn.execute("DELETE FROM mentions WHERE document_id = ?", (doc_id,))
        if new is None:
            conn.execute("DELETE FROM documents WHERE id = ?", (doc_id,))
        new_keys: set[Key] = set()
        for seq, mention in enumerate(new or ()):
            if mention.document_id != doc_id:
                raise ValueError(f"mention {seq} of document {doc_id!r} belongs to {mention.document_id!r}")
            self._index_mention(conn, (doc_id, seq), mention, insert=True)
            new_keys.add((doc_id, seq))

        seeds = (old_closure - old_keys) | new_keys
        for name in touched_surnames:
            after = self._full_names(conn, name)
            if (len(before[name]) == 1) != (len(after) == 1) or (len(after) == 1 and before[name] != after):
                rows = conn.execute(
                    "SELECT document_id, seq FROM mention_terms WHERE term = ?", (SINGLE_NAME + name,)
                )
                seeds.update((row[0], row[1]) for row in rows)
        closed, events = self._closure(conn, seeds) if seeds else (set(), set())
        self._merge_and_store(conn, closed, old_events | events)

    def _write_document(self, conn: sqlite3.Connection, result: DocumentResult, given: Document) -> None:
        doc = result.document
        row = conn.execute("SELECT created_at FROM documents WHERE id = ?", (doc.id,)).fetchone()
        created = row["created_at"] if row is not None else datetime.now(UTC).isoformat(timespec="seconds")
        conn.execute(
            """INSERT INTO documents
                   (id, title, publisher, url, published_value, published_basis, text, author,
                    content_hash, created_at, given)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
               ON CONFLICT(id) DO UPDATE SET
                   title = excluded.title, publisher = excluded.publisher, url = excluded.url,
                   published_value = excluded.published_value,
                   published_basis = excluded.published_basis, author = excluded.author,
                   text = excluded.text, content_hash = excluded.content_hash, given = excluded.given""",
            (*_document_columns(doc), content_hash(doc.text), created, _dumps(given_payload(given))),
        )
        self._replace_mentions(conn, doc.id, result.mentions)
        self._bump(conn)

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
        """
        doc = result.document
        digest = content_hash(doc.text)
        with self._transaction(write=True) as conn:
            row = conn.execute("SELECT * FROM documents WHERE id = ?", (doc.id,)).fetchone()
            clash = conn.execute(
                "SELECT id FROM documents WHERE content_hash = ? AND id != ?", (digest, doc.id)
            ).fetchone()
            if clash is not None:
                raise DuplicateContentError(doc.id, clash["id"])
            given_json = _dumps(given_payload(self._given_of(result, given)))
            if row is not None and _document_from_row(row) == doc and row["given"] == given_json:
                stored = [
                    r["payload"]
                    for r in conn.execute(
                        "SELECT payload FROM mentions WHERE document_id = ? ORDER BY seq", (doc.id,)
                    )
                ]
                if stored == [dump_mention(m) for m in result.mentions]:
                    return False
            self._write_document(conn, result, self._given_of(result, given))
        return True

    def ingest(self, result: DocumentResult, given: Document | None = None) -> IngestOutcome:
        """Store a new document, never replacing one: the same text again (under any id) gives the
        stored document back (``created`` False); another text under a stored id is an
        IdConflictError."""
        doc = result.document
        with self._transaction(write=True) as conn:
            same = conn.execute(
                "SELECT * FROM documents WHERE content_hash = ?", (content_hash(doc.text),)
            ).fetchone()
            if same is not None:
                return IngestOutcome(_document_from_row(same), created=False)
            if conn.execute("SELECT 1 FROM documents WHERE id = ?", (doc.id,)).fetchone() is not None:
                raise IdConflictError(doc.id)
            self._write_document(conn, result, self._given_of(result, given))
        return IngestOutcome(doc, created=True)

    def delete(self, doc_id: str) -> bool:
        """Remove a document, its mentions and its sources in the events (events other documents
        still report stay, re-merged); False if there was none."""
        with self._transaction(write=True) as conn:
            if conn.execute("SELECT 1 FROM documents WHERE id = ?", (doc_id,)).fetchone() is None:
                return False
            self._replace_mentions(conn, doc_id, None)
            self._bump(conn)
        return True

    def set_extractor_version(self, version: str) -> None:
        with self._transaction(write=True) as conn:
            conn.execute(
                "INSERT INTO meta_values (key, value) VALUES (?, ?)"
                " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (EXTRACTOR_VERSION, version),
            )

    # --- reads ----------------------------------------------------------------------------------

    def extractor_version(self) -> str | None:
        """The extractor version the stored mentions came from (None: never recorded)."""
        with self._connect() as conn:
            row = conn.execute("SELECT value FROM meta_values WHERE key = ?", (EXTRACTOR_VERSION,)).fetchone()
        return row[0] if row is not None else None

    def revision(self) -> int:
        with self._connect() as conn:
            return int(conn.execute("SELECT revision FROM meta WHERE id = 1").fetchone()[0])

    def count(self) -> int:
        with self._connect() as conn:
            return int(conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0])

    def is_empty(self) -> bool:
        return self.count() == 0

    def get_document(self, doc_id: str) -> Document | None:
        with self._connect() as conn:
            row = conn.execute("SELECT * FROM documents WHERE id = ?", (doc_id,)).fetchone()
        return _document_from_row(row) if row is not None else None

    def documents(self) -> list[Document]:
        with self._connect() as conn:
            rows = conn.execute("SELECT * FROM documents ORDER BY id").fetchall()
        return [_document_from_row(row) for row in rows]

    def inputs(self) -> list[Document]:
        """Every stored document as it was given (metadata the extractor detected left out): what
        re-extraction starts from."""
        with self._connect() as conn:
            rows = conn.execute("SELECT * FROM documents ORDER BY id").fetchall()
        return [_input_from_row(row) for row in rows]

    def _read_results(self, conn: sqlite3.Connection) -> list[DocumentResult]:
        results = {
            row["id"]: DocumentResult(_document_from_row(row), [])
            for row in conn.execute("SELECT * FROM documents ORDER BY id")
        }
        for row in conn.execute("SELECT document_id, payload FROM mentions ORDER BY document_id, seq"):
            results[row["document_id"]].mentions.append(load_mention(row["payload"]))
        return list(results.values())

    def results(self) -> list[DocumentResult]:
        """Every stored document with its mentions, by document id."""
        with self._transaction(write=False) as conn:
            return self._read_results(conn)

    def snapshot(self) -> tuple[int, list[DocumentResult]]:
        """The revision and the results it describes, read in one transaction."""
        with self._transaction(write=False) as conn:
            revision = int(conn.execute("SELECT revision FROM meta WHERE id = 1").fetchone()[0])
            return revision, self._read_results(conn)

    def _read_timeline(self) -> tuple[int, Timeline]:
        with self._transaction(write=False) as conn:
            revision = int(conn.execute("SELECT revision FROM meta WHERE id = 1").fetchone()[0])
            documents = {
                row["id"]: _document_from_row(row)
                for row in conn.execute("SELECT * FROM documents ORDER BY id")
            }
            mentions = {
                (row["document_id"], row["seq"]): load_mention(row["payload"])
                for row in conn.execute("SELECT document_id, seq, payload FROM mentions")
            }
            events = [
                event_from_payload(json.loads(row["payload"]), mentions, documents)
                for row in conn.execute("SELECT payload FROM events")
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
        with self._connect() as conn:
            row = conn.execute(
                "SELECT * FROM documents WHERE content_hash = ?", (content_hash(text),)
            ).fetchone()
        return _document_from_row(row) if row is not None else None

    def verify(self, *, merge: bool = True) -> list[str]:
        """Problems with the stored data (an empty list when it is consistent): orphan rows, stale
        content hashes, mentions missing from the index or the events, and (with ``merge``) events
        that differ from a full merge of the stored mentions."""
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
        }
        with self._transaction(write=False) as conn:
            for label, sql in checks.items():
                n = int(conn.execute(sql).fetchone()[0])
                if n:
                    problems.append(f"{n} {label}")
            for row in conn.execute("SELECT id, text, content_hash FROM documents"):
                if content_hash(row["text"]) != row["content_hash"]:
                    problems.append(f"document {row['id']!r}: content hash does not match its text")
            results = self._read_results(conn) if merge else []
        if merge:
            from .merge import merge_mentions
            from .schemas import dump_timeline

            stored = canonical_events(dump_timeline(self._read_timeline()[1])["events"])
            full = canonical_events(dump_timeline(Timeline(events=merge_mentions(results)))["events"])
            if stored != full:
                problems.append("the stored events differ from a full merge of the stored mentions")
        return problems
