"""The mentions of one document found so far: one per trigger and date, a range where two dates of one
trigger are joined by "and"/"to" ("on Sunday and Monday"), and at most one carried-over per trigger; an
event dated in its own clause keeps that date only (:func:`own_dates`)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace

from spacy.tokens import Span, Token

from dateline.events.triggers import EventFinder
from dateline.model import DateValue, Document, Mention, TextSpan
from dateline.timex.values import Timex

_RANGE_LINK = re.compile(r"^\s*(?:,\s*)?(?:and|to|through|until|till|or|-|–|—)\s*(?:on\s+|in\s+)?$", re.I)

#: a mention's key among those found: (trigger token, date value), or a carried-over mention's own
_Key = tuple[int, str] | int


class Found:
    """The mentions found so far: one per trigger and date (the finer of nested dates), a range where
    two dates of one trigger are joined by "and"/"to", and at most one carried-over per trigger."""

    def __init__(self) -> None:
        self.by_key: dict[_Key, Mention] = {}
        self.by_token: dict[int, list[_Key]] = {}  # trigger token -> its keys in by_key, in insertion order
        self.trigger_starts: set[int] = set()  # of every mention in by_key

    def add_new(self, found: Iterable[tuple[int, Mention]]) -> list[Mention]:
        """Add each (trigger token, mention); the mentions that are new, in order."""
        return [m for token, m in found if self.add(m, token)]

    def add(self, m: Mention, token: int) -> bool:
        """Add the mention of trigger token ``token``; whether it is new (not merged into another)."""
        keys = self.by_token.setdefault(token, [])
        ranged = range_with(self.by_key, keys, m)
        if ranged is not None:
            key, self.by_key[key] = ranged
            return False
        key = trigger_key(self.by_key, keys, token, m.date)
        old = self.by_key.get(key)
        if old is not None and m.date.span_days >= old.date.span_days:
            return False
        if old is None:
            keys.append(key)
        self.by_key[key] = m
        self.trigger_starts.add(m.trigger.start)
        return True

    def add_carried(self, m: Mention) -> bool:
        """Add a mention dated by an earlier sentence unless its trigger already has a date."""
        if m.trigger.start in self.trigger_starts:
            return False
        self.by_key[-m.trigger.start - 1] = m
        self.trigger_starts.add(m.trigger.start)
        return True

    def current(self, tokens: Iterable[int]) -> list[tuple[int, Mention]]:
        """(token, mention) for each mention of the trigger tokens ``tokens`` as it stands now (two
        dates of one trigger may have been joined into a range)."""
        return [(t, self.by_key[key]) for t in dict.fromkeys(tokens) for key in self.by_token.get(t, ())]

    def replace_carried(self, old: Mention, new: Mention) -> None:
        """Put ``new`` in the place of ``old``, a mention added by :meth:`add_carried`."""
        self.by_key[-old.trigger.start - 1] = new

    def enriched(
        self, dated: list[tuple[Token, Mention]], richer: list[tuple[Token, Mention, Mention]]
    ) -> list[tuple[Token, Mention]]:
        """``dated`` with each mention (trigger, old, new) of ``richer`` put in its old one's place,
        there and here."""
        new = {id(old): m for _, old, m in richer}
        for tok, old, m in richer:
            for key in self.by_token.get(tok.i, ()):
                if self.by_key[key] is old:
                    self.by_key[key] = m
        return [(t, new.get(id(m), m)) for t, m in dated]

    def in_order(self) -> list[Mention]:
        return sorted(self.by_key.values(), key=lambda m: (m.start, m.trigger.start))


def range_with(found: dict[_Key, Mention], keys: list[_Key], m: Mention) -> tuple[_Key, Mention] | None:
    """ "on Sunday and Monday", "between March 2023 and August 2025": one event over a range of dates.

    Two date expressions of the same trigger, in the same sentence, joined only by a coordinating word
    become one mention whose date runs from the first to the second. ``keys`` are the keys of ``found``
    made for the trigger's token so far, in order.
    """
    for key in keys:
        old = found[key]
        if (old.document_id, old.start) != (m.document_id, m.start):
            continue
        first, second = (old, m) if old.date_span.start <= m.date_span.start else (m, old)
        if not first.date_span.text or not m.start <= first.date_span.end <= second.date_span.start:
            continue  # no range, or its first end lies outside a quote cut to a clause
        between = m.quote[first.date_span.end - m.start : second.date_span.start - m.start]
        if not _RANGE_LINK.match(between):
            continue
        start, end = min(first.date.start, second.date.start), max(first.date.end, second.date.end)
        joined = DateValue(first.date.value, first.date.precision, start, end, first.date.modifier)
        span = TextSpan(
            first.date_span.text + between + second.date_span.text,
            first.date_span.start,
            second.date_span.end,
        )
        return key, replace(first, date=joined, date_span=span)
    return None


def trigger_key(found: dict[_Key, Mention], keys: list[_Key], token: int, when: DateValue) -> _Key:
    """One mention per trigger and date: nested dates of one trigger are one mention (the finer wins),
    disjoint ones are separate occurrences ("postponed twice: in late January and on March 4")."""
    for key in keys:
        m = found[key]
        if m.date.contains(when) or when.contains(m.date):
            return key
    return (token, when.value)


def own_dates(
    finder: EventFinder, per_span: list[tuple[Span, list[tuple[int, Mention]]]]
) -> list[tuple[Span, list[tuple[int, Mention]]]]:
    """An event dated in its own clause takes no date from the clause above it: "'We signed the deal
    in May,' the company said on Friday" is a signing in May, not on Friday too."""
    inside: dict[int, list[Span]] = {}
    for span, of_span in per_span:
        for tok, _ in of_span:
            inside.setdefault(tok, []).append(span)
    if all(len(spans) < 2 for spans in inside.values()):
        return per_span
    out = []
    for span, of_span in per_span:
        kept = []
        for tok, m in of_span:
            verb = finder.clause_verb(span.doc[tok]) or span.doc[tok]
            subject = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            # "said on Friday it signed ...": a date between the verb above and the subject is the saying's
            said = (verb.head.i, subject.left_edge.i) if subject is not None else (-1, -1)
            own = [
                s
                for s in inside[tok]
                if verb.left_edge.i <= s.start
                and s.end - 1 <= verb.right_edge.i
                and not said[0] < s.start < said[1]
            ]
            if own and span not in own:
                continue
            kept.append((tok, m))
        out.append((span, kept))
    return out


def has_calendar_date(dates: list[Span], document: Document) -> bool:
    """Whether a sentence gives a calendar date up to publication, which could date its event ("after
    eleven years" is a duration, "until June 2027" lies ahead, "now" names no day)."""
    published = document.published.value
    for span in dates:
        t: Timex = span._.timex
        when = t.date if t.type in ("DATE", "TIME") else None
        if when is not None and (published is None or when.start <= published):
            return True
    return False
