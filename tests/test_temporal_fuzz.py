"""The tagger never raises, whatever its own vocabulary is combined into.

Its patterns accept more spellings than its tables list ("the short-term" for "the short term",
"SHORT  TERM", "twentyone"), and it does calendar arithmetic relative to any publication date, the
first and last days Python's calendar has included. Text built from the tagger's own words (every
table of ``data/temporal.json`` and every example its rules must read), in any case, joined by
spaces, runs of white space, hyphens, punctuation or nothing at all, with "the", digits and signal
words between them, inside quotations, after a wire dateline or before a clock time, must give
timexes inside the text, never an exception (one raised fails that document), whatever tense the
parser reports, and against any reference date.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from dateline.model import Document
from dateline.timex.rules import RULES
from dateline.timex.tagger import TemporalTagger
from dateline.timex.values import FUTURE, PAST, PRESENT
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
#: every text the rules' own examples must read ("3 p.m.", "the third quarter", "mid-2024"...)
EXAMPLES = sorted({text for rule in RULES for text, _day, _value in rule.examples})
SIGNALS = ["the", "of", "a", "ago", "later", "earlier", "before", "after", "in", "on", "since", "and"]
SEPARATORS = [" ", "  ", "-", " - ", "\n", "\t", ", "]
#: what news text puts between and around such words: punctuation, quotes, dashes, or nothing
PUNCTUATION = ["", ".", ". ", ",", ";", ": ", "(", ") ", "'s ", "’s ", "/", "—", " – ", "...", "!", "? "]
QUOTES = [('"', '"'), ("“", "”"), ("‘", "’"), ("'", "'"), ("«", "»")]

TAGGER = TemporalTagger()


def _cased(word: str, how: int) -> str:
    return [word, word.lower(), word.upper(), word.title(), word.swapcase()][how]


def _mixed_case(word: str, mask: int) -> str:
    """Each letter upper or lower case by a bit of ``mask`` ("tHe ShOrT-tErM")."""
    return "".join(c.upper() if mask >> (i % 32) & 1 else c.lower() for i, c in enumerate(word))


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
#: a token of the tagger's vocabulary glued to digits, respelt with mixed case, or one of its rules'
#: examples, each as news text writes them ("19June", "mid2024", "THE SHORT-term", "3 p.m.")
glued = st.one_of(
    st.builds(lambda w, n: f"{n}{w}", st.sampled_from(VOCABULARY), st.integers(0, 3000)),
    st.builds(lambda w, n: f"{w}{n}", st.sampled_from(VOCABULARY), st.integers(0, 3000)),
    st.builds(_mixed_case, st.sampled_from(VOCABULARY), st.integers(0, 2**32 - 1)),
    st.builds(_cased, st.sampled_from(EXAMPLES), st.integers(0, 4)),
)
#: phrases joined by punctuation (or nothing) as well as by white space and hyphens
punctuated = st.lists(
    st.tuples(st.one_of(token, glued), st.sampled_from(SEPARATORS + PUNCTUATION)), min_size=1, max_size=8
).map(lambda parts: "".join(word + sep for word, sep in parts))
#: the places a text sets its own "today": a quotation and its attribution ("said late Wednesday"), a
#: wire dateline ("MOSCOW, June 19 (AFP) -"), a day the narrative sets before clock times
sentence = st.one_of(
    punctuated,
    st.builds(
        lambda q, inside, said: f"{q[0]}{inside}{q[1]} officials said {said}.",
        st.sampled_from(QUOTES),
        punctuated,
        punctuated,
    ),
    st.builds(
        lambda place, when, agency, rest: f"{place.upper()}, {when} ({agency}) - {rest}",
        st.sampled_from(VOCABULARY),
        punctuated,
        st.sampled_from(["AFP", "Reuters", "AP", "dpa"]),
        punctuated,
    ),
    st.builds(
        lambda when, clock, rest: f"It was {when} when, at {clock}, {rest}",
        punctuated,
        st.sampled_from(["7:37 p.m.", "10am", "3 p.m.", "23.15 pm", "noon", "midnight"]),
        punctuated,
    ),
)
#: a text of several such sentences and paragraphs
article = st.lists(st.tuples(sentence, st.sampled_from([" ", "\n", "\n\n"])), min_size=1, max_size=6).map(
    lambda parts: "".join(text + sep for text, sep in parts).strip()
)
TENSES = [None, PAST, PRESENT, FUTURE]
EDGE_DAYS = [date.min, date.min + timedelta(days=1), date(1, 12, 31), date(9999, 1, 1), date.max]
dct = st.one_of(st.none(), st.sampled_from(EDGE_DAYS), st.dates(), st.just(date(2024, 6, 19)))


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(first=phrase, second=phrase, day=dct)
def test_the_tagger_never_raises_on_its_own_vocabulary(first: str, second: str, day: date | None) -> None:
    text = f"{first} the talks began, officials said {second}. {first.capitalize()}."
    for timex in TAGGER.tag(text, day):
        assert 0 <= timex.start < timex.end <= len(text)
        assert text[timex.start : timex.end] == timex.text


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=article, first=dct, second=dct, tenses=st.lists(st.sampled_from(TENSES), min_size=1, max_size=5))
def test_any_text_of_its_vocabulary_resolves_against_any_day_and_tense(
    text: str, first: date | None, second: date | None, tenses: list[str | None]
) -> None:
    """Scanned once and resolved twice (the extractor resolves one scan for the publication date,
    then for the events), with the tenses a parser may report for any expression."""

    def tense_of(start: int, end: int) -> str | None:
        return tenses[(start * 31 + end) % len(tenses)]

    scanned = TAGGER.scan(text)
    for day in (first, second):
        for tense in (tense_of, None):
            for timex in TAGGER.resolve(scanned, day, tense):
                assert 0 <= timex.start < timex.end <= len(text)
                assert text[timex.start : timex.end] == timex.text


def _words(table: object) -> set[str]:
    """Every word of a vocabulary, whatever its layout (keys and values, at any depth)."""
    if isinstance(table, str):
        return {table} if table.isalpha() and len(table) > 2 else set()
    if isinstance(table, dict):
        return {w for k, v in table.items() for w in _words(k) | _words(v)}
    if isinstance(table, list):
        return {w for item in table for w in _words(item)}
    return set()


#: the event vocabulary (data/triggers.json), so the extractor's event rules run on these texts too
EVENT_WORDS = sorted(_words(load("triggers")))
reported = st.one_of(
    st.builds(lambda word, when: f"The {word} came {when}.", st.sampled_from(EVENT_WORDS), punctuated),
    st.builds(lambda word, when: f"Officials {word}ed {when}.", st.sampled_from(EVENT_WORDS), punctuated),
)
news = st.lists(
    st.tuples(st.one_of(reported, sentence), st.sampled_from([" ", "\n"])), min_size=1, max_size=5
).map(lambda parts: "".join(text + sep for text, sep in parts).strip())
#: publication days a document can have: none, the calendar's first days, any day up to today
published_day = st.one_of(st.none(), st.sampled_from(EDGE_DAYS[:3]), st.dates(max_value=date.today()))


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=news, day=published_day)
def test_the_whole_extraction_never_raises_on_it_either(extractor: Any, text: str, day: date | None) -> None:
    """The same texts, with event words, through the extractor (parse, publication date, tagger with
    the parse's tenses, event rules): the path the real article that raised took. (A document's
    given date is never after today: intake refuses it.)"""
    assume(text.strip())
    result = extractor.extract(Document(id="fuzz", text=text, published=day))
    for mention in result.mentions:
        assert 0 <= mention.start < mention.end <= len(text)


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
        ('MOSCOW, June 19 (AFP) - "We met yesterday," he said late Wednesday.', date.min),
        ("It was Thursday night when, at 7:37 p.m., the jury returned.", date.max),
        ("“Today's verdict proves it,” she said Tuesday. The Short-Term goal, the LONG-term one.", date.min),
        ("The 19June2024 talks; mid2024, THE-SHORT-TERM, last-week's vote.", date(1, 1, 3)),
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
