"""The place a clause or a sentence gives an event: a locative phrase of the trigger ("met in
Hanoi", "arrested at Haneda airport"), a place the event noun carries ("the Lahaina wildfire"), the
place a hazard struck ("an earthquake hit Turkey"), the place of the deed an act was done for or in
("to clear a sit-in outside the town hall", "freed in an exchange in Vienna"); else one the
sentence names. Read by :class:`dateline.events.places.Places`, which adds the article's own places.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

from spacy.tokens import Span, Token

from dateline.events.actors import POSTS, canonical
from dateline.vocab import load


class Places(Protocol):
    """What the finders read of a document's places (:class:`dateline.events.places.Places`)."""

    event_nouns: Mapping[str, str]
    all_spans: list[Span]

    def entity(self, tok: Token) -> Span | None: ...

    def described(self, noun: Token) -> str | None: ...

    def within(self, start: int, end: int) -> list[Span]: ...


_A = load("aliases")
LOCATIVE = (
    "in",
    "at",
    "near",
    "inside",
    "outside",
    "across",
    "through",
    "throughout",
    "on",
    "around",
    "off",
)
_TOWARDS = ("to", "into")
#: prepositions that say where a site is ("the spaceport in Kourou")
_IN = ("in", "at", "near")
#: event types that happen where they leave from: a launch "from Kourou", "lifted off from the pad"
_FROM_TYPES = ("science",)
#: nouns for a place whose name follows "of" ("the town of Lahaina", "the island of Crete")
PLACE_NOUNS = frozenset(_A["place_nouns"])
#: nouns for a building or site a place name may qualify ("Haneda airport", "Manhattan federal court")
SITE_NOUNS = frozenset(_A["site_nouns"])
#: event kinds a place name before the noun locates ("the Kent wildfires", "the Lahaina fire")
HAZARD_TYPES = frozenset({"disaster", "accident"})
#: nouns for a part of the place named after their "of" ("the outskirts of Kherson", "the tarmac
#: of Vienna airport")
_PARTS = frozenset(_A["part_nouns"])
#: nouns a body is introduced by ("the UK regulator")
_BODY_NOUNS = frozenset(_A["body_roles"])


def clause_place(places: Places, trigger: Token, typ: str, place_objects: tuple[str, ...]) -> str | None:
    """The place the trigger's own clause or phrase gives."""
    if trigger.pos_ in ("VERB", "AUX"):
        if trigger.dep_ in ("relcl", "acl") and trigger.head.pos_ in ("NOUN", "PROPN"):
            found = object_place(
                places, trigger.head, typ in place_objects
            )  # "the region, which was occupied"
            if found:
                return found
        for c in trigger.children:
            if c.dep_ == "prep" and (c.lower_ in LOCATIVE or (c.lower_ == "from" and typ in _FROM_TYPES)):
                found = pobj_place(places, c) or _scene_place(places, c)
                if found:
                    return found
        if typ in _FROM_TYPES:  # "launched on an Ariane 6 rocket from Kourou": the parse hangs it lower
            lower = (p for c in trigger.children if c.dep_ == "prep" for g in c.children for p in g.children)
            found = next((f for p in lower if p.lower_ == "from" and (f := pobj_place(places, p))), None)
            if found:
                return found
        for c in trigger.children:
            if c.dep_ == "dobj":  # "visited Hanoi", "burned the town of Lahaina"
                found = object_place(places, c, True, named=typ in place_objects)
                if found:
                    return found
            if c.dep_ == "prep" and c.lower_ in _TOWARDS:
                found = pobj_place(places, c)
                if found:
                    return found
        for c in trigger.children:  # "the valley was hit by floods": the place a hazard struck
            if c.dep_ == "nsubjpass" and typ in HAZARD_TYPES:
                found = object_place(places, c, True)
                if found:
                    return found
        for c in trigger.children:  # "the talks in Hanoi": a place of the clause's subject or object
            if c.dep_ in ("nsubj", "nsubjpass", "dobj"):
                found = noun_place(places, c)
                if found:
                    return found
        for c in trigger.children:  # "the UK's antitrust watchdog blocked ...": its country
            if (
                c.dep_ in ("nsubj", "nsubjpass", "dobj")
                and c.ent_type_ != "PERSON"
                and c.lemma_.lower() not in POSTS
                and (c.dep_ != "dobj" or c.lemma_.lower() in _BODY_NOUNS)  # not "released Israeli hostages"
            ):
                e = next((places.entity(m) for m in c.lefts if m.dep_ in ("poss", "compound", "amod")), None)
                if e is not None and is_country(e):
                    return country_of(e)
        return _purpose_place(places, trigger) or _place_of_purpose(places, trigger)
    return noun_place(places, trigger)


