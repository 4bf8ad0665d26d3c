"""Tokens and the bind rule on the real server: gunicorn with the repo's gunicorn.conf.py. With a token
set, writes without it get 401 and store nothing; without tokens gunicorn refuses to listen beyond
loopback (as the Docker image's own command and environment would run it) unless told explicitly."""

from __future__ import annotations

import http.client
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from dateline.store import Store
from test_dockerfile import DOCKERFILE, env_values, parse_instructions, split_args, stages
from test_server import Server, free_port, stop

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "srv-token-6d0c1f4e9b2a"
TEXT = "Kim Jong Un met Vladimir Putin in Vladivostok on 13 September 2023, state media said."
OTHER = "Russia and North Korea signed a treaty in Pyongyang on 19 June 2024."


def call(
    server: Server, method: str, path: str, body: bytes | None = None, headers: dict[str, str] | None = None
) -> tuple[int, dict[str, str], bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


def image_command_and_environment() -> tuple[list[str], dict[str, str]]:
    """The CMD and ENV of the Docker image's final stage."""
    final = stages(parse_instructions(DOCKERFILE.read_text(encoding="utf-8")))[-1]
    env: dict[str, str] = {}
    cmd: list[str] = []
    for keyword, args in final["instructions"]:
        if keyword == "ENV":
            env.update(env_values(args))
        elif keyword == "CMD":
            cmd = split_args(args)
    return cmd, {k: v for k, v in env.items() if k.startswith("DATELINE_")}


def spawn(
    tmp_path: Path, tag: str, env: dict[str, str], args: list[str] | None = None
) -> subprocess.Popen[bytes]:
    """gunicorn as `make run` and the image start it, over an empty store of its own; output in
    ``tag``.log. Variables of the test's own environment that would change the rule are dropped."""
    clean = {k: v for k, v in os.environ.items() if k not in ("DATELINE_API_TOKENS", "GUNICORN_CMD_ARGS")}
    clean.pop("DATELINE_ALLOW_UNAUTHENTICATED_BIND", None)
    full = {
        **clean,
        "DATELINE_WORKERS": "1",
        "DATELINE_STORE_PATH": str(tmp_path / f"{tag}.sqlite3"),
        "DATELINE_SEED_PATH": "",
        "DATELINE_METRICS_DIR": str(tmp_path / f"{tag}-metrics"),
        **env,
    }
    log = (tmp_path / f"{tag}.log").open("wb")
    with log:
        return subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--config", str(ROOT / "gunicorn.conf.py"), *(args or [])],
            cwd=ROOT,
            env=full,
            stdout=log,
            stderr=subprocess.STDOUT,
        )


def ready(proc: subprocess.Popen[bytes], port: int, tmp_path: Path, tag: str) -> Server:
    server = Server(proc, port, tmp_path / f"{tag}.sqlite3", tmp_path / f"{tag}.log")
    deadline = time.monotonic() + 120
    while True:
        assert proc.poll() is None, server.log_path.read_text()
        try:
            if call(server, "GET", "/readyz")[0] == 200 and server.workers():
                return server
        except OSError:
            pass
        assert time.monotonic() < deadline, "gunicorn did not become ready"
        time.sleep(0.3)


@pytest.fixture
def started(tmp_path: Path) -> Iterator[list[Server]]:
    servers: list[Server] = []
    yield servers
    for server in servers:
        if server.proc.poll() is None:
            stop(server)


