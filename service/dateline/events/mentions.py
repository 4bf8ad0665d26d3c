"""Dated event mentions of one parsed document: each date with the event it dates, sentence by sentence.

For every temporal expression that dates something (a ``DATE`` with a calendar value, not an open
bound such as "after 2000"), :class:`~dateline.events.triggers.EventFinder` finds the event it dates.
Events after publication, records ("the first ... since 1998"), clauses that did not happen and
references to other publications are left out. One trigger with two dates joined by "and"/"to" is one
event over the range; a date can carry over to the next sentence ("in May, the president visited
Hanoi ... The two leaders signed a pact").
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import date

from spacy.tokens import Doc, Span, Token

from dateline import budget
from dateline.events.coreference import References
from dateline.events.lede import Lede
from dateline.events.participants import Entities, actors_and_place
from dateline.events.titles import make_title
from dateline.events.triggers import EventFinder, EventVocabulary, Trigger
from dateline.intake.clean import SELF_REFERENCE, CleanText
from dateline.model import DateValue, Document, Mention, TextSpan
from dateline.timex.values import Timex, calendar_date
from dateline.vocab import load

#: "the first ... since", "the largest ... since": a record that dates an earlier occurrence, not this one
_RECORD_SINCE = re.compile(r"\b(?:" + "|".join(load("triggers")["record_words"]) + r")\b", re.I)
_MAX_PRECISION = ("day", "week", "month", "season", "quarter", "half", "year", "decade")
_DURATION_YEARS = re.compile(r"^P(\d+)Y$")
_RANGE_LINK = re.compile(r"^\s*(?:,\s*)?(?:and|to|through|until|till|or|-|–|—)\s*(?:on\s+|in\s+)?$", re.I)
#: how far before a date to look for a self-reference ("this newspaper reported on ...") or a record
_LOOK_BEHIND = 80

#: a mention's key among those found: (trigger token, date value), or a carried-over mention's own
_Key = tuple[int, str] | int


@dataclass
class _Sentence:
    span: Span
    start: int  # cleaned-text offsets, trimmed to one block
    end: int
    block: int


@dataclass
class _DocContext:
    """What every rule needs about the document being read."""

    doc: Doc
    document: Document
    ct: CleanText
    finder: EventFinder
    entities: Entities


def find_mentions(
    doc: Doc, document: Document, ct: CleanText, finder: EventFinder | None = None
) -> list[Mention]:
    """Every dated event mention of one parsed, cleaned document.

    Work per sentence is bounded by that sentence: the dates, entities and earlier mentions it needs are
    looked up in indexes made once (never by scanning the whole document), so time grows linearly.
    """
    finder = finder or EventFinder()
    ctx = _DocContext(doc, document, ct, finder, Entities(doc, finder.v.nouns))
    timexes = _TimexIndex(list(doc.spans.get("timex", [])))
    found = _Found()
    previous: tuple[int, Mention] | None = None  # (block, mention) for dates carried to the next sentence
    lede = Lede(finder, document.published)
    references = References(finder, ctx.entities)
    for sent in _sentences(doc, ct):
        budget.check("finding events")
        in_sentence = timexes.starting_in(sent.start, sent.end)
        quote = _original_span(ct, sent.start, sent.end, widen=True)
        pairs = [pair for span in in_sentence for pair in _dated_mentions(ctx, sent, quote, span)]
        made = found.add_new(pairs)
        dated = [(doc[token], m) for token, m in found.current(t for t, _ in pairs)]
        news = lede.news(sent.span, has_date=_has_date(in_sentence, document), dated=bool(made))
        if news is not None and lede.date is not None:
            m = _lede_mention(ctx, sent, quote, news, lede.date, references)
            if found.add_carried(m) and not m.generic:
                made.append(m)
                dated.append((news.token, m))
        elif not in_sentence and previous is not None and previous[0] == sent.block:
            carried = _carry_over(ctx, sent, quote, previous[1])
            if carried is not None and found.add_carried(carried):
                made.append(carried)
                dated.append((sent.span.root, carried))
        _refer(ctx, sent, quote, in_sentence, dated, found, references, lede)
        if made:
            previous = (sent.block, made[0])
        elif in_sentence:
            previous = None
    for m, named in references.named_later():  # "X has resigned." ... "X resigned on Monday"
        found.replace_carried(m, _referring(m, named, own_actors=not m.generic))
    return found.in_order()


class _Found:
    """The mentions found so far: one per trigger and date (the finer of nested dates), a range where
    two dates of one trigger are joined by "and"/"to", and at most one carried-over per trigger."""

    def __init__(self) -> None:
        self.by_key: dict[_Key, Mention] = {}
        self.by_token: dict[int, list[_Key]] = {}  # trigger token -> its keys in by_key, in insertion order
        self.trigger_starts: set[int] = set()  # of every mention in by_key

    def add_new(self, found: Iterable[tuple[int, Mention]]) -> list[Mention]:
        """Add each (trigger token, mention); the mentions that are new, in order."""
        return [m for token, m in found if self.add(m, token)]

    def add(self, m: Mention, token: int) -> bool:
        """Add the mention of trigger token ``token``; whether it is new (not merged into another)."""
        keys = self.by_token.setdefault(token, [])
        ranged = _range_with(self.by_key, keys, m)
        if ranged is not None:
            key, self.by_key[key] = ranged
            return False
        key = _trigger_key(self.by_key, keys, token, m.date)
        old = self.by_key.get(key)
        if old is not None and m.date.span_days >= old.date.span_days:
            return False
        if old is None:
            keys.append(key)
        self.by_key[key] = m
        self.trigger_starts.add(m.trigger.start)
        return True

    def add_carried(self, m: Mention) -> bool:
        """Add a mention dated by an earlier sentence unless its trigger already has a date."""
        if m.trigger.start in self.trigger_starts:
            return False
        self.by_key[-m.trigger.start - 1] = m
        self.trigger_starts.add(m.trigger.start)
        return True

    def current(self, tokens: Iterable[int]) -> list[tuple[int, Mention]]:
        """(token, mention) for each mention of the trigger tokens ``tokens`` as it stands now (two
        dates of one trigger may have been joined into a range)."""
        return [(t, self.by_key[key]) for t in dict.fromkeys(tokens) for key in self.by_token.get(t, ())]

    def replace_carried(self, old: Mention, new: Mention) -> None:
        """Put ``new`` in the place of ``old``, a mention added by :meth:`add_carried`."""
        self.by_key[-old.trigger.start - 1] = new

    def in_order(self) -> list[Mention]:
        return sorted(self.by_key.values(), key=lambda m: (m.start, m.trigger.start))


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
            found = _trimmed(doc, ct.text, max(sent_start, block.start), min(sent_end, block.end))
            if found is not None:
                yield _Sentence(found[0], found[1], found[2], b_index)


def _trimmed(doc: Doc, text: str, s: int, e: int) -> tuple[Span, int, int] | None:
    """The characters ``[s, e)`` without white space at either end, as a span, unless under two."""
    if e - s < 2:
        return None
    piece = text[s:e]
    s += len(piece) - len(piece.lstrip())
    e -= len(piece) - len(piece.rstrip())
    span = doc.char_span(s, e, alignment_mode="expand")
    return (span, s, e) if span is not None else None


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


def _original_span(ct: CleanText, start: int, end: int, *, widen: bool = False) -> TextSpan:
    """Where a cleaned span lies in the original; a whole sentence (``widen``) takes its markup along."""
    text, o_start, o_end = ct.quote(start, end, widen=widen)
    return TextSpan(text, o_start, o_end)


# -- one date, its event ---------------------------------------------------------------------------


def _dated_mentions(
    ctx: _DocContext, sent: _Sentence, quote: TextSpan, span: Span
) -> Iterator[tuple[int, Mention]]:
    """(trigger token, mention) of the events one date expression dates: its event, and the purpose of
    a journey."""
    event = _dated_event(ctx, sent, span)
    if event is None:
        return
    trigger, when = event
    for trig in (trigger, *ctx.finder.purpose_events(trigger)):
        yield trig.token.i, _mention(ctx, sent, quote, trig, when, span)


def _dated_event(ctx: _DocContext, sent: _Sentence, span: Span) -> tuple[Trigger, DateValue] | None:
    """The event the date ``span`` dates and its date, unless it is no event that happened by then."""
    t: Timex = span._.timex
    before = ctx.ct.text[max(sent.start, span.start_char - _LOOK_BEHIND) : span.start_char]
    if _self_reference(before):
        return None
    when, trigger = _date_and_trigger(ctx, span, t)
    if trigger is None or when is None:
        return None
    published = ctx.document.published.value
    if published is not None and when.start > published:
        return None  # after publication: a plan or a forecast, not something that happened
    if t.signal == "since" and _RECORD_SINCE.search(before):
        return None  # "its first majority since the 1990s", "the largest protests since 1998"
    verb = ctx.finder.clause_verb(trigger.token)
    if verb is not None and not ctx.finder.facts.factual(verb):
        return None
    return trigger, when


def _date_and_trigger(ctx: _DocContext, span: Span, t: Timex) -> tuple[DateValue | None, Trigger | None]:
    if _usable(t, ctx.finder.v):
        return t.date, ctx.finder.trigger_for(span)
    published = ctx.document.published.value
    if t.type == "DURATION" and published is not None:
        return _elapsed_since(ctx.doc, span, t, published, ctx.finder)
    return None, None


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
    value = calendar_date(f"{dct.year - int(m.group(1)):04d}", "APPROX")
    return value, finder.clause_event(verb)


def _carry_over(ctx: _DocContext, sent: _Sentence, quote: TextSpan, prev: Mention) -> Mention | None:
    """A strong past-tense event right after a dated one, in the same paragraph, shares its date."""
    root = sent.span.root
    if root.tag_ != "VBD":
        return None
    typ = ctx.finder.types.verb_type(root)
    if typ not in ctx.finder.v.strong_types or not ctx.finder.facts.factual(root):
        return None
    m = _mention(ctx, sent, quote, Trigger(root, typ or "other"), prev.date, None)
    own_subject = any(c.dep_ in ("nsubj", "nsubjpass") and c.ent_type_ for c in root.children)
    actors = list(m.actors) if own_subject else list(dict.fromkeys([*m.actors, *prev.actors]))
    return replace(m, date_span=prev.date_span, actors=tuple(actors))


# -- the lede, and references to events dated before -----------------------------------------------


def _has_date(dates: list[Span], document: Document) -> bool:
    """Whether a sentence gives a calendar date up to publication, which could date its event ("after
    eleven years" is a duration, "until June 2027" lies ahead, "now" names no day)."""
    published = document.published.value
    for span in dates:
        t: Timex = span._.timex
        when = t.date if t.type in ("DATE", "TIME") else None
        if when is not None and (published is None or when.start <= published):
            return True
    return False


def _lede_mention(
    ctx: _DocContext, sent: _Sentence, quote: TextSpan, news: Trigger, when: DateValue, references: References
) -> Mention:
    """The news of an undated lede sentence, dated on or just before publication (see ``events.lede``);
    a second one that tells of the same kind of event refers to the first ("has blocked" ... "vetoed")."""
    earlier = references.same_kind(news.token)
    if earlier is None:
        return _mention(ctx, sent, quote, news, when, None)
    m = _mention(ctx, sent, quote, news, earlier.date, None)
    m = _referring(m, earlier, own_actors=True)
    references.referred(m, earlier)
    return m


def _refer(
    ctx: _DocContext,
    sent: _Sentence,
    quote: TextSpan,
    dates: list[Span],
    dated: list[tuple[Token, Mention]],
    found: _Found,
    references: References,
    lede: Lede,
) -> None:
    """The sentence's references to events dated before it ("The verdict ..."), then its own dated
    mentions (``dated``, with their trigger tokens) noted for later references."""
    taken = {tok.i for tok, _ in dated}
    for tok, antecedent in references.resolve(sent.span, sent.block, dates, taken):
        m = _reference(ctx, sent, quote, tok, antecedent)
        if m is not None and found.add_carried(m):
            references.referred(m, antecedent)
    for tok, m in dated:
        references.note(tok, sent.block, m, provisional=m.date == lede.date)


def _reference(
    ctx: _DocContext, sent: _Sentence, quote: TextSpan, tok: Token, antecedent: Mention
) -> Mention | None:
    """ "The verdict ...": a later reference to a dated event, with a quote of its own; none when the
    noun names participants of its own and none of the event's ("her conviction" after his)."""
    m = _mention(ctx, sent, quote, Trigger(tok, antecedent.type), antecedent.date, None)
    named = antecedent.actors
    if m.actors and named and not any(_same_name(a, b) for a in m.actors for b in named):
        return None
    return _referring(m, antecedent)


def _same_name(a: str, b: str) -> bool:
    """ "Acme" and "Acme Corp", "Okafor" and "Ruth Okafor": one name's words are among the other's."""
    wa, wb = set(a.split()), set(b.split())
    return wa <= wb or wb <= wa


def _referring(m: Mention, antecedent: Mention, *, own_actors: bool = False) -> Mention:
    """``m`` as a reference to ``antecedent``'s event: its date, type, participants (and ``m``'s own
    when they are the news verb's) and place; it only joins that event, never stands alone (see
    ``events.coreference``)."""
    actors = (*m.actors, *antecedent.actors) if own_actors else antecedent.actors
    return replace(
        m,
        date=antecedent.date,
        date_span=antecedent.date_span,
        type=antecedent.type,
        subtype=antecedent.subtype,
        actors=tuple(dict.fromkeys(actors)),
        location=antecedent.location or (m.location if own_actors else None),
        generic=True,
    )


# -- joining the dates of one trigger --------------------------------------------------------------


def _range_with(found: dict[_Key, Mention], keys: list[_Key], m: Mention) -> tuple[_Key, Mention] | None:
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


def _trigger_key(found: dict[_Key, Mention], keys: list[_Key], token: int, when: DateValue) -> _Key:
    """One mention per trigger and date: nested dates of one trigger are one mention (the finer wins),
    disjoint ones are separate occurrences ("postponed twice: in late January and on March 4")."""
    for key in keys:
        m = found[key]
        if m.date.contains(when) or when.contains(m.date):
            return key
    return (token, when.value)


# -- the mention -----------------------------------------------------------------------------------


def _mention(
    ctx: _DocContext,
    sent: _Sentence,
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
        subtype=trigger.subtype or ctx.finder.types.subtype_of(tok, trigger.type),
        title=make_title(
            tok.head if reported else tok, _date_words(date_span), ctx.entities, location, actors
        ),
        actors=tuple(actors),
        location=location,
        generic=trigger.generic,
    )


def _date_words(date_span: Span | None) -> set[int]:
    """The tokens a title leaves out: the date's, and the preposition that introduces it."""
    if date_span is None:
        return set()
    skip = {t.i for t in date_span}
    head = date_span.root.head
    if head.dep_ == "prep" or head.pos_ == "ADP":
        skip.add(head.i)
    return skip
