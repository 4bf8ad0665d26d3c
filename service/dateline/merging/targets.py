"""Which events a target entity takes part in: its names in the texts and the parse roles.

A target (a SemEval target line, or an entity of ``/v1/entities``) is found in a text by its names
(:func:`target_names`: its forms, the entity's members and aliases, a person's surname), not inside a
longer name (:func:`name_spans`); within an article, the pronouns and definite descriptions whose
nearest antecedent it is refer to it too. A mention belongs to the target's timeline when one of
those words is an argument of the mention's trigger in the parse (:mod:`dateline.merging.roles`).
Shared by ``dateline entities --semeval`` and ``GET /v1/entities/{id}/timeline``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence

from spacy.tokens import Doc

from dateline.merging.entities import Entity, find_entity
from dateline.merging.roles import entity_mentions, takes_part
from dateline.model import Mention
from dateline.vocab import load

#: kind -> the pronouns and descriptions a later sentence refers to an entity of that kind by
REFERRING: dict[str, list[str]] = load("entities")["referring"]


def _words(name: str) -> re.Pattern[str]:
    """``name`` in a text, case folded, one other word allowed inside it ("iTunes Music Store"), and
    in the plural."""
    words = [re.escape(w) for w in name.split()]
    plural = "s?" if name.split()[-1].isalpha() else ""  # "iPods"
    return re.compile(r"(?<!\w)" + r"\s+(?:[\w'-]+\s+)?".join(words) + plural + r"(?!\w)", re.I)


def name_forms(target: str) -> list[str]:
    """The forms a multi-word name takes in a text: itself, its last words when it has three or more
    ("Apple Corps" for "Beatles Apple Corps"), and a two-word name with a model designation (a word
    with a digit) in the other order ("3G iPhone" for "iPhone 3G")."""
    words = target.split()
    forms = [target]
    if len(words) >= 3:
        forms += [" ".join(words[i:]) for i in range(1, len(words) - 1)]
    if len(words) == 2 and any(c.isdigit() for c in words[1]) and not any(c.isdigit() for c in words[0]):
        forms.append(f"{words[1]} {words[0]}")
    return forms


def target_names(target: str, entity: Entity | None) -> list[str]:
    """Every name that stands for ``target`` in a text: its forms, the entity's names and aliases,
    and a person's surname."""
    names = [*name_forms(target), *(entity.names() if entity is not None else [])]
    if entity is not None and entity.kind == "person" and len(entity.name.split()) > 1:
        names.append(entity.name.split()[-1])
    return list(dict.fromkeys(n for n in names if len(n) > 1))


def _is_person(target: str, entity: Entity | None) -> bool:
    """A person's name: the entity's kind, else two capitalised words ("Steve Jobs")."""
    if entity is not None and entity.kind:
        return entity.kind == "person"
    words = target.split()
    return len(words) == 2 and all(w[:1].isupper() and w[1:].islower() for w in words)


def _descriptions(target: str, entity: Entity | None) -> list[str]:
    """The nouns of the definite descriptions of a thing of the entity's kind ("the company", "the
    device")."""
    kind = entity.kind if entity is not None and entity.kind in REFERRING else "other"
    return [w.split()[-1] for w in REFERRING[kind] if w.startswith("the ")]


def name_spans(names: Sequence[str], texts: Mapping[str, str]) -> dict[str, list[tuple[int, int]]]:
    """Per document, the character spans that name the target, without those inside a longer name:
    a match followed by a word that follows it capitalised somewhere in the collection ("iPod Nano",
    so "iPod nano" is not the iPod), unless that word begins a title ("Russian President Vladimir
    Putin", "Apple CEO Steve Jobs": a title of the alias table follows a name, it does not lengthen it)."""
    patterns = [_words(n) for n in names]
    found = {d: [m for p in patterns for m in p.finditer(text)] for d, text in texts.items()}
    longer: set[str] = set()
    for doc_id, matches in found.items():
        for m in matches:
            after = _NEXT_WORD.match(texts[doc_id], m.end())
            word = after.group(1) if after is not None else ""
            if word[:1].isupper() and word.casefold() not in _TITLE_WORDS:
                longer.add(word.casefold())
    spans: dict[str, list[tuple[int, int]]] = {}
    for doc_id, matches in found.items():
        kept = []
        for m in matches:
            after = _NEXT_WORD.match(texts[doc_id], m.end())
            if after is None or after.group(1).casefold() not in longer:
                kept.append((m.start(), m.end()))
        spans[doc_id] = kept
    return spans


