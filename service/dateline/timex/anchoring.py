"""Where "today" is: the reference date of each part of a text.

A relative date ("today", "on Monday", "at 7:37 p.m.") is read against a reference date, which for
most of a news text is the document creation time. Three things in the text move it:

- a wire dateline that carries a date ("MOSCOW, June 19 (AFP) -") dates the story: published later,
  the story still says "today" of the dateline's day;
- a quotation says "today" of the day it was said, which its attribution may give ('..., the minister
  said late Wednesday', 'X said in a statement on Thursday: "..."'); a quotation that stands alone as a
  sentence takes the attribution of the sentence before it;
- a day the narrative sets ("It was Thursday night when ...", "On Tuesday evening, ...") is the day
  of the clock times after it in the same paragraph ("at 7:37 p.m.").

A quotation whose attribution names no day keeps the document's reference date: nothing in the text
says when it was said, and a quotation is most often reported the day it was made.

:func:`layout` finds the quotations, sentences, lines and dateline of a text (the text alone decides
them, so they are part of the scan); :class:`References` reads that layout against one reference date
while the tagger resolves the scan.
"""

from __future__ import annotations

import re
import sys
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

import regex

from dateline.timex.lexicon import MONTHS, VOCAB, WEEKDAYS
from dateline.timex.values import Timex
from dateline.vocab import alternation


class Dateline(NamedTuple):
    """A wire dateline at the start of a story: "LAHAINA, Hawaii (AP) —", "MOSCOW, June 19 (AFP) -"."""

    start: int
    end: int
    #: the place as written ("LAHAINA", "NEW DELHI", "Colombo")
    place: str
    #: the state or country after it ("Hawaii", "N.Y."), if any
    region: str | None
    #: the news agency in parentheses ("AP", "Reuters"), if any
    agency: str | None
    #: whether it carries a date ("June 19"), which then dates the story
    dated: bool


class Clause(NamedTuple):
    """Words that attribute a quotation ("the minister said late Wednesday")."""

    start: int
    end: int
    #: the extents of its attribution words ("said", "in a statement"), outside quotations
    cues: tuple[tuple[int, int], ...]
    #: the clauses of their own inside it, from their opening word ("who", "that") to the next comma,
    #: semicolon or colon: a date in one, or beyond one, is not the day of the saying ("said the
    #: minister, who took office on May 3"; "The minister, who took office on May 3, said Monday")
    stops: tuple[tuple[int, int], ...]


class Quote(NamedTuple):
    """A quotation and the clauses that may attribute it, in the order they are tried."""

    start: int
    end: int
    attribution: tuple[Clause, ...]


@dataclass(frozen=True)
class Layout:
    """The quotations, lines and dateline of a text: what anchoring needs from the text alone."""

    dateline: Dateline | None
    quotes: tuple[Quote, ...]
    #: where each quotation starts (for bisection)
    quote_starts: tuple[int, ...]
    #: where each line starts: the paragraph in which a narrative day holds
    line_starts: tuple[int, ...]

    def quote_at(self, pos: int) -> int:
        """The index of the quotation around offset ``pos``, or -1."""
        i = bisect_right(self.quote_starts, pos) - 1
        return i if i >= 0 and pos < self.quotes[i].end else -1

    def voice(self, pos: int) -> tuple[int, int]:
        """Whose words tell the tense at offset ``pos``: inside a quotation, the quotation's; outside,
        the narrator's, between the quotations around it ('"We will win," he said on Thursday')."""
        i = bisect_right(self.quote_starts, pos) - 1
        if i >= 0 and pos < self.quotes[i].end:
            return self.quotes[i].start, self.quotes[i].end
        lo = self.quotes[i].end if i >= 0 else 0
        return lo, self.quotes[i + 1].start if i + 1 < len(self.quotes) else sys.maxsize

    def line_of(self, pos: int) -> int:
        """The index of the line of offset ``pos``."""
        return bisect_right(self.line_starts, pos) - 1


# --------------------------------------------------------------------------------------------------
# The layout of a text
# --------------------------------------------------------------------------------------------------

