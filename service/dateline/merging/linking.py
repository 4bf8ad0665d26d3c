"""Whether a mention reports the same event as a cluster of earlier ones: evidence, weighed.

This is the one home of the linking rules. The full merge (:mod:`dateline.merging.cluster`) scores a
mention against each candidate cluster with :func:`fits` and joins the best; the store's kept merge
(:mod:`dateline.merging.incremental`) follows a write through the same :func:`fits`, re-placing the
mentions whose score a cluster's gained keys can change. The store still writes each mention's link
terms (:func:`link_terms`, :func:`may_interact`: a looser test a database index answers), which its
``verify`` counts.

The evidence and its weights are data (``data/linking.json``, with how they were set):

- for: the same or a related event word ("resigned" / "resignation", "sacked" / "dismissed") or the
  same kind of happening ("wildfire": a firestorm that raged, a blaze that levelled a town), a word
  that names any event of the type ("the disaster" for a wildfire), shared participants, a shared
  place (or one inside the other: "Colombo, Sri Lanka" and "Sri Lanka"), a shared figure ("36
  people", "$69 billion"), and both dated to the same day;
- against: both name participants in the same role and share none (one naming who acted, the other
  only whom it was done to, is no conflict); both name who acted and they differ; both name a place
  and it differs; different words that name different finer kinds of event (a curfew and a holiday
  decree), with no participant in common.

Gates come first: the same type (a generic reference, "the events since ...", meets any; an untyped
``other`` report meets a typed one told by the same event word, as its type is unknown, not another);
the dates must nest (a day inside "last week" or "in June"; two different days never join); something
must tie the two (the event word, a participant, a place or a figure); two catch-all ``other``
mentions need the same event word; a second mention of one article joins its event only by the same
word or finer kind (the extractor links an article's own references to its events); and two
statements of different speakers are two statements.

Every piece of evidence is an index key filed under the type (:attr:`Probe.keys`: ``a:`` actor,
``p:`` place, ``w:`` event word, ``n:`` figure, ``d:`` the day, ``b:`` a broader word), weighted with
the most it adds to a score; only the base and a mention's own broader word are not
(:attr:`Probe.unkeyed`). So a cluster's score is at most that plus the weights of the keys it holds,
which is what lets the index stop early. What lowers a score, or lifts a gate, without positive
evidence (a cluster gaining the mention's finer kind, ``k:``, or one of its agents, ``g:``) is a key of
weight 0: the full merge never looks through it, the kept merge learns from it that a score may have
risen. A change of the rules keeps three things in step, all here: :func:`fits`, the keys and their
weights, and the link terms of :func:`may_interact`, which must hold for every pair :func:`fits` could
ever join.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from dateline.merging.evidence import (
    ANY_TYPE,
    OTHER,
    broader_words,
    event_word,
    figures,
    kind_word,
    place_parts,
    speaker_types,
    threshold,
    weights,
)
from dateline.merging.names import FULL_NAME, SINGLE_NAME, is_full_name, is_single_name, surname
from dateline.model import DateValue, Mention

# --- what is compared: a mention's summary, and a cluster's ------------------------------------


class Probe:
    """What the merger compares of one mention, computed once per mention rather than once per pair."""

    __slots__ = (
        "actors",
        "agents",
        "date",
        "day",
        "figures",
        "hi",
        "keys",
        "kind",
        "lo",
        "location",
        "mention",
        "parts",
        "patients",
        "slot",
        "subtype",
        "trigger",
        "type",
        "unkeyed",
        "word",
    )

    def __init__(self, m: Mention) -> None:
        self.mention = m
        self.date = m.date
        self.actors = m.actors
        self.agents = frozenset(m.agents)
        #: the actors that take another part in it than acting
        self.patients = (
            frozenset(a for a in m.actors if a not in self.agents) if m.agents else frozenset(m.actors)
        )
        self.location = m.location
        #: the place and its holders (see :func:`place_parts`)
        self.parts = frozenset(place_parts(m.location)) if m.location else frozenset()
        self.type = m.type
        #: the finer kind, related kinds as one ("trip" and "arrival" are both a visit's)
        self.subtype = event_word(m.subtype) if m.subtype else None
        self.word = event_word(m.trigger.text)
        #: the subtype as a second event word, when it names one happening by itself ("~wildfire")
        self.kind = kind_word(m.subtype)
        self.figures = figures(m)
        self.lo = m.date.start.toordinal()
        self.hi = m.date.end.toordinal()
        #: dated to one single day (not "on or before" a day, not a range)
        self.day = m.date.precision == "day" and self.lo == self.hi
        self.trigger = (m.document_id, m.trigger.start)
        #: the type the keys are filed under; an "other" cluster holds one event word, so it is part of it
        self.slot = m.type if m.type != OTHER else f"{OTHER}:{self.word}"
        w = weights()
        broad = broader_words().get(m.type, frozenset())
        #: the evidence the keys do not carry: the base, and a broader word of the mention's own
        self.unkeyed = w["base"] + (w["broader"] if self.word in broad else 0)
        #: (type slot, index key) -> the most it adds to a score (see the module's docstring)
        keys = {f"a:{a}": w["actor"] for a in m.actors}
        keys.update((f"p:{part}", w["place"]) for part in self.parts)
        keys[f"w:{self.word}"] = w["word"]
        if self.kind:
            keys[f"w:{self.kind}"] = w["word"]
        keys.update((f"n:{n}", w["figure"]) for n in self.figures)
        if self.day:
            keys[f"d:{self.lo}"] = w["same_day"]
        if broad and self.word not in broad:
            keys["b:"] = w["broader"]  # the clusters that hold a broader word of the type
        self.keys = {(self.slot, k): weight for k, weight in keys.items()}
        # what can lift a penalty or gate of ``fits`` with no positive evidence: a cluster gaining the
        # mention's finer kind, or one of its agents as an agent. Weight 0 (a bound counts no
        # penalty): only the store's kept merge files these, to learn that a score may have risen;
        # the full merge needs positive evidence to find a candidate at all
        roles = [f"k:{self.subtype}"] if self.subtype else []
        roles += [f"g:{a}" for a in self.agents]
        self.keys.update(((self.slot, k), 0) for k in roles)
        if self.day:
            # an untyped ("other") report and a typed one meet on the same event word and day ("the
            # defeat on Sunday", typed sport in one outlet's sentence and by nothing in another's): one
            # key looks across, weighted with all the evidence a cluster found through it may share,
            # so the index's bound holds (see ``_untyped_meets``)
            look = (
                (ANY_TYPE, f"w:{self.word}@{self.lo}")
                if m.type == OTHER
                else (self.other_slot, f"d:{self.lo}")
            )
            self.keys[look] = sum(keys.values())

    @property
    def other_slot(self) -> str:
        """The slot of the untyped clusters told by this mention's event word."""
        return f"{OTHER}:{self.word}"

    def generic_keys(self) -> dict[str, int]:
        """A generic reference's keys (any type, so no slot) and the most each adds to a score."""
        w = weights()
        keys = {f"a:{a}": w["actor"] for a in self.actors}
        keys.update((f"p:{part}", w["place"]) for part in self.parts)
        keys[f"w:{self.word}"] = w["word"]
        keys.update((f"n:{n}", w["figure"]) for n in self.figures)
        return keys


