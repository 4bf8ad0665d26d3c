"""Temporal expressions: find them in text and normalise them to TIMEX3 values.

Tagging is two steps. :meth:`TemporalTagger.scan` runs every rule of the table
(:data:`dateline.timex.rules.RULES`) over the text: the expensive part, which depends on the text
alone. :meth:`TemporalTagger.resolve` then reads the scan against the document creation time
(``dct``), given as an argument, never the clock: underspecified dates ("June", "Monday", "the
summer") are placed by the tense of the clause around them, which a caller supplies as ``tense_of``
(the spaCy component derives it from the parse; without one a light word-based guess is used).
Expressions that move the narrative ("two days later", "the following year") are anchored to the last
fully specified date seen before them. Where the text itself moves "today" (a dated wire dateline, a
quotation whose attribution gives the day it was said, a day the narrative sets for the clock times
after it), :mod:`dateline.timex.anchoring` gives each expression its own reference date. A caller
that needs a text's dates more than once (the publication date, then the events' dates) scans it once
and resolves the scan each time.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import NamedTuple

from dateline import budget
from dateline.model import DateValue
from dateline.timex.anchoring import Layout, References, layout
from dateline.timex.lexicon import VOCAB
from dateline.timex.normalize import Ctx, Result
from dateline.timex.rules import RULES, Rule
from dateline.timex.values import FUTURE, PAST, TenseOf, Timex, calendar_date


class Candidate(NamedTuple):
    """A rule's accepted match: its extent, the rule and the rule's place in the table."""

    start: int
    end: int
    order: int
    rule: Rule
    match: re.Match[str]


@dataclass(frozen=True, eq=False)
class Scan:
    """Every rule's accepted matches in ``text``, leftmost-longest first (on a tie, the rule listed
    first), and the text's layout (quotations, lines, dateline): all that tagging does before it
    knows the reference date and the tense."""

    text: str
    rules: tuple[Rule, ...]
    candidates: tuple[Candidate, ...]
    layout: Layout


class TemporalTagger:
    """Find and normalise temporal expressions with a rule table (by default :data:`RULES`)."""

    def __init__(self, rules: tuple[Rule, ...] = RULES) -> None:
        self.rules = rules

    def scan(self, text: str) -> Scan:
        """Every rule's matches in ``text`` that its ``accept`` check keeps, in the order they are read."""
        found = []
        for order, rule in enumerate(self.rules):
            budget.check("tagging dates")  # each rule is one pass over the text
            for m in rule.pattern.finditer(text):
                if m.end() == m.start():
                    continue
                if rule.accept and not rule.accept(m, text):
                    continue
                found.append(Candidate(m.start(), m.end(), order, rule, m))
        found.sort(key=lambda c: (c.start, -(c.end - c.start), c.order))
        budget.check("tagging dates")
        return Scan(text, self.rules, tuple(found), layout(text))

    def resolve(self, scan: Scan, dct: date | None, tense_of: TenseOf | None = None) -> list[Timex]:
        """The expressions of ``scan``, resolved against ``dct`` (the document creation time), or
        against the day the text gives where it stands (see :mod:`dateline.timex.anchoring`).

        Candidates are read left to right; the first one its handler can read takes its characters,
        and a date read by a rule that ``anchors`` at its precision becomes the narrative anchor.
        """
        text = scan.text
        tense_fn = tense_of or (lambda s, e: guess_tense(text, s, e, scan.layout.voice(s)))

        def read_part(start: int, end: int, ref: date | None) -> list[Timex]:
            cands = _outside_quotes(scan, start, end)
            return [t for _, t in _walk(text, cands, lambda c, tense: Ctx(ref, tense, None, text), tense_fn)]

        refs = References(scan.layout, dct, read_part)
        anchor: DateValue | None = None
        year_anchor: DateValue | None = None

        def ctx_of(cand: Candidate, tense: str | None) -> Ctx:
            return Ctx(refs.reference(cand.start, cand.rule.time_of_day), tense, anchor, text, year_anchor)

        out: list[Timex] = []
        for cand, timex in _walk(text, scan.candidates, ctx_of, tense_fn):
            out.append(timex)
            refs.saw(timex, cand.rule.time_of_day)
            if _moves_narrative(cand, timex.date):
                anchor = year_anchor = timex.date
            elif _names_a_year(cand, timex.date, text):
                year_anchor = timex.date
        return out

    def tag(self, text: str, dct: date | None, tense_of: TenseOf | None = None) -> list[Timex]:
        """All temporal expressions of ``text`` resolved against ``dct``: :meth:`scan`, :meth:`resolve`."""
        return self.resolve(self.scan(text), dct, tense_of)


