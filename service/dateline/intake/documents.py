"""Documents in: ``.txt`` files, ``.html`` pages and ``.json`` documents with metadata; a file's id is its
path below the folder given (its name, given itself) without suffix.

One marshmallow schema, :class:`DocumentInputSchema`, says what a document may carry; the CLI (files)
and the HTTP API (JSON bodies, or a text/HTML body with metadata as query parameters) both validate
through :func:`document_from_mapping`, so a document is accepted or refused for the same reasons
everywhere, and the OpenAPI description is generated from the same schema.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, ClassVar, NamedTuple

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema

from dateline.intake.duplicates import CopyIndex, TextPrint, url_key
from dateline.model import Document, Published
from dateline.pubdates import PublishedDateError, latest_publication_day, publication_day

METADATA_FIELDS = ("id", "title", "publisher", "author", "url", "published")
DOCUMENT_FIELDS = (*METADATA_FIELDS, "text", "html")
ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._~-]{0,127}$"
#: the pattern matched whole: ``$`` would also match before a trailing newline ("nl2\n")
_ID = re.compile(ID_PATTERN.removeprefix("^").removesuffix("$") + r"\Z")
#: a document's URL is a web address: http or https with a host (no javascript:, data:, file:)
URL_PATTERN = r"^[Hh][Tt][Tt][Pp][Ss]?://[^\s/?#]+(?:[/?#]\S*)?$"
_URL = re.compile(URL_PATTERN.removeprefix("^").removesuffix("$") + r"\Z")
#: what no text may hold: NUL, or a lone UTF-16 surrogate (JSON can spell one as "\ud800", UTF-8
#: cannot encode it)
_NOT_TEXT = re.compile("[\x00\ud800-\udfff]")
#: file suffixes read as documents
SUFFIXES = (".txt", ".json", ".html", ".htm")
#: joins the folders of a file's path below the folder given into its id (``world/index.html`` ->
#: ``world~index``): ``~`` is allowed in ids and almost never in file names
ID_PATH_SEPARATOR = "~"


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
    return bool(_ID.fullmatch(doc_id))


def content_id(text: str) -> str:
    """The id of a document given without one: the same text always gets the same id."""
    return "doc-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _not_blank(value: str) -> None:
    if not value.strip():
        raise ValidationError("must not be empty or only white space")


class PublishedField(fields.String):
    """A publication date as feeds send it (see :mod:`dateline.pubdates`), loaded as the day it names
    in its own time zone; refused when unreadable or in the future. A string on the wire; ``date`` and
    ``datetime`` objects are taken too (library callers)."""

    # a string in the schema (and its JSON Schema), a date once loaded
    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> date:  # type: ignore[override]
        if not isinstance(value, str | date):
            raise ValidationError("must be a string")
        try:
            return publication_day(value, datetime.now(UTC))
        except PublishedDateError as exc:
            raise ValidationError(str(exc)) from None


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
            _ID, error="must be 1-128 letters, digits, '.', '_', '~' or '-' (no path characters)"
        ),
        metadata={"description": "stable id (default: derived from the text)", "pattern": ID_PATTERN},
    )
    title = fields.String(allow_none=True, validate=validate.Length(max=1000))
    publisher = fields.String(allow_none=True, validate=validate.Length(max=500))
    author = fields.String(allow_none=True, validate=validate.Length(max=500))
    url = fields.String(
        allow_none=True,
        validate=[
            validate.Length(max=2048),
            validate.Regexp(_URL, error="must be an http:// or https:// URL with a host"),
        ],
        metadata={"description": "the article's web address (http or https)", "pattern": URL_PATTERN},
    )
    published = PublishedField(
        allow_none=True,
        metadata={
            "description": "publication date, not in the future: YYYY-MM-DD, an ISO 8601 date-time with "
            "or without offset (2024-05-03T10:00:00Z), RFC 2822 (Fri, 03 May 2024 10:00:00 GMT) or a "
            "written date in English (May 3, 2024; 3 May 2024 10:00; 2024/05/03), at most 100 "
            "characters; kept as the day in the date's own time zone"
        },
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


def _visible(text: str) -> str:
    """``text`` with what it may not hold spelt as escapes, safe to show in a message."""
    return _NOT_TEXT.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _not_text_errors(data: Mapping[Any, Any]) -> dict[str, list[str]]:
    """The fields whose name or (nested) string values hold a NUL or a lone surrogate."""
    errors: dict[str, list[str]] = {}
    for key, value in data.items():
        stack, found = [key, value], None
        while stack and found is None:
            item = stack.pop()
            if isinstance(item, str):
                found = _NOT_TEXT.search(item)
            elif isinstance(item, Mapping):
                stack.extend(item.keys())
                stack.extend(item.values())
            elif isinstance(item, list):
                stack.extend(item)
        if found is not None:
            char = found.group()
            what = "a NUL character (U+0000)" if char == "\x00" else f"a lone surrogate (U+{ord(char):04X})"
            errors[_visible(str(key))] = [f"contains {what}, which is not text"]
    return errors


def validate_input(data: Any, *, metadata_only: bool = False) -> dict[str, Any]:
    """The checked fields of ``data`` (a JSON object, or query parameters with ``metadata_only``)."""
    if not isinstance(data, Mapping):
        raise DocumentError(f"a document must be a JSON object, not {_json_kind(data)}")
    not_text = _not_text_errors(data)
    if not_text:
        raise DocumentError(_message(not_text), not_text)
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
    url, canonical = fields_.get("url"), None
    if "html" in fields_:
        from dateline.intake.webpage import WebPageError, read_page

        try:
            page = read_page(fields_["html"], url=fields_.get("url"))
        except WebPageError as exc:
            raise DocumentError(str(exc), {"html": [str(exc)]}) from None
        text = page.text
        title, publisher, author = title or page.title, publisher or page.site, author or page.author
        if given.value is None and page.published is not None and page.published <= latest_publication_day():
            given = Published(page.published, "stated")
        if page.canonical_url is not None and _URL.fullmatch(page.canonical_url):
            # the page's own address: the document's url when none was given, else one more address
            # the report is recognised by (see dateline.intake.duplicates)
            url, canonical = url or page.canonical_url, page.canonical_url
            canonical = None if url_key(canonical) == url_key(url) else canonical
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
        url=url,
        published=given,
        author=author,
        canonical_url=canonical,
    )


def document_from_mapping(
    data: Any, default_id: str | None = None, *, max_chars: int = 1_000_000
) -> Document:
    """A document from JSON-like data; metadata given here wins over anything detected later."""
    return build_document(validate_input(data), default_id=default_id, max_chars=max_chars)


def load_file(path: Path, *, max_chars: int = 1_000_000, folder: Path | None = None) -> Document:
    """One document file: .json (a document object), .html/.htm (a page), else plain UTF-8 text.

    Its id is the one a .json file states, else its path below ``folder`` (the folder it was found in,
    see :func:`path_id`; without one, its name) without suffix, else (no valid id) derived from the text.
    """
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
            mapping,
            default_id=DocumentFile(path, folder).default_id,
            max_chars=max_chars,
        )
    except DocumentError as exc:
        raise type(exc)(f"{path}: {exc}", exc.errors) from None


class DocumentFile(NamedTuple):
    """A document file, and the folder given that it was found in (None: the file was given itself)."""

    path: Path
    folder: Path | None = None

    @property
    def default_id(self) -> str | None:
        """The id it gets unless its content states one: see :func:`path_id`."""
        return path_id(self.path.relative_to(self.folder) if self.folder else Path(self.path.name))


def path_id(relative: Path) -> str | None:
    """The id of a file from its path below the folder given, without suffix (``world/index.html`` ->
    ``world~index``), so equal names in different folders do not collide; None when that is no valid
    id (the id then comes from the text)."""
    candidate = ID_PATH_SEPARATOR.join(relative.with_suffix("").parts)
    return candidate if valid_id(candidate) else None


def _folder_files(folder: Path, *, recursive: bool) -> list[DocumentFile]:
    """The document files of ``folder`` (and its subfolders), by path; hidden files and folders (names
    starting with ``.``) are skipped and links to folders are not followed."""
    found: list[Path] = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith(".")] if recursive else []
        base = Path(root)
        found.extend(
            base / f
            for f in files
            if not f.startswith(".") and Path(f).suffix.lower() in SUFFIXES and (base / f).is_file()
        )
    found.sort(key=lambda f: f.relative_to(folder).parts)
    return [DocumentFile(f, folder) for f in found]


def iter_paths(paths: Iterable[str | Path], *, recursive: bool = True) -> list[DocumentFile]:
    """The document files named by ``paths``: a file as given (id: its name without suffix, as it always
    was), a folder expanded to its .txt, .json and .html files, its subfolders too unless not
    ``recursive`` (id: the path below that folder)."""
    out: list[DocumentFile] = []
    for p in map(Path, paths):
        if p.is_dir():
            out.extend(_folder_files(p, recursive=recursive))
        elif p.is_file():
            out.append(DocumentFile(p, None))
        else:
            raise DocumentError(f"no such file or folder: {p}")
    unique: dict[Path, DocumentFile] = {}  # a file named twice (itself and through its folder): once
    for f in out:
        unique.setdefault(f.path.resolve(), f)
    return list(unique.values())


class IdRegistry:
    """The documents read so far, one per report: a copy of an earlier document (same text, address
    or near-identical text, see :mod:`dateline.intake.duplicates`) is folded into it, and a second
    document under one id is refused by name."""

    def __init__(self) -> None:
        self._where: dict[str, str] = {}
        self._copies = CopyIndex()

    def claim(self, doc: Document, where: str) -> bool:
        """Note ``doc`` (read from ``where``): True when it is a new report, False when it is a copy
        of one read before, now recorded on that one (``also_at``) and to be left out. A
        DocumentError if another document has its id."""
        text = TextPrint.of(doc.text)
        found = self._copies.find(doc, text)
        if found is not None:
            self._copies.record(found, doc)
            return False
        first = self._where.get(doc.id)
        if first is not None:
            raise DocumentError(f"{where}: another document has the id {doc.id!r} ({first})")
        self._where[doc.id] = where
        self._copies.add(doc, text)
        return True


def load_documents(
    paths: Iterable[str | Path], *, max_chars: int = 1_000_000, recursive: bool = True
) -> list[Document]:
    """Every document under ``paths`` (see :func:`iter_paths`); a DocumentError for the first file that
    cannot be read or repeats an id."""
    ids = IdRegistry()
    docs = []
    for file in iter_paths(paths, recursive=recursive):
        doc = load_file(file.path, max_chars=max_chars, folder=file.folder)
        if ids.claim(doc, str(file.path)):
            docs.append(doc)
    return docs


__all__ = [
    "DOCUMENT_FIELDS",
    "DocumentError",
    "DocumentFile",
    "DocumentInputSchema",
    "DocumentMetadataSchema",
    "DocumentTooLargeError",
    "IdRegistry",
    "PublishedField",
    "build_document",
    "content_id",
    "document_from_mapping",
    "iter_paths",
    "latest_publication_day",
    "load_documents",
    "load_file",
    "valid_id",
    "validate_input",
]
