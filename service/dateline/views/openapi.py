"""The OpenAPI 3.1 description of the HTTP API: the operations the routes declare, and the builder.

Each view of :mod:`dateline.api` carries its :class:`Operation` beside its route, the way
flask-smorest's decorators do::

    @bp.get("/events/<event_id>")
    @Operation("getEvent", tag="timeline", summary="One event with all its sources",
               responses={200: JsonBody("the event", EventSchema, READ_HEADERS), 304: NOT_MODIFIED},
               problems=(400, 404))
    def get_event(event_id: str) -> Response: ...

The path and the method come from the route itself: the API walks its URL map into :class:`Route`
values and :func:`build_openapi` turns them into the document (:func:`dateline.api.openapi_document`).
OpenAPI 3.1 schemas are JSON Schema 2020-12, so the converter that writes ``schemas/*.json``
(:class:`dateline.views.jsonschema.JsonSchemaConverter`) writes the components here: one source for
the responses, the request bodies (:class:`dateline.intake.documents.DocumentInputSchema`) and the query
parameters (:class:`dateline.views.schemas.TimelineQuerySchema`). ``schemas/openapi.json`` is this
document for the default settings; the service serves it, for its own settings, at
``/v1/openapi.json``. No web layer here: the declarations are plain values the API's views carry.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar

from marshmallow import Schema, fields

from dateline import __version__
from dateline.intake.documents import DocumentInputSchema
from dateline.problems import PROBLEM_TYPES
from dateline.settings import Settings
from dateline.views.format_schemas import TimelineJsSchema, VisSchema
from dateline.views.jsonschema import JsonSchemaConverter
from dateline.views.schemas import ProblemSchema, TimelineSchema

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
#: the headers of a conditional read (every response carries X-Request-ID besides)
READ_HEADERS = ("ETag", "Cache-Control")


# --- what a view declares ---------------------------------------------------------------------------


@dataclass(frozen=True)
class JsonBody:
    """A JSON response of one marshmallow schema (none: any JSON object)."""

    description: str
    schema: type[Schema] | None = None
    headers: tuple[str, ...] = ()


@dataclass(frozen=True)
class EventsBody:
    """Events in the ``format`` asked: the timeline JSON, TimelineJS3 or vis-timeline JSON, CSV or
    NDJSON."""

    description: str
    headers: tuple[str, ...] = ()


@dataclass(frozen=True)
class NoBody:
    """A response without a body (204, 304)."""

    description: str
    headers: tuple[str, ...] = ()


@dataclass(frozen=True)
class TextBody:
    """A text response described by its media type alone (an HTML page, Prometheus text)."""

    description: str
    media_type: str


ResponseSpec = JsonBody | EventsBody | NoBody | TextBody

#: a conditional read's answer when the client's copy is current
NOT_MODIFIED = NoBody("the client's copy (If-None-Match) is current", READ_HEADERS)


@dataclass(frozen=True)
class DocumentsBody:
    """The request body of ingestion and extraction: a JSON document (``many``: or a list of them), or
    the article as text/plain or text/html."""

    many: bool


View = TypeVar("View", bound=Callable[..., Any])

#: the attribute of a view function that holds its declaration
DECLARATION = "__openapi_operation__"


@dataclass(frozen=True)
class Operation:
    """What the description says of one route; a decorator that attaches itself to the view.

    ``responses`` are in the order the description lists them; ``problems`` are the error statuses
    answered with problem details (each listed, then ``default``). ``path`` gives a pattern to path
    parameters (the route names them; a parameter not given is any string). ``security``: ``write``
    needs the bearer token when the server has tokens; ``extract`` too, unless
    DATELINE_PUBLIC_EXTRACT.
    """

    operation_id: str
    tag: str
    summary: str
    responses: Mapping[int, ResponseSpec]
    problems: tuple[int, ...] = ()
    description: str | None = None
    query: tuple[type[Schema], ...] = ()
    path: Mapping[str, str] = field(default_factory=dict)
    body: DocumentsBody | None = None
    security: Literal["write", "extract"] | None = None

    def __call__(self, view: View) -> View:
        setattr(view, DECLARATION, self)
        return view


def undocumented(view: View) -> View:
    """Mark a route the description leaves out on purpose (page assets: the widget's, Swagger UI's)."""
    setattr(view, DECLARATION, None)
    return view


def is_declared(view: Callable[..., Any]) -> bool:
    """Whether the view says what the description makes of it (an Operation, or undocumented)."""
    return hasattr(view, DECLARATION)


def operation_of(view: Callable[..., Any]) -> Operation | None:
    """The view's Operation; None when it is undocumented or declares nothing."""
    declared = getattr(view, DECLARATION, None)
    return declared if isinstance(declared, Operation) else None


