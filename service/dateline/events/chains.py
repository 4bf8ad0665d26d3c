"""Events dated only through another event of their sentence: "four days after a blaze levelled the town".

News often dates one event and places a second by its distance from the first: "The governor spoke on
Saturday, four days after a blaze levelled the town", "She was sworn in on Monday, a day after the
commission announced her victory", "His swearing-in came hours after the prime minister resigned".
The second event (a clause after "after"/"before", or an event noun: "two weeks after the blaze") is
its own mention, dated by the first event's date moved by the distance (``data/chains.json``): days
and weeks to the day, months to the month, "hours"/"shortly" to the same day.

The first event (the anchor: the clause or noun the phrase hangs on) takes its date from a mention of
its own in the sentence (dated, carried over, a lede's news, a reference), else from the earlier dated
mention of the same kind that a noun subject names ("His swearing-in came ..."); an anchor with no
date of its own in a sentence without a date is read at the story's time: the publication day for a
present tense ("Residents are still sifting through the ruins two weeks after the fire"), the latest
dated event of this or the previous paragraph for a past tense and a distance in days or hours.
A distance with no event after it ("two days after Christmas", "weeks after months of speculation")
dates nothing.

A statement of a sentence without a date is dated through the event it is said at: the event it
answers ("Following the verdict, the prosecutor warned ...", "said after casting his ballot": the day
of the verdict, of the vote), or, for words told in the past right after the story dated an event of
its news, that event when the speaker took part in it ("X was sentenced on Thursday. X said he was
sorry"; not an analyst's comment, not an event of months before), and at its place.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from spacy.tokens import Span, Token

from dateline.events.coreference import KindVocabulary, event_keys
from dateline.events.triggers import EventFinder, Trigger
from dateline.model import DateValue, Mention
from dateline.vocab import alternation, load

_DURATION = re.compile(r"^PT?(\d{1,4})([A-Z])$")
_VERBS = ("VERB", "AUX")
_PRESENT = ("VBZ", "VBP")
_SUBJECTS = ("nsubj", "nsubjpass")
#: how many paragraphs after a dated event a participant's undated words are still told of it
SCENE_REACH = 2
#: how many days before publication an event may lie to be the scene of undated words (the news)
SCENE_DAYS = 7


@dataclass(frozen=True)
class ChainWords:
    """The words of ``data/chains.json``."""

    signals: dict[str, int]
    reaction_signals: frozenset[str]
    same_day: frozenset[str]
    one_day: frozenset[str]
    units: dict[str, tuple[str, int]]
    narrative_units: frozenset[str]
    hedges: re.Pattern[str]
    durative: frozenset[str]
    states: frozenset[str]
    duration_preps: frozenset[str]
    week_spread: int
    hedged_fraction: int

    @classmethod
    @cache
    def default(cls) -> ChainWords:
        data = load("chains")
        return cls(
            signals={k: int(v) for k, v in data["signals"].items() if not k.startswith("_")},
            reaction_signals=frozenset(data["reaction_signals"]["words"]),
            same_day=frozenset(data["same_day_words"]["words"]),
            one_day=frozenset(data["one_day_nouns"]["words"]),
            units={k: (v[0], int(v[1])) for k, v in data["units"].items() if not k.startswith("_")},
            narrative_units=frozenset(data["narrative_units"]["units"]),
            hedges=re.compile(r"\b" + alternation(data["hedges"]["words"]) + r"\s*$", re.I),
            durative=frozenset(data["durative_verbs"]["words"]),
            states=frozenset(data["state_verbs"]["words"]),
            duration_preps=frozenset(data["duration_prepositions"]["words"]),
            week_spread=int(data["spread_days"]["week"]),
            hedged_fraction=int(data["spread_days"]["hedged_day_fraction"]),
        )


@dataclass(frozen=True)
class Offset:
    """ "four days after a blaze levelled the town": the event placed, the anchor it is placed from,
    and the shift from the anchor's date (``amount`` of ``unit``, signed: negative for "after")."""

    event: Trigger
    anchor: Token
    amount: int
    unit: str  # "day", "month" or "hour" (the same day)
    #: the distance and its signal word ("four days after"), token indexes [start, end)
    phrase: tuple[int, int]
    #: days either side of the day named that the date may lie ("nearly two weeks after")
    spread: int = 0


