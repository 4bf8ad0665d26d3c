"""Which word a date belongs to, what kind of event it names, and whether that event happened.

The words and their kinds are data (``data/triggers.json``; a word's type and subtype in its clause:
:mod:`dateline.events.senses`); the rules here read the dependency parse:
a clause attached to the date itself, an event noun the date modifies, or the clause the date sits in,
looking inside reporting and light verbs for the real event. Clauses that did not happen (modal,
conditional, negated, hoped for) are not facts.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from spacy.tokens import Span, Token

from dateline.events.actors import POSTS
from dateline.events.factuality import Factuality
from dateline.events.senses import EventTypes, Sense, SenseTable
from dateline.events.spans import verb_read_as_modifier
from dateline.timex.component import governing_verb
from dateline.vocab import load

__all__ = ["EventFinder", "EventTypes", "EventVocabulary", "Factuality", "Sense", "Trigger"]

_VERBS = ("VERB", "AUX")
_NOUNS = ("NOUN", "PROPN")
_AUX = ("aux", "auxpass")
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
    """The trigger words and their senses, and the words that make a clause not (yet) a fact.

    ``verbs`` and ``nouns`` map each trigger lemma to its type (a qualified word to its default);
    ``senses`` tells its type and subtype in a clause."""

    senses: SenseTable
    verbs: dict[str, str]
    nouns: dict[str, str]
    light_verbs: frozenset[str]
    modals: frozenset[str]
    irrealis_verbs: frozenset[str]
    irrealis_nouns: frozenset[str]
    irrealis_markers: frozenset[str]
    irrealis_adjectives: frozenset[str]
    strong_types: frozenset[str]
    open_prepositions: frozenset[str]
    depiction_nouns: frozenset[str]
    directive_verbs: frozenset[str]
    charge_types: frozenset[str]
    charge_nouns: frozenset[str]
    occasion_prepositions: frozenset[str]
    limit_nouns: frozenset[str]
    rumour_verbs: frozenset[str]
    factive_markers: frozenset[str]
    prospect_nouns: frozenset[str]
    depiction_verbs: frozenset[str]
    designation_verbs: frozenset[str]
    present_deictics: frozenset[str]
    announce_verbs: frozenset[str]
    announced_types: frozenset[str]

    @classmethod
    @cache
    def default(cls) -> EventVocabulary:
        t = load("triggers")
        temporal = load("temporal")
        senses = SenseTable.default()
        return cls(
            senses=senses,
            verbs=senses.types_by_word("verbs"),
            nouns=senses.types_by_word("nouns"),
            light_verbs=frozenset(t["light_verbs"]),
            modals=frozenset(t["modals"]),
            irrealis_verbs=frozenset(t["irrealis_verbs"]),
            irrealis_nouns=frozenset(t["irrealis_nouns"]),
            irrealis_markers=frozenset(t["irrealis_markers"]),
            irrealis_adjectives=frozenset(t["irrealis_adjectives"]),
            strong_types=frozenset(t["narrative_strong_types"]),
            open_prepositions=frozenset(temporal["open_interval_prepositions"]),
            depiction_nouns=frozenset(t["depiction_nouns"]),
            directive_verbs=frozenset(t["directive_verbs"]),
            charge_types=frozenset(t["charge_types"]),
            charge_nouns=frozenset(t["charge_nouns"]),
            occasion_prepositions=frozenset(t["occasion_prepositions"]),
            limit_nouns=frozenset(t["limit_nouns"]),
            rumour_verbs=frozenset(t["rumour_verbs"]),
            factive_markers=frozenset(t["factive_markers"]),
            prospect_nouns=frozenset(t["prospect_nouns"]),
            depiction_verbs=frozenset(t["depiction_verbs"]),
            designation_verbs=frozenset(t["designation_verbs"]),
            present_deictics=frozenset(t["present_deictics"]),
            announce_verbs=frozenset(t["announce_verbs"]),
            announced_types=frozenset(t["announced_types"]),
        )


@dataclass(frozen=True)
class Trigger:
    """The word that names a dated event, its type and subtype, and whether it is a generic noun
    ("the incident")."""

    token: Token
    type: str
    generic: bool = False
    subtype: str | None = None


def _verb_read_as_modifier_of(noun: Token) -> Token | None:
    """The verb the parser read as a modifier of ``noun`` or of its compound ("Leeds United sacked
    manager Tom Hale": "sacked" of "manager")."""
    near = (t for c in noun.lefts for t in (c, *(c.lefts if c.dep_ == "compound" else ())))
    return next((t for t in near if verb_read_as_modifier(t)), None)


def _post_held_since(span: Span, verb: Token) -> Trigger | None:
    """A post held "since" a date was taken then: "was prime minister since July 2022", "has served
    as chief executive since 2019" tell an appointment of that date."""
    if span._.timex.signal != "since" or verb.lemma_.lower() not in ("be", "serve"):
        return None
    if any(c.dep_ == "neg" for c in verb.children):
        return None  # "has not been mayor since 2019": no longer, not since
    posts = (c for c in verb.children if c.dep_ == "attr")
    if verb.lemma_.lower() == "serve":
        posts = (g for c in verb.children if c.dep_ == "prep" and c.lower_ == "as" for g in c.children)
    for post in posts:
        words = [t.lower_ for t in post.lefts if t.dep_ == "compound"] + [post.lower_]
        if post.pos_ == "NOUN" and (post.lower_ in POSTS or " ".join(words[-2:]) in POSTS):
            return Trigger(post, "personnel", subtype="appointment")
    return None


def _trigger(tok: Token, sense: Sense | None) -> Trigger:
    """A trigger of the kind ``sense`` names (``other`` for none)."""
    if sense is None:
        return Trigger(tok, "other")
    return Trigger(tok, sense.type, subtype=sense.subtype)


def _reattached(gov: Token, span: Span) -> Token:
    """The verb a date between a verb and its complement clause's subject dates: "said on Monday the
    parliament would be dissolved" is the saying's date, however the parser hung it."""
    head = gov.head
    if gov.dep_ != "ccomp" or head.pos_ not in _VERBS or not head.i < span.start:
        return gov
    subject = next((c for c in gov.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subject is None or span.end > subject.left_edge.i:
        return gov
    return head


class EventFinder:
    """Which event each date belongs to, over one parsed document. Compute only: no I/O, no global state.

    ``types`` names an event's kind, ``facts`` whether it happened."""

    def __init__(self, vocab: EventVocabulary | None = None) -> None:
        self.v = vocab or EventVocabulary.default()
        self.types = EventTypes(self.v.senses)
        self.facts = Factuality(self.v)

    def trigger_for(self, span: Span) -> Trigger | None:
        """The event the date ``span`` dates, nearest attachment first: a clause attached to the date,
        an event noun right before it, an event noun it modifies, else the clause it sits in."""
        inside = {t.i for t in span}
        found = (
            self._clause_of_date(span.root, inside)
            or self._speaker_saying(span)
            or self._noun_before(span, inside)
        )
        if found is not None:
            return found
        noun, gov = self._climb(span.root, inside)
        if noun is not None or gov is None:
            return noun
        return _post_held_since(span, gov) or self._clause_trigger(_reattached(gov, span), inside)

    def _clause_of_date(self, root: Token, inside: set[int]) -> Trigger | None:
        """A clause attached to the date itself: "since early 2020, when links were suspended"."""
        for c in root.children:
            if c.dep_ in ("relcl", "acl") and c.pos_ in _VERBS and c.i not in inside:
                sense = self.types.verb_sense(c)
                if sense:
                    return _trigger(c, sense)
        return None

    def _speaker_saying(self, span: Span) -> Trigger | None:
        """A date between a name and a participle of speech dates the speech: "with President Varga
        on Monday saying parliament would be dissolved" (however the parser hung the date)."""
        doc = span.doc
        if span.end >= len(doc) or span.start < 2:
            return None
        verb, prep, speaker = doc[span.end], doc[span.start - 1], doc[span.start - 2]
        if verb.tag_ != "VBG" or prep.pos_ != "ADP" or speaker.pos_ != "PROPN":
            return None
        sense = self.types.verb_sense(verb)
        return _trigger(verb, sense) if sense is not None and sense.type == "statement" else None

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
        sense = self.types.noun_sense(before)
        if before.i in inside:
            return None
        if not sense:
            return self._misread_verb(before)
        verb = before.head if before.dep_ == "dobj" else None
        if verb is None and sense.type in self.v.charge_types:
            verb = governing_verb(before)  # "found guilty of fraud on 2 November": the verdict's date
        verb_sense = self.types.verb_sense(verb) if verb is not None else None
        announced = verb is not None and verb.lemma_.lower() in self.v.announce_verbs
        if announced and sense.type in self.v.announced_types:
            return _trigger(before, sense)  # "announced a merger on Monday": the merger, made public
        if verb is not None and verb_sense and verb_sense.type != "other":
            return _trigger(verb, verb_sense)
        means = before.head.head if before.dep_ == "pobj" and before.head.dep_ == "prep" else None
        if means is not None and means.pos_ in _VERBS and self.types.verb_type(means) == sense.type:
            return self._clause_trigger(means, inside)  # "said in a statement on Monday": as "said on Monday"
        return _trigger(before, sense)

    def _misread_verb(self, noun: Token) -> Trigger | None:
        """A verb the parser read as a modifier of its object, the object joined to an earlier clause:
        "began tightening in 2023 and last raised rates in December" (the raising is December's)."""
        verb = noun.doc[noun.i - 1]
        if noun.dep_ != "conj" or noun.head.pos_ not in _VERBS or verb.head.i != noun.i:
            return None
        if verb.dep_ != "amod" or verb.pos_ != "VERB" or verb.tag_ not in ("VBD", "VBN"):
            return None
        sense = self.types.verb_sense(verb)
        return _trigger(verb, sense) if sense is not None else None

    def _climb(self, root: Token, inside: set[int]) -> tuple[Trigger | None, Token | None]:
        """Up from the date to its clause's verb: an event noun met on the way is the trigger
        ("last month's summit"); else the verb it reaches (``(None, verb)``), if any."""
        tok = root
        while tok.head.i != tok.i:
            if tok.dep_ == "appos" and tok.i not in inside and not self.types.noun_sense(tok):
                return None, None  # "Ramos, champion in 2025, lost ...": the date describes her
            parent = tok.head
            misread = _verb_read_as_modifier_of(parent)
            if misread is not None:  # "Leeds United sacked manager Tom Hale on Sunday"
                return None, misread
            if parent.pos_ in _VERBS and parent.dep_ not in _AUX:
                return None, parent
            if parent.i not in inside:
                if parent.lemma_.lower() in self.v.limit_nouns:
                    return None, None  # "missed the July 18 deadline": when a time limit falls, no event
                if self.types.is_generic(parent):
                    return Trigger(governing_verb(parent) or parent, "other", generic=True), None
                sense = self.types.noun_sense(parent)
                if sense:
                    return _trigger(parent, sense), None
            tok = parent
        return None, None

    def _clause_trigger(self, gov: Token, inside: set[int]) -> Trigger | None:
        """The event of the clause whose verb ``gov`` governs the date: the verb itself when it names
        a strong event, else the strongest event inside the clause, else the verb."""
        light = gov.lemma_.lower() in self.v.light_verbs
        charged = self._charged_by(gov)
        if charged is not None:
            return charged
        sense = self.types.verb_sense(gov)
        if gov.dep_ in ("acl", "relcl"):
            weak = sense is None or sense.type == "other"
            deed = (
                gov.head.head
                if gov.tag_ == "VBG" and weak and gov.head.dep_ in ("dobj", "nsubjpass")
                else None
            )
            deed_sense = self.types.verb_sense(deed) if deed is not None else None
            if deed is not None and deed_sense and deed_sense.type in self.v.strong_types:
                return _trigger(deed, deed_sense)  # "struck down a law allowing surveillance on Friday"
            modified = self._modified_noun(gov, light=light or weak)
            modified = modified or self._depicted(gov, inside)
            if modified is not None:
                return modified
        if sense and sense.type in self.v.strong_types:
            return _trigger(gov, sense)
        if gov.tag_ in ("VBZ", "VBP") and not any(c.dep_ in _AUX for c in gov.children):
            return None  # "Today, the war is the fault line": a present state, not a dated event
        found = self._search(gov, exclude=inside, nouns_behind_prep=light)
        if found and found.type in self.v.strong_types:
            return found
        if sense:
            return _trigger(gov, sense)
        adjunct = self._adjunct_of(gov, inside) or self._occasion(gov, inside)
        if adjunct is not None:
            return adjunct
        if found:
            return found
        # a light verb names an event only with a particle or an object: "took off", "gave way"
        if light and not any(c.dep_ in ("prt", "dobj") for c in gov.children):
            return None
        return Trigger(gov, "other")

    def _charged_by(self, gov: Token) -> Trigger | None:
        """A crime told as the charge of a verdict or a sentence dates that verdict, as a charge noun
        does (:meth:`_noun_before`): "found guilty on all charges of defrauding investors on Thursday",
        "convicted on charges of laundering money in May" (the verdict's date)."""
        if gov.dep_ != "pcomp" or gov.head.dep_ != "prep":
            return None
        sense = self.types.verb_sense(gov)
        if sense is None or sense.type not in self.v.charge_types:
            return None
        holder = gov.head.head  # "counts of", "guilty of", "convicted of"
        if holder.pos_ in _NOUNS and holder.lemma_.lower() not in self.v.charge_nouns:
            return None
        verb = governing_verb(holder)
        verb_sense = self.types.verb_sense(verb) if verb is not None else None
        if verb is None or verb_sense is None or verb_sense.type in ("other", *self.v.charge_types):
            return None
        return _trigger(verb, verb_sense)

    def _modified_noun(self, clause: Token, *, light: bool) -> Trigger | None:
        """The event of a clause that modifies a noun: none of its own after a generic noun ("the
        incident that happened in May"), the noun's after a light verb or a verb that names no event
        of its own ("talks that began in the autumn", "the march that came on 1 March", "the wildfire
        that devastated the town last week")."""
        if self.types.is_generic(clause.head):
            return Trigger(clause, "other", generic=True)
        sense = self.types.noun_sense(clause.head) if light else None
        return _trigger(clause.head, sense) if sense else None

    def _depicted(self, clause: Token, inside: set[int]) -> Trigger | None:
        """A picture's date dates what it shows: "Kim and Putin attend a reception in this photo
        released on 25 April 2019" is the reception's date (a caption is told in the present)."""
        picture = clause.head
        if (
            picture.lemma_.lower() not in self.v.depiction_nouns
            and picture.lower_ not in self.v.depiction_nouns
        ):
            return None
        shown = picture.sent.root  # the caption's own clause, however low the picture hangs
        if shown.pos_ not in _VERBS or shown.i == clause.i:
            return None
        hidden = inside | {t.i for t in picture.subtree}
        found = self._search(shown, exclude=hidden)
        return found if found is not None and found.type in self.v.strong_types else None

    def _occasion(self, gov: Token, inside: set[int]) -> Trigger | None:
        """A clause that names no event of its own happened at the event it is set in: "was peppered
        with questions at his news conference on Friday" (the news conference)."""
        frontier = [gov]
        for _ in range(3):  # "questions about his switch at his news conference": through the phrases
            preps = [c for t in frontier for c in t.children if c.dep_ == "prep" and c.i not in inside]
            for prep in preps:
                if prep.lower_ not in self.v.occasion_prepositions:
                    continue
                for noun in prep.children:
                    sense = self.types.noun_sense(noun) if noun.dep_ == "pobj" else None
                    if sense is not None and sense.type != "other" and noun.i not in inside:
                        return _trigger(noun, sense)
            frontier = [c for p in preps for c in p.children if c.dep_ == "pobj"]
        return None

    def _adjunct_of(self, gov: Token, inside: set[int]) -> Trigger | None:
        """A participle that adds to a clause and names nothing itself tells of the clause's event:
        "took the decision to part company with him, telling him on Monday" (the parting)."""
        head = gov.head
        if gov.dep_ != "advcl" or gov.tag_ != "VBG" or head.pos_ not in _VERBS:
            return None
        if any(c.dep_ in ("nsubj", "nsubjpass") for c in gov.children):
            return None
        event = self.clause_event(head, exclude=inside | {t.i for t in gov.subtree})
        return event if event.type in self.v.strong_types else None

    def clause_event(self, verb: Token, exclude: set[int] | None = None) -> Trigger:
        """The event a clause names when no date points into it: the verb's own kind when it is a
        strong one, else the strongest event among its arguments ("a year after the exchange's
        collapse shocked the industry": the collapse), else the verb."""
        sense = self.types.verb_sense(verb)
        if sense and sense.type in self.v.strong_types:
            return _trigger(verb, sense)
        light = verb.lemma_.lower() in self.v.light_verbs
        found = self._search(verb, exclude=exclude or set(), nouns_behind_prep=light)
        if found and found.type in self.v.strong_types:
            return found
        return _trigger(verb, sense) if sense else found or Trigger(verb, "other")

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
                directive = tok.lemma_.lower() in self.v.directive_verbs
                for c in tok.children:
                    if c.i in exclude or c.dep_ not in _SEARCH_DEPS:
                        continue
                    if directive and c.dep_ in ("xcomp", "ccomp"):
                        continue  # "urged the regulator to rethink its veto": not what was urged on
                    if c.pos_ in _VERBS and not self.facts.factual(c):
                        continue  # "said the toll would rise": the saying, not the rise, nor the toll
                    behind_prep = via_prep or c.dep_ in ("prep", "pobj")
                    nxt.append((c, behind_prep))
                    sense = self._argument_sense(c, nouns_barred=behind_prep and not nouns_behind_prep)
                    if sense is None:
                        continue
                    if sense.type in self.v.strong_types:
                        return _trigger(c, sense)
                    if sense.type != "other" and best is None:
                        best = _trigger(c, sense)
                    elif sense.type == "other" and other is None:
                        other = _trigger(c, sense)
            frontier = nxt
        return best or other

    def _argument_sense(self, c: Token, *, nouns_barred: bool) -> Sense | None:
        """The kind of event a word met inside a clause names, or None when it names none there."""
        if c.dep_ in ("nsubj", "attr") and c.head.lemma_.lower() in _STATE_VERBS:
            return None  # "the talks had been useful": the subject of a state is no event here
        if c.pos_ in _VERBS:
            return self.types.verb_sense(c)
        return None if nouns_barred else self.types.noun_sense(c)

    def verb_trigger(self, verb: Token) -> Trigger:
        """The verb as a trigger of the kind it names in its clause (``other`` for none)."""
        return _trigger(verb, self.types.verb_sense(verb))

    def clause_verb(self, trigger: Token) -> Token | None:
        if trigger.pos_ in _VERBS:
            return trigger
        return governing_verb(trigger)
