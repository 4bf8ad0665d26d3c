"""Canonical entities across a collection: the actors of the merged events, their variants joined.

An article names a company "General Motors Corp.", the next "GM" and a third "General Motors"; a
person is "Steve Jobs" once and "Jobs" after. The extractor canonicalises names within an article and
through the alias table (:mod:`dateline.events.actors`); here the collection's actor names are grouped
into entities: the same name without its legal suffix, an acronym of exactly one other name, a
surname of exactly one person, a short form that begins exactly one organisation's name. A variant
that could stand for two entities joins neither. The vocabulary (legal suffixes, the words initials
skip) is data: ``data/entities.json``.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from dateline.events.actors import ORGANISATION_WORDS, actor_kind, name_variants
from dateline.model import Event, Timeline
from dateline.vocab import load

_V = load("entities")
_SUFFIXES = frozenset(_V["corporate_suffixes"])
_SKIP = frozenset(_V["initials_skip"])
_KINDS: dict[str, str] = _V["kinds"]
_ORGANISATION_HEADS = frozenset(_V["organisation_heads"]) | ORGANISATION_WORDS
#: alias (folded) -> canonical name, for the entities the actor table does not list
_EXTRA_ALIASES = {
    re.sub(r"\s+", " ", alias).strip().casefold(): canonical
    for canonical, aliases in _V["aliases"].items()
    for alias in (canonical, *aliases)
}
#: the kinds an entity may have
ENTITY_KINDS = tuple(dict.fromkeys(_KINDS.values()))


def fold(name: str) -> str:
    """``name`` as names are compared: case, spacing, hyphens and apostrophes folded."""
    return re.sub(r"[\s\-–]+", " ", name.replace("’", "'")).strip(" ,.").casefold()


def core_name(name: str) -> str:
    """``name`` without a leading "the" and its trailing legal suffixes ("General Motors Corp." ->
    "General Motors", "Apple, Inc." -> "Apple"); the name itself when nothing else would be left."""
    words = re.sub(r"^the\s+", "", name.strip(), flags=re.I).replace(",", " ").split()
    while len(words) > 1 and words[-1] in _SUFFIXES:
        words.pop()
    return " ".join(words) if words else name


def initials(name: str) -> str:
    """The acronym of a name of several words ("General Motors" -> "GM"; "Bank of America" -> "BA"
    and "BOA" both read; the first is returned), "" for a single word."""
    words = [w for w in core_name(name).split() if w.casefold() not in _SKIP]
    if len(words) < 2 or not all(w[:1].isupper() for w in words):
        return ""
    return "".join(w[0] for w in words)


def is_acronym(name: str) -> bool:
    return " " not in name and len(name.strip(".")) >= 2 and name.replace(".", "").isupper()


def slug(name: str) -> str:
    """A URL-safe id for an entity's name: lower case, runs of other characters as ``-``."""
    text = re.sub(r"[^0-9a-z]+", "-", name.casefold().replace("&", " and ")).strip("-")
    return text or "entity"


@dataclass
class Entity:
    """One company, person or place across the collection: its canonical ``name``, every name the
    timeline's actors give it (``members``), the other names it goes by (``aliases``), and counts."""

    id: str
    name: str
    kind: str | None
    members: list[str]
    aliases: list[str] = field(default_factory=list)
    event_count: int = 0
    document_count: int = 0

    def names(self) -> list[str]:
        """Every name that means this entity: its name, members and aliases."""
        return list(dict.fromkeys([self.name, *self.members, *self.aliases]))


class _Groups:
    """Union-find over actor names."""

    def __init__(self, names: Iterable[str]) -> None:
        self.parent = {n: n for n in names}

    def find(self, name: str) -> str:
        while self.parent[name] != name:
            self.parent[name] = self.parent[self.parent[name]]
            name = self.parent[name]
        return name

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[rb] = ra

    def groups(self) -> list[list[str]]:
        out: dict[str, list[str]] = defaultdict(list)
        for name in self.parent:
            out[self.find(name)].append(name)
        return list(out.values())


def _kind_of(name: str) -> str | None:
    """The entity kind of an actor name: the extractor's (:func:`actor_kind`), a company's when the
    name ends in a legal suffix or an organisation's head word, or is an acronym."""
    kind = actor_kind(name)
    words = name.split()
    if words[-1] in _SUFFIXES or words[-1] in _ORGANISATION_HEADS or fold(name) in _EXTRA_ALIASES:
        kind = "organisation" if kind != "country" else kind
    elif kind is None and is_acronym(name):
        kind = "organisation"
    return _KINDS.get(kind) if kind else None


def _join_variants(names: Sequence[str], kinds: dict[str, str | None]) -> _Groups:
    """The actor names grouped: one core name; an acronym, a surname or a short form that fits exactly
    one group."""
    groups = _Groups(names)
    by_core: dict[str, list[str]] = defaultdict(list)
    for name in names:
        key = fold(core_name(name))
        by_core[fold(_EXTRA_ALIASES.get(key, key))].append(name)
    for same in by_core.values():
        for other in same[1:]:
            groups.union(same[0], other)
    long_names = [n for n in names if len(core_name(n).split()) > 1]
    by_initials: dict[str, set[str]] = defaultdict(set)
    by_surname: dict[str, set[str]] = defaultdict(set)
    by_first: dict[str, set[str]] = defaultdict(set)
    for name in long_names:
        root = groups.find(name)
        if kinds[name] != "person" and (acro := initials(name)):
            by_initials[acro].add(root)
        if kinds[name] == "person":
            by_surname[fold(name.split()[-1])].add(root)
        else:  # a short form begins a body's name ("Apple" for "Apple Computer")
            by_first[fold(core_name(name).split()[0])].add(root)
    for name in names:
        if len(core_name(name).split()) > 1 or name in ORGANISATION_WORDS:
            continue
        key = fold(name)
        if is_acronym(name):
            candidates = by_initials.get(name.replace(".", ""), set())
        else:
            candidates = by_surname.get(key, set()) or by_first.get(key, set())
        roots = {groups.find(c) for c in candidates}
        if len(roots) == 1:
            groups.union(next(iter(roots)), name)
    return groups


