"""A person by their age: "the 58-year-old", "the 31-year-old entrepreneur" is the one person the
article gives that age ("Martin Lyle, 58,", "58-year-old Martin Lyle", "Lyle (58)").

News names a person once with their age and then often by the age alone; read by
:mod:`dateline.events.participants` (the actors of an event).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from spacy.tokens import Doc, Span, Token

#: "58-year-old" as the small model splits it: the number, then "-year-old" (or "year old")
_AGED = re.compile(r"(\d{1,3})\s*-?\s*years?\s*-?\s*old\b", re.I)
#: how many words may stand between "58-year-old" and the name it describes ("58-year-old former
#: chief executive Martin Lyle")
_TITLE_WORDS = 4
#: the oldest age read as one
_MAX_AGE = 120


def ages(doc: Doc, persons: list[Span], name_of: Callable[[Span], str | None]) -> dict[int, list[str]]:
    """Age -> the people the article gives that age, each once: by a number set off after the name
    ("Lyle, 58," or "Lyle (58)") or a "58-year-old" before it."""
    out: dict[int, list[str]] = {}
    for e in persons:
        age = _after(doc, e) or _before(doc, e)
        name = name_of(e) if age is not None else None
        if age is not None and name is not None and name not in out.setdefault(age, []):
            out[age].append(name)
    return out


def _after(doc: Doc, e: Span) -> int | None:
    if e.end + 2 >= len(doc):
        return None
    opener, number, closer = doc[e.end], doc[e.end + 1], doc[e.end + 2]
    if (opener.text, closer.text) not in ((",", ","), ("(", ")"), (",", ".")):
        return None
    return _age(number.text)


def _before(doc: Doc, e: Span) -> int | None:
    words = doc[max(0, e.start - _TITLE_WORDS - 5) : e.start].text
    found = list(_AGED.finditer(words))
    if not found:
        return None
    between = words[found[-1].end() :].split()
    return _age(found[-1].group(1)) if len(between) <= _TITLE_WORDS else None


def _age(text: str) -> int | None:
    return int(text) if text.isdigit() and 0 < int(text) <= _MAX_AGE else None


def described_age(tok: Token) -> int | None:
    """The age a definite description gives its person by ("the 58-year-old", "the 31-year-old
    entrepreneur"), or None."""
    phrase = tok.doc[tok.left_edge.i : tok.i + 1]
    if not phrase or phrase[0].lower_ != "the":
        return None
    found = _AGED.search(phrase.text)
    if found is None or found.end() < len(phrase.text) - 40:
        return None
    return _age(found.group(1))
