"""The merged timeline and single events."""

from __future__ import annotations

from flask import Blueprint, Response
from werkzeug.exceptions import NotFound

from ..schemas import dump_event, dump_timeline
from .resources import get_resources
from .responses import json_response

bp = Blueprint("timeline", __name__, url_prefix="/v1")


@bp.get("/timeline")
def get_timeline() -> Response:
    return json_response(dump_timeline(get_resources().store.timeline()))


@bp.get("/events/<event_id>")
def get_event(event_id: str) -> Response:
    timeline = get_resources().store.timeline()
    for event in timeline.events:
        if event.id == event_id:
            return json_response(dump_event(event))
    raise NotFound(description=f"No event with id {event_id!r}; GET /v1/timeline lists the events.")
