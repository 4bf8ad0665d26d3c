"""The stored documents, each with the events that cite it."""

from __future__ import annotations

from flask import Blueprint, Response
from werkzeug.exceptions import NotFound

from ..schemas import dump_document, dump_documents, timeline_document_views
from .resources import get_resources
from .responses import json_response

bp = Blueprint("documents", __name__, url_prefix="/v1")


@bp.get("/documents")
def list_documents() -> Response:
    return json_response(dump_documents(timeline_document_views(get_resources().store.timeline())))


@bp.get("/documents/<doc_id>")
def get_document(doc_id: str) -> Response:
    for view in timeline_document_views(get_resources().store.timeline()):
        if view.document.id == doc_id:
            return json_response(dump_document(view))
    raise NotFound(description=f"No document with id {doc_id!r}; GET /v1/documents lists the documents.")
