"""Publication date and other metadata of a document, when the caller did not give them.

Order of trust: metadata given by the caller; a date the page states (a byline or header line, "first
published on ..."); a date inferred from what the text reports (flagged ``inferred``). Copyright and
print lines never count: "Copyright ©2024" is the year the page was printed, not written.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

from dateline.intake.clean import CleanText, line_reason
from dateline.model import Document, Published
from dateline.timex.tagger import Scan, guess_tense, resolve, scan, tag
from dateline.timex.values import FUTURE, Timex, calendar_date

# "Published 09:15 BST, 23 April 2025", "first published it on November 5, 2024", "Posted: ..."
_PUBLICATION_CUE = re.compile(r"\b(?:published|posted|appeared)\b[^.|()]{0,40}$", re.I)
#: a line without any of these words holds no publication cue (no word break asked: a cue is searched
#: for in a slice of the line, whose start may cut a word)
_CUE_WORD = re.compile(r"published|posted|appeared", re.I)
#: the cue ends right before the date: a match starts at most this far before it ("appeared" and 40)
_CUE_REACH = 64
# an update line stands in only at the start of a line: "Updated 12:10, 16 October 2025", i.e. this
# prefix of the line, then a word break and at most 40 characters other than . | ( ) up to the date
_UPDATE_PREFIX = re.compile(r"\W*(?:last\s+)?updated", re.I)
_UPDATE_GAP = re.compile(r"(?!\w)[^.|()]{0,40}")
_YEAR = re.compile(r"(?<!\d)(?:1[5-9]|20)\d\d(?!\d)")
_LIST_ITEM = re.compile(r"^\s*(?:[-•*▪]|\d{1,2}[.)])\s")
_HEADER_MAX_WORDS = 12
_BARE_MONTH = re.compile(r"^XXXX-(\d{2})(?:-(\d{2}))?$")


def _full_dates(line: str) -> list[Timex]:
    return [t for t in tag(line, None) if t.date is not None and t.date.precision == "day" and not t.relative]


def stated_date(text: str, clean: CleanText | None = None) -> date | None:
    """A publication date the page states: a publication phrase, else a byline or header line.

    Header lines count only in the page's head (before its third paragraph of prose), and never as
    list items or teasers: "Related articles" lists carry dates of other stories.
    """
    head_end = len(text)
    if clean is not None and len(clean.blocks) >= 3:
        head_end = clean.blocks[2].orig_start
    header: date | None = None
    updated: date | None = None
    pos = 0
    for line in text.splitlines(keepends=True):
        line_start, pos = pos, pos + len(line)
        stripped = line.strip()
        if not _YEAR.search(stripped) or line_reason(stripped) in ("copyright", "teaser"):
            continue  # a full date has a year: most lines need no tagging at all
        update = _UPDATE_PREFIX.match(stripped)  # once per line, not once per date: linear time
        may_head = header is None and line_start < head_end and _header_like(line, stripped)
        if not (may_head or (update and updated is None) or _CUE_WORD.search(stripped)):
            continue  # nothing here can state the date: the body's lines are tagged once, cleaned
        dates = _full_dates(stripped)
        if not dates:
            continue
        for t in dates:
            # only the characters just before the date can hold the cue
            if _PUBLICATION_CUE.search(stripped[max(0, t.start - _CUE_REACH) : t.start]) and t.date:
                return t.date.start
            if (
                update is not None
                and update.end() <= t.start
                and _UPDATE_GAP.fullmatch(stripped, update.end(), t.start)
                and t.date
                and updated is None
            ):
                updated = t.date.start
        if may_head and dates[0].date:
            header = dates[0].date.start
    return header or updated


def _header_like(line: str, stripped: str) -> bool:
    """A short line that is no list item: a byline or a header line may state the date."""
    return len(re.findall(r"\w+", stripped)) <= _HEADER_MAX_WORDS and not _LIST_ITEM.match(line)


def inferred_date(clean: CleanText, timexes: Iterable[Timex]) -> date | None:
    """When the text was written at the earliest: the end of the latest date it reports as past.

    Bare months and days in clauses that are not about the future, falling after the latest absolute
    date in that same year, push the estimate forward ("in October", "on 21 October", in an article
    whose latest full date is in July). ``timexes`` are the cleaned text's expressions resolved without
    a reference date (``resolve(scan(clean.text), None)``), read twice here.
    """
    timexes = list(timexes)
    latest: date | None = None
    for t in timexes:
        if t.relative or t.date is None or t.date.precision in ("decade", "century"):
            continue
        if guess_tense(clean.text, t.start, t.end) == FUTURE:
            continue
        if latest is None or t.date.end > latest:
            latest = t.date.end
    if latest is None:
        return None
    for t in timexes:
        bare = _BARE_MONTH.match(t.value)
        if not bare or guess_tense(clean.text, t.start, t.end) == FUTURE:
            continue
        month = int(bare.group(1))
        if month > latest.month:
            value = f"{latest.year:04d}-{month:02d}" + (f"-{bare.group(2)}" if bare.group(2) else "")
            reached = calendar_date(value)
            if reached is not None:
                latest = (
                    reached.end
                )  # "on 21 October", "Tuesday, November 4" in a text whose latest year is known
    return latest


def publication(doc: Document, clean: CleanText, scanned: Scan | None = None) -> Published:
    """The publication date: given, stated by the page, inferred from the cleaned text, or unknown.

    ``scanned`` is the date tagger's scan of ``clean.text`` when the caller has one (the extractor
    scans each cleaned text once, for this and for the dates of its events); else it is made here,
    when the date has to be inferred.
    """
    if doc.published.value is not None:
        return doc.published
    stated = stated_date(doc.text, clean)
    if stated is not None:
        return Published(stated, "stated")
    if scanned is None:
        scanned = scan(clean.text)
    elif scanned.text != clean.text:
        raise ValueError("the scan given is not of the cleaned text")
    inferred = inferred_date(clean, resolve(scanned, None))
    if inferred is not None:
        return Published(inferred, "inferred")
    return Published(None, "unknown")


_NON_SPACE = re.compile(r"\S")
_CODE_PREFIX = re.compile(r"^[A-Z]{1,5}\d{2,}\s*[|:–-]\s*")
_PUBLISHER = re.compile(
    r"(?:\bcopyright\s*(?:©\s*)?(?:\d{4}(?:\s*[-–]\s*\d{4})?)?|©\s*\d{4}(?:\s*[-–]\s*\d{4})?)"
    r"\s*(?P<p>[^.|]{3,80}?)\.?\s*(?:all rights reserved|$)",
    re.I,
)


def markdown_h1(text: str) -> str | None:
    r"""The text of the first markdown H1 ("# Title", closing #s dropped), else None.

    What the multi-line pattern ``^\s*#\s+(\S.*?)\s*#*\s*$`` finds, in one pass: that pattern
    backtracks over every run of white space ("# a", thousands of spaces, "b" took a minute).
    """
    n = len(text)
    start = 0
    while start < n:
        end = text.find("\n", start)
        end = n if end < 0 else end
        first = _NON_SPACE.search(text, start, end)
        if first is not None and text[first.start()] == "#":
            # at least one white space after the "#" (the next line's, too), then the title
            after = first.start() + 1
            title = _NON_SPACE.search(text, after)
            if title is not None and title.start() > after:
                q = title.start()
                line_end = text.find("\n", q)
                rest = text[q : n if line_end < 0 else line_end].rstrip()
                return rest.rstrip("#").rstrip() or rest[0]  # at least one character
        start = end + 1
    return None


def detect_title(doc: Document, clean: CleanText) -> str | None:
    """A markdown H1, else the last headline-like line before the first paragraph of prose."""
    h1 = markdown_h1(doc.text)
    if h1 is not None:
        return re.sub(r"[*_]+", "", h1).strip()
    first = clean.blocks[0].orig_start if clean.blocks else len(doc.text)
    lines = doc.text[:first].splitlines()
    for line in reversed(lines):
        s = _CODE_PREFIX.sub("", line.strip())
        words = re.findall(r"\w+", s)
        if 4 <= len(words) <= 25 and not line_reason(s) and not _full_dates(s) and not s.endswith("."):
            return s
    if clean.blocks:
        first_block = clean.text[clean.blocks[0].start : clean.blocks[0].end]
        if len(first_block.split()) <= 15 and not first_block.endswith("."):
            return first_block  # a headline that reads like a sentence ("Rogues of the world, unite!")
    return None


def detect_publisher(doc: Document) -> str | None:
    for line in doc.text.splitlines():
        m = _PUBLISHER.search(line)
        if m and re.search(r"[A-Za-z]{3}", m.group("p")):
            return m.group("p").strip(" .,")
    return None
