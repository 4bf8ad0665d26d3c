"""Whether two mentions may join one event, and how a mention's candidates are found.

This is the one home of the linking rules. The full merge (:mod:`dateline.merging.cluster`) scores
a mention against each candidate cluster with :func:`fits` and joins the best; the store's re-merge
of the part a write touches (:mod:`dateline.merging.incremental`) links the mentions that
:func:`may_interact`, a looser test that a database index can answer from a few terms per mention.
Both see the same names (:func:`surname_map`, :func:`with_full_names`) and the same event word
(:func:`event_word`).

Today the decision is a few rules: the same type (an "other" mention only with the same event word),
a shared actor, place or (when one side names no one) wording, no two mentions on one trigger, and
dates that nest, or lie ``NEAR_DAYS`` apart when ``NEAR_SHARED_ACTORS`` actors tie them. The score
that picks among fitting clusters counts shared actors twice and the place once; the candidate keys
(:attr:`Probe.keys`) carry those same weights, which is what lets the index stop early. A change of
the rules keeps three things in step, all in this module: :func:`fits`, the key weights, and
:func:`may_interact`, which must hold for every pair :func:`fits` could ever join.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from functools import cache

from dateline.model import DateValue, Mention
from dateline.vocab import load

#: day dates this far apart may still be one event when enough actors tie them together
NEAR_DAYS = 7
NEAR_SHARED_ACTORS = 2
#: day dates up to NEAR_DAYS apart may merge, so linked dates may lie in neighbouring years
YEAR_SLACK = max(1, math.ceil(NEAR_DAYS / 365))

# --- words: the event word and the title words compared when no actor is ------------------------

_WORDS = re.compile(r"\w+")
_STOPWORDS = frozenset(
    [
        "that",
        "this",
        "with",
        "from",
        "into",
        "over",
        "under",
        "after",
        "before",
        "about",
        "their",
        "there",
        "which",
        "while",
        "were",
        "have",
        "been",
        "also",
        "said",
        "says",
        "they",
        "them",
        "what",
        "when",
        "where",
        "will",
        "would",
        "could",
        "should",
    ]
)


@cache
def stem(word: str) -> str:
    w = word.lower()
    for suffix in ("ing", "ed", "es", "s", "e"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            return w[: -len(suffix)]
    return w


@cache
def _synonym_stems() -> dict[str, str]:
    """stem -> the first stem of its synonym group ("lift" -> "rais"): words that name one event."""
    table: dict[str, str] = {}
    for group in load("triggers")["synonyms"]:
        stems = [stem(w) for w in group]
        for st in stems:
            table.setdefault(st, stems[0])
    return table


@cache
def event_word(text: str) -> str:
    """The happening word of a trigger, as the merger compares it: a stem, synonyms folded."""
    word = stem(text.strip("[*"))
    return _synonym_stems().get(word, word)


def content_words(title: str) -> set[str]:
    return {stem(w) for w in _WORDS.findall(title.lower()) if len(w) > 3 and w not in _STOPWORDS}


# --- names: "Macron" is "Emmanuel Macron" when the corpus names one such person ---------------------


def is_full_name(name: str) -> bool:
    return len(name.split()) > 1


def is_single_name(name: str) -> bool:
    return " " not in name


def surname(full_name: str) -> str:
    return full_name.split()[-1]


def corpus_surname_map(names: Iterable[str], full_names: Callable[[str], set[str]]) -> dict[str, str]:
    """The surname map for the single ``names``, with ``full_names(X)`` giving every full name
    ending in X anywhere in the corpus (not just among ``names``)."""
    out: dict[str, str] = {}
    for name in names:
        if is_single_name(name):
            found = full_names(name)
            if len(found) == 1:
                out[name] = next(iter(found))
    return out


def surname_map(mentions: Iterable[Mention]) -> dict[str, str]:
    """ "Macron" -> "Emmanuel Macron" when ``mentions`` name exactly one person with that surname."""
    names = {a for m in mentions for a in m.actors}
    full: dict[str, set[str]] = defaultdict(set)
    for n in names:
        if is_full_name(n):
            full[surname(n)].add(n)
    return corpus_surname_map(names, lambda n: full.get(n, set()))


def with_full_names(mention: Mention, surnames: Mapping[str, str]) -> Mention:
    """``mention`` with each surname the map knows replaced by the full name (a copy only when that
    changes something: copying every mention of a large corpus is a visible share of the merge)."""
    actors = tuple(dict.fromkeys(surnames.get(a, a) for a in mention.actors))
    return mention if actors == mention.actors else replace(mention, actors=actors)


def ambiguous_surnames(mentions: Iterable[Mention], corpus_map: Mapping[str, str]) -> set[str]:
    """Surnames X whose single name stays unmapped in the corpus but that a merge of just ``mentions``
    could map: ``mentions`` hold "X" and some full name ending in X. A part of the corpus merged on
    its own must then take in every full name ending in X (the corpus has several, or X is mapped)."""
    singles: set[str] = set()
    fulls: set[str] = set()
    for m in mentions:
        for actor in m.actors:
            if is_full_name(actor):
                fulls.add(surname(actor))
            if is_single_name(actor) and actor not in corpus_map:
                singles.add(actor)
    return singles & fulls


# --- the decision: may a mention join a cluster, and how well -----------------------------------


class Probe:
    """What the merger compares of one mention, computed once per mention rather than once per pair."""

    __slots__ = (
        "actors",
        "content",
        "date",
        "day",
        "hi",
        "keys",
        "lo",
        "location",
        "mention",
        "slot",
        "trigger",
        "type",
        "word",
        "worded",
    )

    def __init__(self, m: Mention) -> None:
        self.mention = m
        self.date = m.date
        self.actors = m.actors
        self.location = m.location
        self.type = m.type
        self.word = event_word(m.trigger.text)
        #: an "other" cluster only ever holds one event word, so the word is part of its type slot
        self.slot = m.type if m.type != "other" else f"other:{self.word}"
        #: the title's content words other than the event word (what ``same_wording`` intersects)
        self.content = content_words(m.title) - {self.word}
        self.lo = m.date.start.toordinal()
        self.hi = m.date.end.toordinal()
        self.day = m.date.precision == "day"
        self.trigger = (m.document_id, m.trigger.start)
        #: ((type slot, index key), weight in the score): a shared actor weighs 2 (as often as the
        #: mention names it), the place 1. Wording only pairs a mention with an actor-less partner: a
        #: mention naming no one looks for its event word in any cluster (weight 0)
        weights: dict[tuple[str, str], int] = {}
        for a in m.actors:
            weights[(self.slot, f"a:{a}")] = weights.get((self.slot, f"a:{a}"), 0) + 2
        if m.location:
            weights[(self.slot, f"p:{m.location}")] = 1
        if not m.actors:
            weights[(self.slot, f"w:{self.word}")] = 0
        self.keys = list(weights.items())
        #: a mention naming someone looks for actor-less clusters with its event word (``refined``)
        self.worded = (self.slot, f"w0:{self.word}") if m.actors else None

    def refined(self) -> list[tuple[str, str]]:
        """The keys of the actor-less clusters that share the event word and also a title word or the
        day (``same_wording``): looked up when many actor-less clusters share the word."""
        keys = [(self.slot, f"w0:{self.word}:{c}") for c in sorted(self.content)]
        return [*keys, (self.slot, f"w0d:{self.word}")] if self.day else keys

    def generic_keys(self) -> dict[str, int]:
        """A generic reference's keys and their weights in the score (any type, so no slot)."""
        keys: dict[str, int] = {}
        for a in self.actors:
            keys[f"a:{a}"] = keys.get(f"a:{a}", 0) + 2
        if self.location:
            keys[f"p:{self.location}"] = 1
        keys[f"w:{self.word}"] = 0
        return keys


