"""What a date dates when a clause speaks of another: a statement that makes its own news, a past fact
under a modal or a wish, what one deed paved the way for, a picture's date, a present state, an "as"
clause beside a dated event, a second date inside a reported clause. Short texts of our own, one row per
linguistic case (``events/announced.py``, ``events/factuality.py``, ``events/mentions.py``)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from dateline.model import Document, Mention, Published

PUBLISHED = "2024-11-08"  # a Friday


def mentions(extractor: Any, text: str, published: str = PUBLISHED) -> list[Mention]:
    doc = Document("doc", text, published=Published(date.fromisoformat(published), "given"))
    return extractor.extract(doc).mentions


Found = list[tuple[str, str, str | None, str]]


def case(text: str, found: Found, *, id: str, published: str = PUBLISHED) -> Any:
    return pytest.param(text, published, found, id=id)


# (text, the (trigger, type, subtype, date value) of every mention the text holds, in order)
EVENTS = [
    # a statement that makes its own news is that news, on the statement's day
    case("“Acme is pleased to announce the appointment of Jo Park as chief executive,” the company said "
         "on Friday.", [("appointment", "personnel", "appointment", "2024-11-08")],
         id="is-delighted-to-announce-an-event"),
    case("“Acme is pleased to announce the appointment of Jo Park as chief executive,” the club said on "
         "its web page on Friday.", [("appointment", "personnel", "appointment", "2024-11-08")],
         id="said-on-its-website"),
    case("“Acme can confirm the departure of Jo Park,” the club said on Friday.",
         [("departure", "personnel", "departure", "2024-11-08")], id="can-confirm-is-performative"),
    case("Jo Park’s spell at Acme has come to an end, the team said on Monday.",
         [("come", "personnel", "departure", "2024-11-04")], id="a-spell-has-come-to-an-end"),
    case("Lindell will buy Varco in a deal worth £2.1 billion, the companies said on Monday.",
         [("deal", "agreement", "deal", "2024-11-04")], id="a-deed-to-come-under-a-deal-struck"),
    case("Lindell will buy Varco in a deal worth £2bn, the firms announced on Monday, after Varco's "
         "directors rebuffed a lower bid in March.",
         [("announced", "statement", "announcement", "2024-11-04"),
          ("rebuffed", "statement", "position", "2024-03")],
         id="a-deal-told-beside-a-rebuff-is-not-struck-then"),
    case("Frozen food maker Lindell Foods has agreed to be acquired by rival Varco Group in an $8bn "
         "takeover, the companies announced on Monday.",
         [("agreed", "agreement", "deal", "2024-11-04")],
         id="an-attribution-the-model-hung-on-a-noun"),
    case("Acme, the company that announced a new phone on Monday, has 300 staff.",
         [("announced", "statement", "announcement", "2024-11-04")],
         id="a-relative-clause-is-no-attribution"),
    case("The Constitutional Court struck down a law allowing mass surveillance of phone data on Friday.",
         [("struck", "justice", "ruling", "2024-11-08")],
         id="a-participle-describing-the-object-is-no-event-of-its-own"),
    case("Halden Bank reported a net profit of $1 billion for the third quarter on Thursday.",
         [("reported", "business", "results", "2024-11-07")], id="the-period-a-figure-is-for"),
    case("Nordbank and Westsea Bank announced a merger on Monday.",
         [("merger", "agreement", "merger", "2024-11-04")], id="an-event-announced-is-that-event"),
    case("Acme announced a new phone on Monday.",
         [("announced", "statement", "announcement", "2024-11-04")], id="a-thing-announced-is-no-event"),
    case("The companies said on Monday that Lindell will not buy Varco in a deal worth £2.1bn.",
         [("said", "statement", "remarks", "2024-11-04")], id="no-deal-struck-under-a-negation"),
    case("“Acme is not able to announce the appointment of a new coach,” the club said on Friday.",
         [("said", "statement", "remarks", "2024-11-08")], id="no-announcement-when-it-cannot-be-made"),
    # confirmed or unveiled as the holder of a post: an appointment (the lede's news, or dated)
    case("Jo Park has been confirmed as the new Acme head coach.",
         [("confirmed", "personnel", "appointment", "2024-11-08")], id="confirmed-as-a-post-in-a-lede"),
    case("Jo Park was unveiled as the new Acme manager on Friday.",
         [("unveiled", "personnel", "appointment", "2024-11-08")], id="unveiled-as-a-post"),
    # a past fact stays a fact under a modal, a negation or a wish
    case("Acme might not complete the purchase as it was blocked in Britain in April by the regulator.",
         [("blocked", "business", "regulation", "2024-04")], id="a-past-reason-under-a-negated-modal"),
    case("Lee is seeking re-election to continue measures that ended months of shortages after the "
         "country's worst economic meltdown in 2022.", [("meltdown", "business", "economy", "2022")],
         id="a-past-relative-clause-under-a-wish"),
    # the date of a reported clause's own event is its own
    case("“We signed the deal in May,” the company said on Friday.",
         [("signed", "agreement", "deal", "2024-05")], id="a-quote-with-its-own-date"),
    case("The company said on Friday it signed the deal in May.",
         [("signed", "agreement", "deal", "2024-05")], id="said-on-a-day-that-it-did-in-a-month"),
    # an "as" clause right after a date happened then too, unless it tells how the dated event came about
    case("The bank named a new chief in the wake of Lee's departure on Monday as deputy Kim Ho assumed "
         "interim charge.", [("departure", "personnel", "departure", "2024-11-04"),
                             ("assumed", "personnel", "appointment", "2024-11-04")],
         id="as-clause-beside-a-dated-noun"),
    case("Prices fell sharply on Monday as investors sold shares.",
         [("fell", "business", "economy", "2024-11-04")], id="as-clause-of-the-dated-verb"),
    case("Flights were grounded on Monday as pilots went on strike.",
         [("grounded", "other", None, "2024-11-04"), ("went", "protest", "strike", "2024-11-04")],
         id="a-happening-under-way-beside-a-dated-event"),
    case("Trains were cancelled on Monday as drivers staged a walkout.",
         [("cancelled", "other", None, "2024-11-04"), ("walkout", "protest", "strike", "2024-11-04")],
         id="a-happening-under-way-told-by-its-noun"),
    # a verb the parser read as a modifier of its object
    case("The bank began tightening in September last year and last raised rates in December.",
         [("tightening", "other", None, "2023-09"), ("raised", "business", "rates", "2023-12")],
         id="second-verb-of-a-coordination", published="2024-03-01"),
    # no event
    case("He said the hearing would probably end that evening, paving the way for closing "
         "arguments on Wednesday.", [], id="paving-the-way-under-would", published="2023-10-04"),
    case("The court approved the plan on Monday, paving the way for elections on Wednesday.",
         [("approved", "statement", "position", "2024-11-04")], id="what-a-deed-paved-the-way-for"),
    case("FILE - A Varco stand is shown on June 13, 2013 at a motor show in Chicago.", [],
         id="archive-caption-is-shown"),
    case("The Acme headquarters is pictured on March 3, 2019 in Berlin.", [], id="is-pictured"),
    # the period a figure covers, or the baseline of a comparison, dates no event
    case("Nordbank reported a 24 percent rise in third-quarter profit on Wednesday.",
         [("reported", "business", "results", "2024-11-06")], id="a-figure's-period"),
    case("Nordbank posted earnings on Wednesday, with net profit up 24% from a year earlier.",
         [("posted", "business", "results", "2024-11-06")], id="a-comparison's-baseline"),
    case("On the same day, Acme and Bolt signed a deal.", [("signed", "agreement", "deal", "2024-11-08")],
         id="the-same-day-is-no-baseline"),
    case("FILE - Protesters march through Berlin on May 1, 2019.", [], id="archive-caption-present"),
    case("Volunteers hand out blankets at a shelter in Dunmore after the storm on Nov. 2. Photo by Jo "
         "Lee/Agency", [], id="credited-caption-present"),
    case("Rescuers search the rubble after the earthquake struck the city on Nov. 2. Photo by Jo Lee/Agency",
         [("struck", "disaster", "earthquake", "2024-11-02")], id="credited-caption-past-event-of-its-own"),
    case("Rescuers carried residents to safety after floods hit Harlow on Nov. 2. Photo by Jo Lee/Agency",
         [("hit", "disaster", "flood", "2024-11-02")], id="credited-caption-past"),
    case("“Today it’s scorched but it still stands,” Lee said of the old oak.", [],
         id="a-present-state-today"),
    # a deed told as under way when it is said
    case("Acme Motor said on Friday it was recalling 310,000 cars.",
         [("recalling", "business", "recall", "2024-11-08")], id="said-it-was-recalling"),
    case("The ministry said on Friday it was monitoring the situation.",
         [("said", "statement", "remarks", "2024-11-08")], id="under-way-but-no-news"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "published", "found"), EVENTS)
def test_the_events_and_their_dates(extractor: Any, text: str, published: str, found: Found) -> None:
    got = [(m.trigger.text, m.type, m.subtype, m.date.value) for m in mentions(extractor, text, published)]
    assert got == found


# (text, the trigger, its actors)
ACTORS = [
    pytest.param("Farland could face a snap election with new President Jo Park on Monday saying the "
                 "parliament would be dissolved.", "saying", ["Jo Park"], id="with-a-speaker-saying"),
    pytest.param("Lee Kwan met with Kim Ho on Monday, saying the talks had been useful.", "met",
                 ["Lee Kwan", "Kim Ho"], id="met-with-then-saying"),
    pytest.param("The Spaniard was among the candidates approached after Lee's exit on Monday "
                 "as assistant coach Kim Ho assumed interim charge.", "assumed", ["Kim Ho"],
                 id="as-clause-subject-read-as-an-object"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "trigger", "actors"), ACTORS)
def test_the_actors(extractor: Any, text: str, trigger: str, actors: list[str]) -> None:
    got = {m.trigger.text: list(m.actors) for m in mentions(extractor, text, "2024-10-28")}  # a Monday
    assert got[trigger] == actors
