"""Whether a clause tells of something that happened: not modal, conditional, negated, hoped for.

A clause is read up through the clauses that embed it ("they hoped to sign", "plans to meet"), but a
clause that asserts its own past fact stops the climb: a past relative clause ("measures that ended
the shortages"), a past reason clause ("might not complete the purchase as it was blocked in April"), an
absolute participle ("with the president saying ..."). Words are data (``data/triggers.json``).
"""

from __future__ import annotations

from typing import Protocol

from spacy.tokens import Token

from dateline.timex.component import governing_verb

_NOUNS = ("NOUN", "PROPN")
_AUX = ("aux", "auxpass")
_CLAUSE_DEPS = {"xcomp", "ccomp", "advcl", "relcl", "acl", "conj", "pcomp"}
#: the past forms of the auxiliaries of a past passive or a past perfect ("was blocked", "had ended")
_PAST_AUX = frozenset({"was", "were", "had", "'d", "’d"})
#: the present forms of "be" (and its contractions) that make a present passive: "is shown", "it's burned"
PRESENT_BE = frozenset({"is", "are", "am", "'s", "’s", "'re", "’re", "'m", "’m"})


class FactVocabulary(Protocol):
    """The word lists :class:`Factuality` reads (``EventVocabulary`` has them)."""

    @property
    def modals(self) -> frozenset[str]: ...

    @property
    def irrealis_verbs(self) -> frozenset[str]: ...

    @property
    def irrealis_nouns(self) -> frozenset[str]: ...

    @property
    def irrealis_markers(self) -> frozenset[str]: ...

    @property
    def irrealis_adjectives(self) -> frozenset[str]: ...

    @property
    def rumour_verbs(self) -> frozenset[str]: ...

    @property
    def factive_markers(self) -> frozenset[str]: ...

    @property
    def prospect_nouns(self) -> frozenset[str]: ...

    @property
    def announce_verbs(self) -> frozenset[str]: ...


class Factuality:
    """Whether a clause tells of something that happened: not modal, conditional, negated, hoped for."""

    def __init__(self, vocab: FactVocabulary) -> None:
        self.v = vocab

    def is_irrealis_verb(self, tok: Token) -> bool:
        """ "hoped", "planned": by lemma, or by word form when the lemmatiser slips ("hoped" -> "hop")."""
        if tok.lemma_.lower() in self.v.irrealis_verbs:
            return True
        form = tok.lower_
        for suffix in ("ed", "d", "es", "s", "ing"):
            if form.endswith(suffix):
                stem = form[: -len(suffix)]
                if stem in self.v.irrealis_verbs or stem + "e" in self.v.irrealis_verbs:
                    return True
        return False

    def factual(self, verb: Token) -> bool:
        """False for clauses that did not (yet) happen: modal, conditional, negated, hoped for, or
        what something paved the way for.

        The clause is read up through the clauses that embed it ("they hoped to sign", "plans to
        meet"), a few levels at most, unless it asserts a past fact of its own; a negation counts
        only on the clause itself."""
        tok = verb
        for hop in range(5):
            if self._irrealis_clause(tok, hop) or self.prospective(tok):
                return False
            if tok.dep_ not in _CLAUSE_DEPS or tok.head.i == tok.i or self._fact_of_its_own(tok):
                break
            head = tok.head
            if head.pos_ in _NOUNS:
                if head.lemma_.lower() in self.v.irrealis_nouns or head.lower_ in self.v.irrealis_nouns:
                    return False  # "plans to meet", "the hope that ..."
                gov = governing_verb(head)
                if gov is None:
                    break
                head = gov
            tok = head
        return True

    def prospective(self, tok: Token) -> bool:
        """What a deed paved the way for lies ahead of it, whatever the deed: "paving the way for
        closing arguments on Wednesday", "cleared the path to a vote in May"."""
        for _ in range(2):  # the event word, or the verb whose object it is ("for closing arguments")
            prep = tok.head
            if (
                tok.dep_ in ("pobj", "pcomp")
                and prep.dep_ == "prep"
                and prep.lower_ in ("for", "to", "towards")
            ):
                holder = prep.head
                if holder.lemma_.lower() in self.v.prospect_nouns and holder.pos_ in _NOUNS:
                    return True
            if tok.dep_ not in ("dobj", "pobj") or tok.head.pos_ not in ("VERB", "AUX"):
                return False
            tok = tok.head
        return False

    def _fact_of_its_own(self, tok: Token) -> bool:
        """A past relative clause ("measures that ended the shortages"), a past clause of reason or
        time ("as it was blocked in April", "after he attacked a guard") or an absolute participle
        asserts its fact whatever the clause above it may or may not do."""
        if _absolute(tok):
            return True
        if not _past(tok):
            return False
        if tok.dep_ == "relcl":
            return True
        return tok.dep_ == "advcl" and any(
            c.dep_ == "mark" and c.lower_ in self.v.factive_markers for c in tok.children
        )

    def _irrealis_clause(self, tok: Token, hop: int) -> bool:
        """Whether the clause of ``tok`` (``hop`` levels above the dated one) is not a fact: a modal,
        a negation (of the dated clause), a conditional marker, a verb of hoping above it."""
        performative = tok.lemma_.lower() in self.v.announce_verbs  # "we can confirm": it is confirmed
        for c in tok.children:
            if c.dep_ in _AUX and c.lower_ in self.v.modals and not (performative and c.lower_ == "can"):
                return True
            if c.dep_ == "neg" and hop == 0:
                return True
            if c.dep_ in ("mark", "advmod") and c.lower_ in self.v.irrealis_markers:
                return True
        if hop > 0 and self.is_irrealis_verb(tok):
            return True
        if _going_to(tok):  # "it is going to be a long day", "she is going to visit": ahead, no trip
            return True
        if tok.lemma_.lower() in self.v.rumour_verbs and any(c.dep_ == "auxpass" for c in tok.children):
            return True  # "was linked with a move to the club": talk of it, no event
        # "is likely to vote", "is due to convene"
        return tok.dep_ == "xcomp" and tok.head.lower_ in self.v.irrealis_adjectives


