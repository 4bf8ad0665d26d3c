"""Timeline queries without HTTP: partial dates, cursors, actor aliases."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from dateline.model import Timeline
from dateline.views.query import (
    QueryError,
    TimelineQuery,
    actor_index,
    decode_cursor,
    encode_cursor,
    matching,
    page,
    period_bounds,
    resolve_actor,
    validate,
)


@pytest.mark.parametrize(
    ("value", "first", "last"),
    [
        ("2024", date(2024, 1, 1), date(2024, 12, 31)),
        ("2024-02", date(2024, 2, 1), date(2024, 2, 29)),
        ("2023-02", date(2023, 2, 1), date(2023, 2, 28)),
        ("2024-06-19", date(2024, 6, 19), date(2024, 6, 19)),
    ],
)
def test_period_bounds(value: str, first: date, last: date) -> None:
    assert period_bounds(value, "from") == (first, last)


@pytest.mark.parametrize(
    "value", ["24", "2024-6", "2024-02-30", "2024-00", "0000", "June 2024", "2024-06-19T10"]
)
def test_bad_periods(value: str) -> None:
    with pytest.raises(QueryError) as info:
        period_bounds(value, "to")
    assert info.value.parameter == "to"


def test_cursor_round_trip_and_tampering(sample_timeline: Timeline) -> None:
    query = TimelineQuery(limit=1)
    first = page(sample_timeline, query)
    assert [e.id for e in first.events] == ["evt-visit"] and first.next_cursor
    second = page(sample_timeline, TimelineQuery(limit=1, cursor=first.next_cursor))
    assert [e.id for e in second.events] == ["evt-deploy"] and second.next_cursor is None
    assert decode_cursor(first.next_cursor, query) == (("2024-06-19", 0, "2024-06-19", "evt-visit"), 0)
    with pytest.raises(QueryError, match="other filters"):
        decode_cursor(first.next_cursor, TimelineQuery(limit=1, types=("visit",)))
    valid = encode_cursor(("2024-06-19", 0, "2024-06-19", "evt-visit"), 0, query)
    for bad in ("", "!!!", first.next_cursor[:-3], valid + "AA"):
        with pytest.raises(QueryError):
            decode_cursor(bad, query)


def test_limits_are_checked_against_the_settings() -> None:
    validate(TimelineQuery(limit=10), max_limit=10)
    with pytest.raises(QueryError, match="between 1 and 10"):
        validate(TimelineQuery(limit=11), max_limit=10)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Russia", {"Russia"}),
        ("russia", {"Russia"}),
        ("Moscow", {"Russia"}),
        ("the Kremlin", {"Russia"}),
        ("President Vladimir Putin", {"Vladimir Putin"}),
        ("Putin", {"Vladimir Putin"}),
        ("Kim Jong-un", {"Kim Jong Un"}),
        ("Pyongyang", {"North Korea"}),
        ("Atlantis", set()),
        # every alias /v1/actors lists, and an unambiguous partial name
        ("Bankman-Fried", {"Sam Bankman-Fried"}),
        ("bankman fried", {"Sam Bankman-Fried"}),
        ("Kim", {"Kim Jong Un"}),
        ("ten Broek", {"Joost ten Broek"}),
        ("FTC", {"Federal Trade Commission"}),
        ("Jill", {"Jill Biden"}),
        ("Soviet", {"Soviet Union"}),
        # never a generic head word, and never a name two actors share
        ("Research", set()),
        ("Union", set()),
        ("Green", set()),
    ],
)
def test_resolve_actor(name: str, expected: set[str]) -> None:
    known = [
        "Russia",
        "Vladimir Putin",
        "Kim Jong Un",
        "North Korea",
        "Ukraine",
        "Sam Bankman-Fried",
        "Alameda Research",
        "Soviet Union",
        "Federal Trade Commission",
        "Joost ten Broek",
        "Jill Biden",
        "Josh Green",
        "Jaime Green",
    ]
    assert resolve_actor(name, known) == expected


def test_listed_aliases_are_real_variants(sample_timeline: Timeline) -> None:
    """A person's surname, an organisation's initials and the vocabulary's names; no generic head
    word, no surname two people share; each actor with its kind."""
    names = [
        "Sam Bankman-Fried",
        "Alameda Research",
        "Soviet Union",
        "Federal Trade Commission",
        "Josh Green",
        "Jaime Green",
        "FTX",
        "Vladimir Putin",
    ]
    events = [replace(sample_timeline.events[0], actors=[n]) for n in names]
    index = {a.name: a for a in actor_index(Timeline(events=events))}
    assert index["Sam Bankman-Fried"].aliases == ["Bankman-Fried"]
    assert index["Alameda Research"].aliases == []
    assert "Union" not in index["Soviet Union"].aliases
    assert index["Federal Trade Commission"].aliases == ["FTC"]
    assert index["Josh Green"].aliases == index["Jaime Green"].aliases == []
    assert "Putin" in index["Vladimir Putin"].aliases
    kinds = {n: index[n].kind for n in names}
    assert kinds == {
        "Sam Bankman-Fried": "person",
        "Alameda Research": "organisation",
        "Soviet Union": "country",
        "Federal Trade Commission": "organisation",
        "Josh Green": "person",
        "Jaime Green": "person",
        "FTX": "organisation",
        "Vladimir Putin": "person",
    }


@pytest.mark.parametrize("limit", [1, 2, 3])
@pytest.mark.parametrize("sort", ["asc", "desc"])
def test_events_sharing_a_sort_key_are_each_served_once(
    sample_timeline: Timeline, limit: int, sort: str
) -> None:
    """The merger can give two events one id and date: paging still serves every one exactly once."""
    visit, deploy = sample_timeline.events
    twin = replace(visit, title="A twin with the same id and date")
    timeline = Timeline(events=[visit, twin, replace(twin, title="and a third"), deploy])
    served, cursor = [], None
    for _ in range(10):
        result = page(timeline, TimelineQuery(limit=limit, sort=sort, cursor=cursor))
        served.extend(e.title for e in result.events)
        cursor = result.next_cursor
        if cursor is None:
            break
    assert served == [e.title for e in matching(timeline, TimelineQuery(sort=sort))]
    assert len(served) == 4
