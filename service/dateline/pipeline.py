"""The whole chain without a web server: documents in, merged timeline out."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from dateline.documents import load_documents
from dateline.extract import Extractor
from dateline.merge import merge_mentions
from dateline.model import Document, DocumentResult, Timeline
from dateline.settings import Settings


def extract_documents(
    documents: Iterable[Document | str | Path],
    settings: Settings | None = None,
    extractor: Extractor | None = None,
) -> list[DocumentResult]:
    docs: list[Document] = []
    paths: list[str | Path] = []
    for d in documents:
        if isinstance(d, Document):
            docs.append(d)
        else:
            paths.append(d)
    if paths:
        docs.extend(load_documents(paths))
    extractor = extractor or Extractor(settings or Settings())
    return extractor.extract_many(docs)


def build_timeline(
    documents: Iterable[Document | str | Path],
    settings: Settings | None = None,
    extractor: Extractor | None = None,
) -> Timeline:
    """The merged, de-duplicated chronology of ``documents`` (Document objects, files or folders)."""
    results = extract_documents(documents, settings, extractor)
    return Timeline(events=merge_mentions(results), documents=[r.document for r in results])
