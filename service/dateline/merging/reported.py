"""The timeline that includes reported events: every mention merged, each date's basis told.

The stated-date timeline merges the dated finder's mentions alone (:func:`merge_mentions` over what
:meth:`Extractor.extract_many` returns by default). With reported events (``include=reported``), the
mentions of :mod:`dateline.events.reported` are merged with them, and each event's date says where it
comes from (``date.basis``): ``stated`` when a source's date expression gives it, else ``narrative``
or ``reported``.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

from dateline.merging.cluster import merge_mentions
from dateline.model import DATE_BASES, DocumentResult, Event

#: what ``include`` may ask for besides the stated-date timeline
INCLUDES = ("reported",)


def check_include(include: Iterable[str]) -> frozenset[str]:
    """``include`` as a set; a ValueError names a value that is none of :data:`INCLUDES`."""
    values = frozenset(include)
    unknown = sorted(values - set(INCLUDES))
    if unknown:
        raise ValueError(f"include: {', '.join(map(repr, unknown))} is not one of {', '.join(INCLUDES)}")
    return values


def date_basis(event: Event) -> str:
    """The firmest basis among the sources whose date holds the event's date."""
    chosen = event.date.date
    bases = {s.mention.basis for s in event.sources if s.mention.date.contains(chosen)}
    bases = bases or {s.mention.basis for s in event.sources}
    return next((b for b in DATE_BASES if b in bases), DATE_BASES[-1])


def merge_with_reported(results: Collection[DocumentResult]) -> list[Event]:
    """The events of ``results`` (stated and reported mentions), each date with its basis."""
    events = merge_mentions(results)
    for event in events:
        event.date.basis = date_basis(event)
    return events
