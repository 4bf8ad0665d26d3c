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
    "malformed-body": ProblemType(
        400, "Malformed body", "the body could not be read: a broken chunked transfer encoding"
    ),
    "unauthorized": ProblemType(
        401, "Authentication required", "a write needs `Authorization: Bearer <token>` (DATELINE_API_TOKENS)"
    ),
    "invalid-token": ProblemType(401, "Invalid token", "the bearer token is none of DATELINE_API_TOKENS"),
    "cross-origin-write": ProblemType(
        403,
        "Cross-origin write refused",
        "a browser write from a page on another origin that is not in DATELINE_CORS_ORIGINS",
    ),
    "id-conflict": ProblemType(409, "Id already used", "another document is stored under the id"),
    "request-too-large": ProblemType(413, "Request too large", "the body exceeds DATELINE_MAX_REQUEST_BYTES"),
    "document-too-large": ProblemType(413, "Document too large", "a text exceeds DATELINE_MAX_TEXT_CHARS"),
    "batch-too-large": ProblemType(413, "Too many documents", "a list exceeds DATELINE_MAX_BATCH"),
    "unsupported-media-type": ProblemType(415, "Unsupported media type", "the Content-Type is not accepted"),
    "invalid-document": ProblemType(422, "Invalid document", "a document is missing text or has bad fields"),
    "rate-limited": ProblemType(
        429,
        "Too many writes",
        "the client's writes exceed DATELINE_WRITE_RATE_LIMIT; retry after Retry-After seconds",
    ),
    "job-failed": ProblemType(
        500, "Ingestion job failed", "a queued document could not be ingested, even after retries"
    ),
    "extraction-failed": ProblemType(
        500, "Extraction failed", "the extractor failed on a document (the detail names it; it is logged)"
    ),
    "store-unavailable": ProblemType(
        503,
        "Store unavailable",
        "the store cannot take the write now (read-only or full disk, I/O error, database unreachable); "
        "nothing was written, retry after Retry-After seconds",
    ),
    "time-budget-exceeded": ProblemType(
        503,
        "Time budget exceeded",
        "the request's work did not finish within DATELINE_REQUEST_TIMEOUT seconds; nothing was stored, "
        "retry after Retry-After seconds or send a shorter text",
    ),
}