def _purpose_place(places: Places, verb: Token) -> str | None:
    """The place of the clause a purpose or a following deed belongs to: "travelled to Pyongyang to
    sign a treaty", "arrived in Hanoi and signed" happen there."""
    if verb.dep_ not in ("xcomp", "advcl", "conj") or verb.head.pos_ != "VERB":
        return None
    if verb.dep_ != "conj" and not any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children):
        return None
    for c in verb.head.children:
        if c.dep_ == "prep" and (c.lower_ in LOCATIVE or c.lower_ in _TOWARDS) and c.i < verb.i:
            found = pobj_place(places, c)
            if found:
                return found
    return None


def _place_of_purpose(places: Places, verb: Token) -> str | None:
    """The place of the deed a verb was done for, when the verb gives none: "used tear gas to clear
    a sit-in outside the town hall" happened there."""
    for c in verb.children:
        if c.dep_ == "xcomp" and any(a.dep_ == "aux" and a.lower_ == "to" for a in c.children):
            for g in c.children:
                if g.dep_ == "prep" and g.lower_ in LOCATIVE:
                    found = pobj_place(places, g)
                    if found:
                        return found
    return None


def noun_place(places: Places, noun: Token) -> str | None:
    """The place an event noun carries: a locative complement ("the summit in Hanoi"), or a place
    name qualifying it ("the Lahaina wildfire", "Hawaii's wildfires")."""
    for c in noun.children:
        if c.dep_ == "prep" and c.lower_ in LOCATIVE:
            found = pobj_place(places, c)
            if found:
                return found
    eventful = noun.lemma_.lower() in places.event_nouns
    for c in noun.children:  # "the death toll from the Kent wildfires", "a series of earthquakes in Herat"
        if c.dep_ == "prep" and (c.lower_ == "of" or (c.lower_ == "from" and eventful)):
            inner = next((g for g in c.children if g.dep_ == "pobj"), None)
            if (
                inner is not None
                and inner.pos_ == "NOUN"
                and inner.lemma_.lower() in places.event_nouns
                and inner.i != noun.i
            ):
                found = noun_place(places, inner)
                if found:
                    return found
    own = places.entity(noun)  # "Ribeira SC" itself is no place its "Ribeira" qualifies
    for c in noun.children:
        e = places.entity(c) if c.dep_ in ("compound", "poss", "nmod", "amod") else None
        if e is not None and own is not None and e.start == own.start:
            continue
        if e is not None and e.label_ != "NORP" and not is_country(e):
            return e.text
        if e is not None and e.label_ == "NORP" and is_country(e) and eventful:
            return country_of(e)  # "the Sri Lankan presidential election"; not "Israeli hostages"
    if places.event_nouns.get(noun.lemma_.lower()) in HAZARD_TYPES:
        struck = _struck(places, noun)  # "the fire destroyed Kelso", "Kelso was destroyed by the fire"
        if struck:
            return struck
        # "the Lahaina wildfire": a hazard's name is its place, whatever the small model says
        for c in noun.children:
            if c.dep_ == "compound" and c.pos_ == "PROPN":
                e = next((x for x in places.all_spans if x.start <= c.i < x.end), None)
                if e is not None and e.label_ in ("ORG", "GPE", "LOC", "FAC"):
                    return e.text
    return None


def _struck(places: Places, hazard: Token) -> str | None:
    """The place a hazard named as the doer of a verb struck: its object, or the passive's subject."""
    verb = hazard.head.head if hazard.dep_ == "pobj" and hazard.head.dep_ == "agent" else hazard.head
    if verb.pos_ != "VERB" or not (hazard.dep_ == "nsubj" or verb is not hazard.head):
        return None
    target = next((c for c in verb.children if c.dep_ in ("dobj", "nsubjpass")), None)
    return object_place(places, target, True) if target is not None else None


def _scene_place(places: Places, prep: Token) -> str | None:
    """The place of the event a deed was done in ("freed in a prisoner exchange in Vienna", "killed
    in a crash near Lyon"): the deed's own."""
    scene = next((g for g in prep.children if g.dep_ == "pobj"), None)
    if scene is None or scene.lemma_.lower() not in places.event_nouns:
        return None
    return noun_place(places, scene)


def pobj_place(places: Places, prep: Token) -> str | None:
    """The place a preposition's object names, or the place its own "in" names ("died at her home in
    Los Angeles", "met at a hotel in Vienna")."""
    pobj = next((g for g in prep.children if g.dep_ == "pobj"), None)
    if pobj is None:
        return None
    return object_place(places, pobj, True) or _inner_place(places, pobj)


