"""What kind of event a trigger word names in its clause: a type and a subtype.

Most words name one kind wherever they stand ("arrest", "earthquake"). Others take their kind from
the clause (``qualified_verbs``, ``qualified_nouns`` in ``data/triggers.json``): "workers went on
strike" is a labour strike, "a missile strike" an attack; "transferred the striker" a player transfer,
"transferred shells" an arms transfer; "talks collapsed" a breakdown of talks, "the building
collapsed" an accident, "the exchange's collapse" a business collapse. A rule names a group of qualifier words
and the sense it gives; the first rule whose words the clause holds wins, else the word's default.
Adding a word or a sense is a data change.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from spacy.tokens import Token

from dateline.timex.component import governing_verb
from dateline.vocab import load

_NOUNS = ("NOUN", "PROPN")
#: children that open a clause of their own: their words qualify that clause, not this one
_CLAUSAL = frozenset({"advcl", "ccomp", "xcomp", "conj", "parataxis", "relcl", "acl", "csubj", "cc"})
_SUBJECTS = frozenset({"nsubj", "agent", "poss"})
_OBJECTS = frozenset({"dobj", "nsubjpass", "dative", "attr", "oprd"})
#: a sense that is the qualifying word's own ("the toll rose": whatever kind of toll it is)
OWN = "*"
#: a sense that says the word names no event of its own there ("23 people died" in a flood)
NONE = "none"


@dataclass(frozen=True)
class Sense:
    """A kind of event: a coarse ``type`` and a finer ``subtype`` (None for ``other``, or when the clause
    gives the type but not the kind)."""

    type: str
    subtype: str | None = None

    @classmethod
    def parse(cls, spec: str) -> Sense:
        """ "justice.arrest" -> (justice, arrest); "justice" -> (justice, None)."""
        typ, _, sub = spec.partition(".")
        return cls(typ, sub or None)


#: what a rule that says NONE yields
_NONE = Sense("none")

#: qualifier group -> sense spec ("type.subtype", a bare "type", "other", OWN or NONE), in order
Rules = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class SenseTable:
    """The words and rules of ``data/triggers.json``: each plain trigger's sense, each qualified word's
    rules (with ``default``), the qualifier groups, and the generic nouns ("the incident")."""

    verbs: dict[str, Sense]
    nouns: dict[str, Sense]
    qualified_verbs: dict[str, Rules]
    qualified_nouns: dict[str, Rules]
    qualifiers: dict[str, frozenset[str]]
    generic_nouns: frozenset[str]

    @classmethod
    @cache
    def default(cls) -> SenseTable:
        """The table of ``data/triggers.json``, read once."""
        return cls.from_data(load("triggers"))

    @classmethod
    def from_data(cls, t: Mapping[str, Any]) -> SenseTable:
        verbs: dict[str, Sense] = {}
        nouns: dict[str, Sense] = {}
        for typ, entry in t["types"].items():
            for lemma in entry.get("nouns", ()):  # "other": event nouns of no listed kind
                nouns[lemma] = Sense(typ)
            for sub, words in entry.get("subtypes", {}).items():
                verbs.update((lemma, Sense(typ, sub)) for lemma in words.get("verbs", ()))
                nouns.update((lemma, Sense(typ, sub)) for lemma in words.get("nouns", ()))
        return cls(
            verbs=verbs,
            nouns=nouns,
            qualified_verbs={w: tuple(r.items()) for w, r in t["qualified_verbs"].items()},
            qualified_nouns={w: tuple(r.items()) for w, r in t["qualified_nouns"].items()},
            qualifiers={k: frozenset(v) for k, v in t["qualifiers"].items()},
            generic_nouns=frozenset(t["generic_nouns"]),
        )

    def may_be(self, typ: str, part: str) -> frozenset[str]:
        """The lemmas of one part of speech that name an event of type ``typ`` in some sense ("defeat"
        in sport, beside an election's or a battle's)."""
        plain = self.verbs if part == "verbs" else self.nouns
        qualified = self.qualified_verbs if part == "verbs" else self.qualified_nouns
        found = {w for w, s in plain.items() if s.type == typ}
        found |= {w for w, rules in qualified.items() if any(Sense.parse(r).type == typ for _, r in rules)}
        return frozenset(found)

    def types_by_word(self, part: str) -> dict[str, str]:
        """lemma -> type of every word of one part of speech (``verbs``, ``nouns``); a qualified
        word by its default (``other`` when it has none)."""
        plain = self.verbs if part == "verbs" else self.nouns
        qualified = self.qualified_verbs if part == "verbs" else self.qualified_nouns
        out = {w: s.type for w, s in plain.items()}
        for word, rules in qualified.items():
            if word not in out:
                out[word] = Sense.parse(dict(rules).get("default", "other")).type
        return out


class EventTypes:
    """Which kind of event a word names, by the vocabulary; a qualified word by the words of its
    clause ("sent troops": a deployment, "sent weapons": an arms transfer)."""

    def __init__(self, table: SenseTable) -> None:
        self.t = table

    # -- the senses ---------------------------------------------------------------------------

    def verb_sense(self, tok: Token, depth: int = 0) -> Sense | None:
        lemma = self._verb_lemma(tok)
        rules = self.t.qualified_verbs.get(lemma)
        if rules is not None:
            found = self._by_rules(rules, _verb_scope(tok), depth)
            if found is not None:
                return None if found is _NONE else found
        return self.t.verbs.get(lemma)

    def _verb_lemma(self, tok: Token) -> str:
        """The lemma, or the stem of the form when the lemmatiser slips and the stem is a trigger
        ("raged" -> "rag": "rage")."""
        lemma = tok.lemma_.lower()
        if lemma in self.t.verbs or lemma in self.t.qualified_verbs:
            return lemma
        form = tok.lower_
        for suffix, add in (
            ("ed", "e"),
            ("ed", ""),
            ("d", ""),
            ("es", ""),
            ("s", ""),
            ("ing", "e"),
            ("ing", ""),
        ):
            stem = form[: -len(suffix)] + add if form.endswith(suffix) else ""
            if stem in self.t.verbs or stem in self.t.qualified_verbs:
                return stem
        return lemma

    def noun_sense(self, tok: Token, depth: int = 0) -> Sense | None:
        if tok.pos_ != "NOUN":
            return None  # a proper name ("Progress Alliance") names no event
        for word in dict.fromkeys((tok.lemma_.lower(), tok.lower_)):
            rules = self.t.qualified_nouns.get(word)
            if rules is not None:
                found = self._by_rules(rules, _noun_scope(tok), depth)
                if found is not None:
                    return None if found is _NONE else found
            if word in self.t.nouns:
                return self.t.nouns[word]
        return None

    def sense(self, tok: Token, depth: int = 0) -> Sense | None:
        """The sense of a trigger of either part of speech (``depth``: how many rules led here)."""
        return self.verb_sense(tok, depth) if tok.pos_ in ("VERB", "AUX") else self.noun_sense(tok, depth)

    def subtype_of(self, tok: Token, typ: str) -> str | None:
        """The subtype ``tok`` names when it names an event of type ``typ`` (None otherwise)."""
        found = self.sense(tok)
        return found.subtype if found is not None and found.type == typ else None

    # -- the types, for callers that need no subtype -------------------------------------------

    def verb_type(self, tok: Token) -> str | None:
        found = self.verb_sense(tok)
        return found.type if found is not None else None

    def noun_type(self, tok: Token) -> str | None:
        found = self.noun_sense(tok)
        return found.type if found is not None else None

    def is_generic(self, tok: Token) -> bool:
        return tok.lemma_.lower() in self.t.generic_nouns or tok.lower_ in self.t.generic_nouns

    # -- rules ---------------------------------------------------------------------------------

    def _by_rules(self, rules: Rules, scope: dict[str, Token], depth: int) -> Sense | None:
        default: str | None = None
        for group, spec in rules:
            if group == "default":
                default = spec
                continue
            words = self.t.qualifiers[group]
            hit = next((t for key, t in scope.items() if key in words), None)  # the first one met
            if hit is not None:
                return self._resolve(spec, hit, depth)
        return Sense.parse(default) if default is not None else None

    def _resolve(self, spec: str, hit: Token, depth: int) -> Sense | None:
        """The sense a rule gives: fixed ("combat.attack"), or the type with the qualifying word's own
        subtype ("disaster": "hit by an earthquake" is an earthquake), or the word's own sense (OWN),
        or none at all (NONE)."""
        if spec == NONE:
            return _NONE
        if "." in spec or spec == "other" or depth > 0:
            return Sense.parse(spec) if spec != OWN else None
        own = self.sense(hit, depth + 1)
        if own is None and hit.pos_ == "PROPN":  # "Hurricane Milton made landfall": a storm's name
            own = self.t.nouns.get(hit.lower_)
        if spec == OWN:
            return own
        return Sense(spec, own.subtype if own is not None and own.type == spec else None)


def _words(tokens: Iterable[Token], out: dict[str, Token], role: str | None = None) -> None:
    """Add the qualifier keys of ``tokens``: their forms and lemmas, ``@LABEL`` of named entities,
    and ``subj@LABEL``/``obj@LABEL``, ``subj:lemma``/``obj:lemma`` when they stand in that role."""
    for t in tokens:
        out.setdefault(t.lower_, t)
        out.setdefault(t.lemma_.lower(), t)
        if role:
            out.setdefault(f"{role}:{t.lemma_.lower()}", t)
        if _is_score(t):
            out.setdefault("@SCORE", t)
        if t.ent_type_:
            out.setdefault(f"@{t.ent_type_}", t)
            if role:
                out.setdefault(f"{role}@{t.ent_type_}", t)
        if role and t.pos_ == "PROPN":  # a name, whatever the recogniser made of it
            out.setdefault(f"{role}@PROPN", t)


def _is_score(t: Token) -> bool:
    """ "3-0", "1-1": a number, a dash and a number."""
    doc = t.doc
    return (
        t.like_num
        and t.i + 2 < len(doc)
        and doc[t.i + 1].text in ("-", "–")
        and doc[t.i + 2].like_num
        and not doc[t.i + 1].whitespace_
        and not t.whitespace_
    )


def _phrase(tok: Token) -> list[Token]:
    """``tok`` and what depends on it, without the clauses inside it."""
    out = [tok]
    for c in tok.children:
        if c.dep_ not in _CLAUSAL:
            out.extend(_phrase(c))
    return out


def _role(dep: str) -> str | None:
    return "subj" if dep in _SUBJECTS else "obj" if dep in _OBJECTS else None


def _verb_scope(verb: Token) -> dict[str, Token]:
    """The words of a verb's clause (its arguments, not its subordinate clauses), keyed for rules;
    a verb that modifies a noun ("weapons sent to Russia", "raised rates") has that noun as its object."""
    scope: dict[str, Token] = {}
    for c in verb.children:
        if c.dep_ in _CLAUSAL and c.pos_ in ("VERB", "AUX"):  # "found him guilty" keeps its small clause
            continue
        role = "subj" if c.dep_ == "agent" else _role(c.dep_)
        _words(_phrase(c), scope, role)
    if verb.dep_ in ("acl", "relcl", "amod") and verb.head.pos_ in _NOUNS:  # "raised rates"
        _words(_phrase(verb.head), scope, "obj")
    if verb.dep_ == "conj" and not any(c.dep_ in _SUBJECTS for c in verb.children):
        # "the river overflowed and killed 12 people": the subject of the verb it is joined to
        for c in verb.head.children:
            if c.dep_ in _SUBJECTS:
                _words(_phrase(c), scope, "subj")
    scope.pop(verb.lower_, None)
    scope.pop(verb.lemma_.lower(), None)
    return scope


def _controller(verb: Token) -> Token | None:
    """Who does what an infinitive without a subject of its own says: the object of the verb above
    it, else that verb's subject ("urged the regulator to rethink", "agreed to extend")."""
    if verb.dep_ != "xcomp" or any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children):
        return None
    above = {c.dep_: c for c in verb.head.children}
    return above.get("dobj") or above.get("nsubj")


