"""compose.yaml, checked without a Docker daemon: the four services of the multi-machine layout, the
settings they get (read by Settings as the containers would), what waits for what, health checks,
named volumes, pinned images; and the worker's health check run against a real Redis."""

from __future__ import annotations

import hashlib
import os
import re
import socket
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import fields
from pathlib import Path
from typing import Any

import pytest
import yaml

from dateline.api.auth import unauthenticated_bind
from dateline.settings import Settings
from dateline.store.database import database_url

ROOT = Path(__file__).resolve().parents[1]
COMPOSE = ROOT / "compose.yaml"
SERVICES = {"api", "worker", "postgres", "redis"}
TOKEN = "compose-token-5e1d"
SETTINGS = {f"DATELINE_{f.name.upper()}" for f in fields(Settings)}
GUNICORN = {
    "DATELINE_BIND",
    "DATELINE_WORKERS",
    "DATELINE_TIMEOUT",
    "DATELINE_LOG_LEVEL",
    "DATELINE_METRICS_DIR",
}


class MissingVariable(ValueError):
    """``${NAME:?message}`` with NAME unset or empty: compose stops with the message."""


def interpolate(value: str, env: dict[str, str]) -> str:
    """Compose's ``${NAME:-default}``, ``${NAME:?message}`` and ``${NAME}``, with ``env`` as the
    shell's environment."""

    def one(match: re.Match[str]) -> str:
        expression = match.group(1)
        if ":?" in expression:
            name, _, message = expression.partition(":?")
            if not env.get(name):
                raise MissingVariable(f"required variable {name} is missing a value: {message}")
            return env[name]
        name, _, default = expression.partition(":-")
        return env.get(name) or default

    return re.sub(r"\$\{([^}]+)\}", one, value)


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    data = yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def environment(service: dict[str, Any], env: dict[str, str] | None = None) -> dict[str, str]:
    raw = service.get("environment", {})
    assert isinstance(raw, dict), "environment as a mapping"
    return {k: interpolate(str(v), env or {}) for k, v in raw.items()}


def test_the_four_services(compose: dict[str, Any]) -> None:
    assert set(compose["services"]) == SERVICES


@pytest.mark.parametrize("password", [None, "s3cret"])
def test_api_and_worker_reach_the_same_database_and_queue(
    compose: dict[str, Any], password: str | None
) -> None:
    shell = {"POSTGRES_PASSWORD": password} if password else {}
    shell["DATELINE_API_TOKENS"] = TOKEN
    services = compose["services"]
    postgres = environment(services["postgres"], shell)
    stores = []
    for name in ("api", "worker"):
        env = environment(services[name], shell)
        assert set(env) <= SETTINGS | GUNICORN, f"{name}: unknown DATELINE_* variables"
        settings = Settings.from_env(env)  # as the container reads them
        url = database_url(settings.database_location())
        assert url.drivername == "postgresql+psycopg"
        assert (url.host, url.port) == ("postgres", 5432)
        assert (url.username, url.password, url.database) == (
            postgres["POSTGRES_USER"],
            postgres["POSTGRES_PASSWORD"],
            postgres["POSTGRES_DB"],
        )
        assert settings.queue_url == "redis://redis:6379/0"
        stores.append((url, settings.queue_url))
    assert stores[0] == stores[1]
    assert postgres["POSTGRES_PASSWORD"] == (password or "dateline")


def test_commands(compose: dict[str, Any]) -> None:
    services = compose["services"]
    api = services["api"]
    assert api["command"] == ["gunicorn", "--config", "gunicorn.conf.py", "dateline.api:create_app()"]
    env = environment(api, {"DATELINE_API_TOKENS": TOKEN})
    assert env["DATELINE_BIND"] == "0.0.0.0:8000" and "8000:8000" in api["ports"]
    assert api["build"] == "."
    worker = services["worker"]
    assert worker["command"] == ["dateline", "worker"]
    assert worker["image"] == api["image"], "one image for both"
    assert worker["deploy"]["replicas"] >= 2


def test_the_api_needs_a_token(compose: dict[str, Any]) -> None:
    """The api listens on 0.0.0.0: compose refuses to start it without a token (so gunicorn never
    has to), and the token given reaches the settings as a digest only; the worker serves no HTTP."""
    api = compose["services"]["api"]
    for shell in ({}, {"DATELINE_API_TOKENS": ""}):
        with pytest.raises(MissingVariable, match="DATELINE_API_TOKENS"):
            environment(api, shell)
    env = environment(api, {"DATELINE_API_TOKENS": TOKEN})
    settings = Settings.from_env(env)
    assert settings.api_tokens == ("sha256:" + hashlib.sha256(TOKEN.encode()).hexdigest(),)
    assert not settings.allow_unauthenticated_bind
    assert unauthenticated_bind([("0.0.0.0", 8000)], settings) == []
    assert "DATELINE_API_TOKENS" not in environment(compose["services"]["worker"])


def test_start_order_and_health(compose: dict[str, Any]) -> None:
    services = compose["services"]
    for name in ("api", "worker"):
        depends = services[name]["depends_on"]
        assert depends["postgres"]["condition"] == "service_healthy"
        assert depends["redis"]["condition"] == "service_healthy"
    for name, service in services.items():
        test = service["healthcheck"]["test"]
        assert test[0] in ("CMD", "CMD-SHELL"), name
    assert "pg_isready" in services["postgres"]["healthcheck"]["test"][1]
    assert services["redis"]["healthcheck"]["test"] == ["CMD", "redis-cli", "ping"]
    assert "/readyz" in services["api"]["healthcheck"]["test"][-1]


def test_named_volumes_and_pinned_images(compose: dict[str, Any]) -> None:
    declared = set(compose["volumes"])
    used = {
        volume.split(":")[0]
        for service in compose["services"].values()
        for volume in service.get("volumes", [])
    }
    assert used == declared == {"postgres-data", "redis-data"}
    for name in ("postgres", "redis"):
        image = compose["services"][name]["image"]
        assert re.fullmatch(rf"{name}:\d+\.\d+(\.\d+)?-bookworm", image), image
    assert "--appendonly" in compose["services"]["redis"]["command"], "queued jobs survive a restart"


@pytest.fixture
def registered(redis_url: str) -> Iterator[Any]:
    """An RQ worker registered under the name ``dateline worker`` gives it on this host."""
    import redis
    from rq import Queue, Worker

    connection = redis.Redis.from_url(redis_url)
    connection.flushdb()
    worker = Worker(
        [Queue("dateline-ingest", connection=connection)],
        connection=connection,
        name=f"dateline-{socket.gethostname()}-{os.getpid()}",
    )
    yield worker
    connection.flushdb()


def test_the_worker_health_check_sees_its_worker(
    compose: dict[str, Any], registered: Any, redis_url: str
) -> None:
    test = compose["services"]["worker"]["healthcheck"]["test"]
    assert test[:3] == ["CMD", "python", "-c"]

    def check() -> int:
        env = {**os.environ, "DATELINE_QUEUE_URL": redis_url}
        return subprocess.run([sys.executable, "-c", test[3]], env=env, timeout=60).returncode

    assert check() == 1, "no worker yet"
    registered.register_birth()
    assert check() == 0
    registered.register_death()
    assert check() == 1
