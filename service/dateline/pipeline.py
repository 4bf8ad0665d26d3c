"""The whole chain without a web server: documents in, merged timeline out."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dateline.intake.documents import DocumentError, IdRegistry, document_from_mapping, iter_paths, load_file
from dateline.merging.cluster import merge_mentions
from dateline.merging.reported import check_include, merge_with_reported
from dateline.model import Document, DocumentResult, Timeline
from dateline.settings import Settings

if TYPE_CHECKING:  # spaCy is loaded with the extractor, not with this module (the API imports it)
    from dateline.events.extractor import Extractor

#: what :func:`build_timeline` takes: a Document; a mapping with the fields of the API's JSON body
#: (``text`` or ``html``, ``id``, ``title``, ``publisher``, ``author``, ``url``, ``published``); a str,
#: the text of an article; a path (``pathlib.Path``) to a document file or a folder of them
DocumentInput = Document | Mapping[str, Any] | str | os.PathLike[str]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ExtractionFailure:
    """A document whose extraction (or storing, ``step``) raised: reported for that document, the
    others still processed."""

    document: Document
    error: Exception
    step: str = "extraction"

    def __str__(self) -> str:
        return f"document {self.document.id!r}: {self.step} failed: {error_name(self.error)}: {self.error}"

    @classmethod
    def logged(
        cls, document: Document, error: Exception, step: str = "extraction", **fields: Any
    ) -> ExtractionFailure:
        """The failure, logged at ERROR with its traceback and the document's id as a field
        (``document_id``, plus ``fields``), so a log search finds every failure of a document."""
        failure = cls(document, error, step)
        log.error("%s", failure, exc_info=error, extra={"document_id": document.id, **fields})
        return failure


class RemoteError(Exception):
    """An exception raised in another process (``dateline ingest --workers``), sent back as text: an
    exception whose class cannot be rebuilt from its ``args`` would otherwise break the whole process
    pool (every pending document failed as BrokenProcessPool). Raise it ``from`` the original, so the
    pool's remote traceback shows that one."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(kind, message)
        self.kind = kind
        self.message = message

    def __str__(self) -> str:
        return self.message


def error_name(error: BaseException) -> str:
    """The class name of ``error``, or of the exception a :class:`RemoteError` stands for."""
    return error.kind if isinstance(error, RemoteError) else type(error).__name__


class ExtractionError(Exception):
    """Some documents could not be extracted (:func:`build_timeline`, :func:`extract_documents`):
    ``failures`` names them and holds each error (the first is also the ``__cause__``); ``results``
    holds every other document's result, so a caller may go on without the failed ones."""

    def __init__(self, failures: list[ExtractionFailure], results: list[DocumentResult]) -> None:
        shown = "; ".join(str(f) for f in failures[:3]) + ("; ..." if len(failures) > 3 else "")
        super().__init__(f"{len(failures)} of {len(failures) + len(results)} documents failed: {shown}")
        self.failures = failures
        self.results = results


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
    """The Documents ``items`` stand for (see :data:`DocumentInput`), in order, one per report: a copy
    of an earlier item (same text, address or near-identical text) is folded into it (``also_at``).
    A DocumentError names the first item that is no valid document, or repeats the id of another."""
    ids = IdRegistry()
    docs: list[Document] = []

    def add(doc: Document, where: str) -> None:
        if ids.claim(doc, where):
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
    documents: list[Document], extractor: Extractor, *, reported: bool = False
) -> tuple[list[DocumentResult], list[ExtractionFailure]]:
    """Extract ``documents`` in one batch; when the batch fails, again one by one, so a document that
    breaks the extractor is reported as a failure (and logged with its id) and every other one still
    yields its result, in the order given."""
    # the keyword only when asked: extractors made for tests take the documents alone
    options = {"reported": True} if reported else {}
    try:
        return extractor.extract_many(documents, **options), []
    except Exception:  # which document failed is found below, one at a time
        pass
    results: list[DocumentResult] = []
    failures: list[ExtractionFailure] = []
    for doc in documents:
        try:
            results.append(extractor.extract(doc, **options))
        except Exception as exc:  # this document's: logged with its id, the others go on
            failures.append(ExtractionFailure.logged(doc, exc))
    return results, failures


