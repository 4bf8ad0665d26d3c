"""Reading the timeline: filters (checked against an independent filter over the full JSON), cursor
pagination, actors, conditional requests (ETag, 304), Cache-Control, CORS, request ids, metrics, and
the OpenAPI description and Swagger UI."""

from __future__ import annotations

import importlib
import inspect
import json
import logging
import pkgutil
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest

from dateline import api
from dateline.api import openapi_document
from dateline.api.docs import documented_routes, openapi_path
from dateline.model import PRECISIONS
from dateline.views.openapi import JsonBody, Operation, Route, build_openapi, is_declared, operation_of

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def everything(app: Any) -> list[dict[str, Any]]:
    body = app.test_client().get("/v1/timeline?limit=5000").get_json()
    assert body["next"] is None and len(body["events"]) >= 5
    events: list[dict[str, Any]] = body["events"]
    return events


def ids(events: list[dict[str, Any]]) -> list[str]:
    return [e["id"] for e in events]


def overlaps(event: dict[str, Any], first: date, last: date) -> bool:
    return (
        date.fromisoformat(event["date"]["start"]) <= last
        and date.fromisoformat(event["date"]["end"]) >= first
    )


FILTERS: list[tuple[str, Callable[[dict[str, Any]], bool]]] = [
    ("from=2024", lambda e: date.fromisoformat(e["date"]["end"]) >= date(2024, 1, 1)),
    ("to=2023-12", lambda e: date.fromisoformat(e["date"]["start"]) <= date(2023, 12, 31)),
    ("from=2024-06&to=2024-06", lambda e: overlaps(e, date(2024, 6, 1), date(2024, 6, 30))),
    ("from=2024-06-19&to=2024-06-19", lambda e: overlaps(e, date(2024, 6, 19), date(2024, 6, 19))),
    ("actor=Russia", lambda e: "Russia" in e["actors"]),
    ("actor=Moscow", lambda e: "Russia" in e["actors"]),  # an alias
    ("actor=the%20Kremlin", lambda e: "Russia" in e["actors"]),
    ("actor=north%20korea", lambda e: "North Korea" in e["actors"]),  # case does not matter
    ("actor=Russia&actor=Ukraine", lambda e: bool({"Russia", "Ukraine"} & set(e["actors"]))),
    ("type=visit", lambda e: e["type"] == "visit"),
    ("type=visit&type=agreement", lambda e: e["type"] in ("visit", "agreement")),
    ("document=tiny-pyongyang", lambda e: any(s["document_id"] == "tiny-pyongyang" for s in e["sources"])),
    ("q=treaty", lambda e: "treaty" in (e["title"] + " ".join(s["quote"] for s in e["sources"])).lower()),
    ("min_sources=2", lambda e: e["source_count"] >= 2),
    ("precision=day", lambda e: e["date"]["precision"] == "day"),
    ("precision=month", lambda e: PRECISIONS.index(e["date"]["precision"]) <= PRECISIONS.index("month")),
    (
        "from=2024&actor=Russia&type=visit",
        lambda e: (
            e["type"] == "visit"
            and "Russia" in e["actors"]
            and date.fromisoformat(e["date"]["end"]) >= date(2024, 1, 1)
        ),
    ),
    ("actor=Nobody%20Known", lambda e: False),
]


@pytest.mark.parametrize(("query", "expected"), FILTERS, ids=[q for q, _ in FILTERS])
def test_filters(client: Any, everything: list[dict[str, Any]], query: str, expected: Any) -> None:
    body = client.get(f"/v1/timeline?{query}&limit=5000").get_json()
    assert ids(body["events"]) == ids([e for e in everything if expected(e)])
    assert body["count"] == len(body["events"])


def test_at_least_some_filters_select_something(client: Any) -> None:
    """The filter table is not vacuous on the seed data."""
    for query in ("actor=Moscow", "type=visit", "min_sources=2", "from=2024&to=2024", "q=treaty"):
        assert client.get(f"/v1/timeline?{query}").get_json()["events"], query


def test_sort_desc_reverses(client: Any, everything: list[dict[str, Any]]) -> None:
    body = client.get("/v1/timeline?sort=desc&limit=5000").get_json()
    assert ids(body["events"]) == ids(everything)[::-1]


