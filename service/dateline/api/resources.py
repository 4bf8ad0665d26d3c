"""The per-process resources (settings, store, extractor) and the seed ingestion at start-up.

They live in ``app.extensions["dateline"]`` and are created once in ``create_app``: the spaCy model is
the expensive part, and gunicorn's ``preload_app`` then shares it with every worker.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from flask import Flask, current_app

from ..settings import Settings
from ..store import DuplicateContentError, Store

if TYPE_CHECKING:
    from ..extract import Extractor

log = logging.getLogger(__name__)

EXTENSION = "dateline"


@dataclass
class Resources:
    settings: Settings
    store: Store
    extractor: Extractor

    def model_loaded(self) -> bool:
        nlp = getattr(self.extractor, "nlp", None)
        return nlp is not None and callable(nlp)


def init_app(app: Flask, settings: Settings, extractor: Any | None = None) -> Resources:
    """Open the store, load the model, and ingest the seed folder into an empty store."""
    store = Store(settings.store_path)
    if extractor is None:
        from ..extract import Extractor

        extractor = Extractor(settings)  # loads the spaCy model now, not on the first request
    res = Resources(settings=settings, store=store, extractor=extractor)
    app.extensions[EXTENSION] = res
    seed_store(res)
    return res


def get_resources() -> Resources:
    res: Resources = current_app.extensions[EXTENSION]
    return res


def seed_store(res: Resources) -> int:
    """Ingest ``settings.seed_path`` when the store is empty; returns how many documents were added.

    A seed folder that cannot be read stops the start-up: serving an empty timeline instead would
    hide the mistake.
    """
    seed = res.settings.seed_path
    if not seed or not Path(seed).is_dir() or not res.store.is_empty():
        return 0
    from ..documents import DocumentError, load_documents

    try:
        docs = load_documents([seed])
    except DocumentError as exc:
        raise RuntimeError(f"cannot ingest the seed folder {seed}: {exc}") from exc
    added = 0
    for result in res.extractor.extract_many(docs):
        try:
            added += res.store.add(result)
        except DuplicateContentError as exc:
            log.warning("seed %s skipped: %s", result.document.id, exc)
    log.info("ingested %d seed documents from %s into %s", added, seed, res.store.path)
    return added
