"""Entity timelines in the SemEval-2015 Task 4 (TimeLine) format.

One tab-separated file per target entity: the entity's name on the first line, then one row per event,
``POSITION<TAB>ANCHOR<TAB>MENTION...``. Positions follow the date order (events of one date share
one; an event whose date has no form here is at 0, "not placed"); the anchor is the date in the task's
``XX`` form (``2010-06-07``, ``2010-06-XX``, ``2010-XX-XX``, ``XXXX-XX-XX``; a week, season, quarter
or half as the month or year that holds it); the mentions of one merged event, from every article,
are on its row. A mention is ``DOCID-SENTENCE-TOKEN``: the document's tokens (the task converter's
``tokens``, with offsets into ``text``) give the sentence and the token under the trigger; without
them the sentence is the trigger's line of the text (the converter writes one sentence per line,
the first line being sentence 1) and the token is the trigger's text. A mention of the document's
title (``field="title"``) is in sentence 0, the title's tokens.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from dateline.model import DateValue, Event, Mention, event_order

#: what marks an unknown part of an anchor
UNKNOWN_ANCHOR = "XXXX-XX-XX"
MEDIA_TYPE = "text/tab-separated-values"


def anchor(d: DateValue) -> str:
    """The date in the task's form, at the finest precision its bounds share (a day, a month, a
    year), else ``XXXX-XX-XX``."""
    if d.precision == "day":
        return d.start.isoformat()
    if d.precision in ("decade", "century") or d.start.year != d.end.year:
        return UNKNOWN_ANCHOR
    if d.start.month == d.end.month:
        return f"{d.start.year:04d}-{d.start.month:02d}-XX"
    return f"{d.start.year:04d}-XX-XX"


def file_name(entity: str) -> str:
    """The task's file name of an entity's timeline: lower case, ``&`` spelled ``and``, runs of other
    characters as ``_`` ("iTunes store" -> ``itunes_store.txt``)."""
    text = re.sub(r"[^0-9a-z]+", "_", entity.casefold().replace("&", "and")).strip("_")
    return f"{text or 'entity'}.txt"


@dataclass(frozen=True)
class Token:
    """A token of a document, as the task's converter gives it."""

    sentence: int
    field: str
    start: int
    end: int
    text: str


class MentionIds:
    """``DOCID-SENTENCE-TOKEN`` ids of triggers, from each document's tokens when it has them."""

    def __init__(
        self,
        tokens: Mapping[str, Sequence[Mapping[str, Any]]],
        texts: Mapping[str, str],
        particles: Callable[[Mention], Sequence[tuple[int, int]]] | None = None,
    ) -> None:
        """``particles`` gives the character spans of the words a trigger's id joins to it (a phrasal
        verb's particle: ``showed_off``, ``took_off`` for "took six months off")."""
        self.particles = particles
        #: (document id, field) -> its tokens by offset, and their offsets
        self.tokens: dict[tuple[str, str], list[Token]] = {}
        self.starts: dict[tuple[str, str], list[int]] = {}
        self.tokenised = set(tokens)
        for doc_id, items in tokens.items():
            for where in ("text", "title"):
                listed = sorted(
                    (
                        Token(int(t["sentence"]), where, int(t["start"]), int(t["end"]), t["text"])
                        for t in items
                        if t.get("field", "text") == where
                    ),
                    key=lambda t: t.start,
                )
                self.tokens[doc_id, where] = listed
                self.starts[doc_id, where] = [t.start for t in listed]
        self.texts = texts

    def of(self, mention: Mention) -> str | None:
        """The id of ``mention``'s trigger (in the text, or in the title: sentence 0); None when no
        token lies under it."""
        doc_id, trig, where = mention.document_id, mention.trigger, mention.field
        if doc_id not in self.tokenised:
            text = self.texts.get(doc_id, "") if where == "text" else ""
            line = text.count("\n", 0, trig.start) + 1 if where == "text" else 0
            word = trig.text.split()[0] if trig.text.split() else ""
            return f"{doc_id}-{line}-{word}" if word else None
        tokens, starts = self.tokens[doc_id, where], self.starts[doc_id, where]
        i = bisect_right(starts, trig.start) - 1
        under = [t for t in tokens[max(i, 0) : i + 4] if t.start < trig.end and trig.start < t.end]
        if not under:
            return None
        for start, end in self.particles(mention) if self.particles is not None else ():
            j = bisect_right(starts, start) - 1
            near = tokens[max(j, 0) : j + 2]
            under += [t for t in near if t.start < end and start < t.end and t not in under]
        return f"{doc_id}-{under[0].sentence}-{'_'.join(t.text for t in under)}"


Row = tuple[int, str, list[str]]


def timeline_rows(
    events: Iterable[Event], ids: MentionIds, keep: Callable[[Mention], bool] = lambda _m: True
) -> list[Row]:
    """One row per event that has a mention ``keep`` takes: (position, anchor, mention ids), in date
    order; events of one date share a position, an event without an anchor is at 0."""
    rows: list[Row] = []
    position = 0
    last: tuple[Any, ...] | None = None
    seen: set[str] = set()
    for event in sorted(events, key=event_order):
        mentions = [
            mid
            for s in event.sources
            if keep(s.mention) and (mid := ids.of(s.mention)) is not None and mid not in seen
        ]
        if not mentions:
            continue
        seen.update(mentions)
        when = anchor(event.date.date)
        if when == UNKNOWN_ANCHOR:
            rows.append((0, when, list(dict.fromkeys(mentions))))
            continue
        key = event_order(event)[:3]
        if key != last:
            position += 1
            last = key
        rows.append((position, when, list(dict.fromkeys(mentions))))
    return rows


def render(entity: str, rows: Iterable[Row]) -> str:
    """The timeline file: the entity's name, then a tab-separated line per row."""
    lines = [entity, *("\t".join([str(p), a, *m]) for p, a, m in rows)]
    return "\n".join(lines) + "\n"
