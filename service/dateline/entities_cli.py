"""``dateline entities``: the canonical entities of some documents, or their SemEval timelines.

Without ``--semeval`` it prints what ``GET /v1/entities`` answers for those documents. With
``--semeval OUT_DIR --targets FILE`` it writes one SemEval-2015 Task 4 timeline file per target entity
(:mod:`dateline.views.semeval`) into ``OUT_DIR``; the timelines include reported events (the task's
timelines are mostly events dated by their article alone). A JSON document may carry the task
converter's ``tokens`` (and ``sentences``, ``corpus``, ``doc_name``, ``src_url``): the tokens then give
the mention ids.
"""

from __future__ import annotations

import argparse
import json
import re
from collections.abc import Callable, Mapping, Sequence
from functools import partial
from pathlib import Path
from typing import Any

from spacy.tokens import Doc

from dateline.cli_common import EXIT_STATUS, CommandError, report, settings_from_env, write_json
from dateline.merging.entities import Entity, entity_index, find_entity
from dateline.merging.roles import entity_mentions, takes_part
from dateline.model import Document, Mention, Timeline
from dateline.vocab import load

#: fields of the task converter's documents that are not the document's own
CONVERTER_FIELDS = ("tokens", "sentences", "corpus", "doc_name", "src_url", "event_mentions")
#: kind -> the pronouns and descriptions a later sentence refers to an entity of that kind by
REFERRING: dict[str, list[str]] = load("entities")["referring"]


class EntitiesError(ValueError):
    """A wrong target list or output folder: one line on stderr."""


def read_targets(path: str) -> list[str]:
    """The target entities of ``path``, one per line (blank lines and ``#`` comments skipped)."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise EntitiesError(f"cannot read the targets file {path}: {exc}") from None
    targets = [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]
    if not targets:
        raise EntitiesError(f"the targets file {path} names no entity (one name per line)")
    return targets


def split_converter_fields(path: Path) -> tuple[dict[str, Any], list[dict[str, Any]]] | None:
    """A task converter's JSON document as (the document's own fields, its tokens); None for any
    other file."""
    if path.suffix != ".json":
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("tokens"), list):
        return None
    own = {k: v for k, v in data.items() if k not in CONVERTER_FIELDS}
    if "url" not in own and isinstance(data.get("src_url"), str):
        own["url"] = data["src_url"]
    return own, data["tokens"]


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
    so "iPod nano" is not the iPod)."""
    patterns = [_words(n) for n in names]
    found = {d: [m for p in patterns for m in p.finditer(text)] for d, text in texts.items()}
    longer: set[str] = set()
    for doc_id, matches in found.items():
        for m in matches:
            after = _NEXT_WORD.match(texts[doc_id], m.end())
            if after is not None and after.group(1)[:1].isupper():
                longer.add(after.group(1).casefold())
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


def target_filter(
    target: str, entity: Entity | None, parses: Mapping[str, Doc], titles: Mapping[str, str] | None = None
) -> Callable[[Mention], bool]:
    """Whether a mention belongs to ``target``'s timeline: the target (a name of it, or a pronoun or
    description that refers to it) is an argument of the mention's trigger in the parse of its
    document (:mod:`dateline.merging.roles`)."""
    titles = titles or {}
    texts = {d: doc.text for d, doc in parses.items()}
    spans = name_spans(target_names(target, entity), texts)
    person = _is_person(target, entity)
    if person:  # "Steve" in an article that names Steve Jobs
        first = name_spans([target.split()[0]], {d: t for d, t in texts.items() if spans[d]})
        spans.update({d: sorted({*spans[d], *found}) for d, found in first.items()})
    descriptions = [] if person else _descriptions(target, entity)
    # "the iPhone" for "iPhone 4", "the store" for the iTunes Store
    name_words = [] if person else [w for w in target.split() if len(w) > 2 and w.isalpha()]
    patterns = [_words(n) for n in target_names(target, entity)]
    titled = {d: any(p.search(titles.get(d, "")) for p in patterns) for d in parses}
    kinds = [*descriptions, *name_words]
    mentions = {
        doc_id: entity_mentions(doc, spans[doc_id], person, descriptions, name_words, titled[doc_id])
        for doc_id, doc in parses.items()
    }

    def keep(mention: Mention) -> bool:
        doc = parses.get(mention.document_id)
        if doc is None:
            return False
        span = doc.char_span(mention.trigger.start, mention.trigger.end, alignment_mode="expand")
        found = mentions[mention.document_id]
        return span is not None and len(span) > 0 and takes_part(span[0], found, kinds)

    return keep


def particles(parses: Mapping[str, Doc], mention: Mention) -> list[tuple[int, int]]:
    """The character spans of the particles of a phrasal verb trigger ("showed off", "took six months
    off"), from the parse of its document."""
    doc = parses.get(mention.document_id)
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


