"""Who took part in an event: the named participants of its clause, each by its name in the article.

An event's actors are its own arguments (subject, object, the agent of a passive, prepositional
partners, the possessor of an event noun), never every name its sentence holds. A pronoun or a role
description among those arguments ("he", "its", "the judge", "Maui's top emergency official") stands
for the person or body it names in the article (:class:`Names`). The place is worked out by
:mod:`dateline.events.places`; the canonical names by :mod:`dateline.events.actors`.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator, Mapping

from spacy.tokens import Doc, Span, Token

from dateline.events.actors import actor_kind, canonical, is_name
from dateline.events.homes import office
from dateline.events.names import BODY_ROLES, STATE_ROLES, Names, base_name
from dateline.events.places import HAZARD_TYPES, Places
from dateline.events.spans import (
    absolute_subject,
    borrowed_subject,
    lower_agents,
    office_of,
    preorder,
    repaired,
    subject_read_as_object,
)
from dateline.vocab import load

_A = load("aliases")
_PLACE = ("GPE", "LOC", "FAC")
_SUBJECTS = ("nsubj", "nsubjpass", "csubj")
_OBJECTS = ("dobj", "dative", "attr", "oprd", "pobj")
#: prepositions whose object is a partner of the event ("met with", "a deal between", "war against")
_PARTNER_PREPS = frozenset(_A["partner_prepositions"])
#: prepositions whose object is where the event happened, not who took part
_LOCATIVE = frozenset(
    {"in", "at", "near", "inside", "outside", "across", "through", "throughout", "on", "around"}
)
#: the dependents a participant's phrase is read through: its name, possessor, coordination, apposition
_PHRASE_DEPS = frozenset({"compound", "poss", "amod", "nmod", "conj", "appos", "npadvmod", "nummod"})
#: prepositions inside an argument's phrase whose object takes part too ("partnership with North Korea")
_PHRASE_PREPS = frozenset({"of", "from", "with", "between", "by", "against", "for", "over", "versus"})
#: institutions a bare definite description names as its country ("the government declared")
_STATE_BODIES = frozenset(_A["state_bodies"])
_LOCAL_BODIES = frozenset(_A["local_bodies"])
_TITLE_WORDS = frozenset(
    {"minister", "ministry", "secretary", "department", "chief", "spokesman", "spokeswoman"}
)
_POSSESSIVE_S = re.compile(r"['’]s$")
#: event word -> the roles of those who preside over such events ("trial" -> "judge")
_PRESIDED: dict[str, tuple[str, ...]] = {}
for _role, _words in _A["presiding_roles"].items():
    for _word in _words:
        _PRESIDED[_word] = (*_PRESIDED.get(_word, ()), _role)
#: the rank of a role's qualifier ("as Acme manager"): a body, never the country a post serves
_EMPLOYER = 2


class Entities:
    """The named entities of one document (people, organisations, places), listed once, repaired
    where the small model cuts names ("Erik" + "ten Hag", "Election Commission of" + "Sri Lanka"),
    with what the rules ask of them: the entities of a token range, the entity of a token, whether a
    token lies below a trigger, and each entity's name in the article (:class:`Names`).

    ``doc.ents`` rebuilds its list on every access, so asking it per sentence made extraction
    quadratic; here the spans inside a token range are found by bisection. ``event_nouns`` are the
    trigger nouns: an organisation named after an event ("the Paris Conference") is no actor.
    """

    def __init__(self, doc: Doc, event_nouns: Mapping[str, str]) -> None:
        self.doc = doc
        self.event_nouns = event_nouns
        self.spans: list[Span] = repaired(doc)
        self.starts = [e.start for e in self.spans]
        self._tree: tuple[list[int], list[int]] | None = None
        self._names: Names | None = None
        self._places: Places | None = None

    @property
    def names(self) -> Names:
        if self._names is None:
            # a word of the dateline ("MANCHESTER:") is nobody a pronoun could stand for
            self._names = Names(
                self.doc, [e for e in self.spans if not self.places.in_dateline(e.start_char)]
            )
        return self._names

    @property
    def places(self) -> Places:
        if self._places is None:
            self._places = Places(self.doc, self.spans, self.event_nouns)
        return self._places

    def state_body(self, tok: Token) -> str | None:
        """The country a bare "the (new) government" or "the parliament" acts for: the one the article is
        about (its dateline's or main place's country), else the one named last before it."""
        lefts = list(tok.lefts)
        if (
            tok.lemma_.lower() not in _STATE_BODIES
            or not lefts
            or lefts[0].lower_ != "the"
            or not all(c.dep_ == "amod" and c.pos_ == "ADJ" and not c.ent_type_ for c in lefts[1:])
        ):
            return None  # "the government", "the new government"; not "the Kent police"
        own = self.places.own_place
        hit = canonical(own.split(",")[-1].strip(), "GPE") if own else None
        if hit is not None and hit[1] == "country":
            return hit[0]
        return self.names.country_before(tok)

    def in_subtree(self, tok: Token, head: Token) -> bool:
        """Whether ``tok`` is ``head`` or one of its descendants, in constant time."""
        if self._tree is None:
            self._tree = preorder(self.doc)
        first, after = self._tree
        return first[head.i] <= first[tok.i] < after[head.i]

    def within(self, start: int, end: int) -> list[Span]:
        """The entities lying wholly inside tokens ``[start, end)``, in order (they never overlap)."""
        out: list[Span] = []
        for i in range(bisect_left(self.starts, start), len(self.spans)):
            e = self.spans[i]
            if e.start >= end:
                break
            if e.end <= end:
                out.append(e)
        return out

    def at(self, tok: Token) -> Span | None:
        """The entity ``tok`` is part of, if any."""
        i = bisect_left(self.starts, tok.i + 1) - 1
        if i >= 0 and self.spans[i].start <= tok.i < self.spans[i].end:
            return self.spans[i]
        return None

    def actor(self, e: Span) -> tuple[str, str] | None:
        """(name in the article, kind) of the actor entity ``e`` names, or None when it names none:
        a place, a country in the title of a person who does not act for it ("US District Judge
        Lewis Kaplan"), a word of the dateline."""
        if e.label_ in ("LOC", "FAC") or (e.label_ == "ORG" and e.root.lemma_.lower() in self.event_nouns):
            return None
        office = office_of(e[-1])
        if office is not None:  # "Kremlin spokesman Oleg Marin": the office he works for
            return office, "organisation"
        if self.places.in_dateline(e.start_char) or self.names.is_place(e) or _in_title(e):
            return None
        if e.label_ == "ORG" and e.end < len(self.doc) and self.doc[e.end].lower_ in _TITLE_WORDS:
            return None  # "Interior Minister Pavel Hanák": a portfolio, not an actor
        hit = base_name(e) or self.names.short_body(e) or self.names.acting_place(e)
        if hit is None and e.label_ in ("GPE", "NORP"):
            known = self.names.known(_POSSESSIVE_S.sub("", e.text), exact=True)
            if known is not None:  # "Manchester United" taken for a place or a nationality
                return known, "organisation"
        if hit is None and e.label_ == "GPE" and e.root.dep_ in ("nsubj", "nsubjpass", "poss", "agent"):
            # a country missing from the alias table acts all the same: "Castrela's central bank"
            name = _POSSESSIVE_S.sub("", e.text).strip()
            return (name, "country") if is_name(name) else None
        if hit is None:
            return None
        return self.names.full(hit[0], hit[1], e.start)


def _in_title(e: Span) -> bool:
    """Whether the place ``e`` only qualifies a person's title ("US District Judge Lewis Kaplan"),
    unless the title is one that acts for the country ("Russian President Vladimir Putin")."""
    if e.label_ not in ("GPE", "NORP"):
        return False
    doc = e.doc
    end = e.end
    while end < len(doc) and doc[end].pos_ in ("PROPN", "NOUN") and doc[end].ent_type_ != "PERSON":
        end += 1
    if end == e.end or end >= len(doc) or doc[end].ent_type_ != "PERSON":
        return False
    title = {t.lower_ for t in doc[e.end : end]}
    return not title & STATE_ROLES


#: event types a person acts in for the body they work for: a statement, a post taken or left
_FOR_EMPLOYER = ("statement", "personnel")
#: a place that is the object of these event types is where they happen: "visited Hanoi", "shelled Kharkiv"
_PLACE_OBJECT_TYPES = ("visit", "combat")


def actors_and_place(
    entities: Entities, sent: Span, trigger: Token, typ: str
) -> tuple[list[str], str | None]:
    """The event's actors (:func:`participants`) and its place (:meth:`Places.of_event`, else the
    home a body among its actors names, the subject's first: :meth:`Places.home`)."""
    place = entities.places.of_event(sent, trigger, typ, _PLACE_OBJECT_TYPES)
    actors = participants(entities, trigger)
    for role in _presiding_roles(trigger):  # "the verdict": Judge Ann Reed's
        presider = entities.names.only(role)
        if presider is not None and presider not in actors:
            actors.append(presider)
    if typ in _FOR_EMPLOYER:  # "Acme CEO Ann Reed said": Acme speaks through her
        employers = entities.names.employers
        actors = list(dict.fromkeys(x for a in actors for x in (a, employers.get(a)) if x is not None))
    if place is not None:  # "visited Hanoi": the capital is where, not who (its country stays when named)
        where = place.split(",")[0]
        hit = canonical(where, "GPE")
        if hit is not None and hit[0] != where and not any(where in a for a in actors):
            actors = [a for a in actors if a != hit[0] or _named_itself(trigger.sent, a)]
    else:  # a body's home is where, and its country still acts ("the White House said": Washington)
        place = entities.places.home(_home_bodies(entities, trigger, actors), typ)
    return actors, place


def _home_bodies(entities: Entities, trigger: Token, actors: list[str]) -> list[str]:
    """The bodies whose home may be the event's place: a seat of government acting for its country
    ("the White House said"), then the bodies among its ``actors``; none when two sides take part, two
    bodies or a body acting on a name that is no person ("Acme Group bought Leeds United", "Leeds
    United beat Kelso"): the event is at one side's home or neither's."""
    bodies = [
        a
        for a in actors
        if a not in entities.names.full_persons and (office(a) is not None or actor_kind(a) != "country")
    ]
    if len(bodies) > 1 or _acts_on_a_side(entities, trigger):
        return []
    offices = [
        name
        for arg, rank in _arguments(trigger, entities.event_nouns)
        if rank == 0 and (e := entities.at(arg)) is not None and (name := office(e.text)) is not None
    ]
    return [*offices, *bodies]


def _acts_on_a_side(entities: Entities, trigger: Token) -> bool:
    """Whether the verb's object names a body, or a name that is no person's (a club the small model
    takes for a town or leaves untagged: "beat Kelso"), not a person or a thing."""
    if trigger.pos_ not in ("VERB", "AUX"):
        return False
    for c in trigger.children:
        if c.dep_ != "dobj":
            continue
        e = entities.at(c)
        if e is not None and e.label_ in ("ORG", "GPE"):
            return True
        if (
            e is None
            and c.pos_ == "PROPN"
            and entities.names.known(c.text) not in entities.names.full_persons
        ):
            return True
    return False


def _presiding_roles(trigger: Token) -> tuple[str, ...]:
    """The roles of those who preside over the event a bare noun names ("the verdict": the judge); a
    verb ("a regional court sentenced her") or a noun with its own agent ("the appeal court's
    ruling") names who did it, maybe another court than the judge the article names."""
    if trigger.pos_ != "NOUN" or any(c.dep_ in ("poss", "compound") for c in trigger.children):
        return ()
    return _PRESIDED.get(trigger.lemma_.lower(), ())


def _named_itself(sent: Span, name: str) -> bool:
    return name.casefold() in sent.text.casefold()


def participants(entities: Entities, trigger: Token, *, own: bool = False) -> list[str]:
    """The actors of the event ``trigger`` names, by their names in the article, agent first; an
    event noun without arguments (unless ``own``) takes those of the clause it stands in."""
    found: dict[str, int] = {}
    for arg, rank in _arguments(trigger, entities.event_nouns):
        # a word the model left untagged (and a body "at" which: "his spell at Acme") is read only in
        # the clause's own phrases, not in a subject borrowed through a chain of clauses, where a
        # wrong parse costs most
        for pos, name in _named_in(entities, arg, untagged=entities.in_subtree(arg, trigger)):
            if rank == _EMPLOYER and (name in entities.names.countries or actor_kind(name) != "organisation"):
                continue
            found.setdefault(name, rank * 10_000 + pos)
            country = entities.names.serves.get(name)
            if country is not None and entities.doc[pos].tag_ not in ("PRP", "PRP$"):
                # a head of state named in the clause acts for the country ("they paused their
                # vacation" is not the country's deed)
                found.setdefault(country, rank * 10_000 + pos)
    if not found and not own:  # an event noun (or participle) without arguments: those of its clause
        for head in _governing_clause(trigger):
            for arg, rank in _clause_arguments(head):
                for pos, name in _named_in(entities, arg, untagged=False):
                    found.setdefault(name, 20_000 + rank * 10_000 + pos)
    return sorted(found, key=lambda n: found[n])


def agents_of(entities: Entities, trigger: Token) -> list[str]:
    """The actors that act in the event ``trigger`` names, by their names in the article (a pronoun or
    a role description resolved): an active verb's subject, a passive's "by" agent, an event noun's
    possessor ("the regulator's veto") or the subject of its support verb ("Acme completed its
    acquisition"). A passive's subject is acted on, not acting."""
    heads: list[Token] = []
    if trigger.pos_ in ("VERB", "AUX"):
        for c in trigger.children:
            if c.dep_ == "nsubj":
                heads.append(trigger.head if c.tag_ in ("WDT", "WP") and trigger.dep_ == "relcl" else c)
            elif c.dep_ == "agent":
                heads += [g for g in c.children if g.dep_ == "pobj"]
    else:
        heads = [c for c in trigger.children if c.dep_ == "poss"]
        if trigger.dep_ in ("dobj", "attr") and trigger.head.pos_ in ("VERB", "AUX"):
            heads += [c for c in trigger.head.children if c.dep_ == "nsubj"]
    names: dict[str, None] = {}
    for head in heads:
        for _, name in _named_in(entities, head, untagged=entities.in_subtree(head, trigger)):
            names[name] = None
    return list(names)


def _governing_clause(tok: Token) -> list[Token]:
    """The verb or predicate of the clause a noun stands in ("China has been lukewarm about
    Russia's war since the invasion" -> "lukewarm", "been"), within a few steps up the parse."""
    if tok.pos_ in ("VERB", "AUX"):
        if tok.dep_ not in ("acl", "relcl"):
            return []
        tok = tok.head  # "the events unfolding since ... have changed Moscow's calculus"
    for _ in range(4):
        if tok.head.i == tok.i:
            return []
        tok = tok.head
        if tok.pos_ in ("VERB", "AUX", "ADJ") and tok.dep_ not in ("amod", "compound"):
            return [tok, tok.head] if tok.dep_ in ("acomp", "oprd") else [tok]
    return []


def _arguments(trigger: Token, event_nouns: Mapping[str, str]) -> Iterator[tuple[Token, int]]:
    """(argument head, rank) of the event: agent and subject rank 0, the rest 1."""
    if trigger.pos_ in ("VERB", "AUX"):
        yield from _clause_arguments(trigger)
        return
    hazard = event_nouns.get(trigger.lemma_.lower()) in HAZARD_TYPES
    for c in trigger.children:
        if c.dep_ == "compound" and hazard:
            continue  # "the Lahaina wildfire": where, not who
        if c.dep_ in ("poss", "compound", "amod", "nmod", "appos"):
            yield c, 0 if c.dep_ == "poss" else 1
        elif c.dep_ == "prep" and (c.lower_ in _PARTNER_PREPS or c.lower_ == "of"):
            yield from ((g, 1) for g in c.children if g.dep_ == "pobj")
        elif c.dep_ == "prep" and c.lower_ in _LOCATIVE:
            yield from ((g, 1) for g in c.children if g.dep_ == "pobj" and g.ent_type_ in ("ORG", "PERSON"))
    head = trigger.head
    if trigger.dep_ in ("dobj", "attr") and head.pos_ in ("VERB", "AUX"):
        # a support verb's subject does the deed: "Microsoft completed its acquisition"
        yield from ((c, 0) for c in head.children if c.dep_ in _SUBJECTS)


def _clause_arguments(verb: Token) -> Iterator[tuple[Token, int]]:
    own = False
    passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children) and not any(
        c.dep_ == "agent" for c in verb.children
    )
    for c in verb.children:
        if c.dep_ in _SUBJECTS:
            own = True
            yield (verb.head, 0) if c.tag_ in ("WDT", "WP") and verb.dep_ == "relcl" else (c, 0)
        elif c.dep_ in _OBJECTS:
            yield c, 1
        elif c.dep_ == "agent":
            yield from ((g, 0) for g in c.children if g.dep_ == "pobj")
        elif c.dep_ == "prep" and c.lower_ in _PARTNER_PREPS and c.lower_ != "of":
            # a verb's "of" says what about, not who with ("spoke of the risks", "warned of war")
            yield from ((g, 1) for g in c.children if g.dep_ == "pobj")
        elif c.dep_ == "prep" and c.lower_ in _LOCATIVE:
            # "spoke on the Northern Star": a body after "on" is where, not who
            yield from (
                (g, 1) for g in c.children if g.dep_ == "pobj" and _names_someone(g, c.lower_ != "on")
            )
        elif c.dep_ == "prep" and c.lower_ == "as":  # "appointed as Acme manager": the employer
            yield from ((g, _EMPLOYER) for g in c.children if g.dep_ == "pobj" and g.pos_ == "NOUN")
        elif c.dep_ in ("ccomp", "xcomp", "acomp") and c.pos_ in ("ADJ", "NOUN"):
            # a small clause: "found Bankman-Fried guilty", "named Amorim head coach"
            yield from ((g, 1) for g in c.children if g.dep_ in ("nsubj", "compound", "npadvmod"))
        if c.dep_ == "prep" and passive:  # "sworn in as president by the Chief Justice": a misplaced agent
            yield from ((g, 0) for g in lower_agents(c))
    if not own:
        borrowed = absolute_subject(verb) or subject_read_as_object(verb) or borrowed_subject(verb)
        if borrowed is not None:
            yield borrowed, 0


