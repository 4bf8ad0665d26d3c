"""The response schemas: the generated JSON Schema files are current, dumps follow the contract and
validate against those files, and the marshmallow -> JSON Schema converter maps each field kind."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from marshmallow import Schema, fields, validate

from dateline.api import openapi_document
from dateline.model import Timeline
from dateline.views import contract as C
from dateline.views import schemas as S
from dateline.views.jsonschema import JSON_SCHEMA_DIALECT, JsonSchemaConverter, json_schema

SCHEMAS = Path(__file__).resolve().parents[1] / "schemas"

TIMELINE_KEYS = ["events", "count", "next"]
EVENT_KEYS = ["id", "title", "type", "subtype", "date", "actors", "location", "sources", "source_count"]
DATE_KEYS = ["value", "precision", "start", "end", "modifier", "display", "alternatives"]
ALTERNATIVE_KEYS = ["value", "precision", "start", "end", "modifier"]
SOURCE_KEYS = [
    "document_id",
    "title",
    "publisher",
    "url",
    "published",
    "quote",
    "start",
    "end",
    "date_text",
    "date_start",
    "date_end",
    "trigger",
]
SUMMARY_KEYS = ["id", "title", "publisher", "author", "url", "published", "also_at", "event_count"]


@pytest.fixture(scope="module")
def openapi() -> dict[str, Any]:
    return openapi_document()


def test_generated_schema_files_are_current(openapi: dict[str, Any]) -> None:
    stale = C.stale_json_schemas(SCHEMAS, openapi)
    assert not stale, f"stale JSON Schema files {stale}: regenerate with `{C.REGENERATE_HINT}` and commit"


def test_no_unexpected_files_in_schemas_folder() -> None:
    present = {p.name for p in SCHEMAS.glob("*.json")}
    assert present == {*C.SCHEMA_FILES, C.OPENAPI_FILE}, "schemas/ holds only generated files"


@pytest.mark.parametrize("name", sorted(C.SCHEMA_FILES))
def test_schema_files_are_valid_draft_2020_12(name: str, json_schema: Callable[[str], Any]) -> None:
    validator = json_schema(name)  # check_schema raises if invalid
    assert validator.schema["$schema"] == JSON_SCHEMA_DIALECT


def test_timeline_dump_follows_the_contract(sample_timeline: Timeline) -> None:
    data = S.dump_timeline(sample_timeline)
    assert list(data) == TIMELINE_KEYS
    assert data["count"] == 2
    visit = data["events"][0]
    assert list(visit) == EVENT_KEYS
    assert list(visit["date"]) == DATE_KEYS
    assert list(visit["date"]["alternatives"][0]) == ALTERNATIVE_KEYS
    assert visit["date"] | {"alternatives": None} == {
        "value": "2024-06-19",
        "precision": "day",
        "start": "2024-06-19",
        "end": "2024-06-19",
        "modifier": None,
        "display": "19 June 2024",
        "alternatives": None,
    }
    assert visit["source_count"] == len(visit["sources"]) == 2
    source = visit["sources"][0]
    assert list(source) == SOURCE_KEYS
    assert source["published"] == {"value": "2024-06-20", "basis": "given"}
    assert visit["sources"][1]["published"] == {"value": None, "basis": "unknown"}
    assert source["trigger"] == {
        "text": "arrived",
        "start": source["trigger"]["start"],
        "end": source["trigger"]["end"],
    }


def test_dumped_offsets_point_into_the_text(sample_timeline: Timeline) -> None:
    texts = {d.id: d.text for d in sample_timeline.documents}
    for event in S.dump_timeline(sample_timeline)["events"]:
        for src in event["sources"]:
            text = texts[src["document_id"]]
            assert text[src["start"] : src["end"]] == src["quote"]
            assert text[src["date_start"] : src["date_end"]] == src["date_text"]
            assert text[src["trigger"]["start"] : src["trigger"]["end"]] == src["trigger"]["text"]


@pytest.mark.parametrize(
    ("name", "dump"),
    [
        ("timeline.schema.json", lambda t: S.dump_timeline(t)),
        ("event.schema.json", lambda t: S.dump_event(t.events[0])),
        ("documents.schema.json", lambda t: S.dump_documents(S.timeline_document_views(t))),
        ("document.schema.json", lambda t: S.dump_document(S.timeline_document_views(t)[0])),
    ],
)
def test_dumps_validate_against_the_files(
    name: str, dump: Callable[[Timeline], Any], sample_timeline: Timeline, json_schema: Callable[[str], Any]
) -> None:
    json_schema(name).validate(json.loads(json.dumps(dump(sample_timeline))))


def test_documents_listing_counts_events(sample_timeline: Timeline) -> None:
    data = S.dump_documents(S.timeline_document_views(sample_timeline))
    assert [list(d) for d in data["documents"]] == [SUMMARY_KEYS, SUMMARY_KEYS]
    assert {d["id"]: d["event_count"] for d in data["documents"]} == {"a-visit": 2, "b-mobilisation": 1}
    detail = S.dump_document(S.timeline_document_views(sample_timeline)[1])
    assert list(detail) == [*SUMMARY_KEYS, "text", "events"]
    assert [e["id"] for e in detail["events"]] == ["evt-visit"]


@pytest.mark.parametrize(
    ("path", "bad"),
    [
        (("events", 0, "type"), "party"),
        (("events", 0, "subtype"), "picnic"),
        (("events", 0, "date", "precision"), "fortnight"),
        (("events", 0, "date", "start"), "19 June 2024"),
        (("events", 0, "date", "modifier"), "SOMETIME"),
        (("events", 0, "sources", 0, "published", "basis"), "guessed"),
        (("events", 0, "source_count"), "2"),
        (("events", 0, "sources", 0, "extra"), 1),
    ],
)
def test_schema_rejects_contract_breaks(
    path: tuple[Any, ...], bad: Any, sample_timeline: Timeline, json_schema: Callable[[str], Any]
) -> None:
    data = json.loads(json.dumps(S.dump_timeline(sample_timeline)))
    target = data
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = bad
    assert list(json_schema("timeline.schema.json").iter_errors(data))


def test_problem_schema_allows_extension_members(json_schema: Callable[[str], Any]) -> None:
    problem = {"type": "about:blank", "title": "Not Found", "status": 404, "detail": "x", "instance": "/x"}
    json_schema("problem.schema.json").validate({**problem, "trace_id": "abc"})
    with pytest.raises(Exception, match="required"):
        json_schema("problem.schema.json").validate({"title": "Not Found"})


class _Inner(Schema):
    x = fields.Integer(required=True)


@pytest.mark.parametrize(
    ("field", "expected"),
    [
        (fields.String(), {"type": "string"}),
        (fields.String(allow_none=True), {"type": ["string", "null"]}),
        (fields.Integer(), {"type": "integer"}),
        (fields.Float(), {"type": "number"}),
        (fields.Boolean(), {"type": "boolean"}),
        (fields.Date(), {"type": "string", "format": "date"}),
        (fields.Date(allow_none=True), {"type": ["string", "null"], "format": "date"}),
        (fields.String(validate=validate.OneOf(["a", "b"])), {"type": "string", "enum": ["a", "b"]}),
        (
            fields.String(allow_none=True, validate=validate.OneOf(["a"])),
            {"type": ["string", "null"], "enum": ["a", None]},
        ),
        (fields.List(fields.String()), {"type": "array", "items": {"type": "string"}}),
        (
            fields.Dict(values=fields.Integer()),
            {"type": "object", "additionalProperties": {"type": "integer"}},
        ),
        (fields.Nested(_Inner), {"$ref": "#/$defs/_Inner"}),
        (fields.Nested(_Inner, allow_none=True), {"anyOf": [{"$ref": "#/$defs/_Inner"}, {"type": "null"}]}),
        (fields.Nested(_Inner, many=True), {"type": "array", "items": {"$ref": "#/$defs/_Inner"}}),
        (fields.String(metadata={"description": "d"}), {"description": "d", "type": "string"}),
        (
            fields.String(validate=validate.OneOf(["a"]), metadata={"enum_descriptions": {"a": "the a"}}),
            {"type": "string", "enum": ["a"], "oneOf": [{"const": "a", "description": "the a"}]},
        ),
        (
            fields.String(
                allow_none=True, validate=validate.OneOf(["a"]), metadata={"enum_descriptions": {"a": "A"}}
            ),
            {
                "type": ["string", "null"],
                "enum": ["a", None],
                "oneOf": [{"const": "a", "description": "A"}, {"type": "null"}],
            },
        ),
    ],
)
def test_converter_field_table(field: fields.Field, expected: dict[str, Any]) -> None:
    assert JsonSchemaConverter().field(field) == expected


def test_converter_required_and_defs() -> None:
    class Outer(Schema):
        inner = fields.Nested(_Inner, required=True)
        note = fields.String()

    doc = json_schema(Outer, "t")
    assert doc["required"] == ["inner"]
    assert doc["$defs"]["_Inner"]["required"] == ["x"]
    assert doc["additionalProperties"] is False


def test_converter_refuses_unknown_fields() -> None:
    with pytest.raises(TypeError, match="no JSON Schema mapping"):
        JsonSchemaConverter().field(fields.Raw())


def test_stale_files_are_named_until_written(tmp_path: Path, openapi: dict[str, Any]) -> None:
    everything = sorted([*C.SCHEMA_FILES, C.OPENAPI_FILE])
    assert sorted(C.stale_json_schemas(tmp_path, openapi)) == everything
    assert sorted(p.name for p in C.write_json_schemas(tmp_path, openapi)) == everything
    assert C.stale_json_schemas(tmp_path, openapi) == []
    (tmp_path / "event.schema.json").write_text("{}\n", encoding="utf-8")
    assert C.stale_json_schemas(tmp_path, {**openapi, "openapi": "3.0.0"}) == [
        "event.schema.json",
        "openapi.json",
    ]
