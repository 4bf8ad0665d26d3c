"""Publication dates as feeds send them (ISO date-times with offsets, RFC 2822, written dates), read to
the day in the document's own time zone, everywhere a document comes in: the function, the document
schema (API bodies, query parameters, files), the Document constructor and the HTTP API."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from dateline.intake.documents import DocumentError, document_from_mapping, load_file, validate_input
from dateline.model import Document, Published
from dateline.pubdates import (
    PublishedDateError,
    PublishedDateSettings,
    latest_publication_day,
    parse_published,
    publication_day,
)

#: the moment relative forms count from, and "now" for the future check
REFERENCE = datetime(2025, 1, 10, 12, 0, tzinfo=UTC)
MAY_3 = date(2024, 5, 3)
MAY_4 = date(2024, 5, 4)
PDT = timezone(timedelta(hours=-7))

GOOD = [
    ("2024-05-03", MAY_3),
    ("20240503", MAY_3),
    ("2024-05-03T10:00:00Z", MAY_3),
    ("2024-05-03T10:00Z", MAY_3),
    ("2024-05-03T10:00:00", MAY_3),  # naive: as given
    ("2024-05-03T23:30:00-07:00", MAY_3),  # already 4 May in UTC: the document's own day wins
    ("2024-05-04T01:30:00+14:00", MAY_4),  # still 3 May in UTC
    ("2024-05-03 23:59:59.123456+05:30", MAY_3),
    ("Fri, 03 May 2024 10:00:00 GMT", MAY_3),
    ("Fri, 03 May 2024 23:30:00 -0700", MAY_3),
    ("Sat, 04 May 2024 01:30:00 +1400", MAY_4),
    ("May 3, 2024", MAY_3),
    ("Friday, May 3, 2024", MAY_3),
    ("3 May 2024 10:00", MAY_3),
    ("3rd May 2024", MAY_3),
    ("May 3 2024 11:59 PM EDT", MAY_3),
    ("2024/05/03", MAY_3),
    ("  2024-05-03  ", MAY_3),
    ("yesterday", date(2025, 1, 9)),
    ("3 days ago", date(2025, 1, 7)),
    (MAY_3, MAY_3),
    (datetime(2024, 5, 3, 23, 30, tzinfo=PDT), MAY_3),
    (datetime(2024, 5, 3, 23, 30), MAY_3),
    (datetime(2024, 5, 4, 1, 30, tzinfo=timezone(timedelta(hours=14))), MAY_4),
]

BAD = [
    ("2024-13-01", "YYYY-MM-DD"),  # ISO-shaped: read exactly, never re-guessed as 13 January
    ("2024-05-03T25:00:00Z", "not a date"),
    ("nonsense", "not a date"),
    ("May 2024", "not a date"),  # a month is no publication day
    ("2024", "not a date"),
    ("Friday", "not a date"),
    ("31 February 2024", "not a date"),
    ("1714730400", "not a date"),  # never a Unix timestamp
    ("3 mai 2024", "not a date"),  # English by default
    ("", "empty"),
    ("   ", "empty"),
    ("May 3, 2024 " * 9, "too long"),
    ("\ud800", "not a date"),
    ("2999-01-01", "future"),
    ("2025-01-12T00:30:00+14:00", "future"),  # 12 January where it was written: after any zone's today
    ("in 3 days", "future"),
    (date(2999, 1, 1), "future"),
    (12, "not a date"),
]


@pytest.mark.parametrize(("value", "day"), GOOD, ids=[str(v) for v, _ in GOOD])
def test_published_forms_read_to_the_day(value: Any, day: date) -> None:
    assert publication_day(value, REFERENCE) == day


@pytest.mark.parametrize(("value", "message"), BAD, ids=[repr(v)[:30] for v, _ in BAD])
def test_bad_published_values_say_why(value: Any, message: str) -> None:
    with pytest.raises(PublishedDateError, match=message):
        publication_day(value, REFERENCE)


def test_the_latest_day_allows_the_easternmost_zone() -> None:
    latest = latest_publication_day(REFERENCE)  # 12:00 UTC is 02:00 the next day at UTC+14
    assert latest == date(2025, 1, 11)
    assert publication_day("2025-01-11T02:00:00+14:00", REFERENCE) == latest
    assert publication_day("tomorrow", REFERENCE) == latest


@pytest.mark.parametrize(
    ("settings", "value", "day"),
    [
        (PublishedDateSettings(), "03/05/2024", date(2024, 3, 5)),
        (PublishedDateSettings(date_order="DMY"), "03/05/2024", MAY_3),
        (PublishedDateSettings(languages=("fr",)), "3 mai 2024", MAY_3),
        (PublishedDateSettings(languages=("en", "de")), "3. Mai 2024", MAY_3),
    ],
)
def test_languages_and_date_order_are_settings(
    settings: PublishedDateSettings, value: str, day: date
) -> None:
    assert parse_published(value, REFERENCE, settings) == day


@pytest.fixture
def far_east_clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The machine's local time zone set to UTC+14, then restored."""
    monkeypatch.setenv("TZ", "Pacific/Kiritimati")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.mark.parametrize(
    ("value", "day"),
    [("2024-05-03T23:30:00-07:00", MAY_3), ("May 3, 2024 23:30", MAY_3), ("yesterday", date(2025, 1, 9))],
)
def test_the_machine_time_zone_does_not_move_the_day(far_east_clock: None, value: str, day: date) -> None:
    assert publication_day(value, REFERENCE) == day


