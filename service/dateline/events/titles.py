"""An event's title, from its trigger's clause: who did what to whom (and where), or the event noun
with its arguments.

A verb's title is its subject as a name (a pronoun stands for the one it names in the article), the
verb with its particle, negation, passive auxiliary or small clause ("found Sam Bankman-Fried
guilty", "put in a €70m offer for Harry Kane", "was sworn in"), its object and the place the clause
gives. An event noun's title keeps its arguments ("Lahaina wildfire", "the bankruptcy of FTX"); a
noun that a light verb carries ("held its election") takes that clause. Titles are built from the
parse and written with the text's own characters ("€70m", "Bankman-Fried", "86m"), joined as the
text joins them; the date and its preposition (``skip``), the dateline and words across a line break
are left out. A title has at least three words, starts with a capital and no pronoun, and holds its
trigger."""

from __future__ import annotations

from collections.abc import Sequence

from spacy.tokens import Token

from dateline.events.entities import Entities
from dateline.events.headlines import (
    EDGE,
    FUNCTION_WORDS,
    MIN_WORDS,
    capitalised,
    possessive,
    trimmed,
    with_determiner,
    without_determiner,
    word_count,
)
from dateline.events.participants import participants
from dateline.events.sides import misread_object
from dateline.events.spans import implied_subject, modified_noun, verb_read_as_modifier
from dateline.events.title_words import (
    STOPS,
    collect,
    held_post,
    irregular_perfect,
    misread_apposition,
    path_up,
    post_taken,
    post_verb,
    split_subject,
    styled,
    term,
    whole_words,
)
from dateline.vocab import load

_VERBS = ("VERB", "AUX")
_NOUNS = ("NOUN", "PROPN")
_SUBJECTS = ("nsubj", "nsubjpass")
_RELATIVE = ("WDT", "WP")
_T = load("titles")
#: the prepositions whose object completes a title without an object ("met with Putin")
_COMPLEMENT_PREPS = frozenset(_T["complement_prepositions"])
_LOCATIVE_PREPS = frozenset(_T["locative_prepositions"])
#: verbs that only carry an event noun: "held its election", "took the oath", "issued a statement"
_LIGHT_VERBS = frozenset(_T["light_verbs"])
_ASPECTUAL_VERBS = frozenset(_T["aspectual_verbs"])
#: adverbs that complete their verb ("stepped down", "walked out", "fell apart")
_PARTICLES = frozenset(_T["particles"])
#: punctuation written against the word before it
_CLOSING = frozenset({",", ".", ";", ":", ")", "]", "!", "?", "%"})


def make_title(
    trigger: Token,
    skip: set[int],
    entities: Entities | None = None,
    place: str | None = None,
    actors: Sequence[str] = (),
) -> str:
    """Subject, verb, complements and place of the trigger's clause, or the event noun phrase; a
    short one is completed from the clause, the place or the actors."""
    skip = skip | _dateline_tokens(trigger, entities)
    if held_post(trigger):  # "Ann Reed has been chief executive since 2019": she became it then
        return _Title(trigger, skip, entities).became(trigger)
    head = trigger.head
    carried = (
        trigger.pos_ in _NOUNS and trigger.dep_ in ("dobj", "attr") and head.lemma_.lower() in _LIGHT_VERBS
    )
    # "a fast-moving blaze levelled the town": the clause says what the event noun did
    acting = (
        trigger.pos_ in _NOUNS
        and trigger.dep_ == "nsubj"
        and head.pos_ == "VERB"
        and head.lemma_.lower() not in _LIGHT_VERBS | _ASPECTUAL_VERBS
    )
    title = _Title(trigger, skip, entities).clause(head if carried or acting else trigger)
    if word_count(title) < MIN_WORDS and trigger.pos_ in _NOUNS:
        title = _Title(trigger, skip, entities).of_form(trigger) or title
    if word_count(title) < MIN_WORDS and place and title:
        where = (
            place.split(",")[0] if place.split(",")[0] in trigger.sent.text else place.split(",")[-1].strip()
        )
        if where.casefold() not in title.casefold():
            title = f"{title} in {where}"
    argument = trigger.dep_ in (*_SUBJECTS, "dobj", "attr") and head.pos_ in _VERBS and head.i != trigger.i
    if word_count(title) < MIN_WORDS and trigger.pos_ in _NOUNS and argument:
        title = _Title(trigger, skip, entities).clause(head)
    if word_count(title) < MIN_WORDS and trigger.pos_ in _NOUNS and entities is not None:
        own = participants(entities, trigger, own=True)
        other = next((a for a in own if a.casefold() not in title.casefold()), None)
        if other is not None:
            title = f"{other} {without_determiner(title)}"
    if word_count(title) < MIN_WORDS:
        title = _window(trigger, skip, entities) or title
    if word_count(title) < MIN_WORDS:
        title = _window(trigger, skip, entities, stops=False) or title
    title = capitalised(title) or trigger.text
    return with_determiner(title) if trigger.pos_ in _NOUNS else title


