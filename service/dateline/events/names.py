"""How an article names its people and bodies: the named entities with the small model's cuts
mended, a later short name as the full one the article introduced, a pronoun or role description as
the one it stands for ("they" as the pair of people or the body named just before, "the UK
regulator" as the last body whose name shares the role's family), the country a head of state or
minister acts for, and the body a person works for.

Read by :mod:`dateline.events.participants` (the actors of an event) and
:mod:`dateline.events.titles` (a pronoun written as its name).
"""

from __future__ import annotations

from bisect import bisect_left

from spacy.tokens import Doc, Span, Token

from dateline.events.actors import ORGANISATION_WORDS, actor_kind, canonical
from dateline.events.person_titles import ROLES, STATE_ROLES, country_served, roles_of, title_of
from dateline.events.sides import WHERE, acting_places, match_side
from dateline.events.spans import KEPT, office_of
from dateline.vocab import load

_A = load("aliases")
_SUBJECTS = ("nsubj", "nsubjpass", "csubj")
#: words that join a given name to a surname ("Joost ten Broek", "Marco van Dam")
_PARTICLES = frozenset(_A["name_particles"])
#: nouns a definite description names a body by ("the club said", "the company", "the regulator")
BODY_ROLES = frozenset(_A["body_roles"])
#: a body role -> the words of its family ("regulator" -> "authority", "commission", ...)
_FAMILIES = {w: frozenset(f) for f in _A["body_role_families"] for w in f}
#: the compass words that stand alone for a country of the article ("the South")
_COMPASS = frozenset(_A["compass_short_forms"])
#: a body role -> the head words of names it never stands for ("club" -> "league", "authority", ...)
_EXCLUDED: dict[str, frozenset[str]] = {}
for _row in _A["body_role_exclusions"]:
    for _role in _row["roles"]:
        _EXCLUDED[_role] = _EXCLUDED.get(_role, frozenset()) | frozenset(_row["never"])
_PERSONAL = frozenset({"he", "him", "his", "she", "her", "hers"})
_COLLECTIVE = frozenset({"its"})
#: a plural pronoun stands for the pair of people or the body named last before it ("Ann Reed and
#: Tom Hale met ... They"; "United paid ... They"), but for nobody when a plural noun comes between
_PLURAL = frozenset({"they", "them", "their"})
#: how many sentences back a pronoun or a short name looks for the one it stands for
_LOOK_BACK_SENTENCES = 3


