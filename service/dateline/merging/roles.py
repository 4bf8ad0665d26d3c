"""Participant roles: whether an entity takes part in the event a trigger names.

A sentence that names an entity tells of several events, and the entity takes part in few of them
("Jobs said that the phone will ship in June": Jobs said, the phone ships). An entity's timeline holds
the events where one of its mentions is an argument of the trigger in the parse: the subject, the
object, the possessor, a prepositional argument, or a word inside that argument's noun phrase
("Apple's iPod"); a verb without a subject of its own takes its governing clause's ("prompting Apple
Corps to file suit", "While introducing the phone, Jobs ..."), a verb that modifies a noun takes that
noun ("iPods sold in France"), and an event noun the object or subject of a verb takes that verb's
subject ("Apple Corps has filed a lawsuit"). The entity's mentions are its names, and within an article
the pronouns and definite descriptions ("it", "he", "the company", "the device") whose nearest
antecedent of a fitting kind is the entity.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from spacy.tokens import Doc, Token

#: the dependencies of a trigger's direct arguments
_DIRECT = frozenset(
    {"nsubj", "nsubjpass", "csubj", "dobj", "iobj", "dative", "attr", "oprd"}
    | {"poss", "compound", "nmod", "appos"}
)
#: the dependencies that keep a word inside its head's noun phrase
_PHRASE = frozenset(
    {"compound", "poss", "nmod", "amod", "appos", "conj", "cc", "det", "nummod", "case", "punct"}
)
#: the clauses that take their governing clause's subject when they have none
_CONTROLLED = frozenset({"xcomp", "conj", "advcl", "pcomp", "ccomp"})
_SUBJECTS = frozenset({"nsubj", "nsubjpass", "csubj"})
#: the entity labels of the parser that are antecedents of a person's pronoun, and of a thing's
_PERSON_LABELS = frozenset({"PERSON"})
PERSON_PRONOUNS = frozenset({"he", "him", "his", "she", "her"})
THING_PRONOUNS = frozenset({"it", "its"})


def _phrase(head: Token, kinds: frozenset[str] = frozenset()) -> Iterator[Token]:
    """``head`` and the words of its noun phrase (not its clauses or prepositional phrases); a noun
    modifier only of a head that names a kind of thing the entity is (``kinds``: "the iPod player",
    not "iPod users")."""
    yield head
    for child in head.children:
        if child.dep_ in _PHRASE and (child.dep_ != "compound" or not _modifies(head, kinds)):
            yield from _phrase(child, kinds)


def _modifies(head: Token, kinds: frozenset[str]) -> bool:
    """Whether ``head`` is a common noun that is not one of ``kinds`` (its modifiers then name
    something else: "iPod users", "the phone's antenna")."""
    return head.pos_ == "NOUN" and head.lemma_.lower() not in kinds and head.lower_ not in kinds


def _subjects(verb: Token, depth: int = 0) -> list[Token]:
    """The subject of ``verb``'s clause, its governing clause's when it has none (an object control
    verb's object: "prompting Apple Corps to file")."""
    own = [c for c in verb.children if c.dep_ in _SUBJECTS]
    if own or depth > 3:
        return own
    if verb.dep_ in ("relcl", "acl") and verb.head.pos_ in ("NOUN", "PROPN", "PRON"):
        return [verb.head]
    if verb.dep_ in _CONTROLLED and verb.head.i != verb.i:
        objects = [c for c in verb.head.children if c.dep_ in ("dobj", "dative")]
        if verb.dep_ == "xcomp" and objects:
            return objects
        return _subjects(verb.head, depth + 1)
    return []


def arguments(trigger: Token) -> list[Token]:
    """The heads of the phrases that take part in the event ``trigger`` names."""
    heads: list[Token] = []
    for child in trigger.children:
        if child.dep_ in ("prep", "agent"):
            heads.extend(g for g in child.children if g.dep_ == "pobj")
        elif child.dep_ in _DIRECT:
            heads.append(child)
    if trigger.pos_ in ("VERB", "AUX"):
        if not any(h.dep_ in _SUBJECTS for h in heads):
            heads.extend(_subjects(trigger))
        if trigger.dep_ in ("relcl", "acl"):
            heads.append(trigger.head)
    elif trigger.dep_ in ("dobj", "attr", "nsubj", "nsubjpass", "oprd"):
        heads.extend(_subjects(trigger.head) if trigger.dep_ not in _SUBJECTS else [])
    elif trigger.dep_ == "pobj" and trigger.head.dep_ in ("prep", "agent"):
        verb = trigger.head.head
        if verb.pos_ in ("VERB", "AUX"):
            heads.extend(_subjects(verb))
    return heads


def takes_part(trigger: Token, mentions: set[int], kinds: Iterable[str] = ()) -> bool:
    """Whether a token of ``mentions`` (indices of the entity's mentions in the document) is in an
    argument of ``trigger`` (``kinds``: the nouns that name what the entity is, see :func:`_phrase`)."""
    nouns = frozenset(k.casefold() for k in kinds)
    return any(t.i in mentions for head in arguments(trigger) for t in _phrase(head, nouns))


def _describes(tok: Token, nouns: set[str]) -> bool:
    """ "the company", "this device": a description that heads its phrase (not "the iPhone 3GS")."""
    if tok.lower_ not in nouns or tok.dep_ == "compound":
        return False
    children = list(tok.children)
    if any(c.dep_ in ("compound", "nummod") and c.i > tok.i for c in children):
        return False
    return any(c.lower_ in ("the", "this") for c in children)


def _is_person(token: Token) -> bool:
    return token.ent_type_ in _PERSON_LABELS


def entity_mentions(
    doc: Doc,
    spans: Iterable[tuple[int, int]],
    person: bool,
    descriptions: Iterable[str] = (),
    name_words: Iterable[str] = (),
    titled: bool = False,
) -> set[int]:
    """The indices of the tokens of ``doc`` that mention the entity: those of the character ``spans``
    of its names, and the words that refer to it:

    * a pronoun or ``the`` + a noun of ``descriptions`` ("the company"), when the entity is the
      nearest antecedent of its kind in the same or the sentence before: for a person the last person
      named, for a thing the subject of the last clause whose subject is a thing (not a person);
    * ``the`` + a word of its name (``name_words``: "the iPhone" for "iPhone 4"), when the last word
      of that form before it was in one of the entity's names (or, before any, the article's title
      named it: ``titled``).
    """
    named: set[int] = set()
    for start, end in spans:
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is not None:
            named.update(range(span.start, span.end))
    group = "person" if person else "thing"
    pronouns = PERSON_PRONOUNS if person else THING_PRONOUNS
    nouns = {d.casefold() for d in descriptions}
    words = {w.casefold() for w in name_words}
    found = set(named)
    last: dict[str, tuple[bool, int]] = {}  # group -> (the entity?, sentence number)
    last_word: dict[str, bool] = {w: titled for w in words}
    for number, sent in enumerate(doc.sents):
        for tok in sent:
            if tok.lower_ in words:
                if tok.i not in named and _describes(tok, words) and last_word[tok.lower_]:
                    found.add(tok.i)
                last_word[tok.lower_] = tok.i in found
            if tok.i not in found and (tok.lower_ in pronouns or _describes(tok, nouns)):
                is_entity, when = last.get(group, (False, -9))
                if is_entity and number - when <= 1:
                    found.add(tok.i)
            _update(last, tok, found, number, group)
    return found


def _update(last: dict[str, tuple[bool, int]], tok: Token, found: set[int], number: int, group: str) -> None:
    """The antecedents after ``tok`` (the entity being of ``group``): a person named, a clause's
    subject."""
    if tok.i in found:
        if group == "person":
            last["person"] = (True, number)
        elif tok.dep_ in _SUBJECTS:
            last["thing"] = (True, number)
        return
    if _is_person(tok) and tok.ent_iob_ == "B":
        last["person"] = (False, number)
    if tok.dep_ in _SUBJECTS and tok.pos_ in ("NOUN", "PROPN") and not _is_person(tok) and tok.tag_ != "NNS":
        # a plural common noun ("the dealers") is no antecedent of "it"
        mine = any(t.i in found for t in _phrase(tok))
        last["thing"] = (mine, number)