def _walk(
    text: str,
    cands: Iterable[Candidate],
    ctx_of: Callable[[Candidate, str | None], Ctx],
    tense_fn: TenseOf,
) -> Iterator[tuple[Candidate, Timex]]:
    """The candidates that read as expressions, left to right, each with its TIMEX3: the first
    candidate its handler can read takes its characters. ``ctx_of`` is asked for a candidate's
    context when it is reached, after the caller has seen every expression before it."""
    taken_until = -1
    for index, cand in enumerate(cands):
        if index % 512 == 511:
            budget.check("resolving dates")
        if cand.start < taken_until:
            continue  # inside an expression already tagged
        tense = None
        if cand.rule.tense:
            tense = _bound_tense(text, cand.start, cand.end, tense_fn(cand.start, cand.end))
        result = _read(cand, ctx_of(cand, tense))
        if result is None:
            continue  # the next candidate over this text may still read it
        taken_until = cand.end
        timex = _timex(text, cand, result)
        if timex is not None:
            yield cand, timex


def _outside_quotes(scan: Scan, start: int, end: int) -> Iterator[Candidate]:
    """The candidates wholly between ``start`` and ``end`` that lie outside every quotation."""
    cands = scan.candidates
    for i in range(bisect_left(cands, start, key=lambda c: c.start), len(cands)):
        cand = cands[i]
        if cand.start >= end:
            return
        if cand.end <= end and scan.layout.quote_at(cand.start) < 0:
            yield cand


def _read(cand: Candidate, ctx: Ctx) -> Result | None:
    """The handler's reading of a candidate (None: it names no date, or one beyond the calendar)."""
    try:
        return cand.rule.handler(cand.match, ctx)
    except (OverflowError, ValueError) as exc:
        if not _beyond_calendar(exc):
            raise
        return None  # "yesterday" of 0001-01-01: a date the calendar does not have


def _timex(text: str, cand: Candidate, result: Result) -> Timex | None:
    """The TIMEX3 of a candidate its handler has read: trimmed extent, date, signal word.

    None when "the day before" moves the date beyond the calendar.
    """
    typ, value, mod = result[:3]
    date_value = result[3] if len(result) == 4 else value
    start, end = _trim(text, cand.start, cand.end)
    if (
        typ == "DATE"
        and _DAY_VALUE.fullmatch(value)
        and (step := _DAY_STEP.search(text[max(0, start - 16) : start]))
    ):
        # "the day before last Tuesday": one day off the date it names
        shifted = _shift_day(value, 1 if step.group("dir") == "after" else -1)
        if shifted is None:
            return None
        start -= len(step.group(0))
        value = date_value = shifted
    dv = (
        calendar_date(date_value, mod if typ != "DURATION" else None)
        if typ in ("DATE", "TIME") or len(result) == 4
        else None
    )
    sig = _SIGNAL.search(text[max(0, start - 15) : start])
    return Timex(
        start=start,
        end=end,
        text=text[start:end],
        type=typ,
        value=value,
        mod=mod,
        date=dv,
        signal=sig.group(1).lower() if sig else None,
        relative=not cand.rule.is_absolute(cand.match),
        rule=cand.rule.name,
    )


