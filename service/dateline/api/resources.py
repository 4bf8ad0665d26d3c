"""The per-process resources (settings, store, extractor, job queue) and the store's upkeep at
start-up: seed ingestion into an empty store, and re-extraction when the extractor changed since the
store was filled.

They live in ``app.extensions["dateline"]`` and are created once in ``create_app``: the spaCy model is
the expensive part, and gunicorn's ``preload_app`` then shares it with every worker.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from flask import Flask, current_app

from dateline import budget
from dateline.fingerprint import extractor_version
from dateline.model import Document, DocumentResult
from dateline.queue.jobs import JobQueue
from dateline.settings import Settings
from dateline.store import DuplicateContentError, Store

if TYPE_CHECKING:
    from dateline.events.extractor import Extractor

log = logging.getLogger(__name__)

EXTENSION = "dateline"


@dataclass
class Resources:
    settings: Settings
    store: Store
    extractor: Extractor
    #: the ingestion queue (DATELINE_QUEUE_URL); None: documents are ingested inside the request
    queue: JobQueue | None = None
    #: one spaCy pipeline per process: extraction requests take turns (the server's threads)
    extract_lock: threading.Lock = field(default_factory=threading.Lock)

    def model_loaded(self) -> bool:
        nlp = getattr(self.extractor, "nlp", None)
        return nlp is not None and callable(nlp)

    def extractor_version(self) -> str:
        return extractor_version(getattr(self.extractor.nlp, "meta", {}))

    @contextmanager
    def extractor_turn(self) -> Iterator[Any]:
        """The process's one spaCy pipeline (the extractor), held for the request: it waits for its
        turn no longer than its time budget allows (:mod:`dateline.budget`), then gives up with
        BudgetExceeded."""
        wait = budget.remaining()
        if not self.extract_lock.acquire(timeout=-1 if wait is None else wait):
            raise budget.exceeded("waiting for the extractor (busy with other requests)")
        try:
            yield self.extractor
        finally:
            self.extract_lock.release()

    def extract(self, documents: Sequence[Document], *, reported: bool = False) -> list[DocumentResult]:
        """Extract ``documents`` (with their reported events too) in the request's turn."""
        with self.extractor_turn() as extractor:
            if reported:
                return extractor.extract_many(documents, reported=True)
            return extractor.extract_many(documents)  # a stand-in extractor of a test may take no option


def init_app(app: Flask, settings: Settings, extractor: Any | None = None) -> Resources:
    """Open the store, load the model, re-extract a store filled by another extractor version, and
    ingest the seed folder into an empty store."""
    store = Store(settings.database_location())
    if extractor is None:
        from dateline.events.extractor import Extractor

        extractor = Extractor(settings)  # loads the spaCy model now, not on the first request
    queue = JobQueue(settings) if settings.queue_url else None
    res = Resources(settings=settings, store=store, extractor=extractor, queue=queue)
    app.extensions[EXTENSION] = res
    if settings.reextract:
        reextract_store(res)
    seed_store(res)
    if store.extractor_version() is None:
        store.set_extractor_version(res.extractor_version())
    return res


def get_resources() -> Resources:
    res: Resources = current_app.extensions[EXTENSION]
    return res


def reextract_store(res: Resources) -> int:
    """Extract every stored document again when the store's extractor version is not the running
    one; returns how many documents changed. Each document is its own transaction, so a crash part
    way leaves every document either old or new (never mixed), and the version is recorded last, so
    the next start finishes the job."""
    current = res.extractor_version()
    stored = res.store.extractor_version()
    if stored == current or res.store.is_empty():
        if stored != current:
            res.store.set_extractor_version(current)
        return 0
    inputs = res.store.inputs()
    log.info(
        "extractor version %s differs from the store's %s: re-extracting %d documents",
        current,
        stored,
        len(inputs),
    )
    from dateline.intake.documents import DocumentError
    from dateline.pipeline import ExtractionFailure

    changed = 0
    for doc in inputs:
        try:
            result = res.extract([doc])[0]
        except DocumentError as exc:  # e.g. a text over a lowered DATELINE_MAX_TEXT_CHARS
            log.warning("re-extraction of %s skipped, its old mentions stay: %s", doc.id, exc)
            continue
        except Exception as exc:  # the extractor failed on it: logged with its id, the others go on
            ExtractionFailure.logged(doc, exc, step="re-extraction (its old mentions stay)")
            continue
        if res.store.add(result, given=doc):
            changed += 1
            log.info("re-extracted %s: %d mentions", doc.id, len(result.mentions))
    res.store.set_extractor_version(current)
    log.info("re-extraction done: %d of %d documents changed", changed, len(inputs))
    return changed


def seed_store(res: Resources) -> int:
    """Ingest ``settings.seed_path`` when the store is empty; returns how many documents were added.

    A seed folder that cannot be read stops the start-up: serving an empty timeline instead would
    hide the mistake. A seed the extractor fails on is logged with its id and left out; the others
    are stored.
    """
    seed = res.settings.seed_path
    if not seed or not Path(seed).is_dir() or not res.store.is_empty():
        return 0
    from dateline.intake.documents import DocumentError, load_documents
    from dateline.pipeline import extract_each

    try:
        docs = load_documents([seed], max_chars=res.settings.max_text_chars)
    except DocumentError as exc:
        raise RuntimeError(f"cannot ingest the seed folder {seed}: {exc}") from exc
    given = {doc.id: doc for doc in docs}  # unique: load_documents refuses a repeated id
    results, failures = extract_each(docs, res.extractor)  # each failure logged with its id
    added = 0
    for result in results:
        try:
            added += res.store.add(result, given=given[result.document.id])
        except DuplicateContentError as exc:
            log.warning("seed %s skipped: %s", result.document.id, exc)
    res.store.set_extractor_version(res.extractor_version())
    log.info("ingested %d seed documents from %s into %s", added, seed, res.store)
    if failures:
        log.error("%d seed documents failed extraction (logged above) and were left out", len(failures))
    return added