class Cluster:
    """One event being built, with the summaries ``fits`` needs kept up to date as members join."""

    __slots__ = (
        "actors",
        "agents",
        "core",
        "days",
        "documents",
        "figures",
        "hi",
        "lo",
        "members",
        "months",
        "parts",
        "patients",
        "places",
        "slot",
        "spans",
        "start",
        "subtypes",
        "triggers",
        "type",
        "types",
        "wide",
        "words",
    )

    def __init__(self, first: Probe) -> None:
        self.type = first.mention.type
        self.slot = first.slot
        self.members: list[Mention] = []
        self.actors: Counter[str] = Counter()
        #: the members' actors that act in the event, and those that take another part in it
        self.agents: set[str] = set()
        self.patients: set[str] = set()
        self.places: Counter[str] = Counter()
        #: the members' places and their holders (see :func:`place_parts`)
        self.parts: set[str] = set()
        #: the distinct dates of the members as day ordinals (first, last): compatibility is checked
        #: against these, not every member
        self.spans: set[tuple[int, int]] = set()
        #: the widest of them (last - first); -1 while there is none
        self.wide = -1
        #: the single days (ordinals) the members are dated to
        self.days: set[int] = set()
        self.words: set[str] = set()
        self.figures: set[str] = set()
        self.triggers: set[tuple[str, int]] = set()
        #: the documents of the members
        self.documents: set[str] = set()
        #: the types of the members other than "other" (an untyped cluster may take one kind of typed report)
        self.types: set[str] = set()
        #: the finer kinds the members name ("resignation", "decree")
        self.subtypes: set[str] = set()
        #: the hull of the member dates (empty until one joins): a mention whose date holds it nests
        #: with every member date
        self.lo, self.hi = _EMPTY_HULL
        #: the core date (the first, finest member): every later member's date holds it
        self.core = first.date
        self.start = first.lo
        self.months = months(self.core)

    def add(self, p: Probe) -> None:
        self.members.append(p.mention)
        self.actors.update(p.actors)
        self.agents |= p.agents
        self.patients |= p.patients
        if p.location:
            self.places[p.location] += 1
            self.parts |= p.parts
        lo, hi = p.lo, p.hi
        self.spans.add((lo, hi))
        if hi - lo > self.wide:
            self.wide = hi - lo
        if p.day:
            self.days.add(lo)
        if lo < self.lo:
            self.lo = lo
        if hi > self.hi:
            self.hi = hi
        self.words.add(p.word)
        if p.kind:
            self.words.add(p.kind)
        self.figures.update(p.figures)
        self.triggers.add(p.trigger)
        self.documents.add(p.trigger[0])
        if p.type != OTHER:
            self.types.add(p.type)
        if p.subtype:
            self.subtypes.add(p.subtype)

    def gains(self, p: Probe, *, roles: bool = True) -> list[tuple[str, str]]:
        """The index keys the cluster gains when ``p`` joins it; call before ``add(p)``. ``roles``:
        also the weightless keys of what lifts a penalty or gate (see :class:`Probe`)."""
        new = [f"a:{a}" for a in dict.fromkeys(p.actors) if a not in self.actors]
        new += [f"p:{part}" for part in p.parts if part not in self.parts]
        if p.word not in self.words:
            new.append(f"w:{p.word}")
            broad = broader_words().get(self.type, frozenset())
            if p.word in broad and broad.isdisjoint(self.words):
                new.append("b:")
        if p.kind and p.kind not in self.words:
            new.append(f"w:{p.kind}")
        new += [f"n:{n}" for n in p.figures if n not in self.figures]
        if p.day and p.lo not in self.days:
            new.append(f"d:{p.lo}")
        if roles:  # see Probe.keys: what lifts a penalty or gate
            if p.subtype and p.subtype not in self.subtypes:
                new.append(f"k:{p.subtype}")
            new += [f"g:{a}" for a in p.agents if a not in self.agents]
            if new and self.type == OTHER:
                # a typed report meets an untyped cluster under (its word's untyped slot, the day),
                # weighted with all its evidence: whatever the cluster gains, it may score higher now
                days = self.days | {p.lo} if p.day else self.days
                new += [f"d:{d}" for d in days]
        return [(self.slot, k) for k in new] + self._typed_gains(p)

    def _typed_gains(self, p: Probe) -> list[tuple[str, str]]:
        """The (event word, day) pairs a typed cluster gains, under which untyped reports find it."""
        new_word = p.word not in self.words
        new_day = p.day and p.lo not in self.days
        if self.type == OTHER or not (new_word or new_day) or not (p.day or self.days):
            return []  # the usual case once a cluster has a few members: nothing built
        words = [w for w in self.words if not w.startswith("~")]
        days = self.days | {p.lo} if p.day else self.days
        pairs = [(p.word, d) for d in days] if new_word else []
        if new_day:
            pairs += [(w, p.lo) for w in words]
        return [(ANY_TYPE, f"w:{w}@{d}") for w, d in pairs]

    def keys(self) -> list[str]:
        """The keys a generic reference meets the cluster under (see :meth:`Probe.generic_keys`)."""
        return (
            [f"a:{a}" for a in self.actors]
            + [f"p:{part}" for part in self.parts]
            + [f"w:{w}" for w in self.words]
            + [f"n:{n}" for n in self.figures]
        )


