"""Ingestion as queued jobs: RQ on Redis carries each document from an API instance to a worker on
any machine that reaches the same Redis and the same store.

The API validates a document as it always does, then :meth:`JobQueue.enqueue` hands it over; a
``dateline worker`` process runs :func:`ingest_document` with the extractor it loaded once and the
store it opened once (:mod:`dateline.worker`), and :meth:`JobQueue.get` tells any API instance how
the job stands. A job ends ``done`` (the stored document, or the one already stored with the same
text, as the synchronous ``POST`` answers 200) or ``failed`` with a problem: at once for what the
document itself causes (another text under its id: ``id-conflict``, 409), after its retries for what
the worker could not do (an error, a timeout, a worker that died mid-job: ``job-failed``).

Job arguments and results are JSON (RQ's JSON serializer): no pickles cross machines. No web layer
here: the API turns a :class:`JobView` into a response.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import redis
from rq import Queue, Retry, get_current_job
from rq.exceptions import NoSuchJobError
from rq.job import Job, JobStatus
from rq.registry import StartedJobRegistry
from rq.serializers import JSONSerializer

from dateline.intake.documents import DocumentError, DocumentTooLargeError
from dateline.model import Document, DocumentResult
from dateline.problems import PROBLEM_TYPES
from dateline.queue.contract import FAILURE_TTL, JOB_ID, RESULT_TTL, JobView, Status
from dateline.settings import Settings
from dateline.store import IdConflictError, IngestOutcome

if TYPE_CHECKING:
    from dateline.events.extractor import Extractor
    from dateline.store import Store

log = logging.getLogger(__name__)

QUEUE_NAME = "dateline-ingest"
_STATUS: dict[JobStatus, Status] = {
    JobStatus.QUEUED: "queued",
    JobStatus.DEFERRED: "queued",
    JobStatus.SCHEDULED: "queued",
    JobStatus.CREATED: "queued",
    JobStatus.STARTED: "running",
    JobStatus.FINISHED: "done",
    JobStatus.FAILED: "failed",
    JobStatus.STOPPED: "failed",
    JobStatus.CANCELED: "failed",
}


class QueueUnavailable(RuntimeError):
    """Redis cannot be reached (the API answers 503)."""


class VersionMismatch(RuntimeError):
    """The worker runs other extraction code than the store was filled with (a rolling upgrade in
    progress): storing with it would leave the store inconsistent, so the job is retried, then failed."""


def problem(slug: str, detail: str) -> dict[str, Any]:
    kind = PROBLEM_TYPES[slug]
    return {"type": kind.uri(slug), "title": kind.title, "status": kind.status, "detail": detail}


# --- documents as job arguments -------------------------------------------------------------------


def document_payload(doc: Document) -> dict[str, Any]:
    """The document as JSON (it is what the caller gave, HTML already read into text): the same
    metadata the store keeps for re-extraction."""
    from dateline.store import given_payload

    return {"id": doc.id, "text": doc.text, **given_payload(doc)}


def document_from_payload(data: dict[str, Any]) -> Document:
    from dateline.store import document_from_given

    return document_from_given(data["id"], data["text"], data)


# --- the worker side ------------------------------------------------------------------------------


@dataclass
class WorkerContext:
    """What a worker process loads once and every job uses: the settings, the store, the model."""

    settings: Settings
    store: Store
    extractor: Extractor


_context: WorkerContext | None = None


def set_worker_context(context: WorkerContext | None) -> None:
    global _context
    _context = context


def build_context(settings: Settings) -> WorkerContext:
    """Load the model and open the store (migrating it): what a worker does once, before any job."""
    from dateline.events.extractor import Extractor
    from dateline.store import Store

    return WorkerContext(settings, Store(settings.database_location()), Extractor(settings))


def worker_context() -> WorkerContext:
    """The worker's context. ``dateline worker`` prepares it once before forking its work horses; a
    plain ``rq worker`` gets it built from the environment inside each job's work horse, i.e. the model
    loaded per job (it works, slowly: use ``dateline worker``)."""
    global _context
    if _context is None:
        _context = build_context(Settings.from_env())
    return _context


def _check_versions(context: WorkerContext) -> None:
    """Refuse to write with an extractor other than the store's (the API records its version at start)."""
    from dateline.fingerprint import extractor_version

    mine = extractor_version(getattr(context.extractor.nlp, "meta", {}))
    stored = context.store.extractor_version()
    if stored is not None and stored != mine:
        raise VersionMismatch(
            f"this worker runs extractor {mine} but the store holds extractor {stored}; "
            "upgrade the worker (or the API) so that both run the same release"
        )


