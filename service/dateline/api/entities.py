"""Canonical entities and their timelines; the timeline that includes reported events.

``/v1/entities`` lists the collection's companies, people and places with their variants
(:mod:`dateline.merging.entities`), a page at a time; ``/v1/entities/{id}/timeline`` is
``/v1/timeline`` restricted to the events an entity takes part in (:mod:`.entity_roles`: an argument
of the trigger, not any event of a sentence that names it; same parameters and formats, plus
``format=semeval``).
With ``include=reported`` both read the timeline that includes reported events (:mod:`.reported`).
"""

from __future__ import annotations

from flask import Blueprint, Response, current_app
from werkzeug.exceptions import NotFound

from dateline.api.bodies import load_parameters
from dateline.api.caching import Render, cached_read
from dateline.api.entity_roles import participation, taking_part
from dateline.api.render import render_events
from dateline.api.reported import included
from dateline.api.resources import get_resources
from dateline.api.responses import json_response
from dateline.api.timeline import next_url_for, paged_parameters
from dateline.merging.entities import entity_index
from dateline.model import Timeline
from dateline.views.entity_pages import entity_page, entity_query
from dateline.views.entity_schemas import EntitiesQuerySchema, EntitiesSchema, dump_entities
from dateline.views.openapi import NOT_MODIFIED, READ_HEADERS, EventsBody, JsonBody, Operation
from dateline.views.query import page
from dateline.views.schemas import EntityTimelineQuerySchema
from dateline.views.semeval import MEDIA_TYPE, render, timeline_rows

bp = Blueprint("entities", __name__, url_prefix="/v1")

_ENTITIES_QUERY = EntitiesQuerySchema()
_ENTITY_QUERY = EntityTimelineQuerySchema()


@bp.get("/entities")
@Operation(
    "listEntities",
    tag="timeline",
    summary="Canonical entities (companies, people, places) with their aliases and counts, paged",
    query=(EntitiesQuerySchema,),
    responses={
        200: JsonBody("one page of the entities, most cited first", EntitiesSchema, (*READ_HEADERS, "Link")),
        304: NOT_MODIFIED,
    },
    problems=(400, 503),
)
def list_entities() -> Response:
    def prepare() -> Render:
        settings = get_resources().settings
        params = load_parameters(_ENTITIES_QUERY)
        query = entity_query(params, default_limit=settings.page_limit, max_limit=settings.max_page_limit)
        served = included(params)

        def render_entities(revision: int, timeline: Timeline) -> Response:
            entities, cursor = entity_page(entity_index(served(revision, timeline)), query)
            next_url = next_url_for(cursor) if cursor else None
            response = json_response(dump_entities(entities, next_url))
            if next_url is not None:
                response.headers["Link"] = f'<{next_url}>; rel="next"'
            return response

        return render_entities

    return cached_read(prepare)


@bp.get("/entities/<entity_id>/timeline")
@Operation(
    "getEntityTimeline",
    tag="timeline",
    summary="The timeline of one entity: the events it takes part in (the parameters of /v1/timeline)",
    query=(EntityTimelineQuerySchema,),
    responses={
        200: EventsBody("one page of the entity's events", (*READ_HEADERS, "Link")),
        304: NOT_MODIFIED,
    },
    problems=(400, 404, 503),
)
def get_entity_timeline(entity_id: str) -> Response:
    def prepare() -> Render:
        params, query = paged_parameters(_ENTITY_QUERY)
        served = included(params)

        def render_timeline(revision: int, timeline: Timeline) -> Response:
            timeline = served(revision, timeline)
            entity = next((e for e in entity_index(timeline) if e.id == entity_id), None)
            if entity is None:
                raise NotFound(
                    description=f"No entity with id {entity_id!r}; GET /v1/entities lists the entities."
                )
            keep, ids = participation(entity, timeline)
            own = Timeline(events=taking_part(timeline.events, keep), documents=timeline.documents)
            result = page(own, query)
            next_url = next_url_for(result.next_cursor) if result.next_cursor else None
            if params["format"] == "semeval":
                text = render(entity.name, timeline_rows(result.events, ids, keep))
                response = current_app.response_class(text, mimetype=MEDIA_TYPE)
                response.headers["Content-Type"] = f"{MEDIA_TYPE}; charset=utf-8"
                if next_url is not None:
                    response.headers["Link"] = f'<{next_url}>; rel="next"'
                return response
            return render_events(result.events, params["format"], next_url)

        return render_timeline

    return cached_read(prepare)
