"""The ``dateline`` command: timelines and document listings without a server, ``serve`` and ``worker``.

Each subcommand is a ``(register, run)`` pair in :data:`COMMANDS`; to add one, write a function that
adds its parser to the subparsers and sets ``func``, and append it there. A ``run`` function returns
the exit code and raises :class:`CommandError` (or a ValueError/OSError) for a message on stderr.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from dateline.cli_common import EXIT_STATUS, CommandError, report, settings_from_env, write_json
from dateline.cli_ingest import can_fork, extract_forked, model_meta, version_of_meta
from dateline.settings import Settings

DEFAULT_PATHS = ("seeds",)
GUNICORN_CONF = "gunicorn.conf.py"
APP_SPEC = "dateline.api:create_app()"
#: the level of the document commands' log lines on stderr unless DATELINE_LOG_LEVEL says otherwise:
#: failures (with their tracebacks), not the store's progress notes
CLI_LOG_LEVEL = "warning"


@contextmanager
def _logs_to_stderr() -> Iterator[None]:
    """The ``dateline`` loggers to stderr, as the server writes them (:mod:`dateline.logs`: JSON lines
    unless DATELINE_LOG_JSON=0), while a document command runs; put back as they were after (the
    command may run inside another program, such as the tests)."""
    from dateline.logs import configure

    logger = logging.getLogger("dateline")
    saved = (list(logger.handlers), logger.level, logger.propagate)
    configure(os.environ.get("DATELINE_LOG_LEVEL") or CLI_LOG_LEVEL, json_lines=settings_from_env().log_json)
    try:
        yield
    finally:
        logger.handlers, logger.propagate = saved[0], saved[2]
        logger.setLevel(saved[1])


def _build(args: argparse.Namespace, settings: Settings) -> tuple[Any, list[str]]:
    """The timeline of the documents under the paths of ``args`` (with their detected metadata),
    computed as the server computes it: extract every document, then merge every mention. A document
    that cannot be read or extracted is left out and named in the messages returned."""
    from dateline.events.extractor import Extractor
    from dateline.merging.cluster import merge_mentions
    from dateline.model import Timeline
    from dateline.pipeline import extract_each  # logs each failure with the document's id

    paths = args.paths or DEFAULT_PATHS
    docs, failures = _load_each(paths, settings, recursive=args.recursive)
    if not docs:
        report(args.command, failures)
        raise CommandError(f"none of the documents in {', '.join(paths)} could be read")
    reported = "reported" in (getattr(args, "include", None) or ())
    results, broken = extract_each(docs, Extractor(settings), reported=reported)
    failures.extend(str(f) for f in broken)
    if reported:  # with the events the articles report without a date of their own
        from dateline.merging.reported import merge_with_reported

        events = merge_with_reported(results)
    else:
        events = merge_mentions(results)
    return Timeline(events=events, documents=[r.document for r in results]), failures


# --- subcommands ----------------------------------------------------------------------------------


def _document_parser(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], name: str, help: str
) -> argparse.ArgumentParser:
    """A document command's parser: its exit statuses in --help, and ``--no-recursive``."""
    parser = sub.add_parser(
        name,
        help=help,
        description=help,
        epilog=EXIT_STATUS,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--no-recursive",
        dest="recursive",
        action="store_false",
        help="read only the files directly in a folder given, not those of its subfolders",
    )
    parser.set_defaults(logs=True)
    return parser


def _paths_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help=f"documents: .txt/.json/.html files or folders (default: {' '.join(DEFAULT_PATHS)})",
    )


def run_timeline(args: argparse.Namespace) -> int:
    from dateline.views.schemas import dump_timeline

    timeline, failures = _build(args, settings_from_env())
    write_json(dump_timeline(timeline))
    report(args.command, failures)
    return 1 if failures else 0


