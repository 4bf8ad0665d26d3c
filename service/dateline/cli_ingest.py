"""What ``dateline ingest`` needs beside the command itself: extraction in processes forked after the
model is loaded, and the model's version without loading it again."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from dateline.settings import Settings

#: the extractor the forked extraction processes of ``dateline ingest`` inherit
_FORKED_EXTRACTOR: Any = None


def can_fork() -> bool:
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods()


def extract_forked(documents: Sequence[Any], extractor: Any, workers: int) -> Iterator[tuple[Any, Any]]:
    """(document, result or the exception it raised) as each is done, in ``workers`` processes forked
    from this one after it loaded the model: they share its pages and start at once (spawned ones
    each imported spaCy and loaded the model again, seconds a piece: what made 2 workers lose to 1
    on a short run)."""
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import get_context

    from dateline.pipeline import results_as_done

    global _FORKED_EXTRACTOR
    _FORKED_EXTRACTOR = extractor
    try:
        with ProcessPoolExecutor(workers, mp_context=get_context("fork")) as pool:
            yield from results_as_done(pool, _extract_one, documents)
    finally:
        _FORKED_EXTRACTOR = None


def _extract_one(doc: Any) -> Any:
    """One document's extraction in a forked process; its error comes back as a RemoteError (any
    error can be sent as one)."""
    from dateline.pipeline import RemoteError, error_name

    try:
        return _FORKED_EXTRACTOR.extract(doc)
    except Exception as exc:
        raise RemoteError(error_name(exc), str(exc)) from exc


def model_meta(settings: Settings) -> Any:
    """The model's ``meta.json`` as spaCy reads it, without loading the model (the extraction
    processes have loaded it; a third load in this process cost seconds of a short run)."""
    from spacy.util import get_model_meta, get_package_path, is_package

    if is_package(settings.model):
        folder = get_package_path(settings.model)
        data = [d for d in sorted(folder.iterdir()) if (d / "meta.json").exists()]
        if data:
            return get_model_meta(data[0])
    elif Path(settings.model).is_dir():
        return get_model_meta(Path(settings.model))
    from dateline.events.nlp import load_nlp

    return load_nlp(settings).meta


def version_of_meta(meta: Any) -> str:
    from dateline.fingerprint import extractor_version

    return extractor_version(meta)
