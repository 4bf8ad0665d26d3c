"""Ingestion jobs (``DATELINE_QUEUE_URL``): how a queued document stands, from any API instance."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, url_for
from werkzeug.exceptions import NotFound, ServiceUnavailable

from dateline.api.bodies import query_parameters
from dateline.api.caching import NO_STORE
from dateline.api.resources import get_resources
from dateline.api.responses import json_response
from dateline.queue.contract import JOB_ID, RESULT_TTL, JobView
from dateline.queue.jobs import QueueUnavailable
from dateline.views.openapi import JsonBody, Operation
from dateline.views.schemas import JobSchema

bp = Blueprint("jobs", __name__, url_prefix="/v1")


def queue_unavailable(exc: QueueUnavailable) -> ServiceUnavailable:
    return ServiceUnavailable(description=f"The ingestion queue cannot be reached; try again later ({exc}).")


def job_payload(view: JobView) -> dict[str, Any]:
    """The job as JSON (JobSchema): its URL, and the document when done or the problem when failed."""
    job_url = url_for("jobs.get_job", job_id=view.id)
    payload: dict[str, Any] = {"id": view.id, "status": view.status, "url": job_url}
    if view.document_id is not None:
        payload["document"] = {
            "id": view.document_id,
            "url": url_for("documents.get_document", doc_id=view.document_id),
            "created": bool(view.created),
        }
    if view.problem is not None:
        payload["problem"] = {**view.problem, "instance": job_url}
    dumped: dict[str, Any] = JobSchema().dump(payload)
    return dumped


@bp.get("/jobs/<job_id>")
@Operation(
    "getJob",
    tag="documents",
    summary="An ingestion job: queued, running, done (the document) or failed (a problem)",
    path={"job_id": JOB_ID.pattern},
    responses={200: JsonBody("the job", JobSchema, ("Cache-Control",))},
    problems=(400, 404, 503),
)
def get_job(job_id: str) -> Response:
    """queued, running, done (with the document) or failed (with a problem); 404 for an unknown id."""
    query_parameters(())
    queue = get_resources().queue
    if queue is None:
        raise NotFound(
            description=f"No job {job_id!r}: this service ingests documents inside the request "
            "(no DATELINE_QUEUE_URL), so it has no jobs."
        )
    try:
        view = queue.get(job_id)
    except QueueUnavailable as exc:
        raise queue_unavailable(exc) from None
    if view is None:
        hours = RESULT_TTL // 3600
        raise NotFound(description=f"No job with id {job_id!r}; jobs are kept {hours} hours after they end.")
    response = json_response(job_payload(view))
    response.headers["Cache-Control"] = NO_STORE
    return response
