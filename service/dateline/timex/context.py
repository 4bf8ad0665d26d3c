"""Second looks at a match: is it a time expression where it stands, or a name, a count, a rate?

A rule's pattern finds every spelling of a date; its ``accept`` check (:mod:`dateline.timex.rules`)
reads the words around the match and drops what is no date there: "May" the name, "2000 soldiers",
"USA Today", "44-year-old", "$1.76 a year".
"""

from __future__ import annotations

import re

from dateline.timex.lexicon import VOCAB


def capitalised(m: re.Match[str], group: str) -> bool:
    s = m.group(group)
    return bool(s) and s[0].isupper()


_TEMPORAL_PREP = re.compile(
    r"(?:\b(?:"
    + "|".join(re.escape(p) for p in VOCAB["temporal_prepositions"])
    + r"|early|late|mid|last|next|this|"
    r"past|until|of|and|or|between)\s+(?:the\s+)?$)",
    re.I,
)


def month_context(m: re.Match[str], text: str, group: str = "mon") -> bool:
    """A lone month name is a date only when capitalised and, for "May"/"March"..., after a signal word."""
    word = m.group(group)
    if not word or not word[0].isupper():
        return False
    key = word.lower().rstrip(".")
    before = text[max(0, m.start() - 25) : m.start()]
    if key in VOCAB["ambiguous_months"] or word.endswith("."):
        if re.match(r"\s+[A-Z][a-z]", text[m.end() : m.end() + 4]) and not word.endswith("."):
            return False  # "Jan Kavan", "May Day"
        return bool(_TEMPORAL_PREP.search(before))
    after = text[m.end() : m.end() + 20]
    # "June Carter": a capitalised word after a month name makes it a name
    return not re.match(r"\s+[A-Z][a-z]", after) or bool(_TEMPORAL_PREP.search(before))


def year_context(m: re.Match[str], text: str) -> bool:
    """A four-digit number is a year unless it counts something ("2000 soldiers") or is page furniture."""
    before = text[max(0, m.start() - 12) : m.start()]
    after = text[m.end() : m.end() + 15]
    if re.search(r"(?:[$€£¥#©]|\bUS|\bNo\.?|\bNo\s|\bTel:?|\bFax:?|\bph\.?|[\d,.]-?)\s*$", before, re.I):
        return False
    if re.match(r"\s*(?:-|–)\s*\d", after) and not re.search(r"\b(?:from|between)\s+$", before, re.I):
        return bool(re.match(r"\s*(?:-|–)\s*(?:\d{2}|\d{4})\b", after)) and bool(
            re.search(r"\b(?:in|the|of|since|for)\s+$", before, re.I)
        )
    nxt = re.match(r"\s+([a-z]+)", after)
    if nxt and nxt.group(1).endswith("s") and nxt.group(1) not in _NOT_COUNTED:
        return False  # "2000 soldiers"
    return not re.match(
        r"\s*(?:%|percent|per\b|km|kg|mm|m\b|feet|miles|metres|meters|tons|tonnes|barrels)", after
    )


_NOT_COUNTED = {
    "was",
    "is",
    "has",
    "as",
    "its",
    "this",
    "his",
    "does",
    "plus",
    "thus",
    "versus",
}


_FUNCTION_WORDS = frozenset(
    {"and", "or", "but", "to", "in", "on", "at", "for", "by", "from", "since", "with", "as", "of"}
    | {"the", "a", "an", "than", "so", "if", "when", "while", "until"}
)


def set_adverb_context(m: re.Match[str], text: str) -> bool:
    """ "paid annually" is a set; "quarterly dividends" is an adjective, no time expression.

    "a daily rally", "his weekly radio address" are sets all the same (TimeML annotates them).
    """
    if not m.group("adv"):
        return True
    if m.group("adv").lower() in VOCAB["adjectival_sets"]:
        return True
    nxt = re.match(r"\s+([a-z]+)", text[m.end() : m.end() + 20])
    return nxt is None or nxt.group(1) in _FUNCTION_WORDS


_RATE_BEFORE = re.compile(
    r"(?:\d[\d,.]*|\bmillion|\bbillion|\bpercent|%|\bcents?|\bdollars?)\s+(?:[a-z]+\s+){0,2}$|[\d%]\s*$"
)


def part_of_a_name(m: re.Match[str], text: str, group: str | int) -> bool:
    """ "USA Today", "the Arab Spring", "Spring of Life": a capitalised time word that ends or starts
    a proper name, not a date. A capital after a sentence break proves nothing."""
    word = m.group(group)
    if not word[:1].isupper():
        return False
    before = text[max(0, m.start(group) - 30) : m.start(group)]
    after_name = re.search(r"(?<![.!?])\b[A-Z][\w.&'-]*\s+$", before) and not re.search(r"[.!?:]\s+$", before)
    return bool(after_name or re.match(r"\s+of\s+[A-Z]", text[m.end(group) : m.end(group) + 6]))


def title_case_inside_sentence(m: re.Match[str], text: str) -> bool:
    """ "This Week", "60 Minutes": capitalised mid-sentence, a title rather than a time."""
    words = m.group(0).split()
    if len(words) < 2 or not all(w[0].isupper() or w[0].isdigit() for w in words):
        return False
    before = text[max(0, m.start() - 3) : m.start()]
    return not re.search(r"(?:^|[.!?]\s*|\n\s*)$", before)


def duration_context(m: re.Match[str], text: str) -> bool:
    """A span of time, not an age, a fraction, a rate or a year."""
    n, unit, whole = m.group("n").lower(), m.group("unit").lower(), m.group(0).lower()
    if title_case_inside_sentence(m, text):
        return False
    if n in ("a", "an") and unit == "second":
        return False
    if re.match(r"-old\b|\s+old\b", text[m.end() : m.end() + 6]):
        return False  # an age: "44-year-old", "52 years old"
    fraction_of = n in ("a", "an", "one", "three") and re.match(r"s?\s+of\b", text[m.end() - 1 : m.end() + 4])
    if unit.startswith("quarter") and (whole.endswith("-quarters") or fraction_of):
        return False  # a fraction: "three-quarters of its food", "a quarter of the market"
    if re.fullmatch(r"1\d{3}|20\d{2}", n) and not whole.endswith("s"):
        return False  # "the 1988 quarter": a year
    # a rate, not a span: "$1.76 a year", "four flights a week", "24 hours a day"
    return not (n in ("a", "an") and _RATE_BEFORE.search(text[max(0, m.start() - 40) : m.start()]))


#: "the past few years", "the past two weeks": a span, not the deictic "the past"
_PAST_SPAN = re.compile(r"\s+(?:few|\d|two|three|year|month|week|decade)")


def deictic_context(m: re.Match[str], text: str) -> bool:
    """ "now" that is no cause ("now that"), "the past" that is no span ("the past few years": the
    duration rule reads it), "Today" that ends no name ("USA Today"); "once" and "the time" never."""
    word = m.group(0)
    if word == "Today" and part_of_a_name(m, text, 0):
        return False  # "USA Today"
    lower = word.lower()
    if lower == "now":
        return not re.match(r"\s*(?:that|,\s*that)\b", text[m.end() : m.end() + 8])
    if lower == "the past":
        return not _PAST_SPAN.match(text, m.end())  # at m.end(), not on a copy of the rest
    return lower not in ("once", "the time")
