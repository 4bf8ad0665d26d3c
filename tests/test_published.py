"""Publication dates: given metadata wins, then a date the page states, then one inferred from the text."""

from __future__ import annotations

from datetime import date

import pytest

from dateline.intake.clean import clean
from dateline.intake.published import publication
from dateline.model import Document, Published

BODY = (
    "Russian President Vladimir Putin arrived in Pyongyang on 19 June 2024 for his first visit to North "
    "Korea in 24 years, and the two leaders signed a partnership treaty the same day."
)
UNDATED_BODY = (
    "Analysts in Seoul say the partnership between the two countries has deepened steadily, and that the "
    "exchange of weapons for technology worries governments across the region."
)


def pub(value: str | None, basis: str) -> Published:
    return Published(date.fromisoformat(value) if value else None, basis)


CASES = [
    pytest.param(
        Document("given", f"15 November 2024\n\n{BODY}\n", published=pub("2024-06-20", "given")),
        pub("2024-06-20", "given"),
        id="given-metadata-wins",
    ),
    pytest.param(
        Document("byline", f"By Jane Doe\n15 November 2024\n\n{BODY}\n"),
        pub("2024-11-15", "stated"),
        id="byline-date-line",
    ),
    pytest.param(
        Document("header", f"Prospects & Perspectives No. 65 November 26, 2024\n\n{BODY}\n"),
        pub("2024-11-26", "stated"),
        id="series-header-with-number",
    ),
    pytest.param(
        Document("us-byline", f"By Ingrid Sæther, Nordic Correspondent\nMarch 3, 2025\n\n{BODY}\n"),
        pub("2025-03-03", "stated"),
        id="month-day-year-byline",
    ),
    pytest.param(
        Document("weekday-header", f"Tuesday, 5 November 2024\n\n{BODY}\n"),
        pub("2024-11-05", "stated"),
        id="weekday-date-header",
    ),
    pytest.param(
        Document(
            "first-published",
            f"{BODY}\n\nA version of this essay appeared in Foreign Affairs; the magazine first published it "
            "on November 5, 2024.\n",
        ),
        pub("2024-11-05", "stated"),
        id="magazine-first-published-it",
    ),
    pytest.param(
        Document("posted-on", f"Posted on 3 March 2025\n\n{BODY}\n"),
        pub("2025-03-03", "stated"),
        id="posted-on",
    ),
    pytest.param(
        Document("updated", f"{BODY}\n\nUpdated: 12 March 2025 10:31\n"),
        pub("2025-03-12", "stated"),
        id="updated-with-time",
    ),
    pytest.param(
        Document("copyright-only", f"{UNDATED_BODY}\n\nCopyright ©2024 Example Media\n"),
        pub(None, "unknown"),
        id="copyright-year-alone-is-not-a-date",
    ),
    pytest.param(
        Document("copyright-and-body", f"{BODY}\n\nCopyright ©2024 Example Media\n"),
        pub("2024-06-19", "inferred"),
        id="copyright-year-ignored-body-date-inferred",
    ),
    pytest.param(
        Document(
            "body-only",
            "North Korea sent thousands of troops to Russia's Kursk region on 12 October 2024, and Ukrainian "
            "forces first engaged them on 4 November 2024, officials in Kyiv said.\n",
        ),
        pub("2024-11-04", "inferred"),
        id="latest-reported-day-inferred",
    ),
    pytest.param(
        Document(
            "body-month",
            "The two governments signed the agreement in June 2024, and parliament in Moscow ratified the "
            "treaty in November 2024 after a short debate.\n",
        ),
        pub("2024-11-30", "inferred"),
        id="latest-reported-month-inferred-at-its-end",
    ),
    pytest.param(
        Document(
            "future-ignored",
            "The two governments signed the agreement on 3 July 2024. Elections will be held on 5 March "
            "2026, the electoral commission said in a statement.\n",
        ),
        pub("2024-07-03", "inferred"),
        id="future-date-not-a-lower-bound",
    ),
    pytest.param(
        Document(
            "bare-month",
            "The two governments signed the agreement on 3 July 2024 after months of talks. In October, "
            "thousands of troops arrived in the Kursk region, according to officials in Seoul.\n",
        ),
        pub("2024-10-31", "inferred"),
        id="later-bare-month-pushes-inference",
    ),
    pytest.param(
        Document("nothing", f"{UNDATED_BODY}\n"),
        pub(None, "unknown"),
        id="no-date-at-all",
    ),
]


@pytest.mark.parametrize(("doc", "expected"), CASES)
def test_publication(doc: Document, expected: Published) -> None:
    assert publication(doc, clean(doc.text)) == expected


def test_given_metadata_is_returned_unchanged() -> None:
    given = Published(date(2024, 6, 20), "given")
    doc = Document("d", "Published on 15 November 2024\n\n" + BODY, published=given)
    assert publication(doc, clean(doc.text)) is given