#: a quotation in “curly”, "straight" or ``TeX'' double quotes, or in ‘curly single’ quotes; an
#: opening curly or TeX quote left open runs to the end of its paragraph (a quotation that goes on in
#: the next one)
_QUOTE = re.compile(
    r"“[^”\n]*(?:”|(?=\n)|\Z)"
    r'|"[^"\n]*"'
    r"|``(?:[^'\n]|'(?!'))*(?:''|(?=\n)|\Z)"
    r"|(?<![\w’'])‘(?=\S)(?:[^‘’\n]|’(?=\w)){0,600}’(?!\w)"
)
#: a sentence's end: its final punctuation (closing quotes and brackets included) and white space
#: before a capital, a digit or an opening quote; or a line break
_SENTENCE_END = re.compile(r"[.!?…][\"”’')\]]*[ \t]+(?=[\"“‘'(\[]?[A-Z0-9])|\n\s*")
#: the word before a full stop (read backwards from it, so that a long run of letters costs nothing)
_WORD_BEFORE = re.compile(r"[\w'’]{1,12}\Z")
#: as written: "Ill." is a state, "ill." ends "he fell ill."
_ABBREVIATIONS = frozenset(VOCAB["sentence_abbreviations"])
_ATTRIBUTION = re.compile(r"\b" + alternation(VOCAB["attribution_words"]) + r"\b", re.I)
_CLAUSE_OPENING = re.compile(r"\b" + alternation(VOCAB["clause_openings"]) + r"\b", re.I)
_CLAUSE_END = re.compile(r"[,;:]")
_LINE = re.compile(r"\n")

_MON = alternation(MONTHS, abbreviations=True)
_DATELINE_DATE = (
    rf"(?i:{_MON})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?"  # "June 19", "Sept. 22, 2024"
    rf"|\d{{1,2}}\s+(?i:{_MON})\.?(?:,?\s+\d{{4}})?"  # "19 June"
)
#: a dateline's place in any alphabet's capitals ("ANDØYA", "São Paulo"), hence ``regex``'s classes
_DATELINE = regex.compile(
    r"[ \t]*(?:\((?:[^()\n]|\([^()\n]*\))*\)[ \t]*)?"  # a syndication tag: "(MENAFN- ... (KUNA))"
    r"(?P<place>(?P<caps>\p{Lu}[\p{Lu}'’.&-]+(?:[ \t]\p{Lu}[\p{Lu}'’.&-]*){0,3})"
    r"|\p{Lu}[\p{Ll}'’.-]+(?:[ \t]\p{Lu}[\p{Ll}'’.-]+){0,2})"
    rf"(?:,[ \t]+(?:(?P<date>{_DATELINE_DATE})"
    rf"|(?P<region>\p{{Lu}}[\w.'’-]*(?:[ \t]\p{{Lu}}[\w.'’-]*){{0,2}})"
    rf"(?:,[ \t]+(?P<date2>{_DATELINE_DATE}))?))?"
    r"(?:[ \t]*\((?P<agency>[A-Za-z][\w.&'’/-]*(?:[ \t][\w.&'’/-]+){0,3})\)(?:[ \t]*(?:--|[-–—_:]))?"
    r"|[ \t]*(?P<sep>--|[-–—_:]))(?=\s)"
)
_NON_PLACES = VOCAB["dateline_non_places"]
#: the most characters of a sentence on either side of a quotation read for its attribution
ATTRIBUTION_REACH = 300
#: a dateline opens one of the first lines of a story (after a headline, a caption, a byline)
DATELINE_LINES = 6
DATELINE_REACH = 2000
#: a story republished this many days after its dateline's date is still read against that date
DATELINE_DAYS = 31


def layout(text: str) -> Layout:
    """The quotations (with their attribution clauses), lines and dateline of ``text``."""
    spans = [(m.start(), m.end()) for m in _QUOTE.finditer(text)]
    sentences = _sentence_starts(text, spans)
    lines = (0, *(m.end() for m in _LINE.finditer(text)))
    clauses: dict[tuple[int, int], Clause] = {}  # a sentence before many quotations is read once
    quotes = tuple(
        Quote(start, end, _attribution(text, spans, i, sentences, lines, clauses))
        for i, (start, end) in enumerate(spans)
    )
    return Layout(find_dateline(text), quotes, tuple(s for s, _ in spans), lines)


