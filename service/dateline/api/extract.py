"""Stateless extraction for other pipelines: documents in, their merged timeline out, nothing stored."""

from __future__ import annotations

from flask import Blueprint, Response

from ..documents import METADATA_FIELDS
from ..merge import merge_mentions
from ..schemas import FormatQuerySchema
from . import metrics
from .bodies import load_parameters, read_documents
from .caching import NO_STORE
from .render import render_events
from .resources import get_resources

bp = Blueprint("extract", __name__, url_prefix="/v1")

_FORMAT_QUERY = FormatQuerySchema()


@bp.post("/extract")
def extract() -> Response:
    """One document or a list (up to DATELINE_MAX_BATCH) -> the merged timeline of just those."""
    res = get_resources()
    settings = res.settings
    params = load_parameters(_FORMAT_QUERY, extra=METADATA_FIELDS)
    documents = read_documents(
        many=True, max_batch=settings.max_batch, max_chars=settings.max_text_chars, query=params
    )
    results = res.extract(documents)
    metrics.documents_extracted(len(documents))
    response = render_events(merge_mentions(results), params["format"])
    response.headers["Cache-Control"] = NO_STORE
    return response