def _names_someone(pobj: Token, bodies: bool = True) -> bool:
    """Whether the object of a locative preposition is a person or body ("talks at NATO"; a body only
    with ``bodies``), or a noun the small model put there with the name in apposition ("declared on
    Sunday leader Ann Reed")."""
    return pobj.ent_type_ in (("ORG", "PERSON") if bodies else ("PERSON",)) or any(
        c.dep_ == "appos" and c.ent_type_ in ("ORG", "PERSON") for c in pobj.children
    )


def _named_in(entities: Entities, arg: Token, *, untagged: bool) -> Iterator[tuple[int, str]]:
    """(token, name) of each actor an argument's phrase names: its entities, a pronoun and a role
    description resolved to the one they stand for. A place is no actor."""
    seen: set[int] = set()
    for tok in _phrase(arg, entities.event_nouns, at=untagged):
        e = entities.at(tok)
        if e is not None:
            if e.start in seen:
                continue
            seen.add(e.start)
            hit = entities.actor(e)
            if hit is None or (hit[1] == "country" and _where_not_who(e)) or _at_place(e, hit[0]):
                continue
            yield e.start, hit[0]
            seat = canonical(hit[0], "GPE") if hit[1] == "organisation" else None
            if seat is not None and seat[1] == "country":  # "Kremlin spokesman": for Russia too
                yield e.start, seat[0]
        elif tok.tag_ in ("PRP", "PRP$"):
            name = entities.names.pronoun(tok)
            if name is not None:
                yield tok.i, name
            for name in entities.names.plural(tok):
                yield tok.i, name
        elif untagged and tok.pos_ in ("PROPN", "NOUN") and tok.dep_ != "compound" and tok.text[:1].isupper():
            name = entities.names.known(tok.text)  # a name the small model did not tag: "Amorim"
            if name is not None:
                yield tok.i, name
        elif tok.pos_ == "NOUN" and tok.dep_ not in ("compound", "amod"):
            name = entities.names.role(tok) or entities.state_body(tok) or _local_body(entities, tok)
            if name is not None:
                yield tok.i, name


