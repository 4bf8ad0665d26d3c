"""The extractor version: one value that changes whenever extraction could give other mentions.

A store remembers the version its mentions came from (``meta`` table); when the service starts with a
different one, it re-extracts the stored documents. The version covers the package version, the code
of every module on the extraction path, the vocabularies under ``data/`` and the spaCy pipeline (name
and version), so a change to any of them is noticed without anyone remembering to bump a number.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from importlib import resources
from typing import Any

#: modules whose code decides what the extractor finds (a change re-extracts stored documents)
EXTRACTION_MODULES = (
    "actors.py",
    "clean.py",
    "component.py",
    "extract.py",
    "model.py",
    "nlp.py",
    "published.py",
    "temporal.py",
    "vocab.py",
)


#: modules whose code decides how stored mentions merge into events (a change re-merges the store)
MERGE_MODULES = ("incremental.py", "merge.py", "model.py", "temporal.py")


def _digest(names: tuple[str, ...], extra: bytes = b"") -> str:
    from dateline import __version__

    package = resources.files("dateline")
    digest = hashlib.sha256(__version__.encode() + b"\0" + extra)
    for name in names:
        digest.update(name.encode() + b"\0" + hashlib.sha256(package.joinpath(name).read_bytes()).digest())
    return f"{__version__}+{digest.hexdigest()[:12]}"


def merge_version() -> str:
    """``<package version>+<12 hex digits>`` for the code that merges mentions into events: the
    stored events (and the link index that finds what a write touches) are rebuilt when it changes."""
    return _digest(MERGE_MODULES)


def extractor_version(model_meta: Mapping[str, Any]) -> str:
    """``<package version>+<12 hex digits>`` for the extraction code, data and ``model_meta``
    (a spaCy ``nlp.meta``: its ``lang``, ``name`` and ``version`` identify the pipeline)."""
    from dateline import __version__

    package = resources.files("dateline")
    digest = hashlib.sha256()

    def feed(label: str, content: bytes) -> None:
        digest.update(label.encode("utf-8") + b"\0" + hashlib.sha256(content).digest())

    feed("version", __version__.encode())
    model = f"{model_meta.get('lang', '')}_{model_meta.get('name', '')}=={model_meta.get('version', '')}"
    feed("model", model.encode())
    for name in EXTRACTION_MODULES:
        feed(name, package.joinpath(name).read_bytes())
    data = package.joinpath("data")
    for entry in sorted(data.iterdir(), key=lambda p: p.name):
        if entry.name.endswith(".json"):
            feed(f"data/{entry.name}", entry.read_bytes())
    return f"{__version__}+{digest.hexdigest()[:12]}"