class Cluster:
    """One event being built, with the summaries ``fits`` needs kept up to date as members join."""

    __slots__ = (
        "actors",
        "core",
        "dates",
        "hi",
        "lo",
        "members",
        "months",
        "places",
        "slot",
        "start",
        "triggers",
        "type",
        "wording",
        "words",
    )

    def __init__(self, first: Probe) -> None:
        self.type = first.mention.type
        self.slot = first.slot
        self.members: list[Mention] = []
        self.actors: Counter[str] = Counter()
        self.places: Counter[str] = Counter()
        #: the distinct dates of the members: compatibility is checked against these, not every member
        self.dates: set[DateValue] = set()
        self.words: set[str] = set()
        self.triggers: set[tuple[str, int]] = set()
        #: the hull of the member dates: a mention whose date holds it nests with every member date
        self.lo, self.hi = first.lo, first.hi
        #: event word -> (the day dates, the union of title content words) of the members using it
        self.wording: dict[str, tuple[set[DateValue], set[str]]] = {}
        #: the core date (the first, finest member): every later member's date holds it, or is near it
        self.core = first.date
        self.start = first.lo
        self.months = months(self.core)

    def add(self, p: Probe) -> None:
        self.members.append(p.mention)
        self.actors.update(p.actors)
        if p.location:
            self.places[p.location] += 1
        self.dates.add(p.date)
        self.lo, self.hi = min(self.lo, p.lo), max(self.hi, p.hi)
        self.words.add(p.word)
        self.triggers.add(p.trigger)
        days, content = self.wording.setdefault(p.word, (set(), set()))
        if p.day:
            days.add(p.date)
        content.update(p.content)


def months(d: DateValue) -> range:
    return range(d.start.year * 12 + d.start.month - 1, d.end.year * 12 + d.end.month)


def _nested(a: DateValue, b: DateValue) -> bool:
    return a.contains(b) or b.contains(a)


def _near(a: DateValue, b: DateValue) -> bool:
    if a.precision != "day" or b.precision != "day":
        return False
    return abs((a.start - b.start).days) <= NEAR_DAYS