def shifted(when: DateValue, off: Offset) -> DateValue | None:
    """The anchor's date ``when`` moved by the offset, None when its precision cannot carry it (a
    distance in days from "in June")."""
    if off.unit == "hour":
        return when
    if off.unit == "day":
        if when.precision != "day":
            return None
        try:
            day = when.end + timedelta(days=off.amount)
            start = when.start + timedelta(days=off.amount - off.spread)
            end = day + timedelta(days=off.spread)
        except OverflowError:
            return None
        return DateValue(day.isoformat(), "day", start, end, "APPROX" if off.spread else when.modifier)
    if when.precision not in ("day", "month"):
        return None
    months = when.start.year * 12 + when.start.month - 1 + off.amount
    year, month = divmod(months, 12)
    if not 1 <= year <= 9999:
        return None
    first = date(year, month + 1, 1)
    last = first.replace(day=calendar.monthrange(year, month + 1)[1])
    return DateValue(f"{year:04d}-{month + 1:02d}", "month", first, last)


class Chains:
    """Finds the offset phrases of a sentence and the anchor dates they are read from."""

    def __init__(self, finder: EventFinder, kinds: KindVocabulary | None = None) -> None:
        self.finder = finder
        self.kinds = kinds or KindVocabulary.default()
        self.w = ChainWords.default()
        #: (paragraph, date) of the latest event the story dated itself: its reference time
        self.narrative: tuple[int, DateValue] | None = None
        #: (paragraph, mention) of the single-day events with participants the story dated itself, latest last
        self.scenes: list[tuple[int, Mention]] = []
        #: the story's own dated single-day mentions of a strong type, with their kind groups
        self.told: list[tuple[frozenset[str], Mention]] = []
        #: the placed events that name no event told before (yet), with their kind groups
        self.placed: list[tuple[frozenset[str], Mention | None]] = []

    # -- the phrases -------------------------------------------------------------------------------

    def offsets(self, sent: Span, dates: list[Span]) -> list[Offset]:
        """The offset phrases of the sentence ``sent`` whose date expressions are ``dates``."""
        durations = {span.end: span for span in dates if span._.timex.type == "DURATION"}
        out = []
        for tok in sent:
            sign = self.w.signals.get(tok.lower_)
            if sign is None or tok.i == sent.start:
                continue
            distance = self._distance(tok, durations)
            if distance is None:
                continue
            amount, unit, first, spread = distance
            if first > sent.start and tok.doc[first - 1].lower_ in self.w.duration_preps:
                continue  # "rose for four days after the announcement": how long, not when
            placed = self._placed(tok, first, {span.root.i for span in dates})
            if placed is not None and not self._durative(placed[1]):
                event, anchor = placed
                out.append(Offset(event, anchor, sign * amount, unit, (first, tok.i + 1), spread))
        return out

    def _distance(self, signal: Token, durations: dict[int, Span]) -> tuple[int, str, int, int] | None:
        """(amount, unit, first token, spread in days) of the distance right before ``signal``."""
        span = durations.get(signal.i)
        if span is not None:
            value = span._.timex.value
            m = _DURATION.match(value)
            unit = self.w.units.get(m.group(2)) if m else None
            if m is None or unit is None or value.startswith("PT") != (unit[0] == "hour"):
                return None  # "PT5M" is five minutes, "P5M" five months
            amount = int(m.group(1)) * unit[1]
            spread = self.w.week_spread if value.endswith("W") else 0
            before = span.doc[max(span.sent.start, span.start - 3) : span.start].text
            hedged = span._.timex.mod is not None or self.w.hedges.search(before) is not None
            if unit[0] == "day" and hedged:
                spread = max(spread, 1, amount // self.w.hedged_fraction)
            return amount, unit[0], span.start, spread
        prev = signal.nbor(-1)
        if prev.lower_ in self.w.same_day:
            return 0, "hour", prev.i, 0
        if prev.lower_ in self.w.one_day and prev.i > 0 and prev.nbor(-1).lower_ == "the":
            return 1, "day", prev.i - 1, 0
        return None

    def _placed(self, signal: Token, first: int, date_roots: set[int]) -> tuple[Trigger, Token] | None:
        """The event after the signal word and the anchor it hangs on; ``first`` is the distance's
        first token."""
        distance = range(first, signal.i)
        obj = next((c for c in signal.children if c.dep_ in ("pobj", "pcomp")), None)
        head = signal.head
        if signal.dep_ == "mark" or (obj is None and head.i in distance and head.head.i > signal.i):
            # "after a blaze levelled the town" ("a day after ...": the clause may hang the signal on
            # the distance noun)
            clause = head if signal.dep_ == "mark" else head.head
            if clause.pos_ not in _VERBS or clause.head.i == clause.i:
                return None
            anchor = clause.head
            event: Trigger | None = self._clause_event(clause, set(distance))
            if not self.finder.facts.factual(clause) or self._state(event):
                return None  # "two days after he was in Paris": a state, no event
        elif obj is not None:  # "after the blaze", "after resigning"
            anchor = head.head if head.i in distance else head
            clause = obj
            event = self._event_word(obj)
            if obj.pos_ in _VERBS and not self.finder.facts.factual(obj):
                return None
        else:
            return None
        tokens = {t.i for t in clause.subtree} - set(distance)
        if event is None or tokens & date_roots:
            return None  # "two days after the March 3 vote": the event has a date of its own
        return event, anchor

    def _state(self, event: Trigger | None) -> bool:
        return event is not None and event.type == "other" and event.token.lemma_.lower() in self.w.states

    def _durative(self, anchor: Token) -> bool:
        """Whether the anchor is a verb a duration measures ("lasted", "went on")."""
        particle = next((c.lower_ for c in anchor.children if c.dep_ == "prt"), None)
        lemma = anchor.lemma_.lower()
        return lemma in self.w.durative or f"{lemma} {particle}" in self.w.durative

    def possessed(self, span: Span) -> Trigger | None:
        """ "after Sunday's 2-1 defeat at Leeds": the event noun a possessive date belongs to (the
        first noun after the "'s" that heads its phrase, read in word order: the parser often hangs
        the date on the preposition), None when the date is no possessive or the noun names no event."""
        doc = span.doc
        if span.end >= len(doc) or doc[span.end].tag_ != "POS":
            return None
        for tok in doc[span.end + 1 : min(len(doc), span.end + 6)]:
            if tok.pos_ == "NOUN" and (tok.i + 1 == len(doc) or tok.nbor(1).pos_ not in ("NOUN", "PROPN")):
                return self._event_word(tok)
            if tok.pos_ not in ("NUM", "ADJ", "SYM", "PUNCT", "NOUN", "PROPN", "ADV"):
                return None
        return None

    def _event_word(self, tok: Token) -> Trigger | None:
        """ "after the blaze", "after resigning": the event a preposition's object names."""
        if tok.pos_ in _VERBS:
            event = self._clause_event(tok, set())
            return None if self._state(event) else event
        types = self.finder.types
        if tok.pos_ != "NOUN" or types.is_generic(tok):
            return None  # "after the incident" names no kind; "after Christmas" no event
        if any(c.lower_ in self.kinds.other_occurrence for c in tok.children):
            return None  # "after the next vote"
        sense = types.noun_sense(tok)  # an event word of the trigger vocabulary, not "his birthday"
        return Trigger(tok, sense.type, subtype=sense.subtype) if sense is not None else None

    def _clause_event(self, verb: Token, exclude: set[int]) -> Trigger:
        """The event of the clause of ``verb``, or of a clause joined to it when that names a
        stronger one ("after the river burst its banks and flooded the town": the flood)."""
        event = self.finder.clause_event(verb, exclude=exclude)
        strong = self.finder.v.strong_types
        if event.type in strong:
            return event
        for c in verb.children:
            if c.dep_ == "conj" and c.pos_ in _VERBS:
                joined = self.finder.clause_event(c, exclude=exclude)
                if joined.type in strong:
                    return joined
        return event

    def reactions(
        self,
        sent: Span,
        dated: dict[int, Mention],
        same_kind: Callable[[Token], Mention | None],
        taken: set[int],
    ) -> list[tuple[Trigger, DateValue, Span]]:
        """(statement, date, phrase) for each statement of the undated sentence ``sent`` that answers an
        event the story has dated to a day ("Following the verdict, the prosecutor warned ...",
        "Speaking after his swearing-in, she said ...": a reaction is told the day of its event). The
        event is a mention of the sentence (``dated``, by trigger token) or of the same kind before it
        (``same_kind``); ``taken``: tokens of distance phrases, read by :meth:`offsets`."""
        out = []
        for tok in sent:
            if tok.lower_ not in self.w.reaction_signals or tok.i in taken:
                continue
            obj = next((c for c in tok.children if c.dep_ in ("pobj", "pcomp", "dobj")), None)
            statement = self._statement(tok.head) if obj is not None else None
            if obj is None or statement is None:
                continue
            for word in (obj, *(c for c in obj.children if c.dep_ in ("compound", "dobj"))):
                event = dated.get(word.i) or same_kind(word)
                if event is not None and event.date.precision == "day" and event.date.span_days == 1:
                    out.append((statement, event.date, sent.doc[tok.i : obj.i + 1]))
                    break
        return out

    def _statement(self, head: Token) -> Trigger | None:
        """The statement a phrase hangs on: its verb, or the verb a participle of it modifies
        ("Speaking after ..., she said")."""
        verbs = [head]
        if head.dep_ == "advcl" and head.tag_ == "VBG":
            verbs.append(head.head)
        for verb in verbs:
            sense = self.finder.types.verb_sense(verb) if verb.pos_ in _VERBS else None
            if sense is not None and sense.type == "statement" and self.finder.facts.factual(verb):
                return Trigger(verb, sense.type, subtype=sense.subtype)
        return None

    def saw(self, block: int, mentions: list[Mention]) -> None:
        """The mentions a sentence made (references too: "as the judge read the sentence"): those of a
        single day that name participants, and are no statements themselves, are scenes of the undated
        words after them."""
        for m in mentions:
            if m.actors and m.date.precision == "day" and m.date.span_days == 1 and m.type != "statement":
                self.scenes.append((block, m))
        self.scenes = [(b, m) for b, m in self.scenes if block - b <= SCENE_REACH]

    def scene_statement(
        self, sent: Span, block: int, published: date | None
    ) -> tuple[Trigger, list[Mention]] | None:
        """(statement, the scenes, latest first) for a sentence without a date that tells in the past
        what someone said, close after the story dated events of its news (``SCENE_REACH`` paragraphs,
        ``SCENE_DAYS`` before publication): if the speaker took part in one ("X was sentenced on
        Thursday ... X said he was sorry"), the words were said there. The caller checks the speaker
        against the scenes' participants."""
        verb = sent.root
        if published is None or not _past(verb):
            return None
        near = [
            (b, m)
            for b, m in reversed(self.scenes)
            if block - b <= SCENE_REACH and (published - m.date.start).days <= SCENE_DAYS
        ]  # not the background: "found guilty on Nov. 2" in a story of March
        # of one paragraph's events the latest: "parted with him on Sunday, a day after the defeat"
        scenes = [m for _, m in sorted(near, key=lambda bm: (-bm[0], -bm[1].date.end.toordinal()))]
        if not scenes:
            return None
        for told in (verb, *(c for c in verb.children if c.dep_ == "conj" and _past(c))):
            statement = self._statement(told)  # "recalled the sacrifices and called for unity"
            if statement is not None:
                return statement, scenes
        return None

    # -- the anchor's date -------------------------------------------------------------------------

    def anchor_date(
        self,
        off: Offset,
        own: dict[int, Mention],
        same_kind: Callable[[Token], Mention | None],
        *,
        block: int,
        undated: bool,
        published: date | None,
    ) -> DateValue | None:
        """The date of the offset's anchor event: its mention in the sentence (``own``, by trigger
        token), else the earlier dated mention of the same kind its noun subject names (``same_kind``),
        else the story's time when the sentence has no date of its own (``undated``)."""
        tok: Token | None = off.anchor
        for _ in range(6):  # the anchor, then the clauses and nouns above it
            if tok is None:
                break
            found = own.get(tok.i) or next(
                (own[c.i] for c in tok.children if c.dep_ in _SUBJECTS and c.i in own), None
            )
            if found is not None:
                return found.date
            if tok.head.i == tok.i:
                break
            tok = tok.head
        for c in off.anchor.children:
            earlier = same_kind(c) if c.dep_ in _SUBJECTS and c.pos_ == "NOUN" else None
            if earlier is not None:
                return earlier.date
        if not undated or off.anchor.pos_ not in _VERBS or not self.finder.facts.factual(off.anchor):
            return None
        return self._story_time(off, block, published)

    def _story_time(self, off: Offset, block: int, published: date | None) -> DateValue | None:
        """The time an undated main clause is told at: now for the present tense, else the story's
        reference time (for a distance of days or hours)."""
        verb = off.anchor
        if verb.dep_ not in ("ROOT", "conj"):
            return None
        auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
        if verb.tag_ in _PRESENT or (verb.tag_ == "VBG" and auxes and auxes[0].tag_ in _PRESENT):
            if published is None:
                return None
            day = published.isoformat()
            return DateValue(day, "day", published, published)
        past = verb.tag_ == "VBD" or (verb.tag_ == "VBN" and any(a.tag_ == "VBD" for a in auxes))
        if not past or off.unit not in self.w.narrative_units or self.narrative is None:
            return None
        told_in, when = self.narrative
        return when if block - told_in <= 1 else None

    def note(self, block: int, dated: list[tuple[Token, Mention]]) -> list[tuple[Mention, Mention]]:
        """The sentence's own dated mentions (not references), with their trigger tokens: the last
        sets the story's time. (placed mention, the mention here that tells its event) for each
        earlier placed event one of them tells (see :meth:`told_before`)."""
        named = []
        for tok, m in dated:
            if m.generic or m.date.precision != "day":
                continue
            self.narrative = (block, m.date)
            if m.date.span_days != 1 or m.type not in self.finder.v.strong_types:
                continue
            groups = self._groups(tok)
            self.told.append((groups, m))
            for n, (placed_groups, placed) in enumerate(self.placed):
                if placed is not None and _same_event(placed_groups, placed, groups, m):
                    named.append((placed, m))
                    self.placed[n] = (placed_groups, None)
        return named

    def told_before(self, event: Token, m: Mention) -> Mention | None:
        """The event the story has already told that the placed event ``m`` (of trigger ``event``)
        names again, if any; else ``m`` is kept to be matched with a later one (:meth:`note`).

        A distance phrase mostly recalls an event the story tells: "The minister visited the town on
        Wednesday, three days after the river flooded it" ... "The river broke through its defences on
        Sunday". That is the latest of the same strong type on a day inside ``m``'s date, unless both
        name kinds of event and not the same ("sacked on Monday, hours after the chairman resigned")."""
        groups = self._groups(event)
        for told_groups, earlier in reversed(self.told):
            if _same_event(groups, m, told_groups, earlier):
                return earlier
        self.placed.append((groups, m))
        return None

    def _groups(self, tok: Token) -> frozenset[str]:
        return frozenset(k for k in event_keys(tok, self.kinds) if k.startswith("g:"))


def _past(verb: Token) -> bool:
    """A finite verb in the simple past (the tagger may read one as a participle when no auxiliary
    stands before it: "X, wearing a suit, acknowledged ...")."""
    if verb.tag_ == "VBD":
        return True
    return verb.tag_ == "VBN" and not any(c.dep_ in ("aux", "auxpass") for c in verb.children)


def _same_event(
    placed_groups: frozenset[str], placed: Mention, groups: frozenset[str], told: Mention
) -> bool:
    """Whether a placed event and a told one are one: same type, the told day inside the placed date,
    and no two different kinds of event."""
    if told.type != placed.type or not placed.date.contains(told.date):
        return False
    return not (placed_groups and groups and not placed_groups & groups)
