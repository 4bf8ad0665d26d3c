"""Titles of events whose participants a clause names indirectly (issue 14): a plural pronoun written
out as the pair or the body it stands for. The participants and places of such clauses are rows of
``tests/test_participants.py``. Short texts of our own; one row per linguistic case."""

from __future__ import annotations

from typing import Any

import pytest

from mentions import mention

# (text, trigger, title)
TITLES = [
    pytest.param(
        "Ann Reed and Tom Hale toured the plant on Monday. They signed the deal on 3 May 2024.",
        "signed",
        "Ann Reed and Tom Hale signed the deal",
        id="they-written-as-the-pair",
    ),
    pytest.param(
        "Leeds United won the cup in April. They signed a new striker on 3 May 2024.",
        "signed",
        "Leeds United signed a new striker",
        id="they-written-as-the-body",
    ),
]


@pytest.mark.parametrize(("text", "trigger", "title"), TITLES)
def test_title(extractor: Any, text: str, trigger: str, title: str) -> None:
    assert mention(extractor, text, trigger).title == title