def test_with_a_token_writes_without_it_get_401_and_nothing_is_stored(
    tmp_path: Path, started: list[Server]
) -> None:
    """On 0.0.0.0 (allowed: a token is set), as the image listens."""
    port = free_port()
    env = {"DATELINE_BIND": f"0.0.0.0:{port}", "DATELINE_API_TOKENS": TOKEN}
    server = ready(spawn(tmp_path, "token", env), port, tmp_path, "token")
    started.append(server)
    auth = {"Authorization": f"Bearer {TOKEN}"}
    json_type = {"Content-Type": "application/json"}

    status, _, _ = call(
        server,
        "POST",
        "/v1/documents",
        json.dumps({"id": "kept", "text": OTHER}).encode(),
        {**json_type, **auth},
    )
    assert status == 201
    refused = [
        ("POST", "/v1/documents", json.dumps({"id": "a", "text": TEXT}).encode(), json_type),
        ("POST", "/v1/documents?id=b", TEXT.encode(), {"Content-Type": "text/plain"}),
        (
            "POST",
            "/v1/documents?id=c",
            TEXT.encode(),
            {"Content-Type": "text/plain", "Authorization": "Bearer nope"},
        ),
        ("DELETE", "/v1/documents/kept", None, {}),
        ("POST", "/v1/extract", json.dumps({"text": TEXT}).encode(), json_type),
    ]
    for method, path, body, headers in refused:
        status, response_headers, payload = call(server, method, path, body, headers)
        assert status == 401, (method, path, payload[:300])
        assert response_headers["Content-Type"] == "application/problem+json"
        assert response_headers["WWW-Authenticate"].startswith('Bearer realm="dateline"')
    # reads need nothing
    assert call(server, "GET", "/v1/timeline")[0] == 200
    listed = server.json("/v1/documents")["documents"]
    assert [d["id"] for d in listed] == ["kept"]
    stop(server)
    store = Store(server.store_path)  # what is on disk, not what a cache says
    try:
        assert [d.id for d in store.documents()] == ["kept"]
    finally:
        store.close()
    log = server.log_path.read_text(encoding="utf-8")
    assert "need a bearer token (1 in DATELINE_API_TOKENS)" in log
    assert TOKEN not in log


def _refused(proc: subprocess.Popen[bytes], port: int, log_path: Path) -> str:
    try:
        code = proc.wait(timeout=180)
    except subprocess.TimeoutExpired:
        proc.kill()
        raise AssertionError("gunicorn did not stop") from None
    output = log_path.read_text(encoding="utf-8")
    assert code != 0, output
    with pytest.raises(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
        pass
    return output


def test_the_image_refuses_to_start_without_a_token(tmp_path: Path) -> None:
    """The image's own command and environment (DATELINE_BIND=0.0.0.0:8000), on another port."""
    cmd, image_env = image_command_and_environment()
    assert cmd[:3] == ["gunicorn", "--config", "gunicorn.conf.py"]
    assert "DATELINE_API_TOKENS" not in image_env and "DATELINE_ALLOW_UNAUTHENTICATED_BIND" not in image_env
    host, _, _ = image_env["DATELINE_BIND"].rpartition(":")
    assert host == "0.0.0.0"
    port = free_port()
    env = {
        **image_env,
        "DATELINE_BIND": f"{host}:{port}",
        "DATELINE_STORE_PATH": str(tmp_path / "image.sqlite3"),
    }
    env["DATELINE_SEED_PATH"] = ""
    output = _refused(spawn(tmp_path, "image", env, cmd[3:]), port, tmp_path / "image.log")
    assert f"refusing to listen on 0.0.0.0:{port} without DATELINE_API_TOKENS" in output
    assert "DATELINE_ALLOW_UNAUTHENTICATED_BIND=1" in output


def test_a_command_line_bind_is_checked_too(tmp_path: Path) -> None:
    port = free_port()
    env = {"DATELINE_BIND": f"127.0.0.1:{free_port()}"}
    output = _refused(spawn(tmp_path, "cli", env, ["--bind", f"0.0.0.0:{port}"]), port, tmp_path / "cli.log")
    assert f"refusing to listen on 0.0.0.0:{port}" in output


def test_the_override_starts_and_warns(tmp_path: Path, started: list[Server]) -> None:
    port = free_port()
    env = {"DATELINE_BIND": f"0.0.0.0:{port}", "DATELINE_ALLOW_UNAUTHENTICATED_BIND": "1"}
    server = ready(spawn(tmp_path, "open", env), port, tmp_path, "open")
    started.append(server)
    status, _, _ = call(server, "POST", "/v1/extract", TEXT.encode(), {"Content-Type": "text/plain"})
    assert status == 200
    log = server.log_path.read_text(encoding="utf-8")
    assert f"open to anyone who reaches 0.0.0.0:{port} (DATELINE_ALLOW_UNAUTHENTICATED_BIND=1)" in log
