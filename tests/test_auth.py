"""Writes need a token when tokens are set, browsers on other origins cannot write, writes are rate
limited per client, reads stay public; on the in-process app (the real server: test_auth_server.py,
a real browser: test_csrf_browser.py)."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from dateline.api import openapi_document
from dateline.api.auth import is_loopback, unauthenticated_bind
from dateline.settings import Settings, SettingsError

TOKEN = "tok-3f6b2a9c1d7e4058b0aa"
OTHER_TOKEN = "tok-second-client-91c2"
TEXT = "Kim Jong Un met Vladimir Putin in Vladivostok on 13 September 2023, state media said."
KEPT = "Russia and North Korea signed a treaty in Pyongyang on 19 June 2024."
HTML = "<html><head><title>Summit</title></head><body><p>" + TEXT + "</p></body></html>"
PROBLEM = "application/problem+json"
TYPE = "tag:dateline,2025:problem:"


def digest(token: str) -> str:
    return "sha256:" + hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class Write:
    """One write of the API: how to send it and what it answers when allowed."""

    name: str
    method: str
    path: str
    kwargs: dict[str, Any]
    ok: int


WRITES = [
    Write("ingest json", "POST", "/v1/documents", {"json": {"id": "w-json", "text": TEXT}}, 201),
    Write(
        "ingest text/plain",
        "POST",
        "/v1/documents?id=w-plain",
        {"data": TEXT, "content_type": "text/plain"},
        201,
    ),
    Write(
        "ingest text/html",
        "POST",
        "/v1/documents?id=w-html",
        {"data": HTML, "content_type": "text/html"},
        201,
    ),
    Write("delete", "DELETE", "/v1/documents/kept", {}, 204),
    Write("extract json", "POST", "/v1/extract", {"json": [{"text": TEXT}]}, 200),
    Write("extract text/plain", "POST", "/v1/extract", {"data": TEXT, "content_type": "text/plain"}, 200),
]

#: (credential, Authorization header, expected status, problem type, WWW-Authenticate pattern)
CREDENTIALS = [
    ("none", None, 401, "unauthorized", r'^Bearer realm="dateline"$'),
    ("basic", "Basic dXNlcjpwYXNz", 401, "unauthorized", r'^Bearer realm="dateline"$'),
    ("empty bearer", "Bearer ", 401, "unauthorized", r'^Bearer realm="dateline"$'),
    (
        "wrong",
        "Bearer not-the-token",
        401,
        "invalid-token",
        r'^Bearer realm="dateline", error="invalid_token"',
    ),
    ("prefix", "Bearer " + TOKEN[:-1], 401, "invalid-token", r'error="invalid_token"'),
    ("right", "Bearer " + TOKEN, None, None, None),
    ("right, lower-case scheme", "bearer " + TOKEN, None, None, None),
]


def stored_ids(client: Any) -> set[str]:
    response = client.get("/v1/documents")
    assert response.status_code == 200
    return {d["id"] for d in response.get_json()["documents"]}


@pytest.fixture
def token_app(make_app: Callable[..., Any]) -> Any:
    """An app whose writes need TOKEN (or OTHER_TOKEN, given as a digest), holding one document."""
    app = make_app(api_tokens=(TOKEN, digest(OTHER_TOKEN)))
    client = app.test_client()
    response = client.post(
        "/v1/documents", json={"id": "kept", "text": KEPT}, headers={"Authorization": "Bearer " + TOKEN}
    )
    assert response.status_code == 201
    return app


@pytest.mark.parametrize("write", WRITES, ids=[w.name for w in WRITES])
@pytest.mark.parametrize(
    ("credential", "header", "status", "kind", "challenge"), CREDENTIALS, ids=[c[0] for c in CREDENTIALS]
)
def test_writes_need_the_token(
    token_app: Any,
    write: Write,
    credential: str,
    header: str | None,
    status: int | None,
    kind: str | None,
    challenge: str | None,
) -> None:
    client = token_app.test_client()
    headers = {"Authorization": header} if header is not None else {}
    response = client.open(write.path, method=write.method, headers=headers, **write.kwargs)
    if status is None:  # the right token
        assert response.status_code == write.ok, response.get_data(as_text=True)
        return
    assert response.status_code == status
    assert response.mimetype == PROBLEM
    body = response.get_json()
    assert body["type"] == TYPE + kind and body["status"] == status
    assert "DATELINE_API_TOKENS" in body["detail"]
    assert re.search(challenge or "", response.headers["WWW-Authenticate"])
    if kind == "unauthorized":
        assert "error=" not in response.headers["WWW-Authenticate"], "RFC 6750: no error code without a token"
    assert TOKEN not in response.get_data(as_text=True)
    assert stored_ids(client) == {"kept"}, "nothing stored, nothing deleted"


def test_every_token_is_accepted_and_only_digests_are_kept(make_app: Callable[..., Any]) -> None:
    app = make_app(api_tokens=(TOKEN, digest(OTHER_TOKEN)))
    settings = app.config["DATELINE"]
    assert settings.api_tokens == (digest(TOKEN), digest(OTHER_TOKEN))
    assert TOKEN not in repr(settings) and TOKEN not in str(app.config)
    client = app.test_client()
    for n, token in enumerate((TOKEN, OTHER_TOKEN)):
        response = client.post(
            "/v1/documents",
            json={"id": f"d{n}", "text": f"{TEXT} ({n})"},
            headers={"Authorization": f"Bearer {token}"},
        )
        assert response.status_code == 201
    # the digest itself is not a token
    response = client.post(
        "/v1/extract", json={"text": TEXT}, headers={"Authorization": f"Bearer {digest(TOKEN)}"}
    )
    assert response.status_code == 401


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("sha256:abc", "64 hexadecimal digits"),
        ("sha256:" + "g" * 64, "64 hexadecimal digits"),
        ("two words", "printable ASCII"),
        ("caf\u00e9-token", "printable ASCII"),
    ],
)
def test_bad_token_settings_are_refused_without_showing_them(raw: str, message: str) -> None:
    with pytest.raises(SettingsError, match=message) as info:
        Settings.from_env({"DATELINE_API_TOKENS": f"good-token,{raw}"})
    assert raw not in str(info.value) and "DATELINE_API_TOKENS" in str(info.value)


def test_tokens_from_the_environment() -> None:
    settings = Settings.from_env({"DATELINE_API_TOKENS": f" {TOKEN} , {digest(OTHER_TOKEN).upper()[7:]}"})
    assert settings.api_tokens[0] == digest(TOKEN)
    assert len(settings.api_tokens) == 2  # an upper-case hex string without the prefix is a plain token
    prehashed = Settings.from_env({"DATELINE_API_TOKENS": "SHA256:" + "A" * 64})
    assert prehashed.api_tokens[0].startswith("sha256:") and prehashed.api_tokens[0] != "sha256:" + "a" * 64
    assert Settings.from_env({"DATELINE_API_TOKENS": "sha256:" + "A" * 64}).api_tokens == (
        "sha256:" + "a" * 64,
    )
    assert Settings.from_env({"DATELINE_API_TOKENS": ""}).api_tokens == ()


READS = [
    ("GET", "/v1/timeline"),
    ("GET", "/v1/timeline?format=csv"),
    ("GET", "/v1/documents"),
    ("GET", "/v1/documents/kept"),
    ("GET", "/v1/actors"),
    ("HEAD", "/v1/timeline"),
    ("OPTIONS", "/v1/documents"),
    ("GET", "/v1/openapi.json"),
    ("GET", "/healthz"),
    ("GET", "/readyz"),
    ("GET", "/metrics"),
    ("GET", "/"),
    ("GET", "/widget.js"),
]


@pytest.mark.parametrize(("method", "path"), READS, ids=[f"{m} {p}" for m, p in READS])
def test_reads_stay_public(token_app: Any, method: str, path: str) -> None:
    response = token_app.test_client().open(path, method=method)
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert "WWW-Authenticate" not in response.headers


def test_unknown_routes_and_methods_keep_their_answers(token_app: Any) -> None:
    client = token_app.test_client()
    assert client.post("/v1/nowhere", json={}).status_code == 404
    response = client.put("/v1/timeline", json={})
    assert response.status_code == 405 and "Allow" in response.headers


def test_public_extract(make_app: Callable[..., Any]) -> None:
    client = make_app(api_tokens=(TOKEN,), public_extract=True).test_client()
    assert client.post("/v1/extract", json={"text": TEXT}).status_code == 200
    assert client.post("/v1/documents", json={"text": TEXT}).status_code == 401
    assert stored_ids(client) == set()


def test_without_tokens_writes_are_open(make_app: Callable[..., Any]) -> None:
    client = make_app().test_client()
    assert client.post("/v1/documents", json={"id": "open", "text": TEXT}).status_code == 201
    assert client.delete("/v1/documents/open").status_code == 204


# --- browsers on other origins ----------------------------------------------------------------------

#: (Origin or None, Sec-Fetch-Site or None, DATELINE_CORS_ORIGINS, allowed)
ORIGINS = [
    ("http://localhost", None, (), True),  # the test client's own origin
    ("http://LOCALHOST:80", None, (), True),  # the same, spelled otherwise
    (None, None, (), True),  # not a browser
    (None, "same-origin", (), True),
    (None, "none", (), True),  # typed in by the user
    ("http://evil.example", None, (), False),
    ("http://localhost:8001", None, (), False),  # another port is another origin
    ("https://localhost", None, (), False),  # another scheme too
    ("null", None, (), False),  # a sandboxed page or a file
    ("null", None, ("*",), False),
    ("not a url", None, (), False),
    (None, "cross-site", (), False),
    (None, "same-site", (), False),
    ("https://app.example", "cross-site", ("https://app.example",), True),
    ("https://APP.example:443", "cross-site", ("https://app.example",), True),
    ("https://evil.example", "cross-site", ("https://app.example",), False),
    ("https://evil.example", "cross-site", ("*",), True),  # "*" lets any site call the API
]


@pytest.mark.parametrize(("origin", "site", "cors", "allowed"), ORIGINS)
@pytest.mark.parametrize("tokens", [(), (TOKEN,)], ids=["no tokens", "tokens"])
def test_cross_origin_writes_are_refused(
    make_app: Callable[..., Any],
    origin: str | None,
    site: str | None,
    cors: tuple[str, ...],
    allowed: bool,
    tokens: tuple[str, ...],
) -> None:
    """A text/plain POST (a "simple" request: no preflight) from a page elsewhere stores nothing."""
    client = make_app(cors_origins=cors, api_tokens=tokens).test_client()
    headers = {"Authorization": f"Bearer {TOKEN}"} if tokens else {}
    if origin is not None:
        headers["Origin"] = origin
    if site is not None:
        headers["Sec-Fetch-Site"] = site
    response = client.post("/v1/documents?id=planted", data=TEXT, content_type="text/plain", headers=headers)
    if allowed:
        assert response.status_code == 201
        assert stored_ids(client) == {"planted"}
    else:
        assert response.status_code == 403
        assert response.mimetype == PROBLEM
        body = response.get_json()
        assert body["type"] == TYPE + "cross-origin-write"
        assert "DATELINE_CORS_ORIGINS" in body["detail"] or "Sec-Fetch-Site" in body["detail"]
        assert stored_ids(client) == set()
        assert client.delete("/v1/documents/planted", headers=headers).status_code == 403


@pytest.mark.parametrize(
    ("base", "tokens", "status"),
    [
        ("http://rebound.example:8000", (), 403),  # DNS rebinding: a page "on" the server's origin
        ("http://rebound.example:8000", (TOKEN,), 201),  # with tokens, the token decides
        ("http://127.0.0.1:8000", (), 201),
        ("http://[::1]:8000", (), 201),
        ("http://app.localhost:8000", (), 201),
    ],
)
def test_without_tokens_same_origin_writes_come_by_a_loopback_name(
    make_app: Callable[..., Any], base: str, tokens: tuple[str, ...], status: int
) -> None:
    client = make_app(api_tokens=tokens).test_client()
    headers = {"Origin": base, **({"Authorization": f"Bearer {TOKEN}"} if tokens else {})}
    response = client.post(
        "/v1/documents?id=rebound", data=TEXT, content_type="text/plain", headers=headers, base_url=base
    )
    assert response.status_code == status
    assert stored_ids(client) == (set() if status == 403 else {"rebound"})
    if status == 403:
        assert "loopback" in response.get_json()["detail"]
    # a client that is not a browser (no Origin) is not concerned
    without_origin = {k: v for k, v in headers.items() if k != "Origin"}
    assert (
        client.post("/v1/extract", json={"text": TEXT}, base_url=base, headers=without_origin).status_code
        == 200
    )


def test_a_form_post_from_another_site_stores_nothing(make_app: Callable[..., Any]) -> None:
    client = make_app().test_client()
    response = client.post(
        "/v1/documents?id=form",
        data="text=" + TEXT,
        content_type="text/plain",
        headers={
            "Origin": "http://attacker.test",
            "Sec-Fetch-Site": "cross-site",
            "Sec-Fetch-Mode": "navigate",
        },
    )
    assert response.status_code == 403
    assert stored_ids(client) == set()


def test_cors_preflight_allows_the_token_header_for_configured_origins(make_app: Callable[..., Any]) -> None:
    client = make_app(cors_origins=("https://app.example",), api_tokens=(TOKEN,)).test_client()
    preflight = {
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization, content-type",
    }
    response = client.options("/v1/documents", headers={"Origin": "https://app.example", **preflight})
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "https://app.example"
    allowed = {h.strip().lower() for h in response.headers["Access-Control-Allow-Headers"].split(",")}
    assert {"authorization", "content-type"} <= allowed
    refused = client.options("/v1/documents", headers={"Origin": "https://evil.example", **preflight})
    assert "Access-Control-Allow-Origin" not in refused.headers
    # the page can read the problem of a refused write, and its challenge
    response = client.post("/v1/documents", json={"text": TEXT}, headers={"Origin": "https://app.example"})
    assert response.status_code == 401
    exposed = {h.strip().lower() for h in response.headers["Access-Control-Expose-Headers"].split(",")}
    assert {"www-authenticate", "retry-after"} <= exposed


# --- rate limits --------------------------------------------------------------------------------------


def test_writes_are_rate_limited_per_client(make_app: Callable[..., Any]) -> None:
    client = make_app(write_rate_limit="3/minute").test_client()
    statuses = [
        client.post("/v1/documents", json={"id": f"r{n}", "text": f"{TEXT} ({n})"}).status_code
        for n in range(3)
    ]
    assert statuses == [201, 201, 201]
    response = client.post("/v1/documents", json={"id": "r3", "text": TEXT + " (3)"})
    assert response.status_code == 429
    assert response.mimetype == PROBLEM
    body = response.get_json()
    assert body["type"] == TYPE + "rate-limited" and "DATELINE_WRITE_RATE_LIMIT" in body["detail"]
    assert 1 <= int(response.headers["Retry-After"]) <= 60
    assert stored_ids(client) == {"r0", "r1", "r2"}
    # every kind of write counts; reads are not limited
    assert client.delete("/v1/documents/r0").status_code == 429
    assert client.post("/v1/extract", json={"text": TEXT}).status_code == 429
    for _ in range(10):
        assert client.get("/v1/timeline").status_code == 200
    # another client address has its own budget
    other = client.post("/v1/extract", json={"text": TEXT}, environ_base={"REMOTE_ADDR": "192.0.2.7"})
    assert other.status_code == 200


def test_rate_limits_are_keyed_by_token_and_guesses_spend_the_address_budget(
    make_app: Callable[..., Any],
) -> None:
    client = make_app(write_rate_limit="2/minute", api_tokens=(TOKEN, OTHER_TOKEN)).test_client()

    def extract(token: str | None) -> int:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return client.post("/v1/extract", json={"text": TEXT}, headers=headers).status_code

    assert [extract(TOKEN), extract(TOKEN), extract(TOKEN)] == [200, 200, 429]
    assert [extract(OTHER_TOKEN), extract(OTHER_TOKEN)] == [200, 200], "one budget per token"
    # wrong tokens are counted against the address, whatever token is guessed
    assert [extract("guess-1"), extract("guess-2"), extract("guess-3")] == [401, 401, 429]
    assert extract(None) == 429
    assert extract(OTHER_TOKEN) == 429


def test_proxy_hops_take_the_client_address_from_x_forwarded_for(make_app: Callable[..., Any]) -> None:
    def statuses(app: Any) -> list[int]:
        client = app.test_client()
        return [
            client.post(
                "/v1/extract", json={"text": TEXT}, headers={"X-Forwarded-For": f"198.51.100.{n}"}
            ).status_code
            for n in range(3)
        ]

    assert statuses(make_app(write_rate_limit="1/minute", proxy_hops=1)) == [200, 200, 200]
    # without a trusted proxy the header is the client's to make up, and ignored
    assert statuses(make_app(write_rate_limit="1/minute")) == [200, 429, 429]


def test_empty_rate_limit_disables_it(make_app: Callable[..., Any]) -> None:
    client = make_app(write_rate_limit="").test_client()
    assert {
        client.post("/v1/extract", json={"text": "On 3 May 2024 it rained."}).status_code for _ in range(70)
    } == {200}


def test_a_bad_rate_limit_stops_the_start(make_app: Callable[..., Any]) -> None:
    with pytest.raises(SettingsError, match="DATELINE_WRITE_RATE_LIMIT"):
        make_app(write_rate_limit="often")


def test_the_default_limits_writes() -> None:
    assert Settings().write_rate_limit == "60/minute"
    assert Settings.from_env({"DATELINE_WRITE_RATE_LIMIT": ""}).write_rate_limit == ""


# --- OpenAPI ------------------------------------------------------------------------------------------

WRITE_OPERATIONS = [("/v1/documents", "post"), ("/v1/documents/{doc_id}", "delete"), ("/v1/extract", "post")]


def test_openapi_describes_the_token_and_the_write_problems() -> None:
    spec = json.loads((Path(__file__).resolve().parents[1] / "schemas" / "openapi.json").read_text("utf-8"))
    scheme = spec["components"]["securitySchemes"]["bearerToken"]
    assert scheme["type"] == "http" and scheme["scheme"] == "bearer"
    for path, method in WRITE_OPERATIONS:
        op = spec["paths"][path][method]
        assert op["security"] == [{"bearerToken": []}, {}], "no tokens by default: the token is optional"
        assert {"401", "403", "429"} <= set(op["responses"])
    for path, ops in spec["paths"].items():
        for method, op in ops.items():
            if (path, method) not in WRITE_OPERATIONS:
                assert "security" not in op, f"{method} {path} is a read"
    responses = spec["components"]["responses"]
    assert "WWW-Authenticate" in responses["Problem401"]["headers"]
    assert "Retry-After" in responses["Problem429"]["headers"]


def test_served_openapi_follows_the_settings() -> None:
    required = openapi_document(Settings(api_tokens=(TOKEN,)))
    public_extract = openapi_document(Settings(api_tokens=(TOKEN,), public_extract=True))
    for path, method in WRITE_OPERATIONS:
        assert required["paths"][path][method]["security"] == [{"bearerToken": []}]
    assert public_extract["paths"]["/v1/extract"]["post"]["security"] == [{"bearerToken": []}, {}]
    assert public_extract["paths"]["/v1/documents"]["post"]["security"] == [{"bearerToken": []}]


# --- the start-up rule --------------------------------------------------------------------------------

ADDRESSES = [
    (("127.0.0.1", 8000), True),
    (("127.0.0.2", 8000), True),
    (("::1", 8000, 0, 0), True),
    (("localhost", 8000), True),
    ("/run/dateline.sock", True),  # a Unix socket
    (("0.0.0.0", 8000), False),
    (("::", 8000, 0, 0), False),
    (("192.0.2.10", 8000), False),
    (("10.1.2.3", 8000), False),
    (("no-such-host.invalid", 8000), False),
    (3, False),  # an inherited file descriptor, not known to be loopback
]


@pytest.mark.parametrize(("address", "loopback"), ADDRESSES, ids=[str(a) for a, _ in ADDRESSES])
def test_loopback_addresses(address: object, loopback: bool) -> None:
    assert is_loopback(address) is loopback


def test_unauthenticated_bind_rule() -> None:
    addresses = [("127.0.0.1", 8000), ("0.0.0.0", 8001)]
    assert unauthenticated_bind(addresses, Settings()) == [("0.0.0.0", 8001)]
    assert unauthenticated_bind(addresses, Settings(api_tokens=(TOKEN,))) == []
    assert unauthenticated_bind(addresses, Settings(allow_unauthenticated_bind=True)) == []
    assert unauthenticated_bind([("127.0.0.1", 8000)], Settings()) == []


def test_with_a_queue_the_counters_are_shared_in_redis(make_app: Callable[..., Any], redis_url: str) -> None:
    """Two app instances (two workers, or two machines) over the same Redis share one budget per client."""
    import redis

    redis.Redis.from_url(redis_url).flushdb()
    first, second = (
        make_app(write_rate_limit="2/minute", queue_url=redis_url).test_client() for _ in range(2)
    )
    assert first.post("/v1/extract", json={"text": TEXT}).status_code == 200
    assert second.post("/v1/extract", json={"text": TEXT}).status_code == 200
    assert second.post("/v1/extract", json={"text": TEXT}).status_code == 429
    assert first.post("/v1/extract", json={"text": TEXT}).status_code == 429
    redis.Redis.from_url(redis_url).flushdb()
