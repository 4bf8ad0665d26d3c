"""Who a reported count is attributed to: the body that keeps it takes part in the event it counts.

"The death toll rose to 40 on Monday, according to the Kent County website": the county counts the
dead, and a newsroom looking for its reports of the disaster finds them by it. Only a running count
(``data/aliases.json`` ``tally_nouns``: the death toll, the tally) takes its source; "Acme bought
Bolt, according to two people familiar with the talks" names no participant. The source is read from
the phrase of "according to": a body, a local government named as a place ("the Kent County
website", which the small model tags as a place), the place whose government it names ("the Kerala
government"), or a role description resolved in the article ("the ministry").
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from dateline.events.entities import Entities
from dateline.events.names import BODY_ROLES
from dateline.vocab import load

_A = load("aliases")
_TALLY_NOUNS = frozenset(_A["tally_nouns"])
_LOCAL_BODIES = frozenset(_A["local_bodies"])
_STATE_BODIES = frozenset(_A["state_bodies"])
_PLACES = ("GPE", "LOC")
#: the dependents a source's phrase is read through ("the Kent County website", "the city's council")
_SOURCE_DEPS = frozenset({"compound", "poss", "nmod"})


def tally_sources(entities: Entities, trigger: Token) -> list[str]:
    """The sources a count that ``trigger`` reports is attributed to ("according to ..."), when the
    clause's subject is a running count ("the death toll reached 93"); none otherwise."""
    subjects = [c for c in trigger.children if c.dep_ in ("nsubj", "nsubjpass")]
    if not any(s.lemma_.lower() in _TALLY_NOUNS for s in subjects):
        return []
    names: dict[str, None] = {}
    for prep in trigger.children:
        if prep.lower_ != "according":
            continue
        for to in prep.children:
            for obj in to.children if to.lower_ == "to" else ():
                if obj.dep_ == "pobj":
                    names.update(dict.fromkeys(_source_names(entities, obj)))
    return list(names)


def _source_names(entities: Entities, head: Token) -> list[str]:
    """The names the source phrase headed by ``head`` gives: its entities, else the head as a role."""
    found: list[str] = []
    seen: set[int] = set()
    for tok in (head, *(c for c in head.subtree if c.dep_ in _SOURCE_DEPS)):
        e = entities.at(tok)
        if e is None or e.start in seen:
            continue
        seen.add(e.start)
        name = _entity_source(entities, e, head)
        if name is not None and name not in found:
            found.append(name)
    if not found and head.pos_ == "NOUN":
        name = entities.names.role(head) or entities.state_body(head)
        if name is not None:
            found.append(name)
    return found


def _entity_source(entities: Entities, e: Span, head: Token) -> str | None:
    """The source entity ``e`` names: the actor it is, a local government the small model took for a
    place ("Kent County"), or a place whose own body is the head ("the Kerala government")."""
    if e.label_ not in _PLACES:
        hit = entities.actor(e)
        return hit[0] if hit is not None else None
    words = [t for t in e if t.lower_ != "the" and t.tag_ != "POS"]
    if not words:
        return None
    name = " ".join(t.text for t in words)
    if words[-1].lower_ in _LOCAL_BODIES:
        return name  # "the Kent County website": the county's
    if e.root.i != head.i and head.lemma_.lower() in _STATE_BODIES | BODY_ROLES:
        return name  # "the Kerala government", "the state's ministry"
    return None
