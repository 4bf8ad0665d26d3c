"""Liveness and readiness probes."""

from __future__ import annotations

from flask import Blueprint, Response, current_app
from werkzeug.exceptions import ServiceUnavailable

from ..schemas import HealthSchema, ReadinessSchema
from .resources import get_resources
from .responses import json_response

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz() -> Response:
    """The process answers; touches neither the store nor the model."""
    return json_response(HealthSchema().dump({"status": "ok"}))


@bp.get("/readyz")
def readyz() -> Response:
    """Ready when the store answers a read and the model is loaded (503 problem+json otherwise)."""
    res = get_resources()
    documents = revision = None
    try:
        documents, revision = res.store.count(), res.store.revision()
    except Exception:
        current_app.logger.exception("readiness: the store at %s cannot be read", res.store)
    checks = {"store": revision is not None, "model": res.model_loaded()}
    if not all(checks.values()):
        failed = ", ".join(name for name, ok in checks.items() if not ok)
        raise ServiceUnavailable(description=f"Not ready: {failed} unavailable.")
    payload = {
        "status": "ready",
        "checks": checks,
        "model": res.settings.model,
        "documents": documents,
        "revision": revision,
    }
    return json_response(ReadinessSchema().dump(payload))