def fits(cluster: Cluster, p: Probe, *, any_type: bool = False) -> int:
    """How well ``p`` joins ``cluster``: 0 when it must not, else a score (shared actors first)."""
    if not any_type and cluster.type != p.type:
        return 0
    if not any_type and p.type == "other" and p.word not in cluster.words:
        return 0  # "other" is a catch-all: only the same happening word makes two mentions one event
    shared = 0
    for a in p.actors:
        if a in cluster.actors:
            shared += 1
    same_place = bool(p.location and p.location in cluster.places)
    if not shared and not same_place and not same_wording(cluster, p):
        return 0
    if p.trigger in cluster.triggers:
        return 0
    if not (p.lo <= cluster.lo and cluster.hi <= p.hi):  # else every member date nests inside p's
        for other in cluster.dates:
            if _nested(other, p.date):
                continue
            if _near(other, p.date) and shared >= NEAR_SHARED_ACTORS:
                continue
            return 0
    return 1 + 2 * shared + int(same_place)


def same_wording(cluster: Cluster, p: Probe) -> bool:
    """With no actor to compare ("the bank raised rates"), the same event word and another shared word
    of the titles tie two mentions together; a mention naming no one conflicts with no one."""
    if p.actors and cluster.actors:
        return False
    same_word = cluster.wording.get(p.word)
    if same_word is None:
        return False
    days, content = same_word
    if p.day and p.date in days:
        return True  # the same happening word on the same day
    return not p.content.isdisjoint(content)


# --- candidate keys: what a cluster is filed under, so a mention meets only those it may join ------

_NO_WORDING: tuple[frozenset[DateValue], frozenset[str]] = (frozenset(), frozenset())


def _wording_keys(cluster: Cluster) -> list[tuple[str, str]]:
    """The ``w0`` keys an actor-less cluster is filed under (see :func:`filing_keys`)."""
    keys = []
    for word, (days, content) in cluster.wording.items():
        keys.append((cluster.slot, f"w0:{word}"))
        keys += [(cluster.slot, f"w0:{word}:{c}") for c in content]
        if days:
            keys.append((cluster.slot, f"w0d:{word}"))
    return keys


def filing_keys(cluster: Cluster, p: Probe) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The keys ``cluster`` gains when ``p`` joins it, and those it loses; call before ``add(p)``.

    Each cluster is filed under its type slot with each actor, place and event word of its members.
    ``same_wording`` needs one side without actors, so the event word is filed as ``w:`` for every
    cluster (for a mention naming no actor); while a cluster names no actor, it is also filed as
    ``w0:`` (the word), ``w0:`` with each title word and ``w0d:`` when it has a day date (for a
    mention that names some: a title word or the day must match too).
    """
    slot = cluster.slot
    new = [(slot, f"a:{a}") for a in dict.fromkeys(p.actors) if a not in cluster.actors]
    if p.location and p.location not in cluster.places:
        new.append((slot, f"p:{p.location}"))
    if p.word not in cluster.words:
        new.append((slot, f"w:{p.word}"))
    gone: list[tuple[str, str]] = []
    if not cluster.actors:
        if not p.actors:  # still actor-less: file the wording a named mention could share
            if p.word not in cluster.wording:
                new.append((slot, f"w0:{p.word}"))
            days, content = cluster.wording.get(p.word, _NO_WORDING)
            new += [(slot, f"w0:{p.word}:{c}") for c in p.content if c not in content]
            if p.day and not days:
                new.append((slot, f"w0d:{p.word}"))
        elif cluster.members:  # the cluster names its first actor: no more wording with named ones
            gone = _wording_keys(cluster)
    return new, gone


def generic_keys(cluster: Cluster) -> list[str]:
    """The keys a generic reference meets ``cluster`` under (see :meth:`Probe.generic_keys`)."""
    return (
        [f"a:{a}" for a in cluster.actors]
        + [f"p:{pl}" for pl in cluster.places]
        + [f"w:{w}" for w in cluster.words]
    )


# --- link terms: the looser test the store's index answers -------------------------------------

ACTOR, FULL_NAME, SINGLE_NAME, PLACE = "a:", "f:", "s:", "p:"
#: the event word, for every mention / for a mention naming no actor
TRIGGER, ACTORLESS_TRIGGER = "t:", "t0:"


@dataclass(frozen=True)
class LinkInfo:
    """What decides whether two mentions may interact in a merge."""

    type: str
    generic: bool
    first_year: int
    last_year: int
    terms: frozenset[str]


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
    word = event_word(mention.trigger.text)
    terms[TRIGGER + word] = None
    if not mention.actors:
        terms[ACTORLESS_TRIGGER + word] = None
    return terms


def full_name_rows(mention: Mention) -> list[tuple[str, str]]:
    """(``f:<surname>``, full name) for every full name among the actors (one row per name)."""
    return [(FULL_NAME + surname(a), a) for a in mention.actors if is_full_name(a)]


def partner_terms(terms: Iterable[str]) -> set[str]:
    """The terms another mention must have to share an actor or place with one that has ``terms``, or
    its event word when one of the two names no actor (``same_wording`` then compares wording)."""
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
