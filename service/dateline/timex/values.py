"""TIMEX3 values: the :class:`Timex` record, the calendar interval of a value, date arithmetic and display.

Everything here is independent of the grammar: a value such as ``2024-06``, ``2024-SP`` or ``198``
(the 1980s) becomes a :class:`~dateline.model.DateValue` with its bounds; a bare "June" or "Monday"
is placed against a reference date and a tense; a value is rendered for a reader ("late September
2022"). The merger compares and displays these values, so its version covers this module.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from dateline.model import DateValue
from dateline.timex.lexicon import HOLIDAYS, SEASON_MONTHS, SEASON_NAMES, UNITS, VOCAB

PAST, PRESENT, FUTURE = "PAST", "PRESENT", "FUTURE"

#: ``tense_of(start, end)`` says whether the clause around a character span is past, present or future.
TenseOf = Callable[[int, int], str | None]


@dataclass(frozen=True)
class Timex:
    """A TIMEX3: character offsets into the tagged text, type, value and modifier.

    ``date`` is the calendar interval of a ``DATE`` value (None for durations, sets, ``PAST_REF``...);
    ``signal`` is the temporal preposition before the expression ("since", "after"), which decides
    whether the expression dates an event or only bounds it.
    """

    start: int
    end: int
    text: str
    type: str
    value: str
    mod: str | None = None
    date: DateValue | None = None
    signal: str | None = None
    relative: bool = False
    #: the name of the rule that read it (for explanations and error analysis)
    rule: str = ""

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "type": self.type,
            "value": self.value,
        }
        if self.mod:
            out["mod"] = self.mod
        return out


_MONTH_NAMES = [calendar.month_name[i] for i in range(13)]


def month_end(y: int, m: int) -> date:
    return date(y, m, calendar.monthrange(y, m)[1])


def add_months(y: int, m: int, n: int) -> tuple[int, int]:
    k = y * 12 + (m - 1) + n
    return k // 12, k % 12 + 1


def period_of_months(y: int, first: int, count: int) -> tuple[date, date]:
    ly, lm = add_months(y, first, count - 1)
    return date(y, first, 1), month_end(ly, lm)


def _thirds_by_months(start: date, end: date, mod: str) -> tuple[date, date]:
    months = []
    y, m = start.year, start.month
    while date(y, m, 1) <= end:
        months.append((y, m))
        y, m = add_months(y, m, 1)
    n = len(months)
    size = -(-n // 3)  # ceil: "early 2020" is January to April
    if mod == "START":
        part = months[:size]
    elif mod == "END":
        part = months[n - size :]
    else:
        mid = max(1, n - 2 * size)
        part = months[size : size + mid] or months[n // 2 : n // 2 + 1]
    return date(*part[0], 1), month_end(*part[-1])


def _narrow(start: date, end: date, precision: str, mod: str | None) -> tuple[date, date]:
    """Bounds of "early/mid/late X": the first, middle or last third of X."""
    if mod not in ("START", "MID", "END") or precision in ("day", "week"):
        return start, end
    if precision == "month":
        last = end.day
        if mod == "START":
            return start, start.replace(day=10)
        if mod == "MID":
            return start.replace(day=11), start.replace(day=20)
        return start.replace(day=21), start.replace(day=last)
    if precision in ("decade", "century"):
        span = end.year - start.year + 1
        third = span * 3 // 10 if precision == "decade" else span // 3
        third = max(third, 1)
        if mod == "START":
            return start, date(start.year + third, 12, 31)
        if mod == "END":
            return date(end.year - third + 1, 1, 1), end
        return date(start.year + third + 1, 1, 1), date(end.year - third, 12, 31)
    return _thirds_by_months(start, end, mod)


_VALUE_FORMS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:T.*)?$"), "day"),
    (re.compile(r"^(\d{4})-W(\d{2})(?:-WE)?$"), "week"),
    (re.compile(r"^(\d{4})-(\d{2})$"), "month"),
    (re.compile(r"^(\d{4})-(SP|SU|FA|WI)$"), "season"),
    (re.compile(r"^(\d{4})-Q([1-4])$"), "quarter"),
    (re.compile(r"^(\d{4})-H([12])$"), "half"),
    (re.compile(r"^(\d{4})$"), "year"),
    (re.compile(r"^(\d{3})$"), "decade"),
    (re.compile(r"^(\d{2})$"), "century"),
]


def calendar_date(value: str, mod: str | None = None) -> DateValue | None:
    """The calendar interval of a TIMEX3 date value (None for references, durations, sets)."""
    for rx, precision in _VALUE_FORMS:
        m = rx.match(value)
        if not m:
            continue
        try:
            start, end = _bounds(precision, m.groups())
        except ValueError:
            return None
        start, end = _narrow(start, end, precision, mod)
        if precision == "day":
            value = value[:10]  # a time of day dates its day
        return DateValue(value=value, precision=precision, start=start, end=end, modifier=mod)
    return None


def _bounds(precision: str, g: tuple[str | Any, ...]) -> tuple[date, date]:
    y = int(g[0])
    if precision == "day":
        d = date(y, int(g[1]), int(g[2]))
        return d, d
    if precision == "week":
        monday = date.fromisocalendar(y, int(g[1]), 1)
        return monday, monday + timedelta(days=6)
    if precision == "month":
        return date(y, int(g[1]), 1), month_end(y, int(g[1]))
    if precision == "season":
        first, last = SEASON_MONTHS[g[1]]
        count = (last - first) % 12 + 1
        return period_of_months(y, first, count)
    if precision == "quarter":
        return period_of_months(y, 3 * int(g[1]) - 2, 3)
    if precision == "half":
        return period_of_months(y, 6 * int(g[1]) - 5, 6)
    if precision == "year":
        return date(y, 1, 1), date(y, 12, 31)
    if precision == "decade":
        return date(y * 10, 1, 1), date(y * 10 + 9, 12, 31)
    return date(max(y * 100, 1), 1, 1), date(y * 100 + 99, 12, 31)


_MOD_WORDS = {"START": "early", "MID": "mid", "END": "late", "APPROX": "about", "ON_OR_BEFORE": "by"}


def display(dv: DateValue) -> str:
    """A reader's rendering at the real precision: "19 June 2024", "late September 2022", "spring 2024".

    A range ("on Sunday and Monday") carries its first value and wider bounds: "12 to 13 October 2025".
    """
    natural = calendar_date(dv.value, dv.modifier)
    if natural is not None and dv.end > natural.end:
        last = _end_value(dv)
        if last is not None:
            first = _display_one(natural)
            tail = _display_one(last)
            shared = _shared_suffix(first, tail)
            return f"{first[: len(first) - len(shared)].rstrip() or first} to {tail}"
    return _display_one(dv)


def _end_value(dv: DateValue) -> DateValue | None:
    """The range's last date at the precision of its first."""
    end = dv.end
    value = {
        "day": end.isoformat(),
        "month": f"{end.year:04d}-{end.month:02d}",
        "year": f"{end.year:04d}",
    }.get(dv.precision)
    return calendar_date(value) if value else None


