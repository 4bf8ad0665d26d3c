"""Re-merging only the part of the timeline a changed document can affect, with the same result as
merging everything again.

:func:`dateline.merge.merge_mentions` is greedy but local: a mention can only join a cluster that
shares one of its actors or its place (or, when one side names no actor, its event word), has its
type (or the mention is generic), and whose members' dates all nest with its own or lie within
``NEAR_DAYS``. So mentions that could ever influence each
other are *linked* (:func:`may_interact`), and the merge of all mentions is the union of the merges of
the link components, each component merged on its own. The one global input is the surname map
("Macron" -> "Emmanuel Macron" when the corpus has one such full name), so a component is merged with
the corpus's surname map applied first (:func:`merge_component`), and a component that holds a single
name "Kim" and one of several full names ending in "Kim" must also hold the others (else the merge
would map "Kim" to the one it sees): :func:`ambiguous_surnames` names those.

The store keeps the link terms of every mention in an index table and walks components with SQL; this
module holds the rules, with no storage and no web layer. The rules mirror merge.py, so the store
rebuilds its index and events whenever merge.py (or this module) changes
(:func:`dateline.fingerprint.merge_version`). ``tests/test_incremental.py`` checks, over
random corpora and random add/replace/delete sequences, that the stored timeline equals a full merge.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace

from dateline.merge import NEAR_DAYS, _event_word, merge_mentions
from dateline.model import Document, DocumentResult, Event, Mention

#: day dates up to NEAR_DAYS apart may merge, so linked dates may lie in neighbouring years
YEAR_SLACK = max(1, math.ceil(NEAR_DAYS / 365))

ACTOR, FULL_NAME, SINGLE_NAME, PLACE = "a:", "f:", "s:", "p:"
#: the event word's stem, for every mention / for a mention naming no actor
TRIGGER, ACTORLESS_TRIGGER = "t:", "t0:"


@dataclass(frozen=True)
class LinkInfo:
    """What decides whether two mentions may interact in a merge."""

    type: str
    generic: bool
    first_year: int
    last_year: int
    terms: frozenset[str]


def is_full_name(name: str) -> bool:
    return len(name.split()) > 1


def is_single_name(name: str) -> bool:
    return " " not in name


def surname(full_name: str) -> str:
    return full_name.split()[-1]


def link_terms(mention: Mention) -> dict[str, str | None]:
    """The index terms of ``mention``: term -> the full name behind a ``f:`` (surname) term.

    Two mentions share an actor after surname mapping only if they share an ``a:`` term, or one has
    the single name X (``s:X``) and the other a full name ending in X (``f:X``).
    """
    terms: dict[str, str | None] = {}
    for actor in mention.actors:
        terms[ACTOR + actor] = None
        if is_full_name(actor):
            terms.setdefault(FULL_NAME + surname(actor), actor)
        if is_single_name(actor):
            terms[SINGLE_NAME + actor] = None
    if mention.location:
        terms[PLACE + mention.location] = None
    stem = trigger_stem(mention)
    terms[TRIGGER + stem] = None
    if not mention.actors:
        terms[ACTORLESS_TRIGGER + stem] = None
    return terms


def trigger_stem(mention: Mention) -> str:
    """The event word the merger compares (a stem, synonyms folded: see merge._same_wording)."""
    return _event_word(mention.trigger.text)


def full_name_rows(mention: Mention) -> list[tuple[str, str]]:
    """(``f:<surname>``, full name) for every full name among the actors (one row per name)."""
    return [(FULL_NAME + surname(a), a) for a in mention.actors if is_full_name(a)]


def partner_terms(terms: Iterable[str]) -> set[str]:
    """The terms another mention must have to share an actor or place with one that has ``terms``, or
    its event word when one of the two names no actor (the merger then compares wording)."""
    out: set[str] = set()
    for term in terms:
        if term.startswith(ACTORLESS_TRIGGER):
            out.add(TRIGGER + term[len(ACTORLESS_TRIGGER) :])
            continue
        kind, value = term[:2], term[2:]
        if kind in (ACTOR, PLACE):
            out.add(term)
        elif kind == FULL_NAME:
            out.add(SINGLE_NAME + value)
        elif kind == SINGLE_NAME:
            out.add(FULL_NAME + value)
        elif kind == TRIGGER:
            out.add(ACTORLESS_TRIGGER + value)
    return out


def link_info(mention: Mention) -> LinkInfo:
    return LinkInfo(
        type=mention.type,
        generic=mention.generic,
        first_year=mention.date.start.year,
        last_year=mention.date.end.year,
        terms=frozenset(link_terms(mention)),
    )


def compatible(a: LinkInfo, b: LinkInfo) -> bool:
    """Type and years allow ``a`` and ``b`` to meet in one cluster (terms aside)."""
    if a.type != b.type and not (a.generic or b.generic):
        return False
    return a.first_year - YEAR_SLACK <= b.last_year and b.first_year - YEAR_SLACK <= a.last_year


def may_interact(a: LinkInfo, b: LinkInfo) -> bool:
    """True when a merge could put ``a`` and ``b`` in one cluster, or let one change where the other
    goes (a superset of the real interactions: over-linking only makes components larger)."""
    return compatible(a, b) and bool(a.terms & partner_terms(b.terms))


def corpus_surname_map(names: Iterable[str], full_names: Callable[[str], set[str]]) -> dict[str, str]:
    """The merge's surname map for single ``names``, with ``full_names(X)`` giving every full name
    ending in X anywhere in the corpus (not just in the component)."""
    out: dict[str, str] = {}
    for name in names:
        if is_single_name(name):
            found = full_names(name)
            if len(found) == 1:
                out[name] = next(iter(found))
    return out


def ambiguous_surnames(mentions: Iterable[Mention], corpus_map: Mapping[str, str]) -> set[str]:
    """Surnames X whose single name stays unmapped in the corpus but that a merge of just ``mentions``
    could map: ``mentions`` hold "X" and some full name ending in X. The component must then take in
    every full name ending in X (the corpus has several, or X would be mapped)."""
    singles: set[str] = set()
    fulls: set[str] = set()
    for m in mentions:
        for actor in m.actors:
            if is_full_name(actor):
                fulls.add(surname(actor))
            if is_single_name(actor) and actor not in corpus_map:
                singles.add(actor)
    return singles & fulls


def apply_surnames(mention: Mention, corpus_map: Mapping[str, str]) -> Mention:
    """``mention`` with its actors mapped exactly as :func:`merge_mentions` maps them."""
    if corpus_map.keys().isdisjoint(mention.actors):
        return mention
    return replace(mention, actors=tuple(dict.fromkeys(corpus_map.get(a, a) for a in mention.actors)))


@dataclass
class MergedEvent:
    """An event and the stored mentions behind its sources (in source order)."""

    event: Event
    members: list[tuple[str, int]]


def merge_component(
    mentions: Mapping[tuple[str, int], Mention],
    documents: Mapping[str, Document],
    corpus_map: Mapping[str, str],
) -> list[MergedEvent]:
    """Merge a union of link components (``(document id, seq)`` -> mention) as the full merge would.

    ``corpus_map`` is the corpus's surname map; the caller has made the set closed under linking and
    under :func:`ambiguous_surnames`, so the merge's own surname map finds nothing more to map.
    """
    by_document: dict[str, list[tuple[int, Mention]]] = defaultdict(list)
    for (doc_id, seq), mention in mentions.items():
        by_document[doc_id].append((seq, mention))
    origin: dict[int, tuple[str, int]] = {}
    results = []
    for doc_id in sorted(by_document):
        rewritten = []
        for seq, mention in sorted(by_document[doc_id], key=lambda item: item[0]):
            mapped = apply_surnames(mention, corpus_map)
            origin[id(mapped)] = (doc_id, seq)
            rewritten.append(mapped)
        results.append(DocumentResult(documents[doc_id], rewritten))
    merged = []
    for event in merge_mentions(results):
        members = []
        for source in event.sources:
            key = origin.get(id(source.mention))
            if key is None:
                raise RuntimeError(
                    f"event {event.id}: a source is not one of the component's mentions "
                    "(the merge remapped a surname the component did not close over)"
                )
            members.append(key)
        merged.append(MergedEvent(event, members))
    return merged
