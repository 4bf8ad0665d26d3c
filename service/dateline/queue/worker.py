"""``dateline worker``: a process that takes ingestion jobs off the queue and stores what it extracts.

Run as many as the extraction load needs, on any machine that reaches the queue's Redis and the
store's database. A worker loads the spaCy model and opens the store once, then RQ forks a work horse
per job (it inherits the model; a crash in a job never takes the worker down).

A job is never lost: RQ keeps it in a started-jobs registry whose entry lives as long as the worker's
heartbeats keep it alive (one every ``DATELINE_WORKER_HEARTBEAT`` seconds). When a worker dies
(SIGKILL, a lost machine), its entry expires after six missed heartbeats, and the next registry
cleanup -- by another worker, or by the API when the job is asked about -- queues the job again while
it has retries left (``DATELINE_JOB_RETRIES``), or marks it failed.
"""

from __future__ import annotations

import logging
import os
import socket
from typing import Any

from rq import Worker
from rq.job import Job
from rq.serializers import JSONSerializer

from dateline.queue.jobs import JobQueue, WorkerContext, build_context, set_worker_context, worker_context
from dateline.settings import Settings

log = logging.getLogger(__name__)

#: heartbeats a job's worker may miss before the job counts as abandoned: enough that a worker
#: slowed by a saturated machine or a slow Redis is not taken for dead (a minute at the default 10 s)
MISSED_HEARTBEATS = 6


class DatelineWorker(Worker):
    """RQ's forking worker with abandoned jobs noticed after a few missed heartbeats (RQ's own slack
    is a fixed minute on top of the monitoring interval)."""

    def fork_work_horse(self, job: Job, queue: Any) -> None:
        """Bring the store's kept merge up to date before the fork: the work horse inherits it and
        its write costs what the document changes. Without this every horse would start from the
        archive of the worker's start and rebuild it; the parent never sees its horses' writes,
        so it replays them from the store's change log here, one write each."""
        try:
            worker_context().store.refresh()
        except Exception:  # the horse builds or catches up itself; the job is not held up
            log.exception("worker: the store's kept merge could not be refreshed before a job")
        super().fork_work_horse(job, queue)

    def get_heartbeat_ttl(self, job: Job) -> int:
        interval = self.job_monitoring_interval
        if job.timeout and job.timeout > 0:
            interval = max(1, int(min(job.timeout - self.current_job_working_time, interval)))
        return int(interval + (MISSED_HEARTBEATS - 1) * self.job_monitoring_interval)


def prepare(settings: Settings) -> WorkerContext:
    """Load the model and open the store before the first job; every work horse inherits them."""
    context = build_context(settings)
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