def _shared_suffix(a: str, b: str) -> str:
    """ "12 October 2025" and "13 October 2025" share " October 2025": say it once."""
    words_a, words_b = a.split(), b.split()
    n = 0
    while n < min(len(words_a), len(words_b)) - 1 and words_a[-1 - n] == words_b[-1 - n]:
        n += 1
    return (" " + " ".join(words_a[len(words_a) - n :])) if n else ""


def _display_one(dv: DateValue) -> str:
    v, p = dv.value, dv.precision
    if p == "day":
        day = date.fromisoformat(v[:10])  # "on or before" a day starts before the day it names
        text = f"{day.day} {_MONTH_NAMES[day.month]} {day.year}"
    elif p == "week":
        text = f"week {int(v[6:8])} of {v[:4]}"
    elif p == "month":
        text = f"{_MONTH_NAMES[dv.start.month]} {v[:4]}"
    elif p == "season":
        text = f"{SEASON_NAMES[v[5:]]} {v[:4]}"
    elif p == "quarter":
        text = f"Q{v[6]} {v[:4]}"
    elif p == "half":
        text = f"{'first' if v[6] == '1' else 'second'} half of {v[:4]}"
    elif p == "year":
        text = v
    elif p == "decade":
        text = f"the {v}0s"
    else:
        n = int(v) + 1
        suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
        text = f"the {n}{suffix} century"
    word = _MOD_WORDS.get(dv.modifier or "")
    if not word:
        return text
    if text.startswith("the "):
        return f"the {word} {text[4:]}"
    return f"{word}-{text}" if word == "mid" else f"{word} {text}"


