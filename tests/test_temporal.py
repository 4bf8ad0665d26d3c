"""The temporal tagger: TIMEX3 extents, types, values and modifiers, as a careful annotator would give them.

Every row is one linguistic case. Values follow TIMEX3 conventions: dates at their real precision
(``2024-06``, ``2024-SP``, ``2024-Q4``, ``198`` for the 1980s, ``19`` for the 20th century), relative
expressions resolved against the document creation time (DCT), a bare month or weekday placed by the tense
of its clause (the most recent past occurrence in a past clause, the DCT itself included; the next one in a
future clause), durations as ``P..``/``PT..`` and sets as their period.
"""

from __future__ import annotations

from datetime import date

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Span

import dateline.timex.component  # noqa: F401  (registers the spaCy factory)
from dateline.timex.rules import RULES, Rule
from dateline.timex.tagger import tag
from dateline.timex.values import calendar_date, display


def _d(s: str) -> date:
    return date.fromisoformat(s)


# --------------------------------------------------------------------------------------------------
# (a) every example listed with a rule of the grammar
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("rule", [pytest.param(rule, id=rule.name) for rule in RULES])
def test_each_rule_reads_its_examples(rule: Rule) -> None:
    """One row per rule of the table: it has examples, and each is read by that rule, to that value."""
    assert rule.examples, f"{rule.name}: every rule carries at least one example"
    for text, dct, value in rule.examples:
        read = [(t.rule, t.value) for t in tag(text, _d(dct))]
        assert (rule.name, value) in read, f"{text!r} (DCT {dct}) -> {read}"


def test_rule_names_are_unique() -> None:
    names = [rule.name for rule in RULES]
    assert len(names) == len(set(names))


@pytest.mark.parametrize(
    ("text", "rule", "relative"),
    [
        pytest.param("Monday, June 3, 2024", "weekday_date", False, id="absolute-with-its-year"),
        pytest.param("Monday, June 3", "weekday_date", True, id="relative-without-a-year"),
        pytest.param("June 2024", "month_year", False, id="absolute-rule"),
        pytest.param("last month", "relative", True, id="relative-rule"),
    ],
)
def test_the_absolute_flag_decides_relative(text: str, rule: str, relative: bool) -> None:
    assert [(t.rule, t.relative) for t in tag(text, _d("2024-11-05"))] == [(rule, relative)]


@pytest.mark.parametrize(
    ("text", "later"),
    [
        # a day read by a rule that anchors at "day" moves the narrative: "two days later" counts from it
        pytest.param("The talks opened on 3 March 2024. Two days later they ended.", "2024-03-05", id="day"),
        # a year is no anchor (the year rule anchors at no precision): "later" counts from the DCT
        pytest.param("The talks opened in 2020. Two days later they ended.", "2024-11-07", id="year"),
    ],
)
def test_the_anchors_flag_moves_the_narrative(text: str, later: str) -> None:
    assert [t.value for t in tag(text, _d("2024-11-05")) if t.rule == "ago_or_later"] == [later]


# --------------------------------------------------------------------------------------------------
# (b) one row per linguistic case: (text, DCT, timex text, type, value, mod)
# --------------------------------------------------------------------------------------------------


def case(
    text: str,
    dct: str,
    timex: str,
    type_: str,
    value: str,
    mod: str | None = None,
    *,
    id: str,
    marks: object = (),
) -> object:
    return pytest.param(text, dct, timex, type_, value, mod, id=id, marks=marks)


