"""The ``dateline`` console script, run as a user would (subprocess of .venv/bin/dateline)."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from dateline import cli

ROOT = Path(__file__).resolve().parents[1]
DATELINE = shutil.which("dateline", path=str(Path(sys.executable).parent)) or str(ROOT / ".venv/bin/dateline")


def run(
    *args: str, env: dict[str, str] | None = None, timeout: float = 300
) -> subprocess.CompletedProcess[bytes]:
    """Run the console script in a C locale, so the UTF-8 output does not depend on the locale."""
    full_env = {**os.environ, "LC_ALL": "C", "LANG": "C", **(env or {})}
    full_env.pop("PYTHONIOENCODING", None)
    return subprocess.run([DATELINE, *args], capture_output=True, env=full_env, timeout=timeout, check=False)


@pytest.fixture(scope="module")
def timeline_run(seed_dir: Path) -> dict[str, Any]:
    result = run("timeline", str(seed_dir))
    assert result.returncode == 0, result.stderr.decode()
    text = result.stdout.decode("utf-8")
    assert text.startswith('{\n  "events": ['), "indented JSON"
    data: dict[str, Any] = json.loads(text)
    return data


def test_timeline_shape(timeline_run: dict[str, Any], json_schema: Any) -> None:
    json_schema("timeline.schema.json").validate(timeline_run)
    assert timeline_run["count"] == len(timeline_run["events"]) > 0


def test_timeline_matches_the_api(timeline_run: dict[str, Any], client: Any) -> None:
    """The CLI computes the timeline exactly as the server does for the same documents."""
    assert timeline_run == client.get("/v1/timeline").get_json()


def test_documents_listing(seed_dir: Path, json_schema: Any) -> None:
    result = run("documents", str(seed_dir / "tiny.json"), str(seed_dir / "000_bf8f1c09172d2f9e.txt"))
    assert result.returncode == 0, result.stderr.decode()
    raw = result.stdout
    assert "Pjöngjang".encode() in raw and b"\\u" not in raw, "UTF-8, not ASCII escapes"
    data = json.loads(raw.decode("utf-8"))
    json_schema("documents.schema.json").validate(data)
    by_id = {d["id"]: d for d in data["documents"]}
    assert set(by_id) == {"tiny-pyongyang", "000_bf8f1c09172d2f9e"}
    assert by_id["tiny-pyongyang"]["published"] == {"value": "2024-06-20", "basis": "given"}


@pytest.mark.parametrize(
    ("args", "files", "message"),
    [
        (["timeline", "{tmp}/missing"], {}, "no such file or folder"),
        (["documents", "{tmp}"], {}, "no documents"),
        (["timeline", "{tmp}/bad.json"], {"bad.json": "{not json"}, "bad.json"),
        (["timeline", "{tmp}/notext.json"], {"notext.json": '{"id": "x"}'}, "notext"),
    ],
)
def test_errors_go_to_stderr(tmp_path: Path, args: list[str], files: dict[str, str], message: str) -> None:
    for name, content in files.items():
        (tmp_path / name).write_text(content, encoding="utf-8")
    result = run(*(a.format(tmp=tmp_path) for a in args))
    assert result.returncode != 0
    assert result.stdout == b""
    stderr = result.stderr.decode()
    assert message in stderr
    assert "Traceback" not in stderr


def test_schemas_check_passes_on_the_repo() -> None:
    result = run("schemas", "--check", str(ROOT / "schemas"))
    assert result.returncode == 0, result.stderr.decode()


@pytest.mark.parametrize(
    ("argv", "env", "bind", "workers"),
    [
        (["serve"], {}, None, None),
        (["serve", "--port", "9001"], {}, "127.0.0.1:9001", None),
        (
            ["serve", "--host", "0.0.0.0", "--workers", "3"],
            {"DATELINE_BIND": "1.2.3.4:81"},
            "0.0.0.0:81",
            "3",
        ),
    ],
)
def test_serve_command_line(
    monkeypatch: pytest.MonkeyPatch,
    argv: list[str],
    env: dict[str, str],
    bind: str | None,
    workers: str | None,
) -> None:
    monkeypatch.delenv("DATELINE_BIND", raising=False)
    monkeypatch.delenv("DATELINE_WORKERS", raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    monkeypatch.chdir(ROOT)
    args = cli.build_parser().parse_args(argv)
    command, command_env = cli.gunicorn_command(args)
    assert command[1:3] == ["-m", "gunicorn"]
    assert command[-1] == "dateline.api:create_app()"
    assert Path(command[command.index("--config") + 1]) == ROOT / "gunicorn.conf.py"
    assert command_env.get("DATELINE_BIND", env.get("DATELINE_BIND")) == (bind or env.get("DATELINE_BIND"))
    assert command_env.get("DATELINE_WORKERS") == workers


@pytest.mark.parametrize("name", ["timeline", "documents", "ingest", "serve", "schemas", "timex"])
def test_every_subcommand_has_help(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        cli.main([name, "--help"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out.startswith(f"usage: dateline {name}")


def test_no_subcommand_is_a_usage_error() -> None:
    result = run(timeout=60)
    assert result.returncode == 2
    assert b"usage: dateline" in result.stderr


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str) -> tuple[int, str, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.headers.get_content_type(), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers.get_content_type(), exc.read()


@pytest.mark.slow
def test_serve_runs_gunicorn(tmp_path: Path, seed_dir: Path) -> None:
    """`dateline serve` preloads the app (model + seeds) once and answers on the bound port."""
    port = _free_port()
    env = {
        **os.environ,
        "DATELINE_STORE_PATH": str(tmp_path / "serve.sqlite3"),
        "DATELINE_SEED_PATH": str(seed_dir),
    }
    proc = subprocess.Popen(
        [DATELINE, "serve", "--port", str(port), "--workers", "2"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            assert proc.poll() is None, proc.stdout.read().decode() if proc.stdout else "exited"
            try:
                status, _, _ = _get(f"{base}/readyz")
                if status == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, "gunicorn did not become ready"
            time.sleep(0.5)
        for _ in range(4):  # several requests, so both workers are likely to answer
            status, ctype, body = _get(f"{base}/v1/timeline")
            assert (status, ctype) == (200, "application/json")
            assert json.loads(body)["count"] > 0
        status, ctype, body = _get(f"{base}/v1/events/nope")
        assert (status, ctype) == (404, "application/problem+json")
    finally:
        proc.terminate()
        try:
            output = proc.communicate(timeout=30)[0].decode()
        except subprocess.TimeoutExpired:
            proc.kill()
            output = proc.communicate()[0].decode()
    lines = [json.loads(line) for line in output.splitlines() if line.startswith("{")]
    messages = [line["message"] for line in lines]
    assert any(m.startswith("Booting worker") for m in messages)
    access = [line for line in lines if line["logger"] == "dateline.access"]
    assert any(a["path"] == "/v1/timeline" and a["status"] == 200 and a["request_id"] for a in access)
    # preloaded: the seeds are ingested once, in the master, before any worker boots
    seeded = [i for i, m in enumerate(messages) if m.startswith("ingested 3 seed documents")]
    assert len(seeded) == 1, output
    assert seeded[0] < next(i for i, m in enumerate(messages) if m.startswith("Booting worker"))


def test_ingest_with_workers_fills_a_store(tmp_path: Path, seed_dir: Path, client: Any) -> None:
    """`dateline ingest` extracts in worker processes, shows progress, and stores what the server
    would: the same timeline as the API over the same documents (stored in batches of 2)."""
    from dateline.store import Store
    from dateline.views.schemas import dump_timeline

    store_path = tmp_path / "cli.sqlite3"
    result = run("ingest", str(seed_dir), "--workers", "2", "--batch", "2", "--store", str(store_path))
    assert result.returncode == 0, result.stderr.decode()
    assert result.stdout.decode().startswith("3 ingested, 0 already stored, 0 failed")
    assert "ingest" in result.stderr.decode() and "3/3" in result.stderr.decode(), "a progress bar"
    store = Store(store_path)
    assert store.count() == 3 and store.verify() == [] and store.extractor_version()
    assert dump_timeline(store.timeline()) == client.get("/v1/timeline?limit=5000").get_json()

    again = run("ingest", str(seed_dir), "--store", str(store_path), "--quiet")
    assert again.returncode == 0
    assert again.stdout.decode().startswith("0 ingested, 3 already stored")
    assert again.stderr == b""


def test_ingest_reports_bad_files_and_keeps_the_good(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "good.txt").write_text("Vladimir Putin visited Pyongyang on 19 June 2024.", encoding="utf-8")
    (folder / "bad.json").write_text('{"text": ""}', encoding="utf-8")
    store_path = tmp_path / "partial.sqlite3"
    result = run("ingest", str(folder), "--store", str(store_path), "--quiet")
    assert result.returncode == 1
    assert "bad.json" in result.stderr.decode() and "Traceback" not in result.stderr.decode()
    assert result.stdout.decode().startswith("1 ingested, 0 already stored, 1 failed")
    from dateline.store import Store

    assert [d.id for d in Store(store_path).documents()] == ["good"]


# --- intake: folders of folders, nothing found, one document failing ------------------------------


def test_ingest_reads_folders_of_folders(tmp_path: Path) -> None:
    """Two `index.txt` in different folders are two documents (ids from their paths); --no-recursive
    reads the folder alone, and finding nothing there is an error, not "0 ingested"."""
    for folder, text in (("world", PUTIN), ("asia", KIM)):
        (tmp_path / "site" / folder).mkdir(parents=True)
        (tmp_path / "site" / folder / "index.txt").write_text(text, encoding="utf-8")
    store_path = tmp_path / "tree.sqlite3"
    flat = run("ingest", str(tmp_path / "site"), "--store", str(store_path), "--quiet", "--no-recursive")
    assert flat.returncode == 1 and flat.stdout == b""
    assert "no documents" in flat.stderr.decode() and "--no-recursive" in flat.stderr.decode()
    deep = run("ingest", str(tmp_path / "site"), "--store", str(store_path), "--quiet")
    assert deep.returncode == 0, deep.stderr.decode()
    assert deep.stdout.decode().startswith("2 ingested, 0 already stored, 0 failed")
    from dateline.store import Store

    assert sorted(d.id for d in Store(store_path).documents()) == ["asia~index", "world~index"]


def test_ingest_of_an_empty_folder_fails(tmp_path: Path) -> None:
    (tmp_path / "empty" / "sub").mkdir(parents=True)
    (tmp_path / "empty" / "sub" / "notes.md").write_text("not a document", encoding="utf-8")
    result = run("ingest", str(tmp_path / "empty"), "--store", str(tmp_path / "s.sqlite3"), "--quiet")
    assert result.returncode == 1
    assert result.stdout == b""
    assert "no documents" in result.stderr.decode() and "Traceback" not in result.stderr.decode()
    assert not (tmp_path / "s.sqlite3").exists(), "no store created for nothing"


PUTIN = "Vladimir Putin visited Pyongyang on 19 June 2024 and met Kim Jong Un."
KIM = "Kim Jong Un met Vladimir Putin in Vladivostok on 13 September 2023."
SHOIGU = (
    "Russian Defence Minister Sergei Shoigu arrived in Pyongyang on 26 July 2023 for talks with Kim Jong Un."
)
LAVROV = "Russian Foreign Minister Sergei Lavrov arrived in Pyongyang on 18 October 2023 for talks."


@pytest.fixture
def one_breaks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, broken_extraction: str, settings: Any
) -> Path:
    """A folder of three documents; extracting `broken` raises (conftest's ``broken_extraction``)."""
    folder = tmp_path / "docs"
    folder.mkdir()
    for name, text in (("a", PUTIN), (broken_extraction, KIM), ("c", SHOIGU)):
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    monkeypatch.setenv("DATELINE_MODEL", settings.model)  # the session's model: loaded once
    monkeypatch.delenv("DATELINE_LOG_LEVEL", raising=False)
    monkeypatch.delenv("DATELINE_LOG_JSON", raising=False)
    return folder


def failure_lines(err: str, command: str) -> tuple[list[dict[str, Any]], list[str]]:
    """stderr of a document command: its JSON log lines, and its other lines (each one a
    ``dateline COMMAND: ...`` message: no stray traceback, no progress bar under --quiet)."""
    logged = [json.loads(line) for line in err.splitlines() if line.startswith("{")]
    said = [line for line in err.splitlines() if line and not line.startswith("{")]
    assert all(line.startswith(f"dateline {command}: ") for line in said), said
    return logged, said


def assert_logged_once(logged: list[dict[str, Any]], document_id: str, error: str) -> None:
    """One structured ERROR line names the document (a field, for log searches) and holds the traceback."""
    [line] = [entry for entry in logged if entry.get("document_id") == document_id]
    assert line["level"] == "ERROR" and line["logger"] == "dateline.pipeline"
    assert "Traceback (most recent call last)" in line["exception"] and error in line["exception"]


@pytest.mark.parametrize("command", ["timeline", "documents"])
def test_a_failing_document_is_reported_and_the_others_output(
    one_breaks: Path, command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code = cli.main([command, str(one_breaks)])
    out, err = capsys.readouterr()
    assert code == 1
    logged, said = failure_lines(err, command)
    assert said == [f"dateline {command}: document 'broken': extraction failed: KeyError: 'the short-term'"]
    assert_logged_once(logged, "broken", "KeyError: 'the short-term'")
    data = json.loads(out)
    if command == "timeline":
        cited = {s["document_id"] for e in data["events"] for s in e["sources"]}
    else:
        cited = {d["id"] for d in data["documents"]}
    assert cited == {"a", "c"}


def test_the_log_lines_follow_the_settings(
    one_breaks: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """DATELINE_LOG_JSON=0: plain lines, as the server's; and the command leaves the ``dateline``
    loggers as it found them (it may run inside another program)."""
    import logging

    logger = logging.getLogger("dateline")
    before = (list(logger.handlers), logger.level, logger.propagate)
    monkeypatch.setenv("DATELINE_LOG_JSON", "0")
    assert cli.main(["documents", str(one_breaks)]) == 1
    err = capsys.readouterr().err
    assert "[ERROR] dateline.pipeline: document 'broken': extraction failed" in err
    assert "Traceback" in err and not any(line.startswith("{") for line in err.splitlines())
    assert (list(logger.handlers), logger.level, logger.propagate) == before


def test_a_failing_document_is_not_stored_and_the_others_are(
    one_breaks: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from dateline.store import Store

    store_path = tmp_path / "partial.sqlite3"
    code = cli.main(["ingest", str(one_breaks), "--store", str(store_path), "--quiet"])
    out, err = capsys.readouterr()
    assert code == 1
    logged, said = failure_lines(err, "ingest")
    assert said == ["dateline ingest: document 'broken': extraction failed: KeyError: 'the short-term'"]
    assert_logged_once(logged, "broken", "KeyError: 'the short-term'")
    assert out.startswith("2 ingested, 0 already stored, 1 failed")
    store = Store(store_path)
    assert sorted(d.id for d in store.documents()) == ["a", "c"] and store.verify() == []


class NotRebuilt(Exception):
    """An error its own ``args`` cannot rebuild: sent back from a worker as is, unpickling it in the
    parent broke the process pool, failing every document still pending."""

    def __init__(self, what: str, why: str) -> None:
        super().__init__(f"{what}: {why}")


class FailsOnBroken:
    """The worker's extractor, raising NotRebuilt on the document `broken`."""

    def __init__(self, real: Any) -> None:
        self.real = real
        self.nlp = real.nlp

    def extract(self, doc: Any) -> Any:
        if doc.id == "broken":
            raise NotRebuilt("tagger", "no such word")
        return self.real.extract(doc)


def test_a_document_failing_in_a_worker_process_is_reported_and_the_others_stored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, settings: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    """--workers 2: the error raised in a worker comes back named and logged with the worker's
    traceback; the pool goes on with the other documents. The workers are forked after the model is
    loaded, so they extract with the extractor this process made."""
    from dateline.store import Store

    folder = tmp_path / "docs"
    folder.mkdir()
    texts = {"broken": KIM, "a": PUTIN, "c": SHOIGU, "d": LAVROV}
    for name, text in texts.items():
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    monkeypatch.setenv("DATELINE_MODEL", settings.model)
    monkeypatch.delenv("DATELINE_LOG_LEVEL", raising=False)
    monkeypatch.delenv("DATELINE_LOG_JSON", raising=False)
    real_local = cli._local_extractor
    monkeypatch.setattr(cli, "_local_extractor", lambda settings: FailsOnBroken(real_local(settings)))
    store_path = tmp_path / "workers.sqlite3"
    code = cli.main(["ingest", str(folder), "--workers", "2", "--store", str(store_path), "--quiet"])
    out, err = capsys.readouterr()
    assert code == 1
    logged, said = failure_lines(err, "ingest")
    assert said == ["dateline ingest: document 'broken': extraction failed: NotRebuilt: tagger: no such word"]
    assert_logged_once(logged, "broken", "NotRebuilt: tagger: no such word")
    remote = logged[0]["exception"]
    assert "_RemoteTraceback" in remote and "in extract\n" in remote, "the worker's own traceback"
    assert out.startswith("3 ingested, 0 already stored, 1 failed")
    assert sorted(d.id for d in Store(store_path).documents()) == ["a", "c", "d"]


def test_a_document_failing_to_be_stored_is_reported_and_the_others_stored(
    one_breaks: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """An error while storing one document (its transaction rolled back) is that document's: its
    batch fails as a whole, then each document is stored on its own, and only it is lost; a store
    that fails as a whole stops the run with one message."""
    from dateline.store import Store, StoreUnavailable, facade

    real = Store.ingest
    real_batch = facade.ingest_batch

    def ingest(self: Store, result: Any, given: Any = None, **kwargs: Any) -> Any:
        if result.document.id == "c":
            raise ValueError("no room for c")
        return real(self, result, given=given, **kwargs)

    def ingest_batch(tx: Any, items: Any) -> Any:
        if any(result.document.id == "c" for result, _, _ in items):
            raise ValueError("no room for c")
        return real_batch(tx, items)

    monkeypatch.setattr(Store, "ingest", ingest)
    monkeypatch.setattr(facade, "ingest_batch", ingest_batch)
    (one_breaks / "broken.txt").unlink()
    store_path = tmp_path / "partial.sqlite3"
    code = cli.main(["ingest", str(one_breaks), "--store", str(store_path), "--quiet"])
    out, err = capsys.readouterr()
    assert code == 1
    logged, said = failure_lines(err, "ingest")
    assert said == ["dateline ingest: document 'c': storing failed: ValueError: no room for c"]
    assert_logged_once(logged, "c", "ValueError: no room for c")
    assert out.startswith("1 ingested, 0 already stored, 1 failed")
    assert [d.id for d in Store(store_path).documents()] == ["a"]

    def unavailable(self: Store, result: Any, given: Any = None, **kwargs: Any) -> Any:
        raise StoreUnavailable(str(self.location), "disk full")

    monkeypatch.setattr(Store, "ingest", unavailable)
    code = cli.main(["ingest", str(one_breaks), "--store", str(tmp_path / "full.sqlite3"), "--quiet"])
    out, err = capsys.readouterr()
    assert code == 1 and out == ""
    assert "dateline ingest: stopped at document 'a' (0 stored before it): the store at" in err
    assert "disk full" in err and "Traceback" not in err


@pytest.mark.parametrize("name", ["timeline", "documents", "ingest"])
def test_document_commands_document_their_exit_status(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        cli.main([name, "--help"])
    text = capsys.readouterr().out
    assert "--no-recursive" in text
    assert "exit status:" in text and "130" in text


def test_a_repeated_id_is_reported_and_the_first_kept(
    tmp_path: Path,
    extractor: Any,
    settings: Any,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Two files named alike, given directly, have one id: the second is named on stderr, not merged."""
    monkeypatch.setenv("DATELINE_MODEL", settings.model)
    for folder, text in (("a", PUTIN), ("b", KIM)):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "x.txt").write_text(text, encoding="utf-8")
    code = cli.main(["documents", str(tmp_path / "a" / "x.txt"), str(tmp_path / "b" / "x.txt")])
    out, err = capsys.readouterr()
    assert code == 1
    assert f"{tmp_path / 'b' / 'x.txt'}: another document has the id 'x' ({tmp_path / 'a' / 'x.txt'})" in err
    assert [d["id"] for d in json.loads(out)["documents"]] == ["x"]