# --------------------------------------------------------------------------------------------------
# Resolution of underspecified and relative dates


# --------------------------------------------------------------------------------------------------
# Resolution of underspecified and relative dates
# --------------------------------------------------------------------------------------------------


#: a day date this close to the DCT is the nearest occurrence, whatever the tense ("payable Dec. 1")
NEAR_DAY_DATE = 60


def year_for_month(
    month: int, day: int | None, dct: date, tense: str | None, *, adverbial: bool = False
) -> int:
    """Year of a bare "June" / "November 4": the past one in a past clause, the next in a future one.

    A month and day within two months of the DCT is the nearest one: deadlines and record dates are
    often governed by a past-tense verb ("extended the offer to Nov. 20"). Not so when the date is an
    adverbial of a past clause ("the talks ended on December 3"): that is the last December 3.
    """
    if day is not None and not (adverbial and tense == PAST):
        near = []
        for y in (dct.year - 1, dct.year, dct.year + 1):
            try:
                near.append((abs((date(y, month, day) - dct).days), y))
            except ValueError:
                continue
        if near and min(near)[0] <= NEAR_DAY_DATE:
            return min(near)[1]
    here = (dct.month, dct.day if day is not None else 0)
    there = (month, day or 0)
    if tense == PAST:
        return dct.year if there <= here or (day is None and month == dct.month) else dct.year - 1
    if tense == FUTURE:
        return dct.year if there >= here else dct.year + 1
    # no tense: the closest occurrence
    best = min(
        (abs((y * 12 + month) - (dct.year * 12 + dct.month)), y)
        for y in (dct.year - 1, dct.year, dct.year + 1)
    )
    return best[1]


def year_of_weekday(weekday: int, month: int, day: int, dct: date) -> int | None:
    """The year nearest the DCT in which ``month``/``day`` falls on ``weekday`` (ISO, Monday = 1)."""
    years = []
    for y in (dct.year - 1, dct.year, dct.year + 1):
        try:
            if date(y, month, day).isoweekday() == weekday:
                years.append(y)
        except ValueError:
            continue
    return min(years, key=lambda y: abs((date(y, month, day) - dct).days)) if years else None


def weekday_date(weekday: int, dct: date, tense: str | None, rel: str | None) -> date:
    """The date of "Monday": the last one in a past clause (the DCT itself when it is that day)."""
    delta = weekday - dct.isoweekday()
    if rel in ("last", "this past", "past", "previous"):
        return dct + timedelta(days=delta - 7 if delta >= 0 else delta)
    if rel in ("next", "this coming", "coming"):
        return dct + timedelta(days=delta + 7 if delta <= 0 else delta)
    if rel == "this":
        return dct + timedelta(days=delta)
    if tense == PAST:
        return dct + timedelta(days=delta if delta <= 0 else delta - 7)
    if tense == FUTURE:
        return dct + timedelta(days=delta if delta >= 0 else delta + 7)
    if delta > 3:
        delta -= 7
    elif delta < -3:
        delta += 7
    return dct + timedelta(days=delta)


def season_year(code: str, dct: date, tense: str | None, rel: str | None) -> int:
    """Year of "the summer", "this past spring", "last winter" (winter YYYY runs December to February)."""

    def span(y: int) -> tuple[date, date]:
        first, last = SEASON_MONTHS[code]
        return period_of_months(y, first, (last - first) % 12 + 1)

    y = dct.year
    if span(y)[0] > dct:
        y -= 1  # the latest season of that name that has begun
    current = span(y)[0] <= dct <= span(y)[1]
    if rel in ("last", "past", "previous", "this past"):
        return y - 1 if current and rel != "this past" else y
    if rel in ("next", "coming", "this coming"):
        return y if current and rel == "this coming" else y + 1
    if rel == "this":
        return y if current or tense == PAST else (y + 1 if tense == FUTURE else dct.year)
    if tense == FUTURE and not current:
        return y + 1
    return y