CASES = [
    # --- absolute dates, every common order ---
    case(
        "Russia invaded Ukraine on 24 February 2022.",
        "2024-11-05",
        "24 February 2022",
        "DATE",
        "2022-02-24",
        id="day-month-year",
    ),
    case(
        "Putin arrived on June 18, 2024, for a two-day visit.",
        "2024-11-05",
        "June 18, 2024",
        "DATE",
        "2024-06-18",
        id="month-day-comma-year",
    ),
    case(
        "Americans voted on Nov. 5, 2024.",
        "2024-11-26",
        "Nov. 5, 2024",
        "DATE",
        "2024-11-05",
        id="abbreviated-month-day-year",
    ),
    case(
        "The report was released on 2024-06-19.",
        "2024-11-05",
        "2024-06-19",
        "DATE",
        "2024-06-19",
        id="iso-date",
    ),
    case(
        "Crowds celebrated on the 4th of July.",
        "2024-11-05",
        "the 4th of July",
        "DATE",
        "2024-07-04",
        id="the-4th-of-july",
    ),
    case(
        "The attacks of Sept. 11, 2001 changed everything.",
        "2024-11-05",
        "Sept. 11, 2001",
        "DATE",
        "2001-09-11",
        id="sept-abbreviation",
    ),
    case(
        "The memo is dated 10/26/1998.",
        "1998-10-30",
        "10/26/1998",
        "DATE",
        "1998-10-26",
        id="us-numeric-date",
    ),
    case(
        "Voting began on Monday, 4 November 2024.",
        "2024-11-08",
        "Monday, 4 November 2024",
        "DATE",
        "2024-11-04",
        id="weekday-comma-full-date",
    ),
    case(
        "The ceasefire took effect on December 25th, 2023.",
        "2024-11-05",
        "December 25th, 2023",
        "DATE",
        "2023-12-25",
        id="ordinal-suffix-day",
    ),
    case(
        "The new rules applied from 1 Jan 2020.",
        "2024-11-05",
        "1 Jan 2020",
        "DATE",
        "2020-01-01",
        id="day-abbreviated-month-year",
    ),
    case(
        "The hearing was held on 3 March 2021.",
        "2024-11-05",
        "3 March 2021",
        "DATE",
        "2021-03-03",
        id="day-march-year",
    ),
    case(
        "The meeting started at 2024-06-19 14:30.",
        "2024-11-05",
        "2024-06-19 14:30",
        "TIME",
        "2024-06-19T14:30",
        id="iso-date-time",
    ),
    case(
        "Putin arrived in Pyongyang on 19 June.",
        "2024-06-20",
        "19 June",
        "DATE",
        "2024-06-19",
        id="day-month-past-clause",
    ),
    case(
        "The vote will take place on December 3.",
        "2024-11-05",
        "December 3",
        "DATE",
        "2024-12-03",
        id="month-day-future-clause",
    ),
    case(
        "The talks ended on December 3.",
        "2024-11-05",
        "December 3",
        "DATE",
        "2023-12-03",
        id="month-day-past-clause-previous-year",
    ),
    case(
        "Kim visited Russia on 13 September.",
        "2024-03-01",
        "13 September",
        "DATE",
        "2023-09-13",
        id="day-month-past-clause-crosses-year",
    ),
    case(
        "The government approved the code on January 28.",
        "2025-02-20",
        "January 28",
        "DATE",
        "2025-01-28",
        id="month-day-past-same-year",
    ),
    # --- month and year ---
    case(
        "Putin visited Pyongyang in June 2024.", "2024-11-26", "June 2024", "DATE", "2024-06", id="month-year"
    ),
    case("The law took effect in May 2023.", "2024-11-26", "May 2023", "DATE", "2023-05", id="may-year"),
    case(
        "Mobilisation was announced in Sept. 2022.",
        "2024-11-26",
        "Sept. 2022",
        "DATE",
        "2022-09",
        id="abbreviated-month-year",
    ),
    case(
        "The plant closed in October of 2019.",
        "2024-11-26",
        "October of 2019",
        "DATE",
        "2019-10",
        id="month-of-year",
    ),
    case(
        "Lunde lost a confidence vote in December 2020.",
        "2025-03-03",
        "December 2020",
        "DATE",
        "2020-12",
        id="month-year-in-clause",
    ),
    case(
        "Moscow announced a mobilisation in late September 2022.",
        "2024-11-26",
        "late September 2022",
        "DATE",
        "2022-09",
        "END",
        id="late-month-year",
    ),
    case(
        "Prices peaked in early March 2023.",
        "2024-11-26",
        "early March 2023",
        "DATE",
        "2023-03",
        "START",
        id="early-month-year",
    ),
    case(
        "The offensive stalled in mid-June 2024.",
        "2024-11-26",
        "mid-June 2024",
        "DATE",
        "2024-06",
        "MID",
        id="mid-month-year",
    ),
    case(
        "Fighting flared at the end of October 2023.",
        "2024-11-26",
        "the end of October 2023",
        "DATE",
        "2023-10",
        "END",
        id="the-end-of-month-year",
    ),
    # --- bare years with context ---
    case("Russia annexed Crimea in 2014.", "2024-11-05", "2014", "DATE", "2014", id="in-year"),
    case("The armistice has held since 1953.", "2024-11-05", "1953", "DATE", "1953", id="since-year"),
    case(
        "The euro was not yet in circulation in the year 2000.",
        "2024-11-05",
        "the year 2000",
        "DATE",
        "2000",
        id="the-year-2000",
    ),
    case(
        "Turnout fell in 2019 and rose again later.",
        "2024-11-05",
        "2019",
        "DATE",
        "2019",
        id="year-mid-sentence",
    ),
    # --- partial dates ---
    case("Troops arrived in October.", "2024-11-26", "October", "DATE", "2024-10", id="month-past-clause"),
    case(
        "Elections will be held in October.",
        "2024-11-26",
        "October",
        "DATE",
        "2025-10",
        id="month-future-clause",
    ),
    case(
        "The group was founded in November.",
        "2024-11-26",
        "November",
        "DATE",
        "2024-11",
        id="month-past-clause-current-month",
    ),
    case(
        "The assembly will meet in January.",
        "2024-11-26",
        "January",
        "DATE",
        "2025-01",
        id="month-future-clause-next-year",
    ),
    case("The deal was signed in May.", "2024-11-26", "May", "DATE", "2024-05", id="may-after-in"),
    case(
        "Farmers marched on the capital in March.",
        "2024-11-26",
        "March",
        "DATE",
        "2024-03",
        id="march-after-in",
    ),
    case(
        "Fighting intensified at the end of October.",
        "2024-11-15",
        "the end of October",
        "DATE",
        "2024-10",
        "END",
        id="the-end-of-month",
    ),
    case(
        "Shelling resumed in late September 2022.",
        "2022-10-01",
        "late September 2022",
        "DATE",
        "2022-09",
        "END",
        id="late-september-2022",
    ),
    case(
        "Links were suspended in early 2020.",
        "2022-10-01",
        "early 2020",
        "DATE",
        "2020",
        "START",
        id="early-year",
    ),
    case("Inflation peaked in mid-2021.", "2022-10-01", "mid-2021", "DATE", "2021", "MID", id="mid-year"),
    case(
        "The plan was dropped at the end of 2023.",
        "2024-11-05",
        "the end of 2023",
        "DATE",
        "2023",
        "END",
        id="the-end-of-year",
    ),
    case(
        "Talks resumed at the beginning of 2022.",
        "2024-11-05",
        "the beginning of 2022",
        "DATE",
        "2022",
        "START",
        id="the-beginning-of-year",
    ),
    case(
        "The reforms date from the late 1980s.",
        "2024-11-05",
        "the late 1980s",
        "DATE",
        "198",
        "END",
        id="the-late-decade",
    ),
    case("The band was famous in the '90s.", "2024-11-05", "the '90s", "DATE", "199", id="apostrophe-decade"),
    case("The harbour was destroyed in the 1980s.", "2024-11-05", "the 1980s", "DATE", "198", id="decade"),
    case(
        "The cooperative was founded in the 1970s.",
        "2024-11-05",
        "the 1970s",
        "DATE",
        "197",
        id="decade-1970s",
    ),
    case(
        "Growth was fast in the early 2000s.",
        "2024-11-05",
        "the early 2000s",
        "DATE",
        "200",
        "START",
        id="the-early-2000s",
    ),
    case(
        "Such wars were common in the nineties.",
        "2024-11-05",
        "the nineties",
        "DATE",
        "199",
        id="decade-word",
    ),
    case(
        "Empires collapsed in the 20th century.", "2024-11-05", "the 20th century", "DATE", "19", id="century"
    ),
    case(
        "New threats emerged in the 21st century.",
        "2024-11-05",
        "the 21st century",
        "DATE",
        "20",
        id="century-21st",
    ),
    case(
        "Talks were relaunched in the summer of 2019.",
        "2024-06-14",
        "the summer of 2019",
        "DATE",
        "2019-SU",
        id="the-season-of-year",
    ),
    case(
        "The drought of summer 2019 was severe.",
        "2024-11-10",
        "summer 2019",
        "DATE",
        "2019-SU",
        id="season-year",
    ),
    # --- relative dates ---
    case("Exports have grown this year.", "2024-11-05", "this year", "DATE", "2024", id="this-year"),
    case("Troops arrived last month.", "2024-11-05", "last month", "DATE", "2024-10", id="last-month"),
    case("The economy shrank last year.", "2024-11-26", "last year", "DATE", "2023", id="last-year"),
    case("The leaders will meet next week.", "2024-11-05", "next week", "DATE", "2024-W46", id="next-week"),
    case(
        "The envoy arrived in Seoul last week.", "2024-11-05", "last week", "DATE", "2024-W44", id="last-week"
    ),
    case("Talks are under way this week.", "2024-11-05", "this week", "DATE", "2024-W45", id="this-week"),
    case(
        "The cabinet approved it earlier this month.",
        "2024-11-20",
        "earlier this month",
        "DATE",
        "2024-11",
        id="earlier-this-month",
    ),
    case(
        "The ban was lifted earlier this year.",
        "2024-11-05",
        "earlier this year",
        "DATE",
        "2024",
        id="earlier-this-year",
    ),
    case("A vote is expected next year.", "2024-11-05", "next year", "DATE", "2025", id="next-year"),
    case("Prices rose this month.", "2024-11-05", "this month", "DATE", "2024-11", id="this-month"),
    case(
        "The offensive began this past spring.",
        "2024-11-10",
        "this past spring",
        "DATE",
        "2024-SP",
        id="this-past-spring",
    ),
    case(
        "Fighting eased in the early spring of this year.",
        "2024-11-10",
        "the early spring of this year",
        "DATE",
        "2024-SP",
        "START",
        id="the-early-spring-of-this-year",
    ),
    case(
        "Prices have doubled since the summer.",
        "2024-11-10",
        "the summer",
        "DATE",
        "2024-SU",
        id="since-the-summer",
    ),
    case("Gas ran short last winter.", "2024-11-10", "last winter", "DATE", "2023-WI", id="last-winter"),
    case(
        "A heatwave this summer cut milk yields.",
        "2024-09-05",
        "this summer",
        "DATE",
        "2024-SU",
        id="this-summer-past",
    ),
    case(
        "The Alliance won the municipal elections last autumn.",
        "2025-03-03",
        "last autumn",
        "DATE",
        "2024-FA",
        id="last-autumn",
    ),
    case(
        "She said she would meet the Nordic leaders this spring.",
        "2025-03-03",
        "this spring",
        "DATE",
        "2025-SP",
        id="this-spring-future",
    ),
    case(
        "The offensive will resume in the spring.",
        "2024-11-10",
        "the spring",
        "DATE",
        "2025-SP",
        id="the-spring-future",
    ),
    case(
        "Putin visited Pyongyang in June this year.",
        "2024-11-10",
        "June this year",
        "DATE",
        "2024-06",
        id="june-this-year",
    ),
    case(
        "The treaty was ratified in March last year.",
        "2024-11-10",
        "March last year",
        "DATE",
        "2023-03",
        id="march-last-year",
    ),
    case(
        "Parliament dissolved itself last March.",
        "2024-11-10",
        "last March",
        "DATE",
        "2024-03",
        id="last-march",
    ),
    case(
        "Elections are due next January.", "2024-11-10", "next January", "DATE", "2025-01", id="next-january"
    ),
    case(
        "Floods displaced 9,000 people two years ago.",
        "2024-11-10",
        "two years ago",
        "DATE",
        "2022",
        id="two-years-ago",
    ),
    case(
        "The company was sold three months ago.",
        "2024-11-05",
        "three months ago",
        "DATE",
        "2024-08",
        id="three-months-ago",
    ),
    case(
        "The ceasefire was signed on 4 March 2024. Three days later, fighting resumed.",
        "2024-11-05",
        "Three days later",
        "DATE",
        "2024-03-07",
        id="three-days-later-anchored",
    ),
    case(
        "The treaty was signed in June 2019. The following year, parliament ratified it.",
        "2024-11-05",
        "The following year",
        "DATE",
        "2020",
        id="the-following-year-anchored",
    ),
    case(
        "The pact was signed in June 2019; a year earlier, talks had collapsed.",
        "2024-11-05",
        "a year earlier",
        "DATE",
        "2018",
        id="a-year-earlier-anchored",
    ),
    case(
        "Putin arrived on 19 June 2024. On the same day, the two leaders signed a treaty.",
        "2024-11-05",
        "the same day",
        "DATE",
        "2024-06-19",
        id="the-same-day-anchored",
    ),
    case(
        "The strike began in March 2023. The previous month, talks had failed.",
        "2024-11-05",
        "The previous month",
        "DATE",
        "2023-02",
        id="the-previous-month-anchored",
    ),
    # --- weekdays resolved by tense ---
    case(
        "The ministry said Friday that talks had failed.",
        "2024-11-08",
        "Friday",
        "DATE",
        "2024-11-08",
        id="said-friday-on-a-friday",
    ),
    case(
        "The leaders will meet on Friday.",
        "2024-11-05",
        "Friday",
        "DATE",
        "2024-11-08",
        id="will-meet-on-friday",
    ),
    case(
        "The envoy arrived last Monday.", "2024-11-06", "last Monday", "DATE", "2024-11-04", id="last-monday"
    ),
    case(
        "Troops crossed the border on Monday (November 4).",
        "2024-11-05",
        "Monday (November 4)",
        "DATE",
        "2024-11-04",
        id="weekday-with-date-in-parentheses",
    ),
    case(
        "The two sides signed a free trade agreement on Thursday (June 13).",
        "2024-06-14",
        "Thursday (June 13)",
        "DATE",
        "2024-06-13",
        id="thursday-june-13",
    ),
    case(
        "Officials confirmed the deal on Tuesday.",
        "2024-11-07",
        "Tuesday",
        "DATE",
        "2024-11-05",
        id="weekday-past-clause",
    ),
    case(
        "Voters ousted the coalition in Sunday's election.",
        "2025-03-03",
        "Sunday",
        "DATE",
        "2025-03-02",
        id="possessive-weekday",
    ),
    case(
        "The summit opens next Tuesday.",
        "2024-11-07",
        "next Tuesday",
        "DATE",
        "2024-11-12",
        id="next-tuesday",
    ),
    case(
        "The run-off vote is on Saturday.",
        "2024-11-07",
        "Saturday",
        "DATE",
        "2024-11-09",
        id="weekday-present-scheduled",
    ),
    case(
        "On Wednesday, the prime minister toured the town.",
        "2025-02-20",
        "Wednesday",
        "DATE",
        "2025-02-19",
        id="sentence-initial-weekday-past",
    ),
    case(
        "A strong aftershock on Tuesday brought down the tower.",
        "2025-02-20",
        "Tuesday",
        "DATE",
        "2025-02-18",
        id="weekday-in-noun-phrase",
    ),
    case(
        "Lunde conceded defeat on Monday morning.",
        "2025-03-03",
        "Monday morning",
        "TIME",
        "2025-03-03TMO",
        id="weekday-morning-on-that-day",
    ),
    case(
        "The first convoy reached the coast on Thursday morning.",
        "2025-02-20",
        "Thursday morning",
        "TIME",
        "2025-02-20TMO",
        id="thursday-morning-on-a-thursday",
    ),
    # --- quarters and halves ---
    case(
        "Output fell in the first quarter of 2023.",
        "2024-11-05",
        "the first quarter of 2023",
        "DATE",
        "2023-Q1",
        id="the-first-quarter-of-year",
    ),
    case("Exports rose in Q4 2024.", "2025-02-01", "Q4 2024", "DATE", "2024-Q4", id="q4-year"),
    case(
        "The purchase was completed in the second half of 2023.",
        "2024-09-05",
        "the second half of 2023",
        "DATE",
        "2023-H2",
        id="the-second-half-of-year",
    ),
    case(
        "Profits fell in the third quarter.",
        "2024-11-05",
        "the third quarter",
        "DATE",
        "2024-Q3",
        id="the-third-quarter-past",
    ),
    case(
        "Growth slowed in the fourth quarter.",
        "2024-02-10",
        "the fourth quarter",
        "DATE",
        "2023-Q4",
        id="the-fourth-quarter-past-previous-year",
    ),
    case(
        "Sales peaked in the last quarter of 2022.",
        "2024-11-05",
        "the last quarter of 2022",
        "DATE",
        "2022-Q4",
        id="the-last-quarter-of-year",
    ),
    case("Revenue rose in H1 2024.", "2024-11-05", "H1 2024", "DATE", "2024-H1", id="h1-year"),
    case(
        "Imports doubled in the first half of this year.",
        "2024-11-05",
        "the first half of this year",
        "DATE",
        "2024-H1",
        id="the-first-half-of-this-year",
    ),
    # --- durations ---
    case(
        "It was his first visit to North Korea in 24 years.",
        "2024-06-20",
        "24 years",
        "DURATION",
        "P24Y",
        id="n-years",
    ),
    case("The sanctions were extended by 90 days.", "2024-11-05", "90 days", "DURATION", "P90D", id="n-days"),
    case("The leaders talked for two hours.", "2024-11-05", "two hours", "DURATION", "PT2H", id="two-hours"),
    case(
        "Prices have risen over the past six months.",
        "2024-11-05",
        "the past six months",
        "DURATION",
        "P6M",
        id="the-past-six-months",
    ),
    case(
        "The two sides have negotiated for years.", "2024-11-05", "years", "DURATION", "PXY", id="for-years"
    ),
    case(
        "Putin arrived for a two-day visit.",
        "2024-11-05",
        "two-day",
        "DURATION",
        "P2D",
        id="two-day-adjective",
    ),
    case(
        "The talks lasted about two weeks.",
        "2024-11-05",
        "about two weeks",
        "DURATION",
        "P2W",
        "APPROX",
        id="about-two-weeks",
    ),
    case(
        "The siege lasted nearly three years.",
        "2024-11-05",
        "nearly three years",
        "DURATION",
        "P3Y",
        "LESS_THAN",
        id="nearly-three-years",
    ),
    case(
        "The alliance has lasted more than 70 years.",
        "2024-11-05",
        "more than 70 years",
        "DURATION",
        "P70Y",
        "MORE_THAN",
        id="more-than-70-years",
    ),
    case(
        "Strikes continued over the last 24 hours.",
        "2024-11-05",
        "the last 24 hours",
        "DURATION",
        "PT24H",
        id="the-last-24-hours",
    ),
    case(
        "Holm is expected to form a cabinet within two weeks.",
        "2025-03-03",
        "two weeks",
        "DURATION",
        "P2W",
        id="within-two-weeks",
    ),
    case(
        "The blockade lasted several weeks.",
        "2024-11-05",
        "several weeks",
        "DURATION",
        "PXW",
        id="several-weeks",
    ),
    # --- sets ---
    case("The summit is held every year.", "2024-11-05", "every year", "SET", "P1Y", id="every-year"),
    case("Flights run daily.", "2024-11-05", "daily", "SET", "P1D", id="daily"),
    case(
        "The council meets every Monday.",
        "2024-11-05",
        "every Monday",
        "SET",
        "XXXX-WXX-1",
        id="every-monday",
    ),
    case("Inspectors report each week.", "2024-11-05", "each week", "SET", "P1W", id="each-week"),
    case("The report is published annually.", "2024-11-05", "annually", "SET", "P1Y", id="annually"),
    case(
        "Elections are held every two years.",
        "2024-11-05",
        "every two years",
        "SET",
        "P2Y",
        id="every-two-years",
    ),
    case("Rent is US$2,000 per month.", "2024-11-05", "per month", "SET", "P1M", id="per-month"),
    # --- times ---
    case("The blast occurred at 3 p.m.", "2013-03-22", "3 p.m.", "TIME", "2013-03-22T15:00", id="clock-pm"),
    case(
        "The convoy left yesterday morning.",
        "2024-11-10",
        "yesterday morning",
        "TIME",
        "2024-11-09TMO",
        id="yesterday-morning",
    ),
    case(
        "The polls opened at 10:30 a.m.",
        "2024-11-05",
        "10:30 a.m.",
        "TIME",
        "2024-11-05T10:30",
        id="clock-minutes-am",
    ),
    case("The president will speak tonight.", "2024-11-05", "tonight", "TIME", "2024-11-05TNI", id="tonight"),
    case(
        "The minister resigned this morning.",
        "2024-11-05",
        "this morning",
        "TIME",
        "2024-11-05TMO",
        id="this-morning",
    ),
    case(
        "The vote closed on June 18, 2024, at 3 p.m.",
        "2024-11-05",
        "June 18, 2024, at 3 p.m.",
        "TIME",
        "2024-06-18T15:00",
        id="date-with-clock",
    ),
    case(
        "Holm claimed victory shortly before midnight on Sunday.",
        "2025-03-03",
        "midnight on Sunday",
        "TIME",
        "2025-03-02T24:00",
        id="midnight-on-weekday",
    ),
    # --- deictics ---
    case("The talks resume today.", "2024-11-10", "today", "DATE", "2024-11-10", id="today"),
    case("The strike ended yesterday.", "2024-11-10", "yesterday", "DATE", "2024-11-09", id="yesterday"),
    case("The envoy arrives tomorrow.", "2024-11-10", "tomorrow", "DATE", "2024-11-11", id="tomorrow"),
    case("Relations have recently improved.", "2024-11-10", "recently", "DATE", "PAST_REF", id="recently"),
    case("Nobody can predict the future.", "2024-11-10", "the future", "DATE", "FUTURE_REF", id="the-future"),
    case("The two sides are now allies.", "2024-11-10", "now", "DATE", "PRESENT_REF", id="now"),
    case("The port is currently closed.", "2024-11-10", "currently", "DATE", "PRESENT_REF", id="currently"),
    case(
        "Trade has grown in recent years.",
        "2024-11-10",
        "recent years",
        "DATE",
        "PAST_REF",
        id="recent-years",
    ),
    case("Such raids were rare in the past.", "2024-11-10", "the past", "DATE", "PAST_REF", id="the-past"),
    # --- narrative time: expressions anchored to the last full date, not to the DCT ---
    case(
        "The ceasefire began on 3 March 2023. Two days later, shelling resumed.",
        "2024-11-05",
        "Two days later",
        "DATE",
        "2023-03-05",
        id="narrative-two-days-later",
    ),
    case(
        "The plant closed in March 2021. The following month, workers protested.",
        "2024-11-05",
        "The following month",
        "DATE",
        "2021-04",
        id="narrative-following-month",
    ),
    case(
        "Talks collapsed on 12 May 2022; the next day, both sides blamed each other.",
        "2024-11-05",
        "the next day",
        "DATE",
        "2022-05-13",
        id="narrative-next-day",
    ),
    case(
        "The deal was signed in June 2019. The previous year, talks had stalled.",
        "2024-11-05",
        "The previous year",
        "DATE",
        "2018",
        id="narrative-previous-year",
    ),
    case(
        "Net income rose in the third quarter, up from a loss a year earlier.",
        "1989-11-02",
        "a year earlier",
        "DATE",
        "1988-Q3",
        id="narrative-year-earlier-quarter",
    ),
    case(
        "Sales rose 5% in the quarter.",
        "1989-11-02",
        "the quarter",
        "DATE",
        "1989-Q3",
        id="reporting-quarter",
    ),
    # --- weekday on the DCT and bare months by tense ---
    case(
        "The minister said Friday that talks would resume.",
        "1998-01-09",
        "Friday",
        "DATE",
        "1998-01-09",
        id="said-friday-on-a-friday",
    ),
    case(
        "The ministers will meet Friday in Geneva.",
        "1998-01-07",
        "Friday",
        "DATE",
        "1998-01-09",
        id="will-meet-friday",
    ),
    case(
        "Officials planned a rally on Saturday.",
        "2000-01-07",
        "Saturday",
        "DATE",
        "2000-01-08",
        id="planned-saturday-ahead",
    ),
    case(
        "The session was postponed until Tuesday.",
        "2000-03-30",
        "Tuesday",
        "DATE",
        "2000-04-04",
        id="until-tuesday-ahead",
    ),
    case(
        "Exports fell in September.", "1990-08-15", "September", "DATE", "1989-09", id="past-month-last-year"
    ),
    case(
        "Exports will recover in September.",
        "1990-08-15",
        "September",
        "DATE",
        "1990-09",
        id="future-month-this-year",
    ),
    case(
        "The offer was extended to Nov. 20.",
        "1989-11-02",
        "Nov. 20",
        "DATE",
        "1989-11-20",
        id="deadline-near-day",
    ),
    # --- holidays, year end, clocks on days, named quarters ---
    case(
        "The boy was rescued on Thanksgiving Day.",
        "1999-12-01",
        "Thanksgiving Day",
        "DATE",
        "1999-11-25",
        id="thanksgiving",
    ),
    case(
        "Voters go to the polls on Election Day.",
        "1998-10-20",
        "Election Day",
        "DATE",
        "1998-11-03",
        id="election-day",
    ),
    case("Pilgrims gathered at Easter.", "2024-04-10", "Easter", "DATE", "2024-03-31", id="easter"),
    case("The sale should close by year-end.", "1989-11-02", "year-end", "DATE", "1989", id="year-end"),
    case(
        "Index values are measured since year-end.",
        "1989-11-02",
        "year-end",
        "DATE",
        "1988",
        id="since-year-end",
    ),
    case(
        "The offer expires at 5 p.m. EST Nov. 9.",
        "1989-11-02",
        "5 p.m. EST Nov. 9",
        "TIME",
        "1989-11-09T17:00",
        id="clock-zone-date",
    ),
    case(
        "They will meet at noon Thursday.",
        "1998-02-10",
        "noon Thursday",
        "TIME",
        "1998-02-12T12:00",
        id="noon-weekday",
    ),
    case(
        "Earnings fell in the 1988 second quarter.",
        "1989-11-02",
        "the 1988 second quarter",
        "DATE",
        "1988-Q2",
        id="year-ordinal-quarter",
    ),
    case(
        "Spending rose in the year-ago third quarter.",
        "1989-11-02",
        "the year-ago third quarter",
        "DATE",
        "1988-Q3",
        id="year-ago-quarter",
    ),
    # --- a named weekday fixes the year of a date given without one ---
    case(
        "The Times said in an editorial on Saturday, April 25: the court erred.",
        "1998-04-24",
        "Saturday, April 25",
        "DATE",
        "1998-04-25",
        id="weekday-picks-year-next-day",
    ),
    case(
        "The paper wrote on Monday, Oct. 26, that the trial had ended.",
        "1998-10-25",
        "Monday, Oct. 26",
        "DATE",
        "1998-10-26",
        id="weekday-picks-year-past-tense",
    ),
    case(
        "He was shot to death last Oct. 23 at his home.",
        "1999-04-19",
        "Oct. 23",
        "DATE",
        "1998-10-23",
        id="last-month-day",
    ),
    case(
        "The day before last Tuesday's hearing, the lawyers met.",
        "2000-02-24",
        "day before last Tuesday",
        "DATE",
        "2000-02-21",
        id="day-before-weekday",
    ),
    case(
        "A hearing is set for the week of March 6, the lawyer said.",
        "2000-02-24",
        "the week of March 6",
        "DATE",
        "2000-W10",
        id="week-of-date",
    ),
    case(
        "The new chairman takes office effective Feb. 1.",
        "1989-10-26",
        "Feb. 1",
        "DATE",
        "1990-02-01",
        id="effective-date-ahead",
    ),
    case(
        "Until Thursday, the police had not called him a suspect.",
        "1999-05-07",
        "Thursday",
        "DATE",
        "1999-05-06",
        id="until-with-pluperfect-is-past",
    ),
    case(
        "The merger could be completed as early as next year's first quarter.",
        "1989-10-31",
        "next year's first quarter",
        "DATE",
        "1990-Q1",
        id="next-years-quarter",
    ),
    case(
        "Orangemen march each July to the church.",
        "1998-03-22",
        "each July",
        "SET",
        "XXXX-07",
        id="each-month-name",
    ),
    case(
        "They lived in the camps for 2 1/2 years.",
        "1998-02-27",
        "2 1/2 years",
        "DURATION",
        "P2Y6M",
        id="mixed-fraction-years",
    ),
    case(
        "She then spent 5 1/2 hours in Nairobi.",
        "1998-08-17",
        "5 1/2 hours",
        "DURATION",
        "PT5H30M",
        id="mixed-fraction-hours",
    ),
    case(
        "But a minute and a half later, a pilot radioed.",
        "1998-01-14",
        "a minute and a half",
        "DURATION",
        "PT1M30S",
        id="and-a-half",
    ),
    case(
        "Prices hit that level in the winter of nineteen ninety-four.",
        "1998-02-23",
        "the winter of nineteen ninety-four",
        "DATE",
        "1994-WI",
        id="season-of-spelled-year",
    ),
    case(
        "January nineteen ninety-seven. A bomb shook the games.",
        "1998-02-27",
        "January nineteen ninety-seven",
        "DATE",
        "1997-01",
        id="month-spelled-year",
    ),
    case(
        "Computers may fail in the year two thousand.",
        "1998-02-05",
        "the year two thousand",
        "DATE",
        "2000",
        id="the-year-two-thousand",
    ),
    case(
        "CBS News first reported last night that the tomb was opened.",
        "1998-01-20",
        "last night",
        "TIME",
        "1998-01-19TNI",
        id="last-night",
    ),
    # --- years the text names anchor "the following year"; a bound of a span does not ---
    case(
        "The firm was founded in 2020 and won its first award the following year.",
        "2024-10-28",
        "the following year",
        "DATE",
        "2021",
        id="the-following-year-after-a-named-year",
    ),
    case(
        "She won her first title since 2002 the following year, after joining in 2020.",
        "2024-10-28",
        "the following year",
        "DATE",
        "2025",
        id="since-a-year-is-no-anchor",
    ),
    case(
        "The mill opened in 1998. That year it hired ten people.",
        "2024-10-28",
        "That year",
        "DATE",
        "1998",
        id="that-year-after-a-named-year",
    ),
    # --- "earlier in the day": the day the narrative named, else the reference date ---
    case(
        "The city imposed a curfew on Friday. Earlier in the day, the mayor closed the schools.",
        "2024-09-21",
        "Earlier in the day",
        "DATE",
        "2024-09-20",
        id="earlier-in-the-day-after-a-named-day",
    ),
    case(
        "Later in the day, the mayor closed the schools.",
        "2024-09-21",
        "Later in the day",
        "DATE",
        "2024-09-21",
        id="later-in-the-day-on-its-own",
    ),
]


