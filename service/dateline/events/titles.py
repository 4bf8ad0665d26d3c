"""An event's title, from its trigger's clause: who did what to whom, or the event noun phrase.

Titles are built from the parse, never from the date words (``skip``: the date and the preposition
that introduces it), and kept short: modifiers and heads, a short complement, no subordinate clauses.
"""

from __future__ import annotations

import re

from spacy.tokens import Token

_VERBS = ("VERB", "AUX")
_NOUNS = ("NOUN", "PROPN")
_SUBJECTS = ("nsubj", "nsubjpass")
_RELATIVE = ("WDT", "WP")
#: the dependents a noun phrase keeps before its head ("the new defence treaty") ...
_LEFT_DEPS = frozenset(
    {"compound", "amod", "poss", "case", "det", "nummod", "quantmod", "nmod", "prep", "pobj"}
)
#: ... and after it ("the treaty with Japan", "Kim's")
_RIGHT_DEPS = frozenset({"prep", "pobj", "compound", "case"})
#: the prepositions whose object completes a title without an object ("met with Putin")
_COMPLEMENT_PREPS = ("to", "with", "in")


def make_title(trigger: Token, skip: set[int]) -> str:
    """Subject, verb and object of the trigger's clause, or the event noun phrase."""
    title = _clause_title(trigger, skip) if trigger.pos_ in _VERBS else _compact(trigger, skip, limit=9)
    title = re.sub(r"\s+", " ", title).strip()
    return title[:1].upper() + title[1:] if title else trigger.text


def _clause_title(verb: Token, skip: set[int]) -> str:
    """ "[agent|subject] verb [particle] [subject of a passive|object|complement]"."""
    own_subject = _own_subject(verb)
    subj = own_subject if own_subject is not None else _borrowed_subject(verb)
    obj = _object(verb, own_subject)
    agent = _agent(verb)
    parts: list[str] = []
    if agent is not None:
        parts.append(_compact(agent, skip, 6))
    elif subj is not None and subj.tag_ not in ("PRP", *_RELATIVE):
        parts.append(_compact(subj, skip, 6))
    particle = " ".join(c.text for c in verb.children if c.dep_ == "prt")
    parts.append(verb.text + (" " + particle if particle else ""))
    if agent is not None and subj is not None:
        parts.append(_compact(subj, skip, 6))  # "was signed by Kim" -> "Kim signed the treaty"
    elif obj is not None:
        parts.append(_compact(obj, skip, 6))
    else:
        parts.append(_complement(verb, skip))
    return " ".join(p for p in parts if p)


def _own_subject(verb: Token) -> Token | None:
    """The clause's subject; for a relative clause whose subject is "which"/"who", the noun it modifies."""
    subj = next((c for c in verb.children if c.dep_ in _SUBJECTS), None)
    if subj is not None and verb.dep_ == "relcl" and subj.tag_ in _RELATIVE and verb.head.pos_ in _NOUNS:
        return verb.head
    return subj


def _agent(verb: Token) -> Token | None:
    """Who did it, in a passive clause: "signed by Kim" -> Kim."""
    return next((g for c in verb.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"), None)


def _borrowed_subject(verb: Token) -> Token | None:
    """The subject of a clause without one: the noun it modifies ("talks held in Paris"), or the
    subject of the clause it completes or continues ("agreed to meet", "met and signed")."""
    if verb.dep_ in ("acl", "relcl", "xcomp", "advcl") and verb.head.pos_ in _NOUNS:
        return verb.head
    if verb.dep_ in ("xcomp", "advcl", "conj"):
        return next((c for c in verb.head.children if c.dep_ in _SUBJECTS), None)
    return None


def _object(verb: Token, own_subject: Token | None) -> Token | None:
    """The clause's object; for a relative clause with its own subject, the noun it modifies
    ("the treaty that Kim signed")."""
    obj = next((c for c in verb.children if c.dep_ in ("dobj", "attr", "dative")), None)
    if (
        obj is None
        and verb.dep_ in ("relcl", "acl")
        and own_subject is not None
        and own_subject.i != verb.head.i
        and verb.head.pos_ in _NOUNS
    ):
        return verb.head
    return obj


def _complement(verb: Token, skip: set[int]) -> str:
    """ "to Paris", "with Putin": a prepositional complement standing in for a missing object."""
    prep = next(
        (
            c
            for c in verb.children
            if c.dep_ == "prep" and c.lower_ in _COMPLEMENT_PREPS and not any(g.i in skip for g in c.subtree)
        ),
        None,
    )
    pobj = next((g for g in prep.children if g.dep_ == "pobj"), None) if prep is not None else None
    return f"{prep.text} {_compact(pobj, skip, 4)}" if prep is not None and pobj is not None else ""


def _compact(tok: Token, skip: set[int], limit: int = 7) -> str:
    """A short noun phrase for ``tok``: modifiers and the head, a short complement, no clauses or dates."""
    words: list[Token] = []
    _phrase(tok, skip, words, top=True)
    words.sort(key=lambda t: t.i)
    if len(words) > limit:
        words = [w for w in words if w.i <= tok.i][-limit:]
    text = " ".join(w.text for w in words)
    text = re.sub(r"\s+(['’]s|['’])\b", r"\1", text)
    return re.sub(r"\s+([,.;:)])", r"\1", text).replace("( ", "(").strip(" ,;:—-–‘’'\"“”")


def _phrase(tok: Token, skip: set[int], words: list[Token], *, top: bool) -> None:
    """Collect the words of ``tok``'s short phrase into ``words``; at the ``top`` a coordination is
    kept whole ("France, Spain and Italy") and so is one prepositional complement."""
    for c in tok.lefts:
        if c.i not in skip and c.dep_ in _LEFT_DEPS:
            _phrase(c, skip, words, top=False)
    words.append(tok)
    for c in tok.rights:
        if c.i in skip:
            continue
        if top and (c.dep_ in ("conj", "cc") or (c.dep_ == "punct" and c.text == ",")):
            if c.dep_ == "conj":
                _phrase(c, skip, words, top=True)
            else:
                words.append(c)
        elif c.dep_ in _RIGHT_DEPS and (
            c.dep_ != "prep" or (top and not any(g.i in skip for g in c.subtree))
        ):
            _phrase(c, skip, words, top=False)
