"""Stateless extraction for other pipelines: documents in, their merged timeline out, nothing stored.

An extractor error on one document of a request is that document's: the request answers a 500
problem naming it (position and id), the traceback is logged with the id, and nothing is stored.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

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
from dateline.pipeline import ExtractionFailure
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
    the one that fails, which the problem names (the others are fine, but the request needs all). A
    client's error (a bad document, the time budget spent) is the request's, not the document's."""
    try:
        return res.extract(documents)
    except _REQUEST_ERRORS:
        raise
    except Exception as batch_error:
        index, error = _culprit(res, documents, batch_error)
    if index < 0:  # each alone passes: the batch's error is no one document's
        where = f"a batch of {len(documents)} documents"
        current_app.logger.error(
            "extraction failed on %s",
            where,
            exc_info=error,
            extra={"document_ids": [d.id for d in documents]},
        )
        fields: dict[str, Any] = {}
    else:
        doc = documents[index]
        where = f"document {index} ({doc.id!r})"
        ExtractionFailure.logged(doc, error, index=index)
        fields = {"document": doc.id, "index": index}
    raise ApiProblem(
        "extraction-failed",
        f"The extractor failed on {where}; nothing was stored and the error has been logged.",
        **fields,
    ) from None


#: errors that are the request's own (answered as such), never a document's extraction failure
_REQUEST_ERRORS = (HTTPException, ApiProblem, DocumentError, BudgetExceeded)


def _culprit(res: Resources, documents: Sequence[Document], batch_error: Exception) -> tuple[int, Exception]:
    """The position of the first document that fails alone, and its error (-1 and the batch's error
    when each passes alone). The request's own errors (the time budget spent meanwhile) are raised."""
    if len(documents) == 1:
        return 0, batch_error
    for index, doc in enumerate(documents):
        try:
            res.extract([doc])
        except _REQUEST_ERRORS:
            raise
        except Exception as exc:
            return index, exc
    return -1, batch_error
