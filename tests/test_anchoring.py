"""When "today" is not the publication day: a quotation's dated attribution, a day the narrative sets
before clock times, a wire dateline that dates a story published later. And where nothing in the text
moves it, every date stays read against the publication date."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
import spacy

import dateline.timex.component  # noqa: F401  (registers the spaCy factory)
from dateline.model import Document, Published
from dateline.timex.anchoring import Dateline, find_dateline
from dateline.timex.tagger import resolve, scan, tag

#: a Friday, the day after a Thursday verdict
FRI = "2023-11-03"


def _value(text: str, dct: str, expression: str, nth: int = 0) -> str:
    found = [t for t in tag(text, date.fromisoformat(dct)) if t.text == expression]
    assert len(found) > nth, f"{expression!r} not tagged in {text!r}: {tag(text, date.fromisoformat(dct))}"
    return found[nth].value


QUOTED = [
    # (text, publication date, expression, value)
    pytest.param(
        "“He believed he was untouchable. Today’s verdict proves him wrong,” the attorney general "
        "said in a statement late Thursday.",
        FRI,
        "Today",
        "2023-11-02",
        id="attribution-after-late-thursday",
    ),
    pytest.param(
        "The attorney general said in a statement on Thursday: “Today’s verdict proves him wrong.”",
        FRI,
        "Today",
        "2023-11-02",
        id="attribution-before-with-colon",
    ),
    pytest.param(
        "The governor said Wednesday that “tonight the shelters stay open.”",
        FRI,
        "tonight",
        "2023-11-01TNI",
        id="said-wednesday-that-tonight",
    ),
    pytest.param(
        '"The levee failed yesterday," the mayor told reporters on Wednesday.',
        FRI,
        "yesterday",
        "2023-10-31",
        id="straight-quotes-yesterday",
    ),
    pytest.param(
        "``This morning we lost power,'' a resident said Wednesday.",
        FRI,
        "This morning",
        "2023-11-01TMO",
        id="tex-quotes-this-morning",
    ),
    pytest.param(
        "“We will meet again on Friday,” the envoy said on Thursday.",
        "2023-11-06",
        "Friday",
        "2023-11-03",
        id="weekday-inside-the-quote",
    ),
    pytest.param(
        "The minister spoke to reporters on Thursday. “Today is a day for the history books.”",
        FRI,
        "Today",
        "2023-11-02",
        id="bare-quote-takes-the-sentence-before",
    ),
    pytest.param(
        "“We won,” the coach said on Thursday. “Today belongs to the players.”",
        FRI,
        "Today",
        "2023-11-02",
        id="second-quote-of-the-same-speaker",
    ),
    pytest.param(
        "The union leader said in a speech on Thursday:\n\n“Today the strike ends.”",
        FRI,
        "Today",
        "2023-11-02",
        id="introduced-by-a-colon-in-the-paragraph-before",
    ),
    pytest.param(
        "The chairman, who took office on Oct. 2, said on Thursday: “Today we begin again.”",
        FRI,
        "Today",
        "2023-11-02",
        id="the-day-nearest-the-saying",
    ),
]

UNCHANGED = [
    pytest.param(
        "“Today’s verdict proves him wrong,” the attorney general said.",
        FRI,
        "Today",
        FRI,
        id="undated-attribution",
    ),
    pytest.param(
        "The minister said on Thursday that the talks would resume today.",
        FRI,
        "today",
        FRI,
        id="outside-any-quote",
    ),
    pytest.param(
        "“Today is historic,” said the chairman, who took office on Oct. 2.",
        FRI,
        "Today",
        FRI,
        id="a-date-in-a-relative-clause-is-not-the-saying",
    ),
    pytest.param(
        "Police said the suspect was arrested on Oct. 30. “Today we can sleep again,” his mother said.",
        FRI,
        "Today",
        FRI,
        id="own-undated-attribution-wins-over-the-sentence-before",
    ),
    pytest.param(
        "The minister spoke to reporters on Thursday.\n\n“Today is a day for the history books.”",
        FRI,
        "Today",
        FRI,
        id="attribution-in-another-paragraph",
    ),
    pytest.param(
        "The council will issue a statement on Monday: “Today the budget is balanced.”",
        FRI,
        "Today",
        FRI,
        id="a-statement-still-ahead",
    ),
    pytest.param(
        "The court met today, and the verdict came yesterday.",
        FRI,
        "yesterday",
        "2023-11-02",
        id="no-quote-no-dateline",
    ),
]

NARRATIVE = [
    pytest.param(
        "It was Thursday night when the jury sent a note. At 7:37 p.m., it had reached a verdict.",
        FRI,
        "7:37 p.m.",
        "2023-11-02T19:37",
        id="thursday-night-then-a-clock-time",
    ),
    pytest.param(
        "On Tuesday evening, the council met in closed session. The vote came at 9 p.m.",
        FRI,
        "9 p.m.",
        "2023-10-31T21:00",
        id="tuesday-evening-then-a-clock-time",
    ),
    pytest.param(
        "The ferry left on Oct. 30. It sank at 4:10 a.m. near the coast.",
        FRI,
        "4:10 a.m.",
        "2023-10-30T04:10",
        id="a-calendar-day-then-a-clock-time",
    ),
    pytest.param(
        "It was Thursday night when the jury sent a note.\n\nAt 7:37 p.m., it had reached a verdict.",
        FRI,
        "7:37 p.m.",
        f"{FRI}T19:37",
        id="another-paragraph-keeps-the-publication-day",
    ),
    pytest.param("The vote came at 9 p.m.", FRI, "9 p.m.", f"{FRI}T21:00", id="no-narrative-day"),
    pytest.param(
        "Polls stay open until Thursday. Counting starts at 8 p.m.",
        "2023-10-30",
        "8 p.m.",
        "2023-10-30T20:00",
        id="a-bound-sets-no-day",
    ),
    pytest.param(
        "It was Thursday night. The call had come at 10 p.m. Wednesday.",
        FRI,
        "10 p.m. Wednesday",
        "2023-11-01T22:00",
        id="a-clock-time-with-its-own-day",
    ),
]

DATELINED = [
    pytest.param(
        "WASHINGTON, Nov 1 (Reuters) - A federal jury reached its verdict on Tuesday.",
        FRI,
        "Tuesday",
        "2023-10-31",
        id="reuters-weekday",
    ),
    pytest.param(
        "MOSCOW, June 19 (AFP) - The president arrived today for talks.",
        "2024-06-21",
        "today",
        "2024-06-19",
        id="afp-today",
    ),
    pytest.param(
        "MOSCOW, June 19 (AFP) - The envoys met yesterday.",
        "2024-06-21",
        "yesterday",
        "2024-06-18",
        id="afp-yesterday",
    ),
    pytest.param(
        "Leaders meet in Berlin\n\nBERLIN, 19 June (dpa) - The talks opened today.",
        "2024-06-20",
        "today",
        "2024-06-19",
        id="after-a-headline",
    ),
    pytest.param(
        "WASHINGTON, Nov 3 (Reuters) - The talks opened today.",
        FRI,
        "today",
        FRI,
        id="dateline-of-the-publication-day",
    ),
    pytest.param(
        "HILO, Hawaii (AP) — The eruption began on Tuesday.",
        FRI,
        "Tuesday",
        "2023-10-31",
        id="undated-dateline",
    ),
    pytest.param(
        "WASHINGTON, Nov 5 (Reuters) - The talks opened today.",
        FRI,
        "today",
        FRI,
        id="a-dateline-after-the-publication",
    ),
    pytest.param(
        "UPDATE: The talks opened today.",
        FRI,
        "today",
        FRI,
        id="page-furniture-is-no-dateline",
    ),
    pytest.param(
        "CAIRO, Nov 1 (MENA) -- The minister said Tuesday: “Today the crossing opens.”",
        FRI,
        "Today",
        "2023-10-31",
        id="a-quote-inside-a-datelined-story",
    ),
]


@pytest.mark.parametrize(("text", "dct", "expression", "value"), QUOTED + UNCHANGED)
def test_a_quotation_says_today_of_the_day_it_was_said(
    text: str, dct: str, expression: str, value: str
) -> None:
    assert _value(text, dct, expression) == value


@pytest.mark.parametrize(("text", "dct", "expression", "value"), NARRATIVE)
def test_the_narrative_day_holds_for_the_clock_times_after_it(
    text: str, dct: str, expression: str, value: str
) -> None:
    assert _value(text, dct, expression) == value


@pytest.mark.parametrize(("text", "dct", "expression", "value"), DATELINED)
def test_a_dated_dateline_dates_a_story_published_later(
    text: str, dct: str, expression: str, value: str
) -> None:
    assert _value(text, dct, expression) == value


@pytest.mark.parametrize(
    ("text", "place", "region", "agency", "dated"),
    [
        pytest.param("MOSCOW, June 19 (AFP) - The talks", "MOSCOW", None, "AFP", True, id="afp"),
        pytest.param("HILO, Hawaii (AP) — The lava", "HILO", "Hawaii", "AP", False, id="ap-region"),
        pytest.param(
            "WASHINGTON, Nov 3 (Reuters) - The bill", "WASHINGTON", None, "Reuters", True, id="reuters"
        ),
        pytest.param("CAIRO, Sept. 22 (MENA) -- The talks", "CAIRO", None, "MENA", True, id="double-dash"),
        pytest.param("HILO, Hawaii: The lava", "HILO", "Hawaii", None, False, id="colon"),
        pytest.param(
            "Chennai, Sep 23 (PTI) The state", "Chennai", None, "PTI", True, id="title-case-no-dash"
        ),
        pytest.param("WASHINGTON _ The bill", "WASHINGTON", None, None, False, id="underscore"),
        pytest.param(
            "DAR ES SALAAM, Tanzania (AP) _ The port", "DAR ES SALAAM", "Tanzania", "AP", False, id="long"
        ),
        pytest.param(
            "(Wire Feed (XYZ)) PARIS, March 4 (AFP) - The strike",
            "PARIS",
            None,
            "AFP",
            True,
            id="syndication-tag",
        ),
        pytest.param(
            "A headline\n\nBERLIN (dpa) - The talks", "BERLIN", None, "dpa", False, id="after-headline"
        ),
    ],
)
def test_dateline_found(text: str, place: str, region: str | None, agency: str | None, dated: bool) -> None:
    found = find_dateline(text)
    assert found is not None
    assert (found.place, found.region, found.agency, found.dated) == (place, region, agency, dated)
    assert text[found.start : found.start + len(place)] == place


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("FILE - A photo of the booth.", id="file-photo"),
        pytest.param("UPDATE: The talks resumed.", id="update"),
        pytest.param("Monday, Nov. 3 (Reuters) - The bill passed.", id="a-day-is-no-place"),
        pytest.param("Mayor: The bridge will reopen.", id="headline-with-colon"),
        pytest.param("Officials - and their aides - met.", id="dash-after-a-word"),
        pytest.param("The talks opened today in Berlin.", id="a-sentence"),
        pytest.param("One\nTwo\nThree\nFour\nFive\nSix\nBERLIN (dpa) - The talks", id="too-far-down"),
    ],
)
def test_no_dateline(text: str) -> None:
    assert find_dateline(text) is None


def test_the_scan_carries_the_dateline_and_one_scan_serves_every_date() -> None:
    text = "MOSCOW, June 19 (AFP) - The president arrived today."
    found = scan(text)
    assert found.layout.dateline is not None and found.layout.dateline.place == "MOSCOW"
    assert [t.value for t in resolve(found, date(2024, 6, 21))] == ["2024-06-19", "2024-06-19"]
    # without a reference date the dateline's day has no year, and "today" no day
    assert [t.value for t in resolve(found, None) if t.text == "today"] == []


def test_the_component_leaves_the_dateline_on_the_doc() -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("dateline_dates")
    doc = nlp.make_doc("MOSCOW, June 19 (AFP) - The president arrived today.")
    doc._.dct = date(2024, 6, 21)
    doc = nlp(doc)
    assert isinstance(doc._.dateline, Dateline)
    assert (doc._.dateline.place, doc._.dateline.agency) == ("MOSCOW", "AFP")
    assert doc._.dateline_day == date(2024, 6, 19)
    same_day = nlp.make_doc("MOSCOW, June 21 (AFP) - The president arrived today.")
    same_day._.dct = date(2024, 6, 21)
    assert nlp(same_day)._.dateline_day is None


#: the issue's verdict split, in texts of our own: a statement quoted the next day, and a narrative
#: that sets the evening before a clock time; both are the Thursday verdict of a Friday article
VERDICT = [
    pytest.param(
        "A federal jury found the former banker guilty of fraud. “He believed the rules did not apply to "
        "him. Today’s verdict shows they do,” the attorney general said in a statement late Thursday.",
        id="quoted-statement",
    ),
    pytest.param(
        "It was Thursday night when the jury sent its last note to the judge. At 7:37 p.m., the jury had "
        "reached a verdict, finding the former banker guilty on all counts.",
        id="narrative-evening",
    ),
]


@pytest.mark.parametrize("text", VERDICT)
def test_the_verdict_dates_to_the_verdict_day(extractor: Any, text: str) -> None:
    doc = Document(id="verdict", text=text, published=Published(date.fromisoformat(FRI), "given"))
    verdicts = [m for m in extractor.extract(doc).mentions if m.trigger.text == "verdict"]
    assert verdicts, "no mention of the verdict"
    assert {m.date.value for m in verdicts} == {"2023-11-02"}
