"""One error handler for the whole app: every error is an RFC 9457 problem (application/problem+json).

Routes raise :class:`ApiProblem` (a problem type from :data:`PROBLEM_TYPES` with a useful detail),
werkzeug's HTTP exceptions, or the domain errors of the layers below (DocumentError, QueryError,
IdConflictError), which are mapped here. Any other exception becomes a 500 whose body says nothing
about the cause (it is logged instead), so no traceback, path or SQL ever reaches a client.

Problem types (:mod:`dateline.problems`) are tag URIs; each is listed with its status and meaning in
the OpenAPI description and the README.

The app also refuses what gunicorn would otherwise refuse itself with a bare HTML page: a request
line over :data:`MAX_REQUEST_LINE` bytes (414) and more or longer header fields than
:data:`MAX_HEADER_FIELDS` / :data:`MAX_HEADER_FIELD_BYTES` (431). gunicorn.conf.py sets gunicorn's
own limits above these, so a client gets a problem here first.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, current_app, request
from werkzeug.exceptions import (
    HTTPException,
    InternalServerError,
    MethodNotAllowed,
    NotFound,
    RequestEntityTooLarge,
    RequestHeaderFieldsTooLarge,
    RequestURITooLarge,
)

from dateline.api.responses import PROBLEM_JSON, json_response
from dateline.intake.documents import DocumentError, DocumentTooLargeError
from dateline.problems import PROBLEM_TYPES
from dateline.store import IdConflictError, StoreUnavailable
from dateline.views.query import QueryError
from dateline.views.schemas import ProblemSchema

ABOUT_BLANK = "about:blank"
GENERIC_500 = "The server could not complete the request; the error has been logged."
#: longest request line (method, target, version) the app answers; gunicorn's limit_request_line is
#: set above it (gunicorn.conf.py)
MAX_REQUEST_LINE = 4096
#: most header fields, and the longest one (name and value), the app accepts; gunicorn's
#: limit_request_fields and limit_request_field_size are set above them
MAX_HEADER_FIELDS = 64
MAX_HEADER_FIELD_BYTES = 8190
#: seconds a client should wait before retrying a write the store could not take
STORE_RETRY_AFTER = 30


class ApiProblem(Exception):
    """An error to answer with the problem type ``slug`` and ``detail`` (plus extension members)."""

    def __init__(self, slug: str, detail: str, **extra: Any) -> None:
        super().__init__(detail)
        self.kind = PROBLEM_TYPES[slug]
        self.slug = slug
        self.detail = detail
        self.extra = extra


def problem(status: int, title: str, detail: str, *, type_: str = ABOUT_BLANK, **extra: Any) -> Response:
    """A problem+json response for the current request."""
    payload = ProblemSchema().dump(
        {"type": type_, "title": title, "status": status, "detail": detail, "instance": request.path, **extra}
    )
    payload.update({k: v for k, v in extra.items() if k not in payload})
    response = json_response(payload, status=status, mimetype=PROBLEM_JSON)
    response.headers["Cache-Control"] = "no-store"
    return response


def _typed(slug: str, detail: str, **extra: Any) -> Response:
    kind = PROBLEM_TYPES[slug]
    return problem(kind.status, kind.title, detail, type_=kind.uri(slug), **extra)


def _known_routes() -> list[str]:
    return sorted({r.rule for r in current_app.url_map.iter_rules() if r.endpoint != "static"})


def _detail(exc: HTTPException) -> str:
    if isinstance(exc, NotFound) and request.url_rule is None:
        return f"No resource at {request.path}. Available: {', '.join(_known_routes())}."
    if isinstance(exc, MethodNotAllowed):
        allowed = ", ".join(sorted(exc.valid_methods or ()))
        return f"{request.method} is not allowed on {request.path}; use {allowed}."
    if isinstance(exc, InternalServerError) and exc.original_exception is not None:
        return GENERIC_500
    return exc.description or exc.name


def handle_http_exception(exc: HTTPException) -> Response:
    """Werkzeug's HTTP errors (404, 405, our own aborts): their descriptions are ours to show."""
    if isinstance(exc, InternalServerError) and exc.original_exception is not None:
        return handle_unexpected(exc.original_exception)
    if isinstance(exc, RequestEntityTooLarge):
        limit = current_app.config.get("MAX_CONTENT_LENGTH")
        return _typed(
            "request-too-large", f"The request body exceeds {limit:,} bytes (DATELINE_MAX_REQUEST_BYTES)."
        )
    response = problem(exc.code or 500, exc.name, _detail(exc))
    if isinstance(exc, MethodNotAllowed) and exc.valid_methods:
        response.headers["Allow"] = ", ".join(sorted(exc.valid_methods))
    return response


