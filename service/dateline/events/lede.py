"""The undated news of a lede: "The regulator has blocked the takeover."

A news story often opens with what happened and leaves the day out: it is the day of publication or
the day before. So the first prose sentences of an article (:data:`LEDE_SENTENCES`), while it has
dated nothing yet, report an event on or just before the publication day when they carry no date
expression and their main verb tells of a fact in the past or present perfect ("X has sacked Y", "Y
was sacked", "X has taken the oath of office"), with a subject that names someone (an entity in its
phrase: "This development has ..." is comment, not news). The verb must name an event; else, and
always after a light verb, its object must ("has taken the oath", "has completed its acquisition"),
which is then the trigger; a reporting verb ("has said") tells of words, not of the news. Only a
publication date that was given or stated in the text anchors this, never an inferred one.

The body may settle which of the two days it was: a story published on Saturday that dates the words
of a participant of its news to Friday ("Acme's chief told staff on Friday") and nothing to
Saturday was written about Friday's news, so the lede's news is Friday's too (:meth:`Lede.settled`).
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, timedelta

from spacy.tokens import Span, Token

from dateline.events.coreference import KindVocabulary, event_keys
from dateline.events.triggers import EventFinder, Trigger
from dateline.model import DateValue, Mention, Published
from dateline.vocab import load

#: how many prose sentences open an article
LEDE_SENTENCES = 2
#: fewer words than this, or no verb at its root, and a line is a headline, caption or byline
PROSE_WORDS = 6
_SOMEONE = ("PERSON", "ORG", "GPE", "NORP")
_PRESENT_PERFECT = frozenset({"has", "have", "'ve", "'s"})
_PAST_PASSIVE = frozenset({"was", "were"})
#: a picture's credit: "Photograph: Jane Doe/Agency", "Photo by Jane Doe/Agency"
_CREDITS = "|".join(load("coreference")["caption_credits"])
_CREDIT = re.compile(r"\s*(?:" + _CREDITS + r")(?:\s*:|\s+by\s)", re.I)


def is_prose(sent: Span) -> bool:
    """A sentence of running text (a verb and some words), not a headline, byline or menu."""
    words = sum(1 for t in sent if t.is_alpha)
    return words >= PROSE_WORDS and sent.root.pos_ in ("VERB", "AUX") and not sent.text.rstrip().endswith("?")


def is_caption(sent: Span) -> bool:
    """A photo caption: the sentence is followed by its credit ("... Photograph: Jane Doe/Agency",
    "... Photo by Jane Doe/Agency")."""
    return bool(_CREDIT.match(sent.doc[sent.end : sent.end + 4].text))


def news_verb(root: Token) -> bool:
    """Simple past or present perfect, active or passive: "sacked", "has sacked", "was sacked",
    "has been sacked"; not "had sacked" (the background of another past)."""
    auxes = [c for c in root.children if c.dep_ in ("aux", "auxpass")]
    if any(c.lower_ == "had" for c in auxes):
        return False
    if root.tag_ == "VBD":
        return not auxes
    if root.tag_ != "VBN":
        return False
    return any(c.dep_ == "aux" and c.lower_ in _PRESENT_PERFECT for c in auxes) or any(
        c.dep_ == "auxpass" and c.lower_ in _PAST_PASSIVE for c in auxes
    )


def names_someone(root: Token) -> bool:
    """The clause's subject names a person, organisation or place: "The UK's regulator", "Smith" (a
    proper name the entity recogniser missed counts too)."""
    for c in root.children:
        if c.dep_ in ("nsubj", "nsubjpass"):
            return any(t.ent_type_ in _SOMEONE or (t.pos_ == "PROPN" and not t.ent_type_) for t in c.subtree)
    return False


class Lede:
    """Reads the opening sentences of one document in order (see the module's docstring)."""

    def __init__(
        self, finder: EventFinder, published: Published, vocab: KindVocabulary | None = None
    ) -> None:
        self.finder = finder
        self.v = vocab or KindVocabulary.default()
        day = published.value
        self.left = LEDE_SENTENCES if day is not None and published.basis in ("given", "stated") else 0
        # the day before publication, unless there is none (a publication on 1 January of year 1)
        before = day - timedelta(days=1) if day is not None and day > date.min else day
        self.date = DateValue(day.isoformat(), "day", before, day, "ON_OR_BEFORE") if day and before else None

    def news(self, sent: Span, *, has_date: bool, dated: bool) -> Trigger | None:
        """The event the lede sentence ``sent`` reports, dated :attr:`date`, or None. ``has_date``: the
        sentence holds a date expression; ``dated``: the article has dated an event by now (in this
        sentence or before), which ends its lede."""
        if dated:
            self.left = 0
        if not self.left or not is_prose(sent) or is_caption(sent):
            return None
        self.left -= 1
        return None if has_date else self._event(sent.root)

    def _event(self, root: Token) -> Trigger | None:
        if not news_verb(root) or not names_someone(root) or not self.finder.facts.factual(root):
            return None
        types = self.finder.types
        typ = types.verb_type(root)
        if typ in self.v.reporting_types:
            return None  # "X has said ...": words, not the news
        light = root.lemma_.lower() in self.finder.v.light_verbs
        if not light and (typ is not None or self._kind(root)):
            return Trigger(root, typ or self.v.kind_type(root, self.finder.v) or "other")
        # "has taken the oath", "has completed its acquisition": the object names the event
        obj = next((c for c in root.children if c.dep_ == "dobj"), None)
        if obj is None or not self.v.names_event(obj, self.finder):
            return None  # "residents raced to escape": no event word, no news to date
        return Trigger(obj, types.noun_type(obj) or self.v.kind_type(obj, self.finder.v) or "other")

    def _kind(self, tok: Token) -> bool:
        """Whether the verb ``tok`` names a kind of event the vocabulary knows ("sacked", "vetoed")."""
        return any(key.startswith("g:") for key in event_keys(tok, self.v))

    def settled(self, mentions: list[Mention]) -> list[Mention]:
        """``mentions`` with the lede's open day (the publication day or the day before) made the day
        before when the article dates words a participant of the news said to that day, and nothing
        to the publication day.

        A participant's words dated the day before answer the news, so it is not later than them; a
        deed dated the day before may be its cause ("have sacked their manager after Sunday's
        defeat"), and an outsider's words may be about anything: neither settles it."""
        open_day = self.date
        news = [m for m in mentions if m.date == open_day and not m.generic]
        if open_day is None or not news:
            return mentions
        days = {m.date.start for m in mentions if m.date != open_day and m.date.span_days == 1}
        taking_part = {a for m in news for a in m.actors}
        said = {
            m.date.start
            for m in mentions
            if m.type in self.v.reporting_types and m.date.span_days == 1 and taking_part & set(m.actors)
        }
        if open_day.end in days or open_day.start not in said:
            return mentions
        before = DateValue(open_day.start.isoformat(), "day", open_day.start, open_day.start)
        return [replace(m, date=before) if m.date == open_day else m for m in mentions]
