"""Ingestion through the job queue (RQ on a real Redis, the store on SQLite or PostgreSQL).

In-process: POST /v1/documents answers 202 with a job that a worker turns into the stored document;
input that can be judged at once still is; a job ends done or failed with a problem, never unknown.
Across processes (PostgreSQL + Redis, the multi-machine layout): two ``dateline worker`` processes
consume what an API instance queues, and the timeline equals the synchronous one; a worker killed
mid-job leaves the job retried by another worker, or reported failed.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import redis
from rq import SimpleWorker, Worker
from rq.job import Job
from rq.serializers import JSONSerializer
from werkzeug.serving import make_server

from conftest import ARTICLES, REPO_SEEDS, Backend
from dateline.model import Document, Published
from dateline.queue.jobs import (
    JobQueue,
    WorkerContext,
    document_from_payload,
    document_payload,
    set_worker_context,
)
from dateline.settings import Settings
from dateline.store import Store

ROOT = Path(__file__).resolve().parents[1]
PROBLEM = "application/problem+json"
VISIT = "Vladimir Putin arrived in Pyongyang on 19 June 2024 for talks with Kim Jong Un."
SUMMIT = "Leaders met in Brussels on 3 March 2025 for an emergency summit on energy prices."


@pytest.fixture
def queue_url(redis_url: str) -> Iterator[str]:
    """The session's Redis, emptied before and after the test (each test has its own queue)."""
    connection = redis.Redis.from_url(redis_url)
    connection.flushdb()
    yield redis_url
    connection.flushdb()
    connection.close()


@pytest.fixture
def queued_app(
    backend: Backend, store_location: str | Path, queue_url: str, extractor: Any
) -> Iterator[tuple[Any, Callable[[], None]]]:
    """An app that queues what it ingests, and ``work()``: a worker in this process (no fork) that
    processes every queued job with the session's extractor and the app's store."""
    from dateline.api import create_app

    settings = backend.settings(store_location, seed_path="", queue_url=queue_url, job_retries=0)
    app = create_app({"TESTING": True, "DATELINE": settings, "DATELINE_EXTRACTOR": extractor})
    res = app.extensions["dateline"]
    set_worker_context(WorkerContext(settings, res.store, extractor))

    def work() -> None:
        queue = res.queue
        SimpleWorker([queue.queue], connection=queue.connection, serializer=JSONSerializer).work(burst=True)

    yield app, work
    set_worker_context(None)


def _job(client: Any, response: Any) -> dict[str, Any]:
    assert response.status_code == 202, response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "no-store"
    job = response.get_json()
    assert response.headers["Location"] == job["url"] == f"/v1/jobs/{job['id']}"
    assert job["status"] == "queued"
    return job


def test_a_queued_document_is_stored_by_a_worker(
    queued_app: tuple[Any, Callable[[], None]], json_schema: Callable[[str], Any]
) -> None:
    app, work = queued_app
    client = app.test_client()
    response = client.post("/v1/documents", json={"id": "visit", "text": VISIT, "published": "2024-06-20"})
    job = _job(client, response)
    json_schema("job.schema.json").validate(job)
    assert client.get(job["url"]).get_json()["status"] == "queued"
    assert client.get("/v1/documents/visit").status_code == 404, "not stored before a worker runs"
    scrape = client.get("/metrics").get_data(as_text=True)
    assert 'dateline_documents_ingested_total{outcome="queued"}' in scrape

    work()
    done = client.get(job["url"])
    assert done.status_code == 200 and done.headers["Cache-Control"] == "no-store"
    body = done.get_json()
    json_schema("job.schema.json").validate(body)
    assert body["status"] == "done"
    assert body["document"] == {"id": "visit", "url": "/v1/documents/visit", "created": True}
    stored = client.get(body["document"]["url"]).get_json()
    assert stored["published"] == {"value": "2024-06-20", "basis": "given"}
    assert stored["events"], "the worker extracted events"
    assert app.extensions["dateline"].store.verify() == []


