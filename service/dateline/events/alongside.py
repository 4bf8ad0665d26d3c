"""Events a date dates beside the one it is attached to: what an "as" clause tells as happening then
("resigned on Monday as protesters stormed the palace"), and the purpose of a journey ("flew to
Paris to sign a treaty"). Read by :mod:`dateline.events.mentions`; split from
:mod:`dateline.events.triggers`.
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from dateline.events.triggers import EventFinder, Trigger

_VERBS = ("VERB", "AUX")
#: happenings an "as" clause of a dated event tells as under way then, whatever it explains: "trains
#: were cancelled on Monday as drivers staged a walkout" (the walkout, Monday)
_UNDER_WAY_TYPES = frozenset({"protest", "combat", "disaster", "accident"})


def simultaneous_events(finder: EventFinder, trigger: Trigger, span: Span) -> list[Trigger]:
    """An "as" clause right after a date happened then too: "after Y's departure on Monday as X took
    over" (the departure and the taking over, both Monday); one the dated verb governs only when it
    tells a happening under way (:data:`_UNDER_WAY_TYPES`), not how the dated event came about."""
    doc = span.doc
    mark = doc[span.end] if span.end < len(doc) else None
    if mark is None or mark.lower_ != "as":
        return []
    verb = mark.head if mark.dep_ == "mark" else _verb_after_subject(mark)
    if verb is None or trigger.token.i == verb.i or verb.tag_ != "VBD":
        return []
    if mark.dep_ == "mark" and not any(c.dep_ == "nsubj" for c in verb.children):
        return []
    found = _event_of_clause(finder, verb)
    if found is None or not finder.facts.factual(verb):
        return []
    if trigger.token.i == verb.head.i and found.type not in _UNDER_WAY_TYPES:
        return []  # "prices fell on Monday as investors sold": how the dated event came about
    return [found]


def _event_of_clause(finder: EventFinder, verb: Token) -> Trigger | None:
    """The event a clause tells: its verb's, or, for a verb that names none, its object's ("staged a
    walkout")."""
    sense = finder.types.verb_sense(verb)
    if sense is not None:
        return Trigger(verb, sense.type, subtype=sense.subtype)
    for obj in verb.children:
        noun = finder.types.noun_sense(obj) if obj.dep_ == "dobj" else None
        if noun is not None:
            return Trigger(obj, noun.type, subtype=noun.subtype)
    return None


def purpose_events(finder: EventFinder, trigger: Trigger) -> list[Trigger]:
    """Travel with a purpose names two events: "flew to Paris to sign a treaty"."""
    if trigger.type != "visit":
        return []
    out = []
    for c in trigger.token.children:
        if c.dep_ in ("advcl", "xcomp") and any(a.lower_ == "to" for a in c.children if a.dep_ == "aux"):
            sense = finder.types.verb_sense(c)
            if sense is not None and sense.type in ("agreement", "meeting"):
                out.append(Trigger(c, sense.type, subtype=sense.subtype))
    return out


def _verb_after_subject(conj: Token) -> Token | None:
    """The verb of a clause "as" opens that the parser read as a preposition and its object ("as
    assistant coach Kim Ho assumed charge"): the first verb after a plain noun phrase."""
    for tok in conj.doc[conj.i + 1 : min(conj.sent.end, conj.i + 9)]:
        if tok.pos_ in _VERBS:
            return tok if tok.i > conj.i + 1 else None
        if tok.pos_ not in ("DET", "ADJ", "NOUN", "PROPN", "NUM", "PART"):
            return None
    return None
