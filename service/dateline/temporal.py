"""Temporal expressions: find them in text and normalise them to TIMEX3 values.

The grammar is built from the word tables in ``data/temporal.json``. Resolution takes the document
creation time (``dct``) as an argument, never the clock; underspecified dates ("June", "Monday", "the
summer") are placed by the tense of the clause around them, which a caller supplies as ``tense_of``
(the spaCy component derives it from the parse; without one a light word-based guess is used).
Expressions that move the narrative ("two days later", "the following year") are anchored to the last
fully specified date seen before them.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from dateline import budget
from dateline.model import DateValue
from dateline.vocab import alternation, load

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


# --------------------------------------------------------------------------------------------------
# Calendar arithmetic on TIMEX3 values
# --------------------------------------------------------------------------------------------------


def _word_key(text: str) -> str:
    """The form a word is looked up in by: its patterns (:func:`dateline.vocab.alternation`) let a
    phrase's spaces be any white space or hyphens and its hyphens be anything of the kind or nothing,
    in any case, so "The short-term" and "THE  SHORT TERM" are the table's "the short term"."""
    return re.sub(r"[\s-]+", "", text.lower())


class _WordTable(dict[str, Any]):
    """A vocabulary table (iterated as written) whose lookups go through :func:`_word_key`: every
    spelling the patterns match is found (a KeyError here would kill a whole batch)."""

    def __init__(self, table: Mapping[str, Any]) -> None:
        super().__init__(table)
        self._by_key = {_word_key(k): v for k, v in table.items()}

    def __getitem__(self, word: str) -> Any:
        return self._by_key[_word_key(word)]

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and _word_key(word) in self._by_key

    def get(self, word: str, default: Any = None) -> Any:
        return self._by_key.get(_word_key(word), default)


class _WordList(list[str]):
    """A vocabulary list whose membership tests go through :func:`_word_key`."""

    def __init__(self, words: Iterable[str]) -> None:
        super().__init__(words)
        self._keys = frozenset(_word_key(w) for w in self)

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and _word_key(word) in self._keys


def _word_tables(tables: Mapping[str, Any]) -> dict[str, Any]:
    return {
        name: _WordTable(t) if isinstance(t, dict) else _WordList(t) if isinstance(t, list) else t
        for name, t in tables.items()
    }


_V = _word_tables(load("temporal"))
SEASON_MONTHS: dict[str, list[int]] = _V["season_months"]
SEASON_NAMES: dict[str, str] = _V["season_names"]
_MONTH_NAMES = [calendar.month_name[i] for i in range(13)]


def _month_end(y: int, m: int) -> date:
    return date(y, m, calendar.monthrange(y, m)[1])


def _add_months(y: int, m: int, n: int) -> tuple[int, int]:
    k = y * 12 + (m - 1) + n
    return k // 12, k % 12 + 1


def _period_of_months(y: int, first: int, count: int) -> tuple[date, date]:
    ly, lm = _add_months(y, first, count - 1)
    return date(y, first, 1), _month_end(ly, lm)


