"""Article text out of a scraped page: boilerplate dropped, repeats collapsed, markup read through.

The cleaned text is what the language pipeline reads; :class:`CleanText` keeps, for each of its
characters, the offset of the original character it came from, so that every quote and offset the
service returns refers to the original text, verbatim.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from dateline.vocab import load

_B = load("boilerplate")
_LINE_RULES: list[tuple[str, re.Pattern[str]]] = [
    (reason, re.compile(p, re.I)) for reason, patterns in _B["line_patterns"].items() for p in patterns
]
SELF_REFERENCE = [re.compile(p, re.I) for p in _B["self_reference"]]

# markup read through: [text](url) links, <a ...>text</a> tags, *emphasis*, heading and bullet marks.
# A link's text holds no "[" ("[a [b](url)" is "[a " and the link "b", as CommonMark reads it): each
# "[" then scans only up to the next bracket, so a line of thousands of "[" is read in linear time.
_MARKUP = re.compile(
    r"\[(?P<link>[^\[\]\n]*)\]\([^)\s]*\)"  # markdown link: keep its text
    r"|<[^<>\n]{1,300}>"  # an HTML tag
    r"|(?<![\w*])\*{1,3}(?=[^\s*])"  # opening emphasis
    r"|(?<=[^\s*])\*{1,3}(?![\w*])"  # closing emphasis
    r"|^\s*(?:#{1,6}\s+|[•·▪‣◦*+-]\s+|\d{1,2}[.)]\s+)"  # heading, bullet or list number
    r"|^\s+",
    re.M,
)
#: markup right after a quoted span, taken along with it: a link's URL, closing emphasis or tag
_MARKUP_TAIL = re.compile(r"(?:\]\([^)\s]*\)|\*{1,3}|</[a-z]+>)+")
_TERMINAL = re.compile(r"[.!?…:\"”’')\]]\s*$")
_SENTENCE_END = re.compile(r"[a-z0-9)][.!?][\"”’')]?\s*$")
_WORD = re.compile(r"[A-Za-zÀ-ÿ][\w'’-]*")
#: the fewest words of a line that is a sentence all by itself
_SHORT_SENTENCE_WORDS = 4


@dataclass(frozen=True)
class Block:
    """A kept paragraph: its span in the cleaned text and in the original."""

    start: int
    end: int
    orig_start: int
    orig_end: int


@dataclass
class CleanText:
    original: str
    text: str = ""
    offsets: list[int] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    dropped: list[tuple[int, int, str]] = field(default_factory=list)

    def to_original(self, start: int, end: int, *, widen: bool = True) -> tuple[int, int]:
        """Original offsets of the cleaned span ``[start, end)``; ``widen`` takes in markup at its edges."""
        if end <= start:
            o = self.offsets[start] if start < len(self.offsets) else len(self.original)
            return o, o
        o_start = self.offsets[start]
        o_end = self.offsets[end - 1] + 1
        if not widen:
            return o_start, o_end
        src = self.original
        tail = _MARKUP_TAIL.match(src, o_end)  # at o_end, not on a copy of the rest of the text
        if tail:
            o_end = tail.end()
        while o_start > 0 and src[o_start - 1] in "[*":
            o_start -= 1
        return o_start, o_end

    def quote(self, start: int, end: int, *, widen: bool = True) -> tuple[str, int, int]:
        o_start, o_end = self.to_original(start, end, widen=widen)
        return self.original[o_start:o_end], o_start, o_end


def line_reason(line: str) -> str | None:
    """Why a line is page furniture rather than article text (None when it is text)."""
    for reason, rx in _LINE_RULES:
        if rx.search(line):
            return reason
    return None


def is_prose(line: str) -> bool:
    """Article prose: a sentence-like line, not a menu item, heading, caption stub or byline."""
    words = _WORD.findall(line)
    if len(words) < 7:
        # a short paragraph that reads as a sentence is one ("Police arrested him on Friday.");
        # menus, headings and bylines neither end so nor hold lowercase words
        return (
            len(words) >= _SHORT_SENTENCE_WORDS
            and bool(_SENTENCE_END.search(line))
            and words[0][0].isupper()
            and sum(1 for w in words if w[0].islower()) >= 2
        )
    if len(re.findall(r"[a-z]{2}[A-Z]", line)) >= 2:
        return False  # glued menu items: "IntroductionBuilding the FoundationsWelcome" (not "iPhone")
    if _SENTENCE_END.search(line):
        return True  # a sentence, however many names it holds
    # menus and title runs are mostly capitalised words; sentences are mostly not
    lower = sum(1 for w in words if w[0].islower())
    if lower / len(words) < 0.3:
        return False
    return len(words) >= 15 or bool(_TERMINAL.search(line))


def _normalise(line: str) -> str:
    return re.sub(r"\W+", " ", line.lower()).strip()


def _pieces(line: str, line_start: int) -> list[tuple[str, int]]:
    """The visible text of one line as (text, original offset) pieces, markup removed."""
    pieces: list[tuple[str, int]] = []
    pos = 0
    for m in _MARKUP.finditer(line):
        if m.start() > pos:
            pieces.append((line[pos : m.start()], line_start + pos))
        if m.group("link") is not None:
            pieces.append((m.group("link"), line_start + m.start("link")))
        pos = m.end()
    if pos < len(line):
        pieces.append((line[pos:], line_start + pos))
    # trailing white space is not text
    while pieces and not pieces[-1][0].strip():
        pieces.pop()
    if pieces:
        text, off = pieces[-1]
        pieces[-1] = (text.rstrip(), off)
    return pieces


class _Builder:
    """The cleaned text as it grows: pieces joined once at the end (adding to a string attribute
    copies the whole text each time), with the original offset of every character."""

    def __init__(self) -> None:
        self.pieces: list[str] = []
        self.offsets: list[int] = []

    def __len__(self) -> int:
        return len(self.offsets)

    def append(self, piece: str, orig_start: int) -> None:
        self.pieces.append(piece)
        self.offsets.extend(range(orig_start, orig_start + len(piece)))

    def append_synthetic(self, piece: str) -> None:
        anchor = self.offsets[-1] + 1 if self.offsets else 0
        self.pieces.append(piece)
        self.offsets.extend([anchor] * len(piece))


def clean(original: str) -> CleanText:
    """Keep the article's prose paragraphs, each once, with markup read through."""
    out = CleanText(original=original)
    built = _Builder()
    seen: set[str] = set()
    pending_join = False
    pos = 0
    for raw in original.splitlines(keepends=True):
        start = pos
        pos += len(raw)
        line = raw.rstrip("\r\n")
        if not line.strip():
            continue
        end = start + len(line)
        reason = line_reason(line)
        pieces = _pieces(line, start)
        visible = "".join(p for p, _ in pieces).strip()
        if reason is None:
            continuation = pending_join and visible[:1].islower()
            if not continuation and not is_prose(visible):
                reason = "not prose"
        if reason is None:
            key = _normalise(visible)
            if len(key.split()) >= 5 and key in seen:
                reason = "repeated"
            seen.add(key)
        if reason is not None:
            out.dropped.append((start, end, reason))
            pending_join = False
            continue
        if not pieces:
            continue
        joined = len(built) > 0 and pending_join and visible[:1].islower()
        if len(built):
            built.append_synthetic(" " if joined else "\n\n")
        block_start = len(built)
        for text, off in pieces:
            built.append(text, off)
        orig_end = pieces[-1][1] + len(pieces[-1][0])
        if joined and out.blocks:
            # a paragraph wrapped over lines stays one block, so its sentences stay whole
            last = out.blocks[-1]
            out.blocks[-1] = Block(last.start, len(built), last.orig_start, orig_end)
        else:
            out.blocks.append(Block(block_start, len(built), pieces[0][1], orig_end))
        pending_join = not _TERMINAL.search(visible)
    out.text = "".join(built.pieces)
    out.offsets = built.offsets
    return out