@pytest.mark.parametrize(("query", "limit"), [("", 1), ("", 3), ("sort=desc&", 4), ("actor=Russia&", 2)])
def test_pages_add_up_to_the_whole(client: Any, query: str, limit: int) -> None:
    whole = ids(client.get(f"/v1/timeline?{query}limit=5000").get_json()["events"])
    seen: list[str] = []
    url: str | None = f"/v1/timeline?{query}limit={limit}"
    pages = 0
    while url is not None:
        response = client.get(url)
        body = response.get_json()
        assert len(body["events"]) <= limit
        seen.extend(ids(body["events"]))
        if body["next"] is None:
            assert "Link" not in response.headers
        else:
            assert response.headers["Link"] == f'<{body["next"]}>; rel="next"'
        url = body["next"]
        pages += 1
    assert seen == whole
    assert pages == max(1, -(-len(whole) // limit))


def test_a_cursor_survives_a_write_between_pages(fresh_client: Any, articles: dict[str, Any]) -> None:
    """Keyset paging: an ingest between two pages neither repeats nor skips an event that was there."""
    first, second, *_ = articles.values()
    fresh_client.post("/v1/documents", json=first)
    before = ids(fresh_client.get("/v1/timeline?limit=5000").get_json()["events"])
    page = fresh_client.get("/v1/timeline?limit=2").get_json()
    fresh_client.post("/v1/documents", json=second)
    rest = []
    url = page["next"]
    while url:
        body = fresh_client.get(url).get_json()
        rest.extend(ids(body["events"]))
        url = body["next"]
    served = ids(page["events"]) + rest
    assert len(served) == len(set(served)), "no event twice"
    assert set(before) <= set(served), "no event skipped"


def test_a_cursor_only_fits_its_own_query(client: Any) -> None:
    cursor = dict(parse_qsl(urlsplit(client.get("/v1/timeline?limit=1").get_json()["next"]).query))["cursor"]
    response = client.get(f"/v1/timeline?limit=1&type=visit&cursor={cursor}")
    assert response.status_code == 400
    assert "other filters" in response.get_json()["detail"]
    assert client.get(f"/v1/timeline?limit=1&cursor={cursor}").status_code == 200


def test_actors_list_aliases_and_counts(
    client: Any, everything: list[dict[str, Any]], json_schema: Any
) -> None:
    body = client.get("/v1/actors").get_json()
    assert body["count"] == len(body["actors"]) > 0
    by_name = {a["name"]: a for a in body["actors"]}
    assert "Moscow" in by_name["Russia"]["aliases"]
    assert by_name["Russia"]["kind"] == "country"
    for actor in body["actors"]:
        assert actor["event_count"] == sum(1 for e in everything if actor["name"] in e["actors"])
    counts = [a["event_count"] for a in body["actors"]]
    assert counts == sorted(counts, reverse=True)


def test_the_actor_filter_takes_every_alias_the_actors_list_gives(
    client: Any, everything: list[dict[str, Any]]
) -> None:
    """``actor=<alias>`` for each alias /v1/actors lists selects exactly the events of that actor."""
    for actor in client.get("/v1/actors").get_json()["actors"]:
        expected = {e["id"] for e in everything if actor["name"] in e["actors"]}
        for alias in actor["aliases"]:
            got = client.get("/v1/timeline", query_string={"actor": alias}).get_json()["events"]
            assert expected <= {e["id"] for e in got}, (actor["name"], alias)


# --- conditional requests and caching -------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/v1/timeline",
        "/v1/timeline?format=csv",
        "/v1/documents",
        "/v1/actors",
        "/v1/documents/tiny-pyongyang",
    ],
)
def test_etag_and_304(client: Any, url: str) -> None:
    first = client.get(url)
    tag = first.headers["ETag"]
    assert re.fullmatch(r'"[0-9a-f]{32}"', tag), "a strong validator"
    assert first.headers["Cache-Control"] in ("no-cache",) or "max-age" in first.headers["Cache-Control"]
    assert client.get(url).headers["ETag"] == tag
    cached = client.get(url, headers={"If-None-Match": tag})
    assert cached.status_code == 304 and cached.get_data() == b""
    assert cached.headers["ETag"] == tag
    assert client.get(url, headers={"If-None-Match": '"something-else"'}).status_code == 200


def test_etags_differ_by_query_and_change_with_writes(fresh_client: Any) -> None:
    fresh_client.post("/v1/documents", json={"text": "Vladimir Putin visited Pyongyang on 19 June 2024."})
    a = fresh_client.get("/v1/timeline").headers["ETag"]
    assert fresh_client.get("/v1/timeline?format=vis").headers["ETag"] != a
    assert fresh_client.get("/v1/timeline?sort=desc").headers["ETag"] != a
    fresh_client.post(
        "/v1/documents", json={"text": "Kim Jong Un met Vladimir Putin in Moscow on 3 May 2024."}
    )
    b = fresh_client.get("/v1/timeline")
    assert b.headers["ETag"] != a
    assert fresh_client.get("/v1/timeline", headers={"If-None-Match": a}).status_code == 200