def _thirds_by_months(start: date, end: date, mod: str) -> tuple[date, date]:
    months = []
    y, m = start.year, start.month
    while date(y, m, 1) <= end:
        months.append((y, m))
        y, m = _add_months(y, m, 1)
    n = len(months)
    size = -(-n // 3)  # ceil: "early 2020" is January to April
    if mod == "START":
        part = months[:size]
    elif mod == "END":
        part = months[n - size :]
    else:
        mid = max(1, n - 2 * size)
        part = months[size : size + mid] or months[n // 2 : n // 2 + 1]
    return date(*part[0], 1), _month_end(*part[-1])


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
        return date(y, int(g[1]), 1), _month_end(y, int(g[1]))
    if precision == "season":
        first, last = SEASON_MONTHS[g[1]]
        count = (last - first) % 12 + 1
        return _period_of_months(y, first, count)
    if precision == "quarter":
        return _period_of_months(y, 3 * int(g[1]) - 2, 3)
    if precision == "half":
        return _period_of_months(y, 6 * int(g[1]) - 5, 6)
    if precision == "year":
        return date(y, 1, 1), date(y, 12, 31)
    if precision == "decade":
        return date(y * 10, 1, 1), date(y * 10 + 9, 12, 31)
    return date(max(y * 100, 1), 1, 1), date(y * 100 + 99, 12, 31)


_MOD_WORDS = {"START": "early", "MID": "mid", "END": "late", "APPROX": "about"}


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
        text = f"{dv.start.day} {_MONTH_NAMES[dv.start.month]} {dv.start.year}"
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


#: a day date this close to the DCT is the nearest occurrence, whatever the tense ("payable Dec. 1")
NEAR_DAY_DATE = 60


def _year_for_month(
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


def _year_of_weekday(weekday: int, month: int, day: int, dct: date) -> int | None:
    """The year nearest the DCT in which ``month``/``day`` falls on ``weekday`` (ISO, Monday = 1)."""
    years = []
    for y in (dct.year - 1, dct.year, dct.year + 1):
        try:
            if date(y, month, day).isoweekday() == weekday:
                years.append(y)
        except ValueError:
            continue
    return min(years, key=lambda y: abs((date(y, month, day) - dct).days)) if years else None


def _weekday_date(weekday: int, dct: date, tense: str | None, rel: str | None) -> date:
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


def _season_year(code: str, dct: date, tense: str | None, rel: str | None) -> int:
    """Year of "the summer", "this past spring", "last winter" (winter YYYY runs December to February)."""

    def span(y: int) -> tuple[date, date]:
        first, last = SEASON_MONTHS[code]
        return _period_of_months(y, first, (last - first) % 12 + 1)

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


def _shift(value_unit: str, anchor: date, n: int) -> str:
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
        y, m = _add_months(anchor.year, anchor.month, n)
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


# --------------------------------------------------------------------------------------------------
# The grammar
# --------------------------------------------------------------------------------------------------

MONTHS: dict[str, int] = _V["months"]
WEEKDAYS: dict[str, int] = _V["weekdays"]
SEASONS: dict[str, str] = _V["seasons"]
ORDINALS: dict[str, int] = _V["ordinals"]
NUMBERS: dict[str, float] = _V["numbers"]
UNITS: dict[str, str] = _V["units"]
MODIFIERS: dict[str, str] = _V["modifiers"]
REL: dict[str, int] = _V["relative_words"]

_MON = alternation(MONTHS, abbreviations=True)
_WD = alternation(WEEKDAYS, abbreviations=True)
_SEASON = alternation(SEASONS)
_DAY = r"(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:1[0-9]{3}|20[0-9]{2})"
_PERIOD_MOD = alternation([k for k, v in MODIFIERS.items() if v in ("START", "MID", "END")])
_APPROX_MOD = alternation([k for k, v in MODIFIERS.items() if v not in ("START", "MID", "END")])
_NUMWORD = alternation([k for k in NUMBERS if k not in ("a", "an")])
_NUM = rf"(?:\d+(?:\.\d+)?|{_NUMWORD}(?:[\s-]+{_NUMWORD})?|an?)"
_VAGUE = alternation(_V["vague_numbers"])
_UNIT = alternation(UNITS)
_REL = alternation(REL)
_REL_WORD = r"(?P<rel>this past|this coming|this|last|next|past|coming)"
_ORD = alternation([*ORDINALS, "1st", "2nd", "3rd", "4th"])
_DECADE_WORD = alternation(_V["decade_words"])
_POD = alternation(_V["parts_of_day"])
_DEICTIC = alternation(_V["deictic"])
_SET_ADV = alternation(_V["set_adverbs"])
#: a year in words, as broadcast transcripts write it: "nineteen ninety-four", "two thousand (and) one"
_SPELLED_YEAR = (
    rf"(?:(?:nineteen|twenty)[\s-]+{_NUMWORD}(?:[\s-]+{_NUMWORD})?"
    rf"|two\s+thousand(?:(?:\s+and)?[\s-]+{_NUMWORD}(?:[\s-]+{_NUMWORD})?)?)"
)
_LB = r"(?<![\w$€£¥#©/])"  # no letter, digit, currency or path before
_RB = r"(?![\w%])"


def _num(text: str) -> float | None:
    t = re.sub(r"[\s-]+", " ", text.lower()).strip()
    if re.fullmatch(r"\d+(?:\.\d+)?", t):
        return float(t)
    if t in NUMBERS:
        return float(NUMBERS[t])
    parts = t.split()
    if len(parts) == 2 and parts[0] in NUMBERS and parts[1] in NUMBERS:
        return float(NUMBERS[parts[0]] + NUMBERS[parts[1]])
    return None


def _year_number(text: str) -> int | None:
    """The year of "1994", "nineteen ninety-four" or "two thousand and one" (None: not a year)."""
    if text.isdigit():
        return int(text)
    words = re.sub(r"[\s-]+", " ", text.lower()).strip()
    if words.startswith("two thousand"):
        rest = re.sub(r"^two thousand(?: and)?", "", words).strip()
        n = _num(rest) if rest else 0
        return 2000 + int(n) if n is not None and 0 <= n < 100 else None
    century, _, rest = words.partition(" ")
    n = _num(rest)
    if n is None or not 10 <= n <= 99:
        return None
    return (1900 if century == "nineteen" else 2000) + int(n)


def _month(text: str) -> int:
    return MONTHS[text.lower().rstrip(".")]


def _day(text: str) -> int:
    return int(re.match(r"\d+", text).group())  # type: ignore[union-attr]


def _mod(text: str | None) -> str | None:
    if not text:
        return None
    return MODIFIERS.get(re.sub(r"[\s-]+", " ", text.lower()).strip())


def _unit(text: str) -> str:
    t = text.lower()
    t = t[:-1] if t.endswith("s") and t[:-1] in UNITS else t
    t = "century" if t == "centurie" else t
    return t


def _iso_unit(unit: str, n: float) -> str:
    """Duration value ``P3Y``, ``PT2H``, ``PXM`` for ``n`` of ``unit`` (n < 0: unknown)."""
    code = UNITS[unit]
    count = "X" if n < 0 else (str(int(n)) if float(n).is_integer() else str(n))
    if unit in _V["time_units"]:
        return f"PT{count}{code}"
    if code == "DE" and count != "X":
        return f"P{int(float(count) * 10)}Y"
    if code == "CE" and count != "X":
        return f"P{int(float(count) * 100)}Y"
    if code == "W2":
        return f"P{count}W" if count == "X" else f"P{int(float(count) * 2)}W"
    return f"P{count}{code}"


@dataclass
class _Ctx:
    dct: date | None
    tense: str | None
    anchor: DateValue | None
    text: str


#: (type, value, mod), or (type, value, mod, date value) when a DURATION is also anchored to a date
_Result = tuple[str, str, str | None] | tuple[str, str, str | None, str]
_Handler = Callable[[re.Match[str], _Ctx], _Result | None]


@dataclass(frozen=True)
class _Rule:
    name: str
    pattern: re.Pattern[str]
    handler: _Handler
    accept: Callable[[re.Match[str], str], bool] | None = None
    examples: tuple[tuple[str, str, str], ...] = ()  # (text, dct, value): run by the tests


def _capitalised(m: re.Match[str], group: str) -> bool:
    s = m.group(group)
    return bool(s) and s[0].isupper()


_TEMPORAL_PREP = re.compile(
    r"(?:\b(?:"
    + "|".join(re.escape(p) for p in _V["temporal_prepositions"])
    + r"|early|late|mid|last|next|this|"
    r"past|until|of|and|or|between)\s+(?:the\s+)?$)",
    re.I,
)


def _month_context(m: re.Match[str], text: str, group: str = "mon") -> bool:
    """A lone month name is a date only when capitalised and, for "May"/"March"..., after a signal word."""
    word = m.group(group)
    if not word or not word[0].isupper():
        return False
    key = word.lower().rstrip(".")
    before = text[max(0, m.start() - 25) : m.start()]
    if key in _V["ambiguous_months"] or word.endswith("."):
        if re.match(r"\s+[A-Z][a-z]", text[m.end() : m.end() + 4]) and not word.endswith("."):
            return False  # "Jan Kavan", "May Day"
        return bool(_TEMPORAL_PREP.search(before))
    after = text[m.end() : m.end() + 20]
    # "June Carter": a capitalised word after a month name makes it a name
    return not re.match(r"\s+[A-Z][a-z]", after) or bool(_TEMPORAL_PREP.search(before))


def _year_context(m: re.Match[str], text: str) -> bool:
    """A four-digit number is a year unless it counts something ("2000 soldiers") or is page furniture."""
    before = text[max(0, m.start() - 12) : m.start()]
    after = text[m.end() : m.end() + 15]
    if re.search(r"(?:[$€£¥#©]|\bUS|\bNo\.?|\bNo\s|\bTel:?|\bFax:?|\bph\.?|[\d,.]-?)\s*$", before, re.I):
        return False
    if re.match(r"\s*(?:-|–)\s*\d", after) and not re.search(r"\b(?:from|between)\s+$", before, re.I):
        return bool(re.match(r"\s*(?:-|–)\s*(?:\d{2}|\d{4})\b", after)) and bool(
            re.search(r"\b(?:in|the|of|since|for)\s+$", before, re.I)
        )
    nxt = re.match(r"\s+([a-z]+)", after)
    if nxt and nxt.group(1).endswith("s") and nxt.group(1) not in _NOT_COUNTED:
        return False  # "2000 soldiers"
    return not re.match(
        r"\s*(?:%|percent|per\b|km|kg|mm|m\b|feet|miles|metres|meters|tons|tonnes|barrels)", after
    )


_NOT_COUNTED = {
    "was",
    "is",
    "has",
    "as",
    "its",
    "this",
    "his",
    "does",
    "plus",
    "thus",
    "versus",
}


def _h_iso(m: re.Match[str], c: _Ctx) -> tuple[str, str, str | None] | None:
    y, mo, d = m.group("y"), m.group("mo"), m.group("d")
    try:
        date(int(y), int(mo), int(d))
    except ValueError:
        return None
    if m.group("h"):
        return "TIME", f"{y}-{mo}-{d}T{m.group('h')}:{m.group('mi')}", None
    return "DATE", f"{y}-{mo}-{d}", None


def _h_numeric(m: re.Match[str], c: _Ctx) -> tuple[str, str, str | None] | None:
    a, b, y = int(m.group("a")), int(m.group("b")), int(m.group("y"))
    y = y + (2000 if y < 50 else 1900) if y < 100 else y
    mo, d = (a, b) if a <= 12 else (b, a)
    try:
        return "DATE", date(y, mo, d).isoformat(), None
    except ValueError:
        return None


def _h_day_month(m: re.Match[str], c: _Ctx) -> tuple[str, str, str | None] | None:
    mon = _month(m.group("mon") or m.group("mon2"))
    day = _day(m.group("d") or m.group("d2"))
    ytext = m.group("y")
    weekday = m.groupdict().get("wd")
    named = weekday and c.dct and _year_of_weekday(WEEKDAYS[weekday.lower().rstrip(".")], mon, day, c.dct)
    if ytext:
        y = int(ytext)
    elif named:
        y = named  # "Saturday, April 25": the year in which April 25 is a Saturday
    elif c.dct:
        before = c.text[max(0, m.start() - 6) : m.start()].lower()
        tense = {"last ": PAST, "next ": FUTURE}.get(before[-5:], c.tense)  # "last Oct. 23"
        adverbial = bool(re.search(r"\b(?:on|in|since|last)\s+$", before))
        y = _year_for_month(mon, day, c.dct, tense, adverbial=adverbial)
    else:
        return ("DATE", f"XXXX-{mon:02d}-{day:02d}", None) if day <= 31 else None
    try:
        d = date(y, mon, day)
    except ValueError:
        return None
    if m.group("h"):
        return "TIME", f"{d.isoformat()}T{_clock(m)}", None
    return "DATE", d.isoformat(), None


def _h_week_of(m: re.Match[str], c: _Ctx) -> tuple[str, str, str | None] | None:
    """ "the week of March 6": the ISO week holding that day."""
    day = _h_day_month(m, c)
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


def _h_month_year(m: re.Match[str], c: _Ctx) -> tuple[str, str, str | None] | None:
    mon = _month(m.group("mon"))
    y = _year_number(m.group("y")) if m.group("y") else None
    if m.group("y") and y is None:
        return None  # "May twenty-five": no year
    if y is None:
        rel = REL.get(m.group("rel").lower(), 0)
        if not c.dct:
            return None
        y = c.dct.year + rel
    return "DATE", f"{y:04d}-{mon:02d}", _mod(m.group("mod"))


def _h_rel_month(m: re.Match[str], c: _Ctx) -> tuple[str, str, str | None] | None:
    mon = _month(m.group("mon"))
    if not c.dct:
        return "DATE", f"XXXX-{mon:02d}", None
    rel = m.group("rel").lower()
    tense = PAST if REL.get(rel, 0) < 0 else FUTURE if REL.get(rel, 0) > 0 else c.tense
    y = _year_for_month(mon, None, c.dct, tense)
    if rel in ("last", "past", "previous") and mon == c.dct.month:
        y -= 1
    if rel == "last" and (c.dct.month - mon) % 12 == 1:
        # the month just ended is "last month": "last February" said in March is the year before
        just_ended_year = c.dct.year if mon < c.dct.month else c.dct.year - 1
        y = just_ended_year - 1
    if rel == "this":
        y = c.dct.year
    return "DATE", f"{y:04d}-{mon:02d}", _mod(m.group("mod"))


def _h_month(m: re.Match[str], c: _Ctx) -> tuple[str, str, str | None] | None:
    mon = _month(m.group("mon"))
    mod = _mod(m.group("mod"))
    if not c.dct:
        return "DATE", f"XXXX-{mon:02d}", mod
    return "DATE", f"{_year_for_month(mon, None, c.dct, c.tense):04d}-{mon:02d}", mod


def _h_year(m: re.Match[str], c: _Ctx) -> tuple[str, str, str | None] | None:
    return "DATE", m.group("y"), _mod(m.group("mod"))


def _h_decade(m: re.Match[str], c: _Ctx) -> tuple[str, str, str | None] | None:
    mod = _mod(m.group("mod"))
    if m.group("dec"):
        return "DATE", m.group("dec")[:3], mod
    if m.group("short"):
        digit = m.group("short")[0]
        century = "19" if digit != "0" and digit != "1" else "20"
        return "DATE", century + digit, mod
    return "DATE", "19" + str(_V["decade_words"][m.group("word").lower()]), mod


def _h_century(m: re.Match[str], c: _Ctx) -> tuple[str, str, str | None] | None:
    o = m.group("ord").lower()
    n = int(re.match(r"\d+", o).group()) if o[0].isdigit() else ORDINALS.get(o, 0)  # type: ignore[union-attr]
    if n <= 0:
        return None
    return "DATE", f"{n - 1:02d}", _mod(m.group("mod"))


def _year_of_rel(m: re.Match[str], c: _Ctx, group: str = "rel2") -> int | None:
    if m.group("y"):
        return _year_number(m.group("y"))
    if m.group(group) and c.dct:
        return c.dct.year + REL.get(m.group(group).lower(), 0)
    return None


def _h_season(m: re.Match[str], c: _Ctx) -> tuple[str, str, str | None] | None:
    code = SEASONS[m.group("season").lower()]
    mod = _mod(m.group("mod")) or _mod(m.group("mod2"))
    y = _year_of_rel(m, c)
    if y is None:
        if not c.dct:
            return "DATE", f"XXXX-{code}", mod
        rel = m.group("rel")
        y = _season_year(code, c.dct, c.tense, re.sub(r"\s+", " ", rel.lower()) if rel else None)
    return "DATE", f"{y:04d}-{code}", mod


def _h_quarter(m: re.Match[str], c: _Ctx) -> tuple[str, str, str | None] | None:
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
    y = _year_of_rel(m, c, "rel") or _year_of_rel(m, c, "relpre")
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


def _h_quarter_short(m: re.Match[str], c: _Ctx) -> tuple[str, str, str | None] | None:
    y = int(m.group("y")) if m.group("y") else (c.dct.year if c.dct else None)
    tag = m.group("q").upper()
    return "DATE", (f"{y:04d}-{tag}" if y else f"XXXX-{tag}"), None


def _h_relative(m: re.Match[str], c: _Ctx) -> tuple[str, str, str | None] | None:
    rel = re.sub(r"\s+", " ", m.group("rel").lower())
    unit = _unit(m.group("unit"))
    code = UNITS.get(unit)
    if code is None or code in ("S", "H") or unit == "minute":
        return None
    if rel in ("the past", "the last", "the next", "the coming") and code not in ("WE", "D"):
        # "the past year": a span reaching to now, not a calendar date
        return "DURATION", _iso_unit(unit, 1), None
    narrative = rel in _V["anchored_to_narrative"]
    base = c.anchor if narrative and c.anchor else None
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
        return "TIME", _shift(code, ref, step) + "TNI", None  # "last night"
    return "DATE", _shift(code, ref, step), _mod(m.group("mod"))


def _h_ago(m: re.Match[str], c: _Ctx) -> _Result | None:
    """ "two years ago", "three days later" are dates; "almost two years ago" is a TIMEX3 duration (as
    TimeML annotates approximate spans) that still carries the date it reaches, for the event it dates."""
    unit = _unit(m.group("unit"))
    n = _num(m.group("n")) if m.group("n") else None
    direction = m.group("dir").lower()
    later = direction in ("later", "afterwards", "afterward", "from now", "hence", "after")
    ref_is_dct = direction in ("ago", "from now", "hence")
    if direction in ("after", "before"):
        return "DURATION", _iso_unit(unit, n if n is not None else -1), None
    if n is None or not float(n).is_integer():
        return "DATE", ("FUTURE_REF" if later else "PAST_REF"), None
    ref = c.dct if ref_is_dct or c.anchor is None else c.anchor.start
    if ref is None:
        return None
    code = UNITS[unit]
    if unit in _V["time_units"]:
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
    value = _shift(code, ref, int(n) if later else -int(n))
    if code == "D" and unit == "night":
        value = value + "TNI"
    mod = _mod(m.group("mod"))
    if mod:
        return "DURATION", _iso_unit(unit, n), mod, value  # "almost two years ago": about P2Y back
    return "DATE", value, None


def _h_reporting_period(m: re.Match[str], c: _Ctx) -> tuple[str, str, str | None] | None:
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


def _h_year_quarter(m: re.Match[str], c: _Ctx) -> tuple[str, str, str | None] | None:
    """ "the 1988 second quarter"; "the 1988 quarter" is the quarter in focus, in that year."""
    year = int(m.group("y"))
    letter = "Q" if m.group("unit").lower() == "quarter" else "H"
    if m.group("ord"):
        o = m.group("ord").lower()
        n = int(o[0]) if o[0].isdigit() else ORDINALS.get(o, 0)
        return ("DATE", f"{year:04d}-{letter}{n}", None) if n > 0 else None
    current = _h_reporting_period(m, c) if letter == "Q" else None
    return ("DATE", f"{year:04d}{current[1][4:]}", None) if current else None


def _h_clock_day(m: re.Match[str], c: _Ctx) -> tuple[str, str, str | None] | None:
    """ "noon Thursday", "10 p.m. Wednesday": a time on a day."""
    if c.dct is None:
        return None
    if m.group("mon"):
        month, dd = _month(m.group("mon")), _day(m.group("dd"))
        try:
            d = date(_year_for_month(month, dd, c.dct, c.tense), month, dd)
        except ValueError:
            return None
        named = (m.group("named") or "").lower()
        clock = "12:00" if named == "noon" else "24:00" if named == "midnight" else _clock(m)
        return "TIME", f"{d.isoformat()}T{clock}", None
    day = m.group("day").lower()
    if day in ("yesterday", "today", "tomorrow"):
        d = c.dct + timedelta(days={"yesterday": -1, "today": 0, "tomorrow": 1}[day])
    else:
        d = _weekday_date(WEEKDAYS[day.rstrip(".")], c.dct, c.tense, None)
    named = (m.group("named") or "").lower()
    clock = "12:00" if named == "noon" else "24:00" if named == "midnight" else _clock(m)
    return "TIME", f"{d.isoformat()}T{clock}", None


def _h_year_ago_period(m: re.Match[str], c: _Ctx) -> tuple[str, str, str | None] | None:
    """ "the year-ago quarter": the quarter in focus, a year before."""
    current = _h_reporting_period(m, c)
    if current is None:
        return None
    value = current[1]
    return "DATE", f"{int(value[:4]) - 1:04d}{value[4:]}", None


def _h_spelled_year(m: re.Match[str], c: _Ctx) -> tuple[str, str, str | None] | None:
    year = _year_number(m.group("y"))
    return ("DATE", f"{year:04d}", _mod(m.group("mod"))) if year else None


def _h_weekend(m: re.Match[str], c: _Ctx) -> tuple[str, str, str | None] | None:
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
            _shift("WE", c.dct + timedelta(days=5 - c.dct.weekday() if c.dct.weekday() < 5 else 0), 0),
            None,
        )
    back = (c.dct.weekday() + 2) % 7 if c.dct.weekday() < 5 else 0  # days back to the last Saturday
    return "DATE", _shift("WE", c.dct - timedelta(days=back), 0), None


HOLIDAYS: dict[str, dict[str, Any]] = _WordTable(
    {k: v for k, v in _V["holidays"].items() if not k.startswith("_")}
)


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
    last = _month_end(year, month)
    return last - timedelta(days=(last.isoweekday() - weekday) % 7)


def _h_holiday(m: re.Match[str], c: _Ctx) -> tuple[str, str, str | None] | None:
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


def _h_year_end(m: re.Match[str], c: _Ctx) -> tuple[str, str, str | None] | None:
    """ "by year-end", "the end of the year": this year's end; "since year-end": last year's."""
    if c.dct is None:
        return None
    before = c.text[max(0, m.start() - 8) : m.start()].lower()
    year = c.dct.year - 1 if re.search(r"\bsince\s+$", before) else c.dct.year
    return "DATE", f"{year:04d}", None


def _h_year_of_account(m: re.Match[str], c: _Ctx) -> tuple[str, str, str | None] | None:
    """ "for the year": the current year; "the year ended ...": a year-long span."""
    if re.match(r"\s+(?:ended|ending|earlier|ago|before|to\b)", c.text[m.end() : m.end() + 12]):
        return "DURATION", "P1Y", None
    return ("DATE", f"{c.dct.year:04d}", None) if c.dct else None


def _h_duration(m: re.Match[str], c: _Ctx) -> tuple[str, str, str | None] | None:
    unit = _unit(m.group("unit"))
    if unit not in UNITS:
        return None
    if m.group("n"):
        n = _num(m.group("n"))
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
        return "DURATION", _and_a_half(unit, int(n)), _mod(m.group("mod"))
    return "DURATION", _iso_unit(unit, n), _mod(m.group("mod"))


#: half of each unit, in the unit below it ("2 1/2 years" is P2Y6M, "5 1/2 hours" PT5H30M)
_HALF_UNIT = {"Y": "6M", "M": "15D", "D": "T12H", "H": "30M"}


def _and_a_half(unit: str, n: int) -> str:
    """The TIMEX3 duration of ``n`` and a half ``unit``s."""
    whole = _iso_unit(unit, n)
    code = UNITS[unit]
    if unit == "minute":
        return f"{whole}30S"
    if code not in _HALF_UNIT:
        return _iso_unit(unit, n + 0.5)  # "P2.5W": no exact smaller unit
    return f"{whole}{_HALF_UNIT[code]}"


def _h_deictic(m: re.Match[str], c: _Ctx) -> tuple[str, str, str | None] | None:
    word = re.sub(
        r"^(?:early|late|earlier|later)\s+(?=today|yesterday|tomorrow|tonight)", "", m.group(0).lower()
    )
    typ, v = _V["deictic"][re.sub(r"\s+", " ", word)]
    if not v.startswith("DCT"):
        return typ, v, None
    if not c.dct:
        return None
    shift = {"DCT": 0, "DCT-1D": -1, "DCT+1D": 1}.get(v.split("-T")[0], 0)
    day = (c.dct + timedelta(days=shift)).isoformat()
    return typ, (day + "TNI" if v.endswith("TNI") else day), None


def _h_weekday(m: re.Match[str], c: _Ctx) -> tuple[str, str, str | None] | None:
    wd = WEEKDAYS[m.group("wd").lower().rstrip(".")]
    rel = re.sub(r"\s+", " ", m.group("rel").lower()) if m.group("rel") else None
    if not c.dct:
        return "DATE", f"XXXX-WXX-{wd}", None
    d = _weekday_date(wd, c.dct, c.tense, rel)
    pod = m.group("pod")
    if pod:
        return "TIME", f"{d.isoformat()}T{_V['parts_of_day'][pod.lower()]}", None
    return "DATE", d.isoformat(), None


def _h_part_of_day(m: re.Match[str], c: _Ctx) -> tuple[str, str, str | None] | None:
    ref = m.group("ref").lower()
    code = _V["parts_of_day"][m.group("pod").lower()]
    if not c.dct:
        return "TIME", f"XXXX-XX-XXT{code}", None
    shift = {"yesterday": -1, "tomorrow": 1, "last": -1}.get(ref, 0)
    return "TIME", f"{(c.dct + timedelta(days=shift)).isoformat()}T{code}", None


def _h_clock(m: re.Match[str], c: _Ctx) -> tuple[str, str, str | None] | None:
    if not c.dct:
        return "TIME", f"XXXX-XX-XXT{_clock(m)}", None
    return "TIME", f"{c.dct.isoformat()}T{_clock(m)}", None


def _h_set(m: re.Match[str], c: _Ctx) -> tuple[str, str, str | None] | None:
    if m.group("adv"):
        return "SET", _V["set_adverbs"][m.group("adv").lower()], None
    word = m.group("unit").lower()
    if word.rstrip(".") in MONTHS and not m.group("n") and m.group("unit")[0].isupper():
        return "SET", f"XXXX-{MONTHS[word.rstrip('.')]:02d}", None  # "each July"
    if word.rstrip(".") in MONTHS:
        return None
    if word.rstrip(".s") in WEEKDAYS:
        return "SET", f"XXXX-WXX-{WEEKDAYS[word.rstrip('.s')]}", None
    unit = _unit(word)
    if unit not in UNITS:
        return None
    n = _num(m.group("n")) if m.group("n") else 1
    return "SET", _iso_unit(unit, n or 1), None


def _compile(p: str) -> re.Pattern[str]:
    return re.compile(p, re.I)


_DM = rf"(?P<d>{_DAY})(?:\s+of)?\s+(?P<mon>{_MON})"
_MD = rf"(?P<mon2>{_MON})\s+(?P<d2>{_DAY})(?!\d|\s*(?:-|–)\s*\d)"
_TIME_SUFFIX = (
    r"(?:,?\s+(?:at\s+)?(?P<h>[01]?\d|2[0-3])(?:[:.](?P<mi>[0-5]\d))?\s*(?P<ap>a\.m\.|p\.m\.|am|pm))?"
)

_FUNCTION_WORDS = frozenset(
    {"and", "or", "but", "to", "in", "on", "at", "for", "by", "from", "since", "with", "as", "of"}
    | {"the", "a", "an", "than", "so", "if", "when", "while", "until"}
)


def _set_adverb_context(m: re.Match[str], text: str) -> bool:
    """ "paid annually" is a set; "quarterly dividends" is an adjective, no time expression.

    "a daily rally", "his weekly radio address" are sets all the same (TimeML annotates them).
    """
    if not m.group("adv"):
        return True
    if m.group("adv").lower() in _V["adjectival_sets"]:
        return True
    nxt = re.match(r"\s+([a-z]+)", text[m.end() : m.end() + 20])
    return nxt is None or nxt.group(1) in _FUNCTION_WORDS


_RATE_BEFORE = re.compile(
    r"(?:\d[\d,.]*|\bmillion|\bbillion|\bpercent|%|\bcents?|\bdollars?)\s+(?:[a-z]+\s+){0,2}$|[\d%]\s*$"
)


def _part_of_a_name(m: re.Match[str], text: str, group: str | int) -> bool:
    """ "USA Today", "the Arab Spring", "Spring of Life": a capitalised time word that ends or starts
    a proper name, not a date. A capital after a sentence break proves nothing."""
    word = m.group(group)
    if not word[:1].isupper():
        return False
    before = text[max(0, m.start(group) - 30) : m.start(group)]
    after_name = re.search(r"(?<![.!?])\b[A-Z][\w.&'-]*\s+$", before) and not re.search(r"[.!?:]\s+$", before)
    return bool(after_name or re.match(r"\s+of\s+[A-Z]", text[m.end(group) : m.end(group) + 6]))


def _title_case_inside_sentence(m: re.Match[str], text: str) -> bool:
    """ "This Week", "60 Minutes": capitalised mid-sentence, a title rather than a time."""
    words = m.group(0).split()
    if len(words) < 2 or not all(w[0].isupper() or w[0].isdigit() for w in words):
        return False
    before = text[max(0, m.start() - 3) : m.start()]
    return not re.search(r"(?:^|[.!?]\s*|\n\s*)$", before)


def _duration_context(m: re.Match[str], text: str) -> bool:
    """A span of time, not an age, a fraction, a rate or a year."""
    n, unit, whole = m.group("n").lower(), m.group("unit").lower(), m.group(0).lower()
    if _title_case_inside_sentence(m, text):
        return False
    if n in ("a", "an") and unit == "second":
        return False
    if re.match(r"-old\b|\s+old\b", text[m.end() : m.end() + 6]):
        return False  # an age: "44-year-old", "52 years old"
    fraction_of = n in ("a", "an", "one", "three") and re.match(r"s?\s+of\b", text[m.end() - 1 : m.end() + 4])
    if unit.startswith("quarter") and (whole.endswith("-quarters") or fraction_of):
        return False  # a fraction: "three-quarters of its food", "a quarter of the market"
    if re.fullmatch(r"1\d{3}|20\d{2}", n) and not whole.endswith("s"):
        return False  # "the 1988 quarter": a year
    # a rate, not a span: "$1.76 a year", "four flights a week", "24 hours a day"
    return not (n in ("a", "an") and _RATE_BEFORE.search(text[max(0, m.start() - 40) : m.start()]))


#: "the past few years", "the past two weeks": a span, not the deictic "the past"
_PAST_SPAN = re.compile(r"\s+(?:few|\d|two|three|year|month|week|decade)")

RULES: tuple[_Rule, ...] = (
    _Rule(
        "iso",
        _compile(
            r"(?<![\d-])(?P<y>\d{4})-(?P<mo>\d{2})-(?P<d>\d{2})(?:[T ](?P<h>\d{2}):(?P<mi>\d{2}))?(?![\d-])"
        ),
        _h_iso,
        examples=(("2024-06-19", "2024-11-05", "2024-06-19"),),
    ),
    _Rule(
        "numeric",
        _compile(r"(?<![\d/])(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<y>\d{4}|\d{2})(?![\d/])"),
        _h_numeric,
        examples=(("10/26/1998", "1998-10-30", "1998-10-26"),),
    ),
    _Rule(
        "weekday_date",
        _compile(
            # after the weekday: a comma or "(" between optional white space, else white space (one
            # quantifier per run of it: "\s*" then "\s+" backtracked quadratically over long runs)
            rf"(?<![\w.,])(?:(?P<wd>{_WD})(?:\s*[,(]\s*|\s+))?(?:the\s+(?=\d))?(?:{_DM}|{_MD})"
            rf"(?:\s*\))?(?:,?\s+(?P<y>{_YEAR})(?!\d))?{_TIME_SUFFIX}"
        ),
        _h_day_month,
        accept=lambda m, t: (
            _capitalised(m, "mon" if m.group("mon") else "mon2")
            and (m.group(0).count("(") == m.group(0).count(")"))
        ),
        examples=(
            ("24 February 2022", "2022-10-01", "2022-02-24"),
            ("June 18, 2024", "2024-11-26", "2024-06-18"),
            ("Monday (November 4)", "2024-11-05", "2024-11-04"),
            ("the 4th of July, 1998", "1998-08-01", "1998-07-04"),
        ),
    ),
    _Rule(
        "week_of",
        _compile(rf"\bthe\s+week\s+of\s+(?:{_DM}|{_MD})(?:,?\s+(?P<y>{_YEAR})(?!\d))?(?P<h>)"),
        _h_week_of,
        accept=lambda m, t: _capitalised(m, "mon" if m.group("mon") else "mon2"),
        examples=(("the week of March 6", "2000-02-24", "2000-W10"),),
    ),
    _Rule(
        "month_year",
        _compile(
            rf"(?:(?P<mod>{_PERIOD_MOD})[\s-]+)?(?P<mon>{_MON})(?:\s+of|,)?\s+"
            rf"(?P<y>{_YEAR}(?!\d)|{_SPELLED_YEAR}\b)"
        ),
        _h_month_year,
        accept=lambda m, t: _capitalised(m, "mon"),
        examples=(
            ("late September 2022", "2022-10-01", "2022-09"),
            ("June 2024", "2024-11-26", "2024-06"),
            ("the end of October 2023", "2024-01-01", "2023-10"),
            ("January nineteen ninety-seven", "1998-02-27", "1997-01"),
        ),
    ),
    _Rule(
        "month_this_year",
        _compile(
            rf"(?:(?P<mod>{_PERIOD_MOD})[\s-]+)?(?P<mon>{_MON})\s+(?:of\s+)?(?P<y>)?(?P<rel>this|last|next)\s+year\b"
        ),
        _h_month_year,
        accept=lambda m, t: _capitalised(m, "mon"),
        examples=(("June this year", "2024-11-10", "2024-06"), ("March last year", "2024-11-10", "2023-03")),
    ),
    _Rule(
        "relative_month",
        _compile(rf"\b(?:(?P<mod>{_PERIOD_MOD})[\s-]+)?{_REL_WORD}\s+(?P<mon>{_MON})\b(?!\.?\s+\d)"),
        _h_rel_month,
        accept=lambda m, t: _capitalised(m, "mon"),
        examples=(("last March", "2024-11-10", "2024-03"), ("next January", "2024-11-10", "2025-01")),
    ),
    _Rule(
        "season",
        _compile(
            rf"\b(?:(?P<mod2>{_PERIOD_MOD})\s+)?(?:the\s+)?(?:{_REL_WORD}\s+)?"
            rf"(?:(?P<mod>early|mid|late)[\s-]+)?(?P<season>{_SEASON})"
            rf"(?:(?:\s+of)?\s+(?:(?P<y>{_YEAR}(?!\d)|{_SPELLED_YEAR}\b)|(?P<rel2>this|last|next)\s+year))?\b"
        ),
        _h_season,
        accept=lambda m, t: (
            not _part_of_a_name(m, t, "season")
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
    _Rule(
        "quarter",
        _compile(
            rf"\b(?:the\s+(?![\w-]+-(?:quarter|half)\b)|(?P<relpre>this|last|next)\s+year['’]s\s+)?"
            rf"(?:(?:latest|last|recent|current|fiscal|year-ago|year-earlier)\s+)?"
            rf"(?P<ord>{_ORD})[\s-]+(?P<unit>quarter|half)"
            rf"(?:\s+of\s+(?:(?P<y>{_YEAR})(?!\d)|(?:the\s+)?(?P<rel>this|last|next|current|previous)\s+year|(?P<theyear>the\s+year))"
            rf"|\s+(?P<y2>{_YEAR})(?!\d))?\b"
        ),
        _h_quarter,
        examples=(
            ("the first quarter of 2023", "2024-11-10", "2023-Q1"),
            ("the second half of 2024", "2024-11-10", "2024-H2"),
            ("next year's first quarter", "1989-10-31", "1990-Q1"),
        ),
    ),
    _Rule(
        "year_quarter",
        _compile(rf"\b(?:the\s+)?(?P<y>{_YEAR})\s+(?:(?P<ord>{_ORD})\s+)?(?P<unit>quarter|half)\b"),
        _h_year_quarter,
        examples=(
            ("the 1988 second quarter", "1989-11-02", "1988-Q2"),
            ("the 1988 quarter", "1989-11-02", "1988-Q3"),
        ),
    ),
    _Rule(
        "clock_day",
        _compile(
            r"\b(?:(?P<h>[01]?\d|2[0-3])(?:[:.](?P<mi>[0-5]\d))?\s*(?P<ap>a\.m\.|p\.m\.|am\b|pm\b)|(?P<named>noon|midnight))"
            r"(?:\s*(?:EST|EDT|CST|CDT|MST|MDT|PST|PDT|GMT|UTC|BST|CET|CEST)|\s+local\s+time)?,?"
            rf"\s+(?:on\s+)?(?:(?P<day>{_WD}|yesterday|today|tomorrow)|(?P<mon>{_MON})\s+(?P<dd>{_DAY}))(?!\w)"
        ),
        _h_clock_day,
        examples=(
            ("noon Thursday", "1998-02-10", "1998-02-12T12:00"),
            ("10 p.m. Wednesday", "1998-02-12", "1998-02-11T22:00"),
        ),
    ),
    _Rule(
        "reporting_period",
        _compile(
            r"\b(?:the|this)\s+(?:(?:latest|most\s+recent|recent|current|fiscal|same)\s+)?quarter\b(?!-)"
            r"|\b(?:the|this)\s+(?:latest|most\s+recent)\s+period\b"
        ),
        _h_reporting_period,
        examples=(("the quarter", "1989-11-02", "1989-Q3"), ("the latest period", "1990-01-20", "1989-Q4")),
    ),
    _Rule(
        "year_of_account",
        _compile(r"(?:(?<=\bfor )|(?<=\bin ))the\s+(?:fiscal\s+|full\s+|whole\s+|entire\s+)?year\b(?!-)"),
        _h_year_of_account,
        examples=(
            ("results for the year", "1989-11-02", "1989"),
            ("for the year ended", "1989-11-02", "P1Y"),
        ),
    ),
    _Rule(
        "year_ago_period",
        _compile(r"\b(?:the\s+)?year-(?:earlier|ago)(?:\s+(?:quarter|period))?\b"),
        _h_year_ago_period,
        examples=(("the year-ago quarter", "1989-11-02", "1988-Q3"),),
    ),
    _Rule(
        "spelled_year",
        _compile(rf"\b(?:(?P<mod>{_PERIOD_MOD})\s+)?(?P<the>the\s+year\s+)?(?P<y>{_SPELLED_YEAR})\b"),
        _h_spelled_year,
        # "two thousand (and one)" is a count unless it is "the year two thousand"
        accept=lambda m, t: bool(m.group("the")) or not m.group("y").lower().startswith("two"),
        examples=(
            ("nineteen ninety-six", "1998-02-13", "1996"),
            ("the year two thousand", "1998-02-05", "2000"),
        ),
    ),
    _Rule(
        "holiday",
        _compile(
            r"\b(?:(?P<rel>last|next|this)\s+)?(?P<name>"
            + "|".join(
                re.escape(h).replace(r"\ ", r"\s+").replace("'", "['’]")
                for h in sorted(HOLIDAYS, key=len, reverse=True)
            )
            + r")(?:\s+week)?\b"
        ),
        _h_holiday,
        accept=lambda m, t: m.group("name")[0].isupper(),
        examples=(
            ("Thanksgiving Day", "1999-12-01", "1999-11-25"),
            ("Election Day", "1998-10-20", "1998-11-03"),
        ),
    ),
    _Rule(
        "year_end",
        _compile(r"\b(?:(?:the\s+)?year[-\s]end|(?:the\s+)?year['’]s\s+end|the\s+end\s+of\s+the\s+year)\b"),
        _h_year_end,
        examples=(("by year-end", "1989-11-02", "1989"), ("since year-end", "1989-11-02", "1988")),
    ),
    _Rule(
        "weekend",
        _compile(r"\b(?:the|this|last|next|this\s+past|this\s+coming)\s+weekend\b"),
        _h_weekend,
        examples=(
            ("over the weekend", "1998-02-16", "1998-W07-WE"),
            ("next weekend", "1998-02-16", "1998-W08-WE"),
        ),
    ),
    _Rule(
        "quarter_short",
        _compile(rf"\b(?P<q>[QH][1-4])(?:\s+|/|-)?(?P<y>{_YEAR})?\b"),
        _h_quarter_short,
        accept=lambda m, t: (
            m.group("q")[0].isupper() and not (m.group("q")[0].upper() == "H" and m.group("q")[1] > "2")
        ),
        examples=(("Q4 2024", "2024-11-10", "2024-Q4"),),
    ),
    _Rule(
        "decade",
        _compile(
            rf"\b(?:the\s+)?(?:(?P<mod>early|mid|late)[\s-]+)?"
            rf"(?:(?P<dec>1[0-9]{{2}}0|20[0-9]0)'?s|'(?P<short>[0-9]0)s|(?P<word>{_DECADE_WORD}))(?!\w)"
        ),
        _h_decade,
        examples=(("the late 1980s", "2024-11-10", "198"), ("the '90s", "2024-11-10", "199")),
    ),
    _Rule(
        "century",
        _compile(
            rf"\b(?:the\s+)?(?:(?P<mod>early|mid|late)[\s-]+)?(?P<ord>\d{{1,2}}(?:st|nd|rd|th)|{_ORD})\s+century\b"
        ),
        _h_century,
        examples=(("the 20th century", "2024-11-10", "19"),),
    ),
    _Rule(
        "year_with_modifier",
        _compile(rf"(?:(?P<mod>{_PERIOD_MOD})[\s-]+)(?P<y>{_YEAR})(?![\d,.]\d|\w)"),
        _h_year,
        examples=(("early 2020", "2022-10-01", "2020"), ("mid-2021", "2022-10-01", "2021")),
    ),
    _Rule(
        "month",
        _compile(rf"(?<![\w-])(?:(?P<mod>{_PERIOD_MOD})[\s-]+)?(?P<mon>{_MON})(?![\w-])"),
        _h_month,
        accept=_month_context,
        examples=(("in October", "2024-11-26", "2024-10"), ("the end of October", "2024-11-15", "2024-10")),
    ),
    _Rule(
        "year",
        _compile(
            rf"{_LB}(?:the\s+year\s+|fiscal\s+(?:year\s+)?)?(?P<mod>)?(?P<y>{_YEAR})(?![\d,.]\d|\w|-\w)"
        ),
        _h_year,
        accept=_year_context,
        examples=(("since 1953", "2024-11-10", "1953"),),
    ),
    _Rule(
        "ago_or_later",
        _compile(
            rf"\b(?:(?P<mod>{_APPROX_MOD})\s+)?(?:(?P<n>{_NUM}|{_VAGUE})\s+)?(?:more\s+)?(?P<unit>{_UNIT})s?\s+"
            rf"(?:or\s+so\s+)?(?P<dir>ago|earlier|later|afterwards?|from\s+now|hence)\b"
        ),
        _h_ago,
        examples=(("two years ago", "2024-11-10", "2022"), ("three days later", "2024-11-10", "2024-11-13")),
    ),
    _Rule(
        "relative",
        _compile(
            rf"\b(?:(?P<mod>early|late|mid)[\s-]+)?(?P<rel>{_REL})\s+(?P<unit>{_UNIT}|morning|afternoon|evening)(?!\w)"
        ),
        _h_relative,
        accept=lambda m, t: not _title_case_inside_sentence(m, t),
        examples=(
            ("last month", "2024-11-05", "2024-10"),
            ("this year", "2024-11-05", "2024"),
            ("last year", "2024-11-26", "2023"),
            ("next week", "2024-11-05", "2024-W46"),
        ),
    ),
    _Rule(
        "duration",
        _compile(
            rf"(?<!/)\b(?:(?P<mod>{_APPROX_MOD})\s+)?(?:the\s+(?![\w.]+-\w)(?:(?:past|last|next|first|final|coming|previous)\s+)?)?"
            rf"(?P<n>{_NUM}|{_VAGUE})(?P<half>\s+1/2|\s+and\s+a\s+half|½)?[\s-]+"
            rf"(?:more\s+|full\s+|straight\s+|consecutive\s+)?(?P<unit>{_UNIT})s?(?P<half2>\s+and\s+a\s+half)?(?![\w])"
        ),
        _h_duration,
        accept=_duration_context,
        examples=(
            ("24 years", "2024-11-10", "P24Y"),
            ("90 days", "2024-11-10", "P90D"),
            ("two hours", "2024-11-10", "PT2H"),
            ("5 1/2 hours", "1998-08-17", "PT5H30M"),
            ("a minute and a half", "1998-01-14", "PT1M30S"),
            ("two and a half years", "1998-01-14", "P2Y6M"),
        ),
    ),
    _Rule(
        "bare_plural_duration",
        _compile(r"\b(?P<n>)?(?P<mod>)?(?P<unit>years|months|weeks|decades|days|hours|minutes)\b"),
        _h_duration,
        accept=lambda m, t: bool(
            re.search(r"\b(?:for|over|in|took|within|of)\s+$", t[max(0, m.start() - 8) : m.start()], re.I)
        ),
        examples=(("for years", "2024-11-10", "PXY"),),
    ),
    _Rule(
        "deictic",
        _compile(rf"\b(?:(?:early|late|earlier|later)\s+(?=today|yesterday|tomorrow|tonight))?{_DEICTIC}\b"),
        _h_deictic,
        accept=lambda m, t: (
            (
                not (m.group(0) == "Today" and _part_of_a_name(m, t, 0))  # "USA Today"
            )
            and (
                m.group(0).lower() not in ("once", "the time", "the past", "now")
                or (
                    m.group(0).lower() == "now"
                    and not re.match(r"\s*(?:that|,\s*that)\b", t[m.end() : m.end() + 8])
                )
                or (
                    m.group(0).lower() in ("the past",)
                    and not _PAST_SPAN.match(t, m.end())  # at m.end(), not on a copy of the rest
                )
            )
        ),
        examples=(
            ("today", "2024-11-10", "2024-11-10"),
            ("yesterday", "2024-11-10", "2024-11-09"),
            ("recently", "2024-11-10", "PAST_REF"),
        ),
    ),
    _Rule(
        "part_of_day",
        _compile(rf"\b(?P<ref>this|yesterday|tomorrow|last)\s+(?P<pod>{_POD})\b"),
        _h_part_of_day,
        examples=(("yesterday morning", "2024-11-10", "2024-11-09TMO"),),
    ),
    _Rule(
        "weekday",
        _compile(
            rf"\b(?:(?:early|late|earlier|later)\s+)?(?:{_REL_WORD}\s+)?(?P<wd>{_WD})(?:\s+(?P<pod>{_POD}))?\b"
        ),
        _h_weekday,
        accept=lambda m, t: m.group("wd")[0].isupper() and len(m.group("wd").rstrip(".")) > 3,
        examples=(("said Friday", "1998-01-09", "1998-01-09"), ("last Monday", "2024-11-06", "2024-11-04")),
    ),
    _Rule(
        "clock",
        _compile(r"\b(?P<h>[01]?\d|2[0-3])(?:[:.](?P<mi>[0-5]\d))?\s*(?P<ap>a\.m\.|p\.m\.|am\b|pm\b)"),
        _h_clock,
        examples=(("3 p.m.", "2013-03-22", "2013-03-22T15:00"),),
    ),
    _Rule(
        "set",
        _compile(
            rf"\b(?:(?P<adv>{_SET_ADV})|(?:every|each|per)\s+(?:(?P<n>{_NUM})\s+)?(?P<unit>{_UNIT}s?|{_WD}s?|{_MON}))\b"
        ),
        _h_set,
        accept=_set_adverb_context,
        examples=(
            ("every year", "2024-11-10", "P1Y"),
            ("daily", "2024-11-10", "P1D"),
            ("every Monday", "2024-11-10", "XXXX-WXX-1"),
            ("each July", "1998-03-22", "XXXX-07"),
        ),
    ),
)

_SIGNAL = re.compile(
    r"\b("
    + "|".join(
        re.escape(p).replace(r"\ ", r"\s+")
        for p in sorted(_V["temporal_prepositions"], key=len, reverse=True)
    )
    + r")\s+$",
    re.I,
)
_PAST_WORDS = re.compile(
    r"\b(?:was|were|had|did|ago|last|said|told|\w{3,}ed|fell|rose|came|went|made|took|gave|met|left|began|won|lost"
    r"|held|sent|saw|became|brought|bought|sold|led|struck|fought|grew|knew|ran|paid|kept|found|thought|spoke"
    r"|wrote|broke|chose|drove|flew|shot|stood|withdrew|fled|sank|swore|stole|hid|forgot|understood)\b",
    re.I,
)
_FUTURE_WORDS = re.compile(
    r"\b(?:will|would|shall|'ll|going to|plans? to|expects? to|next|upcoming|scheduled|planned"
    r"|postponed\s+until|due\s+to|set\s+to)\b",
    re.I,
)


def guess_tense(text: str, start: int, end: int) -> str | None:
    """Word-based tense of the clause around ``text[start:end]``, for use without a parser."""
    window = _sentence_around(text, start, end)
    if _FUTURE_WORDS.search(window):
        return FUTURE
    if _PAST_WORDS.search(window):
        return PAST
    return None


_Candidate = tuple[int, int, int, _Rule, re.Match[str]]
#: texts at least this long keep their candidates for the next tagging of the same text: the
#: extractor tags a text twice (for the publication date, then with it), and the candidates (every
#: rule's matches) depend on the text alone, not on the date or the tense
_REUSE_FROM_CHARS = 2_000
_last_candidates: tuple[tuple[_Rule, ...], str, list[_Candidate]] | None = None


class TemporalTagger:
    """Find and normalise temporal expressions with the rule table :data:`RULES`."""

    def __init__(self, rules: tuple[_Rule, ...] = RULES) -> None:
        self.rules = rules

    def candidates(self, text: str) -> list[_Candidate]:
        """Every rule's accepted matches, leftmost-longest first (the same list again for the text
        tagged last, when it is long: see :data:`_REUSE_FROM_CHARS`)."""
        global _last_candidates
        last = _last_candidates  # one read: another thread may replace it
        if last is not None and last[0] is self.rules and last[1] == text:
            return last[2]
        found = self._candidates(text)
        if len(text) >= _REUSE_FROM_CHARS:
            _last_candidates = (self.rules, text, found)
        return found

    def _candidates(self, text: str) -> list[_Candidate]:
        found = []
        for order, rule in enumerate(self.rules):
            budget.check("tagging dates")  # each rule is one pass over the text
            for m in rule.pattern.finditer(text):
                if m.end() == m.start():
                    continue
                if rule.accept and not rule.accept(m, text):
                    continue
                found.append((m.start(), m.end(), order, rule, m))
        # leftmost-longest, then the rule listed first
        found.sort(key=lambda f: (f[0], -(f[1] - f[0]), f[2]))
        return found

    def tag(self, text: str, dct: date | None, tense_of: TenseOf | None = None) -> list[Timex]:
        """All temporal expressions of ``text``, resolved against ``dct`` (the document creation time)."""
        tense_fn = tense_of or (lambda s, e: guess_tense(text, s, e))
        anchor: DateValue | None = None
        out: list[Timex] = []
        taken_until = -1
        for index, (start, end, _, rule, m) in enumerate(self.candidates(text)):
            if index % 512 == 511:
                budget.check("resolving dates")
            if start < taken_until:
                continue  # inside an expression already tagged
            ctx = _Ctx(dct=dct, tense=None, anchor=anchor, text=text)
            if rule.name in {
                "weekday_date",
                "month",
                "relative_month",
                "season",
                "weekday",
                "quarter",
                "weekend",
                "clock_day",
                "holiday",
            }:
                ctx.tense = tense_fn(start, end)
                ctx.tense = _bound_tense(text, start, end, ctx.tense)
            try:
                result = rule.handler(m, ctx)
            except (OverflowError, ValueError) as exc:
                if not _beyond_calendar(exc):
                    raise
                result = None  # "yesterday" of 0001-01-01: a date the calendar does not have
            if result is None:
                continue  # the next candidate over this text may still read it
            taken_until = end
            typ, value, mod = result[:3]
            date_value = result[3] if len(result) == 4 else value
            start, end = _trim(text, start, end)
            if (
                typ == "DATE"
                and _DAY_VALUE.fullmatch(value)
                and (step := _DAY_STEP.search(text[max(0, start - 16) : start]))
            ):
                # "the day before last Tuesday": one day off the date it names
                shifted = _shift_day(value, 1 if step.group("dir") == "after" else -1)
                if shifted is None:
                    continue
                start -= len(step.group(0))
                value = date_value = shifted
            dv = (
                calendar_date(date_value, mod if typ != "DURATION" else None)
                if typ in ("DATE", "TIME") or len(result) == 4
                else None
            )
            sig = _SIGNAL.search(text[max(0, start - 15) : start])
            relative = rule.name not in {
                "iso",
                "numeric",
                "month_year",
                "decade",
                "century",
                "year",
                "year_with_modifier",
            } and not (rule.name == "weekday_date" and m.group("y"))
            timex = Timex(
                start=start,
                end=end,
                text=text[start:end],
                type=typ,
                value=value,
                mod=mod,
                date=dv,
                signal=sig.group(1).lower() if sig else None,
                relative=relative,
                rule=rule.name,
            )
            out.append(timex)
            if _moves_narrative(rule.name, m, dv):
                anchor = dv
        return out


def _beyond_calendar(exc: Exception) -> bool:
    """Date arithmetic left Python's calendar (years 1-9999) or named a day it lacks: the expression
    has no date to give, so it is skipped; any other error is a bug and still raised."""
    return isinstance(exc, OverflowError) or "out of range" in str(exc)


def _shift_day(value: str, days: int) -> str | None:
    """The day ``days`` after the day ``value`` (None beyond the calendar)."""
    try:
        return (date.fromisoformat(value) + timedelta(days=days)).isoformat()
    except (OverflowError, ValueError):
        return None


_DAY_VALUE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DAY_STEP = re.compile(r"\b[Dd]ay\s+(?P<dir>before|after)\s+$")
_UNTIL = re.compile(r"\b(?:until|till|through)\s+(?:the\s+)?$", re.I)
_EFFECTIVE = re.compile(r"\beffective\s+(?:(?:on|from|as\s+of)\s+)?$", re.I)
_PLUPERFECT = re.compile(r"\bhad\b|'d\s+(?:not\s+)?\w+(?:ed|en)\b", re.I)


def _sentence_around(text: str, start: int, end: int, reach: int = 80) -> str:
    """The words of the sentence before and after ``text[start:end]`` (at most ``reach`` characters
    each side), without the expression itself."""
    left = re.split(r"[.;!?]\s", text[max(0, start - reach) : start])[-1]
    right = re.split(r"[.;!?](?:\s|$)", text[end : end + reach])[0]
    return f"{left} {right}"


def _bound_tense(text: str, start: int, end: int, tense: str | None) -> str | None:
    """The tense of a date that bounds a change: "postponed until Tuesday" and "effective Feb. 1" look
    ahead of the telling, whatever the verb; "until Thursday, they had not called him" does not."""
    before = text[max(0, start - 24) : start]
    if _EFFECTIVE.search(before):
        return FUTURE
    if _UNTIL.search(before[-12:]):
        pluperfect = _PLUPERFECT.search(_sentence_around(text, start, end))
        return tense if tense == PAST and pluperfect else FUTURE
    return tense


_NARRATIVE_RULES = frozenset(
    {
        "iso",
        "numeric",
        "weekday_date",
        "month_year",
        "month",
        "relative_month",
        "weekday",
        "clock_day",
        "deictic",
    }
)
_QUARTER_RULES = frozenset({"quarter", "quarter_short", "year_quarter"})


def _moves_narrative(rule: str, m: re.Match[str], dv: DateValue | None) -> bool:
    """Whether a date becomes the reference of "two days later", "the following month", "the quarter"."""
    if dv is None or re.search(r"year-(?:ago|earlier)", m.group(0), re.I):
        return False
    return (rule in _NARRATIVE_RULES and dv.precision in ("day", "month")) or (
        rule in _QUARTER_RULES and dv.precision == "quarter"
    )


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """No trailing punctuation or white space in an extent."""
    while end > start and text[end - 1] in " \t\n,;:":
        end -= 1
    return start, end


_DEFAULT_TAGGER: TemporalTagger | None = None


def tag(text: str, dct: date | None, tense_of: TenseOf | None = None) -> list[Timex]:
    """Tag ``text`` with the default rule table (see :class:`TemporalTagger`)."""
    global _DEFAULT_TAGGER
    if _DEFAULT_TAGGER is None:
        _DEFAULT_TAGGER = TemporalTagger()
    return _DEFAULT_TAGGER.tag(text, dct, tense_of)