def _canonical(members: list[str], counts: Counter[str], kind: str | None) -> str:
    """The entity's name: a person's full name; else the most cited member that is no acronym (the
    longer on a tie) without its legal suffix."""
    pool = [m for m in members if not is_acronym(m)] or members
    if kind == "person":
        return max(pool, key=lambda m: (len(m.split()), counts[m], m))
    best = max(pool, key=lambda m: (counts[m], len(core_name(m).split()), len(m), m))
    return core_name(best)


def entity_index(timeline: Timeline | Sequence[Event]) -> list[Entity]:
    """Every entity the events' actors name, with its aliases and counts; most cited first."""
    events = timeline.events if isinstance(timeline, Timeline) else list(timeline)
    counts: Counter[str] = Counter(a for e in events for a in dict.fromkeys(e.actors))
    names = sorted(counts)
    kinds = {n: _kind_of(n) for n in names}
    groups = _join_variants(names, kinds)
    documents: dict[str, set[str]] = defaultdict(set)
    event_sets: dict[str, set[int]] = defaultdict(set)
    for i, event in enumerate(events):
        for actor in event.actors:
            root = groups.find(actor)
            event_sets[root].add(i)
            documents[root].update(s.mention.document_id for s in event.sources)
    entities: list[Entity] = []
    for members in groups.groups():
        root = groups.find(members[0])
        kind_votes = Counter(k for m in members if (k := kinds[m]) is not None for _ in range(counts[m]))
        kind = kind_votes.most_common(1)[0][0] if kind_votes else None
        name = _canonical(sorted(members), counts, kind)
        entities.append(
            Entity(
                id="",
                name=name,
                kind=kind,
                members=sorted(members, key=lambda m: (-counts[m], m)),
                event_count=len(event_sets[root]),
                document_count=len(documents[root]),
            )
        )
    _add_aliases(entities)
    entities.sort(key=lambda e: (-e.event_count, e.name))
    taken: Counter[str] = Counter()
    for entity in entities:
        base = slug(entity.name)
        taken[base] += 1
        entity.id = base if taken[base] == 1 else f"{base}-{taken[base]}"
    return entities


#: an entity's kind as the extractor's actor kinds name it (for :func:`name_variants`)
_ACTOR_KIND = {entity: actor for actor, entity in _KINDS.items()}


def _table_aliases() -> dict[str, list[str]]:
    """canonical name (folded) -> the alias table's other names for it, as spelled there."""
    data = load("aliases")
    out: dict[str, list[str]] = {}
    for group in ("countries", "organisations", "people"):
        for canonical, aliases in data[group].items():
            out[fold(canonical)] = list(aliases)
    for canonical, aliases in _V["aliases"].items():
        out.setdefault(fold(canonical), []).extend(aliases)
    return out


def _add_aliases(entities: list[Entity]) -> None:
    """Each entity's aliases: its other members, the alias table's names for it, and the variants
    of its name (a surname, initials) that no other entity has."""
    table = _table_aliases()
    variants: list[list[str]] = []
    for e in entities:
        own = name_variants(e.name, _ACTOR_KIND.get(e.kind or ""))
        acro = initials(e.name) if e.kind == "organisation" else ""
        variants.append([*own, *([acro] if len(acro) >= 3 else [])])
    names = {fold(n) for e in entities for n in (e.name, *e.members)}
    shared: Counter[str] = Counter(fold(v) for vs in variants for v in dict.fromkeys(vs))
    for entity, extra in zip(entities, variants, strict=True):
        candidates = [m for m in entity.members if m != entity.name]
        candidates += table.get(fold(entity.name), [])
        candidates += [v for v in extra if shared[fold(v)] == 1 and fold(v) not in names]
        seen = {fold(entity.name)}
        aliases = []
        for alias in candidates:
            if fold(alias) not in seen:
                seen.add(fold(alias))
                aliases.append(alias)
        entity.aliases = aliases


def find_entity(entities: Sequence[Entity], wanted: str) -> Entity | None:
    """The entity with id ``wanted``, else the one whose name, member or alias it is (folded)."""
    for entity in entities:
        if entity.id == wanted:
            return entity
    key = fold(wanted)
    hits = [e for e in entities if key in {fold(n) for n in e.names()}]
    return hits[0] if len(hits) == 1 else None


def entity_events(events: Iterable[Event], entity: Entity) -> list[Event]:
    """The events among ``events`` (order kept) whose actors name the entity (what its
    ``event_count`` counts; its timeline holds the events it takes part in by the parse:
    :mod:`dateline.merging.targets`)."""
    members = set(entity.members)
    return [e for e in events if members.intersection(e.actors)]
