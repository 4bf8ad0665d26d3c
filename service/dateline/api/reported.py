"""The timeline that includes reported events, for the read endpoints' ``include=reported``.

The store holds the stated-date mentions. With ``include=reported``, the stored documents are read
again for their reported events (:mod:`dateline.events.reported`): once per document and extractor
in this process (a per-document cache), under the extractor's lock and within the request's time
budget; the merged timeline is kept for the store's revision.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from flask import current_app

from dateline.api.resources import Resources, get_resources
from dateline.merging.reported import merge_with_reported
from dateline.model import Document, DocumentResult, Mention, Timeline


class _ReportedCache:
    """This process's reported mentions by document (id, text, extractor version), and the merged
    timeline of the last revision asked for."""

    def __init__(self, documents: int = 5000) -> None:
        self.lock = threading.Lock()
        self.mentions: OrderedDict[tuple[str, int, str], list[Mention]] = OrderedDict()
        self.documents = documents
        self.timeline: tuple[int, Timeline] | None = None


def _cache() -> _ReportedCache:
    cache: _ReportedCache = current_app.extensions.setdefault("dateline.reported", _ReportedCache())
    return cache


def _document_key(res: Resources, doc: Document) -> tuple[str, int, str]:
    return (doc.id, hash(doc.text), res.extractor_version())


def included(params: Mapping[str, Any]) -> Callable[[int, Timeline], Timeline]:
    """What a read endpoint serves for its ``include`` parameter: the store's timeline (at a revision)
    as it is, or with the reported events of its documents."""
    if "reported" in (params.get("include") or ()):
        return with_reported
    return lambda _revision, timeline: timeline


def with_reported(revision: int, timeline: Timeline) -> Timeline:
    """The store's timeline with the reported events of its documents (see the module)."""
    res, cache = get_resources(), _cache()
    held = cache.timeline
    if held is not None and held[0] == revision:
        return held[1]
    inputs = res.store.inputs()
    results: list[DocumentResult] = []
    missing: list[Document] = [d for d in inputs if _document_key(res, d) not in cache.mentions]
    fresh = {r.document.id: r for r in _extract(res, missing)} if missing else {}
    for doc in inputs:
        key = _document_key(res, doc)
        if doc.id in fresh:
            cache.mentions[key] = fresh[doc.id].mentions
            while len(cache.mentions) > cache.documents:
                cache.mentions.popitem(last=False)
        mentions = cache.mentions.get(key, [])
        results.append(DocumentResult(_stored(timeline, doc), mentions))
    merged = Timeline(events=merge_with_reported(results), documents=timeline.documents)
    cache.timeline = (revision, merged)
    return merged


def _stored(timeline: Timeline, doc: Document) -> Document:
    """The stored document (with its detected metadata) for the sources, else the input."""
    for stored in timeline.documents:
        if stored.id == doc.id:
            return stored
    return doc


def _extract(res: Resources, documents: Sequence[Document]) -> list[DocumentResult]:
    """Every mention of ``documents``, reported ones too, in the request's turn of the extractor."""
    return res.extract(documents, reported=True)
