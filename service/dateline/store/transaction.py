"""One store transaction and what it decoded.

A write reads the same mentions several times (closure, surname map, merge), so each payload is
parsed once per transaction, or not at all when the store instance's cache of the last write it
committed is still current (same store, same revision).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

import dateline.store.schema as T
from dateline.merging.names import FULL_NAME
from dateline.model import Document, Mention
from dateline.store.codec import Key, document_from_row, load_mention
from dateline.store.statements import BUMP, MENTION_KEY, chunks, keys_table


@dataclass
class Decoded:
    """Decoded mentions and documents, by key and by document id."""

    mentions: dict[Key, Mention] = field(default_factory=dict)
    documents: dict[str, Document] = field(default_factory=dict)


@dataclass
class MentionCache:
    """What a write decoded, as of one revision of one store: a write re-merges a whole component,
    and on a topical corpus reading and decoding its rows again on every add costs more than the
    merge."""

    store_id: str | None
    revision: int
    decoded: Decoded


@dataclass
class Tx:
    """One transaction and what it decoded: a write reads the same mentions several times (closure,
    surname map, merge), and each payload is parsed once (or not at all when the store instance's
    cache is current). Full-name lookups are cached until the mentions change."""

    conn: Connection
    full_names: dict[str, frozenset[str]] = field(default_factory=dict)
    #: hands over the store's cache of decoded rows (write transactions only)
    take_cache: Callable[[Tx], Decoded] | None = None
    #: the revision the transaction reads (then writes) and the store id, once the cache was taken
    revision: int | None = None
    store_id: str | None = None
    _decoded: Decoded | None = None

    @property
    def cache(self) -> Decoded:
        """The decoded rows: the store's cache when it is current, taken on first use (after the
        schema exists) so that no other transaction shares it."""
        if self._decoded is None:
            self._decoded = self.take_cache(self) if self.take_cache is not None else Decoded()
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
        for chunk in chunks(sorted(set(keys))):
            table, params = keys_table(chunk)
            yield from self.conn.execute(sa.text(sql.format(keys=table)), params).mappings()

    def bump(self) -> None:
        """Count a write: readers elsewhere notice the new revision."""
        self.conn.execute(BUMP)
        if self.revision is not None:
            self.revision += 1

    def set_meta_value(self, key: str, value: str) -> None:
        statement = self.insert(T.meta_values).values(key=key, value=value)
        self.conn.execute(
            statement.on_conflict_do_update(index_elements=["key"], set_={"value": statement.excluded.value})
        )

    def mentions(self, keys: Iterable[Key]) -> dict[Key, Mention]:
        """The stored mentions ``keys``, each payload decoded once per transaction."""
        wanted = set(keys)
        missing = wanted - self.decoded.keys()
        for row in self.keyed(
            "SELECT m.document_id, m.seq, m.payload FROM {keys} JOIN mentions m ON " + MENTION_KEY, missing
        ):
            self.decoded[(row["document_id"], row["seq"])] = load_mention(row["payload"])
        return {key: self.decoded[key] for key in wanted if key in self.decoded}

    def documents(self, ids: set[str]) -> dict[str, Document]:
        """The stored documents ``ids``, each row read once while the cache is current."""
        known = self.cache.documents
        for chunk in chunks(sorted(ids - known.keys())):
            for row in self.conn.execute(
                sa.select(T.documents).where(T.documents.c.id.in_(list(chunk)))
            ).mappings():
                known[row["id"]] = document_from_row(row)
        return {doc_id: known[doc_id] for doc_id in ids if doc_id in known}

    def full_names_ending_in(self, name: str) -> frozenset[str]:
        """Every full name ending in ``name`` among the stored mentions' actors."""
        found = self.full_names.get(name)
        if found is None:
            rows = self.conn.execute(
                sa.select(T.mention_terms.c.name).distinct().where(T.mention_terms.c.term == FULL_NAME + name)
            )
            found = self.full_names[name] = frozenset(row.name for row in rows)
        return found
