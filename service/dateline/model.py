"""Plain data objects shared by the extractor, the merger, the store and the web layer.

Nothing here imports spaCy or Flask: these are the values that travel between layers and that the
marshmallow schemas in :mod:`dateline.views.schemas` serialise, and the one order of a timeline
(:func:`event_order`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

# the event types and subtypes: data (the table in ``data/triggers.json``), see :mod:`dateline.taxonomy`
from dateline.taxonomy import EVENT_SUBTYPES as EVENT_SUBTYPES
from dateline.taxonomy import EVENT_TYPES as EVENT_TYPES

#: Precision names, finest first; the index is used to compare precisions.
PRECISIONS = ("day", "week", "month", "season", "quarter", "half", "year", "decade", "century")

PUBLISHED_BASES = ("given", "stated", "inferred", "unknown")

#: where an event's date comes from: a date expression of the event (``stated``), the last date the
#: article set before it (``narrative``), or the article's publication day (``reported``)
DATE_BASES = ("stated", "narrative", "reported")
#: what an article says of an event: it happened (``reported``), or the text schedules it (``planned``)
EVENT_STATUSES = ("reported", "planned")

#: how a copy of a document was recognised (:class:`Copy`): the same text, one of its addresses, or
#: a near-identical text (see :mod:`dateline.intake.duplicates`)
COPY_MATCHES = ("text", "url", "similar-text")


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


class _PublishedAttribute:
    """``Document.published``: always a :class:`Published` when read, but set (and passed to the
    constructor) as one, or as the given date itself: a ``date``, a ``datetime`` (its day in its own
    time zone) or a string such as ``2024-05-03T10:00:00Z`` (see :mod:`dateline.pubdates`), or None."""

    def __set_name__(self, owner: type, name: str) -> None:
        self._slot = f"_{name}"

    def __get__(self, obj: object | None, owner: Any = None) -> Published:
        if obj is None:  # the dataclass asks the class for the field's default
            return Published(None, "unknown")
        value: Published = obj.__dict__[self._slot]
        return value

    def __set__(self, obj: object, value: Published | date | str | None) -> None:
        obj.__dict__[self._slot] = _as_published(value)


def _as_published(value: Published | date | str | None) -> Published:
    if isinstance(value, Published):
        return value
    if value is None:
        return Published(None, "unknown")
    if isinstance(value, str | date):
        from dateline.pubdates import publication_day  # dateparser only when a string is given

        try:
            return Published(publication_day(value, datetime.now(UTC)), "given")
        except ValueError as exc:
            raise type(exc)(f"'published' {exc}") from None
    raise TypeError(
        f"published must be a date, a datetime, a string or Published, not {type(value).__name__}"
    )


@dataclass(frozen=True)
class Copy:
    """Another posting of a document's report, folded into it (see :mod:`dateline.intake.duplicates`):
    where it was posted and by whom, and how it was recognised (``text``, ``url``, ``similar-text``)."""

    url: str | None
    publisher: str | None
    title: str | None
    match: str


@dataclass
class Document:
    """One article. ``text`` is the original text: every offset the service returns refers to it."""

    id: str
    text: str
    title: str | None = None
    publisher: str | None = None
    url: str | None = None
    published: _PublishedAttribute = _PublishedAttribute()
    #: the byline, when the caller or the page (HTML meta data) gives one
    author: str | None = None
    #: the address an HTML page names as its own (``<link rel=canonical>``, ``og:url``) when it is not
    #: ``url``: another address the same report is recognised by
    canonical_url: str | None = None
    #: other postings of this report (same text, address or near-identical text), which never count
    #: as further sources
    also_at: tuple[Copy, ...] = ()


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
    #: the finer kind of event (``arrest``, ``resignation``, ``wildfire``), None when the clause gives none
    subtype: str | None = None
    #: where ``date`` comes from (:data:`DATE_BASES`): only reported events (``include=reported``) have
    #: another basis than ``stated``
    basis: str = "stated"
    #: ``planned`` when the text schedules the event (:data:`EVENT_STATUSES`)
    status: str = "reported"
    #: ``title`` for a mention of the document's title (quote, offsets, trigger and date span are then
    #: in the title: only timelines with reported events read titles), else ``text``
    field: str = "text"
    #: the actors that act in it (the subject, a passive's "by" agent, a noun's possessor): two reports
    #: that name different participants in different roles may still tell one event
    agents: tuple[str, ...] = ()

    @property
    def key(self) -> tuple[str, int, int]:
        return (self.document_id, self.start, self.trigger.start)


@dataclass
class Source:
    """A mention as listed under a merged event, with its document's metadata."""

    mention: Mention
    document: Document

    @property
    def field(self) -> str:
        """What the quote and its offsets are in: the document's ``text`` or its ``title``."""
        return self.mention.field


@dataclass
class EventDate:
    date: DateValue
    display: str
    alternatives: list[DateValue] = field(default_factory=list)
    #: where the date comes from (:data:`DATE_BASES`) in a timeline that includes reported events;
    #: None in the stated-date timeline (every date there is stated, and the JSON leaves it out)
    basis: str | None = None


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
    def subtype(self) -> str | None:
        """The finer kind of event its sources of its type name most often (the first of them on a
        tie); None when none names one."""
        counts = Counter(
            s.mention.subtype for s in self.sources if s.mention.type == self.type and s.mention.subtype
        )
        return counts.most_common(1)[0][0] if counts else None

    @property
    def status(self) -> str:
        """``planned`` when every source schedules the event, else ``reported``."""
        planned = all(s.mention.status == "planned" for s in self.sources) and bool(self.sources)
        return "planned" if planned else "reported"

    @property
    def source_count(self) -> int:
        """Independent reports: the documents among the sources (a document that reports the event
        twice counts once; a copy of a document was folded into it before extraction)."""
        return len({s.mention.document_id for s in self.sources})


def event_order(event: Event) -> tuple[date, int, date, str]:
    """The timeline's one order, wherever events are listed: by start, finer precision first, then
    end and id. Two events can still tie (the merger can give two mentions on one trigger one id)."""
    d = event.date.date
    return (d.start, precision_rank(d.precision), d.end, event.id)


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