def test_cache_max_age_is_configurable(make_app: Callable[..., Any]) -> None:
    client = make_app(cache_max_age=60).test_client()
    assert client.get("/v1/timeline").headers["Cache-Control"] == "public, max-age=60, must-revalidate"


# --- CORS, request ids, logs, metrics -------------------------------------------------------------


def test_cors_for_configured_origins(make_app: Callable[..., Any]) -> None:
    client = make_app(cors_origins=("https://news.example",)).test_client()
    allowed = client.get("/v1/timeline", headers={"Origin": "https://news.example"})
    assert allowed.headers["Access-Control-Allow-Origin"] == "https://news.example"
    exposed = {h.strip() for h in allowed.headers["Access-Control-Expose-Headers"].split(",")}
    assert {"ETag", "Link"} <= exposed
    preflight = client.options(
        "/v1/documents",
        headers={
            "Origin": "https://news.example",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "Content-Type",
        },
    )
    assert preflight.status_code == 200
    assert "POST" in preflight.headers["Access-Control-Allow-Methods"]
    other = client.get("/v1/timeline", headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in other.headers


def test_no_cors_headers_by_default(client: Any) -> None:
    response = client.get("/v1/timeline", headers={"Origin": "https://news.example"})
    assert "Access-Control-Allow-Origin" not in response.headers


@pytest.mark.parametrize(
    ("sent", "kept"),
    [("client-id-42", True), ("a" * 129, False), ("bad id with spaces", False), (None, False)],
)
def test_request_id_in_and_out(client: Any, sent: str | None, kept: bool) -> None:
    headers = {"X-Request-ID": sent} if sent is not None else {}
    returned = client.get("/healthz", headers=headers).headers["X-Request-ID"]
    if kept:
        assert returned == sent
    else:
        assert re.fullmatch(r"[0-9a-f]{32}", returned)


def test_log_lines_carry_the_request_id(client: Any, caplog: pytest.LogCaptureFixture) -> None:
    from dateline.logs import JsonFormatter

    with caplog.at_level(logging.INFO, logger="dateline.access"):
        client.get("/v1/actors", headers={"X-Request-ID": "trace-me-1"})
    [record] = [r for r in caplog.records if r.name == "dateline.access"]
    line = json.loads(JsonFormatter().format(record))
    assert line["request_id"] == "trace-me-1"
    assert (line["method"], line["path"], line["status"]) == ("GET", "/v1/actors", 200)
    assert line["level"] == "INFO" and "time" in line and line["duration_ms"] >= 0


def _sample(text: str, name: str, **labels: str) -> float:
    wanted = ",".join(f'{k}="{v}"' for k, v in labels.items())
    pattern = re.escape(name) + (r"\{" + re.escape(wanted) + r"\}" if labels else "") + r" ([0-9.e+-]+)$"
    match = re.search(pattern, text, re.M)
    return float(match.group(1)) if match else 0.0


def test_metrics_count_requests(client: Any) -> None:
    before = client.get("/metrics").get_data(as_text=True)
    for _ in range(3):
        client.get("/v1/actors")
    client.get("/v1/events/nope")
    response = client.get("/metrics")
    assert response.headers["Content-Type"].startswith("text/plain; version=0.0.4")
    after = response.get_data(as_text=True)
    labels = {"method": "GET", "route": "/v1/actors", "status": "200"}
    assert (
        _sample(after, "dateline_http_requests_total", **labels)
        - _sample(before, "dateline_http_requests_total", **labels)
        == 3
    )
    assert (
        _sample(
            after, "dateline_http_requests_total", method="GET", route="/v1/events/<event_id>", status="404"
        )
        >= 1
    )
    assert _sample(after, "dateline_store_documents") == 3
    assert (
        _sample(after, "dateline_store_events") == client.get("/v1/timeline?limit=5000").get_json()["count"]
    )
    assert "dateline_http_request_duration_seconds_bucket" in after


# --- OpenAPI and Swagger UI -----------------------------------------------------------------------


def test_served_openapi_is_the_committed_file(client: Any) -> None:
    committed = json.loads((ROOT / "schemas" / "openapi.json").read_text(encoding="utf-8"))
    assert client.get("/v1/openapi.json").get_json() == committed
    assert committed["openapi"].startswith("3.1")


#: Flask's own route to the app's static folder (the package's assets are served by the widget's routes)
FLASK_STATIC = "static"
#: the routes the description leaves out on purpose: the widget's page and assets, Swagger UI's assets
UNDOCUMENTED = {
    "widget.index",
    "widget.widget_js",
    "widget.widget_css",
    "widget.page_css",
    "docs.docs_init",
    "docs.docs_asset",
}


def test_openapi_documents_every_route(app: Any) -> None:
    """Each route of the app declares what the description makes of it; the documented ones are the
    description's operations, path and method, and no other route is left out."""
    spec = app.test_client().get("/v1/openapi.json").get_json()
    documented = {(path, method.upper()) for path, ops in spec["paths"].items() for method in ops}
    served: set[tuple[str, str]] = set()
    left_out: set[str] = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint == FLASK_STATIC:
            continue
        view = app.view_functions[rule.endpoint]
        assert is_declared(view), f"{rule.rule} ({rule.endpoint}): add an Operation, or @undocumented"
        if operation_of(view) is None:
            left_out.add(rule.endpoint)
            continue
        path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule)
        served.update((path, m) for m in rule.methods - {"HEAD", "OPTIONS"})
    assert documented == served
    assert left_out == UNDOCUMENTED


