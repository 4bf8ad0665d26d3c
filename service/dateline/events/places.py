"""Where an event happened: the place of its clause, else of its sentence, else the article's own.

The clause's place is a locative phrase of the trigger ("met in Hanoi", "arrested at Haneda airport",
"burned the town of Lahaina", "travelled to Pyongyang to sign"), or a place the event noun carries
("the Lahaina wildfire", "the toll from the Kent wildfires"), found by
:mod:`dateline.events.clause_places`. Without one, a place the sentence names in a locative phrase;
then the place of the site where events of its type happen, as the article gives
it once (a trial, its verdict and sentence at "a federal courthouse in lower Manhattan"; the venues
are data); then the article's dateline ("KAHULUI, Hawaii (AP) —"); then a country the sentence gives another
event or a body ("the UK regulator"); then the one place the article names again and again (a country
used as a modifier, "US District Judge", does not count); last, the home place the name of a body
taking part gives ("Manchester United sacked its coach": Manchester; :mod:`dateline.events.homes`).
Names are normalised: a country by its canonical name, a city the article (or the alias table, or
the gazetteer for a body's home) places in a region or country with it ("Lahaina, Hawaii", "Colombo,
Sri Lanka", "Manchester, United Kingdom").
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Mapping, Sequence
from functools import cached_property
from itertools import pairwise

import numpy
from spacy.attrs import LEMMA
from spacy.tokens import Doc, Span, Token

from dateline.events.actors import canonical
from dateline.events.clause_places import (
    LOCATIVE,
    clause_place,
    object_place,
    pobj_place,
    sentence_country,
    sentence_place,
)
from dateline.events.homes import home_of, office
from dateline.timex.anchoring import find_dateline
from dateline.vocab import load

_A = load("aliases")
PLACE_LABELS = ("GPE", "LOC", "FAC")
#: nouns a body is introduced by ("his former club Ribeira SC", "the airline Qantas")
_BODY_NOUNS = frozenset(_A["body_roles"])
#: event type -> the sites where such events happen ("court" for a trial)
_VENUES = {typ: frozenset(sites) for typ, sites in _A["venues"].items()}
#: event types whose bodies are opponents: a match or a battle is at one side's home or neither's
_CONTESTS = frozenset(_A["home_names"]["contest_types"])
#: the article's own place, when it has no dateline: named this many times, and twice as often as any other
_MAIN_PLACE_MIN = 3


class Places:
    """The places of one document: its entities that name places, how the article places a city
    ("Lahaina, Hawaii"), its dateline, and the place it is about."""

    def __init__(self, doc: Doc, spans: list[Span], event_nouns: Mapping[str, str]) -> None:
        self.doc = doc
        self.event_nouns = event_nouns
        labels: dict[str, Counter[bool]] = {}
        for e in spans:
            labels.setdefault(e.text, Counter())[e.label_ in (*PLACE_LABELS, "NORP")] += 1
        # a name the article mostly gives a person or body is none of its places ("Ribeira")
        self.all_spans = spans
        orgs = {e.text.split()[0] for e in spans if e.label_ == "ORG" and len(e.text.split()) > 1}
        orgs |= _introduced_bodies(spans)
        self.spans = [
            e for e in spans if labels[e.text][True] >= labels[e.text][False] and e.text not in orgs
        ]  # "Ribeira" of "Ribeira SC" is no place
        self.starts = [e.start for e in self.spans]
        self._venues: dict[str, str | None] = {}
        self.regions: dict[str, str] = {}
        for a, b in pairwise(spans):
            between = doc[a.end : b.start]
            if (
                a.label_ in PLACE_LABELS
                and b.label_ == "GPE"
                and len(between) == 1
                and between[0].text == ","
            ):
                self.regions.setdefault(_bare(a.text), _bare(b.text))

    def of_event(
        self,
        sent: Span,
        trigger: Token,
        typ: str,
        place_objects: tuple[str, ...],
        *,
        background: bool = False,
    ) -> str | None:
        """The place of the event ``trigger`` names in sentence ``sent``, normalised: the clause's,
        the sentence's, the dateline's; a country that only qualifies another event or a body of the
        sentence ("the deadliest US wildfire", "the UK regulator") before the place the article keeps
        naming. A ``background`` event (long before publication) takes only the country of the
        article's own place: the dateline says where the reporter is now. None without one: then
        :meth:`home` may give one."""
        found = (
            clause_place(self, trigger, typ, place_objects)
            or sentence_place(self, sent, trigger)
            or self.venue(typ)
        )
        if found is not None:
            return self.name(found)
        if self.dateline is None:
            found = sentence_country(self, sent)
            if found is not None:
                return found
        own = self.own_place
        if background and own is not None:
            hit = canonical(own.split(",")[-1].strip(), "GPE")
            return hit[0] if hit is not None and hit[1] == "country" else None
        return own

    def home(self, bodies: Sequence[str], typ: str) -> str | None:
        """The place of an event of type ``typ`` that has none of its own: the home place the first
        of its ``bodies`` (the one acting first) whose name gives one names ("Leicester City":
        Leicester), unless they are opponents (a match, a battle). Normalised: a city with the region
        the article places it in, else with the gazetteer's country, preferring a country the article
        names ("Lincoln City" in an English article)."""
        if typ in _CONTESTS:
            return None
        for body in bodies:
            found = home_of(body, self.countries)
            if found is None:
                continue
            if found.country is None:
                return found.name
            named = self.name(found.name)
            return named if named != found.name else f"{found.name}, {found.country}"
        return None

    @cached_property
    def countries(self) -> frozenset[str]:
        """The countries the article names (by their canonical names)."""
        out = set()
        for e in self.all_spans:
            hit = canonical(e.text, "GPE") if e.label_ in ("GPE", "NORP") else None
            if hit is not None and hit[1] == "country":
                out.add(hit[0])
        return frozenset(out)

    @cached_property
    def own_place(self) -> str | None:
        """The article's own place: its dateline, unless that is a bureau abroad the article never
        names again while it keeps naming one country ("NEW DELHI (KUNA) -- ... Sri Lanka ...")."""
        dateline, main = self.dateline, self.main_place
        if dateline is None or main is None or canonical(main, "GPE") is None:
            return dateline or main
        named_again = sum(
            1 for e in self.all_spans if _bare(e.text).casefold() == self._dateline_word.casefold()
        )
        return main if named_again <= 1 and not dateline.endswith(main) else dateline

    def described(self, noun: Token) -> str | None:
        """The place a definite description stands for ("the valley"): the last one named before it
        whose name ends in that noun ("the Ahr Valley"), within the article."""
        word = noun.lemma_.lower()
        for e in reversed(self.spans[: bisect_left(self.starts, noun.i)]):
            if e[-1].lemma_.lower() == word and e[-1].text[:1].isupper():
                return _bare(e.text)
        return None

    def venue(self, typ: str) -> str | None:
        """The place of the site where events of type ``typ`` happen, as the article first gives it
        ("at a Manhattan court hearing", "a federal courthouse in lower Manhattan": a trial, its
        verdict and its sentence are there)."""
        if typ not in self._venues:
            self._venues[typ] = _venue(self, _VENUES.get(typ, frozenset()))
        return self._venues[typ]

    def name(self, place: str) -> str:
        """A place by its canonical name: a country as the alias table names it, a city with the
        region or country the article (or the alias table) places it in."""
        text = _bare(place)
        hit = canonical(text, "GPE")
        if hit is not None and hit[1] == "country":
            if hit[0].casefold() == text.casefold() or not text[:1].isupper():
                return hit[0]
            if office(text) is None:  # "the Kremlin" names its country, never a place inside it
                return f"{text}, {hit[0]}"
        region = self.regions.get(text)
        if region is not None and region.casefold() not in text.casefold():
            hit = canonical(region, "GPE")
            return f"{text}, {hit[0] if hit and hit[1] == 'country' else region}"
        return text

    def in_dateline(self, char: int) -> bool:
        """Whether character ``char`` of the text lies in the article's dateline."""
        _ = self.dateline
        return self._dateline_span[0] <= char < self._dateline_span[1]

    @cached_property
    def dateline(self) -> str | None:
        """The place of the article's wire dateline (:func:`dateline.timex.anchoring.find_dateline`),
        with the region it gives ("LAHAINA, Hawaii (AP) —" -> "Lahaina, Hawaii")."""
        self._dateline_span = (0, 0)
        self._dateline_word = ""
        found = find_dateline(self.doc.text)
        if found is None:
            return None
        place = found.place.strip()
        name = place.title() if place.isupper() else place
        if found.region:
            self.regions.setdefault(name, found.region)
        self._dateline_span = (found.start, found.end)
        self._dateline_word = name
        return self.name(name)

    @cached_property
    def main_place(self) -> str | None:
        """The place the article is about: named at least :data:`_MAIN_PLACE_MIN` times and more
        often than any other (a country counts its demonyms and cities)."""
        counts: Counter[str] = Counter()
        for e in self.all_spans:
            hit = canonical(e.text, "GPE")
            if e.label_ == "NORP":
                continue  # "the Portuguese coach" says whose, not where
            if hit is not None and hit[1] == "country":
                if e.root.dep_ not in ("compound", "amod"):  # "US District Judge", "U.S. authorities": whose
                    counts[hit[0]] += 1
            elif e.label_ in PLACE_LABELS and e in self.spans:
                counts[_bare(e.text)] += 1
        ranked = counts.most_common(2)
        if (
            not ranked
            or ranked[0][1] < _MAIN_PLACE_MIN
            or (len(ranked) > 1 and ranked[1][1] * 2 > ranked[0][1])
        ):
            return None
        return self.name(ranked[0][0])

    def within(self, start: int, end: int) -> list[Span]:
        """The entities wholly inside tokens ``[start, end)``."""
        out = []
        for i in range(bisect_left(self.starts, start), len(self.spans)):
            if self.spans[i].start >= end:
                break
            if self.spans[i].end <= end:
                out.append(self.spans[i])
        return out

    def entity(self, tok: Token) -> Span | None:
        """The place entity ``tok`` is part of, if any (by bisection): a name the article mostly
        gives a place, even where the small model took it for a body ("the Lahaina wildfire")."""
        i = bisect_right(self.starts, tok.i) - 1
        return self.spans[i] if i >= 0 and tok.i < self.spans[i].end else None


