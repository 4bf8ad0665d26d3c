"""The whole chain without a web server: documents in, merged timeline out."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dateline.events.extractor import Extractor
from dateline.intake.documents import DocumentError, IdRegistry, document_from_mapping, iter_paths, load_file
from dateline.merging.cluster import merge_mentions
from dateline.model import Document, DocumentResult, Timeline
from dateline.settings import Settings

#: what :func:`build_timeline` takes: a Document; a mapping with the fields of the API's JSON body
#: (``text`` or ``html``, ``id``, ``title``, ``publisher``, ``author``, ``url``, ``published``); a str,
#: the text of an article; a path (``pathlib.Path``) to a document file or a folder of them
DocumentInput = Document | Mapping[str, Any] | str | os.PathLike[str]


@dataclass(frozen=True)
class ExtractionFailure:
    """A document whose extraction raised: reported for that document, the others still extracted."""

    document: Document
    error: Exception

    def __str__(self) -> str:
        return f"document {self.document.id!r}: extraction failed: {type(self.error).__name__}: {self.error}"


def _looks_like_a_path(text: str) -> bool:
    """A one-line str naming an existing file or folder: most likely meant as a path, not as text."""
    if "\n" in text or len(text) > 4096:
        return False
    try:
        return Path(text).exists()
    except (OSError, ValueError):  # a name too long for the system, a NUL
        return False


def as_documents(
    items: Iterable[DocumentInput], *, max_chars: int = 1_000_000, recursive: bool = True
) -> list[Document]:
    """The Documents ``items`` stand for (see :data:`DocumentInput`), in order; a DocumentError names
    the first item that is no valid document, or repeats an id (the same text twice has one id)."""
    ids = IdRegistry()
    docs: list[Document] = []

    def add(doc: Document, where: str) -> None:
        ids.claim(doc, where)
        docs.append(doc)

    for index, item in enumerate(items):
        where = f"document {index}"
        if isinstance(item, Document):
            add(item, where)
        elif isinstance(item, os.PathLike):
            for file in iter_paths([Path(item)], recursive=recursive):
                add(load_file(file.path, max_chars=max_chars, folder=file.folder), str(file.path))
        elif isinstance(item, str):
            if _looks_like_a_path(item):
                raise DocumentError(
                    f"{where} is {item!r}, an existing file or folder: a str is the text of an article; "
                    f"pass pathlib.Path({item!r}) to read documents from it"
                )
            add(document_from_mapping({"text": item}, max_chars=max_chars), where)
        elif isinstance(item, Mapping):
            try:
                add(document_from_mapping(item, max_chars=max_chars), where)
            except DocumentError as exc:
                raise type(exc)(f"{where}: {exc}", exc.errors) from None
        else:
            raise TypeError(
                f"{where} is {type(item).__name__}: give a Document, a mapping, a str of text or a Path"
            )
    return docs


def extract_each(
    documents: list[Document], extractor: Extractor
) -> tuple[list[DocumentResult], list[ExtractionFailure]]:
    """Extract ``documents`` in one batch; when the batch fails, again one by one, so a document that
    breaks the extractor is reported as a failure and every other one still yields its result."""
    try:
        return extractor.extract_many(documents), []
    except Exception:  # which document failed is found below, one at a time
        pass
    results: list[DocumentResult] = []
    failures: list[ExtractionFailure] = []
    for doc in documents:
        try:
            results.append(extractor.extract(doc))
        except Exception as exc:  # reported with the document's id by the caller
            failures.append(ExtractionFailure(doc, exc))
    return results, failures


def extract_documents(
    documents: Iterable[DocumentInput],
    settings: Settings | None = None,
    extractor: Extractor | None = None,
) -> list[DocumentResult]:
    """Each document with its detected metadata and its event mentions (see :func:`build_timeline`)."""
    settings = settings or (extractor.settings if extractor is not None else Settings())
    docs = as_documents(documents, max_chars=settings.max_text_chars)
    extractor = extractor or Extractor(settings)
    return extractor.extract_many(docs)


def build_timeline(
    documents: Iterable[DocumentInput],
    settings: Settings | None = None,
    extractor: Extractor | None = None,
) -> Timeline:
    """The merged, de-duplicated chronology of ``documents``.

    Each item may be a :class:`~dateline.model.Document`; a mapping with the fields of the API's JSON
    body (``{"text": ..., "published": ...}``); a str, the text of one article (a str naming an existing
    file or folder is refused: pass a ``pathlib.Path`` to read files, folders recursively). A
    ``published`` date is a ``date``, a ``datetime`` (its day in its own time zone) or a string such as
    ``2024-05-03``, ``2024-05-03T10:00:00Z`` or ``Fri, 03 May 2024 10:00:00 GMT``. An invalid document
    raises :class:`~dateline.documents.DocumentError` naming it.
    """
    results = extract_documents(documents, settings, extractor)
    return Timeline(events=merge_mentions(results), documents=[r.document for r in results])
