"""The named entities of a document as the small model should have cut them: a name particle joins
the person ("Joost ten Broek"), an organisation ending in "of" takes the name after it ("Election
Commission of Sri Lanka"), a "person" whose last word names a body is one ("Manchester United");
and the subject of a clause the parser left without one ("talks held in Paris", "with President
Varga saying"). Read by :mod:`dateline.events.participants`; split from :mod:`dateline.events.names`.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy
from spacy.attrs import HEAD, LOWER
from spacy.tokens import Doc, Span, Token

from dateline.events.actors import ORGANISATION_WORDS, POSTS, canonical
from dateline.events.homes import HOME_PREFIXES, office, place
from dateline.events.sides import CONTEST_VERBS, WHERE
from dateline.vocab import load

_A = load("aliases")
KEPT = ("PERSON", "ORG", "GPE", "NORP", "LOC", "FAC")
_SUBJECTS = ("nsubj", "nsubjpass", "csubj")
_PARTICLES = frozenset(_A["name_particles"])
#: particles that begin a surname used alone ("ten Broek", "van Dam"); "la", "de" or "al" alone
#: begin too many other words
_STANDALONE_PARTICLES = frozenset({"van", "von", "ten", "ter", "den", "der"})
#: words that end the names of places as well as of bodies ("Mexico City", "Kent County")
_PLACE_ENDINGS = frozenset({"City", "County", "Town"})
#: nouns a body is described by, right before its name ("the energy supplier Varco")
_BODY_ROLES = frozenset(_A["body_roles"])


def repaired(doc: Doc) -> list[Span]:
    """The document's people, organisations and places, with the small model's cuts mended: a name
    particle and the capitalised words after it join the person ("Joost ten Broek"), an organisation
    ending in "of" takes the name after it ("Election Commission of Sri Lanka"), a "person" whose last
    word names an organisation is one ("Manchester United"), an opening preposition is no part of a
    name ("Following Ann Reed's"), a common word opening a sentence is none ("Turnout was high"
    in an article that speaks of "voter turnout"), and a body's or person's name the model left
    untagged is one ("Harwick United won", "Gareth Pellow, the former mayor,", and his surname
    elsewhere)."""
    ents = list(doc.ents)
    lower: set[str] = set()
    inside: set[str] = set()  # words capitalised mid-sentence: names
    untagged: list[Span] = []
    bare: list[Token] = []  # proper nouns of no entity
    subjects: list[Span] = []  # untagged names that act ("Tesla recalled ..."), unless common words
    for t in doc:
        if t.is_lower:
            lower.add(t.text)
        elif not t.is_sent_start and t.text[:1].isupper():
            inside.add(t.text)
        if t.ent_iob_ == "O" and t.pos_ == "PROPN":
            bare.append(t)
            if t.text in ORGANISATION_WORDS:
                untagged += _untagged_body(t)
            elif t.text in HOME_PREFIXES:
                untagged += _untagged_club(t)
            else:
                found = _untagged_person(t) or _untagged_side(t)
                untagged += found
                subjects += [] if found else _untagged_subject(t)
    # "that Pellow, 61, had ...": a surname the small model tagged as something else is the person's
    surnames = {
        e[-1].text
        for e in (*ents, *untagged)
        if e.label_ == "PERSON" and len(e) > 1 and e[-1].text not in ORGANISATION_WORDS
    }
    untagged += [u for u in subjects if not _common_word_first(u, lower, inside)]
    covered = {i for u in untagged for i in range(u.start, u.end)}
    untagged += [
        Span(doc, t.i, t.i + 1, label="PERSON") for t in bare if t.text in surnames and t.i not in covered
    ]
    out: list[Span] = []
    i = 0
    while i < len(ents):
        e = ents[i]
        if e.label_ in _MISREAD and len(e) == 1 and e.text in surnames:
            e = Span(doc, e.start, e.end, label="PERSON")
        if _common_word_first(e, lower, inside):
            i += 1
            continue
        nxt = ents[i + 1] if i + 1 < len(ents) else None
        if e.label_ == "ORG" and e[-1].lower_ in ("of", "for"):
            end = e.end
            if nxt is not None and nxt.start == e.end:
                end, i = nxt.end, i + 1
            while end < len(doc) and _capitalised(doc[end]) and doc[end].ent_type_ not in ("DATE", "TIME"):
                end += 1
            out.append(Span(doc, e.start, end, label="ORG"))
            i += 1
            continue
        if e.label_ in _AMOUNTS:
            named = _name_before_amount(e)  # "fined Google 2.4 billion euros": Google
            if named is None:
                i += 1
                continue
            e = named
        if e.label_ in KEPT:
            e = _without_trailing_figures(_without_lead_word(e))
            label = e.label_
            if label in ("PERSON", "GPE") and len(e) > 1 and e[-1].text in ORGANISATION_WORDS:
                label = "ORG" if label == "PERSON" or e[-1].text not in _PLACE_ENDINGS else label
            elif label == "PERSON" and _introduced_as_body(e):
                label = "ORG"  # "the energy supplier Varco"
            elif label == "PERSON" and _place_read_as_person(e):
                label = "GPE"  # "floods in Murcia"
            elif label == "PERSON" and _plural_subject(e):
                label = "ORG"  # "Aston Villa are fifth": a side, told in the plural
            out.append(e if label == e.label_ else Span(doc, e.start, e.end, label=label))
        i += 1
    if untagged:  # never over a name the model's cuts were mended into
        untagged = [u for u in untagged if not any(u.start < o.end and o.start < u.end for o in out)]
        out = sorted([*out, *untagged], key=lambda s: s.start)
    return _with_particles(doc, out)


def _plural_subject(e: Span) -> bool:
    """Whether a "person" of several words is the lone subject of a plural present verb, as a team or
    a band is ("Aston Villa are fifth", "Harwick Rovers have won"), not one person."""
    root = e.root
    verb = root.head
    told = (verb, *(c for c in verb.children if c.dep_ in ("aux", "auxpass")))
    return (
        len(e) > 1
        and root.dep_ == "nsubj"
        and any(t.tag_ == "VBP" and t.lower_ in ("are", "have") for t in told)
        and not any(c.dep_ in ("conj", "cc") for c in root.children)
    )


def _place_read_as_person(e: Span) -> bool:
    """Whether a "person" after "in", "near" ... is a place the gazetteer knows ("floods in Murcia")."""
    root = e.root
    return root.dep_ == "pobj" and root.head.lower_ in WHERE and place(e.text) is not None


def _introduced_as_body(e: Span) -> bool:
    """Whether a name comes right after a noun a body is described by ("the airline Qantas")."""
    before = e.doc[e.start - 1] if e.start > 0 else None
    return (
        before is not None
        and before.pos_ == "NOUN"
        and before.text.islower()
        and before.lemma_ in _BODY_ROLES
    )


def _untagged_body(word: Token) -> list[Span]:
    """A body's name the small model left untagged, the capitalised words before a word that ends
    bodies' names ("Harwick United won the cup"); none for a word that also ends places' names
    ("City", "County", "Town") or that stands alone."""
    start = _untagged_edge(word, -1)
    return (
        []
        if word.text in _PLACE_ENDINGS or start == word.i
        else [Span(word.doc, start, word.i + 1, label="ORG")]
    )


def _untagged_person(word: Token) -> list[Span]:
    """A person's name the small model left untagged, by the post set beside it: "Gareth Pellow, the
    former mayor of Redbury," (two or three capitalised words, the last one ``word``)."""
    doc = word.doc
    if word.i + 1 >= len(doc) or doc[word.i + 1].ent_iob_ != "O" or doc[word.i + 1].pos_ == "PROPN":
        return []
    start = _untagged_edge(word, -1)
    if not 2 <= word.i + 1 - start <= 3:
        return []
    post = next((c for c in word.children if c.dep_ == "appos"), None)
    if post is None or post.lemma_.lower() not in POSTS:
        return []
    return [Span(doc, start, word.i + 1, label="PERSON")]


