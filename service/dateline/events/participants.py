"""Who took part in an event and where it happened, from the named entities of its sentence.

The names themselves are made canonical by :mod:`dateline.events.actors` (the alias table, shared
with the query side); here the parse decides which entity is an actor, which the event's place, and
which person a pronoun stands for.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Mapping

from spacy.attrs import HEAD
from spacy.tokens import Doc, Span, Token

from dateline.events.actors import canonical

_PERSONISH = ("PERSON", "ORG", "GPE", "NORP")
_PLACE = ("GPE", "LOC", "FAC")
_LOCATIVE_PREPS = {"in", "at", "to", "near", "into", "inside", "from", "outside"}
#: a place that is the object of these event types is where they happen: "visited Hanoi", "shelled Kharkiv"
_PLACE_OBJECT_TYPES = ("visit", "combat")
_ACTING_DEPS = frozenset({"nsubj", "nsubjpass", "poss", "agent", "compound"})
_PERSONAL_PRONOUNS = frozenset({"she", "he", "her", "him", "his", "hers"})
_TITLE_WORDS = frozenset(
    {"minister", "ministry", "secretary", "department", "chief", "spokesman", "spokeswoman"}
)
_POSSESSIVE_S = re.compile(r"['’]s$")


class Entities:
    """The named entities the rules read (people, organisations, places), listed once per document,
    with what the rules ask of them: the entities of a token range, a sentence's actors, whether a
    token lies below a trigger.

    ``doc.ents`` and ``Span.ents`` rebuild their list from every token of the document on each access,
    so asking them once per sentence or mention made extraction quadratic in the text's length; here
    the spans inside a token range are found by bisection, and a sentence's actors are named once
    however many dates it holds. ``event_nouns`` are the trigger nouns: an organisation named after
    an event ("the Paris Conference") is no actor.
    """

    def __init__(self, doc: Doc, event_nouns: Mapping[str, str]) -> None:
        self.doc = doc
        self.event_nouns = event_nouns
        self.spans: list[Span] = [e for e in doc.ents if e.label_ in (*_PERSONISH, *_PLACE)]
        self.starts = [e.start for e in self.spans]
        self._actors: dict[tuple[int, int], list[tuple[int, str]]] = {}
        self._tree: tuple[list[int], list[int]] | None = None

    def in_subtree(self, tok: Token, head: Token) -> bool:
        """Whether ``tok`` is ``head`` or one of its descendants, in constant time: ``Token.subtree``
        lists the whole subtree, and a trigger is often the root of a long sentence."""
        if self._tree is None:
            self._tree = _preorder(self.doc)
        first, after = self._tree
        return first[head.i] <= first[tok.i] < after[head.i]

    def within(self, start: int, end: int) -> list[Span]:
        """The entities lying wholly inside tokens ``[start, end)``, in order (they never overlap)."""
        out: list[Span] = []
        for i in range(bisect_left(self.starts, start), len(self.spans)):
            e = self.spans[i]
            if e.start >= end:
                break
            if e.end <= end:
                out.append(e)
        return out

    def actors(self, start: int, end: int) -> list[tuple[int, str]]:
        """(first token, canonical name) of each entity in tokens ``[start, end)`` that names an actor,
        in order; worked out once per sentence, however many of its dates ask."""
        key = (start, end)
        if key not in self._actors:
            named = ((e.start, self._actor(e)) for e in self.within(start, end))
            self._actors[key] = [(first, name) for first, name in named if name is not None]
        return self._actors[key]

    def _actor(self, e: Span) -> str | None:
        """The canonical name of the actor entity ``e`` names, or None when it names none."""
        if e.label_ in ("LOC", "FAC") or (e.label_ == "ORG" and e.root.lemma_.lower() in self.event_nouns):
            return None
        if e.label_ == "ORG" and e.end < len(self.doc) and self.doc[e.end].lower_ in _TITLE_WORDS:
            return None  # "Interior Minister Pavel Hanák": a portfolio, not an actor
        hit = canonical(e.text, e.label_)
        if hit is None and e.label_ == "GPE" and e.root.dep_ in _ACTING_DEPS:
            # a country missing from the alias table acts all the same: "Castrela's central bank"
            return _POSSESSIVE_S.sub("", e.text).strip()
        return hit[0] if hit else None


def actors_and_place(
    entities: Entities, sent: Span, trigger: Token, typ: str
) -> tuple[list[str], str | None]:
    """Canonical actors of the sentence, and the place of the event (a locative phrase of the trigger).

    The entity that is the place is not also an actor ("talks in Moscow")."""
    if trigger.pos_ in ("VERB", "AUX"):
        place = _clause_place(entities, sent, trigger, typ)
    else:
        place = _noun_place(entities, trigger)
    skip = place.start if place is not None else -1
    actors = dict.fromkeys(name for start, name in entities.actors(sent.start, sent.end) if start != skip)
    return list(actors), _place_name(place) if place is not None else None


def _clause_place(entities: Entities, sent: Span, verb: Token, typ: str) -> Span | None:
    """The first place in the verb's clause that a locative preposition introduces ("met in Hanoi"),
    or that is the object of a visit or an attack."""
    for e in entities.within(sent.start, sent.end):
        if e.label_ not in _PLACE or not entities.in_subtree(e.root, verb):
            continue
        head = e.root.head
        if (e.root.dep_ == "pobj" and head.lower_ in _LOCATIVE_PREPS) or (
            e.root.dep_ == "dobj" and head.i == verb.i and typ in _PLACE_OBJECT_TYPES
        ):
            return e
    return None


def _noun_place(entities: Entities, noun: Token) -> Span | None:
    """The place of an event noun: the first place in its last locative complement ("the summit in
    Hanoi")."""
    place: Span | None = None
    for c in noun.rights:
        if c.dep_ == "prep" and c.lower_ in _LOCATIVE_PREPS:
            place = next((e for e in entities.within(c.i, c.right_edge.i + 1) if e.label_ in _PLACE), place)
    return place


def _place_name(place: Span) -> str:
    """A country by its canonical name when the text names it as such, any other place as written."""
    hit = canonical(place.text, "GPE")
    if hit and hit[1] == "country" and place.label_ == "GPE" and _is_country_name(place.text):
        return hit[0]
    return _POSSESSIVE_S.sub("", place.text)


def _is_country_name(text: str) -> bool:
    hit = canonical(text, "GPE")
    return hit is not None and _POSSESSIVE_S.sub("", text).strip().lower() == hit[0].lower()


def last_person(entities: list[Span]) -> str | None:
    """The person named last among a sentence's entities (not a scan of the whole document)."""
    for e in reversed([e for e in entities if e.label_ == "PERSON"]):
        hit = canonical(e.text, "PERSON")
        if hit:
            return hit[0]
    return None


def refers_to_a_person(trigger: Token) -> bool:
    """A personal pronoun among the event's own arguments ("sentenced her", "she was detained")."""
    clause = trigger if trigger.pos_ in ("VERB", "AUX") else trigger.head
    near = [*clause.children, *trigger.children]
    near += [
        g for c in near if c.dep_ in ("nsubj", "nsubjpass", "dobj") for g in c.children
    ]  # "upheld her conviction"
    return any(
        c.lower_ in _PERSONAL_PRONOUNS and c.dep_ in ("nsubj", "nsubjpass", "dobj", "poss", "pobj")
        for c in near
    )


def _preorder(doc: Doc) -> tuple[list[int], list[int]]:
    """Each token's place in a depth-first walk of the parse (``first``) and the place after its last
    descendant (``after``): ``b`` is in the subtree of ``a`` when ``first[a] <= first[b] < after[a]``."""
    n = len(doc)
    heads = [i + int(rel) for i, rel in enumerate(doc.to_array([HEAD]).astype("int64").ravel())]
    children: list[list[int]] = [[] for _ in range(n)]
    for i, h in enumerate(heads):
        if h != i:
            children[h].append(i)
    first, after = [0] * n, [0] * n
    clock = 0
    for root in (i for i, h in enumerate(heads) if h == i):
        stack = [(root, False)]
        while stack:
            tok, done = stack.pop()
            if done:
                after[tok] = clock
                continue
            first[tok] = clock
            clock += 1
            stack.append((tok, True))
            stack.extend((c, False) for c in children[tok])
    return first, after
