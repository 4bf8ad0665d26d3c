"""``dateline worker``: a process that takes ingestion jobs off the queue and stores what it extracts.

Run as many as the extraction load needs, on any machine that reaches the queue's Redis and the
store's database. A worker loads the spaCy model and opens the store once, and runs every job in its
own process (no work horse is forked per job): the model's pages stay warm, the database connection
is pooled, and the store's kept merge stays in memory, catching up with the other workers' writes
from the change log at each write. A forked work horse cost a job about half its extraction time
again (copy-on-write faults on the model's pages) plus a connection and a replayed write in the
parent; the queue with 2 workers then ran at 0.36x of ``dateline ingest`` (see docs/performance.md).

A job is never lost: RQ keeps it in a started-jobs registry whose entry lives as long as the worker's
heartbeats keep it alive (one every ``DATELINE_WORKER_HEARTBEAT`` seconds, sent by a thread while a
job runs). When a worker dies (SIGKILL, out of memory, a crash in a job, a lost machine), its entry
expires after six missed heartbeats, and the next registry cleanup -- by another worker, or by the
API when the job is asked about -- queues the job again while it has retries left
(``DATELINE_JOB_RETRIES``), or marks it failed. A job's timeout is RQ's (``SIGALRM`` in the worker).
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from typing import Any

from rq import SimpleWorker
from rq.executions import Execution
from rq.job import Job
from rq.serializers import JSONSerializer
from rq.timeouts import JobTimeoutException
from rq.utils import now
from rq.worker import WorkerStatus

from dateline.queue.jobs import (
    JobQueue,
    WorkerContext,
    build_context,
    ingest_batch,
    ingest_document,
    set_worker_context,
    stage,
    unstage,
)
from dateline.settings import Settings

log = logging.getLogger(__name__)

#: heartbeats a job's worker may miss before the job counts as abandoned: enough that a worker
#: slowed by a saturated machine or a slow Redis is not taken for dead (a minute at the default 10 s)
MISSED_HEARTBEATS = 6
#: the job function a worker runs in batches
INGEST = f"{ingest_document.__module__}.{ingest_document.__qualname__}"


class DatelineWorker(SimpleWorker):
    """RQ's worker running each job in its own process, with heartbeats sent while a job runs and
    abandoned jobs noticed after a few missed heartbeats (RQ's own slack is a fixed minute on top of
    the monitoring interval), and ingestion jobs taken off the queue up to ``batch_size`` at a time
    and written together."""

    #: ingestion jobs run as one batch: extracted one by one, stored in one transaction and merge
    batch_size: int = 1

    def execute_job(self, job: Job, queue: Any) -> None:
        """Run the job, with the ingestion jobs queued behind it up to ``batch_size`` (only those
        already waiting: a batch never waits for jobs to come), and no more than this worker's share
        of them (the other workers of the queue would wait for this one's batch to end)."""
        jobs = [job]
        if self.batch_size > 1 and _batchable(job):
            workers = max(1, self.count(connection=self.connection, queue=queue))
            limit = min(self.batch_size, -(-(queue.count + 1) // workers))
            while len(jobs) < limit and (more := self._claim_next(queue)) is not None:
                jobs.append(more)
        if len(jobs) == 1:
            self._execute_one(job, queue)
        else:
            self._execute_batch(jobs, queue)
        self.set_state(WorkerStatus.IDLE)

    def _claim_next(self, queue: Any) -> Job | None:
        """The next queued job when it is an ingestion job (None when the queue is empty). Another
        kind goes back to the front of the queue at once (out of RQ's intermediate list in the same
        transaction), for the next turn of the loop."""
        found = self.queue_class.dequeue_any(
            [queue],
            None,
            connection=self.connection,
            job_class=self.job_class,
            serializer=self.serializer,
            death_penalty_class=self.death_penalty_class,
        )
        if found is None:
            return None
        job = found[0]
        if _batchable(job):
            self.log.info(
                "Worker %s: %s: %s (%s, in a batch)", self.name, queue.name, job.description, job.id
            )
            return job
        with self.connection.pipeline() as pipeline:
            pipeline.lrem(queue.intermediate_queue_key, 1, job.id)
            pipeline.lpush(queue.key, job.id)
            pipeline.execute()
        return None

    def _execute_one(self, job: Job, queue: Any) -> None:
        """Run the job here, with a thread keeping its heartbeat (and the worker's) alive meanwhile:
        a job that outlives ``get_heartbeat_ttl`` without one would count as abandoned."""
        self.prepare_execution(job)
        done = threading.Event()

        def beat() -> None:
            while not done.wait(self.job_monitoring_interval):
                try:
                    self.maintain_heartbeats(job)
                except Exception:  # a missed beat: the next one (or the registry's slack) covers it
                    log.warning("worker: a heartbeat of job %s could not be sent", job.id, exc_info=True)

        thread = threading.Thread(target=beat, name="dateline-heartbeat", daemon=True)
        thread.start()
        try:
            self.perform_job(job, queue)
        finally:
            done.set()
            thread.join()

    def _execute_batch(self, jobs: list[Job], queue: Any) -> None:
        """Every job started (each its own execution in the started-jobs registry, kept alive by one
        heartbeat thread), the batch extracted and written (:func:`ingest_batch`), then each job
        ended by RQ with its own outcome: a job's status, result, retries and failure are the ones
        it would have had alone. A worker that dies mid-batch leaves every job of it to be retried."""
        executions: dict[str, Execution] = {}
        live: dict[str, Job] = {}
        lock = threading.Lock()
        for job in jobs:
            executions[job.id] = self.prepare_execution(job)
            self.prepare_job_execution(job, remove_from_intermediate_queue=len(self.queues) == 1)
            live[job.id] = job
        done = threading.Event()

        def beat() -> None:
            while not done.wait(self.job_monitoring_interval):
                with lock:
                    try:
                        self._beat(live, executions)
                    except Exception:  # a missed beat: the next one (or the registry's slack) covers it
                        log.warning("worker: heartbeats of a batch could not be sent", exc_info=True)

        by_id = {job.id: job for job in jobs}

        def guard(job_id: str | None) -> Any:
            """A job's extraction within its timeout; the batch's write within the longest."""
            chosen = [by_id[job_id]] if job_id is not None else jobs
            timeout = max(job.timeout or self.queue_class.DEFAULT_TIMEOUT for job in chosen)
            return self.death_penalty_class(timeout, JobTimeoutException, job_id=job_id)

        thread = threading.Thread(target=beat, name="dateline-heartbeat", daemon=True)
        thread.start()
        try:
            try:
                stage(ingest_batch([(job.id, job.args[0]) for job in jobs], guard))
            except Exception:  # the batch's own failure: each job then runs alone (ingest_document)
                log.exception("worker: a batch of %d jobs failed; running them one by one", len(jobs))
            for job in jobs:
                with lock:
                    del live[job.id]
                self.execution = executions[job.id]
                try:
                    self.perform_job(job, queue)
                finally:
                    unstage(job.id)
        finally:
            done.set()
            thread.join()

    def _beat(self, live: dict[str, Job], executions: dict[str, Execution]) -> None:
        """One heartbeat for the worker and for each job of a batch not yet ended."""
        with self.connection.pipeline() as pipeline:
            self.heartbeat(self.job_monitoring_interval + 60, pipeline=pipeline)
            for job in live.values():
                ttl = int(self.get_heartbeat_ttl(job))
                executions[job.id].heartbeat(job.started_job_registry, ttl, pipeline=pipeline)
                job.heartbeat(now(), ttl, pipeline=pipeline, xx=True)
            pipeline.execute()

    def get_heartbeat_ttl(self, job: Job) -> int:
        interval = self.job_monitoring_interval
        if job.timeout and job.timeout > 0:
            interval = max(1, int(min(job.timeout - self.current_job_working_time, interval)))
        return int(interval + (MISSED_HEARTBEATS - 1) * self.job_monitoring_interval)


def _batchable(job: Job) -> bool:
    """An ingestion job whose arguments can be read (anything else runs alone, as RQ runs it)."""
    try:
        return job.func_name == INGEST and len(job.args) == 1 and isinstance(job.args[0], dict)
    except Exception:  # arguments that cannot be read: RQ reports it when it runs the job
        return False


def prepare(settings: Settings) -> WorkerContext:
    """Load the model, open the store and build its kept merge before the first job (every job of
    the worker uses them)."""
    context = build_context(settings)
    try:
        context.store.refresh()
    except Exception:  # a database briefly down: the first job's write builds or catches up instead
        log.exception("worker: the store's kept merge could not be built at start")
    set_worker_context(context)
    return context


def build_worker(settings: Settings, *, name: str | None = None) -> DatelineWorker:
    heartbeat = max(1, settings.worker_heartbeat)
    queue = JobQueue(settings)
    worker = DatelineWorker(
        [queue.queue],
        connection=queue.connection,
        serializer=JSONSerializer,
        name=name or f"dateline-{socket.gethostname()}-{os.getpid()}",
        job_monitoring_interval=heartbeat,
        # the registries are cleaned (abandoned jobs requeued) about as often as a job is abandoned,
        # and an idle worker wakes up for it
        maintenance_interval=MISSED_HEARTBEATS * heartbeat,
        worker_ttl=15 + 2 * heartbeat,
    )
    worker.batch_size = max(1, settings.write_batch)
    return worker


def run(settings: Settings, *, burst: bool = False, name: str | None = None) -> int:
    """Process jobs until stopped (SIGTERM/SIGINT: the current job finishes first), or with ``burst``
    until the queue is empty. Returns the exit status."""
    from dateline.logs import configure

    logger = configure(json_lines=settings.log_json)
    # RQ's own lines in the same format (RQ adds no handler of its own when one is there)
    rq_logger = logging.getLogger("rq")
    rq_logger.handlers = list(logger.handlers)
    rq_logger.setLevel(logging.INFO)
    rq_logger.propagate = False
    context = prepare(settings)
    worker = build_worker(settings, name=name)
    log.info("worker %s: queue %s, store %s", worker.name, settings.queue_url, context.store)
    worker.work(burst=burst, logging_level="INFO", with_scheduler=False)
    return 0
