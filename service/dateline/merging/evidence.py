"""The evidence of linking as data and words: the weights and threshold of ``data/linking.json``, the
event word of a trigger (Porter2 stems, related words as one), the kinds that tie like an event word,
the places that hold a place, and the figures of a sentence. :mod:`dateline.merging.linking` weighs
them."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

import snowballstemmer

from dateline.model import Mention
from dateline.vocab import load

# --- the evidence's weights, read once from data/linking.json ------------------------------------


@cache
def _table() -> dict[str, Any]:
    return load("linking")


@cache
def weights() -> dict[str, int]:
    """Evidence -> its weight (``data/linking.json``)."""
    return {k: int(v) for k, v in _table()["weights"].items() if not k.startswith("_")}


@cache
def speaker_types() -> frozenset[str]:
    """The types of event whose agent is part of what they are (``data/linking.json``)."""
    return frozenset(_table()["speaker_types"]["types"])


@cache
def threshold() -> int:
    """The score from which a mention joins a cluster."""
    return int(_table()["threshold"])


@cache
def generic_unkeyed() -> int:
    """The most a generic reference scores from evidence its keys do not carry (see ``generic_keys``)."""
    w = weights()
    return w["base"] + w["same_day"] + w["broader"]


#: the catch-all type: a report whose clause named no kind of event
OTHER = "other"
#: the slot under which typed clusters file their event words for untyped reports to find
ANY_TYPE = "*"


# --- words: the event word, and the figures of a sentence ------------------------------------------

_STEMMER = snowballstemmer.stemmer("english")


@cache
def stem(word: str) -> str:
    """The Porter2 stem: a noun and its verb share it ("resignation" / "resigned", "dismissal")."""
    return str(_STEMMER.stemWord(word.lower()))


@cache
def _related_stems() -> dict[str, str]:
    """stem -> the first stem of its group: words that name one happening ("sack" -> "dismiss")."""
    table: dict[str, str] = {}
    for group in _table()["related"]["groups"]:
        stems = [stem(w) for w in group]
        for st in stems:
            table.setdefault(st, stems[0])
    return table


@cache
def event_word(text: str) -> str:
    """The happening word of a trigger, as the merger compares it: a stem, related words folded."""
    word = stem(text.strip("[*"))
    return _related_stems().get(word, word)


@cache
def _kinds() -> frozenset[str]:
    """The subtypes that name one happening by themselves ("wildfire", "earthquake"): see ``kinds``."""
    return frozenset(_table()["kinds"]["subtypes"])


def kind_word(subtype: str | None) -> str | None:
    """The event word a subtype of :func:`_kinds` counts as ("~wildfire": no stem starts with "~")."""
    return f"~{subtype}" if subtype in _kinds() else None


@cache
def broader_words() -> dict[str, frozenset[str]]:
    """type -> the event words that name any event of that type ("disaster", "election")."""
    table = _table()["broader"]
    return {t: frozenset(event_word(w) for w in words) for t, words in table.items() if not t.startswith("_")}


@cache
def place_parts(location: str) -> tuple[str, ...]:
    """A place and the places that hold it, as its comma parts name them: "Funchal, Madeira,
    Portugal" -> itself, "Madeira, Portugal", "Portugal". Two reports' places are one when one is a
    part of the other ("Sri Lanka" and "Colombo, Sri Lanka"), not when they only share a holder
    ("Kandy, Sri Lanka")."""
    parts = [part.strip() for part in location.split(",")]
    return tuple(", ".join(parts[i:]) for i in range(len(parts)) if parts[i])


#: a number as written: "36", "7.6", "68,7", "1,500"
_FIGURE = re.compile(r"(?<![\w.,])(\d+(?:[.,]\d+)*)(?![\w]*\d)")


def figures(m: Mention) -> frozenset[str]:
    """The figures of ``m``'s sentence outside its date ("7.6-magnitude", "36 people", "$69 billion"):
    10 or more, or with decimals, and not a year, so that "two" or "2024" tie nothing together."""
    text = m.quote
    if m.date_span.text:
        a, b = m.date_span.start - m.start, m.date_span.end - m.start
        text = f"{text[: max(a, 0)]} {text[max(b, 0) :]}"
    out = set()
    for raw in _FIGURE.findall(text):
        n = raw.replace(",", "") if re.fullmatch(r"\d{1,3}(,\d{3})+", raw) else raw.replace(",", ".")
        year = len(n) == 4 and n[:2] in ("19", "20")
        if not year and ("." in n or float(n) >= 10):
            out.add(n)
    return frozenset(out)
