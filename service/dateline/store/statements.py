"""The SQL the store runs more than once, and the helpers that batch keys into statements.

Statements are SQLAlchemy Core over the tables of :mod:`dateline.store.schema`, built once at import;
key lookups join a ``VALUES`` table so that both databases use the ``(document_id, seq)`` index.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

import dateline.store.schema as T
from dateline.store.codec import Key

#: keys per statement: SQLite allows 32766 host parameters, a chunk stays well below
CHUNK = 400


def chunks(items: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def keys_table(chunk: Sequence[Key]) -> tuple[str, dict[str, Any]]:
    """``(VALUES (:d0, :s0), ...) AS k`` and its parameters: joined on an indexed (document_id, seq),
    SQLite and PostgreSQL both look each key up in the index (``(a, b) IN (VALUES ...)`` made SQLite
    scan the whole table). Both name the columns ``column1`` and ``column2``."""
    params: dict[str, Any] = {}
    rows = []
    for i, (doc_id, seq) in enumerate(chunk):
        params[f"d{i}"], params[f"s{i}"] = doc_id, seq
        rows.append(f"(:d{i}, :s{i})")
    return f"(VALUES {', '.join(rows)}) AS k", params


#: the join condition of a table ``m`` with the ``VALUES`` table ``k`` of :func:`keys_table`
MENTION_KEY = "m.document_id = k.column1 AND m.seq = k.column2"
#: the columns a replaced document overwrites (it keeps its id and created_at)
DOCUMENT_COLUMNS = [c.name for c in T.documents.columns if c.name not in ("id", "created_at")]

#: meta_values key of a random id made when the store is created (ETags must not repeat across stores)
STORE_ID = "store_id"

REVISION = sa.select(T.meta.c.revision).where(T.meta.c.id == 1)
BUMP = sa.update(T.meta).where(T.meta.c.id == 1).values(revision=T.meta.c.revision + 1)
MEMBERS_OF_EVENTS = sa.select(
    T.event_members.c.event_key, T.event_members.c.document_id, T.event_members.c.seq
).where(T.event_members.c.event_key.in_(sa.bindparam("keys", expanding=True)))
#: the mentions holding any of ``terms``, with their link columns
LINKED = (
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
EVENT_PAYLOADS = sa.select(T.events.c.key, T.events.c.id, T.events.c.payload).where(
    T.events.c.key.in_(sa.bindparam("keys", expanding=True))
)
#: an event updated in place (it keeps its key and id), and its member rows that changed
UPDATE_EVENT = (
    sa.update(T.events)
    .where(T.events.c.key == sa.bindparam("b_key"))
    .values(payload=sa.bindparam("b_payload"))
)
DELETE_MEMBER = (
    sa.delete(T.event_members)
    .where(T.event_members.c.document_id == sa.bindparam("b_document_id"))
    .where(T.event_members.c.seq == sa.bindparam("b_seq"))
)
SET_MEMBER_POSITION = (
    sa.update(T.event_members)
    .where(T.event_members.c.document_id == sa.bindparam("b_document_id"))
    .where(T.event_members.c.seq == sa.bindparam("b_seq"))
    .values(position=sa.bindparam("b_position"))
)
FULL_NAMES = (
    sa.select(T.mention_terms.c.term, T.mention_terms.c.name)
    .distinct()
    .where(T.mention_terms.c.term.in_(sa.bindparam("terms", expanding=True)))
)

#: what :meth:`dateline.store.Store.verify` counts: each count must be 0 in a consistent store
CHECKS = {
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
    "copy keys without a document": "SELECT COUNT(*) FROM document_keys"
    " WHERE document_id NOT IN (SELECT id FROM documents)",
}


def meta_value(conn: Connection, key: str) -> str | None:
    value: str | None = conn.execute(
        sa.select(T.meta_values.c.value).where(T.meta_values.c.key == key)
    ).scalar_one_or_none()
    return value


def document_row(conn: Connection, where: Any) -> sa.RowMapping | None:
    return conn.execute(sa.select(T.documents).where(where)).mappings().first()


def all_documents(conn: Connection) -> list[sa.RowMapping]:
    return list(conn.execute(sa.select(T.documents).order_by(T.documents.c.id)).mappings())


def keys_of_term(conn: Connection, term: str) -> set[Key]:
    """The mentions whose index holds ``term``."""
    rows = conn.execute(
        sa.select(T.mention_terms.c.document_id, T.mention_terms.c.seq).where(T.mention_terms.c.term == term)
    )
    return {(row.document_id, row.seq) for row in rows}