def _untagged_club(word: Token) -> list[Span]:
    """A club's name the small model left untagged that begins with a word clubs' names begin with
    ("Real Madrid beat ...", "FC Porto")."""
    end = _untagged_edge(word, 1) + 1
    return [Span(word.doc, word.i, end, label="ORG")] if end > word.i + 1 else []


def _untagged_side(word: Token) -> list[Span]:
    """A side's name the small model left untagged, the object of a match's verb ("Arsenal beat
    Tottenham 3-1", where it reads "Tottenham" as an adverbial noun): a body; a single word the
    article gives a person as a surname is theirs (:meth:`Names.full`). The subject is any verb's
    (:func:`_untagged_subject`)."""
    if word.dep_ not in ("dobj", "npadvmod") or word.head.lemma_.lower() not in CONTEST_VERBS:
        return []
    if word.dep_ == "npadvmod" and word.i != word.head.i + 1:
        return []  # only the object the parse missed right after the verb
    return [Span(word.doc, _untagged_edge(word, -1), word.i + 1, label="ORG")]


def _untagged_subject(word: Token) -> list[Span]:
    """A name the small model left untagged that is the subject of a verb ("Tesla recalled 2 million
    vehicles"): a body; a single word the article gives a person as a surname is theirs; a person
    after a title ("Governor Ana Lopez declared ...": Ana Lopez)."""
    if word.dep_ not in ("nsubj", "nsubjpass") or word.head.pos_ != "VERB" or not _capitalised(word):
        return []
    start = _untagged_edge(word, -1)
    titled = start
    while titled < word.i and word.doc[titled].lower_ in POSTS:
        titled += 1
    label = "PERSON" if titled > start else "ORG"
    return [Span(word.doc, titled, word.i + 1, label=label)]


