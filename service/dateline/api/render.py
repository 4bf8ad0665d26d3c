"""A list of events as a response in the requested format (json, timelinejs, vis, csv, ndjson)."""

from __future__ import annotations

from collections.abc import Sequence

from flask import Response, current_app

from dateline.api.responses import json_response
from dateline.model import Event
from dateline.views.formats import MEDIA_TYPES, to_csv, to_ndjson, to_timelinejs, to_vis
from dateline.views.schemas import dump_events


def render_events(events: Sequence[Event], fmt: str, next_url: str | None = None) -> Response:
    """``events`` in format ``fmt``; ``next_url`` goes in a Link header (and in the json body)."""
    if fmt == "json":
        response = json_response(dump_events(events, next_url))
    elif fmt == "timelinejs":
        response = json_response(to_timelinejs(events))
    elif fmt == "vis":
        response = json_response(to_vis(events))
    elif fmt == "csv":
        response = current_app.response_class(to_csv(events), mimetype=MEDIA_TYPES["csv"])
        response.headers["Content-Type"] = "text/csv; charset=utf-8; header=present"
    elif fmt == "ndjson":
        response = current_app.response_class(to_ndjson(events), mimetype=MEDIA_TYPES["ndjson"])
    else:  # the schema only lets known formats through
        raise ValueError(f"unknown format {fmt!r}")
    if next_url is not None:
        response.headers["Link"] = f'<{next_url}>; rel="next"'
    return response