def _find(text: str, dct: str, timex: str) -> list:
    return [t for t in tag(text, _d(dct)) if t.text == timex]


@pytest.mark.parametrize(("text", "dct", "timex", "type_", "value", "mod"), CASES)
def test_temporal_expression(
    text: str, dct: str, timex: str, type_: str, value: str, mod: str | None
) -> None:
    found = tag(text, _d(dct))
    hits = [t for t in found if t.text == timex]
    assert len(hits) == 1, (
        f"no single timex {timex!r}; tagged {[(t.text, t.type, t.value, t.mod) for t in found]}"
    )
    t = hits[0]
    assert (t.type, t.value, t.mod) == (type_, value, mod)
    assert text[t.start : t.end] == t.text
    if type_ in ("DATE", "TIME") and not value.endswith("_REF"):
        assert t.date is not None and t.date.value == value[:10].split("T")[0]


def test_case_table_size() -> None:
    assert len(CASES) >= 150


# --------------------------------------------------------------------------------------------------
# (c) numbers and page furniture that are not dates
# --------------------------------------------------------------------------------------------------

NOT_DATES = [
    pytest.param("The ticket cost $2,000.", id="dollar-amount"),
    pytest.param("Rent is US$2,000 per month.", id="us-dollar-per-month"),
    pytest.param("Estimates range from 10.000-12.000 troops.", id="european-thousands-range"),
    pytest.param("Singapore 639798", id="postal-code"),
    pytest.param("Tel: 886-2-23654366", id="telephone"),
    pytest.param("No. 65", id="issue-number"),
    pytest.param("Copyright ©2024", id="copyright-year"),
    pytest.param("© 2024 Eurasia Trade Monitor GmbH. All rights reserved.", id="copyright-sign-space-year"),
    pytest.param("Russia sent 2000 soldiers to the border.", id="count-of-soldiers"),
    pytest.param("We may go", id="modal-may"),
    pytest.param("Reading Time: 5 mins", id="reading-time"),
    pytest.param("CO24175", id="catalogue-code"),
    pytest.param(
        "Friedrichstraße 120, 10117 Berlin, Germany · Tel. +49 30 2021 1998", id="address-and-phone"
    ),
    pytest.param("The committee published a 1500-page report.", id="page-count-adjective"),
    pytest.param("June Carter sang at the festival.", id="month-name-as-first-name"),
    pytest.param("The Sun reported the story.", id="newspaper-name"),
    pytest.param("The quarter-to-quarter comparison improved.", id="quarter-to-quarter"),
    pytest.param("Two thousand and one people marched.", id="spelled-count-not-year"),
    pytest.param("He told USA Today about the deal.", id="newspaper-named-today"),
    pytest.param("The Arab Spring protests spread.", id="season-in-a-name"),
    pytest.param("They held ``Spring of Life'' rallies.", id="season-starting-a-title"),
]


