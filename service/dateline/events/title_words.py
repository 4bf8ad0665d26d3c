"""The words of a title's phrases, read off the parse: a noun phrase's words (:func:`collect`), a
term a deed gave, a person's style, a perfect that keeps its "has". Read by
:mod:`dateline.events.titles`."""

from __future__ import annotations

from spacy.tokens import Token

#: the dependents a noun phrase keeps before its head ("the new defence treaty", "Kim's") ...
_LEFT_DEPS = frozenset(
    {"compound", "amod", "poss", "case", "det", "nummod", "quantmod", "nmod", "prep", "pobj", "punct"}
)
#: ... and after it ("the treaty with Japan")
_RIGHT_DEPS = frozenset({"prep", "pobj", "compound", "case", "nummod"})
#: the units a term is counted in ("27 years", "six months")
_TIME_UNITS = frozenset({"year", "month", "week", "day", "hour", "minute", "decade"})


def term(prep: Token, pobj: Token) -> bool:
    """Whether a phrase of time is a term the deed gave, not when it happened: "sentenced to 27
    years", "banned for six months"."""
    return (
        prep.lower_ in ("to", "for")
        and pobj.lemma_.lower() in _TIME_UNITS
        and any(c.dep_ == "nummod" or c.like_num for c in pobj.children)
    )


def irregular_perfect(verb: Token, aux: Token) -> bool:
    """ "has come": a perfect whose participle is no past form keeps its "has" ("came" is not
    "come"); "has resigned" reads as "resigned"."""
    return aux.lower_ in ("has", "have") and verb.tag_ == "VBN" and not verb.lower_.endswith(("ed", "d"))


def styled(tok: Token, name: Token) -> bool:
    """A word of a person's style before the name: "chief executive Mark Ellery", "former President X"."""
    return tok.dep_ == "compound" or (
        tok.dep_ == "amod" and tok.tag_ == "JJ" and not tok.n_lefts and tok.head.i != name.i
    )


def path_up(tok: Token, head: Token) -> list[Token]:
    """The tokens from ``tok`` up to (not including) ``head``."""
    out = []
    while tok.i != head.i and tok.head.i != tok.i:
        out.append(tok)
        tok = tok.head
    return out


def collect(tok: Token, skip: set[int], words: list[Token], *, top: bool) -> None:
    """Collect the words of ``tok``'s short phrase; a coordination is kept whole and so is one
    prepositional complement (at the ``top``) and a participle's ("the sanctions imposed on X")."""
    for c in tok.lefts:
        if c.i not in skip and c.dep_ in _LEFT_DEPS and (c.dep_ != "punct" or c.text == "-"):
            collect(c, skip, words, top=False)
    words.append(tok)
    for c in tok.rights:
        if c.i in skip:
            continue
        if c.dep_ in ("conj", "cc") or (c.dep_ == "punct" and c.text == ","):
            if c.dep_ == "conj":
                collect(c, skip, words, top=top)
            elif c.dep_ == "cc" or any(g.dep_ == "conj" for g in tok.rights if g.i > c.i):
                words.append(c)
        elif c.dep_ in _RIGHT_DEPS and (c.dep_ != "prep" or top or c.lower_ == "of"):
            collect(c, skip, words, top=False)
        elif top and c.dep_ == "acl" and c.tag_ == "VBN":
            words.append(c)
            for g in c.rights:  # "imposed on X", "mediated by Austria"
                if g.dep_ in ("prep", "agent") and g.i not in skip:
                    collect(g, skip, words, top=False)
