"""Article text out of a scraped page: furniture dropped with a reason, prose kept once, markup read through,
and every kept span traceable to the original text."""

from __future__ import annotations

import re

import pytest

from dateline.intake.clean import CleanText, clean, line_reason

PROSE = (
    "Russian President Vladimir Putin arrived in Pyongyang on 19 June 2024 for his first visit to North "
    "Korea in 24 years."
)

# --------------------------------------------------------------------------------------------------
# one line of page furniture -> the reason it is dropped
# --------------------------------------------------------------------------------------------------

FURNITURE = [
    pytest.param("We use cookies to improve your browsing experience.", "cookies", id="cookie-notice"),
    pytest.param(
        "By continuing to browse you accept our use of cookies and our Cookie Policy.",
        "cookies",
        id="cookie-consent",
    ),
    pytest.param("Privacy Policy", "cookies", id="privacy-policy-link"),
    pytest.param(
        "Copyright © 2024 S. Rajaratnam School of International Studies", "copyright", id="copyright-line"
    ),
    pytest.param("Copyright ©2024 Example Media", "copyright", id="copyright-no-space"),
    pytest.param("© 2024 Eurasia Trade Monitor GmbH. All rights reserved.", "copyright", id="copyright-sign"),
    pytest.param("All rights reserved.", "copyright", id="all-rights-reserved"),
    pytest.param("Article printed from www.example.com", "copyright", id="article-printed-from"),
    pytest.param("Tel: 886-2-23654366", "contact", id="telephone-taiwan"),
    pytest.param("Tel: 65 6790 6982", "contact", id="telephone-singapore"),
    pytest.param("Phone: +49 30 2021 1998", "contact", id="phone-international"),
    pytest.param("Email: editors@example.org", "contact", id="email-address"),
    pytest.param("50 Nanyang Avenue,", "address", id="street-address"),
    pytest.param("Singapore 639798", "address", id="city-postal-code"),
    pytest.param("Block S4, Level B3,", "address", id="block-level"),
    pytest.param("123456", "widget", id="rating-digits"),
    pytest.param("Reading Time: 5 mins", "widget", id="reading-time"),
    pytest.param("5 min read", "widget", id="minutes-read"),
    pytest.param("Share", "widget", id="share"),
    pytest.param("Share this", "widget", id="share-this"),
    pytest.param("Subscribe to our newsletter", "widget", id="subscribe"),
    pytest.param("Follow us on X and LinkedIn", "widget", id="follow-us"),
    pytest.param("Photo credit: Reuters/Kim Hong-Ji", "widget", id="photo-credit"),
    pytest.param("Source: Reuters", "widget", id="source-line"),
    pytest.param("Categories: Politics, East Asia", "widget", id="categories"),
    pytest.param("Advertisement", "widget", id="advertisement"),
    pytest.param("Related articles", "teaser", id="related-articles"),
    pytest.param(
        "Related: Kestoria's central bank holds rates | Steel prices slide in Asia",
        "teaser",
        id="related-links-run",
    ),
    pytest.param(
        "- Karvenia jails British-Canadian reporter for 11 years (14 Aug 2024)", "teaser", id="teaser-item"
    ),
    pytest.param("Red warning issued for the Lusk basin - 3 October 2025", "teaser", id="teaser-dash-date"),
    pytest.param("Sign up to our Morning Briefing newsletter [Sign up]", "widget", id="newsletter"),
    pytest.param(
        "Owen Pritchard has covered central Europe for the Post since 2019.", "author_bio", id="author-bio"
    ),
    pytest.param(
        "The views expressed in this article are the author's own and do not reflect the official "
        "position of the institute.",
        "disclaimer",
        id="views-expressed-disclaimer",
    ),
    pytest.param(
        "The opinions expressed here do not necessarily represent those of the publisher.",
        "disclaimer",
        id="opinions-disclaimer",
    ),
    pytest.param("Editor's note: this commentary has been updated.", "disclaimer", id="editors-note"),
    pytest.param(
        "This article was first published on East Asia Forum.", "publication_note", id="first-published"
    ),
    pytest.param("Originally published in Foreign Affairs.", "publication_note", id="originally-published"),
    pytest.param("Published on 15 November 2024", "publication_note", id="published-on"),
    pytest.param("Updated: 12 March 2025 10:31", "publication_note", id="updated"),
    pytest.param(
        "This article was automatically translated from Korean.", "publication_note", id="machine-translated"
    ),
]