@pytest.mark.parametrize("text", NOT_DATES)
def test_not_a_date(text: str) -> None:
    found = tag(text, _d("2024-11-05"))
    dates = [(t.text, t.type, t.value) for t in found if t.type in ("DATE", "TIME")]
    assert dates == []


def test_per_month_is_a_set_not_a_date() -> None:
    found = tag("Rent is US$2,000 per month.", _d("2024-11-05"))
    assert [(t.type, t.value) for t in found] == [("SET", "P1M")]


# --------------------------------------------------------------------------------------------------
# calendar bounds and display strings
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "mod", "precision", "start", "end"),
    [
        pytest.param("2020", "START", "year", "2020-01-01", "2020-04-30", id="early-2020"),
        pytest.param("2022-09", "END", "month", "2022-09-21", "2022-09-30", id="late-september-2022"),
        pytest.param("2024-SP", None, "season", "2024-03-01", "2024-05-31", id="spring-2024"),
        pytest.param("198", None, "decade", "1980-01-01", "1989-12-31", id="1980s"),
        pytest.param("2024-W45", None, "week", "2024-11-04", "2024-11-10", id="week-45"),
        pytest.param("2024-Q4", None, "quarter", "2024-10-01", "2024-12-31", id="q4-2024"),
        pytest.param("2023-H2", None, "half", "2023-07-01", "2023-12-31", id="second-half-2023"),
        pytest.param("2024-02", None, "month", "2024-02-01", "2024-02-29", id="leap-february"),
        pytest.param("2023-WI", None, "season", "2023-12-01", "2024-02-29", id="winter-spans-new-year"),
        pytest.param("2024-06-19", None, "day", "2024-06-19", "2024-06-19", id="day"),
        pytest.param("2024-06-19T15:00", None, "day", "2024-06-19", "2024-06-19", id="time-dates-its-day"),
        pytest.param("2021", "MID", "year", "2021-05-01", "2021-08-31", id="mid-2021"),
        pytest.param("198", "END", "decade", "1987-01-01", "1989-12-31", id="late-1980s"),
        pytest.param("19", None, "century", "1900-01-01", "1999-12-31", id="20th-century"),
    ],
)
def test_calendar_bounds(value: str, mod: str | None, precision: str, start: str, end: str) -> None:
    dv = calendar_date(value, mod)
    assert dv is not None
    assert (dv.precision, dv.start, dv.end, dv.modifier) == (precision, _d(start), _d(end), mod)


