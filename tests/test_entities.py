"""Entities across a collection, reported events, the SemEval export and the entity endpoints."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from dateline.entities_cli import read_targets
from dateline.merging.entities import core_name, entity_events, entity_index, find_entity, initials
from dateline.merging.reported import check_include
from dateline.merging.targets import target_filter
from dateline.model import DateValue, Document, Event, EventDate, Mention, Source, TextSpan
from dateline.views.schemas import dump_event
from dateline.views.semeval import MentionIds, anchor, file_name, render, timeline_rows


def _day(y: int, m: int, d: int) -> DateValue:
    return DateValue(f"{y:04d}-{m:02d}-{d:02d}", "day", date(y, m, d), date(y, m, d))


def _event(i: int, actors: list[str], when: DateValue | None = None, basis: str = "stated") -> Event:
    when = when or _day(2024, 1, 1)
    m = Mention(
        f"d{i}",
        "Quote.",
        0,
        6,
        when,
        TextSpan("", 0, 0),
        TextSpan("Quote", 0, 5),
        "business",
        "t",
        tuple(actors),
        basis=basis,
    )
    return Event(
        str(i), "t", "business", EventDate(when, "x"), actors, None, [Source(m, Document(f"d{i}", "x"))]
    )


@pytest.mark.parametrize(
    ("names", "name", "members"),
    [
        (
            ["General Motors Corp.", "GM", "General Motors"],
            "General Motors",
            {"GM", "General Motors", "General Motors Corp."},
        ),
        (["Steve Jobs", "Jobs"], "Steve Jobs", {"Steve Jobs", "Jobs"}),
        (["Apple Computer", "Apple"], "Apple Computer", {"Apple Computer", "Apple"}),
        (["Federal Reserve", "Fed"], "Federal Reserve", {"Federal Reserve", "Fed"}),
        (["Apple, Inc.", "Apple Inc."], "Apple", {"Apple, Inc.", "Apple Inc."}),
    ],
)
def test_variants_join_one_entity(names: list[str], name: str, members: set[str]) -> None:
    entities = entity_index([_event(i, [n]) for i, n in enumerate(names)])
    assert len(entities) == 1
    assert entities[0].name == name and set(entities[0].members) == members
    assert entities[0].event_count == len(names)


@pytest.mark.parametrize(
    "names",
    [
        ["Jobs", "Steve Jobs", "Laurene Jobs"],  # two people of that surname: "Jobs" joins neither
        ["GM", "General Motors", "Great Minds Inc."],  # two names with the initials GM
    ],
)
def test_ambiguous_variant_joins_none(names: list[str]) -> None:
    entities = entity_index([_event(i, [n]) for i, n in enumerate(names)])
    assert len(entities) == len(names)


@pytest.mark.parametrize(
    ("name", "core", "acronym"),
    [
        ("General Motors Corp.", "General Motors", "GM"),
        ("Bank of America", "Bank of America", "BA"),
        ("Apple", "Apple", ""),
    ],
)
def test_core_name_and_initials(name: str, core: str, acronym: str) -> None:
    assert core_name(name) == core and initials(name) == acronym


def test_entity_kinds_ids_and_lookup() -> None:
    events = [
        _event(1, ["Russia"]),
        _event(2, ["Vladimir Putin", "Russia"]),
        _event(3, ["General Motors Corp."]),
    ]
    entities = entity_index(events)
    russia = find_entity(entities, "Moscow")
    assert russia is not None and russia.kind == "place" and russia.id == "russia"
    assert [e.id for e in entity_events(events, russia)] == ["1", "2"]
    gm = find_entity(entities, "general-motors")
    assert gm is not None and gm.kind == "organisation"
    assert find_entity(entities, "Nobody") is None


@pytest.mark.parametrize(
    ("value", "precision", "start", "end", "expected"),
    [
        ("2010-06-07", "day", date(2010, 6, 7), date(2010, 6, 7), "2010-06-07"),
        ("2010-06", "month", date(2010, 6, 1), date(2010, 6, 30), "2010-06-XX"),
        ("2010-W23", "week", date(2010, 6, 7), date(2010, 6, 13), "2010-06-XX"),
        ("2010-Q2", "quarter", date(2010, 4, 1), date(2010, 6, 30), "2010-XX-XX"),
        ("2010", "year", date(2010, 1, 1), date(2010, 12, 31), "2010-XX-XX"),
        ("201", "decade", date(2010, 1, 1), date(2019, 12, 31), "XXXX-XX-XX"),
    ],
)
def test_semeval_anchor(value: str, precision: str, start: date, end: date, expected: str) -> None:
    assert anchor(DateValue(value, precision, start, end)) == expected


@pytest.mark.parametrize(
    ("entity", "name"),
    [
        ("iTunes store", "itunes_store.txt"),
        ("Beatles Apple Corps", "beatles_apple_corps.txt"),
        ("AT&T", "atandt.txt"),
    ],
)
def test_semeval_file_name(entity: str, name: str) -> None:
    assert file_name(entity) == name


def test_semeval_rows_positions_and_token_ids() -> None:
    text = "Jobs spoke.\nJobs left."
    tokens = [
        {"sentence": 2, "field": "text", "start": 5, "end": 10, "text": "spoke"},
        {"sentence": 3, "field": "text", "start": 17, "end": 21, "text": "left"},
    ]
    first = _event(1, ["Jobs"], _day(2010, 1, 2))
    first.sources[0].mention.trigger = TextSpan("spoke", 5, 10)
    later = _event(2, ["Jobs"], _day(2010, 3, 1))
    later.sources[0].mention.trigger = TextSpan("left", 17, 21)
    for e in (first, later):
        e.sources[0].mention.document_id = "7"
    rows = timeline_rows([later, first], MentionIds({"7": tokens}, {"7": text}))
    assert rows == [(1, "2010-01-02", ["7-2-spoke"]), (2, "2010-03-01", ["7-3-left"])]
    assert render("Steve Jobs", rows) == "Steve Jobs\n1\t2010-01-02\t7-2-spoke\n2\t2010-03-01\t7-3-left\n"
    # without tokens: the trigger's line of the text, its word
    assert timeline_rows([later], MentionIds({}, {"7": text}))[0][2] == ["7-2-left"]


def test_read_targets(tmp_path: Path) -> None:
    path = tmp_path / "targets.txt"
    path.write_text("# targets\nSteve Jobs\n\niPod\n", encoding="utf-8")
    assert read_targets(str(path)) == ["Steve Jobs", "iPod"]
    path.write_text("\n", encoding="utf-8")
    with pytest.raises(ValueError, match="names no entity"):
        read_targets(str(path))


def test_basis_and_status_only_in_timelines_with_reported_events() -> None:
    event = _event(1, ["Apple"])
    assert "basis" not in dump_event(event)["date"] and "status" not in dump_event(event)
    event.date.basis = "reported"
    dumped = dump_event(event)
    assert dumped["date"]["basis"] == "reported" and dumped["status"] == "reported"


def test_include_values_are_checked() -> None:
    assert check_include(["reported"]) == {"reported"}
    with pytest.raises(ValueError, match="'planned' is not one of reported"):
        check_include(["planned"])


# --- reported events (short texts of our own) --------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "trigger", "basis", "status", "value"),
    [
        (
            "Acme Corp said on Tuesday that its sales rose. The company has 300 shops in Ohio.",
            "has",
            "reported",
            "reported",
            "2024-03-08",
        ),
        (
            "Acme Corp opened a factory on 4 March 2024. Workers welcomed the decision, its chief said.",
            "welcomed",
            "narrative",
            "reported",
            "2024-03-04",
        ),
        (
            "The carmaker will open a new plant in Ohio on 1 June 2024, its chief said.",
            "open",
            "stated",
            "planned",
            "2024-06-01",
        ),
    ],
)
def test_reported_events(
    extractor: Any, text: str, trigger: str, basis: str, status: str, value: str
) -> None:
    doc = Document(id="r", text=text, published=date(2024, 3, 8))
    found = [m for m in extractor.extract(doc, reported=True).mentions if m.trigger.text == trigger]
    assert found, [m.trigger.text for m in extractor.extract(doc, reported=True).mentions]
    assert (found[0].basis, found[0].status, found[0].date.value) == (basis, status, value)


def test_negated_event_is_not_reported(extractor: Any) -> None:
    doc = Document(id="n", text="Acme Corp did not sell the plant to its rival.", published=date(2024, 3, 8))
    assert all(m.trigger.text != "sell" for m in extractor.extract(doc, reported=True).mentions)


def test_default_extraction_has_no_reported_events(extractor: Any) -> None:
    doc = Document(
        id="s", text="Acme Corp has 300 shops in Ohio. It hired 200 workers.", published=date(2024, 3, 8)
    )
    assert all(m.basis == "stated" for m in extractor.extract(doc).mentions)


# --- the API ------------------------------------------------------------------------------------------


def test_entities_endpoint(client: Any) -> None:
    response = client.get("/v1/entities")
    assert response.status_code == 200
    body = response.get_json()
    assert body["count"] == len(body["entities"]) > 0
    first = body["entities"][0]
    assert set(first) == {"id", "name", "kind", "aliases", "event_count", "document_count"}
    timeline = client.get(f"/v1/entities/{first['id']}/timeline")
    assert timeline.status_code == 200
    events = timeline.get_json()["events"]
    assert 0 < len(events) <= first["event_count"] + 2  # by the parse: those it takes part in
    assert all("basis" not in e["date"] for e in events)


def test_entity_timeline_with_reported_events_and_semeval(client: Any) -> None:
    first = client.get("/v1/entities").get_json()["entities"][0]
    plain = client.get(f"/v1/entities/{first['id']}/timeline").get_json()["events"]
    wider = client.get(f"/v1/entities/{first['id']}/timeline?include=reported").get_json()["events"]
    assert len(wider) >= len(plain)
    assert {e["date"]["basis"] for e in wider} <= {"stated", "narrative", "reported"}
    semeval = client.get(f"/v1/entities/{first['id']}/timeline?format=semeval")
    assert semeval.status_code == 200 and semeval.mimetype == "text/tab-separated-values"
    assert semeval.get_data(as_text=True).splitlines()[0] == first["name"]


def test_timeline_include_reported_keeps_the_default(client: Any) -> None:
    plain = client.get("/v1/timeline").get_json()
    wider = client.get("/v1/timeline?include=reported").get_json()
    assert wider["count"] >= plain["count"] and all("basis" not in e["date"] for e in plain["events"])


@pytest.mark.parametrize(
    ("path", "status", "parameter"),
    [
        ("/v1/entities/no-such-entity/timeline", 404, None),
        ("/v1/entities?include=planned", 400, "include"),
        ("/v1/timeline?include=everything", 400, "include"),
        ("/v1/entities/x/timeline?include=nope", 400, "include"),
        ("/v1/timeline?format=semeval", 400, "format"),
        ("/v1/entities?actor=Acme", 400, "actor"),
    ],
)
def test_entity_bad_input(client: Any, path: str, status: int, parameter: str | None) -> None:
    response = client.get(path)
    assert response.status_code == status
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    if parameter is not None:
        assert parameter in body["detail"]
    else:
        assert "/v1/entities" in body["detail"]


# --- participant roles: which events of a sentence the target takes part in -------------------------

ROLES = [
    # (text, target, trigger word, takes part)
    ("Acme Motors said that the dealers had raised prices.", "Acme Motors", "said", True),
    ("Acme Motors said that the dealers had raised prices.", "Acme Motors", "raised", False),
    ("The regulator fined Acme Motors on Friday.", "Acme Motors", "fined", True),
    ("Acme Motors has filed a lawsuit against Zenith.", "Acme Motors", "lawsuit", True),
    ("Zenith prompted Acme Motors to file suit again.", "Acme Motors", "file", True),
    ("Zenith sued the owner of the Acme Motors brand.", "Acme Motors", "sued", False),
    ("The chairman praised Acme Motors's new factory.", "Acme Motors", "praised", True),
    ("Mary Smith founded the studio.\nShe left it after a dispute.", "Mary Smith", "left", True),
    ("Mary Smith founded the studio.\nJohn Brown left it after a dispute.", "Mary Smith", "left", False),
    ("The Zorbo Z3 went on sale in Oslo.\nThe phone has two cameras.", "Zorbo Z3", "has", True),
    ("The Zorbo Z3 went on sale in Oslo.\nIt has two cameras.", "Zorbo Z3", "has", True),
    ("The Z3 Zorbo was launched in Oslo.", "Zorbo Z3", "launched", True),
    ("Kestrel Records sued the maker.", "Northern Kestrel Records", "sued", True),
    ("The Zorbo Nano was released today.", "Zorbo", "released", False),
    ("Zorbos sold in Peru have a volume limit.", "Zorbo", "sold", True),
    ("Many Zorbo users complained.", "Zorbo", "complained", False),
    ("The Zorbo player was praised.", "Zorbo", "praised", True),
    ("Steve Brown opened the show.\nSteve then thanked the crowd.", "Steve Brown", "thanked", True),
]


@pytest.mark.parametrize(("text", "target", "word", "expected"), ROLES)
def test_target_takes_part(extractor: Any, text: str, target: str, word: str, expected: bool) -> None:
    start = text.rindex(word) if word in ("left", "has") else text.index(word)
    trigger = TextSpan(word, start, start + len(word))
    m = Mention("d", text, 0, len(text), _day(2010, 1, 1), TextSpan("", 0, 0), trigger, "other", "t")
    keep = target_filter(target, None, {"d": extractor.nlp(text)})
    assert keep(m) is expected


def test_name_spans_leave_out_a_longer_name_capitalised_elsewhere() -> None:
    from dateline.merging.targets import name_spans

    texts = {"a": "The Zorbo Nano is small.", "b": "The Zorbo nano sold. The Zorbo sold."}
    spans = name_spans(["Zorbo"], texts)
    assert spans["a"] == [] and [texts["b"][s:e] for s, e in spans["b"]] == ["Zorbo"]
    assert spans["b"][0][0] == texts["b"].rindex("Zorbo")


REPORTED_DATES = [
    # (text, trigger, date, basis): a date of another clause does not date the event
    ("Acme Motors says its rival broke a 1998 agreement.", "says", "2020-05-08", "reported"),
    ("Acme Motors filed a new suit in 1998.", "suit", "1998", "narrative"),
    # the day of the news carries past tenses on, over a flashback
    (
        "Acme unveiled a car yesterday. It was delayed in 2019. Bo Li praised it.",
        "praised",
        "2020-05-07",
        "narrative",
    ),
    # a participle is told in the tense of its clause
    (
        "Acme unveiled a car yesterday. While presenting it, Bo Li thanked us.",
        "presenting",
        "2020-05-07",
        "narrative",
    ),
    # an older date dates its own clause alone
    ("Acme fought a strike in 2004. The chairman praised the staff.", "praised", "2020-05-08", "reported"),
]


@pytest.mark.parametrize(("text", "word", "value", "basis"), REPORTED_DATES)
def test_reported_event_dated_by_its_own_clause(
    extractor: Any, text: str, word: str, value: str, basis: str
) -> None:
    doc = Document("r", text, published=date(2020, 5, 8))  # type: ignore[arg-type]
    mentions = extractor.extract(doc, reported=True).mentions
    found = [m for m in mentions if m.trigger.text == word]
    assert found and found[0].date.value == value and found[0].basis == basis


def test_semeval_ids_join_a_phrasal_verbs_particle() -> None:
    text = "Jobs showed off the phone."
    tokens = [
        {
            "t_id": i,
            "sentence": 2,
            "field": "text",
            "start": text.index(w),
            "end": text.index(w) + len(w),
            "text": w,
        }
        for i, w in enumerate(["Jobs", "showed", "off", "the", "phone"])
    ]
    trigger = TextSpan("showed", 5, 11)
    m = Mention("7", text, 0, len(text), _day(2010, 1, 1), TextSpan("", 0, 0), trigger, "other", "t")
    off = (text.index("off"), text.index("off") + 3)
    assert MentionIds({"7": tokens}, {"7": text}, lambda _m: [off]).of(m) == "7-2-showed_off"
    assert MentionIds({"7": tokens}, {"7": text}).of(m) == "7-2-showed"
