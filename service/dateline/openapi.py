"""The OpenAPI 3.1 description of the HTTP API, generated from the marshmallow schemas.

OpenAPI 3.1 schemas are JSON Schema 2020-12, so the same converter that writes ``schemas/*.json``
(:class:`dateline.schemas.JsonSchemaConverter`) writes the components here: one source for the
responses, the request bodies (:class:`dateline.documents.DocumentInputSchema`) and the query
parameters (:class:`dateline.schemas.TimelineQuerySchema`). ``schemas/openapi.json`` is this document
for the default settings (``dateline schemas --write schemas/``); the service serves it, for its own
settings, at ``/v1/openapi.json``. No web layer here: the API module serves what this builds.
"""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields

from dateline import __version__
from dateline.documents import ID_PATTERN, DocumentInputSchema, DocumentMetadataSchema
from dateline.jobs import JOB_ID
from dateline.problems import PROBLEM_TYPES
from dateline.schemas import (
    ActorsSchema,
    DocumentDetailSchema,
    DocumentsSchema,
    EventSchema,
    FormatQuerySchema,
    HealthSchema,
    JobSchema,
    JsonSchemaConverter,
    ProblemSchema,
    ReadinessSchema,
    TimelineJsSchema,
    TimelineQuerySchema,
    TimelineSchema,
    VisSchema,
)
from dateline.settings import Settings

OPENAPI_VERSION = "3.1.0"
JSON = "application/json"
PROBLEM_JSON = "application/problem+json"

#: problem types (slug -> (status, title, meaning)); kept beside the OpenAPI text that lists them
PROBLEM_TYPES_DOC = (
    "Errors are RFC 9457 problem details (`application/problem+json`). Besides `about:blank` for "
    "plain HTTP errors (404, 405, 500), `type` is one of these tag URIs (each problem also has a "
    "`detail` saying what to fix, and invalid input an `errors` member naming each field):"
)


def _header(description: str, schema: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"description": description, "schema": schema or {"type": "string"}}


HEADERS = {
    "ETag": _header("strong validator of this representation (store revision + request)"),
    "Cache-Control": _header("caching policy: reads revalidate, writes and extraction are no-store"),
    "Link": _header('`<url>; rel="next"` when there is another page'),
    "Location": _header("URL of the stored document (200, 201), or of the ingestion job (202)"),
    "X-Request-ID": _header("the request id (the client's, or a new one); it is in the logs"),
    "WWW-Authenticate": _header(
        'the token challenge: `Bearer realm="dateline"`, with `error="invalid_token"` for a wrong token'
    ),
    "Retry-After": _header("seconds to wait before trying again", {"type": "integer", "minimum": 1}),
}

#: the bearer token of writes (DATELINE_API_TOKENS)
SECURITY_SCHEME = "bearerToken"
#: headers of some problem statuses besides X-Request-ID
STATUS_HEADERS = {401: ("WWW-Authenticate",), 429: ("Retry-After",), 503: ("Retry-After",)}
#: what any write may also answer: 401 (a token needed or not accepted), 403 (a browser write from an
#: origin not allowed), 429 (the client's write rate limit)
WRITE_PROBLEMS = (401, 403, 429)


