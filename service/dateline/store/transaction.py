"""One store transaction, and the kept merge a write transaction works on.

A write takes the store instance's :class:`~dateline.merging.incremental.Archive` (the merge of every
stored mention, kept in memory) on first use, brought up to the revision the transaction reads, and
hands it back only when it commits; a rolled-back write drops it (the next write rebuilds it). Each
write logs the documents it changed (``document_changes``), which is how another process's archive
catches up with this write.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

import dateline.store.schema as T
from dateline.merging.incremental import Archive
from dateline.store.codec import Key
from dateline.store.statements import BUMP, REVISION, chunks, keys_table


@dataclass
class Tx:
    """One transaction. ``take_archive`` hands over the store's archive (write transactions only)."""

    conn: Connection
    take_archive: Callable[[Tx], Archive] | None = None
    #: the revision the transaction reads (then writes) and the store id, once the archive was taken
    revision: int | None = None
    store_id: str | None = None
    #: the documents this transaction changed, logged with each revision it writes
    changed: set[str] = field(default_factory=set)
    #: every event was re-merged (logged as a change without a document)
    rebuilt: bool = False
    _archive: Archive | None = None

    @property
    def archive(self) -> Archive:
        """The merge of every stored mention as this transaction sees it (taken on first use)."""
        if self._archive is None:
            if self.take_archive is None:
                raise RuntimeError("only a write transaction has the archive")
            self._archive = self.take_archive(self)
        return self._archive

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
        """Count a write (readers elsewhere notice the new revision) and log what it changed."""
        self.conn.execute(BUMP)
        if self.revision is not None:
            self.revision += 1
        logged: list[str | None] = [*sorted(self.changed)]
        if self.rebuilt:
            logged.append(None)
        if logged:
            revision = int(self.conn.execute(REVISION).scalar_one())
            self.conn.execute(
                sa.insert(T.document_changes), [{"revision": revision, "document_id": d} for d in logged]
            )
        self.changed.clear()
        self.rebuilt = False

    def set_meta_value(self, key: str, value: str) -> None:
        statement = self.insert(T.meta_values).values(key=key, value=value)
        self.conn.execute(
            statement.on_conflict_do_update(index_elements=["key"], set_={"value": statement.excluded.value})
        )
