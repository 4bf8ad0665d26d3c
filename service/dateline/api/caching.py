"""Conditional reads: a strong ETag from the store's revision and the request, ``304 Not Modified``
on a matching ``If-None-Match``, and ``Cache-Control`` on every read.

The ETag covers the store (its random id, so two stores never share tags), the revision the answer
was computed from, the path and the query string in canonical order: any write changes every tag,
and two requests for the same representation get the same one, whichever worker answers.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from flask import Response, request

from ..model import Timeline
from .resources import get_resources

NO_STORE = "no-store"


def read_cache_control() -> str:
    max_age = get_resources().settings.cache_max_age
    return f"public, max-age={max_age}, must-revalidate" if max_age else "no-cache"


def etag_for(revision: int) -> str:
    store = get_resources().store
    query = sorted((k, v) for k in request.args for v in request.args.getlist(k))
    key = f"{store.store_id}\n{revision}\n{request.path}\n{query!r}"
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


def conditional_read(render: Callable[[int, Timeline], Response]) -> Response:
    """Answer a read from the current timeline: 304 when the client's copy is current, else
    ``render(revision, timeline)``, with the ETag and Cache-Control set either way."""
    revision, timeline = get_resources().store.current()
    tag = etag_for(revision)
    if request.if_none_match.contains_weak(tag) or request.if_none_match.star_tag:
        response = Response(status=304)
    else:
        response = render(revision, timeline)
    response.set_etag(tag)
    response.headers["Cache-Control"] = read_cache_control()
    return response
