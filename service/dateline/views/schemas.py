"""Marshmallow schemas for every response and for the timeline's query parameters, and their dumpers.

The timeline JSON is a public contract (the evaluation scripts and clients read it), so the shape lives
in one place: these schemas serialise the model objects for the API and the CLI alike, and
``dateline schemas --write schemas/`` turns them into the JSON Schema (draft 2020-12) files under
``schemas/`` that tests and clients validate against (:mod:`dateline.views.contract`).

Nothing here imports Flask: the CLI serialises through the same schemas without a web layer.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from marshmallow import Schema, fields, post_dump, validate

from dateline.model import (
    COPY_MATCHES,
    DATE_BASES,
    EVENT_STATUSES,
    EVENT_TYPES,
    PRECISIONS,
    PUBLISHED_BASES,
    Document,
    Event,
    Timeline,
)
from dateline.taxonomy import EVENT_SUBTYPES, subtype_descriptions, type_descriptions

#: TIMEX3 ``mod`` values a date may carry.
MODIFIERS = (
    "BEFORE",
    "AFTER",
    "ON_OR_BEFORE",
    "ON_OR_AFTER",
    "LESS_THAN",
    "MORE_THAN",
    "EQUAL_OR_LESS",
    "EQUAL_OR_MORE",
    "START",
    "MID",
    "END",
    "APPROX",
)


# --- building blocks ------------------------------------------------------------------------------


class DateValueSchema(Schema):
    """A date at its real precision with inclusive ISO day bounds."""

    value = fields.String(required=True, metadata={"description": "TIMEX3 value, e.g. 2024-06 or 2024-Q4"})
    precision = fields.String(required=True, validate=validate.OneOf(PRECISIONS))
    start = fields.Date(required=True, metadata={"description": "first day covered (inclusive)"})
    end = fields.Date(required=True, metadata={"description": "last day covered (inclusive)"})
    modifier = fields.String(required=True, allow_none=True, validate=validate.OneOf(MODIFIERS))


class EventDateSchema(Schema):
    """The event's date (an EventDate: a DateValue plus display text and alternatives)."""

    value = fields.String(required=True, attribute="date.value")
    precision = fields.String(required=True, attribute="date.precision", validate=validate.OneOf(PRECISIONS))
    start = fields.Date(required=True, attribute="date.start")
    end = fields.Date(required=True, attribute="date.end")
    modifier = fields.String(
        required=True, allow_none=True, attribute="date.modifier", validate=validate.OneOf(MODIFIERS)
    )
    display = fields.String(required=True, metadata={"description": "human-readable date"})
    alternatives = fields.List(
        fields.Nested(DateValueSchema),
        required=True,
        metadata={"description": "other dates the sources give for this event"},
    )
    basis = fields.String(
        validate=validate.OneOf(DATE_BASES),
        metadata={
            "description": "only in timelines that include reported events (include=reported): "
            "stated (a date expression of the event), narrative (the last date the article set before "
            "it) or reported (the article's publication day)"
        },
    )

    @post_dump(pass_original=True)
    def _stated_timeline(self, data: dict[str, Any], original: Any, **_kw: Any) -> dict[str, Any]:
        """The stated-date timeline leaves ``basis`` out (its dates are all stated): as it was."""
        if getattr(original, "basis", None) is None:
            data.pop("basis", None)
        return data


class SpanSchema(Schema):
    """A piece of a document's original text with its character offsets."""

    text = fields.String(required=True)
    start = fields.Integer(required=True)
    end = fields.Integer(required=True)


class PublishedSchema(Schema):
    """A publication date and how it was obtained."""

    value = fields.Date(required=True, allow_none=True)
    basis = fields.String(required=True, validate=validate.OneOf(PUBLISHED_BASES))


