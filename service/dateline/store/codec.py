"""How the store writes mentions, events and documents as JSON and columns, and reads them back.

Pure functions of the value objects in :mod:`dateline.model`: no database here. Payloads are
written with sorted keys and no spaces, so equal values give equal text: the store compares stored
and merged events by their payload text, and a re-ingest by the mentions' text.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import date
from typing import Any

from dateline.model import (
    Copy,
    DateValue,
    Document,
    Event,
    EventDate,
    Mention,
    Published,
    Source,
    TextSpan,
    event_order,
)

#: a stored mention: (document id, its position among the document's mentions)
Key = tuple[str, int]


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def dumps(payload: Any) -> str:
    """``payload`` as the store writes it: sorted keys, no spaces, non-ASCII kept."""
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


# --- mentions -------------------------------------------------------------------------------------


def _span_payload(span: TextSpan) -> dict[str, Any]:
    return {"text": span.text, "start": span.start, "end": span.end}


def _span_from(data: Mapping[str, Any]) -> TextSpan:
    return TextSpan(text=data["text"], start=data["start"], end=data["end"])


def date_value_payload(value: DateValue) -> dict[str, Any]:
    return {
        "value": value.value,
        "precision": value.precision,
        "start": value.start.isoformat(),
        "end": value.end.isoformat(),
        "modifier": value.modifier,
    }


def date_value_from(data: Mapping[str, Any]) -> DateValue:
    return DateValue(
        value=data["value"],
        precision=data["precision"],
        start=date.fromisoformat(data["start"]),
        end=date.fromisoformat(data["end"]),
        modifier=data.get("modifier"),
    )


#: Mention fields the payload carries; test_store checks this matches model.Mention, so a new field
#: cannot be dropped silently.
MENTION_FIELDS = (
    "document_id",
    "quote",
    "start",
    "end",
    "date",
    "date_span",
    "trigger",
    "type",
    "title",
    "actors",
    "location",
    "generic",
    "subtype",
    "basis",
    "status",
    "field",
    "agents",
)


def mention_payload(mention: Mention) -> dict[str, Any]:
    """A JSON-ready dict of a Mention; :func:`mention_from_payload` gives back an equal Mention. The
    date's basis, the status, the field and the agents are written only when they are not the stated,
    reported, text, empty default."""
    payload = {
        "document_id": mention.document_id,
        "quote": mention.quote,
        "start": mention.start,
        "end": mention.end,
        "date": date_value_payload(mention.date),
        "date_span": _span_payload(mention.date_span),
        "trigger": _span_payload(mention.trigger),
        "type": mention.type,
        "subtype": mention.subtype,
        "title": mention.title,
        "actors": list(mention.actors),
        "location": mention.location,
        "generic": mention.generic,
    }
    if mention.agents:
        payload["agents"] = list(mention.agents)
    if mention.basis != "stated":
        payload["basis"] = mention.basis
    if mention.status != "reported":
        payload["status"] = mention.status
    if mention.field != "text":
        payload["field"] = mention.field
    return payload


def mention_from_payload(data: Mapping[str, Any]) -> Mention:
    return Mention(
        document_id=data["document_id"],
        quote=data["quote"],
        start=data["start"],
        end=data["end"],
        date=date_value_from(data["date"]),
        date_span=_span_from(data["date_span"]),
        trigger=_span_from(data["trigger"]),
        type=data["type"],
        subtype=data.get("subtype"),  # absent from payloads written before subtypes existed
        title=data["title"],
        actors=tuple(data.get("actors", ())),
        location=data.get("location"),
        agents=tuple(data.get("agents", ())),
        generic=bool(data.get("generic", False)),
        basis=data.get("basis", "stated"),
        status=data.get("status", "reported"),
        field=data.get("field", "text"),
    )


def dump_mention(mention: Mention) -> str:
    return dumps(mention_payload(mention))


def load_mention(text: str) -> Mention:
    return mention_from_payload(json.loads(text))


# --- events ---------------------------------------------------------------------------------------


def event_payload(event: Event, members: Sequence[Key]) -> dict[str, Any]:
    """A stored event: everything but its sources, which are (document id, seq) of stored mentions."""
    return {
        "id": event.id,
        "title": event.title,
        "type": event.type,
        "date": date_value_payload(event.date.date),
        "display": event.date.display,
        "alternatives": [date_value_payload(d) for d in event.date.alternatives],
        "actors": list(event.actors),
        "location": event.location,
        "sources": [list(key) for key in members],
    }


def event_from_payload(
    data: Mapping[str, Any], mentions: Mapping[Key, Mention], documents: Mapping[str, Document]
) -> Event:
    sources = []
    for doc_id, seq in data["sources"]:
        sources.append(Source(mention=mentions[(doc_id, seq)], document=documents[doc_id]))
    return Event(
        id=data["id"],
        title=data["title"],
        type=data["type"],
        date=EventDate(
            date=date_value_from(data["date"]),
            display=data["display"],
            alternatives=[date_value_from(d) for d in data["alternatives"]],
        ),
        actors=list(data["actors"]),
        location=data["location"],
        sources=sources,
    )


def _source_record(source: Source) -> dict[str, Any]:
    """A source as its mention and its document's metadata. The mention's actors are left out: a
    merge cites its mentions with surnames mapped ("Putin" -> "Vladimir Putin"), the store the
    mentions as extracted, and the event's own actors already show the mapped names."""
    mention = mention_payload(source.mention)
    del mention["actors"]
    mention.pop("agents", None)
    return {"mention": mention, "document": _document_metadata(source.document)}


