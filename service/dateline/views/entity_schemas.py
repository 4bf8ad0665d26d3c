"""The shapes of ``GET /v1/entities`` and ``dateline entities``: the canonical entities of a collection
(:mod:`dateline.merging.entities`), each under all the names the articles give it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from marshmallow import Schema, fields, validate

from dateline.views.schemas import IncludeQuerySchema, paging_fields

ENTITY_KINDS = ("person", "organisation", "place")


class EntitySchema(Schema):
    """A canonical entity of the collection (a merging.entities.Entity): one company, person or place
    under all the names the articles give it."""

    id = fields.String(required=True, metadata={"description": "its timeline: /v1/entities/{id}/timeline"})
    name = fields.String(required=True)
    kind = fields.String(required=True, allow_none=True, validate=validate.OneOf(ENTITY_KINDS))
    aliases = fields.List(
        fields.String(),
        required=True,
        metadata={
            "description": "the other names it goes by: the variants the articles use (legal suffixes, "
            "acronyms, a surname, a short form), the alias table's"
        },
    )
    event_count = fields.Integer(
        required=True,
        metadata={
            "description": "events that name it among their actors (its timeline holds the events it "
            "takes part in, by the parse: it may hold fewer, or more through pronouns)"
        },
    )
    document_count = fields.Integer(required=True, metadata={"description": "documents reporting them"})


class EntitiesSchema(Schema):
    """The /v1/entities response (one page) and the ``dateline entities`` output: most cited first."""

    entities = fields.List(fields.Nested(EntitySchema), required=True)
    count = fields.Integer(required=True, metadata={"description": "entities on this page"})
    next = fields.String(
        required=True,
        allow_none=True,
        metadata={"description": "URL of the next page (same include, opaque cursor); null on the last"},
    )


class EntitiesQuerySchema(IncludeQuerySchema):
    """The paging of GET /v1/entities, and what the list is made of (``include``)."""

    limit, cursor = paging_fields("entities")


def dump_entities(entries: Sequence[Any], next_url: str | None = None) -> dict[str, Any]:
    return EntitiesSchema().dump({"entities": list(entries), "count": len(entries), "next": next_url})
