"""The named entities of one document, listed once and repaired, with what the event rules ask of
them: the entities of a token range, the entity of a token, whether a token lies below a trigger, and
each entity's name in the article (:class:`Names`) and place (:class:`Places`)."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Mapping

from spacy.tokens import Doc, Span, Token

from dateline.events.actors import canonical, is_name
from dateline.events.ages import ages, described_age
from dateline.events.clause_places import HAZARD_TYPES
from dateline.events.names import Names, base_name
from dateline.events.person_titles import STATE_ROLES
from dateline.events.places import Places
from dateline.events.spans import office_of, preorder, repaired
from dateline.vocab import load

_A = load("aliases")
#: institutions a bare definite description names as its country ("the government declared")
_STATE_BODIES = frozenset(_A["state_bodies"])
_TITLE_WORDS = frozenset(
    {"minister", "ministry", "secretary", "department", "chief", "spokesman", "spokeswoman"}
)
_POSSESSIVE_S = re.compile(r"['’]s$")


class Entities:
    """The named entities of one document (people, organisations, places), listed once, repaired
    where the small model cuts names ("Joost" + "ten Broek", "Election Commission of" + "Sri Lanka"),
    with what the rules ask of them: the entities of a token range, the entity of a token, whether a
    token lies below a trigger, and each entity's name in the article (:class:`Names`).

    ``doc.ents`` rebuilds its list on every access, so asking it per sentence made extraction
    quadratic; here the spans inside a token range are found by bisection. ``event_nouns`` are the
    trigger nouns: an organisation named after an event ("the Paris Conference") is no actor.
    """

    def __init__(self, doc: Doc, event_nouns: Mapping[str, str]) -> None:
        self.doc = doc
        self.event_nouns = event_nouns
        self.spans: list[Span] = repaired(doc)
        self.starts = [e.start for e in self.spans]
        self._tree: tuple[list[int], list[int]] | None = None
        self._names: Names | None = None
        self._places: Places | None = None
        self._ages: dict[int, list[str]] | None = None
        self._main_body: str | None = None

    @property
    def names(self) -> Names:
        if self._names is None:
            # a word of the dateline ("MANCHESTER:") is nobody a pronoun could stand for
            self._names = Names(
                self.doc, [e for e in self.spans if not self.places.in_dateline(e.start_char)]
            )
        return self._names

    @property
    def places(self) -> Places:
        if self._places is None:
            self._places = Places(self.doc, self.spans, self.event_nouns)
        return self._places

    def state_body(self, tok: Token) -> str | None:
        """The country a bare "the (new) government" or "the parliament" acts for: the one the article is
        about (its dateline's or main place's country), else the one named last before it."""
        lefts = list(tok.lefts)
        if (
            tok.lemma_.lower() not in _STATE_BODIES
            or not lefts
            or lefts[0].lower_ != "the"
            or not all(c.dep_ == "amod" and c.pos_ == "ADJ" and not c.ent_type_ for c in lefts[1:])
        ):
            return None  # "the government", "the new government"; not "the Kent police"
        own = self.places.own_place
        hit = canonical(own.split(",")[-1].strip(), "GPE") if own else None
        if hit is not None and hit[1] == "country":
            return hit[0]
        return self.names.country_before(tok)

    def main_body(self) -> str | None:
        """The body the article is about: an organisation it names at least three times, twice as
        often as any other."""
        if self._main_body is None:
            counts = Counter(n for _, n, _ in self.names.bodies if n not in self.names.countries)
            top = counts.most_common(2)
            found = (
                top[0][0] if top and top[0][1] >= 3 and (len(top) == 1 or top[0][1] >= 2 * top[1][1]) else ""
            )
            self._main_body = found
        return self._main_body or None

    def aged(self, tok: Token) -> str | None:
        """The person a description by age names ("the 58-year-old"): the one the article gives that
        age ("Martin Lyle, 58,"); when it gives it nobody, the person named last before as a subject
        (or the only one named), unless the article gives them another age."""
        age = described_age(tok)
        if age is None:
            return None
        if self._ages is None:
            people = [e for e in self.spans if e.label_ == "PERSON"]
            self._ages = ages(self.doc, people, self._person)
        found = self._ages.get(age, [])
        if found:
            return found[0] if len(found) == 1 else None
        last = self.names.person_before(tok, sure=True)
        return last if not any(last in named for named in self._ages.values()) else None

    def _person(self, e: Span) -> str | None:
        hit = self.actor(e)
        return hit[0] if hit is not None and hit[1] == "person" else None

    def in_subtree(self, tok: Token, head: Token) -> bool:
        """Whether ``tok`` is ``head`` or one of its descendants, in constant time."""
        if self._tree is None:
            self._tree = preorder(self.doc)
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

    def at(self, tok: Token) -> Span | None:
        """The entity ``tok`` is part of, if any."""
        i = bisect_left(self.starts, tok.i + 1) - 1
        if i >= 0 and self.spans[i].start <= tok.i < self.spans[i].end:
            return self.spans[i]
        return None

    def actor(self, e: Span) -> tuple[str, str] | None:
        """(name in the article, kind) of the actor entity ``e`` names, or None when it names none:
        a place, a country in the title of a person who does not act for it ("US District Judge
        Ann Wells"), a word of the dateline."""
        country = self.names.compass_country(e) if e.label_ in ("LOC", "GPE", "NORP") else None
        if country is not None:  # "reunification with the South": South Korea
            return country, "country"
        if e.label_ in ("LOC", "FAC") or (e.label_ == "ORG" and _named_after_event(e, self.event_nouns)):
            return None
        office = office_of(e[-1])
        if office is not None:  # "Kremlin spokesman Oleg Marin": the office he works for
            return office, "organisation"
        if self.places.in_dateline(e.start_char) or self.names.is_place(e) or _in_title(e):
            return None
        if e.label_ == "ORG" and e.end < len(self.doc) and self.doc[e.end].lower_ in _TITLE_WORDS:
            return None  # "Interior Minister Pavel Hanák": a portfolio, not an actor
        hit = base_name(e) or self.names.short_body(e) or self.names.acting_place(e)
        if hit is None and e.label_ in ("GPE", "NORP"):
            known = self.names.known(_POSSESSIVE_S.sub("", e.text), exact=True)
            if known is not None:  # "Manchester United" taken for a place or a nationality
                return known, "organisation"
        if hit is None and e.label_ == "GPE" and e.root.dep_ in ("nsubj", "nsubjpass", "poss", "agent"):
            # a country missing from the alias table acts all the same: "Castrela's central bank"
            name = _POSSESSIVE_S.sub("", e.text).strip()
            return (name, "country") if is_name(name) else None
        if hit is None:
            return None
        return self.names.full(hit[0], hit[1], e.start)


def _named_after_event(e: Span, event_nouns: Mapping[str, str]) -> bool:
    """Whether a body's name is an event's ("the Paris Conference"); a hazard's word ends names of
    companies too ("Northwind Blizzard")."""
    kind = event_nouns.get(e.root.lemma_.lower())
    return kind is not None and kind not in HAZARD_TYPES


def _in_title(e: Span) -> bool:
    """Whether the place ``e`` only qualifies a person's title ("US District Judge Ann Wells"),
    unless the title is one that acts for the country ("Russian President Vladimir Putin")."""
    if e.label_ not in ("GPE", "NORP"):
        return False
    doc = e.doc
    end = e.end
    while end < len(doc) and doc[end].pos_ in ("PROPN", "NOUN") and doc[end].ent_type_ != "PERSON":
        end += 1
    if end == e.end or end >= len(doc) or doc[end].ent_type_ != "PERSON":
        return False
    title = {t.lower_ for t in doc[e.end : end]}
    return not title & STATE_ROLES
