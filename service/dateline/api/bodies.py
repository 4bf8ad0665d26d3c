"""Documents out of request bodies: a JSON document (or list), a text/plain or a text/html body.

Every way a body can be wrong gets its own problem: no or another Content-Type (415), a broken
chunked encoding (400), a body over the limit, streamed or not (413), bytes that are not UTF-8 (400),
malformed or too deeply nested JSON (400), a list where one document is expected or too many
documents (422, 413), two documents of a list under one id that are not copies of one report (422),
and fields that fail :class:`dateline.intake.documents.DocumentInputSchema` (422, naming the field
and, in a list, the position). Query parameters are checked too: a misspelt one is an error, not
silently ignored. A list keeps one document per report: a copy of an earlier one is folded into it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from flask import request
from marshmallow import Schema, ValidationError, fields
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from dateline.api.errors import ApiProblem
from dateline.intake.documents import (
    METADATA_FIELDS,
    DocumentError,
    IdRegistry,
    build_document,
    validate_input,
)
from dateline.model import Document
from dateline.views.query import QueryError

#: deepest nesting of arrays and objects a JSON body may have: a list of documents is 2 levels
MAX_JSON_DEPTH = 32
JSON_TYPES = ("application/json",)
TEXT_TYPES = ("text/plain", "text/html")
ACCEPTED_TYPES = (*JSON_TYPES, *TEXT_TYPES)


def _is_json(mimetype: str) -> bool:
    return mimetype in JSON_TYPES or (mimetype.startswith("application/") and mimetype.endswith("+json"))


def body_text() -> str:
    """The request body as text: it must be UTF-8 (a declared charset must say so)."""
    charset = request.mimetype_params.get("charset")
    if charset is not None and charset.lower().replace("-", "").replace("_", "") != "utf8":
        raise ApiProblem("unsupported-media-type", f"Only UTF-8 bodies are accepted, not charset={charset}.")
    raw = body_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ApiProblem(
            "invalid-encoding",
            f"The body is not UTF-8: byte 0x{raw[exc.start]:02x} at offset {exc.start} cannot be decoded.",
        ) from None
    return text.removeprefix("\ufeff")


def body_bytes() -> bytes:
    """The request body. A streamed (chunked) body has no Content-Length to refuse it by, and
    werkzeug stops reading it at the limit: a body that goes on past the limit is refused (413), not
    cut short; one whose chunked encoding is broken is a 400, whatever the server raises for it."""
    try:
        raw = request.get_data(cache=True)
        limit = request.max_content_length
        streamed = limit is not None and request.content_length is None and len(raw) >= limit
        if streamed and request.environ["wsgi.input"].read(1):
            raise RequestEntityTooLarge()
    except HTTPException as exc:
        if isinstance(exc, RequestEntityTooLarge):
            raise
        raise _malformed(exc) from None
    except Exception as exc:  # the server's parser: gunicorn raises InvalidChunkSize and its kind
        raise _malformed(exc) from None
    return raw


def _malformed(exc: BaseException) -> ApiProblem:
    return ApiProblem(
        "malformed-body",
        f"The body could not be read ({type(exc).__name__}): check its Transfer-Encoding: chunked framing "
        "(or send a Content-Length).",
    )


def _depth_over(data: Any, limit: int) -> bool:
    """Whether arrays and objects nest deeper than ``limit`` in ``data`` (no recursion)."""
    stack = [(data, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            item = list(item.values())
        if isinstance(item, list):
            if depth > limit:
                return True
            stack.extend((child, depth + 1) for child in item if isinstance(child, dict | list))
    return False


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def body_json() -> Any:
    text = body_text()
    if not text.strip():
        raise ApiProblem("invalid-json", "The body is empty; send a JSON document.")
    too_deep = ApiProblem(
        "invalid-json", f"The body nests arrays and objects more than {MAX_JSON_DEPTH} levels deep."
    )
    try:
        data = json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise ApiProblem(
            "invalid-json", f"The body is not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})."
        ) from None
    except ValueError as exc:
        raise ApiProblem("invalid-json", f"The body is not valid JSON: {exc}.") from None
    except RecursionError:  # deeper than the parser's stack allows: far beyond the limit
        raise too_deep from None
    if _depth_over(data, MAX_JSON_DEPTH):
        raise too_deep
    return data


def query_parameters(allowed: Iterable[str], *, lists: Iterable[str] = ()) -> dict[str, Any]:
    """The query string as a dict; an unknown or repeated (non-list) parameter is a QueryError."""
    allowed = set(allowed)
    lists = set(lists)
    out: dict[str, Any] = {}
    for name in request.args:
        values = request.args.getlist(name)
        if name not in allowed:
            expected = ", ".join(sorted(allowed)) or "none"
            raise QueryError(name, f"unknown parameter; this endpoint takes {expected}")
        if name in lists:
            out[name] = values
        elif len(values) > 1:
            raise QueryError(name, "given more than once")
        else:
            out[name] = values[0]
    return out


def load_parameters(schema: Schema, *, extra: Iterable[str] = ()) -> dict[str, Any]:
    """Query parameters checked by ``schema`` (plus ``extra`` names passed through unchecked)."""
    names = {f.data_key or n for n, f in schema.fields.items()}
    lists = {f.data_key or n for n, f in schema.fields.items() if isinstance(f, fields.List)}
    raw = query_parameters(names | set(extra), lists=lists)
    checked = {k: v for k, v in raw.items() if k in names}
    try:
        loaded: dict[str, Any] = schema.load(checked)
    except ValidationError as exc:
        messages = exc.messages if isinstance(exc.messages, dict) else {"_query": exc.messages}
        name, problem = next(iter(sorted(messages.items())))
        text = "; ".join(str(m) for m in _flatten(problem))
        raise QueryError(name, text) from None
    if "from_" in loaded:
        loaded["from"] = loaded.pop("from_")
    return loaded | {k: v for k, v in raw.items() if k not in names}


def _flatten(messages: Any) -> list[str]:
    if isinstance(messages, Mapping):
        return [m for v in messages.values() for m in _flatten(v)]
    if isinstance(messages, list):
        return [m for v in messages for m in _flatten(v)]
    return [str(messages)]


def read_documents(*, many: bool, max_batch: int, max_chars: int, query: Mapping[str, Any]) -> list[Document]:
    """The documents of the request body. ``query`` holds the metadata query parameters: the
    metadata of a text/plain or text/html body, defaults for the documents of a JSON body."""
    mimetype = request.mimetype
    if not mimetype:
        raise ApiProblem(
            "unsupported-media-type",
            f"Say what the body is with a Content-Type header: one of {', '.join(ACCEPTED_TYPES)}.",
        )
    metadata = {k: v for k, v in query.items() if k in METADATA_FIELDS}
    if metadata:
        validate_input(metadata, metadata_only=True)  # checked even where a document overrides it
    if _is_json(mimetype):
        data = body_json()
        items = data if isinstance(data, list) else [data]
        # query parameters give defaults: what a document object says wins
        items = [{**metadata, **item} if isinstance(item, Mapping) else item for item in items]
        if isinstance(data, list) and not many:
            raise DocumentError("send one document (a JSON object), not a list", {"_document": ["a list"]})
        if not items:
            raise DocumentError("the list is empty: send at least one document", {"_document": ["empty"]})
        if len(items) > max_batch:
            raise ApiProblem(
                "batch-too-large",
                f"{len(items)} documents in one request; the limit is {max_batch} (DATELINE_MAX_BATCH).",
            )
    elif mimetype in TEXT_TYPES:
        field = "text" if mimetype == "text/plain" else "html"
        items = [{**metadata, field: body_text()}]
    else:
        raise ApiProblem(
            "unsupported-media-type",
            f"Content-Type {mimetype} is not accepted here; send one of {', '.join(ACCEPTED_TYPES)}.",
        )
    documents = []
    for index, item in enumerate(items):
        try:
            fields_ = validate_input(item)
            documents.append(build_document(fields_, max_chars=max_chars))
        except DocumentError as exc:
            if len(items) == 1:
                raise
            errors = {f"{index}.{k}": v for k, v in exc.errors.items()}
            raise type(exc)(f"document {index}: {exc}", errors) from None
    # one per report: a copy of an earlier document of the list is folded into it (also_at)
    reports = IdRegistry()
    kept = []
    for index, doc in enumerate(documents):
        try:
            if reports.claim(doc, f"document {index}"):
                kept.append(doc)
        except DocumentError:
            first = next(i for i, d in enumerate(documents) if d.id == doc.id)
            raise DocumentError(
                f"documents {first} and {index} have the same id {doc.id!r} and are not copies of one "
                "report; give them different ids",
                {f"{index}.id": ["duplicate"]},
            ) from None
    return kept
