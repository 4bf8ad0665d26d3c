"""Dated event mentions of one parsed document: each date with the event it dates, sentence by sentence.

For every temporal expression that dates something (a ``DATE`` with a calendar value, not an open
bound such as "after 2000"), :class:`~dateline.events.triggers.EventFinder` finds the event it dates.
Events after publication, records ("the first ... since 1998"), clauses that did not happen and
references to other publications are left out. One trigger with two dates joined by "and"/"to" is one
event over the range; a date can carry over to the next sentence ("in May, the president visited
Hanoi ... The two leaders signed a pact"). An event placed by its distance from another ("four days
after a blaze levelled the town") is dated from that one (``events.chains``), and so is a statement
said at a dated event ("Following the verdict, the prosecutor warned ...", a participant's words right
after it); a possessive date ("after Sunday's defeat") dates its noun and leaves the clause's news to
the lede; a day a verb designates ("declared Monday a holiday") dates nothing.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import replace
from datetime import date

from spacy.tokens import Doc, Span, Token

from dateline import budget
from dateline.events.alongside import purpose_events, simultaneous_events
from dateline.events.announced import announced_event
from dateline.events.chains import Chains, Offset, shifted
from dateline.events.coreference import References
from dateline.events.entities import Entities
from dateline.events.factuality import present_passive, told_in_the_present
from dateline.events.found import Found, has_calendar_date, own_dates
from dateline.events.lede import Lede, is_caption
from dateline.events.making import DocContext, Sentence, make_mention, original_span
from dateline.events.participants import participants, scene_agents
from dateline.events.presiding import presiders
from dateline.events.triggers import EventFinder, EventVocabulary, Trigger
from dateline.intake.clean import SELF_REFERENCE, CleanText
from dateline.model import DateValue, Document, Mention, TextSpan
from dateline.timex.values import Timex, calendar_date
from dateline.vocab import load

_T = load("triggers")
#: "the first ... since", "the largest ... since": a record that dates an earlier occurrence, not this one
_RECORD_SINCE = re.compile(r"\b(?:" + "|".join(_T["record_words"]) + r")\b", re.I)
#: "FILE - ...", "FILE PHOTO: ...": an agency's caption of an archive picture
_ARCHIVE_CAPTION = re.compile(r"(?:" + "|".join(map(re.escape, _T["archive_caption"])) + r")\s")
#: "third-quarter profit": a date that gives the period a figure covers
_FIGURE_NOUNS = frozenset(_T["figure_nouns"])
#: "up 24% from a year earlier": the baseline of a comparison, just before its relative date
_BASELINE = re.compile(r"\b(?:" + "|".join(map(re.escape, _T["baseline_markers"])) + r")\s+$", re.I)
#: the words of a date counted back from another ("a year earlier", "the same period last year")
_BEFORE_NOW = re.compile(r"\b(?:earlier|ago|before|previous|prior|last|same)\b", re.I)
_MAX_PRECISION = ("day", "week", "month", "season", "quarter", "half", "year", "decade")
_DURATION_YEARS = re.compile(r"^P(\d+)Y$")
#: how far before a date to look for a self-reference ("this newspaper reported on ...") or a record
_LOOK_BEHIND = 80


def find_mentions(
    doc: Doc, document: Document, ct: CleanText, finder: EventFinder | None = None
) -> list[Mention]:
    """Every dated event mention of one parsed, cleaned document.

    Work per sentence is bounded by that sentence: the dates, entities and earlier mentions it needs are
    looked up in indexes made once (never by scanning the whole document), so time grows linearly.
    """
    finder = finder or EventFinder()
    ctx = DocContext(doc, document, ct, finder, Entities(doc, finder.v.nouns), Chains(finder))
    timexes = _TimexIndex(list(doc.spans.get("timex", [])))
    found = Found()
    previous: tuple[int, Mention] | None = None  # (block, mention) for dates carried to the next sentence
    lede = Lede(finder, document.published)
    references = References(finder, ctx.entities)
    chains = ctx.chains
    for sent in _sentences(doc, ct):
        budget.check("finding events")
        in_sentence = timexes.starting_in(sent.start, sent.end)
        quote = original_span(ct, sent.start, sent.end, widen=True)
        offsets = chains.offsets(sent.span, in_sentence)
        per_span = own_dates(
            finder, [(span, list(_dated_mentions(ctx, sent, quote, span))) for span in in_sentence]
        )
        per_span = [(span, _named_again(doc, sent, of_span, references)) for span, of_span in per_span]
        pairs = [pair for _, of_span in per_span for pair in of_span]
        made, clausal = [], []
        for span, of_span in per_span:
            new = found.add_new(of_span)
            made += new
            # "X has sacked Y after Sunday's defeat": Sunday dates the defeat, not the lede's news
            if not _nominal(span, of_span):
                clausal.append((span, bool(new)))
        dated = [(doc[token], m) for token, m in found.current(t for t, _ in pairs)]
        dated = found.enriched(dated, references.with_object_parties(dated, sent.block))
        has_date = has_calendar_date([span for span, _ in clausal], document)
        news = lede.news(sent.span, has_date=has_date, dated=any(new for _, new in clausal))
        if news is not None and len(clausal) < len(per_span) and news.type not in finder.v.strong_types:
            news = None  # "Last month's summit produced few results": no news beside the dated summit
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
        # "three days after the river flooded the town" ... "On Sunday, the river broke its banks"
        for recalled, told in chains.note(sent.block, dated):
            found.replace_carried(recalled, _referring(recalled, told, own_actors=True))
        skip = {off.event.token.i for off in offsets}
        refs = _refer(ctx, sent, quote, in_sentence, dated, found, references, lede, skip)
        undated = not has_calendar_date(in_sentence, document)
        if undated:
            made += _statements_at(ctx, sent, quote, [*dated, *refs], found, references, skip)
        for off in offsets:
            placed = _chained(ctx, sent, quote, off, [*dated, *refs], references, undated=undated)
            if placed is not None and found.add_carried(placed):
                made.append(placed)
                references.note(off.event.token, sent.block, placed)
        chains.saw(sent.block, [*made, *(m for _, m in refs)])
        if made:
            previous = (sent.block, made[0])
        elif in_sentence:
            previous = None
    for m, named in references.named_later():  # "X has resigned." ... "X resigned on Monday"
        found.replace_carried(m, _referring(m, named, own_actors=not m.generic))
    return lede.settled(found.in_order())


def _sentences(doc: Doc, ct: CleanText) -> Iterator[Sentence]:
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
                yield Sentence(found[0], found[1], found[2], b_index)


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


# -- one date, its event ---------------------------------------------------------------------------


def _dated_mentions(
    ctx: DocContext, sent: Sentence, quote: TextSpan, span: Span
) -> Iterator[tuple[int, Mention]]:
    """(trigger token, mention) of the events one date expression dates: its event, the purpose of a
    journey, and what happened "as" it did."""
    event = _dated_event(ctx, sent, span)
    if event is None:
        return
    trigger, when = event
    finder = ctx.finder
    for trig in (trigger, *purpose_events(finder, trigger), *simultaneous_events(finder, trigger, span)):
        yield trig.token.i, make_mention(ctx, sent, quote, trig, when, span)


def _dated_event(ctx: DocContext, sent: Sentence, span: Span) -> tuple[Trigger, DateValue] | None:
    """The event the date ``span`` dates and its date, unless it is no event that happened by then."""
    t: Timex = span._.timex
    before = ctx.ct.text[max(sent.start, span.start_char - _LOOK_BEHIND) : span.start_char]
    if _self_reference(before):
        return None
    if _designated(ctx, span) or _no_event_date(span, before):
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
    if ctx.finder.facts.prospective(trigger.token):
        return None  # "paving the way for elections on Monday": what lies ahead of the deed
    if verb is not None and _picture_or_state(ctx, sent, span, verb):
        return None
    announced = announced_event(ctx.finder, trigger)
    return announced or trigger, when


def _no_event_date(span: Span, before: str) -> bool:
    """A date that dates no event: the period of a reported figure ("a 24% rise in third-quarter
    profit") or the relative baseline of a comparison ("profit up 24% from a year earlier")."""
    root = span.root
    if root.dep_ in ("amod", "compound", "nmod", "poss") and root.head.lemma_.lower() in _FIGURE_NOUNS:
        return True
    if root.dep_ == "pobj" and root.head.lower_ == "for":  # "reported a profit for the third quarter"
        held = root.head.head
        figures = [held, *(c for c in held.children if c.dep_ == "dobj")]
        if any(t.lemma_.lower() in _FIGURE_NOUNS for t in figures):
            return True
    relative = not any(t.like_num for t in span) and _BEFORE_NOW.search(span.text) is not None
    return relative and _BASELINE.search(before) is not None


def _designated(ctx: DocContext, span: Span) -> bool:
    """A day a verb makes into something ("declared Monday a public holiday", "set Friday as the
    deadline"): what the deed designates, not when it was done."""
    doc = span.doc
    if span.start == 0 or span.end >= len(doc):
        return False
    verb, after = doc[span.start - 1], doc[span.end]
    return (
        verb.pos_ == "VERB"
        and verb.lemma_.lower() in ctx.finder.v.designation_verbs
        and after.lower_ in ("a", "an", "the", "as")
    )


def _picture_or_state(ctx: DocContext, sent: Sentence, span: Span, verb: Token) -> bool:
    """A date that dates no event of the story: a picture's ("A stand is shown on June 13, 2013";
    in a caption told in the present, "FILE - Protesters march in Paris on May 1, 2019", "Volunteers
    hand out blankets after the storm on May 2. Photo by ..."), or a present state ("Today it's
    burned")."""
    v = ctx.finder.v
    if present_passive(verb) and (
        verb.lemma_.lower() in v.depiction_verbs or span.text.lower() in v.present_deictics
    ):
        return True
    caption = _ARCHIVE_CAPTION.match(sent.span.text) is not None or is_caption(sent.span)
    # the date's own clause, or the caption's when that clause has no tense ("is with rescuers
    # following floods on May 2"); a past verb of its own tells an event ("after the river burst")
    scene = verb if verb.tag_ == "VBD" else sent.span.root
    return caption and (told_in_the_present(verb) or told_in_the_present(scene))


def _date_and_trigger(ctx: DocContext, span: Span, t: Timex) -> tuple[DateValue | None, Trigger | None]:
    if (t.signal or "") in ctx.finder.v.open_prepositions and span.end < len(ctx.doc):
        owner = ctx.chains.possessed(span)  # "after Sunday's defeat": "after" bounds the defeat
        if owner is not None and _usable(replace(t, signal=None), ctx.finder.v):
            return t.date, owner
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


def _carry_over(ctx: DocContext, sent: Sentence, quote: TextSpan, prev: Mention) -> Mention | None:
    """A strong past-tense event right after a dated one, in the same paragraph, shares its date."""
    root = sent.span.root
    if root.tag_ != "VBD":
        return None
    typ = ctx.finder.types.verb_type(root)
    if typ not in ctx.finder.v.strong_types or not ctx.finder.facts.factual(root):
        return None
    m = make_mention(ctx, sent, quote, Trigger(root, typ or "other"), prev.date, None)
    own_subject = any(c.dep_ in ("nsubj", "nsubjpass") and c.ent_type_ for c in root.children)
    actors = list(m.actors) if own_subject else list(dict.fromkeys([*m.actors, *prev.actors]))
    return replace(m, date_span=prev.date_span, actors=tuple(actors))


# -- the lede, and references to events dated before -----------------------------------------------


def _nominal(span: Span, dated: list[tuple[int, Mention]]) -> bool:
    """ "Sunday's defeat", "the Monday vote": a date that modifies the event noun it dates."""
    doc = span.doc
    modifier = span.root.dep_ in ("poss", "compound", "nmod") or (
        span.end < len(doc) and doc[span.end].tag_ == "POS"
    )
    return modifier and bool(dated) and all(t >= span.end and doc[t].pos_ == "NOUN" for t, _ in dated)


def _chained(
    ctx: DocContext,
    sent: Sentence,
    quote: TextSpan,
    off: Offset,
    dated: list[tuple[Token, Mention]],
    references: References,
    *,
    undated: bool,
) -> Mention | None:
    """ "..., four days after a blaze levelled the town": the placed event, dated from its anchor's
    date (see ``events.chains``); none when the anchor has no date or the result lies ahead."""
    published, chains = ctx.document.published, ctx.chains
    anchor = chains.anchor_date(
        off,
        {tok.i: m for tok, m in dated},
        references.same_kind,
        block=sent.block,
        undated=undated,
        published=published.value if published.basis in ("given", "stated") else None,
    )
    when = shifted(anchor, off) if anchor is not None else None
    if when is None or (
        published.value is not None and (when.end if off.amount > 0 else when.start) > published.value
    ):
        return None  # "two weeks before the derby" that is still to come
    m = make_mention(ctx, sent, quote, off.event, when, ctx.doc[off.phrase[0] : off.phrase[1]])
    told = chains.told_before(off.event.token, m)
    return _referring(m, told, own_actors=True) if told is not None else m


def _statements_at(
    ctx: DocContext,
    sent: Sentence,
    quote: TextSpan,
    known: list[tuple[Token, Mention]],
    found: Found,
    references: References,
    skip: set[int],
) -> list[Mention]:
    """The statements of an undated sentence said at an event the story dated: those that answer it
    ("Following the verdict, the prosecutor warned ..."), else a participant's words told right after
    it ("X was sentenced on Thursday. X said he was sorry")."""
    chains, made = ctx.chains, []
    by_token = {tok.i: m for tok, m in known}
    for statement, when, phrase in chains.reactions(sent.span, by_token, references.same_kind, skip):
        m = make_mention(ctx, sent, quote, statement, when, phrase)
        if found.add_carried(m):
            made.append(m)
    published = ctx.document.published.value
    scene = chains.scene_statement(sent.span, sent.block, published) if not made and not known else None
    if scene is not None:
        statement, scenes = scene
        m = make_mention(ctx, sent, quote, statement, scenes[0].date, None)
        presiding = presiders(ctx.entities)
        event = next((e for e in scenes if any(_took_part(a, e, presiding) for a in m.agents)), None)
        if event is not None:  # said there, then: at its place when the sentence names none
            m = replace(m, date=event.date, date_span=event.date_span, location=m.location or event.location)
            if found.add_carried(m):
                made.append(m)
    return made


def _took_part(name: str, scene: Mention, presiding: dict[str, str]) -> bool:
    """Whether ``name`` took part in the scene as its sentence tells it: a presider only where it
    names them or their role ("the trial began on Tuesday" ... "Judge X told jurors" does not say
    when the judge spoke; "a judge sentenced him on Thursday" does)."""
    if name not in scene.actors:
        return False
    role = presiding.get(name)
    quote = scene.quote.casefold()
    return role is None or name.split()[-1].casefold() in quote or role in quote


def _lede_mention(
    ctx: DocContext, sent: Sentence, quote: TextSpan, news: Trigger, when: DateValue, references: References
) -> Mention:
    """The news of an undated lede sentence, dated on or just before publication (see ``events.lede``);
    a second one that tells of the same kind of event refers to the first ("has blocked" ... "vetoed")."""
    earlier = references.same_kind(news.token)
    if earlier is None:
        return make_mention(ctx, sent, quote, news, when, None)
    m = make_mention(ctx, sent, quote, news, earlier.date, None)
    m = _referring(m, earlier, own_actors=True)
    references.referred(m, earlier)
    return m


def _refer(
    ctx: DocContext,
    sent: Sentence,
    quote: TextSpan,
    dates: list[Span],
    dated: list[tuple[Token, Mention]],
    found: Found,
    references: References,
    lede: Lede,
    skip: set[int],
) -> list[tuple[Token, Mention]]:
    """The sentence's references to events dated before it ("The verdict ..."; none at the tokens
    ``skip``), then its own dated mentions (``dated``, with their trigger tokens) noted for later
    references; the references made."""
    taken = {tok.i for tok, _ in dated} | skip
    made = []
    for tok, antecedent in references.resolve(sent.span, sent.block, dates, taken):
        m = _reference(ctx, sent, quote, tok, antecedent)
        if m is not None and found.add_carried(m):
            references.referred(m, antecedent)
            made.append((tok, m))
    for tok, m in dated:
        references.note(tok, sent.block, m, provisional=m.date == lede.date)
    return made


def _named_again(
    doc: Doc, sent: Sentence, of_span: list[tuple[int, Mention]], references: References
) -> list[tuple[int, Mention]]:
    """The dated mentions of one date expression, each that names an event of the story again with
    its day ("The announcement on Monday ...") made a reference to it."""
    out = []
    for tok, m in of_span:
        antecedent = references.dated_reference(doc[tok], sent.block, m)
        out.append((tok, m if antecedent is None else _referring(m, antecedent)))
    return out


def _reference(
    ctx: DocContext, sent: Sentence, quote: TextSpan, tok: Token, antecedent: Mention
) -> Mention | None:
    """ "The verdict ...": a later reference to a dated event, with a quote of its own; none when the
    noun names participants of its own and none of the event's ("her conviction" after his)."""
    m = make_mention(ctx, sent, quote, Trigger(tok, antecedent.type), antecedent.date, None)
    named = antecedent.actors
    if m.actors and named and not any(_same_name(a, b) for a in m.actors for b in named):
        return None
    # the noun's own arguments take part too ("after casting his ballot"), and those who act at it
    # ("at the summit, Ann Reed warned"), not any other of its clause
    own = {*participants(ctx.entities, tok, own=True), *scene_agents(ctx.entities, tok)}
    actors = (*(a for a in m.actors if a in own), *(a for a in own if a not in m.actors))
    return _referring(replace(m, actors=actors), antecedent, own_actors=True)


def _same_name(a: str, b: str) -> bool:
    """ "Acme" and "Acme Corp", "Okafor" and "Ruth Okafor": one name's words are among the other's."""
    wa, wb = set(a.split()), set(b.split())
    return wa <= wb or wb <= wa


def _referring(m: Mention, antecedent: Mention, *, own_actors: bool = False) -> Mention:
    """``m`` as a reference to ``antecedent``'s event: its date, type, participants (and ``m``'s own
    when they are the news verb's) and place; it only joins that event, never stands alone (see
    ``events.coreference``)."""
    actors = tuple(dict.fromkeys((*m.actors, *antecedent.actors) if own_actors else antecedent.actors))
    return replace(
        m,
        date=antecedent.date,
        date_span=antecedent.date_span,
        type=antecedent.type,
        subtype=antecedent.subtype,
        actors=actors,
        agents=tuple(a for a in m.agents if a in actors),
        location=antecedent.location or (m.location if own_actors else None),
        generic=True,
    )
