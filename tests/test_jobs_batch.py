"""Queued jobs written in batches (``dateline worker``, ``DATELINE_WRITE_BATCH``): a worker takes the
ingestion jobs already waiting, up to the batch size, extracts each and stores the new documents in
one transaction and one merge; every job still ends as it would have alone (its own status, result,
problem and timeout), and the store equals a full merge of what it holds."""

from __future__ import annotations

import time
from dataclasses import replace
from typing import Any

import pytest
from rq.job import Job
from rq.serializers import JSONSerializer

import test_jobs
from dateline.model import Document
from dateline.queue.jobs import JobQueue
from dateline.queue.worker import build_worker
from test_jobs import SUMMIT, VISIT, _job

#: the queue tests' fixtures: the session's Redis emptied, an app that queues what it ingests
queue_url = test_jobs.queue_url
queued_app = test_jobs.queued_app

#: short reports of their own, one event each
REPORTS = [
    "Flooding closed the port of Rotterdam on 4 February 2025, officials said.",
    "A cyclone struck the coast of Mozambique on 11 March 2025, killing dozens.",
    "Voters in Chile went to the polls on 6 April 2025 in a disputed referendum.",
    "Miners at the Escondida copper mine went on strike on 2 May 2025 over wages.",
]


def work(app: Any, batch: int) -> None:
    """A ``dateline worker`` of batch size ``batch`` in this process, until the queue is empty."""
    settings = replace(app.extensions["dateline"].settings, write_batch=batch)
    worker = build_worker(settings, name=f"batch-test-{time.monotonic_ns()}")
    assert worker.batch_size == batch
    worker.work(burst=True)


def post(client: Any, doc: dict[str, Any]) -> dict[str, Any]:
    return _job(client, client.post("/v1/documents", json=doc))


def status(client: Any, job: dict[str, Any]) -> dict[str, Any]:
    body: dict[str, Any] = client.get(job["url"]).get_json()
    return body


@pytest.mark.parametrize(("batch", "writes"), [(1, 4), (3, 2), (20, 1)])
def test_a_batch_is_one_write(queued_app: tuple[Any, Any], batch: int, writes: int) -> None:
    """Four new documents: one write per batch (the store's revision counts writes), each job done
    with its own document, and the events those of a full merge."""
    app, _work = queued_app
    client = app.test_client()
    store = app.extensions["dateline"].store
    jobs = [post(client, {"id": f"r{i}", "text": text}) for i, text in enumerate(REPORTS)]
    before = store.revision()
    work(app, batch)
    assert store.revision() - before == writes
    for i, job in enumerate(jobs):
        body = status(client, job)
        assert body["status"] == "done", body
        assert body["document"] == {"id": f"r{i}", "url": f"/v1/documents/r{i}", "created": True}
    assert store.count() == len(REPORTS) and store.verify() == []