def _untagged_edge(word: Token, step: int) -> int:
    """The last of the untagged capitalised proper nouns next to ``word`` in direction ``step``."""
    doc, i = word.doc, word.i
    while (
        0 <= i + step < len(doc)
        and (nxt := doc[i + step]).pos_ == "PROPN"
        and _capitalised(nxt)
        and nxt.ent_iob_ == "O"
    ):
        i += step
    return i


def _common_word_first(e: Span, lower: set[str], inside: set[str]) -> bool:
    """Whether a one-word person or body opens its sentence as a word the article also writes in
    lower case and never capitalised inside a sentence ("Turnout was high", "... voter turnout"), so
    a common word, not a name ("Apple" named again mid-sentence stays)."""
    return (
        len(e) == 1
        and e.label_ in ("PERSON", "ORG")
        and bool(e[0].is_sent_start)
        and e.text.lower() in lower
        and e.text not in inside
    )


#: labels the small model gives a person's name by mistake ("Pellow, 61,": a product)
_MISREAD = ("PRODUCT", "WORK_OF_ART", "EVENT", "LAW", "LANGUAGE", "FAC", "NORP")
#: the entity labels of amounts, which may swallow the name before them
_AMOUNTS = ("MONEY", "QUANTITY", "CARDINAL")
#: the entity labels of dates and times
_TIMES = ("DATE", "TIME")
#: the dependencies of a sentence's opening word that is no part of the name after it
_LEAD_DEPS = ("prep", "mark")


def _without_trailing_figures(e: Span) -> Span:
    """A name without the score or figure the small model took into it ("Liverpool 1-0")."""
    end = e.end
    while end > e.start + 1 and (e.doc[end - 1].like_num or e.doc[end - 1].text in ("-", "–")):
        end -= 1
    return e if end == e.end else Span(e.doc, e.start, end, label=e.label_)


def _name_before_amount(e: Span) -> Span | None:
    """The name an amount's span swallowed at its start ("Google 2.4 billion" after "fined"), or
    None when the amount begins with no such name."""
    end = e.start
    while (
        end < e.end and e.doc[end].pos_ == "PROPN" and e.doc[end].is_alpha and e.doc[end].text[:1].isupper()
    ):
        end += 1
    if end == e.start or end == e.end or canonical(e.doc[e.start : end].text, "GPE") is not None:
        return None  # "US$ 10 billion", "Hong Kong $5 billion": a currency's country
    return Span(e.doc, e.start, end, label="ORG")


def _without_lead_word(e: Span) -> Span:
    """A name without the sentence's opening preposition the small model took into it ("Following
    Ann Reed's arrest": "Ann Reed")."""
    start = e.start
    while start < e.end - 1 and (e.doc[start].dep_ in _LEAD_DEPS or e.doc[start].pos_ in ("ADP", "SCONJ")):
        start += 1
    return e if start == e.start else Span(e.doc, start, e.end, label=e.label_)


