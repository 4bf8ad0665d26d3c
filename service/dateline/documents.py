"""Documents in: ``.txt`` files (id = file stem) and ``.json`` documents with optional metadata."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from datetime import date
from pathlib import Path
from typing import Any

from dateline.model import Document, Published

DOCUMENT_FIELDS = ("id", "title", "publisher", "url", "published", "text")
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._~-]{0,127}$")


class DocumentError(ValueError):
    """A document that cannot be read; the message says why, for the user."""


def valid_id(doc_id: str) -> bool:
    """Ids travel in URLs: letters, digits and ``. _ ~ -`` only, no path characters."""
    return bool(_ID.match(doc_id))


def parse_published(value: Any, *, field: str = "published") -> date:
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        raise DocumentError(f"'{field}' must be an ISO date string (YYYY-MM-DD), not {type(value).__name__}")
    try:
        return date.fromisoformat(value.strip()[:10])
    except ValueError:
        raise DocumentError(f"'{field}' is not an ISO date (YYYY-MM-DD): {value!r}") from None


def document_from_mapping(data: Mapping[str, Any], default_id: str | None = None) -> Document:
    """A document from JSON-like data; metadata given here wins over anything detected later."""
    if not isinstance(data, Mapping):
        raise DocumentError("a document must be a JSON object")
    unknown = sorted(set(data) - set(DOCUMENT_FIELDS))
    if unknown:
        raise DocumentError(f"unknown field(s): {', '.join(unknown)}; expected {', '.join(DOCUMENT_FIELDS)}")
    text = data.get("text")
    if not isinstance(text, str):
        raise DocumentError("'text' is required and must be a string")
    if not text.strip():
        raise DocumentError("'text' is empty")
    doc_id = data.get("id", default_id)
    if not isinstance(doc_id, str) or not valid_id(doc_id):
        raise DocumentError(
            f"'id' must be 1-128 characters of letters, digits, '.', '_', '~' or '-': {doc_id!r}"
        )
    for key in ("title", "publisher", "url"):
        if data.get(key) is not None and not isinstance(data[key], str):
            raise DocumentError(f"'{key}' must be a string")
    published = Published(None, "unknown")
    if data.get("published") is not None:
        published = Published(parse_published(data["published"]), "given")
    return Document(
        id=doc_id,
        text=text,
        title=data.get("title"),
        publisher=data.get("publisher"),
        url=data.get("url"),
        published=published,
    )


def load_file(path: Path) -> Document:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DocumentError(f"cannot read {path}: {exc.strerror}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise DocumentError(f"{path} is not UTF-8 text") from None
    if path.suffix.lower() == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise DocumentError(f"{path}: invalid JSON ({exc.msg} at line {exc.lineno})") from None
        try:
            return document_from_mapping(data, default_id=path.stem)
        except DocumentError as exc:
            raise DocumentError(f"{path}: {exc}") from None
    if not text.strip():
        raise DocumentError(f"{path} is empty")
    if not valid_id(path.stem):
        raise DocumentError(f"{path}: the file name is not a valid document id")
    return Document(id=path.stem, text=text)


def iter_paths(paths: Iterable[str | Path]) -> list[Path]:
    """The document files named by ``paths``: files as given, folders expanded (``.txt``, ``.json``)."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out.extend(
                sorted(f for f in p.iterdir() if f.is_file() and f.suffix.lower() in (".txt", ".json"))
            )
        elif p.is_file():
            out.append(p)
        else:
            raise DocumentError(f"no such file or folder: {p}")
    return out


def load_documents(paths: Iterable[str | Path]) -> list[Document]:
    docs = [load_file(p) for p in iter_paths(paths)]
    seen: set[str] = set()
    for d in docs:
        if d.id in seen:
            raise DocumentError(f"two documents have the id {d.id!r}")
        seen.add(d.id)
    return docs
