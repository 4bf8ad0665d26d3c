"""``dateline_dates``: the temporal tagger as a spaCy pipeline component.

    nlp.add_pipe("dateline_dates")          # registered through the spacy_factories entry point
    doc = nlp.make_doc(text); doc._.dct = date(2024, 11, 5)
    doc = nlp(doc)                          # or nlp.pipe(docs)
    for span in doc.spans["timex"]: span._.timex.value

The document creation time comes with the Doc (``doc._.dct``), never from the clock. The tense that
places a bare month or weekday comes from the parse when the pipeline has a parser or tagger
before this component, else from the words around the expression. ``doc.ents`` is left alone.

A caller that has already scanned the Doc's text (:meth:`TemporalTagger.scan`: the extractor does,
for the publication date) hands the scan over as ``doc._.timex_scan``; the component then only
resolves it, and clears the attribute (match objects cannot be serialised with the Doc).

The wire dateline that opens the text, if any ("LAHAINA, Hawaii (AP) —"), is left on the Doc as
``doc._.dateline`` (a :class:`~dateline.timex.anchoring.Dateline`: place, region, agency, extent),
and the day it gives a story published after it ("MOSCOW, June 19 (AFP) -") as ``doc._.dateline_day``:
the day the story's own "today" is.
"""

from __future__ import annotations

from datetime import date

from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from dateline.timex.anchoring import dateline_day
from dateline.timex.tagger import Scan, TemporalTagger, guess_tense
from dateline.timex.values import FUTURE, PAST, PRESENT, Timex

FACTORY_VERSION = "1"

if not Doc.has_extension("dct"):
    Doc.set_extension("dct", default=None)
if not Doc.has_extension("timex_scan"):
    Doc.set_extension("timex_scan", default=None)
if not Doc.has_extension("dateline"):
    Doc.set_extension("dateline", default=None)
    Doc.set_extension("dateline_day", default=None)
if not Span.has_extension("timex"):
    Span.set_extension("timex", default=None)
    Span.set_extension("timex_type", getter=lambda span: span._.timex.type if span._.timex else None)
    Span.set_extension("timex_value", getter=lambda span: span._.timex.value if span._.timex else None)
    Span.set_extension("timex_mod", getter=lambda span: span._.timex.mod if span._.timex else None)

_FUTURE_AUX = {"will", "shall", "'ll", "wo"}
_MODAL_AUX = {"would", "could", "might", "may", "should", "can", "must", "ca"}


def governing_verb(token: Token) -> Token | None:
    """The verb whose clause a token sits in (None when it hangs off no verb)."""
    tok = token
    for _ in range(12):
        if tok.pos_ in ("VERB", "AUX") and tok.dep_ not in ("aux", "auxpass"):
            return tok
        if tok.head.i == tok.i:
            return None
        tok = tok.head
    return None


#: verbs that place what they govern ahead in time, whatever their own tense ("planned a rally on Saturday")
_SCHEDULING = {
    "plan",
    "schedule",
    "set",
    "slate",
    "postpone",
    "delay",
    "adjourn",
    "defer",
    "intend",
    "expect",
    "due",
}
#: heads of an infinitive that looks ahead: "is to resume", "likely to buy", "agreed to meet"
_LOOKING_AHEAD = _SCHEDULING | {
    "be",
    "likely",
    "going",
    "about",
    "agree",
    "promise",
    "vow",
    "hope",
    "want",
    "aim",
}


def _pluperfect(token: Token) -> bool:
    """ "had been due to", "had been scheduled to": a plan that lay ahead only of a past moment."""
    for tok in (token, token.head):
        if any(c.dep_ == "aux" and c.lower_ in ("had", "'d") for c in tok.children):
            return True
    return False


def _schedules(verb: Token) -> bool:
    """A scheduling verb; "set" only when it sets something for a time ("set for Friday", "set to")."""
    lemma = verb.lemma_.lower()
    if lemma == "set":
        return any(c.lower_ in ("for", "to") or c.dep_ == "xcomp" for c in verb.children)
    return lemma in _SCHEDULING


#: prepositions by which a scheduling verb names the time it sets: "set for Friday", "put off until May"
_SCHEDULED_FOR = {"for", "until", "till", "to"}


