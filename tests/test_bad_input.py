"""Every bad input gets a clear problem (status, type, a detail that names the culprit), and none of
them stores anything. One app with small limits, so each limit is reached with small requests."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest

PROBLEM = "application/problem+json"
TYPE = "tag:dateline,2025:problem:"
MAX_TEXT = 400
MAX_BYTES = 20_000
MAX_BATCH = 2
TEXT = "Vladimir Putin visited Pyongyang on 19 June 2024."


@dataclass(frozen=True)
class Bad:
    """A request, and the problem it must get: status, type slug (None: about:blank), a detail
    fragment, and (for invalid fields or parameters) the key expected in ``errors``. ``transfer``
    says how the body travels: with a Content-Length, streamed without one as a chunked body is
    (``chunked``), or streamed and broken part way (``broken``, as a malformed chunk size is)."""

    name: str
    method: str
    url: str
    status: int
    slug: str | None
    needle: str
    body: Any = None
    content_type: str | None = "application/json"
    error_key: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    transfer: str = "length"


def js(value: Any) -> bytes:
    return json.dumps(value).encode("utf-8")


class BrokenStream(io.BytesIO):
    """A body stream that fails part way, as the server's chunked decoder does on a bad chunk."""

    def read(self, size: int | None = -1) -> bytes:
        raise RuntimeError("Invalid chunk size: b'zz'")

    def readinto(self, buffer: Any) -> int:
        raise RuntimeError("Invalid chunk size: b'zz'")


def nested(depth: int) -> bytes:
    return b'{"text": "a", "title": ' + b"[" * depth + b"]" * depth + b"}"


