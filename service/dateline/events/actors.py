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
        if not re.search(r"[A-Z]", person) or len(person) < 3:
            return None
        return person, "person"
    if label in ("GPE", "NORP"):
        return None  # a city or region is a place, not an actor; known countries are in the table
    if label == "ORG":
        return text, "organisation"
    return None