#: the word right after a name, on its line
_NEXT_WORD = re.compile(r"[ \t]+([A-Za-z][\w-]*)")
#: the first words of the titles and the state roles of the alias table ("president", "ceo")
_TITLE_WORDS = frozenset(
    t.split()[0].casefold() for t in (*load("aliases")["titles"], *load("aliases")["state_roles"])
)


def target_filter(
    target: str,
    entity: Entity | None,
    parses: Mapping[str, Doc],
    titles: Mapping[str, str] | None = None,
    title_parses: Mapping[str, Doc] | None = None,
) -> Callable[[Mention], bool]:
    """Whether a mention belongs to ``target``'s timeline: the target (a name of it, or a pronoun or
    description that refers to it) is an argument of the mention's trigger in the parse of its
    document (:mod:`dateline.merging.roles`); of its title (``title_parses``) for a title's mention."""
    titles = titles or {}
    person = _is_person(target, entity)
    descriptions = [] if person else _descriptions(target, entity)
    # "the iPhone" for "iPhone 4", "the store" for the iTunes Store
    name_words = [] if person else [w for w in target.split() if len(w) > 2 and w.isalpha()]
    patterns = [_words(n) for n in target_names(target, entity)]
    titled = {d: any(p.search(titles.get(d, "")) for p in patterns) for d in parses}
    kinds = [*descriptions, *name_words]
    found: dict[tuple[str, str], set[int]] = {}
    for where, docs in (("text", parses), ("title", title_parses or {})):
        spans = _target_spans(target, entity, person, {d: doc.text for d, doc in docs.items()})
        for doc_id, doc in docs.items():
            known = where == "text" and titled[doc_id]
            found[doc_id, where] = entity_mentions(
                doc, spans[doc_id], person, descriptions, name_words, known
            )
    chosen = {"text": parses, "title": title_parses or {}}

    def keep(mention: Mention) -> bool:
        doc = chosen.get(mention.field, {}).get(mention.document_id)
        if doc is None:
            return False
        span = doc.char_span(mention.trigger.start, mention.trigger.end, alignment_mode="expand")
        mine = found[mention.document_id, mention.field]
        return span is not None and len(span) > 0 and takes_part(span[0], mine, kinds)

    return keep


def _target_spans(
    target: str, entity: Entity | None, person: bool, texts: Mapping[str, str]
) -> dict[str, list[tuple[int, int]]]:
    """The spans of ``texts`` that name the target; for a person also the first name, in a text that
    names them ("Steve" in an article that names Steve Jobs)."""
    spans = name_spans(target_names(target, entity), texts)
    if person:
        first = name_spans([target.split()[0]], {d: t for d, t in texts.items() if spans[d]})
        spans.update({d: sorted({*spans[d], *found}) for d, found in first.items()})
    return spans


def particles(
    parses: Mapping[str, Doc], mention: Mention, title_parses: Mapping[str, Doc] | None = None
) -> list[tuple[int, int]]:
    """The character spans of the particles of a phrasal verb trigger ("showed off", "took six months
    off"), from the parse of its document (of its title, ``title_parses``, for a title's mention)."""
    docs = parses if mention.field == "text" else title_parses or {}
    doc = docs.get(mention.document_id)
    span = None if doc is None else doc.char_span(mention.trigger.start, mention.trigger.end, "expand")
    if not span:
        return []
    return [(c.idx, c.idx + len(c.text)) for c in span[0].children if c.dep_ == "prt" and c.i > span[0].i]


def resolve_target(entities: Sequence[Entity], target: str) -> Entity | None:
    """The entity a target names: by id, name or alias, or by one of its forms (:func:`name_forms`)."""
    for form in name_forms(target):
        found = find_entity(entities, form)
        if found is not None:
            return found
    return None


def name_pattern(target: str, entity: Entity | None) -> re.Pattern[str]:
    """One pattern that finds any name of ``target`` in a text: a document it does not find has no
    mention of the target (its pronouns need a name before them)."""
    names = target_names(target, entity)
    if _is_person(target, entity):
        names.append(target.split()[0])
    return re.compile("|".join(f"(?:{_words(n).pattern})" for n in names), re.I)