# --- everywhere a document comes in ---------------------------------------------------------------


def test_the_document_schema_keeps_the_day_in_the_documents_zone() -> None:
    doc = document_from_mapping({"text": "x", "published": "2024-05-03T23:30:00-07:00"})
    assert doc.published == Published(MAY_3, "given")
    assert validate_input({"published": "Fri, 03 May 2024 10:00:00 GMT"}, metadata_only=True) == {
        "published": MAY_3
    }


@pytest.mark.parametrize("value", [MAY_3, datetime(2024, 5, 3, 23, 30, tzinfo=PDT)])
def test_mappings_take_date_objects(value: date) -> None:
    assert document_from_mapping({"text": "x", "published": value}).published == Published(MAY_3, "given")


@pytest.mark.parametrize(
    ("value", "message"), [("2024-13-01", "not a date"), ([2024, 5, 3], "must be a string")]
)
def test_the_schema_names_the_field(value: Any, message: str) -> None:
    with pytest.raises(DocumentError, match=message) as info:
        document_from_mapping({"text": "x", "published": value})
    assert list(info.value.errors) == ["published"]


def test_json_files_take_feed_dates(tmp_path: Path) -> None:
    path = tmp_path / "feed.json"
    path.write_text(
        json.dumps({"text": "x", "published": "Sat, 04 May 2024 01:30:00 +1400"}), encoding="utf-8"
    )
    assert load_file(path).published == Published(MAY_4, "given")


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (MAY_3, Published(MAY_3, "given")),
        (datetime(2024, 5, 3, 23, 30, tzinfo=PDT), Published(MAY_3, "given")),
        ("2024-05-03T23:30:00-07:00", Published(MAY_3, "given")),
        (None, Published(None, "unknown")),
        (Published(MAY_3, "stated"), Published(MAY_3, "stated")),
    ],
)
def test_the_document_constructor_takes_dates(given: Any, expected: Published) -> None:
    doc = Document(id="d", text="x", published=given)
    assert doc.published == expected
    assert Document(id="d", text="x").published == Published(None, "unknown")


@pytest.mark.parametrize(
    ("given", "error"), [("someday", ValueError), ("2999-01-01", ValueError), (3, TypeError)]
)
def test_the_document_constructor_refuses_bad_dates(given: Any, error: type[Exception]) -> None:
    with pytest.raises(error, match="published"):
        Document(id="d", text="x", published=given)


ARTICLE = "Vladimir Putin visited Pyongyang on 19 June 2024 and met Kim Jong Un."


def _published_of(timeline: dict[str, Any]) -> set[str]:
    return {s["published"]["value"] for e in timeline["events"] for s in e["sources"]}


def test_the_api_reads_feed_dates_in_json_and_parameters(client: Any) -> None:
    body = client.post("/v1/extract", json={"text": ARTICLE, "published": "2024-06-20T23:30:00-07:00"})
    assert body.status_code == 200, body.get_json()
    assert _published_of(body.get_json()) == {"2024-06-20"}
    plain = client.post(
        "/v1/extract",
        data=ARTICLE,
        content_type="text/plain",
        query_string={"published": "Fri, 21 Jun 2024 01:30:00 +1400"},
    )
    assert plain.status_code == 200, plain.get_json()
    assert _published_of(plain.get_json()) == {"2024-06-21"}


@pytest.mark.parametrize("where", ["json", "query"])
def test_the_api_refuses_an_unreadable_date_by_name(client: Any, where: str) -> None:
    if where == "json":
        response = client.post("/v1/extract", json={"text": ARTICLE, "published": "the other day"})
    else:
        response = client.post(
            "/v1/extract", data=ARTICLE, content_type="text/plain", query_string={"published": "2024-13-01"}
        )
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    assert "published" in response.get_json()["detail"]
