"""The words of a title's phrases, read off the parse: a noun phrase's words (:func:`collect`), a
term a deed gave, a person's style, a perfect that keeps its "has", a post held, one subject the parse
split in two, and the chosen words made whole (:func:`whole_words`). Read by
:mod:`dateline.events.titles`."""

from __future__ import annotations

from spacy.tokens import Token

from dateline.events.actors import POSTS
from dateline.events.entities import Entities

#: the marks a title's words never run across (a name's parts or a word split by the tokenizer stop there)
STOPS = frozenset({",", ".", ";", ":", "(", ")", "[", "]", '"', "“", "”", "‘", "’", "'", "!", "?", "—", "–"})
#: the dependents a noun phrase keeps before its head ("the new defence treaty", "Kim's") ...
_LEFT_DEPS = frozenset(
    {"compound", "amod", "poss", "case", "det", "nummod", "quantmod", "nmod", "prep", "pobj", "punct"}
)
#: ... and after it ("the treaty with Japan")
_RIGHT_DEPS = frozenset({"prep", "pobj", "compound", "case", "nummod"})
_SUBJECTS = ("nsubj", "nsubjpass")
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
    """ "has come", "had beaten": a perfect whose participle is no past form keeps its "has" or "had"
    ("came" is not "come", "beat" not "beaten"); "has resigned" reads as "resigned", "had burst" as
    "burst"."""
    if verb.tag_ != "VBN":
        return False
    if aux.lower_ == "had":
        return verb.lower_.endswith(_PARTICIPLE_ENDINGS)
    return aux.lower_ in ("has", "have") and not verb.lower_.endswith(("ed", "d"))


#: how participles end that are no past form: "beaten", "shown", "gone", "begun"
_PARTICIPLE_ENDINGS = ("en", "wn", "ne", "un")


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
        elif (
            top and c.dep_ == "appos" and c.ent_type_ == "PERSON" and tok.pos_ == "NOUN" and not tok.ent_type_
        ):
            # "dismissed its chairman, Tom Hale": the role and the name of the one who holds it
            words.extend(t for t in c.subtree if t.ent_type_ == "PERSON" and t.i not in skip)
        elif top and c.dep_ == "appos" and tok.dep_ in _SUBJECTS and not c.doc[c.left_edge.i - 1].is_punct:
            collect(c, skip, words, top=False)  # "The magnitude 6.9 tremor struck": one subject parsed as two
        elif top and c.dep_ == "acl" and c.tag_ == "VBN":
            words.append(c)
            for g in c.rights:  # "imposed on X", "mediated by Austria"
                if g.dep_ in ("prep", "agent") and g.i not in skip:
                    collect(g, skip, words, top=False)


def held_post(tok: Token) -> bool:
    """Whether ``tok`` names a post its clause says someone holds ("was prime minister", "served as
    mayor")."""
    return tok.pos_ == "NOUN" and tok.lower_ in POSTS and post_verb(tok).lemma_.lower() in ("be", "serve")


def determined(noun: Token) -> bool:
    """Whether a noun has its own determiner ("the final", not "Sunday's final")."""
    return any(c.dep_ == "det" for c in noun.children)


def split_subject(subj: Token, subjects: list[Token]) -> list[Token]:
    """The subjects right after ``subj`` that continue its phrase: the small model reads "A magnitude
    6.8 earthquake" as two subjects of one verb, "magnitude" and "earthquake"."""
    out: list[Token] = []
    end = subj.right_edge.i
    for other in subjects:
        if other.i > subj.i and other.left_edge.i == end + 1 and other.i < other.head.i:
            out.append(other)
            end = other.right_edge.i
    return out


def post_verb(post: Token) -> Token:
    """The verb that says a post is held: "was" of "was prime minister", "served" of "served as"."""
    return post.head.head if post.dep_ == "pobj" and post.head.lower_ == "as" else post.head


def whole_words(
    words: dict[int, str | None], trigger: Token, skip: set[int], entities: Entities | None
) -> dict[int, str | None]:
    """``words`` with the rest of each word and name they cut into, less the words cut off
    from the trigger by a line break (a caption or heading the parse ran into)."""
    words = dict(words)
    doc = trigger.doc
    if entities is not None:
        for i in list(words):
            e = entities.at(doc[i])
            if e is not None and e.label_ not in ("DATE", "TIME"):
                for t in e:
                    if t.i not in skip:
                        words.setdefault(t.i, None)
    for i in list(words):
        j = i
        if doc[i].tag_ in ("PRP", "PRP$"):
            continue
        while (
            j > 0
            and not doc[j - 1].whitespace_
            and doc[j - 1].tag_ != "PRP"
            and doc[j - 1].text not in STOPS
            and j - 1 not in skip
        ):
            j -= 1
            words.setdefault(j, None)
        j = i
        while (
            j + 1 < len(doc) and not doc[j].whitespace_ and doc[j + 1].text not in STOPS and j + 1 not in skip
        ):
            j += 1
            words.setdefault(j, None)
    for i in list(words):
        tok = doc[i]
        if tok.dep_ == "case" and tok.head.i not in words:
            owner = tok.head
            if owner.dep_ == "poss" and owner.head.i in words and not determined(owner.head):
                words[i] = "the"  # "in Sunday's final" without its date: "in the final"
            else:
                del words[i]  # "Sunday's" without its date
        elif tok.text[:1] in ("'", "’") and tok.pos_ == "AUX" and i - 1 not in words:
            del words[i]  # "it's burned" without "it": no "'s burned"
        elif tok.dep_ == "prep" and tok.children and not any(c.i in words for c in tok.children):
            del words[i]  # "a flood in April this year forced ...": no "in" without its object
        elif tok.is_space or _line_break(tok, trigger):
            del words[i]
    return words


def _line_break(tok: Token, trigger: Token) -> bool:
    """Whether a line break lies between ``tok`` and the trigger."""
    a, b = sorted((tok.i, trigger.i))
    return any("\n" in t.whitespace_ or (t.is_space and "\n" in t.text) for t in tok.doc[a:b])


def misread_apposition(verb: Token, obj: Token) -> list[Token]:
    """The name right after a role noun that the small model hung on the verb as an adverbial noun
    ("sacked coach Xavi Hernandez": "Hernandez" an npadvmod of "sacked"), not on the role."""
    return [
        c
        for c in verb.children
        if c.dep_ == "npadvmod"
        and c.ent_type_ == "PERSON"
        and c.left_edge.i == obj.right_edge.i + 1
        and obj.pos_ == "NOUN"
    ]


def post_taken(verb: Token, obj: Token) -> Token | None:
    """The post an appointment's "as" names ("confirmed Ann Reed as defence secretary", hung on the
    verb or on its object): its noun."""
    for prep in (*verb.children, *obj.children):
        if prep.dep_ == "prep" and prep.lower_ == "as":
            post = next((g for g in prep.children if g.dep_ == "pobj"), None)
            if post is not None and post.lemma_.lower() in POSTS:
                return post
    return None
