"""The tagger never raises, whatever its own vocabulary is combined into.

Its patterns accept more spellings than its tables list ("the short-term" for "the short term",
"SHORT  TERM", "twentyone"), and it does calendar arithmetic relative to any publication date, the
first and last days Python's calendar has included. Text built from the tagger's own words, in any
case, joined by spaces, runs of white space or hyphens, with "the", numbers and signal words between
them, must give timexes inside the text, never an exception (one raised kills a whole batch).
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dateline.timex.tagger import TemporalTagger
from dateline.vocab import load

_V = load("temporal")
#: every phrase of every word table (not the tables keyed by TIMEX3 codes, like season_months)
VOCABULARY = sorted(
    {
        str(word)
        for table in _V.values()
        if isinstance(table, dict | list)
        for word in table
        if isinstance(word, str) and not word.startswith("_") and not word.isupper()
    }
)
SIGNALS = ["the", "of", "a", "ago", "later", "earlier", "before", "after", "in", "on", "since", "and"]
SEPARATORS = [" ", "  ", "-", " - ", "\n", "\t", ", "]

TAGGER = TemporalTagger()


def _cased(word: str, how: int) -> str:
    return [word, word.lower(), word.upper(), word.title(), word.swapcase()][how]


def _respelt(word: str, sep: str) -> str:
    """A phrase with its spaces (and hyphens) written as another separator, as the patterns allow."""
    return word.replace(" ", sep).replace("-", sep if sep.strip() == "-" else "")


token = st.one_of(
    st.builds(
        _respelt,
        st.builds(_cased, st.sampled_from(VOCABULARY), st.integers(0, 4)),
        st.sampled_from([" ", "-", "  ", "\n"]),
    ),
    st.sampled_from(SIGNALS),
    st.integers(0, 100_000).map(str),
    st.sampled_from(["1/2", "2.5", "19th", "'90s", "1990s", "2024-06-19", "6/19/2024", "Q3"]),
)
phrase = st.lists(st.tuples(token, st.sampled_from(SEPARATORS)), min_size=1, max_size=7).map(
    lambda parts: "".join(word + sep for word, sep in parts).strip()
)
EDGE_DAYS = [date.min, date.min + timedelta(days=1), date(1, 12, 31), date(9999, 1, 1), date.max]
dct = st.one_of(st.none(), st.sampled_from(EDGE_DAYS), st.dates(), st.just(date(2024, 6, 19)))


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(first=phrase, second=phrase, day=dct)
def test_the_tagger_never_raises_on_its_own_vocabulary(first: str, second: str, day: date | None) -> None:
    text = f"{first} the talks began, officials said {second}. {first.capitalize()}."
    for timex in TAGGER.tag(text, day):
        assert 0 <= timex.start < timex.end <= len(text)
        assert text[timex.start : timex.end] == timex.text


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("Markets may wobble in the short-term, analysts said.", date(2024, 6, 19)),
        ("Markets may wobble in THE SHORT TERM, analysts said.", date(2024, 6, 19)),
        ("The minister resigned yesterday.", date.min),
        ("The vote is tomorrow.", date.max),
        ("The day after tomorrow the talks resume.", date.max),
        ("It was founded 3000 years ago and will last 9000 more years.", date(5, 3, 1)),
        ("The treaty expires in 9000 years.", date(2024, 6, 19)),
        ("Last month and next year were quiet.", date.min),
        ("Next week, next month and next year.", date.max),
    ],
)
def test_vocabulary_spellings_and_calendar_edges_do_not_raise(text: str, day: date) -> None:
    TAGGER.tag(text, day)


def test_a_hyphenated_vocabulary_phrase_reads_like_the_spaced_one() -> None:
    spaced = [(t.type, t.value) for t in TAGGER.tag("Prices may fall in the short term.", date(2024, 6, 19))]
    hyphen = [(t.type, t.value) for t in TAGGER.tag("Prices may fall in the short-term.", date(2024, 6, 19))]
    assert spaced and hyphen == spaced


def test_a_date_beyond_the_calendar_is_skipped_not_raised() -> None:
    """'yesterday' of 0001-01-01 has no date: not tagged as one; other expressions still are."""
    timexes = TAGGER.tag("Yesterday the talks began; on 19 June 2024 they ended.", date.min)
    assert "yesterday" not in [t.text.lower() for t in timexes]
    assert "2024-06-19" in [t.value for t in timexes]
