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
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from spacy.tokens import Doc

from dateline.cli_common import EXIT_STATUS, CommandError, report, settings_from_env, write_json
from dateline.merging.entities import entity_index
from dateline.merging.targets import particles, resolve_target, target_filter
from dateline.model import Document, Timeline

#: fields of the task converter's documents that are not the document's own
CONVERTER_FIELDS = ("tokens", "sentences", "corpus", "doc_name", "src_url", "event_mentions")


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


def write_semeval(
    timeline: Timeline,
    tokens: dict[str, list[dict[str, Any]]],
    targets: Sequence[str],
    out_dir: str,
    parses: Mapping[str, Doc],
    title_parses: Mapping[str, Doc] | None = None,
) -> list[Path]:
    """One timeline file per target into ``out_dir`` (``parses``: each document's text parsed,
    ``title_parses``: the titles read as sentences of their own); the paths written."""
    from dateline.views.semeval import MentionIds, file_name, render, timeline_rows

    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise EntitiesError(f"cannot create the output folder {out}: {exc}") from None
    entities = entity_index(timeline)
    texts = {d.id: d.text for d in timeline.documents}
    ids = MentionIds(tokens, texts, lambda m: particles(parses, m, title_parses))
    written = []
    for target in targets:
        entity = resolve_target(entities, target)
        titles = {d.id: d.title or "" for d in timeline.documents}
        keep = target_filter(target, entity, parses, titles, title_parses)
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
    from dateline.events.title_events import readable_title
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
        titles = {r.document.id: title for r in results if (title := readable_title(r.document))}
        title_parses = {doc_id: nlp(title) for doc_id, title in titles.items()}
        written = write_semeval(timeline, tokens, targets, args.semeval, parses, title_parses)
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