def verb_tense(verb: Token, prep: Token | None = None) -> str | None:
    """PAST, PRESENT or FUTURE of a verb and its auxiliaries, from Penn tags.

    Scheduling verbs and infinitives governed by "is to", "likely to", "agreed to" look ahead: what
    they govern is FUTURE even in a past-tense sentence ("Officials planned a rally on Saturday"),
    unless the plan is told in the pluperfect ("had been due to expire Friday": a Friday now past).
    ``prep`` is the preposition linking the date to ``verb``, if any: a passive scheduling verb looks
    ahead only through "for", "until", "till" or "to" ("was set for Friday", "was put off to May"; not
    "was postponed in January").
    """
    pluperfect = any(c.dep_ == "aux" and c.lower_ in ("had", "'d") for c in verb.children)
    passive = any(c.dep_ == "auxpass" for c in verb.children)
    sets_a_time = prep is not None and prep.lower_ in _SCHEDULED_FOR and prep.head == verb
    if _schedules(verb) and not pluperfect and (not passive or sets_a_time):
        return FUTURE  # "planned a rally on Saturday", "was set for Friday"
    infinitive = any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)
    if infinitive and (verb.head.lemma_.lower() in _LOOKING_AHEAD or verb.head.lower_ in _LOOKING_AHEAD):
        return PAST if _pluperfect(verb.head) else FUTURE
    auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    words = {a.lower_ for a in auxes}
    if words & _FUTURE_AUX or ("going" in words and any(c.lower_ == "to" for c in verb.children)):
        return FUTURE
    if words & _MODAL_AUX:
        return None  # "would", "could": hypothetical, not a time reference
    tags = {a.tag_ for a in auxes} | {verb.tag_}
    if "VBD" in tags or ({"VBN"} & tags and (words & {"has", "have", "had", "'ve"} or not auxes)):
        return PAST
    if tags & {"VBZ", "VBP", "VBG", "VB"}:
        return PRESENT
    return None


class DatelineDates:
    """Tag temporal expressions into ``doc.spans[spans_key]`` with TIMEX3 attributes."""

    def __init__(self, nlp: Language, name: str, spans_key: str = "timex", use_parse: bool = True) -> None:
        self.name = name
        self.spans_key = spans_key
        self.use_parse = use_parse
        self.tagger = TemporalTagger()

    def timexes(self, doc: Doc, dct: date | None = None) -> list[Timex]:
        """Compute the TIMEX3 list of ``doc`` without annotating it."""
        text = doc.text  # once: Doc.text joins every token on each access
        return self.resolved(doc, self.scan_of(doc, text), dct)

    def resolved(self, doc: Doc, found: Scan, dct: date | None = None) -> list[Timex]:
        """The TIMEX3 list of ``doc`` from its scan ``found``, against ``dct`` (else ``doc._.dct``)."""
        dct = dct if dct is not None else doc._.dct
        parsed = self.use_parse and doc.has_annotation("DEP")
        text = found.text

        def tense_of(start: int, end: int) -> str | None:
            if parsed:
                span = doc.char_span(start, end, alignment_mode="expand")
                if span is not None:
                    verb = governing_verb(span.root)
                    if verb is not None:
                        head = span.root.head
                        return verb_tense(verb, head if head.dep_ == "prep" else None)
            return guess_tense(text, start, end, found.layout.voice(start))

        return self.tagger.resolve(found, dct, tense_of)

    def scan_of(self, doc: Doc, text: str) -> Scan:
        """The scan handed over with ``doc`` when it is this tagger's scan of ``text``, else a new one."""
        given = doc._.timex_scan
        if isinstance(given, Scan) and given.rules is self.tagger.rules and given.text == text:
            return given
        return self.tagger.scan(text)

    def __call__(self, doc: Doc) -> Doc:
        spans = []
        found = self.scan_of(doc, doc.text)
        timexes = self.resolved(doc, found)
        doc._.timex_scan = None  # used: the Doc stays serialisable
        dl = doc._.dateline = found.layout.dateline
        doc._.dateline_day = dateline_day(dl, timexes, doc._.dct) if dl and doc._.dct else None
        for t in timexes:
            span = doc.char_span(t.start, t.end, alignment_mode="expand")
            if span is None:
                continue
            span._.timex = t
            spans.append(span)
        doc.spans[self.spans_key] = spans
        return doc


@Language.factory(
    "dateline_dates",
    default_config={"spans_key": "timex", "use_parse": True},
    retokenizes=False,
)
def make_dateline_dates(nlp: Language, name: str, spans_key: str, use_parse: bool) -> DatelineDates:
    """Factory ``dateline_dates`` (version :data:`FACTORY_VERSION`)."""
    return DatelineDates(nlp, name, spans_key=spans_key, use_parse=use_parse)


@Language.component("dateline_paragraphs")
def paragraph_boundaries(doc: Doc) -> Doc:
    """A blank line ends a sentence: put before the parser so that no parse crosses paragraphs.

    The starts are written in one array: setting ``Token.is_sent_start`` checks the whole document
    for a parse each time, which made this quadratic in the number of paragraphs.
    """
    starts = [tok.i + 1 for tok in doc[:-1] if tok.is_space and "\n\n" in tok.text]
    if starts:
        values = doc.to_array([SENT_START])
        values[starts] = 1
        doc.from_array([SENT_START], values)  # type: ignore[arg-type]  # the stub: to_array gives floats
    return doc
