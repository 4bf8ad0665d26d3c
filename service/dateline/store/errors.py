"""What the store's calls answer besides data: its errors, and the outcome of an ingestion."""

from __future__ import annotations

from dataclasses import dataclass

from dateline.model import Document


class StoreError(RuntimeError):
    """The store cannot be opened or read."""


class StoreUnavailable(StoreError):
    """The database cannot serve the call now -- read-only, disk full, an I/O error, unreachable --
    and a retry later may succeed (HTTP 503). The transaction was rolled back: nothing of the call
    was written."""

    def __init__(self, location: str, reason: str) -> None:
        super().__init__(f"the store at {location} is unavailable: {reason}")
        self.reason = reason


class DuplicateContentError(ValueError):
    """The same text is already stored under another document id (it would count its events twice)."""

    def __init__(self, doc_id: str, existing_id: str) -> None:
        super().__init__(f"document {doc_id!r} has the same text as the stored document {existing_id!r}")
        self.doc_id = doc_id
        self.existing_id = existing_id


class IdConflictError(ValueError):
    """Another text is already stored under this id (ingesting never overwrites a document)."""

    def __init__(self, doc_id: str) -> None:
        super().__init__(
            f"a different document is already stored with the id {doc_id!r}; "
            f"DELETE /v1/documents/{doc_id} first, or give another id"
        )
        self.doc_id = doc_id


@dataclass(frozen=True)
class IngestOutcome:
    """The stored document (the existing one when the document was a copy of it) and whether the
    call stored it; ``match`` says how a copy was recognised (``text``, ``url``, ``similar-text``)."""

    document: Document
    created: bool
    match: str | None = None
