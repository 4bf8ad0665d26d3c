"""The article title read as a sentence of its own: its events, with offsets in the document's title,
in timelines that include reported events (and entity timelines, and the SemEval export) only."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from dateline.events.title_events import readable_title
from dateline.model import DateValue, Document, Mention, TextSpan
from dateline.views.semeval import MentionIds

BODY = "The board met on Monday. Acme Motors closed a plant in Ohio on 4 March 2024."
TITLE = "Acme Motors recalls 5,000 cars"


@pytest.mark.parametrize(
    ("title", "read"),
    [
        (TITLE, True),
        ("", False),
        (None, False),
        ("The board met on Monday", False),  # the text holds it (a title detected from its first line)
        ("the BOARD met  on monday.", False),  # case, spacing and punctuation aside
        ("acme-motors-recalls-5000-cars (from the URL)", False),  # a URL's slug
        ("State-of-the-art plant opens in Ohio", True),  # a hyphenated word in a sentence
    ],
)
def test_readable_title(title: str | None, read: bool) -> None:
    doc = Document(id="t", text=BODY, title=title, published=date(2024, 3, 8))
    assert (readable_title(doc) is not None) is read


def test_title_events_have_offsets_in_the_title(extractor: Any) -> None:
    doc = Document(id="t", text=BODY, title=TITLE, published=date(2024, 3, 8))
    mentions = extractor.extract(doc, reported=True).mentions
    titled = [m for m in mentions if m.field == "title"]
    assert [m.trigger.text for m in titled] == ["recalls"]
    m = titled[0]
    assert TITLE[m.start : m.end] == m.quote == TITLE
    assert TITLE[m.trigger.start : m.trigger.end] == "recalls"
    assert m.date.value == "2024-03-08" and m.basis == "reported" and "Acme Motors" in m.actors
    assert all(BODY[x.trigger.start : x.trigger.end] == x.trigger.text for x in mentions if x.field == "text")


def test_default_extraction_reads_no_title(extractor: Any) -> None:
    doc = Document(id="t", text=BODY, title=TITLE, published=date(2024, 3, 8))
    assert all(m.field == "text" for m in extractor.extract(doc).mentions)


def test_semeval_ids_of_title_mentions() -> None:
    title_tokens = [
        {"sentence": 0, "field": "title", "start": 0, "end": 4, "text": "Acme"},
        {"sentence": 0, "field": "title", "start": 5, "end": 12, "text": "recalls"},
    ]
    text_tokens = [{"sentence": 1, "field": "text", "start": 5, "end": 12, "text": "closes"}]
    day = DateValue("2024-03-08", "day", date(2024, 3, 8), date(2024, 3, 8))

    def mention(word: str, field: str) -> Mention:
        trig = TextSpan(word, 5, 12)
        return Mention("7", "q", 0, 12, day, TextSpan("", 0, 0), trig, "other", "t", field=field)

    ids = MentionIds({"7": title_tokens + text_tokens}, {"7": "Acme closes."})
    assert ids.of(mention("recalls", "title")) == "7-0-recalls"
    assert ids.of(mention("closes", "text")) == "7-1-closes"
    # without tokens: the title is sentence 0, the text's first line sentence 1
    assert MentionIds({}, {"7": "Acme closes."}).of(mention("recalls", "title")) == "7-0-recalls"


# --- the API --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def title_client(client_with: Any) -> Any:
    """An app over a store of its own holding one document whose title its text does not hold."""
    return client_with(
        "title-events", [{"id": "acme", "title": TITLE, "text": BODY, "published": "2024-03-08"}]
    )


def _sources(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [s for e in events for s in e["sources"]]


def test_title_sources_only_with_reported_events(title_client: Any, json_schema: Any) -> None:
    plain = title_client.get("/v1/timeline").get_json()
    assert all("field" not in s for s in _sources(plain["events"]))
    wider = title_client.get("/v1/timeline?include=reported").get_json()
    json_schema("timeline.schema.json").validate(wider)
    titled = [s for s in _sources(wider["events"]) if s.get("field") == "title"]
    assert [s["trigger"]["text"] for s in titled] == ["recalls"]
    source = titled[0]
    assert TITLE[source["start"] : source["end"]] == source["quote"]
    assert TITLE[source["trigger"]["start"] : source["trigger"]["end"]] == "recalls"
    assert all("field" not in s for s in _sources(wider["events"]) if s is not source)


def test_entity_timeline_holds_its_title_event(title_client: Any) -> None:
    events = title_client.get("/v1/entities/acme-motors/timeline?include=reported").get_json()["events"]
    assert "recalls" in [s["trigger"]["text"] for s in _sources(events)]
    semeval = title_client.get("/v1/entities/acme-motors/timeline?include=reported&format=semeval")
    assert "acme-0-recalls" in semeval.get_data(as_text=True).split()
    default = title_client.get("/v1/entities/acme-motors/timeline").get_json()["events"]
    assert default and "recalls" not in [s["trigger"]["text"] for s in _sources(default)]