@pytest.mark.parametrize(("line", "reason"), FURNITURE)
def test_furniture_line_reason(line: str, reason: str) -> None:
    assert line_reason(line) == reason


@pytest.mark.parametrize(("line", "reason"), FURNITURE)
def test_furniture_dropped_from_page(line: str, reason: str) -> None:
    page = f"{PROSE}\n\n{line}\n\n{PROSE.replace('Putin', 'Vladimir Putin')}\n"
    ct = clean(page)
    start = page.index(line)
    assert (start, start + len(line), reason) in ct.dropped
    assert line not in ct.text


# lines that no single pattern names but that are not article prose either
NOT_PROSE = [
    pytest.param("Home | World | Business | Markets | Opinion | Subscribe | Sign in", id="nav-menu-run"),
    pytest.param("Share: Facebook | X | LinkedIn | Email | Print", id="share-bar"),
    pytest.param("IntroductionBuilding the FoundationsWelcome to the Programme", id="glued-menu-items"),
    pytest.param("* [News](https://example.org/news)", id="menu-bullet-link"),
    pytest.param("[Skip to main content](#main)", id="skip-link"),
    pytest.param("# Russia and North Korea sign defence pact", id="heading"),
    pytest.param("By Jane Doe, Seoul Correspondent", id="byline"),
    pytest.param("Rate this article", id="rating-prompt"),
    pytest.param("Watch: Fire Crews Battle The Blaze.", id="short-title-case-line"),
]


@pytest.mark.parametrize("line", NOT_PROSE)
def test_not_prose_dropped(line: str) -> None:
    page = f"{PROSE}\n\n{line}\n"
    ct = clean(page)
    start = page.index(line)
    assert [(s, reason) for s, _, reason in ct.dropped] == [(start, "not prose")]
    assert ct.text == PROSE


# --------------------------------------------------------------------------------------------------
# article prose is kept, including sentences that merely contain furniture words
# --------------------------------------------------------------------------------------------------

PROSE_KEPT = [
    pytest.param(PROSE, id="plain-sentence"),
    pytest.param(
        "Share prices in Seoul fell sharply on Monday after the missile launch.", id="share-prices-not-widget"
    ),
    pytest.param(
        "Officials said phone lines in the province were cut for 12 hours after the earthquake.",
        id="phone-lines-not-contact",
    ),
    pytest.param(
        "Contact between the two militaries was suspended in 2018 and has not resumed since.",
        id="contact-not-contact-line",
    ),
    pytest.param(
        "Published reports in Seoul said the troops had arrived in Russia in October.",
        id="published-reports-not-publication-note",
    ),
    pytest.param(
        "The court ruled in March that the copyright claim against the newspaper had no merit.",
        id="copyright-dispute-not-copyright-line",
    ),
    pytest.param(
        "The minister said the views expressed by the opposition leader were irresponsible.",
        id="views-expressed-in-reported-speech",
    ),
    pytest.param(
        "Chinese President Xi Jinping visited Hanoi in December 2023.",
        id="names-heavy-short-sentence",
    ),
    pytest.param(
        "South Korean President Yoon Suk Yeol met Japanese Prime Minister Fumio Kishida in Tokyo on "
        "Thursday.",
        id="names-heavy-lead-sentence",
    ),
    pytest.param(
        "No. 10 Downing Street said on Monday that the prime minister would travel to Washington.",
        id="no-10-downing-street",
    ),
    pytest.param("Police arrested him on Friday.", id="a-short-paragraph"),
    pytest.param("Floods hit Spain on 29 October 2024.", id="a-short-paragraph-of-names"),
]


