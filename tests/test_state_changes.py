"""State changes of measured things told with a copula ("shares were down 3%") as reported events."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from dateline.model import Document

#: the opening sentence of every text (an article's first line alone may be read as its title)
LEAD = "The board met on Monday. "

STATE_CHANGES = [
    # (sentence, direction word, reported as a state change, its title)
    ("Zorbo shares were down 3% on Friday.", "down", True, "Zorbo shares were down 3%"),
    ("Kestrel's sales were up 12% in the quarter.", "up", True, "Kestrel's sales were up 12%"),
    ("The index was 2% lower.", "lower", True, "The index was 2% lower"),
    ("Oil prices were higher after the report.", "higher", True, "Oil prices were higher"),
    ("Its profits were flat.", "flat", True, "Its profits were flat"),
    ("Revenue was up by 7%.", "up", True, "Revenue was up by 7%"),
    ("The Dow was down 150 points.", "down", True, "The Dow was down 150 points"),  # a quantity
    ("It was up 5% by noon.", "up", True, "It was up 5%"),  # a quantity, not "by noon"
    ("The stock was unchanged at the close.", "unchanged", True, "The stock was unchanged"),
    ("He was down after the defeat.", "down", False, None),  # a person's mood
    ("The lights were down.", "down", False, None),  # no measured thing, no quantity
    ("Shares were not down.", "down", False, None),  # negated
    ("Sales are expected to be up 5%.", "up", False, None),  # expected, without a date
    ("Prices went up sharply.", "up", False, None),  # a verb's particle, not a copula's state
]


@pytest.mark.parametrize(("sentence", "word", "expected", "title"), STATE_CHANGES)
def test_state_change_is_a_reported_event(
    extractor: Any, sentence: str, word: str, expected: bool, title: str | None
) -> None:
    doc = Document(id="s", text=LEAD + sentence, published=date(2024, 3, 8))
    found = [
        m
        for m in extractor.extract(doc, reported=True).mentions
        if m.trigger.text == word and (m.type, m.subtype) == ("business", "economy")
    ]
    assert bool(found) is expected
    if found:
        mention = found[0]
        assert doc.text[mention.trigger.start : mention.trigger.end] == word
        assert mention.title == title
        assert mention.status == "reported" and mention.basis in ("narrative", "reported")


def test_state_change_takes_its_clause_date(extractor: Any) -> None:
    doc = Document(
        id="s", text=LEAD + "Zorbo shares were down 3% on 6 March 2024.", published=date(2024, 3, 8)
    )
    found = [m for m in extractor.extract(doc, reported=True).mentions if m.trigger.text == "down"]
    assert [(m.date.value, m.basis) for m in found] == [("2024-03-06", "narrative")]


def test_state_changes_stay_out_of_the_default_timeline(extractor: Any) -> None:
    doc = Document(
        id="s", text=LEAD + "Zorbo shares were down 3% on 6 March 2024.", published=date(2024, 3, 8)
    )
    assert all(m.trigger.text != "down" for m in extractor.extract(doc).mentions)
