"""Which word a date belongs to, what kind of event it names, and whether that event happened.

The words and their types are data (``data/triggers.json``); the rules here read the dependency parse:
a clause attached to the date itself, an event noun the date modifies, or the clause the date sits in,
looking inside reporting and light verbs for the real event. Clauses that did not happen (modal,
conditional, negated, hoped for) are not facts.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from spacy.tokens import Span, Token

from dateline.timex.component import governing_verb
from dateline.vocab import load

_VERBS = ("VERB", "AUX")
_NOUNS = ("NOUN", "PROPN")
_AUX = ("aux", "auxpass")
_CLAUSE_DEPS = {"xcomp", "ccomp", "advcl", "relcl", "acl", "conj", "pcomp"}
_SEARCH_DEPS = {
    "xcomp",
    "ccomp",
    "dobj",
    "nsubj",
    "nsubjpass",
    "pobj",
    "prep",
    "acl",
    "relcl",
    "attr",
    "oprd",
    "agent",
}
_STATE_VERBS = frozenset({"be", "seem", "remain", "appear"})


@dataclass(frozen=True)
class EventVocabulary:
    """The trigger words by event type, and the words that make a clause not (yet) a fact."""

    verbs: dict[str, str]
    nouns: dict[str, str]
    qualified: dict[str, dict[str, str]]
    qualifiers: dict[str, frozenset[str]]
    generic_nouns: frozenset[str]
    light_verbs: frozenset[str]
    modals: frozenset[str]
    irrealis_verbs: frozenset[str]
    irrealis_nouns: frozenset[str]
    irrealis_markers: frozenset[str]
    irrealis_adjectives: frozenset[str]
    strong_types: frozenset[str]
    open_prepositions: frozenset[str]

    @classmethod
    @cache
    def default(cls) -> EventVocabulary:
        t = load("triggers")
        temporal = load("temporal")
        verbs = {lemma: typ for typ, lemmas in t["verbs"].items() for lemma in lemmas}
        nouns: dict[str, str] = {}
        for typ, lemmas in t["nouns"].items():
            for lemma in lemmas:
                nouns.setdefault(lemma, typ)
        return cls(
            verbs=verbs,
            nouns=nouns,
            qualified=t["qualified_verbs"],
            qualifiers={k: frozenset(v) for k, v in t["qualifiers"].items()},
            generic_nouns=frozenset(t["generic_nouns"]),
            light_verbs=frozenset(t["light_verbs"]),
            modals=frozenset(t["modals"]),
            irrealis_verbs=frozenset(t["irrealis_verbs"]),
            irrealis_nouns=frozenset(t["irrealis_nouns"]),
            irrealis_markers=frozenset(t["irrealis_markers"]),
            irrealis_adjectives=frozenset(t["irrealis_adjectives"]),
            strong_types=frozenset(t["narrative_strong_types"]),
            open_prepositions=frozenset(temporal["open_interval_prepositions"]),
        )


@dataclass(frozen=True)
class Trigger:
    """The word that names a dated event, its type, and whether it is a generic noun ("the incident")."""

    token: Token
    type: str
    generic: bool = False


class EventTypes:
    """Which kind of event a word names, by the vocabulary; a qualified verb by the words around it
    ("sent troops": a deployment, "sent weapons": an arms transfer)."""

    def __init__(self, vocab: EventVocabulary) -> None:
        self.v = vocab

    def verb_type(self, tok: Token) -> str | None:
        lemma = tok.lemma_.lower()
        if lemma in self.v.qualified:
            scope = tok.head if tok.head.pos_ in _NOUNS else tok
            words = {w.lower_ for w in scope.subtree}
            rules = self.v.qualified[lemma]
            for qualifier, typ in rules.items():
                if qualifier != "default" and words & self.v.qualifiers.get(qualifier, frozenset()):
                    return typ
            if "default" in rules:
                return rules["default"]
        return self.v.verbs.get(lemma)

    def noun_type(self, tok: Token) -> str | None:
        if tok.pos_ != "NOUN":
            return None  # a proper name ("Progress Alliance") names no event
        lemma = tok.lemma_.lower()
        return self.v.nouns.get(lemma) or self.v.nouns.get(tok.lower_)

    def is_generic(self, tok: Token) -> bool:
        return tok.lemma_.lower() in self.v.generic_nouns or tok.lower_ in self.v.generic_nouns


class Factuality:
    """Whether a clause tells of something that happened: not modal, conditional, negated, hoped for."""

    def __init__(self, vocab: EventVocabulary) -> None:
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
        """False for clauses that did not (yet) happen: modal, conditional, negated, hoped for.

        The clause is read up through the clauses that embed it ("they hoped to sign", "plans to
        meet"), a few levels at most; a negation counts only on the clause itself."""
        tok = verb
        for hop in range(5):
            if self._irrealis_clause(tok, hop):
                return False
            if tok.dep_ not in _CLAUSE_DEPS or tok.head.i == tok.i:
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

    def _irrealis_clause(self, tok: Token, hop: int) -> bool:
        """Whether the clause of ``tok`` (``hop`` levels above the dated one) is not a fact: a modal,
        a negation (of the dated clause), a conditional marker, a verb of hoping above it."""
        for c in tok.children:
            if c.dep_ in _AUX and c.lower_ in self.v.modals:
                return True
            if c.dep_ == "neg" and hop == 0:
                return True
            if c.dep_ in ("mark", "advmod") and c.lower_ in self.v.irrealis_markers:
                return True
        if hop > 0 and self.is_irrealis_verb(tok):
            return True
        # "is likely to vote", "is due to convene"
        return tok.dep_ == "xcomp" and tok.head.lower_ in self.v.irrealis_adjectives


class EventFinder:
    """Which event each date belongs to, over one parsed document. Compute only: no I/O, no global state.

    ``types`` names an event's kind, ``facts`` whether it happened."""

    def __init__(self, vocab: EventVocabulary | None = None) -> None:
        self.v = vocab or EventVocabulary.default()
        self.types = EventTypes(self.v)
        self.facts = Factuality(self.v)

    def trigger_for(self, span: Span) -> Trigger | None:
        """The event the date ``span`` dates, nearest attachment first: a clause attached to the date,
        an event noun right before it, an event noun it modifies, else the clause it sits in."""
        inside = {t.i for t in span}
        found = self._clause_of_date(span.root, inside) or self._noun_before(span, inside)
        if found is not None:
            return found
        noun, gov = self._climb(span.root, inside)
        if noun is not None or gov is None:
            return noun
        return self._clause_trigger(gov, inside)

    def _clause_of_date(self, root: Token, inside: set[int]) -> Trigger | None:
        """A clause attached to the date itself: "since early 2020, when links were suspended"."""
        for c in root.children:
            if c.dep_ in ("relcl", "acl") and c.pos_ in _VERBS and c.i not in inside:
                typ = self.types.verb_type(c)
                if typ:
                    return Trigger(c, typ)
        return None

    def _noun_before(self, span: Span, inside: set[int]) -> Trigger | None:
        """PP attachment: a date right after an event noun and its preposition is the noun's date
        ("the invasion in February 2022"), or its verb's ("signed an agreement in June": the signing)."""
        first = span[0]
        if first.i == 0 or first.nbor(-1).pos_ != "ADP":
            return None
        prep = first.nbor(-1)
        if prep.i == 0:
            return None
        before = prep.nbor(-1)
        typ = self.types.noun_type(before)
        if not typ or before.i in inside:
            return None
        verb_typ = self.types.verb_type(before.head) if before.dep_ == "dobj" else None
        if verb_typ and verb_typ != "other":
            return Trigger(before.head, verb_typ)
        return Trigger(before, typ)

    def _climb(self, root: Token, inside: set[int]) -> tuple[Trigger | None, Token | None]:
        """Up from the date to its clause's verb: an event noun met on the way is the trigger
        ("last month's summit"); else the verb it reaches (``(None, verb)``), if any."""
        tok = root
        while tok.head.i != tok.i:
            parent = tok.head
            if parent.pos_ in _VERBS and parent.dep_ not in _AUX:
                return None, parent
            if parent.i not in inside:
                if self.types.is_generic(parent):
                    return Trigger(governing_verb(parent) or parent, "other", generic=True), None
                typ = self.types.noun_type(parent)
                if typ:
                    return Trigger(parent, typ), None
            tok = parent
        return None, None

    def _clause_trigger(self, gov: Token, inside: set[int]) -> Trigger | None:
        """The event of the clause whose verb ``gov`` governs the date: the verb itself when it names
        a strong event, else the strongest event inside the clause, else the verb."""
        light = gov.lemma_.lower() in self.v.light_verbs
        if gov.dep_ in ("acl", "relcl"):
            modified = self._modified_noun(gov, light=light)
            if modified is not None:
                return modified
        typ = self.types.verb_type(gov)
        if typ in self.v.strong_types:
            return Trigger(gov, typ or "other")
        if gov.tag_ in ("VBZ", "VBP") and not any(c.dep_ in _AUX for c in gov.children):
            return None  # "Today, the war is the fault line": a present state, not a dated event
        found = self._search(gov, exclude=inside, nouns_behind_prep=light)
        if found and found.type in self.v.strong_types:
            return found
        if typ:
            return Trigger(gov, typ)
        if found:
            return found
        # a light verb names an event only with a particle or an object: "took off", "gave way"
        if light and not any(c.dep_ in ("prt", "dobj") for c in gov.children):
            return None
        return Trigger(gov, "other")

    def _modified_noun(self, clause: Token, *, light: bool) -> Trigger | None:
        """The event of a clause that modifies a noun: none of its own after a generic noun ("the
        incident that happened in May"), the noun's after a light verb ("talks that began in the
        autumn", "the march that came on 1 March")."""
        if self.types.is_generic(clause.head):
            return Trigger(clause, "other", generic=True)
        typ = self.types.noun_type(clause.head) if light else None
        return Trigger(clause.head, typ) if typ else None

    def _search(
        self, gov: Token, exclude: set[int], depth: int = 4, *, nouns_behind_prep: bool = False
    ) -> Trigger | None:
        """The strongest typed trigger inside a clause, nearest first.

        An event noun counts only as a direct argument ("confirmed the first encounters"), not behind
        a preposition ("denounced policies of war"); a verb may be reached through one ("reports of
        soldiers arriving"). After an aspectual or light verb the event may sit behind one too: "their
        run began with a win", "construction began".
        """
        best: Trigger | None = None
        other: Trigger | None = None  # an untyped event noun or verb, if nothing better turns up
        frontier: list[tuple[Token, bool]] = [(gov, False)]  # (token, a preposition on the way)
        for _ in range(depth):
            nxt = []
            for tok, via_prep in frontier:
                for c in tok.children:
                    if c.i in exclude or c.dep_ not in _SEARCH_DEPS:
                        continue
                    behind_prep = via_prep or c.dep_ in ("prep", "pobj")
                    nxt.append((c, behind_prep))
                    typ = self._argument_type(c, nouns_barred=behind_prep and not nouns_behind_prep)
                    if typ in self.v.strong_types:
                        return Trigger(c, typ or "other")
                    if typ is not None and typ != "other" and best is None:
                        best = Trigger(c, typ)
                    elif typ == "other" and other is None:
                        other = Trigger(c, typ)
            frontier = nxt
        return best or other

    def _argument_type(self, c: Token, *, nouns_barred: bool) -> str | None:
        """The event type of a word met inside a clause, or None when it names no event there."""
        if c.dep_ in ("nsubj", "attr") and c.head.lemma_.lower() in _STATE_VERBS:
            return None  # "the talks had been useful": the subject of a state is no event here
        if c.pos_ in _VERBS:
            return self.types.verb_type(c)
        return None if nouns_barred else self.types.noun_type(c)

    def clause_verb(self, trigger: Token) -> Token | None:
        if trigger.pos_ in _VERBS:
            return trigger
        return governing_verb(trigger)

    def purpose_events(self, trigger: Trigger) -> list[Trigger]:
        """Travel with a purpose names two events: "flew to Paris to sign a treaty"."""
        if trigger.type != "visit":
            return []
        out = []
        for c in trigger.token.children:
            if c.dep_ in ("advcl", "xcomp") and any(a.lower_ == "to" for a in c.children if a.dep_ == "aux"):
                typ = self.types.verb_type(c)
                if typ in ("agreement", "meeting"):
                    out.append(Trigger(c, typ))
        return out