def _sentence_starts(text: str, quotes: Sequence[tuple[int, int]]) -> list[int]:
    """Where the sentences of ``text`` start; a quotation's own sentences are inside one of them."""
    starts = [0]
    q = 0
    for m in _SENTENCE_END.finditer(text):
        while q < len(quotes) and quotes[q][1] <= m.start():
            q += 1
        if q < len(quotes) and quotes[q][0] < m.start() < quotes[q][1]:
            continue  # inside a quotation: '"We won." the coach said' is one sentence
        if text[m.start()] == "." and _abbreviated(text, m.start()):
            continue  # "Mr. Smith", "Nov. 3", "J. Smith", "U.S. officials"
        starts.append(m.end())
    return starts


def _abbreviated(text: str, stop: int) -> bool:
    """Whether the full stop at ``stop`` ends an abbreviation or an initial rather than a sentence."""
    before = _WORD_BEFORE.search(text, max(0, stop - 12), stop)
    if before is None:
        return False
    word = before.group()
    return word in _ABBREVIATIONS or (len(word) == 1 and word.isupper())


def _attribution(
    text: str,
    quotes: Sequence[tuple[int, int]],
    i: int,
    sentences: Sequence[int],
    lines: Sequence[int],
    clauses: dict[tuple[int, int], Clause],
) -> tuple[Clause, ...]:
    """The clauses that attribute quotation ``i``: in its own sentence, the words after it, then the
    words before it; when its sentence has none (a quotation standing alone), the sentence before,
    in the same paragraph or closing the one before with a colon."""
    start, end = quotes[i]
    k = bisect_right(sentences, start) - 1
    first = sentences[k]
    last = sentences[k + 1] if k + 1 < len(sentences) else len(text)
    next_quote = quotes[i + 1][0] if i + 1 < len(quotes) else len(text)
    after = _clause(text, quotes, end, min(last, next_quote, end + ATTRIBUTION_REACH))
    before = _clause(
        text, quotes, max(first, quotes[i - 1][1] if i > 0 else 0, start - ATTRIBUTION_REACH), start
    )
    own = tuple(c for c in (after, before) if c.cues)
    if own or k == 0:
        return own
    span = (max(sentences[k - 1], first - ATTRIBUTION_REACH), first)
    previous = clauses.get(span) or clauses.setdefault(span, _clause(text, quotes, *span))
    same_line = bisect_right(lines, previous.start) == bisect_right(lines, start)
    introduces = text[previous.start : first].rstrip().endswith(":")
    return (previous,) if (same_line or introduces) and previous.cues else ()


def _clause(text: str, quotes: Sequence[tuple[int, int]], start: int, end: int) -> Clause:
    """The attribution words and clause openings between ``start`` and ``end``, outside quotations."""

    def outside(pos: int) -> bool:
        q = bisect_right(quotes, (pos, len(text))) - 1
        return q < 0 or pos >= quotes[q][1]

    cues = tuple(m.span() for m in _ATTRIBUTION.finditer(text, start, end) if outside(m.start()))
    stops = tuple(
        (m.start(), stop.start() if (stop := _CLAUSE_END.search(text, m.end(), end)) else end)
        for m in _CLAUSE_OPENING.finditer(text, start, end)
        if outside(m.start())
    )
    return Clause(start, end, cues, stops)


def find_dateline(text: str) -> Dateline | None:
    """The wire dateline opening one of the first lines of ``text``, if there is one."""
    pos = 0
    for _ in range(DATELINE_LINES):
        while pos < len(text) and text[pos] in " \t\r\n":
            pos += 1
        if pos >= min(len(text), DATELINE_REACH):
            return None
        m = _DATELINE.match(text, pos)
        if m and (found := _dateline(m)):
            return found
        nl = text.find("\n", pos)
        if nl < 0:
            return None
        pos = nl + 1
    return None


def _dateline(m: regex.Match[str]) -> Dateline | None:
    """The dateline a match reads, unless it is page furniture ("FILE -", "UPDATE:"), a day, or a
    sentence that starts with a capitalised word and a dash (a place in title case needs a date or
    an agency)."""
    place = m.group("place")
    dated = bool(m.group("date") or m.group("date2"))
    if place in _NON_PLACES or place.rstrip(".") in MONTHS or place.rstrip(".") in WEEKDAYS:
        return None  # "FILE - A photo", "Monday, Nov. 3 -": no place
    if not (m.group("caps") or dated or m.group("agency")):
        return None
    return Dateline(m.start("place"), m.end(), place, m.group("region"), m.group("agency"), dated)


# --------------------------------------------------------------------------------------------------
# The reference date of each place in a text
# --------------------------------------------------------------------------------------------------