def test_the_known_text_and_taken_ids_are_answered_at_once(
    queued_app: tuple[Any, Callable[[], None]],
) -> None:
    app, work = queued_app
    client = app.test_client()
    _job(client, client.post("/v1/documents", json={"id": "visit", "text": VISIT}))
    work()
    again = client.post("/v1/documents", json={"id": "other", "text": VISIT})
    assert again.status_code == 200 and again.get_json()["id"] == "visit", "the stored document, no job"
    conflict = client.post("/v1/documents", json={"id": "visit", "text": SUMMIT})
    assert conflict.status_code == 409 and conflict.mimetype == PROBLEM
    assert "visit" in conflict.get_json()["detail"]
    assert len(app.extensions["dateline"].queue.queue) == 0, "nothing queued"


@pytest.mark.parametrize(
    ("body", "content_type", "status", "detail"),
    [
        (b"{not json", "application/json", 400, "not valid JSON"),
        (json.dumps({"title": "no text"}).encode(), "application/json", 422, "text"),
        (json.dumps([{"text": VISIT}]).encode(), "application/json", 422, "one document"),
        (b"caf\xe9", "text/plain", 400, "UTF-8"),
        (b"plain", "application/xml", 415, "Content-Type"),
        (json.dumps({"text": VISIT, "published": "2999-01-01"}).encode(), "application/json", 422, "future"),
    ],
)
def test_bad_input_is_refused_before_queueing(
    queued_app: tuple[Any, Callable[[], None]], body: bytes, content_type: str, status: int, detail: str
) -> None:
    app, _work = queued_app
    response = app.test_client().post("/v1/documents", data=body, content_type=content_type)
    assert response.status_code == status and response.mimetype == PROBLEM
    assert detail in response.get_json()["detail"]
    assert len(app.extensions["dateline"].queue.queue) == 0


def test_what_the_worker_finds_decides_the_outcome(queued_app: tuple[Any, Callable[[], None]]) -> None:
    """Between queueing and working, another writer stored the same text (done, pointing at its
    document, like the synchronous 200) or another text under the id (failed: an id conflict, 409)."""
    app, work = queued_app
    client = app.test_client()
    store = app.extensions["dateline"].store
    extractor = app.extensions["dateline"].extractor
    same = _job(client, client.post("/v1/documents", json={"id": "mine", "text": VISIT}))
    taken = _job(client, client.post("/v1/documents", json={"id": "taken", "text": SUMMIT}))
    store.ingest(extractor.extract(Document(id="theirs", text=VISIT)))
    store.ingest(extractor.extract(Document(id="taken", text=SUMMIT + " Another outlet's version.")))
    work()

    first = client.get(same["url"]).get_json()
    assert first["status"] == "done"
    assert first["document"] == {"id": "theirs", "url": "/v1/documents/theirs", "created": False}
    second = client.get(taken["url"]).get_json()
    assert second["status"] == "failed" and "document" not in second
    problem = second["problem"]
    assert problem["status"] == 409 and problem["type"].endswith(":id-conflict")
    assert problem["instance"] == taken["url"] and "taken" in problem["detail"]
    assert store.verify() == []


def test_a_job_that_raises_is_reported_failed(
    queued_app: tuple[Any, Callable[[], None]], monkeypatch: pytest.MonkeyPatch
) -> None:
    app, work = queued_app
    client = app.test_client()
    job = _job(client, client.post("/v1/documents", json={"text": VISIT}))

    def broken(*_args: Any) -> Any:
        raise RuntimeError("model exploded at /srv/secret")

    monkeypatch.setattr(app.extensions["dateline"].extractor, "extract", broken)
    work()
    body = client.get(job["url"]).get_json()
    assert body["status"] == "failed"
    problem = body["problem"]
    assert problem["status"] == 500 and problem["type"].endswith(":job-failed")
    assert "RuntimeError" in problem["detail"] and "secret" not in problem["detail"]


