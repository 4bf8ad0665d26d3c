"""The contract files under ``schemas/``: the JSON Schema of each response and the OpenAPI document.

They are generated (``dateline schemas --write schemas/``) and committed, so a change of shape shows
as a diff in review, and a file that no longer matches what the code generates fails the tests
(``dateline schemas --check schemas/``). The OpenAPI document is built from the API's routes
(:func:`dateline.api.openapi_document`), a layer above this one, so the caller hands it in.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from marshmallow import Schema

from dateline.views.entity_schemas import EntitiesSchema
from dateline.views.jsonschema import json_schema
from dateline.views.schemas import (
    DocumentDetailSchema,
    DocumentsSchema,
    EventSchema,
    JobSchema,
    ProblemSchema,
    TimelineSchema,
)

#: file name -> (root schema, title); the JSON Schema files under schemas/
SCHEMA_FILES: dict[str, tuple[type[Schema], str]] = {
    "timeline.schema.json": (TimelineSchema, "Dateline timeline"),
    "event.schema.json": (EventSchema, "Dateline event"),
    "documents.schema.json": (DocumentsSchema, "Dateline documents listing"),
    "document.schema.json": (DocumentDetailSchema, "Dateline document"),
    "problem.schema.json": (ProblemSchema, "Problem details (RFC 9457)"),
    "job.schema.json": (JobSchema, "Dateline ingestion job"),
    "entities.schema.json": (EntitiesSchema, "Dateline entities listing"),
}

#: the OpenAPI description (default settings), written beside the JSON Schema files
OPENAPI_FILE = "openapi.json"

REGENERATE_HINT = "dateline schemas --write schemas/"


def _text(document: Mapping[str, Any]) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def render_json_schemas(openapi: Mapping[str, Any]) -> dict[str, str]:
    """File name -> file text, exactly as written to ``schemas/`` (stable, so staleness is a diff):
    the JSON Schema of each response, and ``openapi`` (the OpenAPI 3.1 description of the API)."""
    files = {name: _text(json_schema(schema, title)) for name, (schema, title) in SCHEMA_FILES.items()}
    files[OPENAPI_FILE] = _text(openapi)
    return files


def write_json_schemas(directory: str | Path, openapi: Mapping[str, Any]) -> list[Path]:
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in render_json_schemas(openapi).items():
        path = out / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def stale_json_schemas(directory: str | Path, openapi: Mapping[str, Any]) -> list[str]:
    """Names of the files in ``directory`` that are missing or differ from what the schemas generate."""
    out = Path(directory)
    stale = []
    for name, text in render_json_schemas(openapi).items():
        path = out / name
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            stale.append(name)
    return stale