def _bare(text: str) -> str:
    text = re.sub(r"['’]s$", "", text.strip())
    return re.sub(r"^the\s+", "", text, flags=re.I).strip(" ,.;:")


def _venue(places: Places, sites: frozenset[str]) -> str | None:
    """The first place the article gives a site of ``sites``: a name before it ("Manhattan federal
    court") or a locative phrase after it ("a courthouse in lower Manhattan")."""
    if not sites:
        return None
    doc = places.doc
    wanted = numpy.array([doc.vocab.strings.add(s) for s in sites], dtype="uint64")
    lemmas = doc.to_array([LEMMA]).astype("uint64").ravel()  # no Python loop over every token
    for i in numpy.nonzero(numpy.isin(lemmas, wanted))[0]:
        tok = doc[int(i)]
        if tok.pos_ != "NOUN" or not tok.text.islower():
            continue
        found = object_place(places, tok, True) or next(
            (pobj_place(places, c) for c in tok.children if c.dep_ == "prep" and c.lower_ in LOCATIVE),
            None,
        )
        if found:
            return found
    return None


def _introduced_bodies(spans: list[Span]) -> set[str]:
    """The first words of names a body noun introduces ("his current club Ribeira SC"): a name
    the article uses for a body is none of its places, though the small model takes it for one."""
    out: set[str] = set()
    for e in spans:
        before = e.doc[e.start - 1] if e.start > 0 else None
        if before is not None and before.pos_ == "NOUN" and before.lemma_.lower() in _BODY_NOUNS:
            out.add(e.text.split()[0])
    return out
