"""Writing through the API: ingest (JSON, plain text, HTML) with 201/Location and idempotency,
delete with re-merging, stateless extraction, and transactional writes. Each test has its own store."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from conftest import TINY_ARTICLE

JSON = "application/json"
PROBLEM = "application/problem+json"

VISIT_MONTH = "Vladimir Putin visited Pyongyang in June 2024, state media said."
VISIT_DAY = "Vladimir Putin visited Pyongyang on 19 June 2024, meeting Kim Jong Un."

PAGE = """<!DOCTYPE html>
<html><head>
  <title>Putin lands in Pyongyang | Example Post</title>
  <meta name="author" content="Jane Roe">
  <meta property="og:site_name" content="Example Post">
  <meta property="article:published_time" content="2024-06-20T08:00:00Z">
</head><body>
  <nav><a href="/">Home</a> | <a href="/world">World</a></nav>
  <article>
    <h1>Putin lands in Pyongyang</h1>
    <p>Russian President Vladimir Putin arrived in Pyongyang on 19 June 2024 for his first visit to North
    Korea in 24 years, state media reported.</p>
    <p>On the same day, Putin and Kim Jong Un signed a strategic partnership treaty.</p>
  </article>
  <footer>Copyright 2024 Example Post. All rights reserved.</footer>
