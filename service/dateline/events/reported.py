"""Reported events: what an article reports without a date expression of its own.

Most of what a news article tells is dated by the article alone: "the carmaker said ...", "the index
dropped 4 %", "the phone sold 1.7 million units", "shares were down 3%". :func:`find_reported` reads
every clause the dated finder (:mod:`dateline.events.mentions`) left and makes a mention of each event
it reports, dated

* ``narrative``: by a date expression of its own clause ("filed suit in 1989"), or, for an event told
  in the past tense, by the day of the news the text set (a day shortly before publication: the
  narrative time) for the rest of the passage; an older date dates its own clause alone ("He fought
  cancer in 2004. He said ..." is not said in 2004);
* ``reported``: by the article's publication day otherwise (it happened by then, ``ON_OR_BEFORE``
  is not claimed: a report's day is the day the article tells of);
* ``stated``, with ``status`` ``planned``: an event the text schedules for a date after publication
  ("the phone will go on sale on 24 June").

Events that did not happen (negated, modal, hoped for) and planned events without a date are left out.
These mentions only reach timelines that ask for them (``include=reported``): the stated-date
timeline is made of the dated finder's mentions alone. The vocabulary is data: ``data/reported.json``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from dateline import budget
from dateline.events.entities import Entities
from dateline.events.participants import actors_and_place
from dateline.events.titles import make_title
from dateline.events.triggers import EventFinder
from dateline.intake.clean import CleanText
from dateline.model import DateValue, Document, Mention, TextSpan
from dateline.timex.values import Timex, calendar_date
from dateline.vocab import load

_V = load("reported")
_EVENT_NOUNS = frozenset(_V["event_nouns"])
_SUFFIXES = tuple(_V["event_noun_suffixes"])
_NOT_EVENTS = frozenset(_V["not_events"])
_FUTURE = frozenset(_V["future_markers"])
_FUTURE_AUX = frozenset({"will", "shall", "'ll", "wo"})
_STATE_WORDS = frozenset(_V["state_change_words"])
_MEASURED = frozenset(_V["measured_nouns"])
_STATE_TYPE, _STATE_SUBTYPE = _V["state_change_sense"]
#: how many sentences an older date set in the text carries to past-tense events after it (none: a
#: flashback dates its own clause; measured on the SemEval-2015 trial, 2 sentences cost 2.5 F1)
NARRATIVE_REACH = 0
#: how many sentences the day of the news carries them, and how many days before publication it is
NEWS_REACH = 12
NEWS_DAYS = 14
#: the precisions a scheduling date may have
_PRECISIONS = ("day", "week", "month", "season", "quarter", "half", "year")
_NOUN_SHAPE = re.compile(r"^[a-z][a-z-]+$")


@dataclass
class _Narrative:
    """The last date the text set (a dated event's), and how many sentences ago."""

    date: DateValue | None = None
    ago: int = 0


def find_reported(
    doc: Doc, document: Document, ct: CleanText, finder: EventFinder, stated: Sequence[Mention]
) -> list[Mention]:
    """The reported events of one parsed document (see the module), beside its dated ``stated``
    mentions (whose triggers are not made again)."""
    published = document.published.value
    if published is None:
        return []
    dct = calendar_date(published.isoformat())
    assert dct is not None  # a day always reads as one
    taken = {m.trigger.start for m in stated}
    entities = Entities(doc, finder.v.nouns)
    narrative = _Narrative()
    timexes = list(doc.spans.get("timex", []))
    out: list[Mention] = []
    for sent in doc.sents:
        budget.check("finding reported events")
        o_start, o_end = ct.quote(sent.start_char, sent.end_char, widen=True)[1:]
        dated = [m for m in stated if o_start <= m.trigger.start < o_end]
        news = [m for m in dated if _reach(m.date, dct) == NEWS_REACH]
        if news:  # the day of the news a dated event sets; a flashback ("in 2004") leaves it
            narrative.date, narrative.ago = max(news, key=lambda m: m.trigger.start).date, 0
        future = _future_date(sent, timexes, published)
        for tok in _candidates(sent, finder):
            start = ct.quote(tok.idx, tok.idx + len(tok.text), widen=False)[1]
            if start in taken:
                continue
            clause = _clause_date(tok, sent, timexes, finder)
            made = _dated(tok, clause, narrative, dct, future, finder)
            if made is None:
                continue
            when, basis, status = made
            out.append(_mention(doc, document, ct, sent, tok, when, basis, status, entities, finder))
        narrative.ago += 1
    return out


def _candidates(sent: Span, finder: EventFinder) -> Iterator[Token]:
    """The words of ``sent`` that name an event: main verbs, event nouns, and the state changes of
    measured things (:func:`state_change`)."""
    for tok in sent:
        lemma = tok.lemma_.lower()
        if lemma in _NOT_EVENTS or tok.lower_ in _NOT_EVENTS or not tok.is_alpha:
            continue
        verb = tok.pos_ == "VERB" and tok.dep_ not in ("amod", "aux", "auxpass")
        if verb or (tok.pos_ == "NOUN" and _event_noun(tok, finder)) or state_change(tok):
            yield tok


def state_change(tok: Token) -> bool:
    """ "shares were down 3%", "sales were up 12%", "the index was 2% lower": a direction word that
    completes a copula, when the subject is a measured thing (``measured_nouns``) or a quantity goes
    with the word ("It was up 5%"); not "he was down after the loss", "the lights were down"."""
    if tok.lower_ not in _STATE_WORDS or tok.dep_ not in ("advmod", "acomp", "prt", "oprd"):
        return False
    copula = tok.head
    if copula.lemma_.lower() != "be" or copula.i == tok.i:
        return False
    subjects = [c for c in copula.children if c.dep_ in ("nsubj", "nsubjpass")]
    measured = any(s.lemma_.lower() in _MEASURED or s.lower_ in _MEASURED for s in subjects)
    return measured or any(_measure(c) for c in (*tok.children, *copula.children))


def _state_title(tok: Token) -> str:
    """A state change's title: its subject, the copula and the change ("Acme shares were down 3%"),
    without the clause's dates and places."""
    copula = tok.head
    words = {copula.i, tok.i}
    for child in copula.children:
        if child.dep_ in ("nsubj", "nsubjpass", "neg"):
            words.update(t.i for t in child.subtree)
    for child in (*tok.children, *copula.children):
        if _measure(child):
            words.update(t.i for t in child.subtree)
    doc = tok.doc
    text = "".join(doc[i].text_with_ws for i in sorted(words)).strip()
    return text[:1].upper() + text[1:]


def _measure(child: Token) -> bool:
    """A quantity that measures a change: "3%" in "down 3%", "2% lower", "up by 7 percent", "down
    150 points" (not "by noon")."""

    def counted(t: Token) -> bool:
        return t.like_num or any(c.like_num for c in t.children)

    if child.dep_ == "npadvmod":
        return counted(child)
    return child.dep_ == "prep" and child.lower_ == "by" and any(counted(g) for g in child.children)


def _event_noun(tok: Token, finder: EventFinder) -> bool:
    lemma, form = tok.lemma_.lower(), tok.lower_
    if lemma in finder.v.nouns or lemma in _EVENT_NOUNS or form in _EVENT_NOUNS:
        return True
    return bool(_NOUN_SHAPE.match(form)) and len(form) > 6 and form.endswith(_SUFFIXES)


def _sentence_dates(sent: Span, timexes: list[Span]) -> Iterator[tuple[Span, DateValue]]:
    """The date expressions of ``sent`` that give a calendar date, with that date."""
    for span in timexes:
        if span.start < sent.start or span.start >= sent.end:
            continue
        t: Timex | None = span._.timex
        if t is not None and t.date is not None and t.type in ("DATE", "TIME"):
            yield span, t.date


def _clause_date(tok: Token, sent: Span, timexes: list[Span], finder: EventFinder) -> DateValue | None:
    """The calendar date a date expression of ``tok``'s own clause gives it: one whose nearest verb
    (for an event noun, nearest noun or verb) above it is ``tok`` or ``tok``'s clause verb ("filed in
    1989", "the 1991 settlement"), not one of another clause of the sentence ("said that in 1991 ...")."""
    verb = tok if tok.pos_ in ("VERB", "AUX") else finder.clause_verb(tok)
    stops = ("VERB", "AUX") if tok.pos_ in ("VERB", "AUX") else ("VERB", "AUX", "NOUN", "PROPN")
    for span, when in _sentence_dates(sent, timexes):
        node = span.root
        while node.head.i != node.i and not (node.i != span.root.i and node.pos_ in stops):
            node = node.head
        own = node.i == tok.i or (verb is not None and node.i == verb.i and node.pos_ in ("VERB", "AUX"))
        if node.i != span.root.i and own:
            return when
    return None


def _dated(
    tok: Token,
    clause: DateValue | None,
    narrative: _Narrative,
    dct: DateValue,
    future: DateValue | None,
    finder: EventFinder,
) -> tuple[DateValue, str, str] | None:
    """(date, basis, status) of the event ``tok`` names, or None when it did not happen (or is
    planned without a date)."""
    verb = tok if tok.pos_ == "VERB" else finder.clause_verb(tok)
    if verb is not None and _scheduled(verb):
        return (future, "stated", "planned") if future is not None else None
    if verb is not None and not finder.facts.factual(verb):
        return None
    if clause is not None:
        return clause, "narrative", "reported"
    tensed = _tensed(verb) if verb is not None else None
    past = tensed is not None and tensed.tag_ in ("VBD", "VBN") and not _has_present_aux(tensed)
    if past and narrative.date is not None and narrative.ago < _reach(narrative.date, dct):
        return narrative.date, "narrative", "reported"
    return dct, "reported", "reported"


def _tensed(verb: Token) -> Token:
    """The verb whose tense a participle clause shares ("While introducing the phone, he praised
    it": "introducing" is told in the past)."""
    while verb.tag_ == "VBG" and verb.dep_ in ("advcl", "xcomp", "pcomp", "conj") and verb.head.i != verb.i:
        verb = verb.head
    return verb


def _reach(date: DateValue, dct: DateValue) -> int:
    """How many sentences a date set in the text carries past-tense events: the day of the news
    (a day in the fortnight before publication) the whole passage; an older date, NARRATIVE_REACH."""
    recent = date.precision == "day" and 0 <= (dct.start - date.start).days <= NEWS_DAYS
    return NEWS_REACH if recent else NARRATIVE_REACH


def _scheduled(verb: Token) -> bool:
    """ "will launch", "is set to open", "plans to buy": the clause schedules the event."""
    if any(c.dep_ == "aux" and c.lower_ in _FUTURE_AUX for c in verb.children):
        return True
    head = verb.head
    return verb.dep_ == "xcomp" and (head.lemma_.lower() in _FUTURE or head.lower_ in _FUTURE)


def _has_present_aux(verb: Token) -> bool:
    """ "has launched", "is expected": a present auxiliary ties the event to the time of the report."""
    return any(c.dep_ in ("aux", "auxpass") and c.tag_ in ("VBZ", "VBP") for c in verb.children)


def _future_date(sent: Span, timexes: list[Span], published: object) -> DateValue | None:
    """The first calendar date of ``sent`` after publication, the date a plan is set for."""
    for _, when in _sentence_dates(sent, timexes):
        if when.precision in _PRECISIONS and when.start > published:  # type: ignore[operator]
            return when
    return None


def _mention(
    doc: Doc,
    document: Document,
    ct: CleanText,
    sent: Span,
    tok: Token,
    when: DateValue,
    basis: str,
    status: str,
    entities: Entities,
    finder: EventFinder,
) -> Mention:
    sense = finder.types.verb_sense(tok) if tok.pos_ == "VERB" else finder.types.noun_sense(tok)
    etype = sense.type if sense else "other"
    changed = sense is None and state_change(tok)
    etype = _STATE_TYPE if changed else etype
    actors, location = actors_and_place(entities, sent, tok, etype)
    quote, q_start, q_end = ct.quote(sent.start_char, sent.end_char, widen=True)
    trigger, t_start, t_end = ct.quote(tok.idx, tok.idx + len(tok.text), widen=False)
    return Mention(
        document_id=document.id,
        quote=quote,
        start=q_start,
        end=q_end,
        date=when,
        date_span=TextSpan("", 0, 0),
        trigger=TextSpan(trigger, t_start, t_end),
        type=etype,
        subtype=_STATE_SUBTYPE
        if changed
        else (sense.subtype if sense else None) or finder.types.subtype_of(tok, etype),
        title=_state_title(tok) if changed else make_title(tok, set(), entities, location, actors),
        actors=tuple(actors),
        location=location,
        basis=basis,
        status=status,
    )
