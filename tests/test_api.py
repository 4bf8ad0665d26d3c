"""The HTTP API over a store seeded from a tiny folder: statuses and content types, the JSON Schema
contract, offsets that point into the documents, and problem+json for every error."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from dateline.settings import Settings

JSON = "application/json"
PROBLEM = "application/problem+json"


@pytest.fixture(scope="module")
def ids(app: Any) -> dict[str, str]:
    """Real ids to put in the URL table: the first event and the tiny JSON document."""
    timeline = app.test_client().get("/v1/timeline").get_json()
    assert timeline["events"], "the seed folder should yield events"
    return {"event_id": timeline["events"][0]["id"], "doc_id": "tiny-pyongyang"}


@pytest.mark.parametrize(
    ("method", "url", "status", "content_type"),
    [
        ("GET", "/v1/timeline", 200, JSON),
        ("GET", "/v1/documents", 200, JSON),
        ("GET", "/v1/documents/{doc_id}", 200, JSON),
        ("GET", "/v1/events/{event_id}", 200, JSON),
        ("GET", "/healthz", 200, JSON),
        ("GET", "/readyz", 200, JSON),
        ("HEAD", "/v1/timeline", 200, JSON),
        ("GET", "/v1/events/no-such-event", 404, PROBLEM),
        ("GET", "/v1/documents/no-such-document", 404, PROBLEM),
        ("GET", "/v1/no-such-route", 404, PROBLEM),
        ("POST", "/v1/timeline", 405, PROBLEM),
        ("PUT", "/v1/documents/{doc_id}", 405, PROBLEM),
        ("GET", "/v1/actors", 200, JSON),
        ("GET", "/v1/openapi.json", 200, JSON),
        ("GET", "/docs", 200, "text/html"),
        ("GET", "/docs/swagger-ui-bundle.js", 200, "text/javascript"),
        ("GET", "/docs/init.js", 200, "text/javascript"),
        ("GET", "/docs/secrets.txt", 404, PROBLEM),
        ("GET", "/metrics", 200, "text/plain"),
        ("GET", "/v1/extract", 405, PROBLEM),
        ("PATCH", "/v1/timeline", 405, PROBLEM),
    ],
)
def test_endpoint_table(
    client: Any,
    ids: dict[str, str],
    json_schema: Callable[[str], Any],
    method: str,
    url: str,
    status: int,
    content_type: str,
) -> None:
    path = url.format(**ids)
    response = client.open(path, method=method)
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == content_type
    assert response.headers["X-Request-ID"]
    if method == "HEAD" or content_type not in (JSON, PROBLEM):
        return
    body = response.get_json()
    if content_type == PROBLEM:
        json_schema("problem.schema.json").validate(body)
        assert body["status"] == status
        assert body["instance"] == path
        assert body["detail"]
        if status == 405:
            allowed = response.headers["Allow"]
            assert ("POST" if path == "/v1/extract" else "GET") in allowed
            assert method in body["detail"] and allowed.split(",")[0] in body["detail"]


@pytest.mark.parametrize(
    ("url", "schema", "needle"),
    [
        ("/v1/events/no-such-event", "event", "/v1/timeline"),
        ("/v1/documents/no-such-document", "document", "/v1/documents"),
        ("/v1/no-such-route", None, "/v1/timeline"),
    ],
)
def test_not_found_details_are_useful(client: Any, url: str, schema: str | None, needle: str) -> None:
    detail = client.get(url).get_json()["detail"]
    assert needle in detail
    if schema:
        assert schema in detail and url.rsplit("/", 1)[1] in detail


@pytest.mark.parametrize(
    ("url", "schema_file"),
    [
        ("/v1/timeline", "timeline.schema.json"),
        ("/v1/documents", "documents.schema.json"),
        ("/v1/documents/{doc_id}", "document.schema.json"),
        ("/v1/events/{event_id}", "event.schema.json"),
    ],
)
def test_responses_validate_against_json_schema(
    client: Any, ids: dict[str, str], json_schema: Callable[[str], Any], url: str, schema_file: str
) -> None:
    json_schema(schema_file).validate(client.get(url.format(**ids)).get_json())


def test_offsets_point_into_the_original_text(client: Any) -> None:
    texts = {
        d["id"]: client.get(f"/v1/documents/{d['id']}").get_json()["text"]
        for d in client.get("/v1/documents").get_json()["documents"]
    }
    timeline = client.get("/v1/timeline").get_json()
    checked = 0
    for event in timeline["events"]:
        assert event["source_count"] == len({s["document_id"] for s in event["sources"]}) > 0
        for src in event["sources"]:
            text = texts[src["document_id"]]
            assert text[src["start"] : src["end"]] == src["quote"], event["id"]
            assert text[src["date_start"] : src["date_end"]] == src["date_text"], event["id"]
            trigger = src["trigger"]
            assert text[trigger["start"] : trigger["end"]] == trigger["text"], event["id"]
            checked += 1
    assert checked > 0


def test_timeline_is_consistent(client: Any) -> None:
    timeline = client.get("/v1/timeline").get_json()
    assert timeline["count"] == len(timeline["events"])
    ids = [e["id"] for e in timeline["events"]]
    assert len(ids) == len(set(ids)), "event ids are unique"
    for event in timeline["events"]:
        date = event["date"]
        assert date["start"] <= date["end"]
        assert client.get(f"/v1/events/{event['id']}").get_json() == event


def test_documents_listing_matches_the_timeline(client: Any, seed_dir: Path) -> None:
    documents = client.get("/v1/documents").get_json()["documents"]
    expected_ids = {p.stem for p in seed_dir.glob("*.txt")} | {"tiny-pyongyang"}
    assert {d["id"] for d in documents} == expected_ids
    events = client.get("/v1/timeline").get_json()["events"]
    for doc in documents:
        citing = [e for e in events if any(s["document_id"] == doc["id"] for s in e["sources"])]
        assert doc["event_count"] == len(citing)
        detail = client.get(f"/v1/documents/{doc['id']}").get_json()
        assert [e["id"] for e in detail["events"]] == [e["id"] for e in citing]
        assert {k: detail[k] for k in doc} == doc


def test_given_metadata_is_kept(client: Any) -> None:
    doc = client.get("/v1/documents/tiny-pyongyang").get_json()
    assert doc["title"] == "Putin in Pjöngjang – a short report"
    assert doc["publisher"] == "Dateline Tests Média"
    assert doc["published"] == {"value": "2024-06-20", "basis": "given"}


def test_json_is_utf8_not_escaped(client: Any) -> None:
    raw = client.get("/v1/documents/tiny-pyongyang").get_data()
    assert "Pjöngjang".encode() in raw
    assert b"\\u00f6" not in raw


def test_readiness_reports_checks(client: Any, settings: Settings) -> None:
    body = client.get("/readyz").get_json()
    assert body["status"] == "ready"
    assert body["checks"] == {"store": True, "model": True}
    assert body["model"] == settings.model
    assert body["documents"] == 3


def test_readiness_fails_when_the_store_is_unreadable(
    app: Any, client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = app.extensions["dateline"].store

    def broken() -> int:
        raise OSError("disk gone at /secret/path")

    monkeypatch.setattr(store, "revision", broken)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.mimetype == PROBLEM
    assert "store" in response.get_json()["detail"]
    assert "/secret/path" not in response.get_data(as_text=True)


@pytest.fixture
def crashing_app(settings: Settings, extractor: Any) -> Any:
    """A second app on the same (already seeded) store with a route that fails unexpectedly."""
    from dateline.api import create_app

    app = create_app({"DATELINE": settings, "DATELINE_EXTRACTOR": extractor, "TESTING": True})

    @app.get("/boom")
    def boom() -> Any:
        raise RuntimeError("password=hunter2 in /srv/secret.py")

    return app


def test_unexpected_errors_are_opaque_problems(crashing_app: Any, caplog: pytest.LogCaptureFixture) -> None:
    response = crashing_app.test_client().get("/boom")
    assert response.status_code == 500
    assert response.mimetype == PROBLEM
    body = response.get_data(as_text=True)
    for leak in ("hunter2", "secret", "Traceback", "RuntimeError"):
        assert leak not in body
    assert response.get_json()["title"] == "Internal Server Error"
    assert "hunter2" in caplog.text, "the cause is logged for the operator"


def test_seeding_happens_once(crashing_app: Any, app: Any) -> None:
    """A second app on a non-empty store does not ingest again."""
    assert crashing_app.extensions["dateline"].store.revision() == app.extensions["dateline"].store.revision()


@pytest.mark.parametrize(
    ("config", "field", "expected"),
    [
        ({"DATELINE_STORE_PATH": "/tmp/x.sqlite3"}, "store_path", Path("/tmp/x.sqlite3")),
        ({"STORE_PATH": Path("/tmp/y.sqlite3")}, "store_path", Path("/tmp/y.sqlite3")),
        ({"seed_path": ""}, "seed_path", ""),
        ({"DATELINE_BATCH_SIZE": "4"}, "batch_size", 4),
        ({"DISABLE": "ner, parser"}, "disable", ("ner", "parser")),
        ({"DATELINE": Settings(model="other"), "TESTING": True}, "model", "other"),
    ],
)
def test_settings_from_config(config: dict[str, Any], field: str, expected: Any) -> None:
    from dateline.api import settings_from_config

    assert getattr(settings_from_config(config), field) == expected


def test_empty_store_without_seeds(tmp_path: Path, extractor: Any) -> None:
    from dateline.api import create_app

    settings = Settings(store_path=tmp_path / "empty.sqlite3", seed_path="")
    client = create_app({"DATELINE": settings, "DATELINE_EXTRACTOR": extractor}).test_client()
    assert client.get("/v1/timeline").get_json() == {"events": [], "count": 0, "next": None}
    assert client.get("/v1/documents").get_json() == {"documents": []}
