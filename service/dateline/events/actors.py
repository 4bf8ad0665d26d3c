"""Canonical actor names: aliases, demonyms and metonyms ("Moscow", "the Kremlin") to one name each.

The one home of the alias rules (the table is data: ``data/aliases.json``): extraction names actors
through it (:mod:`dateline.events.participants`), the ``actor`` filter reads the same table. No spaCy
here, so the query side can import it without loading a pipeline.
"""

from __future__ import annotations

import re
from functools import cache

from dateline.vocab import load

_A = load("aliases")
_TITLES = sorted((t.lower() for t in _A["titles"]), key=len, reverse=True)
_NOT_ACTORS = {re.sub(r"[\s\-–]+", " ", s).lower() for s in _A["not_actors"]}
_POSSESSIVE = re.compile(r"(?:'s|’s|'|’)$")
#: words that end the names of bodies, never a person's ("Alameda Research", "Manchester United"),
#: and are never an alias by themselves
ORGANISATION_WORDS = frozenset(_A["organisation_words"])
#: the posts a person holds, as roles and titles name them ("mayor", "prime minister"): set beside
#: a name ("Ann Reed, the former mayor,"), held since a date, or what a country before them serves
POSTS = frozenset(_A["roles"]) | frozenset(_A["titles"])
_PARTICLES = frozenset(_A["name_particles"])
#: a name: capitalised words (hyphens, apostrophes, initials and name particles allowed), no digits
_NAME = re.compile(r"^(?=.*[A-Z])[^\W\d_](?:[^\W\d_]|[\s.'’&-])*$")


def _key(name: str) -> str:
    return re.sub(r"[\s\-–]+", " ", name.replace("’", "'")).strip().lower()


@cache
def alias_table() -> dict[str, tuple[str, str]]:
    """alias (folded) -> (canonical name, kind) for countries, organisations and people."""
    table: dict[str, tuple[str, str]] = {}
    for kind, group in (("country", "countries"), ("organisation", "organisations"), ("person", "people")):
        for canonical, aliases in _A[group].items():
            table[_key(canonical)] = (canonical, kind)
            for alias in aliases:
                table.setdefault(_key(alias), (canonical, kind))
    return table


def actor_kind(name: str) -> str | None:
    """``country``, ``organisation`` or ``person`` for a canonical actor name: the alias table's
    kind, else what the name's shape says (a body's name ends in a word like "Authority" or is an
    acronym; a person's is two to four capitalised words), else None."""
    hit = alias_table().get(_key(name))
    if hit is not None:
        return hit[1]
    words = name.split()
    if words[-1] in ORGANISATION_WORDS or (len(words) == 1 and name.isupper() and len(name) > 1):
        return "organisation"
    if (
        2 <= len(words) <= 4
        and is_name(name)
        and all(w[:1].isupper() or w.lower() in _PARTICLES for w in words)
    ):
        return "person"
    return None


def name_variants(name: str, kind: str | None) -> list[str]:
    """The real variants of an actor's name that the API lists and the ``actor`` filter takes: a
    person's surname (with its particle: "ten Broek") and an organisation's initials ("FTC" for
    "Federal Trade Commission"); never a generic head word ("Research", "Union"), a number or a
    possessive."""
    words = name.split()
    out: list[str] = []
    if kind == "person" and len(words) > 1:
        i = len(words) - 1
        while i > 1 and words[i - 1].lower() in _PARTICLES:
            i -= 1
        out.append(" ".join(words[i:]))
    elif kind == "organisation" and len(words) > 2:
        initials = "".join(w[0] for w in words if w.lower() not in ("of", "and", "the", "for", "&"))
        if initials.isupper() and len(initials) >= 3:
            out.append(initials)
    return [v for v in out if v not in ORGANISATION_WORDS and is_name(v) and v != name]


def normalise_person(name: str) -> str:
    """Strip titles and fold romanisation variants: "President Moon Jae-in" -> "Moon Jae In"."""
    s = _POSSESSIVE.sub("", name.strip())
    low = s.lower()
    changed = True
    while changed:
        changed = False
        for title in _TITLES:
            if low.startswith(title + " "):
                s = s[len(title) + 1 :].lstrip()
                low = s.lower()
                changed = True
    # a lower-case syllable after a hyphen is part of a romanised given name: Jong-un -> Jong Un
    s = re.sub(r"-([a-z])", lambda m: " " + m.group(1).upper(), s)
    return re.sub(r"\s+", " ", s).strip()


def is_name(text: str) -> bool:
    """Whether ``text`` reads as a name ("Sam Bankman-Fried", "FTX"), not "FTX's 2022" or "U18"."""
    return bool(_NAME.match(text))


def canonical(name: str, label: str) -> tuple[str, str] | None:
    """(canonical name, kind) of an entity mention, or None when it is no actor."""
    text = _POSSESSIVE.sub("", name.strip()).strip(" .,;:\"'“”‘’()")
    text = re.sub(r"^the\s+", "", text, flags=re.I)
    if len(text) < 2 or _key(text) in _NOT_ACTORS:
        return None
    hit = alias_table().get(_key(text))
    if hit:
        return hit
    if label == "PERSON":
        person = normalise_person(text)
        hit = alias_table().get(_key(person))
        if hit:
            return hit
        if not is_name(person) or len(person) < 3 or person.split()[-1] in ORGANISATION_WORDS:
            return (person, "organisation") if is_name(person) and len(person.split()) > 1 else None
        return person, "person"
    if label in ("GPE", "NORP"):
        return None  # a city or region is a place, not an actor; known countries are in the table
    if label == "ORG" and is_name(text) and text not in ORGANISATION_WORDS:
        return text, "organisation"
    return None