def ingest_document(payload: dict[str, Any]) -> dict[str, Any]:
    """The job: extract the document and store it, never replacing another (``Store.ingest``).

    Returns ``{"document": {"id", "created"}}``, or ``{"problem": {...}}`` when the document cannot be
    stored as sent (retrying would not help). Anything else raises, and RQ retries the job. A job
    that ``dateline worker`` ran in a batch (:func:`ingest_batch`) gives its batch's outcome for it.
    """
    staged = _take_staged()
    if staged is not None:
        if isinstance(staged, BaseException):
            raise staged
        return staged
    context = worker_context()
    _check_versions(context)
    prepared = _prepare(context, document_from_payload(payload))
    if isinstance(prepared, dict):
        return prepared
    doc, result = prepared
    try:
        outcome: IngestOutcome | Exception = context.store.ingest(result, given=doc)
    except IdConflictError as exc:
        outcome = exc
    return _answer(outcome, len(result.mentions))


#: a job's answer when it needs no write, else its document and extraction
Prepared = dict[str, Any] | tuple[Document, DocumentResult]

#: outcomes of jobs a batch has run, by job id, until RQ performs each job (``ingest_document``)
_staged: dict[str, dict[str, Any] | BaseException] = {}


def _take_staged() -> dict[str, Any] | BaseException | None:
    job = get_current_job()
    return _staged.pop(job.id, None) if job is not None else None


def stage(outcomes: dict[str, dict[str, Any] | BaseException]) -> None:
    """Keep the outcomes of a batch's jobs until RQ performs each (``dateline worker``)."""
    _staged.update(outcomes)


def unstage(job_id: str) -> None:
    _staged.pop(job_id, None)


def _prepare(context: WorkerContext, doc: Document) -> Prepared:
    """The job's answer when it needs no write (the text is stored, or the document cannot be
    extracted as sent), else the document and its extraction."""
    known = context.store.find_by_content(doc.text)
    if known is not None:
        return {"document": {"id": known.id, "created": False}}
    try:
        result = context.extractor.extract(doc)
    except DocumentTooLargeError as exc:
        return {"problem": problem("document-too-large", str(exc))}
    except DocumentError as exc:
        return {"problem": problem("invalid-document", f"The document is not valid: {exc}")}
    return doc, result


def _answer(outcome: IngestOutcome | Exception, mentions: int) -> dict[str, Any]:
    """A write's outcome as the job's result; an error other than an id conflict raises (retried)."""
    if isinstance(outcome, IdConflictError):
        return {"problem": problem("id-conflict", str(outcome))}
    if isinstance(outcome, Exception):
        raise outcome
    log.info("job stored %s (%d mentions, created %s)", outcome.document.id, mentions, outcome.created)
    return {"document": {"id": outcome.document.id, "created": outcome.created}}


def ingest_batch(
    jobs: Sequence[tuple[str, dict[str, Any]]], guard: Callable[[str | None], AbstractContextManager[Any]]
) -> dict[str, dict[str, Any] | BaseException]:
    """Several jobs as one: each document extracted (inside ``guard(job id)``, its timeout), the new
    ones stored in one transaction and one merge (``Store.ingest_many``, inside ``guard(None)``).
    Per job id what :func:`ingest_document` would have returned or raised, run one by one in this
    order: a document that fails fails its job only, and a text repeated in the batch is stored
    before its repetition looks it up, as it would be one by one."""
    context = worker_context()
    try:
        _check_versions(context)
    except VersionMismatch as exc:
        return {job_id: exc for job_id, _ in jobs}
    out: dict[str, dict[str, Any] | BaseException] = {}
    pending: list[tuple[str, Document, DocumentResult]] = []

    def write() -> None:
        if not pending:
            return
        try:
            with guard(None):
                outcomes = context.store.ingest_many([(result, doc) for _, doc, result in pending])
        except Exception as exc:  # the store's, for every job of the write (each is retried)
            out.update((job_id, exc) for job_id, _, _ in pending)
        else:
            for (job_id, _, result), outcome in zip(pending, outcomes, strict=True):
                try:
                    out[job_id] = _answer(outcome, len(result.mentions))
                except Exception as exc:  # this document's alone
                    out[job_id] = exc
        pending.clear()

    for job_id, payload in jobs:
        try:
            doc = document_from_payload(payload)
            if any(doc.text == other.text for _, other, _ in pending):
                write()
            with guard(job_id):
                prepared = _prepare(context, doc)
        except Exception as exc:  # this job's (its payload, an extraction error, its timeout)
            out[job_id] = exc
            continue
        if isinstance(prepared, dict):
            out[job_id] = prepared
        else:
            pending.append((job_id, *prepared))
    write()
    return out