@pytest.mark.parametrize("line", PROSE_KEPT)
def test_prose_kept(line: str) -> None:
    ct = clean(f"{line}\n")
    assert ct.dropped == []
    assert ct.text == line


# --------------------------------------------------------------------------------------------------
# a realistic scraped page
# --------------------------------------------------------------------------------------------------

P1 = (
    "Russian President Vladimir Putin arrived in Pyongyang on 19 June 2024 for his first visit to "
    "North Korea in 24 years, and the two leaders signed a "
    "[Comprehensive Strategic Partnership](https://example.org/treaty) treaty the same day."
)
P2 = (
    'The treaty **commits each side** to provide military assistance "without delay" if the other is '
    "attacked, according to the text published by *KCNA*, the state news agency."
)
P3_LINE1 = (
    "In October 2024, North Korea sent thousands of troops to Russia's Kursk region, South Korean "
    "intelligence said,"
)
P3_LINE2 = "and Ukraine confirmed the first encounters with them on 4 November."
DISCLAIMER = (
    "The views expressed in this article are the author's own and do not reflect the official position "
    "of the institute."
)

PAGE = f"""[Skip to main content](#main)
Home | World | Asia | Opinion | Podcasts | Subscribe | Sign in
* [News](https://example.org/news)
* [Analysis](https://example.org/analysis)

# Russia and North Korea sign mutual defence pact

Reading Time: 5 mins
By Jane Doe
15 November 2024
Share

{P1}

{P2}

{P3_LINE1}
{P3_LINE2}

Rate this article
123456

{P1}

{DISCLAIMER}
This article was first published on East Asia Forum.
We use cookies to improve your browsing experience. By continuing you accept our cookie policy.
Copyright © 2024 Example Media. All rights reserved.
50 Nanyang Avenue,
Singapore 639798
Tel: 65 6790 6982
"""

VISIBLE_P1 = P1.replace(
    "[Comprehensive Strategic Partnership](https://example.org/treaty)", "Comprehensive Strategic Partnership"
)
VISIBLE_P2 = P2.replace("**", "").replace("*", "")
VISIBLE_P3 = f"{P3_LINE1} {P3_LINE2}"

_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")


def fold(s: str) -> str:
    """The scorer's comparison: link syntax read through, no * or #, white space collapsed."""
    s = _LINK.sub(r"\1", s).replace("*", "").replace("#", "")
    return re.sub(r"\s+", " ", s).strip()


@pytest.fixture(scope="module")
def page() -> CleanText:
    return clean(PAGE)


def test_page_keeps_the_three_paragraphs_in_order(page: CleanText) -> None:
    assert page.text == f"{VISIBLE_P1}\n\n{VISIBLE_P2}\n\n{VISIBLE_P3}"


def test_page_drop_reasons(page: CleanText) -> None:
    reasons = {page.original[s:e]: r for s, e, r in page.dropped}
    assert reasons["Reading Time: 5 mins"] == "widget"
    assert reasons["Share"] == "widget"
    assert reasons["123456"] == "widget"
    assert reasons["Copyright © 2024 Example Media. All rights reserved."] == "copyright"
    assert reasons["50 Nanyang Avenue,"] == "address"
    assert reasons["Singapore 639798"] == "address"
    assert reasons["Tel: 65 6790 6982"] == "contact"
    assert reasons["This article was first published on East Asia Forum."] == "publication_note"
    assert reasons["Home | World | Asia | Opinion | Podcasts | Subscribe | Sign in"] == "not prose"
    assert reasons[P1] == "repeated"
    for s, e, _ in page.dropped:
        assert "\n" not in page.original[s:e]


def test_repeated_paragraph_kept_once_at_its_first_place(page: CleanText) -> None:
    assert page.text.count("Russian President Vladimir Putin arrived") == 1
    first = page.blocks[0]
    assert (first.orig_start, first.orig_end) == (PAGE.index(P1), PAGE.index(P1) + len(P1))