class SourceSchema(Schema):
    """One document's mention of an event (a model Source: Mention + Document)."""

    document_id = fields.String(required=True, attribute="mention.document_id")
    title = fields.String(required=True, allow_none=True, attribute="document.title")
    publisher = fields.String(required=True, allow_none=True, attribute="document.publisher")
    url = fields.String(required=True, allow_none=True, attribute="document.url")
    published = fields.Nested(PublishedSchema, required=True, attribute="document.published")
    quote = fields.String(
        required=True, attribute="mention.quote", metadata={"description": "text[start:end]"}
    )
    start = fields.Integer(required=True, attribute="mention.start")
    end = fields.Integer(required=True, attribute="mention.end")
    date_text = fields.String(required=True, attribute="mention.date_span.text")
    date_start = fields.Integer(required=True, attribute="mention.date_span.start")
    date_end = fields.Integer(required=True, attribute="mention.date_span.end")
    trigger = fields.Nested(SpanSchema, required=True, attribute="mention.trigger")
    field_ = fields.String(
        data_key="field",
        attribute="mention.field",
        validate=validate.OneOf(("title",)),
        metadata={
            "description": "only for a mention of the document's title (timelines that include reported "
            "events): title; quote, start, end, the date's and the trigger's offsets are then in the "
            "document's title. Absent: they are in its text"
        },
    )

    @post_dump
    def _text_sources(self, data: dict[str, Any], **_kw: Any) -> dict[str, Any]:
        """``field`` only for a title's mention: a text source is as it was."""
        if data.get("field") != "title":
            data.pop("field", None)
        return data


class EventSchema(Schema):
    """A merged event with every source that reports it (also the /v1/events/<id> response)."""

    id = fields.String(required=True)
    title = fields.String(required=True)
    type = fields.String(
        required=True,
        validate=validate.OneOf(EVENT_TYPES),
        metadata={"description": "the kind of event (coarse)", "enum_descriptions": type_descriptions()},
    )
    subtype = fields.String(
        required=True,
        allow_none=True,
        validate=validate.OneOf(EVENT_SUBTYPES),
        metadata={
            "description": "the finer kind of event within its type; null when the sources name none",
            "enum_descriptions": subtype_descriptions(),
        },
    )
    date = fields.Nested(EventDateSchema, required=True)
    status = fields.String(
        validate=validate.OneOf(EVENT_STATUSES),
        metadata={
            "description": "only in timelines that include reported events: planned when the text "
            "schedules the event, else reported"
        },
    )
    actors = fields.List(fields.String(), required=True)
    location = fields.String(required=True, allow_none=True)
    sources = fields.List(fields.Nested(SourceSchema), required=True)
    source_count = fields.Integer(
        required=True,
        metadata={
            "description": "independent reports: the documents among the sources (copies of an article "
            "are folded into one document)"
        },
    )

    @post_dump(pass_original=True)
    def _stated_timeline(self, data: dict[str, Any], original: Any, **_kw: Any) -> dict[str, Any]:
        """``status`` only beside a date ``basis``: the stated-date timeline is as it was."""
        if getattr(getattr(original, "date", None), "basis", None) is None:
            data.pop("status", None)
        return data


class TimelineSchema(Schema):
    """The /v1/timeline response (one page) and the ``dateline timeline`` output."""

    events = fields.List(fields.Nested(EventSchema), required=True)
    count = fields.Integer(required=True, metadata={"description": "events on this page"})
    next = fields.String(
        required=True,
        allow_none=True,
        metadata={"description": "URL of the next page (same filters, opaque cursor); null on the last"},
    )


# --- documents ------------------------------------------------------------------------------------


@dataclass
class DocumentView:
    """A document with the timeline events that list it: what the documents endpoints show."""

    document: Document
    events: list[Event] = field(default_factory=list)

    @property
    def event_count(self) -> int:
        return len(self.events)


def document_views(documents: Iterable[Document], events: Iterable[Event]) -> list[DocumentView]:
    """Pair each document with the events that cite it (events keep timeline order)."""
    views = {doc.id: DocumentView(doc) for doc in documents}
    for event in events:
        for doc_id in dict.fromkeys(s.mention.document_id for s in event.sources):
            if doc_id in views:
                views[doc_id].events.append(event)
    return list(views.values())


def timeline_document_views(timeline: Timeline) -> list[DocumentView]:
    return document_views(timeline.documents, timeline.events)


class CopySchema(Schema):
    """Another posting of the document's report, folded into it (a model Copy)."""

    url = fields.String(required=True, allow_none=True, metadata={"description": "where it was posted"})
    publisher = fields.String(required=True, allow_none=True)
    title = fields.String(required=True, allow_none=True)
    match = fields.String(
        required=True,
        validate=validate.OneOf(COPY_MATCHES),
        metadata={
            "description": "how it was recognised: the same text, one of the document's addresses (url "
            "or the page's canonical address, normalised), or a near-identical text (word-shingle "
            "similarity of at least 0.9)"
        },
    )


