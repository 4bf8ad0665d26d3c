"""Liveness and readiness probes."""

from __future__ import annotations

from flask import Blueprint, Response, current_app
from werkzeug.exceptions import ServiceUnavailable

from dateline.api.resources import get_resources
from dateline.api.responses import json_response
from dateline.store import StoreUnavailable
from dateline.views.openapi import JsonBody, Operation
from dateline.views.schemas import HealthSchema, ReadinessSchema

bp = Blueprint("health", __name__)


@bp.get("/healthz")
@Operation("healthz", tag="service", summary="Liveness", responses={200: JsonBody("alive", HealthSchema)})
def healthz() -> Response:
    """The process answers; touches neither the store nor the model."""
    return json_response(HealthSchema().dump({"status": "ok"}))


@bp.get("/readyz")
@Operation(
    "readyz",
    tag="service",
    summary="Readiness: the store answers and the model is loaded",
    responses={200: JsonBody("ready", ReadinessSchema)},
    problems=(503,),
)
def readyz() -> Response:
    """Ready when the store answers a read and would take a write (a read-only or full disk fails
    it), and the model is loaded; 503 problem+json otherwise."""
    res = get_resources()
    documents = revision = None
    unwritable: str | None = None
    try:
        documents, revision = res.store.count(), res.store.revision()
        res.store.check_writable()
    except StoreUnavailable as exc:
        unwritable = exc.reason
        current_app.logger.error("readiness: the store at %s cannot be written: %s", res.store, exc.reason)
    except Exception:
        current_app.logger.exception("readiness: the store at %s cannot be read", res.store)
    checks = {"store": revision is not None and unwritable is None, "model": res.model_loaded()}
    if not all(checks.values()):
        failed = ", ".join(name for name, ok in checks.items() if not ok)
        why = f" ({unwritable})" if unwritable else ""
        raise ServiceUnavailable(description=f"Not ready: {failed} unavailable{why}.")
    payload = {
        "status": "ready",
        "checks": checks,
        "model": res.settings.model,
        "documents": documents,
        "revision": revision,
    }
    return json_response(ReadinessSchema().dump(payload))
