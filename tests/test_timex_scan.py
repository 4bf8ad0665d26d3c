"""Each text is scanned for dates once: the scan (every rule's matches) depends on the text alone, and
one scan serves every resolution of it, against no reference date (the publication date) or the
publication date (the events' dates)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
import spacy

import dateline.timex.component  # noqa: F401  (registers the spaCy factory)
from dateline.events.extractor import PART_CHARS, split_parts
from dateline.intake import published
from dateline.intake.clean import clean
from dateline.intake.published import publication, stated_date
from dateline.model import Document
from dateline.timex.tagger import Scan, TemporalTagger, resolve, scan, tag

TEXTS = [
    "The talks opened on 3 March 2024. Two days later they ended; a vote is due in June.",
    "Shares fell 3% in the third quarter. The quarter before, they rose. Last Monday, trading resumed.",
    "He said on Friday that the treaty, signed in the summer of 1998, lapses next year.",
]
DAYS = [None, date(2024, 11, 5), date(1998, 2, 10)]

#: a paragraph that reports a past date, long enough that a document of many is parsed in parts
PARAGRAPH = (
    "The two governments signed the agreement on 3 July 2024 after months of talks, officials said. "
    "In October, thousands of troops arrived in the region, according to officials in the capital. "
) * 3
#: distinct paragraphs (repeated ones are dropped by cleaning), more than PART_CHARS of them
LONG = "\n\n".join(
    f"In round {n} of the talks, held on {n % 28 + 1} March 2024, delegation {n} met envoy {n + 7} "
    f"and discussed proposal {n * 3}, which officials from {n} ministries had reviewed on the day before. "
    f"Observers counted {n * 11} questions and {n * 13} answers, according to minutes released later."
    for n in range(1, 80)
)


@pytest.fixture
def scans(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The texts scanned from now on (every tagger's scans, counted)."""
    seen: list[str] = []
    original = TemporalTagger.scan

    def counted(self: TemporalTagger, text: str) -> Scan:
        seen.append(text)
        return original(self, text)

    monkeypatch.setattr(TemporalTagger, "scan", counted)
    return seen


def _rows(timexes: list[Any]) -> list[tuple[Any, ...]]:
    return [(t.start, t.end, t.type, t.value, t.mod, t.date, t.signal, t.relative, t.rule) for t in timexes]


@pytest.mark.parametrize("text", TEXTS)
def test_one_scan_resolves_like_tagging_against_each_reference_date(text: str) -> None:
    found = scan(text)
    for day in DAYS:
        assert _rows(resolve(found, day)) == _rows(tag(text, day))


@pytest.mark.parametrize(
    ("text", "basis", "parts", "lines"),
    [
        pytest.param(PARAGRAPH, "inferred", 1, [], id="inferred"),
        # the page's header line, which cleaning drops, is read on its own for the stated date
        pytest.param(
            "Published on 15 November 2024\n\n" + PARAGRAPH,
            "stated",
            1,
            ["Published on 15 November 2024"],
            id="stated",
        ),
        # parsed in parts of at most PART_CHARS, joined again before the date tagger reads them
        pytest.param(LONG, "inferred", 2, [], id="parsed-in-parts"),
    ],
)
def test_the_extractor_scans_each_cleaned_text_once(
    extractor: Any, scans: list[str], text: str, basis: str, parts: int, lines: list[str]
) -> None:
    ct = clean(text)
    assert len(split_parts(ct.text, ct.blocks, PART_CHARS)) == parts
    result = extractor.extract(Document("once", text))
    assert result.document.published.basis == basis
    # one scan of the cleaned text, for the publication date and the component; no body line again
    assert scans == [ct.text, *lines]
    assert result.mentions  # dated by the component, from that scan


def test_publication_resolves_the_scan_it_is_given(scans: list[str]) -> None:
    doc = Document("d", PARAGRAPH)
    ct = clean(doc.text)
    given = scan(ct.text)
    scans.clear()
    assert publication(doc, ct, given) == publication(doc, ct)
    assert scans == [ct.text]  # only the call without a scan made one
    with pytest.raises(ValueError, match="not of the cleaned text"):
        publication(doc, ct, scan("another text"))


def test_the_component_resolves_a_handed_scan_and_clears_it(scans: list[str]) -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("dateline_dates")
    text = TEXTS[0]
    doc = nlp.make_doc(text)
    doc._.dct = date(2024, 11, 5)
    doc._.timex_scan = scan(text)
    doc = nlp(doc)
    assert scans == [text]  # the scan handed over; the component made none
    assert doc._.timex_scan is None
    assert [s._.timex.value for s in doc.spans["timex"]] == [t.value for t in tag(text, date(2024, 11, 5))]


def test_the_component_scans_again_when_handed_another_texts_scan(scans: list[str]) -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("dateline_dates")
    doc = nlp.make_doc(TEXTS[1])
    doc._.timex_scan = scan(TEXTS[0])
    doc = nlp(doc)
    assert scans == [TEXTS[0], TEXTS[1]]
    assert "the third quarter" in [s.text for s in doc.spans["timex"]]


def test_stated_date_tags_only_the_lines_that_can_state_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """The body's paragraphs are tagged once, cleaned: a line is tagged for the stated date only when
    it can state it (a short header line of the page's head, a publication cue, an update line)."""
    tagged: list[str] = []
    real: Callable[..., Any] = published.tag

    def recording(text: str, dct: date | None) -> Any:
        tagged.append(text)
        return real(text, dct)

    monkeypatch.setattr(published, "tag", recording)
    page = (
        "By A. Writer, 14 November 2024\n\n"
        + PARAGRAPH
        + "\n\nThe story first appeared on 15 November 2024.\n\n"
        + PARAGRAPH
    )
    assert stated_date(page, clean(page)) == date(2024, 11, 15)
    assert tagged == ["By A. Writer, 14 November 2024", "The story first appeared on 15 November 2024."]
