"""One error handler for the whole app: every error is an RFC 9457 problem (application/problem+json).

Routes raise werkzeug's HTTP exceptions (``NotFound(description=...)``) with a useful description;
any other exception becomes a 500 whose body says nothing about the cause (it is logged instead), so
no traceback, path or SQL ever reaches a client.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, current_app, request
from werkzeug.exceptions import HTTPException, InternalServerError, MethodNotAllowed, NotFound

from ..schemas import ProblemSchema
from .responses import PROBLEM_JSON, json_response

ABOUT_BLANK = "about:blank"
GENERIC_500 = "The server could not complete the request; the error has been logged."


def problem(status: int, title: str, detail: str, *, type_: str = ABOUT_BLANK, **extra: Any) -> Response:
    """A problem+json response for the current request."""
    payload = ProblemSchema().dump(
        {"type": type_, "title": title, "status": status, "detail": detail, "instance": request.path}
    )
    payload.update(extra)
    return json_response(payload, status=status, mimetype=PROBLEM_JSON)


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
    response = problem(exc.code or 500, exc.name, _detail(exc))
    if isinstance(exc, MethodNotAllowed) and exc.valid_methods:
        response.headers["Allow"] = ", ".join(sorted(exc.valid_methods))
    return response


def handle_unexpected(exc: BaseException) -> Response:
    """Any other exception: log it with its traceback, tell the client only that it happened."""
    current_app.logger.error("unhandled error on %s %s", request.method, request.path, exc_info=exc)
    return problem(500, "Internal Server Error", GENERIC_500)


def init_app(app: Flask) -> None:
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(Exception, handle_unexpected)
