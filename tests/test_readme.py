"""The README's promises: its curl commands run as written against the real server, and every
DATELINE_* setting is documented."""

from __future__ import annotations

import json
import re
import subprocess
from dataclasses import fields
from pathlib import Path

import pytest

from dateline.settings import Settings
from test_server import Server, start, stop

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
GUNICORN_VARIABLES = {
    "DATELINE_BIND",
    "DATELINE_WORKERS",
    "DATELINE_THREADS",
    "DATELINE_TIMEOUT",
    "DATELINE_LOG_LEVEL",
    "DATELINE_METRICS_DIR",
}


def section(title: str) -> str:
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## )", README, re.M | re.S)
    assert match, f"README has no section {title!r}"
    return match.group(1)


def curl_blocks() -> list[str]:
    """The shell blocks of the HTTP API section."""
    return re.findall(r"```sh\n(.*?)```", section("HTTP API"), re.S)


def test_every_setting_is_documented() -> None:
    table = section("Configuration")
    documented = set(re.findall(r"^\| `(DATELINE_[A-Z_]+)`", table, re.M))
    expected = {f"DATELINE_{f.name.upper()}" for f in fields(Settings)} | GUNICORN_VARIABLES
    assert documented == expected
    mentioned = set(re.findall(r"DATELINE_[A-Z_]+", (ROOT / "gunicorn.conf.py").read_text(encoding="utf-8")))
    assert mentioned <= expected, "gunicorn.conf.py reads only documented variables"


def test_the_examples_are_there() -> None:
    commands = " ".join(curl_blocks())
    assert "-X POST localhost:8000/v1/documents" in commands, "ingesting an article"
    assert re.search(r"/v1/timeline\?from=[^ ]*&to=[^ ]*&actor=", commands), "a date range for one actor"
    assert "format=timelinejs" in commands, "TimelineJS3 JSON"


@pytest.mark.slow
def test_the_curl_commands_work(tmp_path: Path) -> None:
    """Each block, copied from the README, run by bash against a server started as `make run` would
    start it (only the port differs; curl is told to fail on an HTTP error)."""
    workdir = tmp_path / "cwd"
    workdir.mkdir()
    (workdir / "article.txt").write_text(
        "Kim Jong Un visited Vladivostok on 13 September 2023 and met Vladimir Putin.", encoding="utf-8"
    )
    (workdir / "page.html").write_text(
        "<html><head><title>Summit</title></head><body><article><p>North Korea and Russia signed a treaty "
        "in Pyongyang on 19 June 2024, state media said.</p></article></body></html>",
        encoding="utf-8",
    )
    server: Server = start(tmp_path, tmp_path / "readme.sqlite3", workers=1)
    outputs: dict[str, bytes] = {}
    try:
        for block in curl_blocks():
            script = block.replace("localhost:8000", f"127.0.0.1:{server.port}").replace(
                "curl -s ", "curl -sS --fail-with-body "
            )
            result = subprocess.run(
                ["bash", "-e", "-c", script], cwd=workdir, capture_output=True, timeout=120, check=False
            )
            assert result.returncode == 0, (block, result.stdout[-500:], result.stderr[-500:])
            outputs[block] = result.stdout
        documents = {d["id"] for d in server.json("/v1/documents")["documents"]}
    finally:
        stop(server)
    assert "putin-pyongyang" in documents and len(documents) == 3
    [ranged] = [json.loads(out) for block, out in outputs.items() if "from=2024-06&to=2024-12" in block]
    assert ranged["events"] and all("Vladimir Putin" in e["actors"] for e in ranged["events"])
    timelinejs = json.loads((workdir / "timeline.json").read_text(encoding="utf-8"))
    assert timelinejs["events"] and all("start_date" in slide for slide in timelinejs["events"])
    [vis] = [json.loads(out) for block, out in outputs.items() if "format=vis" in block]
    assert vis["items"] and vis["groups"]
