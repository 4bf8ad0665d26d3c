"""Stateless extraction for other pipelines: documents in, their merged timeline out, nothing stored.

An extractor error on one document of a request is that document's: the request answers a 500
problem naming it (position and id), the traceback is logged with the id, and nothing is stored.
"""

from __future__ import annotations

from collections.abc import Sequence

from flask import Blueprint, Response, current_app
from werkzeug.exceptions import HTTPException

from dateline.api.bodies import load_parameters, read_documents
from dateline.api.caching import NO_STORE
from dateline.api.errors import ApiProblem
from dateline.api.metrics import documents_extracted
from dateline.api.render import render_events
from dateline.api.resources import Resources, get_resources
from dateline.budget import BudgetExceeded
from dateline.intake.documents import METADATA_FIELDS, DocumentError, DocumentMetadataSchema
from dateline.merging.cluster import merge_mentions
from dateline.model import Document, DocumentResult
from dateline.views.openapi import WRITE_PROBLEMS, DocumentsBody, EventsBody, Operation
from dateline.views.schemas import FormatQuerySchema

bp = Blueprint("extract", __name__, url_prefix="/v1")

_FORMAT_QUERY = FormatQuerySchema()


@bp.post("/extract")
@Operation(
    "extract",
    tag="extraction",
    summary="Stateless: the merged timeline of the documents sent, nothing stored",
    query=(FormatQuerySchema, DocumentMetadataSchema),
    security="extract",
    body=DocumentsBody(many=True),
    responses={200: EventsBody("the events of these documents", ("Cache-Control",))},
    problems=(400, *WRITE_PROBLEMS, 413, 415, 422, 503),
)
def extract() -> Response:
    """One document or a list (up to DATELINE_MAX_BATCH) -> the merged timeline of just those."""
    res = get_resources()
    settings = res.settings
    params = load_parameters(_FORMAT_QUERY, extra=METADATA_FIELDS)
    documents = read_documents(
        many=True, max_batch=settings.max_batch, max_chars=settings.max_text_chars, query=params
    )
    results = extract_documents(res, documents)
    documents_extracted(len(documents))
    response = render_events(merge_mentions(results), params["format"])
    response.headers["Cache-Control"] = NO_STORE
    return response


def extract_documents(res: Resources, documents: Sequence[Document]) -> list[DocumentResult]:
    """The documents extracted as one batch. When the batch fails, each is extracted alone to find
    the one that fails, which the problem names (the others are fine, but the request needs all)."""
    try:
        return res.extract(documents)
    except (HTTPException, ApiProblem, DocumentError, BudgetExceeded):
        raise
    except Exception as batch_error:
        index, doc, error = 0, documents[0], batch_error
        if len(documents) > 1:
            for index, doc in enumerate(documents):  # noqa: B007 (the loop finds the culprit)
                try:
                    res.extract([doc])
                except Exception as exc:
                    error = exc
                    break
            else:  # each alone passes: the batch's error is no one document's
                index, doc = -1, documents[0]
        where = f"document {index} ({doc.id!r})" if index >= 0 else f"a batch of {len(documents)} documents"
        current_app.logger.error("extraction failed on %s", where, exc_info=error)
        raise ApiProblem(
            "extraction-failed",
            f"The extractor failed on {where}; nothing was stored and the error has been logged.",
            **({"document": doc.id, "index": index} if index >= 0 else {}),
        ) from None
