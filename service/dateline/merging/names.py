"""Names as the merger compares them: "Macron" is "Emmanuel Macron" when the corpus names one such
person. The full merge maps surnames with the corpus's own map (:func:`surname_map`); the store's
re-merge of a part applies the whole corpus's map (:func:`corpus_surname_map`) and closes the part over
:func:`ambiguous_surnames`, so both give the same actors."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace

from dateline.model import Mention

#: link terms of names (see :func:`dateline.merging.linking.link_terms`): a full name's surname, and
#: a single name, which meet when a corpus maps the one to the other
FULL_NAME, SINGLE_NAME = "f:", "s:"


def is_full_name(name: str) -> bool:
    return len(name.split()) > 1


def is_single_name(name: str) -> bool:
    return " " not in name


def surname(full_name: str) -> str:
    return full_name.split()[-1]


def corpus_surname_map(names: Iterable[str], full_names: Callable[[str], set[str]]) -> dict[str, str]:
    """The surname map for the single ``names``, with ``full_names(X)`` giving every full name
    ending in X anywhere in the corpus (not just among ``names``)."""
    out: dict[str, str] = {}
    for name in names:
        if is_single_name(name):
            found = full_names(name)
            if len(found) == 1:
                out[name] = next(iter(found))
    return out


def surname_map(mentions: Iterable[Mention]) -> dict[str, str]:
    """ "Macron" -> "Emmanuel Macron" when ``mentions`` name exactly one person with that surname."""
    names = {a for m in mentions for a in m.actors}
    full: dict[str, set[str]] = defaultdict(set)
    for n in names:
        if is_full_name(n):
            full[surname(n)].add(n)
    return corpus_surname_map(names, lambda n: full.get(n, set()))


def with_full_names(mention: Mention, surnames: Mapping[str, str]) -> Mention:
    """``mention`` with each surname the map knows replaced by the full name (a copy only when that
    changes something: copying every mention of a large corpus is a visible share of the merge)."""
    actors = tuple(dict.fromkeys(surnames.get(a, a) for a in mention.actors))
    if actors == mention.actors:
        return mention
    agents = tuple(dict.fromkeys(surnames.get(a, a) for a in mention.agents))
    return replace(mention, actors=actors, agents=agents)


def ambiguous_surnames(mentions: Iterable[Mention], corpus_map: Mapping[str, str]) -> set[str]:
    """Surnames X whose single name stays unmapped in the corpus but that a merge of just ``mentions``
    could map: ``mentions`` hold "X" and some full name ending in X. A part of the corpus merged on
    its own must then take in every full name ending in X (the corpus has several, or X is mapped)."""
    singles: set[str] = set()
    fulls: set[str] = set()
    for m in mentions:
        for actor in m.actors:
            if is_full_name(actor):
                fulls.add(surname(actor))
            if is_single_name(actor) and actor not in corpus_map:
                singles.add(actor)
    return singles & fulls