def handle_api_problem(exc: ApiProblem) -> Response:
    return _typed(exc.slug, exc.detail, **exc.extra)


def handle_document_error(exc: DocumentError) -> Response:
    errors = exc.errors or {"_document": [str(exc)]}
    if isinstance(exc, DocumentTooLargeError):
        return _typed("document-too-large", str(exc), errors=errors)
    return _typed("invalid-document", f"The document is not valid: {exc}", errors=errors)


def handle_query_error(exc: QueryError) -> Response:
    return _typed(
        "invalid-parameter", f"Invalid query parameter {exc}", errors={exc.parameter: [exc.message]}
    )


def handle_id_conflict(exc: IdConflictError) -> Response:
    return _typed("id-conflict", str(exc))


def handle_store_unavailable(exc: StoreUnavailable) -> Response:
    """Read-only or full disk, an I/O error, the database down: 503 and when to retry (the cause is
    logged by the store; the location is not shown)."""
    response = _typed(
        "store-unavailable",
        f"The store cannot serve the request now ({exc.reason}); nothing was written. "
        f"Retry in {STORE_RETRY_AFTER} seconds.",
    )
    response.headers["Retry-After"] = str(STORE_RETRY_AFTER)
    return response


def _request_line_bytes() -> int:
    """The size of the request line: the server's raw target when it gives one (gunicorn's RAW_URI),
    else the decoded path and query string."""
    environ = request.environ
    target = environ.get("RAW_URI") or environ.get("REQUEST_URI")
    if target is None:
        query = environ.get("QUERY_STRING", "")
        target = environ.get("PATH_INFO", "") + ("?" + query if query else "")
    line = f"{request.method} {target} {environ.get('SERVER_PROTOCOL', 'HTTP/1.1')}"
    return len(line.encode("utf-8", "surrogateescape"))


def check_request_size() -> None:
    """Refuse a request line or headers over the app's limits (below gunicorn's) as a problem."""
    size = _request_line_bytes()
    if size > MAX_REQUEST_LINE:
        raise RequestURITooLarge(
            description=f"The request line has {size:,} bytes; the limit is {MAX_REQUEST_LINE:,}. "
            "Send long input in a POST body."
        )
    headers = request.headers
    if len(headers) > MAX_HEADER_FIELDS:
        raise RequestHeaderFieldsTooLarge(
            description=f"{len(headers)} header fields; the limit is {MAX_HEADER_FIELDS}."
        )
    for name, value in headers.items():
        if len(name) + len(value) + 2 > MAX_HEADER_FIELD_BYTES:
            raise RequestHeaderFieldsTooLarge(
                description=f"The header field {name[:64]} is longer than {MAX_HEADER_FIELD_BYTES:,} bytes."
            )


def handle_unexpected(exc: BaseException) -> Response:
    """Any other exception: log it with its traceback, tell the client only that it happened."""
    current_app.logger.error("unhandled error on %s %s", request.method, request.path, exc_info=exc)
    return problem(500, "Internal Server Error", GENERIC_500)


def init_app(app: Flask) -> None:
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(ApiProblem, handle_api_problem)
    app.register_error_handler(DocumentError, handle_document_error)
    app.register_error_handler(QueryError, handle_query_error)
    app.register_error_handler(IdConflictError, handle_id_conflict)
    app.register_error_handler(StoreUnavailable, handle_store_unavailable)
    app.register_error_handler(Exception, handle_unexpected)