class DocumentSummarySchema(Schema):
    """One entry of the documents listing (a DocumentView)."""

    id = fields.String(required=True, attribute="document.id")
    title = fields.String(required=True, allow_none=True, attribute="document.title")
    publisher = fields.String(required=True, allow_none=True, attribute="document.publisher")
    author = fields.String(required=True, allow_none=True, attribute="document.author")
    url = fields.String(required=True, allow_none=True, attribute="document.url")
    published = fields.Nested(PublishedSchema, required=True, attribute="document.published")
    also_at = fields.List(
        fields.Nested(CopySchema),
        required=True,
        attribute="document.also_at",
        metadata={
            "description": "other postings of this report (copies), which never count as further sources"
        },
    )
    event_count = fields.Integer(required=True, metadata={"description": "timeline events citing it"})


class DocumentsSchema(Schema):
    """The /v1/documents response and the ``dateline documents`` output (dump a dict with
    ``documents``: list of DocumentView)."""

    documents = fields.List(fields.Nested(DocumentSummarySchema), required=True)


class DocumentDetailSchema(DocumentSummarySchema):
    """The /v1/documents/<id> response: the summary, the original text and the events citing it."""

    text = fields.String(required=True, attribute="document.text")
    events = fields.List(fields.Nested(EventSchema), required=True)


# --- errors and health ----------------------------------------------------------------------------


class ProblemSchema(Schema):
    """An RFC 9457 problem details object (every error response, as application/problem+json)."""

    #: RFC 9457 lets problems carry extension members, so the JSON Schema does not forbid extra keys
    json_schema_open: ClassVar[bool] = True

    type = fields.String(required=True, metadata={"description": "URI reference; about:blank for plain HTTP"})
    title = fields.String(required=True)
    status = fields.Integer(required=True)
    detail = fields.String(required=True)
    instance = fields.String(required=True, allow_none=True)
    errors = fields.Dict(
        keys=fields.String(),
        values=fields.List(fields.String()),
        metadata={"description": "for invalid input: each offending field or parameter, with its messages"},
    )


JOB_STATUSES = ("queued", "running", "done", "failed")


class JobDocumentSchema(Schema):
    """The document a finished ingestion job stored (or found stored already)."""

    id = fields.String(required=True)
    url = fields.String(required=True, metadata={"description": "the document: /v1/documents/{id}"})
    created = fields.Boolean(
        required=True,
        metadata={"description": "false when the document was a copy of a stored one: the stored document"},
    )


class JobSchema(Schema):
    """/v1/jobs/{id}: a queued ingestion (POST /v1/documents with DATELINE_QUEUE_URL set)."""

    id = fields.String(required=True)
    status = fields.String(required=True, validate=validate.OneOf(JOB_STATUSES))
    url = fields.String(required=True, metadata={"description": "this job: /v1/jobs/{id}"})
    document = fields.Nested(JobDocumentSchema, metadata={"description": "when done"})
    problem = fields.Nested(ProblemSchema, metadata={"description": "when failed: why"})


class HealthSchema(Schema):
    """/healthz: the process is alive."""

    status = fields.String(required=True, validate=validate.OneOf(("ok",)))


class ReadinessChecksSchema(Schema):
    store = fields.Boolean(required=True)
    model = fields.Boolean(required=True)


class ReadinessSchema(Schema):
    """/readyz: the store answers and the model is loaded."""

    status = fields.String(required=True, validate=validate.OneOf(("ready", "unavailable")))
    checks = fields.Nested(ReadinessChecksSchema, required=True)
    model = fields.String(required=True)
    documents = fields.Integer(required=True, allow_none=True)
    revision = fields.Integer(required=True, allow_none=True)


# --- actors ---------------------------------------------------------------------------------------

ACTOR_KINDS = ("country", "organisation", "person")


class ActorSchema(Schema):
    """A canonical actor, the other names it goes by, and how many events name it."""

    name = fields.String(required=True)
    kind = fields.String(required=True, allow_none=True, validate=validate.OneOf(ACTOR_KINDS))
    aliases = fields.List(fields.String(), required=True)
    event_count = fields.Integer(required=True)


class ActorsSchema(Schema):
    """The /v1/actors response: every actor of the timeline, most cited first."""

    actors = fields.List(fields.Nested(ActorSchema), required=True)
    count = fields.Integer(required=True)


# --- request parameters ---------------------------------------------------------------------------

#: output formats of the timeline endpoints
FORMATS = ("json", "timelinejs", "vis", "csv", "ndjson")
PARTIAL_DATE_PATTERN = r"^\d{4}(-\d{2}(-\d{2})?)?$"