#: reads the expressions between two offsets (outside quotations) against a reference date
Reader = Callable[[int, int, date | None], list[Timex]]
_BOUNDING = VOCAB["open_interval_prepositions"]


class References:
    """The reference date at each place of one text, for one resolution against ``dct``.

    ``read`` resolves the expressions of a stretch of the text (a dateline, an attribution) on their
    own, before the tagger reaches them; :meth:`reference` and :meth:`saw` follow the tagger as it
    reads the text from left to right.
    """

    def __init__(self, frame: Layout, dct: date | None, read: Reader) -> None:
        self.frame = frame
        self.read = read
        self.base = dct
        dl = frame.dateline
        if dl is not None and dl.dated and dct is not None:
            self.base = dateline_day(dl, read(dl.start, dl.end, dct), dct) or dct
        self._said: dict[int, date | None] = {}
        self._clause_days: dict[tuple[int, int], date | None] = {}
        #: the day the narrative last set: (line, quotation or -1, day)
        self._narrative: tuple[int, int, date] | None = None

    def said_on(self, i: int) -> date | None:
        """The day quotation ``i`` was said, when an attribution of it names one (before the base)."""
        if i not in self._said:
            day = None
            for clause in self.frame.quotes[i].attribution:
                span = (clause.start, clause.end)
                if span not in self._clause_days:  # one sentence may attribute many quotations
                    timexes = self.read(clause.start, clause.end, self.base)
                    self._clause_days[span] = _day_of_saying(clause, timexes, self.base)
                day = self._clause_days[span]
                if day is not None:
                    break
            self._said[i] = day
        return self._said[i]

    def reference(self, pos: int, time_of_day: bool) -> date | None:
        """The reference date of an expression at offset ``pos``; ``time_of_day``: it names a clock
        time with no day of its own, which the narrative's last day in the paragraph gives."""
        quote = self.frame.quote_at(pos)
        narrative = self._narrative
        if time_of_day and narrative and narrative[:2] == (self.frame.line_of(pos), quote):
            return narrative[2]
        if quote >= 0:
            return self.said_on(quote) or self.base
        return self.base

    def saw(self, timex: Timex, time_of_day: bool) -> None:
        """Note a date the tagger read: a day it names becomes the day of the clock times after it."""
        dv = timex.date
        if time_of_day or dv is None or dv.precision != "day" or timex.signal in _BOUNDING:
            return
        self._narrative = (self.frame.line_of(timex.start), self.frame.quote_at(timex.start), dv.start)


def _days(timexes: Sequence[Timex], latest: date | None) -> list[Timex]:
    """The expressions that name a day not after ``latest`` and do not bound ("until Monday")."""
    return [
        t
        for t in timexes
        if t.date is not None
        and t.date.precision == "day"
        and t.signal not in _BOUNDING
        and (latest is None or t.date.start <= latest)
    ]


def dateline_day(dl: Dateline, timexes: Sequence[Timex], dct: date) -> date | None:
    """The day dateline ``dl`` gives to a story published on ``dct`` after it (None: it gives no
    day, or the publication's own). ``timexes`` are the text's expressions, as read against ``dct``;
    a day more than :data:`DATELINE_DAYS` before ``dct`` is a misread year, not a late copy."""
    inside = [t for t in timexes if dl.start <= t.start and t.end <= dl.end]
    days = _days(inside, dct)
    if not dl.dated or not days or days[0].date is None:
        return None
    day = days[0].date.start
    return day if 0 < (dct - day).days <= DATELINE_DAYS else None


def _day_of_saying(clause: Clause, timexes: list[Timex], latest: date | None) -> date | None:
    """The day of the saying: the day nearest an attribution word of ``clause`` with no clause
    opening between them ("said late Wednesday", "On Thursday, the minister said")."""
    best: tuple[int, date] | None = None
    for t in _days(timexes, latest):
        if any(a <= t.start < b for a, b in clause.stops):
            continue  # "who took office on May 3"
        for cue_start, cue_end in clause.cues:
            gap = (t.end, cue_start) if t.end <= cue_start else (cue_end, t.start)
            if any(gap[0] <= a < gap[1] for a, _ in clause.stops):
                continue
            distance = max(0, gap[1] - gap[0])
            if t.date is not None and (best is None or distance < best[0]):
                best = (distance, t.date.start)
    return best[1] if best else None