@pytest.mark.parametrize("value", ["PAST_REF", "FUTURE_REF", "P3Y", "XXXX-10", "2024-13", "2023-02-29"])
def test_calendar_date_of_non_dates(value: str) -> None:
    assert calendar_date(value) is None


@pytest.mark.parametrize(
    ("value", "mod", "shown"),
    [
        pytest.param("2024-06-19", None, "19 June 2024", id="day"),
        pytest.param("2024-06", None, "June 2024", id="month"),
        pytest.param("2024-SP", None, "spring 2024", id="season"),
        pytest.param("2020", "START", "early 2020", id="early-year"),
        pytest.param("2022-09", "END", "late September 2022", id="late-month"),
        pytest.param("198", "END", "the late 1980s", id="late-decade"),
        pytest.param("2024-Q4", None, "Q4 2024", id="quarter"),
        pytest.param("2023-H2", None, "second half of 2023", id="half"),
        pytest.param("2021", "MID", "mid-2021", id="mid-year"),
        pytest.param("19", None, "the 20th century", id="century"),
        pytest.param("2024", None, "2024", id="year"),
    ],
)
def test_display(value: str, mod: str | None, shown: str) -> None:
    dv = calendar_date(value, mod)
    assert dv is not None
    assert display(dv) == shown


# --------------------------------------------------------------------------------------------------
# the spaCy component
# --------------------------------------------------------------------------------------------------


