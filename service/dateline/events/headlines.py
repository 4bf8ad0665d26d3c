"""How a title's words are written, whatever clause they came from: at most a few words, none
cut off ("survivors of Hawaii’s"), a capital first and no pronoun first, a determiner before a
leading score ("The 2-1 defeat"). The words are chosen in :mod:`dateline.events.titles`."""

from __future__ import annotations

from dateline.vocab import load

#: words a title never ends on (``data/titles.json``)
FUNCTION_WORDS = frozenset(load("titles")["function_words"])
#: characters a title does not start or end with
EDGE = " ,;:—–-‘’'\"“”()[]"
MIN_WORDS = 3
MAX_WORDS = 16
_DETERMINERS = ("the", "a", "an", "this", "that", "these", "those")
_POSSESSIVE_ENDS = ("'s", "’s", "s'", "s’")


def possessive(name: str) -> str:
    return name + ("’" if name.endswith("s") else "’s")


def without_determiner(title: str) -> str:
    words = title.split()
    if words and words[0].casefold() in _DETERMINERS:
        words = words[1:]
    return " ".join(words)


def trimmed(title: str) -> str:
    """At most :data:`MAX_WORDS` words, not ending on a function word or on a possessor whose noun
    was left out ("told survivors of Hawaii’s" -> "told survivors")."""
    words = title.split()[:MAX_WORDS]
    while len(words) > 1 and (
        words[-1].casefold().strip(EDGE) in FUNCTION_WORDS
        or not words[-1].strip(EDGE)
        or words[-1].endswith(_POSSESSIVE_ENDS)
    ):
        words.pop()
    return " ".join(words).strip(EDGE)


def word_count(title: str) -> int:
    return sum(1 for w in title.split() if any(c.isalnum() for c in w))


def capitalised(title: str) -> str:
    """A title starting with a capital and no pronoun: a determiner or possessive that stands for
    no name reads "The" ("This conviction", "Their vacation" -> "The ..."), a subject pronoun goes."""
    words = title.split()
    first = words[0].casefold() if words else ""
    if (
        first in ("this", "that", "these", "those", "his", "her", "its", "their", "our", "my", "your")
        and len(words) > 1
    ):
        words[0] = "The"
    elif first.rstrip("’'s") in ("he", "she", "it", "they", "we", "i", "you") and len(words) > 3:
        words = words[1:]
    title = " ".join(words)
    return title[:1].upper() + title[1:]


def with_determiner(title: str) -> str:
    """A noun phrase that opens on a number takes "The", so that its first word is a capital one:
    "2-1 defeat at West Ham" -> "The 2-1 defeat at West Ham"."""
    first = next((w for w in title.split() if any(c.isalpha() for c in w)), "")
    return f"The {title}" if title[:1].isdigit() and first.islower() else title
