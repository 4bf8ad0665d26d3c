"""The timeline in the shapes other tools read: TimelineJS3, vis-timeline, CSV and NDJSON.

No web layer here: each function takes events and returns a payload (a dict for the JSON formats,
text for the line formats), so the API and any script produce the same output. ``json`` (the
service's own contract) is :func:`dateline.views.schemas.dump_timeline`.

- TimelineJS3 (https://timeline.knightlab.com/docs/json-format.html): one slide per event, its
  ``start_date``/``end_date`` carrying date parts only down to the event's precision, ``group`` the
  event type, and the sources (quotes, links) as HTML in ``text.text``.
- vis-timeline (https://visjs.github.io/vis-timeline/docs/timeline/): DataSet items and groups; an
  event at day precision is a ``point``, a longer one a ``range`` whose ``end`` is the exclusive
  midnight after its last day.
- CSV (RFC 4180): one row per event, sources joined; a cell a spreadsheet would read as a formula
  (starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return) is prefixed with ``'``, as
  OWASP advises against CSV injection. NDJSON: one event (the JSON contract) per line.

Everything that ends up in HTML is escaped, and only http(s) URLs become links.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from html import escape
from typing import Any
from urllib.parse import urlsplit

from dateline.model import Event, precision_rank

FORMATS = ("json", "timelinejs", "vis", "csv", "ndjson")
MEDIA_TYPES = {
    "json": "application/json",
    "timelinejs": "application/json",
    "vis": "application/json",
    "csv": "text/csv",
    "ndjson": "application/x-ndjson",
}

CSV_COLUMNS = (
    "id",
    "date",
    "display_date",
    "precision",
    "start",
    "end",
    "type",
    "subtype",
    "title",
    "actors",
    "location",
    "source_count",
    "documents",
    "urls",
    "quotes",
)
#: joins several values in one CSV cell
CSV_JOIN = " | "
#: first characters that make a spreadsheet read a cell as a formula (OWASP, CSV injection)
CSV_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _safe_url(url: str | None) -> str | None:
    if not url:
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    return url if parts.scheme in ("http", "https") and parts.netloc else None


def type_label(event_type: str) -> str:
    return event_type.replace("_", " ").capitalize()


# --- TimelineJS3 ----------------------------------------------------------------------------------


def timelinejs_date(day: date, precision: str) -> dict[str, Any]:
    """A TimelineJS date object with parts down to ``precision`` (a week counts as days)."""
    out: dict[str, Any] = {"year": day.year}
    if precision_rank(precision) <= precision_rank("half"):
        out["month"] = day.month
    if precision_rank(precision) <= precision_rank("week"):
        out["day"] = day.day
    return out


def sources_html(event: Event) -> str:
    """The sources of an event as an HTML list: linked title (or document id), publisher, date, quote."""
    items = []
    for source in event.sources:
        doc = source.document
        label = escape(doc.title or doc.id, quote=False)
        url = _safe_url(doc.url)
        name = f'<a href="{escape(url, quote=True)}">{label}</a>' if url else label
        details = [
            escape(x) for x in (doc.publisher, doc.published.value and doc.published.value.isoformat()) if x
        ]
        suffix = f" ({', '.join(details)})" if details else ""
        items.append(f"<li>{name}{suffix}: <q>{escape(source.mention.quote, quote=False)}</q></li>")
    count = len(event.sources)
    plural = "source" if count == 1 else "sources"
    return f"<p>{escape(event.date.display, quote=False)} · {count} {plural}</p><ul>{''.join(items)}</ul>"


def timelinejs_slide(event: Event) -> dict[str, Any]:
    d = event.date.date
    slide: dict[str, Any] = {
        "unique_id": event.id,
        "start_date": timelinejs_date(d.start, d.precision),
    }
    if d.precision != "day":
        slide["end_date"] = timelinejs_date(d.end, d.precision)
    slide["display_date"] = event.date.display
    slide["group"] = type_label(event.type)
    slide["text"] = {"headline": escape(event.title, quote=False), "text": sources_html(event)}
    return slide


def to_timelinejs(events: Sequence[Event], *, headline: str = "Dateline timeline") -> dict[str, Any]:
    """A TimelineJS3 JSON document: ``{"title": slide, "events": [slide, ...]}``."""
    documents = {s.mention.document_id for e in events for s in e.sources}
    return {
        "title": {
            "text": {
                "headline": escape(headline, quote=False),
                "text": f"<p>{len(events)} events from {len(documents)} documents</p>",
            }
        },
        "events": [timelinejs_slide(e) for e in events],
    }


# --- vis-timeline ---------------------------------------------------------------------------------


def vis_item(event: Event) -> dict[str, Any]:
    d = event.date.date
    item: dict[str, Any] = {
        "id": event.id,
        "content": escape(event.title, quote=False),
        "start": d.start.isoformat(),
    }
    if d.start == d.end and d.precision == "day":
        item["type"] = "point"
    else:
        item["end"] = (d.end + timedelta(days=1)).isoformat()
        item["type"] = "range"
    item["group"] = event.type
    count = event.source_count
    item["title"] = escape(f"{event.date.display} · {count} source{'s' if count != 1 else ''}", quote=False)
    item["className"] = f"dateline-{event.type.replace('_', '-')} dateline-{d.precision}"
    return item


def to_vis(events: Sequence[Event]) -> dict[str, Any]:
    """vis-timeline data: ``{"items": [...], "groups": [...]}`` (one group per event type present)."""
    types = sorted({e.type for e in events})
    return {
        "items": [vis_item(e) for e in events],
        "groups": [{"id": t, "content": escape(type_label(t), quote=False)} for t in types],
    }


# --- CSV and NDJSON -------------------------------------------------------------------------------


def csv_row(event: Event) -> list[str]:
    d = event.date.date
    urls = [s.document.url or "" for s in event.sources]
    return [
        event.id,
        d.value,
        event.date.display,
        d.precision,
        d.start.isoformat(),
        d.end.isoformat(),
        event.type,
        event.subtype or "",
        event.title,
        CSV_JOIN.join(event.actors),
        event.location or "",
        str(event.source_count),
        CSV_JOIN.join(dict.fromkeys(s.mention.document_id for s in event.sources)),
        CSV_JOIN.join(u for u in dict.fromkeys(urls) if u),
        CSV_JOIN.join(" ".join(s.mention.quote.split()) for s in event.sources),
    ]


def csv_cell(value: str) -> str:
    """``value`` as a spreadsheet shows it as text: a leading ``'`` before what would start a formula
    (titles, quotes, actors and URLs come from documents anyone may send)."""
    return "'" + value if value.startswith(CSV_FORMULA_STARTS) else value


def to_csv(events: Iterable[Event]) -> str:
    """RFC 4180 CSV (CRLF line ends, a header row), one row per event, no cell a formula."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for event in events:
        writer.writerow([csv_cell(cell) for cell in csv_row(event)])
    return out.getvalue()


def to_ndjson(events: Iterable[Event]) -> str:
    """One event per line, each the JSON contract's event object."""
    from dateline.views.schemas import dump_event

    return "".join(json.dumps(dump_event(e), ensure_ascii=False) + "\n" for e in events)
