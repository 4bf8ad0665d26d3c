"""The timeline in each format, checked against the target widget's documented schema.

- timelinejs: ``tests/data/formats/timelinejs3.schema.json`` (from the TimelineJS3 JSON format docs)
- vis: ``tests/data/formats/vis-timeline.schema.json`` (from the vis-timeline item and group docs)
- csv: RFC 4180 and ``tests/data/formats/timeline.csv.table-schema.json`` (a Frictionless Table Schema)
- ndjson: one JSON text per line (NDJSON / JSON Lines), each an event of ``schemas/event.schema.json``

and each against its component in the OpenAPI description, so the documented response is the real one.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from dateline.model import DateValue, Timeline
from dateline.views.formats import CSV_COLUMNS, timelinejs_date, to_csv, to_ndjson, to_timelinejs, to_vis

ROOT = Path(__file__).resolve().parents[1]
FORMATS = ROOT / "tests" / "data" / "formats"


def widget_schema(name: str) -> Draft202012Validator:
    schema = json.loads((FORMATS / name).read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def openapi_component(name: str) -> Draft202012Validator:
    spec = json.loads((ROOT / "schemas" / "openapi.json").read_text(encoding="utf-8"))
    root = {"$ref": f"#/components/schemas/{name}", "components": spec["components"]}
    return Draft202012Validator(root, format_checker=Draft202012Validator.FORMAT_CHECKER)


@pytest.fixture(scope="module")
def events(app: Any) -> list[dict[str, Any]]:
    body = app.test_client().get("/v1/timeline").get_json()
    assert body["events"], "the seeds give events to render"
    result: list[dict[str, Any]] = body["events"]
    return result


def fetch(app: Any, fmt: str, query: str = "") -> Any:
    response = app.test_client().get(f"/v1/timeline?format={fmt}{query}")
    assert response.status_code == 200, response.get_data(as_text=True)
    return response


def test_timelinejs_follows_the_timelinejs3_schema(app: Any, events: list[dict[str, Any]]) -> None:
    response = fetch(app, "timelinejs")
    assert response.mimetype == "application/json"
    data = response.get_json()
    widget_schema("timelinejs3.schema.json").validate(data)
    openapi_component("TimelineJs").validate(data)
    assert [s["unique_id"] for s in data["events"]] == [e["id"] for e in events]
    for slide, event in zip(data["events"], events, strict=True):
        assert slide["display_date"] == event["date"]["display"]
        assert slide["group"].lower().replace(" ", "_") == event["type"]
        start = date.fromisoformat(event["date"]["start"])
        assert slide["start_date"]["year"] == start.year
        assert ("end_date" in slide) == (event["date"]["precision"] != "day")
        for source in event["sources"]:
            assert (
                source["quote"].replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                in (slide["text"]["text"])
            )


@pytest.mark.parametrize(
    ("precision", "start", "end", "start_parts", "end_parts"),
    [
        ("day", date(2024, 6, 19), date(2024, 6, 19), {"year": 2024, "month": 6, "day": 19}, None),
        (
            "week",
            date(2024, 11, 4),
            date(2024, 11, 10),
            {"year": 2024, "month": 11, "day": 4},
            {"year": 2024, "month": 11, "day": 10},
        ),
        (
            "month",
            date(2024, 6, 1),
            date(2024, 6, 30),
            {"year": 2024, "month": 6},
            {"year": 2024, "month": 6},
        ),
        (
            "season",
            date(2024, 6, 1),
            date(2024, 8, 31),
            {"year": 2024, "month": 6},
            {"year": 2024, "month": 8},
        ),
        (
            "quarter",
            date(2024, 10, 1),
            date(2024, 12, 31),
            {"year": 2024, "month": 10},
            {"year": 2024, "month": 12},
        ),
        ("half", date(2024, 1, 1), date(2024, 6, 30), {"year": 2024, "month": 1}, {"year": 2024, "month": 6}),
        ("year", date(2024, 1, 1), date(2024, 12, 31), {"year": 2024}, {"year": 2024}),
        ("decade", date(1980, 1, 1), date(1989, 12, 31), {"year": 1980}, {"year": 1989}),
        ("century", date(1901, 1, 1), date(2000, 12, 31), {"year": 1901}, {"year": 2000}),
    ],
)
def test_timelinejs_dates_stop_at_the_event_precision(
    sample_timeline: Timeline,
    precision: str,
    start: date,
    end: date,
    start_parts: dict[str, int],
    end_parts: dict[str, int] | None,
) -> None:
    assert timelinejs_date(start, precision) == start_parts
    event = sample_timeline.events[0]
    value = DateValue("x", precision, start, end)
    dated = replace(event, date=replace(event.date, date=value))
    slide = to_timelinejs([dated])["events"][0]
    assert slide["start_date"] == start_parts
    assert slide.get("end_date") == end_parts
    widget_schema("timelinejs3.schema.json").validate(to_timelinejs([dated]))


def test_vis_follows_the_vis_timeline_schema(app: Any, events: list[dict[str, Any]]) -> None:
    data = fetch(app, "vis").get_json()
    widget_schema("vis-timeline.schema.json").validate(data)
    openapi_component("Vis").validate(data)
    assert [i["id"] for i in data["items"]] == [e["id"] for e in events]
    assert {g["id"] for g in data["groups"]} == {e["type"] for e in events}
    for item, event in zip(data["items"], events, strict=True):
        assert item["group"] == event["type"]
        assert item["start"] == event["date"]["start"]
        if event["date"]["precision"] == "day":
            assert item["type"] == "point" and "end" not in item
        else:
            assert item["type"] == "range"
            last = date.fromisoformat(event["date"]["end"])
            assert date.fromisoformat(item["end"]).toordinal() == last.toordinal() + 1, "exclusive end"


def _table_check(field: dict[str, Any], value: str) -> None:
    """One cell against a Table Schema field (the types and constraints the file uses)."""
    constraints = field.get("constraints", {})
    if value == "":
        assert not constraints.get("required"), f"{field['name']} is required"
        return
    if field["type"] == "date":
        date.fromisoformat(value)
    elif field["type"] == "integer":
        number = int(value)
        assert number >= constraints.get("minimum", number)
    if "enum" in constraints:
        assert value in constraints["enum"], (field["name"], value)
    if "pattern" in constraints:
        assert re.fullmatch(constraints["pattern"], value), (field["name"], value)


def test_csv_is_rfc4180_and_follows_its_table_schema(app: Any, events: list[dict[str, Any]]) -> None:
    response = fetch(app, "csv")
    assert response.headers["Content-Type"].startswith("text/csv; charset=utf-8")
    text = response.get_data().decode("utf-8")
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    table = json.loads((FORMATS / "timeline.csv.table-schema.json").read_text(encoding="utf-8"))
    rows = list(csv.reader(io.StringIO(text, newline="")))
    header, body = rows[0], rows[1:]
    assert header == [f["name"] for f in table["fields"]] == list(CSV_COLUMNS)
    assert len(body) == len(events)
    for row, event in zip(body, events, strict=True):
        assert len(row) == len(header)
        for field, value in zip(table["fields"], row, strict=True):
            _table_check(field, value)
        record = dict(zip(header, row, strict=True))
        assert record["id"] == event["id"]
        assert int(record["source_count"]) == event["source_count"]
        assert record["documents"].split(" | ")[0] == event["sources"][0]["document_id"]
    assert len({r[0] for r in body}) == len(body), "primary key"


def test_csv_quotes_awkward_values(sample_timeline: Timeline) -> None:
    event = sample_timeline.events[0]
    awkward = replace(event, title='He said "no", then\nleft', actors=["A, B", "C"])
    text = to_csv([awkward])
    [_, row] = list(csv.reader(io.StringIO(text, newline="")))
    assert row[CSV_COLUMNS.index("title")] == 'He said "no", then\nleft'
    assert row[CSV_COLUMNS.index("actors")] == "A, B | C"


def test_ndjson_is_one_event_per_line(
    app: Any, events: list[dict[str, Any]], json_schema: Callable[[str], Any]
) -> None:
    response = fetch(app, "ndjson")
    assert response.mimetype == "application/x-ndjson"
    text = response.get_data().decode("utf-8")
    assert text.endswith("\n")
    lines = text.split("\n")[:-1]
    assert all(line.strip() for line in lines), "no blank lines"
    parsed = [json.loads(line) for line in lines]
    validator = json_schema("event.schema.json")
    for item in parsed:
        validator.validate(item)
    assert parsed == events


def test_markup_is_escaped_and_only_web_links_are_links(sample_timeline: Timeline) -> None:
    event = sample_timeline.events[0]
    hostile_doc = replace(
        event.sources[0].document, title="<img src=x onerror=alert(1)>", url="javascript:alert(1)"
    )
    good_doc = replace(event.sources[1].document, title="Fine", url="https://example.org/a?b=1&c=2")
    hostile = replace(
        event,
        title="<script>alert(1)</script>",
        sources=[
            replace(event.sources[0], document=hostile_doc),
            replace(event.sources[1], document=good_doc),
        ],
    )
    slide = to_timelinejs([hostile])["events"][0]
    html = slide["text"]["headline"] + slide["text"]["text"]
    assert "<script" not in html and "<img" not in html
    assert "javascript:" not in html
    assert '<a href="https://example.org/a?b=1&amp;c=2">Fine</a>' in html
    item = to_vis([hostile])["items"][0]
    assert "<script" not in item["content"] and "<" not in item["title"]


def test_every_format_pages_with_a_link_header(app: Any) -> None:
    for fmt in ("json", "timelinejs", "vis", "csv", "ndjson"):
        response = fetch(app, fmt, "&limit=2")
        link = response.headers["Link"]
        assert link.startswith("</v1/timeline?") and link.endswith('>; rel="next"')
        assert f"format={fmt}" in link and "cursor=" in link


def test_empty_timeline_in_every_format() -> None:
    assert to_timelinejs([])["events"] == []
    assert to_vis([]) == {"items": [], "groups": []}
    assert to_csv([]) == ",".join(CSV_COLUMNS) + "\r\n"
    assert to_ndjson([]) == ""
    widget_schema("timelinejs3.schema.json").validate(to_timelinejs([]))
    widget_schema("vis-timeline.schema.json").validate(to_vis([]))