def shift_value(value_unit: str, anchor: date, n: int) -> str:
    """The TIMEX3 value ``n`` units away from ``anchor``, at that unit's precision."""
    if value_unit == "D":
        return (anchor + timedelta(days=n)).isoformat()
    if value_unit == "W":
        iso = (anchor + timedelta(weeks=n)).isocalendar()
        return f"{iso[0]:04d}-W{iso[1]:02d}"
    if value_unit == "WE":
        iso = (anchor + timedelta(weeks=n)).isocalendar()
        return f"{iso[0]:04d}-W{iso[1]:02d}-WE"
    if value_unit == "M":
        y, m = add_months(anchor.year, anchor.month, n)
        return f"{y:04d}-{m:02d}"
    if value_unit == "Q":
        q = (anchor.month - 1) // 3 + n
        y = anchor.year + q // 4
        return f"{y:04d}-Q{q % 4 + 1}"
    if value_unit == "Y":
        return f"{anchor.year + n:04d}"
    if value_unit == "DE":
        return f"{anchor.year // 10 + n:03d}"
    if value_unit == "CE":
        return f"{anchor.year // 100 + n:02d}"
    raise ValueError(value_unit)


def _easter(year: int) -> date:
    """Western Easter Sunday (the anonymous Gregorian computus)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    leap = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * leap) // 451
    month = (h + leap - 7 * m + 114) // 31
    day = (h + leap - 7 * m + 114) % 31 + 1
    return date(year, month, day)


def holiday_date(name: str, year: int) -> date | None:
    """The date of a holiday of the table in a given year."""
    rule = HOLIDAYS.get(name.lower())
    if rule is None:
        return None
    if "fixed" in rule:
        return date(year, *rule["fixed"])
    if "easter" in rule:
        return _easter(year) + timedelta(days=rule["easter"])
    if "election" in rule:  # the Tuesday after the first Monday of November
        first = date(year, 11, 1)
        monday = first + timedelta(days=(7 - first.weekday()) % 7)
        return monday + timedelta(days=1)
    month, weekday, n = rule["nth"]
    if n > 0:
        first = date(year, month, 1)
        return first + timedelta(days=(weekday - first.isoweekday()) % 7 + 7 * (n - 1))
    last = month_end(year, month)
    return last - timedelta(days=(last.isoweekday() - weekday) % 7)


# --------------------------------------------------------------------------------------------------
# Durations
# --------------------------------------------------------------------------------------------------


def duration_value(unit: str, n: float) -> str:
    """Duration value ``P3Y``, ``PT2H``, ``PXM`` for ``n`` of ``unit`` (n < 0: unknown)."""
    code = UNITS[unit]
    count = "X" if n < 0 else (str(int(n)) if float(n).is_integer() else str(n))
    if unit in VOCAB["time_units"]:
        return f"PT{count}{code}"
    if code == "DE" and count != "X":
        return f"P{int(float(count) * 10)}Y"
    if code == "CE" and count != "X":
        return f"P{int(float(count) * 100)}Y"
    if code == "W2":
        return f"P{count}W" if count == "X" else f"P{int(float(count) * 2)}W"
    return f"P{count}{code}"


#: half of each unit, in the unit below it ("2 1/2 years" is P2Y6M, "5 1/2 hours" PT5H30M)
_HALF_UNIT = {"Y": "6M", "M": "15D", "D": "T12H", "H": "30M"}


def and_a_half(unit: str, n: int) -> str:
    """The TIMEX3 duration of ``n`` and a half ``unit``s."""
    whole = duration_value(unit, n)
    code = UNITS[unit]
    if unit == "minute":
        return f"{whole}30S"
    if code not in _HALF_UNIT:
        return duration_value(unit, n + 0.5)  # "P2.5W": no exact smaller unit
    return f"{whole}{_HALF_UNIT[code]}"
