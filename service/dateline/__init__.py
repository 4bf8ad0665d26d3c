"""Dateline: dated events out of news articles, normalised and merged into one chronology.

from dateline import build_timeline
timeline = build_timeline(["seeds/"])
"""

from dateline.model import DateValue, Document, Event, Mention, Timeline
from dateline.pipeline import build_timeline, extract_documents
from dateline.settings import Settings

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
