"""The merged timeline (filtered, paged, in several formats), single events and the actors."""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Blueprint, Response, request
from werkzeug.exceptions import NotFound

from ..model import Timeline
from ..query import actor_index, page, query_from_params, validate
from ..schemas import TimelineQuerySchema, dump_actors, dump_event
from .bodies import load_parameters, query_parameters
from .caching import conditional_read
from .render import render_events
from .resources import get_resources
from .responses import json_response

bp = Blueprint("timeline", __name__, url_prefix="/v1")

_TIMELINE_QUERY = TimelineQuerySchema()


def _next_url(cursor: str) -> str:
    args = [(k, v) for k in request.args for v in request.args.getlist(k) if k != "cursor"]
    return f"{request.path}?{urlencode([*args, ('cursor', cursor)])}"


@bp.get("/timeline")
def get_timeline() -> Response:
    settings = get_resources().settings
    params = load_parameters(_TIMELINE_QUERY)
    query = query_from_params(params, default_limit=settings.page_limit)
    validate(query, max_limit=settings.max_page_limit)

    def render(_revision: int, timeline: Timeline) -> Response:
        result = page(timeline, query)
        next_url = _next_url(result.next_cursor) if result.next_cursor else None
        return render_events(result.events, params["format"], next_url)

    return conditional_read(render)


@bp.get("/events/<event_id>")
def get_event(event_id: str) -> Response:
    query_parameters(())

    def render(_revision: int, timeline: Timeline) -> Response:
        for event in timeline.events:
            if event.id == event_id:
                return json_response(dump_event(event))
        raise NotFound(description=f"No event with id {event_id!r}; GET /v1/timeline lists the events.")

    return conditional_read(render)


@bp.get("/actors")
def list_actors() -> Response:
    query_parameters(())
    return conditional_read(lambda _revision, timeline: json_response(dump_actors(actor_index(timeline))))
