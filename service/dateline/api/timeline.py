"""The merged timeline (filtered, paged, in several formats), single events and the actors.

Every route here renders from the store's timeline, the path and the query string alone, so they answer
through the per-process response cache (:func:`.caching.cached_read`)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, Response, request
from marshmallow import Schema
from werkzeug.exceptions import NotFound

from dateline.api.bodies import load_parameters, query_parameters
from dateline.api.caching import Render, cached_read
from dateline.api.render import render_events
from dateline.api.reported import included
from dateline.api.resources import get_resources
from dateline.api.responses import json_response
from dateline.model import Timeline
from dateline.views.openapi import NOT_MODIFIED, READ_HEADERS, EventsBody, JsonBody, Operation
from dateline.views.query import TimelineQuery, actor_index, page, query_from_params, validate
from dateline.views.schemas import ActorsSchema, EventSchema, TimelineQuerySchema, dump_actors, dump_event

bp = Blueprint("timeline", __name__, url_prefix="/v1")

_TIMELINE_QUERY = TimelineQuerySchema()


def paged_parameters(schema: Schema) -> tuple[dict[str, Any], TimelineQuery]:
    """The request's parameters as ``schema`` reads them, and the filters and page they ask for
    (checked against the configured page limits): a bad one is a 400 problem."""
    settings = get_resources().settings
    params = load_parameters(schema)
    query = query_from_params(params, default_limit=settings.page_limit)
    validate(query, max_limit=settings.max_page_limit)
    return params, query


def next_url_for(cursor: str) -> str:
    """The next page's URL, its parameters in canonical order: two requests that differ only in the
    order of their parameters get the same body, as their (strong) ETag promises."""
    args = sorted((k, v) for k in request.args for v in request.args.getlist(k) if k != "cursor")
    return f"{request.path}?{urlencode([*args, ('cursor', cursor)])}"


@bp.get("/timeline")
@Operation(
    "getTimeline",
    tag="timeline",
    summary="The merged timeline: filtered, paged (cursor) and in several formats",
    query=(TimelineQuerySchema,),
    responses={200: EventsBody("one page of events", (*READ_HEADERS, "Link")), 304: NOT_MODIFIED},
    problems=(400, 503),
)
def get_timeline() -> Response:
    def prepare() -> Render:
        params, query = paged_parameters(_TIMELINE_QUERY)
        served = included(params)  # with the events the articles report without a date of their own?

        def render(revision: int, timeline: Timeline) -> Response:
            result = page(served(revision, timeline), query)
            next_url = next_url_for(result.next_cursor) if result.next_cursor else None
            return render_events(result.events, params["format"], next_url)

        return render

    return cached_read(prepare)


@bp.get("/events/<event_id>")
@Operation(
    "getEvent",
    tag="timeline",
    summary="One event with all its sources",
    responses={200: JsonBody("the event", EventSchema, READ_HEADERS), 304: NOT_MODIFIED},
    problems=(400, 404),
)
def get_event(event_id: str) -> Response:
    def render(_revision: int, timeline: Timeline) -> Response:
        for event in timeline.events:
            if event.id == event_id:
                return json_response(dump_event(event))
        raise NotFound(description=f"No event with id {event_id!r}; GET /v1/timeline lists the events.")

    return cached_read(lambda: _no_parameters(render))


@bp.get("/actors")
@Operation(
    "listActors",
    tag="timeline",
    summary="Canonical actors with their aliases and event counts",
    responses={200: JsonBody("the actors", ActorsSchema, READ_HEADERS), 304: NOT_MODIFIED},
    problems=(400,),
)
def list_actors() -> Response:
    def render(_revision: int, timeline: Timeline) -> Response:
        return json_response(dump_actors(actor_index(timeline)))

    return cached_read(lambda: _no_parameters(render))


def _no_parameters(render: Render) -> Render:
    """``render``, once the request is checked to have no query parameters."""
    query_parameters(())
    return render
