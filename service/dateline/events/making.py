"""One mention of an event: the per-document context the finder's rules share, and the making of a
:class:`~dateline.model.Mention` from a trigger and its date (participants, place, title, offsets in
the original text)."""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from dateline.events.chains import Chains
from dateline.events.entities import Entities
from dateline.events.participants import actors_and_place, agents_of
from dateline.events.titles import make_title
from dateline.events.triggers import EventFinder, Trigger
from dateline.intake.clean import CleanText
from dateline.model import DateValue, Document, Mention, TextSpan


@dataclass
class Sentence:
    span: Span
    start: int  # cleaned-text offsets, trimmed to one block
    end: int
    block: int


@dataclass
class DocContext:
    """What every rule needs about the document being read."""

    doc: Doc
    document: Document
    ct: CleanText
    finder: EventFinder
    entities: Entities
    chains: Chains


def original_span(ct: CleanText, start: int, end: int, *, widen: bool = False) -> TextSpan:
    """Where a cleaned span lies in the original; a whole sentence (``widen``) takes its markup along."""
    text, o_start, o_end = ct.quote(start, end, widen=widen)
    return TextSpan(text, o_start, o_end)


# -- the mention -----------------------------------------------------------------------------------

#: an event this many days or more before publication is background: the dateline says where the
#: reporter is now, not where it happened (only its country is kept)
BACKGROUND_DAYS = 60


def make_mention(
    ctx: DocContext,
    sent: Sentence,
    quote: TextSpan,
    trigger: Trigger,
    date_value: DateValue,
    date_span: Span | None,
) -> Mention:
    """The mention of ``trigger`` dated ``date_value`` (by ``date_span``, None when carried over)."""
    tok = trigger.token
    # "Ukraine confirmed the first encounters": the reporting clause makes the better title
    reported = (
        tok.dep_ == "dobj"
        and tok.pos_ in ("NOUN", "PROPN")
        and ctx.finder.types.verb_type(tok.head) == "statement"
    )
    # a pronoun or role among the event's arguments is the one it names ("sentenced her")
    published = ctx.document.published.value
    background = published is not None and (published - date_value.end).days > BACKGROUND_DAYS
    actors, location = actors_and_place(ctx.entities, sent.span, tok, trigger.type, background=background)
    dspan = (
        original_span(ctx.ct, date_span.start_char, date_span.end_char)
        if date_span is not None
        else TextSpan("", 0, 0)
    )
    quote = _own_clause(ctx, tok) or quote
    return Mention(
        document_id=ctx.document.id,
        quote=quote.text,
        start=quote.start,
        end=quote.end,
        date=date_value,
        date_span=dspan,
        trigger=original_span(ctx.ct, tok.idx, tok.idx + len(tok.text)),
        type=trigger.type,
        subtype=trigger.subtype or ctx.finder.types.subtype_of(tok, trigger.type),
        title=make_title(
            tok.head if reported else tok, date_words(date_span), ctx.entities, location, actors
        ),
        actors=tuple(actors),
        location=location,
        agents=_agents(ctx, tok, actors),
        generic=trigger.generic,
    )


#: the words that join a clause told beside another event of its sentence ("X left as Y took over")
_BESIDE = frozenset({"as", "while", "whereas"})


def _own_clause(ctx: DocContext, tok: Token) -> TextSpan | None:
    """The quote of an event told in a clause of its own beside another one ("... on Monday as his
    predecessor resigned"): that clause, from its conjunction on, so that the source
    quotes the words that tell this event, not the other. None for any other trigger.

    Read from the words, not the parse ("as" + a noun phrase + the verb), which the small model
    often hangs on the wrong head."""
    verb = tok if tok.pos_ in ("VERB", "AUX") else tok.head if tok.dep_ in ("dobj", "nsubjpass") else None
    if verb is None or verb.tag_ != "VBD":
        return None
    i, nouns = verb.i - 1, 0
    while i > verb.sent.start and verb.doc[i].pos_ in _NOUN_PHRASE:
        nouns += verb.doc[i].pos_ in ("NOUN", "PROPN", "PRON")
        i -= 1
    mark = verb.doc[i]
    if not nouns or mark.lower_ not in _BESIDE or i == verb.sent.start:
        return None  # no conjunction, or one that opens the sentence: the clause is the sentence's
    before = verb.doc[i - 1]
    if before.pos_ in ("ADJ", "ADV") or before.lower_ in _COMPARING:
        return None  # "as many as 36 people died", "such as rivals reported": no clause of its own
    last = max(verb.right_edge.i, tok.i)
    while last > verb.i and verb.doc[last].is_punct:
        last -= 1
    end = verb.doc[last]
    return original_span(ctx.ct, mark.idx, end.idx + len(end.text))


#: words before "as" that make it a comparison, not a clause's conjunction
_COMPARING = frozenset({"such", "same"})
#: the words of a noun phrase that may stand between a clause's conjunction and its verb
_NOUN_PHRASE = frozenset({"DET", "ADJ", "NOUN", "PROPN", "NUM", "PRON", "PART"})


def date_words(date_span: Span | None) -> set[int]:
    """The tokens a title leaves out: the date's, and the preposition that introduces it."""
    if date_span is None:
        return set()
    skip = {t.i for t in date_span}
    head = date_span.root.head
    if head.dep_ == "prep" or head.pos_ == "ADP":
        skip.add(head.i)
    before = date_span.doc[date_span.start - 1] if date_span.start > 0 else None
    possessor = date_span.root.dep_ == "poss"  # "in Sunday's final": the "in" is the final's
    if before is not None and before.pos_ == "ADP" and before.dep_ == "prep" and not possessor:
        skip.add(before.i)  # "on 3 May 2024" the small model did not hang on its "on"
    return skip


def _agents(ctx: DocContext, trigger: Token, actors: list[str]) -> tuple[str, ...]:
    """The actors that act in the event (:func:`agents_of`), and the body a speaker or appointee
    acts for when the actors include it ("Acme CEO Ann Reed said": Acme speaks through her)."""
    acting = agents_of(ctx.entities, trigger)
    employers = ctx.entities.names.employers
    acting += [employers[a] for a in acting if a in employers]
    return tuple(a for a in dict.fromkeys(acting) if a in actors)
