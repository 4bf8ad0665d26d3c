"""Documents in: ``.txt`` files (id = file stem), ``.html`` pages and ``.json`` documents with metadata.

One marshmallow schema, :class:`DocumentInputSchema`, says what a document may carry; the CLI (files)
and the HTTP API (JSON bodies, or a text/HTML body with metadata as query parameters) both validate
through :func:`document_from_mapping`, so a document is accepted or refused for the same reasons
everywhere, and the OpenAPI description is generated from the same schema.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, ClassVar

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema

from dateline.model import Document, Published

METADATA_FIELDS = ("id", "title", "publisher", "author", "url", "published")
DOCUMENT_FIELDS = (*METADATA_FIELDS, "text", "html")
ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._~-]{0,127}$"
_ID = re.compile(ID_PATTERN)
#: file suffixes read as documents
SUFFIXES = (".txt", ".json", ".html", ".htm")
#: a publication date may be "tomorrow" in UTC: the easternmost time zone is UTC+14
_TZ_AHEAD = timedelta(hours=14)


class DocumentError(ValueError):
    """A document that cannot be read; the message says why, for the user.

    ``errors`` maps each offending field to its messages (empty when the problem is not one field's).
    """

    def __init__(self, message: str, errors: Mapping[str, list[str]] | None = None) -> None:
        super().__init__(message)
        self.errors: dict[str, list[str]] = dict(errors or {})


class DocumentTooLargeError(DocumentError):
    """The text exceeds the configured limit (HTTP 413)."""


def valid_id(doc_id: str) -> bool:
    """Ids travel in URLs: letters, digits and ``. _ ~ -`` only, no path characters."""
    return bool(_ID.match(doc_id))


def content_id(text: str) -> str:
    """The id of a document given without one: the same text always gets the same id."""
    return "doc-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def latest_publication_day(now: datetime | None = None) -> date:
    """The latest date a real publication can bear now, wherever it was published."""
    return ((now or datetime.now(UTC)) + _TZ_AHEAD).date()


def _not_blank(value: str) -> None:
    if not value.strip():
        raise ValidationError("must not be empty or only white space")


def _not_in_future(value: date) -> None:
    latest = latest_publication_day()
    if value > latest:
        raise ValidationError(f"lies in the future ({value.isoformat()} is after {latest.isoformat()})")


class DocumentInputSchema(Schema):
    """A document to ingest or extract: ``text`` or ``html``, with optional metadata.

    Metadata given here wins over what is detected later (from the HTML page or the text).
    """

    class Meta:
        unknown = RAISE

    #: the JSON Schema (OpenAPI) form of the text-or-html rule
    json_schema_extra: ClassVar[dict[str, Any]] = {"oneOf": [{"required": ["text"]}, {"required": ["html"]}]}

    id = fields.String(
        validate=validate.Regexp(
            ID_PATTERN, error="must be 1-128 letters, digits, '.', '_', '~' or '-' (no path characters)"
        ),
        metadata={"description": "stable id (default: derived from the text)", "pattern": ID_PATTERN},
    )
    title = fields.String(allow_none=True, validate=validate.Length(max=1000))
    publisher = fields.String(allow_none=True, validate=validate.Length(max=500))
    author = fields.String(allow_none=True, validate=validate.Length(max=500))
    url = fields.String(allow_none=True, validate=validate.Length(max=2048))
    published = fields.Date(
        allow_none=True,
        error_messages={"invalid": "is not a date: use YYYY-MM-DD"},
        validate=_not_in_future,
        metadata={"description": "publication date, YYYY-MM-DD (not in the future)"},
    )
    text = fields.String(validate=_not_blank, metadata={"description": "the article as plain text"})
    html = fields.String(
        validate=_not_blank,
        metadata={"description": "the article as an HTML page; its main text is extracted and kept"},
    )

    @validates_schema
    def _text_or_html(self, data: dict[str, Any], **_: Any) -> None:
        if ("text" in data) == ("html" in data):
            raise ValidationError("give exactly one of 'text' or 'html'", field_name="text")


class DocumentMetadataSchema(DocumentInputSchema):
    """The metadata of a text/plain or text/html body, given as query parameters."""

    class Meta:
        unknown = RAISE
        exclude = ("text", "html")

    json_schema_extra: ClassVar[dict[str, Any]] = {}

    @validates_schema
    def _text_or_html(self, data: dict[str, Any], **_: Any) -> None:
        """The body is the text: nothing to check here."""


_INPUT = DocumentInputSchema()
_METADATA = DocumentMetadataSchema()


def _message(errors: Mapping[str, Any]) -> str:
    parts = []
    for name, messages in sorted(errors.items()):
        flat = messages if isinstance(messages, list) else [messages]
        text = "; ".join(str(m) for m in flat)
        parts.append(f"'{name}': {text}" if name != "_schema" else text)
    return "; ".join(parts)


def _errors(exc: ValidationError) -> dict[str, list[str]]:
    raw = exc.messages if isinstance(exc.messages, dict) else {"_schema": exc.messages}
    return {k: [str(m) for m in (v if isinstance(v, list) else [v])] for k, v in raw.items()}


def validate_input(data: Any, *, metadata_only: bool = False) -> dict[str, Any]:
    """The checked fields of ``data`` (a JSON object, or query parameters with ``metadata_only``)."""
    if not isinstance(data, Mapping):
        raise DocumentError(f"a document must be a JSON object, not {_json_kind(data)}")
    try:
        loaded: dict[str, Any] = (_METADATA if metadata_only else _INPUT).load(dict(data))
    except ValidationError as exc:
        errors = _errors(exc)
        expected = METADATA_FIELDS if metadata_only else DOCUMENT_FIELDS
        for key, messages in errors.items():
            errors[key] = [
                f"unknown field; expected one of {', '.join(expected)}"
                if m == "Unknown field."
                else "must be a string"
                if m == "Not a valid string."
                else m
                for m in messages
            ]
        raise DocumentError(_message(errors), errors) from None
    return loaded


def _json_kind(value: Any) -> str:
    kinds = {list: "an array", str: "a string", bool: "a boolean", type(None): "null"}
    for kind, name in kinds.items():
        if isinstance(value, kind):
            return name
    return "a number" if isinstance(value, int | float) else type(value).__name__


def build_document(fields_: Mapping[str, Any], *, default_id: str | None = None, max_chars: int) -> Document:
    """A Document from validated fields: HTML read through trafilatura, the size limit enforced."""
    published = fields_.get("published")
    given = Published(published, "given") if published is not None else Published(None, "unknown")
    title, publisher, author = fields_.get("title"), fields_.get("publisher"), fields_.get("author")
    if "html" in fields_:
        from dateline.webpage import WebPageError, read_page

        try:
            page = read_page(fields_["html"], url=fields_.get("url"))
        except WebPageError as exc:
            raise DocumentError(str(exc), {"html": [str(exc)]}) from None
        text = page.text
        title, publisher, author = title or page.title, publisher or page.site, author or page.author
        if given.value is None and page.published is not None and page.published <= latest_publication_day():
            given = Published(page.published, "stated")
    else:
        text = fields_["text"]
    if len(text) > max_chars:
        raise DocumentTooLargeError(
            f"the text has {len(text):,} characters; the limit is {max_chars:,} (DATELINE_MAX_TEXT_CHARS)",
            {"text": ["too long"]},
        )
    return Document(
        id=fields_.get("id") or default_id or content_id(text),
        text=text,
        title=title,
        publisher=publisher,
        url=fields_.get("url"),
        published=given,
        author=author,
    )


def document_from_mapping(
    data: Any, default_id: str | None = None, *, max_chars: int = 1_000_000
) -> Document:
    """A document from JSON-like data; metadata given here wins over anything detected later."""
    return build_document(validate_input(data), default_id=default_id, max_chars=max_chars)


def load_file(path: Path, *, max_chars: int = 1_000_000) -> Document:
    """One document file: .json (a document object), .html/.htm (a page), else plain UTF-8 text."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DocumentError(f"cannot read {path}: {exc.strerror}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise DocumentError(f"{path} is not UTF-8 text") from None
    suffix = path.suffix.lower()
    if suffix == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise DocumentError(f"{path}: invalid JSON ({exc.msg} at line {exc.lineno})") from None
        mapping = data
    elif suffix in (".html", ".htm"):
        mapping = {"html": text}
    else:
        if not text.strip():
            raise DocumentError(f"{path} is empty")
        mapping = {"text": text}
    try:
        return document_from_mapping(
            mapping, default_id=path.stem if valid_id(path.stem) else None, max_chars=max_chars
        )
    except DocumentError as exc:
        raise type(exc)(f"{path}: {exc}", exc.errors) from None


def iter_paths(paths: Iterable[str | Path]) -> list[Path]:
    """The document files named by ``paths``: files as given, folders expanded (.txt, .json, .html)."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out.extend(sorted(f for f in p.iterdir() if f.is_file() and f.suffix.lower() in SUFFIXES))
        elif p.is_file():
            out.append(p)
        else:
            raise DocumentError(f"no such file or folder: {p}")
    return out


def load_documents(paths: Iterable[str | Path], *, max_chars: int = 1_000_000) -> list[Document]:
    docs = [load_file(p, max_chars=max_chars) for p in iter_paths(paths)]
    seen: set[str] = set()
    for d in docs:
        if d.id in seen:
            raise DocumentError(f"two documents have the id {d.id!r}")
        seen.add(d.id)
    return docs


__all__ = [
    "DOCUMENT_FIELDS",
    "DocumentError",
    "DocumentInputSchema",
    "DocumentMetadataSchema",
    "DocumentTooLargeError",
    "build_document",
    "content_id",
    "document_from_mapping",
    "load_documents",
    "load_file",
    "valid_id",
    "validate_input",
]