def _with_particles(doc: Doc, spans: list[Span]) -> list[Span]:
    """``spans`` with names that carry a particle made whole: "Erik" + "ten" + "Hag" is one person,
    and so is "ten Broek" by itself (a Dutch or German particle before a capitalised name)."""
    n = len(doc)
    made: list[Span] = []
    for tok in _particles_in(doc):
        if tok.i + 1 >= n or not _capitalised(doc[tok.i + 1]):
            continue
        prev = doc[tok.i - 1] if tok.i > 0 else None
        if prev is not None and prev.ent_type_ == "PERSON" and prev.whitespace_:
            start = prev.i
            while start > 0 and doc[start].ent_iob_ == "I":
                start -= 1
        elif tok.lower_ in _STANDALONE_PARTICLES and doc[tok.i + 1].pos_ == "PROPN":
            # with the given name before it that the model left untagged: "Joost ten Broek"
            given = prev is not None and prev.ent_iob_ == "O" and prev.whitespace_ and _capitalised(prev)
            start = tok.i - 1 if given else tok.i
        else:
            continue
        end = tok.i + 1
        while end < n and _capitalised(doc[end]):
            end += 1
        made.append(Span(doc, start, end, label="PERSON"))
    if not made:
        return spans
    kept = [s for s in spans if not any(s.start < m.end and m.start < s.end for m in made)]
    return sorted([*kept, *made], key=lambda s: s.start)


def _particles_in(doc: Doc) -> Iterator[Token]:
    """The tokens that are name particles, found in the token array (no Python loop over every
    token: a long text of short words would pay for it)."""
    strings = doc.vocab.strings
    wanted = numpy.array([strings.add(p) for p in _PARTICLES], dtype="uint64")
    lowers = doc.to_array([LOWER]).astype("uint64").ravel()
    for i in numpy.nonzero(numpy.isin(lowers, wanted))[0]:
        yield doc[int(i)]


def _capitalised(tok: Token) -> bool:
    return tok.is_alpha and tok.text[:1].isupper() and tok.pos_ in ("PROPN", "NOUN", "NUM")


def office_of(tok: Token) -> str | None:
    """The seat of government ``tok`` is part of when it stands in a person's title ("Kremlin
    spokesman Oleg Marin"): the office the person works for, not the country."""
    start, end = tok.i, tok.i + 1
    doc = tok.doc
    kind = tok.ent_type_

    def joins(t: Token) -> bool:  # a word of the same name; an untagged word stands alone
        return bool(kind) and t.pos_ == "PROPN" and t.ent_type_ == kind

    while start > 0 and joins(doc[start - 1]):
        start -= 1
    while end < len(doc) and joins(doc[end]):
        end += 1
    if start > 0 and doc[start - 1].lower_ == "the":
        start -= 1
    name = office(doc[start:end].text)
    if name is None:
        return None
    after = end
    while (
        after < len(doc) and doc[after].pos_ in ("PROPN", "NOUN", "ADJ") and doc[after].ent_type_ != "PERSON"
    ):
        after += 1
    titled = after > end and after < len(doc) and doc[after].ent_type_ == "PERSON"
    return name if titled else None


def preorder(doc: Doc) -> tuple[list[int], list[int]]:
    """Each token's place in a depth-first walk of the parse (``first``) and the place after its last
    descendant (``after``): ``b`` is in the subtree of ``a`` when ``first[a] <= first[b] < after[a]``."""
    n = len(doc)
    heads = [i + int(rel) for i, rel in enumerate(doc.to_array([HEAD]).astype("int64").ravel())]
    children: list[list[int]] = [[] for _ in range(n)]
    for i, h in enumerate(heads):
        if h != i:
            children[h].append(i)
    first, after = [0] * n, [0] * n
    clock = 0
    for root in (i for i, h in enumerate(heads) if h == i):
        stack = [(root, False)]
        while stack:
            tok, done = stack.pop()
            if done:
                after[tok] = clock
                continue
            first[tok] = clock
            clock += 1
            stack.append((tok, True))
            stack.extend((c, False) for c in children[tok])
    return first, after


# -- subjects the parser lost ---------------------------------------------------------------------


def subject_read_as_object(verb: Token) -> Token | None:
    """The subject the parser read as the object of a preposition right before the verb: of a
    clause "as" opens ("as assistant coach Kim Ho assumed interim charge": Kim Ho, not the clause
    above), or after a date put first without a comma ("In mid-February police used tear gas")."""
    if verb.i == 0 or verb.tag_ != "VBD" or any(c.dep_ in _SUBJECTS for c in verb.children):
        return None
    tok = verb.doc[verb.i - 1]
    while tok.head.i != tok.i and tok.head.i < verb.i and tok.head.pos_ in ("NOUN", "PROPN"):
        tok = tok.head
    if tok.dep_ != "pobj" or tok.ent_type_ in _TIMES:
        return None
    prep = tok.head
    if prep.lower_ == "as" and prep.i == verb.i - len(list(tok.subtree)) - 1:
        return tok
    between = tok.doc[prep.i + 1 : tok.left_edge.i if tok.left_edge.i > prep.i + 1 else tok.i]
    dated = len(between) > 0 and all(t.ent_type_ in _TIMES or t.is_punct for t in between)
    return tok if dated and prep.i == verb.sent.start and tok.i == verb.i - 1 else None