def register_timeline(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = _document_parser(sub, "timeline", "print the merged timeline JSON of some documents")
    _paths_argument(parser)
    parser.add_argument(
        "--include",
        action="append",
        choices=("reported",),
        help="reported: also the events the articles report without a date of their own",
    )
    parser.set_defaults(func=run_timeline)


def run_documents(args: argparse.Namespace) -> int:
    from dateline.views.schemas import dump_documents, timeline_document_views

    timeline, failures = _build(args, settings_from_env())
    write_json(dump_documents(timeline_document_views(timeline)))
    report(args.command, failures)
    return 1 if failures else 0


def register_documents(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = _document_parser(sub, "documents", "print the documents listing (metadata, event counts)")
    _paths_argument(parser)
    parser.set_defaults(func=run_documents)


# --- ingest ---------------------------------------------------------------------------------------


def _load_each(
    paths: Sequence[str], settings: Settings, *, recursive: bool, unique_ids: bool = True
) -> tuple[list[Any], list[str]]:
    """Every document under ``paths``, and a message for each file that cannot be read or (with
    ``unique_ids``) repeats an id; the others are still processed. With ``unique_ids``, one document
    per report: a copy of a file read before is folded into it (``also_at``). A CommandError when a
    path is missing or holds no document. (The store settles copies and repeated ids itself: a copy
    is recorded on the stored document, another text under a stored id is a conflict.)"""
    from dateline.intake.documents import SUFFIXES, DocumentError, IdRegistry, iter_paths, load_file

    missing = [p for p in paths if not Path(p).exists()]
    if missing:
        raise CommandError(f"no such file or folder: {', '.join(missing)}")
    files = iter_paths(paths, recursive=recursive)
    if not files:
        kinds = "/".join(SUFFIXES)
        where = ", ".join(paths) + ("" if recursive else " (subfolders not read: --no-recursive)")
        raise CommandError(f"no documents ({kinds} files) found in {where}")
    ids = IdRegistry()
    docs, failures = [], []
    for file in files:
        try:
            doc = load_file(file.path, max_chars=settings.max_text_chars, folder=file.folder)
            if unique_ids and not ids.claim(doc, str(file.path)):
                continue  # a copy of a document read before: recorded on it
        except DocumentError as exc:
            failures.append(str(exc))
        else:
            docs.append(doc)
    return docs, failures


def run_ingest(args: argparse.Namespace) -> int:
    """Extract the documents (in ``--workers`` processes) and store them; the store is written by
    this process alone, one transaction and one merge per batch of ``--batch`` documents, so an
    interruption loses no stored document (only the extracted ones of the batch being gathered)."""
    from tqdm import tqdm
    from tqdm.contrib.logging import logging_redirect_tqdm

    from dateline.pipeline import ExtractionFailure, extract_as_done
    from dateline.store import IdConflictError, Store, StoreError

    settings = settings_from_env()
    if args.store:
        settings = (
            Settings.from_env(database_url=args.store)
            if "://" in args.store
            else Settings.from_env(store_path=Path(args.store), database_url="")
        )
    if args.workers < 1:
        raise CommandError("--workers must be at least 1")
    batch_size = settings.write_batch if args.batch is None else args.batch
    if batch_size < 1:
        raise CommandError("--batch must be at least 1")
    docs, failures = _load_each(args.paths, settings, recursive=args.recursive, unique_ids=False)
    store = Store(settings.database_location())
    was_empty = store.is_empty()
    pending = []
    known = 0
    for doc in docs:
        if store.fold(doc) is not None:  # a copy of a stored document: recorded on it, not extracted
            known += 1
        else:
            pending.append(doc)
    created = 0
    tqdm.monitor_interval = 0  # no monitor thread: the extraction processes are forked
    progress = tqdm(
        total=len(docs), initial=known, unit="doc", desc="ingest", file=sys.stderr, disable=args.quiet
    )

    batch: list[tuple[Any, Any]] = []

    def store_batch() -> None:
        """Store the extracted documents gathered (one transaction and one merge); one whose storing
        raised is reported, the others of its batch are stored (``Store.ingest_many``). A store that
        fails as a whole (unavailable, unreadable) stops the run: the next write would too."""
        nonlocal created, known
        if not batch:
            return
        try:
            outcomes = store.ingest_many([(result, given) for given, result in batch])
        except StoreError as exc:
            report(args.command, failures)
            raise CommandError(
                f"stopped at document {batch[0][0].id!r} ({created} stored before it): {exc}"
            ) from None
        for (given, _), outcome in zip(batch, outcomes, strict=True):
            if isinstance(outcome, IdConflictError):
                failures.append(str(outcome))
            elif isinstance(outcome, Exception):  # this document's: nothing of it written
                failures.append(str(ExtractionFailure.logged(given, outcome, step="storing")))
            else:
                created += outcome.created
                known += not outcome.created
        progress.update(len(batch))
        batch.clear()

    def store_result(given: Any, result: Any) -> None:
        """Gather one extracted document; one the extractor raised on is reported (and logged with
        its id), not stored."""
        if isinstance(result, Exception):
            failures.append(str(ExtractionFailure.logged(given, result)))
            progress.update(1)
            return
        batch.append((given, result))
        if len(batch) >= batch_size:
            store_batch()

    # log lines (a failure's) go above the progress bar, not through it
    with logging_redirect_tqdm(loggers=[logging.getLogger("dateline")]):
        extractor = _local_extractor(settings) if pending else None
        try:
            extracted = (
                extract_forked(pending, extractor, args.workers)
                if extractor is not None and args.workers > 1 and len(pending) > 1 and can_fork()
                else extract_as_done(pending, settings, args.workers, extractor)
            )
            for doc, result in extracted:
                store_result(doc, result)
            store_batch()
        finally:
            progress.close()
    if was_empty and created:
        meta = extractor.nlp.meta if extractor is not None else model_meta(settings)
        store.set_extractor_version(version_of_meta(meta))
    report(args.command, failures)
    print(f"{created} ingested, {known} already stored, {len(failures)} failed -> {store}")
    return 1 if failures else 0


def _local_extractor(settings: Settings) -> Any:
    from dateline.events.extractor import Extractor

    return Extractor(settings)


def register_ingest(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = _document_parser(
        sub, "ingest", "extract documents and store them (DATELINE_DATABASE_URL or DATELINE_STORE_PATH)"
    )
    parser.add_argument(
        "paths", nargs="+", metavar="PATH", help="documents: .txt/.json/.html files or folders"
    )
    parser.add_argument("--workers", type=int, default=1, help="extraction processes (default 1)")
    parser.add_argument(
        "--batch",
        type=int,
        help="documents stored per transaction and merge (default DATELINE_WRITE_BATCH, 20)",
    )
    parser.add_argument(
        "--store", help="SQLite file or database URL (default DATELINE_DATABASE_URL or DATELINE_STORE_PATH)"
    )
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    parser.set_defaults(func=run_ingest)


def find_gunicorn_conf(explicit: str | None) -> Path:
    """The config given, else ./gunicorn.conf.py, else the one beside the source tree."""
    if explicit:
        path = Path(explicit)
        if not path.is_file():
            raise CommandError(f"no gunicorn config at {path}")
        return path
    for candidate in (Path.cwd() / GUNICORN_CONF, Path(__file__).resolve().parents[2] / GUNICORN_CONF):
        if candidate.is_file():
            return candidate
    raise CommandError(f"no {GUNICORN_CONF} in the current folder; pass --config")


def gunicorn_command(args: argparse.Namespace) -> tuple[list[str], dict[str, str]]:
    """The argv and environment ``serve`` execs (split out so it can be checked without serving)."""
    env = dict(os.environ)
    if args.host or args.port:
        current = env.get("DATELINE_BIND", "127.0.0.1:8000")
        default_host, _, default_port = current.rpartition(":")
        env["DATELINE_BIND"] = f"{args.host or default_host}:{args.port or default_port}"
    if args.workers:
        env["DATELINE_WORKERS"] = str(args.workers)
    conf = find_gunicorn_conf(args.config)
    argv = [sys.executable, "-m", "gunicorn", "--config", str(conf), APP_SPEC]
    return argv, env


def run_serve(args: argparse.Namespace) -> int:
    argv, env = gunicorn_command(args)
    sys.stdout.flush()
    sys.stderr.flush()
    os.execvpe(argv[0], argv, env)  # gunicorn takes over the process (and its signals)


def register_serve(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("serve", help="run the HTTP service under gunicorn (gunicorn.conf.py)")
    parser.add_argument("--host", help="address to bind (default from DATELINE_BIND or 127.0.0.1)")
    parser.add_argument("--port", type=int, help="port (default from DATELINE_BIND or 8000)")
    parser.add_argument("--workers", type=int, help="worker processes (default DATELINE_WORKERS or 2)")
    parser.add_argument("--config", help=f"gunicorn config file (default ./{GUNICORN_CONF})")
    parser.set_defaults(func=run_serve)


def run_worker(args: argparse.Namespace) -> int:
    """Process ingestion jobs (see :mod:`dateline.worker`) until stopped, or the queue is empty."""
    overrides: dict[str, Any] = {}
    if args.queue_url:
        overrides["queue_url"] = args.queue_url
    if args.database_url:
        overrides["database_url"] = args.database_url
    settings = Settings.from_env(**overrides)
    if not settings.queue_url:
        raise CommandError("no job queue: set DATELINE_QUEUE_URL (or --queue-url) to a redis:// URL")
    from dateline.queue.worker import run

    return run(settings, burst=args.burst, name=args.name)


def register_worker(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "worker",
        help="process queued ingestion jobs (DATELINE_QUEUE_URL) into the store (DATELINE_DATABASE_URL)",
    )
    parser.add_argument("--queue-url", help="Redis URL of the job queue (default DATELINE_QUEUE_URL)")
    parser.add_argument(
        "--database-url", help="the store (default DATELINE_DATABASE_URL, else DATELINE_STORE_PATH)"
    )
    parser.add_argument("--burst", action="store_true", help="stop when the queue is empty")
    parser.add_argument("--name", help="worker name, unique among the queue's workers (default host-pid)")
    parser.set_defaults(func=run_worker)


def run_schemas(args: argparse.Namespace) -> int:
    # the OpenAPI document comes from the API's routes: Flask is imported for this command only
    from dateline.api import openapi_document
    from dateline.views.contract import REGENERATE_HINT, stale_json_schemas, write_json_schemas

    openapi = openapi_document()
    if args.check:
        stale = stale_json_schemas(args.check, openapi)
        if stale:
            raise CommandError(f"stale JSON Schema files: {', '.join(stale)}; run {REGENERATE_HINT}")
        return 0
    for path in write_json_schemas(args.directory, openapi):
        print(path)
    return 0


def register_schemas(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("schemas", help="write (or --check) the JSON Schema files of the responses")
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--write", dest="directory", metavar="DIR", default="schemas", help="default: schemas")
    group.add_argument("--check", metavar="DIR", help="exit 1 if the files in DIR are stale")
    parser.set_defaults(func=run_schemas)


def register_timex(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from dateline.timex.cli import register_timex as register

    register(sub)


def register_entities(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from dateline.entities_cli import register_entities as register

    register(sub)


Registrar = Callable[["argparse._SubParsersAction[argparse.ArgumentParser]"], None]

#: the subcommands, in help order
COMMANDS: list[Registrar] = [
    register_timeline,
    register_documents,
    register_entities,
    register_ingest,
    register_serve,
    register_worker,
    register_schemas,
    register_timex,
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="dateline", description="Dated events extracted from news articles, merged into a timeline."
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for register in COMMANDS:
        register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if getattr(args, "logs", False):
            with _logs_to_stderr():
                code: int = args.func(args)
        else:
            code = args.func(args)
    except (CommandError, ValueError, OSError) as exc:
        print(f"dateline {args.command}: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    return code


if __name__ == "__main__":
    raise SystemExit(main())