class Names:
    """How the article names its people and bodies: a later short name ("Wells", "Ten Broek",
    "Lindell", "CMA") is the full one it introduced ("Ann Wells", "Joost ten Broek", "Lindell
    Foods", "Competition and Markets Authority"); a pronoun is the person (or body) named last
    before it; a role description ("the judge") is the one person the article gives that role."""

    def __init__(self, doc: Doc, spans: list[Span]) -> None:
        self.persons: list[tuple[int, str, bool]] = []  # (first token, full name, is a subject)
        self.bodies: list[tuple[int, str, bool]] = []  # organisations and countries
        self.full_persons: list[str] = []
        self.full_orgs: list[str] = []
        self.countries: set[str] = set()
        #: the country a person acts for, as the article introduces them ("Russian President Vladimir Putin")
        self.serves: dict[str, str] = {}
        self.roles: dict[str, list[tuple[str, str]]] = {}  # role noun -> [(full name, title words)]
        #: the body a person works for, as the article introduces them ("Acme CEO Ann Reed", "Ann
        #: Reed, administrator of the Federal Aviation Agency")
        self.employers: dict[str, str] = {}
        #: each token of a named person or body -> (its entity's start, its name, its kind)
        self._at: dict[int, tuple[int, str, str]] = {}
        self._sentence_starts = [s.start for s in doc.sents]
        #: single names the article also gives a place ("Kent" in "Kent crews" is no body)
        self.places = {
            e.text for e in spans if e.label_ in ("GPE", "LOC") and canonical(e.text, "GPE") is None
        }
        for e in spans:
            hit = base_name(e)
            if hit is None:
                continue
            name, kind = hit
            if kind == "person" and len(name.split()) > 1 and name not in self.full_persons:
                self.full_persons.append(name)
            elif kind == "organisation" and name not in self.full_orgs:
                self.full_orgs.append(name)
        #: names the small model took for places that the article uses for a body (:func:`acting_places`)
        self.acting_places = acting_places(spans, self.full_orgs)
        named: list[tuple[Span, str, str]] = []
        for e in spans:
            hit = base_name(e) or self.short_body(e) or self.acting_place(e)
            if hit is not None:
                name, kind = self.full(hit[0], hit[1], e.start)
                named.append((e, name, kind))
                self._at.update((i, (e.start, name, kind)) for i in range(e.start, e.end))
        for e, name, kind in named:
            subject = e.root.dep_ in _SUBJECTS
            if kind == "person":
                self.persons.append((e.start, name, subject))
                for role, title in roles_of(e):
                    self.roles.setdefault(role, [])
                    if all(n != name for n, _ in self.roles[role]):
                        self.roles[role].append((name, title))
                country = country_served(e)
                if country is not None:
                    self.serves.setdefault(name, country)
                body = self._employer(e)
                if body is not None:
                    self.employers.setdefault(name, body)
            elif kind == "country" or (
                kind == "organisation" and not _at_site(e, name) and not match_side(e.root)
            ):
                # the other side of a match ("a defeat by Harwick") is no antecedent of "the club"
                self.bodies.append((e.start, name, subject))
                if kind == "country":
                    self.countries.add(name)
        self._person_starts = [p[0] for p in self.persons]
        self._body_starts = [b[0] for b in self.bodies]
        self._countries = [b for b in self.bodies if b[1] in self.countries]
        self._country_starts = [b[0] for b in self._countries]
        self._groups = _person_groups(spans, self._at)

    def _employer(self, person: Span) -> str | None:
        """The organisation in the title before a person's name ("Acme assistants Tom Hale") or in
        the "of" of a role in apposition ("Ann Reed, administrator of the agency Acme"); a leader's
        party or country is not one (:data:`STATE_ROLES`)."""
        bodies = [t for t in title_of(person) if t.ent_type_ == "ORG"]
        for c in person.root.children:
            if c.dep_ == "appos" and c.pos_ == "NOUN" and c.lemma_.lower() in ROLES - STATE_ROLES:
                of = [g for p in c.children if p.dep_ == "prep" and p.lower_ == "of" for g in p.subtree]
                bodies += [t for t in of if t.ent_type_ == "ORG"]
        for tok in bodies:
            if tok.i + 1 < len(tok.doc) and tok.doc[tok.i + 1].lower_ in ("minister", "secretary"):
                continue  # "Interior Minister Pavel Hanák": a portfolio, not an employer
            hit = self._at.get(tok.i)
            if hit is not None and hit[2] == "organisation":
                return hit[1]
            office = office_of(tok)
            if office is not None:  # "Kremlin spokesman Oleg Marin": the office, not the country
                return office
        return None

    def only(self, role: str) -> str | None:
        """The one person the article gives ``role`` ("judge"), if it gives it one person only."""
        found = self.roles.get(role, [])
        return found[0][0] if len(found) == 1 else None

    def short_body(self, e: Span) -> tuple[str, str] | None:
        """(full name, "organisation") of a body the article calls by the last word of its name
        alone, a word no name stands on by itself ("United" for "Manchester United", when the
        article names no other "... United")."""
        text = e.text.strip()
        if e.label_ != "ORG" or text not in ORGANISATION_WORDS:
            return None
        name = self.known(text)
        return (name, "organisation") if name is not None else None

    def acting_place(self, e: Span) -> tuple[str, str] | None:
        """(body, "organisation") for a name the small model took for a place that the article
        uses for a body ("Ann Reed joined Ribeira", "Ribeira" of "Ribeira SC")."""
        body = self.acting_places.get(e.text) if e.label_ == "GPE" else None
        return (body, "organisation") if body is not None else None

    def is_place(self, e: Span) -> bool:
        """Whether ``e``, taken for a person or body, is a place the article names as one."""
        return e.label_ in ("PERSON", "ORG") and e.text in self.places

    def full(self, name: str, kind: str, at: int) -> tuple[str, str]:
        """The full name the article gives a short one: a surname or a given name used alone, the words
        a body's name starts or ends with, or its initials; a single name the small model took for a
        body is a person's when the article gives a person that surname, and the reverse."""
        words = name.casefold().split()
        if kind == "organisation" and len(words) == 1:
            suffix = [f for f in self.full_persons if f.casefold().split()[-1] == words[0]]
            if suffix:
                return suffix[0], "person"
        if (kind == "person" and len(words) == 1) or (kind == "person" and words[0] in _PARTICLES):
            suffix = [f for f in self.full_persons if f.casefold().split()[-len(words) :] == words]
            found = suffix or [f for f in self.full_persons if f.casefold().split()[: len(words)] == words]
            if found:
                return found[0], kind  # several: the one the article introduced first
        if kind == "organisation":
            longer = self._shortened(words)
        elif kind == "person" and len(words) == 1:
            # no one's name but one body's, named as bodies are: "Harwick had beaten ..." of "Harwick
            # Rovers" (not "Prado" of a "Luis Prado" the small model took for a body)
            longer = [o for o in self._shortened(words) if o.split()[-1] in ORGANISATION_WORDS]
        else:
            longer = []
        return (longer[0], "organisation") if len(longer) == 1 else (name, kind)

    def _shortened(self, words: list[str]) -> list[str]:
        """The bodies of the article whose names the ``words`` shorten (:func:`_shortens`)."""
        return [o for o in self.full_orgs if len(o.split()) > len(words) and _shortens(words, o)]

    def known(self, text: str, *, exact: bool = False) -> str | None:
        """The full name of a person or body the article named before, for a word the small model
        left untagged or took for a place ("Prado", "Manchester United" as a nationality): the one
        person with that surname, else the body with that name (or, unless ``exact``, the one whose
        name it shortens and that is no place of the article); else None."""
        words = text.casefold().split()
        if not words or not text[:1].isupper():
            return None
        if len(words) == 1:
            people = [f for f in self.full_persons if f.casefold().split()[-1] == words[0]]
            if len(people) == 1:
                return people[0]
        same = [o for o in self.full_orgs if o.casefold().split() == words]
        if same:
            return same[0]
        if exact or text in self.places:
            return None
        longer = self._shortened(words)
        return longer[0] if len(longer) == 1 else None

    def pronoun(self, tok: Token) -> str | None:
        """The person ("he", "her") or body ("its", "they") a pronoun stands for: the one named last
        before it, within a few sentences, a subject first."""
        low = tok.lower_
        if low in _PERSONAL:
            return self.person_before(tok)
        if low in _COLLECTIVE or (low == "it" and _acting_it(tok)):
            return self._latest(self.bodies, self._body_starts, tok)
        return None

    def person_before(self, tok: Token, *, sure: bool = False) -> str | None:
        """The person named last before ``tok``, within a few sentences, a subject first; with
        ``sure``, only a subject or the one person the window names."""
        return self._latest(self.persons, self._person_starts, tok, sure=sure)

    def plural(self, tok: Token) -> list[str]:
        """The people or body a plural pronoun stands for: the pair (or more) of people coordinated
        last before it ("Ann Reed and Tom Hale"), or the body named last, within the sentence before,
        or the one an earlier plural pronoun stands for; nobody when a single person or a plural
        noun ("officials", "fans") comes last."""
        if tok.lower_ not in _PLURAL:
            return []
        doc = tok.doc
        # "they needed ... to get past Acme, and their run": the one the first "they" stands for
        tok = next((t for t in doc[tok.sent.start : tok.i] if t.lower_ in _PLURAL), tok)
        k = bisect_left(self._sentence_starts, tok.i + 1) - 1
        floor = self._sentence_starts[max(0, k - 1)] if k >= 0 else 0
        for i in range(tok.i - 1, floor - 1, -1):
            t = doc[i]
            hit = self._at.get(i)
            if hit is not None:
                start, name, kind = hit
                if start in self._groups:
                    return self._groups[start]
                return [name] if kind == "organisation" else []
            if t.tag_ in ("NNS", "NNPS") or (t.tag_ == "PRP" and t.lower_ != "it"):
                return []
        return []

    def plural_name(self, tok: Token) -> str | None:
        """ "Ann Reed and Tom Hale" for the people a plural pronoun stands for (:meth:`plural`)."""
        names = self.plural(tok)
        if len(names) < 2:
            return names[0] if names else None
        return f"{', '.join(names[:-1])} and {names[-1]}"

    def role(self, head: Token) -> str | None:
        """The person a role description names ("the judge", "a federal judge", "the Russian
        president"): the only person of the article given that role, or the only one whose title
        also holds the description's proper modifiers. A definite description of a body ("the
        club", "the company") is the body named last before it, as "its" is."""
        if head.pos_ != "NOUN":
            return None
        lefts = list(head.lefts)
        low = head.lemma_.lower()
        if low in BODY_ROLES and any(c.lower_ == "the" or c.dep_ == "poss" for c in lefts):
            mods = [c for c in lefts if c.dep_ in ("compound", "poss", "amod", "nmod")]
            if not mods and any(c.lower_ == "the" for c in lefts):
                # the body named last, within a few sentences; else, further back, the one whose name
                # says it is one ("the agency", paragraphs after "the European Space Agency")
                near = self._latest(self.bodies, self._body_starts, head, countries=False, role=low)
                return near or self._body_by_role(head, low)
            if mods and all(_plain_modifier(c) for c in mods):
                return self._body_by_role(head, low)  # "the UK regulator", "Britain's competition watchdog"
            return None
        if head.lemma_.lower() not in ROLES:
            return None
        found = self.roles.get(head.lemma_.lower(), [])
        if len(found) > 1:
            marks = [c.text.casefold() for c in head.lefts if c.pos_ == "PROPN" or c.ent_type_ in KEPT]
            found = [(n, t) for n, t in found if marks and all(m in t.casefold() for m in marks)]
        return found[0][0] if len(found) == 1 else None

    def _body_by_role(self, head: Token, role: str) -> str | None:
        """The body a described role names ("the UK regulator"): the last one named before it whose
        name holds a word of the role's family ("... Markets Authority"), not one of its own clause;
        else, when none is named before, the first named after it (a lede that describes the body and
        names it further down: "Britain's competition watchdog approved ..." ... "the Competition and
        Markets Authority said")."""
        family = _FAMILIES.get(role)
        if not family:
            return None
        own = {c.i for c in head.head.children} | {head.head.i}
        at = bisect_left(self._body_starts, head.i)
        for start, name, _ in (*reversed(self.bodies[:at]), *self.bodies[at:]):
            if start not in own and name not in self.countries and family & set(name.casefold().split()):
                return name
        return None

    def compass_country(self, e: Span) -> str | None:
        """The country a bare compass word stands for ("the South"): the one country of the article
        whose name it begins ("South Korea"), none when the article names two ("the West")."""
        word = e.text.casefold().removeprefix("the ").strip()
        if word not in _COMPASS:
            return None
        found = [c for c in self.countries if c.casefold().startswith(word + " ")]
        return found[0] if len(found) == 1 else None

    def country_before(self, tok: Token) -> str | None:
        """The country named last before ``tok``, within a few sentences."""
        return self._latest(self._countries, self._country_starts, tok)

    def _latest(
        self,
        found: list[tuple[int, str, bool]],
        starts: list[int],
        tok: Token,
        *,
        countries: bool = True,
        role: str | None = None,
        sure: bool = False,
    ) -> str | None:
        """The one named last before ``tok`` within a few sentences, a subject first; for a ``role``
        ("the club"), never a body whose name says it is of another kind ("the Premier League")."""
        k = bisect_left(self._sentence_starts, tok.i + 1) - 1
        floor = self._sentence_starts[max(0, k - _LOOK_BACK_SENTENCES)] if k >= 0 else 0
        end = bisect_left(starts, tok.i)
        window = [
            f
            for f in found[bisect_left(starts, floor) : end]
            if (countries or f[1] not in self.countries) and (role is None or not _other_kind(f[1], role))
        ]
        subjects = [f for f in window if f[2]]
        if sure and not subjects and len({f[1] for f in window}) > 1:
            return None
        pick = (subjects or window)[-1:] if window else []
        return pick[0][1] if pick else None


