"""The event taxonomy: the coarse types an event has (``type``) and their finer kinds (``subtype``).

The table is data (``types`` in ``data/triggers.json``): each type with a description, the ACE 2005
event types it covers, and its subtypes, each with a description and the trigger words that name it.
The model, the JSON Schemas, the OpenAPI document and the README's type table all read it from here.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from dateline.vocab import load


@dataclass(frozen=True)
class Subtype:
    name: str
    description: str
    #: trigger lemmas that name it wherever they stand (verbs first)
    triggers: tuple[str, ...]
    #: lemmas that name it in some clauses (``qualified_verbs``, ``qualified_nouns``)
    in_context: tuple[str, ...] = ()


@dataclass(frozen=True)
class EventType:
    name: str
    description: str
    #: the ACE 2005 event types and subtypes it covers ("-" for none)
    ace: str
    subtypes: tuple[Subtype, ...]


@cache
def taxonomy() -> tuple[EventType, ...]:
    """The types in the order of the published table, ``other`` last."""
    data = load("triggers")
    senses: dict[str, list[str]] = {}  # "type.subtype" -> words whose clause can give it
    for part in ("qualified_verbs", "qualified_nouns"):
        for word, rules in data[part].items():
            for spec in rules.values():
                senses.setdefault(spec, []).append(word)
    out = []
    for name, entry in data["types"].items():
        subtypes = tuple(
            Subtype(
                sub,
                s["description"],
                tuple(dict.fromkeys((*s.get("verbs", ()), *s.get("nouns", ())))),
                tuple(dict.fromkeys(senses.get(f"{name}.{sub}", ()))),
            )
            for sub, s in entry.get("subtypes", {}).items()
        )
        out.append(EventType(name, entry["description"], entry["ace"], subtypes))
    return tuple(out)


EVENT_TYPES: tuple[str, ...] = tuple(t.name for t in taxonomy())
#: every subtype name (a name may serve several types: "transfer" of players and of ownership)
EVENT_SUBTYPES: tuple[str, ...] = tuple(dict.fromkeys(s.name for t in taxonomy() for s in t.subtypes))


def type_descriptions() -> dict[str, str]:
    return {t.name: t.description for t in taxonomy()}


def subtype_descriptions() -> dict[str, str]:
    """subtype -> "type: description" (a name shared by types lists each)."""
    out: dict[str, list[str]] = {}
    for t in taxonomy():
        for s in t.subtypes:
            out.setdefault(s.name, []).append(f"{t.name}: {s.description}")
    return {name: "; ".join(parts) for name, parts in out.items()}


def markdown_table(examples: int = 4) -> str:
    """The README's type table: each type, its subtypes, and a few trigger words of each (a word
    marked * names the subtype in some clauses only)."""
    rows = ["| Type | What it covers (ACE 2005 types) | Subtypes: trigger examples |", "| --- | --- | --- |"]
    for t in taxonomy():
        ace = "" if t.ace == "-" else f" ACE: {t.ace}."
        subs = []
        for s in t.subtypes:
            words = [
                *s.triggers[:examples],
                *(f"{w}*" for w in s.in_context[: max(1, examples - len(s.triggers))]),
            ]
            subs.append(f"`{s.name}`: " + ", ".join(words) if words else f"`{s.name}`")
        rows.append(f"| `{t.name}` | {t.description}{ace} | {'; '.join(subs) or '-'} |")
    return "\n".join(rows)
