"""The annotated test articles in tests/data/articles/ are consistent with their annotation file.

This checks the data only (every quote is verbatim, every value is a well-formed TIMEX3 date, every
type is known); extraction quality on these articles is measured elsewhere.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from dateline.model import EVENT_TYPES

ARTICLES = Path(__file__).parent / "data" / "articles"
EXPECTED = json.loads((ARTICLES / "expected.json").read_text(encoding="utf-8"))
DOCUMENT_IDS = sorted(k for k in EXPECTED if not k.startswith("_"))

TIMEX3_DATE = re.compile(
    r"\d{2,3}"  # century (19) or decade (198)
    r"|\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?|-(SP|SU|FA|WI)|-Q[1-4]|-H[12]|-W(0[1-9]|[1-4]\d|5[0-3]))?"
)


def load(document_id: str) -> dict:
    return json.loads((ARTICLES / f"{document_id}.json").read_text(encoding="utf-8"))


def test_every_article_is_annotated_and_vice_versa() -> None:
    files = sorted(p.stem for p in ARTICLES.glob("*.json") if p.name != "expected.json")
    assert files == DOCUMENT_IDS
    assert len(files) >= 3


@pytest.mark.parametrize("document_id", DOCUMENT_IDS)
def test_article_document_shape(document_id: str) -> None:
    doc = load(document_id)
    assert doc["id"] == document_id
    assert set(doc) <= {"id", "title", "publisher", "url", "published", "text"}
    assert {"id", "title", "publisher", "url", "text"} <= set(doc)
    assert 150 <= len(doc["text"].split()) <= 350
    if "published" in doc:
        assert doc["published"] == EXPECTED[document_id]["published"]


@pytest.mark.parametrize("document_id", DOCUMENT_IDS)
def test_annotation_matches_text(document_id: str) -> None:
    text = load(document_id)["text"]
    annotation = EXPECTED[document_id]
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", annotation["published"])
    assert annotation["events"]
    for event in annotation["events"]:
        assert set(event) == {"quote_contains", "type", "value", "optional"}
        assert text.count(event["quote_contains"]) == 1, event["quote_contains"]
        assert event["type"] in EVENT_TYPES
        assert TIMEX3_DATE.fullmatch(event["value"]), event["value"]
        assert isinstance(event["optional"], bool)
    for phrase in annotation["not_events"]:
        assert phrase in text, phrase