def paging_fields(items: str) -> tuple[fields.Integer, fields.String]:
    """The ``limit`` and ``cursor`` query fields of a paged list of ``items``."""
    limit = fields.Integer(
        validate=validate.Range(min=1, max=5000),
        metadata={"description": f"{items} per page (default 500)"},
    )
    cursor = fields.String(
        validate=validate.Length(min=1, max=1000),
        metadata={"description": "opaque: the `next` of the previous page"},
    )
    return limit, cursor


class FormatQuerySchema(Schema):
    """The ``format`` parameter of the endpoints that return a timeline."""

    format = fields.String(
        load_default="json",
        validate=validate.OneOf(FORMATS),
        metadata={"description": "json (default), timelinejs (TimelineJS3), vis (vis-timeline), csv, ndjson"},
    )


class IncludeQuerySchema(Schema):
    """The ``include`` parameter: what the stated-date timeline leaves out."""

    include = fields.List(
        fields.String(validate=validate.OneOf(("reported",))),
        metadata={
            "description": "reported: also the events the articles report without a date of their own "
            "(dated by the narrative or the publication day, see date.basis) and planned ones (status)"
        },
    )


class TimelineQuerySchema(FormatQuerySchema, IncludeQuerySchema):
    """Filters and paging of GET /v1/timeline (parameters combine with AND; a repeated one with OR)."""

    from_ = fields.String(
        data_key="from",
        validate=validate.Regexp(PARTIAL_DATE_PATTERN, error="use YYYY, YYYY-MM or YYYY-MM-DD"),
        metadata={"description": "events whose dates reach this day or later (YYYY, YYYY-MM, YYYY-MM-DD)"},
    )
    to = fields.String(
        validate=validate.Regexp(PARTIAL_DATE_PATTERN, error="use YYYY, YYYY-MM or YYYY-MM-DD"),
        metadata={"description": "events whose dates start by the end of this period"},
    )
    actor = fields.List(
        fields.String(validate=validate.Length(min=1, max=200)),
        metadata={"description": "an actor or any of its aliases (repeatable)"},
    )
    type = fields.List(
        fields.String(validate=validate.OneOf(EVENT_TYPES)),
        metadata={"description": "an event type (repeatable; described in the Event schema)"},
    )
    subtype = fields.List(
        fields.String(validate=validate.OneOf(EVENT_SUBTYPES)),
        metadata={"description": "an event subtype (repeatable; described in the Event schema)"},
    )
    document = fields.String(
        validate=validate.Length(min=1, max=128), metadata={"description": "events citing this document"}
    )
    q = fields.String(
        validate=validate.Length(min=1, max=500),
        metadata={"description": "text in an event's title or its sources' quotes (case-insensitive)"},
    )
    min_sources = fields.Integer(
        load_default=1, validate=validate.Range(min=1), metadata={"description": "at least this many sources"}
    )
    precision = fields.String(
        validate=validate.OneOf(PRECISIONS),
        metadata={"description": "the coarsest date precision kept (day keeps only day dates)"},
    )
    sort = fields.String(load_default="asc", validate=validate.OneOf(("asc", "desc")))
    limit, cursor = paging_fields("events")


class EntityTimelineQuerySchema(TimelineQuerySchema):
    """GET /v1/entities/{id}/timeline: the parameters of /v1/timeline, and the SemEval format."""

    format = fields.String(
        load_default="json",
        validate=validate.OneOf((*FORMATS, "semeval")),
        metadata={
            "description": "json (default), timelinejs, vis, csv, ndjson, or semeval (the SemEval-2015 "
            "Task 4 timeline file, text/tab-separated-values)"
        },
    )


# --- convenience dumpers --------------------------------------------------------------------------


def dump_timeline(timeline: Timeline, next_url: str | None = None) -> dict[str, Any]:
    return TimelineSchema().dump({"events": timeline.events, "count": timeline.count, "next": next_url})


def dump_events(events: Sequence[Event], next_url: str | None = None) -> dict[str, Any]:
    return TimelineSchema().dump({"events": list(events), "count": len(events), "next": next_url})


def dump_event(event: Event) -> dict[str, Any]:
    return EventSchema().dump(event)


def dump_actors(entries: Sequence[Any]) -> dict[str, Any]:
    return ActorsSchema().dump({"actors": list(entries), "count": len(entries)})


def dump_documents(views: Sequence[DocumentView]) -> dict[str, Any]:
    return DocumentsSchema().dump({"documents": list(views)})


def dump_document(view: DocumentView) -> dict[str, Any]:
    return DocumentDetailSchema().dump(view)
