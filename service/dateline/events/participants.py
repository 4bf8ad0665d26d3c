"""Who took part in an event: the named participants of its clause, each by its name in the article.

An event's actors are its own arguments (subject, object, the agent of a passive, prepositional
partners, the possessor of an event noun), never every name its sentence holds. A pronoun or a role
description among those arguments ("he", "its", "the judge", "the county's top emergency official") stands
for the person or body it names in the article (:class:`Names`). The place is worked out by
:mod:`dateline.events.places`; the canonical names by :mod:`dateline.events.actors`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from spacy.tokens import Span, Token

from dateline.events.actors import actor_kind, canonical
from dateline.events.clause_places import HAZARD_TYPES, SITE_NOUNS
from dateline.events.entities import Entities
from dateline.events.homes import office
from dateline.events.person_titles import STATE_ROLES
from dateline.events.presiding import presiding_roles
from dateline.events.sides import CONTEST_VERBS, MATCH_NOUNS, misread_object
from dateline.events.sources import tally_sources
from dateline.events.spans import implied_subject, lower_agents, modified_noun, verb_read_as_modifier
from dateline.events.title_words import determined
from dateline.events.who_or_where import (
    LOCATIVE,
    at_place,
    known_body,
    local_body,
    one_of_a_nation,
    where_not_who,
)
from dateline.vocab import load

_A = load("aliases")
_SUBJECTS = ("nsubj", "nsubjpass", "csubj")
_OBJECTS = ("dobj", "dative", "attr", "oprd", "pobj")
#: prepositions whose object is a partner of the event ("met with", "a deal between", "war against")
_PARTNER_PREPS = frozenset(_A["partner_prepositions"])
#: the dependents a participant's phrase is read through: its name, possessor, coordination, apposition
_PHRASE_DEPS = frozenset({"compound", "poss", "amod", "nmod", "conj", "appos", "npadvmod", "nummod"})
#: prepositions inside an argument's phrase whose object takes part too ("partnership with North Korea")
_PHRASE_PREPS = frozenset({"of", "from", "with", "between", "by", "against", "for", "over", "versus"})
#: posts whose "of" is the place the holder serves ("a former mayor of Redbury"), not a participant
_PLACE_POSTS = frozenset(_A["place_posts"])
#: holdings named by the body they are in ("shares in Acme fell")
_HOLDING_NOUNS = frozenset(_A["holding_nouns"])
#: what a match ends in, which a clause may name it by ("the result sealed his fate")
_RESULT_NOUNS = frozenset({"result", "outcome", "scoreline"})
#: prepositions that make an event the scene of a deed ("at the summit", "during the hearing")
_SCENE_PREPS = frozenset({"at", "during"})
#: the rank of a role's qualifier ("as Acme manager"): a body, never the country a post serves
_EMPLOYER = 2


#: event types a person acts in for the body they work for: a statement, a post taken or left
_FOR_EMPLOYER = ("statement", "personnel")
#: a place that is the object of these event types is where they happen: "visited Hanoi", "shelled
#: Kharkiv", "an earthquake hit Turkey"
_PLACE_OBJECT_TYPES = ("visit", "combat", *HAZARD_TYPES)


def actors_and_place(
    entities: Entities, sent: Span, trigger: Token, typ: str, *, background: bool = False
) -> tuple[list[str], str | None]:
    """The event's actors (:func:`participants`) and its place (:meth:`Places.of_event`, else the
    home a body among its actors names, the subject's first: :meth:`Places.home`, else, when no
    other body takes part, the home of the body the article is about: :meth:`Entities.main_body`)."""
    place = entities.places.of_event(sent, trigger, typ, _PLACE_OBJECT_TYPES, background=background)
    actors = participants(entities, trigger)
    actors += [s for s in tally_sources(entities, trigger) if s not in actors]  # "according to X"
    for role in presiding_roles(trigger):  # "the verdict": Judge Ann Reed's
        presider = entities.names.only(role)
        if presider is not None and presider not in actors:
            actors.append(presider)
    # "... met for a summit in Vale, and at the summit Ann Reed warned": she was there
    again = (t for t in trigger.sent if t.i != trigger.i and t.lemma_ in _event_nouns_of(trigger))
    actors += [a for t in again for a in scene_agents(entities, t) if a not in actors]
    if typ in _FOR_EMPLOYER:  # "Acme CEO Ann Reed said": Acme speaks through her
        employers = entities.names.employers
        actors = list(dict.fromkeys(x for a in actors for x in (a, employers.get(a)) if x is not None))
    if place is not None:  # "visited Hanoi": the capital is where, not who (its country stays when named)
        where = place.split(",")[0]
        hit = canonical(where, "GPE")
        if hit is not None and hit[0] != where and not any(where in a for a in actors):
            actors = [a for a in actors if a != hit[0] or _named_itself(trigger.sent, a)]
        elif typ in HAZARD_TYPES:  # "an earthquake hit Turkey": struck, not taking part
            actors = [a for a in actors if a not in (where, hit[0] if hit else None)]
    else:  # a body's home is where, and its country still acts ("the White House said": Washington)
        place = entities.places.home(_home_bodies(entities, trigger, actors), typ)
        main = entities.main_body()
        if (
            place is None
            and main is not None
            and all(a == main or a in entities.names.full_persons for a in actors)
        ):
            place = entities.places.home([main], typ)  # an article about a club: its people act at home
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
    # an event noun (or participle) without arguments takes those of its clause, and a match without
    # its side ("sacked its coach after a defeat at Harwick") the clause's subject
    side = bool(found) and trigger.lemma_.lower() in MATCH_NOUNS and min(found.values()) >= 10_000
    if (not found or side) and not own:
        heads = _governing_clause(trigger)
        for head in heads + _side_clause(trigger, heads):
            for arg, rank in _clause_arguments(head):
                if rank > 0 and (side or head not in heads):
                    continue
                for pos, name in _named_in(entities, arg, untagged=False):
                    found.setdefault(name, pos if side else 20_000 + rank * 10_000 + pos)
    match = None if own else _match_resulting(trigger)
    if match is not None:  # "Harwick held Easton to a draw, and the result cost the coach his job"
        for name in participants(entities, match, own=True):
            found.setdefault(name, 30_000)
    return sorted(found, key=lambda n: found[n])


def _match_resulting(trigger: Token) -> Token | None:
    """The match that "the result" subject of ``trigger`` stands for: the last match noun its sentence
    names before it ("... held Easton to a 2-2 draw, and the result on Saturday cost the coach his job")."""
    subject = next((c for c in trigger.children if c.dep_ in _SUBJECTS), None)
    if subject is None or subject.lemma_.lower() not in _RESULT_NOUNS or not determined(subject):
        return None
    before = [
        t for t in trigger.sent if t.i < subject.i and t.lemma_.lower() in MATCH_NOUNS and t.pos_ == "NOUN"
    ]
    return before[-1] if before else None


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


def _event_nouns_of(trigger: Token) -> set[str]:
    """The nouns that name the event again in its sentence: the trigger's own, and a verb's object
    ("held a summit", "met for a summit")."""
    if trigger.pos_ == "NOUN":
        return {trigger.lemma_}
    objects = (g for c in trigger.children for g in (c, *c.children) if g.dep_ in ("dobj", "pobj"))
    return {g.lemma_ for g in objects if g.pos_ == "NOUN"}


def scene_agents(entities: Entities, noun: Token) -> list[str]:
    """Those who act at an event a noun names as the scene of their deed ("at the summit, Ann Reed
    warned", "during the hearing, he apologised"): they take part in it."""
    prep = noun.head
    if noun.dep_ != "pobj" or prep.lower_ not in _SCENE_PREPS or prep.head.pos_ not in ("VERB", "AUX"):
        return []
    return agents_of(entities, prep.head)


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


def _side_clause(match: Token, heads: list[Token]) -> list[Token]:
    """The clause a match noun's own clause hangs on, when the match is that clause's subject: its
    subject is the side ("sacked its coach after the defeat at Harwick meant the club was bottom")."""
    if not heads or match.lemma_.lower() not in MATCH_NOUNS:
        return []
    clause = heads[0]
    if match.dep_ in _SUBJECTS and match.head.i == clause.i and clause.dep_ in ("conj", "advcl"):
        return [clause.head] if clause.head.pos_ in ("VERB", "AUX") else []
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
        elif c.dep_ == "acl" and c.tag_ == "VBN":  # "talks mediated by Austria", "a deal brokered by Qatar"
            agents = (a for a in c.children if a.dep_ == "agent")
            yield from ((g, 1) for a in agents for g in a.children if g.dep_ == "pobj")
        elif c.dep_ == "prep" and c.lower_ in LOCATIVE:
            # "a defeat at Harwick": the side at home there, whoever the small model takes it for
            sides = (
                ("ORG", "PERSON", "GPE")
                if c.lower_ == "at" and trigger.lemma_.lower() in MATCH_NOUNS
                else ("ORG", "PERSON")
            )
            yield from ((g, 1) for g in c.children if g.dep_ == "pobj" and g.ent_type_ in sides)
    head = trigger.head
    if trigger.dep_ in ("dobj", "attr") and head.pos_ in ("VERB", "AUX"):
        # a support verb's subject does the deed: "Microsoft completed its acquisition"
        yield from ((c, 0) for c in head.children if c.dep_ in _SUBJECTS)


def _clause_arguments(verb: Token) -> Iterator[tuple[Token, int]]:
    own = False
    misread = misread_object(verb)  # "Arsenal beat Tottenham 3-1"
    passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children) and not any(
        c.dep_ == "agent" for c in verb.children
    )
    for c in verb.children:
        if c.dep_ in _SUBJECTS:
            own = True
            yield (verb.head, 0) if c.tag_ in ("WDT", "WP") and verb.dep_ == "relcl" else (c, 0)
        elif c.dep_ in _OBJECTS or (misread is not None and c.i == misread.i):
            yield c, 1
        elif c.dep_ == "agent":
            yield from ((g, 0) for g in c.children if g.dep_ == "pobj")
        elif c.dep_ == "prep" and c.lower_ in _PARTNER_PREPS and c.lower_ != "of":
            # a verb's "of" says what about, not who with ("spoke of the risks", "warned of war")
            yield from ((g, 1) for g in c.children if g.dep_ == "pobj")
        elif c.dep_ == "prep" and c.lower_ in LOCATIVE:
            # "spoke on the Northern Star": a body after "on" is where, not who
            yield from (
                (g, 1) for g in c.children if g.dep_ == "pobj" and _names_someone(g, c.lower_ != "on")
            )
        elif c.dep_ == "advcl" and c.tag_ == "VBG" and c.lemma_.lower() in CONTEST_VERBS:
            # "won the cup on Saturday, beating Harwick 2-1": the other side of the match won
            yield from ((g, 1) for g in c.children if g.dep_ in _OBJECTS)
        elif c.dep_ == "prep" and c.lower_ == "as":  # "appointed as Acme manager": the employer
            yield from ((g, _EMPLOYER) for g in c.children if g.dep_ == "pobj" and g.pos_ == "NOUN")
        elif c.dep_ in ("ccomp", "xcomp", "acomp") and c.pos_ in ("ADJ", "NOUN"):
            # a small clause: "found Bankman-Fried guilty", "named Prado head coach"
            yield from ((g, 1) for g in c.children if g.dep_ in ("nsubj", "compound", "npadvmod"))
        elif c.dep_ == "xcomp" and c.pos_ == "VERB":  # "agreed to buy X", "to be acquired by X"
            yield from ((g, 1) for g in c.children if g.dep_ in ("dobj", "dative"))
            agents = (g for g in c.children if g.dep_ == "agent")
            yield from ((p, 0) for g in agents for p in g.children if p.dep_ == "pobj")
        if c.dep_ == "prep" and passive:  # "sworn in as president by the Chief Justice": a misplaced agent
            yield from ((g, 0) for g in lower_agents(c))
    if verb_read_as_modifier(verb):  # "Leeds United sacked manager Tom Hale": Tom Hale
        yield modified_noun(verb), 1
    if not own:
        borrowed = implied_subject(verb)
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
        if e is not None and one_of_a_nation(e):  # "the Ukrainian defeated ...": a person
            person = entities.names.person_before(e.root, sure=True) if e.start not in seen else None
            if person is not None:
                yield e.start, person
            seen.add(e.start)
        elif e is not None:
            if e.start in seen:
                continue
            seen.add(e.start)
            hit = entities.actor(e)
            if hit is None or (hit[1] == "country" and where_not_who(e)) or at_place(e, hit[0]):
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
        elif tok.dep_ == "compound" and tok.pos_ == "PROPN" and (body := known_body(tok.text)) is not None:
            yield tok.i, body  # "the BRICS summit": a body the small model left untagged
        elif untagged and tok.pos_ in ("PROPN", "NOUN") and tok.dep_ != "compound" and tok.text[:1].isupper():
            name = entities.names.known(tok.text)  # a name the small model did not tag: "Prado"
            if name is not None:
                yield tok.i, name
        elif tok.pos_ in ("NOUN", "ADJ") and tok.dep_ not in ("compound", "amod", "npadvmod"):
            # "the judge", "the government", "Kent county", "the 58-year-old"
            name = (
                (entities.names.role(tok) or entities.state_body(tok) or local_body(entities, tok))
                if tok.pos_ == "NOUN"
                else None
            ) or entities.aged(tok)
            if name is not None:
                yield tok.i, name


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
        site = t.pos_ == "NOUN" and t.lemma_.lower() in SITE_NOUNS
        for c in t.children:
            if (hazard or site) and c.dep_ == "compound" and (hazard or c.ent_type_ != "ORG"):
                continue  # "the toll from the Lahaina wildfire", "from the Andøya spaceport": where, not who
            if described and c.dep_ == "appos" and c.i > 0 and c.doc[c.i - 1].text == "(":
                continue  # "Tom Hale (GU)": a person's party or firm
            if _nationality_of_a_person(t, c):
                continue  # "Ann Reed, the British-Canadian journalist": who she is, not who took part
            if (
                c.dep_ in _PHRASE_DEPS
                or (
                    c.dep_ == "prep"
                    and c.lower_ in _PHRASE_PREPS
                    and (not described or _of_country(c))
                    and not (c.lower_ == "of" and t.lemma_.lower() in _PLACE_POSTS)
                )
                or (at and c.dep_ == "prep" and c.lower_ == "at" and not described)
                or (c.dep_ == "prep" and c.lower_ == "in" and t.lemma_.lower() in _HOLDING_NOUNS)
                or (c.dep_ == "pobj" and t.dep_ == "prep")
            ):
                stack.append(c)


def _nationality_of_a_person(appos: Token, word: Token) -> bool:
    """Whether ``word`` is a nationality in an apposition that says who a person is ("Ann Reed, the
    British journalist"); one of a state's post says whom they act for ("the Russian president")."""
    return (
        appos.dep_ == "appos"
        and appos.head.ent_type_ == "PERSON"
        and word.ent_type_ == "NORP"
        and appos.lemma_.lower() not in STATE_ROLES
        and not any(c.lemma_.lower() in STATE_ROLES for c in appos.children)
    )


def _of_country(prep: Token) -> bool:
    """ "Kim Jong Un of North Korea": a name's "of" a country says whom the person acts for."""
    if prep.lower_ != "of":
        return False
    for g in prep.children:
        hit = canonical(g.doc[g.left_edge.i : g.i + 1].text, "GPE") if g.dep_ == "pobj" else None
        if hit is not None and hit[1] == "country":
            return True
    return False
