"""Dateline: dated events out of news articles, normalised and merged into one chronology.

    from pathlib import Path
    from dateline import build_timeline
    timeline = build_timeline([Path("seeds"), "The text of another article ..."])

The pipeline (and so spaCy) is imported on first use, so ``import dateline.model`` stays light.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from dateline.model import DateValue, Document, Event, Mention, Timeline
from dateline.settings import Settings

if TYPE_CHECKING:
    from dateline.pipeline import build_timeline, extract_documents

__all__ = [
    "DateValue",
    "Document",
    "Event",
    "Mention",
    "Settings",
    "Timeline",
    "build_timeline",
    "extract_documents",
]
__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    if name in ("build_timeline", "extract_documents"):
        from dateline import pipeline

        return getattr(pipeline, name)
    raise AttributeError(f"module 'dateline' has no attribute {name!r}")
