"""A statement that makes its own news is that news, dated by the statement.

" "Acme is pleased to announce the appointment of Jo Park as chief executive," the company said on
Friday" tells of the appointment, made on Friday; "Jo Park's spell at Acme has come to an end, the team
said on Monday" of his departure, on Monday. The content counts when it announces an event ("announce",
"confirm": ``announce_verbs``) or tells one in the present perfect or as under way ("it was
recalling 310,000 cars"), of a kind a speaker announces (``announced_types``: appointments, deals,
decisions, not tolls), or tells a deed to come under a deal it names ("Lindell will buy Varco in a
deal worth £2.1bn": the deal, struck), and gives no date of its own.
"""

from __future__ import annotations

from spacy.tokens import Token

from dateline.events.triggers import EventFinder, Trigger

_VERBS = ("VERB", "AUX")
#: the present forms of "have" of a present perfect ("has come", "'ve signed")
_HAVE = frozenset({"has", "have", "'s", "’s", "'ve", "’ve"})
#: what lies between a statement's content and the verb that announces its news: "is delighted to
#: announce", "can confirm", "announces"
_ANNOUNCE_PATH = ("acomp", "xcomp", "ccomp")


def announced_event(finder: EventFinder, said: Trigger) -> Trigger | None:
    """The event a statement verb's content announces (see the module's docstring), or None."""
    say = said.token
    if said.type != "statement" or say.pos_ not in _VERBS:
        return None
    contents = [c for c in say.children if c.dep_ in ("ccomp", "parataxis") and c.pos_ in _VERBS]
    before = _attributed_sentence(say)
    for content in contents or ([before] if before is not None else []):
        if any(c.dep_ == "neg" for c in content.children):
            return None
        if any(t.ent_type_ in ("DATE", "TIME") and not _under(t, say) for t in content.subtree):
            return None  # "we signed the deal in May," he said on Friday: the content has its own date
        found = (
            _performative(finder, content)
            or _perfect(finder, content)
            or _progressive(finder, content)
            or (_deal_struck(finder, content) if said.subtype in _TELLING else None)
        )
        if found is not None:
            return found
    return None


def _attributed_sentence(say: Token) -> Token | None:
    """The main verb of a sentence that ends in its attribution but that the small model parsed as a
    clause hung on a noun ("X has agreed to be acquired by Y, the companies announced on May 12": the
    attribution read as "the companies, [which] announced"), so the statement has no content of its
    own: the verb before the attribution's comma."""
    root = say.sent.root
    if say.dep_ not in ("acl", "relcl") or root.pos_ not in _VERBS or root.i > say.i:
        return None
    start = say.head.left_edge.i
    comma = say.doc[start - 1] if start > say.sent.start else None
    return root if comma is not None and comma.text == "," and say.head.dep_ == "appos" else None


def _under(tok: Token, head: Token) -> bool:
    return tok.i == head.i or head.is_ancestor(tok)


def _performative(finder: EventFinder, content: Token) -> Trigger | None:
    """ "is pleased to announce the appointment of X": the event noun a verb of announcing, in the
    present, takes as its object."""
    frontier = [content]
    for _ in range(3):
        for verb in frontier:
            if verb.lemma_.lower() not in finder.v.announce_verbs or verb.tag_ in ("VBD", "VBN"):
                continue
            if not finder.facts.factual(verb):
                return None  # "is not able to announce", "would announce"
            for obj in verb.children:
                sense = finder.types.noun_sense(obj) if obj.dep_ == "dobj" else None
                if sense is not None and sense.type in finder.v.strong_types:
                    return Trigger(obj, sense.type, subtype=sense.subtype)
        frontier = [c for v in frontier for c in v.children if c.dep_ in _ANNOUNCE_PATH]
    return None


def _perfect(finder: EventFinder, content: Token) -> Trigger | None:
    """ "X's spell at Acme has come to an end": an event of a kind a speaker announces, told in the
    present perfect as a fact (no modal, no negation)."""
    auxes = [c for c in content.children if c.dep_ in ("aux", "auxpass")]
    if content.tag_ != "VBN" or not auxes or auxes[0].lower_ not in _HAVE:
        return None
    if not finder.facts.factual(content):
        return None
    event = finder.clause_event(content)
    if event.type not in finder.v.announced_types:
        return None
    # the clause names it ("X's spell has come to an end"), however deep its event word lies
    return Trigger(content, event.type, subtype=event.subtype)


def _progressive(finder: EventFinder, content: Token) -> Trigger | None:
    """ "Acme said on Wednesday it was recalling 310,000 cars": a deed of a kind a speaker announces,
    told as under way when it is said."""
    auxes = [c for c in content.children if c.dep_ == "aux"]
    if content.tag_ != "VBG" or not auxes or auxes[-1].lemma_.lower() != "be":
        return None
    if not finder.facts.factual(content):
        return None
    sense = finder.types.verb_sense(content)
    if sense is None or sense.type not in finder.v.announced_types:
        return None
    return Trigger(content, sense.type, subtype=sense.subtype)


#: the statements that tell news (not "rebuffed", "warned"): only their content's deal is struck
_TELLING = frozenset({"remarks", "announcement"})
#: the prepositions a deal the content names is done "in" or "under" ("in a deal worth £2bn", "on a
#: three-year contract")
_UNDER_A_DEAL = frozenset({"in", "on", "under"})


def _deal_struck(finder: EventFinder, content: Token) -> Trigger | None:
    """ "Lindell will buy Varco in a deal worth £2.1bn, the companies announced": a deed to come,
    done under an agreement the content names, tells of that agreement, struck when it is said."""
    if not any(c.dep_ == "aux" and c.lower_ in ("will", "'ll", "’ll") for c in content.children):
        return None
    if any(c.dep_ == "neg" for c in content.children):
        return None
    for prep in content.children:
        if prep.dep_ != "prep" or prep.lower_ not in _UNDER_A_DEAL:
            continue
        for noun in prep.children:
            sense = finder.types.noun_sense(noun) if noun.dep_ == "pobj" else None
            if sense is not None and sense.type == "agreement":
                return Trigger(noun, sense.type, subtype=sense.subtype)
    return None
