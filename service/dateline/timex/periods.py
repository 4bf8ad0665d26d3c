"""The handlers of the periods reports are written in: quarters, halves and the year of account.

"the third quarter", "Q4 2024", "the 1988 quarter", "the year-ago period", "by year-end", "results
for the year": a company report names the period it covers and compares it with the one a year
before. Which quarter "the quarter" is depends on the report's date (the last quarter closed) or on
the quarter the text has just named (the narrative anchor). Like :mod:`dateline.timex.normalize`,
each handler returns None when its match names no period.
"""

from __future__ import annotations

import re

from dateline.timex.lexicon import ORDINALS
from dateline.timex.normalize import Ctx, year_of_rel
from dateline.timex.values import PAST


def read_quarter(m: re.Match[str], c: Ctx) -> tuple[str, str, str | None] | None:
    o = m.group("ord").lower()
    n = int(o[0]) if o[0].isdigit() else ORDINALS[o]
    unit = m.group("unit").lower()
    letter, count = ("Q", 4) if unit == "quarter" else ("H", 2)
    if m.group("y2"):  # "the first quarter 2023"
        return "DATE", f"{m.group('y2')}-{letter}{n}", None
    if n == -1:
        n = count
    if not 1 <= n <= count:
        return None
    y = year_of_rel(m, c, "rel") or year_of_rel(m, c, "relpre")
    if y is None and re.search(r"year-(?:ago|earlier)", m.group(0), re.I) and c.dct:
        # "the year-ago third quarter": that quarter of the year before the one being reported
        last_closed = (c.dct.month - 1) // 3
        return "DATE", f"{c.dct.year - (1 if last_closed == 0 else 0) - 1:04d}-{letter}{n}", None
    if y is None:
        if m.group("theyear") and c.anchor:
            y = c.anchor.start.year
        elif c.dct:
            y = c.dct.year
            current = (c.dct.month - 1) // (12 // count) + 1
            if c.tense == PAST and n > current:
                y -= 1
        else:
            return "DATE", f"XXXX-{letter}{n}", None
    return "DATE", f"{y:04d}-{letter}{n}", None


def read_quarter_short(m: re.Match[str], c: Ctx) -> tuple[str, str, str | None] | None:
    y = int(m.group("y")) if m.group("y") else (c.dct.year if c.dct else None)
    tag = m.group("q").upper()
    return "DATE", (f"{y:04d}-{tag}" if y else f"XXXX-{tag}"), None


def read_reporting_period(m: re.Match[str], c: Ctx) -> tuple[str, str, str | None] | None:
    """ "the quarter", "the latest period": the quarter being reported on (the last one closed)."""
    if re.search(r"\b(?:current|this)\b", m.group(0), re.I) and c.dct is not None:
        return "DATE", f"{c.dct.year:04d}-Q{(c.dct.month - 1) // 3 + 1}", None  # "the current quarter"
    latest = re.search(r"latest|recent", m.group(0), re.I)
    if c.dct is None:
        return (
            ("DATE", c.anchor.value, None)
            if c.anchor is not None and c.anchor.precision == "quarter"
            else None
        )
    q = (c.dct.month - 1) // 3  # the current quarter, counted from 0; the last closed one is q - 1
    year = c.dct.year - (1 if q == 0 else 0)
    if (
        not latest
        and c.anchor is not None
        and c.anchor.precision == "quarter"
        and c.anchor.start.year == year
    ):
        return "DATE", c.anchor.value, None  # the quarter the report has just named
    return "DATE", f"{year:04d}-Q{(q - 1) % 4 + 1}", None


def read_year_quarter(m: re.Match[str], c: Ctx) -> tuple[str, str, str | None] | None:
    """ "the 1988 second quarter"; "the 1988 quarter" is the quarter in focus, in that year."""
    year = int(m.group("y"))
    letter = "Q" if m.group("unit").lower() == "quarter" else "H"
    if m.group("ord"):
        o = m.group("ord").lower()
        n = int(o[0]) if o[0].isdigit() else ORDINALS.get(o, 0)
        return ("DATE", f"{year:04d}-{letter}{n}", None) if n > 0 else None
    current = read_reporting_period(m, c) if letter == "Q" else None
    return ("DATE", f"{year:04d}{current[1][4:]}", None) if current else None


def read_year_ago_period(m: re.Match[str], c: Ctx) -> tuple[str, str, str | None] | None:
    """ "the year-ago quarter": the quarter in focus, a year before."""
    current = read_reporting_period(m, c)
    if current is None:
        return None
    value = current[1]
    return "DATE", f"{int(value[:4]) - 1:04d}{value[4:]}", None


def read_year_end(m: re.Match[str], c: Ctx) -> tuple[str, str, str | None] | None:
    """ "by year-end", "the end of the year": this year's end; "since year-end": last year's."""
    if c.dct is None:
        return None
    before = c.text[max(0, m.start() - 8) : m.start()].lower()
    year = c.dct.year - 1 if re.search(r"\bsince\s+$", before) else c.dct.year
    return "DATE", f"{year:04d}", None


def read_year_of_account(m: re.Match[str], c: Ctx) -> tuple[str, str, str | None] | None:
    """ "for the year": the current year; "the year ended ...": a year-long span."""
    if re.match(r"\s+(?:ended|ending|earlier|ago|before|to\b)", c.text[m.end() : m.end() + 12]):
        return "DURATION", "P1Y", None
    return ("DATE", f"{c.dct.year:04d}", None) if c.dct else None