class _Title:
    """The words of a title in parts (subject, verb, object, ...), chosen from the parse."""

    def __init__(self, trigger: Token, skip: set[int], entities: Entities | None) -> None:
        self.doc = trigger.doc
        self.trigger = trigger
        self.skip = skip
        self.entities = entities
        #: the parts in order; each maps a token index to a name it stands for (a pronoun), or None
        self.parts: list[dict[int, str | None]] = []

    @property
    def words(self) -> dict[int, str | None]:
        """The part being written."""
        return self.parts[-1]

    def part(self) -> _Title:
        """Start the next part of the title (each is written in text order, the parts in theirs)."""
        if not self.parts or self.parts[-1]:
            self.parts.append({})
        return self

    def chosen(self, i: int) -> bool:
        return any(i in p for p in self.parts)

    # -- choosing words ------------------------------------------------------------------------

    def clause(self, tok: Token) -> str:
        if tok.pos_ not in _VERBS:
            self.part().phrase(tok, 9)
            return self.render()
        verb = tok
        subjects = [c for c in verb.children if c.dep_ in _SUBJECTS]
        # "HILO, Hawaii (AP) — Governor Ann Reed on Monday told ...": not the dateline
        own = next((c for c in subjects if c.i not in self.skip), subjects[0] if subjects else None)
        subj = own
        if own is not None and own.i in self.skip:  # "ANDØYA, Norway — The agency's probe lifted off"
            subj = next((t for t in own.subtree if t.dep_ == "appos" and t.i not in self.skip), own)
        if own is not None and own.tag_ in _RELATIVE and verb.dep_ == "relcl" and verb.head.pos_ in _NOUNS:
            subj = verb.head
        if subj is None:
            subj = implied_subject(verb)
        # a passive's "by": "confirmed by the Senate", not the active "confirmed X by a vote of 52"
        passive_voice = any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children) or not subjects
        agent = next(
            (g for c in verb.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"), None
        )
        agent = agent if passive_voice else None
        if agent is not None:
            self.part().subject(agent)
        elif subj is not None:
            self.part().subject(subj)
            for rest in split_subject(subj, subjects):
                self.phrase(rest, 4)  # "A magnitude 6.8 earthquake struck": one subject parsed as two
        self.part()
        if own is None and verb.dep_ == "xcomp" and verb.head.pos_ in _VERBS:
            self.verb_group(verb.head, passive=True)  # "Microsoft agreed to buy the studio"
        self.verb_group(verb, passive=agent is None)
        if agent is not None and subj is not None:
            self.part().phrase(subj, 8)
        obj = next((c for c in verb.children if c.dep_ in ("dobj", "attr", "dative", "oprd")), None)
        obj = misread_object(verb) or obj  # "Arsenal beat Tottenham 3-1", its "1" read as the object
        if obj is None and verb_read_as_modifier(verb):  # "Leeds United sacked manager Tom Hale"
            obj = modified_noun(verb)
        relative = own is not None and verb.dep_ in ("relcl", "acl") and verb.head.pos_ in _NOUNS
        if (
            obj is None
            and relative
            and own is not None
            and own.i != verb.head.i
            and own.tag_ not in _RELATIVE
        ):
            obj = verb.head  # "the treaty that Kim signed"
        if obj is not None and not self.chosen(obj.i):
            self.part().phrase(obj, 9)
            for name in misread_apposition(verb, obj):  # "sacked coach Xavi Hernandez"
                self.phrase(name, 4)
            post = post_taken(verb, obj)
            if post is not None:  # "appointed Ann Reed as head coach"
                self.words[post.head.i] = None
                self.phrase(post, 4)
        for c in verb.children:
            if c.dep_ in ("ccomp", "xcomp", "acomp", "oprd") and c.pos_ in ("ADJ", "NOUN", "PROPN"):
                self.part().small_clause(c)  # "found Bankman-Fried guilty", "named Prado head coach"
            elif c.dep_ == "xcomp" and c.pos_ in _VERBS and (obj is None or word_count(self.render()) < 6):
                self.part().inner_clause(c)  # "agreed to extend the deadline", "ordered X to pay $2m"
        self.part().complement(verb, obj is None or word_count(self.render()) < 7)
        if word_count(self.render()) < (7 if obj is None else 4):
            said = next((c for c in verb.children if c.dep_ == "ccomp" and c.pos_ in _VERBS), None)
            if said is not None:
                self.part().inner_clause(said)  # "Biden said he would expand federal aid"
        return self.render()

    def became(self, post: Token) -> str:
        """ "Ann Reed became chief executive": the holder of a post as the one who took it."""
        verb = post_verb(post)
        subj = next((c for c in verb.children if c.dep_ in _SUBJECTS), None)
        if subj is not None:
            self.part().subject(subj)
        self.part().words[verb.i] = "became"
        self.part().phrase(post, 5)
        return capitalised(self.render()) or post.text

    def of_form(self, noun: Token) -> str:
        """ "The bankruptcy of FTX" for "its bankruptcy", "FTX's bankruptcy": a possessor made a
        complement, so that a short noun title says whose event it is."""
        poss = next((c for c in noun.children if c.dep_ == "poss"), None)
        if poss is None:
            return ""
        name = self._name(poss)
        if name is None:
            return ""
        self.part().phrase(noun, 6)
        for i in [i for i in self.words if self.doc[i].i in {t.i for t in poss.subtree}]:
            del self.words[i]
        for i in [i for i in self.words if self.doc[i].dep_ == "det"]:
            del self.words[i]
        rest = self.render()
        return f"The {rest} of {name}" if rest else ""

    def subject(self, tok: Token) -> None:
        """The subject as a name; one in the dateline ("HILO, Hawaii (AP) — Governor Ann Reed on
        Monday told ...") by the name set beside it."""
        if tok.i in self.skip:
            tok = next((c for c in tok.children if c.dep_ == "appos" and c.i not in self.skip), tok)
        if tok.tag_ in ("PRP", *_RELATIVE):
            name = self._name(tok)
            if name is not None:
                self.words[tok.i] = name
            elif tok.lower_ in ("it", "they") and tok.head.dep_ == "ccomp":
                # "the company said it was cutting 6,000 jobs": the speaker, as it named itself
                speaker = next((c for c in tok.head.head.children if c.dep_ in _SUBJECTS), None)
                if speaker is not None and speaker.tag_ not in ("PRP", *_RELATIVE):
                    self.phrase(speaker, 6)
            return
        self.phrase(tok, 8)

    def verb_group(self, verb: Token, *, passive: bool) -> None:
        """The verb with its particle and negation; a passive keeps its auxiliaries ("was sworn
        in"), so does a negation ("did not sign"), and an infinitive its "to"."""
        neg = any(c.dep_ == "neg" for c in verb.children)
        is_passive = passive and any(c.dep_ == "auxpass" for c in verb.children)
        for c in verb.children:
            if (
                c.dep_ in ("prt", "neg")
                or (c.dep_ == "advmod" and c.i == verb.i + 1 and c.lower_ in _PARTICLES and not c.n_rights)
                or ((neg or is_passive) and c.dep_ in ("aux", "auxpass") and c.i < verb.i)
                or (c.dep_ == "aux" and c.lower_ == "to" and verb.dep_ in ("xcomp", "acl", "advcl", "ccomp"))
                or (c.dep_ == "aux" and c.i < verb.i and irregular_perfect(verb, c))
                or (c.dep_ == "aux" and c.i < verb.i and verb.tag_ == "VBG" and c.lemma_ == "be")
            ):
                self.words[c.i] = None
            elif c.dep_ == "prep" and c.i == verb.i + 1 and c.lower_ in _PARTICLES:
                self.particle_phrase(c)
        self.words[verb.i] = None

    def particle_phrase(self, particle: Token) -> None:
        """A particle the parse read as a preposition, with the phrase it opens: "knocked out of the
        cup", "pulled out of the race" (no verb means the same without it)."""
        inner = next((g for g in particle.children if g.dep_ == "prep"), None)
        pobj = next((g for g in inner.children if g.dep_ == "pobj"), None) if inner is not None else None
        if inner is not None and pobj is not None and pobj.ent_type_ not in ("DATE", "TIME"):
            self.words[particle.i] = self.words[inner.i] = None
            self.phrase(pobj, 4)

    def inner_clause(self, verb: Token) -> None:
        """An embedded clause's subject (when it has one), verb and object."""
        subj = next((c for c in verb.children if c.dep_ in _SUBJECTS), None)
        if subj is not None and not self.chosen(subj.i):
            self.phrase(subj, 4)
        for c in verb.children:
            if c.dep_ == "aux" and c.i < verb.i:
                self.words[c.i] = None
        self.verb_group(verb, passive=True)
        inner = next((g for g in verb.children if g.dep_ in ("dobj", "attr", "acomp")), None)
        if inner is not None:
            self.phrase(inner, 5)
            return
        prep = next((g for g in verb.children if g.dep_ == "prep" and g.i not in self.skip), None)
        pobj = next((g for g in prep.children if g.dep_ == "pobj"), None) if prep is not None else None
        if prep is not None and pobj is not None and pobj.ent_type_ not in ("DATE", "TIME"):
            self.words[prep.i] = None  # "has come to an end", "would be dissolved within two days"
            self.phrase(pobj, 4)

    def small_clause(self, head: Token) -> None:
        for t in head.subtree:
            if t.i in self.skip or self.chosen(t.i) or t.i - head.i > 4 or head.i - t.i > 6:
                continue
            if any(
                a.dep_ in ("relcl", "acl", "advcl", "appos") or (a.dep_ == "punct" and a.text != "-")
                for a in path_up(t, head)
            ):
                continue
            self.words[t.i] = None

    def complement(self, verb: Token, wanted: bool) -> None:
        """One prepositional complement: the place of the clause, or a partner when there is no
        object ("met with Putin", "arrived in Crete")."""
        for c in verb.children:
            if c.dep_ != "prep" or c.i in self.skip or any(g.i in self.skip for g in c.subtree):
                continue
            pobj = next((g for g in c.children if g.dep_ == "pobj"), None)
            if pobj is None or (pobj.ent_type_ in ("DATE", "TIME") and not term(c, pobj)) or _tally(c, pobj):
                continue
            if (c.lower_ in _LOCATIVE_PREPS and pobj.ent_type_ in ("GPE", "LOC", "FAC")) or (
                wanted and c.lower_ in _COMPLEMENT_PREPS
            ):
                self.words[c.i] = None
                self.phrase(pobj, 7)
                return

    def phrase(self, tok: Token, limit: int) -> None:
        """A short noun phrase for ``tok``: modifiers and head, one short complement, no clauses; a
        person by the name and title only ("President Maria Elena Vasquez")."""
        words: list[Token] = []
        if tok.i in self.skip:
            return
        if tok.ent_type_ == "PERSON":
            words = [t for t in tok.subtree if t.i <= tok.i and all(styled(a, tok) for a in path_up(t, tok))]
            words += [c for c in tok.rights if c.dep_ in ("conj", "cc")]
            for c in tok.rights:
                if c.dep_ == "conj":
                    collect(c, self.skip, words, top=True)
        else:
            collect(tok, self.skip, words, top=True)
        words = sorted(set(words), key=lambda w: w.i)
        if len(words) > limit:  # the head, the names, and the words nearest to the head
            near = sorted(words, key=lambda w: (w.i != tok.i, not w.ent_type_, abs(w.i - tok.i), w.i))[:limit]
            # a kept object keeps its preposition: "spell at Manchester United", not "spell Manchester United"
            near += [a for w in list(near) for a in path_up(w, tok) if a.dep_ == "prep" and a in words]
            # and a kept noun its determiner: "to clear a sit-in", not "to clear sit-in"
            near += [c for w in list(near) for c in w.children if c.dep_ in ("det", "poss") and c in words]
            # and a word hangs on the head through kept words only ("the of Ian Royce" is no phrase)
            kept = {w.i for w in near}
            words = sorted({w for w in near if all(a.i in kept for a in path_up(w, tok))}, key=lambda w: w.i)
        for w in words:
            self.words.setdefault(w.i, None)

    def _name(self, tok: Token) -> str | None:
        """The name a pronoun stands for; a name as the article gives it in full."""
        if self.entities is None:
            return None
        if tok.tag_ in ("PRP", "PRP$"):
            names = self.entities.names
            return names.pronoun(tok) or names.plural_name(tok)
        e = self.entities.at(tok)
        if e is not None:
            hit = self.entities.actor(e)
            return e.text.removesuffix("’s").removesuffix("'s") if hit is not None else None
        return None

    # -- writing them --------------------------------------------------------------------------

    def render(self) -> str:
        """The parts in order, each as the text writes it; a pronoun that opens the title is the
        name it stands for ("its bankruptcy" -> "FTX’s bankruptcy")."""
        taken: set[int] = set()
        named: set[str] = set()
        out: list[str] = []
        for words in self.parts:
            text = self._render(words, taken, named, first=not out)
            if text:
                out.append(text)
        return trimmed(" ".join(out).strip(EDGE))

    def _pronoun_name(self, tok: Token, first: bool, named: set[str]) -> str | None:
        """The name a pronoun of the title is written as: always when it opens the title, else
        when the title does not name that one already ("informing him" -> "informing Erik ten
        Hag"; but "Microsoft completed its acquisition")."""
        name = self._name(tok)
        if name is None or (not first and name in named):
            return None
        return possessive(name) if tok.tag_ == "PRP$" else name

    def _render(self, words: dict[int, str | None], taken: set[int], named: set[str], *, first: bool) -> str:
        """The chosen words as the text writes them: joined by their own spacing where they follow
        each other, a word split by the tokenizer ("€70m", "Bankman-Fried") kept whole."""
        whole = whole_words(words, self.trigger, self.skip, self.entities)
        chosen = {i: w for i, w in whole.items() if i not in taken}
        named |= self._named(taken | set(chosen)) | {w for w in chosen.values() if w is not None}
        taken.update(chosen)
        out: list[str] = []
        prev: int | None = None
        for i in sorted(chosen):
            tok = self.doc[i]
            text = chosen[i]
            if text is None and tok.tag_ in ("PRP", "PRP$") and tok.lower_ not in ("we", "i", "you", "us"):
                text = self._pronoun_name(tok, first and not out, named)
                if text is not None:
                    named.add(text.removesuffix("’s").removesuffix("’"))
            if text is None:
                text = tok.text
                if tok.is_sent_start and tok.pos_ in ("DET", "PRON", "ADP") and not (first and not out):
                    text = text.lower()  # "The regulator blocked the merger", "In Paris": no capital inside
            if prev is not None:
                joined = i == prev + 1 and text == tok.text
                out.append(self.doc[prev].whitespace_ if joined else "" if text in _CLOSING else " ")
            out.append(text)
            prev = i
        return "".join(out).strip(EDGE)

    def _named(self, indices: set[int]) -> set[str]:
        """The names of the actors among the title's words."""
        if self.entities is None:
            return set()
        out: set[str] = set()
        for i in indices:
            e = self.entities.at(self.doc[i])
            hit = self.entities.actor(e) if e is not None else None
            if hit is not None:
                out.add(hit[0])
        return out


def _dateline_tokens(trigger: Token, entities: Entities | None) -> set[int]:
    """The tokens of the article's dateline in the trigger's sentence ("KAHULUI, Hawaii:")."""
    if entities is None:
        return set()
    places = entities.places
    return {t.i for t in trigger.sent if places.in_dateline(t.idx)}


def _window(trigger: Token, skip: set[int], entities: Entities | None, *, stops: bool = True) -> str:
    """The last resort for a title: the trigger's phrase in its sentence, up to the punctuation
    around it (or, without ``stops``, the words around it whatever comes between)."""
    sent = trigger.sent
    doc = sent.doc

    def stop(tok: Token) -> bool:
        return stops and (tok.text in STOPS or tok.dep_ == "cc")

    start = trigger.i
    while start > sent.start and trigger.i - start < 5 and not stop(doc[start - 1]):
        start -= 1
    end = trigger.i + 1
    while end < sent.end and end - trigger.i < 6 and not stop(doc[end]):
        end += 1
    t = _Title(trigger, skip, entities)
    # the subject of a verb the window begins with ("Hale, in a grey suit, acknowledged during ...")
    verb = next((v for v in doc[start:end] if v.pos_ in _VERBS and v.dep_ not in ("aux", "auxpass")), None)
    subj = next((c for c in verb.children if c.dep_ in _SUBJECTS), None) if verb is not None else None
    if subj is not None and subj.i < start:
        t.part().subject(subj)
    # no other date's words either ("said on 10 August" -> "said 10"); a span of time stays ("during
    # 20 minutes of remarks")
    lasting = {
        i
        for span in doc.spans.get("timex", [])
        if span._.timex.type == "DURATION"
        for i in range(span.start, span.end)
    }
    t.part().words.update(
        (i, None)
        for i in range(start, end)
        if i not in skip and (doc[i].ent_type_ not in ("DATE", "TIME") or i in lasting)
    )
    title = t.render()
    words = title.split()
    while len(words) > MIN_WORDS and words[0].casefold() in FUNCTION_WORDS - {"the", "a", "an"}:
        words = words[1:]
    return " ".join(words)


def _tally(prep: Token, pobj: Token) -> bool:
    """Whether a preposition ends a tally the parse hung on the verb: "by a vote of 52 to 47" (not
    "rose to 106")."""
    return pobj.like_num and prep.i > 0 and prep.doc[prep.i - 1].like_num
