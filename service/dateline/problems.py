"""The problem types of the HTTP API (RFC 9457): status, title and meaning of each.

They are tag URIs (RFC 4151, as RFC 9457 suggests for types not meant to be dereferenced). Kept out
of the web layer so the OpenAPI document, generated without Flask, lists the same ones the handlers
answer with.
"""

from __future__ import annotations

from dataclasses import dataclass

PROBLEM_TYPE_PREFIX = "tag:dateline,2025:problem:"


@dataclass(frozen=True)
class ProblemType:
    status: int
    title: str
    meaning: str

    def uri(self, slug: str) -> str:
        return PROBLEM_TYPE_PREFIX + slug


#: every problem type the service answers with (besides about:blank for plain HTTP errors)
PROBLEM_TYPES: dict[str, ProblemType] = {
    "invalid-json": ProblemType(400, "Invalid JSON", "the body is not well-formed JSON"),
    "invalid-encoding": ProblemType(400, "Invalid encoding", "the body is not UTF-8 text"),
    "invalid-parameter": ProblemType(400, "Invalid parameter", "a query parameter is unknown or invalid"),
    "id-conflict": ProblemType(409, "Id already used", "another document is stored under the id"),
    "request-too-large": ProblemType(413, "Request too large", "the body exceeds DATELINE_MAX_REQUEST_BYTES"),
    "document-too-large": ProblemType(413, "Document too large", "a text exceeds DATELINE_MAX_TEXT_CHARS"),
    "batch-too-large": ProblemType(413, "Too many documents", "a list exceeds DATELINE_MAX_BATCH"),
    "unsupported-media-type": ProblemType(415, "Unsupported media type", "the Content-Type is not accepted"),
    "invalid-document": ProblemType(422, "Invalid document", "a document is missing text or has bad fields"),
    "job-failed": ProblemType(
        500, "Ingestion job failed", "a queued document could not be ingested, even after retries"
    ),
}
