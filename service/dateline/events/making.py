"""One mention of an event: the per-document context the finder's rules share, and the making of a
:class:`~dateline.model.Mention` from a trigger and its date (participants, place, title, offsets in
the original text)."""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from dateline.events.chains import Chains
from dateline.events.participants import Entities, actors_and_place, agents_of
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
    actors, location = actors_and_place(ctx.entities, sent.span, tok, trigger.type)
    dspan = (
        original_span(ctx.ct, date_span.start_char, date_span.end_char)
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


def date_words(date_span: Span | None) -> set[int]:
    """The tokens a title leaves out: the date's, and the preposition that introduces it."""
    if date_span is None:
        return set()
    skip = {t.i for t in date_span}
    head = date_span.root.head
    if head.dep_ == "prep" or head.pos_ == "ADP":
        skip.add(head.i)
    return skip


def _agents(ctx: DocContext, trigger: Token, actors: list[str]) -> tuple[str, ...]:
    """The actors that act in the event (:func:`agents_of`), and the body a speaker or appointee
    acts for when the actors include it ("Acme CEO Ann Reed said": Acme speaks through her)."""
    acting = agents_of(ctx.entities, trigger)
    employers = ctx.entities.names.employers
    acting += [employers[a] for a in acting if a in employers]
    return tuple(a for a in dict.fromkeys(acting) if a in actors)