def months(d: DateValue) -> range:
    return range(d.start.year * 12 + d.start.month - 1, d.end.year * 12 + d.end.month)


#: the hull of no date: every date holds it
_EMPTY_HULL = (1 << 62, -(1 << 62))


def _dates_nest(cluster: Cluster, p: Probe) -> bool:
    """Every member date and ``p``'s date: one holds the other (a day inside its week or month)."""
    lo, hi = p.lo, p.hi
    if lo <= cluster.lo and cluster.hi <= hi:
        return True  # p's date holds the hull of the members' dates
    if hi - lo >= cluster.wide:
        # no member date is wider than p's, so none holds it unless equal: p's must hold them all,
        # and it does not hold their hull (the usual case: the merge takes the finest dates first)
        return False
    return all((a <= lo and hi <= b) or (lo <= a and b <= hi) for a, b in cluster.spans)


def _broader(cluster: Cluster, p: Probe) -> bool:
    broad = broader_words().get(p.type, frozenset())
    return p.word in broad or not broad.isdisjoint(cluster.words)


def _untyped_meets(cluster: Cluster, p: Probe) -> bool:
    """An untyped report and a typed one, told by the same event word of the same single day: the type
    is unknown, not another; a cluster holds one type besides "other"."""
    if not (p.day and p.lo in cluster.days and p.word in cluster.words):
        return False
    if p.type == OTHER:
        return cluster.type != OTHER
    return cluster.type == OTHER and cluster.types <= {p.type}