def _inner_place(places: Places, noun: Token) -> str | None:
    """The place an "in" of ``noun``'s own phrase names, no clause's: "at her home in X", "on the
    sidelines of the summit in X", "Europe's spaceport in Kourou"."""
    inner = (p for p in noun.subtree if p.dep_ == "prep" and p.lower_ in _IN and _in_phrase(p, noun))
    return next((f for p in inner if (f := pobj_place(places, p))), None)


def _in_phrase(tok: Token, head: Token) -> bool:
    """Whether ``tok`` hangs on ``head`` through nouns and prepositions only, no clause."""
    while tok.i != head.i:
        tok = tok.head
        if tok.pos_ in ("VERB", "AUX"):
            return False
    return True


def object_place(places: Places, tok: Token, countries: bool, *, named: bool = True) -> str | None:
    """The place a noun phrase names: a place entity (unless not ``named``), "the town of X", or a
    site "X airport"."""
    e = places.entity(tok)
    if named and e is not None and e.label_ != "NORP" and (countries or not is_country(e)):
        return e.text
    low = tok.lemma_.lower() if tok.text.islower() else ""  # "the town of", not "Leicester City"
    if low in PLACE_NOUNS:
        proper = next((c for c in tok.lefts if c.dep_ in ("compound", "nmod") and c.pos_ == "PROPN"), None)
        if proper is not None:  # "Russia's Kursk region"
            e = places.entity(proper)
            return e.text if e is not None else proper.text
        of = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"), None)
        name = next((g for g in of.children if g.dep_ == "pobj"), None) if of is not None else None
        if name is not None and name.pos_ == "PROPN":
            e = places.entity(name)
            # the name's own words: not a second place joined to it ("the towns of Harlow and Mere")
            words = (t.text for t in name.subtree if t.pos_ == "PROPN" and t.i <= name.i)
            return e.text if e is not None else " ".join(words)
        if of is None and any(c.lower_ == "the" for c in tok.lefts):  # "the valley": the one named
            return places.described(tok)
    if low in SITE_NOUNS:
        names = [c for c in tok.lefts if c.dep_ in ("compound", "nmod", "amod") and c.pos_ == "PROPN"]
        if names:
            return tok.doc[names[0].i : tok.i + 1].text
        where = _inner_place(places, tok)
        if where is not None:  # "from Europe's spaceport in Kourou": in Kourou, not Europe
            return where
        owner = next((places.entity(c) for c in tok.lefts if c.dep_ == "poss"), None)
        if owner is not None:  # "outside Bristol's town hall": in Bristol
            return owner.text
    site = next((c for c in tok.lefts if c.dep_ == "compound" and c.lemma_ in SITE_NOUNS), None)
    if site is not None and site.text.islower():  # "at a Manhattan court hearing"
        names = [c for c in (*tok.lefts, *site.lefts) if c.dep_ in ("compound", "nmod") and c.pos_ == "PROPN"]
        first = min((c.i for c in names if c.i < site.i), default=None)
        if first is not None:
            return tok.doc[first : site.i + 1].text
    of = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"), None)
    if of is not None and low in _PARTS:
        inner = next((g for g in of.children if g.dep_ == "pobj"), None)
        return object_place(places, inner, countries, named=named) if inner is not None else None
    return None


def sentence_place(places: Places, sent: Span, trigger: Token) -> str | None:
    """A place the sentence names in a locative phrase, or as "the town of X"; not the place of
    another event it names ("after his arrest in the Bahamas")."""
    for tok in sent:
        if tok.dep_ == "prep" and tok.lower_ in LOCATIVE:
            head = tok.head
            if head.i != trigger.i and head.pos_ == "NOUN" and head.lemma_.lower() in places.event_nouns:
                continue
            found = pobj_place(places, tok)
            if found:
                return found
    for tok in sent:  # a common noun: "Leicester City" is a name, not "the city of"
        if tok.text.islower() and tok.lemma_ in PLACE_NOUNS:
            found = object_place(places, tok, True)
            if found:
                return found
    return None


def sentence_country(places: Places, sent: Span) -> str | None:
    """A country the sentence gives an event or a body: "the Sri Lankan presidential election",
    "urged the UK regulator"."""
    for e in places.within(sent.start, sent.end):
        head = e.root.head
        if (
            e.root.dep_ in ("compound", "amod", "poss")
            and (head.lemma_.lower() in places.event_nouns or head.lemma_.lower() in _BODY_NOUNS)
            and is_country(e)
        ):
            return country_of(e)
    return None


def country_of(e: Span) -> str:
    hit = canonical(e.text, "GPE")
    return hit[0] if hit is not None else e.text


def is_country(e: Span) -> bool:
    hit = canonical(e.text, "GPE")
    return hit is not None and hit[1] == "country"