@dataclass(frozen=True)
class Route:
    """A documented operation where the API serves it."""

    path: str  # OpenAPI path template, e.g. /v1/documents/{doc_id}
    method: str  # lower case, e.g. get
    operation: Operation


_PATH_PARAMETER = re.compile(r"\{(\w+)\}")

#: the description's tags, in the order Swagger UI shows them; each operation names one
TAGS = [
    {"name": "timeline", "description": "the merged timeline, its events and actors"},
    {"name": "documents", "description": "the stored documents: ingest, read, delete; ingestion jobs"},
    {"name": "extraction", "description": "stateless extraction for other pipelines"},
    {"name": "service", "description": "description, documentation, health and metrics"},
]


# --- the builder --------------------------------------------------------------------------------------


class OpenApiBuilder:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.conv = JsonSchemaConverter(ref_prefix="#/components/schemas/")

    # building blocks

    def ref(self, schema: type[Schema]) -> dict[str, Any]:
        return self.conv.ref(schema)

    def parameters(self, schema: type[Schema]) -> list[dict[str, Any]]:
        out = []
        for name, fld in schema().fields.items():
            key = fld.data_key or name
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
    def path_parameters(route: Route) -> list[dict[str, Any]]:
        names = _PATH_PARAMETER.findall(route.path)
        unknown = set(route.operation.path) - set(names)
        if unknown:
            raise ValueError(
                f"{route.operation.operation_id}: no path parameter {sorted(unknown)} in {route.path}"
            )
        out = []
        for name in names:
            schema = {"type": "string"}
            if name in route.operation.path:
                schema["pattern"] = route.operation.path[name]
            out.append({"name": name, "in": "path", "required": True, "schema": schema})
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

    def response(self, spec: ResponseSpec) -> dict[str, Any]:
        if isinstance(spec, TextBody):
            return {
                "description": spec.description,
                "content": {spec.media_type: {"schema": {"type": "string"}}},
            }
        out: dict[str, Any] = {"description": spec.description, "headers": self.headers(*spec.headers)}
        if isinstance(spec, JsonBody):
            schema = self.ref(spec.schema) if spec.schema is not None else {"type": "object"}
            out["content"] = {JSON: {"schema": schema}}
        elif isinstance(spec, EventsBody):
            out["content"] = self.events_content()
        return out

    def events_content(self) -> dict[str, Any]:
        json_schema = {"anyOf": [self.ref(TimelineSchema), self.ref(TimelineJsSchema), self.ref(VisSchema)]}
        return {
            JSON: {"schema": json_schema},
            "text/csv": {"schema": {"type": "string", "description": "RFC 4180, one row per event"}},
            "application/x-ndjson": {"schema": {"type": "string", "description": "one event per line"}},
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

    # the document

    def operation(self, route: Route) -> dict[str, Any]:
        op = route.operation
        out: dict[str, Any] = {"operationId": op.operation_id, "tags": [op.tag], "summary": op.summary}
        if op.description:
            out["description"] = op.description
        parameters = [*self.path_parameters(route), *(p for s in op.query for p in self.parameters(s))]
        if parameters:
            out["parameters"] = parameters
        if op.security is not None:
            out["security"] = self.write_security(extract=op.security == "extract")
        if op.body is not None:
            out["requestBody"] = self.document_body(many=op.body.many)
        responses = {str(status): self.response(spec) for status, spec in op.responses.items()}
        out["responses"] = {**responses, **(self.problems(*op.problems) if op.problems else {})}
        return out

    def paths(self, routes: Iterable[Route]) -> dict[str, Any]:
        """The operations by path, in the routes' order (a path where its first operation is)."""
        out: dict[str, dict[str, Any]] = {}
        for route in routes:
            operations = out.setdefault(route.path, {})
            if route.method in operations:
                raise ValueError(f"two operations for {route.method.upper()} {route.path}")
            operations[route.method] = self.operation(route)
        return out

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

    def build(
        self, problem_types: dict[str, tuple[int, str, str]], routes: Iterable[Route]
    ) -> dict[str, Any]:
        routes = list(routes)
        unknown = {r.operation.tag for r in routes} - {t["name"] for t in TAGS}
        if unknown:
            raise ValueError(f"operations tagged {sorted(unknown)}: not among the description's tags")
        paths = self.paths(routes)
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
            "tags": [dict(tag) for tag in TAGS],
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


def build_openapi(routes: Iterable[Route], settings: Settings | None = None) -> dict[str, Any]:
    """The OpenAPI 3.1 document of ``routes`` for ``settings`` (limits such as the batch size appear
    in it)."""
    types = {kind.uri(slug): (kind.status, kind.title, kind.meaning) for slug, kind in PROBLEM_TYPES.items()}
    return OpenApiBuilder(settings or Settings()).build(types, routes)
