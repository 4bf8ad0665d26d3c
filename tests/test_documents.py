"""Document input: the one schema every path validates through, HTML pages read by trafilatura, and
document files (.txt, .json, .html) for the CLI."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from dateline.intake.documents import (
    DocumentError,
    DocumentTooLargeError,
    content_id,
    document_from_mapping,
    iter_paths,
    latest_publication_day,
    load_documents,
    path_id,
    validate_input,
)
from dateline.intake.webpage import WebPageError, read_page

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


# --- folders: recursive, ids from the path below the folder given ----------------------------------

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A folder of folders, as a site export or a feed archive looks."""
    files = {
        "top.txt": "Top article.",
        "world/index.html": PAGE,
        "sport/index.html": PAGE.replace("Quake", "Match").replace(
            "An earthquake struck Marenza on 3 March 2025, killing at least twelve people.",
            "Marenza beat Ostrava 2-1 in the cup final on 3 March 2025 before twelve thousand fans.",
        ),
        "world/2024/05/report.txt": "Deep article.",
        "world/2024/05/stated.json": '{"id": "its-own-id", "text": "JSON article."}',
        "_drafts/draft.txt": "A draft.",
        ".git/hidden.txt": "Not a document.",
        "world/.cache.txt": "Not a document either.",
        "world/notes.md": "ignored",
    }
    for name, content in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
    return tmp_path


def test_folders_are_read_recursively_without_id_collisions(tree: Path) -> None:
    docs = {d.id: d for d in load_documents([tree])}
    assert set(docs) == {
        "top",
        "world~index",
        "sport~index",
        "world~2024~05~report",
        "its-own-id",
        content_id("A draft."),  # "_drafts~draft" is no valid id: the text gives one
    }
    assert (docs["world~index"].title, docs["sport~index"].title) == (
        "Quake hits Marenza",
        "Match hits Marenza",
    )


def test_no_recursive_reads_the_folder_alone(tree: Path) -> None:
    assert [d.id for d in load_documents([tree], recursive=False)] == ["top"]
    assert [f.path.name for f in iter_paths([tree / "world"], recursive=False)] == ["index.html"]


def test_a_file_given_directly_keeps_its_name_as_id(tree: Path) -> None:
    files = iter_paths([tree / "world" / "index.html", tree / "world" / "2024"])
    assert [(f.path.name, f.default_id) for f in files] == [
        ("index.html", "index"),
        ("report.txt", "05~report"),
        ("stated.json", "05~stated"),
    ]
    assert [d.id for d in load_documents([tree / "world" / "index.html"])] == ["index"]


def test_the_seed_ids_are_the_file_names() -> None:
    seeds = sorted((ROOT / "seeds").iterdir())
    assert seeds
    assert [d.id for d in load_documents([ROOT / "seeds"])] == [p.stem for p in seeds]


def test_equal_ids_name_both_files(tree: Path) -> None:
    with pytest.raises(DocumentError, match="another document has the id 'index'") as info:
        load_documents([tree / "world" / "index.html", tree / "sport" / "index.html"])
    assert "world" in str(info.value) and "sport" in str(info.value)


def test_a_file_named_twice_is_read_once(tree: Path) -> None:
    ids = [
        d.id for d in load_documents([tree / "world" / "2024", tree / "world" / "2024" / "05" / "report.txt"])
    ]
    assert ids == ["05~report", "its-own-id"]


def test_a_missing_path_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(DocumentError, match="no such file or folder"):
        iter_paths([tmp_path / "missing"])


@pytest.mark.parametrize(
    ("relative", "expected"),
    [
        ("a.txt", "a"),
        ("a/b/c.html", "a~b~c"),
        ("v1.2/x.y.txt", "v1.2~x.y"),
        ("_x/a.txt", None),
        ("a b/c.txt", None),
    ],
)
def test_path_ids(relative: str, expected: str | None) -> None:
    assert path_id(Path(relative)) == expected
