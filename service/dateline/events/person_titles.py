"""What the title or description beside a person's name says: the roles the text gives them ("US
District Judge Ann Wells", "Ann Reed, administrator of the agency") and the country a head of state,
minister or envoy serves ("Russian President Vladimir Putin"). Read by :mod:`dateline.events.names`;
split from it.
"""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Span, Token

from dateline.events.actors import canonical
from dateline.vocab import load

_A = load("aliases")
_SUBJECTS = ("nsubj", "nsubjpass", "csubj")
#: role nouns a description may name a person by ("the judge", "the Russian president")
ROLES = frozenset(_A["roles"])
#: titles of those who act for their country: "Russian President Vladimir Putin" names Russia too
STATE_ROLES = frozenset(_A["state_roles"])


def country_served(person: Span) -> str | None:
    """The country whose head of state or government, minister or envoy the title before a
    person's name makes them ("Russian President Vladimir Putin", "North Korea's leader Kim")."""
    words = title_of(person, possessive=True)  # with a country's "'s" ("North Korea's leader")
    if not {t.lower_ for t in words} & STATE_ROLES:
        return None
    for t in words:
        if t.ent_type_ in ("GPE", "NORP"):
            hit = canonical(_entity_text(t), "GPE")
            if hit is not None and hit[1] == "country":
                return hit[0]
    return None


def _entity_text(tok: Token) -> str:
    start, end = tok.i, tok.i + 1
    doc = tok.doc
    while start > 0 and doc[start].ent_iob_ == "I":
        start -= 1
    while end < len(doc) and doc[end].ent_iob_ == "I":
        end += 1
    return doc[start:end].text


def title_of(person: Span, *, possessive: bool = False) -> Span:
    """The title words before a person's name ("US District Judge", "Acme assistants"; with
    ``possessive``, across a "'s" too)."""
    doc = person.doc
    kinds = ("PROPN", "NOUN", "ADJ", "PART") if possessive else ("PROPN", "NOUN", "ADJ")
    start = person.start
    while start > 0 and doc[start - 1].pos_ in kinds and doc[start - 1].ent_type_ != "PERSON":
        start -= 1
    return doc[start : person.start]


def roles_of(e: Span) -> Iterator[tuple[str, str]]:
    """(role noun, title words) that the text gives the person ``e``: a title before the name ("US
    District Judge Ann Wells") or a description in apposition ("Ann Reed, administrator of
    the agency"; "the city's top emergency official, Tom Hale")."""
    doc = e.doc
    words = title_of(e)
    title = words.text
    for w in words:
        if w.lower_ in ROLES or w.lemma_.lower() in ROLES:
            yield w.lemma_.lower(), title
    root = e.root
    verb = root.head
    if root.dep_ in _SUBJECTS and verb.lemma_.lower() in ("be", "name", "appoint", "elect", "make", "become"):
        for c in verb.children:  # "Anna Berg was named the city's top emergency official"
            if c.dep_ in ("attr", "oprd", "xcomp") and c.pos_ == "NOUN" and c.lemma_.lower() in ROLES:
                yield c.lemma_.lower(), doc[c.left_edge.i : c.i + 1].text
    for c in root.children:
        if c.dep_ == "appos" and c.pos_ == "NOUN" and c.lemma_.lower() in ROLES:
            yield c.lemma_.lower(), doc[c.left_edge.i : c.i + 1].text
    if root.dep_ == "appos" and root.head.pos_ == "NOUN" and root.head.lemma_.lower() in ROLES:
        h = root.head
        yield h.lemma_.lower(), doc[h.left_edge.i : h.i + 1].text
