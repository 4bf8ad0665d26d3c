"""Issue 11 against the real server (gunicorn with the repo's gunicorn.conf.py): a store that cannot be
written gives 503 problems and a failing /readyz, and recovers; /metrics on its own bind sums every
worker; the request-line and header limits, a broken chunked body and a chunked body over the limit
are problem+json answers, not gunicorn's pages or a 500.

The store is made unwritable with ``chattr +i`` on the SQLite file and its WAL: the tests run as root,
which ``chmod`` does not stop, but an immutable file refuses writes to everyone, and it can be set and
cleared while the server runs. (The WAL index, ``-shm``, stays writable: SQLite maps it into memory,
and a mapping that cannot be written kills the process with SIGBUS, which no server code can turn
into an answer.) Connections the workers already hold then fail with "disk I/O error", new ones open
the file read-only and fail with "attempt to write a readonly database": both paths are exercised.
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from test_server import Server, free_port, start, stop

pytestmark = pytest.mark.slow

PROBLEM = "application/problem+json"
TYPE = "tag:dateline,2025:problem:"
TEXT = "Vladimir Putin visited Pyongyang on 19 June 2024, the Kremlin said."


def raw_request(
    port: int, head: bytes, body: bytes = b"", timeout: float = 30
) -> tuple[int, dict[str, str], bytes]:
    """Send bytes as they are (a broken chunked body cannot be sent by an HTTP client library)."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as conn:
        conn.sendall(head + body)
        data = b""
        while chunk := conn.recv(65536):
            data += chunk
    header_block, _, payload = data.partition(b"\r\n\r\n")
    lines = header_block.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
    if headers.get("transfer-encoding") == "chunked":
        payload = _unchunk(payload)
    return status, headers, payload


def _unchunk(data: bytes) -> bytes:
    out = b""
    while data:
        size_line, _, data = data.partition(b"\r\n")
        size = int(size_line.split(b";")[0], 16)
        if size == 0:
            break
        out, data = out + data[:size], data[size + 2 :]
    return out


def chunked(payload: bytes, size: int = 4096) -> bytes:
    parts = [payload[i : i + size] for i in range(0, len(payload), size)]
    return b"".join(b"%x\r\n%s\r\n" % (len(p), p) for p in parts) + b"0\r\n\r\n"


def post_head(path: str, content_type: str = "text/plain", extra: str = "") -> bytes:
    return (
        f"POST {path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: {content_type}\r\n"
        f"Transfer-Encoding: chunked\r\nConnection: close\r\n{extra}\r\n"
    ).encode()


def assert_problem(status: int, headers: dict[str, str], body: bytes, expected: int, slug: str | None) -> Any:
    assert status == expected, body[:500]
    content_type = {k.lower(): v for k, v in headers.items()}["content-type"]
    assert content_type.startswith(PROBLEM), headers
    problem = json.loads(body)
    assert problem["status"] == expected
    assert problem["type"] == (TYPE + slug if slug else "about:blank")
    return problem


@pytest.fixture
def server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Server]:
    monkeypatch.setenv("DATELINE_MAX_REQUEST_BYTES", "60000")
    started = start(tmp_path, tmp_path / "store" / "store.sqlite3", workers=2, tag="ops")
    yield started
    stop(started)


# --- a store that cannot be written -----------------------------------------------------------------


def _chattr(flag: str, *paths: Path) -> bool:
    if shutil.which("chattr") is None:
        return False
    return subprocess.run(["chattr", flag, *map(str, paths)], capture_output=True).returncode == 0