def _moves_narrative(cand: Candidate, dv: DateValue | None) -> bool:
    """Whether a date becomes the reference of "two days later", "the following month", "the quarter"."""
    if dv is None or re.search(r"year-(?:ago|earlier)", cand.match.group(0), re.I):
        return False
    return dv.precision in cand.rule.anchors


def _names_a_year(cand: Candidate, dv: DateValue | None, text: str) -> bool:
    """Whether a year the text names becomes what "the following year" counts from: not a bound of
    a span ("the first title since 2002 the following year" counts from the year before)."""
    if dv is None or dv.precision != "year" or not cand.rule.is_absolute(cand.match):
        return False
    before = text[max(0, cand.match.start() - 12) : cand.match.start()].split()
    return not before or before[-1].lower() not in VOCAB["bound_prepositions"]


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


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """No trailing punctuation or white space in an extent."""
    while end > start and text[end - 1] in " \t\n,;:":
        end -= 1
    return start, end


_DAY_VALUE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DAY_STEP = re.compile(r"\b[Dd]ay\s+(?P<dir>before|after)\s+$")
_SIGNAL = re.compile(
    r"\b("
    + "|".join(
        re.escape(p).replace(r"\ ", r"\s+")
        for p in sorted(VOCAB["temporal_prepositions"], key=len, reverse=True)
    )
    + r")\s+$",
    re.I,
)

# --------------------------------------------------------------------------------------------------
# The tense of a clause, without a parser
# --------------------------------------------------------------------------------------------------

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
_UNTIL = re.compile(r"\b(?:until|till|through)\s+(?:the\s+)?$", re.I)
_EFFECTIVE = re.compile(r"\beffective\s+(?:(?:on|from|as\s+of)\s+)?$", re.I)
_PLUPERFECT = re.compile(r"\bhad\b|'d\s+(?:not\s+)?\w+(?:ed|en)\b", re.I)


def guess_tense(text: str, start: int, end: int, within: tuple[int, int] | None = None) -> str | None:
    """Word-based tense of the clause around ``text[start:end]``, for use without a parser; only
    the words ``within`` a stretch count, if one is given (a quotation, or the words between two)."""
    window = _sentence_around(text, start, end, within=within)
    if _FUTURE_WORDS.search(window):
        return FUTURE
    if _PAST_WORDS.search(window):
        return PAST
    return None


def _sentence_around(
    text: str, start: int, end: int, reach: int = 80, within: tuple[int, int] | None = None
) -> str:
    """The words of the sentence before and after ``text[start:end]`` (at most ``reach`` characters
    each side, and none outside ``within``), without the expression itself."""
    lo, hi = within or (0, len(text))
    left = re.split(r"[.;!?]\s", text[max(lo, start - reach) : start])[-1]
    right = re.split(r"[.;!?](?:\s|$)", text[end : min(hi, end + reach)])[0]
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


# --------------------------------------------------------------------------------------------------
# The default tagger
# --------------------------------------------------------------------------------------------------

#: the tagger with the default rule table, shared by the functions below
DEFAULT_TAGGER = TemporalTagger()


def scan(text: str) -> Scan:
    """Scan ``text`` with the default rule table (see :meth:`TemporalTagger.scan`)."""
    return DEFAULT_TAGGER.scan(text)


def resolve(scanned: Scan, dct: date | None, tense_of: TenseOf | None = None) -> list[Timex]:
    """Resolve a scan against ``dct`` (see :meth:`TemporalTagger.resolve`)."""
    return DEFAULT_TAGGER.resolve(scanned, dct, tense_of)


def tag(text: str, dct: date | None, tense_of: TenseOf | None = None) -> list[Timex]:
    """Tag ``text`` with the default rule table (see :class:`TemporalTagger`)."""
    return DEFAULT_TAGGER.tag(text, dct, tense_of)