def _noun_scope(noun: Token) -> dict[str, Token]:
    """The words around an event noun: its modifiers (a possessor as its subject, an "of" object as
    its object), and the verb that governs it with that verb's subject ("workers went on strike")."""
    scope: dict[str, Token] = {}
    for c in noun.children:
        if c.dep_ in _CLAUSAL:
            continue
        if c.dep_ == "prep" and c.lower_ == "of":
            _words([c], scope)
            for o in c.children:
                _words(_phrase(o), scope, "obj")
            continue
        _words(_phrase(c), scope, _role(c.dep_))
    verb = governing_verb(noun)
    if verb is not None and verb.i != noun.i:
        _words([verb], scope)
        controller = _controller(verb)
        if controller is not None:  # "urged the regulator to rethink its veto": the regulator's veto
            _words(_phrase(controller), scope, "subj")
        for c in verb.children:
            if c.dep_ in ("nsubj", "nsubjpass", "agent") and not c.left_edge.i <= noun.i <= c.right_edge.i:
                _words(_phrase(c), scope, "subj")
            elif c.dep_ == "prt":
                _words([c], scope)
            elif c.dep_ == "dobj" and noun.dep_ == "nsubj" and noun.head.i == verb.i:
                _words(_phrase(c), scope, "obj")  # "a blaze levelled the town": what the event hit
    scope.pop(noun.lower_, None)
    scope.pop(noun.lemma_.lower(), None)
    return scope