CASES = [
    Bad(
        "empty text",
        "POST",
        "/v1/documents",
        422,
        "invalid-document",
        "empty",
        js({"text": ""}),
        error_key="text",
    ),
    Bad(
        "white space text",
        "POST",
        "/v1/documents",
        422,
        "invalid-document",
        "white space",
        js({"text": " \n\t "}),
        error_key="text",
    ),
    Bad(
        "white space text/plain",
        "POST",
        "/v1/documents",
        422,
        "invalid-document",
        "empty",
        b"   \n ",
        "text/plain",
        error_key="text",
    ),
    Bad(
        "text over the limit",
        "POST",
        "/v1/documents",
        413,
        "document-too-large",
        f"{MAX_TEXT}",
        js({"text": "word " * MAX_TEXT}),
        error_key="text",
    ),
    Bad(
        "body over the limit",
        "POST",
        "/v1/documents",
        413,
        "request-too-large",
        f"{MAX_BYTES:,}",
        b"x" * (MAX_BYTES + 1),
        "text/plain",
    ),
    Bad("invalid JSON", "POST", "/v1/documents", 400, "invalid-json", "line 1", b'{"text": "unfinished'),
    Bad("NaN in JSON", "POST", "/v1/documents", 400, "invalid-json", "NaN", b'{"text": "a", "title": NaN}'),
    Bad("empty JSON body", "POST", "/v1/documents", 400, "invalid-json", "empty", b""),
    Bad(
        "unknown field",
        "POST",
        "/v1/documents",
        422,
        "invalid-document",
        "colour",
        js({"text": TEXT, "colour": "red"}),
        error_key="colour",
    ),
    Bad(
        "text not a string",
        "POST",
        "/v1/documents",
        422,
        "invalid-document",
        "string",
        js({"text": 42}),
        error_key="text",
    ),
    Bad(
        "title not a string",
        "POST",
        "/v1/documents",
        422,
        "invalid-document",
        "title",
        js({"text": TEXT, "title": ["a"]}),
        error_key="title",
    ),
    Bad(
        "document not an object",
        "POST",
        "/v1/documents",
        422,
        "invalid-document",
        "not a list",
        js([{"text": TEXT}]),
    ),
    Bad(
        "published not a date",
        "POST",
        "/v1/documents",
        422,
        "invalid-document",
        "YYYY-MM-DD",
        js({"text": TEXT, "published": "last Tuesday"}),
        error_key="published",
    ),
    Bad(
        "published impossible day",
        "POST",
        "/v1/documents",
        422,
        "invalid-document",
        "published",
        js({"text": TEXT, "published": "2024-02-30"}),
        error_key="published",
    ),
    Bad(
        "published in the future",
        "POST",
        "/v1/documents",
        422,
        "invalid-document",
        "future",
        js({"text": TEXT, "published": "2999-01-01"}),
        error_key="published",
    ),
    Bad(
        "published in the future (query)",
        "POST",
        "/v1/documents?published=2999-01-01",
        422,
        "invalid-document",
        "future",
        TEXT.encode(),
        "text/plain",
        error_key="published",
    ),
    Bad(
        "bad parameter overridden by the body",
        "POST",
        "/v1/documents?published=someday",
        422,
        "invalid-document",
        "YYYY-MM-DD",
        js({"text": TEXT, "published": None}),
        error_key="published",
    ),
    Bad(
        "non-UTF-8 text",
        "POST",
        "/v1/documents",
        400,
        "invalid-encoding",
        "0xe9",
        "Café on 19 June 2024".encode("latin-1"),
        "text/plain",
    ),
    Bad(
        "non-UTF-8 JSON",
        "POST",
        "/v1/documents",
        400,
        "invalid-encoding",
        "UTF-8",
        '{"text": "Café"}'.encode("latin-1"),
    ),
    Bad(
        "declared charset not UTF-8",
        "POST",
        "/v1/documents",
        415,
        "unsupported-media-type",
        "latin-1",
        TEXT.encode(),
        "text/plain; charset=latin-1",
    ),
    Bad(
        "HTML with no text",
        "POST",
        "/v1/documents",
        422,
        "invalid-document",
        "no article text",
        b"<html><head><title>x</title></head><body><nav></nav></body></html>",
        "text/html",
        error_key="html",
    ),
    Bad(
        "both text and html",
        "POST",
        "/v1/documents",
        422,
        "invalid-document",
        "exactly one",
        js({"text": TEXT, "html": "<p>x</p>"}),
        error_key="text",
    ),
    Bad(
        "neither text nor html",
        "POST",
        "/v1/documents",
        422,
        "invalid-document",
        "exactly one",
        js({"title": "no body"}),
        error_key="text",
    ),
    Bad(
        "wrong Content-Type",
        "POST",
        "/v1/documents",
        415,
        "unsupported-media-type",
        "application/xml",
        b"<doc>x</doc>",
        "application/xml",
    ),
    Bad(
        "no Content-Type",
        "POST",
        "/v1/documents",
        415,
        "unsupported-media-type",
        "Content-Type",
        TEXT.encode(),
        None,
    ),
    Bad(
        "id with path characters",
        "POST",
        "/v1/documents",
        422,
        "invalid-document",
        "path characters",
        js({"id": "../../etc/passwd", "text": TEXT}),
        error_key="id",
    ),
    Bad("id with path characters (URL)", "DELETE", "/v1/documents/..%2F..%2Fetc", 404, None, "No resource"),
    Bad("id not stored", "DELETE", "/v1/documents/nothing-here", 404, None, "nothing-here"),
    Bad(
        "unknown metadata parameter",
        "POST",
        "/v1/documents?colour=red",
        400,
        "invalid-parameter",
        "colour",
        TEXT.encode(),
        "text/plain",
        error_key="colour",
    ),
    Bad(
        "unknown format",
        "GET",
        "/v1/timeline?format=pdf",
        400,
        "invalid-parameter",
        "format",
        error_key="format",
    ),
    Bad(
        "unknown format (extract)",
        "POST",
        "/v1/extract?format=xml",
        400,
        "invalid-parameter",
        "format",
        js({"text": TEXT}),
        error_key="format",
    ),
    Bad(
        "from after to",
        "GET",
        "/v1/timeline?from=2025-03&to=2024",
        400,
        "invalid-parameter",
        "after",
        error_key="from",
    ),
    Bad(
        "from not a date", "GET", "/v1/timeline?from=June", 400, "invalid-parameter", "YYYY", error_key="from"
    ),
    Bad(
        "from impossible month",
        "GET",
        "/v1/timeline?from=2024-13",
        400,
        "invalid-parameter",
        "real date",
        error_key="from",
    ),
    Bad(
        "bad cursor",
        "GET",
        "/v1/timeline?cursor=not-a-cursor",
        400,
        "invalid-parameter",
        "cursor",
        error_key="cursor",
    ),
    Bad("limit zero", "GET", "/v1/timeline?limit=0", 400, "invalid-parameter", "limit", error_key="limit"),
    Bad(
        "limit too large",
        "GET",
        "/v1/timeline?limit=5001",
        400,
        "invalid-parameter",
        "limit",
        error_key="limit",
    ),
    Bad(
        "limit not a number",
        "GET",
        "/v1/timeline?limit=ten",
        400,
        "invalid-parameter",
        "integer",
        error_key="limit",
    ),
    Bad(
        "limit given twice",
        "GET",
        "/v1/timeline?limit=1&limit=2",
        400,
        "invalid-parameter",
        "more than once",
        error_key="limit",
    ),
    Bad("unknown type", "GET", "/v1/timeline?type=party", 400, "invalid-parameter", "type", error_key="type"),
    Bad(
        "unknown precision",
        "GET",
        "/v1/timeline?precision=fortnight",
        400,
        "invalid-parameter",
        "precision",
        error_key="precision",
    ),
    Bad(
        "min_sources zero",
        "GET",
        "/v1/timeline?min_sources=0",
        400,
        "invalid-parameter",
        "min_sources",
        error_key="min_sources",
    ),
    Bad(
        "misspelt parameter",
        "GET",
        "/v1/timeline?acter=Russia",
        400,
        "invalid-parameter",
        "acter",
        error_key="acter",
    ),
    Bad(
        "list over the batch limit",
        "POST",
        "/v1/extract",
        413,
        "batch-too-large",
        f"limit is {MAX_BATCH}",
        js([{"text": f"{TEXT} #{i}"} for i in range(MAX_BATCH + 1)]),
    ),
    Bad("empty list", "POST", "/v1/extract", 422, "invalid-document", "empty", js([])),
    Bad("list of non-objects", "POST", "/v1/extract", 422, "invalid-document", "document 0", js([1, 2])),
    Bad(
        "bad document in a list",
        "POST",
        "/v1/extract",
        422,
        "invalid-document",
        "document 1",
        js([{"text": TEXT}, {"text": ""}]),
        error_key="1.text",
    ),
    Bad(
        "duplicate ids in a list",
        "POST",
        "/v1/extract",
        422,
        "invalid-document",
        "same id",
        js([{"id": "a", "text": TEXT}, {"id": "a", "text": TEXT + " Again."}]),
    ),
    Bad(
        "parameter on a read without any",
        "GET",
        "/v1/documents?page=2",
        400,
        "invalid-parameter",
        "page",
        error_key="page",
    ),
    Bad("unknown route", "GET", "/v2/timeline", 404, None, "Available"),
    Bad("wrong method", "PUT", "/v1/timeline", 405, None, "GET"),
    Bad("unknown method", "BREW", "/v1/timeline", 405, None, "BREW"),
    # issue 11: no 500 from input
    Bad(
        "JSON nested past the limit", "POST", "/v1/documents", 400, "invalid-json", "levels deep", nested(40)
    ),
    Bad(
        "JSON nested past the parser's stack",
        "POST",
        "/v1/extract",
        400,
        "invalid-json",
        "levels deep",
        b"[" * 9000 + b"]" * 9000,
    ),
    Bad(
        "lone surrogate in the text",
        "POST",
        "/v1/documents",
        422,
        "invalid-document",
        "surrogate",
        b'{"text": "Talks began on 3 May 2024 \\ud800."}',
        error_key="text",
    ),
    Bad(
        "lone surrogate in the title",
        "POST",
        "/v1/extract",
        422,
        "invalid-document",
        "U+DC00",
        b'{"text": "Talks began on 3 May 2024.", "title": "a\\udc00"}',
        error_key="title",
    ),
    Bad(
        "lone surrogate in a field name",
        "POST",
        "/v1/documents",
        422,
        "invalid-document",
        "surrogate",
        b'{"text": "Talks began on 3 May 2024.", "\\ud83d": "x"}',
        error_key="\\ud83d",
    ),
    Bad(
        "lone surrogate in a list",
        "POST",
        "/v1/extract",
        422,
        "invalid-document",
        "document 1",
        b'[{"text": "Talks began."}, {"text": "x", "author": ["\\ud800"]}]',
        error_key="1.author",
    ),
    Bad(
        "NUL in the text",
        "POST",
        "/v1/documents",
        422,
        "invalid-document",
        "NUL",
        js({"text": "Talks began\u0000 on 3 May 2024."}),
        error_key="text",
    ),
    Bad(
        "NUL in a text/plain body",
        "POST",
        "/v1/documents",
        422,
        "invalid-document",
        "NUL",
        b"Talks began\x00 on 3 May 2024.",
        "text/plain",
        error_key="text",
    ),
    Bad(
        "NUL in a metadata parameter",
        "POST",
        "/v1/documents?publisher=Wire%00",
        422,
        "invalid-document",
        "NUL",
        TEXT.encode(),
        "text/plain",
        error_key="publisher",
    ),
    Bad(
        "id with a trailing newline",
        "POST",
        "/v1/documents",
        422,
        "invalid-document",
        "path characters",
        js({"id": "nl2\n", "text": TEXT}),
        error_key="id",
    ),
    Bad(
        "id with a trailing newline (query)",
        "POST",
        "/v1/documents?id=nl2%0A",
        422,
        "invalid-document",
        "path characters",
        TEXT.encode(),
        "text/plain",
        error_key="id",
    ),
    Bad("id with a trailing newline (URL)", "DELETE", "/v1/documents/nl2%0A", 404, None, "nl2"),
    Bad(
        "javascript: URL",
        "POST",
        "/v1/documents",
        422,
        "invalid-document",
        "https://",
        js({"text": TEXT, "url": "javascript:alert(1)"}),
        error_key="url",
    ),
    Bad(
        "URL of another scheme (query)",
        "POST",
        "/v1/documents?url=file:///etc/passwd",
        422,
        "invalid-document",
        "http://",
        TEXT.encode(),
        "text/plain",
        error_key="url",
    ),
    Bad(
        "URL without a host",
        "POST",
        "/v1/extract",
        422,
        "invalid-document",
        "host",
        js({"text": TEXT, "url": "https:///path"}),
        error_key="url",
    ),
    Bad(
        "chunked body over the limit",
        "POST",
        "/v1/documents",
        413,
        "request-too-large",
        f"{MAX_BYTES:,}",
        b"x" * (MAX_BYTES * 3),
        "text/plain",
        transfer="chunked",
    ),
    Bad(
        "chunked body one byte over the limit",
        "POST",
        "/v1/extract",
        413,
        "request-too-large",
        f"{MAX_BYTES:,}",
        js({"text": "x" * MAX_BYTES}),
        transfer="chunked",
    ),
    Bad(
        "malformed chunked body",
        "POST",
        "/v1/documents",
        400,
        "malformed-body",
        "chunked",
        js({"text": TEXT}),
        transfer="broken",
    ),
    Bad(
        "request line too long",
        "GET",
        "/v1/timeline?actor=" + "x" * 5000,
        414,
        None,
        "4,096",
    ),
    Bad(
        "too many header fields",
        "GET",
        "/v1/timeline",
        431,
        None,
        "header fields",
        headers={f"X-Filler-{i}": "x" for i in range(80)},
    ),
    Bad(
        "header field too long",
        "GET",
        "/v1/timeline",
        431,
        None,
        "X-Filler",
        headers={"X-Filler": "x" * 9000},
    ),
]