def test_every_declared_operation_is_routed(app: Any) -> None:
    """A view that declares an Operation but is not routed would vanish from the description."""
    routed = set(app.view_functions.values())
    declared = [
        f"{module.__name__}.{name}"
        for module in (
            importlib.import_module(m.name) for m in pkgutil.iter_modules(api.__path__, "dateline.api.")
        )
        for name, value in vars(module).items()
        if inspect.isfunction(value) and is_declared(value) and value not in routed
    ]
    assert declared == []
    ids = [op["operationId"] for ops in openapi_document()["paths"].values() for op in ops.values()]
    assert len(ids) == len(set(ids)) == len(routed) - len(UNDOCUMENTED) - 1  # less Flask's static


def test_openapi_paths_from_rules() -> None:
    assert openapi_path("/v1/documents/<doc_id>") == "/v1/documents/{doc_id}"
    assert openapi_path("/a/<int:n>/<string(length=2):code>") == "/a/{n}/{code}"


def _route(template: str, **declared: Any) -> Route:
    operation = Operation("op", tag="service", summary="s", responses={200: JsonBody("ok")}, **declared)
    return Route(template, "get", operation)


@pytest.mark.parametrize(
    ("route", "error"),
    [
        (_route("/v1/things", path={"thing_id": "^x$"}), "no path parameter"),
        (Route("/v1/x", "get", Operation("op", tag="nope", summary="s", responses={})), "not among"),
    ],
)
def test_openapi_refuses_declarations_that_do_not_fit(route: Route, error: str) -> None:
    with pytest.raises(ValueError, match=error):
        build_openapi([route])


def test_openapi_refuses_two_operations_for_one_method() -> None:
    with pytest.raises(ValueError, match="two operations"):
        build_openapi([_route("/v1/x"), _route("/v1/x")])


def test_openapi_path_parameters_from_the_route() -> None:
    spec = build_openapi([_route("/v1/a/{first}/b/{second}", path={"second": "^[0-9]+$"})])
    assert spec["paths"]["/v1/a/{first}/b/{second}"]["get"]["parameters"] == [
        {"name": "first", "in": "path", "required": True, "schema": {"type": "string"}},
        {
            "name": "second",
            "in": "path",
            "required": True,
            "schema": {"type": "string", "pattern": "^[0-9]+$"},
        },
    ]


def test_one_operation_per_method() -> None:
    from flask import Flask

    app = Flask(__name__)
    view = _route("/x").operation(lambda: "")
    app.add_url_rule("/x", "x", view, methods=["GET", "POST"])
    with pytest.raises(ValueError, match="one Operation describes one method"):
        documented_routes(app)


def test_openapi_schemas_are_valid_json_schema() -> None:
    from jsonschema import Draft202012Validator

    spec = json.loads((ROOT / "schemas" / "openapi.json").read_text(encoding="utf-8"))
    for name, schema in spec["components"]["schemas"].items():
        Draft202012Validator.check_schema(schema)
        assert schema.get("type") == "object" or "anyOf" in schema or "oneOf" in schema, name


def test_swagger_ui_is_served_from_local_assets(client: Any) -> None:
    page = client.get("/docs")
    assert page.status_code == 200 and page.mimetype == "text/html"
    html = page.get_data(as_text=True)
    urls = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert urls and all(u.startswith("/") for u in urls), "no CDN: every asset from this service"
    assert "/v1/openapi.json" in html
    for url in urls:
        asset = client.get(url)
        assert asset.status_code == 200, url
        assert len(asset.get_data()) > 0
    assert b"SwaggerUIBundle" in client.get("/docs/swagger-ui-bundle.js").get_data()
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]
