"""A later mention of an event the same article has dated ("the verdict", "the disaster", "the deal")
joins that event, and the undated news of a lede is dated on or just before publication.

Short texts of our own, one row per linguistic case: a reference is a mention marked ``generic``
(it only joins an event) with its antecedent's date and date expression and a quote of its own.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from dateline import Document, build_timeline
from dateline.model import DateValue, Mention, Published
from dateline.timex.values import display
from dateline.views.schemas import TimelineSchema

PUBLISHED = "2024-03-08"  # a Friday

FIRE = (
    "A wildfire destroyed much of the town of Paradise in California on Tuesday, officials said.\n\n"
    "Firefighters from three counties worked through the night to protect the hospital and the school.\n\n"
)
#: paragraphs that name no event, to put a reference far from its antecedent
FILLER = (
    "Volunteers from across the state drove in with water, food and blankets for the families.\n\n"
    "The governor asked the federal government for emergency funds to rebuild the town.\n\n"
    "Schools across the county stayed closed for the rest of the week, the authorities said.\n\n"
)
DISASTER = "The disaster left thousands of residents homeless and without power, the county said."
STRIKE = "Nurses walked out of hospitals across the country on Monday in a dispute over pay. "
SIGNED = "Acme Corp signed a deal with Bolt Industries on Monday. "


def mentions_of(extractor: Any, text: str, published: str = PUBLISHED, basis: str = "given") -> list[Mention]:
    doc = Document("doc", text, published=Published(date.fromisoformat(published), basis))
    return extractor.extract(doc).mentions


def ref(text: str, *expected: tuple[str, str], id: str) -> Any:
    return pytest.param(text, set(expected), id=id)


# (text, {(reference word, the date it takes from its antecedent)})
REFERENCES = [
    ref(
        "A jury convicted the former banker Tom Reed of fraud on Thursday. The verdict came after a "
        "five-week trial.",
        ("verdict", "2024-03-07"),
        id="verdict-after-a-conviction",
    ),
    ref(
        "Ruth Okafor resigned as chief executive of Acme Corp on Monday. Her resignation surprised "
        "investors.",
        ("resignation", "2024-03-04"),
        id="derivation-resign-resignation",
    ),
    ref(
        "Northfield Rovers sacked their manager Jane Smith on Sunday. The sacking followed a run of six "
        "defeats.",
        ("sacking", "2024-03-03"),
        id="gerund-the-sacking",
    ),
    ref(FIRE + DISASTER, ("disaster", "2024-03-05"), id="broader-disaster-for-a-wildfire"),
    ref(
        "Acme Corp bought its rival Bolt Industries on Monday for $2 billion. The deal makes Acme the "
        "largest toolmaker in Europe.",
        ("deal", "2024-03-04"),
        id="broader-deal-for-a-purchase",
    ),
    ref(STRIKE + "The strike closed dozens of wards.", ("strike", "2024-03-04"), id="strike-after-a-walkout"),
    ref(
        "Police arrested the opposition leader Kemal Aydin at his home on Sunday. His arrest sparked "
        "protests in the capital.",
        ("arrest", "2024-03-03"),
        id="possessive-pronoun",
    ),
    ref(
        "FTX collapsed in November 2022. Its founder was charged months after the collapse.",
        ("collapse", "2022-11"),
        id="behind-a-preposition",
    ),
    ref(
        "Police arrested the opposition leader Kemal Aydin at his home on Sunday. Protests followed news "
        "of arrest in the capital.",
        ("arrest", "2024-03-03"),
        id="bare-noun-of-the-same-kind",
    ),
    ref(
        "Harlow Mills bought the paper maker Kestrel on Monday for $90 million. The announcement on Monday "
        "surprised analysts.",
        ("announcement", "2024-03-04"),
        id="broader-noun-with-the-antecedent's-day",
    ),
    # --- no reference ---
    ref(
        "Harlow Mills bought the paper maker Kestrel on Monday for $90 million. The announcement on "
        "Wednesday surprised analysts.",
        id="broader-noun-with-another-day",
    ),
    ref(
        "Harlow Mills bought the paper maker Kestrel on Monday for $90 million. The announcement of job "
        "cuts on Monday surprised its staff.",
        id="broader-noun-naming-its-own-subject",
    ),
    ref(STRIKE + "The union plans another strike.", id="another-occurrence"),
    ref(STRIKE + "Union leaders may call off the strike.", id="modal-clause"),
    ref(STRIKE + "Hospitals braced for the planned strike.", id="planned"),
    ref(SIGNED + "The previous deal had collapsed over prices.", id="previous-occurrence"),
    ref(SIGNED + "A deal with Zenith could follow.", id="indefinite"),
    ref(
        "Oleg Duran was convicted of fraud in March 2019. Maria Lopez's conviction surprised nobody.",
        id="another-person's",
    ),
    ref(
        "Police arrested the opposition leader Kemal Aydin at his home on Sunday. The election was held "
        "without him.",
        id="another-kind-of-event",
    ),
    ref(FIRE + FILLER + DISASTER, id="broader-word-paragraphs-away"),
    ref(
        "The government sought a deal with the unions before the summer. The deal was signed last week.",
        id="no-dated-antecedent",
    ),
]


@pytest.mark.parametrize(("text", "expected"), REFERENCES)
def test_references(extractor: Any, text: str, expected: set[tuple[str, str]]) -> None:
    found = mentions_of(extractor, text)
    refs = [m for m in found if m.generic]
    assert {(m.trigger.text, m.date.value) for m in refs} == expected, [
        (m.trigger.text, m.date.value, m.generic) for m in found
    ]
    for m in refs:  # the antecedent's date and date expression, a quote of its own
        antecedent = next(a for a in found if not a.generic and a.date == m.date)
        assert m.date_span == antecedent.date_span and m.type == antecedent.type
        assert m.start > antecedent.start and m.quote == text[m.start : m.end]
        assert m.trigger.text == text[m.trigger.start : m.trigger.end]


# (text, the reference word, the actors it carries): the antecedent's, and the noun's own arguments
REFERENCE_ACTORS = [
    pytest.param(
        'The general election in Norland was held on Sunday. "We won," Ann Reed said after casting her '
        "ballot.",
        "ballot",
        {"Ann Reed"},
        id="a-possessor-takes-part",
    ),
    pytest.param(
        "Leaders met for a summit in Vale on Sunday.\n\nMinisters argued about trade.\n\nAt the "
        "summit, Ann Reed warned of risks.",
        "summit",
        {"Ann Reed"},
        id="who-acts-at-it-takes-part",
    ),
    pytest.param(
        "The general election in Norland was held on Sunday. After the ballot, Ann Reed thanked her "
        "supporters.",
        "ballot",
        set(),
        id="the-clause-of-a-bare-noun-does-not",
    ),
]


@pytest.mark.parametrize(("text", "word", "actors"), REFERENCE_ACTORS)
def test_a_reference_carries_its_own_arguments(
    extractor: Any, text: str, word: str, actors: set[str]
) -> None:
    found = mentions_of(extractor, text)
    (ref_,) = [m for m in found if m.generic and m.trigger.text == word]
    assert set(ref_.actors) == actors, ref_.actors


# (text, the trigger of a deed done to an event told before, actors it must have, must not have)
OBJECT_PARTIES = [
    pytest.param(
        "Varco agreed to buy Lindell Foods in January 2023. In May, the regulator approved the deal.",
        "approved",
        {"Varco", "Lindell Foods"},
        set(),
        id="the-parties-of-the-deal-a-deed-is-done-to",
    ),
    pytest.param(
        "Varco agreed to buy Lindell Foods in January 2023. In April, Britain's competition watchdog"
        " blocked the takeover.",
        "blocked",
        {"Varco", "Lindell Foods"},
        set(),
        id="a-narrower-word-for-the-same-deal",
    ),
    pytest.param(
        "Varco agreed to buy Lindell Foods in January 2023. In May, the regulator approved the takeover"
        " of Bolt.",
        "approved",
        set(),
        {"Lindell Foods"},
        id="a-noun-that-says-whose-it-is-names-its-own",
    ),
]


@pytest.mark.parametrize(("text", "trigger", "present", "absent"), OBJECT_PARTIES)
def test_a_deed_done_to_an_event_told_before_has_its_parties(
    extractor: Any, text: str, trigger: str, present: set[str], absent: set[str]
) -> None:
    (m,) = [m for m in mentions_of(extractor, text) if m.trigger.text == trigger and not m.generic]
    assert present <= set(m.actors) and not absent & set(m.actors), m.actors


# (the article, the reference word): the reference joins its antecedent's event in the timeline
JOINED = [
    pytest.param(REFERENCES[0].values[0], "verdict", id="verdict"),
    pytest.param(REFERENCES[1].values[0], "resignation", id="resignation"),
    pytest.param(REFERENCES[4].values[0], "deal", id="deal"),
]


@pytest.mark.parametrize(("text", "word"), JOINED)
def test_a_reference_joins_the_event_it_names(extractor: Any, text: str, word: str) -> None:
    timeline = build_timeline([{"text": text, "published": PUBLISHED}], extractor=extractor)
    event = next(e for e in timeline.events if word in {s.mention.trigger.text for s in e.sources})
    assert len(event.sources) == 2 and {s.mention.generic for s in event.sources} == {False, True}
    assert timeline.count == 1


# --------------------------------------------------------------------------------------------------
# the lede: undated news, on or just before the publication day
# --------------------------------------------------------------------------------------------------

BY_PUBLICATION = DateValue("2024-03-08", "day", date(2024, 3, 7), date(2024, 3, 8), "ON_OR_BEFORE")


def test_a_lede_is_dated_by_the_publication_day(extractor: Any) -> None:
    text = "The Competition Authority has blocked Acme's takeover of Bolt Industries over fears for prices."
    (m,) = mentions_of(extractor, text)
    assert (m.trigger.text, m.date, m.generic) == ("blocked", BY_PUBLICATION, False)
    assert m.date_span.text == ""  # no expression in the text dates it


def test_an_inferred_publication_date_dates_no_lede(extractor: Any) -> None:
    text = "The Competition Authority has blocked Acme's takeover of Bolt Industries over fears for prices."
    assert mentions_of(extractor, text, basis="inferred") == []


def test_a_second_lede_sentence_of_the_same_kind_refers_to_the_first(extractor: Any) -> None:
    found = mentions_of(
        extractor,
        "The Competition Authority has blocked Acme's takeover of Bolt Industries over fears for prices. "
        "The Competition Authority vetoed what would have been the largest deal in the industry.",
    )
    assert [(m.trigger.text, m.generic, m.date) for m in found] == [
        ("blocked", False, BY_PUBLICATION),
        ("vetoed", True, BY_PUBLICATION),
    ]


def test_the_body_dates_the_news_of_the_lede(extractor: Any) -> None:
    """ "X has taken the oath." ... "X was sworn in on Thursday": the lede is that swearing-in."""
    text = (
        "Maria Elena Vasquez has taken the oath of office as the ninth president of Norland. "
        "Vasquez was sworn in on Thursday at the presidential palace in Vale."
    )
    found = mentions_of(extractor, text)
    assert [(m.trigger.text, m.generic, m.date.value, m.date_span.text) for m in found] == [
        ("oath", True, "2024-03-07", "Thursday"),
        ("sworn", False, "2024-03-07", "Thursday"),
    ]
    timeline = build_timeline([{"text": text, "published": PUBLISHED}], extractor=extractor)
    assert timeline.count == 1 and len(timeline.events[0].sources) == 2


def test_an_undated_lede_shows_by_its_day(extractor: Any) -> None:
    text = "Ruth Okafor has resigned as chief executive of Acme Corp after eleven years in the job."
    timeline = build_timeline([{"text": text, "published": PUBLISHED}], extractor=extractor)
    (event,) = TimelineSchema().dump(timeline)["events"]
    assert event["date"] == {
        "value": "2024-03-08",
        "precision": "day",
        "start": "2024-03-07",
        "end": "2024-03-08",
        "modifier": "ON_OR_BEFORE",
        "display": "by 8 March 2024",
        "alternatives": [],
    }
    assert event["sources"][0]["date_text"] == ""


def test_display_of_on_or_before() -> None:
    assert display(BY_PUBLICATION) == "by 8 March 2024"
    assert display(DateValue("2024-03-08", "day", date(2024, 3, 8), date(2024, 3, 8))) == "8 March 2024"


def test_a_publication_on_the_first_day_has_no_day_before() -> None:
    from dateline.events.lede import Lede
    from dateline.events.triggers import EventFinder

    lede = Lede(EventFinder(), Published(date.min, "given"))
    assert lede.date == DateValue("0001-01-01", "day", date.min, date.min, "ON_OR_BEFORE")