@pytest.fixture(scope="module")
def strict_app(tmp_path_factory: pytest.TempPathFactory, extractor: Any) -> Any:
    from dateline.api import create_app
    from dateline.settings import Settings

    settings = Settings(
        store_path=tmp_path_factory.mktemp("bad") / "store.sqlite3",
        seed_path="",
        max_text_chars=MAX_TEXT,
        max_request_bytes=MAX_BYTES,
        max_batch=MAX_BATCH,
        write_rate_limit="",  # the table sends many writes from one client; 429 is test_auth.py's
    )
    return create_app({"TESTING": True, "DATELINE": settings, "DATELINE_EXTRACTOR": extractor})


def test_the_table_is_broad() -> None:
    assert len(CASES) >= 20
    assert len({c.name for c in CASES}) == len(CASES)
    assert {c.status for c in CASES} >= {400, 404, 405, 413, 414, 415, 422, 431}


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_input_gets_a_clear_problem(
    strict_app: Any, json_schema: Callable[[str], Any], case: Bad
) -> None:
    store = strict_app.extensions["dateline"].store
    before = (store.revision(), store.count())
    headers = dict(case.headers)
    if case.content_type is not None:
        headers["Content-Type"] = case.content_type
    if case.transfer == "length":
        body: dict[str, Any] = {"data": case.body}
    else:  # no Content-Length: the server terminates the stream (what gunicorn does for chunked)
        stream = io.BytesIO(case.body) if case.transfer == "chunked" else BrokenStream(case.body)
        body = {"input_stream": stream, "environ_overrides": {"wsgi.input_terminated": True}}
    response = strict_app.test_client().open(case.url, method=case.method, headers=headers, **body)

    assert response.status_code == case.status, response.get_data(as_text=True)
    assert response.mimetype == PROBLEM
    problem = response.get_json()
    json_schema("problem.schema.json").validate(problem)
    assert problem["status"] == case.status
    assert problem["type"] == (TYPE + case.slug if case.slug else "about:blank")
    assert case.needle in problem["detail"], problem["detail"]
    assert problem["instance"] == response.request.path
    if case.error_key is not None:
        assert case.error_key in problem["errors"], problem
    assert response.headers["Cache-Control"] == "no-store"
    assert (store.revision(), store.count()) == before, "a refused request stores nothing"