# --- the API side ---------------------------------------------------------------------------------


def _failure_reason(job: Job, settings: Settings) -> str:
    """Why RQ gave up on a job, in words a client can act on (the traceback stays in the worker's log)."""
    latest = job.latest_result()
    text = (latest.exc_string if latest is not None else None) or ""
    if "AbandonedJobError" in text:
        return "its worker stopped while running it (killed, or its machine lost)"
    if "JobTimeoutException" in text:
        return f"it ran longer than the job timeout (DATELINE_JOB_TIMEOUT={settings.job_timeout} s)"
    if "Work-horse terminated unexpectedly" in text:
        return "the process running it died (out of memory, or killed)"
    mismatch = re.search(r"VersionMismatch: (.+)", text)
    if mismatch:
        return mismatch.group(1).strip()
    lines = [line for line in text.strip().splitlines() if line.strip()]
    name = lines[-1].split(":", 1)[0].strip() if lines else "an unknown error"
    return f"the worker raised {name}"


def _queue_errors(func: Any) -> Any:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except redis.exceptions.RedisError as exc:
            raise QueueUnavailable(f"the job queue cannot be reached: {type(exc).__name__}") from exc

    return wrapper


class JobQueue:
    """The ingestion queue at ``settings.queue_url``, for API instances (enqueue, read) and workers."""

    def __init__(self, settings: Settings) -> None:
        if not settings.queue_url:
            raise ValueError("no queue URL (DATELINE_QUEUE_URL)")
        self.settings = settings
        # a Redis that hangs must not hang the request: a timeout becomes a 503 problem
        self.connection = redis.Redis.from_url(
            settings.queue_url, socket_connect_timeout=5, socket_timeout=5, health_check_interval=30
        )
        self.queue = Queue(
            QUEUE_NAME,
            connection=self.connection,
            serializer=JSONSerializer,
            default_timeout=settings.job_timeout,
        )

    def __repr__(self) -> str:
        return f"JobQueue({self.queue.name!r})"

    @_queue_errors
    def enqueue(self, doc: Document) -> JobView:
        retries = self.settings.job_retries
        job = self.queue.enqueue(
            ingest_document,
            document_payload(doc),
            job_timeout=self.settings.job_timeout,
            result_ttl=RESULT_TTL,
            failure_ttl=FAILURE_TTL,
            retry=Retry(max=retries) if retries else None,
            description=f"ingest {doc.id}",
        )
        return JobView(job.id, "queued")

    @_queue_errors
    def get(self, job_id: str) -> JobView | None:
        """The job's state, or None for an unknown (or expired) id. A job whose worker died is noticed
        here too: its heartbeat expired, so it is retried (queued again) or failed, never left running."""
        if not JOB_ID.fullmatch(job_id):
            return None
        try:
            job = Job.fetch(job_id, connection=self.connection, serializer=JSONSerializer)
        except NoSuchJobError:
            return None
        if job.origin != QUEUE_NAME:
            return None  # another application's job in a shared Redis
        status = job.get_status(refresh=True)
        if status == JobStatus.STARTED and self.queue.acquire_maintenance_lock():
            # the lock RQ's workers take for the same cleanup: two cleaners would requeue a job twice
            try:
                StartedJobRegistry(queue=self.queue).cleanup()
            finally:
                self.queue.release_maintenance_lock()
            status = job.get_status(refresh=True)
        if status is None or status not in _STATUS:
            return None
        state = _STATUS[status]
        if state == "done":
            result = job.return_value() or {}
            if "problem" in result:
                return JobView(job.id, "failed", problem=result["problem"])
            document = result.get("document") or {}
            return JobView(job.id, "done", document_id=document.get("id"), created=document.get("created"))
        if state == "failed":
            detail = f"The document was not ingested: {_failure_reason(job, self.settings)}."
            if status in (JobStatus.STOPPED, JobStatus.CANCELED):
                detail = f"The document was not ingested: the job was {status.value}."
            return JobView(job.id, "failed", problem=problem("job-failed", detail))
        return JobView(job.id, state)
