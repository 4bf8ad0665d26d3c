"""One entry per real-world event: mentions from several documents (or twice in one) merged.

Two mentions report the same event when they have the same type, share an actor (or a place) and
their dates are compatible: one contains the other ("June 2024" and "19 June 2024"), or two day dates
a few days apart that several shared actors tie together (then the minority date is kept as an
alternative, not dropped). Generic references ("the events since 24 February 2022") only join a
specific event; they never stand alone. Mentions are taken finest date first, and candidate
clusters are looked up by type and year, so merging stays close to linear in the number of mentions.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import cache

from dateline.model import (
    DateValue,
    Document,
    DocumentResult,
    Event,
    EventDate,
    Mention,
    Source,
    precision_rank,
)
from dateline.temporal import display
from dateline.vocab import load

#: day dates this far apart may still be one event when enough actors tie them together
NEAR_DAYS = 7
NEAR_SHARED_ACTORS = 2


@dataclass
class _Cluster:
    type: str
    members: list[Mention] = field(default_factory=list)
    actors: Counter[str] = field(default_factory=Counter)
    places: Counter[str] = field(default_factory=Counter)
    #: the distinct dates of the members: compatibility is checked against these, not every member
    dates: set[DateValue] = field(default_factory=set)
    words: set[str] = field(default_factory=set)
    triggers: set[tuple[str, int]] = field(default_factory=set)

    def add(self, m: Mention) -> None:
        self.members.append(m)
        self.actors.update(m.actors)
        if m.location:
            self.places[m.location] += 1
        self.dates.add(m.date)
        self.words.add(_event_word(m.trigger.text))
        self.triggers.add((m.document_id, m.trigger.start))


def _days(d: DateValue, pad: int = 0) -> range:
    return range(d.start.toordinal() - pad, d.end.toordinal() + 1 + pad)


def _months(d: DateValue) -> range:
    return range(d.start.year * 12 + d.start.month - 1, d.end.year * 12 + d.end.month)


class _Index:
    """Where to look for the cluster a mention joins, so that merging stays near linear.

    Mentions are merged finest date first, so a cluster's core date (its first, finest member) is never
    wider than the mention being placed: the candidates are the clusters whose core starts on a day
    inside the mention's date (a few days around it for near day dates), of the same type, sharing an
    actor, the place or the event word. Generic references, placed last, look up by month instead.
    """

    def __init__(self) -> None:
        self.by_day: dict[tuple[str, int, str], set[int]] = defaultdict(set)
        self.by_month: dict[tuple[str, int, str], set[int]] = defaultdict(set)

    @staticmethod
    def _features(m: Mention) -> list[str]:
        keys = [f"a:{a}" for a in m.actors] + ([f"p:{m.location}"] if m.location else [])
        keys.append(f"w:{_event_word(m.trigger.text)}")
        return keys

    def add(self, ci: int, cluster: _Cluster, m: Mention) -> None:
        core = cluster.members[0].date
        keys = self._features(m)
        day = core.start.toordinal()
        for k in keys:
            self.by_day[(cluster.type, day, k)].add(ci)
        for month in _months(core):
            for k in keys:
                self.by_month[(cluster.type, month, k)].add(ci)

    def candidates(self, m: Mention, types: Iterable[str] | None = None) -> set[int]:
        found: set[int] = set()
        keys = self._features(m)
        if types is None and m.date.span_days <= 7:  # a day or a week: look day by day
            pad = NEAR_DAYS if m.date.precision == "day" else 0
            for day in _days(m.date, pad):
                for k in keys:
                    hit = self.by_day.get((m.type, day, k))
                    if hit:
                        found |= hit
            return found
        for t in types or (m.type,):
            for month in _months(m.date):
                for k in keys:
                    hit = self.by_month.get((t, month, k))
                    if hit:
                        found |= hit
        return found


def _nested(a: DateValue, b: DateValue) -> bool:
    return a.contains(b) or b.contains(a)


def _near(a: DateValue, b: DateValue) -> bool:
    if a.precision != "day" or b.precision != "day":
        return False
    return abs((a.start - b.start).days) <= NEAR_DAYS


def _fits(cluster: _Cluster, m: Mention, *, any_type: bool = False) -> int:
    """How well ``m`` joins ``cluster``: 0 when it must not, else a score (shared actors first)."""
    if not any_type and cluster.type != m.type:
        return 0
    if not any_type and m.type == "other" and _event_word(m.trigger.text) not in cluster.words:
        return 0  # "other" is a catch-all: only the same happening word makes two mentions one event
    shared = sum(1 for a in m.actors if a in cluster.actors)
    same_place = bool(m.location and m.location in cluster.places)
    if not shared and not same_place and not _same_wording(cluster, m):
        return 0
    if (m.document_id, m.trigger.start) in cluster.triggers:
        return 0
    for other in cluster.dates:
        if _nested(other, m.date):
            continue
        if _near(other, m.date) and shared >= NEAR_SHARED_ACTORS:
            continue
        return 0
    return 1 + 2 * shared + int(same_place)


def _content_words(title: str) -> set[str]:
    return {_stem(w) for w in _WORDS.findall(title.lower()) if len(w) > 3 and w not in _STOPWORDS}


def _same_wording(cluster: _Cluster, m: Mention) -> bool:
    """With no actor to compare ("the bank raised rates"), the same event word and another shared word
    of the titles tie two mentions together; a mention naming no one conflicts with no one."""
    if m.actors and cluster.actors:
        return False
    word = _event_word(m.trigger.text)
    same_word = [o for o in cluster.members if _event_word(o.trigger.text) == word]
    if not same_word:
        return False
    if any(o.date.precision == "day" and o.date == m.date for o in same_word):
        return True  # the same happening word on the same day
    mine = _content_words(m.title) - {word}
    return any(mine & (_content_words(o.title) - {word}) for o in same_word)


@cache
def _synonym_stems() -> dict[str, str]:
    """stem -> the first stem of its synonym group ("lift" -> "rais"): words that name one event."""
    table: dict[str, str] = {}
    for group in load("triggers")["synonyms"]:
        stems = [_stem(w) for w in group]
        for st in stems:
            table.setdefault(st, stems[0])
    return table


@cache
def _event_word(text: str) -> str:
    stem = _stem(text.strip("[*"))
    return _synonym_stems().get(stem, stem)


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
def _stem(word: str) -> str:
    w = word.lower()
    for suffix in ("ing", "ed", "es", "s", "e"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            return w[: -len(suffix)]
    return w


def _surname_map(mentions: Iterable[Mention]) -> dict[str, str]:
    """ "Macron" -> "Emmanuel Macron" when the corpus names exactly one person with that surname."""
    names = {a for m in mentions for a in m.actors}
    full: dict[str, set[str]] = defaultdict(set)
    for n in names:
        parts = n.split()
        if len(parts) > 1:
            full[parts[-1]].add(n)
    return {n: next(iter(full[n])) for n in names if " " not in n and len(full.get(n, ())) == 1}


def _event_id(members: list[Mention]) -> str:
    """A hash of the earliest source: stable for the same input; the date keeps apart two occurrences
    one verb reports ("postponed twice: in January and on March 4")."""
    key = min(f"{m.document_id}:{m.start}:{m.trigger.start}:{m.date.value}" for m in members)
    return "ev_" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:12]


def _choose_date(members: list[Mention]) -> tuple[DateValue, list[DateValue]]:
    """The most precise value that most sources allow; values it contradicts become alternatives."""
    candidates = sorted({m.date for m in members}, key=lambda d: (d.span_days, d.value))

    def support(d: DateValue) -> int:
        return sum(1 for m in members if m.date.contains(d))

    best = max(candidates, key=lambda d: (support(d), -d.span_days))
    alternatives = sorted(
        {m.date for m in members if not m.date.contains(best) and not best.contains(m.date)},
        key=lambda d: (d.start, d.value),
    )
    return best, alternatives


_WORDS = re.compile(r"\w+")


def _title(members: list[Mention], actors: list[str], etype: str) -> str:
    def score(m: Mention) -> tuple[int, int, int, int, int]:
        words = _WORDS.findall(m.title)
        mentions_actor = sum(1 for a in actors if a.split()[-1] in m.title)
        finite = int(m.trigger.text.lower().endswith("ed") or m.trigger.text.lower() not in m.title.lower())
        return (int(not m.generic), int(m.type == etype), finite, mentions_actor, -abs(len(words) - 8))

    return max(members, key=score).title


def _build_event(cluster: _Cluster, documents: dict[str, Document]) -> Event:
    members = sorted(cluster.members, key=lambda m: (m.document_id, m.start, m.trigger.start))
    value, alternatives = _choose_date(members)
    specific = [m for m in members if not m.generic] or members
    etype = Counter(m.type for m in specific).most_common(1)[0][0]
    actors = [
        a for a, _ in sorted(cluster.actors.items(), key=lambda kv: (-kv[1], _first_seen(members, kv[0])))
    ]
    location = cluster.places.most_common(1)[0][0] if cluster.places else None
    sources = [Source(mention=m, document=documents[m.document_id]) for m in members]
    sources.sort(key=lambda s: (s.document.published.value or value.start, s.document.id, s.mention.start))
    return Event(
        id=_event_id(members),
        title=_title(specific, actors, etype),
        type=etype,
        date=EventDate(date=value, display=display(value), alternatives=alternatives),
        actors=actors,
        location=location,
        sources=sources,
    )


def _first_seen(members: list[Mention], actor: str) -> int:
    for i, m in enumerate(members):
        if actor in m.actors:
            return i
    return len(members)


def merge_mentions(results: Iterable[DocumentResult]) -> list[Event]:
    """Merge every mention of ``results`` into events, sorted by date start, then finer precision first."""
    results = list(results)
    documents = {r.document.id: r.document for r in results}
    mentions = [m for r in results for m in r.mentions]
    surnames = _surname_map(mentions)
    if surnames:
        mentions = [
            replace(m, actors=tuple(dict.fromkeys(surnames.get(a, a) for a in m.actors))) for m in mentions
        ]

    clusters: list[_Cluster] = []
    index = _Index()
    order = sorted(
        (m for m in mentions if not m.generic),
        key=lambda m: (m.date.span_days, m.document_id, m.start, m.trigger.start),
    )
    for m in order:
        best, best_score = None, 0
        for ci in sorted(index.candidates(m)):
            s = _fits(clusters[ci], m)
            if s > best_score:
                best, best_score = ci, s
        if best is None:
            clusters.append(_Cluster(type=m.type))
            best = len(clusters) - 1
        clusters[best].add(m)
        index.add(best, clusters[best], m)

    # generic references join the one specific event they can only mean, or are left out
    all_types = {c.type for c in clusters}
    for m in (m for m in mentions if m.generic):
        candidates = sorted(index.candidates(m, all_types))
        fitting = [(s, ci) for ci in candidates if (s := _fits(clusters[ci], m, any_type=True))]
        if len(fitting) == 1 or (fitting and sorted(fitting)[-1][0] > sorted(fitting)[-2][0]):
            clusters[max(fitting)[1]].add(m)

    events = [_build_event(c, documents) for c in clusters]
    events.sort(
        key=lambda e: (e.date.date.start, precision_rank(e.date.date.precision), e.date.date.end, e.id)
    )
    return events
