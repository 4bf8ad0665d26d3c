"""Throw-away PostgreSQL and Redis servers for the test run, on loopback ports, in temporary folders.

``DATELINE_TEST_DATABASE_URL`` (a PostgreSQL URL whose user may create databases; the tests make
and drop ``dateline_test_*`` databases) and ``DATELINE_TEST_REDIS_URL`` (a Redis database the tests
may empty with FLUSHDB) name servers that already run (compose, a CI service); otherwise the
Debian packages' binaries are started here (``scripts/ensure-services.sh`` installs them) and stopped
when the session ends. PostgreSQL refuses to run as root, so as root it runs as the ``postgres`` user.
Under CI (``CI=true``) a server that cannot be had fails the tests that need it; elsewhere they skip
with the reason.
"""

from __future__ import annotations

import glob
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

import pytest

DATABASE_URL_VARIABLE = "DATELINE_TEST_DATABASE_URL"
REDIS_URL_VARIABLE = "DATELINE_TEST_REDIS_URL"
PG_USER = "postgres"


class ServerUnavailable(RuntimeError):
    """A server the tests need cannot be started (the message says why and what to install)."""


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def unavailable(reason: str) -> None:
    """Fail under CI (a missing server must not pass as skipped tests), skip elsewhere."""
    if in_ci():
        pytest.fail(f"{reason} (CI=true: the storage and queue tests must run)", pytrace=False)
    pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for_port(port: int, proc: subprocess.Popen[bytes] | None, timeout: float, log: Path) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            break
        with suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return
        time.sleep(0.1)
    text = log.read_text(errors="replace")[-2000:] if log.exists() else ""
    raise ServerUnavailable(f"the server on port {port} did not start: {text}")


def postgres_bindir() -> Path | None:
    """The newest installed PostgreSQL's binaries (Debian keeps them out of PATH)."""
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parent.parent.name)
    )
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


@dataclass
class PostgresServer:
    """A cluster in a temporary folder, trust authentication, listening on 127.0.0.1 only."""

    url: str
    stop: Callable[[], None] = field(repr=False)


def _as_postgres(argv: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return argv
    runuser = shutil.which("runuser")
    if runuser:
        return [runuser, "-u", PG_USER, "--", *argv]
    return ["su", PG_USER, "-s", "/bin/sh", "-c", " ".join(map(repr, argv))]


def start_postgres() -> PostgresServer:
    bindir = postgres_bindir()
    if bindir is None:
        raise ServerUnavailable(
            "PostgreSQL is not installed (run scripts/ensure-services.sh, or set "
            f"{DATABASE_URL_VARIABLE} to a server that runs)"
        )
    folder = Path(tempfile.mkdtemp(prefix="dateline-pg-"))
    if os.geteuid() == 0:
        shutil.chown(folder, PG_USER, PG_USER)
    data, log = folder / "data", folder / "server.log"
    port = free_port()
    init = subprocess.run(
        _as_postgres(
            [
                str(bindir / "initdb"),
                "-D",
                str(data),
                "-U",
                PG_USER,
                "--auth=trust",
                "-E",
                "UTF8",
                "--no-sync",
            ]
        ),
        capture_output=True,
        text=True,
    )
    if init.returncode != 0:
        shutil.rmtree(folder, ignore_errors=True)
        raise ServerUnavailable(f"initdb failed: {init.stderr.strip()[-1000:]}")
    # durability off: a test cluster is thrown away, and this makes CREATE DATABASE and commits fast
    options = (
        f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off"
        " -c full_page_writes=off -c max_connections=300"
    )
    started = subprocess.run(
        _as_postgres([str(bindir / "pg_ctl"), "-D", str(data), "-l", str(log), "-o", options, "-w", "start"]),
        capture_output=True,
        text=True,
    )
    if started.returncode != 0:
        text = log.read_text(errors="replace")[-1500:] if log.exists() else started.stderr
        shutil.rmtree(folder, ignore_errors=True)
        raise ServerUnavailable(f"PostgreSQL did not start: {text}")

    def stop() -> None:
        subprocess.run(
            _as_postgres([str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"]),
            capture_output=True,
        )
        shutil.rmtree(folder, ignore_errors=True)

    return PostgresServer(url=f"postgresql://{PG_USER}@127.0.0.1:{port}/postgres", stop=stop)


@contextmanager
def postgres() -> Iterator[str]:
    """The URL of a PostgreSQL server's maintenance database, for the duration of the block."""
    given = os.environ.get(DATABASE_URL_VARIABLE)
    if given:
        yield given
        return
    server = start_postgres()
    try:
        yield server.url
    finally:
        server.stop()


@contextmanager
def redis() -> Iterator[str]:
    """The URL of a Redis server (no persistence), for the duration of the block."""
    given = os.environ.get(REDIS_URL_VARIABLE)
    if given:
        yield given
        return
    binary = shutil.which("redis-server") or (
        "/usr/bin/redis-server" if Path("/usr/bin/redis-server").exists() else None
    )
    if binary is None:
        raise ServerUnavailable(
            f"redis-server is not installed (run scripts/ensure-services.sh, or set {REDIS_URL_VARIABLE})"
        )
    folder = Path(tempfile.mkdtemp(prefix="dateline-redis-"))
    log = folder / "redis.log"
    port = free_port()
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [
                binary,
                "--port",
                str(port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(folder),
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_for_port(port, proc, 20, log)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        shutil.rmtree(folder, ignore_errors=True)
