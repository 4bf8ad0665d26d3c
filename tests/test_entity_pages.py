"""Pages of ``GET /v1/entities``: limit, cursor, next links, and bad paging input."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from dateline.views.entity_pages import EntityQuery, decode_cursor, encode_cursor, entity_page, entity_query
from dateline.views.query import QueryError


@dataclass
class _Entity:
    id: str
    name: str
    event_count: int


ENTITIES = [
    _Entity("acme", "Acme", 5),
    _Entity("zenith", "Zenith", 5),
    _Entity("bo-li", "Bo Li", 2),
    _Entity("oslo", "Oslo", 9),
    _Entity("kestrel", "Kestrel", 1),
]


def _all_pages(entities: list[_Entity], limit: int, include: tuple[str, ...] = ()) -> list[list[str]]:
    pages, cursor = [], None
    while True:
        chosen, cursor = entity_page(entities, EntityQuery(include, limit, cursor))
        pages.append([e.id for e in chosen])
        if cursor is None:
            return pages


@pytest.mark.parametrize(
    ("limit", "pages"),
    [
        (1, [["oslo"], ["acme"], ["zenith"], ["bo-li"], ["kestrel"]]),
        (2, [["oslo", "acme"], ["zenith", "bo-li"], ["kestrel"]]),
        (5, [["oslo", "acme", "zenith", "bo-li", "kestrel"]]),
        (50, [["oslo", "acme", "zenith", "bo-li", "kestrel"]]),
    ],
)
def test_pages_follow_the_list_most_cited_first(limit: int, pages: list[list[str]]) -> None:
    assert _all_pages(ENTITIES, limit) == pages


def test_a_cursor_keeps_its_place_while_the_list_changes() -> None:
    first, cursor = entity_page(ENTITIES, EntityQuery((), 2))
    assert [e.id for e in first] == ["oslo", "acme"] and cursor is not None
    grown = [*ENTITIES, _Entity("aardvark", "Aardvark", 9), _Entity("beta", "Beta", 3)]
    rest, _ = entity_page(grown, EntityQuery((), 10, cursor))
    # the new entity cited more than the last one served is before the cursor; the other one is served
    assert [e.id for e in rest] == ["zenith", "beta", "bo-li", "kestrel"]


def test_empty_list_has_no_next_page() -> None:
    assert entity_page([], EntityQuery((), 3)) == ([], None)


@pytest.mark.parametrize(
    ("cursor", "message"),
    [
        ("not-a-cursor", "not a cursor this service made"),
        ("", "not a cursor this service made"),
        (encode_cursor((-1, "A", "a"), EntityQuery(("reported",))), "another include"),
    ],
)
def test_bad_cursor(cursor: str, message: str) -> None:
    with pytest.raises(QueryError, match=message) as caught:
        decode_cursor(cursor, EntityQuery())
    assert caught.value.parameter == "cursor"


@pytest.mark.parametrize(("limit", "ok"), [(0, False), (1, True), (100, True), (101, False)])
def test_limit_is_checked_against_the_setting(limit: int, ok: bool) -> None:
    if ok:
        assert entity_query({"limit": limit}, default_limit=10, max_limit=100).limit == limit
    else:
        with pytest.raises(QueryError, match="between 1 and 100"):
            entity_query({"limit": limit}, default_limit=10, max_limit=100)


# --- the API ------------------------------------------------------------------------------------------


def _follow(client: Any, url: str, json_schema: Any) -> list[dict[str, Any]]:
    """Every entity, page by page from ``url`` along the next links (body and Link header agree)."""
    seen: list[dict[str, Any]] = []
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.get_json()
        body = response.get_json()
        json_schema("entities.schema.json").validate(body)
        assert body["count"] == len(body["entities"])
        seen.extend(body["entities"])
        url = body["next"]
        if url:
            assert response.headers["Link"] == f'<{url}>; rel="next"'
        else:
            assert "Link" not in response.headers
    return seen


@pytest.mark.parametrize("include", ["", "&include=reported"])
def test_entity_pages_over_the_api(client: Any, json_schema: Any, include: str) -> None:
    whole = client.get(f"/v1/entities?{include.lstrip('&')}").get_json()
    assert whole["next"] is None and whole["count"] >= 3
    paged = _follow(client, f"/v1/entities?limit=2{include}", json_schema)
    assert paged == whole["entities"]
    first = client.get(f"/v1/entities?limit=2{include}").get_json()
    query = parse_qs(urlsplit(first["next"]).query)
    assert query["limit"] == ["2"] and "cursor" in query
    assert query.get("include") == (["reported"] if include else None)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("limit=0", "limit"),
        ("limit=-3", "limit"),
        ("limit=many", "limit"),
        ("limit=99999", "limit"),
        ("limit=2&limit=3", "limit"),
        ("cursor=garbage", "cursor"),
        ("cursor=", "cursor"),
        ("sort=desc", "sort"),
    ],
)
def test_bad_paging_input(client: Any, query: str, message: str) -> None:
    response = client.get(f"/v1/entities?{query}")
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"
    assert message in response.get_json()["detail"]


def test_a_cursor_of_another_include_is_refused(client: Any) -> None:
    first = client.get("/v1/entities?limit=1&include=reported").get_json()
    cursor = parse_qs(urlsplit(first["next"]).query)["cursor"][0]
    response = client.get(f"/v1/entities?limit=1&cursor={cursor}")
    assert response.status_code == 400 and response.mimetype == "application/problem+json"
    assert "another include" in response.get_json()["detail"]