</body></html>"""


def events_of(client: Any) -> list[dict[str, Any]]:
    body = client.get("/v1/timeline").get_json()
    assert body["next"] is None
    events: list[dict[str, Any]] = body["events"]
    return events


def assert_offsets(document: dict[str, Any]) -> None:
    text = document["text"]
    assert document["events"], "the document yields events"
    for event in document["events"]:
        for src in event["sources"]:
            if src["document_id"] == document["id"]:
                assert text[src["start"] : src["end"]] == src["quote"]
                assert text[src["date_start"] : src["date_end"]] == src["date_text"]


def test_ingest_json_answers_201_with_location_and_events(
    fresh_client: Any, json_schema: Callable[[str], Any]
) -> None:
    response = fresh_client.post("/v1/documents", json=TINY_ARTICLE)
    assert response.status_code == 201, response.get_json()
    assert response.headers["Location"] == "/v1/documents/tiny-pyongyang"
    assert response.headers["Cache-Control"] == "no-store"
    body = response.get_json()
    json_schema("document.schema.json").validate(body)
    assert body["title"] == TINY_ARTICLE["title"]
    assert body["published"] == {"value": "2024-06-20", "basis": "given"}
    assert body["event_count"] == len(body["events"]) > 0
    assert_offsets(body)
    assert fresh_client.get(response.headers["Location"]).get_json() == body


def test_ingest_is_idempotent(fresh_client: Any) -> None:
    first = fresh_client.post("/v1/documents", json=TINY_ARTICLE)
    again = fresh_client.post("/v1/documents", json=TINY_ARTICLE)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.get_json() == first.get_json()
    # the same text under another id (or none) is the same document, not a duplicate
    renamed = fresh_client.post("/v1/documents", json={**TINY_ARTICLE, "id": "another-id"})
    plain = fresh_client.post("/v1/documents", data=TINY_ARTICLE["text"], content_type="text/plain")
    for response in (renamed, plain):
        assert response.status_code == 200
        assert response.headers["Location"] == "/v1/documents/tiny-pyongyang"
    assert [d["id"] for d in fresh_client.get("/v1/documents").get_json()["documents"]] == ["tiny-pyongyang"]


def test_ingest_plain_text_with_metadata_in_the_query(fresh_client: Any) -> None:
    response = fresh_client.post(
        "/v1/documents?id=visit-note&title=Visit%20note&publisher=Wire&published=2024-06-21",
        data=VISIT_DAY,
        content_type="text/plain; charset=utf-8",
    )
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert (body["id"], body["title"], body["publisher"]) == ("visit-note", "Visit note", "Wire")
    assert body["published"] == {"value": "2024-06-21", "basis": "given"}
    assert body["text"] == VISIT_DAY
    assert_offsets(body)


def test_ingest_without_id_derives_it_from_the_text(fresh_client: Any) -> None:
    first = fresh_client.post("/v1/documents", json={"text": VISIT_DAY}).get_json()
    assert first["id"].startswith("doc-")
    fresh_client.delete(f"/v1/documents/{first['id']}")
    assert fresh_client.post("/v1/documents", json={"text": VISIT_DAY}).get_json()["id"] == first["id"]


@pytest.mark.parametrize("form", ["text/html body", "json html field"])
def test_ingest_html_keeps_the_extracted_text(fresh_client: Any, form: str) -> None:
    if form == "text/html body":
        response = fresh_client.post(
            "/v1/documents?url=https://example.org/a", data=PAGE, content_type="text/html"
        )
    else:
        response = fresh_client.post("/v1/documents", json={"html": PAGE, "url": "https://example.org/a"})
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert "<" not in body["text"] and "Home" not in body["text"] and "Copyright" not in body["text"]
    assert "arrived in Pyongyang on 19 June 2024" in body["text"]
    assert body["title"] == "Putin lands in Pyongyang"
    assert body["author"] == "Jane Roe"
    assert body["publisher"] == "Example Post"
    assert body["url"] == "https://example.org/a"
    assert body["published"] == {"value": "2024-06-20", "basis": "stated"}
    assert_offsets(body)


def test_given_metadata_wins_over_the_page(fresh_client: Any) -> None:
    response = fresh_client.post(
        "/v1/documents", json={"html": PAGE, "title": "Our title", "published": "2024-06-19"}
    )
    body = response.get_json()
    assert body["title"] == "Our title"
    assert body["published"] == {"value": "2024-06-19", "basis": "given"}
    assert body["author"] == "Jane Roe"


def test_another_text_under_a_stored_id_is_a_conflict(fresh_client: Any) -> None:
    assert fresh_client.post("/v1/documents", json={"id": "a", "text": VISIT_DAY}).status_code == 201
    response = fresh_client.post("/v1/documents", json={"id": "a", "text": VISIT_MONTH})
    assert response.status_code == 409
    assert response.mimetype == PROBLEM
    problem = response.get_json()
    assert problem["type"].endswith(":id-conflict")
    assert "DELETE /v1/documents/a" in problem["detail"]
    assert fresh_client.get("/v1/documents/a").get_json()["text"] == VISIT_DAY


def test_delete_removes_the_sources_and_re_dates_shared_events(fresh_client: Any) -> None:
    month = fresh_client.post("/v1/documents", json={"id": "month", "text": VISIT_MONTH})
    day = fresh_client.post("/v1/documents", json={"id": "day", "text": VISIT_DAY})
    assert (month.status_code, day.status_code) == (201, 201)
    [visit] = [e for e in events_of(fresh_client) if e["type"] == "visit"]
    assert visit["source_count"] == 2
    assert visit["date"]["value"] == "2024-06-19", "the more precise source dates the merged event"

    response = fresh_client.delete("/v1/documents/day")
    assert response.status_code == 204 and response.get_data() == b""
    [visit] = [e for e in events_of(fresh_client) if e["type"] == "visit"]
    assert [s["document_id"] for s in visit["sources"]] == ["month"]
    assert visit["date"]["value"] == "2024-06", "re-dated from the remaining source"
    assert fresh_client.get("/v1/documents/day").status_code == 404
    assert all(s["document_id"] != "day" for e in events_of(fresh_client) for s in e["sources"])

    again = fresh_client.delete("/v1/documents/day")
    assert again.status_code == 404 and again.mimetype == PROBLEM
    fresh_client.delete("/v1/documents/month")
    assert events_of(fresh_client) == []


def test_extract_is_stateless(fresh_client: Any, app: Any, json_schema: Callable[[str], Any]) -> None:
    fresh_client.post("/v1/documents", json={"id": "stored", "text": VISIT_MONTH})
    before = fresh_client.get("/v1/documents").get_json()
    revision = fresh_client.get("/readyz").get_json()["revision"]

    response = fresh_client.post("/v1/extract", json=[{"text": VISIT_MONTH}, {"id": "b", "text": VISIT_DAY}])
    assert response.status_code == 200, response.get_json()
    assert response.headers["Cache-Control"] == "no-store"
    body = response.get_json()
    json_schema("timeline.schema.json").validate(body)
    [visit] = [e for e in body["events"] if e["type"] == "visit"]
    assert visit["source_count"] == 2, "merged across the documents sent"

    assert fresh_client.get("/v1/documents").get_json() == before
    assert fresh_client.get("/readyz").get_json()["revision"] == revision


@pytest.mark.parametrize(
    ("content_type", "body", "query"),
    [
        ("application/json", {"text": VISIT_DAY}, ""),
        ("text/plain", VISIT_DAY, "?published=2024-06-20"),
        ("text/html", PAGE, ""),
    ],
)
def test_extract_takes_every_form(fresh_client: Any, content_type: str, body: Any, query: str) -> None:
    kwargs = (
        {"json": body} if content_type == "application/json" else {"data": body, "content_type": content_type}
    )
    response = fresh_client.post(f"/v1/extract{query}", **kwargs)
    assert response.status_code == 200, response.get_json()
    assert any(e["date"]["value"] == "2024-06-19" for e in response.get_json()["events"])


@pytest.mark.parametrize("fmt", ["timelinejs", "vis", "csv", "ndjson"])
def test_extract_answers_in_any_format(fresh_client: Any, fmt: str) -> None:
    response = fresh_client.post(f"/v1/extract?format={fmt}", json={"text": VISIT_DAY})
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert response.get_data()


def test_a_failure_in_the_middle_of_ingest_stores_nothing(
    make_app: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The document row and its mentions are written, then merging fails: nothing of it remains."""
    from dateline.store import remerge

    app = make_app()
    client = app.test_client()
    assert client.post("/v1/documents", json={"id": "kept", "text": VISIT_MONTH}).status_code == 201
    store = app.extensions["dateline"].store
    before = (store.revision(), store.timeline().count)

    def broken(*args: Any) -> None:
        raise RuntimeError("disk full at /var/secret")

    monkeypatch.setattr(remerge, "_store_events", broken)
    response = client.post("/v1/documents", json={"id": "lost", "text": VISIT_DAY})
    assert response.status_code == 500 and response.mimetype == PROBLEM
    assert "secret" not in response.get_data(as_text=True)
    monkeypatch.undo()

    assert store.get_document("lost") is None
    assert (store.revision(), store.timeline().count) == before
    assert store.verify() == []
    assert client.post("/v1/documents", json={"id": "lost", "text": VISIT_DAY}).status_code == 201
    assert store.verify() == []


def test_articles_ingest_and_match_a_full_merge(
    fresh_client: Any, app: Any, articles: dict[str, Any]
) -> None:
    """The annotated articles through the API: stored events equal a full merge of their mentions."""
    for article in articles.values():
        assert fresh_client.post("/v1/documents", json=article).status_code == 201
    store = fresh_client.application.extensions["dateline"].store
    assert store.verify() == []
    ids = {d["id"] for d in fresh_client.get("/v1/documents").get_json()["documents"]}
    assert ids == set(articles)


def test_query_metadata_gives_defaults_to_json_documents(fresh_client: Any) -> None:
    response = fresh_client.post(
        "/v1/documents?publisher=Wire&title=Default", json={"text": VISIT_DAY, "title": "Own title"}
    )
    body = response.get_json()
    assert (body["publisher"], body["title"]) == ("Wire", "Own title")
