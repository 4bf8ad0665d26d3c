"""The extractor and merge versions: values that change whenever stored results could differ.

A store remembers the versions its mentions and events came from (``meta`` table); when the service
starts with a different one, it re-extracts (or re-merges) the stored documents. Each version hashes
whole folders of the package, so a module added to or moved within them is covered without a list to
keep: the extraction version covers ``intake/``, ``timex/``, ``events/``, the value objects and the
vocabularies under ``data/``, plus the spaCy pipeline (name and version); the merge version covers
``merging/``, the value objects and the date values it compares.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any

from dateline import __version__

#: what decides the mentions found in a document (a change re-extracts stored documents)
EXTRACTION_SOURCES = ("intake", "timex", "events", "model.py", "pubdates.py", "vocab.py", "data")

#: what decides how stored mentions merge into events (a change re-merges the store)
MERGE_SOURCES = (
    "merging",
    "model.py",
    "vocab.py",
    "timex/values.py",
    "timex/lexicon.py",
    "data/temporal.json",
    "data/triggers.json",
    "data/linking.json",
)

#: the files of a source folder that count: code and vocabularies, not caches
_SUFFIXES = (".py", ".json")


def _files(name: str) -> Iterator[tuple[str, bytes]]:
    """``(relative path, content)`` of the package file ``name``, or of every code and data file
    under the folder ``name``, in a stable order."""
    root = resources.files("dateline")

    def walk(node: Traversable, label: str) -> Iterator[tuple[str, bytes]]:
        if node.is_dir():
            for child in sorted(node.iterdir(), key=lambda c: c.name):
                if child.is_dir() or child.name.endswith(_SUFFIXES):
                    yield from walk(child, f"{label}/{child.name}")
        elif node.is_file():
            yield label, node.read_bytes()
        else:
            raise FileNotFoundError(f"fingerprint source {label!r} is not in the package")

    yield from walk(root.joinpath(name), name)


def _digest(sources: tuple[str, ...], *extra: tuple[str, bytes]) -> str:
    digest = hashlib.sha256()

    def feed(label: str, content: bytes) -> None:
        digest.update(label.encode("utf-8") + b"\0" + hashlib.sha256(content).digest())

    feed("version", __version__.encode())
    for label, content in extra:
        feed(label, content)
    for source in sources:
        for label, content in _files(source):
            feed(label, content)
    return f"{__version__}+{digest.hexdigest()[:12]}"


def merge_version() -> str:
    """``<package version>+<12 hex digits>`` for the code that merges mentions into events: the
    stored events (and the link index that finds what a write touches) are rebuilt when it changes."""
    return _digest(MERGE_SOURCES)


def extractor_version(model_meta: Mapping[str, Any]) -> str:
    """``<package version>+<12 hex digits>`` for the extraction code, data and ``model_meta``
    (a spaCy ``nlp.meta``: its ``lang``, ``name`` and ``version`` identify the pipeline)."""
    model = f"{model_meta.get('lang', '')}_{model_meta.get('name', '')}=={model_meta.get('version', '')}"
    return _digest(EXTRACTION_SOURCES, ("model", model.encode()))