@cache
def _scoring() -> tuple[int, int, int, int, int, int, int, int, int, int, int]:
    """The weights ``fits`` adds, in its order, and the threshold: read once, not once per pair."""
    w = weights()
    names = ("base", "actor", "place", "figure", "word", "broader", "same_day")
    penalties = ("other_participants", "other_place", "other_kind")
    base, actor, place, figure, word, broader, same_day = (w[k] for k in names)
    other_participants, other_place, other_kind = (w[k] for k in penalties)
    return (
        base, actor, place, figure, word, broader, same_day,
        other_participants, other_place, other_kind, threshold(),
    )  # fmt: skip


def fits(cluster: Cluster, p: Probe, *, any_type: bool = False) -> int:
    """How well ``p`` joins ``cluster``: 0 when it must not, else its score (at least the threshold).

    ``any_type``: for a generic reference ("the events since ..."), which names no event of its own.
    """
    if p.trigger in cluster.triggers:
        return 0
    lo, hi = p.lo, p.hi
    if not (lo <= cluster.lo and cluster.hi <= hi) and not _dates_nest(cluster, p):
        return 0
    if not any_type and p.slot != cluster.slot and not _untyped_meets(cluster, p):
        return 0  # another kind of event, or two catch-all "other" events told by different words
    words = cluster.words
    same_word = p.word in words or (not any_type and p.kind is not None and p.kind in words)
    actors = p.actors
    shared = sum(map(cluster.actors.__contains__, actors)) if actors else 0
    location = p.location
    same_place = bool(location) and (location in cluster.parts or not p.parts.isdisjoint(cluster.places))
    figures = len(p.figures & cluster.figures) if p.figures else 0
    if not (same_word or shared or same_place or figures):
        return 0  # nothing ties the two together
    if (
        not (any_type or same_word)
        and p.trigger[0] in cluster.documents
        and p.subtype not in cluster.subtypes
    ):
        return 0  # an article tells its own event again by the same word or a reference to it
    base, actor, place, figure, word, broader, same_day, others, elsewhere, other_kind, least = _scoring()
    score = base + actor * shared + figure * figures
    if same_place:
        score += place
    if same_word:
        score += word
    elif p.type == cluster.type and _broader(cluster, p):
        score += broader
    elif not (any_type or shared) and p.subtype and cluster.subtypes and p.subtype not in cluster.subtypes:
        score += other_kind  # different kinds, and no participant says they are one
    if p.day and lo in cluster.days:
        score += same_day
    if location and cluster.places and not same_place:
        score += elsewhere
    if any_type:  # a generic reference names no kind or role of its own: any participants it names
        if actors and cluster.actors and not shared:
            score += others
        return score if score >= least else 0
    agents = p.agents
    both_acting = bool(agents) and bool(cluster.agents)
    if both_acting and p.type in speaker_types() and agents.isdisjoint(cluster.agents):
        return 0  # two speakers, two statements
    if not shared and (both_acting or (p.patients and cluster.patients)):
        score += others  # different participants in the same role
    return score if score >= least else 0