def test_factory_is_registered() -> None:
    assert Language.has_factory("dateline_dates")
    assert "dateline_dates" in spacy.registry.factories.get_all()


def test_component_on_a_blank_pipeline() -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("dateline_dates")
    text = "Putin arrived in Pyongyang on 19 June 2024. Troops followed last month, officials said on Friday."
    doc = nlp.make_doc(text)
    doc._.dct = date(2024, 11, 8)
    gpe = Span(doc, 3, 4, label="GPE")
    doc.ents = [gpe]
    doc = nlp(doc)
    spans = doc.spans["timex"]
    assert [(s.text, s._.timex.value) for s in spans] == [
        ("19 June 2024", "2024-06-19"),
        ("last month", "2024-10"),
        ("Friday", "2024-11-08"),
    ]
    assert [s._.timex_type for s in spans] == ["DATE", "DATE", "DATE"]
    assert spans[0]._.timex_value == "2024-06-19"
    assert [(e.text, e.label_) for e in doc.ents] == [("Pyongyang", "GPE")]


def test_component_without_dct_leaves_relative_dates_unresolved() -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("dateline_dates", config={"spans_key": "dates"})
    doc = nlp("The treaty was signed on 19 June 2024 and ratified last month.")
    by_text = {s.text: s._.timex for s in doc.spans["dates"]}
    assert by_text["19 June 2024"].value == "2024-06-19"
    # without a document creation time "last month" cannot be placed on the calendar
    assert "last month" not in by_text or by_text["last month"].date is None
    assert doc.ents == ()