def _at_place(e: Span, name: str) -> bool:
    """Whether a name after "at" may be a place: only a body by its name's shape ("his spell at
    Acme United") takes part; "reporters at Northolt" says where."""
    return e.root.dep_ == "pobj" and e.root.head.lower_ == "at" and actor_kind(name) != "organisation"


def _local_body(entities: Entities, tok: Token) -> str | None:
    """The local government a place and a noun name when it acts: "Kent county announced" ->
    "Kent County"."""
    if tok.lemma_.lower() not in _LOCAL_BODIES or tok.dep_ not in _SUBJECTS:
        return None
    place = next((c for c in tok.lefts if c.dep_ == "compound" and c.ent_type_ in _PLACE), None)
    e = entities.at(place) if place is not None else None
    return f"{e.text} {tok.text.title()}" if e is not None and e.end == tok.i else None


def _where_not_who(e: Span) -> bool:
    """Whether a country is where the event is, not who takes part: "talks in Russia", "the UK's
    antitrust watchdog" (the watchdog acts, in the UK)."""
    root = e.root
    if root.dep_ == "pobj" and root.head.lower_ in _LOCATIVE:
        return True
    head = root.head
    return (
        root.dep_ in ("poss", "compound", "amod")
        and head.pos_ == "NOUN"
        and head.lemma_.lower() in BODY_ROLES
    )