def test_each_job_of_a_batch_ends_as_it_would_alone(
    queued_app: tuple[Any, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """One batch: a new document, its text again under another id (done, pointing at the first, as
    one by one), an id another writer took meanwhile (failed, 409), a document whose extraction
    raises (failed, 500), and another new document: the failures lose no other document."""
    app, _work = queued_app
    client = app.test_client()
    res = app.extensions["dateline"]
    extract = res.extractor.extract

    def fragile(doc: Document, *args: Any, **kwargs: Any) -> Any:
        if "exploded" in doc.text:
            raise RuntimeError("the model exploded")
        return extract(doc, *args, **kwargs)

    first = post(client, {"id": "visit", "text": VISIT})
    again = post(client, {"id": "again", "text": VISIT})
    taken = post(client, {"id": "taken", "text": REPORTS[0]})
    broken = post(client, {"id": "broken", "text": "A reactor exploded in Ohio on 3 May 2025."})
    summit = post(client, {"id": "summit", "text": SUMMIT})
    res.store.ingest(extract(Document(id="taken", text=REPORTS[1])))
    monkeypatch.setattr(res.extractor, "extract", fragile)
    work(app, 20)

    assert status(client, first)["document"] == {"id": "visit", "url": "/v1/documents/visit", "created": True}
    body = status(client, again)
    assert body["status"] == "done"
    assert body["document"] == {"id": "visit", "url": "/v1/documents/visit", "created": False}
    body = status(client, taken)
    assert body["status"] == "failed" and body["problem"]["status"] == 409
    assert body["problem"]["type"].endswith(":id-conflict") and "taken" in body["problem"]["detail"]
    body = status(client, broken)
    assert body["status"] == "failed" and body["problem"]["type"].endswith(":job-failed")
    assert "RuntimeError" in body["problem"]["detail"]
    body = status(client, summit)
    assert body["status"] == "done" and body["document"]["created"] is True
    assert sorted(d.id for d in res.store.documents()) == ["summit", "taken", "visit"]
    assert res.store.verify() == []


def test_a_job_over_its_timeout_fails_alone(
    queued_app: tuple[Any, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each job's extraction keeps the job's own timeout inside a batch."""
    app, _work = queued_app
    client = app.test_client()
    res = app.extensions["dateline"]
    res.queue = JobQueue(replace(res.settings, job_timeout=2, job_retries=0))
    extract = res.extractor.extract

    def slow(doc: Document, *args: Any, **kwargs: Any) -> Any:
        if doc.id == "slow":
            time.sleep(10)
        return extract(doc, *args, **kwargs)

    monkeypatch.setattr(res.extractor, "extract", slow)
    fast = post(client, {"id": "fast", "text": REPORTS[0]})
    late = post(client, {"id": "slow", "text": REPORTS[1]})
    work(app, 20)
    assert status(client, fast)["status"] == "done"
    body = status(client, late)
    assert body["status"] == "failed" and "job timeout" in body["problem"]["detail"]
    assert [d.id for d in res.store.documents()] == ["fast"]


def test_other_jobs_are_not_batched(queued_app: tuple[Any, Any]) -> None:
    """A job of another function on the queue goes back to its place and runs alone, in order."""
    app, _work = queued_app
    client = app.test_client()
    queue = app.extensions["dateline"].queue
    first = post(client, {"id": "r0", "text": REPORTS[0]})
    other = queue.queue.enqueue("builtins.len", "abc")
    second = post(client, {"id": "r1", "text": REPORTS[1]})
    work(app, 20)
    assert status(client, first)["status"] == status(client, second)["status"] == "done"
    job = Job.fetch(other.id, connection=queue.connection, serializer=JSONSerializer)
    assert job.return_value() == 3
    assert len(queue.queue) == 0 and not queue.queue.intermediate_queue.get_job_ids()


def test_the_batch_size_is_a_setting(queued_app: tuple[Any, Any]) -> None:
    app, _work = queued_app
    settings = app.extensions["dateline"].settings
    assert settings.write_batch == 20
    assert build_worker(replace(settings, write_batch=0), name="size-zero").batch_size == 1


def test_a_worker_takes_its_share_of_the_waiting_jobs(queued_app: tuple[Any, Any]) -> None:
    """With another worker on the queue, a batch takes half of what waits (4 jobs: a batch of 2, then
    of 1 and 1), so the other worker does not stand idle while one works through everything."""
    app, _work = queued_app
    client = app.test_client()
    store = app.extensions["dateline"].store
    other = build_worker(app.extensions["dateline"].settings, name=f"idle-{time.monotonic_ns()}")
    other.register_birth()
    try:
        jobs = [post(client, {"id": f"r{i}", "text": text}) for i, text in enumerate(REPORTS)]
        before = store.revision()
        work(app, 20)
    finally:
        other.register_death()
    assert store.revision() - before == 3
    assert all(status(client, job)["status"] == "done" for job in jobs)
