"""Whether a name in an event's argument says who took part or where: one of a nation ("the
Ukrainian") is a person, a country in "talks in Russia" is where, a name after "at" is a place unless
it is shaped like a body or is the other side of a match, a place and "county" that act are a local
government. Read by :mod:`dateline.events.participants`; split from it.
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from dateline.events.actors import actor_kind, canonical
from dateline.events.entities import Entities
from dateline.events.names import BODY_ROLES
from dateline.events.sides import MATCH_NOUNS
from dateline.vocab import load

_A = load("aliases")
_PLACE = ("GPE", "LOC", "FAC")
_SUBJECTS = ("nsubj", "nsubjpass", "csubj")
#: prepositions whose object is where the event happened, not who took part
LOCATIVE = frozenset(
    {"in", "at", "near", "inside", "outside", "across", "through", "throughout", "on", "around"}
)
_LOCAL_BODIES = frozenset(_A["local_bodies"])
#: people named by the body they are at ("researchers at Acme")
_MEMBER_NOUNS = frozenset(_A["member_nouns"])
#: how the words for one of a nation end ("the Ukrainian", "the Norwegian", "the Israeli")
_DEMONYM_ENDINGS = ("an", "ese", "ish", "ch", "i")


def one_of_a_nation(e: Span) -> bool:
    """Whether a nationality names one person ("the Ukrainian", "the 44-year-old Norwegian"), not
    the country ("Ukrainian forces")."""
    root = e.root
    hit = canonical(e.text, "GPE") if len(e) == 1 else None
    return (
        hit is not None
        and hit[1] == "country"
        and hit[0].casefold() != e.text.casefold()
        and e.text.endswith(_DEMONYM_ENDINGS)
        and root.dep_ not in ("amod", "compound", "poss")
        and any(c.lower_ == "the" for c in root.lefts)
    )


def known_body(word: str) -> str | None:
    """The body a word names in the reference data ("BRICS", "NATO"), not a word merely capitalised."""
    hit = canonical(word, "")
    return hit[0] if hit is not None and hit[1] == "organisation" else None


def at_place(e: Span, name: str) -> bool:
    """Whether a name after "at" may be a place: only a body by its name's shape ("his spell at
    Acme United") or the other side of a match ("a 2-1 defeat at Harwick": at their ground) takes
    part; "reporters at Northolt" says where."""
    prep = e.root.head
    if e.root.dep_ != "pobj" or prep.lower_ != "at" or actor_kind(name) == "organisation":
        return False
    if prep.head.lemma_.lower() in _MEMBER_NOUNS and e.label_ == "ORG":
        return False  # "researchers at the University of Oxford": the body they work at
    return not (prep.head.pos_ == "NOUN" and prep.head.lemma_.lower() in MATCH_NOUNS)


def local_body(entities: Entities, tok: Token) -> str | None:
    """The local government a place and a noun name when it acts: "Kent county announced" ->
    "Kent County"."""
    if tok.lemma_.lower() not in _LOCAL_BODIES or tok.dep_ not in _SUBJECTS:
        return None
    place = next((c for c in tok.lefts if c.dep_ == "compound" and c.ent_type_ in _PLACE), None)
    e = entities.at(place) if place is not None else None
    return f"{e.text} {tok.text.title()}" if e is not None and e.end == tok.i else None


def where_not_who(e: Span) -> bool:
    """Whether a country is where the event is, not who takes part: "talks in Russia", "the UK's
    antitrust watchdog" (the watchdog acts, in the UK)."""
    root = e.root
    if root.dep_ == "pobj" and root.head.lower_ in LOCATIVE:
        return True
    head = root.head
    return (
        root.dep_ in ("poss", "compound", "amod")
        and head.pos_ == "NOUN"
        and head.lemma_.lower() in BODY_ROLES
    )