def test_a_bare_fraction_is_not_its_denominator() -> None:
    """ "1/2 hours" must not be read as "2 hours"."""
    assert [t.value for t in tag("It costs 1/2 hours of labour.", _d("2024-11-05"))] == []


# --------------------------------------------------------------------------------------------------
# (d) tense from the parse: the real pipeline, one row per construction
# --------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def parsed() -> Language:
    from dateline.settings import Settings

    nlp = spacy.load(Settings().model, exclude=["ner"])
    nlp.add_pipe("dateline_dates")
    return nlp


PARSED_TENSE = [
    pytest.param(
        "It had been due to expire Friday evening.",
        "1989-10-30",
        "Friday evening",
        "1989-10-27TEV",
        id="pluperfect-due-to-is-past",
    ),
    pytest.param(
        "The offer is due to expire Friday evening.",
        "1989-10-30",
        "Friday evening",
        "1989-11-03TEV",
        id="present-due-to-is-future",
    ),
    pytest.param(
        "The offer previously had been scheduled to expire at midnight Friday.",
        "1989-10-30",
        "midnight Friday",
        "1989-10-27T24:00",
        id="pluperfect-scheduled-is-past",
    ),
    pytest.param(
        "The index closed near its record high set on Aug. 6.",
        "1998-02-06",
        "Aug. 6",
        "1997-08-06",
        id="set-as-participle-is-past",
    ),
    pytest.param(
        "The vote was set for Friday.",
        "1998-02-10",
        "Friday",
        "1998-02-13",
        id="set-for-is-scheduling",
    ),
    pytest.param(
        "Officials planned a rally on Saturday.",
        "1998-02-10",
        "Saturday",
        "1998-02-14",
        id="planned-is-scheduling",
    ),
]


@pytest.mark.parametrize(("text", "dct", "timex", "value"), PARSED_TENSE)
def test_tense_from_the_parse(parsed: Language, text: str, dct: str, timex: str, value: str) -> None:
    doc = parsed.make_doc(text)
    doc._.dct = _d(dct)
    doc = parsed(doc)
    found = {span.text: span._.timex.value for span in doc.spans["timex"]}
    assert found.get(timex) == value, found
