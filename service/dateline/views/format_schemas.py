"""The shapes of the ``format=timelinejs`` and ``format=vis`` responses, for the OpenAPI document: what
a widget reads (the formats themselves are made in :mod:`dateline.views.formats`)."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from dateline.model import EVENT_TYPES


class TimelineJsDateSchema(Schema):
    """A TimelineJS3 date: parts only down to the event's precision."""

    year = fields.Integer(required=True)
    month = fields.Integer(validate=validate.Range(min=1, max=12))
    day = fields.Integer(validate=validate.Range(min=1, max=31))


class TimelineJsTextSchema(Schema):
    """Headline and body (HTML) of a TimelineJS3 slide."""

    headline = fields.String(required=True)
    text = fields.String(required=True)


class TimelineJsTitleSchema(Schema):
    """The TimelineJS3 title slide."""

    text = fields.Nested(TimelineJsTextSchema, required=True)


class TimelineJsSlideSchema(Schema):
    """One event as a TimelineJS3 slide; ``group`` is the event type, the sources are in ``text``."""

    unique_id = fields.String(required=True)
    start_date = fields.Nested(TimelineJsDateSchema, required=True)
    end_date = fields.Nested(TimelineJsDateSchema)
    display_date = fields.String(required=True)
    group = fields.String(required=True)
    text = fields.Nested(TimelineJsTextSchema, required=True)


class TimelineJsSchema(Schema):
    """format=timelinejs: a TimelineJS3 JSON document."""

    title = fields.Nested(TimelineJsTitleSchema, required=True)
    events = fields.List(fields.Nested(TimelineJsSlideSchema), required=True)


class VisItemSchema(Schema):
    """A vis-timeline item: a point for a day, a range (exclusive end) for a longer date."""

    id = fields.String(required=True)
    content = fields.String(required=True)
    start = fields.Date(required=True)
    end = fields.Date()
    type = fields.String(required=True, validate=validate.OneOf(("point", "range")))
    group = fields.String(required=True, validate=validate.OneOf(EVENT_TYPES))
    title = fields.String(required=True)
    class_name = fields.String(required=True, data_key="className")


class VisGroupSchema(Schema):
    """A vis-timeline group: one per event type."""

    id = fields.String(required=True, validate=validate.OneOf(EVENT_TYPES))
    content = fields.String(required=True)


class VisSchema(Schema):
    """format=vis: vis-timeline items and groups."""

    items = fields.List(fields.Nested(VisItemSchema), required=True)
    groups = fields.List(fields.Nested(VisGroupSchema), required=True)
