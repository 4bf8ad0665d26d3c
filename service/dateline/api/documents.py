"""The stored documents: list, read, ingest (JSON, plain text or HTML) and delete.

With a job queue (``DATELINE_QUEUE_URL``) ingestion is asynchronous: a valid new document is queued
for a worker and answered with ``202`` and the job's URL; what can be answered at once still is (a
known text: 200 with the stored document; an id taken by another text: 409; invalid input: 4xx).
"""

from __future__ import annotations

from flask import Blueprint, Response, url_for
from werkzeug.exceptions import NotFound

from dateline.api.bodies import query_parameters, read_documents
from dateline.api.caching import NO_STORE, conditional_read
from dateline.api.extract import extract_documents
from dateline.api.jobs import job_payload, queue_unavailable
from dateline.api.metrics import documents_deleted, documents_ingested, documents_queued
from dateline.api.resources import Resources, get_resources
from dateline.api.responses import json_response
from dateline.intake.documents import ID_PATTERN, METADATA_FIELDS, DocumentMetadataSchema, valid_id
from dateline.intake.duplicates import TextPrint
from dateline.model import Document, Timeline
from dateline.queue.jobs import QueueUnavailable
from dateline.store import IdConflictError
from dateline.views.openapi import (
    NOT_MODIFIED,
    READ_HEADERS,
    WRITE_PROBLEMS,
    DocumentsBody,
    JsonBody,
    NoBody,
    Operation,
)
from dateline.views.schemas import (
    DocumentDetailSchema,
    DocumentsSchema,
    DocumentView,
    JobSchema,
    document_views,
    dump_document,
    dump_documents,
    timeline_document_views,
)

bp = Blueprint("documents", __name__, url_prefix="/v1")


def _missing(doc_id: str) -> NotFound:
    return NotFound(description=f"No document with id {doc_id!r}; GET /v1/documents lists the documents.")


def _view(timeline: Timeline, doc_id: str) -> DocumentView | None:
    docs = [d for d in timeline.documents if d.id == doc_id]
    return document_views(docs, timeline.events)[0] if docs else None


@bp.get("/documents")
@Operation(
    "listDocuments",
    tag="documents",
    summary="The stored documents",
    responses={200: JsonBody("the documents", DocumentsSchema, READ_HEADERS), 304: NOT_MODIFIED},
    problems=(400,),
)
def list_documents() -> Response:
    query_parameters(())
    return conditional_read(
        lambda _revision, timeline: json_response(dump_documents(timeline_document_views(timeline)))
    )


@bp.get("/documents/<doc_id>")
@Operation(
    "getDocument",
    tag="documents",
    summary="One document: metadata, text and the events citing it",
    path={"doc_id": ID_PATTERN},
    responses={200: JsonBody("the document", DocumentDetailSchema, READ_HEADERS), 304: NOT_MODIFIED},
    problems=(400, 404),
)
def get_document(doc_id: str) -> Response:
    query_parameters(())

    def render(_revision: int, timeline: Timeline) -> Response:
        view = _view(timeline, doc_id)
        if view is None:
            raise _missing(doc_id)
        return json_response(dump_document(view))

    return conditional_read(render)


def _enqueue(res: Resources, doc: Document) -> Response:
    """Queue a new document for a worker: 202, the job's URL in Location and its state in the body."""
    assert res.queue is not None
    if res.store.get_document(doc.id) is not None:
        raise IdConflictError(doc.id)  # the worker would find the same: say it now
    try:
        view = res.queue.enqueue(doc)
    except QueueUnavailable as exc:
        raise queue_unavailable(exc) from None
    documents_queued()
    payload = job_payload(view)
    response = json_response(payload, status=202)
    response.headers["Location"] = payload["url"]
    response.headers["Cache-Control"] = NO_STORE
    return response


@bp.post("/documents")
@Operation(
    "ingestDocument",
    tag="documents",
    summary="Ingest a document (idempotent: a copy of a stored one answers 200)",
    description="Inside the request by default (201). With a job queue (DATELINE_QUEUE_URL) a new document "
    "is queued for a worker: 202 and the job, whose URL (Location) tells when it is done. A copy of a stored "
    "document (the same text, one of its addresses or its page's canonical address, or a near-identical "
    "text) is the same report: 200 with the stored document, the copy's url and publisher recorded in its "
    "also_at.",
    query=(DocumentMetadataSchema,),
    security="write",
    body=DocumentsBody(many=False),
    responses={
        201: JsonBody("stored; the document and its events", DocumentDetailSchema, ("Location",)),
        200: JsonBody(
            "a copy of a stored document (same text, address or near-identical text): the stored document",
            DocumentDetailSchema,
            ("Location",),
        ),
        202: JsonBody("queued (DATELINE_QUEUE_URL): the ingestion job", JobSchema, ("Location",)),
    },
    problems=(400, *WRITE_PROBLEMS, 409, 413, 415, 422, 503),
)
def create_document() -> Response:
    """Ingest one document: 201 and its events, or 200 with the stored one when it is a copy of it
    (its address and publisher recorded there); with a job queue, 202 and the job that will ingest it."""
    res = get_resources()
    settings = res.settings
    query = query_parameters(METADATA_FIELDS)
    [doc] = read_documents(many=False, max_batch=1, max_chars=settings.max_text_chars, query=query)
    text = TextPrint.of(doc.text)  # taken once: for the copy lookup before and inside the write
    existing = res.store.fold(doc, text)
    if existing is not None:
        created, stored_id = False, existing.document.id
    elif res.queue is not None:
        return _enqueue(res, doc)
    else:
        [result] = extract_documents(res, [doc])
        outcome = res.store.ingest(result, given=doc, text=text)
        created, stored_id = outcome.created, outcome.document.id
    documents_ingested(created)
    view = _view(res.store.timeline(), stored_id)
    if view is None:  # deleted by another request in between
        raise _missing(stored_id)
    response = json_response(dump_document(view), status=201 if created else 200)
    response.headers["Location"] = url_for("documents.get_document", doc_id=stored_id)
    response.headers["Cache-Control"] = NO_STORE
    return response


@bp.delete("/documents/<doc_id>")
@Operation(
    "deleteDocument",
    tag="documents",
    summary="Delete a document; its sources leave the timeline",
    path={"doc_id": ID_PATTERN},
    security="write",
    responses={204: NoBody("deleted")},
    problems=(400, *WRITE_PROBLEMS, 404),
)
def delete_document(doc_id: str) -> Response:
    """Remove a document; its sources leave the timeline (events others still report stay)."""
    query_parameters(())
    if not valid_id(doc_id) or not get_resources().store.delete(doc_id):
        raise _missing(doc_id)
    documents_deleted()
    response = Response(status=204)
    response.headers["Cache-Control"] = NO_STORE
    return response