def _event_record(event: Event) -> dict[str, Any]:
    """The whole event, each source as :func:`_source_record`."""
    record = event_payload(event, ())
    record["sources"] = [_source_record(s) for s in event.sources]
    return record


def canonical_events(events: Iterable[Event]) -> list[dict[str, Any]]:
    """``events`` written out whole, in timeline order with ties broken by content: the merger can
    give two events the same id and date (two mentions on one trigger), and their relative order
    means nothing. Two timelines with the same events give equal lists."""
    keyed = [(event_order(e), dumps(record), record) for e in events for record in [_event_record(e)]]
    keyed.sort(key=lambda item: item[:2])
    return [record for _, _, record in keyed]


# --- documents ------------------------------------------------------------------------------------


def _published_payload(published: Published) -> dict[str, Any]:
    return {"value": published.value.isoformat() if published.value else None, "basis": published.basis}


def given_payload(doc: Document) -> dict[str, Any]:
    """The metadata a caller (or the HTML page) gave, before the extractor filled in the rest."""
    return {
        "title": doc.title,
        "publisher": doc.publisher,
        "author": doc.author,
        "url": doc.url,
        "canonical_url": doc.canonical_url,
        "published": _published_payload(doc.published),
    }


def copies_payload(copies: Iterable[Copy]) -> str | None:
    """The ``also_at`` column: the copies as JSON, None for none."""
    listed = [{"url": c.url, "publisher": c.publisher, "title": c.title, "match": c.match} for c in copies]
    return dumps(listed) if listed else None


def copies_from(text: str | None) -> tuple[Copy, ...]:
    return tuple(
        Copy(url=c["url"], publisher=c["publisher"], title=c["title"], match=c["match"])
        for c in json.loads(text or "[]")
    )


def document_from_given(doc_id: str, text: str, given: Mapping[str, Any]) -> Document:
    """The document from its text and :func:`given_payload` (stored for re-extraction, or carried
    by an ingestion job)."""
    published = given["published"]
    return Document(
        id=doc_id,
        text=text,
        title=given["title"],
        publisher=given["publisher"],
        url=given["url"],
        published=Published(
            date.fromisoformat(published["value"]) if published["value"] else None, published["basis"]
        ),
        author=given["author"],
        canonical_url=given.get("canonical_url"),  # absent from payloads written before it existed
    )


def document_from_row(row: Mapping[Any, Any]) -> Document:
    """The document of a ``documents`` row (any mapping of its column names)."""
    value = row["published_value"]
    return Document(
        id=row["id"],
        text=row["text"],
        title=row["title"],
        publisher=row["publisher"],
        url=row["url"],
        published=Published(date.fromisoformat(value) if value else None, row["published_basis"]),
        author=row["author"],
        canonical_url=row["canonical_url"],
        also_at=copies_from(row["also_at"]),
    )


def input_from_row(row: Mapping[Any, Any]) -> Document:
    """The document as it was given (for re-extraction), from the ``given`` column."""
    if row["given"] is None:  # stored before the column existed: keep what is there, given or not
        stored = document_from_row(row)
        if stored.published.basis != "given":
            stored = replace(stored, published=Published(None, "unknown"))
        return stored
    return document_from_given(row["id"], row["text"], json.loads(row["given"]))


def _document_metadata(doc: Document) -> dict[str, Any]:
    return {
        "id": doc.id,
        "title": doc.title,
        "publisher": doc.publisher,
        "url": doc.url,
        "published_value": doc.published.value.isoformat() if doc.published.value else None,
        "published_basis": doc.published.basis,
        "author": doc.author,
        "canonical_url": doc.canonical_url,
        "also_at": copies_payload(doc.also_at),
    }


def document_columns(doc: Document) -> dict[str, Any]:
    """The ``documents`` columns of ``doc`` (its hash, given metadata and creation time aside)."""
    return {**_document_metadata(doc), "text": doc.text}
