"""The handlers: how a rule's match becomes a TIMEX3 type, value and modifier.

A handler reads the groups of its rule's pattern (:mod:`dateline.timex.rules`) and places what they
name against the context: the reference date (``dct``), the tense of the clause (for the rules
flagged ``tense``) and the narrative anchor, the last fully specified date before the match. It
returns None when the match names no date after all; the tagger then tries the next candidate.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from dateline.model import DateValue
from dateline.timex.lexicon import (
    MONTHS,
    ORDINALS,
    REL,
    SEASONS,
    UNITS,
    VOCAB,
    WEEKDAYS,
    day_number,
    modifier,
    month_number,
    number,
    unit_name,
    year_number,
)
from dateline.timex.values import (
    FUTURE,
    PAST,
    and_a_half,
    duration_value,
    holiday_date,
    season_year,
    shift_value,
    weekday_date,
    year_for_month,
    year_of_weekday,
)


@dataclass
class Ctx:
    dct: date | None
    tense: str | None
    anchor: DateValue | None
    text: str
    #: the last date the text named with its year (any precision): what "the following year" and
    #: "that year" count from ("founded in 2020 ... the following year" is 2021)
    year_anchor: DateValue | None = None


#: (type, value, mod), or (type, value, mod, date value) when a DURATION is also anchored to a date
Result = tuple[str, str, str | None] | tuple[str, str, str | None, str]
Handler = Callable[[re.Match[str], Ctx], Result | None]


def read_iso(m: re.Match[str], c: Ctx) -> tuple[str, str, str | None] | None:
    y, mo, d = m.group("y"), m.group("mo"), m.group("d")
    try:
        date(int(y), int(mo), int(d))
    except ValueError:
        return None
    if m.group("h"):
        return "TIME", f"{y}-{mo}-{d}T{m.group('h')}:{m.group('mi')}", None
    return "DATE", f"{y}-{mo}-{d}", None


def read_numeric(m: re.Match[str], c: Ctx) -> tuple[str, str, str | None] | None:
    a, b, y = int(m.group("a")), int(m.group("b")), int(m.group("y"))
    y = y + (2000 if y < 50 else 1900) if y < 100 else y
    mo, d = (a, b) if a <= 12 else (b, a)
    try:
        return "DATE", date(y, mo, d).isoformat(), None
    except ValueError:
        return None


def read_day_month(m: re.Match[str], c: Ctx) -> tuple[str, str, str | None] | None:
    mon = month_number(m.group("mon") or m.group("mon2"))
    day = day_number(m.group("d") or m.group("d2"))
    ytext = m.group("y")
    weekday = m.groupdict().get("wd")
    named = weekday and c.dct and year_of_weekday(WEEKDAYS[weekday.lower().rstrip(".")], mon, day, c.dct)
    if ytext:
        y = int(ytext)
    elif named:
        y = named  # "Saturday, April 25": the year in which April 25 is a Saturday
    elif c.dct:
        before = c.text[max(0, m.start() - 6) : m.start()].lower()
        tense = {"last ": PAST, "next ": FUTURE}.get(before[-5:], c.tense)  # "last Oct. 23"
        adverbial = bool(re.search(r"\b(?:on|in|since|last)\s+$", before))
        y = year_for_month(mon, day, c.dct, tense, adverbial=adverbial)
    else:
        return ("DATE", f"XXXX-{mon:02d}-{day:02d}", None) if day <= 31 else None
    try:
        d = date(y, mon, day)
    except ValueError:
        return None
    if m.group("h"):
        return "TIME", f"{d.isoformat()}T{_clock(m)}", None
    return "DATE", d.isoformat(), None


def read_week_of(m: re.Match[str], c: Ctx) -> tuple[str, str, str | None] | None:
    """ "the week of March 6": the ISO week holding that day."""
    day = read_day_month(m, c)
    if day is None or day[1].startswith("X"):
        return None
    iso = date.fromisoformat(day[1]).isocalendar()
    return "DATE", f"{iso[0]:04d}-W{iso[1]:02d}", None


def _clock(m: re.Match[str]) -> str:
    h = int(m.group("h"))
    ap = (m.group("ap") or "").lower().replace(".", "")
    if ap == "pm" and h < 12:
        h += 12
    if ap == "am" and h == 12:
        h = 0
    return f"{h:02d}:{int(m.group('mi') or 0):02d}"


def read_month_year(m: re.Match[str], c: Ctx) -> tuple[str, str, str | None] | None:
    mon = month_number(m.group("mon"))
    y = year_number(m.group("y")) if m.group("y") else None
    if m.group("y") and y is None:
        return None  # "May twenty-five": no year
    if y is None:
        rel = REL.get(m.group("rel").lower(), 0)
        if not c.dct:
            return None
        y = c.dct.year + rel
    return "DATE", f"{y:04d}-{mon:02d}", modifier(m.group("mod"))


def read_month_that_year(m: re.Match[str], c: Ctx) -> tuple[str, str, str | None] | None:
    """ "July of that year", "March the following year": a month of the year the narrative last
    named ("arrested in March 2024 and charged in July of that year": 2024-07)."""
    base = c.year_anchor or c.anchor
    if base is None:
        return None
    y = base.start.year + REL.get(re.sub(r"\s+", " ", m.group("rel").lower()), 0)
    return "DATE", f"{y:04d}-{month_number(m.group('mon')):02d}", modifier(m.group("mod"))


def read_rel_month(m: re.Match[str], c: Ctx) -> tuple[str, str, str | None] | None:
    mon = month_number(m.group("mon"))
    if not c.dct:
        return "DATE", f"XXXX-{mon:02d}", None
    rel = m.group("rel").lower()
    tense = PAST if REL.get(rel, 0) < 0 else FUTURE if REL.get(rel, 0) > 0 else c.tense
    y = year_for_month(mon, None, c.dct, tense)
    if rel in ("last", "past", "previous") and mon == c.dct.month:
        y -= 1
    if rel == "last" and (c.dct.month - mon) % 12 == 1:
        # the month just ended is "last month": "last February" said in March is the year before
        just_ended_year = c.dct.year if mon < c.dct.month else c.dct.year - 1
        y = just_ended_year - 1
    if rel == "this":
        y = c.dct.year
    return "DATE", f"{y:04d}-{mon:02d}", modifier(m.group("mod"))


def read_month(m: re.Match[str], c: Ctx) -> tuple[str, str, str | None] | None:
    mon = month_number(m.group("mon"))
    mod = modifier(m.group("mod"))
    if not c.dct:
        return "DATE", f"XXXX-{mon:02d}", mod
    return "DATE", f"{year_for_month(mon, None, c.dct, c.tense):04d}-{mon:02d}", mod


def read_year(m: re.Match[str], c: Ctx) -> tuple[str, str, str | None] | None:
    return "DATE", m.group("y"), modifier(m.group("mod"))


def read_decade(m: re.Match[str], c: Ctx) -> tuple[str, str, str | None] | None:
    mod = modifier(m.group("mod"))
    if m.group("dec"):
        return "DATE", m.group("dec")[:3], mod
    if m.group("short"):
        digit = m.group("short")[0]
        century = "19" if digit != "0" and digit != "1" else "20"
        return "DATE", century + digit, mod
    return "DATE", "19" + str(VOCAB["decade_words"][m.group("word").lower()]), mod


def read_century(m: re.Match[str], c: Ctx) -> tuple[str, str, str | None] | None:
    o = m.group("ord").lower()
    n = int(re.match(r"\d+", o).group()) if o[0].isdigit() else ORDINALS.get(o, 0)  # type: ignore[union-attr]
    if n <= 0:
        return None
    return "DATE", f"{n - 1:02d}", modifier(m.group("mod"))


def year_of_rel(m: re.Match[str], c: Ctx, group: str = "rel2") -> int | None:
    if m.group("y"):
        return year_number(m.group("y"))
    if m.group(group) and c.dct:
        return c.dct.year + REL.get(m.group(group).lower(), 0)
    return None


def read_season(m: re.Match[str], c: Ctx) -> tuple[str, str, str | None] | None:
    code = SEASONS[m.group("season").lower()]
    mod = modifier(m.group("mod")) or modifier(m.group("mod2"))
    y = year_of_rel(m, c)
    if y is None:
        if not c.dct:
            return "DATE", f"XXXX-{code}", mod
        rel = m.group("rel")
        y = season_year(code, c.dct, c.tense, re.sub(r"\s+", " ", rel.lower()) if rel else None)
    return "DATE", f"{y:04d}-{code}", mod


def read_relative(m: re.Match[str], c: Ctx) -> tuple[str, str, str | None] | None:
    rel = re.sub(r"\s+", " ", m.group("rel").lower())
    unit = unit_name(m.group("unit"))
    code = UNITS.get(unit)
    if code is None or code in ("S", "H") or unit == "minute":
        return None
    if rel in ("the past", "the last", "the next", "the coming") and code not in ("WE", "D"):
        # "the past year": a span reaching to now, not a calendar date
        return "DURATION", duration_value(unit, 1), None
    narrative = rel in VOCAB["anchored_to_narrative"]
    base = (c.year_anchor if code == "Y" else None) or c.anchor if narrative else None
    if base is None and narrative and rel in ("that", "the same"):
        return None
    ref = base.start if base else c.dct
    if ref is None:
        return None
    if unit == "night":
        code = "D"
    if unit in ("morning", "afternoon", "evening"):
        return None
    step = REL.get(rel, 0)
    if code == "W2":
        code, step = "W", step * 2
    if unit == "night":
        return "TIME", shift_value(code, ref, step) + "TNI", None  # "last night"
    return "DATE", shift_value(code, ref, step), modifier(m.group("mod"))


def read_ago(m: re.Match[str], c: Ctx) -> Result | None:
    """ "two years ago", "three days later" are dates; "almost two years ago" is a TIMEX3 duration (as
    TimeML annotates approximate spans) that still carries the date it reaches, for the event it dates."""
    unit = unit_name(m.group("unit"))
    n = number(m.group("n")) if m.group("n") else None
    direction = m.group("dir").lower()
    later = direction in ("later", "afterwards", "afterward", "from now", "hence", "after")
    ref_is_dct = direction in ("ago", "from now", "hence")
    if direction in ("after", "before"):
        return "DURATION", duration_value(unit, n if n is not None else -1), None
    if n is None or not float(n).is_integer():
        return "DATE", ("FUTURE_REF" if later else "PAST_REF"), None
    ref = c.dct if ref_is_dct or c.anchor is None else c.anchor.start
    if ref is None:
        return None
    code = UNITS[unit]
    if unit in VOCAB["time_units"]:
        return ("TIME", (ref.isoformat() if unit == "hour" else "PRESENT_REF"), None)
    if code == "W2":
        code, n = "W", n * 2
    reporting_year = None
    if c.dct is not None:
        reporting_year = c.dct.year - (1 if c.dct.month <= 3 else 0)
    if (
        code == "Y"
        and c.anchor is not None
        and c.anchor.precision == "quarter"
        and c.anchor.start.year == reporting_year
    ):
        # "a year ago" in a quarterly report: the same quarter a year before
        year = int(c.anchor.value[:4]) + (int(n) if later else -int(n))
        return "DATE", f"{year:04d}{c.anchor.value[4:]}", None
    value = shift_value(code, ref, int(n) if later else -int(n))
    if code == "D" and unit == "night":
        value = value + "TNI"
    mod = modifier(m.group("mod"))
    if mod:
        return "DURATION", duration_value(unit, n), mod, value  # "almost two years ago": about P2Y back
    return "DATE", value, None


def read_clock_day(m: re.Match[str], c: Ctx) -> tuple[str, str, str | None] | None:
    """ "noon Thursday", "10 p.m. Wednesday": a time on a day."""
    if c.dct is None:
        return None
    if m.group("mon"):
        month, dd = month_number(m.group("mon")), day_number(m.group("dd"))
        try:
            d = date(year_for_month(month, dd, c.dct, c.tense), month, dd)
        except ValueError:
            return None
        named = (m.group("named") or "").lower()
        clock = "12:00" if named == "noon" else "24:00" if named == "midnight" else _clock(m)
        return "TIME", f"{d.isoformat()}T{clock}", None
    day = m.group("day").lower()
    if day in ("yesterday", "today", "tomorrow"):
        d = c.dct + timedelta(days={"yesterday": -1, "today": 0, "tomorrow": 1}[day])
    else:
        d = weekday_date(WEEKDAYS[day.rstrip(".")], c.dct, c.tense, None)
    named = (m.group("named") or "").lower()
    clock = "12:00" if named == "noon" else "24:00" if named == "midnight" else _clock(m)
    return "TIME", f"{d.isoformat()}T{clock}", None


def read_spelled_year(m: re.Match[str], c: Ctx) -> tuple[str, str, str | None] | None:
    year = year_number(m.group("y"))
    return ("DATE", f"{year:04d}", modifier(m.group("mod"))) if year else None


def read_weekend(m: re.Match[str], c: Ctx) -> tuple[str, str, str | None] | None:
    """ "the weekend": the last one in a past clause, the coming one otherwise."""
    if c.dct is None:
        return "DATE", "XXXX-WXX-WE", None
    word = m.group(0).lower()
    ahead = (
        "next" in word
        or "coming" in word
        or (c.tense == FUTURE and "last" not in word and "past" not in word)
    )
    if ahead:
        return (
            "DATE",
            shift_value("WE", c.dct + timedelta(days=5 - c.dct.weekday() if c.dct.weekday() < 5 else 0), 0),
            None,
        )
    back = (c.dct.weekday() + 2) % 7 if c.dct.weekday() < 5 else 0  # days back to the last Saturday
    return "DATE", shift_value("WE", c.dct - timedelta(days=back), 0), None


def read_holiday(m: re.Match[str], c: Ctx) -> tuple[str, str, str | None] | None:
    name = re.sub(r"\s+", " ", m.group("name").lower()).replace("’", "'")
    rel = (m.group("rel") or "").lower()
    if c.dct is None:
        return None
    candidates = [
        (d, y) for y in (c.dct.year - 1, c.dct.year, c.dct.year + 1) if (d := holiday_date(name, y))
    ]
    if not candidates:
        return None
    if rel == "last" or (c.tense == PAST and rel != "next"):
        past = [d for d, _ in candidates if d <= c.dct]
        day = max(past) if past else min(d for d, _ in candidates)
    elif rel == "next" or c.tense == FUTURE:
        ahead = [d for d, _ in candidates if d >= c.dct]
        day = min(ahead) if ahead else max(d for d, _ in candidates)
    else:
        dct = c.dct
        day = min((d for d, _ in candidates), key=lambda d: abs((d - dct).days))
    if re.search(r"week$", m.group(0).lower()):
        iso = day.isocalendar()
        return "DATE", f"{iso[0]:04d}-W{iso[1]:02d}", None
    return "DATE", day.isoformat(), None


def read_duration(m: re.Match[str], c: Ctx) -> tuple[str, str, str | None] | None:
    unit = unit_name(m.group("unit"))
    if unit not in UNITS:
        return None
    if m.group("n"):
        n = number(m.group("n"))
        if n is None:
            vague = m.group("n").lower()
            if vague in ("coming", "the next few"):
                return "DATE", "FUTURE_REF", None  # "in coming months"
            if vague == "recent" and unit == "year":
                return "DATE", "PAST_REF", None  # "in recent years": a past reference, not a span
            n = -1  # "several years", "recent months": PXY, PXM
    else:
        n = -1
    if n >= 0 and (m.groupdict().get("half") or m.groupdict().get("half2")):
        return "DURATION", and_a_half(unit, int(n)), modifier(m.group("mod"))
    return "DURATION", duration_value(unit, n), modifier(m.group("mod"))


def read_deictic(m: re.Match[str], c: Ctx) -> tuple[str, str, str | None] | None:
    word = re.sub(
        r"^(?:early|late|earlier|later)\s+(?=today|yesterday|tomorrow|tonight)", "", m.group(0).lower()
    )
    typ, v = VOCAB["deictic"][re.sub(r"\s+", " ", word)]
    if not v.startswith("DCT"):
        return typ, v, None
    if not c.dct:
        return None
    shift = {"DCT": 0, "DCT-1D": -1, "DCT+1D": 1}.get(v.split("-T")[0], 0)
    day = (c.dct + timedelta(days=shift)).isoformat()
    return typ, (day + "TNI" if v.endswith("TNI") else day), None


def read_same_day(m: re.Match[str], c: Ctx) -> tuple[str, str, str | None] | None:
    """ "earlier in the day": the day the narrative last named, else the reference date."""
    if c.anchor is not None and c.anchor.precision == "day":
        return "DATE", c.anchor.start.isoformat(), None
    return ("DATE", c.dct.isoformat(), None) if c.dct else None


def read_weekday(m: re.Match[str], c: Ctx) -> tuple[str, str, str | None] | None:
    wd = WEEKDAYS[m.group("wd").lower().rstrip(".")]
    rel = re.sub(r"\s+", " ", m.group("rel").lower()) if m.group("rel") else None
    if not c.dct:
        return "DATE", f"XXXX-WXX-{wd}", None
    d = weekday_date(wd, c.dct, c.tense, rel)
    pod = m.group("pod")
    if pod:
        return "TIME", f"{d.isoformat()}T{VOCAB['parts_of_day'][pod.lower()]}", None
    return "DATE", d.isoformat(), None


def read_part_of_day(m: re.Match[str], c: Ctx) -> tuple[str, str, str | None] | None:
    ref = m.group("ref").lower()
    code = VOCAB["parts_of_day"][m.group("pod").lower()]
    if not c.dct:
        return "TIME", f"XXXX-XX-XXT{code}", None
    shift = {"yesterday": -1, "tomorrow": 1, "last": -1}.get(ref, 0)
    return "TIME", f"{(c.dct + timedelta(days=shift)).isoformat()}T{code}", None


def read_clock(m: re.Match[str], c: Ctx) -> tuple[str, str, str | None] | None:
    if not c.dct:
        return "TIME", f"XXXX-XX-XXT{_clock(m)}", None
    return "TIME", f"{c.dct.isoformat()}T{_clock(m)}", None


def read_set(m: re.Match[str], c: Ctx) -> tuple[str, str, str | None] | None:
    if m.group("adv"):
        return "SET", VOCAB["set_adverbs"][m.group("adv").lower()], None
    word = m.group("unit").lower()
    if word.rstrip(".") in MONTHS and not m.group("n") and m.group("unit")[0].isupper():
        return "SET", f"XXXX-{MONTHS[word.rstrip('.')]:02d}", None  # "each July"
    if word.rstrip(".") in MONTHS:
        return None
    if word.rstrip(".s") in WEEKDAYS:
        return "SET", f"XXXX-WXX-{WEEKDAYS[word.rstrip('.s')]}", None
    unit = unit_name(word)
    if unit not in UNITS:
        return None
    n = number(m.group("n")) if m.group("n") else 1
    return "SET", duration_value(unit, n or 1), None