# --- link terms: the looser test the store's index answers -------------------------------------

ACTOR, PLACE, TRIGGER, FIGURE = "a:", "p:", "t:", "n:"


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
    the single name X (``s:X``) and the other a full name ending in X (``f:X``); each other key of
    :meth:`Probe.keys` is a term of its own.
    """
    terms: dict[str, str | None] = {}
    for actor in mention.actors:
        terms[ACTOR + actor] = None
        if is_full_name(actor):
            terms.setdefault(FULL_NAME + surname(actor), actor)
        if is_single_name(actor):
            terms[SINGLE_NAME + actor] = None
    if mention.location:
        terms.update((PLACE + part, None) for part in place_parts(mention.location))
    terms[TRIGGER + event_word(mention.trigger.text)] = None
    if kind := kind_word(mention.subtype):
        terms[TRIGGER + kind] = None
    for n in figures(mention):
        terms[FIGURE + n] = None
    return terms


def full_name_rows(mention: Mention) -> list[tuple[str, str]]:
    """(``f:<surname>``, full name) for every full name among the actors (one row per name)."""
    return [(FULL_NAME + surname(a), a) for a in mention.actors if is_full_name(a)]


def partner_terms(terms: Iterable[str]) -> set[str]:
    """The terms another mention must have to share a participant, place, event word or figure with
    one that has ``terms`` (a surname meets the full names that end in it)."""
    out: set[str] = set()
    for term in terms:
        kind, value = term[:2], term[2:]
        if kind == FULL_NAME:
            out.add(SINGLE_NAME + value)
        elif kind == SINGLE_NAME:
            out.add(FULL_NAME + value)
        else:
            out.add(term)
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
    """Type and years allow ``a`` and ``b`` to meet in one cluster (dates must nest, so overlap)."""
    if a.type != b.type and not (a.generic or b.generic or OTHER in (a.type, b.type)):
        return False
    return a.first_year <= b.last_year and b.first_year <= a.last_year


def may_interact(a: LinkInfo, b: LinkInfo) -> bool:
    """True when a merge could put ``a`` and ``b`` in one cluster, or let one change where the other
    goes (a superset of the real interactions: over-linking only makes components larger)."""
    return compatible(a, b) and bool(a.terms & partner_terms(b.terms))
