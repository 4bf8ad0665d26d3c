"""Events dated only through another event of their sentence, or through a date that modifies their noun.

Short texts of our own, one row per linguistic case (``events/chains.py``): "The governor spoke on
Saturday, four days after a blaze levelled the town" is two dated mentions, the blaze's date read from
the speech's; "X has sacked Y after Sunday's defeat" dates the defeat, not the sacking.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from dateline.model import Document, Mention, Published

PUBLISHED = "2024-10-28"  # a Monday


def mentions_of(extractor: Any, text: str, published: str = PUBLISHED) -> list[Mention]:
    doc = Document("doc", text, published=Published(date.fromisoformat(published), "given"))
    return extractor.extract(doc).mentions


def placed(text: str, words: str, value: str, bounds: tuple[str, str] | None = None, *, id: str) -> Any:
    """A row: the placed event is named by one of ``words`` and dated ``value`` (within ``bounds``)."""
    return pytest.param(text, set(words.split()), value, bounds or (value, value), id=id)


# (text, the words that may name the placed event, its date value, its first and last day)
PLACED = [
    placed(
        "The governor spoke to reporters in Marlow on Saturday, four days after a blaze levelled the old "
        "harbour district.",
        "blaze levelled",
        "2024-10-22",
        id="days-after-a-clause-anchor-dated-in-the-sentence",
    ),
    placed(
        "Maria Ortiz was sworn in as mayor of Dunmore on Monday, a day after the electoral board announced "
        "her victory.",
        "announced victory",
        "2024-10-27",
        id="a-day-after",
    ),
    placed(
        "Ruth Okafor was sworn in as prime minister on Monday. Her swearing-in came hours after the outgoing "
        "premier John Kamau resigned from his post.",
        "resigned",
        "2024-10-28",
        id="hours-after-an-anchor-dated-in-the-sentence-before",
    ),
    placed(
        "Police arrested the driver on Friday, shortly after the crash on the ring road.",
        "crash",
        "2024-10-25",
        id="shortly-after-a-noun",
    ),
    placed(
        "Protesters gathered outside parliament on Wednesday, the day after the vote on the pension reform.",
        "vote",
        "2024-10-22",
        id="the-day-after",
    ),
    placed(
        "The finance minister resigned on Thursday, two days before the budget vote.",
        "vote",
        "2024-10-26",
        id="days-before",
    ),
    placed(
        "Rescue teams reached the village of Tarn on Sunday, two weeks after the earthquake.",
        "earthquake",
        "2024-10-13",
        ("2024-10-10", "2024-10-16"),
        id="weeks-after-a-noun-told-loosely",
    ),
    placed(
        "Officials confirmed the death toll on Tuesday, nearly 10 days after the storm made landfall.",
        "storm made",
        "2024-10-12",
        ("2024-10-11", "2024-10-13"),
        id="a-hedged-distance",
    ),
    placed(
        "The company filed for bankruptcy in June, three months after the collapse of its main lender.",
        "collapse",
        "2024-03",
        ("2024-03-01", "2024-03-31"),
        id="months-after-to-the-month",
    ),
    placed(
        "Residents of Harwick are still clearing mud from their homes a week after the flood.",
        "flood",
        "2024-10-21",
        ("2024-10-18", "2024-10-24"),
        id="present-tense-anchor-is-the-publication-day",
    ),
    placed(
        "President Lee toured the flooded district of Palmer on Monday. She arrived in the district three "
        "days after the river burst its banks.",
        "burst",
        "2024-10-25",
        id="undated-past-anchor-at-the-story-time",
    ),
]


@pytest.mark.parametrize(("text", "words", "value", "bounds"), PLACED)
def test_placed_event(
    extractor: Any, text: str, words: set[str], value: str, bounds: tuple[str, str]
) -> None:
    found = mentions_of(extractor, text)
    hits = [m for m in found if m.trigger.text in words]
    assert len(hits) == 1, [(m.trigger.text, m.date.value) for m in found]
    m = hits[0]
    assert (m.date.value, m.date.start.isoformat(), m.date.end.isoformat()) == (value, *bounds)
    assert not m.generic, "a placed event is its own entry"
    assert m.quote in text and m.trigger.text in m.quote
    assert m.date_span.text.endswith(("after", "before")), "its date expression is the distance"


def test_possessive_date_leaves_the_lede_news_dated_by_publication(extractor: Any) -> None:
    found = mentions_of(
        extractor,
        "Northfield Rovers have sacked their manager Jane Smith after Sunday's 3-0 defeat at Leeds.",
    )
    by_word = {m.trigger.text: m for m in found}
    assert by_word["defeat"].date.value == "2024-10-27"
    sacking = by_word["sacked"].date
    assert (sacking.value, sacking.start.isoformat(), sacking.modifier) == (
        PUBLISHED,
        "2024-10-27",
        "ON_OR_BEFORE",
    )


def test_a_placed_event_the_story_tells_joins_it(extractor: Any) -> None:
    """ "three days after the river flooded the town" ... "the river broke through on Sunday": one event."""
    found = mentions_of(
        extractor,
        "Interior Minister Alan Reyes visited Brenton on Wednesday, three days after the River Tay flooded "
        "the town. The River Tay broke through its defences on Sunday after heavy rain.",
        "2024-10-24",
    )
    flooded = next(m for m in found if m.trigger.text == "flooded")
    broke = next(m for m in found if m.trigger.text == "broke")
    assert flooded.generic and not broke.generic
    assert flooded.date == broke.date and flooded.date.value == "2024-10-20"


# (text, published): a distance that places no event
NOTHING_PLACED = [
    pytest.param("The coach was sacked on Monday after months of speculation.", id="no-distance"),
    pytest.param("The mayor resigned on Monday, two days after the incident.", id="a-generic-noun"),
    pytest.param("The club sold the striker on Friday, a week after his birthday.", id="no-event-noun"),
    pytest.param(
        "Workers at the Delmont plant walked out on Monday. The strike lasted four days after the union "
        "rejected the offer.",
        id="a-duration-the-verb-measures",
    ),
    pytest.param("Prices rose on Monday for four days after the announcement.", id="for-a-duration"),
    pytest.param(
        "The minister resigned on Tuesday, two days after the board did not approve the plan.",
        id="a-negated-event",
    ),
    pytest.param("The airline cancelled 40 flights on Monday, two days after Christmas.", id="a-holiday"),
    pytest.param("The minister resigned on Friday, two days after he was in Paris.", id="a-state"),
    pytest.param(
        "The team lost 2-0 on Saturday, two weeks before the derby.",
        id="an-event-after-publication",
    ),
]


@pytest.mark.parametrize("text", NOTHING_PLACED)
def test_nothing_placed(extractor: Any, text: str) -> None:
    found = mentions_of(extractor, text)
    assert not [m for m in found if m.date_span.text.endswith(("after", "before"))], [
        (m.trigger.text, m.date.value, m.date_span.text) for m in found
    ]


def statement_row(text: str, word: str, value: str | None, *, id: str) -> Any:
    """A row: the statement named by ``word`` is dated ``value`` (None: it is no dated mention)."""
    return pytest.param(text, word, value, id=id)


# (text, the statement's word, its date value or None)
STATEMENTS = [
    statement_row(
        "Dana Price was convicted of fraud on Thursday. Following Price's conviction, the city's chief "
        "prosecutor warned that other swindlers would be caught too.",
        "warned",
        "2024-10-24",
        id="following-an-event-noun",
    ),
    statement_row(
        "Voters in Marland elected a new council on Saturday. The mayor, 75, said after casting his ballot "
        "that he had rescued the city's finances.",
        "said",
        "2024-10-26",
        id="after-a-gerund-clause",
    ),
    statement_row(
        "Omar Keane was sworn in as president on Monday. Speaking after his oath ceremony in the capital, "
        "Keane said he would work hard for every citizen.",
        "said",
        "2024-10-28",
        id="a-participle-of-speech-after-a-noun",
    ),
    statement_row(
        'Judge Ada Moss sentenced Leon Hart to ten years in prison on Thursday. "He knew it was wrong," '
        "Moss said of Hart before handing down the sentence.",
        "said",
        "2024-10-24",
        id="before-a-gerund-and-its-object",
    ),
    statement_row(
        "A federal judge sentenced Leon Hart to ten years in prison on Thursday for fraud and money "
        "laundering. Hart, 41, said he was sorry about what had happened to his customers.",
        "said",
        "2024-10-24",
        id="a-participant-of-the-event-speaks-after-it",
    ),
    statement_row(
        "U.S. President Tom Reyes arrived in Kestad on Monday for a two-day visit after the floods. Reyes "
        'toured the harbour with the mayor. "This will be a hard day for many families," White '
        "House spokesperson Ana Dole told reporters on the plane.",
        "told",
        "2024-10-28",
        id="the-spokesperson-of-a-participant",
    ),
    statement_row(
        "A federal judge sentenced Leon Hart to ten years in prison on Thursday for fraud and money "
        "laundering. The sentence sets an example for others, analyst Jane Roe told a newspaper.",
        "told",
        None,
        id="someone-who-took-no-part-in-it",
    ),
    statement_row(
        "Leon Hart's fraud trial began with jury selection on Tuesday. US District Judge Ada Moss told "
        "the prospective jurors that the case had drawn wide attention.",
        "told",
        None,
        id="a-presider-the-scene-does-not-name",
    ),
    statement_row(
        "Leon Hart's fraud trial began on Tuesday before Judge Ada Moss. Moss told the prospective "
        "jurors that the case had drawn wide attention.",
        "told",
        "2024-10-22",
        id="a-presider-the-scene-names",
    ),
    statement_row(
        "A jury found Leon Hart guilty of fraud on March 2. Hart said he was sorry about what had "
        "happened to his customers.",
        "said",
        None,
        id="the-event-is-no-news-of-the-week",
    ),
    statement_row(
        "After the war, the old soldier said he regretted nothing at all in his long life.",
        "said",
        None,
        id="after-an-event-the-story-never-dated",
    ),
    statement_row(
        "Harwick Rovers parted company with Dan Price on Sunday, a day after their heavy defeat at "
        "Dunmore. The club said Lee Cole would be caretaker manager.",
        "said",
        "2024-10-27",
        id="said-at-the-latest-event-of-the-paragraph",
    ),
]


@pytest.mark.parametrize(("text", "word", "value"), STATEMENTS)
def test_a_statement_said_at_an_event(extractor: Any, text: str, word: str, value: str | None) -> None:
    dates = {m.date.value for m in mentions_of(extractor, text) if m.trigger.text == word}
    assert dates == ({value} if value else set())


def test_a_day_a_verb_designates_does_not_date_it(extractor: Any) -> None:
    text = "Earlier in the day, the government of Marland declared Monday a special public holiday."
    dates = {m.date.value for m in mentions_of(extractor, text, "2024-09-21") if m.trigger.text == "declared"}
    assert dates == {"2024-09-21"}


def test_words_said_at_an_event_are_said_at_its_place(extractor: Any) -> None:
    text = (
        "A federal judge sentenced Leon Hart to ten years in prison in Manhattan on Thursday for fraud. "
        "Hart, 41, said he was sorry about what had happened to his customers."
    )
    said = [m for m in mentions_of(extractor, text) if m.trigger.text == "said"]
    assert [(m.date.value, m.location) for m in said] == [("2024-10-24", "Manhattan")]
