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
from rq.job import Job
from rq.serializers import JSONSerializer
from rq.worker import WorkerStatus

from dateline.queue.jobs import JobQueue, WorkerContext, build_context, set_worker_context
from dateline.settings import Settings

log = logging.getLogger(__name__)

#: heartbeats a job's worker may miss before the job counts as abandoned: enough that a worker
#: slowed by a saturated machine or a slow Redis is not taken for dead (a minute at the default 10 s)
MISSED_HEARTBEATS = 6


class DatelineWorker(SimpleWorker):
    """RQ's worker running each job in its own process, with heartbeats sent while a job runs and
    abandoned jobs noticed after a few missed heartbeats (RQ's own slack is a fixed minute on top of
    the monitoring interval)."""

    def execute_job(self, job: Job, queue: Any) -> None:
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
        self.set_state(WorkerStatus.IDLE)

    def get_heartbeat_ttl(self, job: Job) -> int:
        interval = self.job_monitoring_interval
        if job.timeout and job.timeout > 0:
            interval = max(1, int(min(job.timeout - self.current_job_working_time, interval)))
        return int(interval + (MISSED_HEARTBEATS - 1) * self.job_monitoring_interval)


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
    return DatelineWorker(
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