def absolute_subject(verb: Token) -> Token | None:
    """The subject of a participle after "with": "with President Varga on Monday saying ..." (the
    saying is Varga's, not that of the clause it hangs from)."""
    if verb.tag_ != "VBG" or any(c.dep_ in _SUBJECTS for c in verb.children):
        return None
    for t in reversed(verb.doc[max(verb.sent.start, verb.i - 8) : verb.i]):
        if t.is_punct:
            return None  # "met with Kim on Monday, saying ...": the meeting's subject speaks
        if t.lower_ == "with" and t.dep_ == "prep":
            return next((c for c in t.children if c.dep_ == "pobj"), None)
    return None


def borrowed_subject(verb: Token) -> Token | None:
    """The subject of a clause without one: the noun it modifies ("talks held in Paris"), or the
    subject of the clause it completes or continues ("agreed to meet", "met and signed")."""
    for _ in range(3):  # "made the decision ..., informing him": up a chain of clauses
        if verb.dep_ in ("acl", "relcl", "xcomp", "advcl") and verb.head.pos_ in ("NOUN", "PROPN"):
            return verb.head
        if verb.dep_ == "pcomp" and verb.head.head.i != verb.head.i:
            verb = verb.head.head  # "found guilty of defrauding his clients"
            if verb.pos_ in ("NOUN", "PROPN", "ADJ"):
                verb = verb.head
        elif verb.dep_ not in ("xcomp", "advcl", "conj") or verb.head.i == verb.i:
            return None
        else:
            verb = verb.head
        subj = next((c for c in verb.children if c.dep_ in _SUBJECTS), None)
        if subj is not None:
            return subj
    return None


def verb_read_as_modifier(tok: Token) -> bool:
    """Whether a past verb the parser read as a modifier of the noun after it follows the name that
    opens its sentence: "Leeds United sacked manager Tom Hale" (not "the sacked manager")."""
    if tok.dep_ != "amod" or tok.tag_ not in ("VBD", "VBN") or tok.i <= tok.sent.start:
        return False
    return all(t.is_alpha and t.text[:1].isupper() for t in tok.doc[tok.sent.start : tok.i])


def modified_noun(verb: Token) -> Token:
    """The noun phrase a verb read as a modifier stands in, by its head ("Tom Hale" of "sacked
    manager Tom Hale"): the object of the verb."""
    tok = verb.head
    while tok.dep_ in ("compound", "amod") and tok.head.i != tok.i:
        tok = tok.head
    return tok


def name_read_as_adverb(verb: Token) -> Token | None:
    """The subject the parser read as an adverbial noun: a name that opens the sentence right before
    its verb ("Harwick Rovers parted company with ...")."""
    if any(c.dep_ in _SUBJECTS for c in verb.children):
        return None
    for c in verb.lefts:
        if (
            c.dep_ == "npadvmod"
            and c.pos_ == "PROPN"
            and c.left_edge.i == verb.sent.start
            and all(t.dep_ in ("aux", "neg") for t in verb.doc[c.right_edge.i + 1 : verb.i])
        ):
            return c
    return None


def implied_subject(verb: Token) -> Token | None:
    """The subject of a clause the parse gave none: a participle's after "with", one read as a
    preposition's object or as an adverbial noun, or one borrowed from the noun or clause above."""
    if verb_read_as_modifier(verb):  # "Leeds United sacked manager Tom Hale": Leeds United
        return verb.doc[verb.i - 1]
    return (
        absolute_subject(verb)
        or subject_read_as_object(verb)
        or name_read_as_adverb(verb)
        or borrowed_subject(verb)
    )


def lower_agents(prep: Token) -> Iterator[Token]:
    """The objects of a "by" the parser hung on the noun of a verb's prepositional phrase: the agent
    of the passive verb above it ("was sworn in as president by Judge Ann Reed")."""
    for pobj in prep.children:
        if pobj.dep_ != "pobj":
            continue
        for by in pobj.children:
            if by.dep_ == "prep" and by.lower_ == "by":
                yield from (g for g in by.children if g.dep_ == "pobj" and g.ent_type_ in ("ORG", "PERSON"))
