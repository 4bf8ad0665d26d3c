"""Later mentions of an event the same article has already dated: "the verdict", "the disaster".

A story dates an event once ("A jury found Reed guilty on Thursday") and names it again without a
date ("The verdict came after a five-week trial"). Such a reference joins the earlier mention's event:
the caller makes it a mention with that mention's date, type, participants and place and a quote of
its own, marked as a reference (``Mention.generic``), so that merging puts it in that event and never
lets it stand alone.

A reference is a noun that names a happening (``data/triggers.json``, ``data/coreference.json``),
definite ("the", "this", "that", a possessive: "its", "Reed's") or bare, with no date of its own, in
a clause that tells of a fact, and not marked as another or a future occurrence ("the previous deal",
"the planned strike"). It refers to the nearest earlier dated mention of the same kind of event: the
same stem (resign/resignation), or a group of ``data/coreference.json`` (sack/dismissal,
convict/verdict); a definite broader word refers to the nearest mention of a kind or type it covers
("the disaster" after a wildfire, "the deal" after a takeover), and only within a few paragraphs.
An event takes at most one reference per paragraph, and a few in all. A definite broader word with a
date of its own is a reference too when that date is its antecedent's day ("Acme bought Bolt on
Monday ... The announcement on Monday ...": :meth:`References.dated_reference`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import cache

import snowballstemmer
from spacy.tokens import Span, Token

from dateline.events.entities import Entities
from dateline.events.triggers import EventFinder, EventVocabulary
from dateline.model import Mention
from dateline.timex.component import governing_verb
from dateline.vocab import load

#: a broader word ("the disaster") refers back at most this many paragraphs
BROADER_BLOCKS = 3
#: the most references one dated mention takes (one per paragraph): a story that names its war again
#: and again needs a few of those sentences as sources, not all of them
MAX_REFERENCES = 3
_POSSESSIVE = ("PRP$", "POS")
_AMOUNTS = ("MONEY", "PERCENT", "QUANTITY")
_STEMMER = snowballstemmer.stemmer("english")


@cache
def stem(word: str) -> str:
    """The Porter2 stem of each word of ``word``: "resignation" and "resigned" share one."""
    return " ".join(_STEMMER.stemWords(word.lower().split()))


def part_of_speech(tok: Token) -> str | None:
    """ "verb" or "noun": the part of speech a kind entry may be restricted to ("fire:verb")."""
    if tok.pos_ in ("VERB", "AUX"):
        return "verb"
    return "noun" if tok.pos_ in ("NOUN", "PROPN") else None


@dataclass(frozen=True)
class KindVocabulary:
    """Which words name the same kind of event (as stems), which nouns name one, and which words
    make a noun name another occurrence.

    A group entry may be restricted to a part of speech ("fire:verb" is a sacking, "fire:noun" a
    blaze); the stem of such a word is then compared with its part of speech too."""

    #: stem, or stem:part of speech -> the kind groups it belongs to
    groups: dict[str, frozenset[int]]
    #: the entries of each group, as written ("fire:verb")
    members: tuple[tuple[str, ...], ...]
    #: stems whose entries name a part of speech
    split: frozenset[str]
    nouns: frozenset[str]
    #: stem of a broader word -> (the event types it covers, the kind groups it covers)
    broader: dict[str, tuple[frozenset[str], frozenset[int]]]
    definite: frozenset[str]
    other_occurrence: frozenset[str]
    reporting_types: frozenset[str]

    @classmethod
    @cache
    def default(cls) -> KindVocabulary:
        data = load("coreference")
        groups: dict[str, set[int]] = {}
        members: list[tuple[str, ...]] = []
        split: set[str] = set()
        for gid, group in enumerate(data["kinds"]):
            for entry in group:
                word, _, pos = entry.partition(":")
                key = f"{stem(word)}:{pos}" if pos else stem(word)
                groups.setdefault(key, set()).add(gid)
                if pos:
                    split.add(stem(word))
            members.append(tuple(group))
        broader: dict[str, tuple[frozenset[str], frozenset[int]]] = {}
        for word, covers in data["broader"].items():
            if word.startswith("_"):
                continue
            kinds = frozenset(g for kind in covers["kinds"] for g in groups.get(stem(kind), ()))
            broader[stem(word)] = (frozenset(covers["types"]), kinds)
        return cls(
            groups={k: frozenset(v) for k, v in groups.items()},
            members=tuple(members),
            split=frozenset(split),
            nouns=frozenset(stem(w) for w in data["nouns"]["words"]),
            broader=broader,
            definite=frozenset(data["definite_determiners"]),
            other_occurrence=frozenset(data["other_occurrence"]["words"]),
            reporting_types=frozenset(data["reporting_types"]["types"]),
        )

    def keys(self, *words: str, pos: str | None = None) -> set[str]:
        """The kind keys of some words (as a ``pos``): their stems (``s:``) and their groups (``g:``)."""
        out: set[str] = set()
        for word in words:
            st = stem(word)
            out.add(f"s:{st}:{pos}" if st in self.split else f"s:{st}")
            out.update(f"g:{g}" for g in self.groups.get(st, ()))
            if pos:
                out.update(f"g:{g}" for g in self.groups.get(f"{st}:{pos}", ()))
        return out

    def token_keys(self, tok: Token) -> set[str]:
        return self.keys(tok.lemma_, tok.lower_, pos=part_of_speech(tok))

    def names_event(self, tok: Token, finder: EventFinder) -> bool:
        """Whether the noun ``tok`` names a happening."""
        if finder.types.noun_type(tok) is not None:
            return True
        return any(stem(w) in self.nouns or stem(w) in self.broader for w in (tok.lemma_, tok.lower_))

    def kind_type(self, tok: Token, vocab: EventVocabulary) -> str | None:
        """The event type the words of ``tok``'s kind have in the trigger vocabulary, when they agree
        on one ("oath": its group's "swear" and "inauguration" name an election); a reporting type
        names words, not the kind."""
        types: set[str] = set()
        for key in self.token_keys(tok):
            if key.startswith("g:"):
                for entry in self.members[int(key[2:])]:
                    word, _, pos = entry.partition(":")
                    tables = (
                        (vocab.verbs,)
                        if pos == "verb"
                        else (vocab.nouns,)
                        if pos
                        else (vocab.verbs, vocab.nouns)
                    )
                    types.update(t for table in tables if (t := table.get(word)))
        types -= {"other", *self.reporting_types}
        return types.pop() if len(types) == 1 else None


def event_keys(tok: Token, vocab: KindVocabulary) -> set[str]:
    """The kind keys of a dated mention's trigger: its word, with a particle ("stepped down") or an
    adjective of its clause ("found him guilty"), the event noun that is its subject ("A wildfire
    destroyed the town": a wildfire), and for an object the kind of its verb ("convicted him of
    fraud": a conviction)."""
    words = []
    for c in tok.children:
        if c.dep_ in ("prt", "prep") and c.i == tok.i + 1:  # "walked out (of)": parsed either way
            words.append(f"{tok.lemma_} {c.lower_}")
        elif c.pos_ == "ADJ" and c.dep_ in ("acomp", "oprd", "ccomp", "xcomp"):
            words.append(c.lower_)
        elif c.dep_ == "dobj":
            words += [a.lower_ for a in c.children if a.pos_ == "ADJ" and a.i > c.i]
        elif c.dep_ in ("nsubj", "nsubjpass") and c.pos_ == "NOUN" and stem(c.lemma_) in vocab.nouns:
            words.append(c.lemma_)
    keys = vocab.token_keys(tok) | vocab.keys(*words)
    verb = governing_verb(tok) if tok.pos_ == "NOUN" else None
    if verb is not None:  # "convicted him of fraud on Thursday"
        keys |= {k for k in vocab.token_keys(verb) if k.startswith("g:")}
    return keys


def _strong(keys: set[str]) -> set[str]:
    return {k for k in keys if k[:2] in ("s:", "g:")}


@dataclass
class _Antecedent:
    token: int
    block: int
    mention: Mention
    blocks_used: set[int] = field(default_factory=set)


class References:
    """The dated mentions of one document so far, by kind, and the later references to them.

    Call :meth:`resolve` for each sentence in order, then :meth:`note` with that sentence's dated
    mentions: a reference is looked up in constant time per noun (the latest antecedent of each kind
    key), so the work grows with the length of the text.
    """

    def __init__(self, finder: EventFinder, entities: Entities, vocab: KindVocabulary | None = None) -> None:
        self.finder = finder
        self.entities = entities
        self.v = vocab or KindVocabulary.default()
        self.by_key: dict[str, _Antecedent] = {}
        #: mentions dated only by the lede (see ``events.lede``), with their kind keys
        self.provisional: list[tuple[set[str], Mention]] = []
        #: lede mention number -> the dated mention of the same kind that the text gives later
        self.confirmed: dict[int, Mention] = {}
        #: id of a lede mention -> the references made to it (they follow it when it is confirmed)
        self.referrers: dict[int, list[Mention]] = {}

    def note(self, token: Token, block: int, mention: Mention, *, provisional: bool = False) -> None:
        """``mention`` (of trigger ``token``, in paragraph ``block``) is dated: later text may refer to
        it. ``provisional``: it is dated only as the news of the lede, which a later dated mention of
        the same kind, inside the lede's days, names more precisely ("X has resigned." ... "X resigned
        on Monday")."""
        if mention.generic:
            return
        keys = event_keys(token, self.v)
        found = _Antecedent(token.i, block, mention)
        for key in keys:
            self.by_key[key] = found
        if self._named_by_word(token, mention.type):  # "the disaster": a wildfire, not its death toll
            self.by_key[f"t:{mention.type}"] = found
        if provisional:
            self.provisional.append((_strong(keys), mention))
            return
        for n, (lede_keys, lede) in enumerate(self.provisional):
            if n not in self.confirmed and lede_keys & keys and lede.date.contains(mention.date):
                self.confirmed[n] = mention  # the first such mention names it

    def _named_by_word(self, token: Token, typ: str) -> bool:
        """Whether ``token`` names an event of type ``typ`` by its own word, not by its context."""
        words = (token.lemma_.lower(), token.lower_)
        return any(self.finder.v.verbs.get(w) == typ or self.finder.v.nouns.get(w) == typ for w in words)

    def same_kind(self, token: Token) -> Mention | None:
        """The earlier dated mention of the same kind of event as the verb or noun ``token``, if any
        ("The regulator has blocked the takeover. It vetoed the deal ...")."""
        found = self._nearest(_strong(event_keys(token, self.v)))
        return found.mention if found is not None else None

    def referred(self, reference: Mention, antecedent: Mention) -> None:
        """``reference`` was made to ``antecedent``: if that is a lede mention, it follows it."""
        if any(lede is antecedent for _, lede in self.provisional):
            self.referrers.setdefault(id(antecedent), []).append(reference)

    def named_later(self) -> list[tuple[Mention, Mention]]:
        """(lede mention, the later dated mention of the same event) for each lede the text dates, and
        (reference to that lede mention, the same dated mention)."""
        out = []
        for n, named in self.confirmed.items():
            lede = self.provisional[n][1]
            out += [(m, named) for m in (lede, *self.referrers.get(id(lede), ()))]
        return out

    def resolve(
        self, sent: Span, block: int, dates: Iterable[Span], taken: set[int]
    ) -> list[tuple[Token, Mention]]:
        """(reference noun, the mention it refers to) for each reference in the sentence ``sent``;
        ``dates`` are the sentence's date expressions, ``taken`` the tokens that trigger a mention."""
        if not self.by_key:
            return []
        dates = list(dates)
        out: list[tuple[Token, Mention]] = []
        for tok in sent:
            if tok.i in taken or not self._candidate(tok):
                continue
            definite = self._definite(tok)
            found = self._antecedent(tok, block, broad=definite) if definite is not None else None
            if found is None or len(found.blocks_used) >= MAX_REFERENCES or block in found.blocks_used:
                continue
            if self._own_date(tok, dates) or not self._factual(tok):
                continue
            found.blocks_used.add(block)
            out.append((tok, found.mention))
        return out

    def dated_reference(self, tok: Token, block: int, mention: Mention) -> Mention | None:
        """The earlier mention that a definite broader noun dated to its day refers to, if any: "X
        bought Y on Monday ... The announcement on Monday surprised ..." names the purchase again, with
        the day the story already gave it. A noun that names its own subject ("the announcement of
        new rules", "its announcement") is its own event."""
        if not self.by_key or not self._candidate(tok) or self._definite(tok) is not True:
            return None
        if any(c.dep_ == "poss" or (c.dep_ == "prep" and c.lower_ == "of") for c in tok.children):
            return None
        found = self._antecedent(tok, block, broad=True)
        if found is None or found.mention.date != mention.date or mention.date.span_days != 1:
            return None
        return found.mention if self._factual(tok) else None

    def with_object_parties(
        self, dated: list[tuple[Token, Mention]], block: int
    ) -> list[tuple[Token, Mention, Mention]]:
        """(trigger, mention, the mention with more actors) for each dated deed done to an event the
        story dated before, named by a definite object ("In May, the EU approved the accord"; "the
        takeover was blocked"): the parties of that event take part in the deed, as a reader of the
        sentence knows them. A statement about an event ("condemned the attack") takes none."""
        out = []
        for tok, m in dated:
            if tok.pos_ not in ("VERB", "AUX") or m.type == "statement":
                continue
            objects = [c for c in tok.children if c.dep_ in ("dobj", "nsubjpass")]
            for obj in objects:
                if not self._candidate(obj) or self._definite(obj) is not True or _owned(obj):
                    continue  # "upheld her conviction": hers, maybe not the conviction told last
                found = self._antecedent(obj, block, broad=True)
                if found is None or found.mention is m:
                    continue
                parties = [a for a in found.mention.actors if a not in m.actors]
                if parties:
                    out.append((tok, m, replace(m, actors=(*m.actors, *parties))))
                break
        return out

    # -- the noun ----------------------------------------------------------------------------------

    def _candidate(self, tok: Token) -> bool:
        """A noun naming a happening that heads its phrase ("the deal", not "the deal talks")."""
        if tok.tag_ not in ("NN", "NNS", "VBG") or tok.dep_ == "compound":
            return False
        nxt = tok.nbor(1) if tok.i + 1 < len(tok.doc) else None
        if (
            nxt is not None
            and nxt.pos_ in ("NOUN", "PROPN")
            and nxt.dep_ != "appos"
            and nxt.ent_type_ != "DATE"  # "the announcement Monday": its date, not a compound
        ):
            return False
        if tok.tag_ == "VBG":  # "the sacking": a gerund only as a noun, after its determiner
            return tok.i > 0 and self._marks_definite(tok.nbor(-1))
        return self.v.names_event(tok, self.finder)

    def _marks_definite(self, tok: Token) -> bool:
        return (tok.pos_ == "DET" and tok.lower_ in self.v.definite) or tok.tag_ in _POSSESSIVE

    def _definite(self, tok: Token) -> bool | None:
        """True for a definite or possessive noun phrase, False for a bare one, None when it names
        another or an uncertain occurrence ("a deal", "the previous deal", "the planned strike")."""
        first = tok
        while first.i > 0:  # the words before the noun in its phrase: "the shock sacking", "its $2bn deal"
            prev = first.nbor(-1)
            if prev.pos_ not in ("ADJ", "NOUN", "PROPN", "NUM", "SYM", "DET", "PRON", "PART", "ADV", "PUNCT"):
                break
            if prev.pos_ == "PUNCT" and prev.text not in ("-", "–"):
                break
            first = prev
            if prev.pos_ in ("DET", "PRON") or prev.tag_ == "POS":
                break
        before = list(tok.doc[first.i : tok.i])
        modifiers = before + [c for c in tok.children if c.dep_ in ("amod", "advmod")]
        if any(t.lower_ in self.v.other_occurrence or t.ent_type_ == "ORDINAL" for t in modifiers):
            return None
        if any(c.dep_ == "nummod" and c.ent_type_ not in _AMOUNTS for c in tok.children):
            return None  # "two strikes": several occurrences, not the one dated ("a $2bn deal" is one)
        dets = [t for t in before if t.pos_ == "DET" or t.tag_ in _POSSESSIVE]
        dets += [c for c in tok.children if c.dep_ in ("det", "poss")]
        if not dets:
            return False
        return True if any(self._marks_definite(t) or t.dep_ == "poss" for t in dets) else None

    def _own_date(self, tok: Token, dates: list[Span]) -> bool:
        """Whether a date of the sentence dates the noun itself ("Sunday's vote", "the vote on
        Sunday"): it names its own occurrence, which the date rules have judged already."""
        for span in dates:
            if self.entities.in_subtree(span.root, tok):
                return True
            found = self.finder.trigger_for(span)
            if found is not None and found.token.i == tok.i:
                return True
        return False

    def _factual(self, tok: Token) -> bool:
        """The reference sits in a clause that tells of a fact, not under a plan ("plans for the strike")
        and with no plan of its own ("the strike planned for ...")."""
        v = self.finder.v
        for c in tok.children:
            if c.dep_ in ("acl", "relcl", "amod") and (
                self.finder.facts.is_irrealis_verb(c) or c.lower_ in v.irrealis_adjectives
            ):
                return False
        head = tok.head.head if tok.dep_ == "pobj" else tok.head
        if head.lemma_.lower() in v.irrealis_nouns or head.lower_ in v.irrealis_nouns:
            return False
        verb = self.finder.clause_verb(tok)
        if verb is None:
            return True
        # "seeking re-election", "expects a deal": the verb itself wants or plans it
        return not self.finder.facts.is_irrealis_verb(verb) and self.finder.facts.factual(verb)

    # -- its antecedent ----------------------------------------------------------------------------

    def _antecedent(self, tok: Token, block: int, *, broad: bool) -> _Antecedent | None:
        """The nearest earlier dated mention of the same kind; for a definite broader word, else the
        nearest one of a kind or type it covers, a few paragraphs back at most."""
        words = (tok.lemma_, tok.lower_)
        found = self._nearest(self.v.token_keys(tok))
        if found is None and broad:
            keys: set[str] = set()
            for word in words:
                types, groups = self.v.broader.get(stem(word), (frozenset(), frozenset()))
                keys.update(f"t:{t}" for t in types)
                keys.update(f"g:{g}" for g in groups)
            found = self._nearest(keys)
            if found is not None and block - found.block > BROADER_BLOCKS:
                return None
        return found

    def _nearest(self, keys: Iterable[str]) -> _Antecedent | None:
        hits = [a for key in keys if (a := self.by_key.get(key)) is not None]
        return max(hits, key=lambda a: a.token) if hits else None


def _owned(noun: Token) -> bool:
    """Whether an event noun names whose it is ("her conviction", "the sale of Bolt")."""
    return any(c.dep_ == "poss" or (c.dep_ == "prep" and c.lower_ == "of") for c in noun.children)
