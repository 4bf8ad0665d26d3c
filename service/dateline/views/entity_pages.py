"""Pages of the entity list (``GET /v1/entities``): keyset pagination with an opaque cursor.

The entities are listed most cited first (``-event_count``, then name, then id: the order of
:func:`dateline.merging.entities.entity_index`). A cursor is base64url JSON holding that sort key of
the last entity served and a digest of the parameters that select the list (``include``), so the
next page starts right after it even when the collection changed in between, and a cursor made for
one list is refused on another. An entity whose count changed between two requests moves in the
order: it may then be served twice or not at all, as a changed event's date does on the timeline.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from dateline.views.query import QueryError, make_cursor, read_cursor

#: an entity's place in the list: (-event_count, name, id)
Key = tuple[int, str, str]


class Listed(Protocol):
    """What paging reads of an entity (a merging.entities.Entity)."""

    id: str
    name: str
    event_count: int


E = TypeVar("E", bound=Listed)


def entity_key(entity: Listed) -> Key:
    return (-entity.event_count, entity.name, entity.id)


@dataclass(frozen=True)
class EntityQuery:
    """What ``GET /v1/entities`` asks for (already type-checked by the schema)."""

    include: tuple[str, ...] = ()
    limit: int = 500
    cursor: str | None = None

    def digest(self) -> str:
        text = json.dumps({"include": sorted(set(self.include))}, sort_keys=True)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def entity_query(params: dict[str, Any], *, default_limit: int, max_limit: int) -> EntityQuery:
    """An EntityQuery from the schema-loaded parameters, checked against the page limits (a
    QueryError names the wrong parameter)."""
    query = EntityQuery(
        include=tuple(params.get("include") or ()),
        limit=params.get("limit", default_limit),
        cursor=params.get("cursor"),
    )
    if not 1 <= query.limit <= max_limit:
        raise QueryError("limit", f"must be between 1 and {max_limit}, not {query.limit}")
    if query.cursor is not None:
        decode_cursor(query.cursor, query)
    return query


def encode_cursor(key: Key, query: EntityQuery) -> str:
    return make_cursor(list(key), query.digest())


def decode_cursor(cursor: str, query: EntityQuery) -> Key:
    """The key a cursor continues after; QueryError for anything encode_cursor did not make for the
    same ``include``."""
    count, name, entity_id = read_cursor(
        cursor, 3, query.digest(), "a list with another include", (int, str, str)
    )
    return (count, name, entity_id)


def entity_page(entities: Sequence[E], query: EntityQuery) -> tuple[list[E], str | None]:
    """One page of ``entities`` (most cited first) and the cursor of the next page (None on the
    last)."""
    ordered = sorted(entities, key=entity_key)
    start = 0
    if query.cursor is not None:
        after = decode_cursor(query.cursor, query)
        start = next((i for i, e in enumerate(ordered) if entity_key(e) > after), len(ordered))
    chosen = ordered[start : start + query.limit]
    more = start + query.limit < len(ordered)
    return chosen, encode_cursor(entity_key(chosen[-1]), query) if more and chosen else None
