"""The real server under load and faults: gunicorn with the repo's gunicorn.conf.py on a free loopback
port. Eight concurrent clients lose nothing; workers killed with SIGKILL mid-ingest leave the store
consistent and the service answering; a restart keeps everything; metrics add up across workers."""

from __future__ import annotations

import http.client
import json
import os
import random
import re
import signal
import socket
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from dateline.store import Store

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
COUNTRIES = ["France", "Germany", "Japan", "Brazil", "Kenya", "Canada", "India", "Mexico"]
OUTLETS = ["Wire", "Herald", "Courier", "Gazette", "Tribune", "Observer", "Monitor", "Post"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    proc: subprocess.Popen[bytes]
    port: int
    store_path: Path
    log_path: Path

    def request(
        self, method: str, path: str, body: Any = None, timeout: float = 60
    ) -> tuple[int, dict[str, str], bytes]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            headers = {}
            data = None
            if body is not None:
                data = json.dumps(body).encode("utf-8")
                headers["Content-Type"] = "application/json"
            conn.request(method, path, body=data, headers=headers)
            response = conn.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            conn.close()

    def json(self, path: str) -> Any:
        status, _, body = self.request("GET", path)
        assert status == 200, body
        return json.loads(body)

    def log(self) -> list[dict[str, Any]]:
        lines = self.log_path.read_text(encoding="utf-8").splitlines()
        return [json.loads(line) for line in lines if line.startswith("{")]

    def workers(self) -> list[int]:
        """Pids of the master's worker processes (children)."""
        pids = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    stat = (entry / "stat").read_text()
                except OSError:
                    continue
                if int(stat.rsplit(")", 1)[1].split()[1]) == self.proc.pid:
                    pids.append(int(entry.name))
        return pids


def start(
    tmp_path: Path, store_path: Path, *, workers: int = 2, seed: str = "", tag: str = "server"
) -> Server:
    port = free_port()
    log_path = tmp_path / f"{tag}.log"
    env = {
        **os.environ,
        "DATELINE_BIND": f"127.0.0.1:{port}",
        "DATELINE_WORKERS": str(workers),
        "DATELINE_STORE_PATH": str(store_path),
        "DATELINE_SEED_PATH": seed,
        "DATELINE_METRICS_DIR": str(tmp_path / f"{tag}-metrics"),
        # these tests put hundreds of writes through one client address in seconds
        "DATELINE_WRITE_RATE_LIMIT": "",
    }
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--config", str(ROOT / "gunicorn.conf.py")],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    server = Server(proc, port, store_path, log_path)
    deadline = time.monotonic() + 120
    while True:
        assert proc.poll() is None, log_path.read_text()
        try:
            if server.request("GET", "/readyz", timeout=5)[0] == 200 and len(server.workers()) == workers:
                return server
        except OSError:
            pass
        assert time.monotonic() < deadline, "gunicorn did not become ready"
        time.sleep(0.3)


def stop(server: Server) -> None:
    server.proc.send_signal(signal.SIGTERM)
    try:
        server.proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.proc.kill()
        server.proc.wait(timeout=10)


@pytest.fixture
def servers(tmp_path: Path) -> Iterator[list[Server]]:
    """Servers a test starts (stopped afterwards whatever happens)."""
    started: list[Server] = []
    yield started
    for server in started:
        if server.proc.poll() is None:
            stop(server)


def report(event: int, outlet: str) -> dict[str, Any]:
    """One outlet's article about event number ``event`` (the same event for every outlet)."""
    day = date(2020, 1, 1) + timedelta(days=event * 11)
    a, b = COUNTRIES[event % 8], COUNTRIES[(event + 3) % 8]
    text = (
        f"The foreign minister of {a} visited {b} on {day.day} {day:%B} {day.year}, "
        f"the {outlet} reported. Talks covered trade."
    )
    return {"id": f"{outlet.lower()}-{event:03d}", "text": text, "publisher": outlet}


def metric(text: str, name: str, **labels: str) -> float:
    wanted = ",".join(f'{k}="{v}"' for k, v in labels.items())
    pattern = re.escape(name) + (r"\{" + re.escape(wanted) + r"\}" if labels else "") + r" ([0-9.e+-]+)$"
    match = re.search(pattern, text, re.M)
    return float(match.group(1)) if match else 0.0


def test_eight_clients_lose_nothing(tmp_path: Path, servers: list[Server]) -> None:
    """8 clients x 25 documents at once: every document stored once, every event merged across all
    eight outlets, metrics summed over both workers."""
    server = start(tmp_path, tmp_path / "load.sqlite3", workers=2)
    servers.append(server)
    statuses: list[int] = []
    failures: list[BaseException] = []

    def client(outlet: str) -> None:
        try:
            for event in range(25):
                status, _, body = server.request("POST", "/v1/documents", report(event, outlet))
                assert status == 201, body
                statuses.append(status)
        except BaseException as exc:  # reported by the main thread
            failures.append(exc)

    threads = [threading.Thread(target=client, args=(outlet,)) for outlet in OUTLETS]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert not failures, failures[0]
    assert statuses == [201] * 200

    documents = server.json("/v1/documents")["documents"]
    assert len(documents) == 200
    timeline = server.json("/v1/timeline?limit=5000")
    assert timeline["count"] == 25
    assert all(e["source_count"] == 8 for e in timeline["events"])
    assert sorted({s["publisher"] for e in timeline["events"] for s in e["sources"]}) == sorted(OUTLETS)
    assert Store(server.store_path).verify() == []

    _, _, raw = server.request("GET", "/metrics")
    text = raw.decode()
    assert metric(text, "dateline_documents_ingested_total", outcome="created") == 200
    assert (
        metric(text, "dateline_http_requests_total", method="POST", route="/v1/documents", status="201")
        == 200
    )
    assert metric(text, "dateline_store_documents") == 200
    served_by = {line["pid"] for line in server.log() if line.get("path") == "/v1/documents"}
    assert len(served_by) == 2, "both workers took part (and the metrics add up over them)"


def test_sigkill_mid_ingest_keeps_the_store_consistent(tmp_path: Path, servers: list[Server]) -> None:
    """Workers are SIGKILLed while clients keep posting; clients retry what got no answer. Afterwards
    every document is stored exactly once, the store is consistent and the service answers."""
    server = start(tmp_path, tmp_path / "kill.sqlite3", workers=2)
    servers.append(server)
    docs = [report(event, outlet) for outlet in OUTLETS[:4] for event in range(12)]
    retries: list[str] = []
    failures: list[BaseException] = []
    done = threading.Event()

    def client(batch: list[dict[str, Any]]) -> None:
        try:
            for doc in batch:
                for _attempt in range(20):
                    try:
                        status, _, body = server.request("POST", "/v1/documents", doc, timeout=30)
                    except (OSError, http.client.HTTPException):
                        retries.append(doc["id"])  # the worker died under this request
                        time.sleep(0.2)
                        continue
                    assert status in (200, 201), body
                    break
                else:
                    raise AssertionError(f"{doc['id']} never got an answer")
        except BaseException as exc:
            failures.append(exc)

    def killer() -> None:
        rng = random.Random(7)
        for _ in range(6):
            time.sleep(0.4)
            workers = server.workers()
            if workers and not done.is_set():
                os.kill(rng.choice(workers), signal.SIGKILL)

    threads = [threading.Thread(target=client, args=(docs[i::4],)) for i in range(4)]
    kill_thread = threading.Thread(target=killer)
    for t in [*threads, kill_thread]:
        t.start()
    kill_thread.join(timeout=60)
    for t in threads:
        t.join(timeout=300)
    done.set()
    assert not failures, failures[0]
    assert retries, "the kills hit requests in flight (else this test proves nothing)"

    assert server.request("GET", "/readyz")[0] == 200
    stored = {d["id"] for d in server.json("/v1/documents")["documents"]}
    assert stored == {d["id"] for d in docs}
    timeline = server.json("/v1/timeline?limit=5000")
    assert timeline["count"] == 12 and all(e["source_count"] == 4 for e in timeline["events"])
    assert Store(server.store_path).verify() == []
    messages = " ".join(line["message"] for line in server.log())
    assert "SIGKILL" in messages, "gunicorn saw its workers killed and replaced them"


def test_sigkill_inside_a_write_transaction_leaves_no_trace(tmp_path: Path) -> None:
    """A process killed after writing the document and its mentions, before the commit: SQLite
    rolls the whole write back, and the next opening finds the store as it was."""
    store_path = tmp_path / "crash.sqlite3"
    script = textwrap.dedent(
        f"""
        import os, signal
        from dateline.model import Document, DocumentResult
        from dateline.events.extractor import Extractor
        from dateline.store import Store, remerge

        store = Store({str(store_path)!r})
        extractor = Extractor()
        first = extractor.extract(Document(id="kept", text={report(1, "Wire")["text"]!r}))
        store.add(first)
        doomed = extractor.extract(Document(id="doomed", text={report(1, "Post")["text"]!r}))
        assert doomed.mentions

        def die(*args):
            os.kill(os.getpid(), signal.SIGKILL)

        remerge._store_events = die  # after the document and mention rows, before the commit
        store.add(doomed)
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, timeout=300, check=False
    )
    assert result.returncode == -signal.SIGKILL, result.stderr.decode()
    store = Store(store_path)
    assert [d.id for d in store.documents()] == ["kept"]
    assert store.verify() == []
    assert store.timeline().count == 1 and store.timeline().events[0].source_count == 1


def test_restart_keeps_everything(tmp_path: Path, servers: list[Server], seed_dir: Path) -> None:
    store_path = tmp_path / "restart.sqlite3"
    first = start(tmp_path, store_path, workers=1, seed=str(seed_dir), tag="first")
    servers.append(first)
    for doc in (report(3, "Wire"), report(3, "Herald")):
        assert first.request("POST", "/v1/documents", doc)[0] == 201
    assert first.request("DELETE", "/v1/documents/000_bf8f1c09172d2f9e")[0] == 204
    before = {path: first.json(path) for path in ("/v1/timeline?limit=5000", "/v1/documents", "/v1/actors")}
    etag = first.request("GET", "/v1/timeline")[1]["ETag"]
    stop(first)

    second = start(tmp_path, store_path, workers=2, seed=str(seed_dir), tag="second")
    servers.append(second)
    for path, body in before.items():
        assert second.json(path) == body, path
    assert second.request("GET", "/v1/timeline")[1]["ETag"] == etag, "same store, same revision, same tag"
    messages = [line["message"] for line in second.log()]
    assert not any("seed documents" in m or "re-extracting" in m for m in messages), messages
