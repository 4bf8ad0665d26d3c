"""The layering the project promises: the extractor, the merger and every module below the web layer
import no Flask, only the store package touches a database, and only the job modules touch the queue."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "service" / "dateline"

CORE = [
    "dateline.events.extractor",
    "dateline.merging.cluster",
    "dateline.model",
    "dateline.merging.incremental",
    "dateline.store",
    "dateline.views.query",
    "dateline.views.formats",
    "dateline.views.schemas",
    "dateline.views.openapi",
    "dateline.views.jsonschema",
    "dateline.views.contract",
    "dateline.intake.documents",
    "dateline.intake.webpage",
    "dateline.cli",
    "dateline.queue.jobs",
    "dateline.queue.worker",
]
#: the database drivers and toolkits, and the queue's clients
DATABASE = {"sqlite3", "sqlalchemy", "alembic", "psycopg"}
QUEUE = {"rq", "redis"}


@pytest.mark.parametrize("module", CORE)
def test_core_modules_do_not_import_flask(module: str) -> None:
    code = f"import sys, {module}; sys.exit(1 if 'flask' in sys.modules else 0)"
    assert subprocess.run([sys.executable, "-c", code], check=False, timeout=120).returncode == 0


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_only_the_store_touches_a_database() -> None:
    users = {p.relative_to(PACKAGE).as_posix() for p in PACKAGE.rglob("*.py") if _imports(p) & DATABASE}
    assert "store/database.py" in users and all(u.startswith("store/") for u in users), users


def test_only_the_api_package_imports_flask() -> None:
    users = {p.relative_to(PACKAGE).as_posix() for p in PACKAGE.rglob("*.py") if "flask" in _imports(p)}
    assert users and all(u.startswith("api/") for u in users), users


def test_only_the_job_modules_touch_the_queue() -> None:
    users = {p.relative_to(PACKAGE).as_posix() for p in PACKAGE.rglob("*.py") if _imports(p) & QUEUE}
    assert users == {"queue/jobs.py", "queue/worker.py"}


def _module_name(path: Path) -> str:
    parts = ["dateline", *path.relative_to(PACKAGE).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _package_imports(path: Path) -> set[str]:
    """The ``dateline`` modules that ``path`` imports, anywhere in it (inside functions too)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names if alias.name.startswith("dateline."))
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("dateline"):
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def _import_graph() -> dict[str, set[str]]:
    modules = {
        _module_name(p): p for p in PACKAGE.rglob("*.py") if "migrations" not in p.relative_to(PACKAGE).parts
    }
    # a package's face (``__init__``) hands names on: an import of it counts as an import of the package
    return {
        name: {m for m in _package_imports(path) if m in modules and m != name and m != "dateline"}
        for name, path in modules.items()
    }


def test_no_import_circle() -> None:
    graph = _import_graph()
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(module: str) -> None:
        state[module] = 1
        stack.append(module)
        for target in sorted(graph[module]):
            if state.get(target) == 1:
                circle = [*stack[stack.index(target) :], target]
                raise AssertionError("import circle: " + " -> ".join(circle))
            if target not in state:
                visit(target)
        stack.pop()
        state[module] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module)


#: the pipeline's layers, lowest first: a module never imports one of a higher layer. The temporal
#: tagger is a library of its own (text and reference date in, TIMEX3 out): intake uses it to find
#: an article's publication date, the extractor to date its events.
LAYERS = [
    ("timex",),
    ("intake",),
    ("events",),
    ("merging",),
    ("store",),
    ("queue", "views"),
    ("api", "cli", "cli_common", "cli_ingest", "entities_cli"),
]


def _layer(module: str) -> int | None:
    top = module.split(".")[1] if module.count(".") else ""
    return next((i for i, names in enumerate(LAYERS) if top in names), None)


def test_imports_follow_the_pipeline() -> None:
    wrong = [
        f"{module} -> {target}"
        for module, targets in _import_graph().items()
        for target in targets
        if (a := _layer(module)) is not None and (b := _layer(target)) is not None and b > a
    ]
    assert not wrong, wrong


#: the one module allowed past the size limit: the temporal rule table, one entry per rule
LONG_MODULES = {"timex/rules.py"}


def test_modules_stay_readable() -> None:
    long = {
        p.relative_to(PACKAGE).as_posix(): n
        for p in PACKAGE.rglob("*.py")
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > 500
    }
    assert set(long) <= LONG_MODULES, long