def _other_kind(name: str, role: str) -> bool:
    """Whether a body's name says by its head word that it is of a kind ``role`` never names: "the
    club" is no "Premier League", "the company" no "Competition and Markets Authority". Only the head
    counts ("the party" may be the "Christian Democratic Union", "the bank" the "Lloyds Banking
    Group" — a role none excludes "Group" for)."""
    return _head_word(name) in _EXCLUDED.get(role, frozenset())


def _head_word(name: str) -> str:
    """The word a body's name is a name of: its last, or the last before its "of" ("Bank of Japan")."""
    words = name.casefold().split()
    if "of" in words[1:]:
        words = words[: words.index("of", 1)]
    return words[-1] if words else ""


def _at_site(e: Span, name: str) -> bool:
    """Whether a body named after "at" or "in" may be a site ("talks at Riverside Park"): only one
    named like a body is one a description ("the club") may stand for."""
    return e.root.dep_ == "pobj" and e.root.head.lower_ in WHERE and actor_kind(name) != "organisation"


def _plain_modifier(tok: Token) -> bool:
    """Whether a modifier leaves a description free to name a body of the article: a common word
    ("competition watchdog") or a place ("the UK regulator", "the Riverside club"), not a person
    or another body ("Reed's side", "Microsoft's games studio")."""
    if tok.ent_type_:
        return tok.ent_type_ in ("GPE", "LOC", "FAC", "NORP")
    return tok.pos_ in ("ADJ", "NOUN") and tok.text.islower()


