"""The library entry point: build_timeline takes Documents, mappings (the API body's fields), strings of
text and paths; extract_each keeps going past a document that breaks the extractor."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from dateline import build_timeline
from dateline.intake.documents import DocumentError, content_id
from dateline.model import Document, Published
from dateline.pipeline import as_documents, extract_each

PUTIN = "Vladimir Putin visited Pyongyang on 19 June 2024 and met Kim Jong Un."
KIM = "Kim Jong Un met Vladimir Putin in Vladivostok on 13 September 2023."
SHOIGU = (
    "Russian Defence Minister Sergei Shoigu arrived in Pyongyang on 26 July 2023 for talks with Kim Jong Un."
)
LAVROV = (
    "Russian Foreign Minister Sergei Lavrov arrived in Pyongyang on 18 October 2023 for talks with "
    "Kim Jong Un."
)


def test_every_kind_of_input(tmp_path: Path, extractor: Any) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "lavrov.txt").write_text(LAVROV, encoding="utf-8")
    timeline = build_timeline(
        [
            Document(id="putin", text=PUTIN, published=date(2024, 6, 20)),
            {
                "id": "kim",
                "text": KIM,
                "published": datetime(2023, 9, 13, 23, 30, tzinfo=timezone(timedelta(hours=-7))),
            },
            SHOIGU,
            tmp_path,
        ],
        extractor=extractor,
    )
    published = {d.id: d.published for d in timeline.documents}
    assert list(published) == ["putin", "kim", content_id(SHOIGU), "sub~lavrov"]
    assert published["putin"] == Published(date(2024, 6, 20), "given")
    assert published["kim"] == Published(date(2023, 9, 13), "given")
    cited = {s.document.id for e in timeline.events for s in e.sources}
    assert cited == set(published), "every input yields its event"


@pytest.mark.parametrize(
    "published",
    ["2024-06-20T23:30:00-07:00", "Thu, 20 Jun 2024 23:30:00 -0700", "June 20, 2024", date(2024, 6, 20)],
)
def test_mappings_take_published_as_the_api_does(published: Any) -> None:
    (doc,) = as_documents([{"text": PUTIN, "published": published}])
    assert doc.published == Published(date(2024, 6, 20), "given")


@pytest.mark.parametrize(
    ("items", "error", "message"),
    [
        ([{"text": PUTIN}, {"text": KIM, "published": "soon"}], DocumentError, "document 1: 'published'"),
        ([{"text": PUTIN, "colour": "red"}], DocumentError, "document 0: 'colour': unknown field"),
        ([PUTIN, PUTIN], DocumentError, "another document has the id"),
        (["   "], DocumentError, "empty"),
        ([42], TypeError, "document 0 is int"),
        ([b"bytes"], TypeError, "document 0 is bytes"),
    ],
)
def test_bad_inputs_are_named(items: list[Any], error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        as_documents(items)


def test_a_string_naming_a_folder_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``build_timeline(["seeds/"])`` once read a folder: now a str is text, so say what to do."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "seeds").mkdir()
    with pytest.raises(DocumentError, match=r"pass pathlib.Path\('seeds/'\)"):
        as_documents(["seeds/"])
    assert [d.text for d in as_documents(["seeds are sown in spring"])] == ["seeds are sown in spring"]


def test_the_size_limit_applies_to_every_input() -> None:
    with pytest.raises(DocumentError, match="limit is 10"):
        as_documents(["x" * 11], max_chars=10)


def test_one_broken_document_does_not_stop_the_others(
    extractor: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A document the extractor raises on (injected: the rules fail for its id) is reported with its id;
    every other document still yields its result."""
    from dateline.events import extractor as extract

    real = extract.find_mentions

    def failing(doc: Any, document: Document, *args: Any, **kwargs: Any) -> Any:
        if document.id == "broken":
            raise KeyError("the short-term")
        return real(doc, document, *args, **kwargs)

    monkeypatch.setattr(extract, "find_mentions", failing)
    docs = [Document(id="a", text=PUTIN), Document(id="broken", text=KIM), Document(id="c", text=SHOIGU)]
    results, failures = extract_each(docs, extractor)
    assert [r.document.id for r in results] == ["a", "c"]
    assert all(r.mentions for r in results)
    assert [(f.document.id, type(f.error)) for f in failures] == [("broken", KeyError)]
    assert str(failures[0]) == "document 'broken': extraction failed: KeyError: 'the short-term'"


def test_the_document_constructor_takes_a_date_in_the_pipeline(extractor: Any) -> None:
    """``Document(published=date(...))`` once failed deep in extraction (AttributeError)."""
    timeline = build_timeline(
        [Document(id="p", text=PUTIN, published=datetime(2024, 6, 20, tzinfo=UTC))], extractor=extractor
    )
    assert timeline.documents[0].published == Published(date(2024, 6, 20), "given")
    assert timeline.count > 0
