"""The grammar: one entry per rule, with everything the tagger knows about it.

An entry carries its pattern (built from the word tables of ``data/temporal.json``), the handler that
reads a match (:mod:`dateline.timex.normalize`, :mod:`dateline.timex.periods`), the check that drops
a match which is no date where it stands (:mod:`dateline.timex.context`), its flags, and the
examples it must read (the tests run every one). Order matters: on matches of the same extent the
rule listed first wins. To add a rule, add an entry here (and its handler, if no handler reads it yet).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from dateline.timex import normalize, periods
from dateline.timex.context import (
    capitalised,
    deictic_context,
    duration_context,
    month_context,
    part_of_a_name,
    set_adverb_context,
    title_case_inside_sentence,
    year_context,
)
from dateline.timex.lexicon import (
    HOLIDAYS,
    MODIFIERS,
    MONTHS,
    NUMBERS,
    ORDINALS,
    REL,
    SEASONS,
    UNITS,
    VOCAB,
    WEEKDAYS,
)
from dateline.timex.normalize import Handler
from dateline.vocab import alternation

#: ``anchors`` of the rules whose day or month dates become the narrative's reference ("two days
#: later", "the following month")
DAY_OR_MONTH = ("day", "month")
#: ``anchors`` of the rules whose quarters become the reference of "the quarter", "a year ago"
QUARTER = ("quarter",)


@dataclass(frozen=True)
class Rule:
    """One rule of the grammar: what it matches, how a match is read, and what the tagger does with it."""

    name: str
    pattern: re.Pattern[str]
    handler: Handler
    #: the handler places the date by the tense of its clause ("June", "Monday", "the summer"): the
    #: tagger works the tense out for this rule's matches only
    tense: bool = False
    #: the value is the same whatever the reference date (the expression is not relative): True, or
    #: the name of the group whose match makes it so ("Monday, June 3, 2024" names its year)
    absolute: bool | str = False
    #: the precisions at which a date this rule reads becomes the narrative anchor (see above)
    anchors: tuple[str, ...] = ()
    #: a clock time with no day of its own ("at 7:37 p.m."): it falls on the day the narrative last
    #: named in its paragraph ("It was Thursday night when ..."), else on the reference date
    time_of_day: bool = False
    #: a second look at a match in its text: False drops it ("May" the name, "2000 soldiers")
    accept: Callable[[re.Match[str], str], bool] | None = None
    #: (text, reference date, value) that this rule must read: run by the tests
    examples: tuple[tuple[str, str, str], ...] = ()

    def is_absolute(self, m: re.Match[str]) -> bool:
        """Whether the expression ``m`` (a match of this rule) needs no reference date."""
        return bool(m.group(self.absolute)) if isinstance(self.absolute, str) else self.absolute


_MON = alternation(MONTHS, abbreviations=True)
_WD = alternation(WEEKDAYS, abbreviations=True)
_SEASON = alternation(SEASONS)
_DAY = r"(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:1[0-9]{3}|20[0-9]{2})"
_PERIOD_MOD = alternation([k for k, v in MODIFIERS.items() if v in ("START", "MID", "END")])
_APPROX_MOD = alternation([k for k, v in MODIFIERS.items() if v not in ("START", "MID", "END")])
_NUMWORD = alternation([k for k in NUMBERS if k not in ("a", "an")])
_NUM = rf"(?:\d+(?:\.\d+)?|{_NUMWORD}(?:[\s-]+{_NUMWORD})?|an?)"
_VAGUE = alternation(VOCAB["vague_numbers"])
_UNIT = alternation(UNITS)
_REL = alternation(REL)
_REL_WORD = r"(?P<rel>this past|this coming|this|last|next|past|coming)"
_ORD = alternation([*ORDINALS, "1st", "2nd", "3rd", "4th"])
_DECADE_WORD = alternation(VOCAB["decade_words"])
_POD = alternation(VOCAB["parts_of_day"])
_DEICTIC = alternation(VOCAB["deictic"])
_SET_ADV = alternation(VOCAB["set_adverbs"])
#: a year in words, as broadcast transcripts write it: "nineteen ninety-four", "two thousand (and) one"
_SPELLED_YEAR = (
    rf"(?:(?:nineteen|twenty)[\s-]+{_NUMWORD}(?:[\s-]+{_NUMWORD})?"
    rf"|two\s+thousand(?:(?:\s+and)?[\s-]+{_NUMWORD}(?:[\s-]+{_NUMWORD})?)?)"
)
_LB = r"(?<![\w$€£¥#©/])"  # no letter, digit, currency or path before


def _compile(p: str) -> re.Pattern[str]:
    return re.compile(p, re.I)


_DM = rf"(?P<d>{_DAY})(?:\s+of)?\s+(?P<mon>{_MON})"
_MD = rf"(?P<mon2>{_MON})\s+(?P<d2>{_DAY})(?!\d|\s*(?:-|–)\s*\d)"
_TIME_SUFFIX = (
    r"(?:,?\s+(?:at\s+)?(?P<h>[01]?\d|2[0-3])(?:[:.](?P<mi>[0-5]\d))?\s*(?P<ap>a\.m\.|p\.m\.|am|pm))?"
)

RULES: tuple[Rule, ...] = (
    Rule(
        "iso",
        _compile(
            r"(?<![\d-])(?P<y>\d{4})-(?P<mo>\d{2})-(?P<d>\d{2})(?:[T ](?P<h>\d{2}):(?P<mi>\d{2}))?(?![\d-])"
        ),
        normalize.read_iso,
        absolute=True,
        anchors=DAY_OR_MONTH,
        examples=(("2024-06-19", "2024-11-05", "2024-06-19"),),
    ),
    Rule(
        "numeric",
        _compile(r"(?<![\d/])(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<y>\d{4}|\d{2})(?![\d/])"),
        normalize.read_numeric,
        absolute=True,
        anchors=DAY_OR_MONTH,
        examples=(("10/26/1998", "1998-10-30", "1998-10-26"),),
    ),
    Rule(
        "weekday_date",
        _compile(
            # after the weekday: a comma or "(" between optional white space, else white space (one
            # quantifier per run of it: "\s*" then "\s+" backtracked quadratically over long runs)
            rf"(?<![\w.,])(?:(?P<wd>{_WD})(?:\s*[,(]\s*|\s+))?(?:the\s+(?=\d))?(?:{_DM}|{_MD})"
            rf"(?:\s*\))?(?:,?\s+(?P<y>{_YEAR})(?!\d))?{_TIME_SUFFIX}"
        ),
        normalize.read_day_month,
        tense=True,
        absolute="y",  # absolute when it names its year
        anchors=DAY_OR_MONTH,
        accept=lambda m, t: (
            capitalised(m, "mon" if m.group("mon") else "mon2")
            and (m.group(0).count("(") == m.group(0).count(")"))
        ),
        examples=(
            ("24 February 2022", "2022-10-01", "2022-02-24"),
            ("June 18, 2024", "2024-11-26", "2024-06-18"),
            ("Monday (November 4)", "2024-11-05", "2024-11-04"),
            ("the 4th of July, 1998", "1998-08-01", "1998-07-04"),
        ),
    ),
    Rule(
        "week_of",
        _compile(rf"\bthe\s+week\s+of\s+(?:{_DM}|{_MD})(?:,?\s+(?P<y>{_YEAR})(?!\d))?(?P<h>)"),
        normalize.read_week_of,
        accept=lambda m, t: capitalised(m, "mon" if m.group("mon") else "mon2"),
        examples=(("the week of March 6", "2000-02-24", "2000-W10"),),
    ),
    Rule(
        "month_year",
        _compile(
            rf"(?:(?P<mod>{_PERIOD_MOD})[\s-]+)?(?P<mon>{_MON})(?:\s+of|,)?\s+"
            rf"(?P<y>{_YEAR}(?!\d)|{_SPELLED_YEAR}\b)"
        ),
        normalize.read_month_year,
        absolute=True,
        anchors=DAY_OR_MONTH,
        accept=lambda m, t: capitalised(m, "mon"),
        examples=(
            ("late September 2022", "2022-10-01", "2022-09"),
            ("June 2024", "2024-11-26", "2024-06"),
            ("the end of October 2023", "2024-01-01", "2023-10"),
            ("January nineteen ninety-seven", "1998-02-27", "1997-01"),
        ),
    ),
    Rule(
        "month_this_year",
        _compile(
            rf"(?:(?P<mod>{_PERIOD_MOD})[\s-]+)?(?P<mon>{_MON})\s+(?:of\s+)?(?P<y>)?(?P<rel>this|last|next)\s+year\b"
        ),
        normalize.read_month_year,
        accept=lambda m, t: capitalised(m, "mon"),
        examples=(("June this year", "2024-11-10", "2024-06"), ("March last year", "2024-11-10", "2023-03")),
    ),
    Rule(
        "month_that_year",
        _compile(
            rf"(?:(?P<mod>{_PERIOD_MOD})[\s-]+)?(?P<mon>{_MON})\s+(?:of\s+)?"
            rf"(?P<rel>that|the\s+same|the\s+following|the\s+next|the\s+previous|the\s+preceding)\s+year\b"
        ),
        normalize.read_month_that_year,
        anchors=DAY_OR_MONTH,
        accept=lambda m, t: capitalised(m, "mon"),
        examples=(
            ("He was arrested in March 2024 and charged in July of that year.", "2026-03-14", "2024-07"),
            ("The club was founded in 2019 and folded in May the following year.", "2026-03-14", "2020-05"),
        ),
    ),
    Rule(
        "relative_month",
        _compile(rf"\b(?:(?P<mod>{_PERIOD_MOD})[\s-]+)?{_REL_WORD}\s+(?P<mon>{_MON})\b(?!\.?\s+\d)"),
        normalize.read_rel_month,
        tense=True,
        anchors=DAY_OR_MONTH,
        accept=lambda m, t: capitalised(m, "mon"),
        examples=(("last March", "2024-11-10", "2024-03"), ("next January", "2024-11-10", "2025-01")),
    ),
    Rule(
        "season",
        _compile(
            rf"\b(?:(?P<mod2>{_PERIOD_MOD})\s+)?(?:the\s+)?(?:{_REL_WORD}\s+)?"
            rf"(?:(?P<mod>early|mid|late)[\s-]+)?(?P<season>{_SEASON})"
            rf"(?:(?:\s+of)?\s+(?:(?P<y>{_YEAR}(?!\d)|{_SPELLED_YEAR}\b)|(?P<rel2>this|last|next)\s+year))?\b"
        ),
        normalize.read_season,
        tense=True,
        accept=lambda m, t: (
            not part_of_a_name(m, t, "season")
            and not (
                m.group("season").lower() == "fall"
                and not m.group(0)
                .lower()
                .startswith(("the", "this", "last", "next", "past", "coming", "early", "late", "mid"))
                and not m.group("y")
            )
        ),
        examples=(
            ("the early spring of this year", "2024-11-10", "2024-SP"),
            ("this past spring", "2024-11-10", "2024-SP"),
            ("summer 2019", "2024-11-10", "2019-SU"),
            ("last winter", "2025-01-15", "2023-WI"),
            ("the winter of nineteen ninety-four", "1998-02-23", "1994-WI"),
        ),
    ),
    Rule(
        "quarter",
        _compile(
            rf"\b(?:the\s+(?![\w-]+-(?:quarter|half)\b)|(?P<relpre>this|last|next)\s+year['’]s\s+)?"
            rf"(?:(?:latest|last|recent|current|fiscal|year-ago|year-earlier)\s+)?"
            rf"(?P<ord>{_ORD})[\s-]+(?P<unit>quarter|half)"
            rf"(?:\s+of\s+(?:(?P<y>{_YEAR})(?!\d)|(?:the\s+)?(?P<rel>this|last|next|current|previous)\s+year|(?P<theyear>the\s+year))"
            rf"|\s+(?P<y2>{_YEAR})(?!\d))?\b"
        ),
        periods.read_quarter,
        tense=True,
        anchors=QUARTER,
        examples=(
            ("the first quarter of 2023", "2024-11-10", "2023-Q1"),
            ("the second half of 2024", "2024-11-10", "2024-H2"),
            ("next year's first quarter", "1989-10-31", "1990-Q1"),
        ),
    ),
    Rule(
        "year_quarter",
        _compile(rf"\b(?:the\s+)?(?P<y>{_YEAR})\s+(?:(?P<ord>{_ORD})\s+)?(?P<unit>quarter|half)\b"),
        periods.read_year_quarter,
        anchors=QUARTER,
        examples=(
            ("the 1988 second quarter", "1989-11-02", "1988-Q2"),
            ("the 1988 quarter", "1989-11-02", "1988-Q3"),
        ),
    ),
    Rule(
        "clock_day",
        _compile(
            r"\b(?:(?P<h>[01]?\d|2[0-3])(?:[:.](?P<mi>[0-5]\d))?\s*(?P<ap>a\.m\.|p\.m\.|am\b|pm\b)|(?P<named>noon|midnight))"
            r"(?:\s*(?:EST|EDT|CST|CDT|MST|MDT|PST|PDT|GMT|UTC|BST|CET|CEST)|\s+local\s+time)?,?"
            rf"\s+(?:on\s+)?(?:(?P<day>{_WD}|yesterday|today|tomorrow)|(?P<mon>{_MON})\s+(?P<dd>{_DAY}))(?!\w)"
        ),
        normalize.read_clock_day,
        tense=True,
        anchors=DAY_OR_MONTH,
        examples=(
            ("noon Thursday", "1998-02-10", "1998-02-12T12:00"),
            ("10 p.m. Wednesday", "1998-02-12", "1998-02-11T22:00"),
        ),
    ),
    Rule(
        "reporting_period",
        _compile(
            r"\b(?:the|this)\s+(?:(?:latest|most\s+recent|recent|current|fiscal|same)\s+)?quarter\b(?!-)"
            r"|\b(?:the|this)\s+(?:latest|most\s+recent)\s+period\b"
        ),
        periods.read_reporting_period,
        examples=(("the quarter", "1989-11-02", "1989-Q3"), ("the latest period", "1990-01-20", "1989-Q4")),
    ),
    Rule(
        "year_of_account",
        _compile(r"(?:(?<=\bfor )|(?<=\bin ))the\s+(?:fiscal\s+|full\s+|whole\s+|entire\s+)?year\b(?!-)"),
        periods.read_year_of_account,
        examples=(
            ("results for the year", "1989-11-02", "1989"),
            ("for the year ended", "1989-11-02", "P1Y"),
        ),
    ),
    Rule(
        "year_ago_period",
        _compile(r"\b(?:the\s+)?year-(?:earlier|ago)(?:\s+(?:quarter|period))?\b"),
        periods.read_year_ago_period,
        examples=(("the year-ago quarter", "1989-11-02", "1988-Q3"),),
    ),
    Rule(
        "spelled_year",
        _compile(rf"\b(?:(?P<mod>{_PERIOD_MOD})\s+)?(?P<the>the\s+year\s+)?(?P<y>{_SPELLED_YEAR})\b"),
        normalize.read_spelled_year,
        # "two thousand (and one)" is a count unless it is "the year two thousand"
        accept=lambda m, t: bool(m.group("the")) or not m.group("y").lower().startswith("two"),
        examples=(
            ("nineteen ninety-six", "1998-02-13", "1996"),
            ("the year two thousand", "1998-02-05", "2000"),
        ),
    ),
    Rule(
        "holiday",
        _compile(
            r"\b(?:(?P<rel>last|next|this)\s+)?(?P<name>"
            + "|".join(
                re.escape(h).replace(r"\ ", r"\s+").replace("'", "['’]")
                for h in sorted(HOLIDAYS, key=len, reverse=True)
            )
            + r")(?:\s+week)?\b"
        ),
        normalize.read_holiday,
        tense=True,
        accept=lambda m, t: m.group("name")[0].isupper(),
        examples=(
            ("Thanksgiving Day", "1999-12-01", "1999-11-25"),
            ("Election Day", "1998-10-20", "1998-11-03"),
        ),
    ),
    Rule(
        "year_end",
        _compile(r"\b(?:(?:the\s+)?year[-\s]end|(?:the\s+)?year['’]s\s+end|the\s+end\s+of\s+the\s+year)\b"),
        periods.read_year_end,
        examples=(("by year-end", "1989-11-02", "1989"), ("since year-end", "1989-11-02", "1988")),
    ),
    Rule(
        "weekend",
        _compile(r"\b(?:the|this|last|next|this\s+past|this\s+coming)\s+weekend\b"),
        normalize.read_weekend,
        tense=True,
        examples=(
            ("over the weekend", "1998-02-16", "1998-W07-WE"),
            ("next weekend", "1998-02-16", "1998-W08-WE"),
        ),
    ),
    Rule(
        "quarter_short",
        _compile(rf"\b(?P<q>[QH][1-4])(?:\s+|/|-)?(?P<y>{_YEAR})?\b"),
        periods.read_quarter_short,
        anchors=QUARTER,
        accept=lambda m, t: (
            m.group("q")[0].isupper() and not (m.group("q")[0].upper() == "H" and m.group("q")[1] > "2")
        ),
        examples=(("Q4 2024", "2024-11-10", "2024-Q4"),),
    ),
    Rule(
        "decade",
        _compile(
            rf"\b(?:the\s+)?(?:(?P<mod>early|mid|late)[\s-]+)?"
            rf"(?:(?P<dec>1[0-9]{{2}}0|20[0-9]0)'?s|'(?P<short>[0-9]0)s|(?P<word>{_DECADE_WORD}))(?!\w)"
        ),
        normalize.read_decade,
        absolute=True,
        examples=(("the late 1980s", "2024-11-10", "198"), ("the '90s", "2024-11-10", "199")),
    ),
    Rule(
        "century",
        _compile(
            rf"\b(?:the\s+)?(?:(?P<mod>early|mid|late)[\s-]+)?(?P<ord>\d{{1,2}}(?:st|nd|rd|th)|{_ORD})\s+century\b"
        ),
        normalize.read_century,
        absolute=True,
        examples=(("the 20th century", "2024-11-10", "19"),),
    ),
    Rule(
        "year_with_modifier",
        _compile(rf"(?:(?P<mod>{_PERIOD_MOD})[\s-]+)(?P<y>{_YEAR})(?![\d,.]\d|\w)"),
        normalize.read_year,
        absolute=True,
        examples=(("early 2020", "2022-10-01", "2020"), ("mid-2021", "2022-10-01", "2021")),
    ),
    Rule(
        "month",
        _compile(rf"(?<![\w-])(?:(?P<mod>{_PERIOD_MOD})[\s-]+)?(?P<mon>{_MON})(?![\w-])"),
        normalize.read_month,
        tense=True,
        anchors=DAY_OR_MONTH,
        accept=month_context,
        examples=(("in October", "2024-11-26", "2024-10"), ("the end of October", "2024-11-15", "2024-10")),
    ),
    Rule(
        "year",
        _compile(
            rf"{_LB}(?:the\s+year\s+|fiscal\s+(?:year\s+)?)?(?P<mod>)?(?P<y>{_YEAR})(?![\d,.]\d|\w|-\w)"
        ),
        normalize.read_year,
        absolute=True,
        accept=year_context,
        examples=(("since 1953", "2024-11-10", "1953"),),
    ),
    Rule(
        "ago_or_later",
        _compile(
            rf"\b(?:(?P<mod>{_APPROX_MOD})\s+)?(?:(?P<n>{_NUM}|{_VAGUE})\s+)?(?:more\s+)?(?P<unit>{_UNIT})s?\s+"
            rf"(?:or\s+so\s+)?(?P<dir>ago|earlier|later|afterwards?|from\s+now|hence)\b"
        ),
        normalize.read_ago,
        examples=(("two years ago", "2024-11-10", "2022"), ("three days later", "2024-11-10", "2024-11-13")),
    ),
    Rule(
        "relative",
        _compile(
            rf"\b(?:(?P<mod>early|late|mid)[\s-]+)?(?P<rel>{_REL})\s+(?P<unit>{_UNIT}|morning|afternoon|evening)(?!\w)"
        ),
        normalize.read_relative,
        accept=lambda m, t: not title_case_inside_sentence(m, t),
        examples=(
            ("last month", "2024-11-05", "2024-10"),
            ("this year", "2024-11-05", "2024"),
            ("last year", "2024-11-26", "2023"),
            ("next week", "2024-11-05", "2024-W46"),
        ),
    ),
    Rule(
        "duration",
        _compile(
            rf"(?<!/)\b(?:(?P<mod>{_APPROX_MOD})\s+)?(?:the\s+(?![\w.]+-\w)(?:(?:past|last|next|first|final|coming|previous)\s+)?)?"
            rf"(?P<n>{_NUM}|{_VAGUE})(?P<half>\s+1/2|\s+and\s+a\s+half|½)?[\s-]+"
            rf"(?:more\s+|full\s+|straight\s+|consecutive\s+)?(?P<unit>{_UNIT})s?(?P<half2>\s+and\s+a\s+half)?(?![\w])"
        ),
        normalize.read_duration,
        accept=duration_context,
        examples=(
            ("24 years", "2024-11-10", "P24Y"),
            ("90 days", "2024-11-10", "P90D"),
            ("two hours", "2024-11-10", "PT2H"),
            ("5 1/2 hours", "1998-08-17", "PT5H30M"),
            ("a minute and a half", "1998-01-14", "PT1M30S"),
            ("two and a half years", "1998-01-14", "P2Y6M"),
        ),
    ),
    Rule(
        "bare_plural_duration",
        _compile(r"\b(?P<n>)?(?P<mod>)?(?P<unit>years|months|weeks|decades|days|hours|minutes)\b"),
        normalize.read_duration,
        accept=lambda m, t: bool(
            re.search(r"\b(?:for|over|in|took|within|of)\s+$", t[max(0, m.start() - 8) : m.start()], re.I)
        ),
        examples=(("for years", "2024-11-10", "PXY"),),
    ),
    Rule(
        "same_day",
        _compile(r"\b(?:earlier|later)\s+in\s+the\s+day\b"),
        normalize.read_same_day,
        examples=(("earlier in the day", "2024-09-21", "2024-09-21"),),
    ),
    Rule(
        "deictic",
        _compile(rf"\b(?:(?:early|late|earlier|later)\s+(?=today|yesterday|tomorrow|tonight))?{_DEICTIC}\b"),
        normalize.read_deictic,
        anchors=DAY_OR_MONTH,
        accept=deictic_context,
        examples=(
            ("today", "2024-11-10", "2024-11-10"),
            ("yesterday", "2024-11-10", "2024-11-09"),
            ("recently", "2024-11-10", "PAST_REF"),
        ),
    ),
    Rule(
        "part_of_day",
        _compile(rf"\b(?P<ref>this|yesterday|tomorrow|last)\s+(?P<pod>{_POD})\b"),
        normalize.read_part_of_day,
        examples=(("yesterday morning", "2024-11-10", "2024-11-09TMO"),),
    ),
    Rule(
        "weekday",
        _compile(
            rf"\b(?:(?:early|late|earlier|later)\s+)?(?:{_REL_WORD}\s+)?(?P<wd>{_WD})(?:\s+(?P<pod>{_POD}))?\b"
        ),
        normalize.read_weekday,
        tense=True,
        anchors=DAY_OR_MONTH,
        accept=lambda m, t: m.group("wd")[0].isupper() and len(m.group("wd").rstrip(".")) > 3,
        examples=(("said Friday", "1998-01-09", "1998-01-09"), ("last Monday", "2024-11-06", "2024-11-04")),
    ),
    Rule(
        "clock",
        _compile(r"\b(?P<h>[01]?\d|2[0-3])(?:[:.](?P<mi>[0-5]\d))?\s*(?P<ap>a\.m\.|p\.m\.|am\b|pm\b)"),
        normalize.read_clock,
        time_of_day=True,
        examples=(("3 p.m.", "2013-03-22", "2013-03-22T15:00"),),
    ),
    Rule(
        "set",
        _compile(
            rf"\b(?:(?P<adv>{_SET_ADV})|(?:every|each|per)\s+(?:(?P<n>{_NUM})\s+)?(?P<unit>{_UNIT}s?|{_WD}s?|{_MON}))\b"
        ),
        normalize.read_set,
        accept=set_adverb_context,
        examples=(
            ("every year", "2024-11-10", "P1Y"),
            ("daily", "2024-11-10", "P1D"),
            ("every Monday", "2024-11-10", "XXXX-WXX-1"),
            ("each July", "1998-03-22", "XXXX-07"),
        ),
    ),
)