def test_a_read_only_store_gives_503_and_fails_readiness(server: Server) -> None:
    status, _, body = server.request("POST", "/v1/documents", {"id": "first", "text": TEXT})
    assert status == 201, body
    files = [server.store_path, server.store_path.with_name(server.store_path.name + "-wal")]
    workers = sorted(server.workers())
    if not _chattr("+i", *files):
        pytest.skip("chattr +i is not available here (needs root and ext4/xfs/btrfs)")
    try:
        # several writes, so that both workers (pooled and new connections) meet the read-only store
        for i in range(6):
            status, headers, body = server.request(
                "POST", "/v1/documents", {"id": f"more-{i}", "text": f"{TEXT} Again, {i} times."}
            )
            problem = assert_problem(status, headers, body, 503, "store-unavailable")
            assert headers["Retry-After"].isdigit()
            assert str(server.store_path) not in problem["detail"]
        status, headers, body = server.request("DELETE", "/v1/documents/first")
        assert_problem(status, headers, body, 503, "store-unavailable")
        status, headers, body = server.request("GET", "/readyz")
        assert status == 503 and "store" in json.loads(body)["detail"]
        assert server.request("GET", "/v1/timeline")[0] == 200, "reads are still served"
        assert server.request("GET", "/healthz")[0] == 200
    finally:
        assert _chattr("-i", *files)
    assert server.request("GET", "/readyz")[0] == 200, "ready again once the store can be written"
    assert [d["id"] for d in server.json("/v1/documents")["documents"]] == ["first"], "nothing half-written"
    status, _, body = server.request("POST", "/v1/documents", {"id": "after", "text": f"{TEXT} Later."})
    assert status == 201, body
    assert sorted(server.workers()) == workers, "no worker died (SIGBUS) or was replaced"


# --- gunicorn's own errors, as problems -------------------------------------------------------------


def test_a_long_request_line_and_big_headers_are_problems(server: Server) -> None:
    head = f"GET /v1/timeline?actor={'x' * 6000} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    status, headers, body = raw_request(server.port, head.encode())
    problem = assert_problem(status, headers, body, 414, None)
    assert "4,096" in problem["detail"]
    many = "".join(f"X-Filler-{i}: x\r\n" for i in range(90))
    head = f"GET /v1/timeline HTTP/1.1\r\nHost: localhost\r\n{many}Connection: close\r\n\r\n"
    assert_problem(*raw_request(server.port, head.encode()), 431, None)
    filler = "x" * 10_000
    head = f"GET /v1/timeline HTTP/1.1\r\nHost: localhost\r\nX-Filler: {filler}\r\nConnection: close\r\n\r\n"
    assert_problem(*raw_request(server.port, head.encode()), 431, None)


def test_chunked_bodies(server: Server) -> None:
    status, headers, body = raw_request(server.port, post_head("/v1/documents"), chunked(TEXT.encode(), 16))
    assert status == 201, body
    over = b"word " * 20_000  # 100 KB, over the 60 KB limit
    status, headers, body = raw_request(server.port, post_head("/v1/documents"), chunked(over))
    problem = assert_problem(status, headers, body, 413, "request-too-large")
    assert "60,000" in problem["detail"]
    broken = b"10\r\n" + TEXT.encode()[:16] + b"\r\nzz\r\nnot hex\r\n0\r\n\r\n"
    status, headers, body = raw_request(server.port, post_head("/v1/documents"), broken)
    assert_problem(status, headers, body, 400, "malformed-body")
    assert [d["id"] for d in server.json("/v1/documents")["documents"]] != [], "the good one is stored"
    assert len(server.json("/v1/documents")["documents"]) == 1, "nothing else"


# --- metrics on a separate bind ---------------------------------------------------------------------


def test_metrics_on_a_separate_bind_sum_every_worker(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    port = free_port()
    monkeypatch.setenv("DATELINE_METRICS_BIND", f"127.0.0.1:{port}")
    server = start(tmp_path, tmp_path / "store" / "store.sqlite3", workers=2, tag="metrics")
    try:
        assert server.request("POST", "/v1/documents", {"text": TEXT})[0] == 201
        for i in range(30):
            assert server.request(f"BREW{i}", "/v1/timeline")[0] == 405
        for _ in range(20):
            assert server.request("GET", "/healthz")[0] == 200
        status, headers, body = server.request("GET", "/metrics")
        assert_problem(status, headers, body, 404, None)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10) as scrape:
            text = scrape.read().decode()
    finally:
        stop(server)
    lines = [line for line in text.splitlines() if line.startswith("dateline_http_requests_total{")]
    by_labels = {line.rsplit(" ", 1)[0]: float(line.rsplit(" ", 1)[1]) for line in lines}
    other = [v for k, v in by_labels.items() if 'method="other"' in k]
    assert other == [30.0], lines
    healthz = [v for k, v in by_labels.items() if 'route="/healthz"' in k and 'method="GET"' in k]
    assert sum(healthz) >= 20, "every worker's requests are counted"
    assert "dateline_store_documents 1.0" in text
    with pytest.raises((urllib.error.URLError, OSError)):
        urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=2)
