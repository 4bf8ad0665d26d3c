"""JSON response helpers shared by the routes and the error handlers."""

from __future__ import annotations

from typing import Any

from flask import Response, current_app

JSON = "application/json"
PROBLEM_JSON = "application/problem+json"


def json_response(payload: Any, status: int = 200, mimetype: str = JSON) -> Response:
    """Serialise an already-dumped (schema) payload with the app's JSON provider."""
    body = current_app.json.dumps(payload)
    return current_app.response_class(body + "\n", status=status, mimetype=mimetype)
