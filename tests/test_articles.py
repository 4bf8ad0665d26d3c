"""The held-out articles in tests/data/articles against their hand annotation (expected.json).

For each article: every required event is found with its exact date value, no not-event text becomes an
event, the publication date is right, and no event cites the article with a quote the annotation does not
expect (precision).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

ARTICLES = Path(__file__).parent / "data" / "articles"
EXPECTED: dict[str, Any] = json.loads((ARTICLES / "expected.json").read_text(encoding="utf-8"))
DOC_IDS = sorted(k for k in EXPECTED if not k.startswith("_"))
FILES = sorted(p for p in ARTICLES.glob("*.json") if p.name != "expected.json")


@pytest.fixture(scope="session")
def articles_extractor() -> Any:
    from dateline.events.extractor import Extractor

    return Extractor()


@pytest.fixture(scope="module")
def timeline(articles_extractor: Any) -> dict[str, Any]:
    from dateline import build_timeline
    from dateline.views.schemas import TimelineSchema

    tl = build_timeline(FILES, extractor=articles_extractor)
    dumped: dict[str, Any] = TimelineSchema().dump(tl)
    dumped["_documents"] = {d.id: d for d in tl.documents}
    return dumped


def sources_from(timeline: dict[str, Any], doc_id: str) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    return [(ev, s) for ev in timeline["events"] for s in ev["sources"] if s["document_id"] == doc_id]


def test_every_article_is_annotated() -> None:
    assert sorted(p.stem for p in FILES) == DOC_IDS


@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_required_events_found(timeline: dict[str, Any], doc_id: str) -> None:
    srcs = sources_from(timeline, doc_id)
    missed = []
    for x in EXPECTED[doc_id]["events"]:
        if x["optional"]:
            continue
        hits = [ev for ev, s in srcs if x["quote_contains"] in s["quote"]]
        if not any(ev["date"]["value"] == x["value"] for ev in hits):
            missed.append((x["value"], x["quote_contains"], [ev["date"]["value"] for ev in hits]))
    assert missed == []


@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_no_not_events(timeline: dict[str, Any], doc_id: str) -> None:
    srcs = sources_from(timeline, doc_id)
    bad = [(n, ev["title"]) for n in EXPECTED[doc_id]["not_events"] for ev, s in srcs if n in s["quote"]]
    assert bad == []


@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_publication_date(timeline: dict[str, Any], doc_id: str) -> None:
    document = timeline["_documents"][doc_id]
    assert document.published.value is not None
    assert document.published.value.isoformat() == EXPECTED[doc_id]["published"]
    for _, s in sources_from(timeline, doc_id):
        assert s["published"]["value"] == EXPECTED[doc_id]["published"]


@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_no_unexpected_events(timeline: dict[str, Any], doc_id: str) -> None:
    expected_quotes = [x["quote_contains"] for x in EXPECTED[doc_id]["events"]]
    unexpected = [
        (ev["date"]["value"], ev["title"], s["quote"][:100])
        for ev, s in sources_from(timeline, doc_id)
        if not any(
            q in s2["quote"] for q in expected_quotes for s2 in ev["sources"] if s2["document_id"] == doc_id
        )
    ]
    assert unexpected == []


@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_quotes_are_verbatim(timeline: dict[str, Any], doc_id: str) -> None:
    text = timeline["_documents"][doc_id].text
    srcs = sources_from(timeline, doc_id)
    assert srcs
    for _, s in srcs:
        assert text[s["start"] : s["end"]] == s["quote"]
        assert text[s["trigger"]["start"] : s["trigger"]["end"]] == s["trigger"]["text"]
        assert text[s["date_start"] : s["date_end"]] == s["date_text"]
