"""Document input: the one schema every path validates through, HTML pages read by trafilatura, and
document files (.txt, .json, .html) for the CLI."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from dateline.documents import (
    DocumentError,
    DocumentTooLargeError,
    content_id,
    document_from_mapping,
    latest_publication_day,
    load_documents,
    validate_input,
)
from dateline.webpage import WebPageError, read_page

PAGE = """<html><head><title>Quake hits Marenza | Daily Planet</title>
<meta name="author" content="Jane Roe"><meta property="og:site_name" content="Daily Planet">
<meta property="article:published_time" content="2025-03-04T10:00:00Z"></head>
<body><nav>Home | World | Sport</nav><article><h1>Quake hits Marenza</h1>
<p>An earthquake struck Marenza on 3 March 2025, killing at least twelve people.</p>
<p>Rescue teams arrived the next day.</p></article>
<footer>Copyright 2025 Daily Planet</footer></body></html>"""


def test_read_page_finds_text_and_metadata() -> None:
    page = read_page(PAGE)
    assert page.text.startswith("Quake hits Marenza\n\nAn earthquake struck Marenza on 3 March 2025")
    assert "Home" not in page.text and "Copyright" not in page.text
    assert (page.title, page.author, page.site, page.published) == (
        "Quake hits Marenza",
        "Jane Roe",
        "Daily Planet",
        date(2025, 3, 4),
    )


@pytest.mark.parametrize(
    "html",
    [
        "",
        "   ",
        "<html><body></body></html>",
        "<html><head><title>x</title></head><body><script>var a = 1;</script></body></html>",
    ],
)
def test_a_page_without_text_is_refused(html: str) -> None:
    with pytest.raises(WebPageError):
        read_page(html)


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"text": ""}, "text", "empty"),
        ({"text": "x", "extra": 1}, "extra", "unknown field"),
        ({"text": 1}, "text", "must be a string"),
        ({"text": "x", "published": "2024-13-01"}, "published", "YYYY-MM-DD"),
        ({"text": "x", "published": "9999-01-01"}, "published", "future"),
        ({"text": "x", "id": "a/b"}, "id", "path characters"),
        ({"text": "x", "id": ""}, "id", "path characters"),
        ({"text": "x", "html": "<p>y</p>"}, "text", "exactly one"),
        ({"url": "https://example.org"}, "text", "exactly one"),
        ({"text": "x", "title": "t" * 1001}, "title", "1000"),
    ],
)
def test_validation_names_the_field(data: dict[str, Any], field: str, message: str) -> None:
    with pytest.raises(DocumentError) as info:
        document_from_mapping(data)
    assert field in info.value.errors
    assert message in str(info.value)


def test_metadata_only_schema_rejects_body_fields_as_parameters() -> None:
    assert validate_input({"title": "T", "published": "2024-01-02"}, metadata_only=True) == {
        "title": "T",
        "published": date(2024, 1, 2),
    }
    with pytest.raises(DocumentError, match="unknown field"):
        validate_input({"text": "x"}, metadata_only=True)


def test_today_in_the_easternmost_zone_is_not_the_future() -> None:
    assert document_from_mapping({"text": "x", "published": latest_publication_day().isoformat()})


def test_the_size_limit_is_its_own_error() -> None:
    with pytest.raises(DocumentTooLargeError, match="limit is 10"):
        document_from_mapping({"text": "x" * 11}, max_chars=10)


def test_html_documents_keep_given_metadata_first() -> None:
    doc = document_from_mapping({"html": PAGE, "publisher": "Given", "id": "q1"})
    assert doc.text == read_page(PAGE).text
    assert (doc.id, doc.publisher, doc.title, doc.author) == ("q1", "Given", "Quake hits Marenza", "Jane Roe")
    assert doc.published.value == date(2025, 3, 4) and doc.published.basis == "stated"


def test_ids_default_to_the_text() -> None:
    assert (
        document_from_mapping({"text": "same"}).id
        == content_id("same")
        == document_from_mapping({"text": "same"}).id
    )
    assert content_id("same") != content_id("other")


def test_document_files(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Plain article.", encoding="utf-8")
    (tmp_path / "b.json").write_text('{"id": "bee", "text": "JSON article."}', encoding="utf-8")
    (tmp_path / "c.html").write_text(PAGE, encoding="utf-8")
    (tmp_path / "notes.md").write_text("ignored", encoding="utf-8")
    docs = {d.id: d for d in load_documents([tmp_path])}
    assert set(docs) == {"a", "bee", "c"}
    assert docs["c"].title == "Quake hits Marenza"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("bad.json", b"{not json", "invalid JSON"),
        ("empty.txt", b"  \n", "empty"),
        ("latin.txt", "café".encode("latin-1"), "not UTF-8"),
        ("script.html", b"<html><body><script>var a = 1;</script></body></html>", "no article text"),
        ("future.json", b'{"text": "x", "published": "2999-01-01"}', "future"),
    ],
)
def test_bad_files_name_the_file(tmp_path: Path, name: str, content: bytes, message: str) -> None:
    (tmp_path / name).write_bytes(content)
    with pytest.raises(DocumentError, match=message) as info:
        load_documents([tmp_path / name])
    assert name in str(info.value)
