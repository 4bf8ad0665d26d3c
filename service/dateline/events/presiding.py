"""Who presides over an event: the judge the article names, over a trial, a hearing, a verdict or a
sentence that no court of its own decides ("his fraud trial", "he was convicted", "a jury found him
guilty"). Read by :mod:`dateline.events.participants` (the presider is an actor) and
:mod:`dateline.events.mentions` (a presider takes part in a scene only where it names them)."""

from __future__ import annotations

from spacy.tokens import Token

from dateline.events.entities import Entities
from dateline.vocab import load

_A = load("aliases")
_SUBJECTS = ("nsubj", "nsubjpass", "csubj")
#: event word -> the roles of those who preside over such events ("trial" -> "judge")
_PRESIDED: dict[str, tuple[str, ...]] = {}
for _role, _words in _A["presiding_roles"].items():
    for _word in _words:
        _PRESIDED[_word] = (*_PRESIDED.get(_word, ()), _role)
#: those who decide under the one presiding ("a jury found him guilty": the judge presides still)
_DECIDERS = frozenset(_A["presided_deciders"])
#: the words that name a court, which acts itself ("a regional court sentenced her")
_COURTS = frozenset(_A["venues"]["justice"])


def presiding_roles(trigger: Token) -> tuple[str, ...]:
    """The roles of those who preside over the event ("the verdict", "his fraud trial", "she was
    convicted", "a jury found him guilty": the judge). A court that acts itself ("a regional court
    sentenced her", "the appeal court's ruling") or a named agent ("convicted by a military
    tribunal") may be another court than the judge the article names."""
    if trigger.pos_ == "NOUN":
        if any(_names_court(c) for c in trigger.children if c.dep_ in ("poss", "compound")):
            return ()
        support = trigger.head if trigger.dep_ == "dobj" and trigger.head.pos_ in ("VERB", "AUX") else None
        if support is not None and not _presided_verb(support):  # "the court handed down its verdict"
            return ()
        return _PRESIDED.get(trigger.lemma_.lower(), ())
    if trigger.pos_ not in ("VERB", "AUX") or not _presided_verb(trigger):
        return ()
    lemma = trigger.lemma_.lower()
    for c in trigger.children:
        if c.dep_ in ("acomp", "oprd", "ccomp", "xcomp") and c.pos_ == "ADJ":
            # "found him guilty", "found not guilty": the verb with its verdict
            negated = any(g.dep_ == "neg" for g in (*c.children, *trigger.children))
            roles = _PRESIDED.get(f"{lemma} {'not ' if negated else ''}{c.lemma_.lower()}")
        elif c.dep_ == "dobj" and c.pos_ == "NOUN":  # "Acme won its hearing": the hearing's
            roles = _PRESIDED.get(c.lemma_.lower())
        else:
            continue
        if roles:
            return roles
    return _PRESIDED.get(lemma, ())


def presiders(entities: Entities) -> dict[str, str]:
    """name -> role of those the article names as presiding ("Judge Ann Wells"), whom an event may
    count among its actors without naming them (:func:`presiding_roles`)."""
    roles = {role for found in _PRESIDED.values() for role in found}
    return {name: role for role in roles if (name := entities.names.only(role)) is not None}


def _presided_verb(verb: Token) -> bool:
    """Whether a verb's deed is done under the one presiding: a passive with no agent ("he was
    convicted"), or a subject that decides under a judge ("a jury found"), never a court itself."""
    if any(c.dep_ == "agent" for c in verb.children):
        return False
    subjects = [c for c in verb.children if c.dep_ in _SUBJECTS]
    if any(c.dep_ == "nsubjpass" for c in subjects) or any(c.dep_ == "auxpass" for c in verb.children):
        return True
    if not subjects or any(_names_court(c) for c in subjects):
        return False
    return all(c.lemma_.lower() in _DECIDERS or _is_party(c) for c in subjects)


def _names_court(tok: Token) -> bool:
    """Whether a word (or its phrase) names a court: "the appeal court's", "a Paris tribunal"."""
    return any(t.lemma_.lower() in _COURTS for t in tok.subtree)


def _is_party(tok: Token) -> bool:
    """Whether a subject is a party to a case, not its judge or jury: a name or a pronoun that is no
    court ("Microsoft won its hearing", "he lost his appeal")."""
    return (tok.ent_type_ in ("PERSON", "ORG", "GPE") or tok.tag_ == "PRP") and not _names_court(tok)
