"""The tagger's vocabularies, read from ``data/temporal.json``, and the readers of the words they list.

Every table is looked up by the form its patterns match (see :func:`dateline.vocab.alternation`): a
phrase's spaces may be any white space or hyphens, its hyphens anything of the kind or nothing, in
any case. The word lists are data; what this module adds is how a matched word becomes a number.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from dateline.vocab import load


def _word_key(text: str) -> str:
    """The form a word is looked up in by: its patterns (:func:`dateline.vocab.alternation`) let a
    phrase's spaces be any white space or hyphens and its hyphens be anything of the kind or nothing,
    in any case, so "The short-term" and "THE  SHORT TERM" are the table's "the short term"."""
    return re.sub(r"[\s-]+", "", text.lower())


class _WordTable(dict[str, Any]):
    """A vocabulary table (iterated as written) whose lookups go through :func:`_word_key`: every
    spelling the patterns match is found (a KeyError here would kill a whole batch)."""

    def __init__(self, table: Mapping[str, Any]) -> None:
        super().__init__(table)
        self._by_key = {_word_key(k): v for k, v in table.items()}

    def __getitem__(self, word: str) -> Any:
        return self._by_key[_word_key(word)]

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and _word_key(word) in self._by_key

    def get(self, word: str, default: Any = None) -> Any:
        return self._by_key.get(_word_key(word), default)


class _WordList(list[str]):
    """A vocabulary list whose membership tests go through :func:`_word_key`."""

    def __init__(self, words: Iterable[str]) -> None:
        super().__init__(words)
        self._keys = frozenset(_word_key(w) for w in self)

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and _word_key(word) in self._keys


def _word_tables(tables: Mapping[str, Any]) -> dict[str, Any]:
    return {
        name: _WordTable(t) if isinstance(t, dict) else _WordList(t) if isinstance(t, list) else t
        for name, t in tables.items()
    }


#: every table of ``data/temporal.json``, by its name there
VOCAB = _word_tables(load("temporal"))
SEASON_MONTHS: dict[str, list[int]] = VOCAB["season_months"]
SEASON_NAMES: dict[str, str] = VOCAB["season_names"]
MONTHS: dict[str, int] = VOCAB["months"]
WEEKDAYS: dict[str, int] = VOCAB["weekdays"]
SEASONS: dict[str, str] = VOCAB["seasons"]
ORDINALS: dict[str, int] = VOCAB["ordinals"]
NUMBERS: dict[str, float] = VOCAB["numbers"]
UNITS: dict[str, str] = VOCAB["units"]
MODIFIERS: dict[str, str] = VOCAB["modifiers"]
REL: dict[str, int] = VOCAB["relative_words"]
HOLIDAYS: dict[str, dict[str, Any]] = _WordTable(
    {k: v for k, v in VOCAB["holidays"].items() if not k.startswith("_")}
)


def number(text: str) -> float | None:
    t = re.sub(r"[\s-]+", " ", text.lower()).strip()
    if re.fullmatch(r"\d+(?:\.\d+)?", t):
        return float(t)
    if t in NUMBERS:
        return float(NUMBERS[t])
    parts = t.split()
    if len(parts) == 2 and parts[0] in NUMBERS and parts[1] in NUMBERS:
        return float(NUMBERS[parts[0]] + NUMBERS[parts[1]])
    return None


def year_number(text: str) -> int | None:
    """The year of "1994", "nineteen ninety-four" or "two thousand and one" (None: not a year)."""
    if text.isdigit():
        return int(text)
    words = re.sub(r"[\s-]+", " ", text.lower()).strip()
    if words.startswith("two thousand"):
        rest = re.sub(r"^two thousand(?: and)?", "", words).strip()
        n = number(rest) if rest else 0
        return 2000 + int(n) if n is not None and 0 <= n < 100 else None
    century, _, rest = words.partition(" ")
    n = number(rest)
    if n is None or not 10 <= n <= 99:
        return None
    return (1900 if century == "nineteen" else 2000) + int(n)


def month_number(text: str) -> int:
    return MONTHS[text.lower().rstrip(".")]


def day_number(text: str) -> int:
    return int(re.match(r"\d+", text).group())  # type: ignore[union-attr]


def modifier(text: str | None) -> str | None:
    if not text:
        return None
    return MODIFIERS.get(re.sub(r"[\s-]+", " ", text.lower()).strip())


def unit_name(text: str) -> str:
    t = text.lower()
    t = t[:-1] if t.endswith("s") and t[:-1] in UNITS else t
    t = "century" if t == "centurie" else t
    return t