def _phrase(tok: Token, event_nouns: Mapping[str, str], *, at: bool = False) -> Iterator[Token]:
    """The words of an argument's phrase that may name an actor: the head, its name words,
    possessor, coordinated and apposed nouns, and the object of its "of"; no clauses. A person's
    "of" ("Ann Reed of the Green Party") and an apposition's ("Ann Reed, the leader of the party")
    say who they are, not who took part (nor does a name's own "of": "Reed of Acme"; but "of" a
    country says whom a person acts for)."""
    stack = [tok]
    while stack:
        t = stack.pop()
        yield t
        described = t.dep_ == "appos" or (t.pos_ == "PROPN" and t.ent_type_ in ("PERSON", "ORG"))
        hazard = t.pos_ == "NOUN" and event_nouns.get(t.lemma_.lower()) in HAZARD_TYPES
        for c in t.children:
            if hazard and c.dep_ == "compound":
                continue  # "the toll from the Lahaina wildfire": where, not who
            if described and c.dep_ == "appos" and c.i > 0 and c.doc[c.i - 1].text == "(":
                continue  # "Tom Hale (GU)": a person's party or firm
            if (
                c.dep_ in _PHRASE_DEPS
                or (c.dep_ == "prep" and c.lower_ in _PHRASE_PREPS and (not described or _of_country(c)))
                or (at and c.dep_ == "prep" and c.lower_ == "at" and not described)
                or (c.dep_ == "pobj" and t.dep_ == "prep")
            ):
                stack.append(c)


def _of_country(prep: Token) -> bool:
    """ "Kim Jong Un of North Korea": a name's "of" a country says whom the person acts for."""
    if prep.lower_ != "of":
        return False
    for g in prep.children:
        hit = canonical(g.doc[g.left_edge.i : g.i + 1].text, "GPE") if g.dep_ == "pobj" else None
        if hit is not None and hit[1] == "country":
            return True
    return False
