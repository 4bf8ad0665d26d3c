"""The shapes of ``GET /v1/entities`` and ``dateline entities``: the canonical entities of a collection
(:mod:`dateline.merging.entities`), each under all the names the articles give it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from marshmallow import Schema, fields, validate

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
    event_count = fields.Integer(required=True, metadata={"description": "events it takes part in"})
    document_count = fields.Integer(required=True, metadata={"description": "documents reporting them"})


class EntitiesSchema(Schema):
    """The /v1/entities response and the ``dateline entities`` output: most cited first."""

    entities = fields.List(fields.Nested(EntitySchema), required=True)
    count = fields.Integer(required=True)


def dump_entities(entries: Sequence[Any]) -> dict[str, Any]:
    return EntitiesSchema().dump({"entities": list(entries), "count": len(entries)})
