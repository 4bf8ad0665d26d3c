"""The sides of a match and the bodies a town's name stands for: the small model takes "Harwick"
for a place in "beat Harwick", "a defeat at Harwick" and "Harwick beat Kelso", where it is a side.
Read by :mod:`dateline.events.names`, :mod:`dateline.events.spans` and the participants and titles;
split from :mod:`dateline.events.spans`.
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from dateline.events.actors import canonical
from dateline.events.senses import SenseTable
from dateline.vocab import load

_A = load("aliases")
#: verbs whose subject and object are the sides of a match ("Harwick beat Kelso")
CONTEST_VERBS = frozenset(_A["contest_verbs"])
#: verbs whose object is a body one joins or leaves ("joined Ribeira", "left Acme"), or the other
#: side of a match ("beat Harwick", "beating the holders, Harwick City")
_SIDE_VERBS = frozenset(_A["membership_verbs"]) | CONTEST_VERBS
#: nouns of a match ("a defeat", "the final"), which meets the other side "at" its ground
MATCH_NOUNS = SenseTable.default().may_be("sport", "nouns")
#: prepositions that name a match's other side or its ground ("a draw with X", "a defeat at X")
_MATCH_PREPS = frozenset({"at", "with", "against", "to", "over", "by", "versus"})
#: prepositions after which a name says where, not who
WHERE = frozenset({"in", "at", "near", "inside", "outside", "across", "around", "throughout"})


def acting_places(spans: list[Span], orgs: list[str]) -> dict[str, str]:
    """Names the small model took for places that the article uses for a body, never as a place
    (after "in", "at"...) nor as a country: the first words of a body's name ("Ribeira" of
    "Ribeira SC"), the object of a verb one joins or leaves a body by ("joined Ribeira") and the
    sides of a match ("Harwick beat Kelso", "beating the holders, Harwick City", "a defeat at
    Harwick")."""
    out: dict[str, str] = {}
    located: set[str] = set()
    for e in spans:
        if e.label_ != "GPE" or canonical(e.text, "GPE") is not None:
            continue
        if e.root.dep_ == "pobj" and e.root.head.lower_ in WHERE and not match_side(e.root):
            located.add(e.text)
            continue
        words = e.text.casefold().split()
        longer = [
            o for o in orgs if o.casefold().split()[: len(words)] == words and len(o.split()) > len(words)
        ]
        if len(longer) == 1:
            out.setdefault(e.text, longer[0])
        elif _side_object(e.root) or match_side(e.root) or _side_subject(e.root):
            out.setdefault(e.text, e.text)
    return {k: v for k, v in out.items() if k not in located}


def _side_object(root: Token) -> bool:
    """Whether a name is the object of a verb that takes a body or a match's other side, or stands in
    apposition to it ("joined Ribeira", "beating the holders, Harwick City")."""
    obj = root.head if root.dep_ == "appos" else root
    return obj.dep_ == "dobj" and obj.head.lemma_.lower() in _SIDE_VERBS


def misread_object(verb: Token) -> Token | None:
    """The side a match's verb beat or played that the parse read as an adverbial noun, right after
    the verb ("Arsenal beat Tottenham 3-1")."""
    if verb.lemma_.lower() not in CONTEST_VERBS or any(
        c.dep_ == "dobj" and c.pos_ != "NUM" for c in verb.children
    ):
        return None
    return next(
        (
            c
            for c in verb.children
            if c.dep_ == "npadvmod" and c.left_edge.i == verb.i + 1 and c.pos_ == "PROPN"
        ),
        None,
    )


def _side_subject(root: Token) -> bool:
    """Whether a name is the subject of a match's verb ("Harwick beat Kelso 2-1"): a town plays no
    match, its side does."""
    return root.dep_ in ("nsubj", "nsubjpass") and root.head.lemma_.lower() in CONTEST_VERBS


def match_side(root: Token) -> bool:
    """Whether a name is the ground a match was played at, which names the side at home there ("a
    2-1 defeat at Harwick"), or the other side ("a draw with Harwick City", "a loss to Harwick")."""
    prep = root.head
    return root.dep_ == "pobj" and prep.lower_ in _MATCH_PREPS and prep.head.lemma_.lower() in MATCH_NOUNS
