"""The embedded default store: documents and their extracted mentions in one SQLite file.

This is the only module that touches storage. Extraction results are stored per document (the
mentions, not merged events), so merging can change without re-extracting, and a document can be
replaced or deleted on its own; the merged timeline is computed from every stored mention and cached
per store revision.

Each call opens its own connection, so one Store object can serve every Flask thread and survives a
gunicorn fork (no connection crosses it). Every write is one transaction (``BEGIN IMMEDIATE``) that
also bumps ``meta.revision``, which is how readers in other processes notice changes.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from .model import DateValue, Document, DocumentResult, Mention, Published, TextSpan, Timeline

SCHEMA_VERSION = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    id              TEXT PRIMARY KEY,
    title           TEXT,
    publisher       TEXT,
    url             TEXT,
    published_value TEXT,
    published_basis TEXT NOT NULL DEFAULT 'unknown',
    text            TEXT NOT NULL,
    content_hash    TEXT NOT NULL UNIQUE,
    created_at      TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS mentions (
    document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    seq         INTEGER NOT NULL,
    payload     TEXT NOT NULL,
    PRIMARY KEY (document_id, seq)
);
CREATE TABLE IF NOT EXISTS meta (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    revision INTEGER NOT NULL
);
INSERT OR IGNORE INTO meta (id, revision) VALUES (1, 0);
"""


class StoreError(RuntimeError):
    """The store cannot be opened or read."""


class DuplicateContentError(ValueError):
    """The same text is already stored under another document id (it would count its events twice)."""

    def __init__(self, doc_id: str, existing_id: str) -> None:
        super().__init__(f"document {doc_id!r} has the same text as the stored document {existing_id!r}")
        self.doc_id = doc_id
        self.existing_id = existing_id


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


def dump_mention(mention: Mention) -> str:
    return json.dumps(mention_payload(mention), ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def load_mention(text: str) -> Mention:
    return mention_from_payload(json.loads(text))


def _document_from_row(row: sqlite3.Row) -> Document:
    value = row["published_value"]
    return Document(
        id=row["id"],
        text=row["text"],
        title=row["title"],
        publisher=row["publisher"],
        url=row["url"],
        published=Published(date.fromisoformat(value) if value else None, row["published_basis"]),
    )


def _document_columns(doc: Document) -> tuple[Any, ...]:
    published = doc.published.value.isoformat() if doc.published.value else None
    return (doc.id, doc.title, doc.publisher, doc.url, published, doc.published.basis, doc.text)


# --- the store ------------------------------------------------------------------------------------


class Store:
    """SQLite-backed documents + mentions, with the merged timeline cached per revision.

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
                conn.executescript(_SCHEMA)
                conn.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
        except (OSError, sqlite3.Error) as exc:
            raise StoreError(f"cannot open the store at {self.path}: {exc}") from exc

    def __repr__(self) -> str:
        return f"Store({str(self.path)!r})"

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

    # writes

    def add(self, result: DocumentResult) -> bool:
        """Store a document and its mentions; replace a stored document with the same id.

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
            if row is not None and _document_from_row(row) == doc:
                stored = [
                    r["payload"]
                    for r in conn.execute(
                        "SELECT payload FROM mentions WHERE document_id = ? ORDER BY seq", (doc.id,)
                    )
                ]
                if stored == [dump_mention(m) for m in result.mentions]:
                    return False
            created = (
                row["created_at"] if row is not None else datetime.now(UTC).isoformat(timespec="seconds")
            )
            conn.execute("DELETE FROM mentions WHERE document_id = ?", (doc.id,))
            conn.execute(
                """INSERT INTO documents
                       (id, title, publisher, url, published_value, published_basis, text, content_hash,
                        created_at)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                   ON CONFLICT(id) DO UPDATE SET
                       title = excluded.title, publisher = excluded.publisher, url = excluded.url,
                       published_value = excluded.published_value,
                       published_basis = excluded.published_basis,
                       text = excluded.text, content_hash = excluded.content_hash""",
                (*_document_columns(doc), digest, created),
            )
            for seq, mention in enumerate(result.mentions):
                if mention.document_id != doc.id:
                    raise ValueError(
                        f"mention {seq} of document {doc.id!r} belongs to {mention.document_id!r}"
                    )
                conn.execute(
                    "INSERT INTO mentions (document_id, seq, payload) VALUES (?, ?, ?)",
                    (doc.id, seq, dump_mention(mention)),
                )
            self._bump(conn)
        return True

    def delete(self, doc_id: str) -> bool:
        """Remove a document and (by cascade) its mentions; False if there was none."""
        with self._transaction(write=True) as conn:
            deleted = conn.execute("DELETE FROM documents WHERE id = ?", (doc_id,)).rowcount
            if deleted:
                self._bump(conn)
        return bool(deleted)

    # reads

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

    def timeline(self) -> Timeline:
        """The merged timeline of every stored mention, recomputed only when the revision changed.

        Callers share the cached object: treat it as read-only.
        """
        # imported on first use: storing and reading documents needs none of the extraction stack
        from .merge import merge_mentions

        current = self.revision()
        cached = self._timeline
        if cached is not None and cached[0] == current:
            return cached[1]
        with self._lock:
            cached = self._timeline
            if cached is not None and cached[0] == self.revision():
                return cached[1]
            revision, results = self.snapshot()
            timeline = Timeline(events=merge_mentions(results), documents=[r.document for r in results])
            self._timeline = (revision, timeline)
            return timeline