def _acting_it(tok: Token) -> bool:
    """Whether "it" is the subject that does the deed ("it collapsed"), not an empty one ("it was
    thought that", "it is likely")."""
    verb = tok.head
    return (
        tok.dep_ == "nsubj"
        and verb.pos_ == "VERB"
        and verb.lemma_.lower() not in ("be", "seem", "appear", "take", "remain")
        and not any(c.dep_ in ("ccomp", "xcomp", "acomp") for c in verb.children)
    )


def _person_groups(spans: list[Span], at: dict[int, tuple[int, str, str]]) -> dict[int, list[str]]:
    """Each coordinated pair (or more) of people ("Joe Biden and Jill Biden"), by the start of each
    member: their full names in order."""
    groups: dict[int, list[str]] = {}
    for e in spans:
        first = at.get(e.start)
        if first is None or first[2] != "person" or e.root.dep_ == "conj":
            continue
        members = [first]
        partner = _accompanied(e.root, at)
        if partner is not None:  # "Biden landed ... with first lady Jill Biden"
            members.insert(0, partner)
        for c in e.root.children:
            other = at.get(c.i)
            if c.dep_ == "conj" and other is not None and other[2] == "person" and other[1] != first[1]:
                members.append(other)
        if len(members) > 1:
            names = list(dict.fromkeys(m[1] for m in members))
            groups.update((m[0], names) for m in members)
    return groups