def test_a_worker_with_another_extractor_than_the_store_refuses(
    queued_app: tuple[Any, Callable[[], None]],
) -> None:
    """A rolling upgrade half done: the job fails (after its retries) rather than mixing versions."""
    app, work = queued_app
    client = app.test_client()
    store = app.extensions["dateline"].store
    store.set_extractor_version("0.0.0+another-release")
    job = _job(client, client.post("/v1/documents", json={"id": "visit", "text": VISIT}))
    work()
    body = client.get(job["url"]).get_json()
    assert body["status"] == "failed" and body["problem"]["type"].endswith(":job-failed")
    assert "0.0.0+another-release" in body["problem"]["detail"]
    assert "upgrade the worker" in body["problem"]["detail"]
    assert store.get_document("visit") is None


@pytest.mark.parametrize("job_id", ["0f1e2d3c-aaaa-bbbb-cccc-000000000000", "rq:job:x", "x" * 80])
def test_an_unknown_job_is_404(queued_app: tuple[Any, Callable[[], None]], job_id: str) -> None:
    app, _work = queued_app
    response = app.test_client().get(f"/v1/jobs/{job_id}")
    assert response.status_code == 404 and response.mimetype == PROBLEM
    assert "No job" in response.get_json()["detail"]


@pytest.mark.parametrize("job_id", ["abc%0A", "abc%0D%0A", "rq:job:x", "a%20b"])
def test_what_is_not_a_job_id_never_reaches_redis(
    queued_app: tuple[Any, Callable[[], None]], monkeypatch: pytest.MonkeyPatch, job_id: str
) -> None:
    app, _work = queued_app

    def fetch(*_args: Any, **_kwargs: Any) -> Any:
        raise AssertionError("an invalid job id reached Redis")

    monkeypatch.setattr(Job, "fetch", fetch)
    response = app.test_client().get(f"/v1/jobs/{job_id}")
    assert response.status_code == 404 and response.mimetype == PROBLEM


def test_another_applications_job_is_not_ours(queued_app: tuple[Any, Callable[[], None]]) -> None:
    """A shared Redis holds other queues' jobs: their ids are 404 here, not a 500."""
    from rq import Queue

    app, _work = queued_app
    connection = app.extensions["dateline"].queue.connection
    elsewhere = Queue("someone-else", connection=connection, serializer=JSONSerializer)
    other = elsewhere.enqueue("builtins.len", "abc")
    response = app.test_client().get(f"/v1/jobs/{other.id}")
    assert response.status_code == 404 and response.mimetype == PROBLEM


def test_without_a_queue_ingestion_stays_synchronous(fresh_client: Any) -> None:
    response = fresh_client.post("/v1/documents", json={"id": "visit", "text": VISIT})
    assert response.status_code == 201 and response.headers["Location"] == "/v1/documents/visit"
    jobs = fresh_client.get("/v1/jobs/0f1e2d3c-aaaa-bbbb-cccc-000000000000")
    assert jobs.status_code == 404 and "DATELINE_QUEUE_URL" in jobs.get_json()["detail"]


def test_an_unreachable_queue_is_503(make_app: Callable[..., Any]) -> None:
    from servers import free_port

    app = make_app(queue_url=f"redis://127.0.0.1:{free_port()}/0")
    client = app.test_client()
    response = client.post("/v1/documents", json={"text": VISIT})
    assert response.status_code == 503 and response.mimetype == PROBLEM
    assert "queue cannot be reached" in response.get_json()["detail"]
    assert client.get("/v1/jobs/0f1e2d3c-aaaa-bbbb-cccc-000000000000").status_code == 503