def write_semeval(
    timeline: Timeline,
    tokens: dict[str, list[dict[str, Any]]],
    targets: Sequence[str],
    out_dir: str,
    parses: Mapping[str, Doc],
) -> list[Path]:
    """One timeline file per target into ``out_dir`` (``parses``: each document's text parsed); the
    paths written."""
    from dateline.views.semeval import MentionIds, file_name, render, timeline_rows

    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise EntitiesError(f"cannot create the output folder {out}: {exc}") from None
    entities = entity_index(timeline)
    ids = MentionIds(tokens, {d.id: d.text for d in timeline.documents}, partial(particles, parses))
    written = []
    for target in targets:
        entity = resolve_target(entities, target)
        keep = target_filter(target, entity, parses, {d.id: d.title or "" for d in timeline.documents})
        rows = timeline_rows(timeline.events, ids, keep)
        path = out / file_name(target)
        path.write_text(render(target, rows), encoding="utf-8")
        written.append(path)
    return written


def load_documents(paths: Sequence[str], max_chars: int) -> tuple[list[Document], dict[str, Any], list[str]]:
    """The documents under ``paths`` (converter JSON files with their tokens, or any document file),
    their tokens by id, and a message for each file that cannot be read."""
    from dateline.intake.documents import (
        DocumentError,
        IdRegistry,
        document_from_mapping,
        iter_paths,
        load_file,
    )

    missing = [p for p in paths if not Path(p).exists()]
    if missing:
        raise EntitiesError(f"no such file or folder: {', '.join(missing)}")
    ids = IdRegistry()
    docs: list[Document] = []
    tokens: dict[str, Any] = {}
    failures: list[str] = []
    for file in iter_paths(paths, recursive=True):
        try:
            converted = split_converter_fields(file.path)
            if converted is not None:
                doc = document_from_mapping(converted[0], max_chars=max_chars)
            else:
                doc = load_file(file.path, max_chars=max_chars, folder=file.folder)
        except DocumentError as exc:
            failures.append(f"{file.path}: {exc}" if str(file.path) not in str(exc) else str(exc))
            continue
        if ids.claim(doc, str(file.path)):
            docs.append(doc)
            if converted is not None:
                tokens[doc.id] = converted[1]
    if not docs and not failures:
        raise EntitiesError(f"no documents found in {', '.join(paths)}")
    return docs, tokens, failures


def run_entities(args: argparse.Namespace) -> int:
    from dateline.events.extractor import Extractor
    from dateline.events.nlp import load_nlp
    from dateline.merging.cluster import merge_mentions
    from dateline.merging.reported import check_include, merge_with_reported
    from dateline.pipeline import extract_each
    from dateline.views.entity_schemas import dump_entities

    include = check_include(args.include or ())
    if args.semeval is not None:
        include |= {"reported"}
        if not args.targets:
            raise CommandError("--semeval needs --targets FILE (one target entity per line)")
    elif args.targets:
        raise CommandError("--targets goes with --semeval OUT_DIR")
    settings = settings_from_env()
    targets = read_targets(args.targets) if args.targets else []
    docs, tokens, failures = load_documents(args.paths, settings.max_text_chars)
    if not docs:
        report(args.command, failures)
        raise CommandError(f"none of the documents in {', '.join(args.paths)} could be read")
    results, broken = extract_each(docs, Extractor(settings), reported="reported" in include)
    failures.extend(str(f) for f in broken)
    events = merge_with_reported(results) if include else merge_mentions(results)
    timeline = Timeline(events=events, documents=[r.document for r in results])
    if args.semeval is not None:
        nlp = load_nlp(settings)
        parses = {r.document.id: nlp(r.document.text) for r in results}
        written = write_semeval(timeline, tokens, targets, args.semeval, parses)
        print(f"{len(written)} timelines -> {args.semeval}")
    else:
        write_json(dump_entities(entity_index(timeline)))
    report(args.command, failures)
    return 1 if failures else 0


def register_entities(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "entities",
        help="print the canonical entities of some documents, or write their SemEval timelines",
        description=__doc__.split("\n\n")[0] if __doc__ else None,
        epilog=EXIT_STATUS,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("paths", nargs="+", metavar="PATH", help="documents: files or folders")
    parser.add_argument(
        "--include",
        action="append",
        choices=("reported",),
        help="also the events the articles report without a date of their own (repeatable)",
    )
    parser.add_argument(
        "--semeval", metavar="OUT_DIR", help="write one SemEval-2015 Task 4 timeline file per target"
    )
    parser.add_argument("--targets", metavar="FILE", help="the target entities, one name per line")
    parser.set_defaults(func=run_entities, logs=True)