def _accompanied(root: Token, at: dict[int, tuple[int, str, str]]) -> tuple[int, str, str] | None:
    """The person whose clause a person "with" joins ("Ann Reed toured the site with Tom Hale"):
    the subject of the verb a few steps above the "with"."""
    if root.dep_ != "pobj" or root.head.lower_ != "with":
        return None
    tok = root.head
    for _ in range(6):
        if tok.pos_ in ("VERB", "AUX") or tok.head.i == tok.i:
            break
        tok = tok.head
    if tok.pos_ not in ("VERB", "AUX"):
        return None
    subj = next((c for c in tok.children if c.dep_ in _SUBJECTS), None)
    if subj is None and tok.dep_ == "conj":  # "Ann Reed landed and toured the site with Tom Hale"
        subj = next((c for c in tok.head.children if c.dep_ in _SUBJECTS), None)
    hit = at.get(subj.i) if subj is not None else None
    return hit if hit is not None and hit[2] == "person" and hit[1] != at[root.i][1] else None


def base_name(e: Span) -> tuple[str, str] | None:
    if e.label_ in ("LOC", "FAC"):
        return None
    return canonical(e.text, e.label_)


def _shortens(words: list[str], longer: str) -> bool:
    """Whether ``words`` are the words ``longer`` starts or ends with, or its initials."""
    long_words = longer.casefold().split()
    n = len(words)
    if long_words[:n] == words or long_words[-n:] == words:
        return True
    initials = "".join(w[0] for w in long_words if w not in ("of", "and", "the", "for", "&"))
    return n == 1 and len(words[0]) >= 2 and words[0].replace(".", "") == initials
