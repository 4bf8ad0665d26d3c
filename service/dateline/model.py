"""Plain data objects shared by the extractor, the merger, the store and the web layer.

Nothing here imports spaCy or Flask: these are the values that travel between layers and that the
marshmallow schemas in :mod:`dateline.schemas` serialise.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

EVENT_TYPES = (
    "agreement",
    "visit",
    "meeting",
    "deployment",
    "combat",
    "arms_transfer",
    "statement",
    "sanction",
    "election",
    "disaster",
    "other",
)

#: Precision names, finest first; the index is used to compare precisions.
PRECISIONS = ("day", "week", "month", "season", "quarter", "half", "year", "decade", "century")

PUBLISHED_BASES = ("given", "stated", "inferred", "unknown")


def precision_rank(precision: str) -> int:
    """0 for a day, growing with coarser precisions."""
    return PRECISIONS.index(precision)


@dataclass(frozen=True)
class DateValue:
    """A calendar date at its real precision, with inclusive day bounds.

    ``value`` is in TIMEX3 form (``2024-06-19``, ``2024-06``, ``2024-SP``, ``2024-Q4``, ``2024-W45``,
    ``2024``, ``198`` for a decade); ``modifier`` is a TIMEX3 ``mod`` (``START``, ``MID``, ``END``,
    ``APPROX`` ...) and narrows the bounds ("late September" starts on the 21st).
    """

    value: str
    precision: str
    start: date
    end: date
    modifier: str | None = None

    def contains(self, other: DateValue) -> bool:
        return self.start <= other.start and other.end <= self.end

    def overlaps(self, other: DateValue) -> bool:
        return self.start <= other.end and other.start <= self.end

    @property
    def span_days(self) -> int:
        return (self.end - self.start).days + 1


@dataclass(frozen=True)
class Published:
    """A document's publication date and where it came from (given, stated, inferred, unknown)."""

    value: date | None
    basis: str = "unknown"


@dataclass
class Document:
    """One article. ``text`` is the original text: every offset the service returns refers to it."""

    id: str
    text: str
    title: str | None = None
    publisher: str | None = None
    url: str | None = None
    published: Published = field(default_factory=lambda: Published(None, "unknown"))
    #: the byline, when the caller or the page (HTML meta data) gives one
    author: str | None = None


@dataclass(frozen=True)
class TextSpan:
    text: str
    start: int
    end: int


@dataclass
class Mention:
    """One document's report of one event: what the extractor finds, before merging.

    ``start``/``end`` delimit ``quote`` in the original text of ``document_id``; ``date_span`` is the
    temporal expression that dates it (possibly in an earlier sentence).
    """

    document_id: str
    quote: str
    start: int
    end: int
    date: DateValue
    date_span: TextSpan
    trigger: TextSpan
    type: str
    title: str
    actors: tuple[str, ...] = ()
    location: str | None = None
    #: a generic reference ("the events since ...") that only joins a specific event
    generic: bool = False

    @property
    def key(self) -> tuple[str, int, int]:
        return (self.document_id, self.start, self.trigger.start)


@dataclass
class Source:
    """A mention as listed under a merged event, with its document's metadata."""

    mention: Mention
    document: Document


@dataclass
class EventDate:
    date: DateValue
    display: str
    alternatives: list[DateValue] = field(default_factory=list)


@dataclass
class Event:
    id: str
    title: str
    type: str
    date: EventDate
    actors: list[str]
    location: str | None
    sources: list[Source]

    @property
    def source_count(self) -> int:
        return len(self.sources)


@dataclass
class DocumentResult:
    """What extraction yields for one document: the document (with detected metadata) and its mentions."""

    document: Document
    mentions: list[Mention]


@dataclass
class Timeline:
    events: list[Event]
    documents: list[Document] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.events)