def test_markup_read_through(page: CleanText) -> None:
    assert "signed a Comprehensive Strategic Partnership treaty" in page.text
    assert "The treaty commits each side to provide" in page.text
    assert "published by KCNA, the state" in page.text
    for mark in ("[", "](", "https://", "*", "#"):
        assert mark not in page.text


def _paragraphs(page: CleanText) -> list[tuple[int, int]]:
    """(start, end) of each paragraph of the cleaned text."""
    return [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", page.text)]


def test_wrapped_line_joined_into_one_paragraph(page: CleanText) -> None:
    """A paragraph wrapped over two lines is one paragraph (one block): sentences never cross blocks."""
    assert "intelligence said, and Ukraine confirmed" in page.text
    assert [(b.start, b.end) for b in page.blocks] == _paragraphs(page)
    block = page.blocks[-1]
    assert page.text[block.start : block.end] == VISIBLE_P3
    assert PAGE[block.orig_start : block.orig_end] == f"{P3_LINE1}\n{P3_LINE2}"


def test_block_quotes_are_the_original_lines(page: CleanText) -> None:
    originals = [P1, P2, f"{P3_LINE1}\n{P3_LINE2}"]
    for (p_start, p_end), original in zip(_paragraphs(page), originals, strict=True):
        text, start, end = page.quote(p_start, p_end)
        assert text == original
        assert PAGE[start:end] == original


def _word_bounds(text: str, start: int, end: int) -> tuple[list[int], list[int]]:
    words = [m for m in re.finditer(r"\S+", text[start:end])]
    return [start + m.start() for m in words], [start + m.end() for m in words]


def _links(page: CleanText) -> list[tuple[int, int]]:
    out = []
    for m in _LINK.finditer(PAGE):
        visible = m.group(1)
        i = page.text.find(visible)
        if i >= 0:
            out.append((i, i + len(visible)))
    return out


def test_every_kept_span_quotes_the_original(page: CleanText) -> None:
    """For any kept span that does not cut through a link, the original quote folds to the cleaned span."""
    links = _links(page)
    assert links, "the page has a link in its kept text"
    checked = 0
    for p_start, p_end in _paragraphs(page):
        starts, ends = _word_bounds(page.text, p_start, p_end)
        for s in starts:
            for e in ends:
                if e <= s:
                    continue
                if any(s < le and ls < e and not (s <= ls and le <= e) for ls, le in links):
                    continue  # starts or ends inside a link's text
                quote, o_start, o_end = page.quote(s, e)
                assert PAGE[o_start:o_end] == quote
                assert fold(quote) == fold(page.text[s:e]), (page.text[s:e], quote)
                checked += 1
    assert checked > 1000


def test_spans_inside_link_text_quote_their_words(page: CleanText) -> None:
    for ls, le in _links(page):
        starts, ends = _word_bounds(page.text, ls, le)
        for s in starts:
            for e in ends:
                if e > s:
                    quote, _, _ = page.quote(s, e)
                    assert page.text[s:e] in quote


def test_sentence_quotes_fold_to_the_cleaned_sentence(page: CleanText) -> None:
    for p_start, p_end in _paragraphs(page):
        pos = p_start
        for m in re.finditer(r"[^.]+\.", page.text[p_start:p_end]):
            s = p_start + m.start() + (len(m.group()) - len(m.group().lstrip()))
            e = p_start + m.end()
            quote, _, _ = page.quote(s, e)
            assert fold(quote) == fold(page.text[s:e])
            pos = e
        assert pos == p_end


def test_empty_and_furniture_only_pages() -> None:
    assert clean("").text == ""
    ct = clean("Share\n123456\nCopyright © 2024 Example Media\n")
    assert ct.text == ""
    assert ct.blocks == []
    assert [r for _, _, r in ct.dropped] == ["widget", "widget", "copyright"]