@pytest.mark.parametrize(
    "doc",
    [
        Document(id="a", text="t"),
        Document(
            id="b",
            text="Grüße – “quoted”",
            title="T",
            publisher="P",
            url="https://example.org/b",
            author="A",
            published=Published(date(2024, 6, 20), "given"),
        ),
    ],
)
def test_documents_travel_as_json(doc: Document) -> None:
    payload = document_payload(doc)
    assert document_from_payload(json.loads(json.dumps(payload))) == doc


def test_the_worker_command_needs_a_queue(monkeypatch: pytest.MonkeyPatch, capsys: Any) -> None:
    from dateline.cli import main

    monkeypatch.delenv("DATELINE_QUEUE_URL", raising=False)
    assert main(["worker", "--burst"]) == 1
    assert "DATELINE_QUEUE_URL" in capsys.readouterr().err


# --- processes: an API instance, workers, PostgreSQL and Redis -------------------------------------


@contextmanager
def serve(app: Any) -> Iterator[str]:
    """The app on a loopback port, in a thread (what gunicorn would serve)."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(10)


def http(base: str, method: str, path: str, body: Any = None) -> tuple[int, Any]:
    import urllib.error
    import urllib.request

    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(base + path, data=data, method=method)
    if data is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def start_worker(
    env: dict[str, str], log: Path, *, slow: bool = False, name: str | None = None
) -> subprocess.Popen[bytes]:
    argv = (
        [sys.executable, str(ROOT / "tests" / "slow_worker.py")]
        if slow
        else [sys.executable, "-m", "dateline.cli", "worker"]
    )
    if name:
        argv += ["--name", name]
    with log.open("ab") as out:
        return subprocess.Popen(argv, env=env, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT)


def stop_worker(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)  # warm shutdown: the current job finishes first
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def children(pid: int) -> list[int]:
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                out.append(int(entry.name))
    return out


def wait_for(check: Callable[[], Any], timeout: float, what: str) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


@pytest.fixture
def multi_machine(
    databases: Any, queue_url: str, extractor: Any, tmp_path: Path
) -> Iterator[tuple[Settings, dict[str, str], Any]]:
    """The layout of compose.yaml on loopback: the store in PostgreSQL, the queue in Redis, an API
    instance (in a thread) and the environment a ``dateline worker`` process gets."""
    from dateline.api import create_app

    database = databases.create()
    settings = Settings(
        database_url=database, queue_url=queue_url, seed_path="", job_retries=1, log_json=False
    )
    env = {
        **os.environ,
        "DATELINE_DATABASE_URL": database,
        "DATELINE_QUEUE_URL": queue_url,
        "DATELINE_WORKER_HEARTBEAT": "1",
        "DATELINE_LOG_JSON": "0",
    }
    app = create_app({"TESTING": True, "DATELINE": settings, "DATELINE_EXTRACTOR": extractor})
    yield settings, env, app
    app.extensions["dateline"].store.close()


def corpus() -> list[dict[str, Any]]:
    """The annotated articles (JSON with metadata) and the repo's seed articles (plain text)."""
    docs = [
        json.loads(p.read_text("utf-8")) for p in sorted(ARTICLES.glob("*.json")) if p.name != "expected.json"
    ]
    docs += [
        {"id": p.stem.replace("_", "-"), "text": p.read_text("utf-8")}
        for p in sorted(REPO_SEEDS.glob("*.txt"))
    ]
    return docs