def extract_as_done(
    documents: Sequence[Document], settings: Settings, workers: int = 1, extractor: Extractor | None = None
) -> Iterator[tuple[Document, DocumentResult | Exception]]:
    """(document, its result or the exception its extraction raised) for each of ``documents``, as
    each is done: with ``extractor`` in this process when given, else in ``workers`` processes (each
    loads the model once). A document's error is that document's alone; the others go on."""
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import get_context

    if extractor is not None:
        for doc in documents:
            result: DocumentResult | Exception
            try:
                result = extractor.extract(doc)
            except Exception as exc:  # one document's failure: reported, the others go on
                result = exc
            yield doc, result
        return
    context = get_context("spawn")  # no fork of the caller's threads (a progress bar's monitor)
    with ProcessPoolExecutor(
        workers, mp_context=context, initializer=_init_worker, initargs=(settings,)
    ) as pool:
        yield from results_as_done(pool, _extract_in_worker, documents)


def results_as_done(
    pool: Any, work: Callable[[Document], DocumentResult], documents: Sequence[Document]
) -> Iterator[tuple[Document, DocumentResult | Exception]]:
    """(document, ``work``'s result or the exception it raised) for each of ``documents`` as ``pool``
    (a process pool) finishes it; stopped early (the caller failed, ^C), the documents not yet
    started are dropped."""
    from concurrent.futures import as_completed

    futures = {pool.submit(work, doc): doc for doc in documents}
    try:
        for future in as_completed(futures):
            result: DocumentResult | Exception
            try:
                result = future.result()
            except Exception as exc:  # raised in the worker, for this document alone
                result = exc
            yield futures[future], result
    finally:
        pool.shutdown(cancel_futures=True)


#: the extractor of a worker process of :func:`extract_as_done`
_WORKER_EXTRACTOR: Extractor | None = None


def _init_worker(settings: Settings) -> None:
    """In each extraction process: load the model once."""
    global _WORKER_EXTRACTOR
    from dateline.events.extractor import Extractor

    _WORKER_EXTRACTOR = Extractor(settings)


def _extract_in_worker(doc: Document) -> DocumentResult:
    """One document's extraction in a worker process; its error comes back as a RemoteError, which
    any error can be sent as (one that cannot be unpickled would break the pool for every document)."""
    assert _WORKER_EXTRACTOR is not None, "the pool's initializer loads it"
    try:
        return _WORKER_EXTRACTOR.extract(doc)
    except Exception as exc:
        raise RemoteError(error_name(exc), str(exc)) from exc


def extract_documents(
    documents: Iterable[DocumentInput],
    settings: Settings | None = None,
    extractor: Extractor | None = None,
    *,
    reported: bool = False,
) -> list[DocumentResult]:
    """Each document with its detected metadata and its event mentions (see :func:`build_timeline`;
    with ``reported``, its reported events too); an :class:`ExtractionError` names the documents the
    extractor failed on (logged with their ids) and still holds every other document's result."""
    settings = settings or (extractor.settings if extractor is not None else Settings())
    docs = as_documents(documents, max_chars=settings.max_text_chars)
    if extractor is None:
        from dateline.events.extractor import Extractor

        extractor = Extractor(settings)
    results, failures = extract_each(docs, extractor, reported=reported)
    if failures:
        raise ExtractionError(failures, results) from failures[0].error
    return results


def build_timeline(
    documents: Iterable[DocumentInput],
    settings: Settings | None = None,
    extractor: Extractor | None = None,
    *,
    include: Iterable[str] = (),
) -> Timeline:
    """The merged, de-duplicated chronology of ``documents``.

    Each item may be a :class:`~dateline.model.Document`; a mapping with the fields of the API's JSON
    body (``{"text": ..., "published": ...}``); a str, the text of one article (a str naming an existing
    file or folder is refused: pass a ``pathlib.Path`` to read files, folders recursively). A
    ``published`` date is a ``date``, a ``datetime`` (its day in its own time zone) or a string such as
    ``2024-05-03``, ``2024-05-03T10:00:00Z`` or ``Fri, 03 May 2024 10:00:00 GMT``. An invalid document
    raises :class:`~dateline.intake.documents.DocumentError` naming it; a document the extractor fails
    on, :class:`ExtractionError` naming it (with every other document's result).

    ``include=("reported",)`` adds the events the articles report without a date of their own, dated
    by the narrative or the publication day (``date.basis``), and planned ones (``status``); without
    it, the stated-date chronology.
    """
    wanted = check_include(include)
    results = extract_documents(documents, settings, extractor, reported="reported" in wanted)
    events = merge_with_reported(results) if wanted else merge_mentions(results)
    return Timeline(events=events, documents=[r.document for r in results])
