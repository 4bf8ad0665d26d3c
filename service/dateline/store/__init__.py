"""Storage: documents, their mentions and the merged events, in SQLite or PostgreSQL.

The package's face: the rest of the service imports these names from ``dateline.store``; the
modules behind it each hold one concern.

- :mod:`.facade` -- :class:`Store`, the one door to storage, and its errors
- :mod:`.codec` -- mentions, events and documents as JSON and columns
- :mod:`.statements` -- the SQL run more than once, and key batching
- :mod:`.transaction` -- one transaction, and the kept merge a write works on
- :mod:`.remerge` -- a write's change followed through the kept merge, and the events it rewrites
- :mod:`.copies` -- copies of stored documents: found by address or text, recorded on them
- :mod:`.database`, :mod:`.schema`, ``migrations/`` -- engines, tables, schema history
"""

from __future__ import annotations

from dateline.store.codec import canonical_events, document_from_given, given_payload
from dateline.store.facade import (
    DuplicateContentError,
    IdConflictError,
    IngestOutcome,
    Store,
    StoreError,
    StoreUnavailable,
)

__all__ = [
    "DuplicateContentError",
    "IdConflictError",
    "IngestOutcome",
    "Store",
    "StoreError",
    "StoreUnavailable",
    "canonical_events",
    "document_from_given",
    "given_payload",
]