@pytest.mark.slow
def test_two_workers_build_the_synchronous_timeline(
    multi_machine: tuple[Settings, dict[str, str], Any], make_app: Callable[..., Any], tmp_path: Path
) -> None:
    settings, env, app = multi_machine
    docs = corpus()
    queue = app.extensions["dateline"].queue
    names = {"worker-a", "worker-b"}
    workers = [start_worker({**env}, tmp_path / f"{name}.log", name=name) for name in sorted(names)]
    try:
        # both listening before anything is queued, so the jobs are shared out
        wait_for(lambda: {w.name for w in Worker.all(queue=queue.queue)} == names, 90, "both workers")
        with serve(app) as base:
            jobs = []
            for doc in docs:
                status, body = http(base, "POST", "/v1/documents", doc)
                assert status == 202, body
                jobs.append(body)

            def all_done() -> list[Any] | None:
                states = [http(base, "GET", job["url"])[1] for job in jobs]
                assert not [s for s in states if s["status"] == "failed"], states
                return states if all(s["status"] == "done" for s in states) else None

            states = wait_for(all_done, 180, "every job done")
            assert sorted(s["document"]["id"] for s in states) == sorted(d["id"] for d in docs)
            status, queued_timeline = http(base, "GET", "/v1/timeline?limit=5000")
            assert status == 200
    finally:
        for proc in workers:
            stop_worker(proc)
    ran = {
        Job.fetch(job["id"], connection=queue.connection, serializer=JSONSerializer).worker_name
        for job in jobs
    }
    assert ran == names, "both workers took jobs"

    reference = make_app().test_client()
    for doc in docs:
        assert reference.post("/v1/documents", json=doc).status_code == 201
    synchronous = reference.get("/v1/timeline?limit=5000").get_json()

    # the same events, in any order among ties (the merger can give two events one id and date)
    def content(event: dict[str, Any]) -> str:
        return json.dumps(event, sort_keys=True)

    assert sorted(queued_timeline["events"], key=content) == sorted(synchronous["events"], key=content)
    assert queued_timeline["count"] == synchronous["count"] > 0
    assert Store(settings.database_url).verify() == []


@pytest.mark.slow
@pytest.mark.parametrize("retries", [1, 0])
def test_a_worker_killed_mid_job_loses_no_job(
    multi_machine: tuple[Settings, dict[str, str], Any], tmp_path: Path, retries: int
) -> None:
    """SIGKILL a worker while it extracts a batch of two jobs: their heartbeats (sent by the worker's
    thread) stop, and both are queued again for another worker (retries left) or reported failed
    (none left), never left running."""
    from dataclasses import replace

    settings, env, app = multi_machine
    res = app.extensions["dateline"]
    res.queue = JobQueue(replace(settings, job_retries=retries))
    client = app.test_client()
    job = _job(client, client.post("/v1/documents", json={"id": "visit", "text": VISIT}))
    second = _job(client, client.post("/v1/documents", json={"id": "summit", "text": SUMMIT}))
    slow = start_worker({**env, "DATELINE_TEST_EXTRACT_DELAY": "60"}, tmp_path / "slow.log", slow=True)
    rescuer = None
    try:
        wait_for(lambda: client.get(job["url"]).get_json()["status"] == "running", 90, "the job to start")
        assert client.get(second["url"]).get_json()["status"] == "running", "taken in the same batch"
        assert not children(slow.pid), "the worker runs its jobs itself (no work horse)"
        os.kill(slow.pid, signal.SIGKILL)
        slow.wait(10)
        if retries:
            rescuer = start_worker({**env}, tmp_path / "rescuer.log")
        seen = set()

        def ended() -> list[dict[str, Any]] | None:
            bodies = [client.get(j["url"]).get_json() for j in (job, second)]
            seen.update(body["status"] for body in bodies)
            return bodies if all(body["status"] in ("done", "failed") for body in bodies) else None

        body, other = wait_for(ended, 90, "the jobs to end")
    finally:
        for proc in (slow, rescuer):
            if proc is not None:
                stop_worker(proc)
    if retries:
        assert body["status"] == "done", (body, (tmp_path / "rescuer.log").read_text(errors="replace"))
        assert body["document"]["id"] == "visit"
        assert other["status"] == "done" and other["document"]["id"] == "summit"
        assert res.store.get_document("visit") is not None and res.store.verify() == []
    else:
        assert body["status"] == "failed"
        assert body["problem"]["type"].endswith(":job-failed")
        assert "worker stopped" in body["problem"]["detail"]
        assert other["status"] == "failed" and "worker stopped" in other["problem"]["detail"]
        assert res.store.count() == 0