class OpenApiBuilder:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.conv = JsonSchemaConverter(ref_prefix="#/components/schemas/")

    # building blocks

    def ref(self, schema: type[Schema]) -> dict[str, Any]:
        return self.conv.ref(schema)

    def parameters(self, schema: type[Schema], *, exclude: tuple[str, ...] = ()) -> list[dict[str, Any]]:
        out = []
        for name, fld in schema().fields.items():
            key = fld.data_key or name
            if key in exclude:
                continue
            spec = self.conv.field(fld)
            param: dict[str, Any] = {"name": key, "in": "query", "required": bool(fld.required)}
            description = spec.pop("description", None)
            if description:
                param["description"] = description
            if isinstance(fld, fields.List):
                param.update(style="form", explode=True)
            param["schema"] = spec
            out.append(param)
        return out

    @staticmethod
    def headers(*names: str) -> dict[str, Any]:
        return {name: {"$ref": f"#/components/headers/{name}"} for name in ("X-Request-ID", *names)}

    @staticmethod
    def problems(*statuses: int) -> dict[str, Any]:
        out: dict[str, Any] = {
            str(s): {"$ref": f"#/components/responses/Problem{s}"} for s in sorted(set(statuses))
        }
        out["default"] = {"$ref": "#/components/responses/Problem"}
        return out

    def json_response(self, description: str, schema: dict[str, Any], *headers: str) -> dict[str, Any]:
        return {
            "description": description,
            "headers": self.headers(*headers),
            "content": {JSON: {"schema": schema}},
        }

    def timeline_response(self, description: str, *headers: str) -> dict[str, Any]:
        json_schema = {"anyOf": [self.ref(TimelineSchema), self.ref(TimelineJsSchema), self.ref(VisSchema)]}
        return {
            "description": description,
            "headers": self.headers(*headers),
            "content": {
                JSON: {"schema": json_schema},
                "text/csv": {"schema": {"type": "string", "description": "RFC 4180, one row per event"}},
                "application/x-ndjson": {"schema": {"type": "string", "description": "one event per line"}},
            },
        }

    def document_body(self, *, many: bool) -> dict[str, Any]:
        one = self.ref(DocumentInputSchema)
        body: dict[str, Any] = one
        if many:
            listed = {"type": "array", "items": one, "minItems": 1, "maxItems": self.settings.max_batch}
            body = {"anyOf": [one, listed]}
        text = {"type": "string", "minLength": 1, "pattern": r"\S"}
        return {
            "required": True,
            "description": "a JSON document; or the article as text/plain or text/html (metadata as query "
            "parameters; they also give defaults to JSON documents)",
            "content": {
                JSON: {"schema": body},
                "text/plain": {"schema": {**text, "maxLength": self.settings.max_text_chars}},
                "text/html": {"schema": text},
            },
        }

    def write_security(self, *, extract: bool = False) -> list[dict[str, list[str]]]:
        """The bearer token when this server's writes need one; else the token is optional (``{}``)."""
        required = bool(self.settings.api_tokens) and not (extract and self.settings.public_extract)
        return [{SECURITY_SCHEME: []}] if required else [{SECURITY_SCHEME: []}, {}]

    def doc_id_parameter(self) -> dict[str, Any]:
        return {
            "name": "doc_id",
            "in": "path",
            "required": True,
            "schema": {"type": "string", "pattern": ID_PATTERN},
        }

    # the document

    def paths(self) -> dict[str, Any]:
        read = ("ETag", "Cache-Control")
        not_modified = {
            "304": {
                "description": "the client's copy (If-None-Match) is current",
                "headers": self.headers(*read),
            }
        }
        metadata = self.parameters(DocumentMetadataSchema)
        return {
            "/v1/timeline": {
                "get": {
                    "operationId": "getTimeline",
                    "tags": ["timeline"],
                    "summary": "The merged timeline: filtered, paged (cursor) and in several formats",
                    "parameters": self.parameters(TimelineQuerySchema),
                    "responses": {
                        "200": self.timeline_response("one page of events", *read, "Link"),
                        **not_modified,
                        **self.problems(400),
                    },
                }
            },
            "/v1/events/{event_id}": {
                "get": {
                    "operationId": "getEvent",
                    "tags": ["timeline"],
                    "summary": "One event with all its sources",
                    "parameters": [
                        {"name": "event_id", "in": "path", "required": True, "schema": {"type": "string"}}
                    ],
                    "responses": {
                        "200": self.json_response("the event", self.ref(EventSchema), *read),
                        **not_modified,
                        **self.problems(400, 404),
                    },
                }
            },
            "/v1/actors": {
                "get": {
                    "operationId": "listActors",
                    "tags": ["timeline"],
                    "summary": "Canonical actors with their aliases and event counts",
                    "responses": {
                        "200": self.json_response("the actors", self.ref(ActorsSchema), *read),
                        **not_modified,
                        **self.problems(400),
                    },
                }
            },
            "/v1/documents": {
                "get": {
                    "operationId": "listDocuments",
                    "tags": ["documents"],
                    "summary": "The stored documents",
                    "responses": {
                        "200": self.json_response("the documents", self.ref(DocumentsSchema), *read),
                        **not_modified,
                        **self.problems(400),
                    },
                },
                "post": {
                    "operationId": "ingestDocument",
                    "tags": ["documents"],
                    "summary": "Ingest a document (idempotent: the same text again answers 200)",
                    "description": "Inside the request by default (201). With a job queue "
                    "(DATELINE_QUEUE_URL) a new document is queued for a worker: 202 and the job, whose "
                    "URL (Location) tells when it is done.",
                    "parameters": metadata,
                    "security": self.write_security(),
                    "requestBody": self.document_body(many=False),
                    "responses": {
                        "201": self.json_response(
                            "stored; the document and its events", self.ref(DocumentDetailSchema), "Location"
                        ),
                        "200": self.json_response(
                            "already stored (same text): the stored document",
                            self.ref(DocumentDetailSchema),
                            "Location",
                        ),
                        "202": self.json_response(
                            "queued (DATELINE_QUEUE_URL): the ingestion job", self.ref(JobSchema), "Location"
                        ),
                        **self.problems(400, *WRITE_PROBLEMS, 409, 413, 415, 422, 503),
                    },
                },
            },
            "/v1/jobs/{job_id}": {
                "get": {
                    "operationId": "getJob",
                    "tags": ["documents"],
                    "summary": "An ingestion job: queued, running, done (the document) or failed (a problem)",
                    "parameters": [
                        {
                            "name": "job_id",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string", "pattern": JOB_ID.pattern},
                        }
                    ],
                    "responses": {
                        "200": self.json_response("the job", self.ref(JobSchema), "Cache-Control"),
                        **self.problems(400, 404, 503),
                    },
                }
            },
            "/v1/documents/{doc_id}": {
                "get": {
                    "operationId": "getDocument",
                    "tags": ["documents"],
                    "summary": "One document: metadata, text and the events citing it",
                    "parameters": [self.doc_id_parameter()],
                    "responses": {
                        "200": self.json_response("the document", self.ref(DocumentDetailSchema), *read),
                        **not_modified,
                        **self.problems(400, 404),
                    },
                },
                "delete": {
                    "operationId": "deleteDocument",
                    "tags": ["documents"],
                    "summary": "Delete a document; its sources leave the timeline",
                    "parameters": [self.doc_id_parameter()],
                    "security": self.write_security(),
                    "responses": {
                        "204": {"description": "deleted", "headers": self.headers()},
                        **self.problems(400, *WRITE_PROBLEMS, 404),
                    },
                },
            },
            "/v1/extract": {
                "post": {
                    "operationId": "extract",
                    "tags": ["extraction"],
                    "summary": "Stateless: the merged timeline of the documents sent, nothing stored",
                    "parameters": [*self.parameters(FormatQuerySchema), *metadata],
                    "security": self.write_security(extract=True),
                    "requestBody": self.document_body(many=True),
                    "responses": {
                        "200": self.timeline_response("the events of these documents", "Cache-Control"),
                        **self.problems(400, *WRITE_PROBLEMS, 413, 415, 422, 503),
                    },
                }
            },
            "/v1/openapi.json": {
                "get": {
                    "operationId": "getOpenApi",
                    "tags": ["service"],
                    "summary": "This description",
                    "responses": {"200": self.json_response("OpenAPI 3.1", {"type": "object"})},
                }
            },
            "/docs": {
                "get": {
                    "operationId": "getDocs",
                    "tags": ["service"],
                    "summary": "Swagger UI over this description (local assets, works offline)",
                    "responses": {
                        "200": {
                            "description": "HTML page",
                            "content": {"text/html": {"schema": {"type": "string"}}},
                        }
                    },
                }
            },
            "/healthz": {
                "get": {
                    "operationId": "healthz",
                    "tags": ["service"],
                    "summary": "Liveness",
                    "responses": {"200": self.json_response("alive", self.ref(HealthSchema))},
                }
            },
            "/readyz": {
                "get": {
                    "operationId": "readyz",
                    "tags": ["service"],
                    "summary": "Readiness: the store answers and the model is loaded",
                    "responses": {
                        "200": self.json_response("ready", self.ref(ReadinessSchema)),
                        **self.problems(503),
                    },
                }
            },
            "/metrics": {
                "get": {
                    "operationId": "metrics",
                    "tags": ["service"],
                    "summary": "Prometheus metrics (all gunicorn workers together)",
                    "responses": {
                        "200": {
                            "description": "Prometheus text format 0.0.4",
                            "content": {"text/plain": {"schema": {"type": "string"}}},
                        }
                    },
                }
            },
        }

    def components_responses(self, statuses: tuple[int, ...]) -> dict[str, Any]:
        content = {PROBLEM_JSON: {"schema": self.ref(ProblemSchema)}}
        out: dict[str, Any] = {
            "Problem": {
                "description": "an error (problem details)",
                "headers": self.headers(),
                "content": content,
            }
        }
        for status in statuses:
            out[f"Problem{status}"] = {
                "description": f"HTTP {status} (problem details)",
                "headers": self.headers(*STATUS_HEADERS.get(status, ())),
                "content": content,
            }
        return out

    def build(self, problem_types: dict[str, tuple[int, str, str]]) -> dict[str, Any]:
        paths = self.paths()
        statuses = sorted(
            {
                int(code)
                for ops in paths.values()
                for op in ops.values()
                for code in op["responses"]
                if code[0] in "45"
            }
        )
        listing = "\n".join(
            f"- `{uri}` ({status}): {meaning}" for uri, (status, _t, meaning) in problem_types.items()
        )
        return {
            "openapi": OPENAPI_VERSION,
            "info": {
                "title": "Dateline",
                "version": __version__,
                "summary": "Dated events extracted from news articles, merged into one timeline.",
                "description": PROBLEM_TYPES_DOC + "\n\n" + listing,
                "license": {"name": "MIT", "identifier": "MIT"},
            },
            "tags": [
                {"name": "timeline", "description": "the merged timeline, its events and actors"},
                {
                    "name": "documents",
                    "description": "the stored documents: ingest, read, delete; ingestion jobs",
                },
                {"name": "extraction", "description": "stateless extraction for other pipelines"},
                {"name": "service", "description": "description, documentation, health and metrics"},
            ],
            "paths": paths,
            "components": {
                "schemas": dict(sorted(self.conv.defs.items())),
                "responses": self.components_responses(tuple(statuses)),
                "headers": HEADERS,
                "securitySchemes": {
                    SECURITY_SCHEME: {
                        "type": "http",
                        "scheme": "bearer",
                        "description": "`Authorization: Bearer <token>` with a token from "
                        "DATELINE_API_TOKENS. Writes (POST, DELETE) need it when the server has tokens "
                        "(POST /v1/extract not with DATELINE_PUBLIC_EXTRACT=1); reads never do.",
                    }
                },
            },
        }


def openapi_document(settings: Settings | None = None) -> dict[str, Any]:
    """The OpenAPI 3.1 document for ``settings`` (limits such as the batch size appear in it)."""
    types = {kind.uri(slug): (kind.status, kind.title, kind.meaning) for slug, kind in PROBLEM_TYPES.items()}
    return OpenApiBuilder(settings or Settings()).build(types)
