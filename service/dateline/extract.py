"""Dated events out of one article: which clause each date belongs to, and what happened there.

For every temporal expression that dates something (a ``DATE`` with a calendar value, not an open
bound such as "after 2000"), the extractor finds the event it dates in the dependency parse: a clause
attached to the date itself ("early 2020, when links were suspended"), an event noun it modifies ("last
month's summit", "the invasion in February 2022") or the clause it sits in, looking inside reporting and
light verbs for the real event ("reports of soldiers arriving ... emerged in October"). Clauses that did
not happen (modal, conditional, negated, expected, planned) and references to other publications are
not events. A date can carry over to the next sentence ("in May, the president visited Hanoi ... The two
leaders signed a pact").
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from functools import cache
from itertools import pairwise
from typing import Any

from spacy.attrs import HEAD
from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from dateline import budget
from dateline.actors import canonical
from dateline.clean import SELF_REFERENCE, Block, CleanText, clean
from dateline.component import governing_verb
from dateline.documents import DocumentError
from dateline.model import DateValue, Document, DocumentResult, Mention, TextSpan
from dateline.nlp import load_nlp
from dateline.published import detect_publisher, detect_title, publication
from dateline.settings import Settings
from dateline.temporal import Timex, calendar_date
from dateline.vocab import load

_PERSONISH = ("PERSON", "ORG", "GPE", "NORP")
_PLACE = ("GPE", "LOC", "FAC")
_LOCATIVE_PREPS = {"in", "at", "to", "near", "into", "inside", "from", "outside"}
_CLAUSE_DEPS = {"xcomp", "ccomp", "advcl", "relcl", "acl", "conj", "pcomp"}
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
#: "the first ... since", "the largest ... since": a record that dates an earlier occurrence, not this one
_RECORD_SINCE = re.compile(r"\b(?:" + "|".join(load("triggers")["record_words"]) + r")\b", re.I)
_ACTING_DEPS = frozenset({"nsubj", "nsubjpass", "poss", "agent", "compound"})
_PERSONAL_PRONOUNS = frozenset({"she", "he", "her", "him", "his", "hers"})
_TITLE_WORDS = frozenset(
    {"minister", "ministry", "secretary", "department", "chief", "spokesman", "spokeswoman"}
)
_MAX_PRECISION = ("day", "week", "month", "season", "quarter", "half", "year", "decade")
#: the longest text spaCy reads in one piece. A longer one is parsed in parts cut at paragraph breaks
#: (inside a longer paragraph, after a sentence's end) and the parts joined again before the dates
#: are tagged, so the date tagger and the event rules still see one document. The model's time per
#: character grows past about 100,000 characters, and the time budget is checked between parts.
PART_CHARS = 20_000
#: the most characters one spaCy batch carries (a batch also holds at most Settings.batch_size
#: documents), so that a request's time budget is checked every second or so
BATCH_CHARS = 40_000
#: the longest run without white space spaCy's tokenizer reads as one piece. Its affix loop copies
#: and searches the rest of a token for every prefix or suffix it strips, so it is quadratic in a
#: token's length ("(" repeated 10,000 times took 8 s); a longer run is tokenized in pieces of this
#: many characters. No word is this long (a long URL may be, and is then split; it dates nothing).
MAX_TOKEN_CHARS = 100
_LONG_RUN = re.compile(rf"(?<!\S)\S{{{MAX_TOKEN_CHARS + 1},}}")
_DATES = "dateline_dates"


@dataclass(frozen=True)
class EventVocabulary:
    verbs: dict[str, str]
    nouns: dict[str, str]
    qualified: dict[str, dict[str, str]]
    qualifiers: dict[str, frozenset[str]]
    generic_nouns: frozenset[str]
    light_verbs: frozenset[str]
    modals: frozenset[str]
    irrealis_verbs: frozenset[str]
    irrealis_nouns: frozenset[str]
    irrealis_markers: frozenset[str]
    irrealis_adjectives: frozenset[str]
    strong_types: frozenset[str]
    open_prepositions: frozenset[str]

    @classmethod
    @cache
    def default(cls) -> EventVocabulary:
        t = load("triggers")
        temporal = load("temporal")
        verbs = {lemma: typ for typ, lemmas in t["verbs"].items() for lemma in lemmas}
        nouns: dict[str, str] = {}
        for typ, lemmas in t["nouns"].items():
            for lemma in lemmas:
                nouns.setdefault(lemma, typ)
        return cls(
            verbs=verbs,
            nouns=nouns,
            qualified=t["qualified_verbs"],
            qualifiers={k: frozenset(v) for k, v in t["qualifiers"].items()},
            generic_nouns=frozenset(t["generic_nouns"]),
            light_verbs=frozenset(t["light_verbs"]),
            modals=frozenset(t["modals"]),
            irrealis_verbs=frozenset(t["irrealis_verbs"]),
            irrealis_nouns=frozenset(t["irrealis_nouns"]),
            irrealis_markers=frozenset(t["irrealis_markers"]),
            irrealis_adjectives=frozenset(t["irrealis_adjectives"]),
            strong_types=frozenset(t["narrative_strong_types"]),
            open_prepositions=frozenset(temporal["open_interval_prepositions"]),
        )


@dataclass(frozen=True)
class Trigger:
    token: Token
    type: str
    generic: bool = False


class EventFinder:
    """The linguistic rules, over one parsed document. Compute only: no I/O, no global state."""

    def __init__(self, vocab: EventVocabulary | None = None) -> None:
        self.v = vocab or EventVocabulary.default()

    # -- typing --------------------------------------------------------------------------------
    def verb_type(self, tok: Token) -> str | None:
        lemma = tok.lemma_.lower()
        if lemma in self.v.qualified:
            scope = tok.head if tok.head.pos_ in ("NOUN", "PROPN") else tok
            words = {w.lower_ for w in scope.subtree}
            rules = self.v.qualified[lemma]
            for qualifier, typ in rules.items():
                if qualifier != "default" and words & self.v.qualifiers.get(qualifier, frozenset()):
                    return typ
            if "default" in rules:
                return rules["default"]
        return self.v.verbs.get(lemma)

    def noun_type(self, tok: Token) -> str | None:
        if tok.pos_ != "NOUN":
            return None  # a proper name ("Progress Alliance") names no event
        lemma = tok.lemma_.lower()
        return self.v.nouns.get(lemma) or self.v.nouns.get(tok.lower_)

    def is_generic(self, tok: Token) -> bool:
        return tok.lemma_.lower() in self.v.generic_nouns or tok.lower_ in self.v.generic_nouns

    # -- factuality ----------------------------------------------------------------------------
    def is_irrealis_verb(self, tok: Token) -> bool:
        """ "hoped", "planned": by lemma, or by word form when the lemmatiser slips ("hoped" -> "hop")."""
        if tok.lemma_.lower() in self.v.irrealis_verbs:
            return True
        form = tok.lower_
        for suffix in ("ed", "d", "es", "s", "ing"):
            if form.endswith(suffix):
                stem = form[: -len(suffix)]
                if stem in self.v.irrealis_verbs or stem + "e" in self.v.irrealis_verbs:
                    return True
        return False

    def factual(self, verb: Token) -> bool:
        """False for clauses that did not (yet) happen: modal, conditional, negated, hoped for."""
        tok = verb
        for hop in range(5):
            for c in tok.children:
                if c.dep_ in ("aux", "auxpass") and c.lower_ in self.v.modals:
                    return False
                if c.dep_ == "neg" and hop == 0:
                    return False
                if c.dep_ in ("mark", "advmod") and c.lower_ in self.v.irrealis_markers:
                    return False
            if hop > 0 and self.is_irrealis_verb(tok):
                return False
            if tok.dep_ == "xcomp" and tok.head.lower_ in self.v.irrealis_adjectives:
                return False  # "is likely to vote", "is due to convene"
            if tok.dep_ not in _CLAUSE_DEPS or tok.head.i == tok.i:
                break
            head = tok.head
            if head.pos_ in ("NOUN", "PROPN"):
                if head.lemma_.lower() in self.v.irrealis_nouns or head.lower_ in self.v.irrealis_nouns:
                    return False
                gov = governing_verb(head)
                if gov is None:
                    break
                head = gov
            tok = head
        return True

    # -- which event a date belongs to ---------------------------------------------------------
    def trigger_for(self, span: Span) -> Trigger | None:
        root = span.root
        inside = {t.i for t in span}
        # a clause attached to the date itself: "since early 2020, when links were suspended"
        for c in root.children:
            if c.dep_ in ("relcl", "acl") and c.pos_ in ("VERB", "AUX") and c.i not in inside:
                typ = self.verb_type(c)
                if typ:
                    return Trigger(c, typ)
        # PP attachment: a date right after an event noun is its date ("the invasion in February 2022")
        first = span[0]
        prep = first.nbor(-1) if first.i > 0 and first.nbor(-1).pos_ == "ADP" else None
        before = (prep or first).nbor(-1) if (prep or first).i > span.doc[0].i else None
        if before is not None and prep is not None and self.noun_type(before) and before.i not in inside:
            verb_typ = self.verb_type(before.head) if before.dep_ == "dobj" else None
            if verb_typ and verb_typ != "other":
                return Trigger(before.head, verb_typ)  # "signed an agreement in June": the signing
            return Trigger(before, self.noun_type(before) or "other")
        tok = root
        gov: Token | None = None
        while tok.head.i != tok.i:
            parent = tok.head
            if parent.pos_ in ("VERB", "AUX") and parent.dep_ not in ("aux", "auxpass"):
                gov = parent
                break
            if parent.i not in inside:
                if self.is_generic(parent):
                    verb = governing_verb(parent)
                    return Trigger(verb or parent, "other", generic=True)
                typ = self.noun_type(parent)
                if typ:
                    return Trigger(parent, typ)
            tok = parent
        if gov is None:
            return None
        if gov.dep_ in ("acl", "relcl") and self.is_generic(gov.head):
            return Trigger(gov, "other", generic=True)
        typ = self.verb_type(gov)
        light = gov.lemma_.lower() in self.v.light_verbs
        if light and gov.dep_ in ("acl", "relcl") and self.noun_type(gov.head):
            # "talks that began in the autumn", "the march that came on 1 March": the noun's event
            return Trigger(gov.head, self.noun_type(gov.head) or "other")
        if typ in self.v.strong_types:
            return Trigger(gov, typ)
        if gov.tag_ in ("VBZ", "VBP") and not any(c.dep_ in ("aux", "auxpass") for c in gov.children):
            # "Today, the war is the fault line": a present state, not a dated event
            return None
        found = self._search(gov, exclude=inside, nouns_behind_prep=light)
        if found and found.type in self.v.strong_types:
            return found
        if typ:
            return Trigger(gov, typ)
        if found:
            return found
        # a light verb names an event only with a particle or an object: "took off", "gave way"
        if light and not any(c.dep_ in ("prt", "dobj") for c in gov.children):
            return None
        return Trigger(gov, "other")

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
                for c in tok.children:
                    if c.i in exclude or c.dep_ not in _SEARCH_DEPS:
                        continue
                    behind_prep = via_prep or c.dep_ in ("prep", "pobj")
                    nxt.append((c, behind_prep))
                    if c.dep_ in ("nsubj", "attr") and c.head.lemma_.lower() in _STATE_VERBS:
                        continue  # "the talks had been useful": the subject of a state is no event here
                    is_verb = c.pos_ in ("VERB", "AUX")
                    if not is_verb and behind_prep and not nouns_behind_prep:
                        continue
                    typ = self.verb_type(c) if is_verb else self.noun_type(c)
                    if typ is None:
                        continue
                    if typ in self.v.strong_types:
                        return Trigger(c, typ)
                    if best is None and typ != "other":
                        best = Trigger(c, typ)
                    elif other is None and typ == "other":
                        other = Trigger(c, typ)
            frontier = nxt
        return best or other

    def clause_verb(self, trigger: Token) -> Token | None:
        if trigger.pos_ in ("VERB", "AUX"):
            return trigger
        return governing_verb(trigger)

    def purpose_events(self, trigger: Trigger) -> list[Trigger]:
        """Travel with a purpose names two events: "flew to Paris to sign a treaty"."""
        if trigger.type != "visit":
            return []
        out = []
        for c in trigger.token.children:
            if c.dep_ in ("advcl", "xcomp") and any(a.lower_ == "to" for a in c.children if a.dep_ == "aux"):
                typ = self.verb_type(c)
                if typ in ("agreement", "meeting"):
                    out.append(Trigger(c, typ))
        return out


# -- titles, actors, places ----------------------------------------------------------------------


def _compact(tok: Token, skip: set[int], limit: int = 7) -> str:
    """A short noun phrase for ``tok``: modifiers and the head, a short complement, no clauses or dates."""
    keep_deps = {
        "compound",
        "amod",
        "poss",
        "case",
        "det",
        "nummod",
        "quantmod",
        "nmod",
        "prep",
        "pobj",
        "punct",
    }
    words: list[Token] = []

    def walk(t: Token, top: bool) -> None:
        for c in t.lefts:
            if c.i not in skip and c.dep_ in keep_deps and c.dep_ != "punct":
                walk(c, False)
        words.append(t)
        for c in t.rights:
            coordinated = top and (c.dep_ in ("conj", "cc") or (c.dep_ == "punct" and c.text == ","))
            if coordinated and c.i not in skip:
                walk(c, True) if c.dep_ == "conj" else words.append(c)  # "France, Spain and Italy"
                continue
            if (
                c.i in skip
                or c.dep_ not in ("prep", "pobj", "compound", "case")
                or (c.dep_ == "prep" and not top)
            ):
                continue
            if c.dep_ == "prep" and any(g.i in skip for g in c.subtree):
                continue
            walk(c, False)

    walk(tok, True)
    words.sort(key=lambda t: t.i)
    if len(words) > limit:
        words = [w for w in words if w.i <= tok.i][-limit:]
    text = " ".join(w.text for w in words)
    text = re.sub(r"\s+(['’]s|['’])\b", r"\1", text)
    return re.sub(r"\s+([,.;:)])", r"\1", text).replace("( ", "(").strip(" ,;:—-–‘’'\"“”")


def make_title(trigger: Token, skip: set[int]) -> str:
    """Subject, verb and object of the trigger's clause, or the event noun phrase."""
    if trigger.pos_ not in ("VERB", "AUX"):
        title = _compact(trigger, skip, limit=9)
    else:
        subj = next((c for c in trigger.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        agent = next(
            (g for c in trigger.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"), None
        )
        obj = next((c for c in trigger.children if c.dep_ in ("dobj", "attr", "dative")), None)
        if (
            trigger.dep_ == "relcl"
            and subj is not None
            and subj.tag_ in ("WDT", "WP")
            and trigger.head.pos_ in ("NOUN", "PROPN")
        ):
            subj = trigger.head
        if trigger.dep_ in ("relcl", "acl") and obj is None and subj is not None and subj.i != trigger.head.i:
            obj = trigger.head if trigger.head.pos_ in ("NOUN", "PROPN") else None
        if (
            subj is None
            and trigger.dep_ in ("acl", "relcl", "xcomp", "advcl")
            and trigger.head.pos_ in ("NOUN", "PROPN")
        ):
            subj = trigger.head
        elif subj is None and trigger.dep_ in ("xcomp", "advcl", "conj"):
            subj = next((c for c in trigger.head.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        parts: list[str] = []
        if agent is not None:
            parts.append(_compact(agent, skip, 6))
        elif subj is not None and subj.tag_ not in ("PRP", "WDT", "WP"):
            parts.append(_compact(subj, skip, 6))
        particle = " ".join(c.text for c in trigger.children if c.dep_ == "prt")
        parts.append(trigger.text + (" " + particle if particle else ""))
        if agent is not None and subj is not None:
            parts.append(_compact(subj, skip, 6))
        elif obj is not None and obj is not subj:
            parts.append(_compact(obj, skip, 6))
        else:
            prep = next(
                (
                    c
                    for c in trigger.children
                    if c.dep_ == "prep"
                    and c.lower_ in ("to", "with", "in")
                    and not any(g.i in skip for g in c.subtree)
                ),
                None,
            )
            if prep is not None:
                pobj = next((g for g in prep.children if g.dep_ == "pobj"), None)
                if pobj is not None:
                    parts.append(f"{prep.text} {_compact(pobj, skip, 4)}")
        title = " ".join(p for p in parts if p)
    title = re.sub(r"\s+", " ", title).strip()
    return title[:1].upper() + title[1:] if title else trigger.text


class Entities:
    """The named entities the rules read (people, organisations, places), listed once per document,
    with what the rules ask of them: the entities of a token range, a sentence's actors, whether a
    token lies below a trigger.

    ``doc.ents`` and ``Span.ents`` rebuild their list from every token of the document on each access,
    so asking them once per sentence or mention made extraction quadratic in the text's length; here
    the spans inside a token range are found by bisection, and a sentence's actors are named once
    however many dates it holds.
    """

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.spans: list[Span] = [e for e in doc.ents if e.label_ in (*_PERSONISH, *_PLACE)]
        self.starts = [e.start for e in self.spans]
        self._actors: dict[tuple[int, int], list[tuple[int, str]]] = {}
        self._tree: tuple[list[int], list[int]] | None = None

    def in_subtree(self, tok: Token, head: Token) -> bool:
        """Whether ``tok`` is ``head`` or one of its descendants, in constant time: ``Token.subtree``
        lists the whole subtree, and a trigger is often the root of a long sentence."""
        if self._tree is None:
            self._tree = _preorder(self.doc)
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

    def actors(self, start: int, end: int, event_nouns: Mapping[str, str]) -> list[tuple[int, str]]:
        """(first token, canonical name) of each entity in tokens ``[start, end)`` that names an actor,
        in order; worked out once per sentence, however many of its dates ask."""
        key = (start, end)
        if key not in self._actors:
            doc = self.doc
            found = []
            for e in self.within(start, end):
                if e.label_ in ("LOC", "FAC") or (e.label_ == "ORG" and e.root.lemma_.lower() in event_nouns):
                    continue
                if e.label_ == "ORG" and e.end < len(doc) and doc[e.end].lower_ in _TITLE_WORDS:
                    continue  # "Interior Minister Pavel Hanák": a portfolio, not an actor
                hit = canonical(e.text, e.label_)
                if hit is None and e.label_ == "GPE" and e.root.dep_ in _ACTING_DEPS:
                    # a country missing from the alias table acts all the same: "Castrela's central bank"
                    hit = (re.sub(r"['’]s$", "", e.text).strip(), "country")
                if hit:
                    found.append((e.start, hit[0]))
            self._actors[key] = found
        return self._actors[key]


def actors_and_place(
    doc: Doc,
    sent: Span,
    trigger: Token,
    typ: str = "other",
    vocab: EventVocabulary | None = None,
    entities: Entities | None = None,
) -> tuple[list[str], str | None]:
    """Canonical actors of the sentence, and the place of the event (a locative phrase of the trigger).

    ``entities`` is the document's entity index (made here when not given: pass it when calling for
    many mentions of one document)."""
    entities = entities or Entities(doc)
    location: str | None = None
    location_ent: Span | None = None
    if trigger.pos_ in ("VERB", "AUX"):
        for e in entities.within(sent.start, sent.end):
            if e.label_ not in _PLACE or not entities.in_subtree(e.root, trigger):
                continue
            head = e.root.head
            if (e.root.dep_ == "pobj" and head.lower_ in _LOCATIVE_PREPS) or (
                e.root.dep_ == "dobj" and head.i == trigger.i and typ in ("visit", "combat")
            ):
                location_ent = e
                break
    else:
        for c in trigger.rights:
            if c.dep_ == "prep" and c.lower_ in _LOCATIVE_PREPS:
                for e in entities.within(c.i, c.right_edge.i + 1):
                    if e.label_ in _PLACE:
                        location_ent = e
                        break
    if location_ent is not None:
        hit = canonical(location_ent.text, "GPE")
        location = (
            hit[0]
            if hit
            and hit[1] == "country"
            and location_ent.label_ == "GPE"
            and _is_country_name(location_ent.text)
            else re.sub(r"['’]s$", "", location_ent.text)
        )
    event_nouns = (vocab or EventVocabulary.default()).nouns
    skip = location_ent.start if location_ent is not None else -1
    actors: list[str] = []
    named: set[str] = set()
    for start, name in entities.actors(sent.start, sent.end, event_nouns):
        if start != skip and name not in named:
            actors.append(name)
            named.add(name)
    return actors, location


def _preorder(doc: Doc) -> tuple[list[int], list[int]]:
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


def _is_country_name(text: str) -> bool:
    hit = canonical(text, "GPE")
    return hit is not None and re.sub(r"['’]s$", "", text).strip().lower() == hit[0].lower()


# -- the extractor ---------------------------------------------------------------------------------


@dataclass
class _Sentence:
    span: Span
    start: int  # cleaned-text offsets, trimmed to one block
    end: int
    block: int


def _sentences(doc: Doc, ct: CleanText) -> Iterator[_Sentence]:
    """spaCy's sentences cut at paragraph boundaries (a sentence never spans two blocks); one pass.

    The text is the cleaned text the Doc was made from (``doc.text`` joins every token on each access).
    """
    sentences = [(sent.start_char, sent.end_char) for sent in doc.sents]
    starts = [start for start, _ in sentences]
    for b_index, block in enumerate(ct.blocks):
        for k in range(max(0, bisect_right(starts, block.start) - 1), len(sentences)):
            sent_start, sent_end = sentences[k]
            if sent_start >= block.end:
                break
            s, e = max(sent_start, block.start), min(sent_end, block.end)
            if e - s < 2:
                continue
            text = ct.text[s:e]
            s += len(text) - len(text.lstrip())
            e -= len(text) - len(text.rstrip())
            span = doc.char_span(s, e, alignment_mode="expand")
            if span is not None:
                yield _Sentence(span, s, e, b_index)


@dataclass
class _DocContext:
    """What every rule needs about the document being read, and the person last named in it."""

    doc: Doc
    document: Document
    ct: CleanText
    finder: EventFinder
    entities: Entities
    last_person: str | None = None


def _original_span(ct: CleanText, start: int, end: int, *, widen: bool = False) -> TextSpan:
    """Where a cleaned span lies in the original; a whole sentence (``widen``) takes its markup along."""
    text, o_start, o_end = ct.quote(start, end, widen=widen)
    return TextSpan(text, o_start, o_end)


_DURATION_YEARS = re.compile(r"^P(\d+)Y$")


class Extractor:
    """Documents in, dated event mentions out (see :func:`find_mentions` for the rules).

    Time grows linearly with the length of a text (long texts are parsed in parts of
    :data:`PART_CHARS`), and the work stops at the next stage when the current time budget
    (:mod:`dateline.budget`, set per HTTP request) has run out.
    """

    def __init__(self, settings: Settings | None = None, nlp: Language | None = None) -> None:
        self.settings = settings or Settings()
        self.nlp = nlp if nlp is not None else load_nlp(self.settings)
        if _DATES not in self.nlp.pipe_names:
            self.nlp.add_pipe(_DATES, last=True)
        self.nlp.max_length = max(self.nlp.max_length, self.settings.max_text_chars + 1)
        self.finder = EventFinder()
        self.part_chars = PART_CHARS
        self.batch_chars = BATCH_CHARS

    def prepare(self, doc: Document) -> tuple[Document, CleanText]:
        """Clean the text and fill in the metadata the caller did not give."""
        if len(doc.text) > self.settings.max_text_chars:
            raise DocumentError(
                f"document {doc.id!r} has {len(doc.text):,} characters; "
                f"the limit is {self.settings.max_text_chars:,} (DATELINE_MAX_TEXT_CHARS)"
            )
        ct = clean(doc.text)
        budget.check("cleaning the text")
        published = publication(doc, ct)
        budget.check("finding the publication date")
        return (
            replace(
                doc,
                published=published,
                title=doc.title or detect_title(doc, ct),
                publisher=doc.publisher or detect_publisher(doc),
            ),
            ct,
        )

    def extract(self, doc: Document) -> DocumentResult:
        return self.extract_many([doc])[0]

    def extract_many(self, docs: Iterable[Document]) -> list[DocumentResult]:
        prepared = [self.prepare(d) for d in docs]
        names = self.nlp.pipe_names
        late = names[names.index(_DATES) :]  # the date tagger (and whatever follows it): whole documents
        results = []
        for (d, ct), sd in zip(prepared, self._parse([ct for _, ct in prepared], late), strict=True):
            sd._.dct = d.published.value
            for name in late:
                sd = self.nlp.get_pipe(name)(sd)
                budget.check(f"running {name}")
            results.append(DocumentResult(d, find_mentions(sd, d, ct, self.finder)))
        return results

    def make_doc(self, text: str) -> Doc:
        """``text`` tokenized, a run of more than :data:`MAX_TOKEN_CHARS` characters without white
        space in pieces of that many (the Doc's text is ``text`` all the same)."""
        pieces: list[str] = []
        pos = 0
        for run in _LONG_RUN.finditer(text):
            pieces.append(text[pos : run.start()])
            pieces += [
                text[i : min(i + MAX_TOKEN_CHARS, run.end())]
                for i in range(run.start(), run.end(), MAX_TOKEN_CHARS)
            ]
            pos = run.end()
        if not pieces:
            return self.nlp.make_doc(text)
        pieces.append(text[pos:])
        docs = [self.nlp.make_doc(piece) for piece in pieces if piece]
        return _joined(docs)

    def _parse(self, texts: list[CleanText], late: list[str]) -> list[Doc]:
        """Each cleaned text through the pipeline up to the date tagger (``late`` left out): in parts
        of at most ``part_chars``, batched by ``batch_chars``, a long text's parts joined again."""
        units = [
            (i, part)
            for i, ct in enumerate(texts)
            for part in split_parts(ct.text, ct.blocks, self.part_chars)
        ]
        parsed: list[list[Doc]] = [[] for _ in texts]
        for batch in _batches(units, self.settings.batch_size, self.batch_chars):
            docs = [self.make_doc(text) for _, text in batch]
            for (i, _), sd in zip(
                batch, self.nlp.pipe(docs, batch_size=len(docs), disable=late), strict=True
            ):
                parsed[i].append(sd)
            budget.check("parsing the text")
        return [parts[0] if len(parts) == 1 else _joined(parts) for parts in parsed]


def _joined(docs: list[Doc]) -> Doc:
    """Consecutive pieces of one text as one Doc: their texts joined as they are (no space added),
    their annotations kept, not their tensors (nothing after the parse reads them)."""
    exclude = ["spans", "tensor", "user_data"]
    return Doc.from_docs(docs, ensure_whitespace=False, exclude=exclude)  # type: ignore[call-arg]  # stub lags


#: where a part may end inside a paragraph: after a sentence's final punctuation and white space
_SENTENCE_BREAK = re.compile(r"[.!?…][\"”’')\]]*\s+")


def split_parts(text: str, blocks: Sequence[Block], limit: int) -> list[str]:
    """``text`` cut into consecutive parts of at most ``limit`` characters (joined, they are the
    text): at the start of a paragraph (``blocks``), and inside a longer paragraph after the last
    sentence end in the second half of the part, else after the last space, else at the limit."""
    if len(text) <= limit:
        return [text]
    cuts: list[int] = []
    start = 0
    for block in blocks:
        if block.end - start > limit and block.start > start:
            start = block.start
            cuts.append(start)
        while block.end - start > limit:
            start = _cut(text, start, start + limit)
            cuts.append(start)
    return [text[a:b] for a, b in pairwise([0, *cuts, len(text)]) if b > a]


def _cut(text: str, start: int, end: int) -> int:
    """Where to end a part that may run from ``start`` to ``end`` (always after ``start``)."""
    last = None
    for last in _SENTENCE_BREAK.finditer(text, start + (end - start) // 2, end):  # noqa: B007
        pass
    if last is not None:
        return last.end()
    space = text.rfind(" ", start + 1, end)
    return space + 1 if space > start else end


def _batches(units: list[tuple[int, str]], size: int, chars: int) -> Iterator[list[tuple[int, str]]]:
    """Consecutive runs of ``units`` of at most ``size`` units and ``chars`` characters (or one unit)."""
    batch: list[tuple[int, str]] = []
    total = 0
    for unit in units:
        if batch and (len(batch) >= size or total + len(unit[1]) > chars):
            yield batch
            batch, total = [], 0
        batch.append(unit)
        total += len(unit[1])
    if batch:
        yield batch


def _usable(t: Timex, vocab: EventVocabulary) -> bool:
    return (
        t.type in ("DATE", "TIME", "DURATION")  # a DURATION only with the date it reaches
        and t.date is not None
        and t.date.precision in _MAX_PRECISION
        # "after 2000" only bounds an event; "before midnight on Sunday" still dates it to Sunday
        and (t.type == "TIME" or (t.signal or "") not in vocab.open_prepositions)
    )


def _self_reference(text: str) -> bool:
    return any(rx.search(text) for rx in SELF_REFERENCE)


class _TimexIndex:
    """The tagged date spans of a document, found by where they start (bisection, not a scan)."""

    def __init__(self, spans: list[Span]) -> None:
        self.spans = spans
        self.order = sorted(range(len(spans)), key=lambda i: spans[i].start_char)
        self.starts = [spans[i].start_char for i in self.order]

    def starting_in(self, start: int, end: int) -> list[Span]:
        """The spans that start in characters ``[start, end)``, in the tagger's order."""
        found = self.order[bisect_left(self.starts, start) : bisect_left(self.starts, end)]
        return [self.spans[i] for i in sorted(found)]


def find_mentions(
    doc: Doc, document: Document, ct: CleanText, finder: EventFinder | None = None
) -> list[Mention]:
    """Every dated event mention of one parsed, cleaned document.

    Work per sentence is bounded by that sentence: the dates, entities and earlier mentions it needs are
    looked up in indexes made once (never by scanning the whole document), so time grows linearly.
    """
    finder = finder or EventFinder()
    ctx = _DocContext(doc, document, ct, finder, Entities(doc))
    text = ct.text  # the Doc's text (doc.text would join every token again on each use)
    timexes = _TimexIndex(list(doc.spans.get("timex", [])))
    by_trigger: dict[Any, Mention] = {}
    by_token: dict[int, list[Any]] = {}  # trigger token -> its keys in by_trigger, in insertion order
    trigger_starts: set[int] = set()  # of every mention in by_trigger
    previous: tuple[int, Mention] | None = None  # (block, mention) for dates carried to the next sentence
    for sent in _sentences(doc, ct):
        budget.check("finding events")
        in_sentence = timexes.starting_in(sent.start, sent.end)
        quote = _original_span(ct, sent.start, sent.end, widen=True)
        made: list[Mention] = []
        for span in in_sentence:
            t: Timex = span._.timex
            before = text[max(sent.start, span.start_char - 80) : span.start_char]
            if _self_reference(before):
                continue
            date_value: DateValue | None = None
            trigger: Trigger | None = None
            if _usable(t, finder.v):
                date_value = t.date
                trigger = finder.trigger_for(span)
            elif t.type == "DURATION" and document.published.value is not None:
                date_value, trigger = _elapsed_since(doc, span, t, document.published.value, finder)
            if trigger is None or date_value is None:
                continue
            if document.published.value is not None and date_value.start > document.published.value:
                continue  # after publication: a plan or a forecast, not something that happened
            if t.signal == "since" and _RECORD_SINCE.search(before):
                continue  # "its first majority since the 1990s", "the largest protests since 1998"
            verb = finder.clause_verb(trigger.token)
            if verb is not None and not finder.factual(verb):
                continue
            triggers = [trigger, *finder.purpose_events(trigger)]
            for trig in triggers:
                m = _mention(ctx, sent, quote, trig, date_value, span)
                keys = by_token.setdefault(trig.token.i, [])
                ranged = _range_with(by_trigger, keys, m)
                if ranged is not None:
                    key, by_trigger[key] = ranged
                    continue
                key = _trigger_key(by_trigger, keys, trig.token.i, m.date)
                old = by_trigger.get(key)
                if old is None or m.date.span_days < old.date.span_days:
                    if old is None:
                        keys.append(key)
                    by_trigger[key] = m
                    trigger_starts.add(m.trigger.start)
                    made.append(m)
        if not in_sentence and previous is not None and previous[0] == sent.block:
            carried = _carry_over(ctx, sent, quote, previous[1])
            if carried is not None and carried.trigger.start not in trigger_starts:
                by_trigger[-carried.trigger.start - 1] = carried
                trigger_starts.add(carried.trigger.start)
                made.append(carried)
        ctx.last_person = _last_person(ctx.entities.within(sent.span.start, sent.span.end)) or ctx.last_person
        if made:
            previous = (sent.block, made[0])
        elif in_sentence:
            previous = None
    return sorted(by_trigger.values(), key=lambda m: (m.start, m.trigger.start))


def _refers_to_a_person(trigger: Token) -> bool:
    """A personal pronoun among the event's own arguments ("sentenced her", "she was detained")."""
    clause = trigger if trigger.pos_ in ("VERB", "AUX") else trigger.head
    near = [*clause.children, *trigger.children]
    near += [
        g for c in near if c.dep_ in ("nsubj", "nsubjpass", "dobj") for g in c.children
    ]  # "upheld her conviction"
    return any(
        c.lower_ in _PERSONAL_PRONOUNS and c.dep_ in ("nsubj", "nsubjpass", "dobj", "poss", "pobj")
        for c in near
    )


def _last_person(entities: list[Span]) -> str | None:
    """The person named last among a sentence's entities (not a scan of the whole document)."""
    for e in reversed([e for e in entities if e.label_ == "PERSON"]):
        hit = canonical(e.text, "PERSON")
        if hit:
            return hit[0]
    return None


_RANGE_LINK = re.compile(r"^\s*(?:,\s*)?(?:and|to|through|until|till|or|-|–|—)\s*(?:on\s+|in\s+)?$", re.I)


def _range_with(found: dict[Any, Mention], keys: list[Any], m: Mention) -> tuple[Any, Mention] | None:
    """ "on Sunday and Monday", "between March 2023 and August 2025": one event over a range of dates.

    Two date expressions of the same trigger, in the same sentence, joined only by a coordinating word
    become one mention whose date runs from the first to the second. ``keys`` are the keys of ``found``
    made for the trigger's token so far, in order.
    """
    for key in keys:
        old = found[key]
        if (old.document_id, old.start) != (m.document_id, m.start):
            continue
        first, second = (old, m) if old.date_span.start <= m.date_span.start else (m, old)
        if not first.date_span.text or first.date_span.end > second.date_span.start:
            continue
        between = m.quote[first.date_span.end - m.start : second.date_span.start - m.start]
        if not _RANGE_LINK.match(between):
            continue
        start, end = min(first.date.start, second.date.start), max(first.date.end, second.date.end)
        joined = DateValue(first.date.value, first.date.precision, start, end, first.date.modifier)
        span = TextSpan(
            first.date_span.text + between + second.date_span.text,
            first.date_span.start,
            second.date_span.end,
        )
        return key, replace(first, date=joined, date_span=span)
    return None


def _trigger_key(found: dict[Any, Mention], keys: list[Any], token: int, when: DateValue) -> Any:
    """One mention per trigger and date: nested dates of one trigger are one mention (the finer wins),
    disjoint ones are separate occurrences ("postponed twice: in late January and on March 4")."""
    for key in keys:
        m = found[key]
        if m.date.contains(when) or when.contains(m.date):
            return key
    return (token, when.value)


def _elapsed_since(
    doc: Doc, span: Span, t: Timex, dct: date, finder: EventFinder
) -> tuple[DateValue | None, Trigger | None]:
    """ "Almost 23 years after Bush declared ...": the declaration is that many years before now."""
    m = _DURATION_YEARS.match(t.value)
    nxt = doc[span.end] if span.end < len(doc) else None
    if not m or nxt is None or nxt.lower_ != "after":
        return None, None
    verb = next((tok for tok in doc[span.end : min(len(doc), span.end + 10)] if tok.pos_ == "VERB"), None)
    if verb is None or (verb.head.i == verb.i and verb.i != span.root.head.i and verb.dep_ != "advcl"):
        return None, None
    typ = finder.verb_type(verb) or "other"
    value = calendar_date(f"{dct.year - int(m.group(1)):04d}", "APPROX")
    return value, Trigger(verb, typ)


def _carry_over(ctx: _DocContext, sent: _Sentence, quote: TextSpan, prev: Mention) -> Mention | None:
    """A strong past-tense event right after a dated one, in the same paragraph, shares its date."""
    root = sent.span.root
    if root.tag_ != "VBD":
        return None
    typ = ctx.finder.verb_type(root)
    if typ not in ctx.finder.v.strong_types or not ctx.finder.factual(root):
        return None
    m = _mention(ctx, sent, quote, Trigger(root, typ), prev.date, None)
    own_subject = any(c.dep_ in ("nsubj", "nsubjpass") and c.ent_type_ for c in root.children)
    actors = list(m.actors) if own_subject else list(dict.fromkeys([*m.actors, *prev.actors]))
    return replace(m, date_span=prev.date_span, actors=tuple(actors))


def _mention(
    ctx: _DocContext,
    sent: _Sentence,
    quote: TextSpan,
    trigger: Trigger,
    date_value: DateValue,
    date_span: Span | None,
) -> Mention:
    skip = {t.i for t in date_span} if date_span is not None else set()
    if date_span is not None:
        # the preposition that introduces the date is not part of a title either
        head = date_span.root.head
        if head.dep_ == "prep" or head.pos_ == "ADP":
            skip.add(head.i)
    tok = trigger.token
    # "Ukraine confirmed the first encounters": the reporting clause makes the better title
    reported = (
        tok.dep_ == "dobj" and tok.pos_ in ("NOUN", "PROPN") and ctx.finder.verb_type(tok.head) == "statement"
    )
    title_tok = tok.head if reported else tok
    actors, location = actors_and_place(ctx.doc, sent.span, tok, trigger.type, ctx.finder.v, ctx.entities)
    if ctx.last_person and ctx.last_person not in actors and _refers_to_a_person(tok):
        actors.insert(0, ctx.last_person)  # "sentenced her": the person the story is about
    dspan = (
        _original_span(ctx.ct, date_span.start_char, date_span.end_char)
        if date_span is not None
        else TextSpan("", 0, 0)
    )
    return Mention(
        document_id=ctx.document.id,
        quote=quote.text,
        start=quote.start,
        end=quote.end,
        date=date_value,
        date_span=dspan,
        trigger=_original_span(ctx.ct, tok.idx, tok.idx + len(tok.text)),
        type=trigger.type,
        title=make_title(title_tok, skip),
        actors=tuple(actors),
        location=location,
        generic=trigger.generic,
    )


def describe(mention: Mention) -> dict[str, Any]:
    """A compact view for debugging and the CLI."""
    return {
        "date": mention.date.value,
        "type": mention.type,
        "title": mention.title,
        "actors": list(mention.actors),
        "location": mention.location,
        "quote": mention.quote[:120],
    }