def _going_to(tok: Token) -> bool:
    """ "going to" with a verb after it: the future it announces, not a journey ("was going to Rome"
    is one)."""
    return (
        tok.lemma_.lower() == "go"
        and tok.tag_ == "VBG"
        and any(
            c.dep_ == "xcomp" and any(g.dep_ == "aux" and g.lower_ == "to" for g in c.children)
            for c in tok.children
        )
    )


def _past(tok: Token) -> bool:
    """A finite past clause without a modal: "ended", "was blocked", "had resigned"."""
    auxes = [c for c in tok.children if c.dep_ in _AUX]
    if tok.tag_ == "VBD":
        return not auxes
    return (
        tok.tag_ == "VBN" and bool(auxes) and all(a.lower_ in _PAST_AUX or a.lower_ == "been" for a in auxes)
    )


def present_passive(tok: Token) -> bool:
    """ "is shown", "it's burned": a participle whose only auxiliary is a present form of "be"."""
    auxes = [c for c in tok.children if c.dep_ in _AUX]
    return tok.tag_ == "VBN" and len(auxes) == 1 and auxes[0].lower_ in PRESENT_BE


def _absolute(tok: Token) -> bool:
    """A participle with a subject of its own after "with" ("with the president saying ...") tells
    a fact of its own, whatever the clause it hangs from may or may not do."""
    if tok.tag_ != "VBG" or tok.dep_ not in ("advcl", "pcomp", "acl"):
        return False
    if tok.head.lower_ == "with":
        return True
    before = tok.doc[max(tok.sent.start, tok.i - 8) : tok.i]
    return any(t.lower_ == "with" and any(c.dep_ == "pobj" for c in t.children) for t in before)


def told_in_the_present(verb: Token) -> bool:
    """ "The booth is shown", "protesters march": a present-tense clause (simple or passive)."""
    if verb.tag_ in ("VBZ", "VBP"):
        return not any(c.dep_ in _AUX for c in verb.children)
    return present_passive(verb)
