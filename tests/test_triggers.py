"""Which word a date's event is, and its kind: the clause's event, not a complement's; an event noun
when the verb names none; a speech when the date sits at the speaker; no event for a rumour or a time
limit. Short texts of our own, one row per linguistic case."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from dateline.model import Document, Mention, Published


def mentions(extractor: Any, text: str, published: str) -> list[Mention]:
    doc = Document("doc", text, published=Published(date.fromisoformat(published), "given"))
    return extractor.extract(doc).mentions


def case(text: str, published: str, found: list[tuple[str, str, str | None]], *, id: str) -> Any:
    return pytest.param(text, published, found, id=id)


# (text, publication date, the (trigger, type, subtype) of every mention the text holds, in order)
TRIGGERS = [
    # a verb that names no event of its own: the event noun it modifies or that is its subject
    case("Residents returned to Corraville, the hill town that a wildfire devastated last week.",
         "2025-07-18", [("wildfire", "disaster", "wildfire")], id="noun-over-an-untyped-relative-verb"),
    case("The summit that opened in Geneva on Monday ended without a deal.", "2024-11-08",
         [("summit", "meeting", "summit")], id="noun-over-an-untyped-participle"),
    case("Rain fell all week. On Thursday, a wind-driven blaze levelled the old mining town.",
         "2024-11-08", [("blaze", "disaster", "wildfire")], id="subject-noun-of-an-untyped-verb"),
    # the verdict, not the charge
    case("Mark Ellison was found guilty on all charges of defrauding investors on Thursday.", "2024-11-08",
         [("found", "justice", "verdict")], id="charge-gerund-after-counts"),
    case("Mark Ellison was found guilty of laundering money on Thursday.", "2024-11-08",
         [("found", "justice", "verdict")], id="charge-gerund-after-guilty"),
    case("A jury found Mark Ellison guilty on Thursday.", "2024-11-08",
         [("found", "justice", "verdict")], id="jury-found-guilty"),
    # speech
    case("Governor Dana Reyes on Monday told survivors of the floods that the state would help them.",
         "2024-11-08", [("told", "statement", "remarks")], id="told-after-the-date"),
    case("The country could face a snap election in December with President Tomas Varga on Monday saying "
         "parliament would be dissolved within days.", "2024-11-04",
         [("saying", "statement", "remarks")], id="participle-of-speech-after-a-name"),
    case("President Tomas Varga said on Monday the parliament would be dissolved.", "2024-11-04",
         [("said", "statement", "remarks")], id="date-before-the-reported-clause"),
    case("The governor warned on Saturday that the death toll would rise.", "2024-11-10",
         [("warned", "statement", "warning")], id="warned-of-what-has-not-happened"),
    case("The coach has left the club, the team said in a statement on Monday.", "2024-11-08",
         [("left", "personnel", "departure")], id="said-in-a-statement-is-the-saying"),
    case("Prado was pressed with questions about the move at his news conference on Friday.",
         "2024-11-08", [("conference", "statement", "remarks")], id="the-occasion-of-an-untyped-clause"),
    # a regulator's block, veto or approval of a deal: one kind
    case("Varco agreed to buy the studio in 2022. It was blocked in Britain in April 2023 by the "
         "regulator.", "2024-11-08",
         [("buy", "agreement", "acquisition"), ("blocked", "business", "regulation")],
         id="passive-with-a-by-agent"),
    case("The regulator blocked the takeover in April 2023.", "2024-11-08",
         [("blocked", "business", "regulation")], id="blocked-the-takeover"),
    case("The competition regulator vetoed the takeover in April 2023.", "2024-11-08",
         [("vetoed", "business", "regulation")], id="vetoed-the-takeover"),
    case("The watchdog's veto in April 2023 stunned the company.", "2024-11-08",
         [("veto", "business", "regulation")], id="the-regulators-veto"),
    case("In July 2023, Varco urged the British regulator to reconsider its April 2023 veto.", "2024-11-08",
         [("urged", "statement", "appeal"), ("veto", "business", "regulation")],
         id="the-veto-of-the-one-urged-to-rethink-it"),
    case("The deal was completed hours after Varco got final approval from the competition regulator on "
         "Friday.", "2024-11-08", [("approval", "business", "regulation")], id="approval-from-a-watchdog"),
    # the collapse of an economy, in any word
    case("The country's economic meltdown in 2022 forced the president out.", "2024-11-08",
         [("meltdown", "business", "economy")], id="economic-meltdown"),
    case("The country suffered its worst economic crisis in 2022.", "2024-11-08",
         [("crisis", "business", "economy")], id="economic-crisis"),
    case("Sri Lanka's economy collapsed in 2022, forcing the president out.", "2024-11-08",
         [("collapsed", "business", "economy")], id="economy-collapsed"),
    case("The exchange's collapse in November 2022 wiped out its customers.", "2024-11-08",
         [("collapse", "business", "collapse")], id="a-company-collapse-is-business-too"),
    # no event
    case("The coach was linked with a return to the club over the summer.", "2024-11-08", [],
         id="a-rumour"),
    case("Varco missed the March 3 deadline under the original agreement.", "2024-11-08", [],
         id="a-time-limit"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "published", "found"), TRIGGERS)
def test_the_event_of_the_date(
    extractor: Any, text: str, published: str, found: list[tuple[str, str, str | None]]
) -> None:
    got = [(m.trigger.text, m.type, m.subtype) for m in mentions(extractor, text, published)]
    assert got == found
